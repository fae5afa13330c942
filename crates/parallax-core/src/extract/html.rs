//! HTML pages: the main body through `dom_smoothie` (a Readability.js port on html5ever), plus the metadata a
//! news page carries in `<meta>`, `<link rel=canonical>`, JSON-LD and `<time>`. What is added here: the
//! canonical URL, authors from several places, a depth guard (pages nested thousands of levels deep are
//! flattened to text instead of parsed as a tree), and a plain-text fallback when Readability finds nothing.

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};

/// Deepest element nesting parsed as a tree; deeper pages are read as flattened text.
const MAX_DEPTH: usize = 1500;

/// What an HTML page yielded.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct HtmlExtract {
    pub(crate) title: Option<String>,
    pub(crate) text: String,
    pub(crate) url: Option<String>,
    pub(crate) site_name: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) authors: Vec<String>,
    pub(crate) lang: Option<String>,
    pub(crate) paywalled: bool,
    /// True when the page was too deep to parse and was read as text.
    pub(crate) flattened: bool,
}

pub(crate) fn extract_html(html: &str, url: Option<&str>) -> HtmlExtract {
    if nesting_depth(html) > MAX_DEPTH {
        return HtmlExtract {
            text: strip_tags(html),
            flattened: true,
            ..Default::default()
        };
    }
    let doc = Document::from(html);
    let mut out = HtmlExtract::default();
    // One pass over the `<meta>` elements (each selector would walk the whole tree again).
    let mut metas: Vec<(String, String)> = Vec::new();
    for n in doc.select("meta").iter() {
        let key = n
            .attr("property")
            .or_else(|| n.attr("name"))
            .or_else(|| n.attr("itemprop"));
        if let (Some(k), Some(c)) = (key, n.attr("content")) {
            let c = c.trim();
            if !c.is_empty() {
                metas.push((k.to_ascii_lowercase(), c.to_string()));
            }
        }
    }
    let meta = |key: &str| metas.iter().find(|(k, _)| k == key).map(|(_, c)| c.clone());
    out.url = doc
        .select("link[rel=canonical]")
        .iter()
        .find_map(|n| n.attr("href").map(|h| h.trim().to_string()))
        .filter(|h| h.starts_with("http"))
        .or_else(|| meta("og:url").filter(|h| h.starts_with("http")));
    out.published = [
        "article:published_time",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "dc.date",
        "dc.date.issued",
    ]
    .iter()
    .find_map(|k| meta(k))
    .or_else(|| {
        doc.select("time[datetime]")
            .iter()
            .find_map(|n| n.attr("datetime").map(|d| d.to_string()))
    });
    let mut authors: Vec<String> = Vec::new();
    for (k, c) in &metas {
        if matches!(k.as_str(), "author" | "article:author" | "parsely-author")
            && !c.starts_with("http")
        {
            authors.extend(super::meta::clean_author(c));
        }
    }
    out.paywalled = html.contains("\"isAccessibleForFree\":false")
        || html.contains("\"isAccessibleForFree\": false")
        || html.contains("\"isAccessibleForFree\":\"False\"");
    // Readability takes the tree (no copy); what the fallback needs is read first.
    let fallback_title = doc
        .select("title")
        .iter()
        .next()
        .map(|t| t.text().trim().to_string())
        .filter(|t| !t.is_empty());
    let doc_url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let parsed = Readability::with_document(doc, doc_url, Some(cfg)).and_then(|mut r| r.parse());
    match parsed {
        Ok(article) => {
            out.title = Some(article.title.trim().to_string()).filter(|t| !t.is_empty());
            out.text = tidy(&article.text_content);
            out.site_name = article
                .site_name
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
            out.lang = article.lang;
            if out.published.is_none() {
                out.published = article.published_time;
            }
            if let Some(b) = article.byline {
                authors.extend(super::meta::clean_author(&b));
            }
        }
        Err(_) => {
            out.title = fallback_title;
            out.site_name = meta("og:site_name");
        }
    }
    if out.text.trim().is_empty() {
        // Readability found nothing: the page's whole text (a second parse; rare).
        let doc = Document::from(html);
        let body = doc.select("body");
        let text = if body.exists() {
            body.text().to_string()
        } else {
            doc.root().text().to_string()
        };
        out.text = tidy(&text);
    }
    let mut seen = std::collections::HashSet::new();
    authors.retain(|a| seen.insert(a.to_lowercase()));
    out.authors = authors;
    out
}

/// Collapses runs of spaces inside lines and of blank lines between paragraphs.
pub(crate) fn tidy(text: &str) -> String {
    if is_tidy(text) {
        return text.to_string();
    }
    tidy_slow(text)
}

fn tidy_slow(text: &str) -> String {
    // One pass, one allocation: words of a line joined by single spaces, empty lines dropped, blocks that
    // were separated by a blank line kept apart by one.
    let mut out = String::with_capacity(text.len());
    for block in text.split("\n\n") {
        let mut first_line = true;
        for line in block.lines() {
            let mut words = line.split_whitespace();
            let Some(w) = words.next() else { continue };
            if first_line {
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
                first_line = false;
            } else {
                out.push('\n');
            }
            out.push_str(w);
            for w in words {
                out.push(' ');
                out.push_str(w);
            }
        }
    }
    out
}

/// Whether [`tidy`] would leave `text` as it is: no whitespace but single spaces and line breaks, no space
/// at either end of a line, no more than one blank line in a row, nothing to trim at either end. Texts given
/// clean (JSONL) mostly are; the check is a few vectorised scans (memchr) with no allocation.
fn is_tidy(text: &str) -> bool {
    use memchr::memmem;
    let b = text.as_bytes();
    if b.first().is_some_and(|&c| c == b' ' || c == b'\n')
        || b.last().is_some_and(|&c| c == b' ' || c == b'\n')
    {
        return false;
    }
    if ["  ", " \n", "\n ", "\n\n\n"]
        .iter()
        .any(|p| memmem::find(b, p.as_bytes()).is_some())
        || memchr::memchr3(b'\t', b'\r', 0x0b, b).is_some()
        || memchr::memchr(0x0c, b).is_some()
    {
        return false;
    }
    text.is_ascii()
        || !text
            .chars()
            .any(|c| c != ' ' && c != '\n' && c.is_whitespace())
}

/// The deepest nesting of elements, counted by a scan of tags (no tree is built).
fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        match b.get(i) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(b.len(), |e| i + e);
                let name_end = b[i..end]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .map_or(end, |e| i + e);
                let name = &html[i..name_end];
                let void = matches!(
                    name.to_ascii_lowercase().as_str(),
                    "br" | "img"
                        | "meta"
                        | "link"
                        | "input"
                        | "hr"
                        | "source"
                        | "area"
                        | "base"
                        | "col"
                        | "embed"
                        | "wbr"
                        | "track"
                        | "param"
                ) || b.get(end.saturating_sub(1)) == Some(&b'/');
                if !void {
                    depth += 1;
                    max = max.max(depth);
                }
            }
            _ => {}
        }
    }
    max
}

/// Text of markup without building a tree: tags dropped, block tags become line breaks.
pub(crate) fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    tidy(
        &out.replace("&amp;", "&")
            .replace("&nbsp;", " ")
            .replace("&quot;", "\"")
            .replace("&#39;", "'"),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tidy_check_agrees_with_tidying() {
        for t in [
            "a b\n\nc",
            "a  b",
            " a",
            "a ",
            "a\n\n\nb",
            "a \nb",
            "a\n b",
            "a\tb",
            "a\u{a0}b",
            "é è\nü",
            "a\r\nb",
            "",
            "x\n\ny\nz",
        ] {
            assert_eq!(is_tidy(t), tidy_slow(t) == t, "{t:?}");
            assert_eq!(tidy(t), tidy_slow(t), "{t:?}");
        }
    }

    use super::*;

    #[test]
    fn article_page() {
        let html = r#"<html lang="en"><head><title>Bridge closes | Example</title>
            <link rel="canonical" href="https://example.com/2025/01/02/bridge">
            <meta property="article:published_time" content="2025-01-02T08:00:00Z">
            <meta name="author" content="Jane Doe"><meta property="og:site_name" content="Example News"></head>
            <body><nav><a href="/">Home</a><a href="/world">World</a></nav><article><h1>Bridge closes</h1>
            <p>The council voted on Tuesday to close the old bridge for repairs next month, officials said.</p>
            <p>The repairs are expected to take six weeks and cost about two million euros in total, the mayor said.</p>
            <p>Residents will have to use the ferry or the ring road while the work goes on, the council added.</p>
            </article><footer>Copyright Example</footer></body></html>"#;
        let out = extract_html(html, None);
        assert_eq!(
            out.url.as_deref(),
            Some("https://example.com/2025/01/02/bridge")
        );
        assert_eq!(out.published.as_deref(), Some("2025-01-02T08:00:00Z"));
        assert_eq!(out.authors, vec!["Jane Doe"]);
        assert!(out.text.contains("six weeks"), "{}", out.text);
        assert!(!out.text.contains("Copyright"));
    }

    #[test]
    fn deep_page_is_flattened_not_parsed() {
        let html = format!(
            "<html><body>{}deep text{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let out = extract_html(&html, None);
        assert!(out.flattened);
        assert_eq!(out.text, "deep text");
    }
}
