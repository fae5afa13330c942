//! Which sentences of different outlets state the same fact. The rule is lexical and measured on MRPC
//! (`parallax similar`): an IDF-weighted overlap of stemmed content terms, where names and numbers that one
//! sentence has and the other lacks count against the pair. The same function decides `similar` and the
//! facts of a comparison.

use crate::text;

/// Score at or above which two sentences state the same fact (fixed on the MRPC train and validation splits).
pub const SAME_FACT: f32 = 0.28;

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
    /// Lower-cased word bigrams (function words included), hashed.
    pub bigrams: Vec<u64>,
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

/// Splits a sentence into clauses at coordinating breaks.
fn clauses(sentence: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = sentence;
    'outer: loop {
        for sep in [
            ", and ", ", but ", "; ", " — ", " – ", ", while ", ", where ", ", as ",
        ] {
            if let Some(i) = rest.find(sep) {
                out.push(&rest[..i]);
                rest = &rest[i + sep.len()..];
                continue 'outer;
            }
        }
        out.push(rest);
        break;
    }
    out
}

/// Prepares a sentence (and its clauses).
pub fn prepare(sentence: &str) -> SentenceTerms {
    let mut out = prepare_clause(sentence);
    let parts = clauses(sentence);
    if parts.len() > 1 {
        out.clauses = parts
            .into_iter()
            .map(prepare_clause)
            .filter(|c| c.terms.len() >= 4)
            .collect();
    }
    out
}

fn prepare_clause(sentence: &str) -> SentenceTerms {
    let h = |t: &str| text::hash64(t.as_bytes());
    let (mut terms, mut numbers, mut names, mut bigrams) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut words = 0;
    let mut prev: Option<u64> = None;
    for (i, (_, w)) in text::words(sentence).enumerate() {
        words += 1;
        let lower = w.to_lowercase();
        let lh = h(&lower);
        if let Some(p) = prev {
            bigrams.push(p.rotate_left(17) ^ lh);
        }
        prev = Some(lh);
        // "US" is a country, not the pronoun.
        let acronym = w.len() >= 2 && w.chars().all(|c| c.is_uppercase() || c == '.');
        if (text::is_stopword(&lower) && !acronym) || REPORTING.contains(&lower.as_str()) {
            continue;
        }
        if w.chars().any(|c| c.is_ascii_digit()) {
            numbers.push(h(&lower.replace(',', "")));
        }
        let t = h(&text::term(w));
        if i > 0 && w.chars().next().is_some_and(char::is_uppercase) {
            names.push(t);
        }
        terms.push(t);
        // Parts of compounds count too: "non-government" also states "government".
        if w.contains('-') {
            for part in w.split('-').filter(|p| p.len() > 2) {
                let pl = part.to_lowercase();
                if !text::is_stopword(&pl) && pl != "non" {
                    terms.push(h(&text::term(part)));
                }
            }
        }
    }
    SentenceTerms {
        terms: sorted(terms),
        numbers: sorted(numbers),
        names: sorted(names),
        bigrams: sorted(bigrams),
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

/// The measurements the same-fact rule combines.
pub fn measures(a: &SentenceTerms, b: &SentenceTerms, idf: &Idf) -> [f32; 6] {
    if a.terms.is_empty() || b.terms.is_empty() {
        return [0.0; 6];
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
    let cosine = shared / (wa.sqrt() * wb.sqrt());
    let overlap = shared / wa.min(wb);
    let inter = shared_count(&a.bigrams, &b.bigrams) as f32;
    let bigram = 2.0 * inter / (a.bigrams.len() + b.bigrams.len()).max(1) as f32;
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
    let length = a.words.min(b.words) as f32 / a.words.max(b.words).max(1) as f32;
    [
        cosine,
        overlap,
        bigram,
        numbers,
        (unmatched_names as f32).min(6.0) / 6.0,
        length,
    ]
}

/// Weights of the logistic rule over [`measures`] (bias last), fitted on the MRPC train and validation
/// splits; see CONTRIBUTING.md for the command.
const WEIGHTS: [f32; 7] = [3.683, -0.027, 0.662, 0.161, 0.095, 3.2, -4.644];

/// How strongly two sentences state the same fact, 0..1: the whole sentences, or their best pair of clauses
/// (one outlet's sentence often joins two facts another states apart).
pub fn score(a: &SentenceTerms, b: &SentenceTerms, idf: &Idf) -> f32 {
    let mut best = rule(a, b, idf);
    let ca: Vec<&SentenceTerms> = if a.clauses.is_empty() {
        vec![a]
    } else {
        a.clauses.iter().collect()
    };
    let cb: Vec<&SentenceTerms> = if b.clauses.is_empty() {
        vec![b]
    } else {
        b.clauses.iter().collect()
    };
    if ca.len() > 1 || cb.len() > 1 {
        for x in &ca {
            for y in &cb {
                best = best.max(rule(x, y, idf));
            }
        }
    }
    best
}

fn rule(a: &SentenceTerms, b: &SentenceTerms, idf: &Idf) -> f32 {
    let m = measures(a, b, idf);
    let z: f32 = m.iter().zip(&WEIGHTS).map(|(x, w)| x * w).sum::<f32>() + WEIGHTS[6];
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reworded_fact_scores_above_unrelated() {
        let a = prepare("Some of Trump's advisors were apparently aware of these discussions.");
        let b = prepare("At least a small number of Trump advisers were aware of the discussions.");
        let c = prepare("The council voted to close the old bridge for repairs.");
        let idf = Idf::new([&a, &b, &c]);
        assert!(score(&a, &b, &idf) >= SAME_FACT, "{}", score(&a, &b, &idf));
        assert!(score(&a, &c, &idf) < SAME_FACT);
    }
}
