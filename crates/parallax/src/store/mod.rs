//! The store: the only module that knows SQL or the on-disk format. One SQLite file (WAL mode) any SQLite
//! client opens: articles with their dedup keys, clustering features and story assignment, an FTS5 index,
//! user corrections with their audit log, and a schema version with migrations.
//!
//! Crash safety: every batch is one transaction; an article counts as stored only once its batch committed.

mod schema;

use crate::error::{store as serr, Error, Result};
use parallax_core::cluster::{Assignment, Features};
use parallax_core::dedup::{sig_from_bytes, sig_to_bytes, Signature};
use parallax_core::model::{Article, ArticleId, StoryId};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

pub use schema::SCHEMA_VERSION;

/// The columns `article_row` reads, in its order.
macro_rules! article_columns {
    () => {
        "id, url, outlet, title, published, authors, language, text, credits, warnings, source"
    };
}

/// An article ready to be written, with what dedup and clustering decided.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// The article.
    pub article: Article,
    /// Exact-text key.
    pub exact: u64,
    /// MinHash signature.
    pub signature: Option<Signature>,
    /// Clustering features.
    pub features: Features,
    /// Where clustering put it, and why.
    pub assignment: Assignment,
}

/// Counts (`parallax stats`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Articles stored (copies included).
    pub articles: u64,
    /// Stories.
    pub stories: u64,
    /// Distinct outlets.
    pub outlets: u64,
    /// Articles that copy another.
    pub duplicates: u64,
    /// On-disk schema version.
    pub schema_version: i64,
}

/// What the clusterer and dedup need to resume: one row per stored article, in ingest order.
#[derive(Debug, Clone)]
pub struct StateRow {
    /// Id.
    pub id: ArticleId,
    /// Story.
    pub story: Option<StoryId>,
    /// Exact key.
    pub exact: u64,
    /// Signature.
    pub signature: Option<Signature>,
    /// Features.
    pub features: Features,
    /// Copy of.
    pub copy_of: Option<ArticleId>,
}

/// A story's article as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryArticle {
    /// Id.
    pub id: ArticleId,
    /// Outlet.
    pub outlet: Option<String>,
    /// Title.
    pub title: String,
    /// Publication date.
    pub published: Option<String>,
    /// The original it copies.
    pub copy_of: Option<ArticleId>,
}

/// One article of a story: the article, the original it copies, and why it is in the story.
pub type StoryRow = (Article, Option<ArticleId>, Option<Assignment>);

/// A watched feed's state and health.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedState {
    /// The feed URL.
    pub url: String,
    /// `ETag` of the last answer.
    pub etag: Option<String>,
    /// `Last-Modified` of the last answer.
    pub last_modified: Option<String>,
    /// When it last answered (RFC 3339).
    pub last_success: Option<String>,
    /// When it last failed.
    pub last_failure: Option<String>,
    /// Why it last failed.
    pub failure: Option<String>,
    /// Failures in a row (drives the backoff).
    pub failures: u32,
    /// When it is next due (RFC 3339).
    pub next_due: Option<String>,
    /// Articles it brought in all.
    pub items: u64,
}

/// A correction in the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// When (RFC 3339).
    pub at: String,
    /// Who (user name or token label).
    pub who: String,
    /// `split`, `merge` or `move`.
    pub action: String,
    /// Its arguments.
    pub args: Vec<String>,
}

/// A full-text search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Article id.
    pub id: ArticleId,
    /// Outlet.
    pub outlet: Option<String>,
    /// Title.
    pub title: String,
    /// Publication date.
    pub published: Option<String>,
    /// Its story.
    pub story: Option<StoryId>,
    /// A verbatim excerpt around the match.
    pub snippet: String,
    /// BM25 rank (lower is better).
    pub rank: f64,
}

/// Search filters.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// Only this outlet.
    pub outlet: Option<String>,
    /// Published on or after (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// Published on or before.
    pub until: Option<String>,
    /// Only this language.
    pub language: Option<String>,
    /// Most hits.
    pub limit: usize,
}

/// An open store.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating and migrating as needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).map_err(|source| Error::StoreOpen {
            path: path.to_path_buf(),
            source,
        })?;
        let store = Store { conn };
        store.init().map_err(|e| match e {
            Error::Store { source, .. } => Error::StoreOpen {
                path: path.to_path_buf(),
                source,
            },
            other => other,
        })?;
        Ok(store)
    }

    /// An in-memory store (one-shot `compare`, tests).
    pub fn in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(serr("open in memory"))?;
        let store = Store { conn };
        store.init()?;
        Ok(store)
    }

    fn init(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=20000;")
            .map_err(serr("set pragmas"))?;
        schema::migrate(&self.conn)?;
        self.build_indexes()?;
        // A 16 MiB page cache, set once the page size is known (a size set before is counted in pages of
        // the default size: four times the memory on a new store's 16 KiB pages). Ingest appends, so a
        // bigger cache only adds memory (100k articles: 64 MiB 4.0 s and 231 MB peak, 16 MiB 3.9 s and 178 MB).
        self.conn
            .execute_batch("PRAGMA cache_size=-16384;")
            .map_err(serr("set pragmas"))
    }

    /// Writes the write-ahead log back into the store file as far as no reader holds it (SQLite's passive
    /// checkpoint). Ingest's writer thread calls it between batches, so the copy overlaps the next batch's
    /// extraction and clustering instead of all falling to closing, when nothing else runs (see
    /// `pipeline::ingest` for how often). A checkpoint that cannot finish loses nothing (the log keeps the
    /// pages), so its result is not an error.
    pub fn checkpoint(&self) {
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }

    /// Leaves the index of article ids out while a first ingest writes, when the store holds no article
    /// yet, to be built once at the end by [`Store::build_indexes`] from sorted keys. Ids come in no order,
    /// so every batch committed into an indexed table rewrites most of that index's pages (16 KiB each) and
    /// reads them back once they outgrow the page cache: a million articles wrote 24 GB and read 32 GB for a
    /// 4 GB store. The story and date indexes stay: their keys come nearly in order, and leaving them out too
    /// cost more in building them (each build reads the whole table) than it saved (1M articles, single
    /// runs in one hour: 61.2 s as before, 56.7 s with all three left out, 53.1 s with the ids' alone).
    /// Nothing reads ids from the store during an ingest (ids already stored are known in memory). Returns
    /// whether it was left out.
    pub fn defer_indexes(&self) -> Result<bool> {
        let empty: bool = self
            .conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM articles)", [], |r| {
                r.get(0)
            })
            .map_err(serr("look for articles"))?;
        if !empty {
            return Ok(false);
        }
        self.conn
            .execute_batch("DROP INDEX IF EXISTS articles_id")
            .map_err(serr("leave out an index"))?;
        Ok(true)
    }

    /// Makes the indexes on articles that are missing (after [`Store::defer_indexes`], or an ingest that
    /// was interrupted); one look at the schema when none is. Should two ingests have written one id into
    /// a store without its index, the first stored row is kept, as the index would have done.
    pub fn build_indexes(&self) -> Result<()> {
        let present: HashSet<String> = self.query(
            "read the indexes",
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'articles'",
            [],
            |r| r.get(0),
        )?;
        for (name, create) in schema::INDEXES {
            // A store made before version 4 holds ids apart with its column's own UNIQUE.
            let held = present.contains(name)
                || (name == "articles_id" && present.contains(schema::COLUMN_UNIQUE));
            if held {
                continue;
            }
            let made = self.conn.execute_batch(create);
            if made.is_err() && name == "articles_id" {
                self.conn
                    .execute_batch(
                        "DELETE FROM articles WHERE seq NOT IN (SELECT min(seq) FROM articles GROUP BY id)",
                    )
                    .map_err(serr("remove a twice-stored id"))?;
                self.conn
                    .execute_batch(create)
                    .map_err(serr("build an index"))?;
            } else {
                made.map_err(serr("build an index"))?;
            }
        }
        Ok(())
    }

    /// True when an article with this id is stored.
    pub fn contains(&self, id: &ArticleId) -> Result<bool> {
        self.conn
            .query_row("SELECT 1 FROM articles WHERE id = ?1", [&id.0], |_| Ok(()))
            .optional()
            .map(|x| x.is_some())
            .map_err(serr("look up an article"))
    }

    /// Writes a batch of new articles in one transaction.
    pub fn insert(&mut self, batch: &[NewArticle], now: &str) -> Result<()> {
        let tx = self.conn.transaction().map_err(serr("begin a batch"))?;
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO articles (id, url, outlet, title, published, authors, language, text, credits,
                     warnings, source, exact, signature, terms, copy_of, story, reasons, added)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                )
                .map_err(serr("prepare insert"))?;
            for n in batch {
                let a = &n.article;
                ins.execute(params![
                    a.id.0,
                    a.url,
                    a.outlet,
                    a.title,
                    a.published,
                    serde_json::to_string(&a.authors).unwrap_or_default(),
                    a.language,
                    a.text,
                    serde_json::to_string(&a.credits).unwrap_or_default(),
                    serde_json::to_string(&a.warnings).unwrap_or_default(),
                    a.source,
                    n.exact as i64,
                    n.signature.as_ref().map(sig_to_bytes),
                    n.features.terms_to_string(),
                    n.assignment.copy_of.as_ref().map(|c| c.0.clone()),
                    n.assignment.story.0,
                    serde_json::to_string(&n.assignment).unwrap_or_default(),
                    now,
                ])
                .map_err(serr("insert an article"))?;
            }
        }
        tx.commit().map_err(serr("commit a batch"))
    }

    /// Hands every stored article's dedup and clustering state to `f`, in ingest order, one row at a time
    /// (memory stays that of a row, whatever the store's size).
    pub fn each_state(&self, mut f: impl FnMut(StateRow)) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT id, story, exact, signature, terms, copy_of, published FROM articles ORDER BY seq")
            .map_err(serr("read state"))?;
        let mut rows = st.query([]).map_err(serr("read state"))?;
        while let Some(r) = rows.next().map_err(serr("read state"))? {
            let row = (|| {
                let published: Option<String> = r.get(6)?;
                let day = published.as_deref().and_then(parallax_core::model::day_of);
                let sig = r.get_ref(3)?.as_blob_or_null()?;
                let terms = r.get_ref(4)?.as_str()?;
                Ok(StateRow {
                    id: ArticleId(r.get(0)?),
                    story: r.get::<_, Option<String>>(1)?.map(StoryId),
                    exact: r.get::<_, i64>(2)? as u64,
                    signature: sig.and_then(sig_from_bytes),
                    features: Features::from_stored(terms, day),
                    copy_of: r.get::<_, Option<String>>(5)?.map(ArticleId),
                })
            })()
            .map_err(|e: rusqlite::Error| serr("read state")(e))?;
            f(row);
        }
        Ok(())
    }

    /// The number of stored articles.
    pub fn article_count(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(serr("count articles"))
    }

    /// Changes when another connection commits to the store (`PRAGMA data_version`); with this
    /// connection's own count of changes, it tells whether cached listings are current.
    pub fn data_version(&self) -> Result<i64> {
        let v: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(serr("read the data version"))?;
        Ok(v * 1_000_000_007 + self.conn.total_changes() as i64)
    }

    /// Runs a query and collects its rows; `what` names the operation in errors.
    fn query<T, C: FromIterator<T>>(
        &self,
        what: &'static str,
        sql: &str,
        params: impl rusqlite::Params,
        row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<C> {
        let mut st = self.conn.prepare_cached(sql).map_err(serr(what))?;
        let rows = st.query_map(params, row).map_err(serr(what))?;
        rows.collect::<std::result::Result<C, _>>()
            .map_err(serr(what))
    }

    /// Counts.
    pub fn stats(&self) -> Result<Stats> {
        let q = |sql: &str| -> Result<u64> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
                .map_err(serr("count"))
        };
        Ok(Stats {
            articles: q("SELECT count(*) FROM articles")?,
            stories: q("SELECT count(DISTINCT story) FROM articles WHERE story IS NOT NULL")?,
            outlets: q("SELECT count(DISTINCT outlet) FROM articles WHERE outlet IS NOT NULL")?,
            duplicates: q("SELECT count(*) FROM articles WHERE copy_of IS NOT NULL")?,
            schema_version: schema::version(&self.conn)?,
        })
    }

    /// All stories' articles, grouped by story in order of story creation.
    pub fn story_articles(&self) -> Result<Vec<(StoryId, Vec<StoryArticle>)>> {
        let mut st = self
            .conn
            .prepare("SELECT story, id, outlet, title, published, copy_of FROM articles WHERE story IS NOT NULL ORDER BY seq")
            .map_err(serr("list stories"))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    StoryId(r.get(0)?),
                    StoryArticle {
                        id: ArticleId(r.get(1)?),
                        outlet: r.get(2)?,
                        title: r.get(3)?,
                        published: r.get(4)?,
                        copy_of: r.get::<_, Option<String>>(5)?.map(ArticleId),
                    },
                ))
            })
            .map_err(serr("list stories"))?;
        let mut order: Vec<StoryId> = Vec::new();
        let mut map: std::collections::HashMap<StoryId, Vec<StoryArticle>> =
            std::collections::HashMap::new();
        for row in rows {
            let (s, a) = row.map_err(serr("list stories"))?;
            map.entry(s.clone())
                .or_insert_with(|| {
                    order.push(s.clone());
                    Vec::new()
                })
                .push(a);
        }
        Ok(order
            .into_iter()
            .map(|s| {
                let v = map.remove(&s).unwrap_or_default();
                (s, v)
            })
            .collect())
    }

    /// The full articles of one story (with copy links and assignment reasons), in ingest order.
    pub fn story(&self, id: &StoryId) -> Result<Vec<StoryRow>> {
        let mut st = self
            .conn
            .prepare(concat!(
                "SELECT ",
                article_columns!(),
                ", copy_of, reasons FROM articles WHERE story = ?1 ORDER BY seq"
            ))
            .map_err(serr("read a story"))?;
        let rows = st
            .query_map([&id.0], |r| {
                let reasons: Option<Assignment> = r
                    .get::<_, Option<String>>(12)?
                    .and_then(|j| serde_json::from_str(&j).ok());
                Ok((
                    article_row(r)?,
                    r.get::<_, Option<String>>(11)?.map(ArticleId),
                    reasons,
                ))
            })
            .map_err(serr("read a story"))?;
        let v = rows
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(serr("read a story"))?;
        if v.is_empty() {
            return Err(Error::StoryNotFound(id.0.clone()));
        }
        Ok(v)
    }

    /// Distinct (day, outlet) pairs of every dated article: which outlets were read on which day.
    pub fn outlet_days(&self) -> Result<Vec<(String, String)>> {
        self.query(
            "list outlets by day",
            "SELECT DISTINCT substr(published, 1, 10), outlet FROM articles WHERE published IS NOT NULL AND outlet IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Outlets with articles published between two days (inclusive), for blindspot denominators.
    pub fn outlets_between(&self, from: &str, to: &str) -> Result<Vec<String>> {
        self.query(
            "list outlets",
            "SELECT DISTINCT outlet FROM articles WHERE published >= ?1 AND published < ?2 || '~' AND outlet IS NOT NULL",
            [from, to],
            |r| r.get(0),
        )
    }

    /// Moves articles to a story (a user's correction) and pins them there.
    pub fn pin(
        &mut self,
        articles: &[ArticleId],
        story: &StoryId,
        correction: &Correction,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction()
            .map_err(serr("begin a correction"))?;
        for a in articles {
            let n = tx
                .execute(
                    "UPDATE articles SET story = ?1 WHERE id = ?2",
                    params![story.0, a.0],
                )
                .map_err(serr("move an article"))?;
            if n == 0 {
                return Err(Error::ArticleNotFound(a.0.clone()));
            }
            tx.execute(
                "INSERT OR REPLACE INTO pins (article, story) VALUES (?1, ?2)",
                params![a.0, story.0],
            )
            .map_err(serr("pin an article"))?;
        }
        tx.execute(
            "INSERT INTO corrections (at, who, action, args) VALUES (?1, ?2, ?3, ?4)",
            params![
                correction.at,
                correction.who,
                correction.action,
                serde_json::to_string(&correction.args).unwrap_or_default()
            ],
        )
        .map_err(serr("log a correction"))?;
        tx.commit().map_err(serr("commit a correction"))
    }

    /// Pinned articles and their stories.
    pub fn pins(&self) -> Result<std::collections::HashMap<ArticleId, StoryId>> {
        self.query("read pins", "SELECT article, story FROM pins", [], |r| {
            Ok((ArticleId(r.get(0)?), StoryId(r.get(1)?)))
        })
    }

    /// The audit log of corrections.
    pub fn corrections(&self) -> Result<Vec<Correction>> {
        let mut st = self
            .conn
            .prepare("SELECT at, who, action, args FROM corrections ORDER BY seq")
            .map_err(serr("read corrections"))?;
        let rows = st
            .query_map([], |r| {
                Ok(Correction {
                    at: r.get(0)?,
                    who: r.get(1)?,
                    action: r.get(2)?,
                    args: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
                })
            })
            .map_err(serr("read corrections"))?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(serr("read corrections"))
    }

    /// One article, with its story and the original it copies.
    pub fn article(&self, id: &ArticleId) -> Result<(Article, Option<StoryId>, Option<ArticleId>)> {
        self.conn
            .query_row(
                concat!(
                    "SELECT ",
                    article_columns!(),
                    ", story, copy_of FROM articles WHERE id = ?1"
                ),
                [&id.0],
                |r| {
                    Ok((
                        article_row(r)?,
                        r.get::<_, Option<String>>(11)?.map(StoryId),
                        r.get::<_, Option<String>>(12)?.map(ArticleId),
                    ))
                },
            )
            .optional()
            .map_err(serr("read an article"))?
            .ok_or_else(|| Error::ArticleNotFound(id.0.clone()))
    }

    /// Brings the full-text index up to date. Ingest does not index (it is the dearest part of a write, and
    /// bulk loads are often never searched); the first search after it indexes the articles added since,
    /// in one transaction. An index that lost documents (damaged or dropped) is rebuilt whole.
    /// Returns the number of articles indexed.
    pub fn ensure_index(&self) -> Result<usize> {
        let (indexed, upto): (i64, i64) = self
            .conn
            .query_row(
                "SELECT count(*), coalesce(max(id), 0) FROM articles_fts_docsize",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap_or((-1, 0));
        let (below, last): (i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM articles WHERE seq <= ?1), coalesce(max(seq), 0) FROM articles",
                [upto],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(serr("count"))?;
        if indexed < below {
            self.rebuild_index()?;
            return Ok(last as usize);
        }
        if last <= upto {
            return Ok(0);
        }
        self.conn
            .execute(
                "INSERT INTO articles_fts (rowid, title, text) SELECT seq, title, text FROM articles WHERE seq > ?1",
                [upto],
            )
            .map_err(serr("index new articles"))
    }

    /// The clustering features, assignment and original (for copies) of a story's articles, in ingest order.
    pub fn story_features(&self, story: &StoryId) -> Result<Vec<StoryFeatures>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, terms, published, reasons, copy_of FROM articles WHERE story = ?1 ORDER BY seq",
            )
            .map_err(serr("read a story's features"))?;
        let rows = st
            .query_map([&story.0], |r| {
                let terms: String = r.get(1)?;
                let published: Option<String> = r.get(2)?;
                let day = published.as_deref().and_then(parallax_core::model::day_of);
                Ok((
                    ArticleId(r.get(0)?),
                    Features::from_stored(&terms, day),
                    r.get(3)?,
                    r.get::<_, Option<String>>(4)?.map(ArticleId),
                ))
            })
            .map_err(serr("read a story's features"))?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(serr("read a story's features"))
    }

    /// A story's articles in ingest order with their stored terms and the article each copies: what the split
    /// check reads (their reasons and dates are read again only for a story that splits).
    pub fn story_terms(&self, story: &StoryId) -> Result<Vec<TermRow>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, terms, copy_of FROM articles WHERE story = ?1 ORDER BY seq")
            .map_err(serr("read a story's terms"))?;
        let rows = st
            .query_map([&story.0], |r| {
                Ok(TermRow {
                    id: ArticleId(r.get(0)?),
                    terms: r.get(1)?,
                    copy: r.get::<_, Option<String>>(2)?.is_some(),
                })
            })
            .map_err(serr("read a story's terms"))?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(serr("read a story's terms"))
    }

    /// Every story id in use.
    pub fn story_ids(&self) -> Result<Vec<StoryId>> {
        self.query(
            "list stories",
            "SELECT DISTINCT story FROM articles WHERE story IS NOT NULL",
            [],
            |r| Ok(StoryId(r.get(0)?)),
        )
    }

    /// Rewrites every article's story and reasons (after re-clustering).
    pub fn reassign(&mut self, assignments: &[(ArticleId, Assignment)]) -> Result<()> {
        let tx = self
            .conn
            .transaction()
            .map_err(serr("begin re-clustering"))?;
        {
            // Rows are rewritten in the order they are stored: the rows of a page are changed together and
            // the page is written once, not once per row spread over the whole store.
            let mut seq = tx
                .prepare_cached("SELECT seq FROM articles WHERE id = ?1")
                .map_err(serr("re-cluster"))?;
            let mut rows: Vec<(i64, &Assignment)> = Vec::with_capacity(assignments.len());
            for (id, a) in assignments {
                if let Some(n) = seq
                    .query_row([&id.0], |r| r.get::<_, i64>(0))
                    .optional()
                    .map_err(serr("re-cluster"))?
                {
                    rows.push((n, a));
                }
            }
            // The last assignment of an article stands, as when they were written in turn.
            rows.reverse();
            rows.sort_by_key(|r| r.0);
            rows.dedup_by_key(|r| r.0);
            let mut st = tx
                .prepare_cached("UPDATE articles SET story = ?1, reasons = ?2 WHERE seq = ?3")
                .map_err(serr("re-cluster"))?;
            for (n, a) in rows {
                st.execute(params![
                    a.story.0,
                    serde_json::to_string(a).unwrap_or_default(),
                    n
                ])
                .map_err(serr("re-cluster"))?;
            }
        }
        tx.commit().map_err(serr("commit re-clustering"))
    }

    /// The highest story number in use.
    pub fn max_story_number(&self) -> Result<u64> {
        self.conn
            .query_row(
                "SELECT coalesce(max(CAST(substr(story, 2) AS INTEGER)), 0) FROM articles",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(serr("read story numbers"))
    }

    /// A feed's state, if it was watched before.
    pub fn feed(&self, url: &str) -> Result<Option<FeedState>> {
        self.conn
            .query_row(
                "SELECT url, etag, last_modified, last_success, last_failure, failure, failures, next_due, items FROM feeds WHERE url = ?1",
                [url],
                feed_row,
            )
            .optional()
            .map_err(serr("read a feed"))
    }

    /// Every watched feed's state.
    pub fn feeds(&self) -> Result<Vec<FeedState>> {
        self.query(
            "list feeds",
            "SELECT url, etag, last_modified, last_success, last_failure, failure, failures, next_due, items FROM feeds ORDER BY url",
            [],
            feed_row,
        )
    }

    /// Writes a feed's state.
    pub fn save_feed(&self, f: &FeedState) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO feeds (url, etag, last_modified, last_success, last_failure, failure, failures, next_due, items)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![f.url, f.etag, f.last_modified, f.last_success, f.last_failure, f.failure, f.failures, f.next_due, f.items as i64],
            )
            .map(|_| ())
            .map_err(serr("save a feed"))
    }

    /// Full-text search (FTS5, BM25).
    pub fn search(&self, query: &str, f: &SearchFilter) -> Result<Vec<Hit>> {
        let fts_query = fts_quote(query);
        if fts_query.is_empty() {
            return Ok(Vec::new());
        }
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.outlet, a.title, a.published, a.story, snippet(articles_fts, 1, '', '', '…', 24), bm25(articles_fts)
                 FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
                 WHERE articles_fts MATCH ?1
                   AND (?2 IS NULL OR a.outlet = ?2)
                   AND (?3 IS NULL OR substr(a.published,1,10) >= ?3)
                   AND (?4 IS NULL OR substr(a.published,1,10) <= ?4)
                   AND (?5 IS NULL OR a.language = ?5)
                 ORDER BY bm25(articles_fts) LIMIT ?6",
            )
            .map_err(serr("search"))?;
        let limit = if f.limit == 0 { 20 } else { f.limit } as i64;
        let rows = st
            .query_map(
                params![fts_query, f.outlet, f.since, f.until, f.language, limit],
                |r| {
                    Ok(Hit {
                        id: ArticleId(r.get(0)?),
                        outlet: r.get(1)?,
                        title: r.get(2)?,
                        published: r.get(3)?,
                        story: r.get::<_, Option<String>>(4)?.map(StoryId),
                        snippet: r.get(5)?,
                        rank: r.get(6)?,
                    })
                },
            )
            .map_err(serr("search"))?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(serr("search"))
    }

    /// Rebuilds the full-text index from the articles (when it is lost or damaged).
    pub fn rebuild_index(&self) -> Result<()> {
        self.conn
            .execute_batch("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');")
            .map_err(serr("rebuild the index"))
    }
}

/// A story member as the second-pass check reads it: id, clustering features, assignment (as stored, in
/// JSON: read only for the articles that move), and the original it copies.
pub type StoryFeatures = (ArticleId, Features, Option<String>, Option<ArticleId>);

/// A story's article as the split check reads it.
#[derive(Debug, Clone)]
pub struct TermRow {
    /// The article.
    pub id: ArticleId,
    /// Its terms, as [`Features::terms_to_string`] wrote them.
    pub terms: String,
    /// Whether it copies another article.
    pub copy: bool,
}

/// An article from the first eleven columns of a row, in `article_columns!()` order.
fn article_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Article> {
    let json = |i: usize| -> rusqlite::Result<String> {
        r.get::<_, Option<String>>(i).map(|s| s.unwrap_or_default())
    };
    Ok(Article {
        id: ArticleId(r.get(0)?),
        url: r.get(1)?,
        outlet: r.get(2)?,
        title: r.get(3)?,
        published: r.get(4)?,
        authors: serde_json::from_str(&json(5)?).unwrap_or_default(),
        language: r.get(6)?,
        text: r.get(7)?,
        credits: serde_json::from_str(&json(8)?).unwrap_or_default(),
        warnings: serde_json::from_str(&json(9)?).unwrap_or_default(),
        source: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
    })
}

fn feed_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FeedState> {
    Ok(FeedState {
        url: r.get(0)?,
        etag: r.get(1)?,
        last_modified: r.get(2)?,
        last_success: r.get(3)?,
        last_failure: r.get(4)?,
        failure: r.get(5)?,
        failures: r.get::<_, i64>(6)? as u32,
        next_due: r.get(7)?,
        items: r.get::<_, i64>(8)? as u64,
    })
}

/// Turns user words into an FTS5 query of quoted terms (AND), so punctuation cannot break the syntax.
fn fts_quote(q: &str) -> String {
    q.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
}
