//! No words outside the catalog: every id the code and the window ask for exists, converted
//! files say nothing of their own, and the desktop entry agrees.

use super::*;

#[test]
fn every_message_id_in_the_code_exists() {
    let areas: BTreeSet<&str> = lint::shapes(Lang::ENGLISH.source())
        .expect("clean")
        .keys()
        .filter_map(|id| id.split('-').next())
        .map(|a| -> &str { Box::leak(a.to_owned().into_boxed_str()) })
        .collect();
    let mut checked = 0;
    let mut missing = Vec::new();
    // The window binary's crate asks the same catalog.
    let window = rust_files(&manifest("window/src"));
    assert!(!window.is_empty(), "the window crate's sources are found");
    for file in rust_files(&manifest("src")).into_iter().chain(window) {
        let source = std::fs::read_to_string(&file).expect("readable");
        let literals = lint::rust_literals(&source);
        for id in lint::message_ids(&literals, &areas) {
            // Shaped like ids of the `webhook` area, but HTTP header names of the Standard
            // Webhooks spec: never shown to anyone.
            // The same for threads' names.
            if [
                "webhook-id",
                "webhook-timestamp",
                "webhook-signature",
                "window-reaper",
                "tray-register",
            ]
            .contains(&id)
            {
                continue;
            }
            checked += 1;
            if !en().has(id) {
                missing.push(format!("{}: {id}", file.display()));
            }
        }
    }
    assert!(missing.is_empty(), "ids not in en.ftl: {missing:#?}");
    assert!(
        checked > 40,
        "the scan finds the ids the code uses ({checked})"
    );
}

/// The files whose every word comes from the catalog; each conversion adds its files.
const CONVERTED: &[&str] = &[
    "src/watcher/overview.rs",
    "src/desktop/tray.rs",
    "src/alerts/mod.rs",
    "src/alerts/words.rs",
    "src/alerts/prefs.rs",
    "src/cli/status.rs",
    "src/cli/demo.rs",
    "src/local/service.rs",
    "src/desktop/child.rs",
    "src/engine.rs",
    "src/cli/inspect.rs",
    "src/cli/watch.rs",
    "src/cli/report.rs",
    "src/local/choices.rs",
];

#[test]
fn converted_files_have_no_words_of_their_own() {
    for rel in CONVERTED {
        let source = std::fs::read_to_string(manifest(rel)).expect("readable");
        let words: Vec<String> = lint::rust_literals(&source)
            .into_iter()
            .filter(|l| lint::reads_as_words(l))
            .collect();
        assert!(words.is_empty(), "{rel} writes its own words: {words:?}");
    }
}

/// Words of the window's code that are no words for people: CSS classes (two of them read
/// like a phrase, "detail muted") and the DOM's own names.
fn window_code_words() -> BTreeSet<String> {
    let css = std::fs::read_to_string(manifest("../ui/styles.css")).expect("styles.css");
    let chars: Vec<char> = css.chars().collect();
    let mut words = BTreeSet::new();
    for (i, c) in chars.iter().enumerate() {
        if *c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_lowercase) {
            let class: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '-')
                .collect();
            words.insert(class);
        }
    }
    // Keys the window listens for, and classes only its scripts and tests look up.
    for w in [
        "Enter",
        "Escape",
        concat!("timeline", "-button"),
        "contradiction",
        "caveat",
        "hold",
        "evidence",
    ] {
        words.insert(w.to_owned());
    }
    words
}

/// The ids a window module asks for by name: `t("tab-now")`, `t("affects", …)`.
fn js_message_ids(source: &str) -> Vec<String> {
    source
        .match_indices("t(\"")
        .filter(|(at, _)| {
            let before = source[..*at].chars().next_back();
            !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        })
        .filter_map(|(at, _)| source[at + 3..].split('"').next())
        .map(str::to_owned)
        .collect()
}

fn ui_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(manifest("../ui"))
        .expect("ui/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_window_has_no_words_of_its_own() {
    let code = window_code_words();
    let is_code = |lit: &str| {
        lit.split_whitespace().all(|w| {
            // "badge phase-" + the phase: a class built from a prefix.
            code.contains(w)
                || (w.ends_with('-')
                    && (code.contains(w.trim_end_matches('-'))
                        || code.iter().any(|c| c.starts_with(w))))
        })
    };
    let mut found = Vec::new();
    let files = ui_files();
    assert!(files.len() >= 8, "the window's modules: {files:?}");
    for file in &files {
        let source = std::fs::read_to_string(file).expect("readable");
        for lit in lint::js_literals(&source) {
            if lint::reads_as_words(&lit) && !is_code(&lit) {
                found.push(format!("{}: {lit:?}", file.display()));
            }
        }
    }
    let html = std::fs::read_to_string(manifest("../ui/index.html")).expect("index.html");
    for text in lint::html_words(&html) {
        let address = text.contains("://") && !text.contains(' ');
        if text.chars().any(char::is_alphabetic) && text != "Outage Radar" && !address {
            found.push(format!("index.html: {text:?}"));
        }
    }
    assert!(found.is_empty(), "words outside the catalog: {found:#?}");
}

#[test]
fn every_message_id_the_window_asks_for_exists() {
    let html = std::fs::read_to_string(manifest("../ui/index.html")).expect("index.html");
    let mut ids: Vec<String> = Vec::new();
    for attr in [
        "data-i18n",
        "data-i18n-title",
        "data-i18n-placeholder",
        "data-i18n-aria-label",
    ] {
        let needle = format!(" {attr}=\"");
        for part in html.split(&needle).skip(1) {
            ids.extend(part.split('"').next().map(str::to_owned));
        }
    }
    assert!(ids.len() > 30, "the page's fixed words: {}", ids.len());
    let mut asked = 0;
    for file in ui_files() {
        let source = std::fs::read_to_string(&file).expect("readable");
        let found = js_message_ids(&source);
        asked += found.len();
        ids.extend(found);
    }
    assert!(
        asked > 80,
        "the scan finds the ids the modules ask for ({asked})"
    );
    let missing: Vec<&String> = ids.iter().filter(|id| !en().has(id)).collect();
    assert!(missing.is_empty(), "ids not in en.ftl: {missing:?}");
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_desktop_entry_says_what_the_catalog_says() {
    let entry =
        std::fs::read_to_string(manifest("packaging/outage-radar.desktop")).expect("desktop entry");
    let field = |key: &str| {
        entry
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .map(str::to_owned)
    };
    for lang in Lang::all() {
        let c = Catalog::get(lang);
        let suffix = if lang == Lang::ENGLISH {
            String::new()
        } else {
            format!("[{lang}]")
        };
        assert_eq!(
            field(&format!("Name{suffix}")).as_deref(),
            Some("Outage Radar")
        );
        assert_eq!(
            field(&format!("GenericName{suffix}")),
            Some(c.t("desktop-generic-name", &[])),
            "{lang}"
        );
        assert_eq!(
            field(&format!("Comment{suffix}")),
            Some(c.t("desktop-comment", &[])),
            "{lang}"
        );
    }
}
