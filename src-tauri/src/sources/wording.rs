//! Whether an update's own sentences say that the incident is over, for pages that post no status word.

/// Phrases that close an incident when a sentence states them plainly.
const CLOSING: [&str; 27] = [
    "resolved the issue",
    "resolved this issue",
    "have resolved",
    "has resolved",
    "has been resolved",
    "have been resolved",
    "is resolved",
    "are resolved",
    "is now resolved",
    "are now resolved",
    "is fully resolved",
    "been fully resolved",
    "we've resolved",
    "has been fixed",
    "have been fixed",
    "have fixed",
    "has fixed",
    "is fixed",
    "is now fixed",
    "are fixed",
    "we've fixed",
    "should be back to normal",
    "is back to normal",
    "are back to normal",
    "operating normally",
    "working normally",
    "functioning normally",
];

/// Words before a closing phrase that make it something else: a denial, a promise ("we
/// will update once it is resolved"), a condition, or only part of the story.
const HEDGES_BEFORE: [&str; 20] = [
    "not",
    "never",
    "until",
    "once",
    "when",
    "whenever",
    "if",
    "unless",
    "will",
    "won't",
    "would",
    "expect",
    "expects",
    "hope",
    "hopefully",
    "before",
    "partially",
    "partly",
    "mostly",
    "still",
];

/// Words after a closing phrase that take part of it back ("resolved, but uploads still fail").
const HEDGES_AFTER: [&str; 7] = [
    "but", "still", "except", "however", "although", "though", "yet",
];

/// Whether `text` states that the incident is over: one sentence says so plainly, with no
/// hedge around it. Mentioning the word in passing ("we will post again once this is
/// resolved", "resolved for some, but uploads still fail") is not enough.
pub(crate) fn says_resolved(text: &str) -> bool {
    let lower = text.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'");
    lower
        .split(['.', '!', ';', '\n'])
        .filter(|s| !s.trim_end().ends_with('?'))
        .any(|sentence| {
            let words: Vec<&str> = sentence
                .split(|c: char| !(c.is_alphanumeric() || c == '\''))
                .filter(|w| !w.is_empty())
                .collect();
            CLOSING.iter().any(|phrase| {
                let phrase: Vec<&str> = phrase.split(' ').collect();
                (0..words.len()).any(|i| {
                    words.get(i..i + phrase.len()) == Some(phrase.as_slice())
                        && !words
                            .get(..i)
                            .unwrap_or_default()
                            .iter()
                            .any(|w| HEDGES_BEFORE.contains(w) || w.ends_with("n't"))
                        && !words
                            .get(i + phrase.len()..)
                            .unwrap_or_default()
                            .iter()
                            .any(|w| HEDGES_AFTER.contains(w))
                })
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_sentences_close() {
        for text in [
            "We have resolved the issue with threads.",
            "We've resolved the issue. Thanks for your patience!",
            "This issue has been fixed for all affected users.",
            "Things should be back to normal now.",
            "All services are operating normally.",
            "Slack is operating normally. We apologize for the disruption.",
            "The problem with file uploads is now resolved.",
            "We\u{2019}ve fixed the problem causing the errors.",
            "We've resolved the issue causing some users to see errors when loading threads.",
            "We have resolved the issue and no further errors are expected.",
        ] {
            assert!(says_resolved(text), "{text}");
        }
    }

    #[test]
    fn the_word_in_passing_does_not_close() {
        for text in [
            "We're still investigating. We will update you once the issue is resolved.",
            "Some customers report the issue is not resolved after reloading.",
            "The issue isn't fixed yet for all users.",
            "We expect this to be resolved within the hour.",
            "Once it is fixed, messages should be back to normal.",
            "The issue is partially resolved; file uploads still fail.",
            "Is the issue resolved for you? Let us know.",
            "We are aware of an issue impacting threads.",
            "Users who had it fixed by restarting may see it return.",
            "The issue is resolved, but file uploads still fail.",
            "When the fix is deployed, things should be back to normal.",
            "",
        ] {
            assert!(!says_resolved(text), "{text}");
        }
    }
}
