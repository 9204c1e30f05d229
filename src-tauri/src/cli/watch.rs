//! `watch --headless`: the engine without the tray, printing one line (or JSON object) per event.

use super::{runtime, CliError};
use crate::engine;

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
