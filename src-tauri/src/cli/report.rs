//! `outage-radar report`: each watched service's reliability over N days, read from the history as text, JSON or CSV.

use super::CliError;
use crate::config::Config;
use crate::engine;
use crate::history::{History, ServiceReport, DB_FILE};
use crate::i18n::Catalog;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The longest period that means anything: the history keeps 400 days.
pub const MAX_DAYS: u32 = 400;

/// What `--json` prints.
#[derive(Debug, Serialize)]
pub struct Report {
    pub days: u32,
    pub generated_at: DateTime<Utc>,
    pub services: Vec<ServiceReport>,
}

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Text,
    Json,
    Csv,
}

/// Builds the report for every enabled service of the config, from the history in the data
/// dir. It only reads: the running app (if any) goes on writing beside it.
pub fn build(options: &engine::Options, days: u32, now: DateTime<Utc>) -> Result<Report, CliError> {
    let cat = crate::i18n::current();
    if days == 0 || days > MAX_DAYS {
        return Err(CliError::Usage(
            cat.t("cli-report-days", &[("max", MAX_DAYS.into())]),
        ));
    }
    let config = Config::load(options.config_path.as_deref())?;
    let dir = options
        .data_dir
        .clone()
        .or_else(crate::config::default_data_dir)
        .ok_or(engine::EngineError::NoDataDir)?;
    if !dir.join(DB_FILE).exists() {
        return Err(CliError::Read(cat.t(
            "cli-report-no-history",
            &[("path", dir.display().to_string().into())],
        )));
    }
    let history = History::open(&dir).map_err(engine::EngineError::from)?;
    let services = config
        .services
        .iter()
        .filter(|s| s.enabled)
        .map(|s| history.report(&s.id, &s.name, now, days))
        .collect::<Result<Vec<_>, _>>()
        .map_err(engine::EngineError::from)?;
    Ok(Report {
        days,
        generated_at: now,
        services,
    })
}

/// Prints `report` in `form`, in the words of `cat` for text.
pub fn render(cat: &Catalog, report: &Report, form: Form) -> Result<String, CliError> {
    Ok(match form {
        Form::Json => format!("{}\n", serde_json::to_string(report)?),
        Form::Csv => csv(report),
        Form::Text => text(cat, report),
    })
}

const CSV_HEAD: &str =
    "service,service_id,days,uptime_pct,incidents,incidents_minor,incidents_major,\
incidents_critical,impacted_secs,mttr_secs,longest_secs,confirmed_suspicions,median_lead_secs,\
acknowledged,ack_median_secs,ack_mean_secs,ack_grade,never_acknowledged,blips";

/// A field as CSV writes it: quoted when it holds a comma, quote or line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn csv(report: &Report) -> String {
    let mut out = format!("{CSV_HEAD}\n");
    for s in &report.services {
        let cells = [
            field(&s.service),
            field(&s.service_id),
            report.days.to_string(),
            opt(s.uptime_pct),
            s.incidents.to_string(),
            s.incidents_by_impact.minor.to_string(),
            s.incidents_by_impact.major.to_string(),
            s.incidents_by_impact.critical.to_string(),
            s.impacted_secs.to_string(),
            opt(s.mttr_secs),
            opt(s.longest_secs),
            s.confirmed_suspicions.to_string(),
            opt(s.median_lead_secs),
            s.acknowledged.to_string(),
            opt(s.ack_median_secs),
            opt(s.ack_mean_secs),
            opt(s.ack_grade.map(|g| g.as_str())),
            s.never_acknowledged.to_string(),
            s.blips.to_string(),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn text(cat: &Catalog, report: &Report) -> String {
    let secs = |s: i64| cat.duration(chrono::Duration::seconds(s));
    let mut out = cat.t("cli-report-heading", &[("days", report.days.into())]);
    out.push('\n');
    for s in &report.services {
        out.push('\n');
        out.push_str(&s.service);
        out.push('\n');
        let Some(uptime) = s.uptime_pct else {
            out.push_str(&format!("  {}\n", cat.t("cli-report-never-read", &[])));
            continue;
        };
        let b = s.incidents_by_impact;
        let mut parts = vec![cat.t(
            "cli-report-uptime",
            &[
                ("uptime", cat.percent(uptime, 3).into()),
                ("count", s.incidents.into()),
                ("critical", b.critical.into()),
                ("major", b.major.into()),
                ("minor", b.minor.into()),
            ],
        )];
        if let Some(m) = s.mttr_secs {
            parts.push(cat.t("reliability-mttr", &[("duration", secs(m).into())]));
        }
        if let Some(l) = s.longest_secs {
            parts.push(cat.t("reliability-longest", &[("duration", secs(l).into())]));
        }
        out.push_str(&format!("  {}\n", parts.join(" · ")));
        let lead = match s.median_lead_secs {
            Some(l) if l > 0 => cat.t(
                "reliability-detection-lead",
                &[("duration", secs(l).into())],
            ),
            _ => cat.t("reliability-detection-no-lead", &[]),
        };
        out.push_str(&format!(
            "  {}\n",
            cat.t(
                "cli-report-early",
                &[
                    ("confirmed", s.confirmed_suspicions.into()),
                    ("lead", lead.into()),
                    ("blips", s.blips.into()),
                ],
            )
        ));
        let grade = match s.ack_grade {
            Some(g) => g.as_str().to_owned(),
            None => cat.t("ack-not-enough", &[]),
        };
        let mut parts = vec![cat.t("cli-report-ack", &[("grade", grade.into())])];
        if let (Some(median), Some(mean)) = (s.ack_median_secs, s.ack_mean_secs) {
            parts.push(cat.t(
                "cli-report-ack-delays",
                &[("median", secs(median).into()), ("mean", secs(mean).into())],
            ));
        }
        parts.push(cat.t(
            "cli-report-ack-counts",
            &[
                ("acknowledged", s.acknowledged.into()),
                ("never", s.never_acknowledged.into()),
            ],
        ));
        out.push_str(&format!("  {}\n", parts.join(" · ")));
    }
    out.push('\n');
    out.push_str(&cat.t("ack-honest", &[]));
    out.push('\n');
    out
}

/// `report`: builds and prints it.
pub fn run(options: &engine::Options, days: u32, form: Form) -> Result<(), CliError> {
    let report = build(options, days, Utc::now())?;
    print!("{}", render(crate::i18n::current(), &report, form)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reliability::ack::Grade;
    use crate::reliability::ByImpact;
    use crate::test_support::t;

    fn line(name: &str, grade: Option<Grade>) -> ServiceReport {
        ServiceReport {
            service: name.to_owned(),
            service_id: name.to_lowercase(),
            uptime_pct: Some(99.5),
            incidents: 2,
            incidents_by_impact: ByImpact {
                minor: 1,
                major: 1,
                critical: 0,
            },
            impacted_secs: 3600,
            mttr_secs: Some(1800),
            longest_secs: Some(2400),
            confirmed_suspicions: 1,
            median_lead_secs: Some(1320),
            acknowledged: 3,
            ack_median_secs: Some(1320),
            ack_mean_secs: Some(1500),
            ack_grade: grade,
            never_acknowledged: 1,
            blips: 1,
        }
    }

    #[test]
    fn the_three_forms_say_the_same_figures() {
        let report = Report {
            days: 90,
            generated_at: t(0),
            services: vec![line("Acme, Inc.", Some(Grade::C)), line("Other", None)],
        };
        let cat = Catalog::english();
        let csv = render(cat, &report, Form::Csv).expect("csv");
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows[0], CSV_HEAD);
        assert_eq!(
            rows[1],
            "\"Acme, Inc.\",\"acme, inc.\",90,99.5,2,1,1,0,3600,1800,2400,1,1320,3,1320,1500,C,1,1"
        );
        assert!(
            rows[2].ends_with(",1500,,1,1"),
            "no grade: empty: {}",
            rows[2]
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(cat, &report, Form::Json).expect("json")).expect("parse");
        assert_eq!(json["days"], 90);
        assert_eq!(json["services"][0]["ack_grade"], "C");
        assert_eq!(json["services"][1]["ack_grade"], serde_json::Value::Null);
        assert_eq!(json["services"][0]["uptime_pct"], 99.5);
        let text = render(cat, &report, Form::Text).expect("text");
        assert!(text.contains("grade: C"), "{text}");
        assert!(text.contains("not enough data"), "{text}");
    }
}
