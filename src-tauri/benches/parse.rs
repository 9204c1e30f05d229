//! Parse cost per format on the real captured payloads in `../shared/fixtures/`.
//!
//! `cargo bench -p outage-radar --bench parse` (see BENCHMARKS.md). The payloads are read
//! where they are (`OUTAGE_RADAR_FIXTURES` overrides the directory), never copied into the
//! repository; one that is absent is skipped with the reason printed.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use outage_radar::sources::{Bodies, Filter, Format, Source};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

/// One benchmark: a format, its main body and (optionally) its history body.
struct Case {
    format: Format,
    /// Shown as the benchmark's name.
    label: &'static str,
    main: &'static str,
    history: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        format: Format::Statuspage,
        label: "statuspage summary (GitHub, open incident)",
        main: "statuspage/github-summary-2022-11-25.json",
        history: None,
    },
    Case {
        format: Format::Statuspage,
        label: "statuspage summary (GitHub, operational)",
        main: "statuspage/github-summary-2026-07-01-operational.json",
        history: None,
    },
    Case {
        format: Format::Statuspage,
        label: "statuspage summary + incidents.json history",
        main: "statuspage/github-summary-2022-11-25.json",
        history: Some("statuspage/github-incidents-2024-09-17-trimmed.json"),
    },
    Case {
        format: Format::Incidentio,
        label: "incident.io compat summary (OpenAI)",
        main: "incidentio/openai-statuspage-compat-summary-2026-07-09.json",
        history: None,
    },
    Case {
        format: Format::Incidentio,
        label: "incident.io compat summary + proxy incidents history",
        main: "incidentio/openai-statuspage-compat-summary-2026-07-09.json",
        history: Some("incidentio/pleo-proxy-incidents-2026-01-trimmed.json"),
    },
    Case {
        format: Format::Google,
        label: "google cloud incidents.json history",
        main: "gcp/gcp-status-incidents-2022-07-01.json",
        history: None,
    },
    Case {
        format: Format::Aws,
        label: "aws legacy data.json",
        main: "aws/aws-shd-data-json-2022-07.json",
        history: None,
    },
    Case {
        format: Format::Slack,
        label: "slack current",
        main: "slack/slack-api-v2-current-active-2023-09-26.json",
        history: None,
    },
    Case {
        format: Format::Heroku,
        label: "heroku current-status",
        main: "heroku/heroku-api-v4-current-status-maintenance.json",
        history: None,
    },
    Case {
        format: Format::Statusio,
        label: "status.io (Docker, partial)",
        main: "statusio/docker-statusio-public-status-partial.json",
        history: None,
    },
    Case {
        format: Format::Statusio,
        label: "status.io (GitLab, maintenance)",
        main: "statusio/gitlab-statusio-public-status-maintenance.json",
        history: None,
    },
    Case {
        format: Format::Feed,
        label: "atom feed (Claude, Statuspage)",
        main: "atom/claude-statuspage-history-2026-09-03-trimmed.atom",
        history: None,
    },
    Case {
        format: Format::Feed,
        label: "atom feed (OpenAI, incident.io)",
        main: "atom/openai-incidentio-history-2026-09-03-trimmed.atom",
        history: None,
    },
    Case {
        format: Format::Feed,
        label: "rss feed (AWS EC2 Tokyo)",
        main: "rss/aws-shd-ec2-ap-northeast-1-2019-09-07.rss",
        history: None,
    },
];

fn fixtures_dir() -> PathBuf {
    std::env::var_os("OUTAGE_RADAR_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"))
}

/// The payload's bytes, or `None` after printing why it is skipped.
fn read(dir: &std::path::Path, rel: &str) -> Option<Vec<u8>> {
    match std::fs::read(dir.join(rel)) {
        Ok(b) => Some(b),
        Err(e) => {
            println!(
                "SKIP: fixture {rel} not readable in {} ({e})",
                dir.display()
            );
            None
        }
    }
}

fn parse(c: &mut Criterion) {
    let dir = fixtures_dir();
    let filter = Filter::default();
    let mut group = c.benchmark_group("parse");
    for case in CASES {
        let Some(main) = read(&dir, case.main) else {
            continue;
        };
        let history = match case.history {
            Some(rel) => match read(&dir, rel) {
                Some(b) => Some(b),
                None => continue,
            },
            None => None,
        };
        let src = Source {
            service: "Bench",
            page_url: "https://status.example.com",
            filter: &filter,
        };
        let bodies = Bodies {
            main: &main,
            components: None,
            history: history.as_deref(),
        };
        // A payload the parser rejects would time the error path: say so and leave it out.
        let snapshot = match case.format.parse(&src, &bodies) {
            Ok(s) => s,
            Err(e) => {
                println!("SKIP: {} ({}): does not parse: {e}", case.label, case.main);
                continue;
            }
        };
        let bytes = main.len() + history.as_ref().map_or(0, Vec::len);
        println!(
            "payload: {} = {}{} ({:.1} KB = {:.1} KiB; {} components, {} incidents, {} maintenances)",
            case.label,
            case.main,
            case.history.map(|h| format!(" + {h}")).unwrap_or_default(),
            bytes as f64 / 1000.0,
            bytes as f64 / 1024.0,
            snapshot.components.len(),
            snapshot.incidents.len(),
            snapshot.maintenances.len(),
        );
        if bytes > 100 * 1024 {
            // Milliseconds per parse: fewer samples, more time, or criterion cannot finish.
            group.sample_size(20);
            group.measurement_time(Duration::from_secs(10));
        } else {
            group.sample_size(100);
            group.measurement_time(Duration::from_secs(5));
        }
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_with_input(
            BenchmarkId::new(case.format.as_str(), case.label),
            &bodies,
            |b, bodies| b.iter(|| case.format.parse(&src, black_box(bodies))),
        );
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
