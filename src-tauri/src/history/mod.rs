//! SQLite history: opening, migrating and recovering the database file.

mod early;
mod queries;
mod record;
mod reminders;
mod report;
pub mod retention;
#[cfg(test)]
pub(crate) mod testing;
mod webhooks;

pub use early::SuspicionStep;
pub use queries::{
    phase_steps, IncidentFilter, IncidentRow, IncidentState, PhaseStep, Timeline, TimelineUpdate,
};
pub use record::Pending;
pub use report::ServiceReport;
#[cfg(test)]
pub use testing::PollRecord;
pub use webhooks::{QueuedDelivery, TargetStatus};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;
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
    r"
ALTER TABLE announced ADD COLUMN service_id TEXT;
ALTER TABLE announced ADD COLUMN story TEXT;
CREATE INDEX announced_service_at ON announced (service_id, at);
",
    r"
CREATE TABLE suspicion (
    id INTEGER PRIMARY KEY,
    service_id TEXT NOT NULL,
    since TEXT NOT NULL,
    suspected_at TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',
    outcome TEXT,
    ended_at TEXT,
    acknowledged_at TEXT,
    lead_secs INTEGER,
    incident_id TEXT,
    UNIQUE (service_id, since)
);
CREATE INDEX suspicion_incident ON suspicion (service_id, incident_id);
",
    r"
CREATE TABLE webhook_delivery (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    delivery_id TEXT NOT NULL UNIQUE,
    -- The pop-up of the same poll; no REFERENCES: pruning the ledger removes outbox rows.
    outbox_id INTEGER,
    service_id TEXT NOT NULL,
    event TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    next_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_attempt_at TEXT,
    last_error TEXT,
    done_at TEXT,
    outcome TEXT
);
CREATE INDEX webhook_delivery_pending ON webhook_delivery (target, id) WHERE done_at IS NULL;
CREATE INDEX webhook_delivery_done ON webhook_delivery (done_at) WHERE done_at IS NOT NULL;
",
    r"
CREATE INDEX incident_recent ON incident (COALESCE(started_at, first_seen_at));
CREATE INDEX incident_resolved ON incident (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX suspicion_ended ON suspicion (ended_at) WHERE ended_at IS NOT NULL;
",
    r"
CREATE TABLE component_sign (
    service_id TEXT NOT NULL,
    since TEXT NOT NULL,
    acknowledged_at TEXT NOT NULL,
    incident_id TEXT,
    PRIMARY KEY (service_id, since)
);
",
    r"
CREATE TABLE reminder (
    service_id TEXT PRIMARY KEY,
    armed_at TEXT NOT NULL
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
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_ts(s: Option<String>) -> Option<DateTime<Utc>> {
    s.and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.with_timezone(&Utc))
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
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::model::Phase;
    use crate::test_support::t;

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
