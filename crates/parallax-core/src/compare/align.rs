//! Which sentences of different outlets state the same fact. The rule is lexical and measured on MRPC
//! (`parallax similar`): fourteen measurements of a pair (IDF-weighted cosine of stemmed content terms,
//! agreement of numbers, names one side lacks, word 1- to 4-gram overlap, the longest common subsequence,
//! character 4-grams, length) go through gradient-boosted trees fitted on the MRPC train and validation splits
//! (`scripts/fit_same_fact.py`, which writes `same_fact_model.rs`). A pair is scored whole and by its parts
//! (clauses, and the statement without its reporting frame), so one outlet's sentence that joins two facts
//! still matches another's that states one. The same function decides `similar` and the facts of a comparison.

use super::same_fact_model as model;
use crate::text;

/// Score at or above which two sentences state the same fact (chosen by cross-validation on the MRPC train and
/// validation splits).
pub const SAME_FACT: f32 = model::THRESHOLD;

/// A sentence prepared for comparison. Terms, numbers, names and bigrams are 64-bit hashes, sorted and
/// deduplicated, so comparing two sentences is a merge of sorted lists (no hashing, no allocation).
#[derive(Debug, Clone, Default)]
pub struct SentenceTerms {
    /// Content terms (stemmed), hashed.
    pub terms: Vec<u64>,
    /// Numbers written in it, hashed.
    pub numbers: Vec<u64>,
    /// Names: terms of capitalised words that do not open the sentence.
    pub names: Vec<u64>,
    /// The stems of its words (function words included; reporting words and hedges left out), hashed.
    pub unigrams: Vec<u64>,
    /// Bigrams of those stems, hashed.
    pub bigrams: Vec<u64>,
    /// Trigrams of those stems, hashed.
    pub trigrams: Vec<u64>,
    /// 4-grams of those stems, hashed.
    pub fourgrams: Vec<u64>,
    /// Those stems in order, hashed (for the longest common subsequence).
    pub sequence: Vec<u64>,
    /// Character 4-grams of the lower-cased sentence, hashed: they match "adviser" with "advisers" and
    /// split compounds that words miss.
    pub chargrams: Vec<u64>,
    /// Words in all.
    pub words: usize,
    /// Its clauses, when it has more than one ("..., and ...", "...; ...").
    pub clauses: Vec<SentenceTerms>,
}

fn sorted(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Number of values two sorted lists share.
fn shared_count(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Splits a sentence into clauses at coordinating breaks, as byte ranges.
fn clauses(sentence: &str) -> Vec<(usize, usize)> {
    const BREAKS: [&str; 16] = [
        ", and ",
        ", but ",
        " but ",
        "; ",
        " — ",
        " – ",
        ", while ",
        ", where ",
        ", as ",
        ", or ",
        ", whether ",
        " or whether ",
        ", how ",
        ", when ",
        ", which ",
        ", who ",
    ];
    let mut out = Vec::new();
    let mut start = 0;
    'outer: loop {
        let rest = &sentence[start..];
        let next = BREAKS
            .iter()
            .filter_map(|sep| rest.find(sep).map(|i| (i, sep.len())))
            .min();
        if let Some((i, len)) = next {
            out.push((start, start + i));
            start += i + len;
            continue 'outer;
        }
        out.push((start, sentence.len()));
        break;
    }
    out
}

/// Sentences past this many clauses keep the rest as one clause.
const MAX_CLAUSES: usize = 6;

/// Words that, after a short lead, mark the frame of a reported statement ("Sources say ...").
const FRAME_VERBS: [&str; 8] = [
    " say that ",
    " says that ",
    " said that ",
    " reported that ",
    " say ",
    " says ",
    " said ",
    " reported ",
];

/// The statement without its reporting frame: "Officials said that X" and "X, Reuters reported citing
/// sources" both state X. `None` when the sentence has no such frame.
fn unframed(sentence: &str) -> Option<(usize, usize)> {
    let (mut start, mut end) = (0, sentence.len());
    if let Some((i, len)) = FRAME_VERBS
        .iter()
        .filter_map(|v| sentence.find(v).map(|i| (i, v.len())))
        .min()
    {
        if sentence[..i].split_whitespace().count() <= 6 && !sentence[..i].contains(',') {
            start = i + len;
        }
    }
    if let Some(i) = sentence[start..].rfind(", ").map(|i| i + start) {
        let tail = &sentence[i..];
        if tail.split_whitespace().count() <= 10
            && text::words(tail).any(|(_, w)| REPORTING.contains(&w.to_lowercase().as_str()))
        {
            end = i;
        }
    }
    ((start, end) != (0, sentence.len()) && end > start).then_some((start, end))
}

/// Prepares a sentence, and the parts that may state a fact on their own: each run of consecutive clauses,
/// and the statement without its reporting frame.
pub fn prepare(sentence: &str) -> SentenceTerms {
    prepare_in(sentence, text::analyzer(None))
}

/// [`prepare`] for a sentence of the language `an` reads (its stop words and stems).
pub fn prepare_in(sentence: &str, an: &text::Analyzer) -> SentenceTerms {
    let mut out = prepare_clause(sentence, an);
    let mut parts = clauses(sentence);
    if parts.len() > MAX_CLAUSES {
        let last = parts[parts.len() - 1].1;
        parts.truncate(MAX_CLAUSES);
        parts[MAX_CLAUSES - 1].1 = last;
    }
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for i in 0..parts.len() {
        for j in i..parts.len() {
            if (i, j) != (0, parts.len() - 1) {
                spans.push((parts[i].0, parts[j].1));
            }
        }
    }
    spans.extend(unframed(sentence));
    out.clauses = spans
        .into_iter()
        .map(|(a, b)| prepare_clause(&sentence[a..b], an))
        .filter(|c| c.terms.len() >= 3)
        .collect();
    out
}

fn prepare_clause(sentence: &str, an: &text::Analyzer) -> SentenceTerms {
    let h = |t: &str| text::hash64(t.as_bytes());
    let (mut terms, mut numbers, mut names, mut bigrams) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut words = 0;
    let mut sequence: Vec<u64> = Vec::new();
    for (i, (_, w)) in text::words(sentence).enumerate() {
        words += 1;
        let lower = w.to_lowercase();
        // Who says it and how surely are shown on their own (attribution, hedges); the sequence of words
        // compared is the statement's.
        if !(REPORTING.contains(&lower.as_str()) || HEDGES.contains(&lower.as_str())) {
            let lh = h(&an.term(w));
            if let Some(&p) = sequence.last() {
                bigrams.push(p.rotate_left(17) ^ lh);
            }
            sequence.push(lh);
        }
        // "US" is a country, not the pronoun.
        let acronym = w.len() >= 2 && w.chars().all(|c| c.is_uppercase() || c == '.');
        if (an.is_stop(&lower) && !acronym) || REPORTING.contains(&lower.as_str()) {
            continue;
        }
        if w.chars().any(|c| c.is_ascii_digit()) {
            numbers.push(h(&lower.replace(',', "")));
        }
        let t = h(&an.term(w));
        if i > 0 && w.chars().next().is_some_and(char::is_uppercase) {
            names.push(t);
        }
        terms.push(t);
        // Parts of compounds count too: "non-government" also states "government".
        if w.contains('-') {
            for part in w.split('-').filter(|p| p.len() > 2) {
                let pl = part.to_lowercase();
                if !an.is_stop(&pl) && pl != "non" {
                    terms.push(h(&an.term(part)));
                }
            }
        }
    }
    let grams = |n: usize| -> Vec<u64> {
        sorted(
            sequence
                .windows(n)
                .map(|w| w.iter().fold(n as u64, |acc, x| acc.rotate_left(17) ^ x))
                .collect(),
        )
    };
    let lower = sentence.to_lowercase();
    let chargrams = sorted(
        lower
            .as_bytes()
            .windows(4)
            .map(|w| u64::from(u32::from_le_bytes([w[0], w[1], w[2], w[3]])))
            .collect(),
    );
    SentenceTerms {
        terms: sorted(terms),
        numbers: sorted(numbers),
        names: sorted(names),
        unigrams: sorted(sequence.clone()),
        bigrams: sorted(bigrams),
        trigrams: grams(3),
        fourgrams: grams(4),
        sequence,
        chargrams,
        words,
        clauses: Vec::new(),
    }
}

/// Words that frame who says a thing rather than the thing said; they do not make two facts the same.
const REPORTING: &[&str] = &[
    "say",
    "says",
    "said",
    "saying",
    "told",
    "tells",
    "report",
    "reports",
    "reported",
    "reportedly",
    "according",
    "cited",
    "citing",
    "cites",
    "source",
    "sources",
    "publication",
    "added",
    "noted",
    "stated",
    "claimed",
    "familiar",
    "matter",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "statement",
    "thursday",
    "friday",
    "monday",
    "tuesday",
    "wednesday",
    "saturday",
    "sunday",
    "without",
    "naming",
];

/// Adverbs that hedge a statement without changing what it states.
const HEDGES: &[&str] = &[
    "apparently",
    "allegedly",
    "reportedly",
    "purportedly",
    "supposedly",
    "seemingly",
    "possibly",
    "probably",
];

/// Inverse document frequencies over a set of sentences (each sentence a document), as term weights.
#[derive(Debug, Clone, Default)]
pub struct Idf {
    weights: rustc_hash::FxHashMap<u64, f32>,
    unseen: f32,
}

impl Idf {
    /// IDF over `sentences`.
    pub fn new<'a>(sentences: impl IntoIterator<Item = &'a SentenceTerms>) -> Self {
        let mut df: rustc_hash::FxHashMap<u64, u32> = Default::default();
        let mut n = 0u32;
        for s in sentences {
            n += 1;
            for t in &s.terms {
                *df.entry(*t).or_default() += 1;
            }
        }
        // Damped, so small collections do not punish the very terms two sentences share.
        let w = |df: f32| (1.0 + (1.0 + n as f32) / (0.5 + df)).ln();
        Idf {
            weights: df.into_iter().map(|(t, d)| (t, w(d as f32))).collect(),
            unseen: w(0.0),
        }
    }

    /// The weight of a term: rare terms weigh more; terms never seen weigh most.
    pub fn weight(&self, t: u64) -> f32 {
        self.weights.get(&t).copied().unwrap_or(self.unseen)
    }
}

/// Number of measurements the same-fact rule combines.
pub const MEASURES: usize = 15;

/// The IDF-weighted cosine of two sentences' content terms.
fn cosine(a: &SentenceTerms, b: &SentenceTerms, idf: &Idf) -> f32 {
    if a.terms.is_empty() || b.terms.is_empty() {
        return 0.0;
    }
    let wa: f32 = a.terms.iter().map(|t| idf.weight(*t).powi(2)).sum();
    let wb: f32 = b.terms.iter().map(|t| idf.weight(*t).powi(2)).sum();
    let mut shared = 0.0f32;
    let (mut i, mut j) = (0, 0);
    while i < a.terms.len() && j < b.terms.len() {
        match a.terms[i].cmp(&b.terms[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += idf.weight(a.terms[i]).powi(2);
                i += 1;
                j += 1;
            }
        }
    }
    shared / (wa.sqrt() * wb.sqrt())
}

/// The measurements the same-fact rule combines, given the pair's `cosine`: the IDF-weighted cosine of
/// content terms; agreement of numbers; names one sentence has and the other lacks; for word 1- to 4-grams,
/// the share of the smaller and of the larger set the two have in common; the longest common word
/// subsequence over the longer sentence; the Jaccard similarity of character 4-grams; the difference in
/// length; and whether the pair is of parts. The n-gram and subsequence measures are those of
/// machine-translation metrics that work for paraphrase (Madnani et al., 2012).
fn measures_of(a: &SentenceTerms, b: &SentenceTerms, cosine: f32, part: bool) -> [f32; MEASURES] {
    if a.terms.is_empty() || b.terms.is_empty() {
        return [0.0; MEASURES];
    }
    let numbers = if a.numbers.is_empty() || b.numbers.is_empty() {
        0.0
    } else if a.numbers == b.numbers {
        1.0
    } else if shared_count(&a.numbers, &b.numbers) == 0 {
        -1.0
    } else {
        -0.5
    };
    let unmatched_names = a
        .names
        .iter()
        .filter(|n| b.terms.binary_search(n).is_err())
        .count()
        + b.names
            .iter()
            .filter(|n| a.terms.binary_search(n).is_err())
            .count();
    let containment = |x: &[u64], y: &[u64]| -> (f32, f32) {
        if x.is_empty() || y.is_empty() {
            return (0.0, 0.0);
        }
        let n = shared_count(x, y) as f32;
        (
            n / x.len().min(y.len()) as f32,
            n / x.len().max(y.len()) as f32,
        )
    };
    let (p1, r1) = containment(&a.unigrams, &b.unigrams);
    let (p2, r2) = containment(&a.bigrams, &b.bigrams);
    let (p3, r3) = containment(&a.trigrams, &b.trigrams);
    let (p4, r4) = containment(&a.fourgrams, &b.fourgrams);
    let longest = a.sequence.len().max(b.sequence.len()).max(1) as f32;
    // Sentences past 256 words (run-on lines of flattened text) are compared on their first 256.
    let cap = |s: &[u64]| s.len().min(256);
    let lcs = lcs_len(
        &a.sequence[..cap(&a.sequence)],
        &b.sequence[..cap(&b.sequence)],
    ) as f32
        / longest.min(256.0);
    let cg = shared_count(&a.chargrams, &b.chargrams) as f32;
    let chars = cg
        / (a.chargrams.len() + b.chargrams.len())
            .saturating_sub(cg as usize)
            .max(1) as f32;
    let length = (a.sequence.len() as f32 - b.sequence.len() as f32).abs() / longest;
    [
        cosine,
        numbers,
        (unmatched_names as f32).min(6.0) / 6.0,
        p1,
        r1,
        p2,
        r2,
        p3,
        r3,
        p4,
        r4,
        lcs,
        chars,
        length,
        f32::from(u8::from(part)),
    ]
}

/// Length of the longest common subsequence of two word sequences (one row of the table kept).
fn lcs_len(a: &[u64], b: &[u64]) -> usize {
    let mut row = vec![0u16; b.len() + 1];
    for x in a {
        let mut diag = 0u16;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()] as usize
}

/// How strongly two sentences state the same fact, 0..1: the whole sentences, or the best pair of their
/// parts (one outlet's sentence often joins two facts another states apart, or wraps one in who said it).
/// A pair of parts is weighed only when the two share two content terms and at least half of the smaller
/// part's; any pair whose content cosine is under [`FLOOR`] scores nothing.
pub fn score(a: &SentenceTerms, b: &SentenceTerms, idf: &Idf) -> f32 {
    let mut best = 0.0f32;
    for x in std::iter::once(a).chain(&a.clauses) {
        for y in std::iter::once(b).chain(&b.clauses) {
            let part = !(std::ptr::eq(x, a) && std::ptr::eq(y, b));
            if part {
                let n = shared_count(&x.terms, &y.terms);
                if n < 2 || 2 * n < x.terms.len().min(y.terms.len()) {
                    continue;
                }
            }
            let c = cosine(x, y, idf);
            if c < FLOOR {
                continue;
            }
            best = best.max(rule(&measures_of(x, y, c, part)));
        }
    }
    best
}

/// The measurements of the whole sentences (the rule's trees are fitted on them).
pub fn measures(a: &SentenceTerms, b: &SentenceTerms, idf: &Idf) -> [f32; MEASURES] {
    measures_of(a, b, cosine(a, b, idf), false)
}

/// Content-term cosine below which a pair (whole or part) is not the same fact, without further measures.
/// MRPC holds pairs chosen for looking alike, and still 9 of its 2,753 train and validation paraphrases
/// fall below it (0.3%); in a story most pairs do, and skipping them keeps a 100-article comparison fast.
const FLOOR: f32 = 0.2;

/// Log-odds added when the pair compared is a part of a sentence rather than the whole. MRPC pairs are whole
/// sentences, so the trees never see a part, and MRPC alone would turn parts off (every value from +0.5
/// down to -1 scores 0.832-0.837 on its test split); yet outlets split and join facts differently, and a
/// shared fact is often a part of one outlet's sentence that MRPC's annotators would not call a paraphrase
/// ("Some of Trump's advisors were apparently aware" / "at least a small number of Trump advisers were
/// aware"). The value is the most negative, in steps of 0.25, under which the seed story's reworded shared
/// facts still align in its comparison (the seed golden test and `seeds-compare`).
const PART: f32 = 0.5;

/// The same-fact rule: gradient-boosted trees over the measurements (see `same_fact_model.rs` and
/// `scripts/fit_same_fact.py`), as a probability.
fn rule(m: &[f32; MEASURES]) -> f32 {
    let mut z = model::BASE + PART * m[MEASURES - 1];
    for &root in &model::ROOTS {
        let mut node = model::NODES[usize::from(root)];
        while node.0 != u8::MAX {
            let next = if m[usize::from(node.0)] <= node.1 {
                node.2
            } else {
                node.3
            };
            node = model::NODES[usize::from(next)];
        }
        z += node.1;
    }
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reworded_fact_scores_above_unrelated() {
        let a = prepare("It is not known exactly what was discussed, whether Ukrainian representatives were involved, or when these meetings first started.");
        let b = prepare("It is unclear when exactly the talks began, how frequently they have been taking place or whether any Ukrainian representatives were involved.");
        let c = prepare("The council voted to close the old bridge for repairs.");
        let idf = Idf::new([&a, &b, &c]);
        assert!(score(&a, &b, &idf) >= SAME_FACT, "{}", score(&a, &b, &idf));
        assert!(score(&a, &c, &idf) < 0.05, "{}", score(&a, &c, &idf));
    }

    /// The seed story's shared facts as the two outlets word them (whole sentences, and parts of one that
    /// joins two facts or wraps one in who reported it): each pair must align, as `parallax similar` decides.
    /// ("Trump's advisors were apparently aware" aligns as a part within the whole story's comparison; the
    /// golden test in `crates/parallax/tests/it` holds it.)
    #[test]
    fn seed_reworded_facts_align() {
        let pairs = [
            ("Sources cited by the publication say the participants were not government officials but individuals with diplomatic or security backgrounds, without naming them.",
             "Participants in the meet-ups have included non-government officials with diplomatic and security experience, and at least a \"small number\" of Trump advisers were aware of the discussions."),
            ("It is not known exactly what was discussed, whether Ukrainian representatives were involved, or when these meetings first started.",
             "It is unclear when exactly the talks began, how frequently they have been taking place or whether any Ukrainian representatives were involved."),
            ("the participants were not government officials but individuals with diplomatic or security backgrounds",
             "Participants in the meet-ups have included non-government officials with diplomatic and security experience"),
        ];
        let prepared: Vec<(SentenceTerms, SentenceTerms)> = pairs
            .iter()
            .map(|(a, b)| (prepare(a), prepare(b)))
            .collect();
        let idf = Idf::new(prepared.iter().flat_map(|(a, b)| [a, b]));
        for ((a, b), (ta, tb)) in prepared.iter().zip(&pairs) {
            let s = score(a, b, &idf);
            assert!(s >= SAME_FACT, "{s} < {SAME_FACT}: {ta} | {tb}");
        }
    }
}
