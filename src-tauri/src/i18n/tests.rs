//! The catalog's tests: the files agree, the language is chosen right, golden English and French.

use super::lint;
use super::*;
use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const NB: char = '\u{a0}';

fn fr() -> &'static Catalog {
    Catalog::get(Lang::parse("fr").expect("French is shipped"))
}

fn en() -> &'static Catalog {
    Catalog::english()
}

/// `~` stands for the no-break space in expected French, so the goldens stay readable.
fn nb(s: &str) -> String {
    s.replace('~', &NB.to_string())
}

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn every_language_has_every_id_with_the_same_variables() {
    let english = lint::shapes(Lang::ENGLISH.source()).expect("en.ftl is clean");
    assert!(english.len() > 250, "the whole app is in the catalog");
    for lang in Lang::all() {
        let shapes = lint::shapes(lang.source())
            .unwrap_or_else(|problems| panic!("{lang}.ftl: {problems:#?}"));
        let diff = lint::compare(&english, &shapes);
        assert!(diff.is_empty(), "{lang}.ftl differs from en.ftl: {diff:#?}");
    }
}

#[test]
fn every_message_formats_without_errors_given_its_variables() {
    let english = lint::shapes(Lang::ENGLISH.source()).expect("en.ftl is clean");
    for lang in Lang::all() {
        let catalog = Catalog::get(lang);
        for (id, shape) in &english {
            let args: Vec<(&str, Arg)> = shape
                .variables
                .iter()
                .map(|v| (v.as_str(), Arg::Number(2.0)))
                .collect();
            let errors = catalog.errors_for(id, &args);
            assert!(errors.is_empty(), "{lang} {id}: {errors:?}");
            let text = catalog.t(id, &args);
            assert!(
                !text.contains(['\u{2068}', '\u{2069}']),
                "{lang} {id}: isolation marks in {text:?}"
            );
        }
    }
}

#[test]
fn the_language_list_is_the_locales_folder() {
    let mut files: Vec<String> = std::fs::read_dir(manifest("locales"))
        .expect("locales/")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".ftl").map(str::to_owned)
        })
        .collect();
    files.sort();
    let mut listed: Vec<String> = Lang::all().map(|l| l.tag().to_owned()).collect();
    assert_eq!(
        listed.first().map(String::as_str),
        Some("en"),
        "English first"
    );
    listed.sort();
    assert_eq!(listed, files, "LANGUAGES in i18n/mod.rs and locales/*.ftl");
    for lang in Lang::all() {
        let on_disk =
            std::fs::read_to_string(manifest(&format!("locales/{lang}.ftl"))).expect("readable");
        assert_eq!(
            lang.source(),
            on_disk,
            "{lang}: the embedded file is the file"
        );
    }
}

#[test]
fn french_typography_holds() {
    let problems = lint::french_typography(fr().lang().source());
    assert!(problems.is_empty(), "fr.ftl: {problems:#?}");
    assert!(
        !Lang::ENGLISH.source().contains("..."),
        "en.ftl: use … rather than ..."
    );
}

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
    for file in rust_files(&manifest("src")) {
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

#[test]
fn locale_names_and_tags() {
    let french = Lang::parse("fr");
    assert!(french.is_some());
    for tag in [
        "fr",
        "FR",
        "fr_CA",
        "fr-BE",
        "fr-FR",
        "fr_FR.UTF-8@euro",
        " fr ",
    ] {
        assert_eq!(Lang::parse(tag), french, "{tag}");
    }
    for tag in ["en", "en_GB.UTF-8", "en-US"] {
        assert_eq!(Lang::parse(tag), Some(Lang::ENGLISH), "{tag}");
    }
    for tag in ["", "C", "POSIX", "de_DE", "french", "_fr"] {
        assert_eq!(Lang::parse(tag), None, "{tag}");
    }
    assert_eq!(en().t("language-name", &[]), "English");
    assert_eq!(french.map(Lang::native_name).as_deref(), Some("Français"));
}

#[test]
fn posix_locale_order() {
    let fr = Lang::parse("fr");
    let en = Some(Lang::ENGLISH);
    let env = |lc_all, lc_messages, lang, language| PosixLocale {
        lc_all,
        lc_messages,
        lang,
        language,
    };
    let table = [
        (
            "LANG French",
            env(None, None, Some("fr_FR.UTF-8"), None),
            fr,
        ),
        (
            "LANG with a modifier",
            env(None, None, Some("fr_FR.UTF-8@euro"), None),
            fr,
        ),
        ("Canada", env(None, None, Some("fr_CA.UTF-8"), None), fr),
        (
            "LC_ALL beats LANG",
            env(Some("fr_BE.UTF-8"), None, Some("en_US.UTF-8"), None),
            fr,
        ),
        (
            "LC_ALL beats LC_MESSAGES",
            env(Some("en_US.UTF-8"), Some("fr_FR.UTF-8"), None, None),
            en,
        ),
        (
            "LC_MESSAGES beats LANG",
            env(None, Some("fr_FR.UTF-8"), Some("en_US.UTF-8"), None),
            fr,
        ),
        (
            "an empty LC_ALL is unset",
            env(Some(""), None, Some("fr_FR.UTF-8"), None),
            fr,
        ),
        (
            "LANGUAGE first",
            env(None, None, Some("en_US.UTF-8"), Some("fr:en")),
            fr,
        ),
        (
            "LANGUAGE's first supported entry",
            env(None, None, Some("de_DE.UTF-8"), Some("de:en:fr")),
            en,
        ),
        (
            "LANGUAGE unsupported: the locale",
            env(None, None, Some("fr_FR.UTF-8"), Some("de")),
            fr,
        ),
        (
            "C ignores LANGUAGE",
            env(Some("C"), None, Some("fr_FR.UTF-8"), Some("fr")),
            en,
        ),
        ("C.UTF-8", env(None, None, Some("C.UTF-8"), None), en),
        ("POSIX", env(None, None, Some("POSIX"), None), en),
        ("nothing set", env(None, None, None, Some("fr")), en),
        (
            "unsupported",
            env(None, None, Some("de_DE.UTF-8"), None),
            en,
        ),
    ];
    for (name, posix, want) in table {
        assert_eq!(
            Some(choose(None, &posix.preferred())),
            want,
            "{name}: {posix:?}"
        );
    }
}

#[test]
fn the_config_setting_overrides_the_system() {
    let fr = Lang::parse("fr").expect("fr");
    let sys = |tags: &[&str]| tags.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
    let table = [
        (Some("fr"), sys(&["en-US"]), fr),
        (Some("en"), sys(&["fr-FR"]), Lang::ENGLISH),
        (Some("system"), sys(&["fr-FR"]), fr),
        (Some("System"), sys(&["en-GB"]), Lang::ENGLISH),
        (Some("de"), sys(&["fr-CA", "en"]), fr),
        (Some("de"), sys(&[]), Lang::ENGLISH),
        (None, sys(&["de-DE", "fr-CA"]), fr),
        (None, sys(&["ja-JP"]), Lang::ENGLISH),
        (None, sys(&[]), Lang::ENGLISH),
    ];
    for (setting, system, want) in table {
        assert_eq!(choose(setting, &system), want, "{setting:?} {system:?}");
    }
}

#[test]
fn switching_the_language_changes_the_next_text() {
    let current = Current::new(Lang::ENGLISH);
    assert_eq!(current.catalog().t("tray-quit", &[]), "Quit");
    current.set(Lang::parse("fr").expect("fr"));
    assert_eq!(current.lang().tag(), "fr");
    assert_eq!(current.catalog().t("tray-quit", &[]), "Quitter");
    current.set(Lang::ENGLISH);
    assert_eq!(current.catalog().t("tray-quit", &[]), "Quit");
}

#[test]
fn a_missing_id_shows_itself_and_never_panics() {
    assert_eq!(fr().t("no-such-message", &[]), "no-such-message");
    assert_eq!(
        fr().t("summary-item", &[("name", "OpenAI".into())]),
        "OpenAI ({$state})",
        "a missing argument is visible"
    );
}

#[test]
fn durations() {
    let s = chrono::Duration::seconds;
    let table = [
        (s(-5), "0 s", "0~s"),
        (s(0), "0 s", "0~s"),
        (s(59), "59 s", "59~s"),
        (s(60), "1 min", "1~min"),
        (s(119), "1 min", "1~min"),
        (s(12 * 60), "12 min", "12~min"),
        (s(3600), "1 h", "1~h"),
        (s(72 * 60), "1 h 12 min", "1~h~12~min"),
        (s(117 * 60 + 30), "1 h 57 min", "1~h~57~min"),
        (s(2 * 86_400), "2 d", "2~j"),
        (s(2 * 86_400 + 3 * 3600 + 59 * 60), "2 d 3 h", "2~j~3~h"),
    ];
    for (d, want_en, want_fr) in table {
        assert_eq!(en().duration(d), want_en, "{d:?}");
        assert_eq!(fr().duration(d), nb(want_fr), "{d:?}");
    }
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
        .single()
        .expect("valid")
}

#[test]
fn relative_times_become_dates_after_a_week() {
    let utc = FixedOffset::east_opt(0).expect("utc");
    let ago = |secs: i64| now() - chrono::Duration::seconds(secs);
    let old = Utc
        .with_ymd_and_hms(2020, 6, 16, 14, 5, 0)
        .single()
        .expect("valid");
    let table = [
        (ago(-30), "just now", "à l’instant"),
        (ago(30), "just now", "à l’instant"),
        (ago(180), "3 min ago", "il y a 3~min"),
        (ago(72 * 60), "1 h 12 min ago", "il y a 1~h~12~min"),
        (ago(86_400), "1 day ago", "il y a 1~jour"),
        (ago(2 * 86_400 + 3600), "2 days ago", "il y a 2~jours"),
        (
            ago(7 * 86_400),
            "on 19 November 2026",
            "le 19~novembre 2026",
        ),
        (old, "on 16 June 2020", "le 16~juin 2020"),
    ];
    for (then, want_en, want_fr) in table {
        assert_eq!(en().ago(then, now(), utc), want_en, "{then}");
        assert_eq!(fr().ago(then, now(), utc), nb(want_fr), "{then}");
    }

    let since = [
        (ago(59), "for 59 s", "depuis 59~s"),
        (ago(19 * 3600 + 120), "for 19 h 2 min", "depuis 19~h~2~min"),
        (ago(2 * 86_400 + 3 * 3600), "for 2 d 3 h", "depuis 2~j~3~h"),
        (old, "since 16 June 2020", "depuis le 16~juin 2020"),
    ];
    for (start, want_en, want_fr) in since {
        assert_eq!(en().since(start, now(), utc), want_en, "{start}");
        assert_eq!(fr().since(start, now(), utc), nb(want_fr), "{start}");
    }

    // The date is the one on the user's calendar: 23:30 UTC is the next day in Paris.
    let late = Utc
        .with_ymd_and_hms(2020, 6, 15, 23, 30, 0)
        .single()
        .expect("valid");
    let paris = FixedOffset::east_opt(2 * 3600).expect("offset");
    assert_eq!(fr().since(late, now(), paris), nb("depuis le 16~juin 2020"));
    assert_eq!(en().since(late, now(), utc), "since 15 June 2020");
}

#[test]
fn dates_clock_times_and_percentages() {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let at = |h, m| date(2026, 11, 26).and_hms_opt(h, m, 0).expect("time");
    assert_eq!(en().date(date(2020, 6, 16)), "16 June 2020");
    assert_eq!(fr().date(date(2020, 6, 16)), nb("16~juin 2020"));
    assert_eq!(en().date(date(2020, 6, 1)), "1 June 2020");
    assert_eq!(fr().date(date(2020, 6, 1)), nb("1er~juin 2020"));
    assert_eq!(fr().date(date(2021, 8, 31)), nb("31~août 2021"));
    assert_eq!(en().date(date(2021, 12, 2)), "2 December 2021");

    assert_eq!(en().clock(at(8, 5).time()), "08:05");
    assert_eq!(fr().clock(at(20, 5).time()), "20:05", "24-hour in French");
    assert_eq!(en().clock(at(20, 5).time()), "20:05", "and in English");
    assert_eq!(en().weekday_time(at(8, 0)), "Thu 08:00");
    assert_eq!(fr().weekday_time(at(8, 0)), "jeudi 08:00");
    assert_eq!(en().date_time(at(14, 5)), "26 November 2026, 14:05");
    assert_eq!(fr().date_time(at(14, 5)), nb("26~novembre 2026 à 14:05"));

    assert_eq!(en().percent(99.95, 2), "99.95 %");
    assert_eq!(fr().percent(99.95, 2), "99,95\u{202f}%");
    assert_eq!(en().percent(100.0, 0), "100 %");
    assert_eq!(fr().percent(100.0, 0), "100\u{202f}%");
}

#[test]
fn plurals_follow_each_language() {
    let incidents = |c: &Catalog, n: i64| {
        c.t(
            "summary-incidents",
            &[("count", n.into()), ("list", "OpenAI (major)".into())],
        )
    };
    // French "one" covers 0 and 1.
    for (n, want_en, want_fr) in [
        (
            0,
            "0 incidents: OpenAI (major)",
            "0~incident~: OpenAI (major)",
        ),
        (
            1,
            "1 incident: OpenAI (major)",
            "1~incident~: OpenAI (major)",
        ),
        (
            2,
            "2 incidents: OpenAI (major)",
            "2~incidents~: OpenAI (major)",
        ),
    ] {
        assert_eq!(incidents(en(), n), want_en);
        assert_eq!(incidents(fr(), n), nb(want_fr));
    }
    let hours = |c: &Catalog, n: u32| c.t("tray-pause-hours", &[("hours", n.into())]);
    assert_eq!(hours(en(), 1), "For 1 hour");
    assert_eq!(hours(en(), 8), "For 8 hours");
    assert_eq!(hours(fr(), 1), nb("Pendant 1~heure"));
    assert_eq!(hours(fr(), 8), nb("Pendant 8~heures"));
    let days = |c: &Catalog, n: i64| c.t("time-days-ago", &[("days", n.into())]);
    assert_eq!(days(en(), 1), "1 day ago");
    assert_eq!(days(en(), 2), "2 days ago");
    assert_eq!(days(fr(), 1), nb("il y a 1~jour"));
    assert_eq!(days(fr(), 2), nb("il y a 2~jours"));
    let times = |c: &Catalog, n: u32| c.t("early-times", &[("count", n.into())]);
    assert_eq!(
        [times(en(), 1), times(en(), 3), times(en(), 12)],
        ["once", "three times", "12 times"]
    );
    assert_eq!(
        [times(fr(), 1), times(fr(), 3), times(fr(), 12)],
        [
            "une fois".to_owned(),
            "trois fois".to_owned(),
            nb("12~fois")
        ]
    );
}

#[test]
fn model_words() {
    use crate::model::{Impact, Phase, Status};
    assert_eq!(en().status(Status::PartialOutage), "partial outage");
    assert_eq!(fr().status(Status::PartialOutage), "panne partielle");
    assert_eq!(fr().status(Status::Maintenance), "en maintenance");
    assert_eq!(en().impact(Impact::Major), "major");
    assert_eq!(fr().impact(Impact::Minor), "mineur");
    assert_eq!(en().phase(Phase::InProgress), "in progress");
    assert_eq!(fr().phase(Phase::Investigating), "enquête en cours");
    // English words are the ones the app has always used.
    for s in [
        Status::Operational,
        Status::Maintenance,
        Status::Degraded,
        Status::PartialOutage,
        Status::MajorOutage,
    ] {
        assert_eq!(en().status(s), s.label());
    }
    for p in [Phase::InProgress, Phase::Investigating, Phase::Postmortem] {
        assert_eq!(en().phase(p), p.label());
    }
    assert_eq!(
        capitalize(&fr().phase(Phase::Investigating)),
        "Enquête en cours"
    );
    assert_eq!(capitalize(""), "");
}

/// The words the notifications use in both languages (alerts.rs has the golden pop-ups).
#[test]
fn notification_words() {
    let title = |c: &Catalog, what: String| {
        c.t(
            "notify-title",
            &[("service", "OpenAI".into()), ("what", what.into())],
        )
    };
    let resolved = |c: &Catalog| {
        let d = c.duration(chrono::Duration::minutes(117));
        c.t("notify-resolved-after", &[("duration", d.into())])
    };
    assert_eq!(
        title(en(), resolved(en())),
        "OpenAI — resolved after 1 h 57 min"
    );
    assert_eq!(
        title(fr(), resolved(fr())),
        nb("OpenAI — résolu en 1~h~57~min")
    );
    let lead = |c: &Catalog| {
        c.t(
            "notify-lead-title",
            &[
                ("service", "OpenAI".into()),
                ("what", c.status(crate::model::Status::MajorOutage).into()),
                ("subject", "Elevated errors".into()),
            ],
        )
    };
    assert_eq!(lead(en()), "OpenAI: major outage — Elevated errors");
    assert_eq!(lead(fr()), nb("OpenAI~: panne majeure — Elevated errors"));
    let grouped = |c: &Catalog, n: u32| {
        c.t(
            "notify-grouped-title",
            &[("service", "GitHub".into()), ("count", n.into())],
        )
    };
    assert_eq!(grouped(en(), 2), "GitHub — 2 updates");
    assert_eq!(grouped(fr(), 2), nb("GitHub — 2~mises à jour"));
    let lead_time = |c: &Catalog| {
        let d = c.duration(chrono::Duration::minutes(12));
        c.t("early-lead", &[("duration", d.into())])
    };
    assert_eq!(
        lead_time(en()),
        "Outage Radar suspected it 12 min before the status page."
    );
    assert_eq!(
        lead_time(fr()),
        nb("Outage Radar l’a soupçonnée 12~min avant la page de statut.")
    );
}
