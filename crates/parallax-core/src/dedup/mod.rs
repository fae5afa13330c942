//! Exact and near-duplicate detection. Exact: a hash of the lower-cased words. Near: MinHash over word
//! 5-shingles with banded LSH, so a syndicated wire copy with a changed dateline or a trimmed tail is linked
//! to the first copy seen. Written on xxh3 (about a hundred lines) so signatures are plain bytes the store
//! keeps; no crate stores its index in a form another process can reload.

use crate::model::ArticleId;
use crate::text::{self, mix};

/// Number of MinHash values in a signature (one per bit of a `u64`, which tracks the filled bins).
pub const SIG_LEN: usize = 64;
const BANDS: usize = 16;
const ROWS: usize = SIG_LEN / BANDS;
/// Estimated Jaccard similarity of shingle sets above which two texts are copies.
pub const COPY_THRESHOLD: f32 = 0.7;
const SHINGLE: usize = 5;

/// A MinHash signature.
pub type Signature = [u32; SIG_LEN];

/// The exact key of a text without a word (empty, or only punctuation): such a text copies nothing and is
/// copied by nothing.
pub const WORDLESS: u64 = 0x243F_6A88_85A3_08D3;

/// Both keys of a text in one pass over its words: the exact key and the MinHash signature.
pub fn keys(body: &str) -> (u64, Option<Signature>) {
    with_word_hashes(body, |words| {
        let exact = words
            .iter()
            .fold(WORDLESS, |h, w| mix(h.rotate_left(17) ^ w));
        (exact, signature_of(words))
    })
}

thread_local! {
    /// The word hashes of the text being keyed: one buffer per thread, reused (a text's buffer is four times
    /// its size, and a fresh one per article was a fresh page of memory to fault in and clear).
    static WORD_HASHES: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` over the word hashes of `body`, held in this thread's buffer.
fn with_word_hashes<T>(body: &str, f: impl FnOnce(&[u64]) -> T) -> T {
    WORD_HASHES.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            let n = word_hashes_into(body, &mut buf);
            let out = f(&buf[..n]);
            // A rare long text does not keep its buffer's size for the thread's life.
            if buf.capacity() > 1 << 20 {
                *buf = Vec::new();
            }
            out
        }
        Err(_) => f(&word_hashes(body)),
    })
}

/// Hashes of the words of `body` (maximal runs of letters and digits), lower-cased. Written as one scan
/// over the bytes (FNV-1a per byte, finished by a mixer) rather than through [`text::words`]: dedup reads
/// every article's whole text, and this is several times faster than tokenising, copying and hashing each
/// word; inner punctuation ("U.S.", "it's") splits words here, which two copies of a text do alike.
/// Each ASCII byte lower-cased when it is a letter or a digit, 0 when it separates words: one load instead of
/// two range tests and a case change per byte.
const ASCII_WORD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

fn word_hashes(body: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let n = word_hashes_into(body, &mut out);
    out.truncate(n);
    out
}

/// [`word_hashes`] into the first places of `out`, grown as needed (what it held is overwritten, not
/// cleared first: each place is written before it is read); returns the number of words.
fn word_hashes_into(body: &str, out: &mut Vec<u64>) -> usize {
    const OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01B3;
    let bytes = body.as_bytes();
    // A text of n bytes holds at most n / 2 + 1 words: room for each without a test per byte.
    let room = bytes.len() / 2 + 2;
    if out.len() < room {
        out.resize(room, 0);
    }
    let mut n = 0;
    let mut h = OFFSET;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            // ASCII without a branch on the byte: the word's hash is written at each byte and kept (the
            // count moves on) where a word ends, which spares a mispredicted branch per word.
            i += 1;
            let c = ASCII_WORD[b as usize];
            let is = c != 0;
            out[n] = h;
            n += usize::from(in_word & !is);
            let next = (h ^ u64::from(c)).wrapping_mul(PRIME);
            h = if is { next } else { OFFSET };
            in_word = is;
            continue;
        }
        let c = body[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                let mut enc = [0u8; 4];
                for &x in l.encode_utf8(&mut enc).as_bytes() {
                    h = (h ^ u64::from(x)).wrapping_mul(PRIME);
                }
            }
            in_word = true;
        } else {
            if in_word {
                out[n] = h;
                n += 1;
            }
            h = OFFSET;
            in_word = false;
        }
    }
    if in_word {
        out[n] = h;
        n += 1;
    }
    out[..n].iter_mut().for_each(|x| *x = mix(*x));
    n
}

/// Hash of the text's words, lower-cased: equal for texts that differ only in spacing, case and punctuation.
pub fn exact_key(body: &str) -> u64 {
    keys(body).0
}

/// The MinHash signature of a text; `None` for texts too short to judge (fewer than 20 words).
pub fn signature(body: &str) -> Option<Signature> {
    with_word_hashes(body, signature_of)
}

/// One-permutation MinHash (Li, Owen and Zhang 2012) with densification (Shrivastava 2017): each shingle is
/// hashed once, the hash's top bits pick one of the `SIG_LEN` bins and the bin keeps its least value; a bin no
/// shingle fell into borrows the value of the next filled bin, re-hashed with the distance, so two texts'
/// signatures agree in a slot with probability equal to their Jaccard similarity. Each word is hashed once
/// (lower-cased); a shingle's hash combines its words' hashes, so no shingle string is ever built.
fn signature_of(words: &[u64]) -> Option<Signature> {
    if words.len() < 20 {
        return None;
    }
    let mut sig = [u32::MAX; SIG_LEN];
    let mut filled = 0u64;
    for win in words.windows(SHINGLE) {
        let mut base = 0u64;
        for (k, h) in win.iter().enumerate() {
            base ^= h.rotate_left(k as u32 * 13);
        }
        let h = mix(base);
        let bin = (h >> (64 - SIG_LEN.trailing_zeros())) as usize;
        let v = h as u32;
        filled |= 1 << bin;
        if v < sig[bin] {
            sig[bin] = v;
        }
    }
    if filled != u64::MAX {
        let full = sig;
        for (i, slot) in sig.iter_mut().enumerate() {
            if filled & (1 << i) != 0 {
                continue;
            }
            // The next filled bin, circularly (at least one is: there are 16 or more shingles).
            let d = (1..SIG_LEN)
                .find(|d| filled & (1 << ((i + d) % SIG_LEN)) != 0)
                .unwrap_or(0);
            *slot = mix(u64::from(full[(i + d) % SIG_LEN]) ^ ((d as u64) << 32)) as u32;
        }
    }
    Some(sig)
}

/// Estimated Jaccard similarity of two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f32 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / SIG_LEN as f32
}

/// Signatures seen so far, banded for lookup.
///
/// Each band bucket is a chain through the originals that fell in it: the bucket's key (band and band hash
/// in one [`text::hash64`]) maps to its latest original, and `next` holds, for each original and band, the
/// one before it. With its signature and id, an original takes about 1,050 bytes, against 2,300 with a
/// vector per bucket (`examples/copy_index_bench`, a million originals of distinct texts).
#[derive(Debug, Default)]
pub struct CopyIndex {
    exact: std::collections::HashMap<u64, ArticleId, text::Prehashed>,
    sigs: Vec<(ArticleId, Signature)>,
    heads: std::collections::HashMap<u64, u32, text::Prehashed>,
    next: Vec<u32>,
}

/// The end of a band bucket's chain.
const END: u32 = u32::MAX;

impl CopyIndex {
    /// Empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// The first-seen article this text copies, if any (exact first, then near).
    pub fn find(&self, exact: u64, sig: Option<&Signature>) -> Option<(ArticleId, f32)> {
        if let Some(id) = self.exact.get(&exact) {
            return Some((id.clone(), 1.0));
        }
        let sig = sig?;
        let mut best: Option<(u32, f32)> = None;
        // A near copy shares most bands with its original: each candidate is measured once, band by band
        // and, within a band, oldest first.
        let mut seen: Vec<u32> = Vec::new();
        let mut bucket: Vec<u32> = Vec::new();
        // The sixteen lookups first, independent of each other, so their cache misses overlap.
        let mut heads = [END; BANDS];
        for (b, h) in heads.iter_mut().enumerate() {
            *h = self.heads.get(&band_key(sig, b)).copied().unwrap_or(END);
        }
        for (b, &head) in heads.iter().enumerate() {
            if head == END {
                continue;
            }
            bucket.clear();
            let mut i = head;
            while i != END {
                bucket.push(i);
                i = self.next[i as usize * BANDS + b];
            }
            for &i in bucket.iter().rev() {
                if seen.contains(&i) {
                    continue;
                }
                seen.push(i);
                let s = similarity(sig, &self.sigs[i as usize].1);
                if s >= COPY_THRESHOLD && best.is_none_or(|(_, bs)| s > bs) {
                    best = Some((i, s));
                }
            }
        }
        best.map(|(i, s)| (self.sigs[i as usize].0.clone(), s))
    }

    /// Remembers an original (copies are not added: the first-seen twin stays the one linked to).
    pub fn insert(&mut self, id: ArticleId, exact: u64, sig: Option<Signature>) {
        self.exact.entry(exact).or_insert_with(|| id.clone());
        if let Some(sig) = sig {
            let i = self.sigs.len() as u32;
            for b in 0..BANDS {
                let before = self.heads.insert(band_key(&sig, b), i).unwrap_or(END);
                self.next.push(before);
            }
            self.sigs.push((id, sig));
        }
    }
}

/// A band bucket's key: the band's number and its rows, hashed together.
fn band_key(sig: &Signature, band: usize) -> u64 {
    let mut bytes = [0u8; ROWS * 4 + 1];
    for (k, v) in sig[band * ROWS..(band + 1) * ROWS].iter().enumerate() {
        bytes[k * 4..k * 4 + 4].copy_from_slice(&v.to_le_bytes());
    }
    bytes[ROWS * 4] = band as u8;
    text::hash64(&bytes)
}

/// Signature to bytes for storage.
pub fn sig_to_bytes(sig: &Signature) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Bytes from storage to a signature.
pub fn sig_from_bytes(b: &[u8]) -> Option<Signature> {
    if b.len() != SIG_LEN * 4 {
        return None;
    }
    let mut s = [0u32; SIG_LEN];
    for (i, c) in b.chunks_exact(4).enumerate() {
        s[i] = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "MOSCOW (Reuters) - A strong earthquake struck off the coast early on Tuesday, damaging \
        buildings in two towns and cutting power to thousands of homes, officials said, adding that rescue teams \
        were searching the rubble for survivors while aftershocks continued through the morning hours.";

    #[test]
    fn keys_stay_what_stores_hold() {
        // Stores keep these keys: a change to the hashing would unlink every stored copy from new ones.
        assert_eq!(exact_key(WIRE), 0xc460_c8ef_35b6_6a05);
        let sig = signature(WIRE).expect("long enough");
        assert_eq!(sig[..4], [2323008638, 2522989504, 3118167330, 963151270]);
        // Case, spacing and punctuation do not change the key; accented letters go through the slow path.
        assert_eq!(
            exact_key(&WIRE.to_uppercase().replace(' ', "  ")),
            exact_key(WIRE)
        );
        assert_ne!(exact_key("Café ouvert"), exact_key("Cafe ouvert"));
        assert_eq!(exact_key("CAFÉ, ouvert!"), exact_key("café ouvert"));
    }

    #[test]
    fn word_hashes_match_words_hashed_one_by_one() {
        // The plain definition: runs of letters and digits, lower-cased, FNV-1a over their UTF-8, mixed.
        let plain = |text: &str| -> Vec<u64> {
            text.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let lower: String = w.chars().flat_map(char::to_lowercase).collect();
                    let h = lower.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
                        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
                    });
                    mix(h)
                })
                .collect()
        };
        for text in [
            WIRE,
            "",
            "a",
            " a b  c ",
            "U.S. officials, it's 9:30 — Ünïcödé İstanbul «Київ» 東京 ok!",
            "ΑΘΗΝΑ—ends in a word",
            "x\u{00A0}y\tz\n",
        ] {
            assert_eq!(word_hashes(text), plain(text), "{text}");
        }
    }

    #[test]
    fn wire_copy_with_new_dateline_is_found() {
        let mut idx = CopyIndex::new();
        idx.insert(ArticleId("a".into()), exact_key(WIRE), signature(WIRE));
        let copy = WIRE.replace("MOSCOW (Reuters) -", "(Reuters) -") + " Reporting by Jane Doe.";
        let hit = idx.find(exact_key(&copy), signature(&copy).as_ref());
        assert_eq!(hit.map(|h| h.0 .0), Some("a".to_string()));
        let other = "The council voted on Tuesday to close the old bridge for repairs next month, and the repairs \
            are expected to take six weeks and cost about two million euros in total, the mayor said.";
        assert!(idx
            .find(exact_key(other), signature(other).as_ref())
            .is_none());
    }

    #[test]
    fn of_equally_close_originals_the_first_seen_is_linked() {
        // Three originals in the same band buckets (same near text, told apart by their exact keys), among
        // unrelated ones: a copy links to the first seen, through every bucket's chain.
        let mut idx = CopyIndex::new();
        let sig = signature(WIRE);
        for (i, id) in ["first", "second", "third"].iter().enumerate() {
            idx.insert(ArticleId(id.to_string()), i as u64, sig);
            let other =
                format!("Unrelated report number {i} about a council vote on a new library wing.");
            idx.insert(
                ArticleId(format!("x{i}")),
                exact_key(&other),
                signature(&other),
            );
        }
        let hit = idx.find(exact_key(WIRE), sig.as_ref());
        assert_eq!(hit.map(|h| (h.0 .0, h.1)), Some(("first".to_string(), 1.0)));
    }

    #[test]
    fn exact_ignores_spacing_and_case() {
        assert_eq!(exact_key("Hello,  World!"), exact_key("hello world"));
    }
}
