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

/// Words for people, in the language in force.
fn say(id: &str, args: &[(&str, crate::i18n::Arg<'_>)]) -> String {
    crate::i18n::current().t(id, args)
}

/// "cannot write /tmp/…/config.toml: …", in the language in force.
fn path_error(id: &str, path: &Path, error: &std::io::Error) -> String {
    say(
        id,
        &[
            ("path", path.display().to_string().into()),
            ("error", error.to_string().into()),
        ],
    )
}

/// A private folder for the demo's config and history, removed when the demo ends unless
/// the user asked to keep it (`--keep DIR`, for `report` to read): the user's own config and
/// history are never touched.
struct Scratch {
    dir: PathBuf,
    keep: bool,
}

impl Scratch {
    fn new(keep: Option<&Path>) -> Result<Self, CliError> {
        let dir = match keep {
            Some(dir) => dir.to_path_buf(),
            None => std::env::temp_dir().join(format!(
                "outage-radar-demo-{}-{:08x}",
                std::process::id(),
                fastrand::u32(..)
            )),
        };
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .recursive(true)
            .create(&dir)
            .map_err(|e| CliError::Demo(path_error("error-demo-create", &dir, &e)))?;
        Ok(Scratch {
            dir,
            keep: keep.is_some(),
        })
    }

    fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes the demo's config and returns the engine options that run on it.
fn prepare(server: &DemoServer, scratch: &Scratch) -> Result<engine::Options, CliError> {
    let config = scratch.path().join("config.toml");
    std::fs::write(&config, demo::config_toml(server))
        .map_err(|e| CliError::Demo(path_error("error-demo-write", &config, &e)))?;
    Ok(engine::Options {
        config_path: Some(config),
        data_dir: Some(scratch.path().join("data")),
        tolerate_broken_config: false,
    })
}

fn intro(script: &Script) -> String {
    crate::i18n::current().t(
        "cli-demo-intro",
        &[("secs", script.total().as_secs().to_string().into())],
    )
}

/// Runs the demo: the tray app, or with `headless` the engine alone until the story ends.
pub fn run(headless: bool, json: bool, keep: Option<&Path>) -> Result<(), CliError> {
    let scratch = Scratch::new(keep)?;
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
        .map_err(|e| CliError::Demo(say("error-demo-start", &[("error", e.to_string().into())])))?;
    let (config, script) = ready
        .recv()
        .map_err(|_| CliError::Demo(say("error-demo-not-started", &[])))??;
    let config_path = scratch.path().join("config.toml");
    std::fs::write(&config_path, config)
        .map_err(|e| CliError::Demo(path_error("error-demo-write", &config_path, &e)))?;
    eprintln!("{}", intro(&script));
    eprintln!("{}", crate::i18n::current().t("cli-demo-watch-tray", &[]));
    let options = engine::Options {
        config_path: Some(config_path),
        data_dir: Some(scratch.path().join("data")),
        tolerate_broken_config: false,
    };
    let result = crate::desktop::run(&options, crate::desktop::Start::Demo);
    let _ = stop.send(());
    let _ = server_thread.join();
    Ok(result?)
}

#[cfg(not(feature = "desktop"))]
fn run_in_tray(_: &Scratch) -> Result<(), CliError> {
    Err(CliError::Usage(say("error-demo-no-desktop", &[])))
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
    match e {
        WatchEvent::OutageSuspected { .. } => seen.suspected = true,
        WatchEvent::IncidentOpened { lead_secs, .. } => {
            seen.lead_secs = seen.lead_secs.or(*lead_secs)
        }
        WatchEvent::IncidentResolved { .. } => seen.resolved = true,
        _ => {}
    }
}

fn print_event(server: &DemoServer, e: &WatchEvent, json: bool) -> Result<(), CliError> {
    if json {
        println!("{}", serde_json::to_string(e)?);
        return Ok(());
    }
    let cat = crate::i18n::current();
    let elapsed = server.elapsed();

    let lead = e
        .lead_secs()
        .map(|l| {
            let secs = l.to_string();
            format!(
                " {}",
                cat.t("cli-demo-event-lead", &[("secs", secs.into())])
            )
        })
        .unwrap_or_default();
    let event = cat.t(&format!("event-{}", e.name().replace('_', "-")), &[]);
    let story = cat.t(
        "cli-demo-story-clock",
        &[("time", server.script.story_clock_at(elapsed).into())],
    );
    let mut args = vec![
        ("service", e.about().service.as_str().into()),
        ("event", event.into()),
    ];
    // The reason is the event's own (English, as `--json` has it): the page's or the
    // probes' words, not ours.
    let line = match e.title().or(e.reason()) {
        Some(what) => {
            args.push(("title", what.into()));
            cat.t("cli-demo-line-title", &args)
        }
        None => cat.t("cli-demo-line", &args),
    };
    println!("{:>5.1} s  [{story}]  {line}{lead}", elapsed.as_secs_f64());
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
        let cat = crate::i18n::current();
        match lead {
            Some(l) => {
                let words = script.lead_words_in(cat, Duration::from_secs(l.unsigned_abs()));
                println!(
                    "{}",
                    cat.t("cli-demo-finish-lead", &[("lead", words.into())])
                );
            }
            None => println!("{}", cat.t("cli-demo-finish-no-lead", &[])),
        }
    }
    if seen.resolved {
        Ok(())
    } else {
        Err(CliError::Demo(say("error-demo-unresolved", &[])))
    }
}
