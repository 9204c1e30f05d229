//! Queries about early warning: a timeline's suspicion step, a service's detection record and how late its page acknowledged what we saw first.

use super::{parse_ts, ts, History, HistoryError};
use crate::model::ServiceId;
use crate::reliability::ack::{Acknowledged, Sign};
use crate::reliability::Detection;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// The suspicion that preceded an incident on its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuspicionStep {
    /// The first failing probe round.
    pub since: DateTime<Utc>,
    /// When the alarm was raised.
    pub suspected_at: DateTime<Utc>,
    /// The page's first acknowledgment.
    pub acknowledged_at: DateTime<Utc>,
    /// How long before the page we knew.
    pub lead_secs: i64,
}

impl History {
    /// The suspicion this incident confirmed, if probes saw it first.
    pub fn suspicion_of(
        &self,
        service: &ServiceId,
        incident_id: &str,
    ) -> Result<Option<SuspicionStep>, HistoryError> {
        let row = self
            .conn
            .query_row(
                "SELECT since, suspected_at, acknowledged_at, lead_secs FROM suspicion
                 WHERE service_id = ?1 AND incident_id = ?2 AND outcome = 'linked'
                 ORDER BY since LIMIT 1",
                params![service.as_str(), incident_id],
                |r| {
                    Ok((
                        parse_ts(r.get(0)?),
                        parse_ts(r.get(1)?),
                        parse_ts(r.get(2)?),
                        r.get::<_, Option<i64>>(3)?,
                    ))
                },
            )
            .optional()?;
        Ok(match row {
            Some((Some(since), Some(suspected_at), Some(acknowledged_at), Some(lead_secs))) => {
                Some(SuspicionStep {
                    since,
                    suspected_at,
                    acknowledged_at,
                    lead_secs,
                })
            }
            _ => None,
        })
    }

    /// Confirmed suspicions (with their leads) and unconfirmed blips since `since`.
    pub fn detection(
        &self,
        service: &ServiceId,
        since: DateTime<Utc>,
    ) -> Result<Detection, HistoryError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT lead_secs FROM suspicion
             WHERE service_id = ?1 AND outcome = 'linked' AND since >= ?2 AND lead_secs IS NOT NULL",
        )?;
        let leads = stmt
            .query_map(params![service.as_str(), ts(since)], |r| r.get::<_, i64>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let blips: i64 = self.conn.query_row(
            "SELECT count(*) FROM suspicion
             WHERE service_id = ?1 AND outcome = 'cleared' AND since >= ?2",
            params![service.as_str(), ts(since)],
            |r| r.get(0),
        )?;
        Ok(Detection::of(&leads, usize::try_from(blips).unwrap_or(0)))
    }

    /// Every outage the page acknowledged after our first sign of it (a probe suspicion,
    /// or a component broken before an incident), and the start of every suspicion the page
    /// never acknowledged, for signs since `since`.
    pub fn acknowledgments(
        &self,
        service: &ServiceId,
        since: DateTime<Utc>,
    ) -> Result<(Vec<Acknowledged>, Vec<DateTime<Utc>>), HistoryError> {
        let mut out = Vec::new();
        for (sign, sql) in [
            (
                Sign::Probe,
                "SELECT since, acknowledged_at, lead_secs FROM suspicion
                 WHERE service_id = ?1 AND outcome = 'linked' AND since >= ?2",
            ),
            (
                Sign::Component,
                "SELECT since, acknowledged_at, NULL FROM component_sign
                 WHERE service_id = ?1 AND since >= ?2",
            ),
        ] {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map(params![service.as_str(), ts(since)], |r| {
                Ok((
                    parse_ts(r.get(0)?),
                    parse_ts(r.get(1)?),
                    r.get::<_, Option<i64>>(2)?,
                ))
            })?;
            for row in rows {
                if let (Some(from), Some(to), lead) = row? {
                    let mut a = Acknowledged::new(sign, from, to);
                    // The lead as it was measured and shown, not recomputed from stored
                    // times (rounded to the millisecond).
                    if let Some(lead) = lead {
                        a.delay_secs = lead.max(0);
                    }
                    out.push(a);
                }
            }
        }
        out.sort_by_key(|a| a.since);
        let mut stmt = self.conn.prepare_cached(
            "SELECT since FROM suspicion
             WHERE service_id = ?1 AND outcome = 'cleared' AND since >= ?2 ORDER BY since",
        )?;
        let never = stmt
            .query_map(params![service.as_str(), ts(since)], |r| r.get(0))?
            .filter_map(|r| r.map(parse_ts).transpose())
            .collect::<Result<Vec<_>, _>>()?;
        Ok((out, never))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::PollRecord;
    use super::*;
    use crate::decide::Link;
    use crate::model::Phase;
    use crate::test_support::t;
    use crate::transitions::{Event, ServiceState};

    fn record(h: &mut History, events: &[Event], link: Option<Link>, now: DateTime<Utc>) {
        let svc = service();
        let state = ServiceState::default();
        h.record_poll(&PollRecord {
            link,
            ..PollRecord::new(&svc, None, &state, events, now)
        })
        .expect("record");
    }

    fn suspected(since: i64) -> Event {
        Event::OutageSuspected {
            since: t(since),
            evidence: vec![],
        }
    }

    #[test]
    fn suspicions_are_linked_or_cleared_and_counted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let id = service().id;
        // One the page confirmed 22 minutes after it began.
        record(&mut h, &[suspected(0)], None, t(2));
        poll(
            &mut h,
            &snapshot(vec![incident("inc-1", Phase::Investigating, 22)]),
            t(23),
        );
        let link = Link {
            sign: Sign::Probe,
            since: t(0),
            acknowledged_at: t(22),
            lead_secs: 22 * 60,
            incident_id: Some("inc-1".to_owned()),
        };
        record(&mut h, &[], Some(link), t(23));
        // A blip, and one still running.
        record(&mut h, &[suspected(100)], None, t(102));
        record(
            &mut h,
            &[Event::SuspicionCleared {
                since: t(100),
                at: t(104),
                evidence: vec![],
            }],
            None,
            t(104),
        );
        record(&mut h, &[suspected(200)], None, t(202));

        let step = h
            .suspicion_of(&id, "inc-1")
            .expect("query")
            .expect("linked");
        assert_eq!(
            step,
            SuspicionStep {
                since: t(0),
                suspected_at: t(2),
                acknowledged_at: t(22),
                lead_secs: 22 * 60
            }
        );
        let timeline = h.timeline(&id, "inc-1").expect("timeline").expect("stored");
        assert_eq!(timeline.suspicion, Some(step));
        assert_eq!(h.suspicion_of(&id, "other").expect("query"), None);

        let d = h.detection(&id, t(-60)).expect("detection");
        assert_eq!(
            d,
            Detection {
                confirmed: 1,
                median_lead_secs: Some(22 * 60),
                blips: 1
            }
        );
        assert_eq!(
            h.detection(&id, t(50)).expect("detection").confirmed,
            0,
            "outside the window"
        );
        let r = h.reliability(&id, t(300)).expect("reliability");
        assert_eq!(r.detection.blips, 1);
        // The same alarm recorded twice (a retried poll) stays one row.
        record(&mut h, &[suspected(200)], None, t(203));
        let rows: i64 = h
            .conn
            .query_row("SELECT count(*) FROM suspicion", [], |r| r.get(0))
            .expect("count");
        assert_eq!(rows, 3);

        // A component broke at 300 and the page posted its incident at 345: a sign of
        // another kind, saved once however often the poll is saved.
        let component = Link {
            sign: Sign::Component,
            since: t(300),
            acknowledged_at: t(345),
            lead_secs: 45 * 60,
            incident_id: Some("inc-2".to_owned()),
        };
        record(&mut h, &[], Some(component.clone()), t(345));
        record(&mut h, &[], Some(component), t(346));
        let (acknowledged, never) = h.acknowledgments(&id, t(-60)).expect("acks");
        let got: Vec<(Sign, i64)> = acknowledged
            .iter()
            .map(|a| (a.sign, a.delay_secs))
            .collect();
        assert_eq!(got, [(Sign::Probe, 22 * 60), (Sign::Component, 45 * 60)]);
        assert_eq!(never, [t(100)], "the blip; the running one is not over");
        let r = h.reliability(&id, t(400)).expect("reliability");
        let w = &r.acknowledgment.windows[2];
        assert_eq!((w.days, w.acknowledged, w.never_acknowledged), (90, 2, 1));
        // (22 + 45 + 240) / 3 = 102 min: D.
        assert_eq!(w.grade, Some(crate::reliability::ack::Grade::D));
        assert_eq!(r.acknowledgment.points.len(), 2);
    }
}
