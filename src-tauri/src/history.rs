//! SQLite history: migrations, incidents and their updates, service state, the announced ledger and outbox.

use crate::alerts::{self, Delivery, Notification, Urgency};
use crate::config::ServiceConfig;
use crate::model::{Impact, Incident, ServiceId, Snapshot};
use crate::reliability::{self, Reliability, Span};
use crate::transitions::{Event, Kind, ServiceState};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DB_FILE: &str = "history.sqlite3";

/// Append-only: a released migration is never edited, only followed by a new one.
const MIGRATIONS: &[&str] = &[
    r"
CREATE TABLE service (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    format TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT
);
CREATE TABLE incident (
    service_id TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    phase TEXT NOT NULL,
    impact TEXT NOT NULL,
    started_at TEXT,
    updated_at TEXT,
    resolved_at TEXT,
    url TEXT,
    components TEXT NOT NULL DEFAULT '[]',
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    PRIMARY KEY (service_id, id)
);
CREATE INDEX incident_started ON incident (started_at);
CREATE TABLE incident_update (
    service_id TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    id TEXT NOT NULL,
    phase TEXT NOT NULL,
    body TEXT NOT NULL,
    at TEXT,
    PRIMARY KEY (service_id, incident_id, id)
);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    service_id TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    urgency TEXT NOT NULL,
    url TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (delivered_at) WHERE delivered_at IS NULL;
CREATE TABLE announced (
    key TEXT PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox (id),
    at TEXT NOT NULL
);
",
    r"
ALTER TABLE outbox ADD COLUMN not_before TEXT;
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
",
];

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot create data dir {}: {source}", path.display())]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("history database {}: {source}", path.display())]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("history database {} is damaged: {detail}", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("history database {} was written by a newer Outage Radar (schema {found}, this build knows {known})", path.display())]
    TooNew {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    #[error("history database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored state is unreadable: {0}")]
    State(#[from] serde_json::Error),
    #[error("unknown incident state {0:?} (expected \"open\", \"resolved\" or \"all\")")]
    FilterState(String),
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_ts(s: Option<String>) -> Option<DateTime<Utc>> {
    s.and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// A stored incident, as the window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentRow {
    pub service_id: String,
    pub service_name: String,
    pub id: String,
    pub kind: String,
    pub title: String,
    pub phase: String,
    pub impact: String,
    pub open: bool,
    pub started_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub components: Vec<String>,
}

/// One stored update of an incident, as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineUpdate {
    pub id: String,
    pub phase: String,
    pub body: String,
    pub at: Option<DateTime<Utc>>,
}

/// A history file that could not be used and was kept aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    pub kept_as: PathBuf,
    pub reason: String,
}

impl HistoryError {
    /// Whether the file itself is unusable (as opposed to a full disk, a lock, a newer schema).
    pub fn is_corruption(&self) -> bool {
        let sqlite = match self {
            HistoryError::Corrupt { .. } => return true,
            HistoryError::Open { source, .. } | HistoryError::Sqlite(source) => source,
            _ => return false,
        };
        matches!(
            sqlite.sqlite_error_code(),
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
        )
    }
}

/// The moment an incident entered a phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseStep {
    pub phase: String,
    pub at: DateTime<Utc>,
    pub secs_since_previous: Option<i64>,
}

/// One incident with its updates and the phases it went through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    pub incident: IncidentRow,
    /// Oldest first; updates without a time last, in the order they were stored.
    pub updates: Vec<TimelineUpdate>,
    /// The first update of each new phase, in time order
    /// (investigating 05:12 → identified 05:43 → resolved 06:10).
    pub steps: Vec<PhaseStep>,
    /// Started (or first seen) to resolved; `None` while open: the caller has the clock.
    pub duration_secs: Option<i64>,
}

/// What the incident list is narrowed to; `None` fields do not narrow.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IncidentFilter {
    /// A service id, exactly.
    pub service_id: Option<String>,
    /// "open", "resolved", or "all" (also `None` or empty).
    pub state: Option<String>,
    /// Case-insensitive substring of the title or of any update's body.
    pub text: Option<String>,
}

/// Whether a phase name (as stored) means the incident or maintenance is over.
fn is_closed_phase(phase: &str) -> bool {
    matches!(phase, "resolved" | "postmortem" | "completed")
}

/// Kept in step with [`is_closed_phase`]: an incident is open until resolved or closed.
const OPEN_SQL: &str =
    "(i.resolved_at IS NULL AND i.phase NOT IN ('resolved', 'postmortem', 'completed'))";

/// The columns [`incident_row`] reads, from `incident i LEFT JOIN service s`.
const ROW_COLUMNS: &str = "i.service_id, COALESCE(s.name, i.service_id), i.id, i.kind, i.title, \
     i.phase, i.impact, i.started_at, i.resolved_at, i.url, i.components";

fn incident_row(r: &Row<'_>) -> rusqlite::Result<IncidentRow> {
    let phase: String = r.get(5)?;
    let resolved_at = parse_ts(r.get(8)?);
    let components: String = r.get(10)?;
    Ok(IncidentRow {
        service_id: r.get(0)?,
        service_name: r.get(1)?,
        id: r.get(2)?,
        kind: r.get(3)?,
        title: r.get(4)?,
        open: resolved_at.is_none() && !is_closed_phase(&phase),
        phase,
        impact: r.get(6)?,
        started_at: parse_ts(r.get(7)?),
        resolved_at,
        url: r.get(9)?,
        components: serde_json::from_str(&components).unwrap_or_default(),
    })
}

/// Unknown impact names (a newer provider value) count as no impact rather than failing.
fn parse_impact(s: &str) -> Impact {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StateFilter {
    All,
    Open,
    Resolved,
}

impl StateFilter {
    fn parse(raw: Option<&str>) -> Result<Self, HistoryError> {
        let Some(raw) = raw else {
            return Ok(StateFilter::All);
        };
        match raw.trim().to_ascii_lowercase().as_str() {
            "" | "all" => Ok(StateFilter::All),
            "open" => Ok(StateFilter::Open),
            "resolved" | "closed" => Ok(StateFilter::Resolved),
            _ => Err(HistoryError::FilterState(raw.to_owned())),
        }
    }

    /// The value [`OPEN_SQL`] must have, or `None` for any.
    fn open(self) -> Option<bool> {
        match self {
            StateFilter::All => None,
            StateFilter::Open => Some(true),
            StateFilter::Resolved => Some(false),
        }
    }
}

/// The phases an incident went through: the first timed update of each new phase, in
/// time order. `closed` is the closing phase and time of an incident that is over; when no
/// update says so (it left the page's list silently), it becomes the final step.
pub fn phase_steps(
    updates: &[TimelineUpdate],
    closed: Option<(&str, DateTime<Utc>)>,
) -> Vec<PhaseStep> {
    let mut timed: Vec<(&str, DateTime<Utc>)> = updates
        .iter()
        .filter_map(|u| u.at.map(|at| (u.phase.as_str(), at)))
        .collect();
    // Stable: updates posted in the same second keep the provider's order.
    timed.sort_by_key(|(_, at)| *at);
    let mut steps: Vec<PhaseStep> = Vec::new();
    for (phase, at) in timed {
        let previous = steps.last();
        if previous.is_some_and(|p| p.phase == phase) {
            continue;
        }
        steps.push(PhaseStep {
            phase: phase.to_owned(),
            at,
            secs_since_previous: previous.map(|p| (at - p.at).num_seconds()),
        });
    }
    if let Some((phase, at)) = closed {
        if !steps.iter().any(|s| is_closed_phase(&s.phase)) {
            let previous = steps.last();
            steps.push(PhaseStep {
                phase: phase.to_owned(),
                at,
                // A resolution stamped before the last update is bad data, not negative time.
                secs_since_previous: previous.map(|p| (at - p.at).num_seconds().max(0)),
            });
        }
    }
    steps
}

/// A notification waiting in (or taken from) the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub outbox_id: i64,
    pub notification: Notification,
}

#[derive(Debug)]
pub struct History {
    conn: Connection,
    path: PathBuf,
}

impl History {
    /// Opens (creating if needed) `dir/history.sqlite3` and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Self, HistoryError> {
        std::fs::create_dir_all(dir).map_err(|source| HistoryError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(DB_FILE);
        let open_err = |source| HistoryError::Open {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(open_err)?;
        // WAL survives kill -9 with synchronous=NORMAL; a busy timeout covers a second reader.
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        let mut history = History { conn, path };
        history.migrate()?;
        Ok(history)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the history, and when the file is not a usable SQLite database (garbage,
    /// truncated, failing its quick check) moves it aside — never deletes it — with its
    /// `-wal`/`-shm` files and starts a fresh one. A newer schema is not corruption: that
    /// stays an error, so an older build never sets a newer one's history aside.
    pub fn open_or_recover(dir: &Path) -> Result<(Self, Option<Recovered>), HistoryError> {
        let err = match Self::open(dir).and_then(|h| h.quick_check().map(|()| h)) {
            Ok(h) => return Ok((h, None)),
            Err(e) if e.is_corruption() => e,
            Err(e) => return Err(e),
        };
        let path = dir.join(DB_FILE);
        let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
        let kept_as = dir.join(format!("{DB_FILE}.corrupt-{stamp}"));
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", path.display()));
            if from.exists() {
                let to = PathBuf::from(format!("{}{suffix}", kept_as.display()));
                std::fs::rename(&from, &to).map_err(|source| HistoryError::Dir {
                    path: to.clone(),
                    source,
                })?;
            }
        }
        tracing::error!(error = %err, kept_as = %kept_as.display(), "history unreadable: kept aside, starting a fresh one");
        let fresh = Self::open(dir)?;
        Ok((
            fresh,
            Some(Recovered {
                kept_as,
                reason: err.to_string(),
            }),
        ))
    }

    fn quick_check(&self) -> Result<(), HistoryError> {
        let result: String = self
            .conn
            .pragma_query_value(None, "quick_check", |r| r.get(0))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(HistoryError::Corrupt {
                path: self.path.clone(),
                detail: result,
            })
        }
    }

    fn migrate(&mut self) -> Result<(), HistoryError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|source| HistoryError::Open {
                path: self.path.clone(),
                source,
            })?;
        if version > MIGRATIONS.len() as i64 {
            return Err(HistoryError::TooNew {
                path: self.path.clone(),
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        for (n, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (n + 1) as i64)?;
            tx.commit()?;
            tracing::info!(version = n + 1, "history schema migrated");
        }
        Ok(())
    }

    /// The remembered state of a service; default (not yet baselined) when unknown.
    pub fn load_state(&self, service: &ServiceId) -> Result<ServiceState, HistoryError> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT state FROM service WHERE id = ?1",
                [service.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match json {
            Some(j) => serde_json::from_str(&j)?,
            None => ServiceState::default(),
        })
    }

    /// Stores one poll atomically: the snapshot's incidents, the next state, and the
    /// notification it causes together with its ledger keys. Returns what to deliver.
    pub fn record_poll(
        &mut self,
        service: &ServiceConfig,
        snapshot: Option<&Snapshot>,
        next: &ServiceState,
        events: &[Event],
        now: DateTime<Utc>,
        delivery: Delivery,
    ) -> Result<Option<Pending>, HistoryError> {
        let tx = self.conn.transaction()?;
        let state = serde_json::to_string(next)?;
        tx.execute(
            "INSERT INTO service (id, name, url, format, state, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url,
                 format = excluded.format, state = excluded.state, updated_at = excluded.updated_at",
            params![service.id.as_str(), service.name, service.url, service.format.as_str(), state, ts(now)],
        )?;
        if let Some(s) = snapshot {
            for i in &s.incidents {
                upsert_incident(&tx, &service.id, i, Kind::Incident, now)?;
            }
            for m in &s.maintenances {
                upsert_incident(&tx, &service.id, m, Kind::Maintenance, now)?;
            }
        }
        for e in events {
            if let Event::IncidentResolved {
                incident,
                resolved_at,
            }
            | Event::MaintenanceCompleted {
                incident,
                resolved_at,
            } = e
            {
                // An incident that left the unresolved list without a final update.
                tx.execute(
                    "UPDATE incident SET phase = ?3, resolved_at = COALESCE(resolved_at, ?4)
                     WHERE service_id = ?1 AND id = ?2",
                    params![
                        service.id.as_str(),
                        incident.id.0,
                        incident.phase.as_str(),
                        ts(*resolved_at)
                    ],
                )?;
            }
        }
        let pending = {
            let mut seen = tx.prepare_cached("SELECT 1 FROM announced WHERE key = ?1")?;
            let announced = |key: &str| seen.exists([key]).unwrap_or(false);
            alerts::plan(
                &service.id,
                &service.name,
                &service.prefs,
                events,
                now,
                announced,
            )
        };
        let pending = match pending {
            None => None,
            Some(n) => {
                // Dropped ones are recorded as handled, so they never pop up later.
                let (not_before, delivered_at, note) = match delivery {
                    Delivery::Now => (None, None, None),
                    Delivery::Queue { until } => (Some(ts(until)), None, None),
                    Delivery::Drop { reason } => {
                        (None, Some(ts(now)), Some(format!("dropped: {reason}")))
                    }
                };
                tx.execute(
                    "INSERT INTO outbox (service_id, title, body, urgency, url, created_at, not_before, delivered_at, last_error)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![n.service.as_str(), n.title, n.body, n.urgency.as_str(), n.url, ts(now), not_before, delivered_at, note],
                )?;
                let outbox_id = tx.last_insert_rowid();
                for key in &n.keys {
                    tx.execute(
                        "INSERT INTO announced (key, outbox_id, at) VALUES (?1, ?2, ?3)",
                        params![key, outbox_id, ts(now)],
                    )?;
                }
                matches!(delivery, Delivery::Now).then_some(Pending {
                    outbox_id,
                    notification: n,
                })
            }
        };
        tx.commit()?;
        Ok(pending)
    }

    /// Notifications recorded but not delivered (e.g. the app was killed in between).
    /// Older ones than `max_age` are marked expired: yesterday's news is not a pop-up.
    pub fn take_undelivered(
        &mut self,
        now: DateTime<Utc>,
        max_age: chrono::Duration,
    ) -> Result<Vec<Pending>, HistoryError> {
        let cutoff = ts(now - max_age);
        self.conn.execute(
            "UPDATE outbox SET delivered_at = ?2, last_error = 'expired undelivered'
             WHERE delivered_at IS NULL AND COALESCE(not_before, created_at) < ?1",
            params![cutoff, ts(now)],
        )?;
        let mut stmt = self.conn.prepare(
            "SELECT o.id, o.service_id, o.title, o.body, o.urgency, o.url,
                    (SELECT group_concat(key, char(10)) FROM announced a WHERE a.outbox_id = o.id)
             FROM outbox o WHERE o.delivered_at IS NULL AND COALESCE(o.not_before, '') <= ?1
             ORDER BY o.id",
        )?;
        let rows = stmt.query_map([ts(now)], |r| {
            let keys: Option<String> = r.get(6)?;
            Ok(Pending {
                outbox_id: r.get(0)?,
                notification: Notification {
                    service: ServiceId::from_name(&r.get::<_, String>(1)?),
                    title: r.get(2)?,
                    body: r.get(3)?,
                    urgency: Urgency::parse(&r.get::<_, String>(4)?),
                    url: r.get(5)?,
                    keys: keys
                        .map(|k| k.lines().map(str::to_owned).collect())
                        .unwrap_or_default(),
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a delivery attempt (`error` is `None` on success). A failed one stays
    /// pending for a retry until `max_attempts` attempts were made.
    pub fn mark_delivery(
        &mut self,
        outbox_id: i64,
        now: DateTime<Utc>,
        error: Option<&str>,
        max_attempts: i64,
    ) -> Result<(), HistoryError> {
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?3,
                 delivered_at = CASE WHEN ?3 IS NULL OR attempts + 1 >= ?4 THEN ?2 END
             WHERE id = ?1",
            params![outbox_id, ts(now), error, max_attempts],
        )?;
        Ok(())
    }

    /// Notifications are paused until this time (set from the tray), if at all.
    pub fn paused_until(&self) -> Result<Option<DateTime<Utc>>, HistoryError> {
        let v: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM setting WHERE key = 'paused_until'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(parse_ts(v))
    }

    pub fn set_paused_until(&mut self, until: Option<DateTime<Utc>>) -> Result<(), HistoryError> {
        match until {
            Some(t) => self.conn.execute(
                "INSERT INTO setting (key, value) VALUES ('paused_until', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [ts(t)],
            )?,
            None => self
                .conn
                .execute("DELETE FROM setting WHERE key = 'paused_until'", [])?,
        };
        Ok(())
    }

    /// Recent incidents and maintenances, open first, then newest.
    pub fn recent_incidents(&self, limit: usize) -> Result<Vec<IncidentRow>, HistoryError> {
        self.search_incidents(&IncidentFilter::default(), limit)
    }

    /// Like [`History::recent_incidents`], narrowed by `filter`.
    pub fn search_incidents(
        &self,
        filter: &IncidentFilter,
        limit: usize,
    ) -> Result<Vec<IncidentRow>, HistoryError> {
        let open = StateFilter::parse(filter.state.as_deref())?.open();
        let service = filter.service_id.as_deref().filter(|s| !s.is_empty());
        // Matched here, not with SQL LIKE: SQLite folds only ASCII case.
        let needle = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ROW_COLUMNS}
             FROM incident i LEFT JOIN service s ON s.id = i.service_id
             WHERE NOT (i.kind = 'maintenance' AND i.phase = 'scheduled')
               AND (?1 IS NULL OR i.service_id = ?1)
               AND (?2 IS NULL OR {OPEN_SQL} = ?2)
             ORDER BY {OPEN_SQL} DESC, COALESCE(i.started_at, i.first_seen_at) DESC
             LIMIT ?3"
        ))?;
        // Without text the database can stop at the limit; with it, every candidate is read.
        let sql_limit = if needle.is_some() { -1 } else { limit as i64 };
        let rows = stmt.query_map(params![service, open, sql_limit], incident_row)?;
        let mut out = Vec::new();
        for row in rows {
            if out.len() >= limit {
                break;
            }
            let row = row?;
            let keep = match &needle {
                None => true,
                Some(n) => {
                    row.title.to_lowercase().contains(n.as_str()) || self.body_contains(&row, n)?
                }
            };
            if keep {
                out.push(row);
            }
        }
        Ok(out)
    }

    fn body_contains(&self, row: &IncidentRow, needle: &str) -> Result<bool, HistoryError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT body FROM incident_update WHERE service_id = ?1 AND incident_id = ?2",
        )?;
        let mut bodies = stmt.query(params![row.service_id, row.id])?;
        while let Some(r) = bodies.next()? {
            let body: String = r.get(0)?;
            if body.to_lowercase().contains(needle) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// One incident with its updates and phase steps; `None` if it is not stored.
    pub fn timeline(
        &self,
        service: &ServiceId,
        incident_id: &str,
    ) -> Result<Option<Timeline>, HistoryError> {
        let found = self
            .conn
            .query_row(
                &format!(
                    "SELECT {ROW_COLUMNS}, COALESCE(i.started_at, i.first_seen_at)
                     FROM incident i LEFT JOIN service s ON s.id = i.service_id
                     WHERE i.service_id = ?1 AND i.id = ?2"
                ),
                params![service.as_str(), incident_id],
                |r| Ok((incident_row(r)?, parse_ts(r.get(11)?))),
            )
            .optional()?;
        let Some((incident, began)) = found else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, phase, body, at FROM incident_update
             WHERE service_id = ?1 AND incident_id = ?2
             ORDER BY at IS NULL, at, rowid",
        )?;
        let updates = stmt
            .query_map(params![service.as_str(), incident_id], |r| {
                Ok(TimelineUpdate {
                    id: r.get(0)?,
                    phase: r.get(1)?,
                    body: r.get(2)?,
                    at: parse_ts(r.get(3)?),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let closed_at = incident.resolved_at.filter(|_| !incident.open);
        let closing_phase = if is_closed_phase(&incident.phase) {
            incident.phase.as_str()
        } else if incident.kind == "maintenance" {
            "completed"
        } else {
            "resolved"
        };
        let steps = phase_steps(&updates, closed_at.map(|at| (closing_phase, at)));
        let duration_secs = match (closed_at, began) {
            (Some(end), Some(start)) => Some((end - start).num_seconds().max(0)),
            _ => None,
        };
        Ok(Some(Timeline {
            incident,
            updates,
            steps,
            duration_secs,
        }))
    }

    /// Incidents (not maintenances) of a service that overlap [since, ∞) or are open.
    /// Without a provider start time, the time we first saw it stands in.
    pub fn spans(
        &self,
        service: &ServiceId,
        since: DateTime<Utc>,
    ) -> Result<Vec<Span>, HistoryError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT COALESCE(started_at, first_seen_at), resolved_at, phase, impact FROM incident
             WHERE service_id = ?1 AND kind = 'incident' AND (resolved_at IS NULL OR resolved_at >= ?2)
             ORDER BY 1",
        )?;
        let rows = stmt.query_map(params![service.as_str(), ts(since)], |r| {
            Ok((
                parse_ts(r.get(0)?),
                parse_ts(r.get(1)?),
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut spans = Vec::new();
        for row in rows {
            let (started, resolved, phase, impact) = row?;
            let Some(started_at) = started else {
                continue;
            };
            // Closed without an end time: of unknown length, so none rather than "until now".
            let resolved_at = resolved.or_else(|| is_closed_phase(&phase).then_some(started_at));
            spans.push(Span {
                started_at,
                resolved_at,
                impact: parse_impact(&impact),
            });
        }
        Ok(spans)
    }

    /// The reliability figures of a service as of `now`.
    pub fn reliability(
        &self,
        service: &ServiceId,
        now: DateTime<Utc>,
    ) -> Result<Reliability, HistoryError> {
        // The strip is the widest window, so this reaches every figure.
        let since = now - chrono::Duration::days(i64::from(reliability::STRIP_DAYS));
        let spans = self.spans(service, since)?;
        let mut r = reliability::compute(&spans, now);
        let first: Option<String> = self.conn.query_row(
            "SELECT MIN(COALESCE(started_at, first_seen_at)) FROM incident
             WHERE service_id = ?1 AND kind = 'incident'",
            [service.as_str()],
            |r| r.get(0),
        )?;
        r.history_since = match (parse_ts(first), r.history_since) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Ok(r)
    }

    /// How many updates of an incident are stored.
    pub fn update_count(&self, service: &ServiceId, incident: &str) -> Result<usize, HistoryError> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM incident_update WHERE service_id = ?1 AND incident_id = ?2",
            params![service.as_str(), incident],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }
}

fn upsert_incident(
    tx: &Transaction<'_>,
    service: &ServiceId,
    i: &Incident,
    kind: Kind,
    now: DateTime<Utc>,
) -> Result<(), HistoryError> {
    let kind = match kind {
        Kind::Incident => "incident",
        Kind::Maintenance => "maintenance",
    };
    let resolved_at = i.resolved_at.or_else(|| i.phase.is_closed().then_some(now));
    tx.prepare_cached(
        "INSERT INTO incident (service_id, id, kind, title, phase, impact, started_at, updated_at, resolved_at,
                               url, components, first_seen_at, last_seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
         ON CONFLICT (service_id, id) DO UPDATE SET
             title = excluded.title, phase = excluded.phase, impact = excluded.impact,
             started_at = COALESCE(excluded.started_at, incident.started_at),
             updated_at = excluded.updated_at,
             resolved_at = CASE WHEN excluded.resolved_at IS NULL THEN NULL
                                ELSE COALESCE(incident.resolved_at, excluded.resolved_at) END,
             url = excluded.url, components = excluded.components, last_seen_at = excluded.last_seen_at",
    )?
    .execute(params![
        service.as_str(),
        i.id.0,
        kind,
        i.title,
        i.phase.as_str(),
        i.impact.as_str(),
        i.started_at.map(ts),
        i.updated_at.map(ts),
        resolved_at.map(ts),
        i.url,
        serde_json::to_string(&i.components)?,
        ts(now),
    ])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO incident_update (service_id, incident_id, id, phase, body, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT DO UPDATE SET phase = excluded.phase, body = excluded.body, at = excluded.at",
    )?;
    for (n, u) in i.updates.iter().enumerate() {
        // Updates without an id (rare) are keyed by position and time so they stay unique.
        let id = if u.id.is_empty() {
            format!("#{n}@{}", u.at.map(ts).unwrap_or_default())
        } else {
            u.id.clone()
        };
        stmt.execute(params![
            service.as_str(),
            i.id.0,
            id,
            u.phase.as_str(),
            u.body,
            u.at.map(ts)
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Impact, IncidentId, IncidentUpdate, Phase, Status};
    use crate::sources::Format;
    use crate::test_support::t;
    use crate::transitions::{step, Observation, Rules};

    fn service() -> ServiceConfig {
        ServiceConfig {
            id: ServiceId::from_name("GitHub"),
            name: "GitHub".to_owned(),
            url: "https://www.githubstatus.com".to_owned(),
            format: Format::Statuspage,
            endpoint: None,
            filter: Default::default(),
            enabled: true,
            prefs: Default::default(),
        }
    }

    fn snapshot(incidents: Vec<Incident>) -> Snapshot {
        Snapshot {
            service: "GitHub".to_owned(),
            format: "statuspage".to_owned(),
            page_url: "https://www.githubstatus.com".to_owned(),
            status: Status::Operational,
            page_status: None,
            description: None,
            components: vec![],
            incidents,
            maintenances: vec![],
        }
    }

    fn incident(id: &str, phase: Phase, started: i64) -> Incident {
        Incident {
            id: IncidentId(id.to_owned()),
            title: format!("Incident {id}"),
            phase,
            impact: Impact::Minor,
            started_at: Some(t(started)),
            updated_at: None,
            resolved_at: None,
            url: None,
            components: vec!["Git".to_owned()],
            updates: vec![IncidentUpdate {
                id: format!("{id}-u1"),
                phase,
                body: "Looking".to_owned(),
                at: Some(t(started)),
            }],
        }
    }

    /// One poll through the pure step and the store, as the watcher does it.
    fn poll(h: &mut History, snap: &Snapshot, now: DateTime<Utc>) -> Option<Pending> {
        let svc = service();
        let prev = h.load_state(&svc.id).expect("state");
        let (next, events) = step(&prev, Observation::Read(snap), now, &Rules::default());
        h.record_poll(&svc, Some(snap), &next, &events, now, Delivery::Now)
            .expect("record")
    }

    #[test]
    fn state_and_ledger_survive_reopening() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let mut h = History::open(dir.path()).expect("open");
            assert!(
                poll(&mut h, &snapshot(vec![]), t(0)).is_none(),
                "quiet baseline"
            );
            let p = poll(
                &mut h,
                &snapshot(vec![incident("a", Phase::Investigating, 1)]),
                t(1),
            )
            .expect("opened");
            assert_eq!(p.notification.keys, vec!["github/a/opened"]);
        }
        let mut h = History::open(dir.path()).expect("reopen");
        let state = h.load_state(&service().id).expect("state");
        assert!(state.baselined);
        assert_eq!(state.open.len(), 1);
        assert!(poll(
            &mut h,
            &snapshot(vec![incident("a", Phase::Investigating, 1)]),
            t(2)
        )
        .is_none());
        let resolved = poll(&mut h, &snapshot(vec![]), t(3)).expect("resolved");
        assert_eq!(resolved.notification.keys, vec!["github/a/resolved"]);
        assert_eq!(h.update_count(&service().id, "a").expect("count"), 1);
        let rows = h.recent_incidents(10).expect("rows");
        assert_eq!(rows.len(), 1);
        assert!(!rows[0].open);
        assert_eq!(rows[0].phase, "resolved");
        assert_eq!(rows[0].resolved_at, Some(t(3)));
    }

    #[test]
    fn the_ledger_blocks_a_repeat_even_if_state_is_lost() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let svc = service();
        let (s0, _) = step(
            &Default::default(),
            Observation::Read(&snapshot(vec![])),
            t(0),
            &Rules::default(),
        );
        let snap = snapshot(vec![incident("a", Phase::Identified, 1)]);
        let (s1, events) = step(&s0, Observation::Read(&snap), t(1), &Rules::default());
        assert!(h
            .record_poll(&svc, Some(&snap), &s1, &events, t(1), Delivery::Now)
            .expect("record")
            .is_some());
        assert!(
            h.record_poll(&svc, Some(&snap), &s1, &events, t(2), Delivery::Now)
                .expect("record")
                .is_none(),
            "the same transition is never announced twice"
        );
    }

    #[test]
    fn outbox_delivery_retry_and_expiry() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        poll(&mut h, &snapshot(vec![]), t(0));
        let first = poll(
            &mut h,
            &snapshot(vec![incident("a", Phase::Investigating, 1)]),
            t(1),
        )
        .expect("a");
        let second = poll(
            &mut h,
            &snapshot(vec![
                incident("a", Phase::Investigating, 1),
                incident("b", Phase::Investigating, 100),
            ]),
            t(100),
        )
        .expect("b");

        // Killed before delivery: both pending; an hour later the old one has expired.
        let pending = h
            .take_undelivered(t(101), chrono::Duration::minutes(60))
            .expect("pending");
        assert_eq!(
            pending.iter().map(|p| p.outbox_id).collect::<Vec<_>>(),
            vec![second.outbox_id]
        );
        assert_eq!(pending[0].notification, second.notification);
        assert!(h
            .take_undelivered(t(101), chrono::Duration::minutes(60))
            .expect("again")
            .iter()
            .all(|p| p.outbox_id != first.outbox_id));

        // A failed attempt stays pending until the last attempt.
        h.mark_delivery(second.outbox_id, t(102), Some("daemon gone"), 2)
            .expect("mark");
        assert_eq!(
            h.take_undelivered(t(102), chrono::Duration::minutes(60))
                .expect("p")
                .len(),
            1
        );
        h.mark_delivery(second.outbox_id, t(103), Some("daemon gone"), 2)
            .expect("mark");
        assert!(h
            .take_undelivered(t(103), chrono::Duration::minutes(60))
            .expect("p")
            .is_empty());
    }

    #[test]
    fn quiet_hours_queue_or_drop_and_pause_persists() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let svc = service();
        let r = Rules::default();
        let (s0, _) = step(
            &Default::default(),
            Observation::Read(&snapshot(vec![])),
            t(0),
            &r,
        );
        let a = snapshot(vec![incident("a", Phase::Investigating, 1)]);
        let (s1, ev) = step(&s0, Observation::Read(&a), t(1), &r);
        let queued = h
            .record_poll(
                &svc,
                Some(&a),
                &s1,
                &ev,
                t(1),
                Delivery::Queue { until: t(300) },
            )
            .expect("record");
        assert!(queued.is_none(), "nothing to deliver now");
        assert!(
            h.take_undelivered(t(2), chrono::Duration::minutes(60))
                .expect("p")
                .is_empty(),
            "held back"
        );
        let later = h
            .take_undelivered(t(301), chrono::Duration::minutes(60))
            .expect("p");
        assert_eq!(
            later.len(),
            1,
            "delivered when quiet hours end, not expired"
        );

        let b = snapshot(vec![
            incident("a", Phase::Investigating, 1),
            incident("b", Phase::Identified, 2),
        ]);
        let (s2, ev) = step(&s1, Observation::Read(&b), t(2), &r);
        let dropped = h
            .record_poll(
                &svc,
                Some(&b),
                &s2,
                &ev,
                t(2),
                Delivery::Drop { reason: "paused" },
            )
            .expect("record");
        assert!(dropped.is_none());
        assert_eq!(
            h.take_undelivered(t(301), chrono::Duration::minutes(60))
                .expect("p")
                .len(),
            1,
            "the dropped one never shows"
        );
        assert!(
            h.record_poll(&svc, Some(&b), &s2, &ev, t(3), Delivery::Now)
                .expect("record")
                .is_none(),
            "and is never re-announced"
        );

        assert_eq!(h.paused_until().expect("get"), None);
        h.set_paused_until(Some(t(60))).expect("set");
        drop(h);
        let mut h = History::open(dir.path()).expect("reopen");
        assert_eq!(h.paused_until().expect("get"), Some(t(60)));
        h.set_paused_until(None).expect("clear");
        assert_eq!(h.paused_until().expect("get"), None);
    }

    #[test]
    fn open_incidents_list_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let mut old_open = incident("old-open", Phase::Monitoring, 0);
        old_open.impact = Impact::Major;
        let mut closed = incident("new-closed", Phase::Resolved, 50);
        closed.resolved_at = Some(t(60));
        poll(
            &mut h,
            &snapshot(vec![
                old_open,
                closed,
                incident("newer-open", Phase::Identified, 30),
            ]),
            t(70),
        );
        let ids: Vec<String> = h
            .recent_incidents(10)
            .expect("rows")
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, ["newer-open", "old-open", "new-closed"]);
    }

    fn update(id: &str, phase: Phase, body: &str, at: Option<i64>) -> IncidentUpdate {
        IncidentUpdate {
            id: id.to_owned(),
            phase,
            body: body.to_owned(),
            at: at.map(t),
        }
    }

    fn with_updates(mut i: Incident, updates: Vec<IncidentUpdate>) -> Incident {
        if let Some(last) = updates.last() {
            i.phase = last.phase;
        }
        i.updates = updates;
        i
    }

    fn other_service() -> ServiceConfig {
        ServiceConfig {
            id: ServiceId::from_name("OpenAI"),
            name: "OpenAI".to_owned(),
            url: "https://status.openai.com".to_owned(),
            ..service()
        }
    }

    fn record_for(h: &mut History, svc: &ServiceConfig, snap: &Snapshot, now: DateTime<Utc>) {
        let prev = h.load_state(&svc.id).expect("state");
        let (next, events) = step(&prev, Observation::Read(snap), now, &Rules::default());
        h.record_poll(svc, Some(snap), &next, &events, now, Delivery::Now)
            .expect("record");
    }

    fn step_of(phase: &str, at: i64, since: Option<i64>) -> PhaseStep {
        PhaseStep {
            phase: phase.to_owned(),
            at: t(at),
            secs_since_previous: since,
        }
    }

    /// (name, updates, closing phase and minute, expected steps)
    type StepCase = (
        &'static str,
        Vec<TimelineUpdate>,
        Option<(&'static str, i64)>,
        Vec<PhaseStep>,
    );

    #[test]
    fn phase_steps_table() {
        let u = |phase: &str, at: Option<i64>| TimelineUpdate {
            id: format!("{phase}{at:?}"),
            phase: phase.to_owned(),
            body: String::new(),
            at: at.map(t),
        };
        let table: Vec<StepCase> = vec![
            ("no updates, open", vec![], None, vec![]),
            (
                "no updates, closed: the resolution alone",
                vec![],
                Some(("resolved", 30)),
                vec![step_of("resolved", 30, None)],
            ),
            (
                "repeats collapse into the first, untimed ones are skipped",
                vec![
                    u("investigating", Some(0)),
                    u("investigating", Some(10)),
                    u("identified", None),
                    u("identified", Some(31)),
                    u("monitoring", Some(40)),
                    u("resolved", Some(58)),
                ],
                Some(("resolved", 58)),
                vec![
                    step_of("investigating", 0, None),
                    step_of("identified", 31, Some(31 * 60)),
                    step_of("monitoring", 40, Some(9 * 60)),
                    step_of("resolved", 58, Some(18 * 60)),
                ],
            ),
            (
                "out of order input is put in time order",
                vec![u("identified", Some(20)), u("investigating", Some(5))],
                None,
                vec![
                    step_of("investigating", 5, None),
                    step_of("identified", 20, Some(15 * 60)),
                ],
            ),
            (
                "closed silently: a final step at the resolution",
                vec![u("investigating", Some(0)), u("monitoring", Some(20))],
                Some(("resolved", 50)),
                vec![
                    step_of("investigating", 0, None),
                    step_of("monitoring", 20, Some(20 * 60)),
                    step_of("resolved", 50, Some(30 * 60)),
                ],
            ),
            (
                "a postmortem update already closes it",
                vec![u("investigating", Some(0)), u("postmortem", Some(90))],
                Some(("postmortem", 60)),
                vec![
                    step_of("investigating", 0, None),
                    step_of("postmortem", 90, Some(90 * 60)),
                ],
            ),
            (
                "a resolution stamped before the last update is not negative",
                vec![u("investigating", Some(10))],
                Some(("resolved", 5)),
                vec![
                    step_of("investigating", 10, None),
                    step_of("resolved", 5, Some(0)),
                ],
            ),
            (
                "back and forth between phases is kept",
                vec![
                    u("identified", Some(0)),
                    u("monitoring", Some(10)),
                    u("identified", Some(20)),
                ],
                None,
                vec![
                    step_of("identified", 0, None),
                    step_of("monitoring", 10, Some(600)),
                    step_of("identified", 20, Some(600)),
                ],
            ),
        ];
        for (name, updates, closed, want) in table {
            let closed = closed.map(|(p, at)| (p, t(at)));
            assert_eq!(phase_steps(&updates, closed), want, "{name}");
        }
    }

    #[test]
    fn timeline_of_a_stored_incident() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let id = service().id;
        poll(&mut h, &snapshot(vec![]), t(0));
        let first = vec![
            update("u1", Phase::Investigating, "Looking into errors", Some(0)),
            update("u2", Phase::Investigating, "Still looking", Some(8)),
        ];
        let a = with_updates(incident("a", Phase::Investigating, 0), first.clone());
        poll(&mut h, &snapshot(vec![a.clone()]), t(10));
        let open = h.timeline(&id, "a").expect("timeline").expect("stored");
        assert!(open.incident.open);
        assert_eq!(open.duration_secs, None, "open: the caller has the clock");
        assert_eq!(open.updates.len(), 2);
        assert_eq!(open.steps, vec![step_of("investigating", 0, None)]);

        let mut more = first;
        more.push(update("u3", Phase::Identified, "Found it", Some(31)));
        more.push(update("u4", Phase::Monitoring, "Fix deployed", Some(45)));
        let a = with_updates(a, more);
        poll(&mut h, &snapshot(vec![a]), t(46));
        // It leaves the unresolved list without a resolved update.
        poll(&mut h, &snapshot(vec![]), t(60));
        let done = h.timeline(&id, "a").expect("timeline").expect("stored");
        assert!(!done.incident.open);
        assert_eq!(done.incident.phase, "resolved");
        assert_eq!(
            done.updates
                .iter()
                .map(|u| u.id.as_str())
                .collect::<Vec<_>>(),
            ["u1", "u2", "u3", "u4"]
        );
        assert_eq!(done.updates[2].body, "Found it");
        assert_eq!(
            done.steps,
            vec![
                step_of("investigating", 0, None),
                step_of("identified", 31, Some(31 * 60)),
                step_of("monitoring", 45, Some(14 * 60)),
                step_of("resolved", 60, Some(15 * 60)),
            ]
        );
        assert_eq!(done.duration_secs, Some(3600));

        // No provider start time: measured from when it was first seen.
        let mut b = with_updates(
            incident("b", Phase::Resolved, 0),
            vec![update("b1", Phase::Resolved, "Fixed", Some(70))],
        );
        b.started_at = None;
        b.resolved_at = Some(t(70));
        poll(&mut h, &snapshot(vec![b]), t(65));
        let b = h.timeline(&id, "b").expect("timeline").expect("stored");
        assert_eq!(b.incident.started_at, None);
        assert_eq!(b.duration_secs, Some(5 * 60));
        assert_eq!(b.steps, vec![step_of("resolved", 70, None)]);

        assert_eq!(h.timeline(&id, "nope").expect("timeline"), None);
        assert_eq!(
            h.timeline(&other_service().id, "a").expect("timeline"),
            None,
            "ids are per service"
        );
    }

    #[test]
    fn spans_and_reliability_from_the_store() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let day = 24 * 60;
        let now = t(0);
        let mut old = incident("old", Phase::Resolved, -200 * day);
        old.resolved_at = Some(t(-200 * day + 60));
        let mut recent = incident("recent", Phase::Resolved, -120);
        recent.resolved_at = Some(t(-90));
        recent.impact = Impact::Major;
        let mut unknown_start = incident("no-start", Phase::Resolved, 0);
        unknown_start.started_at = None;
        unknown_start.resolved_at = Some(t(-5));
        let open = incident("open", Phase::Identified, -20);
        let mut snap = snapshot(vec![old, recent, unknown_start, open]);
        let mut maintenance = incident("m", Phase::InProgress, -30);
        maintenance.impact = Impact::Maintenance;
        snap.maintenances = vec![maintenance];
        // First seen ten minutes ago: stands in for the missing start.
        poll(&mut h, &snap, t(-10));
        record_for(
            &mut h,
            &other_service(),
            &snapshot(vec![incident("elsewhere", Phase::Identified, -30)]),
            t(-10),
        );

        let id = service().id;
        let mut spans = h.spans(&id, t(-90 * day)).expect("spans");
        spans.sort_by_key(|s| s.started_at);
        assert_eq!(
            spans,
            vec![
                Span {
                    started_at: t(-120),
                    resolved_at: Some(t(-90)),
                    impact: Impact::Major
                },
                Span {
                    started_at: t(-20),
                    resolved_at: None,
                    impact: Impact::Minor
                },
                Span {
                    started_at: t(-10),
                    resolved_at: Some(t(-5)),
                    impact: Impact::Minor
                },
            ],
            "the old one, the maintenance and the other service are left out"
        );

        let r = h.reliability(&id, now).expect("reliability");
        assert_eq!(r.history_since, Some(t(-200 * day)), "from all incidents");
        assert_eq!(r.open, 1);
        assert_eq!(r.windows[0].incidents, 3);
        // 30 min, then the open 20 min which contains the 5 min one.
        assert_eq!(r.windows[0].impacted_secs, 50 * 60);
        assert_eq!(r.mttr_secs, Some((30 * 60 + 5 * 60) / 2));
        assert_eq!(r.longest_secs, Some(30 * 60));
        assert_eq!(r.days.len(), 90);
        assert_eq!(r.days[89].worst, Some(Impact::Major));

        let none = h
            .reliability(&ServiceId::from_name("Nobody"), now)
            .expect("reliability");
        assert_eq!(none.history_since, None);
        assert_eq!(none.windows[2].availability_pct, 100.0);
    }

    #[test]
    fn search_narrows_by_service_state_and_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let mut closed = with_updates(
            incident("gh-closed", Phase::Resolved, 0),
            vec![update(
                "x",
                Phase::Resolved,
                "The DNS provider had a STÖRUNG",
                Some(5),
            )],
        );
        closed.title = "Webhooks delayed".to_owned();
        closed.resolved_at = Some(t(5));
        let mut open = incident("gh-open", Phase::Investigating, 10);
        open.title = "Elevated Git errors".to_owned();
        poll(&mut h, &snapshot(vec![closed, open]), t(20));
        let mut ai = incident("ai-open", Phase::Identified, 15);
        ai.title = "Git-like errors in the API".to_owned();
        record_for(&mut h, &other_service(), &snapshot(vec![ai]), t(20));

        let ids = |f: IncidentFilter, limit: usize| -> Vec<String> {
            h.search_incidents(&f, limit)
                .expect("search")
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        let f = |service: Option<&str>, state: Option<&str>, text: Option<&str>| IncidentFilter {
            service_id: service.map(str::to_owned),
            state: state.map(str::to_owned),
            text: text.map(str::to_owned),
        };
        let table: Vec<(&str, IncidentFilter, usize, Vec<&str>)> = vec![
            (
                "everything, open first",
                f(None, None, None),
                10,
                vec!["ai-open", "gh-open", "gh-closed"],
            ),
            (
                "the limit",
                f(None, None, None),
                2,
                vec!["ai-open", "gh-open"],
            ),
            (
                "one service",
                f(Some("github"), None, None),
                10,
                vec!["gh-open", "gh-closed"],
            ),
            (
                "service ids are exact",
                f(Some("git"), None, None),
                10,
                vec![],
            ),
            (
                "open",
                f(None, Some("open"), None),
                10,
                vec!["ai-open", "gh-open"],
            ),
            (
                "resolved",
                f(None, Some("Resolved"), None),
                10,
                vec!["gh-closed"],
            ),
            ("all", f(None, Some("all"), None), 1, vec!["ai-open"]),
            (
                "title, any case",
                f(None, None, Some("GIT")),
                10,
                vec!["ai-open", "gh-open"],
            ),
            (
                "update body, non-ASCII case",
                f(None, None, Some("störung")),
                10,
                vec!["gh-closed"],
            ),
            (
                "text within one service",
                f(Some("openai"), None, Some("git")),
                10,
                vec!["ai-open"],
            ),
            (
                "text and state",
                f(None, Some("resolved"), Some("git")),
                10,
                vec![],
            ),
            (
                "text with a limit",
                f(None, None, Some("errors")),
                1,
                vec!["ai-open"],
            ),
            (
                "blank text is no filter",
                f(None, None, Some("  ")),
                10,
                vec!["ai-open", "gh-open", "gh-closed"],
            ),
            (
                "LIKE wildcards are plain text",
                f(None, None, Some("%")),
                10,
                vec![],
            ),
        ];
        for (name, filter, limit, want) in table {
            assert_eq!(ids(filter, limit), want, "{name}");
        }
        assert_eq!(
            h.recent_incidents(10).expect("recent").len(),
            3,
            "recent is the unfiltered search"
        );
        let err = h
            .search_incidents(&f(None, Some("bogus"), None), 10)
            .expect_err("unknown state");
        assert!(matches!(err, HistoryError::FilterState(_)), "{err}");
    }

    #[test]
    fn schema_versions() {
        let dir = tempfile::tempdir().expect("tempdir");
        drop(History::open(dir.path()).expect("create"));
        drop(History::open(dir.path()).expect("reopen is a no-op"));
        let conn = Connection::open(dir.path().join(DB_FILE)).expect("raw");
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(v, MIGRATIONS.len() as i64);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
        conn.pragma_update(None, "user_version", 99).expect("bump");
        drop(conn);
        let err = History::open(dir.path()).expect_err("newer schema");
        assert!(
            matches!(err, HistoryError::TooNew { found: 99, .. }),
            "{err}"
        );
    }

    #[test]
    fn garbage_file_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(DB_FILE),
            b"this is not a database, just text that is long enough",
        )
        .expect("write");
        let err = History::open(dir.path()).expect_err("garbage");
        let msg = err.to_string();
        assert!(
            msg.contains("history database") && msg.contains(DB_FILE),
            "{msg}"
        );
        assert!(
            dir.path().join(DB_FILE).exists(),
            "the broken file is never deleted"
        );
    }

    #[test]
    fn a_broken_file_is_kept_aside_and_a_fresh_one_started() {
        // Garbage, and a real history cut in half (as a disk or copy error leaves it).
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let mut h = History::open(dir.path()).expect("open");
            let snap = snapshot(vec![incident("inc-1", Phase::Investigating, 0)]);
            poll(&mut h, &snap, t(0));
            h.conn
                .pragma_update(None, "wal_checkpoint", "TRUNCATE")
                .expect("checkpoint");
        }
        let whole = std::fs::read(dir.path().join(DB_FILE)).expect("read");
        for (name, bytes) in [
            (
                "garbage",
                b"not a database at all, just some text".repeat(200),
            ),
            ("truncated", whole[..whole.len() / 2].to_vec()),
        ] {
            let d = tempfile::tempdir().expect("tempdir");
            std::fs::write(d.path().join(DB_FILE), &bytes).expect("write");
            let (h, recovered) = History::open_or_recover(d.path()).expect(name);
            let r = recovered.unwrap_or_else(|| panic!("{name}: not noticed"));
            assert!(
                r.kept_as
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("history.sqlite3.corrupt-")),
                "{name}: {r:?}"
            );
            assert_eq!(
                std::fs::read(&r.kept_as).expect("kept"),
                bytes,
                "{name}: kept as it was"
            );
            assert!(h.recent_incidents(10).expect("fresh").is_empty(), "{name}");
        }
        // A sound file is opened as it is.
        let (h, recovered) = History::open_or_recover(dir.path()).expect("sound");
        assert_eq!(recovered, None);
        assert_eq!(h.recent_incidents(10).expect("rows").len(), 1);
    }

    #[test]
    fn a_newer_schema_is_not_set_aside() {
        let dir = tempfile::tempdir().expect("tempdir");
        drop(History::open(dir.path()).expect("create"));
        let conn = Connection::open(dir.path().join(DB_FILE)).expect("open");
        conn.pragma_update(None, "user_version", 99).expect("bump");
        drop(conn);
        let err = History::open_or_recover(dir.path()).expect_err("newer");
        assert!(matches!(err, HistoryError::TooNew { .. }), "{err}");
        assert!(dir.path().join(DB_FILE).exists());
    }
}
