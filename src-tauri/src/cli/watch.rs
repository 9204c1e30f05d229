//! `watch --headless`: the engine without the tray, printing one line (or JSON object) per event.

use super::{runtime, CliError};
use crate::engine;

/// One event for people: "14:05:09 OpenAI incident opened: Elevated errors" (the time as
/// the event has it, UTC).
fn human_line(cat: &crate::i18n::Catalog, e: &crate::watcher::WatchEvent) -> String {
    let event = cat.t(&format!("event-{}", e.event.replace('_', "-")), &[]);
    let mut args = vec![
        ("time", e.at.format("%H:%M:%S").to_string().into()),
        ("service", e.service.as_str().into()),
        ("event", event.into()),
    ];
    match &e.title {
        Some(title) => {
            args.push(("title", title.as_str().into()));
            cat.t("cli-watch-line-title", &args)
        }
        None => cat.t("cli-watch-line", &args),
    }
}

pub fn headless(options: &engine::Options, json: bool) -> Result<(), CliError> {
    let engine::Engine {
        watcher, handle, ..
    } = engine::start(options)?;
    tracing::info!("watching headless");
    let rt = runtime()?;
    rt.block_on(async move {
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
