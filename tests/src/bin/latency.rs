//! Detection latency harness (BENCHMARKS.md): time from a fake page changing to the
//! notification reaching a D-Bus notification server, at the default interval and while an
//! incident is open (faster polling). Prints `figure:` lines; not part of `cargo test`.
//!
//! `cargo run -p outage-radar-tests --bin bench-latency` (env: LATENCY_SERVICES, default 20;
//! LATENCY_INTERVAL, default 60; OUTAGE_RADAR_BIN for the app binary).

use outage_radar_tests::dbus::{NotificationServer, PrivateBus};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, FakeIncident};
use outage_radar_tests::process::Watcher;
use std::time::{Duration, Instant};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn incident(id: &'static str, status: &'static str) -> FakeIncident {
    FakeIncident {
        id,
        title: "Elevated errors",
        status,
        impact: "major",
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Changes every page once at a random moment within `spread`, then waits for each page's
/// notification titled `"{name} — {suffix}"`; returns the latencies in seconds.
async fn measure(
    server: &FakeServer,
    notes: &NotificationServer,
    n: usize,
    spread: Duration,
    status: &'static str,
    suffix: &str,
) -> Vec<f64> {
    let base = server.url();
    let mut order: Vec<(Duration, usize)> = (0..n)
        .map(|i| (spread.mul_f64(fastrand::f64()), i))
        .collect();
    order.sort();
    let start = Instant::now();
    let mut changed = vec![start; n];
    for (at, i) in order {
        tokio::time::sleep_until((start + at).into()).await;
        let page = format!("{base}/p{i}");
        server.set(
            &format!("/p{i}/api/v2/summary.json"),
            Reply::json(summary(&page, &[incident("inc", status)])),
        );
        changed[i] = Instant::now();
    }
    let deadline = Instant::now() + spread + Duration::from_secs(240);
    let mut latencies = vec![None; n];
    while latencies.iter().any(Option::is_none) && Instant::now() < deadline {
        for r in notes.received() {
            for (i, slot) in latencies.iter_mut().enumerate() {
                if slot.is_none()
                    && r.summary == format!("Svc {i} — {suffix}")
                    && r.at >= changed[i]
                {
                    *slot = Some((r.at - changed[i]).as_secs_f64());
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let missing = latencies.iter().filter(|l| l.is_none()).count();
    if missing > 0 {
        println!("warning: {missing} of {n} notifications did not arrive in time");
    }
    let mut out: Vec<f64> = latencies.into_iter().flatten().collect();
    out.sort_by(f64::total_cmp);
    out
}

fn report(label: &str, l: &[f64]) {
    println!(
        "figure: latency {label}: n={} median={:.1} s p95={:.1} s max={:.1} s",
        l.len(),
        percentile(l, 50.0),
        percentile(l, 95.0),
        l.last().copied().unwrap_or(f64::NAN)
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n = env_or("LATENCY_SERVICES", 20) as usize;
    let interval = env_or("LATENCY_INTERVAL", 60);
    let bus = PrivateBus::start();
    let notes = NotificationServer::start(&bus).await;
    let server = FakeServer::start().await;
    let base = server.url();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = format!("poll_interval_secs = {interval}\n");
    for i in 0..n {
        let page = format!("{base}/p{i}");
        server.set(
            &format!("/p{i}/api/v2/summary.json"),
            Reply::json(summary(&page, &[])),
        );
        config.push_str(&format!(
            "\n[[services]]\nname = \"Svc {i}\"\nurl = \"{page}\"\n"
        ));
    }
    let config_path = dir.path().join("config.toml");
    std::fs::write(&config_path, config).expect("write config");
    let mut w = Watcher::start(&config_path, &dir.path().join("data"), &bus.address);
    for _ in 0..n {
        w.wait_for("baseline", Duration::from_secs(120)).await;
    }
    println!("{n} services at poll_interval_secs = {interval}; changing each page once at a random moment");

    let spread = Duration::from_secs(interval * 2);
    let opened = measure(&server, &notes, n, spread, "investigating", "outage began").await;
    report(&format!("incident opens (interval {interval} s)"), &opened);

    // Every page now has an open incident: they are read at the faster open-incident pace.
    let fast = (interval / 4).max(15).min(interval);
    let moved = measure(
        &server,
        &notes,
        n,
        Duration::from_secs(fast * 2),
        "identified",
        "cause identified",
    )
    .await;
    report(
        &format!("open incident moves on (read every {fast} s)"),
        &moved,
    );
    w.stop().await;
}
