//! Which sentences of different outlets state the same fact. The rule is lexical and measured on MRPC
//! (`parallax similar`): an IDF-weighted overlap of stemmed content terms, where names and numbers that one
//! sentence has and the other lacks count against the pair. The same function decides `similar` and the
//! facts of a comparison.

use crate::text;
use std::collections::{HashMap, HashSet};

/// Score at or above which two sentences state the same fact (fixed on the MRPC train and validation splits).
pub const SAME_FACT: f32 = 0.30;

/// A sentence prepared for comparison.
#[derive(Debug, Clone, Default)]
pub struct SentenceTerms {
    /// Content terms (stemmed).
    pub terms: HashSet<String>,
    /// Numbers written in it.
    pub numbers: HashSet<String>,
}

/// Prepares a sentence.
pub fn prepare(sentence: &str) -> SentenceTerms {
    let mut terms = HashSet::new();
    let mut numbers = HashSet::new();
    for (_, w) in text::words(sentence) {
        let lower = w.to_lowercase();
        if text::is_stopword(&lower) {
            continue;
        }
        if w.chars().any(|c| c.is_ascii_digit()) {
            numbers.insert(lower.replace(',', ""));
        }
        terms.insert(text::term(w));
    }
    SentenceTerms { terms, numbers }
}

/// Inverse document frequencies over a set of sentences (each sentence a document).
#[derive(Debug, Clone, Default)]
pub struct Idf {
    df: HashMap<String, u32>,
    n: u32,
}

impl Idf {
    /// IDF over `sentences`.
    pub fn new<'a>(sentences: impl IntoIterator<Item = &'a SentenceTerms>) -> Self {
        let mut df: HashMap<String, u32> = HashMap::new();
        let mut n = 0;
        for s in sentences {
            n += 1;
            for t in &s.terms {
                *df.entry(t.clone()).or_default() += 1;
            }
        }
        Idf { df, n }
    }

    /// The weight of a term: rare terms weigh more; terms never seen weigh most.
    pub fn weight(&self, t: &str) -> f32 {
        let df = self.df.get(t).copied().unwrap_or(0) as f32;
        ((1.0 + self.n as f32) / (0.5 + df)).ln().max(0.1)
    }
}

/// How strongly two sentences state the same fact, 0..1.
pub fn score(a: &SentenceTerms, b: &SentenceTerms, idf: &Idf) -> f32 {
    if a.terms.is_empty() || b.terms.is_empty() {
        return 0.0;
    }
    let wa: f32 = a.terms.iter().map(|t| idf.weight(t).powi(2)).sum();
    let wb: f32 = b.terms.iter().map(|t| idf.weight(t).powi(2)).sum();
    let shared: f32 = a
        .terms
        .intersection(&b.terms)
        .map(|t| idf.weight(t).powi(2))
        .sum();
    let mut s = shared / (wa.sqrt() * wb.sqrt());
    // Numbers in both that disagree are a different fact more often than a reworded one.
    if !a.numbers.is_empty() && !b.numbers.is_empty() && a.numbers.is_disjoint(&b.numbers) {
        s *= 0.8;
    }
    s
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
        assert!(score(&a, &c, &idf) < 0.1);
    }
}
