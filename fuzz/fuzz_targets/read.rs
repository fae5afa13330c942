//! Any bytes, under any of the names that steer format detection, through the readers: HTML, text,
//! Markdown, feeds, OPML, WARC, JSONL, gzip. Must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["x", "x.html", "x.txt", "x.md", "x.jsonl", "x.warc", "x.xml"] {
        let _ = parallax_core::read::read_bytes(name, data);
    }
});
