//! Bytes to text: gzip with a size cap, byte-order marks, the charset an HTML page declares, and a guess
//! (chardetng) when nothing is declared and the bytes are not UTF-8.

use std::borrow::Cow;
use std::io::Read;

/// Decompresses gzip (several members too, as in WARC files), refusing more than `limit` bytes.
pub(crate) fn gunzip(bytes: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    if let Some(out) = gunzip_whole(bytes, limit) {
        return Ok(out);
    }
    // Enough room is taken at once, so the buffer is not grown and copied as it fills.
    let mut out = Vec::with_capacity(gzip_size_hint(bytes).min(limit));
    read_gzip(flate2::read::MultiGzDecoder::new(bytes), limit, &mut out)?;
    Ok(out)
}

/// Decompresses gzip data held whole in one call of libdeflate (about twice as fast as a streaming inflate on
/// news pages), when it is a single member whose trailer states its size, within `limit`. `None` for
/// anything else (several members, a size the trailer gets wrong, broken or truncated data): the streaming
/// decoder then reads it, and names what is wrong.
///
/// Written here on the C library's own entry point: the Rust wrapper (`libdeflater`) does not say how much
/// input was used, which is how a file of several members is told from one.
pub fn gunzip_whole(bytes: &[u8], limit: usize) -> Option<Vec<u8>> {
    use libdeflate_sys as ld;
    struct Decompressor(*mut ld::libdeflate_decompressor);
    impl Drop for Decompressor {
        fn drop(&mut self) {
            // SAFETY: allocated by `libdeflate_alloc_decompressor`, freed once, here.
            unsafe { ld::libdeflate_free_decompressor(self.0) }
        }
    }
    thread_local! {
        // SAFETY: allocation has no preconditions; a null result (no memory) is checked before use.
        static DECOMPRESSOR: Decompressor = Decompressor(unsafe { ld::libdeflate_alloc_decompressor() });
    }
    let size = gzip_size_hint(bytes);
    if size == 0 || size > limit {
        return None;
    }
    let mut out: Vec<u8> = Vec::with_capacity(size);
    let (mut used, mut written) = (0usize, 0usize);
    let ok = DECOMPRESSOR.with(|d| {
        !d.0.is_null()
            // SAFETY: the decompressor is this thread's own; the input is a live slice of the length
            // passed; the output is the vector's spare capacity, of which libdeflate writes at most `size`
            // bytes (it never reads them).
            && unsafe {
                ld::libdeflate_gzip_decompress_ex(
                    d.0,
                    bytes.as_ptr().cast(),
                    bytes.len(),
                    out.spare_capacity_mut().as_mut_ptr().cast(),
                    size,
                    &mut used,
                    &mut written,
                )
            } == ld::libdeflate_result_LIBDEFLATE_SUCCESS
    });
    if !(ok && used == bytes.len() && written == size) {
        return None;
    }
    // SAFETY: on success libdeflate wrote `written` (= `size`, within the capacity) bytes from the start.
    unsafe { out.set_len(written) };
    Some(out)
}

/// The uncompressed size stated by the trailer of gzip data ending in `tail` (its last four bytes): the size
/// of the last member only, modulo 4 GiB, so a hint for a buffer, not a limit; 0 when `tail` is too short.
pub fn gzip_size_hint(tail: &[u8]) -> usize {
    tail.len()
        .checked_sub(4)
        .and_then(|t| tail[t..].try_into().ok())
        .map_or(0, |b| u32::from_le_bytes(b) as usize)
}

/// Reads what a gzip decoder gives into `out` (which may already hold its first bytes), refusing more than
/// `limit` bytes in all.
pub fn read_gzip(decoder: impl Read, limit: usize, out: &mut Vec<u8>) -> Result<(), String> {
    let room = (limit + 1).saturating_sub(out.len());
    match decoder.take(room as u64).read_to_end(out) {
        Ok(_) if out.len() > limit => Err(format!(
            "decompresses to more than the {} MB limit",
            limit >> 20
        )),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Err("truncated gzip stream".into())
        }
        Err(e) => Err(format!("broken gzip stream ({e})")),
    }
}

fn bom(bytes: &[u8]) -> Option<(&'static encoding_rs::Encoding, usize)> {
    encoding_rs::Encoding::for_bom(bytes)
}

/// Decodes text that declares nothing: BOM, else UTF-8, else a chardetng guess.
pub fn decode_text(bytes: &[u8]) -> String {
    decode_text_borrowed(bytes).into_owned()
}

/// [`decode_text`] without a copy when the bytes are already UTF-8 (large JSONL inputs).
pub(super) fn decode_text_borrowed(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Some((enc, n)) = bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[n..]).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => guess(bytes).decode_without_bom_handling(bytes).0,
    }
}

fn guess(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(&bytes[..bytes.len().min(64 << 10)], true);
    det.guess(None, chardetng::Utf8Detection::Allow)
}

/// Decodes an HTML page: BOM, then the charset given by the transport (`header_charset`), then a
/// `<meta charset>` / `http-equiv` declaration in the first 4 KB, then UTF-8 if valid, then a guess.
pub fn decode_html(bytes: &[u8], header_charset: Option<&str>) -> String {
    decode_html_cow(Cow::Borrowed(bytes), header_charset)
}

/// [`decode_html`] of bytes the caller may give up: owned bytes that are UTF-8 become the text without a
/// copy.
pub(super) fn decode_html_cow(bytes: Cow<'_, [u8]>, header_charset: Option<&str>) -> String {
    if let Some((enc, n)) = bom(&bytes) {
        return enc.decode_without_bom_handling(&bytes[n..]).0.into_owned();
    }
    let declared = header_charset
        .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(4096)]))
        .map(|enc| {
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                enc
            }
        });
    // Valid UTF-8 is taken as such when the page declares UTF-8 or nothing, and also when it declares
    // another charset but is not plain ASCII: a page that says it is Latin-1 but is valid UTF-8 is almost
    // always UTF-8. (Plain ASCII under another declared charset is decoded with that charset.)
    let bytes = if declared.is_some_and(|e| e != encoding_rs::UTF_8 && bytes.is_ascii()) {
        bytes
    } else {
        match bytes {
            Cow::Owned(v) => match String::from_utf8(v) {
                Ok(s) => return s,
                Err(e) => Cow::Owned(e.into_bytes()),
            },
            Cow::Borrowed(b) => match std::str::from_utf8(b) {
                Ok(s) => return s.to_owned(),
                Err(_) => Cow::Borrowed(b),
            },
        }
    };
    match declared {
        Some(enc) => enc.decode_without_bom_handling(&bytes).0.into_owned(),
        None => decode_text(&bytes),
    }
}

/// The charset a `<meta>` element declares (`<meta charset=...>` or `<meta http-equiv="Content-Type"
/// content="...; charset=...">`), as the HTML prescan reads it: `charset` elsewhere (a `<script
/// charset=...>` an archive's toolbar put first, say) is not a declaration.
fn meta_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i + 5;
        let end = lower[start..]
            .iter()
            .position(|b| *b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        let mut at = 0;
        while let Some(c) = find(&tag[at..], b"charset") {
            let rest = &tag[at + c + 7..];
            let rest = rest.strip_prefix(b" ").unwrap_or(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let mut r = rest;
                while let [b' ' | b'"' | b'\'', tail @ ..] = r {
                    r = tail;
                }
                let len = r
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
                    .unwrap_or(r.len());
                if let Some(enc) = encoding_rs::Encoding::for_label(&r[..len]) {
                    return Some(enc);
                }
            }
            at += c + 7;
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// True when text is mostly not text: control characters or replacement characters in its first 8 KB.
pub(crate) fn looks_binary(text: &str) -> bool {
    // Over the bytes of the first 8 KiB: characters are the bytes that start one; bad ones are the
    // replacement character (EF BF BD) and control characters other than tab, line and page breaks
    // (C0, DEL, and C1 as C2 80..9F).
    let b = &text.as_bytes()[..text.len().min(8192)];
    // Most pages hold none of the bytes that start a bad character: one branch-free pass says so.
    let suspect = b.iter().fold(false, |acc, &c| {
        acc | is_control(c) | (c == 0xC2) | (c == 0xEF)
    });
    if !suspect {
        return false;
    }
    let mut bad = 0usize;
    let mut n = 0usize;
    for (i, &c) in b.iter().enumerate() {
        n += usize::from(c & 0xC0 != 0x80);
        let control = is_control(c);
        let c1 = c == 0xC2 && b.get(i + 1).is_some_and(|d| (0x80..=0x9F).contains(d));
        let replacement = c == 0xEF && b.get(i + 1..i + 3) == Some(&[0xBF, 0xBD][..]);
        bad += usize::from(control || c1 || replacement);
    }
    n > 0 && bad * 20 > n
}

/// A C0 control byte other than tab, line and page breaks, or DEL (branch-free, so the first pass vectorises).
fn is_control(c: u8) -> bool {
    ((c < 0x20) & (c != b'\n') & (c != b'\r') & (c != b'\t') & (c != 0x0C)) | (c == 0x7F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_is_honoured() {
        let page = b"<html><head><meta charset=\"windows-1251\"></head><body>\xcf\xf0\xe8\xe2\xe5\xf2</body></html>";
        assert!(decode_html(page, None).contains("Привет"));
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><p>caf\xe9</p>";
        assert!(decode_html(page, None).contains("café"));
        // A script's charset attribute before the page's own declaration is not the page's charset.
        let page =
            b"<script src=\"a.js\" charset=\"utf-8\"></script><meta http-equiv=\"Content-Type\" \
            content=\"text/html; charset=gb2312\"/><title>\xbb\xb0</title>";
        assert!(
            decode_html(page, None).contains("<title>话</title>"),
            "{}",
            decode_html(page, None)
        );
    }

    #[test]
    fn binary_is_told_from_text() {
        assert!(looks_binary(&"\u{FFFD}ab".repeat(100)));
        assert!(looks_binary(&"\u{0001}\u{0085}xyz".repeat(100)));
        assert!(!looks_binary(
            &"Caf\u{e9} na \u{17c}ywo.\tTab\r\n\u{c}".repeat(100)
        ));
        assert!(!looks_binary(&format!(
            "{}\u{FFFD}",
            "plain text ".repeat(50)
        )));
        assert!(!looks_binary(""));
    }

    #[test]
    fn owned_bytes_decode_as_borrowed_ones() {
        let pages: [&[u8]; 7] = [
            b"<meta charset=\"iso-8859-1\"><p>plain ASCII under Latin-1</p>",
            b"<meta charset=\"utf-16\"><p>caf\xc3\xa9 under UTF-16</p>",
            "<p>Caf\u{e9} \u{17c}ywo</p>".as_bytes(),
            b"<meta charset=\"windows-1251\"><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>",
            b"<meta charset=\"utf-8\"><p>caf\xe9 undeclared Latin-1</p>",
            b"<p>caf\xe9 with nothing declared</p>",
            b"\xef\xbb\xbf<p>after a BOM</p>",
        ];
        for page in pages {
            for header in [None, Some("iso-8859-1")] {
                assert_eq!(
                    decode_html_cow(Cow::Owned(page.to_vec()), header),
                    decode_html(page, header),
                    "{page:?} {header:?}"
                );
            }
        }
        // What each case decodes to.
        let latin1_but_utf8 = b"<meta charset=\"iso-8859-1\"><p>caf\xc3\xa9</p>";
        assert!(decode_html(latin1_but_utf8, None).contains("café"));
        let utf8_but_latin1 = b"<meta charset=\"utf-8\"><p>caf\xe9</p>";
        assert!(decode_html(utf8_but_latin1, None).contains("caf\u{FFFD}"));
        let undeclared_latin1 = b"<p>Le caf\xe9 de la gare a ferm\xe9 ses portes.</p>";
        assert!(decode_html(undeclared_latin1, None).contains("café"));
    }

    #[test]
    fn gzip_is_inflated_whole_only_when_that_is_exact() {
        use std::io::Write;
        let gz = |data: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).expect("in memory");
            e.finish().expect("in memory")
        };
        let page = "<p>Rescuers searched the valley.</p>".repeat(500);
        let one = gz(page.as_bytes());
        assert_eq!(
            gunzip_whole(&one, 1 << 20).as_deref(),
            Some(page.as_bytes())
        );
        assert_eq!(gunzip(&one, 1 << 20).expect("valid"), page.as_bytes());
        // Beyond the limit: not inflated whole, and the streaming reader refuses it.
        assert!(gunzip_whole(&one, 100).is_none());
        assert!(gunzip(&one, 100).is_err());
        // Two members of the same size: the whole-buffer call would stop after the first; the streaming
        // reader reads both.
        let two = [one.clone(), one.clone()].concat();
        assert!(gunzip_whole(&two, 1 << 20).is_none());
        assert_eq!(gunzip(&two, 1 << 20).expect("valid").len(), 2 * page.len());
        // Truncated and corrupted data are left to the streaming reader, which names the fault.
        let cut = &one[..one.len() / 2];
        assert!(gunzip_whole(cut, 1 << 20).is_none());
        assert!(gunzip(cut, 1 << 20).is_err());
        let mut bad = one.clone();
        let mid = bad.len() / 2;
        bad[mid] ^= 0x55;
        assert!(gunzip_whole(&bad, 1 << 20).is_none());
        assert!(gunzip(&bad, 1 << 20).is_err());
    }

    #[test]
    fn invalid_utf8_still_decodes() {
        let s = decode_text(b"caf\xe9 \xc3\x28 broken");
        assert!(s.starts_with("caf"));
    }
}
