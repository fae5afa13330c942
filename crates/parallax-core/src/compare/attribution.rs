//! Attribution: who a sentence cites and how — a wire or outlet ("Reuters reported", "according to the
//! Financial Times"), an official or a person ("Peskov said"), or anonymous sources ("sources familiar with
//! the matter"). Outlet and wire names come from the registry, so users extend the list with their own file.

use crate::registry::Registry;
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What kind of source is cited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A news agency.
    Wire,
    /// Another outlet.
    Outlet,
    /// An official body or office holder.
    Official,
    /// A named person.
    Person,
    /// Unnamed sources.
    Anonymous,
}

/// One citation inside a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// Who is cited ("Reuters", "anonymous sources").
    pub source: String,
    /// What kind of source.
    pub kind: SourceKind,
    /// The words that cite it, verbatim ("Reuters reported", "sources familiar with the matter").
    pub text: String,
    /// Byte offsets of `text` within the sentence.
    pub start: usize,
    /// End offset.
    pub end: usize,
}

/// Outlet and wire names of a registry, compiled for matching in running text.
#[derive(Debug)]
pub struct Citer {
    ac: AhoCorasick,
    meta: Vec<(String, SourceKind)>,
}

impl Citer {
    /// Compiles the names of `registry`.
    pub fn new(registry: &Registry) -> Self {
        let mut pats = Vec::new();
        let mut meta = Vec::new();
        for o in registry.outlets() {
            let kind = if o.is_wire() {
                SourceKind::Wire
            } else {
                SourceKind::Outlet
            };
            for n in std::iter::once(&o.name).chain(&o.aliases) {
                // One-letter aliases would match everywhere; names are matched as whole words below.
                if n.len() >= 2 {
                    pats.push(n.clone());
                    meta.push((o.name.clone(), kind));
                }
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&pats)
            .expect("outlet names build an automaton");
        Citer { ac, meta }
    }
}

fn verbs() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^(?:'s|’s)?\s*(?:\([^)]*\)\s*)?(?:reported|reports|said|says|wrote|writes|cited|cites|quoted|quotes|learned|revealed|told|according|source|sources|report|journalists?|correspondents?)\b")
            .expect("valid regex")
    })
}

fn before() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)(?:according to|citing|cited by|told|quoted by|reported by|via|per|one|a|two|three)\s+(?:the\s+)?$").expect("valid regex"))
}

fn anonymous() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)\b(?:(?:anonymous|unnamed|several|two|three|multiple)\s+)?(?:sources?|people|officials?|insiders?|diplomats?)(?:\s+(?:said to be|who are|who were))?\s+(?:familiar with|close to|briefed on|with knowledge of)\s+(?:the\s+)?(?:matter|talks|discussions|situation|negotiations|plans?)|\b(?:anonymous|unnamed)\s+(?:sources?|officials?)|\bsources\s+(?:cited|quoted)\s+by\b|\bsources\s+(?:said|say|told)|\bwho (?:spoke|asked not to be named) on condition of anonymity")
            .expect("valid regex")
    })
}

fn official() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\b((?:the\s+)?(?:Kremlin|White House|Pentagon|State Department|Foreign Ministry|Defen[cs]e Ministry|Ministry of [A-Z]\w+|[A-Z]\w+ Ministry|Presidential Office|Downing Street|Elysee|Élysée|police|prosecutors?|spokesperson|spokesman|spokeswoman)(?:\s+spokes(?:man|woman|person))?)\s+(?:said|says|announced|stated|confirmed|denied|told)\b")
            .expect("valid regex")
    })
}

fn person() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\b([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){0,2})\s+(?:said|says|told|wrote|added|stated|argued|noted|warned)\b|\b(?:said|says|told)\s+([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){1,2})\b")
            .expect("valid regex")
    })
}

/// Citations in a sentence, in order.
pub fn attributions(sentence: &str, citer: &Citer) -> Vec<Attribution> {
    let mut out: Vec<Attribution> = Vec::new();
    let (ac, meta) = (&citer.ac, &citer.meta);
    for m in ac.find_iter(sentence) {
        let (s, e) = (m.start(), m.end());
        let whole = !sentence[..s]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && !sentence[e..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        if !whole {
            continue;
        }
        let (name, kind) = &meta[m.pattern().as_usize()];
        let after = &sentence[e..];
        let before_text = &sentence[..s];
        let cites = verbs().find(after);
        let by = before().find(before_text);
        if cites.is_none() && by.is_none() && !after.trim_start().starts_with('-') {
            continue;
        }
        let (ts, te) = match (by, cites) {
            (Some(b), _) => (b.start(), e),
            (None, Some(c)) => (s, e + c.end()),
            (None, None) => (s, e),
        };
        out.push(Attribution {
            source: name.clone(),
            kind: *kind,
            text: sentence[ts..te].to_string(),
            start: ts,
            end: te,
        });
    }
    for m in anonymous().find_iter(sentence) {
        out.push(Attribution {
            source: "anonymous sources".into(),
            kind: SourceKind::Anonymous,
            text: m.as_str().to_string(),
            start: m.start(),
            end: m.end(),
        });
    }
    for c in official().captures_iter(sentence) {
        let (m, g) = (c.get(0).expect("match"), c.get(1).expect("group"));
        if overlaps(&out, m.start(), m.end()) {
            continue;
        }
        let name = g.as_str().trim_start_matches("the ").to_string();
        out.push(Attribution {
            source: name,
            kind: SourceKind::Official,
            text: m.as_str().to_string(),
            start: m.start(),
            end: m.end(),
        });
    }
    for c in person().captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let Some(g) = c.get(1).or_else(|| c.get(2)) else {
            continue;
        };
        let name = g.as_str();
        let first = name.split_whitespace().next().unwrap_or("");
        if overlaps(&out, m.start(), m.end())
            || crate::text::is_stopword(&first.to_lowercase())
            || matches!(
                first,
                "He" | "She"
                    | "They"
                    | "It"
                    | "We"
                    | "I"
                    | "This"
                    | "That"
                    | "One"
                    | "Some"
                    | "Sources"
                    | "Officials"
            )
        {
            continue;
        }
        out.push(Attribution {
            source: name.to_string(),
            kind: SourceKind::Person,
            text: m.as_str().to_string(),
            start: m.start(),
            end: m.end(),
        });
    }
    out.sort_by_key(|a| a.start);
    out
}

fn overlaps(v: &[Attribution], s: usize, e: usize) -> bool {
    v.iter().any(|a| a.start < e && s < a.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> Citer {
        let mut r = Registry::default();
        r.extend_from_toml("[[outlet]]\nname = \"Reuters\"\ntype = \"wire\"\n[[outlet]]\nname = \"The Moscow Times\"\ntype = \"exile\"\n")
            .unwrap();
        Citer::new(&r)
    }

    #[test]
    fn wire_and_anonymous() {
        let s = "They met, Reuters reported citing sources said to be familiar with the matter.";
        let a = attributions(s, &reg());
        assert_eq!(a[0].source, "Reuters");
        assert_eq!(a[0].kind, SourceKind::Wire);
        assert_eq!(&s[a[0].start..a[0].end], a[0].text);
        assert!(a.iter().any(|x| x.kind == SourceKind::Anonymous));
        let s = "However, one Reuters source said the talks lost relevance.";
        assert_eq!(attributions(s, &reg())[0].source, "Reuters");
        let s = "The Kremlin said it was ready, Peskov told reporters.";
        let a = attributions(s, &reg());
        assert!(
            a.iter()
                .any(|x| x.kind == SourceKind::Official && x.source == "Kremlin"),
            "{a:?}"
        );
        assert!(
            a.iter()
                .any(|x| x.kind == SourceKind::Person && x.source == "Peskov"),
            "{a:?}"
        );
    }
}
