//! `watch --headless`: the engine without the tray, printing one line (or JSON object) per event.

use super::{runtime, CliError};
use crate::engine;
use crate::history::History;
use crate::local::server;
use crate::local::service::Service;
use std::sync::Arc;

pub fn headless(options: &engine::Options, json: bool) -> Result<(), CliError> {
    // A config that cannot be read stops here, before the socket's directory is made:
    // nothing is written for a start that fails.
    crate::config::Config::load(options.config_path.as_deref())?;
    let listener = server::listen(options.data_dir.as_deref())?;
    let engine::Engine {
        watcher,
        handle,
        config,
        config_path,
        config_error,
        data_dir,
    } = engine::start(options)?;
    tracing::info!("watching headless");
    let rt = runtime()?;
    rt.block_on(async move {
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
