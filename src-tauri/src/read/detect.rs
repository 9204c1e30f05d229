//! Finds which format a pasted status-page URL speaks, refusing pages that only look like one.

use crate::config::{catalog, CatalogEntry, ServiceConfig};
use crate::fetch::{validate_url, FetchError, Fetcher, UrlError};
use crate::i18n::Describe as _;
use crate::model::ServiceId;
use crate::model::Snapshot;
use crate::sources::{Bodies, Filter, Format, Source};
use serde::Serialize;

/// What detection found: enough to write a `[[services]]` entry.
#[derive(Debug, Clone, Serialize)]
pub struct Detected {
    pub format: Format,
    /// The address that answered in that format.
    pub endpoint: String,
    /// Set when the format's own address under the page URL is not the one that answered
    /// (a feed, Instatus' legacy summary, a known host's API).
    pub endpoint_override: Option<String>,
    /// The catalog entry this page is, if any.
    pub catalog_name: Option<String>,
    pub snapshot: Snapshot,
}

/// One address tried and why it was not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tried {
    pub url: String,
    pub format: Format,
    pub why: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error(transparent)]
    Url(#[from] UrlError),
    #[error("{url}: unknown format: none of the known status-page formats answered{}", list(.tried))]
    NotFound { url: String, tried: Vec<Tried> },
    /// The host does not answer at all: trying more paths would only repeat that.
    #[error(transparent)]
    Unreachable(FetchError),
}

impl DetectError {
    /// What people read (`Display` stays English for logs); each address tried follows on
    /// its own line, as it answered.
    pub fn message(&self, cat: &crate::i18n::Catalog) -> String {
        match self {
            DetectError::Url(e) => e.message(cat),
            DetectError::NotFound { url, tried } => {
                let head = cat.t("error-detect-not-found", &[("url", url.into())]);
                format!("{head}{}", list(tried))
            }
            DetectError::Unreachable(e) => e.message(cat),
        }
    }
}

fn list(tried: &[Tried]) -> String {
    let mut out = String::new();
    for t in tried {
        out.push_str(&format!("\n  {} ({}): {}", t.url, t.format.label(), t.why));
    }
    out
}

/// One candidate: a format and the address to try it at.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Candidate {
    format: Format,
    url: String,
    /// Whether `url` differs from what `format.endpoints(page)` gives.
    is_override: bool,
}

/// The candidates for a page URL, most specific first: known hosts, then Statuspage,
/// incident.io's native API, Instatus, Better Stack, and feeds last (many platforms serve
/// a feed beside their JSON, and the JSON says more).
fn candidates(page: &url::Url) -> Vec<Candidate> {
    let base = page.as_str().trim_end_matches('/').to_owned();
    let host = page.host_str().unwrap_or_default().to_ascii_lowercase();
    let path = page.path().trim_end_matches('/').to_ascii_lowercase();
    let own = |format: Format| -> Option<Candidate> {
        let endpoints = format.endpoints(&base, None).ok()?;
        endpoints.into_iter().next().map(|e| Candidate {
            format,
            url: e.url,
            is_override: false,
        })
    };
    let at = |format: Format, url: String| Candidate {
        format,
        url,
        is_override: true,
    };

    // Known hosts: the page's own address says which API it has.
    let known: Option<Candidate> = match host.as_str() {
        "slack-status.com" | "status.slack.com" => own(Format::Slack),
        "status.heroku.com" => own(Format::Heroku),
        "health.aws.amazon.com" | "status.aws.amazon.com" => own(Format::Aws),
        "status.cloud.google.com" => own(Format::Google),
        "www.google.com" if path.starts_with("/appsstatus") => own(Format::Google),
        "azure.status.microsoft" | "status.azure.com" => Some(at(
            Format::Feed,
            "https://azure.status.microsoft/en-us/status/feed/".to_owned(),
        )),
        "api.status.io" => Some(at(Format::Statusio, base.clone())),
        _ => None,
    };
    if let Some(k) = known {
        return vec![k];
    }
    let mut out = Vec::new();
    // A URL that already names an endpoint is tried as it is first.
    if path.ends_with(".atom") || path.ends_with(".rss") || path.ends_with(".xml") {
        out.push(at(Format::Feed, base.clone()));
    }
    if path.ends_with("/incidents.json") {
        out.push(at(Format::Google, base.clone()));
    }
    out.extend(own(Format::Statuspage));
    out.push(at(Format::Incidentio, format!("{base}/proxy/{host}")));
    // The widget, which some pages serve without the other two.
    out.push(at(Format::Incidentio, format!("{base}/proxy/widget")));
    out.push(at(Format::Incidentio, format!("{base}/api/v1/summary")));
    out.extend(own(Format::Instatus));
    out.push(at(Format::Instatus, format!("{base}/summary.json")));
    out.extend(own(Format::Betterstack));
    // Pages that mirror a known provider's API under another host.
    if path.contains("/1.0/status/") {
        out.push(at(Format::Statusio, base.clone()));
    }
    out.extend(own(Format::Slack));
    out.extend(own(Format::Heroku));
    out.extend(own(Format::Aws));
    out.extend(own(Format::Google));
    for feed in [
        "history.atom",
        "history.rss",
        "feed.rss",
        "feed.atom",
        "rss",
        "feed",
    ] {
        out.push(at(Format::Feed, format!("{base}/{feed}")));
    }
    out
}

/// The catalog entry whose page is this URL.
fn catalog_match(page: &url::Url) -> Option<CatalogEntry> {
    let wanted = page.as_str().trim_end_matches('/').to_ascii_lowercase();
    catalog()
        .into_iter()
        .filter(|e| e.products.is_empty() && e.regions.is_empty())
        .find(|e| e.url.trim_end_matches('/').to_ascii_lowercase() == wanted)
}

/// Tries each candidate in order and returns the first that answers in its format.
pub async fn detect(fetcher: &Fetcher, page_url: &str) -> Result<Detected, DetectError> {
    let page = validate_url(page_url)?;
    let page_str = page.as_str().trim_end_matches('/').to_owned();
    let entry = catalog_match(&page);
    let list: Vec<Candidate> = match &entry {
        // A catalog page is known: confirm its format rather than guess.
        Some(e) => match e.format.endpoints(&e.url, e.endpoint.as_deref()) {
            Ok(endpoints) => endpoints
                .into_iter()
                .take(1)
                .map(|ep| Candidate {
                    format: e.format,
                    url: ep.url,
                    is_override: e.endpoint.is_some(),
                })
                .collect(),
            Err(_) => candidates(&page),
        },
        None => candidates(&page),
    };
    let filter = Filter::default();
    let name = page.host_str().unwrap_or("service").to_owned();
    let src = Source {
        service: &name,
        page_url: &page_str,
        filter: &filter,
    };
    let mut tried = Vec::new();
    for c in list {
        match try_one(fetcher, &src, &c).await {
            Ok(snapshot) => {
                // The compatible API of an incident.io page is read as incident.io.
                let format =
                    if c.format == Format::Statuspage && snapshot.format == Format::Incidentio {
                        Format::Incidentio
                    } else {
                        c.format
                    };
                // incident.io's native summary and widget are read where they answered:
                // the compatible API under the page did not (it is tried first).
                let endpoint_override = c.is_override.then(|| c.url.clone());
                // Read it as the watcher will (extra endpoints too), so what is shown is
                // what will be watched; the first answer stands if that read fails.
                let service = ServiceConfig {
                    id: ServiceId::from_name(&name),
                    name: name.clone(),
                    url: page_str.clone(),
                    format,
                    endpoint: endpoint_override.clone(),
                    filter: Filter::default(),
                    enabled: true,
                    prefs: Default::default(),
                    probes: Vec::new(),
                };
                let snapshot = match super::read_once(fetcher, &service).await {
                    Ok(full) => full,
                    Err(e) => {
                        tracing::debug!(error = %e.message, "full read after detection failed");
                        snapshot
                    }
                };
                return Ok(Detected {
                    format,
                    endpoint: c.url.clone(),
                    endpoint_override,
                    catalog_name: entry.map(|e| e.name),
                    snapshot,
                });
            }
            Err(Attempt::Unreachable(e)) if tried.is_empty() => {
                return Err(DetectError::Unreachable(e));
            }
            Err(Attempt::Unreachable(e)) => {
                tried.push(Tried {
                    url: c.url,
                    format: c.format,
                    why: e.to_string(),
                });
            }
            Err(Attempt::No(why)) => {
                tracing::debug!(url = %c.url, format = %c.format, %why, "not this format");
                tried.push(Tried {
                    url: c.url,
                    format: c.format,
                    why,
                });
            }
        }
    }
    Err(DetectError::NotFound {
        url: page_str,
        tried,
    })
}

/// Why a candidate was not taken.
enum Attempt {
    /// Nothing answered (connect failure, timeout).
    Unreachable(FetchError),
    /// Something answered, but not in this format.
    No(String),
}

async fn try_one(fetcher: &Fetcher, src: &Source<'_>, c: &Candidate) -> Result<Snapshot, Attempt> {
    let fetched = fetcher.fetch(&c.url).await.map_err(|e| match e {
        FetchError::Status { status, .. } => Attempt::No(format!("HTTP {status}")),
        e @ (FetchError::Connect { .. } | FetchError::Timeout { .. }) => Attempt::Unreachable(e),
        other => Attempt::No(other.to_string()),
    })?;
    if let Some(why) = redirect_decoy(&c.url, &fetched.final_url) {
        return Err(Attempt::No(why));
    }
    c.format
        .parse(src, &Bodies::main(&fetched.body))
        .map_err(|e| Attempt::No(e.to_string()))
}

/// A redirect that lands somewhere without the path we asked for is a catch-all (a moved or
/// unclaimed page sending everything to its home page), not an answer.
fn redirect_decoy(asked: &str, landed: &str) -> Option<String> {
    let (Ok(a), Ok(l)) = (url::Url::parse(asked), url::Url::parse(landed)) else {
        return None;
    };
    let wanted = a.path().trim_end_matches('/');
    let got = l.path().trim_end_matches('/');
    if wanted == got {
        return None;
    }
    // The last path segment (`summary.json`, `history.atom`) must survive a redirect.
    let last = wanted.rsplit('/').next().unwrap_or_default();
    if !last.is_empty() && got.ends_with(last) {
        return None;
    }
    Some(format!("redirected to {landed} (the path was dropped)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats(url: &str) -> Vec<(Format, String)> {
        let u = url::Url::parse(url).expect("url");
        candidates(&u)
            .into_iter()
            .map(|c| (c.format, c.url))
            .collect()
    }

    #[test]
    fn known_hosts_skip_guessing() {
        assert_eq!(
            formats("https://slack-status.com/"),
            [(
                Format::Slack,
                "https://slack-status.com/api/v2.0.0/current".to_owned()
            )]
        );
        assert_eq!(
            formats("https://health.aws.amazon.com/health/status")[0].1,
            "https://health.aws.amazon.com/public/currentevents"
        );
        assert_eq!(
            formats("https://www.google.com/appsstatus/dashboard/")[0],
            (
                Format::Google,
                "https://www.google.com/appsstatus/dashboard/incidents.json".to_owned()
            )
        );
        assert_eq!(formats("https://azure.status.microsoft")[0].0, Format::Feed);
    }

    #[test]
    fn unknown_hosts_are_tried_in_the_documented_order() {
        let order: Vec<Format> = formats("https://status.example.com")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        let first = |f: Format| order.iter().position(|x| *x == f).expect("tried");
        assert!(first(Format::Statuspage) < first(Format::Incidentio));
        assert!(first(Format::Incidentio) < first(Format::Instatus));
        assert!(first(Format::Instatus) < first(Format::Betterstack));
        assert!(first(Format::Betterstack) < first(Format::Feed));
        assert_eq!(
            formats("https://status.example.com")[1].1,
            "https://status.example.com/proxy/status.example.com"
        );
        let incidentio: Vec<String> = formats("https://status.example.com")
            .into_iter()
            .filter(|(f, _)| *f == Format::Incidentio)
            .map(|(_, url)| url)
            .collect();
        assert_eq!(
            incidentio,
            [
                "https://status.example.com/proxy/status.example.com",
                "https://status.example.com/proxy/widget",
                "https://status.example.com/api/v1/summary"
            ]
        );
        // A pasted feed address is tried as a feed first.
        assert_eq!(
            formats("https://status.example.com/history.atom")[0],
            (
                Format::Feed,
                "https://status.example.com/history.atom".to_owned()
            )
        );
    }

    #[test]
    fn redirects_that_drop_the_path_are_decoys() {
        assert_eq!(
            redirect_decoy(
                "https://status.x.com/api/v2/summary.json",
                "https://status.x.com/api/v2/summary.json"
            ),
            None
        );
        assert_eq!(
            redirect_decoy(
                "http://x.com/api/v2/summary.json",
                "https://www.x.com/api/v2/summary.json"
            ),
            None,
            "a host or scheme change keeps the path"
        );
        let why = redirect_decoy(
            "https://status.x.com/api/v2/summary.json",
            "https://www.x.com/",
        )
        .expect("decoy");
        assert!(why.contains("path was dropped"), "{why}");
    }

    #[test]
    fn catalog_pages_are_recognised() {
        let u = url::Url::parse("https://status.openai.com/").expect("url");
        let e = catalog_match(&u).expect("OpenAI is in the catalog");
        assert_eq!(e.name, "OpenAI");
        assert_eq!(e.format, Format::Incidentio);
        let u = url::Url::parse("https://status.example.com").expect("url");
        assert!(catalog_match(&u).is_none());
    }
}
