//! The merge step: a small story (a fragment of at most `merge_small` independent articles) joins the story
//! its centroid is most similar to, when that similarity reaches `merge_above`. Online clustering depends on
//! arrival order: an atypical first report starts a story of its own, and the reports that follow form
//! another. Looking again once the later story has grown, with the IDF of everything seen, joins the two.
//! Greedy, best pair first, the smaller story into the larger; pairs come from the inverted index, so the
//! cost follows the stories that received articles, not all stories.

use super::{max_day, min_day, Clusterer};
use crate::model::StoryId;
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BinaryHeap;

/// Stories scored as merge partners per story that received articles.
const MERGE_CANDIDATES: usize = 20;
/// Terms in more stories than this are not used to look for merge partners: the step runs over every story
/// that received articles, and the names and rare words that tie a fragment to its event are in few.
const MERGE_MAX_POSTINGS: usize = 300;

/// One merge: the story that was folded in, the story that took it, and their similarity.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// The fragment, now empty.
    pub from: StoryId,
    /// The story that holds its articles now.
    pub into: StoryId,
    /// Cosine of the two centroids (time-discounted for dated stories) when they merged.
    pub score: f32,
}

/// A candidate pair in the heap, ordered by score (then by story indexes, for determinism).
#[derive(PartialEq)]
struct Pair {
    score: f32,
    a: usize,
    b: usize,
    /// Merge counts of `a` and `b` when scored: a stale pair is scored again.
    at: (u32, u32),
}

impl Eq for Pair {}

impl Ord for Pair {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.score
            .total_cmp(&o.score)
            .then(o.a.cmp(&self.a))
            .then(o.b.cmp(&self.b))
    }
}

impl PartialOrd for Pair {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Clusterer {
    /// Merges fragments among the stories that received articles (`touched`) and the stories they share
    /// terms with; stories in `frozen` (holding a user's correction) are left alone. The clusterer's state
    /// follows (centroids, index, the story of each article). Returns the merges in the order made.
    pub fn merge_fragments(
        &mut self,
        touched: &[StoryId],
        frozen: &std::collections::HashSet<StoryId>,
    ) -> Vec<Merge> {
        let (small, above) = (self.config.merge_small, self.config.merge_above);
        if small == 0 {
            return Vec::new();
        }
        let frozen: HashSet<usize> = frozen
            .iter()
            .filter_map(|s| self.by_id.get(s).copied())
            .collect();
        let mut heap = BinaryHeap::new();
        let mut version: HashMap<usize, u32> = HashMap::default();
        // Candidates and pair scores read the clusterer only, so they are found on every core; pairs are
        // listed once, in the order of `touched`, and the heap orders them by score and indexes alone.
        let starts: Vec<usize> = touched
            .iter()
            .filter_map(|s| self.by_id.get(s).copied())
            .filter(|t| !frozen.contains(t) && self.stories[*t].n > 0)
            .collect();
        let found: Vec<Vec<usize>> = starts
            .par_iter()
            .map(|&t| self.story_candidates(t))
            .collect();
        let mut seen: HashSet<(usize, usize)> = HashSet::default();
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for (&t, cs) in starts.iter().zip(&found) {
            for &c in cs {
                if c == t || frozen.contains(&c) || self.stories[c].n == 0 {
                    continue;
                }
                let (a, b) = (t.min(c), t.max(c));
                if self.fragment_pair(a, b) && seen.insert((a, b)) {
                    pairs.push((a, b));
                }
            }
        }
        let scores: Vec<f32> = pairs
            .par_iter()
            .map(|&(a, b)| self.story_similarity(a, b))
            .collect();
        for (&(a, b), score) in pairs.iter().zip(scores) {
            if score >= above {
                heap.push(Pair {
                    score,
                    a,
                    b,
                    at: (0, 0),
                });
            }
        }
        let mut into_of: HashMap<usize, usize> = HashMap::default();
        let find = |into_of: &HashMap<usize, usize>, mut s: usize| {
            while let Some(&n) = into_of.get(&s) {
                s = n;
            }
            s
        };
        let mut merges = Vec::new();
        while let Some(p) = heap.pop() {
            let (a, b) = (find(&into_of, p.a), find(&into_of, p.b));
            if a == b {
                continue;
            }
            let at = (
                version.get(&a).copied().unwrap_or(0),
                version.get(&b).copied().unwrap_or(0),
            );
            if (a, b) != (p.a, p.b) || at != p.at {
                // A story of the pair took another fragment since it was scored: score it again.
                let (a, b) = (a.min(b), a.max(b));
                let at = (
                    version.get(&a).copied().unwrap_or(0),
                    version.get(&b).copied().unwrap_or(0),
                );
                if self.fragment_pair(a, b) {
                    let score = self.story_similarity(a, b);
                    if score >= above {
                        heap.push(Pair { score, a, b, at });
                    }
                }
                continue;
            }
            // The larger story keeps its id; between equals, the older one.
            let (keep, gone) = if self.stories[b].n > self.stories[a].n {
                (b, a)
            } else {
                (a, b)
            };
            self.fold(gone, keep);
            into_of.insert(gone, keep);
            *version.entry(keep).or_default() += 1;
            merges.push(Merge {
                from: self.stories[gone].id.clone(),
                into: self.stories[keep].id.clone(),
                score: p.score,
            });
        }
        if !merges.is_empty() {
            let to: HashMap<u32, u32> = into_of
                .keys()
                .map(|&g| (g as u32, find(&into_of, g) as u32))
                .collect();
            for s in self.of_article.values_mut() {
                if let Some(&n) = to.get(s) {
                    *s = n;
                }
            }
        }
        merges
    }

    /// Whether the merge step may join two stories: one is a fragment (at most `merge_small` articles) and
    /// the other is not. Two fragments stay apart: they kept apart at every arrival, and nothing larger
    /// vouches for them being one event.
    fn fragment_pair(&self, a: usize, b: usize) -> bool {
        let small = self.config.merge_small;
        let (x, y) = (self.stories[a].n, self.stories[b].n);
        x.min(y) <= small && x.max(y) > small
    }

    /// The stories the merge step may join with story `s` (see [`Clusterer::fragment_pair`]), found through
    /// its most specific centroid terms: the best [`MERGE_CANDIDATES`] by their raw dot product over those
    /// terms, so the step's cost per story is bounded.
    fn story_candidates(&self, s: usize) -> Vec<usize> {
        let mut probe: Vec<(u32, f32)> = self.stories[s]
            .centroid
            .iter()
            .map(|(&t, &w)| (t, w * self.idf(t)))
            .collect();
        probe.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // Ranked by the raw dot product: the larger story a fragment would join weighs more.
        self.ranked_candidates(&probe, MERGE_CANDIDATES, false, MERGE_MAX_POSTINGS, |c| {
            c != s && self.stories[c].n > 0 && self.fragment_pair(s, c)
        })
        .into_iter()
        .map(|(c, _)| c as usize)
        .collect()
    }

    /// Cosine of two stories' centroids with the current IDF; dated stories further apart than the
    /// closing window score 0, and the score halves per `half_life_days` of gap past two days.
    fn story_similarity(&self, a: usize, b: usize) -> f32 {
        let (x, y) = (&self.stories[a], &self.stories[b]);
        let gap = range_gap((x.first, x.last), (y.first, y.last));
        if gap.is_some_and(|g| g > self.config.close_after_days) {
            return 0.0;
        }
        let (small, large) = if x.centroid.len() <= y.centroid.len() {
            (&x.centroid, &y.centroid)
        } else {
            (&y.centroid, &x.centroid)
        };
        let mut dot = 0.0;
        for (t, w) in small {
            if let Some(v) = large.get(t) {
                let idf = self.idf(*t);
                dot += w * v * idf * idf;
            }
        }
        dot / (self.norm_of(a) * self.norm_of(b)) * gap.map_or(1.0, |g| self.time_decay(g))
    }

    /// Folds story `gone` into story `keep`: centroid, size, dates and the index.
    fn fold(&mut self, gone: usize, keep: usize) {
        self.unindex(gone);
        let g = std::mem::take(&mut self.stories[gone].centroid);
        let (n, first, last) = {
            let s = &mut self.stories[gone];
            let out = (s.n, s.first, s.last);
            s.n = 0;
            s.first = None;
            s.last = None;
            s.norm_cache.set((0.0, 0));
            out
        };
        let ids: Vec<(u32, f32)> = g.into_iter().collect();
        let k = &mut self.stories[keep];
        k.n += n.saturating_sub(1);
        k.first = min_day(k.first, first);
        k.last = max_day(k.last, last);
        // `accumulate` counts one article; the rest were added to `n` above. A story closed long ago stays
        // out of the index unless the fragment brings it back into the window.
        self.accumulate(keep, &ids, None);
        self.reindex_unless_closed(keep);
    }
}

/// Days between two date ranges (0 when they overlap); `None` when either story has no date.
fn range_gap(
    (af, al): (Option<NaiveDate>, Option<NaiveDate>),
    (bf, bl): (Option<NaiveDate>, Option<NaiveDate>),
) -> Option<i64> {
    let (af, al, bf, bl) = (af?, al?, bf?, bl?);
    Some((bf - al).num_days().max((af - bl).num_days()).max(0))
}
