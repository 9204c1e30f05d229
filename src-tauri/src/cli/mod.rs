//! The command line: arguments, errors and exit codes, and which command runs where.

mod demo;
mod inspect;
mod report;
mod status;
mod watch;

use crate::config;
use crate::engine;
use crate::i18n::Describe as _;
use crate::read::detect;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "outage-radar",
    version,
    about = "Watches status pages and tells you when a service you depend on goes down"
)]
pub struct Cli {
    /// Config file (default: the platform config dir, e.g. ~/.config/outage-radar/config.toml)
    #[arg(long, global = true, env = "OUTAGE_RADAR_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where history is kept (default: the platform data dir, e.g. ~/.local/share/outage-radar)
    #[arg(long, global = true, env = "OUTAGE_RADAR_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Open the window at start (the desktop app otherwise starts in the tray)
    #[arg(long)]
    pub show: bool,
    /// Start with no window, even at the first start or without a tray (the login item does)
    #[arg(long, conflicts_with = "show")]
    pub background: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a status page once and print what it says
    Check {
        /// The page as you would paste it, e.g. https://status.openai.com
        url: String,
        /// statuspage, incidentio, instatus, betterstack, slack, google, aws, heroku,
        /// statusio or feed (default: detected, as `detect` does)
        #[arg(long)]
        format: Option<String>,
        /// The address to read instead of the format's own one under URL
        #[arg(long, value_name = "URL")]
        endpoint: Option<String>,
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Find which format a status page speaks and print the config entry for it
    Detect {
        /// The page as you would paste it, e.g. https://status.openai.com
        url: String,
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
    /// List the built-in catalog of services (add one with just `name = "..."`)
    Catalog {
        /// Print one JSON array
        #[arg(long)]
        json: bool,
    },
    /// Replay a real outage on this machine (no network; your config and history untouched)
    Demo {
        /// Without the tray and window; exits when the story ends
        #[arg(long)]
        headless: bool,
        /// Print one JSON line per event (with --headless)
        #[arg(long)]
        json: bool,
        /// Keep the demo's config and history in DIR (then `report --config DIR/config.toml
        /// --data-dir DIR/data` shows its figures) instead of a folder removed at the end
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
    },
    /// Print what the running app shows in the tray (exits 3 when it is not running)
    Status {
        /// Print the whole overview as one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Ask the running app to check every service now (exits 3 when it is not running)
    CheckNow,
    /// Each service's reliability over the last days: uptime, incidents, MTTR, how early
    /// Outage Radar knew, how late the page acknowledged (read from the history)
    Report {
        /// How many days back (1–400)
        #[arg(long, default_value_t = 90)]
        days: u32,
        /// Print one JSON object
        #[arg(long)]
        json: bool,
        /// Print CSV, one row per service
        #[arg(long, conflicts_with = "json")]
        csv: bool,
    },
    /// Be told once when a service that is down or suspected is back, even if it is muted
    /// (exits 2 when it is not down, 3 when the app is not running)
    Remind {
        /// The service's name or id, any case
        name: String,
        /// Cancel the reminder instead
        #[arg(long)]
        cancel: bool,
    },
    /// Watch the configured services and notify on changes
    Watch {
        /// Without the tray and window
        #[arg(long)]
        headless: bool,
        /// Print one JSON line per event
        #[arg(long)]
        json: bool,
        /// Serve Prometheus metrics at http://ADDR/metrics (ADDR: 127.0.0.1:9464 when left
        /// out; a port alone listens on 127.0.0.1)
        #[arg(
            long,
            value_name = "ADDR",
            num_args = 0..=1,
            default_missing_value = "127.0.0.1:9464",
            requires = "headless"
        )]
        metrics: Option<String>,
        /// Let --metrics listen on an address other than loopback (the page lists what
        /// your team depends on)
        #[arg(long, requires = "metrics")]
        metrics_allow_remote: bool,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Engine(#[from] engine::EngineError),
    #[error("{0}")]
    Usage(String),
    /// The running app refused what was asked (a reminder for a service that is not down).
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Fetch(#[from] crate::fetch::FetchError),
    #[error("{0}")]
    Read(String),
    #[error(transparent)]
    Detect(#[from] detect::DetectError),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("cannot write output: {0}")]
    Output(#[from] serde_json::Error),
    #[error("demo: {0}")]
    Demo(String),
    #[error("--metrics: {0}")]
    Metrics(#[from] crate::metrics::MetricsError),
    #[error(transparent)]
    Client(#[from] crate::local::client::ClientError),
    #[error(transparent)]
    Local(#[from] crate::local::LocalError),
    #[cfg(feature = "desktop")]
    #[error("desktop app: {0}")]
    Desktop(#[from] crate::desktop::DesktopError),
}

impl CliError {
    /// What people read, in `cat`'s words where the catalog has them (`Display` stays
    /// English for logs; a parser's own message is passed through as it is).
    pub fn message(&self, cat: &crate::i18n::Catalog) -> String {
        match self {
            CliError::Config(e) | CliError::Engine(engine::EngineError::Config(e)) => {
                e.message(cat)
            }
            CliError::Engine(engine::EngineError::NoDataDir) => cat.t("error-no-data-dir", &[]),
            CliError::Fetch(e) => e.message(cat),
            CliError::Detect(e) => e.message(cat),
            CliError::Runtime(e) => cat.t("error-runtime", &[("error", e.to_string().into())]),
            CliError::Output(e) => cat.t("error-output", &[("error", e.to_string().into())]),
            _ => self.to_string(),
        }
    }

    fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Config(_)
            | CliError::Engine(engine::EngineError::Config(_))
            | CliError::Usage(_)
            | CliError::Refused(_)
            | CliError::Detect(detect::DetectError::Url(_))
            | CliError::Metrics(
                crate::metrics::MetricsError::Address(_)
                | crate::metrics::MetricsError::NotLoopback(_),
            ) => ExitCode::from(2),
            CliError::Client(crate::local::client::ClientError::NotRunning(_)) => ExitCode::from(3),
            _ => ExitCode::FAILURE,
        }
    }
}

/// Logs to stderr, filtered by `OUTAGE_RADAR_LOG` (default: this app's info, others' warnings;
/// the window binary's own crate is this app too).
pub fn init_logging() {
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("OUTAGE_RADAR_LOG").unwrap_or_else(|_| {
            tracing_subscriber::EnvFilter::new("outage_radar=info,outage_radar_window=info,warn")
        });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    // Before anything is printed: `--help` and usage errors are printed by clap. The tray
    // app prints only to a log, and a console they attached to would be one
    // the user may close, taking the tray with it.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            crate::platform::attach_console();
            e.exit()
        }
    };
    if wants_console(cli.command.as_ref()) {
        crate::platform::attach_console();
    }
    init_logging();
    // The system's language until the config is read (which may name another).
    crate::i18n::init(None);
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line on stderr; the tracing log would only say it again.
            let cat = crate::i18n::current();
            eprintln!(
                "{}",
                cat.t("cli-error", &[("error", e.message(cat).into())])
            );
            e.exit_code()
        }
    }
}

/// Whether this command line is a CLI run rather than the tray app or its window.
fn wants_console(command: Option<&Command>) -> bool {
    !matches!(
        command,
        None | Some(Command::Watch {
            headless: false,
            ..
        })
    )
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)
}

fn dispatch(cli: Cli) -> Result<(), CliError> {
    let options = |tolerate_broken_config| engine::Options {
        config_path: cli.config.clone(),
        data_dir: cli.data_dir.clone(),
        tolerate_broken_config,
    };
    match &cli.command {
        Some(Command::Check {
            url,
            format,
            endpoint,
            json,
        }) => inspect::check(url, format.as_deref(), endpoint.as_deref(), *json),
        Some(Command::Detect { url, json }) => inspect::detect(url, *json),
        Some(Command::Catalog { json }) => inspect::catalog(*json),
        Some(Command::Demo {
            headless,
            json,
            keep,
        }) => demo::run(*headless, *json, keep.as_deref()),
        Some(Command::Status { json }) => {
            status::status(&status::socket(cli.data_dir.as_deref())?, *json)
        }
        Some(Command::CheckNow) => status::check_now(&status::socket(cli.data_dir.as_deref())?),
        Some(Command::Report { days, json, csv }) => {
            let form = match (json, csv) {
                (true, _) => report::Form::Json,
                (_, true) => report::Form::Csv,
                _ => report::Form::Text,
            };
            report::run(&options(false), *days, form)
        }
        Some(Command::Remind { name, cancel }) => {
            status::remind(&status::socket(cli.data_dir.as_deref())?, name, !*cancel)
        }
        Some(Command::Watch {
            headless: true,
            json,
            metrics,
            metrics_allow_remote,
        }) => {
            // A bad address is a usage error, said before anything starts.
            let metrics = match metrics.as_deref() {
                Some(raw) => {
                    let addr = crate::metrics::parse_listen(raw)?;
                    crate::metrics::check_listen(addr, *metrics_allow_remote)?;
                    Some(watch::Metrics {
                        addr,
                        allow_remote: *metrics_allow_remote,
                    })
                }
                None => None,
            };
            watch::headless(&options(false), *json, metrics)
        }
        Some(Command::Watch {
            headless: false, ..
        })
        | None => run_desktop(options(true), cli.show, cli.background),
    }
}

#[cfg(feature = "desktop")]
fn run_desktop(options: engine::Options, show: bool, background: bool) -> Result<(), CliError> {
    let start = if background {
        crate::desktop::Start::Background
    } else if show {
        crate::desktop::Start::Show
    } else {
        crate::desktop::Start::Default
    };
    crate::desktop::run(&options, start).map_err(|e| {
        let e = CliError::from(e);
        // Started from a menu or at login, nobody reads stderr: the reason is a pop-up too.
        let cat = crate::i18n::current();
        let title = cat.t("notify-start-failed-title", &[]);
        if let Err(n) = crate::notifier::show_note(&title, &e.message(cat)) {
            tracing::warn!(error = %n, "cannot show why the app could not start");
        }
        e
    })
}

#[cfg(not(feature = "desktop"))]
fn run_desktop(_: engine::Options, _: bool, _: bool) -> Result<(), CliError> {
    Err(CliError::Usage(
        "this build has no desktop app (built without the `desktop` feature); use `watch --headless` or `check`".to_owned(),
    ))
}
