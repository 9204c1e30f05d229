//! Property test: arbitrary and mangled bytes into every parser give a value or an error, never a panic.

use outage_radar::sources::{incidentio, statuspage, Bodies, Filter, Format, Source};
use proptest::prelude::*;
use std::path::PathBuf;

/// Real captures (when `../shared/fixtures` is there) and the hand-made payloads: seeds that
/// are almost valid, so that mutations reach deep into each parser.
fn seeds() -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        root.join("../tests/payloads"),
        root.join("../../shared/fixtures"),
    ] {
        let Ok(walk) = walk(&dir) else {
            println!("SKIP: no seeds from {} (absent)", dir.display());
            continue;
        };
        for path in walk {
            if let Ok(bytes) = std::fs::read(&path) {
                // Big histories make each case slow; their first 64 KiB are seed enough.
                out.push(bytes.into_iter().take(64 * 1024).collect());
            }
        }
    }
    out.push(br#"{"page":{},"status":{},"components":[{"status":7}]}"#.to_vec());
    // The shapes issue 11 added, with their HTML in CDATA so that mutations land inside
    // the HTML rather than only breaking the XML around it.
    for html in ENTRY_SHAPES {
        out.push(atom_with(html).into_bytes());
    }
    // The widget as another menu-bar app reads it at /proxy/widget.
    out.push(
        br#"{"ongoing_incidents":[{"id":"i1","name":"API","status":"investigating","last_update_message":"x","affected_components":[{"id":"c1","name":"API"}],"created_at":"2024-01-15T09:00:00.000Z","updated_at":"2024-01-15T10:00:00.000Z"}],"in_progress_maintenances":[{"id":"m1","status":"monitoring","affected_components":[]}],"scheduled_maintenances":[{"id":"m2","status":"scheduled","affected_components":null}]}"#
            .to_vec(),
    );
    out
}

/// Entry HTML in each shape the feed reader knows.
const ENTRY_SHAPES: [&str; 6] = [
    // Slack: time markers, no status word.
    "<p><small>3:23pm PST</small> We are aware.</p><p><small>9:34am PST</small> We have resolved the issue.</p>",
    // Instatus: GMT offsets in <var>, oldest first, with and without <small>.
    "<p><strong>Planned</strong> - Soon.<br /><var data-var='date'>Jun 1</var>, <var data-var='time'>09:00:00 GMT+0</var></p><p><small><var data-var='date'>Jun 5</var>, <var data-var='time'>01:40:38 UTC+05:30</var></small><br /><strong>Completed</strong> - Done.</p>",
    // Statuspage.
    "<p><small>Dec <var data-var='date'>31</var>, <var data-var='time'>23:10</var> PST</small><br><strong>Update</strong> - See <a href='x'>this</a>.</p>",
    // incident.io.
    "<b>Status: Identified</b><br/><br/>Found it.<br/><br/><b>Affected components</b><ul><li>Search (Partial outage)</li><li>API</li></ul>",
    // AWS, escaped twice.
    "Fixed &lt;br&gt;now &amp;lt;b&amp;gt;ok&amp;lt;/b&amp;gt; &#x1F600;",
    // Nesting far past what is read.
    "<div><ul><li><b><i><span><p><small>1:00am UTC</small> deep</p></span></i></b></li></ul></div><div><div><div><div><div><div><div><div>",
];

fn atom_with(html: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>https://status.example.com/i/1</id><published>2025-12-08T15:23:58-08:00</published><updated>2025-12-09T09:34:10-08:00</updated><title>Incident</title><content type="html"><![CDATA[{}]]></content></entry><entry><id>https://status.example.com/#rds-us-east-1_1</id><updated>2025-12-09T09:00:00Z</updated><title>Service degradation: x</title><summary type="html"><![CDATA[{}]]></summary></entry></feed>"#,
        html.replace("]]>", "]]&gt;"),
        html.replace("]]>", "]]&gt;")
    )
}

fn walk(dir: &std::path::Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(walk(&path)?);
        } else if path.extension().is_some_and(|e| e != "md") {
            files.push(path);
        }
    }
    Ok(files)
}

fn every_parser(body: &[u8]) {
    let filter = Filter {
        products: vec!["Cloud Run".to_owned()],
        regions: vec!["us-east-1".to_owned()],
    };
    let src = Source {
        service: "Fuzz",
        page_url: "https://status.example.com",
        filter: &filter,
    };
    for format in Format::ALL {
        let _ = format.parse(&src, &Bodies::main(body));
        let _ = format.parse(
            &src,
            &Bodies {
                main: body,
                components: Some(body),
                history: Some(body),
            },
        );
    }
    let _ = statuspage::parse_components(body);
    let _ = statuspage::parse_incidents(&src, body);
    let _ = incidentio::parse_main(&src, body);
    let _ = incidentio::parse_proxy_summary(&src, body);
    let _ = incidentio::parse_proxy_incidents(&src, body, &[]);
    let _ = incidentio::parse_widget_summary(&src, body);
}

/// A seed with some bytes replaced, some cut, some spliced: the shapes a broken proxy,
/// a truncated transfer or a half-migrated page produce.
fn mangled() -> impl Strategy<Value = Vec<u8>> {
    let seeds = seeds();
    (
        0..seeds.len(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(move |(i, flips, cut, truncate)| {
            let mut b = seeds[i].clone();
            if b.is_empty() {
                return b;
            }
            for (at, byte) in flips {
                let n = at.index(b.len());
                b[n] = byte;
            }
            if truncate {
                b.truncate(cut.index(b.len() + 1));
            }
            b
        })
}

proptest! {
    // 2048 per property in CI; `PROPTEST_CASES=100000` for a longer run (BENCHMARKS.md).
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..2048)) {
        every_parser(&body);
    }

    #[test]
    fn mangled_real_payloads_never_panic(body in mangled()) {
        every_parser(&body);
    }

    #[test]
    fn json_of_any_shape_never_panics(value in json_value()) {
        every_parser(value.to_string().as_bytes());
    }

    #[test]
    fn feed_entry_html_of_any_shape_never_panics(html in entry_html()) {
        every_parser(atom_with(&html).as_bytes());
    }
}

/// HTML built from the pieces the feed shapes are made of, in any order and nesting.
fn entry_html() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<p>",
        "</p>",
        "<small>",
        "</small>",
        "<strong>",
        "</strong>",
        "<b>",
        "</b>",
        "<br>",
        "<var data-var='date'>",
        "<var data-var='time'>",
        "</var>",
        "<ul>",
        "<li>",
        "</li>",
        "</ul>",
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        " - ",
        "\u{2013}",
        "3:23pm PST",
        "12:00am",
        "Jun 5, 01:40:38 GMT+0",
        "Dec 31, 2025 - 23:10 UTC-05:00",
        "GMT+99",
        "Status:",
        "Resolved",
        "Update",
        "Investigating",
        "Affected components",
        "Search (Degraded performance)",
        "We have resolved the issue.",
        "not resolved",
        "once it is fixed",
        "&amp;",
        "&lt;br&gt;",
        "&notin;",
        "&#0;",
        "&#x110000;",
        "&bogus",
        "\u{feff}",
        "é",
        " ",
        "\n",
    ]);
    prop::collection::vec(pieces, 0..48).prop_map(|p| p.concat())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2048)
}

/// Arbitrary JSON built from the keys real pages use, so objects often half-match a format.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let keys = prop::sample::select(vec![
        "page",
        "status",
        "components",
        "incidents",
        "scheduled_maintenances",
        "summary",
        "result",
        "status_overall",
        "status_code",
        "activeIncidents",
        "data",
        "included",
        "attributes",
        "aggregate_state",
        "active_incidents",
        "end",
        "begin",
        "updates",
        "archive",
        "current",
        "id",
        "name",
        "impact",
        "type",
        "ongoing_incidents",
        "component_impacts",
        "affected_components",
        "scheduled",
        "date",
        "service",
        "page_title",
        "in_progress_maintenances",
        "last_update_message",
        "created_at",
        "group",
        "groupId",
        "children",
        "ends_at",
        "starts_at",
    ]);
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[a-z_ ]{0,12}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::from("2026-11-26T05:12:00Z")),
    ];
    leaf.prop_recursive(4, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(keys.clone(), inner, 0..6).prop_map(|m| {
                serde_json::Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}
