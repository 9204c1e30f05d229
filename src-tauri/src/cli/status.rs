//! `status`, `check-now` and `remind`: the running app seen and prodded through its local socket.

use super::{runtime, CliError};
use crate::i18n::Catalog;
use crate::local::client::ClientError;
use crate::local::protocol::{IpcError, Request};
use crate::local::{self, client};
use crate::watcher::Health;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::path::Path;

/// The part of the overview `status` prints (the JSON form prints all of it).
#[derive(Debug, Deserialize)]
struct Shown {
    summary: String,
    #[serde(default)]
    notices: Vec<String>,
    paused_until: Option<DateTime<Utc>>,
    checked_at: Option<DateTime<Utc>>,
    #[serde(default)]
    services: Vec<ShownService>,
}

#[derive(Debug, Deserialize)]
struct ShownService {
    name: String,
    state: Health,
}

/// The tray's lines, as text in `cat`'s words: the summary, each service, pause and last
/// check (times in the local zone).
fn text(cat: &Catalog, shown: &Shown) -> String {
    let local = |t: DateTime<Utc>| cat.date_time(t.with_timezone(&chrono::Local).naive_local());
    let mut out = format!("{}\n", shown.summary);
    for s in &shown.services {
        let state = match s.state {
            Health::Maintenance => cat.t("tray-maintenance", &[]),
            other => other.label_in(cat),
        };
        let line = cat.t(
            "tray-service",
            &[("name", s.name.as_str().into()), ("state", state.into())],
        );
        out.push_str(&format!("  {line}\n"));
    }
    if let Some(until) = shown.paused_until {
        out.push_str(&cat.t("cli-status-paused", &[("until", local(until).into())]));
        out.push('\n');
    }
    if let Some(at) = shown.checked_at {
        out.push_str(&cat.t("cli-status-checked", &[("at", local(at).into())]));
        out.push('\n');
    }
    for n in &shown.notices {
        out.push_str(&cat.t("cli-status-note", &[("note", n.as_str().into())]));
        out.push('\n');
    }
    out
}

fn ask(socket: &Path, request: Request) -> Result<serde_json::Value, CliError> {
    runtime()?
        .block_on(client::ask(socket, "cli", &request))
        .map_err(CliError::Client)
}

pub fn status(socket: &Path, json: bool) -> Result<(), CliError> {
    let overview = ask(socket, Request::GetOverview)?;
    if json {
        println!("{}", serde_json::to_string(&overview)?);
        return Ok(());
    }
    let shown: Shown = serde_json::from_value(overview)?;
    print!("{}", text(crate::i18n::current(), &shown));
    Ok(())
}

pub fn check_now(socket: &Path) -> Result<(), CliError> {
    ask(socket, Request::CheckNow)?;
    println!("{}", crate::i18n::current().t("cli-check-now-done", &[]));
    Ok(())
}

/// What `remind` prints, by what the app answered.
#[derive(Debug, Deserialize)]
struct RemindAnswer {
    name: String,
    reminder: String,
}

/// Arms (`arm`) or cancels "tell me when it's back" for `name` in the running app. A
/// service that is not down, or not watched, is refused (exit 2).
pub fn remind(socket: &Path, name: &str, arm: bool) -> Result<(), CliError> {
    let request = if arm {
        Request::Remind {
            service_id: name.to_owned(),
        }
    } else {
        Request::CancelReminder {
            service_id: name.to_owned(),
        }
    };
    let answer = ask(socket, request).map_err(|e| match e {
        CliError::Client(ClientError::Remote(IpcError::Invalid(m) | IpcError::NotFound(m))) => {
            CliError::Refused(m)
        }
        other => other,
    })?;
    let answer: RemindAnswer = serde_json::from_value(answer)?;
    let id = match answer.reminder.as_str() {
        "armed" => "cli-remind-armed",
        "already_armed" => "cli-remind-already",
        "cancelled" => "cli-remind-cancelled",
        _ => "cli-remind-not-armed",
    };
    let cat = crate::i18n::current();
    println!("{}", cat.t(id, &[("service", answer.name.as_str().into())]));
    Ok(())
}

/// Where the app for this command line listens.
pub fn socket(data_dir: Option<&Path>) -> Result<std::path::PathBuf, CliError> {
    local::socket_for(data_dir).ok_or(CliError::Engine(crate::engine::EngineError::NoDataDir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_text_says_what_the_tray_says() {
        let table = [
            (
                serde_json::json!({"summary": "All operational", "services": [
                    {"name": "OpenAI", "state": "operational", "id": "openai"},
                    {"name": "Slack", "state": "maintenance"},
                    {"name": "X", "state": "changed_format"}]}),
                "All operational\n  OpenAI: operational\n  Slack: maintenance\n  X: page changed format\n",
            ),
            (
                serde_json::json!({"summary": "Offline", "notices": ["kept aside"], "services": []}),
                "Offline\nNote: kept aside\n",
            ),
        ];
        for (overview, want) in table {
            let shown: Shown = serde_json::from_value(overview).expect("shown");
            assert_eq!(text(Catalog::english(), &shown), want);
        }
    }
}
