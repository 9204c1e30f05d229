//! AWS Health events (UTF-16 `public/currentevents`, or the legacy `data.json`) turned into a [`Snapshot`].

use super::timeline::{self, Listed};
use super::{from_json, html, lenient, missing_keys, ParseError, Source};
use crate::model::{
    Component, Impact, Incident, IncidentId, IncidentUpdate, Phase, Snapshot, Status,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;

const EXPECTED: &str = "AWS Health events JSON";
const FORMAT: super::Format = super::Format::Aws;
/// What services without a region (IAM, CloudFront, the console) are filtered as.
const GLOBAL: &str = "global";

// Strings in some captures and numbers in others, so those fields stay `Value`. The others
// are read leniently: one odd value is absent and one odd element skipped, never the page.
#[derive(Deserialize)]
struct RawEvent {
    date: Option<Value>,
    #[serde(default, deserialize_with = "lenient::text")]
    region_name: Option<String>,
    status: Option<Value>,
    #[serde(default, deserialize_with = "lenient::text")]
    service: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    service_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    summary: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    description: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    event_log: Option<Vec<RawLog>>,
    impacted_services: Option<Value>,
}

#[derive(Deserialize)]
struct RawLog {
    #[serde(default, deserialize_with = "lenient::text")]
    summary: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    message: Option<String>,
    status: Option<Value>,
    timestamp: Option<Value>,
}

/// The Service Health Dashboard's `data.json`, before `currentevents` replaced it. Its two
/// lists tell it apart from other JSON, so each must be a list when it is there.
#[derive(Deserialize)]
struct Legacy {
    #[serde(default, deserialize_with = "lenient::key_list")]
    archive: Option<Vec<RawEvent>>,
    #[serde(default, deserialize_with = "lenient::key_list")]
    current: Option<Vec<RawEvent>>,
}

pub fn parse(src: &Source<'_>, body: &[u8]) -> Result<Snapshot, ParseError> {
    let text = decode(body);
    let json: Value = from_json(EXPECTED, &text)?;
    let events: Vec<RawEvent> = match json {
        Value::Array(items) => {
            // Google's incidents.json is a list too; AWS events name a service.
            if !items.is_empty() && !items.iter().any(looks_like_event) {
                return Err(missing_keys(
                    EXPECTED,
                    "events with `service`, `summary` or `event_log`",
                ));
            }
            lenient::list(Value::Array(items))
                .map_err(malformed)?
                .unwrap_or_default()
        }
        Value::Object(map) => {
            if !map.contains_key("archive") && !map.contains_key("current") {
                return Err(missing_keys(
                    EXPECTED,
                    "a list of events or the `archive` and `current` keys",
                ));
            }
            let legacy: Legacy = typed(Value::Object(map))?;
            let mut all = legacy.current.unwrap_or_default();
            all.extend(legacy.archive.unwrap_or_default());
            all
        }
        _ => {
            return Err(missing_keys(
                EXPECTED,
                "a list of events or the `archive` and `current` keys",
            ))
        }
    };

    let page_link = super::is_http(src.page_url).then(|| src.page_url.to_owned());
    let mut components: Vec<Component> = Vec::new();
    let mut incidents: Vec<Incident> = Vec::new();
    for raw in events {
        if !src
            .filter
            .wants_region(region_names(&raw).iter().map(String::as_str))
        {
            continue;
        }
        let key = raw
            .service
            .clone()
            .or_else(|| raw.service_name.clone())
            .unwrap_or_default();
        let Some(incident) = event(raw, page_link.as_deref()) else {
            continue;
        };
        if !incident.phase.is_closed() {
            let implied = incident.impact.implied_status();
            let name = incident
                .components
                .first()
                .cloned()
                .unwrap_or_else(|| key.clone());
            match components.iter_mut().find(|c| c.id == key) {
                Some(c) => c.status = c.status.max(implied),
                None => components.push(Component {
                    id: key,
                    name,
                    status: implied,
                }),
            }
        }
        incidents.push(incident);
    }
    let incidents = super::keep_recent(incidents);

    let status = super::overall_status(Status::Operational, &components, &incidents, &[]);

    Ok(Snapshot {
        service: src.service.to_owned(),
        format: FORMAT,
        page_url: src.page_url.to_owned(),
        status,
        page_status: None,
        description: None,
        components,
        incidents,
        maintenances: Vec::new(),
    })
}

/// `currentevents` is UTF-16 with a byte-order mark; older and proxied copies are UTF-8.
fn decode(body: &[u8]) -> Cow<'_, [u8]> {
    match body {
        [0xFF, 0xFE, rest @ ..] => Cow::Owned(utf16(rest, u16::from_le_bytes)),
        [0xFE, 0xFF, rest @ ..] => Cow::Owned(utf16(rest, u16::from_be_bytes)),
        [0xEF, 0xBB, 0xBF, rest @ ..] => Cow::Borrowed(rest),
        // No mark, but JSON starts with ASCII: a zero byte beside it gives UTF-16 away.
        [first, 0, ..] if *first != 0 => Cow::Owned(utf16(body, u16::from_le_bytes)),
        [0, second, ..] if *second != 0 => Cow::Owned(utf16(body, u16::from_be_bytes)),
        _ => Cow::Borrowed(body),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Vec<u8> {
    let units = bytes.chunks_exact(2).filter_map(|pair| match pair {
        [a, b] => Some(unit([*a, *b])),
        _ => None,
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect::<String>()
        .into_bytes()
}

fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, ParseError> {
    serde_json::from_value(value).map_err(malformed)
}

fn malformed(e: serde_json::Error) -> ParseError {
    ParseError::Malformed {
        expected: EXPECTED,
        detail: e.to_string(),
    }
}

fn looks_like_event(v: &Value) -> bool {
    ["service", "summary", "event_log"]
        .iter()
        .any(|k| v.get(k).is_some())
}

/// The names a region filter can match: the region in the service key, the region's
/// display name, and "global" for services that have no region.
fn region_names(raw: &RawEvent) -> Vec<String> {
    let mut names = Vec::new();
    match raw.service.as_deref().and_then(region_of) {
        Some("us-standard") => {
            // S3's old name for its N. Virginia region.
            names.push("us-standard".to_owned());
            names.push("us-east-1".to_owned());
        }
        Some(region) => names.push(region.to_owned()),
        None => names.push(GLOBAL.to_owned()),
    }
    let display = raw
        .region_name
        .clone()
        .or_else(|| raw.service_name.as_deref().and_then(parenthesized));
    names.extend(display.filter(|n| !n.trim().is_empty()));
    names
}

/// The region suffix of a service key such as `ec2-us-east-1` or `ec2-us-gov-west-1`.
/// Not simply what follows the first `-`: `management-console` has no region.
fn region_of(service: &str) -> Option<&str> {
    let service = service.trim();
    for (at, _) in service.match_indices('-') {
        let suffix = service.get(at + 1..)?;
        if looks_like_region(suffix) || suffix == "us-standard" {
            return Some(suffix);
        }
    }
    None
}

fn looks_like_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    parts.len() >= 3
        && first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
        && parts
            .iter()
            .skip(1)
            .take(parts.len().saturating_sub(2))
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}

/// "Amazon Elastic Compute Cloud (N. Virginia)" -> "N. Virginia".
fn parenthesized(name: &str) -> Option<String> {
    let open = name.rfind('(')?;
    let inner = name.get(open + 1..)?.strip_suffix(')')?;
    Some(inner.trim().to_owned()).filter(|s| !s.is_empty())
}

fn event(raw: RawEvent, page_link: Option<&str>) -> Option<Incident> {
    let service = raw
        .service
        .clone()
        .or_else(|| raw.service_name.clone())
        .filter(|s| !s.trim().is_empty());
    let logs = raw.event_log.unwrap_or_default();
    let log_times: Vec<i64> = logs
        .iter()
        .filter_map(|l| epoch(l.timestamp.as_ref()))
        .collect();
    let date = epoch(raw.date.as_ref()).or_else(|| log_times.iter().min().copied());
    let (Some(service), Some(date)) = (service, date) else {
        tracing::warn!("skipping an AWS event without service or date");
        return None;
    };
    let id = format!("{service}/{date}");

    let summary = raw.summary.unwrap_or_default();
    let (title, marked_resolved) = match strip_resolved(summary.trim()) {
        Some(rest) => (rest.trim().to_owned(), true),
        None => (summary.trim().to_owned(), false),
    };

    // The event's own status is its current one; the newest log entry stands in for it.
    let latest_log = logs
        .iter()
        .enumerate()
        .max_by_key(|(n, l)| (epoch(l.timestamp.as_ref()), *n))
        .map(|(_, l)| l);
    let current =
        code(raw.status.as_ref()).or_else(|| latest_log.and_then(|l| code(l.status.as_ref())));
    let closed = marked_resolved || current == Some(0);
    let phase = if closed {
        Phase::Resolved
    } else {
        Phase::Investigating
    };

    // The worst the event has been, so that history keeps how bad it was.
    let mut codes: Vec<Option<i64>> = vec![current];
    codes.extend(logs.iter().map(|l| code(l.status.as_ref())));
    let mut impacted_names: Vec<String> = Vec::new();
    if let Some(Value::Object(map)) = &raw.impacted_services {
        for v in map.values() {
            codes.push(code(v.get("current")));
            codes.push(code(v.get("max")));
            if let Some(Value::String(name)) = v.get("service_name") {
                impacted_names.push(name.clone());
            }
        }
    }
    let impact = impact(&codes, raw.status.as_ref());

    let mut updates: Vec<IncidentUpdate> = Vec::new();
    let mut rows: Vec<(Option<i64>, IncidentUpdate)> = logs
        .iter()
        .map(|l| {
            let at_secs = epoch(l.timestamp.as_ref());
            let text = l
                .message
                .as_deref()
                .or(l.summary.as_deref())
                .map(html::to_text)
                .unwrap_or_default();
            let update = IncidentUpdate {
                id: String::new(),
                phase: match code(l.status.as_ref()) {
                    Some(0) => Phase::Resolved,
                    _ => Phase::Investigating,
                },
                body: text,
                at: at_secs.and_then(from_epoch),
            };
            (at_secs, update)
        })
        .collect();
    timeline::oldest_first(&mut rows, |(_, u)| u.at, Listed::OldestFirst, None);
    let mut seen: Vec<Option<i64>> = Vec::with_capacity(rows.len());
    for (secs, mut update) in rows {
        let n = seen.iter().filter(|s| **s == secs).count();
        let stamp = secs.map(|s| s.to_string()).unwrap_or_default();
        update.id = format!("{stamp}#{n}");
        seen.push(secs);
        updates.push(update);
    }
    if updates.is_empty() {
        // The legacy dashboard keeps the whole timeline as one HTML description, one
        // <div> per post, each starting with a clock time but no date.
        let description = raw.description.unwrap_or_default();
        for (n, part) in html::block_texts(&description).into_iter().enumerate() {
            updates.push(IncidentUpdate {
                id: format!("{date}#{n}"),
                phase: Phase::Investigating,
                body: part,
                at: None,
            });
        }
    }
    if closed {
        if let Some(last) = updates.last_mut() {
            last.phase = Phase::Resolved;
        }
    }

    let last_log = log_times.iter().max().copied().and_then(from_epoch);
    let mut components: Vec<String> = Vec::new();
    for name in raw.service_name.into_iter().chain(impacted_names) {
        if !name.trim().is_empty() && !components.contains(&name) {
            components.push(name);
        }
    }
    Some(Incident {
        id: IncidentId(id),
        title,
        phase,
        impact,
        started_at: from_epoch(date),
        scheduled_for: None,
        updated_at: last_log.or_else(|| from_epoch(date)),
        resolved_at: if closed { last_log } else { None },
        url: page_link.map(str::to_owned),
        components,
        updates,
    })
}

fn strip_resolved(summary: &str) -> Option<&str> {
    const MARK: &str = "[RESOLVED]";
    let head = summary.get(..MARK.len())?;
    head.eq_ignore_ascii_case(MARK)
        .then(|| summary.get(MARK.len()..))
        .flatten()
}

/// 1 informational, 2 degradation, 3 disruption; 0 (resolved) says nothing of how bad.
fn impact(codes: &[Option<i64>], raw_status: Option<&Value>) -> Impact {
    let mut worst: Option<Impact> = None;
    for c in codes.iter().flatten() {
        let i = match c {
            0 => continue,
            1 => Impact::Minor,
            2 => Impact::Major,
            3 => Impact::Critical,
            other => {
                tracing::warn!(value = other, "unknown AWS event status; treated as minor");
                Impact::Minor
            }
        };
        worst = Some(worst.map_or(i, |w| w.max(i)));
    }
    if worst.is_none() && raw_status.is_some() && code(raw_status).is_none() {
        tracing::warn!(value = ?raw_status, "unreadable AWS event status; treated as minor");
    }
    worst.unwrap_or(Impact::Minor)
}

fn code(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Seconds since the epoch, from a number or a string; milliseconds are recognised.
fn epoch(v: Option<&Value>) -> Option<i64> {
    let secs = match v? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?,
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().map(|f| f as i64))?
        }
        _ => return None,
    };
    Some(if secs > 100_000_000_000 {
        secs / 1000
    } else {
        secs
    })
}

fn from_epoch(secs: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::Filter;
    use crate::test_support::{fixture, src};

    const PAGE: &str = "https://health.aws.amazon.com/health/status";
    const LEGACY: &str = "aws/aws-shd-data-json-2022-07.json";

    /// Two open events in the shape `currentevents` sends: numbers and strings mixed,
    /// HTML entities, and characters outside the BMP so the UTF-16 path is exercised.
    const CURRENT: &str = r#"[
      {"date":"1700000000","region_name":"N. Virginia","status":"2","service":"ec2-us-east-1",
       "service_name":"Amazon Elastic Compute Cloud (N. Virginia)","summary":"Increased API Error Rates",
       "event_log":[
         {"summary":"Increased API Error Rates","message":"We have identified the cause &amp; are fixing it.","status":"2","timestamp":"1700000600"},
         {"summary":"Increased API Error Rates","message":"We are investigating increased error rates.","status":1,"timestamp":1700000000}],
       "impacted_services":{"ec2-us-east-1":{"service_name":"Amazon Elastic Compute Cloud (N. Virginia)","current":"2","max":"2"}}},
      {"date":1700003600,"region_name":"Ireland","status":1,"service":"s3-eu-west-1",
       "service_name":"Amazon Simple Storage Service (Ireland)","summary":"Elevated latencies",
       "event_log":[{"summary":"Elevated latencies","message":"Latenz erhöht 🚧 — we are looking.","status":1,"timestamp":1700003600}]}
    ]"#;

    fn utf16le_bom(s: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    fn utf16be_bom(s: &str) -> Vec<u8> {
        let mut out = vec![0xFE, 0xFF];
        out.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        out
    }

    fn regions(regions: &[&str]) -> Filter {
        Filter {
            products: Vec::new(),
            regions: regions.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn parse_with(filter: &Filter, body: &[u8]) -> Snapshot {
        let src = Source {
            service: "AWS",
            page_url: PAGE,
            filter,
        };
        parse(&src, body).expect("parses")
    }

    #[test]
    fn current_events_in_utf16le_with_bom() {
        let s = parse(&src("AWS", PAGE), &utf16le_bom(CURRENT)).expect("parses");
        assert_eq!(s.format, crate::model::Format::Aws);
        assert_eq!(s.incidents.len(), 2);
        assert_eq!(s.open_incidents().count(), 2);
        let s3 = &s.incidents[0];
        assert_eq!(s3.id.0, "s3-eu-west-1/1700003600", "newest first");
        assert_eq!(s3.impact, Impact::Minor);
        assert_eq!(s3.updates.len(), 1);
        assert_eq!(s3.updates[0].body, "Latenz erhöht 🚧 — we are looking.");
        let ec2 = &s.incidents[1];
        assert_eq!(ec2.id.0, "ec2-us-east-1/1700000000");
        assert_eq!(ec2.title, "Increased API Error Rates");
        assert_eq!(ec2.phase, Phase::Investigating);
        assert_eq!(ec2.impact, Impact::Major);
        assert_eq!(
            ec2.components,
            vec!["Amazon Elastic Compute Cloud (N. Virginia)"]
        );
        assert_eq!(ec2.url.as_deref(), Some(PAGE));
        assert_eq!(
            ec2.started_at.map(|t| t.to_rfc3339()),
            Some("2023-11-14T22:13:20+00:00".to_owned())
        );
        assert_eq!(
            ec2.updated_at.map(|t| t.to_rfc3339()),
            Some("2023-11-14T22:23:20+00:00".to_owned())
        );
        let bodies: Vec<&str> = ec2.updates.iter().map(|u| u.body.as_str()).collect();
        assert_eq!(
            bodies,
            vec![
                "We are investigating increased error rates.",
                "We have identified the cause & are fixing it."
            ],
            "oldest first, entities decoded"
        );
        assert_eq!(ec2.updates[0].id, "1700000000#0");
        let components: Vec<(&str, Status)> = s
            .components
            .iter()
            .map(|c| (c.id.as_str(), c.status))
            .collect();
        assert_eq!(
            components,
            vec![
                ("ec2-us-east-1", Status::PartialOutage),
                ("s3-eu-west-1", Status::Degraded)
            ]
        );
        assert_eq!(s.status, Status::PartialOutage);
    }

    #[test]
    fn every_encoding_reads_the_same() {
        let le = parse(&src("AWS", PAGE), &utf16le_bom(CURRENT)).expect("LE");
        let be = parse(&src("AWS", PAGE), &utf16be_bom(CURRENT)).expect("BE");
        let utf8 = parse(&src("AWS", PAGE), CURRENT.as_bytes()).expect("UTF-8");
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(CURRENT.as_bytes());
        let bom8 = parse(&src("AWS", PAGE), &bom8).expect("UTF-8 with BOM");
        let no_bom: Vec<u8> = CURRENT.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let no_bom = parse(&src("AWS", PAGE), &no_bom).expect("UTF-16LE without BOM");
        assert_eq!(le, be);
        assert_eq!(le, utf8);
        assert_eq!(le, bom8);
        assert_eq!(le, no_bom);
        let healthy = parse(&src("AWS", PAGE), &utf16le_bom("[]")).expect("no events");
        assert_eq!(healthy.status, Status::Operational);
        assert!(healthy.incidents.is_empty());
    }

    #[test]
    fn region_filter_on_current_events() {
        let body = utf16le_bom(CURRENT);
        let s = parse_with(&regions(&["us-east-1"]), &body);
        assert_eq!(s.incidents.len(), 1);
        assert_eq!(s.incidents[0].id.0, "ec2-us-east-1/1700000000");
        assert_eq!(s.status, Status::PartialOutage);
        let s = parse_with(&regions(&["EU-WEST-1"]), &body);
        assert_eq!(s.incidents.len(), 1);
        assert_eq!(s.incidents[0].id.0, "s3-eu-west-1/1700003600");
        assert_eq!(s.status, Status::Degraded);
        let s = parse_with(&regions(&["Ireland"]), &body);
        assert_eq!(s.incidents.len(), 1, "by region_name too");
        let s = parse_with(&regions(&["ap-south-1"]), &body);
        assert!(s.incidents.is_empty());
        assert!(s.components.is_empty());
        assert_eq!(s.status, Status::Operational);
        let s = parse_with(&regions(&["ap-south-1", "us-east-1", "eu-west-1"]), &body);
        assert_eq!(s.incidents.len(), 2);
    }

    #[test]
    fn legacy_data_json_2022_07() {
        let Some(body) = fixture(LEGACY) else { return };
        let s = parse(&src("AWS", PAGE), &body).expect("parses");
        // 86 archive entries, all "[RESOLVED]": the newest 50 are kept as history.
        assert_eq!(s.incidents.len(), 50);
        assert!(s.incidents.iter().all(|i| i.phase == Phase::Resolved));
        assert!(s.components.is_empty());
        assert_eq!(s.status, Status::Operational);
        let impacts = |imp: Impact| s.incidents.iter().filter(|i| i.impact == imp).count();
        assert_eq!((impacts(Impact::Minor), impacts(Impact::Major)), (43, 7));
        let newest = &s.incidents[0];
        assert_eq!(newest.id.0, "billingconsole/1655342154");
        assert_eq!(newest.title, "Incorrect Free Tier Email Alerts");
        assert_eq!(newest.components, vec!["AWS Billing Console"]);
        assert_eq!(newest.impact, Impact::Minor);
        assert_eq!(
            newest.started_at.map(|t| t.to_rfc3339()),
            Some("2022-06-16T01:15:54+00:00".to_owned())
        );
        assert_eq!(newest.updates.len(), 3, "one per <div>");
        assert_eq!(newest.updates[0].id, "1655342154#0");
        assert!(
            newest.updates[0]
                .body
                .starts_with("6:15 PM PDT We are investigating customers receiving"),
            "{}",
            newest.updates[0].body
        );
        assert_eq!(newest.updates[2].phase, Phase::Resolved);
        assert!(s
            .incidents
            .iter()
            .all(|i| !i.title.starts_with("[RESOLVED]")));
    }

    #[test]
    fn region_filter_on_the_legacy_capture() {
        let Some(body) = fixture(LEGACY) else { return };
        // Counted over the capture: 33 `*-us-east-1` services plus `s3-us-standard`.
        let s = parse_with(&regions(&["us-east-1"]), &body);
        assert_eq!(s.incidents.len(), 34);
        let describe = s
            .incidents
            .iter()
            .find(|i| i.id.0 == "ec2-us-east-1/1628699197")
            .expect("DescribeImages");
        assert_eq!(describe.title, "DescribeImages API");
        assert_eq!(
            describe.components,
            vec!["Amazon Elastic Compute Cloud (N. Virginia)"]
        );
        assert_eq!(describe.updates.len(), 4);
        assert!(s
            .incidents
            .iter()
            .any(|i| i.id.0.starts_with("s3-us-standard/")));
        // Seven services without a region, and `management-console` four times: 11.
        let s = parse_with(&regions(&["global"]), &body);
        assert_eq!(s.incidents.len(), 11);
        assert_eq!(
            s.incidents
                .iter()
                .filter(|i| i.id.0.starts_with("management-console/"))
                .count(),
            4
        );
        // The display name in parentheses stands in for `region_name`.
        let s = parse_with(&regions(&["Ireland"]), &body);
        assert_eq!(s.incidents.len(), 5);
        assert_eq!(s.status, Status::Operational);
    }

    #[test]
    fn region_keys() {
        assert_eq!(region_of("ec2-us-east-1"), Some("us-east-1"));
        assert_eq!(region_of("ec2-us-gov-west-1"), Some("us-gov-west-1"));
        assert_eq!(
            region_of("internetconnectivity-ap-northeast-2"),
            Some("ap-northeast-2")
        );
        assert_eq!(region_of("management-console"), None);
        assert_eq!(region_of("iam"), None);
        assert_eq!(region_of("s3-us-standard"), Some("us-standard"));
        assert_eq!(region_of("-"), None);
        assert_eq!(region_of("é-ü-1"), None);
    }

    #[test]
    fn html_with_status_200_is_an_error() {
        let html = "<!DOCTYPE html><html><body>AWS Health Dashboard</body></html>";
        for body in [html.as_bytes().to_vec(), utf16le_bom(html)] {
            let err = parse(&src("AWS", PAGE), &body).expect_err("HTML is not events");
            assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
            assert_eq!(
                err.to_string(),
                "expected AWS Health events JSON, got an HTML page"
            );
        }
    }

    #[test]
    fn empty_other_and_truncated_bodies_are_errors() {
        let s = src("AWS", PAGE);
        for empty in [&b""[..], &[0xFF, 0xFE][..], &[0xEF, 0xBB, 0xBF][..]] {
            let err = parse(&s, empty).expect_err("empty");
            assert_eq!(
                err.to_string(),
                "expected AWS Health events JSON, got an empty body"
            );
        }
        let err = parse(&s, br#"{"items":[],"count":0}"#).expect_err("other API");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert!(err.to_string().contains("`archive` and `current`"), "{err}");
        let err = parse(
            &s,
            br#"[{"id":"x","begin":"2022-07-01T13:37:44+00:00","external_desc":"y"}]"#,
        )
        .expect_err("Google's list");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        let err = parse(&s, b"42").expect_err("a number");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        let truncated = CURRENT.get(..200).expect("ascii prefix");
        let err = parse(&s, &utf16le_bom(truncated)).expect_err("truncated");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
        // An odd byte count (a cut UTF-16 body) is an error too, not a panic.
        let mut odd = utf16le_bom(CURRENT);
        odd.truncate(odd.len() - 3);
        assert!(parse(&s, &odd).is_err());
    }

    #[test]
    fn unknown_codes_and_missing_fields_stay_visible() {
        let body = r#"[
          {"date":"1700000000","status":"7","service":"lambda-ap-south-1","summary":"Odd status"},
          {"date":"1700000100","status":{"nested":true},"service":"sqs","summary":"Unreadable status",
           "event_log":null,"impacted_services":null},
          {"summary":"neither service nor date"},
          {"date":"1700000200","status":"0","service":"sns-us-west-2","summary":"Over"}
        ]"#;
        let s = parse(&src("AWS", PAGE), &utf16le_bom(body)).expect("parses");
        assert_eq!(
            s.incidents.len(),
            3,
            "the entry without service and date is skipped"
        );
        let odd = s
            .incidents
            .iter()
            .find(|i| i.id.0 == "lambda-ap-south-1/1700000000")
            .expect("odd");
        assert_eq!(odd.phase, Phase::Investigating);
        assert_eq!(odd.impact, Impact::Minor);
        let unreadable = s
            .incidents
            .iter()
            .find(|i| i.id.0 == "sqs/1700000100")
            .expect("sqs");
        assert_eq!(unreadable.phase, Phase::Investigating);
        assert_eq!(unreadable.impact, Impact::Minor);
        let over = s
            .incidents
            .iter()
            .find(|i| i.id.0 == "sns-us-west-2/1700000200")
            .expect("sns");
        assert_eq!(over.phase, Phase::Resolved, "status 0");
        assert_eq!(s.components.len(), 2);
        assert_eq!(s.status, Status::Degraded);
    }

    #[test]
    fn dashboard_html_becomes_plain_text() {
        assert_eq!(
            html::to_text("<div><span class=\"yellowfg\"> 9:26 AM PDT</span>&nbsp;Fixed &lt;now&gt; &#8220;ok&#x201d;.<br><br>More</div>"),
            "9:26 AM PDT Fixed <now> \u{201c}ok\u{201d}.\nMore"
        );
        assert_eq!(html::to_text("a & b &bogus; <unclosed"), "a & b &bogus;");
        assert_eq!(html::to_text("ü&"), "ü&");
        assert_eq!(
            html::block_texts("<div>9:26 AM a</div>\n<div>10:01 AM <b>b</b></div>tail<br>end"),
            ["9:26 AM a", "10:01 AM b", "tail\nend"]
        );
    }

    #[test]
    fn every_cut_of_a_body_is_an_answer_not_a_panic() {
        for body in [
            utf16le_bom(CURRENT),
            utf16be_bom(CURRENT),
            CURRENT.as_bytes().to_vec(),
        ] {
            for end in 0..body.len() {
                let _ = parse(&src("AWS", PAGE), body.get(..end).unwrap_or_default());
            }
        }
    }

    /// Hand-made events as a vendor's small change could send them: a region name and a
    /// summary that are numbers, a null service name, a log message that is a list, an
    /// event log that is a string, elements (an event too) that are no objects. The page is
    /// read; each odd value is absent (or its safe default) and each odd element skipped.
    /// The legacy lists, which tell that shape apart, must still be lists.
    #[test]
    fn one_odd_field_never_rejects_the_page() {
        let events = serde_json::json!([
            {"date": "1700000000", "region_name": 5, "status": "2", "service": "ec2-us-east-1",
             "service_name": null, "summary": "API errors",
             "event_log": [{"summary": "API errors", "message": ["rich"], "status": 2,
                            "timestamp": 1700000000}, "odd"]},
            "not an event",
            {"date": 1700003600, "status": 1, "service": "s3-eu-west-1",
             "service_name": "Amazon S3 (Ireland)", "summary": 7, "event_log": "none"}
        ]);
        let body = serde_json::to_vec(&events).expect("json");
        let s = parse(&src("AWS", PAGE), &body).expect("parses");
        let incidents: Vec<(&str, &str, Impact, usize)> = s
            .incidents
            .iter()
            .map(|i| (i.id.0.as_str(), i.title.as_str(), i.impact, i.updates.len()))
            .collect();
        assert_eq!(
            incidents,
            [
                ("s3-eu-west-1/1700003600", "7", Impact::Minor, 0),
                ("ec2-us-east-1/1700000000", "API errors", Impact::Major, 1)
            ]
        );
        assert_eq!(
            s.incidents[1].updates[0].body, "API errors",
            "the log's summary"
        );
        assert_eq!(s.status, Status::PartialOutage);

        let legacy = serde_json::json!({"current": [], "archive": [
            3,
            {"date": "1655342154", "service": "billingconsole", "service_name": ["x"],
             "summary": "[RESOLVED] Alerts", "description": "<div>Fixed</div>"}
        ]});
        let body = serde_json::to_vec(&legacy).expect("json");
        let s = parse(&src("AWS", PAGE), &body).expect("parses");
        assert_eq!(s.incidents.len(), 1);
        assert_eq!(s.incidents[0].phase, Phase::Resolved);
        let err =
            parse(&src("AWS", PAGE), br#"{"current": {"service": "x"}}"#).expect_err("not a list");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
    }
}
