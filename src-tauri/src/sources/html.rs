//! HTML that pages put inside their feeds and APIs, parsed by html5ever (through `scraper`) and read as plain text.

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node};

/// Elements open inside each other beyond this are not read. html5ever checks its stack of
/// open elements at every tag, so nesting costs the square of its depth: 16,000 nested
/// `<li>` take seconds, and a body may be 8 MiB. Real entries nest a handful deep.
const MAX_DEPTH: usize = 128;

/// Parses an HTML fragment the way a browser would parse it inside `<body>`.
pub(crate) fn fragment(html: &str) -> Html {
    let kept = within_depth(html, MAX_DEPTH);
    if kept.len() < html.len() {
        tracing::warn!(
            kept = kept.len(),
            of = html.len(),
            "HTML nested too deep; the rest is not read"
        );
    }
    Html::parse_fragment(kept)
}

/// The longest start of `html` whose elements nest at most `max` deep, by a quick scan of
/// its tags that errs towards deeper (a cut, never a slow parse).
fn within_depth(html: &str, max: usize) -> &str {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    // Opening one of these closes an open one of the same name right above it.
    const SELF_CLOSING_SIBLINGS: [&str; 8] = ["p", "li", "dt", "dd", "tr", "td", "th", "option"];
    let mut open: Vec<String> = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = bytes
        .get(i..)
        .and_then(|b| b.iter().position(|c| *c == b'<'))
    {
        let at = i + lt;
        let rest = bytes.get(at + 1..).unwrap_or_default();
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let len = rest
            .get(name_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let Some(gt) = rest.iter().position(|c| *c == b'>') else {
            break;
        };
        i = at + 1 + gt + 1;
        if len == 0 {
            continue;
        }
        let name =
            String::from_utf8_lossy(rest.get(name_start..name_start + len).unwrap_or_default())
                .to_ascii_lowercase();
        if closing {
            if let Some(k) = open.iter().rposition(|n| *n == name) {
                open.truncate(k);
            }
            continue;
        }
        let self_closed = rest.get(..gt).is_some_and(|t| t.ends_with(b"/"));
        if VOID.contains(&name.as_str()) || self_closed {
            continue;
        }
        if SELF_CLOSING_SIBLINGS.contains(&name.as_str()) && open.last() == Some(&name) {
            open.pop();
        }
        open.push(name);
        if open.len() > max {
            return html.get(..at).unwrap_or_default();
        }
    }
    html
}

/// Plain text of an HTML fragment: tags out, every HTML5 entity decoded, a line break
/// where a block element or `<br>` ends, blank runs squeezed.
pub(crate) fn to_text(html: &str) -> String {
    doc_text(&fragment(html))
}

/// [`to_text`] of a fragment already parsed.
pub(crate) fn doc_text(doc: &Html) -> String {
    let text = text_of(doc.root_element().children(), &[]);
    // AWS escapes its HTML once more inside CDATA: decoding it leaves real tags behind.
    // Only then is the text read as HTML again, line by line so its breaks survive.
    if has_escaped_markup(&text) {
        let lines: Vec<String> = text.lines().map(text_once).collect();
        squeeze(&lines.join("\n"))
    } else {
        text
    }
}

fn text_once(html: &str) -> String {
    text_of(fragment(html).root_element().children(), &[])
}

/// The text of `nodes` and everything inside them, leaving out elements named in `skip`.
pub(crate) fn text_of<'a>(
    nodes: impl IntoIterator<Item = NodeRef<'a, Node>>,
    skip: &[&str],
) -> String {
    let mut out = String::new();
    for node in nodes {
        // The tree is walked without recursion: a hostile page may nest thousands deep.
        let mut hidden = 0usize;
        for edge in node.traverse() {
            match edge {
                Edge::Open(n) => match n.value() {
                    Node::Element(e) => {
                        let name = e.name();
                        if hidden > 0 || is_hidden(name) || skip.contains(&name) {
                            hidden += 1;
                        } else if name == "br" || is_block(name) {
                            out.push('\n');
                        }
                    }
                    Node::Text(t) if hidden == 0 => out.push_str(t),
                    _ => {}
                },
                Edge::Close(n) => {
                    if let Node::Element(e) = n.value() {
                        if hidden > 0 {
                            hidden -= 1;
                        } else if is_block(e.name()) {
                            out.push('\n');
                        }
                    }
                }
            }
        }
    }
    squeeze(&out)
}

/// The text of a fragment cut at each `marker` element: the marker's own text (on one
/// line) and the text after it up to the next marker. Text before the first is left out.
pub(crate) fn split_at(doc: &Html, marker: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let (mut hidden, mut in_marker) = (0usize, 0usize);
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if hidden > 0 || is_hidden(name) {
                        hidden += 1;
                    } else if in_marker > 0 {
                        in_marker += 1;
                    } else if name == marker {
                        in_marker = 1;
                        out.push((String::new(), String::new()));
                    } else if name == "br" || is_block(name) {
                        if let Some((_, text)) = out.last_mut() {
                            text.push('\n');
                        }
                    }
                }
                Node::Text(t) if hidden == 0 => {
                    if let Some((mark, text)) = out.last_mut() {
                        if in_marker > 0 { mark } else { text }.push_str(t);
                    }
                }
                _ => {}
            },
            Edge::Close(n) => {
                if let Node::Element(e) = n.value() {
                    if hidden > 0 {
                        hidden -= 1;
                    } else if in_marker > 0 {
                        in_marker -= 1;
                    } else if is_block(e.name()) {
                        if let Some((_, text)) = out.last_mut() {
                            text.push('\n');
                        }
                    }
                }
            }
        }
    }
    out.into_iter()
        .map(|(mark, text)| (squeeze(&mark).replace('\n', " "), squeeze(&text)))
        .collect()
}

/// The text of each top-level block of a fragment, and of each run of text between them,
/// empty ones left out: a timeline kept as one `<div>` per post becomes one text per post.
pub(crate) fn block_texts(html: &str) -> Vec<String> {
    let doc = fragment(html);
    let mut out = Vec::new();
    let mut run = Vec::new();
    for child in doc.root_element().children() {
        match child.value() {
            Node::Element(e) if is_block(e.name()) => {
                out.push(text_of(run.drain(..), &[]));
                out.push(text_of([child], &[]));
            }
            _ => run.push(child),
        }
    }
    out.push(text_of(run, &[]));
    out.retain(|t| !t.is_empty());
    out
}

/// The text of one element.
pub(crate) fn text(el: ElementRef<'_>) -> String {
    text_of([*el], &[])
}

/// Every element under `root` named one of `names`, in document order.
pub(crate) fn elements<'a>(
    root: ElementRef<'a>,
    names: &'a [&'a str],
) -> impl Iterator<Item = ElementRef<'a>> + 'a {
    root.descendent_elements()
        .filter(move |e| names.contains(&e.value().name()))
}

/// The first element under `root` named one of `names`.
pub(crate) fn first<'a>(root: ElementRef<'a>, names: &'a [&'a str]) -> Option<ElementRef<'a>> {
    elements(root, names).next()
}

/// Elements whose text is never shown.
fn is_hidden(name: &str) -> bool {
    matches!(name, "script" | "style" | "template" | "head" | "title")
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "tr"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "hr"
    )
}

/// Whether decoded text still holds tags of the kind entries use (`<br>`, `</p>`, `<a href…>`).
fn has_escaped_markup(text: &str) -> bool {
    const KNOWN: [&str; 17] = [
        "a", "b", "br", "div", "em", "i", "li", "ol", "p", "small", "span", "strong", "ul", "code",
        "pre", "var", "hr",
    ];
    text.match_indices('<').any(|(i, _)| {
        let rest = text.get(i + 1..).unwrap_or_default();
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let name = rest.get(..len).unwrap_or_default().to_ascii_lowercase();
        KNOWN.contains(&name.as_str())
            && rest
                .get(len..)
                .is_some_and(|after| after.starts_with(['>', ' ', '/']))
    })
}

/// Each line's blank runs to one space; empty lines out.
fn squeeze(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            to_text("<p><b>Status: X</b><br/>a &amp; b &lt;c&gt; &#39;d&#x27; &bogus; 5 < 6</p>"),
            "Status: X\na & b <c> 'd' &bogus; 5 < 6"
        );
        assert_eq!(
            to_text("<!-- hidden -->Hello <em>world</em>!"),
            "Hello world!"
        );
        assert_eq!(
            to_text("a &lt;br&gt;b"),
            "a\nb",
            "escaped twice, as AWS does"
        );
        assert_eq!(to_text("é<"), "é<");
        assert_eq!(to_text(""), "");
    }

    #[test]
    fn every_html5_entity_is_decoded() {
        // Entities the old hand-written table did not know.
        assert_eq!(
            to_text("&notin; &Kopf; &frac12;&nbsp;&check; &NotEqualTilde; &amp;amp;"),
            "∉ 𝕂 ½ ✓ ≂̸ &amp;"
        );
        // Legacy entities without a semicolon decode as browsers decode them.
        assert_eq!(to_text("&copy 2026 &lt3"), "© 2026 <3");
    }

    #[test]
    fn blocks_break_lines_and_inline_elements_do_not() {
        assert_eq!(
            to_text("<h3>Title</h3><p>one <strong>two</strong></p><ul><li>a</li><li>b <i>c</i></li></ul>tail"),
            "Title\none two\na\nb c\ntail"
        );
        assert_eq!(
            to_text("<div>x<script>alert(1)</script><style>p{}</style>y</div>"),
            "xy"
        );
        assert_eq!(
            to_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"),
            "ab\nc"
        );
    }

    #[test]
    fn nesting_within_the_limit_is_read() {
        let html = "<div>".repeat(MAX_DEPTH) + "deep" + &"</div>".repeat(MAX_DEPTH);
        assert_eq!(to_text(&html), "deep");
    }

    #[test]
    fn hostile_nesting_is_cut_not_parsed_for_minutes() {
        let started = std::time::Instant::now();
        for open in ["<div>", "<ul><li>", "<b>", "<div></i>", "<span id=x>"] {
            let html = open.repeat(200_000) + "never read";
            let text = to_text(&html);
            assert!(!text.contains("never read"), "{open}");
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
        // Sloppy but shallow HTML is read whole.
        let html = "<ul>".to_owned() + &"<li>item".repeat(1_000) + "</ul><p>a<p>b<p>end";
        assert!(to_text(&html).ends_with("item\na\nb\nend"));
        assert_eq!(
            within_depth("<div><br><img src=x/><p>a</p></div>", 1),
            "<div><br><img src=x/>"
        );
    }

    #[test]
    fn fragments_split_at_markers() {
        let doc = fragment(
            "lead<p><small>3:23pm <b>PST</b></small> We are <i>aware</i>.</p><p><small>9:34am PST</small> Fixed.<br>Thanks</p><small></small>",
        );
        assert_eq!(
            split_at(&doc, "small"),
            vec![
                ("3:23pm PST".to_owned(), "We are aware.".to_owned()),
                ("9:34am PST".to_owned(), "Fixed.\nThanks".to_owned()),
                (String::new(), String::new()),
            ]
        );
        assert!(split_at(&fragment("<p>no markers</p>"), "small").is_empty());
    }

    #[test]
    fn elements_are_found_in_document_order() {
        let doc = fragment("<p><small>1</small><strong>A</strong> - a</p><p><small>2</small></p>");
        let smalls: Vec<String> = elements(doc.root_element(), &["small"]).map(text).collect();
        assert_eq!(smalls, ["1", "2"]);
        let p = first(doc.root_element(), &["p"]).expect("a paragraph");
        assert_eq!(text(p), "1A - a");
        assert_eq!(text_of(p.children(), &["small"]), "A - a");
    }
}
