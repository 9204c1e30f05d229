//! Which language: the config's choice, else the system's preferred languages, else English.

use super::Lang;

/// The locale variables of a POSIX system (Linux, the BSDs), as the environment has them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PosixLocale<'a> {
    pub lc_all: Option<&'a str>,
    pub lc_messages: Option<&'a str>,
    pub lang: Option<&'a str>,
    /// GNU's priority list, "fr:en".
    pub language: Option<&'a str>,
}

impl PosixLocale<'_> {
    /// The languages asked for, most wanted first. The locale is the first set of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG`; as in gettext, a `C`/`POSIX` (or missing) locale
    /// means untranslated and `LANGUAGE` is ignored, otherwise `LANGUAGE`'s entries come
    /// before the locale. (gettext stops at `LANGUAGE`; falling back to the locale after it
    /// is kinder to `LANGUAGE=de` with `LANG=fr_FR`.)
    pub fn preferred(&self) -> Vec<String> {
        fn set(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let Some(locale) = set(self.lc_all)
            .or_else(|| set(self.lc_messages))
            .or_else(|| set(self.lang))
        else {
            return Vec::new();
        };
        let base = locale.split(['.', '@']).next().unwrap_or_default();
        if base.eq_ignore_ascii_case("C") || base.eq_ignore_ascii_case("POSIX") {
            return Vec::new();
        }
        let mut out: Vec<String> = set(self.language)
            .map(|l| {
                l.split(':')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        out.push(locale.to_owned());
        out
    }
}

/// The language to speak: `setting` (the config's `language`) when it names a supported
/// language, else the first supported of `system` (most wanted first), else English. An
/// absent, "system" or unsupported setting defers to the system.
pub fn choose(setting: Option<&str>, system: &[String]) -> Lang {
    setting
        .filter(|s| !s.trim().eq_ignore_ascii_case("system"))
        .and_then(Lang::parse)
        .or_else(|| system.iter().find_map(|t| Lang::parse(t)))
        .unwrap_or(Lang::ENGLISH)
}

/// The system's preferred languages, most wanted first (BCP-47 tags or POSIX locale names).
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
pub fn system_languages() -> Vec<String> {
    let var = |k: &str| std::env::var(k).ok();
    let (lc_all, lc_messages, lang, language) = (
        var("LC_ALL"),
        var("LC_MESSAGES"),
        var("LANG"),
        var("LANGUAGE"),
    );
    PosixLocale {
        lc_all: lc_all.as_deref(),
        lc_messages: lc_messages.as_deref(),
        lang: lang.as_deref(),
        language: language.as_deref(),
    }
    .preferred()
}

/// The system's preferred languages, most wanted first, as the OS lists them.
#[cfg(any(target_os = "macos", target_os = "windows"))]
pub fn system_languages() -> Vec<String> {
    sys_locale::get_locales().collect()
}
