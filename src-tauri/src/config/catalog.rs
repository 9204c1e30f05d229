//! The built-in catalog of services, compiled into the binary.

use super::Prefs;
use super::ServiceConfig;
use crate::model::ServiceId;
use crate::sources::{Filter, Format};
use serde::Deserialize;

const CATALOG_TOML: &str = include_str!("../../catalog.toml");

/// One entry of the built-in catalog.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    pub name: String,
    /// "ai", "developer", "cloud", "communication", "productivity", "payments".
    pub category: String,
    pub url: String,
    pub format: Format,
    pub endpoint: Option<String>,
    #[serde(default)]
    pub products: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub default: bool,
    /// Public addresses of the service itself that answer without a key (early warning).
    #[serde(default)]
    pub probes: Vec<String>,
}

impl CatalogEntry {
    pub fn filter(&self) -> Filter {
        Filter {
            products: self.products.clone(),
            regions: self.regions.clone(),
        }
    }

    pub fn to_service(&self) -> ServiceConfig {
        ServiceConfig {
            id: ServiceId::from_name(&self.name),
            name: self.name.clone(),
            url: self.url.clone(),
            format: self.format,
            endpoint: self.endpoint.clone(),
            filter: self.filter(),
            enabled: true,
            prefs: Prefs::default(),
            probes: self.probes.clone(),
        }
    }
}

/// The catalog entry with this name (case-insensitive).
pub fn catalog_entry(name: &str) -> Option<CatalogEntry> {
    catalog_entries()
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(name.trim()))
        .cloned()
}

#[derive(Deserialize)]
struct CatalogFile {
    service: Vec<CatalogEntry>,
}

/// The services compiled into the binary.
pub fn catalog() -> Vec<CatalogEntry> {
    catalog_entries().to_vec()
}

/// Parsed once: a config names catalog services one by one, and detection looks pages up.
fn catalog_entries() -> &'static [CatalogEntry] {
    static CATALOG: std::sync::OnceLock<Vec<CatalogEntry>> = std::sync::OnceLock::new();
    CATALOG.get_or_init(|| {
        // The file is ours and a unit test parses it, so failure here is a build defect.
        #[allow(clippy::expect_used)]
        let file: CatalogFile = toml::from_str(CATALOG_TOML).expect("catalog.toml is valid");
        file.service
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::fetch::validate_url;
    use std::time::Duration;

    #[test]
    fn catalog_has_the_default_five() {
        let cat = catalog();
        let defaults: Vec<&str> = cat
            .iter()
            .filter(|e| e.default)
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(
            defaults,
            ["OpenAI", "Anthropic", "GitHub", "Cloudflare", "Discord"]
        );
        for e in &cat {
            validate_url(&e.url).unwrap_or_else(|err| panic!("{}: {err}", e.name));
        }
        let builtin = Config::builtin();
        assert_eq!(builtin.services.len(), 5);
        assert_eq!(builtin.services[0].url, "https://status.openai.com");
        assert_eq!(builtin.poll_interval, Duration::from_secs(60));
    }

    #[test]
    fn catalog_is_large_consistent_and_covers_every_format() {
        let cat = catalog();
        assert!(cat.len() >= 40, "{} entries", cat.len());
        let mut names = std::collections::HashSet::new();
        for e in &cat {
            assert!(names.insert(e.name.to_lowercase()), "duplicate {}", e.name);
            assert!(
                [
                    "ai",
                    "developer",
                    "cloud",
                    "communication",
                    "productivity",
                    "payments"
                ]
                .contains(&e.category.as_str()),
                "{}: category {}",
                e.name,
                e.category
            );
            let endpoints = e
                .format
                .endpoints(&e.url, e.endpoint.as_deref())
                .unwrap_or_else(|err| panic!("{}: {err}", e.name));
            for ep in endpoints {
                validate_url(&ep.url).unwrap_or_else(|err| panic!("{}: {err}", e.name));
            }
        }
        for f in Format::ALL {
            assert!(
                cat.iter().any(|e| e.format == f),
                "no catalog entry reads {f}"
            );
        }
        let ai = cat.iter().filter(|e| e.category == "ai").count();
        assert!(ai >= 5, "{ai} AI providers");
    }
}
