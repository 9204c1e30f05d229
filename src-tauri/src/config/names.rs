//! How Settings' typed choices read and write as the window's JSON: a value's config-file name, with `""` for "not set".

use serde::de::{Error as _, IntoDeserializer as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An enum the window sends as its config-file name (its serde name), or `""` for "not
/// set" (the default, or the catalog's). A name that is no value of it is refused when the
/// settings arrive, naming the values it takes.
pub mod blank {
    use super::*;

    pub fn serialize<S: Serializer, T: Serialize>(
        value: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => v.serialize(s),
            None => s.serialize_str(""),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        let raw = String::deserialize(d)?;
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        T::deserialize(raw.to_owned().into_deserializer())
            .map(Some)
            .map_err(|e: serde::de::value::Error| D::Error::custom(e))
    }
}

/// As [`blank`], for the webhook enums, which the file reads through `FromStr` (its
/// message names the values).
pub mod blank_parsed {
    use super::*;
    use std::fmt::Display;
    use std::str::FromStr;

    pub fn serialize<S: Serializer, T: Display>(
        value: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.collect_str(v),
            None => s.serialize_str(""),
        }
    }

    pub fn deserialize<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: FromStr<Err = String>,
    {
        let raw = String::deserialize(d)?;
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse().map(Some).map_err(D::Error::custom)
    }
}

/// The language setting: `"system"` (or `""`) is the system's, else a tag this app has
/// messages for; another tag is refused, naming the ones it has.
pub mod language {
    use super::*;
    use crate::i18n::Lang;

    const SYSTEM: &str = "system";

    pub fn serialize<S: Serializer>(value: &Option<Lang>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value.map_or(SYSTEM, Lang::tag))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Lang>, D::Error> {
        let raw = String::deserialize(d)?;
        let raw = raw.trim();
        if raw.is_empty() || raw.eq_ignore_ascii_case(SYSTEM) {
            return Ok(None);
        }
        match Lang::parse(raw) {
            Some(lang) => Ok(Some(lang)),
            None => {
                let tags: Vec<&str> = Lang::all().map(Lang::tag).collect();
                Err(D::Error::custom(format!(
                    "{raw:?} is not a language of this app ({}, or {SYSTEM})",
                    tags.join(", ")
                )))
            }
        }
    }
}
