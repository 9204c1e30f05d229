//! Fields that tolerate a vendor's small change: a scalar of another type, a null, an odd element in a list — each read as absent or skipped, never fatal to the page.
//!
//! Used with `#[serde(default, deserialize_with = "…")]` on a parser's raw structs. What is
//! read this way goes through `serde_json::Value` first, so it only suits JSON.

use serde::de::{DeserializeOwned, Deserializer, Error as _, Unexpected};
use serde::Deserialize;
use serde_json::Value;

/// Text from any scalar: a string as sent, a number or a boolean as its text; anything else
/// (null, an object, a list) is absent.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(scalar_text(Value::deserialize(d)?))
}

fn scalar_text(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of text: each scalar element read as [`text`] reads it, any other element skipped
/// (a null quietly, the rest logged); a value that is no list at all is absent.
pub fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    let Value::Array(items) = Value::deserialize(d)? else {
        return Ok(None);
    };
    let nulls = items.iter().filter(|v| v.is_null()).count();
    let total = items.len();
    let read: Vec<String> = items.into_iter().filter_map(scalar_text).collect();
    if read.len() + nulls < total {
        tracing::warn!(
            skipped = total - nulls - read.len(),
            "skipping list elements that are not text"
        );
    }
    Ok(Some(read))
}

/// A boolean, also when sent as `"true"`/`"false"` or 0/1; anything else is absent.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        Value::Number(n) => n.as_u64().map(|n| n != 0),
        _ => None,
    })
}

/// A list whose elements that cannot be read are skipped (and logged), not fatal; a value
/// that is no list at all is absent.
pub fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    let Value::Array(items) = Value::deserialize(d)? else {
        return Ok(None);
    };
    let total = items.len();
    let read: Vec<T> = items
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    if read.len() < total {
        tracing::warn!(
            skipped = total - read.len(),
            "skipping list elements the page sent in an unexpected shape"
        );
    }
    Ok(Some(read))
}

/// Like [`list`], for the list whose key tells a format apart from other JSON: its elements
/// that cannot be read are skipped, but a value that is no list (nor null) is an error, so
/// that another API's object under the same key never reads as an empty, all-clear list.
pub fn key_list<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    let unexpected = match Value::deserialize(d)? {
        Value::Null => return Ok(None),
        v @ Value::Array(_) => return list(v).map_err(D::Error::custom),
        Value::Bool(b) => Unexpected::Bool(b),
        Value::Number(_) => Unexpected::Other("a number"),
        Value::String(_) => Unexpected::Other("a string"),
        Value::Object(_) => Unexpected::Map,
    };
    Err(D::Error::invalid_type(unexpected, &"a list"))
}

/// An object that cannot be read is absent, not fatal.
pub fn object<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    Ok(serde_json::from_value(Value::deserialize(d)?).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        #[serde(default, deserialize_with = "text")]
        name: Option<String>,
        #[serde(default, deserialize_with = "flag")]
        group: Option<bool>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Page {
        #[serde(default, deserialize_with = "list")]
        rows: Option<Vec<Row>>,
        #[serde(default, deserialize_with = "object")]
        first: Option<Row>,
        #[serde(default, deserialize_with = "texts")]
        names: Option<Vec<String>>,
        #[serde(default, deserialize_with = "key_list")]
        keyed: Option<Vec<Row>>,
    }

    #[test]
    fn odd_values_are_absent_and_odd_elements_skipped() {
        let table: Vec<(&str, Page)> = vec![
            (
                r#"{"rows": [{"name": 3, "group": "true"}, 7, {"name": null, "group": 1}, {"name": {"x": 1}}], "first": "x"}"#,
                Page {
                    rows: Some(vec![
                        Row {
                            name: Some("3".to_owned()),
                            group: Some(true),
                        },
                        Row {
                            name: None,
                            group: Some(true),
                        },
                        Row {
                            name: None,
                            group: None,
                        },
                    ]),
                    first: None,
                    names: None,
                    keyed: None,
                },
            ),
            (
                r#"{"rows": null, "first": {"name": "API", "group": false}}"#,
                Page {
                    rows: None,
                    first: Some(Row {
                        name: Some("API".to_owned()),
                        group: Some(false),
                    }),
                    names: None,
                    keyed: None,
                },
            ),
            (
                r#"{"rows": "nope", "names": "API"}"#,
                Page {
                    rows: None,
                    first: None,
                    names: None,
                    keyed: None,
                },
            ),
            (
                r#"{"names": ["API", 3, null, {"x": 1}, true], "keyed": [{"name": "Web"}, 7], "first": null}"#,
                Page {
                    rows: None,
                    first: None,
                    names: Some(vec!["API".to_owned(), "3".to_owned(), "true".to_owned()]),
                    keyed: Some(vec![Row {
                        name: Some("Web".to_owned()),
                        group: None,
                    }]),
                },
            ),
            (
                r#"{"keyed": null}"#,
                Page {
                    rows: None,
                    first: None,
                    names: None,
                    keyed: None,
                },
            ),
        ];
        for (json, want) in table {
            let got: Page = serde_json::from_str(json).expect(json);
            assert_eq!(got, want, "{json}");
        }
        // The list that tells the format must be one: an object there is another API's.
        for json in [r#"{"keyed": {"indicator": "none"}}"#, r#"{"keyed": "x"}"#] {
            let got = serde_json::from_str::<Page>(json);
            assert!(got.is_err(), "{json}");
        }
    }
}
