//! Inputs from the outside: files, directories (recursive, sorted), and stdin (`-`), read with a size cap so
//! no input can exhaust memory. Each input's bytes go to the core readers.

use crate::fetch::{Fetched, Fetcher};
use parallax_core::read::{self, ReadFailure, ReadOutput, MAX_ARCHIVE_BYTES};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest file read whole; the core then applies its per-format limits.
pub const MAX_FILE_BYTES: u64 = MAX_ARCHIVE_BYTES as u64;

/// Expands the command-line inputs into single inputs: directories become their files (recursive, sorted,
/// hidden files skipped), `-` stays stdin.
pub fn expand(inputs: &[String]) -> (Vec<String>, Vec<ReadFailure>) {
    let mut out = Vec::new();
    let mut failures = Vec::new();
    for i in inputs {
        if i == "-" || i.starts_with("http://") || i.starts_with("https://") {
            out.push(i.clone());
            continue;
        }
        let p = Path::new(i);
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut out, &mut failures),
            Ok(_) => out.push(i.clone()),
            Err(e) => failures.push(ReadFailure::new(i, e.to_string())),
        }
    }
    (out, failures)
}

fn walk(dir: &Path, out: &mut Vec<String>, failures: &mut Vec<ReadFailure>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            failures.push(ReadFailure::new(dir.display().to_string(), e.to_string()));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, failures);
        } else {
            out.push(p.display().to_string());
        }
    }
}

/// Most item pages fetched for one feed read from a URL.
pub const MAX_FEED_PAGES: usize = 100;

/// Reads one input (a path, `-`, or with a fetcher a URL) and hands its bytes to the core readers. A feed
/// read from a URL has its items' pages fetched too (the feed's title, date and authors are kept).
pub fn read_one(input: &str, fetcher: Option<&Fetcher>) -> ReadOutput {
    if input.starts_with("http://") || input.starts_with("https://") {
        let Some(fetcher) = fetcher else {
            let mut out = ReadOutput::default();
            out.failures.push(ReadFailure::new(
                input,
                "URLs are read only where fetching is enabled",
            ));
            return out;
        };
        return read_url(input, fetcher);
    }
    let bytes = match load(input) {
        Ok(b) => b,
        Err(reason) => {
            let mut out = ReadOutput::default();
            out.failures.push(ReadFailure::new(input, reason));
            return out;
        }
    };
    read::read_bytes(input, &bytes)
}

/// Fetches a URL and reads it; a feed's item pages are fetched and replace the items' summaries.
pub fn read_url(url: &str, fetcher: &Fetcher) -> ReadOutput {
    let mut out = match fetcher.get(url, None) {
        Ok(Fetched::Body {
            bytes,
            content_type,
            ..
        }) => read::read_bytes_typed(url, &bytes, content_type.as_deref()),
        Ok(Fetched::NotModified) => ReadOutput::default(),
        Err(e) => {
            let mut out = ReadOutput::default();
            out.failures.push(ReadFailure::new(url, e.0));
            return out;
        }
    };
    fetch_item_pages(&mut out.articles, fetcher, &mut out.failures);
    out
}

/// Replaces feed items' bodies with their pages (at most [`MAX_FEED_PAGES`]); a page that cannot be
/// fetched leaves the item's summary and adds a failure line.
pub fn fetch_item_pages(
    items: &mut [parallax_core::model::RawArticle],
    fetcher: &Fetcher,
    failures: &mut Vec<ReadFailure>,
) {
    for raw in items
        .iter_mut()
        .filter(|r| r.source.contains('#'))
        .take(MAX_FEED_PAGES)
    {
        let Some(link) = raw.url.clone() else {
            continue;
        };
        match fetcher.get(&link, None) {
            Ok(Fetched::Body {
                bytes,
                content_type,
                ..
            }) => {
                let page = read::read_bytes_typed(&link, &bytes, content_type.as_deref());
                if let Some(p) = page.articles.into_iter().next() {
                    raw.body = p.body;
                }
            }
            Ok(Fetched::NotModified) => {}
            Err(e) => failures.push(ReadFailure::new(
                link,
                format!("{} (the feed's summary is kept)", e.0),
            )),
        }
    }
}

fn load(input: &str) -> Result<Vec<u8>, String> {
    let cap = MAX_FILE_BYTES;
    let mut buf = Vec::new();
    let res = if input == "-" {
        std::io::stdin().lock().take(cap + 1).read_to_end(&mut buf)
    } else {
        let f = std::fs::File::open(input).map_err(|e| e.to_string())?;
        f.take(cap + 1).read_to_end(&mut buf)
    };
    res.map_err(|e| e.to_string())?;
    if buf.len() as u64 > cap {
        return Err(format!("larger than the {} MB limit", cap >> 20));
    }
    Ok(buf)
}
