//! The ChatGPT/API outage as a pure timeline, compressed: what the API and the status page show at each moment.

use std::time::Duration;

/// The story's clock, in minutes after midnight UTC of the real day. It opens ten minutes
/// before the first failure and closes ten minutes after the resolution, so a replay shows
/// calm on both sides.
const STORY_START_MIN: u32 = 4 * 60 + 40;
const STORY_END_MIN: u32 = 7 * 60 + 50;
const STORY_SPAN_MIN: u32 = STORY_END_MIN - STORY_START_MIN;

/// The replay's default length: the 190 minutes of the story in a minute and a half.
pub const DEFAULT_TOTAL: Duration = Duration::from_secs(90);

/// What the status page says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PagePhase {
    /// Nothing open: all components operational.
    Operational,
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

/// One moment of the story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoState {
    /// The API answers 503 (when not, it answers 401: up, but no key).
    pub api_failing: bool,
    pub page: PagePhase,
}

/// Something that happens in the story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    ApiFails,
    PageInvestigating,
    PageIdentified,
    ApiRecovers,
    PageMonitoring,
    PageResolved,
}

impl StepKind {
    /// In order; the page steps carry the update the page posts.
    pub const ALL: [StepKind; 6] = [
        StepKind::ApiFails,
        StepKind::PageInvestigating,
        StepKind::PageIdentified,
        StepKind::ApiRecovers,
        StepKind::PageMonitoring,
        StepKind::PageResolved,
    ];

    /// Minutes after midnight UTC in the real story.
    fn story_min(self) -> u32 {
        match self {
            StepKind::ApiFails => 4 * 60 + 50,
            StepKind::PageInvestigating => 5 * 60 + 12,
            StepKind::PageIdentified => 5 * 60 + 43,
            StepKind::ApiRecovers => 7 * 60 + 5,
            StepKind::PageMonitoring => 7 * 60 + 9,
            StepKind::PageResolved => 7 * 60 + 40,
        }
    }

    /// The page phase this step starts, for the page's own steps.
    pub fn page_phase(self) -> Option<PagePhase> {
        match self {
            StepKind::PageInvestigating => Some(PagePhase::Investigating),
            StepKind::PageIdentified => Some(PagePhase::Identified),
            StepKind::PageMonitoring => Some(PagePhase::Monitoring),
            StepKind::PageResolved => Some(PagePhase::Resolved),
            StepKind::ApiFails | StepKind::ApiRecovers => None,
        }
    }

    /// The update the page posts at this step.
    pub fn update_body(self) -> Option<&'static str> {
        match self {
            StepKind::PageInvestigating => {
                Some("We are investigating elevated error rates on the API and ChatGPT.")
            }
            StepKind::PageIdentified => {
                Some("We have identified the issue and are implementing a fix.")
            }
            StepKind::PageMonitoring => {
                Some("A fix has been applied and we are monitoring the results.")
            }
            StepKind::PageResolved => Some("This incident has been resolved."),
            StepKind::ApiFails | StepKind::ApiRecovers => None,
        }
    }
}

/// A step with its time in the replay and in the real story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    /// Since the start of the replay.
    pub at: Duration,
    /// "05:12", UTC in the real story.
    pub story_clock: String,
}

/// The story compressed to a given length; everything keeps its real proportions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Script {
    total: Duration,
}

impl Default for Script {
    fn default() -> Self {
        Script::new(DEFAULT_TOTAL)
    }
}

impl Script {
    /// `total` is the whole replay; a zero length is taken as one millisecond.
    pub fn new(total: Duration) -> Self {
        Script {
            total: total.max(Duration::from_millis(1)),
        }
    }

    pub fn total(&self) -> Duration {
        self.total
    }

    /// Story time per replay time: 126.7 for the default 90 s.
    pub fn scale(&self) -> f64 {
        f64::from(STORY_SPAN_MIN) * 60.0 / self.total.as_secs_f64()
    }

    /// When `kind` happens, since the start of the replay.
    pub fn at(&self, kind: StepKind) -> Duration {
        self.replay_at(kind.story_min() - STORY_START_MIN)
    }

    fn replay_at(&self, story_offset_min: u32) -> Duration {
        let nanos =
            self.total.as_nanos() * u128::from(story_offset_min) / u128::from(STORY_SPAN_MIN);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    pub fn steps(&self) -> Vec<Step> {
        StepKind::ALL
            .iter()
            .map(|&kind| Step {
                kind,
                at: self.at(kind),
                story_clock: clock(kind.story_min() * 60),
            })
            .collect()
    }

    /// Whether `kind` has happened by `elapsed`.
    pub fn reached(&self, kind: StepKind, elapsed: Duration) -> bool {
        elapsed >= self.at(kind)
    }

    pub fn state_at(&self, elapsed: Duration) -> DemoState {
        let reached = |k| self.reached(k, elapsed);
        let api_failing = reached(StepKind::ApiFails) && !reached(StepKind::ApiRecovers);
        let page = [
            StepKind::PageResolved,
            StepKind::PageMonitoring,
            StepKind::PageIdentified,
            StepKind::PageInvestigating,
        ]
        .into_iter()
        .find(|&k| reached(k))
        .and_then(StepKind::page_phase)
        .unwrap_or(PagePhase::Operational);
        DemoState { api_failing, page }
    }

    /// A span of the replay as long as it was in the real story.
    pub fn to_story(&self, replay: Duration) -> Duration {
        replay.mul_f64(self.scale())
    }

    /// The real story's clock at `elapsed` into the replay: "04:57".
    pub fn story_clock_at(&self, elapsed: Duration) -> String {
        let secs = u64::from(STORY_START_MIN) * 60 + self.to_story(elapsed).as_secs();
        clock(u32::try_from(secs).unwrap_or(u32::MAX))
    }

    /// A lead in both units: "9.2 s in this replay, 19 min in the real story".
    pub fn lead_words(&self, lead: Duration) -> String {
        self.lead_words_in(crate::i18n::Catalog::english(), lead)
    }

    /// [`Script::lead_words`] in `cat`'s words: "9,2 s dans ce rejeu, 19 min dans l’histoire
    /// réelle". The story's span is rounded to the minute.
    pub fn lead_words_in(&self, cat: &crate::i18n::Catalog, lead: Duration) -> String {
        let story_min = (self.to_story(lead).as_secs_f64() / 60.0).round();
        // Whole minutes, far below i64's range.
        #[allow(clippy::cast_possible_truncation)]
        let story = chrono::Duration::minutes(story_min as i64);
        let replay = format!("{:.1}", lead.as_secs_f64());
        let mark = cat.t("decimal-mark", &[]);
        cat.t(
            "cli-demo-lead-words",
            &[
                ("replay", replay.replace('.', &mark).into()),
                ("story", cat.duration(story).into()),
            ],
        )
    }
}

fn clock(secs_after_midnight: u32) -> String {
    let min = secs_after_midnight / 60;
    format!("{:02}:{:02}", (min / 60) % 24, min % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 190 s: one replay second is one story minute, so every time below is exact.
    fn minute_per_second() -> Script {
        Script::new(Duration::from_secs(190))
    }

    #[test]
    fn the_steps_keep_the_real_proportions() {
        let s = minute_per_second();
        let secs: Vec<(StepKind, u64, String)> = s
            .steps()
            .into_iter()
            .map(|st| (st.kind, st.at.as_secs(), st.story_clock))
            .collect();
        let want = [
            (StepKind::ApiFails, 10, "04:50"),
            (StepKind::PageInvestigating, 32, "05:12"),
            (StepKind::PageIdentified, 63, "05:43"),
            (StepKind::ApiRecovers, 145, "07:05"),
            (StepKind::PageMonitoring, 149, "07:09"),
            (StepKind::PageResolved, 180, "07:40"),
        ];
        assert_eq!(secs.len(), want.len());
        for ((kind, at, clock), (wk, wat, wclock)) in secs.iter().zip(want) {
            assert_eq!((*kind, *at, clock.as_str()), (wk, wat, wclock));
        }
        assert_eq!(s.story_clock_at(Duration::from_secs(0)), "04:40");
        assert_eq!(s.story_clock_at(Duration::from_secs(17)), "04:57");
        assert_eq!(
            s.to_story(Duration::from_secs(22)),
            Duration::from_secs(22 * 60)
        );
    }

    #[test]
    fn the_default_replay_lasts_ninety_seconds() {
        let s = Script::default();
        assert_eq!(s.total(), Duration::from_secs(90));
        let at = |k| s.at(k).as_millis();
        // 10/190 and 32/190 of 90 s.
        assert_eq!(at(StepKind::ApiFails), 4_736);
        assert_eq!(at(StepKind::PageInvestigating), 15_157);
        assert!(at(StepKind::PageResolved) < 90_000);
        assert_eq!(
            s.lead_words(s.at(StepKind::PageInvestigating) - s.at(StepKind::ApiFails)),
            "10.4 s in this replay, 22 min in the real story"
        );
        let fr = crate::i18n::Catalog::get(crate::i18n::Lang::parse("fr").expect("fr"));
        assert_eq!(
            s.lead_words_in(
                fr,
                s.at(StepKind::PageInvestigating) - s.at(StepKind::ApiFails)
            ),
            "10,4\u{a0}s dans ce rejeu, 22\u{a0}min dans l’histoire réelle"
        );
    }

    #[test]
    fn state_at_each_stage() {
        let s = minute_per_second();
        let state = |secs: u64| s.state_at(Duration::from_secs(secs));
        let table = [
            (0, false, PagePhase::Operational),
            (9, false, PagePhase::Operational),
            (10, true, PagePhase::Operational), // failing, the page says nothing
            (31, true, PagePhase::Operational),
            (32, true, PagePhase::Investigating),
            (63, true, PagePhase::Identified),
            (144, true, PagePhase::Identified),
            (145, false, PagePhase::Identified), // back before the page says so
            (149, false, PagePhase::Monitoring),
            (180, false, PagePhase::Resolved),
            (500, false, PagePhase::Resolved),
        ];
        for (secs, api_failing, page) in table {
            assert_eq!(state(secs), DemoState { api_failing, page }, "at {secs} s");
        }
    }

    #[test]
    fn a_shorter_replay_is_the_same_story_faster() {
        let fast = Script::new(Duration::from_millis(1_900));
        assert_eq!(
            fast.at(StepKind::PageIdentified),
            Duration::from_millis(630)
        );
        assert!(
            (fast.scale() - 6_000.0).abs() < 1e-9,
            "{} story seconds per replay second",
            fast.scale()
        );
        assert_eq!(
            Script::new(Duration::ZERO).total(),
            Duration::from_millis(1)
        );
    }
}
