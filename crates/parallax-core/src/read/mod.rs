//! Readers: bytes of one input (plus its name) in, raw articles out. Detects the format from the content
//! first and the name second, undoes gzip, finds the character set, and hands each record to the reader of
//! its format. Does no IO of its own: the caller reads files, stdin or URLs and caps their size.
//!
//! A reader never fails the batch: every record it cannot read becomes a [`ReadFailure`] naming the input
//! (and the record) and the reason.

mod decode;
mod feed;
mod jsonl;
mod warc;

use crate::model::{Body, RawArticle};
use std::borrow::Cow;

pub use decode::{decode_html, decode_text, gunzip_whole, gzip_size_hint, read_gzip};
pub use jsonl::read_line as read_jsonl_line;

/// Largest decompressed size of one input that is not an archive.
pub const MAX_DOCUMENT_BYTES: usize = 16 << 20;
/// Largest decompressed size of one container input (WARC, JSONL, feed): they hold many articles.
pub const MAX_ARCHIVE_BYTES: usize = 512 << 20;
/// Largest HTML page extraction will look at; larger pages are refused with a failure.
pub const MAX_PAGE_BYTES: usize = 8 << 20;

/// One input, or one record of it, that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFailure {
    /// The input (and record) that failed: `path`, `path#12`, `path line 3`.
    pub input: String,
    /// Why, in a few words.
    pub reason: String,
}

impl ReadFailure {
    /// A failure of `input` for `reason`.
    pub fn new(input: impl Into<String>, reason: impl Into<String>) -> Self {
        ReadFailure {
            input: input.into(),
            reason: reason.into(),
        }
    }
}

/// What one input held.
#[derive(Debug, Default)]
pub struct ReadOutput {
    /// Articles found.
    pub articles: Vec<RawArticle>,
    /// Feed URLs listed by an OPML file (to be fetched by the caller).
    pub feeds: Vec<String>,
    /// Records that could not be read.
    pub failures: Vec<ReadFailure>,
}

/// The formats Parallax reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A web page.
    Html,
    /// RSS 0.9x/1.0/2.0, Atom, or JSON Feed.
    Feed,
    /// An OPML list of feeds.
    Opml,
    /// A WARC archive (records may be gzipped one by one).
    Warc,
    /// One JSON article a line.
    Jsonl,
    /// A Markdown export.
    Markdown,
    /// Flattened page text.
    Text,
}

/// Reads one input. `source` names it (a path or URL); `bytes` are its raw, possibly gzipped, content.
pub fn read_bytes(source: &str, bytes: &[u8]) -> ReadOutput {
    read_bytes_typed(source, bytes, None)
}

/// [`read_bytes`] with the transport's `Content-Type` (its charset decodes HTML pages). A page read from
/// a URL gets that URL unless the page names a canonical one.
pub fn read_bytes_typed(source: &str, bytes: &[u8], content_type: Option<&str>) -> ReadOutput {
    read_cow(source, Cow::Borrowed(bytes), content_type)
}

/// [`read_bytes`] of bytes the caller gives up: a UTF-8 page becomes its text without a copy.
pub fn read_vec(source: &str, bytes: Vec<u8>) -> ReadOutput {
    read_cow(source, Cow::Owned(bytes), None)
}

fn read_cow(source: &str, bytes: Cow<'_, [u8]>, content_type: Option<&str>) -> ReadOutput {
    let mut out = ReadOutput::default();
    let is_gzip = bytes.starts_with(&[0x1f, 0x8b]);
    let limit = MAX_ARCHIVE_BYTES;
    let bytes: Cow<'_, [u8]> = if is_gzip {
        match decode::gunzip(&bytes, limit) {
            Ok(b) => Cow::Owned(b),
            Err(reason) => {
                out.failures.push(ReadFailure::new(source, reason));
                return out;
            }
        }
    } else {
        if bytes.len() > limit {
            out.failures.push(ReadFailure::new(
                source,
                format!("larger than the {} MB limit", limit >> 20),
            ));
            return out;
        }
        bytes
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        out.failures.push(ReadFailure::new(source, "empty input"));
        return out;
    }
    let format = detect(source, &bytes);
    let container = matches!(
        format,
        Format::Warc | Format::Jsonl | Format::Feed | Format::Opml
    );
    if !container && bytes.len() > MAX_DOCUMENT_BYTES {
        out.failures.push(ReadFailure::new(
            source,
            format!(
                "document of {} MB is larger than the {} MB limit",
                bytes.len() >> 20,
                MAX_DOCUMENT_BYTES >> 20
            ),
        ));
        return out;
    }
    match format {
        Format::Warc => warc::read(source, &bytes, &mut out),
        Format::Html => {
            if bytes.len() > MAX_PAGE_BYTES {
                out.failures.push(ReadFailure::new(
                    source,
                    format!(
                        "page of {} MB is larger than the {} MB limit",
                        bytes.len() >> 20,
                        MAX_PAGE_BYTES >> 20
                    ),
                ));
                return out;
            }
            let charset = content_type
                .and_then(|c| c.split("charset=").nth(1))
                .map(|c| c.split(';').next().unwrap_or(c).trim());
            let html = decode::decode_html_cow(bytes, charset);
            if decode::looks_binary(&html) {
                out.failures
                    .push(ReadFailure::new(source, "binary data, not a web page"));
                return out;
            }
            let url = (source.starts_with("http://") || source.starts_with("https://"))
                .then(|| source.to_string());
            out.articles.push(RawArticle {
                source: source.to_string(),
                url,
                body: Some(Body::Html(html)),
                ..Default::default()
            });
        }
        Format::Feed => feed::read(source, &bytes, &mut out),
        Format::Opml => feed::read_opml(source, &bytes, &mut out),
        Format::Jsonl => jsonl::read(source, &decode::decode_text_borrowed(&bytes), &mut out),
        Format::Markdown | Format::Text => {
            let text = decode_text(&bytes);
            if decode::looks_binary(&text) {
                out.failures
                    .push(ReadFailure::new(source, "binary data, not text"));
                return out;
            }
            let body = if format == Format::Markdown {
                Body::Markdown(text)
            } else {
                Body::Flat(text)
            };
            out.articles.push(RawArticle {
                source: source.to_string(),
                body: Some(body),
                ..Default::default()
            });
        }
    }
    out
}

/// Detects the format of decompressed bytes, from the content first, then the name.
pub fn detect(source: &str, bytes: &[u8]) -> Format {
    let name = source.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    let head = &bytes[start.unwrap_or(0)..bytes.len().min(start.unwrap_or(0) + 2048)];
    let head_lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    if head.starts_with(b"WARC/") {
        return Format::Warc;
    }
    if head_lower.contains("<opml") {
        return Format::Opml;
    }
    let has_html = head_lower.contains("<html") || head_lower.contains("<!doctype html");
    if !has_html
        && (head_lower.starts_with("<?xml")
            || head_lower.starts_with("<rss")
            || head_lower.starts_with("<feed")
            || head_lower.starts_with("<rdf"))
        && (head_lower.contains("<rss")
            || head_lower.contains("<feed")
            || head_lower.contains("<rdf")
            || head_lower.contains("<channel"))
    {
        return Format::Feed;
    }
    // A JSON object opens with a key or closes at once; text that merely starts with a brace ("{{title}}",
    // "{ Editor's note }") is not JSON.
    let json_object = head.starts_with(b"{")
        && head[1..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_none_or(|b| matches!(b, b'"' | b'}'));
    if json_object {
        if head_lower.contains("jsonfeed.org") {
            return Format::Feed;
        }
        return Format::Jsonl;
    }
    // Markup without `<html>`: a fragment (`<p>..</p>`, `<div>..`) is HTML, but a text scrape that merely
    // starts with a leftover tag (a tracking pixel's `<img ...>` from a `<noscript>`) is text.
    let tags = head
        .windows(2)
        .filter(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
        .count();
    if has_html || (head_lower.starts_with('<') && (head_lower.contains("</") || tags >= 3)) {
        return Format::Html;
    }
    if name.ends_with(".html") || name.ends_with(".htm") || name.ends_with(".xhtml") {
        return Format::Html;
    }
    if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        return Format::Jsonl;
    }
    if name.ends_with(".md") || name.ends_with(".markdown") || head_lower.starts_with("# ") {
        return Format::Markdown;
    }
    Format::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats_from_content() {
        let cases: [(&str, &[u8], Format); 14] = [
            ("x", b"WARC/1.0\r\n", Format::Warc),
            ("x", b"<?xml version=\"1.0\"?><rss><channel>", Format::Feed),
            (
                "x",
                b"<feed xmlns=\"http://www.w3.org/2005/Atom\">",
                Format::Feed,
            ),
            (
                "x",
                b"{\"version\": \"https://jsonfeed.org/version/1\"}",
                Format::Feed,
            ),
            ("x", b"{\"id\": 1}\n{\"id\": 2}", Format::Jsonl),
            ("x", b"{\n  \"id\": 1}", Format::Jsonl),
            // A text file that starts with a brace is text.
            (
                "page.txt",
                b"{{category.text}}\nCrawling the web at scale",
                Format::Text,
            ),
            (
                "x",
                b"{ Editor's note: updated }\nThe council voted.",
                Format::Text,
            ),
            ("x.txt", b"  <!DOCTYPE html><html>", Format::Html),
            ("x", b"<div><p>A fragment</p>", Format::Html),
            (
                "page.txt",
                b"<img height=\"1\" src=\"http://b.example.com/p\" />\nPolitics\nWhite House\nThe council voted.",
                Format::Text,
            ),
            ("x.txt", b"\n\n# Title\n\nbody", Format::Markdown),
            ("x.txt", b"date 2025-02-21 body", Format::Text),
            (
                "x",
                b"<?xml version=\"1.0\"?><opml version=\"2.0\">",
                Format::Opml,
            ),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(
                detect(name, bytes),
                want,
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn a_feed_item_without_id_or_link_reads_the_same_each_time() {
        let rss = br#"<?xml version="1.0"?><rss version="0.91"><channel><title>Wire</title>
            <item><description>A quake hit the coast.</description></item>
            <item><guid>tag:wire,2024:7</guid><title>Bridge closes</title><description>It closed.</description></item>
            </channel></rss>"#;
        let a = read_bytes("w.xml", rss);
        let b = read_bytes("w.xml", rss);
        assert_eq!(a.articles.len(), 2);
        // No id is made up for the first item (extraction names it by its text); the second keeps its own.
        assert_eq!(a.articles[0].id, None);
        assert_eq!(a.articles[1].id.as_deref(), Some("tag:wire,2024:7"));
        let ids = |o: &ReadOutput| o.articles.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
    }

    #[test]
    fn truncated_gzip_is_one_failure() {
        let out = read_bytes("t.txt.gz", &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2]);
        assert!(out.articles.is_empty());
        assert_eq!(out.failures.len(), 1);
        assert_eq!(out.failures[0].input, "t.txt.gz");
    }

    #[test]
    fn binary_junk_is_refused() {
        let junk: Vec<u8> = (0..5000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let out = read_bytes("junk.bin", &junk);
        assert!(out.articles.is_empty(), "{:?}", out.articles.len());
        assert_eq!(out.failures.len(), 1);
    }
}
