//! `outage-radar demo`: the ChatGPT/API outage replayed on this machine, against a
//! throw-away config and history, in the tray app or headless.

use super::{runtime, CliError};
use crate::demo::{self, script::Script, DemoServer};
use crate::engine;
use crate::watcher::WatchEvent;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// After the story ends, how long the headless demo waits for the page's last words.
const AFTER_THE_END: Duration = Duration::from_secs(15);

/// A private folder for the demo's config and history, removed when the demo ends: the
/// user's own config and history are never touched.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self, CliError> {
        let dir = std::env::temp_dir().join(format!(
            "outage-radar-demo-{}-{:08x}",
            std::process::id(),
            fastrand::u32(..)
        ));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .recursive(true)
            .create(&dir)
            .map_err(|e| CliError::Demo(format!("cannot create {}: {e}", dir.display())))?;
        Ok(Scratch(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the demo's config and returns the engine options that run on it.
fn prepare(server: &DemoServer, scratch: &Scratch) -> Result<engine::Options, CliError> {
    let config = scratch.path().join("config.toml");
    std::fs::write(&config, demo::config_toml(server))
        .map_err(|e| CliError::Demo(format!("cannot write {}: {e}", config.display())))?;
    Ok(engine::Options {
        config_path: Some(config),
        data_dir: Some(scratch.path().join("data")),
        tolerate_broken_config: false,
    })
}

fn intro(script: &Script) -> String {
    format!(
        "Outage Radar demo: the ChatGPT/API outage replayed in {} s on this machine (no network; \
         your config and history are not touched).\n\
         The API fails at 04:50; its status page says \"investigating\" at 05:12, \"identified\" \
         at 05:43, \"monitoring\" at 07:09 and \"resolved\" at 07:40.",
        script.total().as_secs()
    )
}

/// Runs the demo: the tray app, or with `headless` the engine alone until the story ends.
pub fn run(headless: bool, json: bool) -> Result<(), CliError> {
    let scratch = Scratch::new()?;
    if headless {
        let rt = runtime()?;
        return rt.block_on(headless_demo(&scratch, json));
    }
    run_in_tray(&scratch)
}

#[cfg(feature = "desktop")]
fn run_in_tray(scratch: &Scratch) -> Result<(), CliError> {
    // The replay is served from its own runtime: the tray app owns the main thread.
    let (ready_tx, ready) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server_thread = std::thread::Builder::new()
        .name("demo-server".to_owned())
        .spawn(move || {
            let rt = match runtime() {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            rt.block_on(async move {
                match demo::start(Script::default()).await {
                    Ok(server) => {
                        let config = demo::config_toml(&server);
                        let _ = ready_tx.send(Ok((config, server.script)));
                        let _ = stopped.await;
                        server.shutdown().await;
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(CliError::Demo(e.to_string())));
                    }
                }
            });
        })
        .map_err(|e| CliError::Demo(format!("cannot start the replay: {e}")))?;
    let (config, script) = ready
        .recv()
        .map_err(|_| CliError::Demo("the replay did not start".to_owned()))??;
    let config_path = scratch.path().join("config.toml");
    std::fs::write(&config_path, config)
        .map_err(|e| CliError::Demo(format!("cannot write {}: {e}", config_path.display())))?;
    eprintln!("{}", intro(&script));
    eprintln!("Watch the tray icon and the notifications; quit from the tray menu when done.");
    let options = engine::Options {
        config_path: Some(config_path),
        data_dir: Some(scratch.path().join("data")),
        tolerate_broken_config: false,
    };
    let result = crate::desktop::run(
        &options,
        crate::desktop::Launch {
            show: true,
            demo: true,
        },
    );
    let _ = stop.send(());
    let _ = server_thread.join();
    Ok(result?)
}

#[cfg(not(feature = "desktop"))]
fn run_in_tray(_: &Scratch) -> Result<(), CliError> {
    Err(CliError::Usage(
        "this build has no desktop app; run `outage-radar demo --headless`".to_owned(),
    ))
}

/// What the headless demo saw, for its closing words.
#[derive(Debug, Default)]
struct Seen {
    suspected: bool,
    lead_secs: Option<i64>,
    resolved: bool,
}

async fn headless_demo(scratch: &Scratch, json: bool) -> Result<(), CliError> {
    let server = demo::start(Script::default())
        .await
        .map_err(|e| CliError::Demo(e.to_string()))?;
    let script = server.script;
    let options = prepare(&server, scratch)?;
    let engine::Engine {
        watcher, handle, ..
    } = engine::start(&options)?;
    if !json {
        println!("{}", intro(&script));
    }
    let mut events = handle.events.subscribe();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(watcher.run(async {
        let _ = stopped.await;
    }));
    let mut seen = Seen::default();
    let deadline = tokio::time::Instant::now() + script.total() + AFTER_THE_END;
    loop {
        let next = tokio::time::timeout_at(deadline, events.recv()).await;
        let e = match next {
            Err(_) => break,
            Ok(Err(RecvError::Closed)) => break,
            Ok(Err(RecvError::Lagged(n))) => {
                tracing::warn!(n, "demo printer fell behind");
                continue;
            }
            Ok(Ok(e)) => e,
        };
        note(&mut seen, &e);
        print_event(&server, &e, json)?;
        if seen.resolved && server.finished() {
            break;
        }
    }
    let _ = stop.send(());
    let _ = running.await;
    drop(handle);
    server.shutdown().await;
    finish(&script, &seen, json)
}

fn note(seen: &mut Seen, e: &WatchEvent) {
    match e.event {
        "suspected_outage" => seen.suspected = true,
        "incident_opened" => seen.lead_secs = seen.lead_secs.or(e.lead_secs),
        "incident_resolved" => seen.resolved = true,
        _ => {}
    }
}

fn print_event(server: &DemoServer, e: &WatchEvent, json: bool) -> Result<(), CliError> {
    if json {
        println!("{}", serde_json::to_string(e)?);
        return Ok(());
    }
    let elapsed = server.elapsed();
    let what = e
        .title
        .as_deref()
        .or(e.reason.as_deref())
        .map(|t| format!(": {t}"))
        .unwrap_or_default();
    let lead = e
        .lead_secs
        .map(|l| format!(" (Outage Radar knew {l} s earlier)"))
        .unwrap_or_default();
    println!(
        "{:>5.1} s  [story {}]  {} {}{what}{lead}",
        elapsed.as_secs_f64(),
        server.script.story_clock_at(elapsed),
        e.service,
        e.event,
    );
    Ok(())
}

fn finish(script: &Script, seen: &Seen, json: bool) -> Result<(), CliError> {
    let lead = seen.lead_secs.filter(|l| *l > 0);
    if json {
        let story_lead_secs = lead.map(|l| {
            script
                .to_story(Duration::from_secs(l.unsigned_abs()))
                .as_secs()
        });
        let summary = serde_json::json!({
            "event": "demo_finished",
            "suspected": seen.suspected,
            "lead_secs": lead,
            "story_lead_secs": story_lead_secs,
            "resolved": seen.resolved,
        });
        println!("{summary}");
    } else {
        match lead {
            Some(l) => println!(
                "Outage Radar suspected the outage {} before the status page said a word.",
                script.lead_words(Duration::from_secs(l.unsigned_abs()))
            ),
            None => println!("The status page spoke first this time: no lead was measured."),
        }
    }
    if seen.resolved {
        Ok(())
    } else {
        Err(CliError::Demo(
            "the replay ended before the page said resolved".to_owned(),
        ))
    }
}
