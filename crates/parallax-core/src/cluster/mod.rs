//! Online same-event clustering. Articles arrive in publication order; each joins the open story it is most
//! similar to, or starts a new one. Similarity is a TF-IDF cosine between the article and the story's
//! centroid, over stemmed terms where title words, names (capitalised words) and numbers weigh more; IDF is
//! the running document frequency; dated articles far apart in time are discounted. Candidates come from an
//! inverted index over story centroids, so the cost of an article does not grow with the number of stories
//! that share none of its terms. Every assignment carries its reasons.

mod features;
mod merge;
pub mod refine;

pub use features::{features, features_with, stored_terms, Features};
pub use merge::Merge;

use crate::model::{ArticleId, StoryId};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// Terms of an article used to find candidate stories.
const CANDIDATE_TERMS: usize = 12;
/// Posting lists longer than this (a term in that many stories) are not used to find candidates.
const MAX_POSTINGS: usize = 2000;
/// Articles between two sweeps of the inverted index.
const SWEEP_EVERY: u32 = 1000;
/// Shared terms an assignment names among its reasons (those that weighed most).
const SHARED_TERMS: usize = 8;
/// Candidates scored in full per article (the best ranked by their dot product over the probe terms).
const SCORED_CANDIDATES: usize = 50;

/// A per-thread scratch space for [`Clusterer::ranked_candidates`]: partial dot products by story index,
/// each story's state, and the stories written (to reset them).
#[derive(Default)]
struct Scratch {
    dots: Vec<f32>,
    state: Vec<u8>,
    seen: Vec<u32>,
}

const UNSEEN: u8 = 0;
const KEPT: u8 = 1;
const REJECTED: u8 = 2;

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Days apart within which time does not lower the similarity of dated articles (the decay starts after).
/// Within them a copy follows its original's story without being scored; later, it is scored like any
/// article.
pub const GRACE_DAYS: i64 = 2;

/// Re-publications of one text a copy may follow (the latest): bounds a copy's cost however often its text
/// comes back.
const REISSUES: usize = 4;

/// Settings, fixed on the ECB+ train and dev splits (see `parallax-cli eval-cluster`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Cosine above which an article joins a story.
    pub threshold: f32,
    /// Days over which the similarity of dated articles halves.
    pub half_life_days: f32,
    /// Days without a new article after which a story is closed (no longer a candidate).
    pub close_after_days: i64,
    /// Terms kept in a story centroid.
    pub centroid_terms: usize,
    /// Weight of title words against body words.
    pub title_weight: f32,
    /// Extra weight of names (capitalised words inside a sentence).
    pub name_boost: f32,
    /// The second-pass check splits a story whose two halves' centroids are less similar than this.
    pub split_below: f32,
    /// The merge step folds a story of at most this many independent articles into another (0: no merges).
    pub merge_small: u32,
    /// ... when their centroids are at least this similar.
    pub merge_above: f32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            threshold: 0.25,
            half_life_days: 7.0,
            close_after_days: 30,
            centroid_terms: 150,
            title_weight: 2.0,
            name_boost: 1.5,
            split_below: 0.6,
            merge_small: 5,
            merge_above: 0.2,
        }
    }
}

/// Term hash -> term number. Keyed by the term's 64-bit hash alone: a lookup reads no term's bytes (which
/// lie elsewhere in memory, one cache miss per term of every article placed); two of a million terms share
/// a hash with odds of about one in 40 million, and would then share their statistics.
type Vocab = std::collections::HashMap<u64, u32, crate::text::Prehashed>;

/// The running IDFs of a [`Clusterer`], read-only (shareable across threads).
#[derive(Debug, Clone, Copy)]
pub struct Idf<'a> {
    vocab: &'a Vocab,
    df: &'a [u32],
    docs: u32,
}

impl Idf<'_> {
    /// The IDF of a term (terms never seen weigh most).
    pub fn of(&self, term: &str) -> f32 {
        self.of_number(
            self.vocab
                .get(&crate::text::hash64(term.as_bytes()))
                .copied(),
        )
    }

    fn of_number(&self, t: Option<u32>) -> f32 {
        let df = t.map_or(0, |t| self.df.get(t as usize).copied().unwrap_or(0)) as f32;
        ((1.0 + self.docs as f32) / (1.0 + df)).ln() + 1.0
    }
}

/// Whether `day` falls within `days` days of a story's span (always, when either is undated).
fn within(st: &Open, day: Option<NaiveDate>, days: i64) -> bool {
    gap_days(st, day) <= days
}

/// Days from a story's span to `day` (0 inside it, or when either is undated).
fn gap_days(st: &Open, day: Option<NaiveDate>) -> i64 {
    match (st.first, st.last, day) {
        (Some(first), Some(last), Some(d)) => {
            (d - last).num_days().max((first - d).num_days()).max(0)
        }
        _ => 0,
    }
}

/// Why an article went where it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// The story it joined or started.
    pub story: StoryId,
    /// True when it started the story.
    pub created: bool,
    /// Similarity to the story it joined (0 when it started one).
    pub score: f32,
    /// The terms that weighed most in that similarity.
    pub shared_terms: Vec<String>,
    /// Days between the article and the story's last article, when both are dated.
    pub gap_days: Option<i64>,
    /// The next best story and its similarity.
    pub runner_up: Option<(StoryId, f32)>,
    /// Set when a user's correction placed it.
    pub pinned: bool,
    /// Set when it is a copy that follows its original.
    pub copy_of: Option<ArticleId>,
    /// Set when the second-pass check moved it out of this story into a story of its own event.
    #[serde(default)]
    pub split_from: Option<StoryId>,
    /// Set when the merge step folded its story (a fragment) into this one: that story and the similarity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<(StoryId, f32)>,
}

impl Assignment {
    /// An assignment with no scoring behind it: a copy following its original, or an article placed by a
    /// later step whose reasons were not kept.
    pub fn placed(story: StoryId, copy_of: Option<ArticleId>) -> Assignment {
        Assignment {
            story,
            created: false,
            score: 0.0,
            shared_terms: Vec::new(),
            gap_days: None,
            runner_up: None,
            pinned: false,
            copy_of,
            split_from: None,
            merged_from: None,
        }
    }
}

/// A centroid's cached norm and the document count whose IDF it used, in one atomic word so the clusterer
/// can be read from several threads (the merge step scores candidate pairs on every core). Whichever thread
/// fills it, the value is the same: it depends on the centroid and the IDF alone.
#[derive(Debug, Default)]
struct NormCache(std::sync::atomic::AtomicU64);

impl NormCache {
    fn get(&self) -> (f32, u32) {
        let x = self.0.load(std::sync::atomic::Ordering::Relaxed);
        (f32::from_bits((x >> 32) as u32), x as u32)
    }

    fn set(&self, (norm, docs): (f32, u32)) {
        let x = (u64::from(norm.to_bits()) << 32) | u64::from(docs);
        self.0.store(x, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Clone for NormCache {
    fn clone(&self) -> Self {
        let c = NormCache::default();
        c.set(self.get());
        c
    }
}

#[derive(Debug, Clone)]
struct Open {
    id: StoryId,
    centroid: HashMap<u32, f32>,
    /// Norm of the centroid and the document count whose IDF it used (recomputed as the IDF drifts).
    norm_cache: NormCache,
    n: u32,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// Taken out of the inverted index, closed long ago (see [`Clusterer::sweep`]).
    swept: bool,
}

/// The clustering state: open stories, running document frequencies, the inverted index.
#[derive(Debug)]
pub struct Clusterer {
    config: Config,
    vocab: Vocab,
    terms: Vec<String>,
    df: Vec<u32>,
    docs: u32,
    stories: Vec<Open>,
    by_id: HashMap<StoryId, usize>,
    index: HashMap<u32, Vec<u32>>,
    next_story: u64,
    latest: Option<NaiveDate>,
    /// The story of each article, by index into `stories` (a lookup reads no story id).
    of_article: HashMap<ArticleId, u32>,
    /// For an original whose story had closed when a copy of it came: the latest [`REISSUES`] copies placed
    /// on their own since (re-publications, oldest first), which later copies of the same text may follow.
    reissued: HashMap<ArticleId, Vec<ArticleId>>,
    /// The document count at the last sweep of the index.
    swept_at: u32,
}

impl Clusterer {
    /// A clusterer with no stories; new story ids start after `next_story`.
    pub fn new(config: Config, next_story: u64) -> Self {
        Clusterer {
            config,
            vocab: Vocab::default(),
            terms: Vec::new(),
            df: Vec::new(),
            docs: 0,
            stories: Vec::new(),
            by_id: HashMap::default(),
            index: HashMap::default(),
            next_story,
            latest: None,
            of_article: HashMap::default(),
            reissued: HashMap::default(),
            swept_at: 0,
        }
    }

    /// The story an article was put in.
    pub fn story_of(&self, article: &ArticleId) -> Option<&StoryId> {
        self.of_article
            .get(article)
            .map(|&i| &self.stories[i as usize].id)
    }

    /// The index of a story, opened if it is new.
    fn story_index(&mut self, story: &StoryId) -> usize {
        match self.by_id.get(story) {
            Some(&i) => i,
            None => self.open_story(story.clone()),
        }
    }

    /// An article's terms by number, with their weights (new terms are numbered as they come).
    fn term_ids(&mut self, f: &Features) -> Vec<(u32, f32)> {
        f.terms().map(|(t, w)| (self.term_id(t), w)).collect()
    }

    fn term_id(&mut self, t: &str) -> u32 {
        let key = crate::text::hash64(t.as_bytes());
        if let Some(&i) = self.vocab.get(&key) {
            return i;
        }
        let i = self.terms.len() as u32;
        self.vocab.insert(key, i);
        self.terms.push(t.to_string());
        self.df.push(0);
        i
    }

    /// The running IDF of a term (terms never seen weigh most).
    pub fn term_idf(&self, term: &str) -> f32 {
        self.idf_view().of(term)
    }

    /// The running IDFs, to be read from several threads.
    pub fn idf_view(&self) -> Idf<'_> {
        Idf {
            vocab: &self.vocab,
            df: &self.df,
            docs: self.docs,
        }
    }

    /// Articles in a story so far (0 for a story it does not know).
    pub fn story_size(&self, story: &StoryId) -> u32 {
        self.by_id.get(story).map_or(0, |&i| self.stories[i].n)
    }

    /// The settings in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn idf(&self, t: u32) -> f32 {
        self.idf_view().of_number(Some(t))
    }

    /// The article a copy of `original` dated `day` follows, and its story: of the original and its latest
    /// re-publications, the one whose story runs nearest `day`, within [`GRACE_DAYS`] (the latest on a
    /// tie). None when the copy is to be placed on its own features: no such story runs then, or
    /// the original has none.
    fn followed(&self, original: &ArticleId, day: Option<NaiveDate>) -> Option<(ArticleId, usize)> {
        let mut best: Option<(i64, &ArticleId, usize)> = None;
        for target in self.reports_of(original) {
            let Some(&story) = self.of_article.get(target) else {
                continue;
            };
            let gap = gap_days(&self.stories[story as usize], day);
            if gap <= GRACE_DAYS && best.is_none_or(|b| gap < b.0) {
                best = Some((gap, target, story as usize));
            }
        }
        best.map(|(_, t, s)| (t.clone(), s))
    }

    /// The reports of `original`'s text: its latest re-publications, newest first, then the original.
    fn reports_of<'a>(&'a self, original: &'a ArticleId) -> impl Iterator<Item = &'a ArticleId> {
        let reissues = self.reissued.get(original).map_or(&[][..], Vec::as_slice);
        reissues.iter().rev().chain(std::iter::once(original))
    }

    /// Records that `article`, a copy of `original` placed on its own features because the original's
    /// story had closed, is the report later copies of that text follow (rebuilding the state from a store).
    pub fn note_reissue(&mut self, original: &ArticleId, article: &ArticleId) {
        let list = self.reissued.entry(original.clone()).or_default();
        if list.len() >= REISSUES {
            list.remove(0);
        }
        list.push(article.clone());
    }

    /// Places one article. `pinned` forces a story (a user's correction); `copy_of` sends a copy to its
    /// original's story while that story runs within [`GRACE_DAYS`] of the copy's date. A
    /// copy that follows its original adds nothing to the story's centroid, its size or the document
    /// frequencies: it is the same report again, not another one (its features may be empty, and a copy with
    /// none always follows). A later copy (the same text published again days or months on) is placed on
    /// its own features, with the time decay, as a report of its own (its assignment names no original);
    /// later copies of the text may follow it.
    pub fn assign(
        &mut self,
        article: &ArticleId,
        f: &Features,
        pinned: Option<&StoryId>,
        copy_of: Option<&ArticleId>,
    ) -> Assignment {
        if let (None, Some(original)) = (pinned, copy_of) {
            if let Some(a) = self.follow(article, original, f.day) {
                return a;
            }
        }
        self.assign_unfollowed(article, f, pinned, copy_of)
    }

    /// The first step of [`Clusterer::assign`] for a copy of `original` dated `day`: it follows the
    /// original's story (returned) when that runs near enough; None leaves the copy to
    /// [`Clusterer::assign_unfollowed`], which wants its features.
    pub fn follow(
        &mut self,
        article: &ArticleId,
        original: &ArticleId,
        day: Option<NaiveDate>,
    ) -> Option<Assignment> {
        let (target, story) = self.followed(original, day)?;
        self.of_article.insert(article.clone(), story as u32);
        Some(Assignment::placed(
            self.stories[story].id.clone(),
            Some(target),
        ))
    }

    /// [`Clusterer::assign`] for an article [`Clusterer::follow`] did not place.
    pub fn assign_unfollowed(
        &mut self,
        article: &ArticleId,
        f: &Features,
        pinned: Option<&StoryId>,
        copy_of: Option<&ArticleId>,
    ) -> Assignment {
        let mut copy_of = copy_of;
        // A copy scored on its own features: the original whose text it copies.
        let mut scored_copy = None;
        if let (None, Some(original)) = (pinned, copy_of) {
            if let Some(&story) = self.of_article.get(original) {
                if f.is_empty() {
                    // No features to place it by: it stays with its original.
                    self.of_article.insert(article.clone(), story);
                    return Assignment::placed(
                        self.stories[story as usize].id.clone(),
                        Some(original.clone()),
                    );
                }
                scored_copy = Some(original);
                copy_of = None;
            }
        }
        let ids = self.term_ids(f);
        for (t, _) in &ids {
            self.df[*t as usize] += 1;
        }
        self.docs += 1;
        if let Some(d) = f.day {
            self.latest = Some(self.latest.map_or(d, |l| l.max(d)));
        }
        let forced = pinned.cloned();
        // The article's terms are distinct: their IDFs go alongside.
        let idfs: Vec<f32> = ids.iter().map(|&(t, _)| self.idf(t)).collect();
        let doc: Vec<(u32, f32)> = ids
            .iter()
            .zip(&idfs)
            .map(|(&(t, w), i)| (t, w * i))
            .collect();
        let dnorm = doc.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-9);
        // Each term's weight in a dot product with a centroid: the article's weight times the IDF (the
        // centroid holds raw weights).
        let doc_x: Vec<(u32, f32)> = doc
            .iter()
            .zip(&idfs)
            .map(|(&(t, w), i)| (t, w * i))
            .collect();
        // Candidates come from the article's most specific terms (a term in very many stories names no
        // event), ranked by their share of the dot product over those terms; only the best ranked are
        // scored in full, so an article's cost is bounded however many stories share its common words.
        let mut probe: Vec<(u32, f32)> = doc_x.clone();
        let heaviest = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if probe.len() > CANDIDATE_TERMS {
            probe.select_nth_unstable_by(CANDIDATE_TERMS - 1, heaviest);
            probe.truncate(CANDIDATE_TERMS);
        }
        probe.sort_unstable_by(heaviest);
        let mut ranked =
            self.ranked_candidates(&probe, SCORED_CANDIDATES, true, MAX_POSTINGS, |s| {
                self.is_open(&self.stories[s], f.day)
            });
        let forced_idx = forced
            .as_ref()
            .and_then(|sid| self.by_id.get(sid))
            .map(|&i| i as u32);
        if let Some(i) = forced_idx.filter(|i| !ranked.iter().any(|r| r.0 == *i)) {
            ranked.push((i, 0.0));
        }
        let mut scores: Vec<(usize, f32)> = ranked
            .iter()
            .map(|&(s, _)| {
                let st = &self.stories[s as usize];
                let dot = doc_x
                    .iter()
                    .filter_map(|(t, x)| st.centroid.get(t).map(|c| x * c))
                    .fold(0.0f32, |a, b| a + b);
                let mut sim = dot / (dnorm * self.norm_of(s as usize));
                if let (Some(a), Some(b)) = (f.day, st.last) {
                    sim *= self.time_decay((a - b).num_days());
                }
                (s as usize, sim)
            })
            .collect();
        scores.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let best = scores.first().copied();
        // The story chosen, and whether it was scored (its shared terms are then the reasons).
        let (idx, created, score, scored, is_pinned) = if let Some(sid) = forced {
            let idx = match self.by_id.get(&sid) {
                Some(&i) => i,
                None => self.open_story(sid),
            };
            let found = scores.iter().find(|x| x.0 == idx);
            (
                idx,
                false,
                found.map_or(0.0, |x| x.1),
                found.is_some(),
                pinned.is_some(),
            )
        } else if let Some(b) = best.filter(|b| b.1 >= self.config.threshold) {
            (b.0, false, b.1, true, false)
        } else {
            let sid = StoryId(format!("s{}", self.next_story + 1));
            self.next_story += 1;
            (self.open_story(sid), true, 0.0, false, false)
        };
        // Each shared term's contribution to the chosen story's dot product, with its place in the
        // article's term order.
        let mut contrib: Vec<(usize, u32, f32)> = if scored {
            let st = &self.stories[idx];
            doc_x
                .iter()
                .enumerate()
                .filter_map(|(i, &(t, x))| st.centroid.get(&t).map(|c| (i, t, x * c)))
                .collect()
        } else {
            Vec::new()
        };
        let gap_days = match (f.day, self.stories[idx].last) {
            (Some(a), Some(b)) if !created => Some((a - b).num_days().abs()),
            _ => None,
        };
        let runner_up = scores
            .iter()
            .find(|x| x.0 != idx)
            .map(|x| (self.stories[x.0].id.clone(), x.1));
        // The heaviest [`SHARED_TERMS`], ties in the article's term order (as a stable sort of all of them
        // leaves them): selected, then sorted, rather than sorting every shared term.
        let heavier =
            |a: &(usize, u32, f32), b: &(usize, u32, f32)| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0));
        if contrib.len() > SHARED_TERMS {
            contrib.select_nth_unstable_by(SHARED_TERMS - 1, heavier);
            contrib.truncate(SHARED_TERMS);
        }
        contrib.sort_unstable_by(heavier);
        let shared_terms = contrib
            .iter()
            .map(|(_, t, _)| self.terms[*t as usize].clone())
            .collect();
        let story = self.stories[idx].id.clone();
        if let Some(original) = scored_copy {
            let target = self
                .reports_of(original)
                .find(|t| self.of_article.get(*t) == Some(&(idx as u32)))
                .cloned();
            match target {
                // Scored into a story that holds its text: a copy there after all, which adds nothing to
                // the story or the document frequencies.
                Some(t) => {
                    for (t, _) in &ids {
                        self.df[*t as usize] -= 1;
                    }
                    self.docs -= 1;
                    self.of_article.insert(article.clone(), idx as u32);
                    return Assignment {
                        story,
                        created,
                        score,
                        shared_terms,
                        gap_days,
                        runner_up,
                        pinned: false,
                        copy_of: Some(t),
                        split_from: None,
                        merged_from: None,
                    };
                }
                None => self.note_reissue(original, article),
            }
        }
        self.add_to(idx, &ids, f.day);
        self.sweep();
        self.of_article.insert(article.clone(), idx as u32);
        Assignment {
            story,
            created,
            score,
            shared_terms,
            gap_days,
            runner_up,
            pinned: is_pinned,
            copy_of: copy_of.cloned(),
            split_from: None,
            merged_from: None,
        }
    }

    /// The stories sharing the first [`CANDIDATE_TERMS`] of `probe` (terms with their weight in a dot product
    /// with a centroid's raw weights, heaviest first) that `keep` accepts, ranked by their dot product over those terms (divided by their
    /// centroid's norm when `normalize` is set): at most `limit`, best first (ties by story index). Terms
    /// in more than `max_postings` stories are passed over.
    fn ranked_candidates(
        &self,
        probe: &[(u32, f32)],
        limit: usize,
        normalize: bool,
        max_postings: usize,
        keep: impl Fn(usize) -> bool,
    ) -> Vec<(u32, f32)> {
        // Partial dot products by story index in a per-thread scratch array (reset where it was written)
        // rather than a map: a posting costs an array access, not a hash lookup. Each story's sum is taken in
        // the same order as before, so the values are the same.
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let Scratch { dots, state, seen } = &mut *scratch;
            if dots.len() < self.stories.len() {
                dots.resize(self.stories.len(), 0.0);
                state.resize(self.stories.len(), UNSEEN);
            }
            for &(t, x) in probe.iter().take(CANDIDATE_TERMS) {
                let Some(list) = self.index.get(&t) else {
                    continue;
                };
                if list.len() > max_postings {
                    continue;
                }
                for &s in list {
                    let i = s as usize;
                    match state[i] {
                        KEPT => {
                            dots[i] += x * self.stories[i].centroid.get(&t).copied().unwrap_or(0.0);
                        }
                        UNSEEN => {
                            seen.push(s);
                            // Rejected once: `keep` is not asked again.
                            if keep(i) {
                                state[i] = KEPT;
                                dots[i] =
                                    x * self.stories[i].centroid.get(&t).copied().unwrap_or(0.0);
                            } else {
                                state[i] = REJECTED;
                            }
                        }
                        _ => {}
                    }
                }
            }
            let mut ranked: Vec<(u32, f32)> = Vec::with_capacity(seen.len());
            for s in seen.drain(..) {
                let i = s as usize;
                if state[i] == KEPT {
                    let dot = dots[i];
                    ranked.push(if normalize {
                        (s, dot / self.norm_of(i))
                    } else {
                        (s, dot)
                    });
                }
                state[i] = UNSEEN;
            }
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked.truncate(limit);
            ranked
        })
    }

    /// The share of a similarity kept across `days` between dated articles or stories: all of it up to two
    /// days, then half per `half_life_days`.
    fn time_decay(&self, days: i64) -> f32 {
        let gap = days.unsigned_abs() as f32;
        let grace = GRACE_DAYS as f32;
        if gap > grace {
            0.5f32.powf((gap - grace) / self.config.half_life_days)
        } else {
            1.0
        }
    }

    /// The centroid's norm, cached until the story changes or the IDF drifts by a tenth.
    fn norm_of(&self, s: usize) -> f32 {
        let st = &self.stories[s];
        let (norm, at) = st.norm_cache.get();
        if at > 0 && self.docs < at + at / 10 + 1 {
            return norm;
        }
        let n = st
            .centroid
            .iter()
            .map(|(t, c)| (c * self.idf(*t)).powi(2))
            .sum::<f32>()
            .sqrt()
            .max(1e-9);
        st.norm_cache.set((n, self.docs));
        n
    }

    /// A story is a candidate for an article published within `close_after_days` of its articles.
    fn is_open(&self, st: &Open, day: Option<NaiveDate>) -> bool {
        within(st, day, self.config.close_after_days)
    }

    fn open_story(&mut self, id: StoryId) -> usize {
        if let Some(n) = id.0.strip_prefix('s').and_then(|n| n.parse::<u64>().ok()) {
            self.next_story = self.next_story.max(n);
        }
        let idx = self.stories.len();
        self.by_id.insert(id.clone(), idx);
        self.stories.push(Open {
            id,
            centroid: HashMap::default(),
            norm_cache: NormCache::default(),
            n: 0,
            first: None,
            last: None,
            swept: false,
        });
        idx
    }

    /// The day before which a dated story counts as closed long ago: twice the closing window before the
    /// latest date seen (none before any date).
    fn sweep_cutoff(&self) -> Option<NaiveDate> {
        self.latest.and_then(|l| {
            l.checked_sub_days(chrono::Days::new(
                2 * self.config.close_after_days.max(0) as u64,
            ))
        })
    }

    /// Takes stories closed long ago out of the inverted index, so finding candidates does not cost more as
    /// closed stories pile up: those whose last article is before [`Clusterer::sweep_cutoff`] (undated
    /// stories stay). Runs every [`SWEEP_EVERY`] articles; a swept story that receives an article again (a
    /// correction, a copy) is put back.
    fn sweep(&mut self) {
        if self.docs < self.swept_at + SWEEP_EVERY {
            return;
        }
        self.swept_at = self.docs;
        let Some(cutoff) = self.sweep_cutoff() else {
            return;
        };
        let stories = &mut self.stories;
        let gone = |s: &Open| s.last.is_some_and(|l| l < cutoff);
        for st in stories.iter_mut().filter(|s| !s.swept && gone(s)) {
            st.swept = true;
        }
        self.index.retain(|_, list| {
            list.retain(|&s| !stories[s as usize].swept);
            !list.is_empty()
        });
    }

    /// Takes a story out of the inverted index (it keeps its centroid), as the sweep does.
    fn unindex(&mut self, idx: usize) {
        if self.stories[idx].swept {
            return;
        }
        self.stories[idx].swept = true;
        for t in self.stories[idx].centroid.keys() {
            if let Some(list) = self.index.get_mut(t) {
                list.retain(|&s| s != idx as u32);
            }
        }
    }

    /// Puts a story taken out of the inverted index back in.
    fn reindex(&mut self, idx: usize) {
        if !self.stories[idx].swept {
            return;
        }
        self.stories[idx].swept = false;
        for &t in self.stories[idx].centroid.keys() {
            self.index.entry(t).or_default().push(idx as u32);
        }
    }

    /// After a story was rebuilt (a split, a merge), puts it back in the inverted index unless it closed
    /// long ago: rebuilding the many old stories of a long stream then never grows the index.
    fn reindex_unless_closed(&mut self, idx: usize) {
        let gone = match (self.sweep_cutoff(), self.stories[idx].last) {
            (Some(cutoff), Some(last)) => last < cutoff,
            _ => false,
        };
        if !gone {
            self.reindex(idx);
        }
    }

    /// Adds an article's terms to a story, putting the story back in the inverted index if it was taken out.
    fn add_to(&mut self, idx: usize, ids: &[(u32, f32)], day: Option<NaiveDate>) {
        self.reindex(idx);
        self.accumulate(idx, ids, day);
    }

    /// Adds an article's terms to a story's centroid, size and dates; the inverted index follows while the
    /// story is in it.
    fn accumulate(&mut self, idx: usize, ids: &[(u32, f32)], day: Option<NaiveDate>) {
        let keep = self.config.centroid_terms;
        let indexed = !self.stories[idx].swept;
        let st = &mut self.stories[idx];
        st.n += 1;
        st.norm_cache.set((0.0, 0));
        st.last = max_day(st.last, day);
        st.first = min_day(st.first, day);
        for &(t, w) in ids {
            let e = st.centroid.entry(t).or_insert(0.0);
            if *e == 0.0 && indexed {
                self.index.entry(t).or_default().push(idx as u32);
            }
            *e += w;
        }
        if st.centroid.len() > keep * 2 {
            let mut v: Vec<(u32, f32)> = st.centroid.iter().map(|(a, b)| (*a, *b)).collect();
            // The `keep` heaviest (ties by term) stay, put back heaviest first.
            let heaviest = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            v.select_nth_unstable_by(keep, heaviest);
            v[..keep].sort_unstable_by(heaviest);
            if indexed {
                for (t, _) in &v[keep..] {
                    if let Some(list) = self.index.get_mut(t) {
                        list.retain(|&s| s != idx as u32);
                    }
                }
            }
            st.centroid = v.into_iter().take(keep).collect();
        }
    }

    /// Puts back an article whose story is already known (rebuilding the state from a store): updates the
    /// document frequencies and the story's centroid without scoring. A copy (`copy` set) only records its
    /// story, as in [`Clusterer::assign`].
    pub fn restore(&mut self, article: &ArticleId, f: &Features, story: &StoryId, copy: bool) {
        if copy {
            let idx = self.story_index(story);
            self.of_article.insert(article.clone(), idx as u32);
            return;
        }
        let ids = self.term_ids(f);
        for (t, _) in &ids {
            self.df[*t as usize] += 1;
        }
        self.docs += 1;
        if let Some(d) = f.day {
            self.latest = Some(self.latest.map_or(d, |l| l.max(d)));
        }
        let idx = self.story_index(story);
        self.add_to(idx, &ids, f.day);
        self.sweep();
        self.of_article.insert(article.clone(), idx as u32);
    }

    /// Rebuilds a story from its members (after the second-pass split): each member's story is recorded;
    /// the centroid, size and dates come from the members with features (the independent articles; copies
    /// come with none). A story it does not know is opened.
    pub fn reseat(&mut self, story: &StoryId, members: &[(ArticleId, Option<Features>)]) {
        let idx = self.story_index(story);
        // Rebuilt out of the index, then put back unless it closed long ago.
        self.unindex(idx);
        let st = &mut self.stories[idx];
        st.centroid = HashMap::default();
        st.n = 0;
        st.first = None;
        st.last = None;
        for (article, f) in members {
            if let Some(f) = f {
                let ids = self.term_ids(f);
                self.accumulate(idx, &ids, f.day);
            }
            self.of_article.insert(article.clone(), idx as u32);
        }
        self.reindex_unless_closed(idx);
    }

    /// Story ids in order of creation with their article counts.
    pub fn stories(&self) -> impl Iterator<Item = (&StoryId, u32)> {
        self.stories.iter().map(|s| (&s.id, s.n))
    }
}

/// The earlier of two optional days (either one when the other is missing).
fn min_day(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The later of two optional days (either one when the other is missing).
fn max_day(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests;
