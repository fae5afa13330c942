//! Comparison of one story: facts x outlets (shared / unique / omitted), who is cited and the wire origin,
//! hedges, framing, entities, a timeline of resolved dates, and quotes that differ across outlets. Every
//! text the report holds is a span of an article's text, with byte offsets; nothing is generated.

pub mod align;
pub mod attribution;
pub mod framing;
pub mod hedges;
#[rustfmt::skip]
mod same_fact_model;
pub mod timeline;

use crate::model::{Article, ArticleId, StoryId};
use crate::registry::Registry;
use crate::text::{self, Span};
use attribution::{Citer, SourceKind};
use framing::EntityKind;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use timeline::Precision;

/// One article of a story and the original it copies, if it is a copy.
#[derive(Debug, Clone)]
pub struct Member {
    /// The article.
    pub article: Article,
    /// The first-seen twin it copies.
    pub copy_of: Option<ArticleId>,
}

/// The comparison report of one story (the JSON contract of `compare --json` and `/api/stories/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The story.
    pub story: StoryHeader,
    /// Its articles.
    pub articles: Vec<ArticleRef>,
    /// Facts: shared ones first.
    pub facts: Vec<Fact>,
    /// Who is cited.
    pub sources: Vec<Source>,
    /// Named people, organisations, places.
    pub entities: Vec<Entity>,
    /// Dated events, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Labels outlets use for the same referent.
    pub framing: Vec<Framing>,
    /// Evaluative words per outlet.
    pub loaded: Vec<LoadedWord>,
    /// Quotations carried by several outlets, flagged where their words differ.
    pub quotes: Vec<Quote>,
    /// Per outlet: indexes into `facts` of widely carried facts it does not carry.
    pub omissions: BTreeMap<String, Vec<usize>>,
    /// Coverage per lens value, with blindspots.
    pub coverage: Vec<Lens>,
}

/// A story's identity and span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryHeader {
    /// Id.
    pub id: StoryId,
    /// The most representative headline.
    pub title: String,
    /// Earliest publication date.
    pub first_seen: Option<String>,
    /// Latest publication date.
    pub last_seen: Option<String>,
}

/// An article as listed in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRef {
    /// Id.
    pub id: ArticleId,
    /// Outlet.
    pub outlet: Option<String>,
    /// Headline.
    pub title: String,
    /// URL.
    pub url: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// The original it copies.
    pub copy_of: Option<ArticleId>,
}

/// Shared by two or more independent outlets, or unique to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// Two or more independent outlets state it.
    Shared,
    /// One outlet alone states it.
    Unique,
}

/// One fact and the sentences that state it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// Shared or unique.
    pub kind: FactKind,
    /// Outlets that state it.
    pub outlets: Vec<String>,
    /// The sentences.
    pub mentions: Vec<Mention>,
    /// Figures the outlets give differently for this fact: each outlet's numbers, verbatim with offsets.
    /// Empty when they agree or only one outlet gives figures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub numbers_differ: Vec<SpanRef>,
}

/// A sentence of an article: `text == article.text[start..end]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Article id.
    pub article: ArticleId,
    /// The sentence, verbatim.
    pub text: String,
    /// Byte offset in the article text.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// Hedges in it, verbatim.
    pub hedges: Vec<String>,
    /// The first source it cites.
    pub attribution: Option<Cited>,
}

/// A citation with offsets in the article text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cited {
    /// Who.
    pub source: String,
    /// Kind of source.
    pub kind: SourceKind,
    /// The citing words, verbatim.
    pub text: String,
    /// Byte offset in the article text.
    pub start: usize,
    /// End.
    pub end: usize,
}

/// A cited source across the story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: SourceKind,
    /// Articles citing it.
    pub cited_by: Vec<ArticleId>,
    /// True for the wire the story's reporting comes from.
    pub origin: bool,
}

/// A named entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: EntityKind,
    /// Articles naming it.
    pub articles: Vec<ArticleId>,
}

/// A dated event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: String,
    /// Precision.
    pub precision: Precision,
    /// The first sentence that dates it, verbatim.
    pub text: String,
    /// Articles dating it.
    pub articles: Vec<ArticleId>,
    /// Each dating expression, verbatim with offsets.
    pub mentions: Vec<SpanRef>,
}

/// A span of an article's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanRef {
    /// Article id.
    pub article: ArticleId,
    /// The span, verbatim.
    pub text: String,
    /// Byte offset.
    pub start: usize,
    /// End.
    pub end: usize,
}

/// The labels outlets use for one referent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Framing {
    /// The referent.
    pub referent: String,
    /// Labels per outlet.
    pub variants: Vec<Variant>,
    /// Outlets of the story that use none of the labels.
    pub unlabelled: Vec<String>,
}

/// One outlet's label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Outlet.
    pub outlet: String,
    /// The label, verbatim.
    pub phrase: String,
    /// Where.
    pub at: SpanRef,
}

/// An evaluative word used by an outlet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadedWord {
    /// Outlet.
    pub outlet: String,
    /// Where (the word).
    pub at: SpanRef,
}

/// A quotation carried by several outlets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Each outlet's rendering.
    pub mentions: Vec<SpanRef>,
    /// True when the renderings' words differ.
    pub differs: bool,
}

/// Coverage of one lens (an outlet tag such as `country` or `type`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lens {
    /// The tag.
    pub lens: String,
    /// Per value.
    pub values: Vec<LensValue>,
}

/// One lens value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LensValue {
    /// The value ("UA", "exile").
    pub value: String,
    /// Outlets of this value covering the story.
    pub covering: Vec<String>,
    /// Outlets of this value ingested in the story's window (the denominator).
    pub ingested: usize,
    /// True when outlets of this value were ingested in the window and none covered the story.
    pub blindspot: bool,
}

/// Lenses reported by default.
pub const DEFAULT_LENSES: &[&str] = &["country", "type", "language"];

struct Unit {
    member: usize,
    span: Span,
    terms: align::SentenceTerms,
}

fn outlet_key(a: &Article) -> String {
    a.outlet.clone().unwrap_or_else(|| a.id.0.clone())
}

/// Compares a story. `ingested_outlets` are the outlets read in the story's window (for blindspots).
pub fn compare(
    id: &StoryId,
    members: &[Member],
    registry: &Registry,
    ingested_outlets: &[String],
) -> Report {
    let citer = registry.citer();
    let sentences: Vec<Vec<Span>> = members
        .iter()
        .map(|m| {
            text::sentences(
                &m.article.text,
                m.article.language.as_deref().unwrap_or("en"),
            )
        })
        .collect();
    let facts = facts(members, &sentences, citer);
    let outlets: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for m in members.iter().filter(|m| m.copy_of.is_none()) {
            let o = outlet_key(&m.article);
            if !v.contains(&o) {
                v.push(o);
            }
        }
        v
    };
    let need = 2.max(outlets.len().div_ceil(2));
    let mut omissions = BTreeMap::new();
    for o in &outlets {
        let missing: Vec<usize> = facts
            .iter()
            .enumerate()
            .filter(|(_, f)| f.outlets.len() >= need && !f.outlets.contains(o))
            .map(|(i, _)| i)
            .collect();
        omissions.insert(o.clone(), missing);
    }
    let dates: Vec<Option<String>> = members
        .iter()
        .map(|m| m.article.published.clone())
        .collect();
    let mut days: Vec<&String> = dates.iter().flatten().collect();
    days.sort();
    Report {
        story: StoryHeader {
            id: id.clone(),
            title: representative_title(members),
            first_seen: days.first().map(|d| d.to_string()),
            last_seen: days.last().map(|d| d.to_string()),
        },
        articles: members
            .iter()
            .map(|m| ArticleRef {
                id: m.article.id.clone(),
                outlet: m.article.outlet.clone(),
                title: m.article.title.clone(),
                url: m.article.url.clone(),
                published: m.article.published.clone(),
                copy_of: m.copy_of.clone(),
            })
            .collect(),
        sources: sources(members, &sentences, citer),
        entities: entities(members, &sentences, registry),
        timeline: timeline(members, &sentences),
        framing: framing(members, &sentences, &outlets),
        loaded: loaded(members, &sentences),
        quotes: quotes(members, &sentences),
        omissions,
        coverage: coverage(&outlets, registry, ingested_outlets),
        facts,
    }
}

fn span_ref(a: &Article, start: usize, end: usize) -> SpanRef {
    SpanRef {
        article: a.id.clone(),
        text: a.text[start..end].to_string(),
        start,
        end,
    }
}

fn facts(members: &[Member], sentences: &[Vec<Span>], citer: &Citer) -> Vec<Fact> {
    let mut units: Vec<Unit> = Vec::new();
    for (mi, m) in members.iter().enumerate() {
        if m.copy_of.is_some() {
            continue;
        }
        let an = text::analyzer(m.article.language.as_deref());
        for s in &sentences[mi] {
            let terms = align::prepare_in(&m.article.text[s.start..s.end], an);
            if terms.terms.len() >= 3 {
                units.push(Unit {
                    member: mi,
                    span: *s,
                    terms,
                });
            }
        }
    }
    let idf = align::Idf::new(units.iter().map(|u| &u.terms));
    // Candidate pairs share a term; for each unit keep its best match in each other article.
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        for t in &u.terms.terms {
            postings.entry(*t).or_default().push(i);
        }
    }
    let mut parent: Vec<usize> = (0..units.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let n = p[y];
            p[y] = r;
            y = n;
        }
        r
    }
    let outlet_of: Vec<String> = units
        .iter()
        .map(|u| outlet_key(&members[u.member].article))
        .collect();
    // Blocking: a pair is scored only when it shares two content terms (one shared word does not make a
    // fact the same); counts come from the postings, so no pair is touched twice.
    let mut shared = vec![0u16; units.len()];
    let mut touched: Vec<usize> = Vec::new();
    for i in 0..units.len() {
        for t in &units[i].terms.terms {
            if let Some(list) = postings.get(t) {
                if list.len() <= 400 {
                    for &j in list.iter().filter(|&&j| j > i) {
                        if shared[j] == 0 {
                            touched.push(j);
                        }
                        shared[j] += 1;
                    }
                }
            }
        }
        let mut cands: Vec<usize> = touched
            .iter()
            .copied()
            .filter(|&j| shared[j] >= 2)
            .collect();
        for j in touched.drain(..) {
            shared[j] = 0;
        }
        cands.sort_unstable();
        let mut best: HashMap<usize, (usize, f32)> = HashMap::new();
        for j in cands {
            if units[j].member == units[i].member || outlet_of[j] == outlet_of[i] {
                continue;
            }
            let s = align::score(&units[i].terms, &units[j].terms, &idf);
            if s >= align::SAME_FACT {
                let e = best.entry(units[j].member).or_insert((j, s));
                if s > e.1 {
                    *e = (j, s);
                }
            }
        }
        for (_, (j, _)) in best {
            let (a, b) = (find(&mut parent, i), find(&mut parent, j));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..units.len() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<(usize, Fact)> = Vec::new();
    for (_, g) in groups {
        let mut outlets: Vec<String> = Vec::new();
        for &i in &g {
            if !outlets.contains(&outlet_of[i]) {
                outlets.push(outlet_of[i].clone());
            }
        }
        let mentions: Vec<Mention> = g
            .iter()
            .map(|&i| {
                let u = &units[i];
                let a = &members[u.member].article;
                let sentence = &a.text[u.span.start..u.span.end];
                let attribution = attribution::attributions(sentence, citer)
                    .into_iter()
                    .next()
                    .map(|c| Cited {
                        source: c.source,
                        kind: c.kind,
                        text: c.text,
                        start: u.span.start + c.start,
                        end: u.span.start + c.end,
                    });
                Mention {
                    article: a.id.clone(),
                    text: sentence.to_string(),
                    start: u.span.start,
                    end: u.span.end,
                    hedges: hedges::hedges(sentence),
                    attribution,
                }
            })
            .collect();
        let kind = if outlets.len() >= 2 {
            FactKind::Shared
        } else {
            FactKind::Unique
        };
        let numbers_differ = if kind == FactKind::Shared {
            differing_numbers(&mentions, &outlet_of, &g)
        } else {
            Vec::new()
        };
        out.push((
            g[0],
            Fact {
                kind,
                outlets,
                mentions,
                numbers_differ,
            },
        ));
    }
    out.sort_by(|(a, fa), (b, fb)| {
        let ka = fa.kind == FactKind::Shared;
        let kb = fb.kind == FactKind::Shared;
        kb.cmp(&ka)
            .then(fb.outlets.len().cmp(&fa.outlets.len()))
            .then(units[*a].member.cmp(&units[*b].member))
            .then(a.cmp(b))
    });
    out.into_iter().map(|(_, f)| f).collect()
}

/// Numbers (with their unit word, e.g. "7.1 magnitude", "three people") written in a sentence: byte offsets.
fn numbers_in(sentence: &str) -> Vec<(usize, usize)> {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let r = R.get_or_init(|| {
        regex::Regex::new(
            r"(?i)\b(?:\d[\d,.]*\d|\d)(?:\s*(?:%|percent|per cent|million|billion|thousand))?",
        )
        .expect("valid regex")
    });
    r.find_iter(sentence)
        .filter(|m| {
            // Years and dates are the timeline's business, not a disagreement in figures.
            let t = m.as_str();
            !(t.len() == 4 && (t.starts_with("19") || t.starts_with("20")))
        })
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// The numbers of a shared fact's mentions when outlets give different ones.
fn differing_numbers(mentions: &[Mention], outlet_of: &[String], group: &[usize]) -> Vec<SpanRef> {
    let mut per_outlet: BTreeMap<&str, (BTreeSet<String>, Vec<SpanRef>)> = BTreeMap::new();
    for (m, &u) in mentions.iter().zip(group) {
        for (a, b) in numbers_in(&m.text) {
            let e = per_outlet.entry(outlet_of[u].as_str()).or_default();
            e.0.insert(m.text[a..b].replace(',', "").to_lowercase());
            e.1.push(SpanRef {
                article: m.article.clone(),
                text: m.text[a..b].to_string(),
                start: m.start + a,
                end: m.start + b,
            });
        }
    }
    let sets: Vec<&BTreeSet<String>> = per_outlet.values().map(|v| &v.0).collect();
    if sets.len() < 2 || sets.windows(2).all(|w| w[0] == w[1]) {
        return Vec::new();
    }
    per_outlet.into_values().flat_map(|v| v.1).collect()
}

fn sources(members: &[Member], sentences: &[Vec<Span>], citer: &Citer) -> Vec<Source> {
    let mut map: BTreeMap<String, (SourceKind, Vec<ArticleId>, usize)> = BTreeMap::new();
    for (mi, m) in members.iter().enumerate() {
        for s in &sentences[mi] {
            for c in attribution::attributions(&m.article.text[s.start..s.end], citer) {
                // An outlet citing itself is not a source.
                if m.article.outlet.as_deref() == Some(c.source.as_str()) {
                    continue;
                }
                let e = map.entry(c.source).or_insert((c.kind, Vec::new(), 0));
                e.2 += 1;
                if !e.1.contains(&m.article.id) {
                    e.1.push(m.article.id.clone());
                }
            }
        }
    }
    let origin = map
        .iter()
        .filter(|(_, v)| v.0 == SourceKind::Wire)
        .max_by(|a, b| {
            a.1 .1
                .len()
                .cmp(&b.1 .1.len())
                .then(a.1 .2.cmp(&b.1 .2))
                .then(b.0.cmp(a.0))
        })
        .map(|(k, _)| k.clone());
    let mut out: Vec<Source> = map
        .into_iter()
        .map(|(name, (kind, cited_by, _))| Source {
            origin: Some(&name) == origin.as_ref(),
            name,
            kind,
            cited_by,
        })
        .collect();
    out.sort_by(|a, b| {
        b.origin
            .cmp(&a.origin)
            .then(b.cited_by.len().cmp(&a.cited_by.len()))
            .then(a.name.cmp(&b.name))
    });
    out
}

/// The story's named entities. Resolved over the whole story: a surname alone ("Trump") is the person
/// the story names in full ("Donald Trump") when exactly one of its people has that surname, and a name the
/// outlet registry knows (an outlet or a wire, "Reuters") is an organisation.
fn entities(members: &[Member], sentences: &[Vec<Span>], registry: &Registry) -> Vec<Entity> {
    let mut map: BTreeMap<String, (BTreeMap<EntityKind, usize>, Vec<ArticleId>)> = BTreeMap::new();
    for (mi, m) in members.iter().enumerate() {
        let an = text::analyzer(m.article.language.as_deref());
        for s in &sentences[mi] {
            for (name, kind, _, _) in framing::entities_in(&m.article.text[s.start..s.end], an) {
                let e = map.entry(name).or_default();
                *e.0.entry(kind).or_default() += 1;
                if !e.1.contains(&m.article.id) {
                    e.1.push(m.article.id.clone());
                }
            }
        }
    }
    let kind_of = |kinds: &BTreeMap<EntityKind, usize>| {
        kinds
            .iter()
            .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
            .map_or(EntityKind::Other, |(k, _)| *k)
    };
    // Surnames of the people named in full, and the full names holding each.
    let mut surnames: HashMap<&str, Vec<&str>> = HashMap::new();
    for (name, (kinds, _)) in &map {
        if kind_of(kinds) == EntityKind::Person {
            if let Some((_, last)) = name.rsplit_once(' ') {
                surnames.entry(last).or_default().push(name);
            }
        }
    }
    let folds: Vec<(String, String)> = map
        .keys()
        .filter(|n| !n.contains(' '))
        .filter_map(|n| match surnames.get(n.as_str()).map(Vec::as_slice) {
            Some([full]) => Some((n.clone(), full.to_string())),
            _ => None,
        })
        .collect();
    for (short, full) in folds {
        if let Some((kinds, articles)) = map.remove(&short) {
            let e = map.entry(full).or_default();
            // The mentions by surname count for the person.
            *e.0.entry(EntityKind::Person).or_default() += kinds.values().sum::<usize>();
            for a in articles {
                if !e.1.contains(&a) {
                    e.1.push(a);
                }
            }
        }
    }
    for (name, (kinds, _)) in map.iter_mut() {
        if registry.by_name(name).is_some() {
            kinds.clear();
            kinds.insert(EntityKind::Organisation, 1);
        }
    }
    let mut out: Vec<Entity> = map
        .into_iter()
        .map(|(name, (kinds, articles))| {
            let kind = kind_of(&kinds);
            Entity {
                name,
                kind,
                articles,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then(a.name.cmp(&b.name))
    });
    out.truncate(60);
    out
}

fn timeline(members: &[Member], sentences: &[Vec<Span>]) -> Vec<TimelineEntry> {
    let mut map: BTreeMap<(String, Precision), TimelineEntry> = BTreeMap::new();
    for (mi, m) in members.iter().enumerate() {
        let Some(day) = m.article.day() else { continue };
        for s in &sentences[mi] {
            let sentence = &m.article.text[s.start..s.end];
            for d in timeline::dates(sentence, day) {
                let e = map
                    .entry((d.date.clone(), d.precision))
                    .or_insert_with(|| TimelineEntry {
                        date: d.date.clone(),
                        precision: d.precision,
                        text: sentence.to_string(),
                        articles: Vec::new(),
                        mentions: Vec::new(),
                    });
                if !e.articles.contains(&m.article.id) {
                    e.articles.push(m.article.id.clone());
                }
                e.mentions
                    .push(span_ref(&m.article, s.start + d.start, s.start + d.end));
            }
        }
    }
    map.into_values().collect()
}

fn framing(members: &[Member], sentences: &[Vec<Span>], outlets: &[String]) -> Vec<Framing> {
    let mut map: BTreeMap<&'static str, Vec<Variant>> = BTreeMap::new();
    for (mi, m) in members.iter().enumerate() {
        let outlet = outlet_key(&m.article);
        for s in &sentences[mi] {
            for l in framing::labels(&m.article.text[s.start..s.end]) {
                let at = span_ref(&m.article, s.start + l.start, s.start + l.end);
                let v = map.entry(l.referent).or_default();
                if !v
                    .iter()
                    .any(|x| x.outlet == outlet && x.phrase.eq_ignore_ascii_case(&at.text))
                {
                    v.push(Variant {
                        outlet: outlet.clone(),
                        phrase: at.text.clone(),
                        at,
                    });
                }
            }
        }
    }
    map.into_iter()
        .map(|(referent, variants)| Framing {
            referent: referent.to_string(),
            unlabelled: outlets
                .iter()
                .filter(|o| !variants.iter().any(|v| &v.outlet == *o))
                .cloned()
                .collect(),
            variants,
        })
        .collect()
}

fn loaded(members: &[Member], sentences: &[Vec<Span>]) -> Vec<LoadedWord> {
    let mut out = Vec::new();
    for (mi, m) in members.iter().enumerate() {
        for s in &sentences[mi] {
            for (a, b) in framing::loaded(&m.article.text[s.start..s.end]) {
                out.push(LoadedWord {
                    outlet: outlet_key(&m.article),
                    at: span_ref(&m.article, s.start + a, s.start + b),
                });
            }
        }
    }
    out
}

fn quotes(members: &[Member], sentences: &[Vec<Span>]) -> Vec<Quote> {
    let mut found: Vec<(String, SpanRef, align::SentenceTerms)> = Vec::new();
    for (mi, m) in members.iter().enumerate() {
        if m.copy_of.is_some() {
            continue;
        }
        let an = text::analyzer(m.article.language.as_deref());
        for s in &sentences[mi] {
            let sentence = &m.article.text[s.start..s.end];
            for (a, b) in quoted(sentence) {
                let q = &sentence[a..b];
                if q.split_whitespace().count() >= 2 {
                    found.push((
                        outlet_key(&m.article),
                        span_ref(&m.article, s.start + a, s.start + b),
                        align::prepare_in(q, an),
                    ));
                }
            }
        }
    }
    let idf = align::Idf::new(found.iter().map(|f| &f.2));
    let mut used = vec![false; found.len()];
    let mut out = Vec::new();
    for i in 0..found.len() {
        if used[i] {
            continue;
        }
        let mut group = vec![i];
        for j in i + 1..found.len() {
            if !used[j]
                && found[j].0 != found[i].0
                && align::score(&found[i].2, &found[j].2, &idf) >= 0.6
            {
                group.push(j);
            }
        }
        let outlets: BTreeSet<&String> = group.iter().map(|&k| &found[k].0).collect();
        if outlets.len() < 2 {
            continue;
        }
        for &k in &group {
            used[k] = true;
        }
        let norm = |s: &str| {
            text::words(s)
                .map(|(_, w)| w.to_lowercase())
                .collect::<Vec<_>>()
        };
        let first = norm(&found[group[0]].1.text);
        let differs = group.iter().any(|&k| norm(&found[k].1.text) != first);
        out.push(Quote {
            mentions: group.iter().map(|&k| found[k].1.clone()).collect(),
            differs,
        });
    }
    out
}

/// Byte ranges of quoted text inside a sentence (between “ ” or straight double quotes).
fn quoted(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in s.char_indices() {
        match (open, c) {
            (None, '“') | (None, '"') => open = Some((i + c.len_utf8(), c)),
            (Some((start, '“')), '”') | (Some((start, '"')), '"') => {
                out.push((start, i));
                open = None;
            }
            _ => {}
        }
    }
    out
}

fn coverage(outlets: &[String], registry: &Registry, ingested: &[String]) -> Vec<Lens> {
    let mut lenses = Vec::new();
    for lens in DEFAULT_LENSES {
        let mut values: BTreeMap<String, (Vec<String>, BTreeSet<String>)> = BTreeMap::new();
        for o in ingested.iter().chain(outlets) {
            if let Some(v) = registry.by_name(o).and_then(|x| x.tags.get(*lens)) {
                values.entry(v.clone()).or_default().1.insert(o.clone());
            }
        }
        for o in outlets {
            if let Some(v) = registry.by_name(o).and_then(|x| x.tags.get(*lens)) {
                values.entry(v.clone()).or_default().0.push(o.clone());
            }
        }
        if values.is_empty() {
            continue;
        }
        lenses.push(Lens {
            lens: lens.to_string(),
            values: values
                .into_iter()
                .map(|(value, (covering, ing))| LensValue {
                    blindspot: covering.is_empty() && !ing.is_empty(),
                    value,
                    covering,
                    ingested: ing.len(),
                })
                .collect(),
        });
    }
    lenses
}

fn representative_title(members: &[Member]) -> String {
    let titles: Vec<(&str, bool)> = members
        .iter()
        .map(|m| (m.article.title.as_str(), m.copy_of.is_none()))
        .collect();
    headline(&titles)
}

/// The most representative headline of a story: the one closest to the others (originals preferred),
/// preferring headline-length titles over first sentences. `titles` are (title, is_original).
pub fn headline(titles: &[(&str, bool)]) -> String {
    let originals: Vec<&str> = titles.iter().filter(|t| t.1).map(|t| t.0).collect();
    let pool: Vec<&str> = if originals.is_empty() {
        titles.iter().map(|t| t.0).collect()
    } else {
        originals
    };
    // Large stories: the first 200 titles decide.
    let pool = &pool[..pool.len().min(200)];
    if pool.len() < 2 {
        return pool.first().map(|t| t.to_string()).unwrap_or_default();
    }
    let terms: Vec<align::SentenceTerms> = pool.iter().map(|t| align::prepare(t)).collect();
    let idf = align::Idf::new(terms.iter());
    // `align::score` is symmetric (each of its measures is): each pair is scored once.
    let n = pool.len();
    let mut pair = vec![0.0f32; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let s = align::score(&terms[i], &terms[j], &idf);
            pair[i * n + j] = s;
            pair[j * n + i] = s;
        }
    }
    let mut best: Option<(f32, usize)> = None;
    for (i, title) in pool.iter().enumerate() {
        let words = title.split_whitespace().count();
        let len_penalty = if words > 20 { 0.5 } else { 1.0 };
        let s: f32 = (0..n)
            .filter(|&j| j != i)
            .map(|j| pair[i * n + j])
            .sum::<f32>()
            * len_penalty
            + if (4..=20).contains(&words) { 0.01 } else { 0.0 };
        if best.is_none_or(|(b, _)| s > b) {
            best = Some((s, i));
        }
    }
    best.map(|(_, i)| pool[i].to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests;
