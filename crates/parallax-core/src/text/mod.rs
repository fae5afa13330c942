//! Shared text routines: sentences with byte offsets (sentencex), words, stop words, stems (Snowball through
//! rust-stemmers), and 64-bit hashes (xxh3). Every other stage tokenises through here, so a word means the
//! same thing in dedup, clustering and comparison.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

/// A span of an article's text, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Sentences of `text` with byte offsets; whitespace trimmed; never crossing a line break (lines of flattened
/// text and paragraphs are separate units). `lang` is an ISO 639-1 code ("en" when unknown).
pub fn sentences(text: &str, lang: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let base = line_start;
        line_start += line.len();
        if line.trim().is_empty() {
            continue;
        }
        for b in sentencex::get_sentence_boundaries(lang, line) {
            let (s, e) = (b.start_byte, b.end_byte.min(line.len()));
            if s >= e || !line.is_char_boundary(s) || !line.is_char_boundary(e) {
                continue;
            }
            let piece = &line[s..e];
            let lead = piece.len() - piece.trim_start().len();
            let trail = piece.len() - piece.trim_end().len();
            let (s, e) = (base + s + lead, base + e - trail);
            if s < e {
                out.push(Span { start: s, end: e });
            }
        }
    }
    out
}

/// Words of `text`: runs of letters and digits (inner apostrophes, hyphens and dots kept, as in "U.S.", "it's").
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

/// Iterator of [`words`]: `(byte offset, word)`. ASCII is read a byte at a time; other characters are decoded.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Words<'a> {
    /// The character at byte `i` and its length, with whether it is a letter or digit.
    #[inline]
    fn at(&self, i: usize) -> Option<(char, usize, bool)> {
        let b = *self.text.as_bytes().get(i)?;
        if b < 0x80 {
            return Some((b as char, 1, b.is_ascii_alphanumeric()));
        }
        let c = self.text[i..].chars().next()?;
        Some((c, c.len_utf8(), c.is_alphanumeric()))
    }
}

/// Whether each byte is an ASCII letter or digit: one load in the scanning loops instead of three range
/// tests per byte (bytes from 0x80 are false; the loops decode those characters).
static ASCII_ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        let b = self.text.as_bytes();
        let n = b.len();
        let mut i = self.pos;
        // Skip to the first letter or digit; ASCII a run at a time, other characters decoded.
        let start = loop {
            while i < n && b[i] < 0x80 && !ASCII_ALNUM[b[i] as usize] {
                i += 1;
            }
            if i >= n {
                self.pos = n;
                return None;
            }
            if b[i] < 0x80 {
                break i;
            }
            let (_, len, alnum) = self.at(i)?;
            if alnum {
                break i;
            }
            i += len;
        };
        loop {
            while i < n && ASCII_ALNUM[b[i] as usize] {
                i += 1;
            }
            if i >= n {
                break;
            }
            // An apostrophe, hyphen or dot stays inside a word when a letter or digit follows it.
            if b[i] < 0x80 {
                if matches!(b[i], b'\'' | b'-' | b'.') && self.alnum_at(i + 1) {
                    i += 1;
                    continue;
                }
                break;
            }
            let Some((c, len, alnum)) = self.at(i) else {
                break;
            };
            if alnum || (c == '’' && self.alnum_at(i + len)) {
                i += len;
                continue;
            }
            break;
        }
        self.pos = i;
        Some((start, &self.text[start..i]))
    }
}

impl Words<'_> {
    /// Whether a letter or digit starts at byte `i`.
    #[inline]
    fn alnum_at(&self, i: usize) -> bool {
        match self.text.as_bytes().get(i) {
            Some(&x) if x < 0x80 => x.is_ascii_alphanumeric(),
            Some(_) => self.at(i).is_some_and(|x| x.2),
            None => false,
        }
    }
}

fn stemmer() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Normalised term of a word: lower case, possessive and dots dropped, Snowball stem, British/American
/// spelling pairs folded ("advisor"/"adviser").
pub fn term(word: &str) -> String {
    // Stemming is the costliest step of tokenising; words repeat (Zipf), so a per-thread cache pays.
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, String>> = std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(t) = CACHE.with(|c| c.borrow().get(word).cloned()) {
        return t;
    }
    let t = term_uncached(word);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 200_000 {
            c.clear();
        }
        c.insert(word.to_string(), t.clone());
    });
    t
}

fn term_uncached(word: &str) -> String {
    let mut w = word.to_lowercase().replace('’', "'");
    for suffix in ["'s", "'"] {
        if let Some(x) = w.strip_suffix(suffix) {
            w = x.to_string();
        }
    }
    w.retain(|c| c != '.');
    let stem = stemmer().stem(&w).into_owned();
    match stem.as_str() {
        "advis" | "advisor" => "advis".to_string(),
        "organis" => "organ".to_string(),
        "defenc" => "defens".to_string(),
        _ => stem,
    }
}

/// The content term of a word (its stem), or `None` for stop words and one-letter words. Cached per thread:
/// the cache answers most words of a text without lower-casing or stemming them again.
pub fn content_term(word: &str) -> Option<std::rc::Rc<str>> {
    type Cache = rustc_hash::FxHashMap<Box<str>, Option<std::rc::Rc<str>>>;
    thread_local! {
        static CACHE: std::cell::RefCell<Cache> = std::cell::RefCell::new(Cache::default());
    }
    if let Some(t) = CACHE.with(|c| c.borrow().get(word).cloned()) {
        return t;
    }
    let t = content_term_uncached(word).map(std::rc::Rc::from);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 200_000 {
            c.clear();
        }
        c.insert(word.into(), t.clone());
    });
    t
}

/// [`content_term`] without the cache.
pub fn content_term_uncached(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if is_stopword(&lower)
        || (word.chars().count() < 2 && !word.chars().all(|c| c.is_ascii_digit()))
    {
        None
    } else {
        Some(term_uncached(word))
    }
}

/// How the words of one language become content terms: its stop words, its Snowball stemmer, and the
/// articles it elides before an apostrophe ("l'accord", "dell'Italia"). English, and text of no known
/// language, go through [`content_term_uncached`] (this module's own stop list and spelling folds); other
/// languages use Snowball's stop list where it has one (the stop-words crate's NLTK set), else
/// stopwords-iso's, and the Snowball stemmer where there is one (lower case only where not).
pub struct Analyzer {
    /// Distinct per language (0 for English): mixed into per-word cache keys, so one word read in two
    /// languages (English "die", German "die") is looked up apart.
    pub salt: u64,
    stemmer: Option<Stemmer>,
    /// `None` for English.
    stops: Option<rustc_hash::FxHashSet<&'static str>>,
    elisions: &'static [&'static str],
}

/// Elided articles and pronouns written before an apostrophe, as Lucene's elision filters list them
/// (French, Italian, Catalan). Written out here: no crate keeps these lists.
const ELISIONS_FR: &[&str] = &[
    "l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu",
];
const ELISIONS_IT: &[&str] = &[
    "c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl", "degl",
    "negl", "sugl", "un", "m", "t", "s", "v", "d",
];
const ELISIONS_CA: &[&str] = &["d", "l", "m", "n", "s", "t"];

/// The Snowball stemmer of a language, by ISO 639-1 code.
fn snowball(code: &str) -> Option<Algorithm> {
    Some(match code {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// The analyzer of a language (an ISO 639-1 code as articles carry it); English for `None`, for English,
/// and for a language with neither a stop list nor a stemmer.
pub fn analyzer(language: Option<&str>) -> &'static Analyzer {
    static ENGLISH: Analyzer = Analyzer {
        salt: 0,
        stemmer: None,
        stops: None,
        elisions: &[],
    };
    static OTHERS: OnceLock<rustc_hash::FxHashMap<&'static str, Analyzer>> = OnceLock::new();
    let code = match language {
        None | Some("en") => return &ENGLISH,
        // Norwegian Bokmål and Nynorsk share Snowball's Norwegian.
        Some("nb" | "nn") => "no",
        Some(c) => c,
    };
    let others = OTHERS.get_or_init(|| {
        // Every language with a Snowball stemmer has a stop list (NLTK's are Snowball's): see the test
        // `every_snowball_language_has_a_stop_list`.
        stop_words::available_languages()
            .iter()
            .copied()
            .filter(|&c| c.len() == 2 && c != "en")
            .enumerate()
            .map(|(i, code)| {
                // Numbers are kept as terms in every language (stopwords-iso lists some).
                let stops = stop_words::get(code)
                    .iter()
                    .copied()
                    .filter(|w| !w.bytes().all(|b| b.is_ascii_digit()))
                    .collect();
                let elisions = match code {
                    "fr" => ELISIONS_FR,
                    "it" => ELISIONS_IT,
                    "ca" => ELISIONS_CA,
                    _ => &[],
                };
                let a = Analyzer {
                    salt: mix(i as u64 + 1),
                    stemmer: snowball(code).map(Stemmer::create),
                    stops: Some(stops),
                    elisions,
                };
                (code, a)
            })
            .collect()
    });
    others.get(code).unwrap_or(&ENGLISH)
}

impl Analyzer {
    /// Whether this is the English analyzer (English, or no language known).
    pub fn is_english(&self) -> bool {
        self.stops.is_none()
    }

    /// Whether a lower-cased word is one of this language's stop words.
    pub fn is_stop(&self, lower: &str) -> bool {
        match &self.stops {
            None => is_stopword(lower),
            Some(stops) => stops.contains(lower),
        }
    }

    /// The term of any word in this language, stop words included (as [`term`] is for English).
    pub fn term(&self, word: &str) -> String {
        if self.stops.is_none() {
            return term(word);
        }
        let w = self.normalised(word);
        match &self.stemmer {
            Some(s) => s.stem(&w).into_owned(),
            None => w,
        }
    }

    /// A word lower-cased, its elided article and closing apostrophes cut, dots dropped.
    fn normalised(&self, word: &str) -> String {
        let mut w = word.to_lowercase();
        if w.contains('’') {
            w = w.replace('’', "'");
        }
        if let Some(i) = w.find('\'') {
            if self.elisions.contains(&&w[..i]) {
                w.drain(..=i);
            }
        }
        while w.ends_with('\'') {
            w.pop();
        }
        w.retain(|c| c != '.');
        w
    }

    /// The content term of a word in this language, or `None` for its stop words and one-letter words.
    pub fn content_term(&self, word: &str) -> Option<String> {
        let Some(stops) = &self.stops else {
            return content_term_uncached(word);
        };
        let w = self.normalised(word);
        if w.is_empty()
            || stops.contains(w.as_str())
            || (w.chars().count() < 2 && !w.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        Some(match &self.stemmer {
            Some(s) => s.stem(&w).into_owned(),
            None => w,
        })
    }
}

/// Content terms of `text`: stop words dropped, the rest stemmed.
pub fn terms(text: &str) -> Vec<String> {
    words(text)
        .filter(|(_, w)| !is_stopword(&w.to_lowercase()))
        .map(|(_, w)| term(w))
        .collect()
}

/// 64-bit hash.
pub fn hash64(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// SplitMix64's finaliser: a bijection of 64-bit numbers that spreads every input bit over the output.
#[inline]
pub fn mix(x: u64) -> u64 {
    let x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A map hasher for keys that are [`hash64`] values already: the key is its own hash.
pub type Prehashed = std::hash::BuildHasherDefault<Unhashed>;

/// The hasher of [`Prehashed`].
#[derive(Default)]
pub struct Unhashed(u64);

impl std::hash::Hasher for Unhashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// English function words (plus reporting filler) that carry no topic.
pub fn is_stopword(w: &str) -> bool {
    static SET: OnceLock<rustc_hash::FxHashSet<&'static str>> = OnceLock::new();
    w.len() <= 10
        && SET
            .get_or_init(|| STOPWORDS.iter().copied().collect())
            .contains(w)
}

const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_their_plain_definition() {
        // Runs of letters and digits; an apostrophe, hyphen, dot or ’ stays inside a word when a letter or
        // digit follows it. Decoded a character at a time, as a reference for the byte scanner.
        let plain = |text: &str| -> Vec<(usize, String)> {
            let cs: Vec<(usize, char)> = text.char_indices().collect();
            let mut out = Vec::new();
            let mut k = 0;
            while k < cs.len() {
                if !cs[k].1.is_alphanumeric() {
                    k += 1;
                    continue;
                }
                let start = k;
                while k < cs.len() {
                    let c = cs[k].1;
                    let joins = matches!(c, '\'' | '-' | '.' | '’')
                        && cs.get(k + 1).is_some_and(|n| n.1.is_alphanumeric());
                    if c.is_alphanumeric() || joins {
                        k += 1;
                    } else {
                        break;
                    }
                }
                let end = cs.get(k).map_or(text.len(), |c| c.0);
                out.push((cs[start].0, text[cs[start].0..end].to_string()));
            }
            out
        };
        for text in [
            "",
            "a",
            " U.S. officials, it's 9:30 — well-known «Київ» 東京 ok!",
            "Trump’s advisers... end-. x'y 'quoted' -dash- 3.5% e.g.",
            "ΑΘΗΝΑ—ends in a word",
            "tab\there\nnew line\u{00A0}nbsp Ünïcödé İstanbul",
            "\u{7F}\u{80}x~y`z{w}",
        ] {
            let got: Vec<(usize, String)> =
                words(text).map(|(at, w)| (at, w.to_string())).collect();
            assert_eq!(got, plain(text), "{text}");
        }
    }

    #[test]
    fn stopwords_sorted() {
        let mut s = STOPWORDS.to_vec();
        s.sort_unstable();
        assert_eq!(s, STOPWORDS);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let t = "On Feb. 18, the U.S. and Russia met. Dr. Smith said so.\nA new line starts here.";
        let s: Vec<&str> = sentences(t, "en")
            .iter()
            .map(|sp| &t[sp.start..sp.end])
            .collect();
        assert_eq!(
            s,
            vec![
                "On Feb. 18, the U.S. and Russia met.",
                "Dr. Smith said so.",
                "A new line starts here."
            ]
        );
    }

    #[test]
    fn each_language_drops_its_own_function_words_and_stems_with_its_own_stemmer() {
        let terms = |lang: Option<&str>, s: &str| -> Vec<String> {
            let a = analyzer(lang);
            words(s).filter_map(|(_, w)| a.content_term(w)).collect()
        };
        assert_eq!(
            terms(
                Some("de"),
                "Die Feuerwehr ist mit allen Kräften im Einsatz, und das nicht zum ersten Mal"
            ),
            ["feuerwehr", "kraft", "einsatz", "erst", "mal"]
        );
        // Elided articles go; the word after them is the term.
        assert_eq!(
            terms(
                Some("fr"),
                "L'accord qu'il a signé avec l'Union européenne d'après l'AFP"
            ),
            ["accord", "sign", "union", "européen", "apres", "afp"]
        );
        assert_eq!(terms(Some("it"), "dell'Italia"), ["ital"]);
        // English, no language and languages without resources read as English, as they always have.
        let en = "The firefighters were at work in Passau's old town";
        assert_eq!(terms(Some("en"), en), terms(None, en));
        assert_eq!(terms(Some("xx"), en), terms(None, en));
        assert_eq!(
            terms(None, "Passau's firefighters"),
            ["passau", "firefight"]
        );
        // One word, two languages: English "die" is a content word, German "die" is not; numbers stay terms.
        assert_eq!(terms(None, "die"), ["die"]);
        assert_eq!(terms(Some("de"), "die 2025"), ["2025"]);
        // Norwegian by any of its codes.
        assert_eq!(analyzer(Some("nb")).salt, analyzer(Some("no")).salt);
        assert_ne!(analyzer(Some("de")).salt, analyzer(None).salt);
    }

    #[test]
    fn every_snowball_language_has_a_stop_list() {
        for code in [
            "ar", "da", "nl", "fi", "fr", "de", "el", "hu", "it", "no", "pt", "ro", "ru", "es",
            "sv", "ta", "tr",
        ] {
            assert!(snowball(code).is_some(), "{code}");
            assert!(stop_words::lookup(code).is_some(), "{code}");
            assert_ne!(analyzer(Some(code)).salt, 0, "{code}");
        }
    }

    #[test]
    fn spelling_variants_fold() {
        assert_eq!(term("advisors"), term("advisers"));
        assert_eq!(term("Russia’s"), term("Russia"));
    }
}
