//! The one-shot commands: `check` a page, `detect` its format, list the `catalog`.

use super::{runtime, CliError};
use crate::config;
use crate::fetch::{validate_url, FetchLimits, Fetcher};
use crate::i18n::Catalog;
use crate::model::{ServiceId, Snapshot, Status};
use crate::read::{detect, read_once};
use crate::sources::Format;

/// A service's display name for a pasted URL: the catalog's name, else the host.
fn name_for(url: &url::Url) -> String {
    let wanted = url.as_str().trim_end_matches('/');
    config::catalog()
        .into_iter()
        .find(|e| e.url.trim_end_matches('/') == wanted)
        .map(|e| e.name)
        .unwrap_or_else(|| url.host_str().unwrap_or("service").to_owned())
}

pub fn check(
    raw_url: &str,
    format: Option<&str>,
    endpoint: Option<&str>,
    json: bool,
) -> Result<(), CliError> {
    let url = validate_url(raw_url).map_err(|e| CliError::Usage(e.to_string()))?;
    if let Some(e) = endpoint {
        validate_url(e).map_err(|e| CliError::Usage(e.to_string()))?;
    }
    let page = url.as_str().trim_end_matches('/').to_owned();
    let rt = runtime()?;
    let fetcher = Fetcher::new(FetchLimits::default())?;
    let snapshot = match format {
        Some(f) => {
            let format: Format = f
                .parse()
                .map_err(|e: crate::sources::UnknownFormat| CliError::Usage(e.to_string()))?;
            format
                .endpoints(&page, endpoint)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            let name = name_for(&url);
            let entry = config::catalog_entry(&name);
            let service = config::ServiceConfig {
                id: ServiceId::from_name(&name),
                name,
                url: page,
                format,
                endpoint: endpoint.map(str::to_owned),
                filter: entry.map(|e| e.filter()).unwrap_or_default(),
                enabled: true,
                prefs: Default::default(),
                probes: Vec::new(),
            };
            rt.block_on(read_once(&fetcher, &service))
                .map_err(|e| CliError::Read(e.message))?
        }
        None => {
            let mut found = rt.block_on(detect::detect(&fetcher, &page))?;
            found.snapshot.service = name_for(&url);
            found.snapshot
        }
    };
    if json {
        println!("{}", serde_json::to_string(&snapshot)?);
    } else {
        print!("{}", render(crate::i18n::current(), &snapshot));
    }
    Ok(())
}

pub fn detect(raw_url: &str, json: bool) -> Result<(), CliError> {
    let url = validate_url(raw_url).map_err(|e| CliError::Usage(e.to_string()))?;
    let fetcher = Fetcher::new(FetchLimits::default())?;
    let found = runtime()?.block_on(detect::detect(&fetcher, url.as_str()))?;
    if json {
        println!("{}", serde_json::to_string(&found)?);
        return Ok(());
    }
    let s = &found.snapshot;
    let cat = crate::i18n::current();
    println!(
        "{}",
        cat.t(
            "cli-detect-found",
            &[
                ("url", url.as_str().trim_end_matches('/').into()),
                ("label", found.format.label().into()),
                ("format", found.format.as_str().into()),
                ("endpoint", found.endpoint.as_str().into()),
            ],
        )
    );
    println!(
        "{}",
        cat.t(
            "cli-detect-now",
            &[
                ("status", cat.status(s.status).into()),
                ("components", s.components.len().into()),
                ("incidents", s.open_incidents().count().into()),
            ],
        )
    );
    println!();
    println!("{}", cat.t("cli-detect-add", &[]));
    println!("[[services]]");
    match &found.catalog_name {
        Some(name) => println!("name = {}", toml_string(name)),
        None => {
            println!("name = {}", toml_string(&name_for(&url)));
            println!("url = {}", toml_string(url.as_str().trim_end_matches('/')));
            println!("format = \"{}\"", found.format);
            if let Some(e) = &found.endpoint_override {
                println!("endpoint = {}", toml_string(e));
            }
        }
    }
    Ok(())
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

pub fn catalog(json: bool) -> Result<(), CliError> {
    let cat = config::catalog();
    if json {
        println!("{}", serde_json::to_string(&cat)?);
        return Ok(());
    }
    let words = crate::i18n::current();
    for e in &cat {
        let filter = [e.products.join(", "), e.regions.join(", ")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        println!(
            "{:<28} {:<13} {:<12} {}{}{}",
            e.name,
            e.category,
            e.format.as_str(),
            e.url,
            if filter.is_empty() {
                String::new()
            } else {
                format!("  [{filter}]")
            },
            if e.default {
                format!("  {}", words.t("cli-catalog-default", &[]))
            } else {
                String::new()
            }
        );
    }
    println!(
        "{}",
        words.t("cli-catalog-count", &[("count", cat.len().into())])
    );
    Ok(())
}

/// The human-readable form of `check`, in `cat`'s words (`--json` is the same in every
/// language; this is not).
pub fn render(cat: &Catalog, s: &Snapshot) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        cat.t(
            "cli-check-head",
            &[
                ("service", s.service.as_str().into()),
                ("format", s.format.as_str().into()),
                ("status", cat.status(s.status).into()),
            ],
        )
    );
    // The worst is what is shown; a page that says less about itself is named too.
    if let Some(own) = s.page_status {
        let _ = writeln!(
            out,
            "  {}",
            cat.t(
                "cli-page-says",
                &[
                    ("page", cat.status(own).into()),
                    ("who", cat.t(what_says_worse(s), &[]).into()),
                    ("status", cat.status(s.status).into()),
                ],
            )
        );
    }
    if let Some(d) = &s.description {
        let _ = writeln!(out, "  {d}");
    }
    let troubled: Vec<_> = s
        .components
        .iter()
        .filter(|c| c.status != Status::Operational)
        .collect();
    let _ = writeln!(
        out,
        "{}",
        cat.t(
            "cli-components",
            &[
                ("count", s.components.len().into()),
                ("troubled", troubled.len().into()),
            ],
        )
    );
    for c in troubled {
        let component = cat.t(
            "cli-component",
            &[
                ("name", c.name.as_str().into()),
                ("status", cat.status(c.status).into()),
            ],
        );
        let _ = writeln!(out, "  {component}");
    }
    for (heading, none, list) in [
        ("cli-incidents", "cli-incidents-none", &s.incidents),
        ("cli-maintenances", "cli-maintenances-none", &s.maintenances),
    ] {
        if list.is_empty() {
            let _ = writeln!(out, "{}", cat.t(none, &[]));
            continue;
        }
        let _ = writeln!(out, "{}", cat.t(heading, &[]));
        for i in list {
            // An ISO time, the same in every language: "2026-11-26 05:12 UTC".
            let since = i
                .started_at
                .map(|t| {
                    let at = t.format("%Y-%m-%d %H:%M UTC").to_string();
                    format!(" {}", cat.t("cli-since", &[("since", at.into())]))
                })
                .unwrap_or_default();
            let line = cat.t(
                "cli-incident",
                &[
                    ("phase", cat.phase(i.phase).into()),
                    ("impact", cat.impact(i.impact).into()),
                    ("title", i.title.as_str().into()),
                ],
            );
            let _ = writeln!(out, "  {line}{since}");
            if let Some(u) = &i.url {
                let _ = writeln!(out, "    {u}");
            }
        }
    }
    out
}

/// Which part of a page makes it worse than the page's own word.
/// Its message id.
fn what_says_worse(s: &Snapshot) -> &'static str {
    if s.components.iter().any(|c| c.status == s.status) {
        "cli-worse-components"
    } else if s
        .open_incidents()
        .any(|i| i.impact.implied_status() == s.status)
    {
        "cli-worse-incidents"
    } else if s.status == Status::Maintenance {
        "cli-worse-maintenance"
    } else {
        "cli-worse-listed"
    }
}
