//! Status-page formats: which endpoints each reads and how its bytes become a [`Snapshot`].

pub mod statuspage;

use crate::model::Snapshot;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A status-page format this build can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Atlassian Statuspage v2, and incident.io's Statuspage-compatible API.
    #[default]
    Statuspage,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Statuspage => "statuspage",
        }
    }

    /// The address to fetch for a page URL as a user pastes it.
    pub fn endpoint(self, page_url: &str) -> String {
        let base = page_url.trim_end_matches('/');
        match self {
            Format::Statuspage => format!("{base}/api/v2/summary.json"),
        }
    }

    /// Turns one response body into a snapshot.
    pub fn parse(self, service: &str, page_url: &str, body: &[u8]) -> Result<Snapshot, ParseError> {
        match self {
            Format::Statuspage => statuspage::parse_summary(service, page_url, body),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown format {0:?} (known: statuspage, incidentio)")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            // incident.io pages answer the same Statuspage-compatible API.
            "statuspage" | "atlassian" | "incidentio" | "incident.io" => Ok(Format::Statuspage),
            other => Err(UnknownFormat(other.to_owned())),
        }
    }
}

/// A body that is not what the format promises. Never read as "operational".
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("expected {expected}, got {got}")]
    NotTheFormat { expected: &'static str, got: String },
    #[error("{expected} is malformed: {detail}")]
    Malformed {
        expected: &'static str,
        detail: String,
    },
}

/// Names what a body that failed to parse looks like, for a one-line error.
pub fn describe_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(512)]);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if body.is_empty() || trimmed.is_empty() {
        return "an empty body".to_owned();
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.contains("<body")
    {
        return "an HTML page".to_owned();
    }
    if lower.starts_with("<?xml") || lower.starts_with("<rss") || lower.starts_with("<feed") {
        return "an XML document".to_owned();
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return "JSON of another shape".to_owned();
    }
    let preview: String = trimmed
        .chars()
        .take(40)
        .filter(|c| !c.is_control())
        .collect();
    format!("text starting {preview:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_parse() {
        assert_eq!(
            "statuspage".parse::<Format>().ok(),
            Some(Format::Statuspage)
        );
        assert_eq!(
            "incident.io".parse::<Format>().ok(),
            Some(Format::Statuspage)
        );
        assert!("rss".parse::<Format>().is_err());
    }

    #[test]
    fn endpoint_is_under_the_page() {
        assert_eq!(
            Format::Statuspage.endpoint("https://status.openai.com/"),
            "https://status.openai.com/api/v2/summary.json"
        );
    }

    #[test]
    fn bodies_are_described() {
        assert_eq!(describe_body(b""), "an empty body");
        assert_eq!(describe_body(b"<!DOCTYPE html><html>"), "an HTML page");
        assert_eq!(describe_body(b"  <html lang=en>"), "an HTML page");
        assert_eq!(describe_body(b"<?xml version='1.0'?>"), "an XML document");
        assert_eq!(describe_body(b"{\"a\":1}"), "JSON of another shape");
        assert_eq!(describe_body(b"hello"), "text starting \"hello\"");
    }
}
