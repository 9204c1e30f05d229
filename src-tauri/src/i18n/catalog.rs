//! One language's messages: the embedded Fluent file, resolved by id with named arguments.

use super::{Lang, LANGUAGES};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::OnceLock;

/// A named argument's value: text is inserted as is, a number also selects plural forms.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    Number(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Text(Cow::Owned(s))
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {
        $(impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        })*
    };
}
// Counts, days and years: far below 2^53, where f64 is exact.
number_args!(u8, u16, u32, u64, usize, i32, i64);

/// One language's messages.
pub struct Catalog {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").field("lang", &self.lang).finish()
    }
}

impl Catalog {
    /// The catalog of `lang`, parsed on first use and kept for the life of the process.
    /// Each language on its own: a tray that speaks one language holds one parsed file
    /// (about 400 KiB each, BENCHMARKS.md), not all of them.
    pub fn get(lang: Lang) -> &'static Catalog {
        static ALL: [OnceLock<Catalog>; LANGUAGES.len()] =
            [const { OnceLock::new() }; LANGUAGES.len()];
        // A Lang only comes from the list the array is built from: the modulo never bites.
        let i = usize::from(lang.0) % LANGUAGES.len();
        ALL[i].get_or_init(|| Catalog::load(lang))
    }

    pub fn english() -> &'static Catalog {
        Catalog::get(Lang::ENGLISH)
    }

    /// Builds a catalog; a damaged file keeps the messages that parsed (tests hold the
    /// shipped files to zero errors).
    fn load(lang: Lang) -> Catalog {
        let resource = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(
            |(partial, errors)| {
                tracing::error!(language = lang.tag(), ?errors, "message file has errors");
                partial
            },
        );
        let id = lang.tag().parse().unwrap_or_else(|e| {
            tracing::error!(language = lang.tag(), error = %e, "language tag unreadable");
            unic_langid::LanguageIdentifier::default()
        });
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Unicode isolation marks around arguments show as boxes in notifications and
        // menus; names and titles are isolated by the window's CSS instead.
        bundle.set_use_isolating(false);
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(
                language = lang.tag(),
                ?errors,
                "message file has duplicates"
            );
        }
        Catalog { lang, bundle }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether the file has this message.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message `id` with its arguments. An id missing here is taken from English, and
    /// failing that shown as the id itself: a visible gap, never a panic.
    pub fn t(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        match self.format(id, args) {
            Some(s) => s,
            None if self.lang != Lang::ENGLISH => {
                tracing::warn!(language = self.lang.tag(), id, "message missing");
                Catalog::english().t(id, args)
            }
            None => {
                tracing::warn!(id, "message missing");
                id.to_owned()
            }
        }
    }

    fn format(&self, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
        let (text, errors) = self.format_with_errors(id, args)?;
        if !errors.is_empty() {
            tracing::warn!(language = self.lang.tag(), id, ?errors, "message arguments");
        }
        Some(text)
    }

    fn format_with_errors(
        &self,
        id: &str,
        args: &[(&str, Arg<'_>)],
    ) -> Option<(String, Vec<fluent_bundle::FluentError>)> {
        let pattern = self.bundle.get_message(id)?.value()?;
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            let v = match value {
                Arg::Text(s) => FluentValue::from(s.as_ref()),
                Arg::Number(n) => FluentValue::from(*n),
            };
            fluent_args.set(*name, v);
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned();
        Some((text, errors))
    }

    /// What resolving `id` went wrong on (a missing message counts).
    #[cfg(test)]
    pub(crate) fn errors_for(&self, id: &str, args: &[(&str, Arg<'_>)]) -> Vec<String> {
        match self.format_with_errors(id, args) {
            None => vec![format!("{id}: missing")],
            Some((_, errors)) => errors.iter().map(|e| format!("{e:?}")).collect(),
        }
    }
}
