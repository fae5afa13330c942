//! The Parallax engine: the library people embed. It owns all IO — files, stdin, the store — and drives the
//! pure analysis of `parallax-core` through [`pipeline`]. The clock is read here, once per operation, and
//! passed into the core as data.

#![warn(missing_docs)]

pub mod error;
pub mod fetch;
pub mod input;
pub mod pipeline;
pub mod store;

pub use error::{Error, Result};
pub use parallax_core as core;

use parallax_core::cluster::{self, Assignment, Clusterer};
use parallax_core::compare::{self, Member, Report};
use parallax_core::dedup::CopyIndex;
use parallax_core::model::{ArticleId, StoryId};
use parallax_core::registry::Registry;
use pipeline::{IngestReport, IngestState, Progress};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use store::{Correction, Hit, SearchFilter, Stats, Store, StoryArticle};

/// A story as listed (`parallax stories --json`, `/api/stories`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorySummary {
    /// Id.
    pub id: StoryId,
    /// The most representative headline.
    pub title: String,
    /// Earliest publication date.
    pub first_seen: Option<String>,
    /// Latest publication date.
    pub last_seen: Option<String>,
    /// Its articles.
    pub articles: Vec<StoryArticle>,
    /// Distinct outlets.
    pub outlets: usize,
    /// Articles that are not copies.
    pub independent_reports: usize,
    /// Articles that copy another.
    pub copies: usize,
    /// Distinct outlets per lens value (`{"country": {"UA": 1}}`), from the outlet registry's tags.
    pub coverage: BTreeMap<String, BTreeMap<String, usize>>,
    /// Lens values (`"type:state"`) whose outlets were read during the story's days yet none covered it.
    #[serde(default)]
    pub blindspots: Vec<String>,
}

/// An engine over one store.
pub struct Engine {
    store: Store,
    registry: Registry,
    state: Option<IngestState>,
    allow_private: bool,
    fetcher: Option<fetch::Fetcher>,
    /// Clustering settings.
    config: cluster::Config,
    /// The story list and the store's data version it was read at (another process's commit changes it).
    stories_cache: std::cell::RefCell<Option<(i64, Vec<StorySummary>)>>,
}

/// What one round of feed watching did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WatchReport {
    /// Feeds fetched this round.
    pub fetched: usize,
    /// Feeds that answered "not modified".
    pub unchanged: usize,
    /// Feeds not yet due (backing off or polled recently).
    pub not_due: usize,
    /// Feeds that failed, with the reason.
    pub failed: Vec<(String, String)>,
    /// The ingest of the new items.
    pub ingest: IngestReport,
}

impl Engine {
    /// Opens the store at `path` (created if missing) with the given outlet registry.
    pub fn open(path: &Path, registry: Registry) -> Result<Engine> {
        Ok(Engine {
            store: Store::open(path)?,
            registry,
            state: None,
            allow_private: false,
            fetcher: None,
            config: cluster::Config::default(),
            stories_cache: Default::default(),
        })
    }

    /// An engine over an in-memory store.
    pub fn in_memory(registry: Registry) -> Result<Engine> {
        Ok(Engine {
            store: Store::in_memory()?,
            registry,
            state: None,
            allow_private: false,
            fetcher: None,
            config: cluster::Config::default(),
            stories_cache: Default::default(),
        })
    }

    /// Closes the store: its write-ahead log is written back, so the store is one file again. With `exiting`
    /// (a command about to end), the in-memory indexes of stories, copies and ids are left to the operating
    /// system rather than freed one allocation at a time, which after a 10k-article ingest took longer than
    /// clustering them (`drop` was 6% of the ingest command's CPU, all of it serial).
    pub fn close(mut self, exiting: bool) {
        if exiting {
            std::mem::forget(self.state.take());
        }
        drop(self.store);
    }

    /// Clusters with other settings than the built-in ones (evaluation); takes effect from the next ingest.
    pub fn set_cluster_config(&mut self, config: cluster::Config) {
        self.config = config;
        self.state = None;
    }

    /// Lets URL inputs and watched feeds reach private, loopback and link-local addresses.
    pub fn allow_private(&mut self, allow: bool) {
        self.allow_private = allow;
        self.fetcher = None;
    }

    fn fetcher(&mut self) -> &fetch::Fetcher {
        let allow = self.allow_private;
        self.fetcher
            .get_or_insert_with(|| fetch::Fetcher::new(allow))
    }

    /// Watched feeds and their health.
    pub fn feeds(&self) -> Result<Vec<store::FeedState>> {
        self.store.feeds()
    }

    /// One round over `feeds`: each due feed is fetched with its validators; new items' pages are fetched
    /// and ingested; failures back off exponentially (the interval doubled per failure in a row, at most 64x).
    pub fn watch_round(
        &mut self,
        feeds: &[String],
        interval: std::time::Duration,
    ) -> Result<WatchReport> {
        self.written();
        let now = chrono::Utc::now();
        let now_s = now.to_rfc3339();
        self.state()?;
        self.fetcher();
        let mut report = WatchReport::default();
        for url in feeds {
            let mut st = self.store.feed(url)?.unwrap_or_else(|| store::FeedState {
                url: url.clone(),
                ..Default::default()
            });
            if let Some(due) = st
                .next_due
                .as_deref()
                .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
            {
                if due > now {
                    report.not_due += 1;
                    continue;
                }
            }
            let fetcher = self.fetcher.as_ref().expect("fetcher built");
            let validators = fetch::Validators {
                etag: st.etag.clone(),
                last_modified: st.last_modified.clone(),
            };
            match fetcher.get(url, Some(&validators)) {
                Ok(fetch::Fetched::NotModified) => {
                    report.unchanged += 1;
                    st.failures = 0;
                    st.last_success = Some(now_s.clone());
                }
                Ok(fetch::Fetched::Body {
                    bytes,
                    content_type,
                    validators,
                }) => {
                    report.fetched += 1;
                    let mut out =
                        parallax_core::read::read_bytes_typed(url, &bytes, content_type.as_deref());
                    let state = self.state.as_ref().expect("state built");
                    // Items already stored are not fetched again.
                    out.articles.retain(|r| {
                        r.url.as_deref().is_none_or(|u| {
                            !state
                                .known
                                .contains_key(&ArticleId(parallax_core::extract::canonical_url(u)))
                        })
                    });
                    input::fetch_item_pages(&mut out.articles, fetcher, &mut out.failures);
                    for f in out.failures {
                        report.ingest.failures.push(pipeline::Failure {
                            input: f.input,
                            stage: pipeline::Stage::Read,
                            error: f.reason,
                        });
                    }
                    let n = out.articles.len();
                    let r = self.ingest_raws(out.articles)?;
                    merge_reports(&mut report.ingest, r);
                    st.items += n as u64;
                    st.etag = validators.etag;
                    st.last_modified = validators.last_modified;
                    st.failures = 0;
                    st.failure = None;
                    st.last_success = Some(now_s.clone());
                }
                Err(e) => {
                    st.failures += 1;
                    st.failure = Some(e.0.clone());
                    st.last_failure = Some(now_s.clone());
                    report.failed.push((url.clone(), e.0));
                }
            }
            let backoff = interval * 2u32.pow(st.failures.min(6));
            let wait = if st.failures > 0 { backoff } else { interval };
            st.next_due =
                Some((now + chrono::Duration::from_std(wait).unwrap_or_default()).to_rfc3339());
            self.store.save_feed(&st)?;
        }
        Ok(report)
    }

    /// The outlet registry in use.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Rebuilds clustering and dedup state from the store (once, before the first ingest).
    fn state(&mut self) -> Result<&mut IngestState> {
        if self.state.is_none() {
            let pins = self.store.pins()?;
            let clusterer = Clusterer::new(self.config, self.store.max_story_number()?);
            let known = HashMap::with_capacity(self.store.article_count()? as usize);
            // The store is read (and each row's terms parsed) on this thread while another puts the rows
            // back, in order, a chunk at a time.
            const CHUNK: usize = 512;
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<store::StateRow>>(8);
            let (read, built) = std::thread::scope(|scope| {
                let builder = scope.spawn(move || {
                    let mut st = IngestState {
                        clusterer,
                        copies: CopyIndex::new(),
                        known,
                        pins,
                    };
                    for r in rx.into_iter().flatten() {
                        st.restore(r);
                    }
                    st
                });
                let mut chunk = Vec::with_capacity(CHUNK);
                let read = self.store.each_state(|r| {
                    chunk.push(r);
                    if chunk.len() == CHUNK {
                        // The builder only stops when this thread stops sending.
                        let _ = tx.send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)));
                    }
                });
                if !chunk.is_empty() {
                    let _ = tx.send(chunk);
                }
                drop(tx);
                let built = builder
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p));
                (read, built)
            });
            read?;
            self.state = Some(built);
        }
        Ok(self.state.as_mut().expect("state was just built"))
    }

    /// Extracts, dedups, clusters and stores articles already read (the HTTP API's ingest).
    pub fn ingest_raws(
        &mut self,
        raws: Vec<parallax_core::model::RawArticle>,
    ) -> Result<IngestReport> {
        self.written();
        let now = chrono::Utc::now().to_rfc3339();
        self.state()?;
        let state = self.state.as_mut().expect("state built");
        let report = pipeline::ingest_raws(raws, &self.registry, &mut self.store, state, &now);
        self.refine(&report.touched)?;
        Ok(report)
    }

    /// Reads, extracts, dedups, clusters and stores `inputs`.
    pub fn ingest(
        &mut self,
        inputs: &[String],
        progress: impl FnMut(Progress),
    ) -> Result<IngestReport> {
        self.written();
        let now = chrono::Utc::now().to_rfc3339();
        self.state()?;
        let state = self.state.as_mut().expect("state built");
        let allow = self.allow_private;
        let fetcher = self
            .fetcher
            .get_or_insert_with(|| fetch::Fetcher::new(allow));
        let deferred = self.store.defer_indexes()?;
        let mut report = pipeline::ingest(
            inputs,
            &self.registry,
            Some(&*fetcher),
            &mut self.store,
            state,
            &now,
            progress,
        );
        if deferred {
            let t = std::time::Instant::now();
            self.store.build_indexes()?;
            report.seconds.store += t.elapsed().as_secs_f64();
        }
        let t = std::time::Instant::now();
        self.refine(&report.touched)?;
        // The second-pass check is part of clustering.
        report.seconds.cluster += t.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Counts.
    pub fn stats(&self) -> Result<Stats> {
        self.store.stats()
    }

    /// Every story, newest activity first.
    pub fn stories(&self) -> Result<Vec<StorySummary>> {
        let version = self.store.data_version()?;
        if let Some((v, list)) = self.stories_cache.borrow().as_ref() {
            if *v == version {
                return Ok(list.clone());
            }
        }
        // Each story's summary (its headline above all) is made on every core.
        let mut out: Vec<StorySummary> = {
            use rayon::prelude::*;
            let registry = &self.registry;
            self.store
                .story_articles()?
                .into_par_iter()
                .map(|(id, articles)| summarize(id, articles, registry))
                .collect()
        };
        // Blindspots: which outlets were read on which days, once for the whole list.
        let mut by_day: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (day, outlet) in self.store.outlet_days()? {
            by_day.entry(day).or_default().push(outlet);
        }
        for s in &mut out {
            if let (Some(a), Some(b)) = (s.first_seen.as_deref(), s.last_seen.as_deref()) {
                let (a, b) = (a.get(..10).unwrap_or(a), b.get(..10).unwrap_or(b));
                let read: HashSet<&str> = by_day
                    .range(a.to_string()..=b.to_string())
                    .flat_map(|(_, o)| o.iter().map(String::as_str))
                    .collect();
                let mut spots: std::collections::BTreeSet<String> =
                    std::collections::BTreeSet::new();
                for o in read {
                    if let Some(x) = self.registry.by_name(o) {
                        for lens in compare::DEFAULT_LENSES {
                            if let Some(v) = x.tags.get(*lens) {
                                if !s.coverage.get(*lens).is_some_and(|m| m.contains_key(v)) {
                                    spots.insert(format!("{lens}:{v}"));
                                }
                            }
                        }
                    }
                }
                s.blindspots = spots.into_iter().collect();
            }
        }
        out.sort_by(|a, b| {
            b.last_seen
                .cmp(&a.last_seen)
                .then(b.articles.len().cmp(&a.articles.len()))
                .then(a.id.cmp(&b.id))
        });
        *self.stories_cache.borrow_mut() = Some((version, out.clone()));
        Ok(out)
    }

    /// Forgets cached listings after a write of this engine's own.
    fn written(&self) {
        *self.stories_cache.borrow_mut() = None;
    }

    /// One story's summary.
    pub fn story_summary(&self, id: &StoryId) -> Result<StorySummary> {
        let members = self.store.story(id)?;
        let articles = members
            .into_iter()
            .map(|(a, copy_of, _)| StoryArticle {
                id: a.id,
                outlet: a.outlet,
                title: a.title,
                published: a.published,
                copy_of,
            })
            .collect();
        Ok(summarize(id.clone(), articles, &self.registry))
    }

    /// One story's comparison report.
    pub fn report(&self, id: &StoryId) -> Result<Report> {
        let rows = self.store.story(id)?;
        let members: Vec<Member> = rows
            .into_iter()
            .map(|(article, copy_of, _)| Member { article, copy_of })
            .collect();
        let mut days: Vec<&str> = members
            .iter()
            .filter_map(|m| m.article.published.as_deref())
            .map(|p| p.get(..10).unwrap_or(p))
            .collect();
        days.sort_unstable();
        let mut ingested = match (days.first(), days.last()) {
            (Some(a), Some(b)) => self.store.outlets_between(a, b)?,
            _ => Vec::new(),
        };
        // Outlets whose watched feeds answered since the story began count as ingested too, even when they
        // published nothing on it: that silence is what a blindspot is. (Only the last answer is kept, so a
        // feed polled since the story began is taken as watched through its window.)
        if let Some(a) = days.first() {
            for f in self.store.feeds()? {
                let answered = f
                    .last_success
                    .as_deref()
                    .and_then(|s| s.get(..10))
                    .is_some_and(|d| d >= *a);
                if let Some(o) = self.registry.by_url(&f.url).filter(|_| answered) {
                    if !ingested.contains(&o.name) {
                        ingested.push(o.name.clone());
                    }
                }
            }
        }
        Ok(compare::compare(id, &members, &self.registry, &ingested))
    }

    /// Why each article of a story is in it.
    pub fn explain(&self, id: &StoryId) -> Result<Vec<(ArticleId, Option<Assignment>)>> {
        Ok(self
            .store
            .story(id)?
            .into_iter()
            .map(|(a, _, r)| (a.id, r))
            .collect())
    }

    /// One article, its story and the original it copies.
    pub fn article(
        &self,
        id: &ArticleId,
    ) -> Result<(
        parallax_core::model::Article,
        Option<StoryId>,
        Option<ArticleId>,
    )> {
        self.store.article(id)
    }

    /// Full-text search. The index first takes in the articles stored since the last search (ingest leaves
    /// that to search), and is rebuilt if it lost documents.
    pub fn search(&self, query: &str, filter: &SearchFilter) -> Result<Vec<Hit>> {
        self.update_index()?;
        self.store.search(query, filter)
    }

    /// Brings the full-text index up to date with the store; returns the number of articles indexed.
    pub fn update_index(&self) -> Result<usize> {
        self.store.ensure_index()
    }

    /// Moves articles out of `story` into a new story; the split persists.
    pub fn split(&mut self, story: &StoryId, articles: &[ArticleId], who: &str) -> Result<StoryId> {
        self.written();
        let members = self.store.story(story)?;
        for a in articles {
            if !members.iter().any(|(m, _, _)| &m.id == a) {
                return Err(Error::Invalid(format!(
                    "article {a} is not in story {story}"
                )));
            }
        }
        let new = StoryId(format!("s{}", self.store.max_story_number()? + 1));
        let args = std::iter::once(story.0.clone())
            .chain(articles.iter().map(|a| a.0.clone()))
            .collect();
        self.store
            .pin(articles, &new, &correction(who, "split", args))?;
        self.state = None;
        Ok(new)
    }

    /// Merges story `from` into story `into`; the merge persists.
    pub fn merge(&mut self, into: &StoryId, from: &StoryId, who: &str) -> Result<()> {
        self.written();
        self.store.story(into)?;
        let ids: Vec<ArticleId> = self
            .store
            .story(from)?
            .into_iter()
            .map(|(a, _, _)| a.id)
            .collect();
        self.store.pin(
            &ids,
            into,
            &correction(who, "merge", vec![into.0.clone(), from.0.clone()]),
        )?;
        self.state = None;
        Ok(())
    }

    /// Moves one article into a story; the move persists.
    pub fn move_article(&mut self, article: &ArticleId, story: &StoryId, who: &str) -> Result<()> {
        self.written();
        self.store.story(story)?;
        self.store.pin(
            std::slice::from_ref(article),
            story,
            &correction(who, "move", vec![article.0.clone(), story.0.clone()]),
        )?;
        self.state = None;
        Ok(())
    }

    /// The audit log of corrections.
    pub fn corrections(&self) -> Result<Vec<Correction>> {
        self.store.corrections()
    }

    /// Re-clusters every stored article in order, keeping corrections. Returns the number of stories.
    pub fn recluster(&mut self) -> Result<usize> {
        self.written();
        let pins = self.store.pins()?;
        // Pinned stories keep their ids: reserve their numbers.
        let reserved = pins
            .values()
            .filter_map(|s| s.0.strip_prefix('s').and_then(|n| n.parse::<u64>().ok()))
            .max()
            .unwrap_or(0);
        let mut clusterer = Clusterer::new(self.config, reserved);
        // The stored articles are placed as they are read: only their placements are held, not their
        // features.
        let mut out = Vec::with_capacity(self.store.article_count()? as usize);
        self.store.each_state(|r| {
            let a = clusterer.assign(&r.id, &r.features, pins.get(&r.id), r.copy_of.as_ref());
            out.push((r.id, a));
        })?;
        self.store.reassign(&out)?;
        self.state = None;
        let all: std::collections::BTreeMap<StoryId, u32> = self
            .store
            .story_ids()?
            .into_iter()
            .map(|s| (s, 0))
            .collect();
        self.refine(&all)?;
        Ok(self.store.story_ids()?.len())
    }

    /// The second look at the stories that received articles (`touched` maps each to its size before the
    /// batch): the split check, then the merge step. Stories holding a user's correction are left as they
    /// are. Returns the number of splits.
    fn refine(&mut self, touched: &std::collections::BTreeMap<StoryId, u32>) -> Result<usize> {
        if touched.is_empty() {
            return Ok(0);
        }
        let pins = self.store.pins()?;
        let splits = self.split_step(touched, &pins)?;
        self.merge_step(touched, &pins)?;
        Ok(splits)
    }

    /// The merge step (see `cluster::Clusterer::merge_fragments`) over the stories that received
    /// articles. Returns the number of merges.
    fn merge_step(
        &mut self,
        touched: &std::collections::BTreeMap<StoryId, u32>,
        pins: &HashMap<ArticleId, StoryId>,
    ) -> Result<usize> {
        let frozen: HashSet<StoryId> = pins.values().cloned().collect();
        let ids: Vec<StoryId> = touched.keys().cloned().collect();
        let merges = self.state()?.clusterer.merge_fragments(&ids, &frozen);
        for m in &merges {
            let moves: Vec<(ArticleId, Assignment)> = self
                .store
                .story_features(&m.from)?
                .into_iter()
                .map(|row| {
                    let mut a = moved_to(&row, &m.from, &m.into);
                    if a.merged_from.is_none() {
                        a.merged_from = Some((m.from.clone(), m.score));
                    }
                    (row.0, a)
                })
                .collect();
            self.store.reassign(&moves)?;
        }
        Ok(merges.len())
    }

    /// The split check: a story whose articles fall into two well-separated halves (see
    /// `cluster::refine`) is split, the half without its first article becoming a new story. A story is
    /// checked when its size reaches a new power of two (4, 8, 16...), so over its life the checks cost
    /// O(n log n), not O(n^2). Returns the number of splits.
    fn split_step(
        &mut self,
        touched: &std::collections::BTreeMap<StoryId, u32>,
        pins: &HashMap<ArticleId, StoryId>,
    ) -> Result<usize> {
        use rayon::prelude::*;
        self.state()?;
        let pinned: HashSet<&StoryId> = pins.values().collect();
        let mut next = self.store.max_story_number()?;
        let mut moves: Vec<(ArticleId, Assignment)> = Vec::new();
        let mut splits = 0;
        let (below, min_half, due) = {
            let clusterer = &self.state.as_ref().expect("state built").clusterer;
            let below = clusterer.config().split_below;
            // A half the merge step would fold back is no split.
            let min_half = clusterer.config().merge_small as usize + 1;
            let bucket = |n: u32| 32 - n.leading_zeros();
            let due: Vec<&StoryId> = touched
                .iter()
                .filter(|(story, &before)| {
                    let after = clusterer.story_size(story);
                    // Stories past 512 articles were checked on their way there; a story with fewer
                    // independent articles than two halves need cannot split, and is not read.
                    !pinned.contains(story)
                        && (4..=512).contains(&after)
                        && after as usize >= 2 * min_half.max(2)
                        && (before == 0 || bucket(before) != bucket(after))
                })
                .map(|(story, _)| story)
                .collect();
            (below, min_half, due)
        };
        // Stories are read from the store a chunk at a time on this thread while the chunk before is
        // checked on every core; new story ids are numbered in story order, as they are found. Each split
        // story and its new half are rebuilt in the clusterer at once (their rows are not kept), and the
        // moves are written at the end; the clusterer is rebuilt from the store if writing them fails.
        let chunks: Vec<&[&StoryId]> = due.chunks(256).collect();
        let store = &self.store;
        let read = |chunk: &[&StoryId]| -> Result<Vec<Vec<store::TermRow>>> {
            chunk.iter().map(|story| store.story_terms(story)).collect()
        };
        let mut next_rows = match chunks.first() {
            Some(c) => read(c)?,
            None => Vec::new(),
        };
        for (k, chunk) in chunks.iter().enumerate() {
            let rows = std::mem::take(&mut next_rows);
            let mut checked: Vec<Option<Vec<bool>>> = Vec::new();
            let mut ahead: Result<Vec<Vec<store::TermRow>>> = Ok(Vec::new());
            {
                let idf = self
                    .state
                    .as_ref()
                    .expect("state built")
                    .clusterer
                    .idf_view();
                let idf = |t: &str| idf.of(t);
                let check = |rows: Vec<store::TermRow>| -> Option<Vec<bool>> {
                    if rows.iter().any(|r| pins.contains_key(&r.id)) {
                        return None;
                    }
                    // Copies follow their original: the check weighs independent articles only.
                    let terms: Vec<Vec<(&str, f32)>> = rows
                        .iter()
                        .filter(|r| !r.copy)
                        .map(|r| cluster::stored_terms(&r.terms).collect())
                        .collect();
                    let refs: Vec<&[(&str, f32)]> = terms.iter().map(|t| &t[..]).collect();
                    cluster::refine::split(&refs, &idf, below, min_half)
                };
                rayon::in_place_scope(|scope| {
                    scope.spawn(|_| checked = rows.into_par_iter().map(check).collect());
                    if let Some(c) = chunks.get(k + 1) {
                        ahead = read(c);
                    }
                });
            }
            next_rows = ahead?;
            for (story, found) in chunk.iter().zip(checked) {
                let Some(mask) = found else {
                    continue;
                };
                // The story's rows again, with their reasons and dates, for the moves and the centroids.
                let rows = store.story_features(story)?;
                if rows.iter().filter(|r| r.3.is_none()).count() != mask.len() {
                    continue;
                }
                next += 1;
                let new = StoryId(format!("s{next}"));
                let moved: HashSet<&ArticleId> = rows
                    .iter()
                    .filter(|r| r.3.is_none())
                    .zip(mask)
                    .filter(|(_, off)| *off)
                    .map(|(r, _)| &r.0)
                    .collect();
                let mut kept = Vec::new();
                let mut gone = Vec::new();
                for row in &rows {
                    let off = match &row.3 {
                        None => moved.contains(&row.0),
                        Some(original) => moved.contains(original),
                    };
                    // Copies come with no features: they add nothing to a centroid.
                    let member = (row.0.clone(), row.3.is_none().then(|| row.1.clone()));
                    if off {
                        let mut a = moved_to(row, story, &new);
                        a.split_from = Some((*story).clone());
                        moves.push((row.0.clone(), a));
                        gone.push(member);
                    } else {
                        kept.push(member);
                    }
                }
                // The clusterer follows: each story's centroid is rebuilt from the articles it keeps.
                let clusterer = &mut self.state.as_mut().expect("state built").clusterer;
                clusterer.reseat(story, &kept);
                clusterer.reseat(&new, &gone);
                splits += 1;
            }
        }
        if moves.is_empty() {
            return Ok(0);
        }
        if let Err(e) = self.store.reassign(&moves) {
            self.state = None;
            return Err(e);
        }
        Ok(splits)
    }
}

/// A stored article's reasons (or a bare placement in `from` when none were kept), now in story `to`.
fn moved_to(row: &store::StoryFeatures, from: &StoryId, to: &StoryId) -> Assignment {
    let stored: Option<Assignment> = row.2.as_deref().and_then(|j| serde_json::from_str(j).ok());
    let mut a = stored.unwrap_or_else(|| Assignment::placed(from.clone(), row.3.clone()));
    a.story = to.clone();
    a
}

fn merge_reports(into: &mut IngestReport, r: IngestReport) {
    into.read += r.read;
    into.new += r.new;
    into.duplicates += r.duplicates;
    into.unchanged += r.unchanged;
    into.failures.extend(r.failures);
}

fn correction(who: &str, action: &str, args: Vec<String>) -> Correction {
    Correction {
        at: chrono::Utc::now().to_rfc3339(),
        who: who.to_string(),
        action: action.to_string(),
        args,
    }
}

fn summarize(id: StoryId, articles: Vec<StoryArticle>, registry: &Registry) -> StorySummary {
    let mut days: Vec<&String> = articles
        .iter()
        .filter_map(|a| a.published.as_ref())
        .collect();
    days.sort();
    let outlets: HashSet<&str> = articles
        .iter()
        .filter_map(|a| a.outlet.as_deref())
        .collect();
    let copies = articles.iter().filter(|a| a.copy_of.is_some()).count();
    let titles: Vec<(&str, bool)> = articles
        .iter()
        .map(|a| (a.title.as_str(), a.copy_of.is_none()))
        .collect();
    let mut coverage: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for o in &outlets {
        if let Some(x) = registry.by_name(o) {
            for lens in compare::DEFAULT_LENSES {
                if let Some(v) = x.tags.get(*lens) {
                    *coverage
                        .entry(lens.to_string())
                        .or_default()
                        .entry(v.clone())
                        .or_default() += 1;
                }
            }
        }
    }
    StorySummary {
        coverage,
        blindspots: Vec::new(),
        title: compare::headline(&titles),
        first_seen: days.first().map(|d| d.to_string()),
        last_seen: days.last().map(|d| d.to_string()),
        outlets: outlets.len(),
        independent_reports: articles.len() - copies,
        copies,
        articles,
        id,
    }
}

/// Compares inputs in memory: read, extract, dedup, cluster, compare. The `compare` command.
pub fn compare_inputs(
    inputs: &[String],
    registry: Registry,
) -> Result<(Vec<Report>, IngestReport)> {
    let mut engine = Engine::in_memory(registry)?;
    let report = engine.ingest(inputs, |_| {})?;
    let mut stories = engine.stories()?;
    stories.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then(a.id.cmp(&b.id))
    });
    let reports = stories
        .iter()
        .map(|s| engine.report(&s.id))
        .collect::<Result<Vec<_>>>()?;
    Ok((reports, report))
}
