//! The pipeline in one place: the stages, in order, for a batch of inputs. Read -> Extract -> Dedup ->
//! Cluster -> Store, committed in batches; Compare runs per story on demand. The same `Stage` names appear in
//! progress, in the ingest report and in failure lines.

use crate::fetch::Fetcher;
use crate::input;
use crate::store::{NewArticle, Store};
use parallax_core::cluster::{self, Clusterer};
use parallax_core::dedup::{self, CopyIndex};
use parallax_core::extract;
use parallax_core::model::{Article, ArticleId, Body, RawArticle};
use parallax_core::registry::Registry;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// The stages of the pipeline, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Bytes to raw articles.
    Read,
    /// Raw articles to clean articles.
    Extract,
    /// Exact and near-duplicate links.
    Dedup,
    /// Writing to the store.
    Store,
    /// Story assignment.
    Cluster,
    /// Story comparison.
    Compare,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stage::Read => "read",
            Stage::Extract => "extract",
            Stage::Dedup => "dedup",
            Stage::Store => "store",
            Stage::Cluster => "cluster",
            Stage::Compare => "compare",
        })
    }
}

/// One input (or record) that failed, and at which stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The input.
    pub input: String,
    /// The stage.
    pub stage: Stage,
    /// Why.
    pub error: String,
}

/// What an ingest did. Partial failure is data: one bad input never stops the batch.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IngestReport {
    /// Articles read and extracted.
    pub read: usize,
    /// Articles newly stored.
    pub new: usize,
    /// Of the new ones, copies of an earlier article.
    pub duplicates: usize,
    /// Articles already in the store (same id), left as they were.
    pub unchanged: usize,
    /// Feed URLs listed by OPML inputs (not fetched by this command).
    pub feeds: Vec<String>,
    /// Inputs or records that failed.
    pub failures: Vec<Failure>,
    /// Seconds spent per stage (wall clock; stages on every core count once).
    pub seconds: StageSeconds,
    /// Stories that received articles, with their sizes before (for the second-pass check).
    #[serde(skip)]
    pub touched: std::collections::BTreeMap<parallax_core::model::StoryId, u32>,
}

/// Wall-clock seconds per stage of an ingest.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StageSeconds {
    /// Reading inputs.
    pub read: f64,
    /// Extraction.
    pub extract: f64,
    /// Dedup keys and clustering features (all cores) plus copy links.
    pub dedup: f64,
    /// Story assignment.
    pub cluster: f64,
    /// Writing to the store.
    pub store: f64,
}

/// Progress after each committed batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Inputs done.
    pub inputs_done: usize,
    /// Inputs in all.
    pub inputs_total: usize,
    /// Articles stored so far (committed).
    pub stored: usize,
}

/// Articles per committed transaction.
const BATCH: usize = 2000;
/// Raw articles extracted and stored together.
const SLICE: usize = 5000;

/// Lines of a JSONL stream read per slice: small enough that placing starts soon and the next slice is parsed
/// while this one is placed (500, 1000 and 2000 lines took the same time on a 10k stream).
const JSONL_SLICE: usize = 1000;
/// Inputs read before their articles are extracted together (recurring-line detection works within it).
const CHUNK_INPUTS: usize = 64;

/// Reads and extracts inputs without storing: the `extract` command. Calls `emit` per article in input order.
pub fn extract_inputs(
    inputs: &[String],
    registry: &Registry,
    fetcher: Option<&Fetcher>,
    mut emit: impl FnMut(Article),
    mut fail: impl FnMut(Failure),
) {
    let (files, bad) = input::expand(inputs);
    bad.into_iter().for_each(|b| fail(read_failure(b)));
    let mut feeds = Vec::new();
    for chunk in files.chunks(CHUNK_INPUTS) {
        let mut failed = Vec::new();
        read_slices(chunk, fetcher, &mut fail, &mut feeds, |raws| {
            let (articles, failures) = extract_all(&raws, registry);
            articles.into_iter().for_each(&mut emit);
            failed.extend(failures);
        });
        failed.into_iter().for_each(&mut fail);
    }
}

fn read_failure(b: parallax_core::read::ReadFailure) -> Failure {
    Failure {
        input: b.input,
        stage: Stage::Read,
        error: b.reason,
    }
}

/// Reads a chunk of inputs and hands their raw articles to `take`: the inputs read whole together (so lines
/// recurring across an outlet's pages are found among them), each JSONL input a slice at a time as it
/// streams. Feed URLs OPML inputs list go to `feeds`, failures to `fail`.
fn read_slices(
    chunk: &[String],
    fetcher: Option<&Fetcher>,
    fail: &mut impl FnMut(Failure),
    feeds: &mut Vec<String>,
    mut take: impl FnMut(Vec<RawArticle>),
) {
    let mut raws = Vec::new();
    for f in chunk {
        match input::open(f, fetcher) {
            input::Opened::Whole(out) => {
                out.failures.into_iter().for_each(|b| fail(read_failure(b)));
                feeds.extend(out.feeds);
                raws.extend(out.articles);
            }
            input::Opened::Stream(mut stream) => {
                if !raws.is_empty() {
                    take(std::mem::take(&mut raws));
                }
                while let Some(out) = stream.next_slice(JSONL_SLICE) {
                    out.failures.into_iter().for_each(|b| fail(read_failure(b)));
                    if !out.articles.is_empty() {
                        take(out.articles);
                    }
                }
            }
        }
    }
    // Inputs read whole may still hold many articles (a WARC, a feed): a slice at a time.
    while !raws.is_empty() {
        let rest = raws.split_off(raws.len().min(SLICE));
        take(std::mem::replace(&mut raws, rest));
    }
}

/// Extracts raw articles; flattened texts of one outlet are cleaned of the lines they share. An article
/// whose extraction fails (a panic inside a parser) becomes a failure naming its input; the rest go on.
pub fn extract_all(raws: &[RawArticle], registry: &Registry) -> (Vec<Article>, Vec<Failure>) {
    use rayon::prelude::*;
    let none = HashSet::new();
    let mut out: Vec<Result<Article, Failure>> = raws
        .par_iter()
        .map(|r| extract_guarded(r, registry, &none))
        .collect();
    let flat: Vec<(usize, &str, &str)> = raws
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match (&r.body, &out[i]) {
            (Some(Body::Flat(t)) | Some(Body::Markdown(t)), Ok(a)) => {
                Some((i, a.outlet.as_deref().unwrap_or(""), t.as_str()))
            }
            _ => None,
        })
        .filter(|(_, o, _)| !o.is_empty())
        .collect();
    if flat.len() >= 2 {
        let recurring = extract::recurring_lines(flat.iter().map(|(_, o, t)| (*o, *t)));
        let redo: Vec<(usize, String)> = flat
            .iter()
            .filter(|(_, o, _)| recurring.contains_key(*o))
            .map(|(i, o, _)| (*i, o.to_string()))
            .collect();
        for (i, o) in redo {
            out[i] = extract_guarded(&raws[i], registry, &recurring[&o]);
        }
    }
    let mut failures = Vec::new();
    let articles = out
        .into_iter()
        .filter_map(|r| r.map_err(|f| failures.push(f)).ok())
        .collect();
    (articles, failures)
}

thread_local! {
    /// Set while [`extract_guarded`] runs on this thread: the panic hook stays quiet, as the panic is reported
    /// as a failure line.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// [`extract::extract`], with a panic caught and turned into a failure.
fn extract_guarded(
    raw: &RawArticle,
    registry: &Registry,
    recurring: &HashSet<String>,
) -> Result<Article, Failure> {
    guard(&raw.source, Stage::Extract, || {
        extract::extract(raw, registry, recurring)
    })
}

/// Runs `f` for the input `input`; a panic in it becomes a failure at `stage` (and prints nothing more).
fn guard<T>(input: &str, stage: Stage, f: impl FnOnce() -> T) -> Result<T, Failure> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    result.map_err(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        Failure {
            input: input.to_string(),
            stage,
            error: format!("internal error: {why}"),
        }
    })
}

/// The engine state ingest works on.
pub struct IngestState {
    /// Clustering state.
    pub clusterer: Clusterer,
    /// Copy detection state.
    pub copies: CopyIndex,
    /// Ids already stored, with their publication day.
    pub known: HashMap<ArticleId, Option<chrono::NaiveDate>>,
    /// User corrections.
    pub pins: HashMap<ArticleId, parallax_core::model::StoryId>,
}

impl IngestState {
    /// Puts back one stored article (rebuilding the state from a store, in ingest order).
    pub(crate) fn restore(&mut self, r: crate::store::StateRow) {
        if let Some(s) = &r.story {
            self.clusterer
                .restore(&r.id, &r.features, s, r.copy_of.is_some());
        }
        // Articles without a word are never originals (nor copies), as in ingest.
        if r.copy_of.is_none() && r.exact != dedup::WORDLESS {
            // A stored report whose text copies an earlier one was placed on its own because the earlier
            // one's story had closed: later copies follow it, as they did when it came.
            match self.copies.find(r.exact, r.signature.as_ref()) {
                Some((original, _)) => self.clusterer.note_reissue(&original, &r.id),
                None => self.copies.insert(r.id.clone(), r.exact, r.signature),
            }
        }
        self.known.insert(r.id, r.features.day);
    }
}

/// Runs Read -> Extract -> Dedup -> Cluster -> Store over `inputs`, as three threads in a row: one reads
/// slices of articles and prepares them on every core (extraction, dedup keys and copy links, clustering
/// features), this one places each prepared article in a story, in order, and one writes the batches to the
/// store. The next slice is prepared while this one is placed and the one before is written.
pub fn ingest(
    inputs: &[String],
    registry: &Registry,
    fetcher: Option<&Fetcher>,
    store: &mut Store,
    state: &mut IngestState,
    now: &str,
    mut progress: impl FnMut(Progress),
) -> IngestReport {
    let mut report = IngestReport::default();
    let (files, bad) = input::expand(inputs);
    report.failures.extend(bad.into_iter().map(read_failure));
    let total = files.len();
    // An article counts as stored (in progress and in the report) only once its batch has committed.
    let committed = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<NewArticle>>(2);
    // Each prepared slice comes with the number of inputs done before it.
    let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel::<(Vec<Prepared>, usize)>(1);
    let IngestState {
        clusterer,
        copies,
        known,
        pins,
    } = state;
    let cfg = *clusterer.config();
    let pins = &*pins;
    std::thread::scope(|scope| {
        let committed = &committed;
        let writer = scope.spawn(move || {
            let mut w = IngestReport::default();
            // `w.duplicates` counts the copies of batches that failed to commit.
            let (mut since_checkpoint, mut written) = (0, 0);
            for mut batch in rx {
                let batch_len = batch.len();
                let copies = batch
                    .iter()
                    .filter(|p| p.assignment.copy_of.is_some())
                    .count();
                let failed_before = w.failures.len();
                flush(store, &mut batch, now, &mut w);
                since_checkpoint += batch_len;
                written += batch_len;
                // The WAL is written back a batch at a time while the store is small (the work overlaps
                // the placing), then every sixteenth of what this ingest wrote: each write-back rewrites the
                // index pages the batches since dirtied, and a big store's random index inserts dirty most of
                // them every batch (1M articles: 109.5 s with a write-back per batch, 83.1 s so).
                if since_checkpoint >= BATCH.max(written / 16) {
                    store.checkpoint();
                    since_checkpoint = 0;
                }
                if w.failures.len() > failed_before {
                    w.duplicates += copies;
                }
                committed.fetch_add(
                    std::mem::take(&mut w.new),
                    std::sync::atomic::Ordering::SeqCst,
                );
            }
            w
        });
        let preparer = scope.spawn(move || {
            let mut r = IngestReport::default();
            let mut done = 0;
            for chunk in files.chunks(CHUNK_INPUTS) {
                let mut failures = Vec::new();
                let mut feeds = Vec::new();
                let mut t = Instant::now();
                read_slices(
                    chunk,
                    fetcher,
                    &mut |f| failures.push(f),
                    &mut feeds,
                    |raws| {
                        r.seconds.read += t.elapsed().as_secs_f64();
                        let ready = prepare(raws, registry, copies, known, pins, &cfg, &mut r);
                        // The placing side only stops early by panicking, which the scope passes on.
                        let _ = ready_tx.send((ready, done));
                        t = Instant::now();
                    },
                );
                r.seconds.read += t.elapsed().as_secs_f64();
                r.failures.extend(failures);
                r.feeds.extend(feeds);
                done += chunk.len();
            }
            r
        });
        // Each batch is gathered in a vector made at its full size (grown from empty, a batch was copied
        // over a dozen times on its way there).
        let mut pending: Vec<NewArticle> = Vec::with_capacity(BATCH);
        let mut send = |p: &mut Vec<NewArticle>, _: &mut IngestReport| {
            if !p.is_empty() {
                // The writer only stops when this side hangs up, so a send cannot fail while it runs.
                let _ = tx.send(std::mem::replace(p, Vec::with_capacity(BATCH)));
            }
        };
        for (ready, done) in ready_rx {
            place(ready, clusterer, pins, &mut pending, &mut report, &mut send);
            progress(Progress {
                inputs_done: done,
                inputs_total: total,
                stored: committed.load(std::sync::atomic::Ordering::SeqCst),
            });
        }
        drop(tx);
        let r = preparer.join().unwrap_or_default();
        report.read += r.read;
        report.unchanged += r.unchanged;
        report.failures.extend(r.failures);
        report.feeds.extend(r.feeds);
        report.seconds.read += r.seconds.read;
        report.seconds.extract += r.seconds.extract;
        report.seconds.dedup += r.seconds.dedup;
        let w = writer.join().unwrap_or_default();
        report.failures.extend(w.failures);
        report.duplicates -= w.duplicates.min(report.duplicates);
        report.seconds.store += w.seconds.store;
    });
    report.new = committed.load(std::sync::atomic::Ordering::SeqCst);
    progress(Progress {
        inputs_done: total,
        inputs_total: total,
        stored: report.new,
    });
    report
}

/// Runs Extract -> Dedup -> Cluster -> Store over raw articles already read (the HTTP API's ingest).
pub fn ingest_raws(
    raws: Vec<RawArticle>,
    registry: &Registry,
    store: &mut Store,
    state: &mut IngestState,
    now: &str,
) -> IngestReport {
    let mut report = IngestReport::default();
    let mut pending = Vec::new();
    let cfg = *state.clusterer.config();
    let ready = prepare(
        raws,
        registry,
        &mut state.copies,
        &mut state.known,
        &state.pins,
        &cfg,
        &mut report,
    );
    place(
        ready,
        &mut state.clusterer,
        &state.pins,
        &mut pending,
        &mut report,
        &mut |p, r| flush(store, p, now, r),
    );
    report
}

/// An article ready to be placed: extracted, with its dedup keys, the original it copies (if any) and its
/// clustering features (none yet for a copy expected to follow its original).
struct Prepared {
    article: Article,
    exact: u64,
    signature: Option<dedup::Signature>,
    copy_of: Option<ArticleId>,
    features: cluster::Features,
}

/// Extracts a slice of raw articles and prepares them for placing, in publication order: the per-article
/// work that needs no shared state runs on every core; copy links follow in order. A copy that will follow
/// its original needs no clustering features, so the features are computed after the copy links, for the
/// articles that will likely need them (the rest get theirs when placed, if they turn out to).
fn prepare(
    raws: Vec<RawArticle>,
    registry: &Registry,
    copies: &mut CopyIndex,
    known: &mut HashMap<ArticleId, Option<chrono::NaiveDate>>,
    pins: &HashMap<ArticleId, parallax_core::model::StoryId>,
    cfg: &cluster::Config,
    report: &mut IngestReport,
) -> Vec<Prepared> {
    use rayon::prelude::*;
    let t = Instant::now();
    let (mut articles, failures) = extract_all(&raws, registry);
    report.failures.extend(failures);
    report.seconds.extract += t.elapsed().as_secs_f64();
    drop(raws);
    report.read += articles.len();
    // Publication order within the slice; undated articles keep their place after the dated ones.
    articles.sort_by(|a, b| match (&a.published, &b.published) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let t = Instant::now();
    let keyed: Vec<(Article, u64, Option<dedup::Signature>)> = articles
        .into_par_iter()
        .map(|a| {
            let (exact, signature) = dedup::keys(&a.text);
            (a, exact, signature)
        })
        .collect();
    // Copy links, in order: an article is a copy of the first-seen article with its text.
    let mut linked: Vec<(Article, u64, Option<dedup::Signature>, Option<ArticleId>)> =
        Vec::with_capacity(keyed.len());
    for (article, exact, signature) in keyed {
        match known.entry(article.id.clone()) {
            std::collections::hash_map::Entry::Occupied(_) => {
                report.unchanged += 1;
                continue;
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(article.day());
            }
        }
        let wordless = exact == dedup::WORDLESS;
        let copy_of = if wordless {
            None
        } else {
            copies.find(exact, signature.as_ref()).map(|c| c.0)
        };
        if copy_of.is_none() && !wordless {
            copies.insert(article.id.clone(), exact, signature);
        }
        linked.push((article, exact, signature, copy_of));
    }
    // A copy dated further from its original than the copy window will likely be placed on its own: its
    // features are computed here too, on every core, rather than when it is placed.
    let window = cluster::GRACE_DAYS;
    let far =
        |day: Option<chrono::NaiveDate>, original: &ArticleId| match (day, known.get(original)) {
            (Some(d), Some(Some(o))) => (d - *o).num_days().abs() > window,
            _ => false,
        };
    let linked: Vec<_> = linked
        .into_iter()
        .map(|(article, exact, signature, copy_of)| {
            let wanted = pins.contains_key(&article.id)
                || copy_of.as_ref().is_none_or(|o| far(article.day(), o));
            (article, exact, signature, copy_of, wanted)
        })
        .collect();
    let ready = linked
        .into_par_iter()
        .map(|(article, exact, signature, copy_of, wanted)| {
            // A copy's original is either placed already or placed earlier in this slice.
            let features = if wanted {
                cluster::features_with(&article, cfg)
            } else {
                cluster::Features::dated(article.day())
            };
            Prepared {
                article,
                exact,
                signature,
                copy_of,
                features,
            }
        })
        .collect();
    report.seconds.dedup += t.elapsed().as_secs_f64();
    ready
}

/// Places prepared articles in stories, in order, and hands them to `flush` in batches (and at the end).
fn place(
    ready: Vec<Prepared>,
    clusterer: &mut Clusterer,
    pins: &HashMap<ArticleId, parallax_core::model::StoryId>,
    pending: &mut Vec<NewArticle>,
    report: &mut IngestReport,
    flush: &mut dyn FnMut(&mut Vec<NewArticle>, &mut IngestReport),
) {
    let cfg = *clusterer.config();
    for p in ready {
        let Prepared {
            article,
            exact,
            signature,
            copy_of,
            mut features,
        } = p;
        let t = Instant::now();
        let pinned = pins.get(&article.id);
        let followed = match (pinned, &copy_of) {
            (None, Some(original)) => clusterer.follow(&article.id, original, features.day),
            _ => None,
        };
        let assignment = match followed {
            Some(a) => a,
            None => {
                if features.is_empty() {
                    features = cluster::features_with(&article, &cfg);
                }
                clusterer.assign_unfollowed(&article.id, &features, pinned, copy_of.as_ref())
            }
        };
        if assignment.copy_of.is_some() && pinned.is_none() {
            // A copy that follows its original is stored without features, as it is placed.
            features = cluster::Features::dated(features.day);
        }
        report.seconds.cluster += t.elapsed().as_secs_f64();
        if assignment.copy_of.is_some() {
            report.duplicates += 1;
        }
        if !report.touched.contains_key(&assignment.story) {
            // The story now holds this article; its size before the batch is one less (copies are not
            // counted in a story's size).
            let size = clusterer.story_size(&assignment.story);
            let size = if assignment.copy_of.is_some() {
                size
            } else {
                size.saturating_sub(1)
            };
            report.touched.insert(assignment.story.clone(), size);
        }
        pending.push(NewArticle {
            article,
            exact,
            signature,
            features,
            assignment,
        });
        if pending.len() >= BATCH {
            flush(pending, report);
        }
    }
    flush(pending, report);
}

/// Writes a batch in this thread (the HTTP API's small ingests).
fn flush(store: &mut Store, pending: &mut Vec<NewArticle>, now: &str, report: &mut IngestReport) {
    if pending.is_empty() {
        return;
    }
    let t = Instant::now();
    let result = store.insert(pending, now);
    report.seconds.store += t.elapsed().as_secs_f64();
    match result {
        Ok(()) => report.new += pending.len(),
        Err(e) => {
            for p in pending.iter() {
                report.failures.push(Failure {
                    input: p.article.source.clone(),
                    stage: Stage::Store,
                    error: format!("{e}"),
                });
            }
            report.duplicates -= pending
                .iter()
                .filter(|p| p.assignment.copy_of.is_some())
                .count()
                .min(report.duplicates);
        }
    }
    pending.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_failure_naming_the_input() {
        let ok = guard("a.html", Stage::Extract, || 2 + 2);
        assert_eq!(ok.ok(), Some(4));
        let failed = guard("b.html", Stage::Extract, || -> usize {
            panic!("index out of range")
        });
        let f = failed.expect_err("the panic is caught");
        assert_eq!(f.input, "b.html");
        assert_eq!(f.stage, Stage::Extract);
        assert_eq!(f.error, "internal error: index out of range");
        let formatted = guard("c.html", Stage::Extract, || -> usize { panic!("at {}", 3) });
        assert_eq!(formatted.expect_err("caught").error, "internal error: at 3");
    }
}
