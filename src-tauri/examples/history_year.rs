//! A benchmark harness: years of churn for many services through the real decision and save path, printing how large the history database grows while retention prunes it.
//!
//! `cargo run --release -p outage-radar --example history_year -- [--services 50] [--days 730]`
//!
//! Each service is read four times a simulated day. One day in five an incident opens
//! (one update), is identified (two) and resolved (three) over the day's reads; one day in
//! ten a component breaks and recovers. Every pop-up is marked delivered, the ledger and
//! the history are pruned once a day as the app does, and on day 120 a tenth of the
//! services is removed from the config. Webhooks are not simulated (their rows are kept 7
//! days once done, whatever the year).

use chrono::{DateTime, Duration, Offset, TimeZone, Utc};
use outage_radar::alerts::{self, Delivery};
use outage_radar::config::ServiceConfig;
use outage_radar::decide::{self, Ctx};
use outage_radar::history::History;
use outage_radar::i18n::{Catalog, Lang};
use outage_radar::model::{
    Component, Impact, Incident, IncidentId, IncidentUpdate, Phase, Rules, ServiceId, Snapshot,
    Status,
};
use outage_radar::sources::Format;
use outage_radar::transitions::Observation;
use std::path::Path;

fn arg(name: &str, default: u32) -> u32 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn service(n: u32) -> ServiceConfig {
    let name = format!("Service {n:03}");
    ServiceConfig {
        id: ServiceId::from_name(&name),
        url: format!("https://status{n}.example.com"),
        name,
        format: Format::Statuspage,
        endpoint: None,
        filter: Default::default(),
        enabled: true,
        prefs: Default::default(),
        probes: Vec::new(),
    }
}

/// What the page shows at read `read` (0..4) of `day`.
fn page(
    svc: &ServiceConfig,
    day: u32,
    read: u32,
    at: DateTime<Utc>,
    rng: &mut fastrand::Rng,
) -> Snapshot {
    let mut incidents = Vec::new();
    let mut components = vec![
        Component {
            id: "c1".to_owned(),
            name: "API".to_owned(),
            status: Status::Operational,
        },
        Component {
            id: "c2".to_owned(),
            name: "Web".to_owned(),
            status: Status::Operational,
        },
    ];
    if day % 5 == (svc.id.as_str().len() as u32) % 5 && read < 3 {
        let phases = [Phase::Investigating, Phase::Identified, Phase::Resolved];
        let started = at - Duration::hours(i64::from(read) * 6);
        let updates = (0..=read as usize)
            .map(|i| IncidentUpdate {
                id: format!("u{i}"),
                phase: phases[i],
                body: "We are investigating elevated error rates for some requests to the API. \
                       Some users may see failed or slow responses; more in the next update."
                    .to_owned(),
                at: Some(started + Duration::hours(i as i64 * 6)),
            })
            .collect();
        incidents.push(Incident {
            id: IncidentId(format!("d{day}")),
            title: format!("Elevated errors on day {day}"),
            phase: phases[read as usize],
            impact: if rng.bool() {
                Impact::Major
            } else {
                Impact::Minor
            },
            started_at: Some(started),
            scheduled_for: None,
            updated_at: Some(at),
            resolved_at: (read == 2).then_some(at),
            url: Some(format!("{}/incidents/d{day}", svc.url)),
            components: vec!["API".to_owned()],
            updates,
        });
    }
    if day % 10 == 3 && read == 1 {
        components[1].status = Status::PartialOutage;
    }
    Snapshot {
        service: svc.name.clone(),
        format: outage_radar::model::Format::Statuspage,
        page_url: svc.url.clone(),
        status: Status::Operational,
        page_status: None,
        description: None,
        components,
        incidents,
        maintenances: Vec::new(),
    }
}

fn sizes(dir: &Path) -> (u64, u64) {
    let size = |name: &str| std::fs::metadata(dir.join(name)).map_or(0, |m| m.len());
    (size("history.sqlite3"), size("history.sqlite3-wal"))
}

fn counts(dir: &Path) -> Vec<(&'static str, i64)> {
    let conn = rusqlite::Connection::open(dir.join("history.sqlite3")).expect("open for counts");
    [
        "service",
        "incident",
        "incident_update",
        "suspicion",
        "outbox",
        "announced",
    ]
    .into_iter()
    .map(|t| {
        let n = conn
            .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .unwrap_or(-1);
        (t, n)
    })
    .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let services_n = arg("--services", 50);
    let days = arg("--days", 730);
    let dir = tempfile::tempdir()?;
    let mut history = History::open(dir.path())?;
    let mut services: Vec<ServiceConfig> = (0..services_n).map(service).collect();
    let catalog = Catalog::get(Lang::ENGLISH);
    let rules = Rules::default();
    let mut rng = fastrand::Rng::with_seed(2026);
    let start = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .ok_or("start")?;
    let began = std::time::Instant::now();
    let mut saves = 0u64;
    println!("services={services_n} days={days}");
    println!("day\tdb_bytes\twal_bytes\trows");
    for day in 0..days {
        if day == 120 {
            let keep = services.len() - services.len() / 10;
            services.truncate(keep);
        }
        for read in 0..4 {
            let now = start + Duration::days(i64::from(day)) + Duration::hours(i64::from(read) * 6);
            let ctx = Ctx {
                now,
                offset: Utc.fix(),
                catalog,
                delivery: Delivery::Now,
                webhooks: &[],
                reminder: None,
            };
            for svc in &services {
                let snap = page(svc, day, read, now, &mut rng);
                let prev = history.load_state(&svc.id)?;
                let outcome = decide::page(
                    &prev,
                    svc,
                    Observation::Read(&snap),
                    false,
                    &rules,
                    &ctx,
                    |k| history.is_announced(k),
                    &mut rng,
                );
                if let Some(p) = history.save(svc, Some(&snap), &outcome, now)? {
                    history.mark_delivery(p.outbox_id, now, None, 3)?;
                }
                saves += 1;
            }
        }
        let now = start + Duration::days(i64::from(day) + 1);
        for svc in &services {
            let state = history.load_state(&svc.id)?;
            history.prune_ledger(
                &svc.id,
                &alerts::live_stories(&state),
                now - Duration::days(30),
            )?;
        }
        let watched: Vec<ServiceId> = services.iter().map(|s| s.id.clone()).collect();
        history.prune_history(&watched, now)?;
        history.prune_webhooks(now - Duration::days(7))?;
        if [30, 90, 180, 365, 400, 500, 730].contains(&(day + 1)) || day + 1 == days {
            let (db, wal) = sizes(dir.path());
            let rows: Vec<String> = counts(dir.path())
                .into_iter()
                .map(|(t, n)| format!("{t}={n}"))
                .collect();
            println!("{}\t{db}\t{wal}\t{}", day + 1, rows.join(" "));
        }
    }
    println!("{saves} saves in {:.1} s", began.elapsed().as_secs_f64());
    Ok(())
}
