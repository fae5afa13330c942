//! Any bytes, under any of the names that steer format detection, through the readers: HTML, text,
//! Markdown, feeds, OPML, WARC, JSONL, gzip. Must never panic. Gzip inflated whole (libdeflate, called
//! directly) must give what the streaming decoder gives, whenever it gives anything.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(whole) = parallax_core::read::gunzip_whole(data, 1 << 20) {
        let mut streamed = Vec::new();
        let read = std::io::Read::read_to_end(
            &mut flate2::read::MultiGzDecoder::new(data),
            &mut streamed,
        );
        assert!(read.is_ok() && streamed == whole, "whole and streamed inflate differ");
    }
    for name in ["x", "x.html", "x.txt", "x.md", "x.jsonl", "x.warc", "x.xml"] {
        let _ = parallax_core::read::read_bytes(name, data);
    }
});
