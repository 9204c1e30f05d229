//! Prometheus metrics for `watch --metrics`: the overview in the text exposition format, served over HTTP on loopback.

// The exposition format is `prometheus-client`'s (escaping, TYPE/HELP lines); each scrape
// builds a fresh registry from the overview of that moment, so nothing here keeps state
// that could drift from what the tray shows. The server is the crate's small GET responder.

use crate::httpd::{Handler, Reply, Server};
use crate::model::Impact;
use crate::watcher::{Health, Overview};
use chrono::{DateTime, Utc};
use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// The port the OpenTelemetry/Prometheus exporters conventionally use.
pub const DEFAULT_PORT: u16 = 9464;
pub const PATH: &str = "/metrics";
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

/// Scrapes answered at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 16;

/// Every state a service can be in, for the state set (each has a series, 0 or 1).
const STATES: [Health; 9] = [
    Health::Unknown,
    Health::Operational,
    Health::Maintenance,
    Health::Degraded,
    Health::PartialOutage,
    Health::MajorOutage,
    Health::Unreachable,
    Health::Stale,
    Health::ChangedFormat,
];

const IMPACTS: [Impact; 5] = [
    Impact::None,
    Impact::Maintenance,
    Impact::Minor,
    Impact::Major,
    Impact::Critical,
];

/// One probe's latest latency (early warning): rendered as
/// `outage_radar_probe_latency_seconds{service}`; see [`probe_samples`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeSample {
    pub service: String,
    pub latency: Duration,
}

/// Each probed service's latest round as the overview shows it (its slowest answer); a
/// round in which nothing answered has no latency, and gives no sample.
pub fn probe_samples(overview: &Overview) -> Vec<ProbeSample> {
    overview
        .services
        .iter()
        .filter_map(|s| {
            let ms = s.probe.as_ref()?.strip.last()?.ms?;
            Some(ProbeSample {
                service: s.name.clone(),
                latency: Duration::from_millis(u64::from(ms)),
            })
        })
        .collect()
}

type Labels = Vec<(&'static str, String)>;
type FloatGauge = Gauge<f64, AtomicU64>;

fn family<M: Default + Clone + std::fmt::Debug + Send + Sync + 'static>(
    registry: &mut Registry,
    name: &str,
    help: &str,
) -> Family<Labels, M>
where
    Family<Labels, M>: prometheus_client::encoding::EncodeMetric,
{
    let f = Family::<Labels, M>::default();
    registry.register(name, help, f.clone());
    f
}

/// The overview at `now` in the Prometheus text format (version 0.0.4).
pub fn render(overview: &Overview, probes: &[ProbeSample], now: DateTime<Utc>) -> String {
    let mut r = Registry::default();
    let build = family::<Gauge>(
        &mut r,
        "outage_radar_build_info",
        "Always 1; the version as a label",
    );
    build
        .get_or_create(&vec![("version", env!("CARGO_PKG_VERSION").to_owned())])
        .set(1);
    let state = family::<Gauge>(
        &mut r,
        "outage_radar_service_state",
        "1 for the state a service is in as far as Outage Radar can tell, 0 for the others",
    );
    let readable = family::<Gauge>(
        &mut r,
        "outage_radar_service_readable",
        "1 when the service's status page was read at the last try, 0 when it could not be",
    );
    let open = family::<Gauge>(
        &mut r,
        "outage_radar_open_incidents",
        "Open incidents of a service by the impact its page gives them",
    );
    let since_ok = family::<FloatGauge>(
        &mut r,
        "outage_radar_seconds_since_last_good_read",
        "Seconds since the service's status page was last read successfully",
    );
    let probe = family::<FloatGauge>(
        &mut r,
        "outage_radar_probe_latency_seconds",
        "Latency of the latest early-warning probe of the service's own endpoint",
    );
    let offline = Gauge::<i64>::default();
    r.register(
        "outage_radar_offline",
        "1 when no status page at all could be read (this machine's network)",
        offline.clone(),
    );
    offline.set(i64::from(overview.offline));
    if let Some(at) = overview.checked_at {
        let checked = FloatGauge::default();
        r.register(
            "outage_radar_last_check_timestamp_seconds",
            "Unix time of the last round of reads",
            checked.clone(),
        );
        checked.set(at.timestamp_millis() as f64 / 1000.0);
    }

    for s in &overview.services {
        let name = || s.name.clone();
        for h in STATES {
            state
                .get_or_create(&vec![
                    ("service", name()),
                    ("state", Health::as_str(h).to_owned()),
                ])
                .set(i64::from(s.state == h));
        }
        readable
            .get_or_create(&vec![("service", name())])
            .set(i64::from(
                !s.state.is_failing() && s.state != Health::Unknown,
            ));
        for impact in IMPACTS {
            // The rows are listed open first, so every open incident is among them while
            // fewer than the overview's limit are open.
            let count = overview
                .incidents
                .iter()
                .filter(|i| {
                    i.open
                        && i.kind == crate::model::Kind::Incident
                        && i.service_id == s.id
                        && i.impact == impact
                })
                .count();
            open.get_or_create(&vec![
                ("service", name()),
                ("impact", impact.as_str().to_owned()),
            ])
            .set(i64::try_from(count).unwrap_or(i64::MAX));
        }
        if let Some(ok) = s.last_ok_at {
            let secs = (now - ok).num_milliseconds().max(0) as f64 / 1000.0;
            since_ok.get_or_create(&vec![("service", name())]).set(secs);
        }
    }
    for p in probes {
        probe
            .get_or_create(&vec![("service", p.service.clone())])
            .set(p.latency.as_secs_f64());
    }
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = prometheus_text::encode(&mut out, &r);
    out
}

#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("{0:?} is not an address to listen on (like 127.0.0.1:9464, [::1]:9464 or just 9464)")]
    Address(String),
    #[error(
        "{0} is not a loopback address: metrics would be open to the network; \
         listen on 127.0.0.1 and let a reverse proxy or SSH tunnel reach it, or pass --metrics-allow-remote"
    )]
    NotLoopback(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Reads `--metrics`' value: `HOST:PORT` (`localhost` is 127.0.0.1), or a port alone on
/// 127.0.0.1.
pub fn parse_listen(raw: &str) -> Result<SocketAddr, MetricsError> {
    let s = raw.trim();
    if let Ok(port) = s.parse::<u16>() {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    if let Some(port) = s.strip_prefix("localhost:") {
        let port = port
            .parse::<u16>()
            .map_err(|_| MetricsError::Address(raw.to_owned()))?;
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    s.parse().map_err(|_| MetricsError::Address(raw.to_owned()))
}

/// Refuses a non-loopback `addr` unless `allow_non_loopback`: the page names the services a
/// team depends on, which is nobody else's business.
pub fn check_listen(addr: SocketAddr, allow_non_loopback: bool) -> Result<(), MetricsError> {
    if addr.ip().is_loopback() || allow_non_loopback {
        Ok(())
    } else {
        Err(MetricsError::NotLoopback(addr))
    }
}

/// The metrics server, serving until dropped or shut down.
pub type MetricsServer = Server;

/// Answers scrapes from the latest overview.
struct Scrapes {
    overview: watch::Receiver<Overview>,
}

impl Handler for Scrapes {
    fn get(&self, path: &str) -> Reply {
        match path {
            PATH => {
                // Rendered from a borrow: the watcher is never held up by a slow scraper.
                let overview = self.overview.borrow();
                let probes = probe_samples(&overview);
                Reply::new(200, CONTENT_TYPE, render(&overview, &probes, Utc::now()))
            }
            "/" => Reply::text(200, &format!("Outage Radar: metrics are at {PATH}\n")),
            _ => Reply::text(404, "not found\n"),
        }
    }
}

/// Listens on `addr` and answers `GET /metrics` from the latest overview; see
/// [`check_listen`] for which addresses.
pub async fn serve(
    addr: SocketAddr,
    allow_non_loopback: bool,
    overview: watch::Receiver<Overview>,
) -> Result<MetricsServer, MetricsError> {
    check_listen(addr, allow_non_loopback)?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| MetricsError::Bind { addr, source })?;
    let server = Server::start(listener, Arc::new(Scrapes { overview }), MAX_CONNECTIONS)
        .map_err(|source| MetricsError::Bind { addr, source })?;
    let bound = server.addr;
    tracing::info!(addr = %bound, "serving Prometheus metrics on http://{bound}{PATH}");
    Ok(server)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::IncidentRow;
    use crate::model::{Kind, Phase};
    use crate::test_support::now;
    use crate::watcher::ServiceView;
    use std::collections::HashMap;

    fn view(name: &str, state: Health, last_ok_secs_ago: Option<i64>) -> ServiceView {
        ServiceView {
            id: crate::model::ServiceId::from_name(name).as_str().to_owned(),
            name: name.to_owned(),
            url: format!("https://status.{}.example", name.to_lowercase()),
            format: crate::model::Format::Statuspage,
            state,
            description: None,
            error: None,
            last_ok_at: last_ok_secs_ago.map(|s| now() - chrono::Duration::seconds(s)),
            open_incidents: 0,
            worst_impact: None,
            page_says: None,
            probe: None,
            remindable: false,
            remind_armed_at: None,
        }
    }

    fn incident(service: &str, id: &str, impact: Impact, open: bool) -> IncidentRow {
        IncidentRow {
            service_id: crate::model::ServiceId::from_name(service)
                .as_str()
                .to_owned(),
            service_name: service.to_owned(),
            id: id.to_owned(),
            kind: Kind::Incident,
            title: format!("Incident {id}"),
            phase: if open {
                Phase::Investigating
            } else {
                Phase::Resolved
            },
            impact,
            open,
            started_at: Some(now()),
            resolved_at: None,
            url: None,
            components: vec![],
        }
    }

    fn overview(openai: Health, incidents: Vec<IncidentRow>) -> Overview {
        Overview {
            services: vec![
                view("OpenAI", openai, Some(42)),
                view("GitHub", Health::Operational, Some(5)),
                view("Quote \"Co\" \\ Ltd", Health::Unreachable, None),
            ],
            incidents,
            checked_at: Some(now()),
            ..Overview::default()
        }
    }

    /// Samples by metric name and sorted labels, as a Prometheus server would read them.
    fn parse(text: &str) -> HashMap<String, f64> {
        let lines = text.lines().map(|l| Ok(l.to_owned()));
        let scrape = prometheus_parse::Scrape::parse(lines).expect("parses");
        scrape
            .samples
            .into_iter()
            .map(|s| {
                let value = match s.value {
                    prometheus_parse::Value::Gauge(v) | prometheus_parse::Value::Untyped(v) => v,
                    other => panic!("{}: not a gauge: {other:?}", s.metric),
                };
                (format!("{}{{{}}}", s.metric, s.labels), value)
            })
            .collect()
    }

    #[test]
    fn renders_each_service_state_incidents_and_freshness() {
        let ov = overview(
            Health::MajorOutage,
            vec![
                incident("OpenAI", "a", Impact::Critical, true),
                incident("OpenAI", "b", Impact::Minor, true),
                incident("OpenAI", "c", Impact::Minor, true),
                incident("OpenAI", "d", Impact::Major, false),
                incident("GitHub", "e", Impact::Major, false),
            ],
        );
        let text = render(
            &ov,
            &[ProbeSample {
                service: "OpenAI".to_owned(),
                latency: Duration::from_millis(250),
            }],
            now(),
        );
        let m = parse(&text);
        let get = |k: &str| {
            m.get(k)
                .copied()
                .unwrap_or_else(|| panic!("no {k} in\n{text}"))
        };
        assert_eq!(
            get(r#"outage_radar_service_state{service="OpenAI",state="major_outage"}"#),
            1.0
        );
        assert_eq!(
            get(r#"outage_radar_service_state{service="OpenAI",state="operational"}"#),
            0.0
        );
        assert_eq!(
            get(r#"outage_radar_service_state{service="GitHub",state="operational"}"#),
            1.0
        );
        let states_per_service = m
            .keys()
            .filter(|k| k.starts_with("outage_radar_service_state{service=\"GitHub\""))
            .count();
        assert_eq!(states_per_service, STATES.len());
        assert_eq!(
            get(r#"outage_radar_open_incidents{impact="critical",service="OpenAI"}"#),
            1.0
        );
        assert_eq!(
            get(r#"outage_radar_open_incidents{impact="minor",service="OpenAI"}"#),
            2.0
        );
        assert_eq!(
            get(r#"outage_radar_open_incidents{impact="major",service="OpenAI"}"#),
            0.0
        );
        assert_eq!(
            get(r#"outage_radar_open_incidents{impact="major",service="GitHub"}"#),
            0.0
        );
        assert_eq!(
            get(r#"outage_radar_seconds_since_last_good_read{service="OpenAI"}"#),
            42.0
        );
        assert_eq!(
            get(r#"outage_radar_seconds_since_last_good_read{service="GitHub"}"#),
            5.0
        );
        assert_eq!(
            get(r#"outage_radar_service_readable{service="OpenAI"}"#),
            1.0
        );
        assert_eq!(
            get(r#"outage_radar_probe_latency_seconds{service="OpenAI"}"#),
            0.25
        );
        assert_eq!(get("outage_radar_offline{}"), 0.0);
        assert_eq!(
            get("outage_radar_last_check_timestamp_seconds{}"),
            now().timestamp() as f64
        );
        assert!(
            text.contains("# TYPE outage_radar_service_state gauge"),
            "{text}"
        );
        // Never read: no freshness series rather than a made-up one; and a name with
        // quotes and a backslash is escaped as the format requires.
        assert!(
            text.contains(r#"outage_radar_service_readable{service="Quote \"Co\" \\ Ltd"} 0"#),
            "{text}"
        );
        assert!(!text.contains("outage_radar_seconds_since_last_good_read{service=\"Quote"));
    }

    #[test]
    fn probe_latency_comes_from_the_latest_round_that_answered() {
        use crate::watcher::{ProbeView, StripPoint};
        let probe = |points: &[Option<u32>]| ProbeView {
            targets: vec!["api.example.com".to_owned()],
            suspected_since: None,
            evidence: vec![],
            hold: None,
            strip: points
                .iter()
                .map(|ms| StripPoint {
                    at: now(),
                    ms: *ms,
                    failing: ms.is_none(),
                })
                .collect(),
        };
        let mut ov = overview(Health::Operational, vec![]);
        ov.services[0].probe = Some(probe(&[Some(900), Some(120)]));
        ov.services[1].probe = Some(probe(&[Some(80), None]));
        ov.services[2].probe = Some(probe(&[]));
        assert_eq!(
            probe_samples(&ov),
            vec![ProbeSample {
                service: "OpenAI".to_owned(),
                latency: Duration::from_millis(120)
            }]
        );
        let m = parse(&render(&ov, &probe_samples(&ov), now()));
        assert_eq!(
            m.get(r#"outage_radar_probe_latency_seconds{service="OpenAI"}"#),
            Some(&0.12)
        );
        assert!(!m.contains_key(r#"outage_radar_probe_latency_seconds{service="GitHub"}"#));
    }

    #[test]
    fn listen_addresses() {
        let table = [
            ("9464", Some("127.0.0.1:9464")),
            ("127.0.0.1:9464", Some("127.0.0.1:9464")),
            ("localhost:1234", Some("127.0.0.1:1234")),
            ("[::1]:9464", Some("[::1]:9464")),
            ("0.0.0.0:9464", Some("0.0.0.0:9464")),
            ("localhost", None),
            ("example.com:9464", None),
            ("127.0.0.1:99999", None),
        ];
        for (raw, want) in table {
            let got = parse_listen(raw).ok().map(|a| a.to_string());
            assert_eq!(got.as_deref(), want, "{raw}");
        }
    }

    #[tokio::test]
    async fn refuses_the_network_unless_told() {
        let (_tx, rx) = watch::channel(Overview::default());
        for raw in ["0.0.0.0:0", "[::]:0", "192.0.2.1:0"] {
            let addr = parse_listen(raw).expect("addr");
            let err = serve(addr, false, rx.clone()).await.expect_err(raw);
            assert!(matches!(err, MetricsError::NotLoopback(_)), "{raw}: {err}");
        }
    }

    async fn scrape(client: &reqwest::Client, addr: SocketAddr) -> (String, HashMap<String, f64>) {
        let response = client
            .get(format!("http://{addr}{PATH}"))
            .send()
            .await
            .expect("scrape");
        assert_eq!(response.status(), 200);
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.expect("body");
        let parsed = parse(&text);
        (content_type, parsed)
    }

    #[tokio::test]
    async fn scraped_over_http_values_follow_the_overview() {
        let (tx, rx) = watch::channel(overview(Health::Operational, vec![]));
        let server = serve(parse_listen("127.0.0.1:0").expect("addr"), false, rx)
            .await
            .expect("serves");
        let client = reqwest::Client::new();
        let key = r#"outage_radar_service_state{service="OpenAI",state="major_outage"}"#;
        let open = r#"outage_radar_open_incidents{impact="critical",service="OpenAI"}"#;
        let (content_type, before) = scrape(&client, server.addr).await;
        assert_eq!(content_type, CONTENT_TYPE);
        assert_eq!(before.get(key), Some(&0.0));
        assert_eq!(before.get(open), Some(&0.0));

        // The page goes down: the next scrape says so.
        tx.send_replace(overview(
            Health::MajorOutage,
            vec![incident("OpenAI", "a", Impact::Critical, true)],
        ));
        let (_, during) = scrape(&client, server.addr).await;
        assert_eq!(during.get(key), Some(&1.0));
        assert_eq!(during.get(open), Some(&1.0));

        let other = client
            .get(format!("http://{}/nope", server.addr))
            .send()
            .await
            .expect("get");
        assert_eq!(other.status(), 404);
        let post = client
            .post(format!("http://{}{PATH}", server.addr))
            .send()
            .await
            .expect("post");
        assert_eq!(post.status(), 405);
        let addr = server.addr;
        server.shutdown().await;
        assert!(
            client
                .get(format!("http://{addr}{PATH}"))
                .send()
                .await
                .is_err(),
            "stopped"
        );
    }
}
