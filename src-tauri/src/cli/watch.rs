//! `watch --headless`: the engine without the tray, printing one line (or JSON object) per
//! event, and serving Prometheus metrics when asked.

use super::{runtime, CliError};
use crate::history::History;
use crate::local::server;
use crate::local::service::Service;
use crate::{engine, metrics, notifier};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// One event for people: "14:05:09 OpenAI incident opened: Elevated errors" (the time as
/// the event has it, UTC).
fn human_line(cat: &crate::i18n::Catalog, e: &crate::watcher::WatchEvent) -> String {
    let event = cat.t(&format!("event-{}", e.name().replace('_', "-")), &[]);
    let mut args = vec![
        ("time", e.at().format("%H:%M:%S").to_string().into()),
        ("service", e.about().service.as_str().into()),
        ("event", event.into()),
    ];
    match e.title() {
        Some(title) => {
            args.push(("title", title.into()));
            cat.t("cli-watch-line-title", &args)
        }
        None => cat.t("cli-watch-line", &args),
    }
}

/// How long a notification server may take to answer the check at start.
const NOTIFICATION_SERVER_WAIT: Duration = Duration::from_secs(5);

/// `--metrics`: where to serve them.
#[derive(Debug, Clone, Copy)]
pub struct Metrics {
    pub addr: SocketAddr,
    pub allow_remote: bool,
}

pub fn headless(
    options: &engine::Options,
    json: bool,
    metrics: Option<Metrics>,
) -> Result<(), CliError> {
    // A config that cannot be read stops here, before the socket's directory is made:
    // nothing is written for a start that fails.
    crate::config::Config::load(options.config_path.as_deref())?;
    let listener = server::listen(options.data_dir.as_deref())?;
    let engine::Engine {
        mut watcher,
        handle,
        config,
        config_path,
        config_error,
        data_dir,
    } = engine::start(options)?;
    // On a server there is no one to show a pop-up to: without a notification server they
    // are off for this run, instead of failing (and being retried) one by one.
    if let Err(why) = notifier::server_available(NOTIFICATION_SERVER_WAIT) {
        tracing::warn!(
            reason = %why,
            webhooks = config.webhooks.len(),
            "no desktop notification server: pop-ups are off for this run, webhooks and --json go on"
        );
        watcher.turn_off_popups(notifier::NO_SERVER_NOTE);
    }
    tracing::info!(webhooks = config.webhooks.len(), "watching headless");
    let rt = runtime()?;
    rt.block_on(async move {
        let metrics = match metrics {
            Some(m) => Some(metrics::serve(m.addr, m.allow_remote, handle.overview.clone()).await?),
            None => None,
        };
        // `status` and `check-now` reach a headless engine too.
        let mut serving = None;
        if let Some(listener) = listener {
            let service = Service::new(
                handle.clone(),
                History::open(&data_dir).map_err(engine::EngineError::from)?,
                config,
                config_path,
                config_error.is_some(),
            );
            serving = Some(tokio::spawn(server::serve(listener, Arc::new(service))));
        }
        let mut events = handle.events.subscribe();
        let printer = tokio::spawn(async move {
            loop {
                match events.recv().await {
                    Ok(e) if json => match serde_json::to_string(&e) {
                        Ok(line) => println!("{line}"),
                        Err(err) => tracing::error!(error = %err, "cannot print event"),
                    },
                    Ok(e) => println!("{}", human_line(crate::i18n::current(), &e)),
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(n, "event printer fell behind")
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        watcher.run(shutdown_signal()).await;
        if let Some(m) = metrics {
            m.shutdown().await;
        }
        // The server's handle clone would keep the event channel, and so the printer, open.
        if let Some(task) = serving {
            task.abort();
            let _ = task.await;
        }
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
