//! Inputs from the outside: files, directories (recursive, sorted), and stdin (`-`), read with a size cap so
//! no input can exhaust memory. Each input's bytes go to the core readers.

use crate::fetch::{Fetched, Fetcher};
use parallax_core::read::{self, ReadFailure, ReadOutput, MAX_ARCHIVE_BYTES};
use std::io::{BufRead, Read};
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

/// Longest JSONL line read; a longer one is skipped with a failure line (memory stays bounded).
const MAX_LINE_BYTES: usize = read::MAX_DOCUMENT_BYTES;

/// One input, opened: a JSONL input (a file, gzipped or not, or stdin) is streamed a slice of records at a
/// time, so a file of any size is read in bounded memory; any other input is read whole.
pub enum Opened {
    /// A JSONL input, read on demand.
    Stream(JsonlStream),
    /// What the input held.
    Whole(ReadOutput),
}

/// A JSONL input read a slice at a time.
pub struct JsonlStream {
    source: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    buf: Vec<u8>,
    /// The current slice's lines, one after another: kept from slice to slice, so a slice's two megabytes
    /// are neither grown by copying nor asked afresh from the system (each fresh page is zeroed) every time.
    bytes: Vec<u8>,
    done: bool,
}

impl JsonlStream {
    /// The next slice of at most `max` lines (the records and failures among them); `None` at the end. The
    /// lines are gathered first and parsed on every core: JSON parsing was a tenth of a JSONL ingest's work,
    /// all of it on one thread while the others waited.
    pub fn next_slice(&mut self, max: usize) -> Option<ReadOutput> {
        if self.done {
            return None;
        }
        // The lines' bytes one after another; per line its number and its range (`None`: too long).
        let mut bytes = std::mem::take(&mut self.bytes);
        bytes.clear();
        let mut lines: Vec<(usize, Option<std::ops::Range<usize>>)> = Vec::new();
        let mut failed = None;
        while lines.len() < max {
            self.buf.clear();
            match read_line_capped(&mut *self.reader, &mut self.buf, MAX_LINE_BYTES) {
                Ok(None) => {
                    self.done = true;
                    break;
                }
                Ok(Some(too_long)) => {
                    self.line += 1;
                    let range = (!too_long).then(|| {
                        bytes.extend_from_slice(&self.buf);
                        bytes.len() - self.buf.len()..bytes.len()
                    });
                    lines.push((self.line, range));
                }
                Err(e) => {
                    failed = Some(ReadFailure::new(
                        format!("{} line {}", self.source, self.line + 1),
                        format!("cannot read further: {e}"),
                    ));
                    self.done = true;
                    break;
                }
            }
        }
        use rayon::prelude::*;
        let source = self.source.as_str();
        let parts: Vec<ReadOutput> = lines
            .par_chunks(256)
            .map(|chunk| {
                let mut out = ReadOutput::default();
                for (n, range) in chunk {
                    match range {
                        Some(r) => read::read_jsonl_line(source, *n, &bytes[r.clone()], &mut out),
                        None => out.failures.push(ReadFailure::new(
                            format!("{source} line {n}"),
                            format!("line longer than {} MB", MAX_LINE_BYTES >> 20),
                        )),
                    }
                }
                out
            })
            .collect();
        let mut out = ReadOutput::default();
        for p in parts {
            out.articles.extend(p.articles);
            out.failures.extend(p.failures);
            out.feeds.extend(p.feeds);
        }
        out.failures.extend(failed);
        self.bytes = bytes;
        Some(out)
    }
}

/// Reads one line (without its end) into `buf`, keeping at most `cap` bytes; the rest of a longer line is
/// read and dropped. `Ok(None)` at the end of input, `Ok(Some(true))` for a line that was too long.
fn read_line_capped(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<Option<bool>> {
    let mut any = false;
    let mut too_long = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok(any.then_some(too_long));
        }
        any = true;
        let (take, end) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if buf.len() + take > cap {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(take + usize::from(end));
        if end {
            return Ok(Some(too_long));
        }
    }
}

/// Files up to this size are read whole at once; larger ones stream.
const WHOLE_FILE_MAX: u64 = 8 << 20;
/// Gzipped files among them are inflated whole when they inflate to no more than this.
const WHOLE_GZIP_MAX_INFLATED: usize = 64 << 20;

/// Reads a small file whole: a page (inflated whole when gzipped), or a JSONL stream over the bytes.
/// `Err` gives back gzipped bytes the whole-buffer inflate does not take, to be streamed.
fn read_small(input: &str, file: &mut std::fs::File, len: u64) -> Result<Opened, Vec<u8>> {
    let mut bytes = Vec::with_capacity(len as usize + 1);
    if let Err(e) = file.read_to_end(&mut bytes) {
        let mut out = ReadOutput::default();
        out.failures.push(ReadFailure::new(input, e.to_string()));
        return Ok(Opened::Whole(out));
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        bytes = read::gunzip_whole(&bytes, WHOLE_GZIP_MAX_INFLATED).ok_or(bytes)?;
    }
    if !bytes.is_empty() && read::detect(input, &bytes) == read::Format::Jsonl {
        return Ok(Opened::Stream(JsonlStream {
            source: input.to_string(),
            reader: Box::new(std::io::Cursor::new(bytes)),
            line: 0,
            buf: Vec::new(),
            bytes: Vec::new(),
            done: false,
        }));
    }
    Ok(Opened::Whole(read::read_vec(input, bytes)))
}

/// The uncompressed size a gzip file's trailer states ([`read::gzip_size_hint`]); 0 when it cannot be read.
fn gzip_file_size_hint(path: &str) -> usize {
    use std::io::{Seek, SeekFrom};
    let mut tail = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| {
            f.seek(SeekFrom::End(-4))?;
            f.read_exact(&mut tail)
        })
        .map_or(0, |()| read::gzip_size_hint(&tail))
}

/// Opens one input: see [`Opened`]. URLs (with a fetcher) and inputs of other formats are read whole, as
/// [`read_one`] does.
pub fn open(input: &str, fetcher: Option<&Fetcher>) -> Opened {
    if input.starts_with("http://") || input.starts_with("https://") {
        return Opened::Whole(read_one(input, fetcher));
    }
    let reader: Box<dyn Read + Send> = if input == "-" {
        Box::new(std::io::stdin())
    } else {
        let mut file = match std::fs::File::open(input) {
            Ok(f) => f,
            Err(e) => {
                let mut out = ReadOutput::default();
                out.failures.push(ReadFailure::new(input, e.to_string()));
                return Opened::Whole(out);
            }
        };
        let len = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        match len.filter(|&n| n <= WHOLE_FILE_MAX) {
            // A page-sized file is read whole in one go and, gzipped, inflated whole (see
            // `read::gunzip_whole`); what that cannot take (several members, broken data) streams below.
            Some(n) => match read_small(input, &mut file, n) {
                Ok(opened) => return opened,
                Err(packed) => Box::new(std::io::Cursor::new(packed)),
            },
            None => Box::new(file),
        }
    };
    let mut head = std::io::BufReader::with_capacity(1 << 20, reader);
    let (gzip, jsonl) = {
        let peek = head.fill_buf().unwrap_or_default();
        let gzip = peek.starts_with(&[0x1f, 0x8b]);
        (
            gzip,
            !gzip && !peek.is_empty() && read::detect(input, peek) == read::Format::Jsonl,
        )
    };
    if jsonl {
        return Opened::Stream(JsonlStream {
            source: input.to_string(),
            reader: Box::new(head),
            line: 0,
            buf: Vec::new(),
            bytes: Vec::new(),
            done: false,
        });
    }
    if gzip && input != "-" {
        // Detection looks at the first 2 KB: a small buffer is enough.
        let mut gz =
            std::io::BufReader::with_capacity(16 << 10, flate2::read::MultiGzDecoder::new(head));
        let jsonl = {
            let peek = gz.fill_buf().unwrap_or_default();
            !peek.is_empty() && read::detect(input, peek) == read::Format::Jsonl
        };
        if jsonl {
            return Opened::Stream(JsonlStream {
                source: input.to_string(),
                reader: Box::new(gz),
                line: 0,
                buf: Vec::new(),
                bytes: Vec::new(),
                done: false,
            });
        }
        // Not JSONL: the rest of the page is inflated after what was peeked, and read whole, into a buffer
        // sized from the gzip trailer so it is not grown and copied as it fills.
        let mut bytes = Vec::with_capacity(gzip_file_size_hint(input).min(MAX_ARCHIVE_BYTES) + 64);
        let mut out = ReadOutput::default();
        match read::read_gzip(gz, MAX_ARCHIVE_BYTES, &mut bytes) {
            Ok(()) => out = read::read_vec(input, bytes),
            Err(reason) => out.failures.push(ReadFailure::new(input, reason)),
        }
        return Opened::Whole(out);
    }
    // The rest of the input after what was peeked, within the size cap.
    let mut bytes = Vec::new();
    let res = head.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes);
    let mut out = ReadOutput::default();
    match res {
        Err(e) => out.failures.push(ReadFailure::new(input, e.to_string())),
        Ok(_) if bytes.len() as u64 > MAX_FILE_BYTES => out.failures.push(ReadFailure::new(
            input,
            format!("larger than the {} MB limit", MAX_FILE_BYTES >> 20),
        )),
        Ok(_) => out = read::read_vec(input, bytes),
    }
    Opened::Whole(out)
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
    read::read_vec(input, bytes)
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
