//! The schema and its migrations. `meta.schema_version` says which migrations ran; a store from a newer
//! program is refused rather than damaged.

use crate::error::{store as serr, Error, Result};
use rusqlite::Connection;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 5;

const V1: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    url TEXT,
    outlet TEXT,
    title TEXT NOT NULL,
    published TEXT,
    authors TEXT,
    language TEXT,
    text TEXT NOT NULL,
    credits TEXT,
    warnings TEXT,
    source TEXT,
    exact INTEGER NOT NULL,
    signature BLOB,
    terms TEXT NOT NULL,
    copy_of TEXT,
    story TEXT,
    reasons TEXT,
    added TEXT
);
CREATE TABLE IF NOT EXISTS pins (article TEXT PRIMARY KEY, story TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS corrections (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, args TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, text, content='articles', content_rowid='seq', tokenize='porter unicode61');
";

/// The indexes on `articles`, by name. `Store::open` makes any that is missing: an ingest into an empty
/// store leaves the ids' out while it writes and builds it once at the end (see `Store::defer_indexes`), so
/// an ingest killed on the way leaves a store without it until it is next opened. In stores made before
/// version 4, an id's uniqueness is a constraint of the column itself ([`COLUMN_UNIQUE`], which cannot be
/// dropped), and `articles_id` is not made.
pub(crate) const INDEXES: [(&str, &str); 3] = [
    (
        "articles_id",
        "CREATE UNIQUE INDEX IF NOT EXISTS articles_id ON articles(id)",
    ),
    (
        "articles_story",
        "CREATE INDEX IF NOT EXISTS articles_story ON articles(story)",
    ),
    (
        "articles_published",
        "CREATE INDEX IF NOT EXISTS articles_published ON articles(published)",
    ),
];

/// The name SQLite gives the index behind the `UNIQUE` of the id column in stores made before version 4.
pub(crate) const COLUMN_UNIQUE: &str = "sqlite_autoindex_articles_1";

/// Version 2: feeds being watched and their health.
const V2: &str = "
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_success TEXT,
    last_failure TEXT,
    failure TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_due TEXT,
    items INTEGER NOT NULL DEFAULT 0
);
";

pub(crate) fn version(conn: &Connection) -> Result<i64> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .or_else(|e| {
            if matches!(e, rusqlite::Error::QueryReturnedNoRows) {
                Ok(None)
            } else {
                Err(e)
            }
        })
        .map_err(serr("read the schema version"))?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    let has_meta: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'meta'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(serr("read the schema"))?
        > 0;
    let current = if has_meta { version(conn)? } else { 0 };
    if current > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    if current < 1 {
        // A new file: bigger pages (article texts are kilobytes; fewer pages, fewer writes per article).
        // The page size can only change while the database is empty and not yet in WAL mode.
        let _ = conn.execute_batch(
            "PRAGMA journal_mode=DELETE; PRAGMA page_size=16384; VACUUM; PRAGMA journal_mode=WAL;",
        );
        conn.execute_batch(&format!(
            "BEGIN; {V1} INSERT OR REPLACE INTO meta VALUES ('schema_version', '1'); COMMIT;"
        ))
        .map_err(serr("create the schema"))?;
        // FTS5 merges its index segments less eagerly (fewer rewrites while ingesting).
        conn.execute_batch(
            "INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 8);",
        )
        .map_err(serr("configure the index"))?;
    }
    if current < 2 {
        conn.execute_batch(&format!(
            "BEGIN; {V2} INSERT OR REPLACE INTO meta VALUES ('schema_version', '2'); COMMIT;"
        ))
        .map_err(serr("migrate the schema to version 2"))?;
    }
    if current < 3 {
        resign(conn)?;
    }
    if current < 4 {
        // Version 4 changes no data: it says that a store may lack an index of `INDEXES` after an
        // interrupted ingest (which opening restores), which earlier programs would not know.
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', '4')",
            [],
        )
        .map_err(serr("migrate the schema to version 4"))?;
    }
    if current < 5 {
        reterm(conn)?;
    }
    Ok(())
}

/// Version 5: an article's clustering terms follow its language's stop words and stemmer (English rules
/// had been applied to every language); the terms of stored articles in other languages are made again
/// from their stored title (without its site's name, as ingest now cuts it) and text, so they meet the
/// terms of articles ingested from now on; copies that followed their original were stored without terms,
/// and stay so. Their stories stay as they are until `recluster`.
fn reterm(conn: &Connection) -> Result<()> {
    let tx = conn
        .unchecked_transaction()
        .map_err(serr("migrate the schema to version 5"))?;
    {
        let mut read = tx
            .prepare(
                "SELECT seq, title, text, published, language, outlet, url FROM articles
                 WHERE language IS NOT NULL AND language <> 'en' AND terms <> ''",
            )
            .map_err(serr("migrate the schema to version 5"))?;
        let mut write = tx
            .prepare("UPDATE articles SET terms = ?2 WHERE seq = ?1")
            .map_err(serr("migrate the schema to version 5"))?;
        let rows = read
            .query_map([], |r| {
                let (title, text): (String, String) = (r.get(1)?, r.get(2)?);
                let published: Option<String> = r.get(3)?;
                let (outlet, url): (Option<String>, Option<String>) = (r.get(5)?, r.get(6)?);
                // Titles stored before version 5 may still carry their site's name, which ingest now cuts
                // before making terms (the page's own site name is not stored: the outlet and host are).
                let title = parallax_core::extract::headline(
                    &title,
                    outlet.as_deref(),
                    None,
                    url.as_deref(),
                );
                let mut a = parallax_core::model::Article::from_text(
                    "",
                    None,
                    &title,
                    published.as_deref(),
                    &text,
                );
                a.language = r.get(4)?;
                Ok((r.get::<_, i64>(0)?, a))
            })
            .map_err(serr("migrate the schema to version 5"))?;
        for row in rows {
            let (seq, article) = row.map_err(serr("migrate the schema to version 5"))?;
            let terms = parallax_core::cluster::features(&article).terms_to_string();
            write
                .execute(rusqlite::params![seq, terms])
                .map_err(serr("migrate the schema to version 5"))?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', '5')",
            [],
        )
        .map_err(serr("migrate the schema to version 5"))?;
    }
    tx.commit().map_err(serr("migrate the schema to version 5"))
}

/// Version 3: exact keys hash words as dedup scans them and near-duplicate signatures are one-permutation
/// MinHash; the keys stored by earlier versions are computed again from the stored texts, so copies of
/// articles stored before are still found.
fn resign(conn: &Connection) -> Result<()> {
    let tx = conn
        .unchecked_transaction()
        .map_err(serr("migrate the schema to version 3"))?;
    {
        let mut read = tx
            .prepare("SELECT seq, text FROM articles")
            .map_err(serr("migrate the schema to version 3"))?;
        let mut write = tx
            .prepare("UPDATE articles SET exact = ?2, signature = ?3 WHERE seq = ?1")
            .map_err(serr("migrate the schema to version 3"))?;
        let rows = read
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(serr("migrate the schema to version 3"))?;
        for row in rows {
            let (seq, text) = row.map_err(serr("migrate the schema to version 3"))?;
            let (exact, sig) = parallax_core::dedup::keys(&text);
            write
                .execute(rusqlite::params![
                    seq,
                    exact as i64,
                    sig.as_ref().map(parallax_core::dedup::sig_to_bytes)
                ])
                .map_err(serr("migrate the schema to version 3"))?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', '3')",
            [],
        )
        .map_err(serr("migrate the schema to version 3"))?;
    }
    tx.commit().map_err(serr("migrate the schema to version 3"))
}
