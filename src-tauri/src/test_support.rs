//! Test helpers: the shared real captures and hand-made payloads (one helper each, from the
//! tests crate), a fixed clock, and a parser input.

pub use outage_radar_tests::{fixture, payload};

/// A fixed instant plus `min` minutes: tests pass time in, never read the clock.
pub fn t(min: i64) -> chrono::DateTime<chrono::Utc> {
    at(12, 0) + chrono::Duration::minutes(min)
}

/// The fixed day at `hour`:`min` UTC.
pub fn at(hour: u32, min: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 26, hour, min, 0)
        .single()
        .expect("valid")
}

/// "Now" for the tests whose expected texts count from the morning's incidents (05:12 on):
/// 08:00 on the fixed day.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    at(8, 0)
}

static NO_FILTER: crate::sources::Filter = crate::sources::Filter {
    products: Vec::new(),
    regions: Vec::new(),
};

/// A Statuspage service named `name` at `url`, with every other setting at its default.
pub fn statuspage_service(name: &str, url: &str) -> crate::config::ServiceConfig {
    crate::config::ServiceConfig {
        id: crate::model::ServiceId::from_name(name),
        name: name.to_owned(),
        url: url.to_owned(),
        format: crate::sources::Format::Statuspage,
        endpoint: None,
        filter: Default::default(),
        enabled: true,
        prefs: Default::default(),
        probes: Vec::new(),
    }
}

/// The parser input for a service with no product or region filter.
pub fn src<'a>(service: &'a str, page_url: &'a str) -> crate::sources::Source<'a> {
    crate::sources::Source {
        service,
        page_url,
        filter: &NO_FILTER,
    }
}
