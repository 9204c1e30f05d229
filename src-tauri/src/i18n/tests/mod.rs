//! The catalog's tests: the files agree and the language is chosen right; `coverage` and
//! `golden` hold the rest.

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

mod coverage;
mod golden;

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
