//! Every format read by `check` and found by `detect` from a fake server on 127.0.0.1, and
//! the decoys `detect` must refuse.

use outage_radar_tests::cli::{json_of, run, stderr};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::{fixture, payload};
use serde_json::Value;

/// One format as a real page serves it.
struct Case {
    format: &'static str,
    /// Where the page serves it, under the page URL.
    path: &'static str,
    body: Vec<u8>,
    extra: Vec<(&'static str, Vec<u8>)>,
    /// The page URL to give, relative to the server (status.io's is its API address).
    page_path: &'static str,
    status: &'static str,
    /// An incident id the snapshot must list (open first), if any.
    incident: Option<&'static str>,
    components: Option<usize>,
}

/// AWS serves JSON as UTF-16 with a byte-order mark.
fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut add = |file: Option<Vec<u8>>, case: fn(Vec<u8>) -> Case| {
        if let Some(body) = file {
            out.push(case(body));
        }
    };
    add(
        fixture("statuspage/github-summary-2022-11-25.json"),
        |body| Case {
            format: "statuspage",
            path: "/api/v2/summary.json",
            body,
            extra: vec![],
            page_path: "",
            status: "partial_outage",
            incident: Some("ljwdk6qml8z8"),
            components: Some(11),
        },
    );
    add(
        fixture("incidentio/openai-statuspage-compat-summary-2026-07-09.json"),
        |body| Case {
            format: "incidentio",
            path: "/api/v2/summary.json",
            body,
            extra: vec![],
            page_path: "",
            status: "operational",
            incident: None,
            components: Some(25),
        },
    );
    add(Some(payload("instatus-v3-summary-incident.json")), |body| {
        Case {
            format: "instatus",
            path: "/v3/summary.json",
            body,
            extra: vec![(
                "/v3/components.json",
                payload("instatus-v3-components.json"),
            )],
            page_path: "",
            status: "major_outage",
            incident: Some("cm1inc0001"),
            components: Some(4),
        }
    });
    add(Some(payload("betterstack-index-incident.json")), |body| {
        Case {
            format: "betterstack",
            path: "/index.json",
            body,
            extra: vec![],
            page_path: "",
            status: "major_outage",
            incident: Some("501"),
            components: None,
        }
    });
    add(
        fixture("slack/slack-api-v2-current-active-2023-09-26.json"),
        |body| Case {
            format: "slack",
            path: "/api/v2.0.0/current",
            body,
            extra: vec![],
            page_path: "",
            status: "degraded",
            incident: Some("1269"),
            components: Some(1),
        },
    );
    add(
        fixture("gcp/gcp-status-incidents-2022-07-01.json"),
        |body| Case {
            format: "google",
            path: "/incidents.json",
            body,
            extra: vec![],
            page_path: "",
            status: "operational",
            incident: Some("TaA75H7XA1DQyM2ReK2f"),
            components: Some(0),
        },
    );
    add(
        Some(utf16le_with_bom(
            r#"[{"date":"1764130320","region_name":"N. Virginia","status":"2","service":"ec2-us-east-1","service_name":"Amazon Elastic Compute Cloud (N. Virginia)","summary":"Increased API error rates","event_log":[{"summary":"Increased API error rates","message":"We are investigating increased error rates.","status":2,"timestamp":1764130320}]}]"#,
        )),
        |body| Case {
            format: "aws",
            path: "/public/currentevents",
            body,
            extra: vec![],
            page_path: "",
            status: "partial_outage",
            incident: Some("ec2-us-east-1/1764130320"),
            components: None,
        },
    );
    add(
        fixture("heroku/heroku-api-v4-current-status-maintenance.json"),
        |body| Case {
            format: "heroku",
            path: "/api/v4/current-status",
            body,
            extra: vec![],
            page_path: "",
            status: "maintenance",
            incident: None,
            components: Some(3),
        },
    );
    add(
        fixture("statusio/docker-statusio-public-status-partial.json"),
        |body| Case {
            format: "statusio",
            path: "/1.0/status/533c6539221ae15e3f000031",
            body,
            extra: vec![],
            page_path: "/1.0/status/533c6539221ae15e3f000031",
            status: "partial_outage",
            incident: Some("5f108cc06e9c9104c0553a46"),
            components: Some(8),
        },
    );
    add(
        fixture("atom/claude-statuspage-history-2026-09-03-trimmed.atom"),
        |body| Case {
            format: "feed",
            path: "/history.atom",
            body,
            extra: vec![],
            page_path: "",
            status: "degraded",
            incident: None,
            components: None,
        },
    );
    out
}

fn assert_snapshot(v: &Value, c: &Case) {
    assert_eq!(v["format"], c.format, "{}", c.format);
    assert_eq!(v["status"], c.status, "{}: {v}", c.format);
    if let Some(id) = c.incident {
        let ids: Vec<&str> = v["incidents"]
            .as_array()
            .expect("incidents")
            .iter()
            .chain(v["maintenances"].as_array().expect("maintenances"))
            .filter_map(|i| i["id"].as_str())
            .collect();
        assert!(ids.contains(&id), "{}: {id} not in {ids:?}", c.format);
    }
    if let Some(n) = c.components {
        assert_eq!(
            v["components"].as_array().map(Vec::len),
            Some(n),
            "{}",
            c.format
        );
    }
}

#[tokio::test]
async fn check_reads_every_format_and_detect_finds_each() {
    let cases = cases();
    let formats: Vec<&str> = cases.iter().map(|c| c.format).collect();
    println!("formats with payloads here: {formats:?}");
    // Without the shared captures only the hand-made ones run.
    assert!(cases.len() >= 3);
    for c in &cases {
        // A server per format: several formats share paths (`/summary.json`).
        let server = FakeServer::start().await;
        server.set(c.path, Reply::json(c.body.clone()));
        for (path, body) in &c.extra {
            server.set(path, Reply::json(body.clone()));
        }
        let page = format!("{}{}", server.url(), c.page_path);

        let v = json_of(&run(&["check", &page, "--format", c.format, "--json"]).await);
        assert_snapshot(&v, c);

        let d = json_of(&run(&["detect", &page, "--json"]).await);
        assert_eq!(d["format"], c.format, "detect {}: {d}", c.format);
        assert_eq!(
            d["endpoint"],
            format!("{}{}", server.url(), c.path),
            "{}",
            c.format
        );
        assert_snapshot(&d["snapshot"], c);

        // `check` without --format detects first and reads the same.
        let v = json_of(&run(&["check", &page, "--json"]).await);
        assert_snapshot(&v, c);
    }
}

#[tokio::test]
async fn detect_finds_incidentio_by_its_native_api_and_prints_a_config_block() {
    let server = FakeServer::start().await;
    let host = "127.0.0.1";
    server.set(
        &format!("/proxy/{host}"),
        Reply::json(payload("incidentio-proxy-summary-ongoing.json")),
    );
    let page = server.url();
    let d = json_of(&run(&["detect", &page, "--json"]).await);
    assert_eq!(d["format"], "incidentio");
    assert_eq!(d["endpoint"], format!("{page}/proxy/{host}"));
    assert_eq!(d["endpoint_override"], format!("{page}/proxy/{host}"));
    assert_eq!(d["snapshot"]["status"], "partial_outage");

    let out = run(&["detect", &page]).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        text.starts_with(&format!(
            "{page}: incident.io (incidentio), read from {page}/proxy/{host}\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "[[services]]\nname = \"127.0.0.1\"\nurl = \"{page}\"\nformat = \"incidentio\"\nendpoint = \"{page}/proxy/{host}\"\n"
        )),
        "{text}"
    );
}

#[tokio::test]
async fn incidentio_widget_is_read_by_check_endpoint_and_found_by_detect() {
    let mut widgets = vec![(
        "/proxy/widget",
        payload("incidentio-widget-summary-ongoing.json"),
        "partial_outage",
        "01KH5GQAPENECFSECZP11HYGCP",
    )];
    // The peer menu-bar app reads `{page}/proxy/widget`; its fixture, where present.
    if let Some(body) = fixture("peers/alexnodeland__StatusBar/incidentio_widget.json") {
        widgets.push(("/proxy/widget", body, "degraded", "iio-1"));
    }
    // Some incident.io pages serve the same widget at `/api/v1/summary`.
    widgets.push((
        "/api/v1/summary",
        payload("incidentio-widget-summary-ongoing.json"),
        "partial_outage",
        "01KH5GQAPENECFSECZP11HYGCP",
    ));
    for (path, body, status, incident) in widgets {
        let server = FakeServer::start().await;
        server.set(path, Reply::json(body));
        let page = server.url();
        let endpoint = format!("{page}{path}");

        let v = json_of(
            &run(&[
                "check",
                &page,
                "--format",
                "incidentio",
                "--endpoint",
                &endpoint,
                "--json",
            ])
            .await,
        );
        assert_eq!(v["format"], "incidentio", "{path}: {v}");
        assert_eq!(v["status"], status, "{path}: {v}");
        let ids: Vec<&str> = v["incidents"]
            .as_array()
            .expect("incidents")
            .iter()
            .filter_map(|i| i["id"].as_str())
            .collect();
        assert_eq!(ids, [incident], "{path}");

        let d = json_of(&run(&["detect", &page, "--json"]).await);
        assert_eq!(d["format"], "incidentio", "{path}: {d}");
        assert_eq!(d["endpoint"], endpoint);
        // Watching must read the address that answered: this page has no other API.
        assert_eq!(d["endpoint_override"], endpoint);
        assert_eq!(d["snapshot"]["status"], status, "{path}");
    }
}

#[tokio::test]
async fn instatus_legacy_summary_reads_its_components_from_v2() {
    let server = FakeServer::start().await;
    server.set(
        "/summary.json",
        Reply::json(payload("instatus-summary-operational.json")),
    );
    server.set(
        "/v2/components.json",
        Reply::json(payload("instatus-v2-components.json")),
    );
    let page = server.url();
    let endpoint = format!("{page}/summary.json");
    let names = |v: &Value| -> Vec<(String, String)> {
        v["components"]
            .as_array()
            .expect("components")
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap_or_default().to_owned(),
                    c["status"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let expected = vec![
        ("API".to_owned(), "major_outage".to_owned()),
        ("Web App".to_owned(), "operational".to_owned()),
        ("Mobile".to_owned(), "degraded".to_owned()),
    ];

    let v = json_of(
        &run(&[
            "check",
            &page,
            "--format",
            "instatus",
            "--endpoint",
            &endpoint,
            "--json",
        ])
        .await,
    );
    assert_eq!(names(&v), expected, "{v}");
    assert_eq!(v["status"], "major_outage");
    // The page says UP over a component in major outage: the worst is kept, both are shown.
    assert_eq!(v["page_status"], "operational");

    let d = json_of(&run(&["detect", &page, "--json"]).await);
    assert_eq!(d["format"], "instatus");
    assert_eq!(d["endpoint_override"], endpoint);
    assert_eq!(names(&d["snapshot"]), expected, "{d}");

    // And the human output shows them.
    let out = run(&[
        "check",
        &page,
        "--format",
        "instatus",
        "--endpoint",
        &endpoint,
    ])
    .await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "Components: 3 (2 not operational)\n  API: major outage\n  Mobile: degraded\n"
        ) && text.contains("  Page says: operational, but its components say: major outage\n"),
        "{text}"
    );

    // The Home Assistant integration's pair, where present: a group row and one member.
    let peer = "peers/TheLion__statuspage-HA";
    if let (Some(summary), Some(components)) = (
        fixture(&format!("{peer}/instatus-summary.json")),
        fixture(&format!("{peer}/instatus-v2-components.json")),
    ) {
        let server = FakeServer::start().await;
        server.set("/summary.json", Reply::json(summary));
        server.set("/v2/components.json", Reply::json(components));
        let page = server.url();
        let endpoint = format!("{page}/summary.json");
        let v = json_of(
            &run(&[
                "check",
                &page,
                "--format",
                "instatus",
                "--endpoint",
                &endpoint,
                "--json",
            ])
            .await,
        );
        assert_eq!(
            names(&v),
            [
                ("API".to_owned(), "major_outage".to_owned()),
                ("Web App".to_owned(), "operational".to_owned())
            ]
        );
        assert_eq!(v["status"], "major_outage");
    }
}

#[tokio::test]
async fn a_pasted_feed_address_is_read_as_a_feed() {
    let Some(atom) = fixture("atom/openai-incidentio-history-2026-09-03-trimmed.atom") else {
        return;
    };
    let server = FakeServer::start().await;
    server.set("/feed/status.atom", Reply::xml(atom));
    let page = format!("{}/feed/status.atom", server.url());
    let d = json_of(&run(&["detect", &page, "--json"]).await);
    assert_eq!(d["format"], "feed");
    assert_eq!(d["endpoint"], page);
    assert_eq!(d["snapshot"]["status"], "degraded");
}

#[tokio::test]
async fn detect_refuses_decoys_with_reasons() {
    // A catch-all page: every path answers 200 with the same HTML.
    let server = FakeServer::start().await;
    server.set_fallback(Reply::html(
        "<!DOCTYPE html><html><body>Welcome to Acme</body></html>",
    ));
    let out = run(&["detect", &server.url()]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("unknown format"), "{err}");
    assert!(
        err.contains("/api/v2/summary.json (Atlassian Statuspage): expected Statuspage summary JSON, got an HTML page"),
        "{err}"
    );
    assert!(err.contains("/index.json (Better Stack)"), "{err}");

    // A moved or unclaimed page redirecting every path to a home page that answers 200.
    let home = FakeServer::start().await;
    home.set("/", Reply::html("<html><body>Marketing</body></html>"));
    home.set_fallback(Reply::redirect("/"));
    let out = run(&["detect", &home.url()]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("(the path was dropped)"), "{err}");

    // ...also to another host, answering JSON there.
    let elsewhere = FakeServer::start().await;
    elsewhere.set("/", Reply::json(b"{\"page\":{},\"status\":{}}".to_vec()));
    let moved = FakeServer::start().await;
    moved.set_fallback(Reply::redirect(&format!("{}/", elsewhere.url())));
    let out = run(&["detect", &moved.url()]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("(the path was dropped)"));

    // Nothing listening: one line, not a list of every path.
    let gone = {
        let s = FakeServer::start().await;
        s.url()
    };
    let out = run(&["detect", &gone]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot connect"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));

    let out = run(&["detect", "http://status.example.com"]).await;
    assert_eq!(out.status.code(), Some(2), "usage error");
}

#[tokio::test]
async fn real_html_status_pages_are_never_read_as_a_status() {
    // Captured HTML of an incident.io page and an Instatus page, both in a major outage,
    // answering every path: every reader must say the page is not its format.
    for name in ["openai-major.html", "mastodonsocial-major.html"] {
        let Some(html) = fixture(&format!("peers/inket__stts/{name}")) else {
            continue;
        };
        let server = FakeServer::start().await;
        server.set_fallback(Reply::html(html));
        let page = server.url();
        let out = run(&["detect", &page]).await;
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains("unknown format"), "{name}");
        for (format, endpoint) in [
            ("incidentio", "/proxy/widget"),
            ("incidentio", "/api/v2/summary.json"),
            ("instatus", "/summary.json"),
            ("feed", "/history.atom"),
            ("statuspage", "/api/v2/summary.json"),
            ("betterstack", "/index.json"),
        ] {
            let endpoint = format!("{page}{endpoint}");
            let out = run(&["check", &page, "--format", format, "--endpoint", &endpoint]).await;
            assert_eq!(out.status.code(), Some(1), "{name} as {format}");
            assert!(
                stderr(&out).contains("got an HTML page"),
                "{name} as {format}: {}",
                stderr(&out)
            );
        }
    }
}

#[tokio::test]
async fn an_unsupported_format_is_named_unknown_by_detect_and_by_every_parser() {
    let Some(body) = fixture("other/yandex-cloud-status-incidents.json") else {
        return;
    };
    let server = FakeServer::start().await;
    server.set_fallback(Reply::json(body));
    let out = run(&["detect", &server.url()]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "outage-radar: {}: unknown format: none of the known status-page formats answered",
            server.url()
        )),
        "{err}"
    );
    for format in [
        "statuspage",
        "incidentio",
        "instatus",
        "betterstack",
        "slack",
        "google",
        "aws",
        "heroku",
        "feed",
    ] {
        let out = run(&["check", &server.url(), "--format", format]).await;
        assert_eq!(out.status.code(), Some(1), "{format} must refuse it");
        assert!(
            stderr(&out).contains("expected "),
            "{format}: {}",
            stderr(&out)
        );
    }
    let api = format!("{}/1.0/status/x", server.url());
    let out = run(&["check", &api, "--format", "statusio"]).await;
    assert_eq!(out.status.code(), Some(1), "statusio must refuse it");
}

#[tokio::test]
async fn catalog_lists_at_least_forty_services() {
    let v = json_of(&run(&["catalog", "--json"]).await);
    let list = v.as_array().expect("array");
    assert!(list.len() >= 40, "{}", list.len());
    assert!(list
        .iter()
        .any(|e| e["name"] == "OpenAI" && e["format"] == "incidentio"));
    let text = run(&["catalog"]).await;
    assert!(String::from_utf8_lossy(&text.stdout).contains(&format!("{} services", list.len())));
}
