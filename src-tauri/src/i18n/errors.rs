//! The fetcher's failures in the user's words: the HTTP layer returns data, this says it.

use super::Catalog;
use crate::fetch::{FetchError, UrlError};

/// An error as people read it (`Display` stays English, for logs).
pub trait Describe {
    fn message(&self, cat: &Catalog) -> String;
}

impl Describe for UrlError {
    /// What people read (`Display` stays English for logs).
    fn message(&self, cat: &Catalog) -> String {
        let quoted = |u: &str| format!("{u:?}");
        match self {
            UrlError::Unparsable(url, error) => cat.t(
                "error-url-unparsable",
                &[("url", quoted(url).into()), ("error", error.into())],
            ),
            UrlError::Insecure(url) => cat.t("error-url-insecure", &[("url", quoted(url).into())]),
            UrlError::Scheme(url, scheme) => cat.t(
                "error-url-scheme",
                &[
                    ("url", quoted(url).into()),
                    ("scheme", quoted(scheme).into()),
                ],
            ),
        }
    }
}

impl Describe for FetchError {
    /// What people read (`Display` stays English for logs). Numbers go in as text: a
    /// status code or a byte count is no quantity to write the local way.
    fn message(&self, cat: &Catalog) -> String {
        match self {
            FetchError::Url(e) => e.message(cat),
            FetchError::Timeout { url } => cat.t("error-fetch-timeout", &[("url", url.into())]),
            FetchError::Connect { url, reason } => cat.t(
                "error-fetch-connect",
                &[("url", url.into()), ("reason", reason.into())],
            ),
            FetchError::Status { url, status } => cat.t(
                "error-fetch-status",
                &[("url", url.into()), ("status", status.to_string().into())],
            ),
            FetchError::RateLimited {
                url,
                status,
                retry_after,
            } => {
                let args = |id| {
                    let mut args = vec![("url", url.into()), ("status", status.to_string().into())];
                    if let Some(d) = retry_after {
                        args.push(("secs", d.as_secs().to_string().into()));
                    }
                    cat.t(id, &args)
                };
                match retry_after {
                    Some(_) => args("error-fetch-rate-limited-retry"),
                    None => args("error-fetch-rate-limited"),
                }
            }
            FetchError::TooLarge { url, limit } => cat.t(
                "error-fetch-too-large",
                &[("url", url.into()), ("limit", limit.to_string().into())],
            ),
            FetchError::Request { .. } | FetchError::Client(_) => self.to_string(),
        }
    }
}
