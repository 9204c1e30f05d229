//! The one-shot commands: `check` a page, `detect` its format, list the `catalog`.

use super::{runtime, CliError};
use crate::config;
use crate::fetch::{validate_url, FetchLimits, Fetcher};
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
        print!("{}", render(&snapshot));
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
    println!(
        "{}: {} ({}), read from {}",
        url.as_str().trim_end_matches('/'),
        found.format.label(),
        found.format,
        found.endpoint
    );
    println!(
        "now: {} · {} components · {} open incidents",
        s.status.label(),
        s.components.len(),
        s.open_incidents().count()
    );
    println!();
    println!("Add to your config.toml:");
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
            if e.default { "  (default)" } else { "" }
        );
    }
    println!("{} services", cat.len());
    Ok(())
}

/// The human-readable form of `check`.
pub fn render(s: &Snapshot) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}): {}", s.service, s.format, s.status);
    // The worst is what is shown; a page that says less about itself is named too.
    if let Some(own) = s.page_status {
        let _ = writeln!(
            out,
            "  Page says: {}, but {}: {}",
            own.label(),
            what_says_worse(s),
            s.status.label()
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
        "Components: {} ({} not operational)",
        s.components.len(),
        troubled.len()
    );
    for c in troubled {
        let _ = writeln!(out, "  {}: {}", c.name, c.status);
    }
    for (label, list) in [
        ("Incidents", &s.incidents),
        ("Maintenances", &s.maintenances),
    ] {
        if list.is_empty() {
            let _ = writeln!(out, "{label}: none");
            continue;
        }
        let _ = writeln!(out, "{label}:");
        for i in list {
            let since = i
                .started_at
                .map(|t| t.format(" since %Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default();
            let _ = writeln!(out, "  [{}, {}] {}{since}", i.phase, i.impact, i.title);
            if let Some(u) = &i.url {
                let _ = writeln!(out, "    {u}");
            }
        }
    }
    out
}

/// Which part of a page makes it worse than the page's own word.
fn what_says_worse(s: &Snapshot) -> &'static str {
    if s.components.iter().any(|c| c.status == s.status) {
        "its components say"
    } else if s
        .open_incidents()
        .any(|i| i.impact.implied_status() == s.status)
    {
        "its open incidents say"
    } else if s.status == Status::Maintenance {
        "a maintenance under way says"
    } else {
        "what it lists says"
    }
}
