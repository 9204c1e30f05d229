//! Fields that tolerate a vendor's small change: a scalar of another type, a null, an odd element in a list — each read as absent or skipped, never fatal to the page.
//!
//! Used with `#[serde(default, deserialize_with = "…")]` on a parser's raw structs. What is
//! read this way goes through `serde_json::Value` first, so it only suits JSON.

use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::Value;

/// Text from any scalar: a string as sent, a number or a boolean as its text; anything else
/// (null, an object, a list) is absent.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
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
                },
            ),
            (
                r#"{"rows": "nope"}"#,
                Page {
                    rows: None,
                    first: None,
                },
            ),
        ];
        for (json, want) in table {
            let got: Page = serde_json::from_str(json).expect(json);
            assert_eq!(got, want, "{json}");
        }
    }
}
