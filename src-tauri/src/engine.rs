//! Starts the engine the one way both the CLI and the tray use: config, data dir, history, notifier, watcher.

use crate::config::{self, Config, ConfigError};
use crate::history::{History, HistoryError, Recovered};
use crate::notifier::DesktopNotifier;
use crate::watcher::{WatchError, Watcher, WatcherHandle};
use std::path::PathBuf;
use std::sync::Arc;

/// What the command line says about where things are.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--config`; `None`: the platform's default path (the built-in services when absent).
    pub config_path: Option<PathBuf>,
    /// `--data-dir`; `None`: the platform's data dir.
    pub data_dir: Option<PathBuf>,
    /// A tray app started at login has no terminal to print to: with this set, a config
    /// file that cannot be parsed is reported in the window and the built-in services are
    /// watched meanwhile, instead of failing to start.
    pub tolerate_broken_config: bool,
}

/// A started (not yet running) engine and what its hosts need to know about it.
pub struct Engine {
    pub watcher: Watcher,
    pub handle: WatcherHandle,
    /// The config in force.
    pub config: Config,
    /// Where Settings are saved: `--config`, else the platform default.
    pub config_path: Option<PathBuf>,
    /// The file at `config_path` could not be parsed (only with `tolerate_broken_config`).
    pub config_error: Option<String>,
    pub data_dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("no data directory: pass --data-dir or set OUTAGE_RADAR_DATA_DIR")]
    NoDataDir,
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Watch(#[from] WatchError),
}

/// What a user is told when the history had to be set aside.
pub fn recovered_notice(r: &Recovered) -> String {
    crate::i18n::current().t(
        "notice-history-recovered",
        &[
            ("reason", r.reason.as_str().into()),
            ("path", r.kept_as.display().to_string().into()),
        ],
    )
}

/// Reads the config, opens (or recovers) the history and builds the watcher. Damage that
/// was worked around is said on stderr and kept as a notice in the overview.
pub fn start(options: &Options) -> Result<Engine, EngineError> {
    let (config, config_error) = match Config::load(options.config_path.as_deref()) {
        Ok(c) => (c, None),
        Err(e @ ConfigError::Invalid { .. }) if options.tolerate_broken_config => {
            tracing::error!(error = %e, "config unreadable: watching the built-in services");
            // Said in the system's language: the file that may name another is unreadable.
            (Config::builtin(), Some(e.message(crate::i18n::current())))
        }
        Err(e) => return Err(e.into()),
    };
    // Before anything is written for people: the notices below, the first summary.
    crate::i18n::init(config.language.map(|l| l.tag()));
    let data_dir = options
        .data_dir
        .clone()
        .or_else(config::default_data_dir)
        .ok_or(EngineError::NoDataDir)?;
    let (history, recovered) = History::open_or_recover(&data_dir)?;
    tracing::info!(
        services = config.services.len(),
        history = %history.path().display(),
        "starting the engine"
    );
    let (mut watcher, handle) = Watcher::new(
        config.clone(),
        history,
        Arc::new(DesktopNotifier::new(&data_dir)),
    )?;
    if let Some(r) = recovered {
        let notice = recovered_notice(&r);
        eprintln!("outage-radar: {notice}");
        watcher.add_notice(notice);
    }
    let trouble = config_error
        .as_ref()
        .map(|e| crate::i18n::current().t("notice-config-unreadable", &[("error", e.into())]));
    let config_path = options
        .config_path
        .clone()
        .or_else(|| config.path.clone())
        .or_else(config::default_config_path);
    if let Some(path) = &config_path {
        watcher.watch_config_file(path.clone(), trouble);
    } else if let Some(t) = trouble {
        watcher.add_notice(t);
    }
    Ok(Engine {
        watcher,
        handle,
        config,
        config_path,
        config_error,
        data_dir,
    })
}
