//! A service's figures over any number of days, read from the history for `outage-radar report`.

use super::{History, HistoryError};
use crate::model::ServiceId;
use crate::reliability::{self, ack, ByImpact};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One service's line of the report. Figures with no data are `None` (`null` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceReport {
    pub service: String,
    pub service_id: String,
    /// `None`: the history has never read this service.
    pub uptime_pct: Option<f64>,
    pub incidents: usize,
    pub incidents_by_impact: ByImpact,
    pub impacted_secs: i64,
    pub mttr_secs: Option<i64>,
    pub longest_secs: Option<i64>,
    /// Suspicions the page then confirmed, and the median of how long before it we knew.
    pub confirmed_suspicions: usize,
    pub median_lead_secs: Option<i64>,
    /// Outages the page acknowledged after our first sign, and how late.
    pub acknowledged: usize,
    pub ack_median_secs: Option<i64>,
    pub ack_mean_secs: Option<i64>,
    pub ack_grade: Option<ack::Grade>,
    /// Suspicions that ended with nothing on the page (the grade counts them as 4 hours).
    pub never_acknowledged: usize,
    /// The same suspicions seen as probe noise: unconfirmed blips.
    pub blips: usize,
}

impl History {
    /// Whether this service was ever saved (read at least once).
    fn knows(&self, service: &ServiceId) -> Result<bool, HistoryError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM service WHERE id = ?1")?
            .exists([service.as_str()])?)
    }

    /// `name`'s figures over the `days` days before `now`.
    pub fn report(
        &self,
        service: &ServiceId,
        name: &str,
        now: DateTime<Utc>,
        days: u32,
    ) -> Result<ServiceReport, HistoryError> {
        let since = now - chrono::Duration::days(i64::from(days));
        let spans = self.spans(service, since)?;
        let p = reliability::period(&spans, now, days);
        let detection = self.detection(service, since)?;
        let (acknowledged, never) = self.acknowledgments(service, since)?;
        let a = ack::window(&acknowledged, &never, now, days);
        Ok(ServiceReport {
            service: name.to_owned(),
            service_id: service.to_string(),
            uptime_pct: self.knows(service)?.then_some(p.uptime_pct),
            incidents: p.incidents,
            incidents_by_impact: p.by_impact,
            impacted_secs: p.impacted_secs,
            mttr_secs: p.mttr_secs,
            longest_secs: p.longest_secs,
            confirmed_suspicions: detection.confirmed,
            median_lead_secs: detection.median_lead_secs,
            acknowledged: a.acknowledged,
            ack_median_secs: a.median_secs,
            ack_mean_secs: a.mean_secs,
            ack_grade: a.grade,
            never_acknowledged: a.never_acknowledged,
            blips: detection.blips,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::Phase;
    use crate::test_support::t;

    #[test]
    fn a_service_never_read_has_no_uptime_and_one_read_has_its_figures() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let id = service().id;
        let none = h.report(&id, "GitHub", t(0), 90).expect("report");
        assert_eq!(
            (none.uptime_pct, none.incidents, none.ack_grade),
            (None, 0, None)
        );
        poll(
            &mut h,
            &snapshot(vec![incident("inc-1", Phase::Investigating, 0)]),
            t(1),
        );
        let mut resolved = incident("inc-1", Phase::Resolved, 0);
        resolved.resolved_at = Some(t(90));
        poll(&mut h, &snapshot(vec![resolved]), t(91));
        let r = h.report(&id, "GitHub", t(24 * 60), 1).expect("report");
        assert_eq!(r.incidents, 1);
        assert_eq!(r.mttr_secs, Some(90 * 60));
        assert_eq!(r.uptime_pct, Some(93.75), "90 minutes of 24 hours");
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["ack_grade"], serde_json::Value::Null);
        assert_eq!(json["incidents_by_impact"]["minor"], 1);
    }
}
