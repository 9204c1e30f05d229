//! The engine's dependency order, enforced: a module imports only modules below it, and no files import each other in a circle.
//!
//! Read from the sources themselves (every `crate::` and `super::` path outside comments
//! and test modules), so a new import that points upward fails here, naming the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crate's top-level modules, lowest first. A module may use the modules of the layers
/// before its own, never its own layer's nor a later one: vocabulary, then what reads the
/// world, then what decides, then what stores, then what runs, then what faces people.
const LAYERS: &[&[&str]] = &[
    // The shared vocabulary: snapshot, ids, rules, failures.
    &["model"],
    // Bytes to snapshots; pure arithmetic over incident spans.
    &["sources", "reliability"],
    // The network, both ways.
    &["fetch", "httpd"],
    // Probes and the pure suspicion rules.
    &["early"],
    // Words: what people read, errors included.
    &["i18n"],
    // Webhook targets, bodies, signatures and the POST (no policy).
    &["webhooks"],
    // The config file, the catalog, Settings.
    &["config"],
    // Pure state transitions.
    &["transitions"],
    // Alert policy; one service's read.
    &["alerts", "read"],
    // What a round means: events as printed, deliveries queued.
    &["decide"],
    // SQLite.
    &["history"],
    // Per-OS calls.
    &["platform"],
    // Pop-ups.
    &["notifier"],
    // The loop.
    &["watcher"],
    // What other processes see of the running engine.
    &["local", "metrics"],
    // Starting it; the offline replay.
    &["engine", "demo"],
    // The Tauri shell.
    &["desktop"],
    // The command line.
    &["cli"],
];

/// Files that are not part of the layered engine: the crate roots and test-only helpers.
const NOT_LAYERED: &[&str] = &["lib.rs", "main.rs", "test_support.rs"];

/// A file's module path: `watcher/round.rs` is `["watcher", "round"]`, `watcher/mod.rs`
/// is `["watcher"]`.
type Unit = Vec<String>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            // A `tests` folder holds a module's unit tests, which may reach anywhere.
            if p.file_name().is_some_and(|n| n != "tests") {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Every layered file of the crate, with its code: comments and the `#[cfg(test)]`
/// modules left out.
fn units() -> BTreeMap<Unit, String> {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut out = BTreeMap::new();
    for path in files {
        let rel = path.strip_prefix(&root).expect("under src");
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if rel.components().count() == 1 && NOT_LAYERED.contains(&name) {
            continue;
        }
        if matches!(name, "tests.rs" | "testing.rs") {
            continue;
        }
        let mut unit: Unit = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if unit.last().is_some_and(|l| l == "mod") {
            unit.pop();
        }
        let text = std::fs::read_to_string(&path).expect("read source");
        out.insert(unit, code_of(&text));
    }
    out
}

/// The code of a file: without its test module and its comment lines.
fn code_of(text: &str) -> String {
    let text = text
        .find("#[cfg(test)]\nmod tests")
        .map_or(text, |i| &text[..i]);
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths a `use` group or a path expression names, from just after `crate::` or
/// `super::…::`: `a::b`, `{a, b::{c, d}}` and `a::{b, c}` all give their leading paths.
fn paths_after(code: &str) -> Vec<Vec<String>> {
    let mut segments = Vec::new();
    let mut rest = code;
    loop {
        let ident: String = rest.chars().take_while(|&c| is_ident(c)).collect();
        if ident.is_empty() {
            break;
        }
        rest = &rest[ident.len()..];
        segments.push(ident);
        match rest.strip_prefix("::") {
            Some(r) => rest = r,
            None => return vec![segments],
        }
    }
    let Some(group) = rest.strip_prefix('{') else {
        return vec![segments];
    };
    let mut depth = 0usize;
    let mut item = String::new();
    let mut items = Vec::new();
    for c in group.chars() {
        match c {
            '}' if depth == 0 => break,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut item));
                continue;
            }
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        item.push(c);
    }
    items.push(item);
    let mut out = Vec::new();
    for i in items {
        let i = i.trim();
        if i.is_empty() || i == "self" || i.starts_with("self ") {
            continue;
        }
        for sub in paths_after(i) {
            out.push(segments.iter().cloned().chain(sub).collect());
        }
    }
    if out.is_empty() {
        out.push(segments);
    }
    out
}

/// The files `unit`'s code refers to by `crate::` or `super::` paths.
fn references(unit: &Unit, code: &str, known: &BTreeSet<Unit>) -> BTreeSet<Unit> {
    let mut out = BTreeSet::new();
    let bytes = code.as_bytes();
    for (start, _) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        // `$crate::` and `the_crate::` are not this crate's root.
        if start > 0 && (is_ident(bytes[start - 1] as char) || bytes[start - 1] == b'$') {
            continue;
        }
        let mut base: Unit = Vec::new();
        let mut rest = &code[start..];
        if let Some(r) = rest.strip_prefix("crate::") {
            rest = r;
        } else {
            // `super` of a file is its module's parent, whether it is `x.rs` or `x/mod.rs`.
            base = unit[..unit.len().saturating_sub(1)].to_vec();
            rest = &rest["super::".len()..];
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
        }
        for path in paths_after(rest) {
            let full: Unit = base.iter().cloned().chain(path).collect();
            let target = (1..=full.len())
                .rev()
                .map(|k| full[..k].to_vec())
                .find(|p| known.contains(p));
            if let Some(t) = target {
                // A module's own face (its mod.rs) and its children are one: a child uses
                // its parent's items, the parent declares and re-exports its children.
                let related = t.starts_with(unit) || unit.starts_with(&t);
                if !related {
                    out.insert(t);
                }
            }
        }
    }
    out
}

fn graph() -> BTreeMap<Unit, BTreeSet<Unit>> {
    let units = units();
    let known: BTreeSet<Unit> = units.keys().cloned().collect();
    units
        .iter()
        .map(|(u, code)| (u.clone(), references(u, code, &known)))
        .collect()
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

#[test]
fn every_module_imports_only_modules_below_it() {
    let graph = graph();
    let mut upward = Vec::new();
    let mut unplaced = BTreeSet::new();
    for (from, targets) in &graph {
        let Some(here) = layer_of(&from[0]) else {
            unplaced.insert(from[0].clone());
            continue;
        };
        for to in targets {
            if to[0] == from[0] {
                continue;
            }
            match layer_of(&to[0]) {
                Some(there) if there < here => {}
                _ => upward.push(format!("{} -> {}", from.join("::"), to.join("::"))),
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "modules with no layer in LAYERS: {unplaced:?}"
    );
    assert!(
        upward.is_empty(),
        "imports of a module at the same layer or above:\n{}",
        upward.join("\n")
    );
}

/// Within a module too: two files that need each other are one idea split in two.
#[test]
fn no_files_import_each_other_in_a_circle() {
    let graph = graph();
    // Colour DFS; on a back edge, the stack from its target is the circle.
    let mut state: BTreeMap<&Unit, u8> = BTreeMap::new();
    let mut circles = Vec::new();
    fn visit<'a>(
        u: &'a Unit,
        graph: &'a BTreeMap<Unit, BTreeSet<Unit>>,
        state: &mut BTreeMap<&'a Unit, u8>,
        stack: &mut Vec<&'a Unit>,
        circles: &mut Vec<String>,
    ) {
        state.insert(u, 1);
        stack.push(u);
        for t in graph.get(u).into_iter().flatten() {
            match state.get(t).copied().unwrap_or(0) {
                0 => visit(t, graph, state, stack, circles),
                1 => {
                    let from = stack.iter().position(|s| *s == t).unwrap_or(0);
                    let names: Vec<String> = stack[from..]
                        .iter()
                        .chain(std::iter::once(&t))
                        .map(|s| s.join("::"))
                        .collect();
                    circles.push(names.join(" -> "));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(u, 2);
    }
    for u in graph.keys() {
        if !state.contains_key(u) {
            visit(u, &graph, &mut state, &mut Vec::new(), &mut circles);
        }
    }
    assert!(circles.is_empty(), "circles:\n{}", circles.join("\n"));
}

/// The reader itself: it sees `use` groups, nested paths, `super` chains and path
/// expressions, and leaves comments alone — else the two checks above could not fail.
#[test]
fn the_import_reader_finds_what_a_file_uses() {
    let known: BTreeSet<Unit> = [
        vec!["model"],
        vec!["config"],
        vec!["watcher"],
        vec!["watcher", "round"],
        vec!["watcher", "schedule"],
        vec!["alerts"],
        vec!["alerts", "words"],
        vec!["early"],
        vec!["early", "rules"],
    ]
    .into_iter()
    .map(|u| u.into_iter().map(str::to_owned).collect())
    .collect();
    let unit: Unit = vec!["watcher".to_owned(), "round".to_owned()];
    let code = code_of(
        "use crate::{config::ServiceConfig, alerts::{words::lines, Prefs}};\n\
         use super::schedule::Round;\n\
         // use crate::early::rules::Nothing;\n\
         fn f() { let _ = crate::model::Impact::Major; let _ = super::Watcher::new(); }\n\
         macro_rules! m { () => { $crate::early::x() } }\n",
    );
    let found: Vec<String> = references(&unit, &code, &known)
        .into_iter()
        .map(|u| u.join("::"))
        .collect();
    assert_eq!(
        found,
        [
            "alerts",
            "alerts::words",
            "config",
            "model",
            "watcher::schedule"
        ]
    );
    assert_eq!(layer_of("model"), Some(0));
    assert!(layer_of("cli") > layer_of("watcher"));
}
