//! What clustering looks at in an article: stemmed terms of title and body with weights (title words and
//! names count more; numbers are kept), and the publication day.

use crate::model::Article;
use crate::text;
use chrono::NaiveDate;

/// An article's clustering features: its terms with weights (sub-linear term frequency, boosted for title and
/// names), heaviest first, and its publication day. The terms are kept in one string, so a feature set is two
/// allocations however many terms it holds (features are made on one thread and dropped on another, for
/// every article ingested).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Features {
    /// The terms, one after another.
    text: String,
    /// Per term: where it ends in `text`, and its weight.
    ends: Vec<(u32, f32)>,
    /// Publication day.
    pub day: Option<NaiveDate>,
}

/// The terms of a [`Features`], with their weights.
#[derive(Debug, Clone)]
pub struct Terms<'a> {
    text: &'a str,
    ends: std::slice::Iter<'a, (u32, f32)>,
    at: usize,
}

impl<'a> Iterator for Terms<'a> {
    type Item = (&'a str, f32);

    fn next(&mut self) -> Option<Self::Item> {
        let &(end, w) = self.ends.next()?;
        let start = std::mem::replace(&mut self.at, end as usize);
        Some((&self.text[start..end as usize], w))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ends.size_hint()
    }
}

impl ExactSizeIterator for Terms<'_> {}

impl Features {
    /// Features from terms and weights, in the order given.
    pub fn new<S: AsRef<str>>(
        terms: impl IntoIterator<Item = (S, f32)>,
        day: Option<NaiveDate>,
    ) -> Features {
        let mut f = Features {
            day,
            ..Features::default()
        };
        for (t, w) in terms {
            f.push(t.as_ref(), w);
        }
        f
    }

    fn push(&mut self, term: &str, weight: f32) {
        self.text.push_str(term);
        self.ends.push((self.text.len() as u32, weight));
    }

    /// The terms and their weights.
    pub fn terms(&self) -> Terms<'_> {
        Terms {
            text: &self.text,
            ends: self.ends.iter(),
            at: 0,
        }
    }

    /// The number of terms.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no terms.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// No terms, the same day.
    pub fn dated(day: Option<NaiveDate>) -> Features {
        Features {
            day,
            ..Features::default()
        }
    }
}

/// Most terms kept per article.
const MAX_TERMS: usize = 120;

/// Features of an article, with the default weights.
pub fn features(a: &Article) -> Features {
    features_with(a, &super::Config::default())
}

/// Features of an article with the title and name weights of `cfg`.
pub fn features_with(a: &Article, cfg: &super::Config) -> Features {
    let mut end = a.text.len().min(6000);
    while !a.text.is_char_boundary(end) {
        end -= 1;
    }
    let body = &a.text[..end];
    let an = text::analyzer(a.language.as_deref());
    LEXICON.with(|lex| {
        let mut lex = lex.borrow_mut();
        let lex = &mut *lex;
        add(lex, an, &a.title, cfg.title_weight, cfg.name_boost);
        add(lex, an, body, 1.0, cfg.name_boost);
        let Lexicon {
            terms,
            prefixes,
            counts,
            touched,
            ..
        } = lex;
        // Heaviest first, ties in the terms' byte order (most terms weigh the same: they occur once). Each
        // term is ranked by one number: its weight (descending, in `total_cmp`'s order), its first eight
        // bytes and its number (see [`rank`]).
        let keys: Vec<u128> = touched
            .drain(..)
            .map(|t| {
                let c = std::mem::take(&mut counts[t as usize]);
                // Most terms occur once, unboosted: ln 1 is 0, without the call.
                let w = if c == 1.0 { 1.0 } else { 1.0 + c.ln() };
                (u128::from(descending(w)) << 96)
                    | (u128::from(prefixes[t as usize]) << 32)
                    | u128::from(t)
            })
            .collect();
        let ranked = rank(keys, terms, MAX_TERMS);
        let mut f = Features {
            text: String::with_capacity(ranked.len() * 8),
            ends: Vec::with_capacity(ranked.len()),
            day: a.day(),
        };
        for k in ranked {
            f.push(&terms[k as u32 as usize], weight((k >> 96) as u32));
        }
        f
    })
}

/// The `limit` first of a text's terms, in order: heaviest first, ties in the terms' byte order. A term
/// comes as one number (its weight as [`descending`], its first eight bytes zero-padded, its number in
/// `terms`), so most of the ranking compares plain numbers; only terms of one weight that share their
/// first eight bytes (a group) are then ordered by their bytes. The terms differ, so the order is total.
fn rank(mut keys: Vec<u128>, terms: &[Box<str>], limit: usize) -> Vec<u128> {
    let group = |k: u128| k >> 32;
    let bytes = |a: &u128, b: &u128| terms[*a as u32 as usize].cmp(&terms[*b as u32 as usize]);
    if keys.len() > limit && limit > 0 {
        keys.select_nth_unstable(limit - 1);
        let edge = group(keys[limit - 1]);
        // The last group kept may go on among the rest: which of its terms are kept is up to their bytes.
        if keys[limit..].iter().any(|&k| group(k) == edge) {
            let kept = keys[..limit].iter().filter(|&&k| group(k) == edge).count();
            let mut tied: Vec<u128> = keys.iter().copied().filter(|&k| group(k) == edge).collect();
            tied.sort_unstable_by(bytes);
            keys.truncate(limit);
            keys.retain(|&k| group(k) != edge);
            keys.extend_from_slice(&tied[..kept]);
        }
    }
    keys.truncate(limit);
    keys.sort_unstable();
    let mut i = 0;
    while i < keys.len() {
        let g = group(keys[i]);
        let j = i + keys[i..].iter().take_while(|&&k| group(k) == g).count();
        if j - i > 1 {
            keys[i..j].sort_unstable_by(bytes);
        }
        i = j;
    }
    keys
}

/// A number whose ascending order is `w`'s descending order under `f32::total_cmp`.
fn descending(w: f32) -> u32 {
    let bits = w.to_bits();
    !(if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    })
}

/// The weight [`descending`] made `d` of.
fn weight(d: u32) -> f32 {
    let e = !d;
    f32::from_bits(if e >> 31 == 1 { e ^ 1 << 31 } else { !e })
}

/// A per-thread table from words (of a language) to their content terms, numbered, with the running counts of the article
/// being read. Words repeat (Zipf), so each distinct word is lower-cased and stemmed once per thread, and an
/// article's counts are added by number rather than by hashing its terms again. Written by hand: it is a
/// cache shaped for this one loop.
#[derive(Default)]
struct Lexicon {
    /// A word's key ([`word_key`], mixed with its language's [`text::Analyzer::salt`]) -> its term's number
    /// (`NONE` for stop words and one-letter words). Keyed
    /// by the key alone, which spares comparing the word's bytes on every hit; two of the few hundred
    /// thousand words a table holds share a key with odds of about one in 200 million.
    words: std::collections::HashMap<u64, u32, text::Prehashed>,
    /// Term -> its number.
    numbers: rustc_hash::FxHashMap<Box<str>, u32>,
    /// Number -> term.
    terms: Vec<Box<str>>,
    /// Number -> the term's first eight bytes as a big-endian number (zero-padded): ordered as the terms are
    /// unless equal, so most comparisons of two terms are one comparison of numbers.
    prefixes: Vec<u64>,
    /// Number -> count in the article being read (0 for terms it has not used).
    counts: Vec<f32>,
    /// Numbers of the terms the article being read has used, in first-use order.
    touched: Vec<u32>,
}

const NONE: u32 = u32::MAX;

/// Words remembered per thread before the table starts over (between articles).
const LEXICON_WORDS: usize = 400_000;

thread_local! {
    static LEXICON: std::cell::RefCell<Lexicon> = std::cell::RefCell::new(Lexicon::default());
}

impl Lexicon {
    fn number(&mut self, an: &text::Analyzer, word: &str) -> u32 {
        let key = word_key(word.as_bytes()) ^ an.salt;
        if let Some(&n) = self.words.get(&key) {
            return n;
        }
        if self.words.len() >= LEXICON_WORDS && self.touched.is_empty() {
            self.words.clear();
            self.numbers.clear();
            self.terms.clear();
            self.prefixes.clear();
            self.counts.clear();
        }
        let n = match an.content_term(word) {
            None => NONE,
            Some(t) => match self.numbers.get(t.as_str()) {
                Some(&n) => n,
                None => {
                    let n = self.terms.len() as u32;
                    let mut head = [0u8; 8];
                    let len = t.len().min(8);
                    head[..len].copy_from_slice(&t.as_bytes()[..len]);
                    self.prefixes.push(u64::from_be_bytes(head));
                    self.numbers.insert(t.clone().into_boxed_str(), n);
                    self.terms.push(t.into_boxed_str());
                    self.counts.push(0.0);
                    n
                }
            },
        };
        self.words.insert(key, n);
        n
    }
}

/// A word's key in [`Lexicon::words`]: a word of up to eight bytes (most words) is read as a number in one
/// or two loads, told apart by its length, and mixed ([`text::mix`]); longer words are hashed
/// ([`text::hash64`]). Two words of up to three bytes, or two of the same length up to eight, never share a
/// key; other pairs do with odds of about one in 2^64.
fn word_key(w: &[u8]) -> u64 {
    let n = w.len();
    let x = match n {
        0 => 0,
        1..=3 => {
            u64::from(w[0])
                | u64::from(w[n / 2]) << 8
                | u64::from(w[n - 1]) << 16
                | (n as u64) << 24
        }
        4..=8 => {
            let head = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
            let tail = u32::from_le_bytes([w[n - 4], w[n - 3], w[n - 2], w[n - 1]]);
            (u64::from(head) | u64::from(tail) << 32).wrapping_add((n as u64) << 59)
        }
        _ => return text::hash64(w),
    };
    text::mix(x)
}

fn add(lex: &mut Lexicon, an: &text::Analyzer, s: &str, weight: f32, name_boost: f32) {
    let mut first = true;
    let bytes = s.as_bytes();
    for (at, w) in text::words(s) {
        // The next word starts a sentence when this one is followed by a full stop, a question or
        // exclamation mark (after spaces or closing quotes), or a line break; a full stop after a short
        // capitalised word is taken for an abbreviation (Mr., Dr., U.S.).
        let after = bytes[at + w.len()..]
            .iter()
            .copied()
            .find(|b| !matches!(b, b' ' | b'\t' | b'"' | b'\'' | b')'));
        // A word is never empty; its first byte settles its case when it is ASCII.
        let head = w.as_bytes()[0];
        let abbreviation = w.len() <= 3 && head.is_ascii_uppercase();
        let ends = match after {
            Some(b'.') => !abbreviation,
            Some(b'!' | b'?' | b'\n' | b':') => true,
            _ => false,
        };
        let t = lex.number(an, w);
        if t == NONE {
            first = ends;
            continue;
        }
        let name = !first
            && if head < 0x80 {
                head.is_ascii_uppercase()
            } else {
                w.chars().next().is_some_and(char::is_uppercase)
            };
        let x = weight * if name { name_boost } else { 1.0 };
        first = ends;
        if x <= 0.0 {
            continue;
        }
        let c = &mut lex.counts[t as usize];
        if *c == 0.0 {
            lex.touched.push(t);
        }
        *c += x;
    }
}

/// Writes a weight with two decimals, as `{:.2}` would (weights are positive and small); written out
/// because the formatter's general path is a tenth of ingest's instructions for these few digits.
fn push_hundredths(s: &mut String, w: f32) {
    if !(0.0..1e6).contains(&w) {
        let _ = std::fmt::Write::write_fmt(s, format_args!("{w:.2}"));
        return;
    }
    // Exact: an f32 times 100 fits an f64's mantissa. Ties go to the even hundredth, as `{:.2}` does.
    let x = f64::from(w) * 100.0;
    let f = x.floor();
    let d = x - f;
    let c = f as u64 + u64::from(d > 0.5 || (d == 0.5 && f as u64 % 2 == 1));
    let whole = c / 100;
    if whole < 10 {
        s.push(char::from(b'0' + whole as u8));
    } else {
        let _ = std::fmt::Write::write_fmt(s, format_args!("{whole}"));
    }
    s.push('.');
    s.push(char::from(b'0' + (c / 10 % 10) as u8));
    s.push(char::from(b'0' + (c % 10) as u8));
}

impl Features {
    /// Compact text form for storage: `term weight` pairs separated by spaces (terms hold no spaces).
    pub fn terms_to_string(&self) -> String {
        let mut s = String::with_capacity(self.text.len() + self.len() * 6);
        for (k, (t, w)) in self.terms().enumerate() {
            if k > 0 {
                s.push(' ');
            }
            s.push_str(t);
            // Most terms occur once, unboosted: their weight is 1, written without arithmetic.
            if w == 1.0 {
                s.push_str(" 1.00");
            } else {
                s.push(' ');
                push_hundredths(&mut s, w);
            }
        }
        s
    }

    /// Reads the form of [`Features::terms_to_string`].
    pub fn from_stored(terms: &str, day: Option<NaiveDate>) -> Features {
        let mut f = Features {
            text: String::with_capacity(terms.len()),
            ends: Vec::with_capacity(terms.len() / 10),
            day,
        };
        for (t, w) in stored_terms(terms) {
            f.push(t, w);
        }
        f
    }
}

/// The `term weight` pairs of the form [`Features::terms_to_string`] writes, the terms borrowed from it (a
/// pair whose weight does not read is skipped).
pub fn stored_terms(terms: &str) -> impl Iterator<Item = (&str, f32)> {
    let mut it = Fields(Some(terms));
    std::iter::from_fn(move || loop {
        let (t, w) = (it.next()?, it.next()?);
        if let Some(w) = parse_weight(w) {
            return Some((t, w));
        }
    })
}

/// The fields of a text between single spaces, as `str::split(' ')` gives them (empty ones included), found
/// by a plain byte loop: fields are a few bytes long, shorter than a vectorised search takes to start, and
/// stores read every term of a story back.
struct Fields<'a>(Option<&'a str>);

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let s = self.0?;
        match s.bytes().position(|b| b == b' ') {
            Some(i) => {
                // A space is one byte, so both sides of it are character boundaries.
                self.0 = Some(&s[i + 1..]);
                Some(&s[..i])
            }
            None => {
                self.0 = None;
                Some(s)
            }
        }
    }
}

/// Reads a weight as `str::parse` does. The form [`push_hundredths`] writes (digits, a point, two digits) is
/// read as a whole number of hundredths divided by 100, which rounds the same exact quotient to the same
/// nearest `f32` the parser returns, at a fraction of its cost (stores read every term of a story back).
fn parse_weight(w: &str) -> Option<f32> {
    let b = w.as_bytes();
    let n = b.len();
    if (4..=9).contains(&n) && b[n - 3] == b'.' {
        let digits = b[..n - 3].iter().chain(&b[n - 2..]);
        let mut c: u32 = 0;
        let mut ok = true;
        for &d in digits {
            ok &= d.is_ascii_digit();
            c = c
                .wrapping_mul(10)
                .wrapping_add(u32::from(d.wrapping_sub(b'0')));
        }
        // Below 2^24 a whole number is exact in an f32.
        if ok && c < 1 << 24 {
            return Some(c as f32 / 100.0);
        }
    }
    w.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_as_str_split_does() {
        for s in [
            "",
            " ",
            "a",
            "a b",
            "a  b ",
            " a b 1.00",
            "é b  ñ 2.00  ",
            "a\tb c",
        ] {
            assert_eq!(
                Fields(Some(s)).collect::<Vec<_>>(),
                s.split(' ').collect::<Vec<_>>(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn weights_read_back_as_the_parser_reads_them() {
        let mut s = String::new();
        for c in (0..200_000u32).chain([16_777_215, 16_777_216, 99_999_999]) {
            s.clear();
            let _ = std::fmt::Write::write_fmt(&mut s, format_args!("{}.{:02}", c / 100, c % 100));
            assert_eq!(parse_weight(&s), s.parse::<f32>().ok(), "{s}");
        }
        for odd in ["1.5", "x.25", "1.2x", ".25", "12", "", "1e3", "-1.00"] {
            assert_eq!(parse_weight(odd), odd.parse::<f32>().ok(), "{odd}");
        }
    }

    #[test]
    fn weight_undoes_descending() {
        for w in [
            0.0f32,
            -0.0,
            1.0,
            1.5,
            2.386_294,
            1e-30,
            -3.0,
            7e20,
            f32::INFINITY,
            f32::MIN,
        ] {
            assert_eq!(weight(descending(w)).to_bits(), w.to_bits(), "{w}");
        }
    }

    #[test]
    fn ranking_by_numbers_is_ranking_by_weight_then_bytes() {
        // Terms sharing their first eight bytes, short terms, and few weights: many ties of every kind.
        let mut terms: Vec<Box<str>> = Vec::new();
        for stem in ["internat", "investig", "ab", "administ", "z"] {
            for tail in ["", "ion", "al", "a", "ionali", "b"] {
                terms.push(format!("{stem}{tail}").into_boxed_str());
            }
        }
        terms.sort();
        terms.dedup();
        // Numbered against their byte order, so the numbers never settle a tie.
        terms.reverse();
        let weights = [1.0f32, 2.5, 1.0, 1.7];
        let key = |t: usize, w: f32| {
            let mut head = [0u8; 8];
            let b = terms[t].as_bytes();
            head[..b.len().min(8)].copy_from_slice(&b[..b.len().min(8)]);
            (u128::from(descending(w)) << 96)
                | (u128::from(u64::from_be_bytes(head)) << 32)
                | t as u128
        };
        // Terms in a scrambled order, each with one of the weights.
        let order: Vec<usize> = (0..terms.len())
            .map(|i| (i * 7 + 3) % terms.len())
            .collect();
        let keys: Vec<u128> = order
            .iter()
            .map(|&t| key(t, weights[t % weights.len()]))
            .collect();
        let mut reference: Vec<(f32, &str)> = order
            .iter()
            .map(|&t| (weights[t % weights.len()], &*terms[t]))
            .collect();
        reference.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        for limit in [0, 1, 3, 7, 11, 12, 13, 20, terms.len(), terms.len() + 5] {
            let got: Vec<(f32, &str)> = rank(keys.clone(), &terms, limit)
                .into_iter()
                .map(|k| (weight((k >> 96) as u32), &*terms[k as u32 as usize]))
                .collect();
            let want: Vec<(f32, &str)> = reference.iter().take(limit).copied().collect();
            assert_eq!(got, want, "limit {limit}");
        }
    }

    #[test]
    fn descending_orders_as_total_cmp_reversed() {
        let ws = [
            f32::NEG_INFINITY,
            -2.5,
            -1.0,
            -0.0,
            0.0,
            1e-30,
            0.5,
            1.0,
            1.0 + 2f32.ln(),
            3.75,
            1e30,
            f32::INFINITY,
            f32::NAN,
        ];
        for a in ws {
            for b in ws {
                assert_eq!(
                    descending(a).cmp(&descending(b)),
                    b.total_cmp(&a),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn short_words_have_keys_of_their_own() {
        // Words of each length up to nine, differing in one byte at each place.
        let mut words = vec!["a".to_string()];
        for n in 1..=9 {
            let base: String = "abcdefghi"[..n].to_string();
            for i in 0..n {
                let mut w = base.clone().into_bytes();
                w[i] = b'z';
                words.push(String::from_utf8(w).unwrap());
            }
            words.push(base);
        }
        words.sort();
        words.dedup();
        let keys: std::collections::HashSet<u64> =
            words.iter().map(|w| word_key(w.as_bytes())).collect();
        assert_eq!(keys.len(), words.len());
    }

    #[test]
    fn stored_terms_round_trip() {
        let f = Features::new([("storm", 2.1), ("coast", 1.0)], None);
        let s = f.terms_to_string();
        assert_eq!(s, "storm 2.10 coast 1.00");
        let back: Vec<(&str, f32)> = stored_terms(&s).collect();
        assert_eq!(back, vec![("storm", 2.1), ("coast", 1.0)]);
        assert_eq!(stored_terms("a 1.00 b x c 2.00").count(), 2);
    }
}
