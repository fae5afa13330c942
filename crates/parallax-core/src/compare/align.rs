//! Which sentences of different outlets state the same fact. The rule is lexical and measured on MRPC
//! (`parallax similar`): an IDF-weighted overlap of stemmed content terms, where names and numbers that one
//! sentence has and the other lacks count against the pair. The same function decides `similar` and the
//! facts of a comparison.

use crate::text;
use std::collections::{HashMap, HashSet};

/// Score at or above which two sentences state the same fact (fixed on the MRPC train and validation splits).
pub const SAME_FACT: f32 = 0.28;

/// A sentence prepared for comparison.
#[derive(Debug, Clone, Default)]
pub struct SentenceTerms {
    /// Content terms (stemmed).
    pub terms: HashSet<String>,
    /// Numbers written in it.
    pub numbers: HashSet<String>,
    /// Names: terms of capitalised words that do not open the sentence.
    pub names: HashSet<String>,
    /// Lower-cased word bigrams (function words included).
    pub bigrams: HashSet<(String, String)>,
    /// Words in all.
    pub words: usize,
    /// Its clauses, when it has more than one ("..., and ...", "...; ...").
    pub clauses: Vec<SentenceTerms>,
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
    let mut out = SentenceTerms::default();
    let mut prev: Option<String> = None;
    for (i, (_, w)) in text::words(sentence).enumerate() {
        out.words += 1;
        let lower = w.to_lowercase();
        if let Some(p) = prev.take() {
            out.bigrams.insert((p, lower.clone()));
        }
        prev = Some(lower.clone());
        // "US" is a country, not the pronoun.
        let acronym = w.len() >= 2 && w.chars().all(|c| c.is_uppercase() || c == '.');
        if (text::is_stopword(&lower) && !acronym) || REPORTING.contains(&lower.as_str()) {
            continue;
        }
        if w.chars().any(|c| c.is_ascii_digit()) {
            out.numbers.insert(lower.replace(',', ""));
        }
        let t = text::term(w);
        if i > 0 && w.chars().next().is_some_and(char::is_uppercase) {
            out.names.insert(t.clone());
        }
        out.terms.insert(t);
        // Parts of compounds count too: "non-government" also states "government".
        if w.contains('-') {
            for part in w.split('-').filter(|p| p.len() > 2) {
                let pl = part.to_lowercase();
                if !text::is_stopword(&pl) && pl != "non" {
                    out.terms.insert(text::term(part));
                }
            }
        }
    }
    out
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

    /// The weight of a term: rare terms weigh more (damped, so small collections do not punish the very
    /// terms two sentences share).
    pub fn weight(&self, t: &str) -> f32 {
        let df = self.df.get(t).copied().unwrap_or(0) as f32;
        (1.0 + (1.0 + self.n as f32) / (0.5 + df)).ln()
    }
}

/// The measurements the same-fact rule combines.
pub fn measures(a: &SentenceTerms, b: &SentenceTerms, idf: &Idf) -> [f32; 6] {
    if a.terms.is_empty() || b.terms.is_empty() {
        return [0.0; 6];
    }
    let wa: f32 = a.terms.iter().map(|t| idf.weight(t).powi(2)).sum();
    let wb: f32 = b.terms.iter().map(|t| idf.weight(t).powi(2)).sum();
    let shared: f32 = a
        .terms
        .intersection(&b.terms)
        .map(|t| idf.weight(t).powi(2))
        .sum();
    let cosine = shared / (wa.sqrt() * wb.sqrt());
    let overlap = shared / wa.min(wb);
    let inter = a.bigrams.intersection(&b.bigrams).count() as f32;
    let bigram = 2.0 * inter / (a.bigrams.len() + b.bigrams.len()).max(1) as f32;
    let numbers = if a.numbers.is_empty() || b.numbers.is_empty() {
        0.0
    } else if a.numbers == b.numbers {
        1.0
    } else if a.numbers.is_disjoint(&b.numbers) {
        -1.0
    } else {
        -0.5
    };
    let unmatched_names = a
        .names
        .symmetric_difference(&b.names)
        .filter(|n| !a.terms.contains(*n) || !b.terms.contains(*n))
        .count() as f32;
    let length = a.words.min(b.words) as f32 / a.words.max(b.words).max(1) as f32;
    [
        cosine,
        overlap,
        bigram,
        numbers,
        unmatched_names.min(6.0) / 6.0,
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
