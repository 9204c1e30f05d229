//! The catalog as the window reads it: every message as text, arguments and plural choices, rendered in JS.
//!
//! The window has no Fluent of its own: it asks for this export of the current language and
//! fills the arguments in, choosing plural variants with `Intl.PluralRules` (exact number
//! keys first, then the plural category, then the default, as Fluent does). One source of
//! truth, and a test renders every message both ways and compares.

use super::Catalog;
use fluent_syntax::ast::{
    Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// One piece of a message: `"text"`, `{"var": "count"}` or a plural choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Part {
    Text(String),
    Var {
        var: String,
    },
    Select {
        select: String,
        /// By key: a number ("1") or a plural category ("one", "other").
        variants: BTreeMap<String, Vec<Part>>,
        default: String,
    },
}

/// The export for the window: the language tag, every message, and the languages Settings
/// offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowMessages {
    pub lang: &'static str,
    pub messages: BTreeMap<String, Vec<Part>>,
    pub languages: Vec<LanguageChoice>,
}

/// One language Settings offers, by its own name: `{"tag": "fr", "name": "Français"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageChoice {
    pub tag: &'static str,
    pub name: String,
}

/// What the window's `get_messages` answers: the language in force, exported.
pub fn for_window() -> WindowMessages {
    super::current().window_messages()
}

impl Catalog {
    /// Every message of this language as the window renders it. A construct the window
    /// cannot render (a function call, a reference) leaves the message out and is logged;
    /// the tests hold the shipped files to none.
    pub fn window_messages(&self) -> WindowMessages {
        let resource = match fluent_syntax::parser::parse(self.lang().source()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        let mut messages = BTreeMap::new();
        for entry in &resource.body {
            let Entry::Message(m) = entry else { continue };
            let Some(value) = &m.value else { continue };
            match parts(value) {
                Ok(p) => {
                    messages.insert(m.id.name.to_owned(), p);
                }
                Err(why) => {
                    tracing::warn!(id = m.id.name, why, "message not exported to the window")
                }
            }
        }
        WindowMessages {
            lang: self.lang().tag(),
            messages,
            languages: super::Lang::all()
                .map(|l| LanguageChoice {
                    tag: l.tag(),
                    name: l.native_name(),
                })
                .collect(),
        }
    }
}

fn parts(p: &Pattern<&str>) -> Result<Vec<Part>, &'static str> {
    let mut out: Vec<Part> = Vec::new();
    for element in &p.elements {
        let part = match element {
            PatternElement::TextElement { value } => Part::Text((*value).to_owned()),
            PatternElement::Placeable { expression } => expression_part(expression)?,
        };
        // Adjacent text (a string literal next to text) reads as one piece.
        match (out.last_mut(), part) {
            (Some(Part::Text(prev)), Part::Text(next)) => prev.push_str(&next),
            (_, part) => out.push(part),
        }
    }
    Ok(out)
}

fn expression_part(e: &Expression<&str>) -> Result<Part, &'static str> {
    match e {
        Expression::Inline(i) => inline_part(i),
        Expression::Select { selector, variants } => {
            let InlineExpression::VariableReference { id } = selector else {
                return Err("a choice on something other than an argument");
            };
            let mut out = BTreeMap::new();
            let mut default = String::new();
            for v in variants {
                let key = match v.key {
                    VariantKey::Identifier { name } => name.to_owned(),
                    VariantKey::NumberLiteral { value } => value.to_owned(),
                };
                if v.default {
                    default.clone_from(&key);
                }
                out.insert(key, parts(&v.value)?);
            }
            Ok(Part::Select {
                select: id.name.to_owned(),
                variants: out,
                default,
            })
        }
    }
}

fn inline_part(i: &InlineExpression<&str>) -> Result<Part, &'static str> {
    match i {
        InlineExpression::VariableReference { id } => Ok(Part::Var {
            var: id.name.to_owned(),
        }),
        InlineExpression::StringLiteral { value } => Ok(Part::Text((*value).to_owned())),
        InlineExpression::NumberLiteral { value } => Ok(Part::Text((*value).to_owned())),
        InlineExpression::Placeable { expression } => expression_part(expression),
        InlineExpression::FunctionReference { .. } => Err("a function call"),
        InlineExpression::MessageReference { .. } | InlineExpression::TermReference { .. } => {
            Err("a reference to another message")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{lint, Arg, Lang};
    use intl_pluralrules::{PluralRuleType, PluralRules};

    /// What the window's renderer does, written again in Rust with the same CLDR rules.
    fn render(parts: &[Part], args: &BTreeMap<&str, Arg>, rules: &PluralRules) -> String {
        let mut out = String::new();
        for p in parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Var { var } => match args.get(var.as_str()) {
                    Some(Arg::Text(t)) => out.push_str(t),
                    Some(Arg::Number(n)) => out.push_str(&n.to_string()),
                    None => out.push_str(&format!("{{${var}}}")),
                },
                Part::Select {
                    select,
                    variants,
                    default,
                } => {
                    let chosen = match args.get(select.as_str()) {
                        Some(Arg::Number(n)) => variants.get(&n.to_string()).or_else(|| {
                            let category = rules.select(*n).ok()?;
                            variants.get(&format!("{category:?}").to_lowercase())
                        }),
                        _ => None,
                    };
                    let v = chosen.or_else(|| variants.get(default));
                    out.push_str(&render(v.map_or(&[][..], Vec::as_slice), args, rules));
                }
            }
        }
        out
    }

    #[test]
    fn the_window_renders_every_message_as_rust_does() {
        let english = lint::shapes(Lang::ENGLISH.source()).expect("clean");
        for lang in Lang::all() {
            let catalog = Catalog::get(lang);
            let export = catalog.window_messages();
            assert_eq!(export.lang, lang.tag());
            assert_eq!(export.messages.len(), english.len(), "{lang}: all exported");
            let langid: unic_langid::LanguageIdentifier = lang.tag().parse().expect("tag");
            let rules = PluralRules::create(langid, PluralRuleType::CARDINAL).expect("rules");
            for (id, shape) in &english {
                for n in [0.0, 1.0, 2.0, 3.0, 12.0] {
                    let args: Vec<(&str, Arg)> = shape
                        .variables
                        .iter()
                        .map(|v| (v.as_str(), Arg::Number(n)))
                        .collect();
                    let want = catalog.t(id, &args);
                    let got = render(&export.messages[id], &args.into_iter().collect(), &rules);
                    assert_eq!(got, want, "{lang} {id} with {n}");
                }
            }
        }
    }

    #[test]
    fn the_export_is_plain_json() {
        let fr = Catalog::get(Lang::parse("fr").expect("fr")).window_messages();
        let json = serde_json::to_value(&fr).expect("json");
        assert_eq!(json["lang"], "fr");
        assert_eq!(
            json["languages"],
            serde_json::json!([
                {"tag": "en", "name": "English"},
                {"tag": "fr", "name": "Français"},
            ])
        );
        assert_eq!(
            json["messages"]["tab-settings"],
            serde_json::json!(["Réglages"])
        );
        assert_eq!(
            json["messages"]["summary-incidents"],
            serde_json::json!([
                {
                    "select": "count",
                    "variants": {
                        "one": [{"var": "count"}, "\u{a0}incident"],
                        "other": [{"var": "count"}, "\u{a0}incidents"],
                    },
                    "default": "other",
                },
                "\u{a0}: ",
                {"var": "list"},
            ])
        );
    }
}
