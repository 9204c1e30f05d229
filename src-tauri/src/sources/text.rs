//! Page text made safe to show anywhere: control characters and terminal escape sequences removed when read, markup characters escaped for readers of markup.
//!
//! A status page is somebody else's text. Printed by `check`, `watch` or `status`, an
//! `ESC[2J` clears the user's terminal and an OSC 52 sequence sets their clipboard; in a
//! log line or a pop-up, control characters garble what is shown. Every string of a
//! snapshot passes through [`clean`] once, when the page is read. Where it goes on to a
//! reader of markup (a notification server's body markup, Slack's mrkdwn), [`escape_markup`]
//! keeps it text.

use crate::model::{Incident, Snapshot};
use std::borrow::Cow;

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
/// C1 string terminator, and the C1 forms of CSI and OSC.
const ST: char = '\u{9c}';
const CSI: char = '\u{9b}';
const OSC: char = '\u{9d}';

/// Whether `c` may stay: anything but control characters, where tabs and line feeds are
/// text.
fn plain(c: char) -> bool {
    !c.is_control() || c == '\n' || c == '\t'
}

/// `s` without escape sequences (CSI, OSC, DCS and the other strings, two-character
/// escapes) and control characters; `\r\n` and a lone `\r` become `\n`.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().all(plain) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                // A two-character escape (ESC c, ESC 7, …): both go.
                _ => {}
            },
            CSI => skip_csi(&mut chars),
            OSC | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            // A lone `\r` is a line break (old Mac text); before `\n` it is dropped.
            '\r' if chars.peek() != Some(&'\n') => out.push('\n'),
            c if plain(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// `text` as markup readers show it literally: `&`, `<` and `>` escaped, which is all the
/// Desktop Notifications body markup and Slack's mrkdwn need.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Parameters and intermediates up to the final byte (`@`..`~`).
fn skip_csi(chars: &mut impl Iterator<Item = char>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
    }
}

/// An OSC, DCS, SOS, PM or APC string, up to BEL or a string terminator (`ESC \` or ST).
fn skip_string(chars: &mut std::iter::Peekable<impl Iterator<Item = char>>) {
    while let Some(c) = chars.next() {
        match c {
            BEL | ST => return,
            ESC => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

fn clean_in_place(s: &mut String) {
    if let Cow::Owned(cleaned) = clean(s) {
        *s = cleaned;
    }
}

fn clean_incident(i: &mut Incident) {
    clean_in_place(&mut i.id.0);
    clean_in_place(&mut i.title);
    if let Some(url) = &mut i.url {
        clean_in_place(url);
    }
    i.components.iter_mut().for_each(clean_in_place);
    for u in &mut i.updates {
        clean_in_place(&mut u.id);
        clean_in_place(&mut u.body);
    }
}

/// Every string of `snapshot` through [`clean`].
pub(crate) fn clean_snapshot(snapshot: &mut Snapshot) {
    if let Some(d) = &mut snapshot.description {
        clean_in_place(d);
    }
    for c in &mut snapshot.components {
        clean_in_place(&mut c.id);
        clean_in_place(&mut c.name);
    }
    snapshot.incidents.iter_mut().for_each(clean_incident);
    snapshot.maintenances.iter_mut().for_each(clean_incident);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_text_is_never_markup() {
        let table = [
            (
                "Errors <b>for</b> AT&T users",
                "Errors &lt;b&gt;for&lt;/b&gt; AT&amp;T users",
            ),
            (
                "<a href=\"file:///etc/passwd\">x</a>",
                "&lt;a href=\"file:///etc/passwd\"&gt;x&lt;/a&gt;",
            ),
            ("&amp; already", "&amp;amp; already"),
            ("plain", "plain"),
        ];
        for (text, want) in table {
            assert_eq!(escape_markup(text), want);
        }
    }

    #[test]
    fn escapes_and_controls_go_text_and_line_breaks_stay() {
        let table = [
            ("plain text, é, 日本", "plain text, é, 日本"),
            ("two\nlines\tand a tab", "two\nlines\tand a tab"),
            ("windows\r\nline", "windows\nline"),
            ("old mac\rline", "old mac\nline"),
            // Clears the screen, moves the cursor, colours.
            (
                "\u{1b}[2JErrors\u{1b}[1;1H \u{1b}[31mred\u{1b}[0m",
                "Errors red",
            ),
            // OSC 52 sets the clipboard; ended by BEL or by ESC \.
            ("a\u{1b}]52;c;Y3VybCBldmlsIHwgc2g=\u{7}b", "ab"),
            ("a\u{1b}]0;title\u{1b}\\b", "ab"),
            // A hyperlink (OSC 8) keeps its text, loses its target.
            (
                "\u{1b}]8;;file:///etc/passwd\u{7}link\u{1b}]8;;\u{7}",
                "link",
            ),
            // C1 forms, a DCS string, two-character escapes, lone controls and DEL.
            ("x\u{9b}2Jy\u{9d}52;c;QQ==\u{9c}z", "xyz"),
            ("\u{1b}Pq#0;2;0;0;0\u{1b}\\ok", "ok"),
            ("\u{1b}cre\u{1b}7set", "reset"),
            (
                "bell\u{7} nul\u{0} bs\u{8} del\u{7f} c1\u{85}",
                "bell nul bs del c1",
            ),
            // An escape cut off at the end takes nothing else with it.
            ("cut\u{1b}[31", "cut"),
        ];
        for (raw, want) in table {
            assert_eq!(clean(raw), want, "{raw:?}");
        }
        assert!(matches!(clean("nothing to do"), Cow::Borrowed(_)));
    }
}
