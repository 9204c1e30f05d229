//! Property test on the real captured pages: one field of one element set to a value of another type never rejects a page its format reads, and never costs more than that element.
//!
//! Reads `../shared/fixtures` in place (skipped, with the reason printed, when absent). For
//! each JSON capture, the formats that read it as it is are found first; then a random
//! object inside it (a component, an incident, an update…) gets one of its keys set to a
//! random JSON value of another kind, and the page must still be read, with at most one
//! incident fewer (the one that was touched).

use outage_radar::sources::{Bodies, Filter, Format, Source};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

struct Capture {
    path: PathBuf,
    json: Value,
    /// The formats that read it unchanged, with how many incidents and maintenances each found.
    read_by: Vec<(Format, usize)>,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

fn parse(format: Format, body: &[u8]) -> Option<usize> {
    let filter = Filter::default();
    let src = Source {
        service: "Odd",
        page_url: "https://status.example.com",
        filter: &filter,
    };
    format
        .parse(&src, &Bodies::main(body))
        .ok()
        .map(|s| s.incidents.len() + s.maintenances.len())
}

fn captures() -> Vec<Capture> {
    let root = outage_radar_tests::fixtures_dir();
    if !root.is_dir() {
        let msg = format!("no real captures at {}", root.display());
        // Under CI the captures missing means they moved: this would pass reading nothing.
        assert!(
            std::env::var_os(outage_radar_tests::REQUIRE_ENV).is_none(),
            "{msg}"
        );
        println!("SKIP: {msg}");
        return Vec::new();
    }
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        // Other projects' test data expects other things of a page.
        .filter(|p| !p.components().any(|c| c.as_os_str() == "peers"))
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let json: Value = serde_json::from_slice(&bytes).ok()?;
            let read_by: Vec<(Format, usize)> = Format::ALL
                .into_iter()
                .filter_map(|f| parse(f, &bytes).map(|n| (f, n)))
                .collect();
            (!read_by.is_empty()).then_some(Capture {
                path,
                json,
                read_by,
            })
        })
        .collect()
}

/// The JSON pointer of every object in `v` that sits in a list: the elements a page is made
/// of (components, incidents, updates…).
fn elements(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                let here = format!("{at}/{n}");
                if item.is_object() {
                    out.push(here.clone());
                }
                elements(item, &here, out);
            }
        }
        Value::Object(map) => {
            for (k, child) in map {
                let escaped = k.replace('~', "~0").replace('/', "~1");
                elements(child, &format!("{at}/{escaped}"), out);
            }
        }
        _ => {}
    }
}

thread_local! {
    static CAPTURES: Vec<Capture> = captures();
}

/// A value of another kind than `old`.
fn odd_for(old: &Value, pick: usize) -> Value {
    let choices = [
        Value::Null,
        Value::from(3),
        Value::from(true),
        Value::from("odd"),
        serde_json::json!([1, {"x": null}]),
        serde_json::json!({"x": [true]}),
    ];
    let same_kind = |v: &Value| std::mem::discriminant(v) == std::mem::discriminant(old);
    let others: Vec<&Value> = choices.iter().filter(|c| !same_kind(c)).collect();
    others[pick % others.len()].clone()
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn one_odd_field_never_rejects_a_real_page(
        which in any::<prop::sample::Index>(),
        element in any::<prop::sample::Index>(),
        key in any::<prop::sample::Index>(),
        pick in 0usize..6,
    ) {
        CAPTURES.with(|captures| {
            if captures.is_empty() {
                return Ok(());
            }
            let capture = &captures[which.index(captures.len())];
            let mut json = capture.json.clone();
            let mut found = Vec::new();
            elements(&json, "", &mut found);
            if found.is_empty() {
                return Ok(());
            }
            let pointer = &found[element.index(found.len())];
            let Some(map) = json.pointer_mut(pointer).and_then(Value::as_object_mut) else {
                return Ok(());
            };
            let keys: Vec<String> = map.keys().cloned().collect();
            if keys.is_empty() {
                return Ok(());
            }
            let changed = keys[key.index(keys.len())].clone();
            let odd = odd_for(&map[&changed], pick);
            map.insert(changed.clone(), odd);
            let body = serde_json::to_vec(&json).expect("json");
            for (format, count) in &capture.read_by {
                let now = parse(*format, &body);
                prop_assert!(
                    now.is_some(),
                    "{} ({format:?}) rejected after `{changed}` changed kind",
                    capture.path.display()
                );
                prop_assert!(
                    now.unwrap_or(0) + 1 >= *count,
                    "{} ({format:?}) lost more than the touched element: {count} -> {now:?} (`{changed}`)",
                    capture.path.display()
                );
            }
            Ok(())
        })?;
    }
}
