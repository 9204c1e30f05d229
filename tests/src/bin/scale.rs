//! Engine at scale: N fake Statuspage pages on 127.0.0.1, one `outage-radar watch --headless
//! --json` watching all of them, measured from /proc and at the fake server.
//!
//! ```text
//! cargo build --release -p outage-radar -p outage-radar-tests
//! target/release/bench-scale [--services N] [--minutes M] [--mode both|etag|plain]
//!                            [--poll SECS] [--bin PATH]
//! ```
//!
//! Defaults: 1000 services, 3 minutes per run, both runs (the server sending `ETag`, so the
//! app's conditional requests get 304s, and not), a 60 s poll interval, and the
//! `outage-radar` binary beside this one (`OUTAGE_RADAR_BIN` or `--bin` override).
//! Also from the environment: `OUTAGE_RADAR_SCALE_SERVICES`, `OUTAGE_RADAR_SCALE_MINUTES`.
//!
//! Prints one `figure:` line per figure. Not a test: nothing here passes or fails on a number.

use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::summary_with;
use outage_radar_tests::write_config;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: bench-scale [--services N] [--minutes M] [--mode both|etag|plain] \
                     [--poll SECS] [--bin PATH]";

/// A quiet gap this long between requests separates two poll cycles.
const CYCLE_GAP: Duration = Duration::from_secs(10);
const SAMPLE_EVERY: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Etag,
    Plain,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Etag => "etag",
            Mode::Plain => "no-etag",
        }
    }
}

#[derive(Debug)]
struct Options {
    services: usize,
    minutes: f64,
    poll_secs: u64,
    modes: Vec<Mode>,
    bin: PathBuf,
}

fn options() -> Options {
    let env_num = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let mut services = env_num("OUTAGE_RADAR_SCALE_SERVICES")
        .map(|v| {
            v.parse()
                .expect("OUTAGE_RADAR_SCALE_SERVICES must be a count")
        })
        .unwrap_or(1000);
    let mut minutes = env_num("OUTAGE_RADAR_SCALE_MINUTES")
        .map(|v| {
            v.parse()
                .expect("OUTAGE_RADAR_SCALE_MINUTES must be a number")
        })
        .unwrap_or(3.0);
    let mut poll_secs = 60;
    let mut modes = vec![Mode::Etag, Mode::Plain];
    let mut bin = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| panic!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--services" | "-n" => {
                services = value().parse().expect("--services must be a count");
            }
            "--minutes" | "-m" => minutes = value().parse().expect("--minutes must be a number"),
            "--poll" => poll_secs = value().parse().expect("--poll must be seconds"),
            "--bin" => bin = Some(PathBuf::from(value())),
            "--mode" => {
                modes = match value().as_str() {
                    "both" => vec![Mode::Etag, Mode::Plain],
                    "etag" => vec![Mode::Etag],
                    "plain" | "no-etag" => vec![Mode::Plain],
                    other => panic!("unknown mode {other:?}\n{USAGE}"),
                }
            }
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => panic!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    assert!(services > 0, "--services must be at least 1");
    assert!(minutes > 0.0, "--minutes must be positive");
    Options {
        services,
        minutes,
        poll_secs,
        modes,
        bin: bin.unwrap_or_else(app_binary),
    }
}

/// `OUTAGE_RADAR_BIN`, else the `outage-radar` built beside this harness.
fn app_binary() -> PathBuf {
    if std::env::var_os("OUTAGE_RADAR_BIN").is_some() {
        return outage_radar_tests::app_binary();
    }
    let exe = std::env::current_exe().expect("the harness's own path");
    let bin = exe.with_file_name("outage-radar");
    assert!(
        bin.is_file(),
        "{} not built: run `cargo build --release -p outage-radar` (or set OUTAGE_RADAR_BIN / --bin)",
        bin.display()
    );
    bin
}

const COMPONENTS: [&str; 14] = [
    "API Requests",
    "Git Operations",
    "Webhooks",
    "Issues",
    "Pull Requests",
    "Actions",
    "Packages",
    "Pages",
    "Codespaces",
    "Copilot",
    "Dashboard",
    "Search",
    "Notifications",
    "Authentication",
];

/// A Statuspage summary shaped like a real operational one (every component with the fields
/// real pages send), built on [`summary_with`]: 14 components, no incident, about 6 KB.
fn page_summary(page: &str, n: usize) -> Vec<u8> {
    let components: Vec<(&str, &str)> = COMPONENTS.iter().map(|c| (*c, "operational")).collect();
    let raw = summary_with(page, &[], &components);
    let mut v: Value = serde_json::from_slice(&raw).expect("summary_with gives JSON");
    let page_id = format!("pg{n:06}scale");
    v["page"]["id"] = json!(page_id);
    v["page"]["name"] = json!(format!("Scale {n:04}"));
    v["status"]["description"] = json!("All Systems Operational");
    if let Some(list) = v["components"].as_array_mut() {
        for (i, c) in list.iter_mut().enumerate() {
            let name = c["name"].as_str().unwrap_or("Component").to_owned();
            c["id"] = json!(format!("{n:06}k{i:02}x8l4y"));
            c["description"] = json!(format!(
                "{name}: requests to and responses from the {name} service, as seen from our \
                 edge in every region."
            ));
            c["created_at"] = json!("2017-01-31T20:01:46.621Z");
            c["updated_at"] = json!("2026-11-20T08:14:03.112Z");
            c["position"] = json!(i + 1);
            c["showcase"] = json!(true);
            c["start_date"] = Value::Null;
            c["group_id"] = Value::Null;
            c["page_id"] = json!(page_id);
            c["only_show_if_degraded"] = json!(false);
        }
    }
    serde_json::to_vec(&v).expect("serializes")
}

/// A small `incidents.json`: one incident resolved last month, three updates.
fn page_incidents(page: &str, n: usize) -> Vec<u8> {
    let id = format!("inc{n:06}old");
    let update = |status: &str, at: &str, body: &str| {
        json!({
            "id": format!("{id}-{status}"),
            "status": status,
            "body": body,
            "created_at": at,
            "display_at": at,
            "updated_at": at,
            "affected_components": [{"code": format!("{n:06}k00x8l4y"), "name": "API Requests",
                                     "old_status": "operational", "new_status": "degraded_performance"}]
        })
    };
    serde_json::to_vec(&json!({
        "page": {"id": format!("pg{n:06}scale"), "name": format!("Scale {n:04}"), "url": page,
                 "time_zone": "Etc/UTC", "updated_at": "2026-11-20T08:14:03.112Z"},
        "incidents": [{
            "id": id,
            "name": "Elevated error rates on API requests",
            "status": "resolved",
            "impact": "minor",
            "created_at": "2026-10-14T09:02:00.000Z",
            "updated_at": "2026-10-14T10:31:00.000Z",
            "started_at": "2026-10-14T09:02:00.000Z",
            "resolved_at": "2026-10-14T10:31:00.000Z",
            "shortlink": format!("{page}/incidents/{id}"),
            "components": [{"id": format!("{n:06}k00x8l4y"), "name": "API Requests",
                            "status": "operational"}],
            "incident_updates": [
                update("resolved", "2026-10-14T10:31:00.000Z", "This incident has been resolved."),
                update("monitoring", "2026-10-14T09:48:00.000Z",
                       "A fix has been implemented and we are monitoring the results."),
                update("investigating", "2026-10-14T09:02:00.000Z",
                       "We are investigating elevated error rates on API requests."),
            ]
        }]
    }))
    .expect("serializes")
}

/// utime + stime of `pid` in clock ticks, from /proc/PID/stat.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields count from the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state); utime and stime are fields 14 and 15.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// A `VmXXX:` line of /proc/PID/status, in KiB.
fn status_kib(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn clock_ticks_per_sec() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

#[derive(Debug, Clone, Copy)]
struct Sample {
    at: Duration,
    ticks: u64,
    hits: usize,
    bytes: u64,
}

/// Kills the watcher if the harness stops early.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn figure(mode: Mode, name: &str, value: impl std::fmt::Display) {
    println!("figure: [{}] {name}: {value}", mode.name());
}

async fn run(opts: &Options, mode: Mode, hz: f64) {
    let n = opts.services;
    let server = FakeServer::start().await;
    let base = server.url();
    let mut pages = Vec::with_capacity(n);
    let (mut summary_bytes, mut incidents_bytes) = (0, 0);
    for i in 0..n {
        let page = format!("{base}/s{i}");
        let summary = page_summary(&page, i);
        let incidents = page_incidents(&page, i);
        summary_bytes += summary.len();
        incidents_bytes += incidents.len();
        let (mut s, mut h) = (Reply::json(summary), Reply::json(incidents));
        if mode == Mode::Etag {
            s = s.header("ETag", &format!("\"s{i}-summary-v1\""));
            h = h.header("ETag", &format!("\"s{i}-incidents-v1\""));
        }
        server.set(&format!("/s{i}/api/v2/summary.json"), s);
        server.set(&format!("/s{i}/api/v2/incidents.json"), h);
        pages.push((format!("Scale {i:04}"), page));
    }
    let dir = tempfile::tempdir().expect("a temp dir for config and data");
    let services: Vec<(&str, &str, &str)> = pages
        .iter()
        .map(|(name, url)| (name.as_str(), url.as_str(), ""))
        .collect();
    let config = write_config(dir.path(), opts.poll_secs, "", &services);
    let data = dir.path().join("data");
    let log_path = dir.path().join("watch.log");
    let log = std::fs::File::create(&log_path).expect("create the watcher's log file");

    figure(mode, "services", n);
    figure(mode, "poll interval", format!("{} s", opts.poll_secs));
    figure(
        mode,
        "summary.json size",
        format!("{:.1} KB", summary_bytes as f64 / n as f64 / 1000.0),
    );
    figure(
        mode,
        "incidents.json size",
        format!("{:.1} KB", incidents_bytes as f64 / n as f64 / 1000.0),
    );

    let started = Instant::now();
    let mut child = Command::new(&opts.bin)
        .args(["watch", "--headless", "--json", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        // No session bus: nothing here should notify, and nothing must reach a real desktop.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/outage-radar-bench",
        )
        .env_remove("OUTAGE_RADAR_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", opts.bin.display()));
    let pid = child.id();
    let events = Arc::new(AtomicUsize::new(0));
    let stdout = child.stdout.take().expect("piped stdout");
    let counter = Arc::clone(&events);
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if line.is_err() {
                break;
            }
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
    let mut guard = Guard(child);

    let run_for = Duration::from_secs_f64(opts.minutes * 60.0);
    let mut samples = Vec::new();
    let mut hwm = 0;
    while started.elapsed() < run_for {
        if let Ok(Some(status)) = guard.0.try_wait() {
            panic!(
                "the watcher exited early ({status}); its log: {}",
                log_path.display()
            );
        }
        if let Some(ticks) = cpu_ticks(pid) {
            samples.push(Sample {
                at: started.elapsed(),
                ticks,
                hits: server.total_hits(),
                bytes: server.bytes_sent(),
            });
        }
        hwm = hwm.max(status_kib(pid, "VmHWM:").unwrap_or(0));
        tokio::time::sleep(SAMPLE_EVERY).await;
    }
    let rss_end = status_kib(pid, "VmRSS:").unwrap_or(0);
    let anon_end = status_kib(pid, "RssAnon:").unwrap_or(0);
    let file_end = status_kib(pid, "RssFile:").unwrap_or(0);
    hwm = hwm.max(status_kib(pid, "VmHWM:").unwrap_or(0));
    let harness_ticks = cpu_ticks(std::process::id()).unwrap_or(0);
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = guard.0.try_wait() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let Some(last) = samples.last().copied() else {
        panic!("no sample of the watcher was taken");
    };

    let secs = |ticks: u64| ticks as f64 / hz;
    let per_hour = |v: f64, over: Duration| v * 3600.0 / over.as_secs_f64();
    figure(
        mode,
        "run length",
        format!("{:.0} s", last.at.as_secs_f64()),
    );
    figure(
        mode,
        "whole run: CPU",
        format!(
            "{:.2} s ({:.2} % of one core on average; {:.0} s per hour if it went on like this)",
            secs(last.ticks),
            100.0 * secs(last.ticks) / last.at.as_secs_f64(),
            per_hour(secs(last.ticks), last.at)
        ),
    );
    figure(
        mode,
        "whole run: requests",
        format!("{} ({} answered 304)", last.hits, server.not_modified()),
    );
    figure(
        mode,
        "whole run: response bytes",
        format!("{:.2} MB", last.bytes as f64 / 1e6),
    );

    // Poll cycles: a burst of requests after a quiet gap. The steady state runs from the
    // start of the second cycle (after the first read and its baseline) to the start of the
    // last one seen, whole cycles only; without three starts, from the end of the first
    // cycle to the end of the run.
    let mut starts = Vec::new();
    let mut first_burst_end = None;
    let mut last_change: Option<Duration> = None;
    let mut prev_hits = 0;
    for s in &samples {
        if s.hits != prev_hits {
            if last_change.is_none_or(|c| s.at.saturating_sub(c) >= CYCLE_GAP) {
                if starts.len() == 1 {
                    first_burst_end = last_change;
                }
                starts.push(s.at);
            }
            last_change = Some(s.at);
            prev_hits = s.hits;
        }
    }
    if starts.len() == 1 && last.at.saturating_sub(last_change.unwrap_or(last.at)) >= CYCLE_GAP {
        first_burst_end = last_change;
    }
    let window = if starts.len() >= 3 {
        Some((
            starts[1],
            starts[starts.len() - 1],
            "2nd to last cycle start",
        ))
    } else {
        // `at` below takes the sample before a time: nudge so these samples are included.
        let nudge = Duration::from_millis(1);
        first_burst_end.map(|t| (t + nudge, last.at + nudge, "end of 1st cycle to end of run"))
    };
    figure(
        mode,
        "poll cycles started",
        format!(
            "{} (at {})",
            starts.len(),
            starts
                .iter()
                .map(|t| format!("{:.0} s", t.as_secs_f64()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    let at = |t: Duration| {
        // The last sample taken before `t` (cycle starts are sample times).
        samples
            .iter()
            .rev()
            .find(|s| s.at < t)
            .copied()
            .unwrap_or(samples[0])
    };
    match window {
        Some((from, to, how)) if to > from => {
            let (a, b) = (at(from), at(to));
            let span = b.at - a.at;
            let cpu = secs(b.ticks - a.ticks);
            figure(
                mode,
                "steady window",
                format!("{:.0} s ({how})", span.as_secs_f64()),
            );
            figure(
                mode,
                "steady: CPU per hour",
                format!("{:.1} s", per_hour(cpu, span)),
            );
            figure(
                mode,
                "steady: CPU % of one core",
                format!("{:.2} %", 100.0 * cpu / span.as_secs_f64()),
            );
            let req_h = per_hour((b.hits - a.hits) as f64, span);
            let bytes_h = per_hour((b.bytes - a.bytes) as f64, span);
            figure(
                mode,
                "steady: requests per hour",
                format!("{req_h:.0} (summary.json only; incidents.json is read hourly)"),
            );
            figure(
                mode,
                "steady: response MB per hour",
                format!("{:.1} MB", bytes_h / 1e6),
            );
            // The hourly history re-read: one more request per service, 304 or full.
            let history_bytes = if mode == Mode::Etag {
                // 304: status line and headers only (as measured per request this run).
                let per_req = if b.hits > a.hits {
                    (b.bytes - a.bytes) as f64 / (b.hits - a.hits) as f64
                } else {
                    0.0
                };
                per_req * n as f64
            } else {
                incidents_bytes as f64
            };
            figure(
                mode,
                "per hour incl. hourly incidents.json",
                format!(
                    "{:.0} requests, {:.1} MB (estimated: + {n} requests, + {:.2} MB)",
                    req_h + n as f64,
                    (bytes_h + history_bytes) / 1e6,
                    history_bytes / 1e6
                ),
            );
        }
        _ => figure(
            mode,
            "steady state",
            "not reached: run longer (--minutes) so that a second poll cycle completes",
        ),
    }
    figure(
        mode,
        "peak RSS (VmHWM)",
        format!("{:.1} MiB", hwm as f64 / 1024.0),
    );
    figure(
        mode,
        "RSS at end",
        format!(
            "{:.1} MiB (anon {:.1} MiB, file-backed {:.1} MiB)",
            rss_end as f64 / 1024.0,
            anon_end as f64 / 1024.0,
            file_end as f64 / 1024.0
        ),
    );
    figure(mode, "events printed", events.load(Ordering::Relaxed));
    figure(
        mode,
        "harness + fake server CPU so far (not the app)",
        format!("{:.2} s", secs(harness_ticks)),
    );
    let log_lines = std::fs::read_to_string(&log_path)
        .map(|s| s.lines().count())
        .unwrap_or(0);
    figure(mode, "watcher log lines (stderr)", log_lines);
    drop(guard);
    drop(dir);
}

fn main() {
    let opts = options();
    let hz = clock_ticks_per_sec();
    println!(
        "bench-scale: {} services, {} min per run, poll {} s, binary {}, {} clock ticks/s",
        opts.services,
        opts.minutes,
        opts.poll_secs,
        opts.bin.display(),
        hz
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime for the fake server");
    rt.block_on(async {
        for mode in &opts.modes {
            run(&opts, *mode, hz).await;
        }
    });
}
