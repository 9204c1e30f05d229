//! Checks on the message files and the sources: same ids and variables everywhere, French typography, no stray literals.

use fluent_syntax::ast::{
    Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey,
};
use std::collections::{BTreeMap, BTreeSet};

/// What a message needs: the variables it reads and the messages it references.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Shape {
    pub variables: BTreeSet<String>,
    pub references: BTreeSet<String>,
}

/// Every message of a file with its shape, or the file's problems (syntax errors, junk,
/// attributes, terms, duplicates, selector keys that are no plural category).
pub fn shapes(source: &str) -> Result<BTreeMap<String, Shape>, Vec<String>> {
    let mut problems = Vec::new();
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((r, errors)) => {
            problems.extend(errors.iter().map(|e| format!("syntax: {e:?}")));
            r
        }
    };
    let mut out = BTreeMap::new();
    for entry in &resource.body {
        match entry {
            Entry::Message(m) => {
                let id = m.id.name.to_owned();
                if !m.attributes.is_empty() {
                    problems.push(format!("{id}: attributes are not used by this app"));
                }
                let Some(value) = &m.value else {
                    problems.push(format!("{id}: no value"));
                    continue;
                };
                let mut shape = Shape::default();
                walk_pattern(value, &mut shape, &id, &mut problems);
                if out.insert(id.clone(), shape).is_some() {
                    problems.push(format!("{id}: defined twice"));
                }
            }
            Entry::Term(t) => problems.push(format!("-{}: terms are not used", t.id.name)),
            Entry::Junk { content } => problems.push(format!("junk: {content:?}")),
            Entry::Comment(_) | Entry::GroupComment(_) | Entry::ResourceComment(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

fn walk_pattern(p: &Pattern<&str>, shape: &mut Shape, id: &str, problems: &mut Vec<String>) {
    for element in &p.elements {
        if let PatternElement::Placeable { expression } = element {
            walk_expression(expression, shape, id, problems);
        }
    }
}

fn walk_expression(e: &Expression<&str>, shape: &mut Shape, id: &str, problems: &mut Vec<String>) {
    match e {
        Expression::Inline(i) => walk_inline(i, shape, id, problems),
        Expression::Select { selector, variants } => {
            walk_inline(selector, shape, id, problems);
            for v in variants {
                if let VariantKey::Identifier { name } = v.key {
                    if !PLURAL_CATEGORIES.contains(&name) {
                        problems.push(format!("{id}: [{name}] is no plural category"));
                    }
                }
                walk_pattern(&v.value, shape, id, problems);
            }
        }
    }
}

fn walk_inline(
    i: &InlineExpression<&str>,
    shape: &mut Shape,
    id: &str,
    problems: &mut Vec<String>,
) {
    match i {
        InlineExpression::VariableReference { id: v } => {
            shape.variables.insert(v.name.to_owned());
        }
        InlineExpression::MessageReference { id: m, .. } => {
            shape.references.insert(m.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                walk_inline(a, shape, id, problems);
            }
            for a in &arguments.named {
                walk_inline(&a.value, shape, id, problems);
            }
        }
        InlineExpression::TermReference { id: t, .. } => {
            problems.push(format!("{id}: references the term -{}", t.name));
        }
        InlineExpression::Placeable { expression } => {
            walk_expression(expression, shape, id, problems)
        }
        InlineExpression::StringLiteral { .. } | InlineExpression::NumberLiteral { .. } => {}
    }
}

/// How `other` differs from `reference`: missing and extra ids, different variables,
/// references to messages that do not exist.
pub fn compare(
    reference: &BTreeMap<String, Shape>,
    other: &BTreeMap<String, Shape>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (id, want) in reference {
        match other.get(id) {
            None => out.push(format!("{id}: missing")),
            Some(got) if got.variables != want.variables => out.push(format!(
                "{id}: variables {:?}, expected {:?}",
                got.variables, want.variables
            )),
            Some(_) => {}
        }
    }
    for (id, shape) in other {
        if !reference.contains_key(id) {
            out.push(format!("{id}: not in the reference language"));
        }
        for r in &shape.references {
            if !other.contains_key(r) {
                out.push(format!("{id}: references the missing message {r}"));
            }
        }
    }
    out
}

const NBSP: char = '\u{a0}';
const NNBSP: char = '\u{202f}';

/// The text of a message file's values, line by line (comments and ids left out).
fn value_lines(source: &str) -> impl Iterator<Item = (usize, &str)> {
    source.lines().enumerate().filter_map(|(n, line)| {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return None;
        }
        let value = if !line.starts_with(' ') {
            line.split_once(" = ").map_or("", |(_, v)| v)
        } else if trimmed.starts_with('[') || trimmed.starts_with("*[") {
            trimmed.split_once(']').map_or("", |(_, v)| v)
        } else {
            trimmed
        };
        Some((n + 1, value))
    })
}

/// French typography: a no-break space before `:` `;` `!` `?` `%` `»` and after `«`,
/// the typographic apostrophe, the ellipsis character.
pub fn french_typography(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (line, value) in value_lines(source) {
        let chars: Vec<char> = value.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let after = chars.get(i + 1).copied();
            let spaced_after = after.is_none_or(|a| a == ' ' || a == NBSP);
            let bad = match c {
                // "08:00", "https://" and "{ $hh }:{ $mm }" are not punctuation.
                ':' | ';' | '!' | '?' if spaced_after => {
                    !matches!(before, Some(NBSP) | Some(NNBSP))
                }
                '%' | '»' => before == Some(' '),
                '«' => after != Some(NBSP) && after != Some(NNBSP),
                '\'' => true,
                _ => false,
            };
            if bad {
                out.push(format!("line {line}: {c:?} in {value:?}"));
            }
        }
        if value.contains("...") {
            out.push(format!("line {line}: \"...\" instead of … in {value:?}"));
        }
    }
    out
}

/// The string literals of Rust source that a person could read: outside comments,
/// attributes, tracing macros, `include_*!`/`env!`/`concat!` and the test module.
pub fn rust_literals(source: &str) -> Vec<String> {
    let code = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut skip_group_at: Option<usize> = None;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == '#' && (next == Some('[') || (next == Some('!') && chars.get(i + 2) == Some(&'[')))
        {
            let open = if next == Some('[') { i + 1 } else { i + 2 };
            i = skip_group(&chars, open);
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == ':')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // r"…", r#"…"#, b"…", br"…": the prefix is not an identifier.
            let quote_at = (i..chars.len()).find(|&j| chars[j] != '#');
            if matches!(word.as_str(), "r" | "b" | "br")
                && quote_at.is_some_and(|j| chars[j] == '"')
            {
                let (lit, end) = raw_string(&chars, i, word.contains('r'));
                out.push(lit);
                i = end;
                continue;
            }
            let silent = word.starts_with("tracing::")
                || matches!(
                    word.as_str(),
                    "include_bytes"
                        | "include_str"
                        | "env"
                        | "concat"
                        | "stringify"
                        | "debug"
                        | "info"
                        | "warn"
                        | "error"
                        | "trace"
                );
            if silent && chars.get(i) == Some(&'!') && skip_group_at.is_none() {
                skip_group_at = Some(i + 1);
            }
            continue;
        }
        if skip_group_at == Some(i) {
            i = skip_group(&chars, i);
            skip_group_at = None;
            continue;
        }
        if c == '\'' {
            // A char literal ('"', '\'', 'x') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
            continue;
        }
        if c == '"' {
            let (lit, end) = cooked_string(&chars, i);
            out.push(lit);
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// The string literals of a JS module, template text included (the `${…}` parts are code,
/// scanned for literals of their own); comments left out. Regular expressions are not
/// understood: the window's modules keep quotes out of them.
pub fn js_literals(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    js_scan(&chars, 0, false, &mut out);
    out
}

/// Scans code from `i`; inside a `${…}` (`nested`) it stops after the closing brace.
fn js_scan(chars: &[char], mut i: usize, nested: bool, out: &mut Vec<String>) -> usize {
    let mut depth = 0usize;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            '"' | '\'' => {
                let mut lit = String::new();
                i += 1;
                while i < chars.len() && chars[i] != c {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    if let Some(&ch) = chars.get(i) {
                        lit.push(ch);
                    }
                    i += 1;
                }
                out.push(lit);
                i += 1;
            }
            '`' => {
                let mut lit = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '`' {
                    if chars[i] == '\\' {
                        i += 1;
                        if let Some(&ch) = chars.get(i) {
                            lit.push(ch);
                        }
                        i += 1;
                    } else if chars[i] == '$' && chars.get(i + 1) == Some(&'{') {
                        // The code in between splits the text: "{a} · {b}" is no phrase.
                        lit.push('\u{1}');
                        i = js_scan(chars, i + 2, true, out);
                    } else {
                        lit.push(chars[i]);
                        i += 1;
                    }
                }
                out.extend(lit.split('\u{1}').map(str::to_owned));
                i += 1;
            }
            '{' => {
                depth += 1;
                i += 1;
            }
            '}' => {
                if nested && depth == 0 {
                    return i + 1;
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    i
}

/// What an HTML page says by itself: its text outside tags, and the values of the
/// attributes people read (`placeholder`, `title`, `aria-label`, `alt`).
pub fn html_words(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find('<') {
        let text = rest[..open].trim();
        if !text.is_empty() {
            out.push(text.to_owned());
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + close];
        for attr in ["placeholder", "title", "aria-label", "alt"] {
            let needle = format!(" {attr}=\"");
            if let Some(at) = tag.find(&needle) {
                let value = &tag[at + needle.len()..];
                out.push(value.split('"').next().unwrap_or_default().to_owned());
            }
        }
        rest = &rest[open + close + 1..];
    }
    let text = rest.trim();
    if !text.is_empty() {
        out.push(text.to_owned());
    }
    out
}

/// Skips a bracketed group starting at `open` (`(`, `[` or `{`), strings inside included.
fn skip_group(chars: &[char], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while i < chars.len() {
        match chars[i] {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            '"' => {
                i = cooked_string(chars, i).1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    i
}

fn cooked_string(chars: &[char], open: usize) -> (String, usize) {
    let mut lit = String::new();
    let mut i = open + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                if let Some(&e) = chars.get(i + 1) {
                    lit.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                }
                i += 2;
            }
            '"' => return (lit, i + 1),
            c => {
                lit.push(c);
                i += 1;
            }
        }
    }
    (lit, i)
}

fn raw_string(chars: &[char], at: usize, raw: bool) -> (String, usize) {
    if !raw {
        return cooked_string(chars, at);
    }
    let mut i = at;
    let mut hashes = 0;
    while chars.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    i += 1; // the opening quote
    let start = i;
    while i < chars.len() {
        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            return (chars[start..i].iter().collect(), i + 1 + hashes);
        }
        i += 1;
    }
    (chars[start..].iter().collect(), i)
}

/// Whether a literal reads as words for people: two words in a row ("Check now"), or one
/// capitalized word ("Quit"). The product's name is no translation.
pub fn reads_as_words(lit: &str) -> bool {
    if lit == "Outage Radar" {
        return false;
    }
    let words: Vec<&str> = lit
        .split(' ')
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphabetic()))
        .collect();
    let is_word = |w: &str| w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic());
    let phrase = words.windows(2).any(|p| is_word(p[0]) && is_word(p[1]));
    let capitalized = |w: &str| {
        let mut c = w.chars();
        c.next().is_some_and(|f| f.is_ascii_uppercase())
            && w.len() >= 2
            && c.all(|c| c.is_ascii_lowercase())
    };
    phrase || words.iter().any(|w| capitalized(w))
}

/// Literals shaped like a message id (`summary-incidents`) whose first part is one of the
/// catalog's areas: the ids the code asks for.
pub fn message_ids<'a>(literals: &'a [String], areas: &BTreeSet<&str>) -> Vec<&'a str> {
    literals
        .iter()
        .map(String::as_str)
        .filter(|l| {
            let mut parts = l.split('-');
            let area = parts.next().unwrap_or_default();
            areas.contains(area)
                && l.contains('-')
                && l.split('-').all(|p| {
                    !p.is_empty()
                        && p.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_names_every_difference() {
        let en = shapes(
            "a = A { $n }\nb = B\nc = { $count ->\n    [one] one\n   *[other] { $count } many\n}\n",
        )
        .expect("valid");
        let fr = shapes(
            "a = A { $m }\nc = { $count ->\n    [one] un\n   *[other] { $count }\n}\nd = D { e }\n",
        )
        .expect("valid");
        let mut got = compare(&en, &fr);
        got.sort();
        assert_eq!(
            got,
            vec![
                "a: variables {\"m\"}, expected {\"n\"}",
                "b: missing",
                "d: not in the reference language",
                "d: references the missing message e",
            ]
        );
        assert!(compare(&en, &en).is_empty());
    }

    #[test]
    fn shapes_refuse_what_the_app_does_not_use() {
        let errors = shapes(
            "a = { $n ->\n    [on] x\n   *[other] y\n}\nb =\n    .title = T\nbroken\n-t = T\n",
        )
        .expect_err("problems");
        let text = errors.join("\n");
        for want in ["[on] is no plural category", "b: ", "junk", "-t: terms"] {
            assert!(text.contains(want), "{want} in {text}");
        }
    }

    #[test]
    fn french_typography_table() {
        let ok = "a = Hors ligne\u{a0}: aucune page\nb = { $hh }:{ $mm }\nc = https://x\nd = { $v }\u{202f}%\ne = «\u{a0}22:30\u{a0}»\n# l'ancienne : forme\nf = ralentir\u{202f}; plus tard\n";
        assert!(
            french_typography(ok).is_empty(),
            "{:?}",
            french_typography(ok)
        );
        let table = [
            ("a = Hors ligne : aucune", "':'"),
            ("a = Hors ligne: aucune", "':'"),
            ("a = l'heure", "'\\''"),
            ("a = { $v } %", "'%'"),
            ("a = « x »", "'«'"),
            ("a = attendre...", "\"...\""),
            ("a = { $n ->\n    [one] un : x\n   *[other] y\n}", "':'"),
            ("a = Quoi ?", "'?'"),
        ];
        for (source, want) in table {
            let got = french_typography(source);
            assert!(got.iter().any(|p| p.contains(want)), "{source:?}: {got:?}");
        }
    }

    #[test]
    fn rust_literals_skip_logs_attributes_comments_and_tests() {
        let src = r##"
//! Module doc "Not this"
#[serde(rename = "Not this either")]
fn f(x: &'static str) -> char {
    tracing::warn!(error = %e, "cannot do the thing");
    tracing::info!("{}", format!("nested {}", "Also not"));
    let icon = include_bytes!("../icons/a b.png");
    let q = '"';
    /* "block comment" */
    let s = format!("{} ({})", a, "Check now");
    let r = r#"Raw "quoted" text"#;
    println!("Add to your config:");
    'x'
}
#[cfg(test)]
mod tests {
    fn g() { let _ = "Test only"; }
}
"##;
        assert_eq!(
            rust_literals(src),
            vec![
                "{} ({})",
                "Check now",
                "Raw \"quoted\" text",
                "Add to your config:"
            ]
        );
    }

    #[test]
    fn js_literals_split_templates_and_skip_comments() {
        let src = r#"
// "Not this"
/* 'Nor this' */
const a = "Check now";
const b = 'it\'s';
el("span", `badge phase-${p.failing ? "failing" : `${n} ms`}`, `Last ${n} rounds: ${f} failing`);
"#;
        assert_eq!(
            js_literals(src),
            vec![
                "Check now",
                "it's",
                "span",
                "failing",
                "",
                " ms",
                "badge phase-",
                "",
                "Last ",
                " rounds: ",
                " failing",
            ]
        );
    }

    #[test]
    fn html_words_are_text_and_read_attributes() {
        let src = "<title>Outage Radar</title><p class=\"x y\" data-i18n=\"a\"></p>\n<input placeholder=\"Search all\" aria-label=\"Find\" /> Check now <b title=\"\">";
        assert_eq!(
            html_words(src),
            vec!["Outage Radar", "Search all", "Find", "Check now", ""]
        );
    }

    #[test]
    fn which_literals_read_as_words() {
        for (lit, words) in [
            ("Check now", true),
            ("Quit", true),
            ("Checking…", true),
            ("Not readable: {}", true),
            ("Paused until {} · {summary}", true),
            ("No services watched", true),
            ("cannot connect to it", true),
            ("Outage Radar", false),
            ("{} ({})", false),
            ("%a %H:%M", false),
            ("png", false),
            ("summary-incidents", false),
            ("service:", false),
            ("a", false),
            ("{MENU_SERVICE_PREFIX}{}", false),
            ("../../../icons/tray-paused.png", false),
        ] {
            assert_eq!(reads_as_words(lit), words, "{lit:?}");
        }
    }

    #[test]
    fn message_ids_are_found_by_shape_and_area() {
        let areas: BTreeSet<&str> = ["summary", "tray"].into_iter().collect();
        let lits: Vec<String> = [
            "summary-incidents",
            "tray-pause-hours",
            "check-now",
            "summary",
            "tray-x.png",
            "summary-Bad",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        assert_eq!(
            message_ids(&lits, &areas),
            vec!["summary-incidents", "tray-pause-hours"]
        );
    }
}
