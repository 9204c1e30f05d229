//! Speaks the user's language: which one, its message catalog, and the dates, durations and numbers written in it.
//!
//! Every text a person reads comes from one Fluent file per language (`locales/<tag>.ftl`,
//! embedded in the binary). [`choose`] picks the language from the config and the system,
//! [`set_current`] switches it at run time (Settings), and whoever writes for people asks
//! [`current`] for the [`Catalog`] at the moment it writes: the tray, the summary line,
//! notifications and the command line all follow a switch without a restart.
//! `--json` output, log lines and config keys never go through here.

mod catalog;
mod errors;
mod format;
mod select;
mod window;
mod words;

#[cfg(test)]
mod lint;
#[cfg(test)]
mod tests;

pub use catalog::{Arg, Catalog};
pub use errors::Describe;
pub use select::{choose, system_languages, PosixLocale};
pub use window::{for_window, LanguageChoice, Part, WindowMessages};

use serde::Serialize;
use std::sync::atomic::{AtomicU8, Ordering};

/// The languages there is a message file for. Adding a language is adding
/// `locales/<tag>.ftl` and its line here; a test fails when the two disagree. English
/// comes first: it is the fallback for anything unknown.
const LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("../../locales/en.ftl")),
    ("fr", include_str!("../../locales/fr.ftl")),
];
const _: () = assert!(!LANGUAGES.is_empty() && LANGUAGES.len() <= u8::MAX as usize);

/// A language there is a message file for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(u8);

impl Lang {
    /// The fallback: unknown, unsupported or `C` locales read English.
    pub const ENGLISH: Lang = Lang(0);

    /// Every supported language, English first.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..LANGUAGES.len()).filter_map(|i| u8::try_from(i).ok().map(Lang))
    }

    /// The language of a locale name or language tag: `fr`, `fr_CA`, `fr-BE`,
    /// `fr_FR.UTF-8@euro` are all French. `None` when there is no file for it.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default();
        if primary.is_empty() {
            return None;
        }
        Lang::all().find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// The file's tag: "en", "fr".
    pub fn tag(self) -> &'static str {
        LANGUAGES
            .get(usize::from(self.0))
            .map_or("en", |(tag, _)| tag)
    }

    /// The language's own name, as its file writes it: "Français".
    pub fn native_name(self) -> String {
        Catalog::get(self).t("language-name", &[])
    }

    fn source(self) -> &'static str {
        LANGUAGES
            .get(usize::from(self.0))
            .map_or("", |(_, src)| src)
    }
}

impl Default for Lang {
    fn default() -> Self {
        Lang::ENGLISH
    }
}

impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.tag())
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

/// The language texts are written in now: one per process, switched by Settings. Readers
/// take the catalog each time they write, so a switch shows in the next text written.
#[derive(Debug)]
pub struct Current(AtomicU8);

impl Current {
    pub const fn new(lang: Lang) -> Self {
        Current(AtomicU8::new(lang.0))
    }

    pub fn lang(&self) -> Lang {
        let i = self.0.load(Ordering::Relaxed);
        Lang::all().find(|l| l.0 == i).unwrap_or(Lang::ENGLISH)
    }

    pub fn set(&self, lang: Lang) {
        self.0.store(lang.0, Ordering::Relaxed);
    }

    pub fn catalog(&self) -> &'static Catalog {
        Catalog::get(self.lang())
    }
}

static CURRENT: Current = Current::new(Lang::ENGLISH);

/// The catalog of the language in force.
pub fn current() -> &'static Catalog {
    CURRENT.catalog()
}

/// The language in force.
pub fn current_lang() -> Lang {
    CURRENT.lang()
}

/// Switches every text written from now on to `lang`.
pub fn set_current(lang: Lang) {
    if CURRENT.lang() != lang {
        tracing::info!(language = lang.tag(), "language");
    }
    CURRENT.set(lang);
}

/// Sets the language from the config's `language` (`None` or "system": the system's) and
/// returns it.
pub fn init(setting: Option<&str>) -> Lang {
    let lang = choose(setting, &system_languages());
    set_current(lang);
    lang
}

/// Upper-cases the first letter: a phase or a change word that starts a line.
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
