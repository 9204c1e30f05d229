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
    out
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
