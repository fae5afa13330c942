//! RSS 0.9x/1.0/2.0, Atom and JSON Feed through `feed-rs` (one model for all), and OPML feed lists.
//! Each feed item becomes one raw article: its full content when the feed carries it, else its summary.

use super::{ReadFailure, ReadOutput};
use crate::model::{Body, RawArticle};

pub(super) fn read(source: &str, bytes: &[u8], out: &mut ReadOutput) {
    // An item without an id keeps none: feed-rs would otherwise give a link-less, title-less item a random
    // UUID, a new article each time the same feed is read. Extraction then ids it by its link or its text.
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = match parser.parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            out.failures
                .push(ReadFailure::new(source, format!("not a valid feed ({e})")));
            return;
        }
    };
    let feed_title = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    // An item's own language (the `xml:lang` of an Atom entry's content), else the feed's (RSS `<language>`,
    // Atom `xml:lang`).
    let feed_language = feed.language;
    if feed.entries.is_empty() {
        out.failures
            .push(ReadFailure::new(source, "feed has no items"));
    }
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let url = entry
            .links
            .first()
            .map(|l| l.href.trim().to_string())
            .filter(|u| !u.is_empty());
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        let title = entry.title.as_ref().map(|t| t.content.trim().to_string());
        let published = entry.published.or(entry.updated).map(|d| d.to_rfc3339());
        let id = Some(entry.id.trim().to_string()).filter(|s| !s.is_empty() && url.is_none());
        out.articles.push(RawArticle {
            source: format!("{source}#{}", i + 1),
            id,
            url,
            outlet: feed_title.clone(),
            title,
            published,
            authors: entry
                .authors
                .iter()
                .filter_map(|p| p.name.as_deref().map(|n| n.trim().to_string()))
                .filter(|n| !n.is_empty())
                .collect(),
            language: entry.language.or_else(|| feed_language.clone()),
            body: Some(Body::Html(content)),
        });
    }
}

/// OPML: collects `xmlUrl` of every outline. Written by hand: a scan of attributes is all OPML needs.
pub(super) fn read_opml(source: &str, bytes: &[u8], out: &mut ReadOutput) {
    let text = String::from_utf8_lossy(bytes);
    let mut rest: &str = &text;
    while let Some(i) = rest.find("xmlUrl") {
        rest = &rest[i + 6..];
        let r = rest.trim_start().strip_prefix('=').map(str::trim_start);
        if let Some(r) = r {
            let quote = r.chars().next().unwrap_or('"');
            if quote == '"' || quote == '\'' {
                if let Some(end) = r[1..].find(quote) {
                    let url = r[1..1 + end].replace("&amp;", "&");
                    if !url.is_empty() {
                        out.feeds.push(url);
                    }
                }
            }
        }
    }
    if out.feeds.is_empty() {
        out.failures
            .push(ReadFailure::new(source, "OPML lists no feeds"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_become_articles() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title>
            <item><title>Quake hits</title><link>https://example.com/a</link><description>&lt;p&gt;A quake hit.&lt;/p&gt;</description>
            <pubDate>Fri, 21 Feb 2025 10:00:00 GMT</pubDate></item></channel></rss>"#;
        let mut out = ReadOutput::default();
        read("f.xml", rss, &mut out);
        assert_eq!(out.articles.len(), 1);
        let a = &out.articles[0];
        assert_eq!(a.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(a.outlet.as_deref(), Some("Example News"));
        assert!(a.published.as_deref().unwrap().starts_with("2025-02-21"));
        assert_eq!(a.language, None);
    }

    #[test]
    fn an_items_language_is_its_own_else_its_feeds() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Nachrichten</title>
            <language>de-DE</language><item><title>Beben</title><link>https://example.de/a</link></item></channel></rss>"#;
        let mut out = ReadOutput::default();
        read("f.xml", rss, &mut out);
        assert_eq!(out.articles[0].language.as_deref(), Some("de-de"));
        let atom = br#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
            <title>News</title><id>urn:f</id><updated>2025-02-21T10:00:00Z</updated>
            <entry><title>Seisme</title><id>urn:a</id><link href="https://example.fr/a"/><updated>2025-02-21T10:00:00Z</updated><content type="text" xml:lang="fr">Un seisme.</content></entry>
            <entry><title>Quake</title><id>urn:b</id><link href="https://example.com/b"/><updated>2025-02-21T10:00:00Z</updated></entry></feed>"#;
        let mut out = ReadOutput::default();
        read("f.atom", atom, &mut out);
        let langs: Vec<Option<&str>> = out.articles.iter().map(|a| a.language.as_deref()).collect();
        assert_eq!(langs, [Some("fr"), Some("en")]);
    }

    #[test]
    fn broken_feed_is_a_failure() {
        let mut out = ReadOutput::default();
        read(
            "bad.xml",
            b"<?xml version=\"1.0\"?><rss><channel><item><title>unclosed",
            &mut out,
        );
        assert_eq!(out.failures.len(), 1);
    }

    #[test]
    fn opml_lists_feeds() {
        let mut out = ReadOutput::default();
        read_opml("l.opml", br#"<opml><body><outline text="a" xmlUrl="https://a.example/rss?x=1&amp;y=2"/></body></opml>"#, &mut out);
        assert_eq!(out.feeds, vec!["https://a.example/rss?x=1&y=2".to_string()]);
    }
}
