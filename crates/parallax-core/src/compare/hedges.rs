//! Hedges: the words by which an outlet signals it is not stating a thing as its own fact ("reportedly",
//! "believed to be", "apparently", "according to the report", "may have").

use regex::Regex;
use std::sync::OnceLock;

fn hedge_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:reportedly|allegedly|apparently|purportedly|supposedly|ostensibly|presumably|seemingly|likely|unconfirmed|unverified|(?:is|are|was|were) (?:believed|said|thought|understood|reported|alleged|expected) to(?: be| have)?|(?:may|might|could) have|may|might|according to (?:the |a )?(?:report|reports|sources?|media reports)|it is unclear|it is not known|it remains unclear|claimed|claims)\b",
        )
        .expect("valid regex")
    })
}

/// Hedges in a sentence, verbatim, in order.
pub fn hedges(sentence: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in hedge_re().find_iter(sentence) {
        let h = m.as_str().to_string();
        if !out.iter().any(|x| x.eq_ignore_ascii_case(&h)) {
            out.push(h);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_hedges() {
        assert_eq!(
            hedges("They have reportedly met, and were apparently aware."),
            vec!["reportedly", "apparently"]
        );
        assert_eq!(
            hedges("These talks are believed to be informal."),
            vec!["are believed to be"]
        );
        assert_eq!(
            hedges("It happened, according to the report."),
            vec!["according to the report"]
        );
        assert!(hedges("The council voted.").is_empty());
    }
}
