//! The command line: argument parsing, `check`, `watch --headless`, and hand-over to the desktop app.

use crate::config::{self, Config};
use crate::fetch::{FetchLimits, Fetcher};
use crate::history::History;
use crate::model::{ServiceId, Snapshot};
use crate::notifier::DesktopNotifier;
use crate::sources::{detect, Format};
use crate::watcher::{self, Watcher};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

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
    /// Watch the configured services and notify on changes
    Watch {
        /// Without the tray and window
        #[arg(long)]
        headless: bool,
        /// Print one JSON line per event
        #[arg(long)]
        json: bool,
    },
}

/// Everything the desktop shell needs from the command line.
#[derive(Debug, Clone)]
pub struct AppOptions {
    pub config: Config,
    pub data_dir: PathBuf,
    pub show: bool,
    /// The config file could not be parsed: the built-in services are watched meanwhile,
    /// and the file is kept (set aside, not overwritten, when Settings are saved).
    pub config_error: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("no data directory: pass --data-dir or set OUTAGE_RADAR_DATA_DIR")]
    NoDataDir,
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    History(#[from] crate::history::HistoryError),
    #[error(transparent)]
    Watch(#[from] watcher::WatchError),
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
    #[cfg(feature = "desktop")]
    #[error("desktop app: {0}")]
    Desktop(#[from] crate::desktop::DesktopError),
}

impl CliError {
    fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Config(_)
            | CliError::Usage(_)
            | CliError::Detect(detect::DetectError::Url(_)) => ExitCode::from(2),
            _ => ExitCode::FAILURE,
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OUTAGE_RADAR_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("outage_radar=info,warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line on stderr; the tracing log would only say it again.
            eprintln!("outage-radar: {e}");
            e.exit_code()
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)
}

fn data_dir(explicit: Option<PathBuf>) -> Result<PathBuf, CliError> {
    explicit
        .or_else(config::default_data_dir)
        .ok_or(CliError::NoDataDir)
}

fn dispatch(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Some(Command::Check {
            url,
            format,
            endpoint,
            json,
        }) => check(&url, format.as_deref(), endpoint.as_deref(), json),
        Some(Command::Detect { url, json }) => detect(&url, json),
        Some(Command::Catalog { json }) => print_catalog(json),
        Some(Command::Watch {
            headless: true,
            json,
        }) => {
            let config = Config::load(cli.config.as_deref())?;
            watch_headless(config, data_dir(cli.data_dir)?, json)
        }
        Some(Command::Watch {
            headless: false, ..
        })
        | None => {
            // A tray app started at login has no terminal to print to: a broken file is
            // shown in the window and the app runs on the built-in services meanwhile.
            let (config, config_error) = match Config::load(cli.config.as_deref()) {
                Ok(c) => (c, None),
                Err(e @ config::ConfigError::Invalid { .. }) => {
                    tracing::error!(error = %e, "config unreadable: watching the built-in services");
                    let mut builtin = Config::builtin();
                    builtin.path = cli.config.clone().or_else(config::default_config_path);
                    (builtin, Some(e.to_string()))
                }
                Err(e) => return Err(e.into()),
            };
            let options = AppOptions {
                config,
                data_dir: data_dir(cli.data_dir)?,
                show: cli.show,
                config_error,
            };
            run_desktop(options)
        }
    }
}

#[cfg(feature = "desktop")]
fn run_desktop(options: AppOptions) -> Result<(), CliError> {
    Ok(crate::desktop::run(options)?)
}

#[cfg(not(feature = "desktop"))]
fn run_desktop(_: AppOptions) -> Result<(), CliError> {
    Err(CliError::Usage(
        "this build has no desktop app (built without the `desktop` feature); use `watch --headless` or `check`".to_owned(),
    ))
}

/// A service's display name for a pasted URL: the catalog's name, else the host.
fn name_for(url: &url::Url) -> String {
    let wanted = url.as_str().trim_end_matches('/');
    config::catalog()
        .into_iter()
        .find(|e| e.url.trim_end_matches('/') == wanted)
        .map(|e| e.name)
        .unwrap_or_else(|| url.host_str().unwrap_or("service").to_owned())
}

fn check(
    raw_url: &str,
    format: Option<&str>,
    endpoint: Option<&str>,
    json: bool,
) -> Result<(), CliError> {
    let url = config::validate_url(raw_url).map_err(|e| CliError::Usage(e.to_string()))?;
    if let Some(e) = endpoint {
        config::validate_url(e).map_err(|e| CliError::Usage(e.to_string()))?;
    }
    let page = url.as_str().trim_end_matches('/').to_owned();
    let rt = runtime()?;
    let fetcher = Fetcher::new(FetchLimits::default())?;
    let snapshot = match format {
        Some(f) => {
            let format: Format = f
                .parse()
                .map_err(|e: crate::sources::UnknownFormat| CliError::Usage(e.to_string()))?;
            format
                .endpoints(&page, endpoint)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            let name = name_for(&url);
            let entry = config::catalog_entry(&name);
            let service = config::ServiceConfig {
                id: ServiceId::from_name(&name),
                name,
                url: page,
                format,
                endpoint: endpoint.map(str::to_owned),
                filter: entry.map(|e| e.filter()).unwrap_or_default(),
                enabled: true,
                prefs: Default::default(),
            };
            rt.block_on(watcher::read(&fetcher, &service))
                .map_err(|e| CliError::Read(e.message))?
        }
        None => {
            let mut found = rt.block_on(detect::detect(&fetcher, &page))?;
            found.snapshot.service = name_for(&url);
            found.snapshot
        }
    };
    if json {
        println!("{}", serde_json::to_string(&snapshot)?);
    } else {
        print!("{}", render(&snapshot));
    }
    Ok(())
}

fn detect(raw_url: &str, json: bool) -> Result<(), CliError> {
    let url = config::validate_url(raw_url).map_err(|e| CliError::Usage(e.to_string()))?;
    let fetcher = Fetcher::new(FetchLimits::default())?;
    let found = runtime()?.block_on(detect::detect(&fetcher, url.as_str()))?;
    if json {
        println!("{}", serde_json::to_string(&found)?);
        return Ok(());
    }
    let s = &found.snapshot;
    println!(
        "{}: {} ({}), read from {}",
        url.as_str().trim_end_matches('/'),
        found.format.label(),
        found.format,
        found.endpoint
    );
    println!(
        "now: {} · {} components · {} open incidents",
        s.status.label(),
        s.components.len(),
        s.open_incidents().count()
    );
    println!();
    println!("Add to your config.toml:");
    println!("[[services]]");
    match &found.catalog_name {
        Some(name) => println!("name = {}", toml_string(name)),
        None => {
            println!("name = {}", toml_string(&name_for(&url)));
            println!("url = {}", toml_string(url.as_str().trim_end_matches('/')));
            println!("format = \"{}\"", found.format);
            if let Some(e) = &found.endpoint_override {
                println!("endpoint = {}", toml_string(e));
            }
        }
    }
    Ok(())
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn print_catalog(json: bool) -> Result<(), CliError> {
    let cat = config::catalog();
    if json {
        println!("{}", serde_json::to_string(&cat)?);
        return Ok(());
    }
    for e in &cat {
        let filter = [e.products.join(", "), e.regions.join(", ")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        println!(
            "{:<28} {:<13} {:<12} {}{}{}",
            e.name,
            e.category,
            e.format.as_str(),
            e.url,
            if filter.is_empty() {
                String::new()
            } else {
                format!("  [{filter}]")
            },
            if e.default { "  (default)" } else { "" }
        );
    }
    println!("{} services", cat.len());
    Ok(())
}

/// The human-readable form of `check`.
pub fn render(s: &Snapshot) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}): {}", s.service, s.format, s.status);
    // The worst is what is shown; a page that says less about itself is named too.
    if let Some(own) = s.page_status {
        let _ = writeln!(
            out,
            "  Page says: {}, but {}: {}",
            own.label(),
            what_says_worse(s),
            s.status.label()
        );
    }
    if let Some(d) = &s.description {
        let _ = writeln!(out, "  {d}");
    }
    let troubled: Vec<_> = s
        .components
        .iter()
        .filter(|c| c.status != crate::model::Status::Operational)
        .collect();
    let _ = writeln!(
        out,
        "Components: {} ({} not operational)",
        s.components.len(),
        troubled.len()
    );
    for c in troubled {
        let _ = writeln!(out, "  {}: {}", c.name, c.status);
    }
    for (label, list) in [
        ("Incidents", &s.incidents),
        ("Maintenances", &s.maintenances),
    ] {
        if list.is_empty() {
            let _ = writeln!(out, "{label}: none");
            continue;
        }
        let _ = writeln!(out, "{label}:");
        for i in list {
            let since = i
                .started_at
                .map(|t| t.format(" since %Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default();
            let _ = writeln!(out, "  [{}, {}] {}{since}", i.phase, i.impact, i.title);
            if let Some(u) = &i.url {
                let _ = writeln!(out, "    {u}");
            }
        }
    }
    out
}

/// Which part of a page makes it worse than the page's own word.
fn what_says_worse(s: &Snapshot) -> &'static str {
    if s.components.iter().any(|c| c.status == s.status) {
        "its components say"
    } else if s
        .open_incidents()
        .any(|i| i.impact.implied_status() == s.status)
    {
        "its open incidents say"
    } else if s.status == crate::model::Status::Maintenance {
        "a maintenance under way says"
    } else {
        "what it lists says"
    }
}

/// What a user is told when the history had to be set aside.
pub fn recovered_notice(r: &crate::history::Recovered) -> String {
    format!(
        "The history database was unreadable ({}); it was kept as {} and a new one was started.",
        r.reason,
        r.kept_as.display()
    )
}

fn watch_headless(config: Config, data_dir: PathBuf, json: bool) -> Result<(), CliError> {
    let (history, recovered) = History::open_or_recover(&data_dir)?;
    tracing::info!(services = config.services.len(), history = %history.path().display(), "watching headless");
    let rt = runtime()?;
    rt.block_on(async move {
        let (mut watcher, handle) =
            Watcher::new(config, history, Arc::new(DesktopNotifier::new()))?;
        if let Some(r) = recovered {
            let notice = recovered_notice(&r);
            eprintln!("outage-radar: {notice}");
            watcher.add_notice(notice);
        }
        let mut events = handle.events.subscribe();
        let printer = tokio::spawn(async move {
            loop {
                match events.recv().await {
                    Ok(e) if json => match serde_json::to_string(&e) {
                        Ok(line) => println!("{line}"),
                        Err(err) => tracing::error!(error = %err, "cannot print event"),
                    },
                    Ok(e) => println!(
                        "{} {} {}{}",
                        e.at.format("%H:%M:%S"),
                        e.service,
                        e.event,
                        e.title.map(|t| format!(": {t}")).unwrap_or_default()
                    ),
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(n, "event printer fell behind")
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        watcher.run(shutdown_signal()).await;
        drop(handle);
        let _ = printer.await;
        Ok::<(), CliError>(())
    })
}

/// Completes on Ctrl-C or (on Unix) SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {},
                    _ = term.recv() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
