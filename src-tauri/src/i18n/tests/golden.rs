//! Golden English and French: durations, relative times, dates, plurals and the words of
//! the model and the notifications.

use super::*;
use crate::test_support::now;

#[test]
fn durations() {
    let s = chrono::Duration::seconds;
    let table = [
        (s(-5), "0 s", "0~s"),
        (s(0), "0 s", "0~s"),
        (s(59), "59 s", "59~s"),
        (s(60), "1 min", "1~min"),
        (s(119), "1 min", "1~min"),
        (s(12 * 60), "12 min", "12~min"),
        (s(3600), "1 h", "1~h"),
        (s(72 * 60), "1 h 12 min", "1~h~12~min"),
        (s(117 * 60 + 30), "1 h 57 min", "1~h~57~min"),
        (s(2 * 86_400), "2 d", "2~j"),
        (s(2 * 86_400 + 3 * 3600 + 59 * 60), "2 d 3 h", "2~j~3~h"),
    ];
    for (d, want_en, want_fr) in table {
        assert_eq!(en().duration(d), want_en, "{d:?}");
        assert_eq!(fr().duration(d), nb(want_fr), "{d:?}");
    }
}

#[test]
fn relative_times_become_dates_after_a_week() {
    let utc = FixedOffset::east_opt(0).expect("utc");
    let ago = |secs: i64| now() - chrono::Duration::seconds(secs);
    let old = Utc
        .with_ymd_and_hms(2020, 6, 16, 14, 5, 0)
        .single()
        .expect("valid");
    let table = [
        (ago(-30), "just now", "à l’instant"),
        (ago(30), "just now", "à l’instant"),
        (ago(180), "3 min ago", "il y a 3~min"),
        (ago(72 * 60), "1 h 12 min ago", "il y a 1~h~12~min"),
        (ago(86_400), "1 day ago", "il y a 1~jour"),
        (ago(2 * 86_400 + 3600), "2 days ago", "il y a 2~jours"),
        (
            ago(7 * 86_400),
            "on 19 November 2026",
            "le 19~novembre 2026",
        ),
        (old, "on 16 June 2020", "le 16~juin 2020"),
    ];
    for (then, want_en, want_fr) in table {
        assert_eq!(en().ago(then, now(), utc), want_en, "{then}");
        assert_eq!(fr().ago(then, now(), utc), nb(want_fr), "{then}");
    }

    let since = [
        (ago(59), "for 59 s", "depuis 59~s"),
        (ago(19 * 3600 + 120), "for 19 h 2 min", "depuis 19~h~2~min"),
        (ago(2 * 86_400 + 3 * 3600), "for 2 d 3 h", "depuis 2~j~3~h"),
        (old, "since 16 June 2020", "depuis le 16~juin 2020"),
    ];
    for (start, want_en, want_fr) in since {
        assert_eq!(en().since(start, now(), utc), want_en, "{start}");
        assert_eq!(fr().since(start, now(), utc), nb(want_fr), "{start}");
    }

    // The date is the one on the user's calendar: 23:30 UTC is the next day in Paris.
    let late = Utc
        .with_ymd_and_hms(2020, 6, 15, 23, 30, 0)
        .single()
        .expect("valid");
    let paris = FixedOffset::east_opt(2 * 3600).expect("offset");
    assert_eq!(fr().since(late, now(), paris), nb("depuis le 16~juin 2020"));
    assert_eq!(en().since(late, now(), utc), "since 15 June 2020");
}

#[test]
fn dates_clock_times_and_percentages() {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let at = |h, m| date(2026, 11, 26).and_hms_opt(h, m, 0).expect("time");
    assert_eq!(en().date(date(2020, 6, 16)), "16 June 2020");
    assert_eq!(fr().date(date(2020, 6, 16)), nb("16~juin 2020"));
    assert_eq!(en().date(date(2020, 6, 1)), "1 June 2020");
    assert_eq!(fr().date(date(2020, 6, 1)), nb("1er~juin 2020"));
    assert_eq!(fr().date(date(2021, 8, 31)), nb("31~août 2021"));
    assert_eq!(en().date(date(2021, 12, 2)), "2 December 2021");

    assert_eq!(en().clock(at(8, 5).time()), "08:05");
    assert_eq!(fr().clock(at(20, 5).time()), "20:05", "24-hour in French");
    assert_eq!(en().clock(at(20, 5).time()), "20:05", "and in English");
    assert_eq!(en().weekday_time(at(8, 0)), "Thu 08:00");
    assert_eq!(fr().weekday_time(at(8, 0)), "jeudi 08:00");
    assert_eq!(en().date_time(at(14, 5)), "26 November 2026, 14:05");
    assert_eq!(fr().date_time(at(14, 5)), nb("26~novembre 2026 à 14:05"));

    assert_eq!(en().percent(99.95, 2), "99.95 %");
    assert_eq!(fr().percent(99.95, 2), "99,95\u{202f}%");
    assert_eq!(en().percent(100.0, 0), "100 %");
    assert_eq!(fr().percent(100.0, 0), "100\u{202f}%");
}

#[test]
fn plurals_follow_each_language() {
    let incidents = |c: &Catalog, n: i64| {
        c.t(
            "summary-incidents",
            &[("count", n.into()), ("list", "OpenAI (major)".into())],
        )
    };
    // French "one" covers 0 and 1.
    for (n, want_en, want_fr) in [
        (
            0,
            "0 incidents: OpenAI (major)",
            "0~incident~: OpenAI (major)",
        ),
        (
            1,
            "1 incident: OpenAI (major)",
            "1~incident~: OpenAI (major)",
        ),
        (
            2,
            "2 incidents: OpenAI (major)",
            "2~incidents~: OpenAI (major)",
        ),
    ] {
        assert_eq!(incidents(en(), n), want_en);
        assert_eq!(incidents(fr(), n), nb(want_fr));
    }
    let hours = |c: &Catalog, n: u32| c.t("tray-pause-hours", &[("hours", n.into())]);
    assert_eq!(hours(en(), 1), "For 1 hour");
    assert_eq!(hours(en(), 8), "For 8 hours");
    assert_eq!(hours(fr(), 1), nb("Pendant 1~heure"));
    assert_eq!(hours(fr(), 8), nb("Pendant 8~heures"));
    let days = |c: &Catalog, n: i64| c.t("time-days-ago", &[("days", n.into())]);
    assert_eq!(days(en(), 1), "1 day ago");
    assert_eq!(days(en(), 2), "2 days ago");
    assert_eq!(days(fr(), 1), nb("il y a 1~jour"));
    assert_eq!(days(fr(), 2), nb("il y a 2~jours"));
    let times = |c: &Catalog, n: u32| c.t("early-times", &[("count", n.into())]);
    assert_eq!(
        [times(en(), 1), times(en(), 3), times(en(), 12)],
        ["once", "three times", "12 times"]
    );
    assert_eq!(
        [times(fr(), 1), times(fr(), 3), times(fr(), 12)],
        [
            "une fois".to_owned(),
            "trois fois".to_owned(),
            nb("12~fois")
        ]
    );
}

#[test]
fn model_words() {
    use crate::model::{Impact, Phase, Status};
    assert_eq!(en().status(Status::PartialOutage), "partial outage");
    assert_eq!(fr().status(Status::PartialOutage), "panne partielle");
    assert_eq!(fr().status(Status::Maintenance), "en maintenance");
    assert_eq!(en().impact(Impact::Major), "major");
    assert_eq!(fr().impact(Impact::Minor), "mineur");
    assert_eq!(en().phase(Phase::InProgress), "in progress");
    assert_eq!(fr().phase(Phase::Investigating), "enquête en cours");
    // English words are the ones the app has always used.
    for s in [
        Status::Operational,
        Status::Maintenance,
        Status::Degraded,
        Status::PartialOutage,
        Status::MajorOutage,
    ] {
        assert_eq!(en().status(s), s.label());
    }
    for p in [Phase::InProgress, Phase::Investigating, Phase::Postmortem] {
        assert_eq!(en().phase(p), p.label());
    }
    assert_eq!(
        capitalize(&fr().phase(Phase::Investigating)),
        "Enquête en cours"
    );
    assert_eq!(capitalize(""), "");
}

/// The words the notifications use in both languages (alerts.rs has the golden pop-ups).
#[test]
fn notification_words() {
    let title = |c: &Catalog, what: String| {
        c.t(
            "notify-title",
            &[("service", "OpenAI".into()), ("what", what.into())],
        )
    };
    let resolved = |c: &Catalog| {
        let d = c.duration(chrono::Duration::minutes(117));
        c.t("notify-resolved-after", &[("duration", d.into())])
    };
    assert_eq!(
        title(en(), resolved(en())),
        "OpenAI — resolved after 1 h 57 min"
    );
    assert_eq!(
        title(fr(), resolved(fr())),
        nb("OpenAI — résolu en 1~h~57~min")
    );
    let lead = |c: &Catalog| {
        c.t(
            "notify-lead-title",
            &[
                ("service", "OpenAI".into()),
                ("what", c.status(crate::model::Status::MajorOutage).into()),
                ("subject", "Elevated errors".into()),
            ],
        )
    };
    assert_eq!(lead(en()), "OpenAI: major outage — Elevated errors");
    assert_eq!(lead(fr()), nb("OpenAI~: panne majeure — Elevated errors"));
    let grouped = |c: &Catalog, n: u32| {
        c.t(
            "notify-grouped-title",
            &[("service", "GitHub".into()), ("count", n.into())],
        )
    };
    assert_eq!(grouped(en(), 2), "GitHub — 2 updates");
    assert_eq!(grouped(fr(), 2), nb("GitHub — 2~mises à jour"));
    let lead_time = |c: &Catalog| {
        let d = c.duration(chrono::Duration::minutes(12));
        c.t("early-lead", &[("duration", d.into())])
    };
    assert_eq!(
        lead_time(en()),
        "Outage Radar suspected it 12 min before the status page."
    );
    assert_eq!(
        lead_time(fr()),
        nb("Outage Radar l’a soupçonnée 12~min avant la page de statut.")
    );
}
