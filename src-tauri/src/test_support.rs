//! Test helpers: the shared real captures (read in place) and the project's hand-made payloads.

use std::path::PathBuf;

/// `../shared/fixtures` beside the checkout, or `OUTAGE_RADAR_FIXTURES`.
pub fn fixtures_dir() -> PathBuf {
    std::env::var_os("OUTAGE_RADAR_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"))
}

/// A real captured payload, or `None` (with the reason printed) when the folder is absent.
pub fn fixture(rel: &str) -> Option<Vec<u8>> {
    let path = fixtures_dir().join(rel);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if !fixtures_dir().is_dir() => {
            println!(
                "SKIP: real fixtures not found at {} ({e}); {rel} not tested",
                path.display()
            );
            None
        }
        Err(e) => panic!("fixture {} unreadable: {e}", path.display()),
    }
}

/// A hand-made payload from `tests/payloads/`.
pub fn payload(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/payloads")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("payload {}: {e}", path.display()))
}

/// A fixed instant plus `min` minutes: tests pass time in, never read the clock.
pub fn t(min: i64) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
        .single()
        .expect("valid")
        + chrono::Duration::minutes(min)
}

static NO_FILTER: crate::sources::Filter = crate::sources::Filter {
    products: Vec::new(),
    regions: Vec::new(),
};

/// The parser input for a service with no product or region filter.
pub fn src<'a>(service: &'a str, page_url: &'a str) -> crate::sources::Source<'a> {
    crate::sources::Source {
        service,
        page_url,
        filter: &NO_FILTER,
    }
}
