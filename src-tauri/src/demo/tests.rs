//! The demo over real HTTP: its pages through the real Statuspage parser, its API through a real probe, the early rules on top.

use super::script::{PagePhase, Script, StepKind};
use super::*;
use crate::early::probe::{ProbeMethod, ProbeReply, Prober, DEFAULT_PROBE_TIMEOUT};
use crate::early::rules::{
    early_step, page_view, EarlyEvent, EarlyInput, EarlyRules, EarlyState, ProbeResult,
};
use crate::early::witness::RoundWitnesses;
use crate::fetch::{FetchLimits, Fetcher};
use crate::model::{Phase, Snapshot, Status};
use crate::sources::{Bodies, Format};
use crate::test_support::src;

/// An hour-long replay: a story minute lasts about 19 s, so a test that jumps to the middle
/// of a story minute stays there however slowly it runs.
fn hour() -> Script {
    Script::new(Duration::from_secs(3600))
}

/// Replay time of a story clock time, "HH:MM" UTC; the story opens at 04:40 and spans 190 min.
fn story(script: &Script, hh: u32, mm: u32) -> Duration {
    let offset = (hh * 60 + mm) - (4 * 60 + 40);
    script.total() * offset / 190
}

/// Jumps the replay to `hh:mm` (never back).
fn skip_to(server: &DemoServer, hh: u32, mm: u32) {
    let target = story(&server.script, hh, mm);
    let now = server.elapsed();
    if target > now {
        server.skip(target - now);
    }
}

/// The time the page stamps on `kind`'s update (to the millisecond, as it writes them).
fn stamp_of(server: &DemoServer, kind: StepKind) -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    (server.started_wall() + chrono::Duration::from_std(server.script.at(kind)).expect("fits"))
        .trunc_subsecs(3)
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchLimits::default()).expect("fetcher")
}

/// Reads a demo page as the app does: summary plus history, through the real parser.
async fn read(fetcher: &Fetcher, page_url: &str) -> Snapshot {
    let endpoints = Format::Statuspage
        .endpoints(page_url, None)
        .expect("endpoints");
    let main = fetcher.get(&endpoints[0].url).await.expect("summary");
    let history = fetcher.get(&endpoints[1].url).await.expect("incidents");
    Format::Statuspage
        .parse(
            &src("OpenAI (demo)", page_url),
            &Bodies {
                main: &main,
                components: None,
                history: Some(&history),
            },
        )
        .expect("the real parser reads the demo page")
}

async fn probe_status(prober: &Prober, url: &str) -> u16 {
    match prober.probe(url, ProbeMethod::Get).await.expect("valid") {
        ProbeReply::Answered { status, .. } => status,
        other => panic!("no answer: {other:?}"),
    }
}

#[tokio::test]
async fn the_page_tells_the_story_through_the_real_parser() {
    let server = start(hour()).await.expect("start");
    let fetcher = fetcher();
    let prober = Prober::new(&fetcher, DEFAULT_PROBE_TIMEOUT).expect("prober");
    let update_at = |kind| Some(stamp_of(&server, kind));

    skip_to(&server, 4, 45);
    let s = read(&fetcher, &server.page_url).await;
    assert_eq!(s.status, Status::Operational);
    assert!(s.incidents.is_empty(), "{:?}", s.incidents);
    assert!(s.components.iter().all(|c| c.status == Status::Operational));
    assert_eq!(probe_status(&prober, &server.probe_url).await, 401);

    // Failing, and the page does not know yet.
    skip_to(&server, 4, 55);
    assert_eq!(probe_status(&prober, &server.probe_url).await, 503);
    let s = read(&fetcher, &server.page_url).await;
    assert_eq!(s.status, Status::Operational);
    assert_eq!(s.open_incidents().count(), 0);

    skip_to(&server, 5, 20);
    let s = read(&fetcher, &server.page_url).await;
    let open: Vec<_> = s.open_incidents().collect();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].phase, Phase::Investigating);
    assert_eq!(open[0].title, page::INCIDENT_NAME);
    assert_eq!(open[0].components, ["API", "ChatGPT"]);
    assert_eq!(open[0].updates.len(), 1);
    assert_eq!(
        open[0].updates[0].at,
        update_at(StepKind::PageInvestigating)
    );
    assert_eq!(open[0].started_at, update_at(StepKind::PageInvestigating));
    assert_eq!(s.status, Status::MajorOutage);
    let api = s.components.iter().find(|c| c.name == "API").expect("API");
    assert_eq!(api.status, Status::MajorOutage);

    skip_to(&server, 6, 0);
    let s = read(&fetcher, &server.page_url).await;
    let open: Vec<_> = s.open_incidents().collect();
    assert_eq!(open[0].phase, Phase::Identified);
    assert_eq!(open[0].updates.len(), 2, "oldest first");
    assert_eq!(open[0].updates[0].phase, Phase::Investigating);
    assert!(open[0].updates[1].body.contains("implementing a fix"));

    // The API is back before the page moves on.
    skip_to(&server, 7, 7);
    assert_eq!(probe_status(&prober, &server.probe_url).await, 401);
    let s = read(&fetcher, &server.page_url).await;
    assert_eq!(
        s.open_incidents().next().map(|i| i.phase),
        Some(Phase::Identified)
    );

    skip_to(&server, 7, 20);
    let s = read(&fetcher, &server.page_url).await;
    let open: Vec<_> = s.open_incidents().collect();
    assert_eq!(open[0].phase, Phase::Monitoring);
    assert!(open[0].updates[2].body.contains("fix has been applied"));
    // The page says minor, but a major incident is still open: the parser takes the worst.
    assert_eq!(s.status, Status::PartialOutage);
    let api = s.components.iter().find(|c| c.name == "API").expect("API");
    assert_eq!(api.status, Status::Operational);

    skip_to(&server, 7, 45);
    let s = read(&fetcher, &server.page_url).await;
    assert_eq!(s.open_incidents().count(), 0);
    assert_eq!(s.status, Status::Operational);
    let done = s
        .incidents
        .first()
        .expect("the resolved incident, from the history");
    assert_eq!(done.phase, Phase::Resolved);
    assert_eq!(done.resolved_at, update_at(StepKind::PageResolved));
    assert_eq!(done.updates.len(), 4);

    // The witness page is up all along, on another port.
    let witness = read(&fetcher, &server.witness_url).await;
    assert_eq!(witness.status, Status::Operational);
    assert_ne!(server.witness_url, server.page_url);
    server.shutdown().await;
}

#[tokio::test]
async fn the_early_rules_suspect_on_the_demo_and_link_with_the_real_lead() {
    let server = start(hour()).await.expect("start");
    let fetcher = fetcher();
    let prober = Prober::new(&fetcher, DEFAULT_PROBE_TIMEOUT).expect("prober");
    let rules = EarlyRules::default();
    let mut state = EarlyState::default();
    let mut seen_open: Option<chrono::DateTime<chrono::Utc>> = None;
    let mut events = Vec::new();
    // A round every two story minutes, between the story's steps (which fall on whole
    // even minutes), from 04:41 to 05:15.
    for minute in (4 * 60 + 41..=5 * 60 + 15).step_by(2) {
        skip_to(&server, minute / 60, minute % 60);
        let now = server.story_now();
        let reply = prober
            .probe(&server.probe_url, ProbeMethod::Get)
            .await
            .expect("valid");
        let page = read(&fetcher, &server.page_url).await;
        let witness = read(&fetcher, &server.witness_url).await;
        let mut witnesses = RoundWitnesses::default();
        witnesses.note_url(&server.probe_url, reply.answered());
        witnesses.note_url(&page.page_url, true);
        witnesses.note_url(&witness.page_url, true);
        let view = page_view(&page, *seen_open.get_or_insert(now));
        if matches!(view, crate::early::rules::PageView::Quiet) {
            seen_open = None;
        }
        let probes = [ProbeResult {
            url: server.probe_url.clone(),
            reply,
        }];
        let input = EarlyInput {
            probes: &probes,
            witnesses: &witnesses,
            page: view,
        };
        let (next, new) = early_step(&state, input, now, &rules);
        state = next;
        events.extend(new.into_iter().map(|e| (minute, e)));
    }
    let names: Vec<(u32, &str)> = events
        .iter()
        .map(|(m, e)| {
            let name = match e {
                EarlyEvent::Suspected { .. } => "suspected",
                EarlyEvent::Cleared { .. } => "cleared",
                EarlyEvent::Linked { .. } => "linked",
            };
            (*m, name)
        })
        .collect();
    // Failing from 04:51; third failing round 04:55; the page's first update at 05:12,
    // read at 05:13.
    assert_eq!(names, [(4 * 60 + 55, "suspected"), (5 * 60 + 13, "linked")]);
    let EarlyEvent::Suspected { evidence, .. } = &events[0].1 else {
        panic!("{events:?}");
    };
    assert!(
        evidence[0].summary().ends_with("answered 503 three times"),
        "{}",
        evidence[0].summary()
    );
    let EarlyEvent::Linked {
        lead_secs,
        acknowledged_at,
        ..
    } = &events[1].1
    else {
        panic!("{events:?}");
    };
    assert_eq!(
        *acknowledged_at,
        stamp_of(&server, StepKind::PageInvestigating),
        "the page's stamp, not our sight"
    );
    let lead = Duration::from_secs(u64::try_from(*lead_secs).expect("positive"));
    assert!(
        server
            .script
            .lead_words(lead)
            .ends_with("21 min in the real story"),
        "since 04:51, acknowledged 05:12: {}",
        server.script.lead_words(lead)
    );
    server.shutdown().await;
}

#[tokio::test]
async fn head_other_methods_and_unknown_paths() {
    let server = start(hour()).await.expect("start");
    let prober = Prober::new(&fetcher(), DEFAULT_PROBE_TIMEOUT).expect("prober");
    let head = prober
        .probe(&server.probe_url, ProbeMethod::Head)
        .await
        .expect("valid");
    assert!(
        matches!(head, ProbeReply::Answered { status: 401, .. }),
        "{head:?}"
    );
    let missing = format!("{}/nothing-here", server.page_url);
    assert_eq!(probe_status(&prober, &missing).await, 404);
    let probe_on_witness = format!("{}{}", server.witness_url, page::PROBE_PATH);
    assert_eq!(probe_status(&prober, &probe_on_witness).await, 404);
    let client = reqwest::Client::new();
    let post = client
        .post(&server.probe_url)
        .send()
        .await
        .expect("answered");
    assert_eq!(post.status().as_u16(), 405);
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_closes_both_ports() {
    let server = start(hour()).await.expect("start");
    let fetcher = fetcher();
    fetcher
        .get(&format!("{}/api/v2/summary.json", server.witness_url))
        .await
        .expect("served");
    let addrs: Vec<String> = [&server.page_url, &server.witness_url]
        .iter()
        .map(|u| u.trim_start_matches("http://").to_owned())
        .collect();
    server.shutdown().await;
    for addr in addrs {
        let err = tokio::net::TcpStream::connect(&addr)
            .await
            .expect_err("nothing listens after shutdown");
        assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused, "{addr}");
    }
}

#[tokio::test]
async fn the_demo_config_points_at_the_server() {
    let server = start(hour()).await.expect("start");
    let text = config_toml(&server);
    let table: toml::Table = text.parse().expect("TOML");
    let services = table["services"].as_array().expect("services");
    assert_eq!(services.len(), 2);
    assert_eq!(services[0]["name"].as_str(), Some(STORY_SERVICE));
    assert_eq!(services[0]["url"].as_str(), Some(server.page_url.as_str()));
    assert_eq!(
        services[0]["probes"].as_array().map(|p| p[0].as_str()),
        Some(Some(server.probe_url.as_str()))
    );
    assert_eq!(
        services[1]["url"].as_str(),
        Some(server.witness_url.as_str())
    );
    assert_eq!(table["early_warning"]["enabled"].as_bool(), Some(true));

    let config = crate::config::Config::parse(&text, std::path::Path::new("demo.toml"))
        .expect("the config parser reads the demo config");
    assert!(config.early_warning.enabled);
    assert_eq!(
        config.early_warning.rules.interval,
        Duration::from_secs(DEMO_INTERVAL_SECS)
    );
    assert_eq!(
        config.services[0].probes,
        std::slice::from_ref(&server.probe_url)
    );
    assert!(config.services[1].probes.is_empty());
    assert_eq!(
        config.poll_interval,
        Duration::from_secs(DEMO_INTERVAL_SECS)
    );
    let urls: Vec<&str> = config.services.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(
        urls,
        [server.page_url.as_str(), server.witness_url.as_str()]
    );
    assert!(config
        .services
        .iter()
        .all(|s| s.format == Format::Statuspage));
    server.shutdown().await;
}

#[test]
fn the_page_phases_follow_the_script() {
    // The pure rendering at each phase, without a server: the summary lists the incident
    // only while it is open.
    let script = hour();
    let wall = crate::test_support::t(0);
    for (hh, mm, phase, listed) in [
        (4, 45, PagePhase::Operational, 0),
        (5, 20, PagePhase::Investigating, 1),
        (6, 0, PagePhase::Identified, 1),
        (7, 20, PagePhase::Monitoring, 1),
        (7, 45, PagePhase::Resolved, 0),
    ] {
        let elapsed = story(&script, hh, mm);
        assert_eq!(script.state_at(elapsed).page, phase);
        let m = page::Moment {
            script: &script,
            elapsed,
            started_wall: wall,
            page_url: "http://127.0.0.1:1",
        };
        let summary = page::summary(&m);
        assert_eq!(
            summary["incidents"].as_array().map(Vec::len),
            Some(listed),
            "{hh}:{mm}"
        );
    }
}
