//! Integration tests of the engine: the seed story as a golden test, the store, corrections, bad input.
//! No network and no shared data: fixtures live in the repository.

use parallax::core::compare::FactKind;
use parallax::core::model::{ArticleId, StoryId};
use parallax::core::registry::Registry;
use parallax::Engine;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seeds() -> Vec<String> {
    let dir = root().join("samples/seed");
    let mut v: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    v.sort();
    v
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// The story holding article `id`.
fn story_of(stories: &[parallax::StorySummary], id: &str) -> StoryId {
    stories
        .iter()
        .find(|s| s.articles.iter().any(|a| a.id.0 == id))
        .unwrap_or_else(|| panic!("{id} is in no story"))
        .id
        .clone()
}

/// A new store in its own temporary directory, with the fixture `name` ingested.
fn ingested(tag: &str, name: &str) -> (TempDir, Engine) {
    let dir = TempDir::new(tag);
    let mut e = Engine::open(&dir.0.join("p.db"), Registry::builtin().clone()).unwrap();
    e.ingest(&[fixture(name)], |_| {}).unwrap();
    (dir, e)
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("parallax-it-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn norm(s: &str) -> String {
    s.replace('’', "'").replace(['“', '”'], "\"")
}

#[test]
fn seed_extraction_is_clean_and_complete() {
    let mut arts = Vec::new();
    parallax::pipeline::extract_inputs(
        &seeds(),
        Registry::builtin(),
        None,
        |a| arts.push(a),
        |f| panic!("{f:?}"),
    );
    assert_eq!(arts.len(), 2);
    let kp = arts
        .iter()
        .find(|a| a.outlet.as_deref() == Some("Kyiv Post"))
        .expect("Kyiv Post");
    let mt = arts
        .iter()
        .find(|a| a.outlet.as_deref() == Some("The Moscow Times"))
        .expect("The Moscow Times");
    assert_eq!(kp.published.as_deref(), Some("2025-02-21"));
    assert_eq!(mt.published.as_deref(), Some("2025-02-21"));
    assert_eq!(
        mt.url.as_deref(),
        Some("https://www.themoscowtimes.com/2025/02/21/us-and-russia-held-secret-talks-on-ukraine-in-switzerland-reuters-a88103")
    );
    assert_eq!(mt.credits, vec!["Artem Geodakyan / TASS"]);
    for junk in [
        "JOIN US ON TELEGRAM",
        "Follow our coverage",
        "Advertisement",
        "Other Topics of Interest",
        "Kremlin has ordered",
        "To suggest a correction",
        "highlight the text",
        "first and oldest",
        "More on US",
        "Read Next",
        "Kurt Volker",
        "Previous",
        "2h ago",
    ] {
        assert!(
            !kp.text.contains(junk),
            "Kyiv Post boilerplate left: {junk}"
        );
    }
    for body in [
        "US and Russian representatives have reportedly been holding secret meetings in Switzerland",
        "These talks are believed to be through informal communication channels",
        "participants were not government officials",
        "Some of Trump's advisors were apparently aware",
        "On Feb. 18, the US and Russia held a formal diplomatic meeting in Riyadh",
        "representatives from Ukraine and the European Union were not invited",
        "Following the talks, both sides agreed to appoint negotiators",
    ] {
        assert!(norm(&kp.text).contains(body), "Kyiv Post body lost: {body}");
    }
    assert!(!mt.text.contains("Related article") && !mt.text.contains("Original url"));
    for body in [
        "track two",
        "track 1.5",
        "lost their relevance",
        "small number",
    ] {
        assert!(mt.text.contains(body), "Moscow Times body lost: {body}");
    }
}

#[test]
fn seed_story_report_is_golden_and_verbatim() {
    let (reports, ingest) =
        parallax::compare_inputs(&seeds(), Registry::builtin().clone()).unwrap();
    assert!(ingest.failures.is_empty());
    assert_eq!(reports.len(), 1, "one story");
    let r = &reports[0];
    assert_eq!(r.articles.len(), 2);
    let id_of = |o: &str| {
        r.articles
            .iter()
            .find(|a| a.outlet.as_deref() == Some(o))
            .unwrap()
            .id
            .clone()
    };
    let (kp, mt) = (id_of("Kyiv Post"), id_of("The Moscow Times"));
    let mentions = |f: &parallax::core::compare::Fact, a: &ArticleId| -> Vec<String> {
        f.mentions
            .iter()
            .filter(|m| &m.article == a)
            .map(|m| norm(&m.text))
            .collect()
    };
    let shared: Vec<_> = r
        .facts
        .iter()
        .filter(|f| f.kind == FactKind::Shared)
        .collect();
    for (k, m) in [
        ("in Switzerland", "in Switzerland"),
        ("not government officials", "non-government officials"),
        ("advisors were apparently aware", "advisers were aware"),
        (
            "Ukrainian representatives were involved",
            "Ukrainian representatives were involved",
        ),
        ("in Geneva", "in Geneva"),
    ] {
        assert!(
            shared
                .iter()
                .any(|f| mentions(f, &kp).iter().any(|x| x.contains(k))
                    && mentions(f, &mt).iter().any(|x| x.contains(m))),
            "shared fact {k} ~ {m}"
        );
    }
    let unique: Vec<_> = r
        .facts
        .iter()
        .filter(|f| f.kind == FactKind::Unique)
        .collect();
    assert!(unique
        .iter()
        .any(|f| mentions(f, &kp).iter().any(|x| x.contains("Riyadh"))));
    assert!(unique
        .iter()
        .any(|f| mentions(f, &mt).iter().any(|x| x.contains("track 1.5"))));
    assert!(unique.iter().any(|f| mentions(f, &mt)
        .iter()
        .any(|x| x.contains("lost their relevance"))));
    assert!(!shared
        .iter()
        .any(|f| mentions(f, &kp).iter().any(|x| x.contains("Riyadh"))));
    let reuters = r
        .sources
        .iter()
        .find(|s| s.name == "Reuters")
        .expect("Reuters cited");
    assert!(reuters.origin && reuters.cited_by.len() == 2);
    let dates: Vec<&str> = r.timeline.iter().map(|t| t.date.as_str()).collect();
    assert!(
        dates.contains(&"2025-02-18") && dates.contains(&"2024-11"),
        "{dates:?}"
    );
    assert!(
        !dates.iter().any(|d| d.starts_with("2025-02-24")),
        "boilerplate teaser date leaked"
    );
    assert!(r.framing.iter().any(|f| f
        .variants
        .iter()
        .any(|v| v.outlet == "Kyiv Post" && norm(&v.phrase) == "Russia's war in Ukraine")));
    let hedges: Vec<String> = r
        .facts
        .iter()
        .flat_map(|f| f.mentions.iter().flat_map(|m| m.hedges.clone()))
        .collect();
    assert!(hedges.iter().any(|h| h == "reportedly") && hedges.iter().any(|h| h == "apparently"));
    // Faithfulness: every span equals its article's text at its offsets.
    let mut texts = std::collections::HashMap::new();
    parallax::pipeline::extract_inputs(
        &seeds(),
        Registry::builtin(),
        None,
        |a| {
            texts.insert(a.id.clone(), a.text);
        },
        |_| {},
    );
    let at = |a: &ArticleId, s: usize, e: usize| texts[a][s..e].to_string();
    for f in &r.facts {
        for m in &f.mentions {
            assert_eq!(at(&m.article, m.start, m.end), m.text);
            if let Some(c) = &m.attribution {
                assert_eq!(at(&m.article, c.start, c.end), c.text);
            }
        }
    }
    for n in r.facts.iter().flat_map(|f| &f.numbers_differ) {
        assert_eq!(at(&n.article, n.start, n.end), n.text);
    }
    for t in &r.timeline {
        for m in &t.mentions {
            assert_eq!(at(&m.article, m.start, m.end), m.text);
        }
    }
    for f in &r.framing {
        for v in &f.variants {
            assert_eq!(at(&v.at.article, v.at.start, v.at.end), v.at.text);
        }
    }
    for q in &r.quotes {
        for m in &q.mentions {
            assert_eq!(at(&m.article, m.start, m.end), m.text);
        }
    }
}

#[test]
fn ingest_twice_adds_nothing_and_copies_are_linked() {
    let dir = TempDir::new("twice");
    let db = dir.0.join("p.db");
    let inputs = vec![fixture("lookalike.jsonl")];
    let mut e = Engine::open(&db, Registry::builtin().clone()).unwrap();
    let r1 = e.ingest(&inputs, |_| {}).unwrap();
    assert_eq!((r1.read, r1.new, r1.duplicates), (5, 5, 1));
    drop(e);
    let mut e = Engine::open(&db, Registry::builtin().clone()).unwrap();
    let r2 = e.ingest(&inputs, |_| {}).unwrap();
    assert_eq!((r2.new, r2.unchanged), (0, 5));
    let s = e.stats().unwrap();
    assert_eq!(
        (s.articles, s.duplicates, s.schema_version),
        (5, 1, parallax::store::SCHEMA_VERSION)
    );
}

#[test]
fn look_alike_quakes_form_two_stories_and_a_correction_survives_recluster() {
    let (_dir, mut e) = ingested("lookalike", "lookalike.jsonl");
    let stories = e.stories().unwrap();
    let of = |id: &str| story_of(&stories, id);
    assert_eq!(of("q1"), of("q3"));
    assert_eq!(of("q1"), of("q5"));
    assert_eq!(of("q2"), of("q4"));
    assert_ne!(of("q1"), of("q2"));
    let new = e
        .split(&of("q1"), &[ArticleId("q3".into())], "test")
        .unwrap();
    e.recluster().unwrap();
    assert_eq!(story_of(&e.stories().unwrap(), "q3"), new);
    assert_eq!(e.corrections().unwrap()[0].action, "split");
    assert!(matches!(
        e.report(&StoryId("nope".into())),
        Err(parallax::Error::StoryNotFound(_))
    ));
}

#[test]
fn bad_inputs_fail_one_line_each_and_the_batch_goes_on() {
    let dir = TempDir::new("bad");
    let junk: Vec<u8> = (0..20000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 11) as u8)
        .collect();
    std::fs::write(dir.0.join("junk.bin"), junk).unwrap();
    std::fs::write(
        dir.0.join("trunc.txt.gz"),
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1],
    )
    .unwrap();
    std::fs::write(
        dir.0.join("bad.warc"),
        "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort",
    )
    .unwrap();
    std::fs::copy(&seeds()[0], dir.0.join("good.txt")).unwrap();
    let mut arts = Vec::new();
    let mut fails = Vec::new();
    parallax::pipeline::extract_inputs(
        &[dir.0.display().to_string()],
        Registry::builtin(),
        None,
        |a| arts.push(a),
        |f| fails.push(f),
    );
    assert_eq!(arts.len(), 1);
    for name in ["junk.bin", "trunc.txt.gz", "bad.warc"] {
        assert!(
            fails.iter().any(|f| f.input.contains(name)),
            "no failure names {name}: {fails:?}"
        );
    }
}

/// A gzipped JSONL input streams a slice at a time: every good line is stored, a bad line and a truncated
/// tail fail with their line numbers, and a copy line joins its original's story without adding to it.
#[test]
fn a_gzipped_jsonl_stream_keeps_good_lines_and_names_bad_ones() {
    use std::io::Write;
    let dir = TempDir::new("stream");
    let mut lines = std::fs::read_to_string(fixture("lookalike.jsonl")).unwrap();
    lines.push_str("{not json\n[1, 2]\n");
    let path = dir.0.join("feed.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(lines.as_bytes()).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let mut e = Engine::open(&dir.0.join("p.db"), Registry::builtin().clone()).unwrap();
    let r = e.ingest(&[path.display().to_string()], |_| {}).unwrap();
    assert_eq!((r.read, r.new, r.duplicates), (5, 5, 1), "{r:?}");
    let fails: Vec<&str> = r.failures.iter().map(|f| f.input.as_str()).collect();
    assert_eq!(fails.len(), 2, "{fails:?}");
    assert!(fails[0].ends_with("feed.jsonl.gz line 6"), "{fails:?}");
    assert!(r.failures[1].error.contains("not a JSON object"));
    let stories = e.stories().unwrap();
    let with_copy = stories
        .iter()
        .find(|s| s.articles.iter().any(|a| a.copy_of.is_some()))
        .expect("the copy's story");
    let copy = with_copy
        .articles
        .iter()
        .find(|a| a.copy_of.is_some())
        .unwrap();
    assert!(with_copy
        .articles
        .iter()
        .any(|a| Some(&a.id) == copy.copy_of.as_ref()));
}

#[test]
fn a_gzipped_jsonl_of_several_members_reads_every_line() {
    // Written in two gzip members (as `cat a.gz b.gz` or a parallel compressor makes): the whole-buffer
    // inflate declines it and the streaming reader takes both members.
    use std::io::Write;
    let dir = TempDir::new("members");
    let lines = std::fs::read_to_string(fixture("lookalike.jsonl")).unwrap();
    let (a, b) = lines.split_at(lines.find("{\"id\": \"q3\"").unwrap());
    let gz = |s: &str| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(s.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    let path = dir.0.join("two.jsonl.gz");
    std::fs::write(&path, [gz(a), gz(b)].concat()).unwrap();
    let mut arts = Vec::new();
    let mut fails = Vec::new();
    parallax::pipeline::extract_inputs(
        &[path.display().to_string()],
        Registry::builtin(),
        None,
        |a| arts.push(a.id.0),
        |f| fails.push(f),
    );
    assert!(fails.is_empty(), "{fails:?}");
    assert_eq!(arts, ["q1", "q2", "q3", "q4", "q5"]);
}

/// A tiny HTTP server on loopback for fetch tests: a feed (with an ETag), its item pages, a robots.txt.
fn serve_fixture_site() -> (String, std::thread::JoinHandle<()>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let feed_base = base.clone();
    let handle = std::thread::spawn(move || {
        for _ in 0..12 {
            let Ok((mut sock, _)) = listener.accept() else {
                return;
            };
            let mut buf = vec![0u8; 8192];
            let n = sock.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]).to_string();
            let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, ctype, body, extra) = match path.as_str() {
                "/robots.txt" => ("200 OK", "text/plain", "User-agent: *\nDisallow: /private\n".to_string(), ""),
                "/feed.xml" if req.to_ascii_lowercase().contains("if-none-match: \"v1\"") => ("304 Not Modified", "text/plain", String::new(), "ETag: \"v1\"\r\n"),
                "/feed.xml" => (
                    "200 OK",
                    "application/rss+xml",
                    format!(
                        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Fixture News</title>\
                         <item><title>Bridge closes for repairs</title><link>{feed_base}/a.html</link><description>Short summary.</description><pubDate>Tue, 02 Jan 2024 08:00:00 GMT</pubDate></item>\
                         <item><title>Private page</title><link>{feed_base}/private/b.html</link><description>Summary of a page robots.txt forbids.</description></item>\
                         </channel></rss>"
                    ),
                    "ETag: \"v1\"\r\n",
                ),
                "/a.html" => (
                    "200 OK",
                    "text/html; charset=utf-8",
                    "<html><head><title>Bridge closes</title></head><body><article><h1>Bridge closes for repairs</h1>\
                     <p>The council voted on Tuesday to close the old bridge for repairs next month, officials said on Tuesday.</p>\
                     <p>The repairs are expected to take six weeks and cost about two million euros in total, the mayor said.</p>\
                     <p>Residents will have to use the ferry or the ring road while the work goes on, the council added.</p>\
                     </article></body></html>".to_string(),
                    "",
                ),
                _ => ("404 Not Found", "text/plain", "no".to_string(), ""),
            };
            let _ = write!(sock, "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}", body.len());
        }
    });
    (base, handle)
}

#[test]
fn watch_fetches_feeds_politely_and_refuses_private_addresses_by_default() {
    let (base, _server) = serve_fixture_site();
    let feed = format!("{base}/feed.xml");
    let dir = TempDir::new("watch");
    let mut e = Engine::open(&dir.0.join("p.db"), Registry::builtin().clone()).unwrap();
    // Loopback is refused unless allowed.
    let r = e
        .watch_round(std::slice::from_ref(&feed), std::time::Duration::ZERO)
        .unwrap();
    assert_eq!(r.failed.len(), 1, "{r:?}");
    assert!(r.failed[0].1.contains("private"), "{}", r.failed[0].1);
    e.allow_private(true);
    let r = e
        .watch_round(std::slice::from_ref(&feed), std::time::Duration::ZERO)
        .unwrap();
    assert_eq!(r.fetched, 1, "{r:?}");
    assert_eq!(r.ingest.new, 2);
    assert!(
        r.ingest
            .failures
            .iter()
            .any(|f| f.input.contains("/private/") && f.error.contains("robots.txt")),
        "{:?}",
        r.ingest.failures
    );
    let stories = e.stories().unwrap();
    let bridge = stories
        .iter()
        .find(|s| s.articles.iter().any(|a| a.title.contains("Bridge")))
        .unwrap();
    let report = e.report(&bridge.id).unwrap();
    assert!(
        report
            .facts
            .iter()
            .any(|f| f.mentions.iter().any(|m| m.text.contains("six weeks"))),
        "the page, not the summary, was ingested"
    );
    // Second round: the feed answers 304 to its ETag.
    let r = e
        .watch_round(std::slice::from_ref(&feed), std::time::Duration::ZERO)
        .unwrap();
    assert_eq!((r.fetched, r.unchanged), (0, 1), "{r:?}");
    let health = e.feeds().unwrap();
    assert_eq!(health[0].etag.as_deref(), Some("\"v1\""));
    assert!(health[0].last_success.is_some() && health[0].last_failure.is_some());
}

/// A store written by schema version 1 (the first release's layout, checked in as SQL) opens, migrates to
/// the current version, and keeps its articles.
#[test]
fn a_version_1_store_opens_and_migrates() {
    let dir = TempDir::new("v1");
    let path = dir.0.join("v1.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../fixtures/schema-v1.sql"))
            .unwrap();
    }
    let e = Engine::open(&path, Registry::builtin().clone()).unwrap();
    let s = e.stats().unwrap();
    assert_eq!(
        (s.articles, s.stories, s.schema_version),
        (1, 1, parallax::store::SCHEMA_VERSION)
    );
    assert!(e.feeds().unwrap().is_empty());
    let stories = e.stories().unwrap();
    assert_eq!(stories[0].articles[0].outlet.as_deref(), Some("Kyiv Post"));
    drop(e);
    // The id column's own UNIQUE still holds ids apart: no second index of them is made.
    let names = index_names(&path);
    assert!(names.contains(&"sqlite_autoindex_articles_1".to_string()));
    assert!(!names.contains(&"articles_id".to_string()), "{names:?}");
    assert!(names.contains(&"articles_story".to_string()));
}

/// A version 4 store holds terms made by English rules for articles in every language: opening it makes
/// the terms of its articles in other languages again, by their own language's rules (from titles without
/// the site's name a version 4 store may hold), and leaves English ones as they are.
#[test]
fn a_version_4_store_gets_its_other_languages_terms_made_again() {
    let dir = TempDir::new("v4");
    let db = dir.0.join("p.db");
    let terms =
        |db: &std::path::Path| string_pairs(db, "SELECT id, terms FROM articles ORDER BY seq");
    // A second outlet's copy of the first report, a day later: it follows its original, without terms.
    let first = std::fs::read_to_string(fixture("german.jsonl")).unwrap();
    let first = first.lines().next().unwrap();
    let copy = dir.0.join("copy.jsonl");
    std::fs::write(
        &copy,
        first
            .replacen("\"a1\"", "\"a1-copy\"", 1)
            .replacen("2025-06-03", "2025-06-04", 1),
    )
    .unwrap();
    let mut e = Engine::open(&db, Registry::builtin().clone()).unwrap();
    e.ingest(&[fixture("german.jsonl")], |_| {}).unwrap();
    let copies = e.ingest(&[copy.display().to_string()], |_| {}).unwrap();
    assert_eq!(copies.duplicates, 1);
    drop(e);
    let fresh = terms(&db);
    assert!(fresh.iter().any(|(id, t)| id == "a1-copy" && t.is_empty()));
    run_sql(
        &db,
        "UPDATE articles SET terms = 'der 3.00 die 3.00 und 2.00' WHERE terms <> ''; UPDATE meta SET value = '4' WHERE key = 'schema_version';
         UPDATE articles SET title = title || ' | ' || outlet WHERE id = 'a2';",
    );
    let e = Engine::open(&db, Registry::builtin().clone()).unwrap();
    assert_eq!(
        e.stats().unwrap().schema_version,
        parallax::store::SCHEMA_VERSION
    );
    drop(e);
    let migrated = terms(&db);
    assert_eq!(migrated.len(), fresh.len());
    for ((id, got), (_, want)) in migrated.iter().zip(&fresh) {
        if id.starts_with('e') {
            assert_eq!(
                got, "der 3.00 die 3.00 und 2.00",
                "{id}: English terms are left alone"
            );
        } else {
            assert_eq!(got, want, "{id}");
        }
    }
}

/// The names of the indexes on a store's articles.
fn index_names(db: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'articles' ORDER BY name")
        .unwrap();
    let names = st.query_map([], |r| r.get(0)).unwrap();
    names.map(|n| n.unwrap()).collect()
}

/// The rows of a two-column query, read as another program would.
fn string_pairs(db: &std::path::Path, sql: &str) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn.prepare(sql).unwrap();
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.map(|r| r.unwrap()).collect()
}

/// Runs SQL on a store as another program would (to damage it, or to write what ingest would not).
fn run_sql(db: &std::path::Path, sql: &str) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
}

const INDEXES: [&str; 3] = ["articles_id", "articles_published", "articles_story"];

#[test]
fn an_ingest_into_an_empty_store_ends_with_its_indexes() {
    let dir = TempDir::new("indexes");
    let db = dir.0.join("p.db");
    let mut e = Engine::open(&db, Registry::builtin().clone()).unwrap();
    e.ingest(&seeds(), |_| {}).unwrap();
    assert_eq!(e.stories().unwrap().len(), 1);
    drop(e);
    assert_eq!(index_names(&db), INDEXES);
    // An ingest into a store that holds articles keeps its indexes as it goes.
    let mut e = Engine::open(&db, Registry::builtin().clone()).unwrap();
    e.ingest(&[fixture("other-story-same-day.jsonl")], |_| {})
        .unwrap();
    drop(e);
    assert_eq!(index_names(&db), INDEXES);
}

#[test]
fn only_an_empty_store_leaves_its_id_index_out() {
    let dir = TempDir::new("defer");
    let db = dir.0.join("p.db");
    let store = parallax::store::Store::open(&db).unwrap();
    assert!(store.defer_indexes().unwrap());
    assert_eq!(index_names(&db), ["articles_published", "articles_story"]);
    store.build_indexes().unwrap();
    assert_eq!(index_names(&db), INDEXES);
    drop(store);
    let mut e = Engine::open(&db, Registry::builtin().clone()).unwrap();
    e.ingest(&seeds(), |_| {}).unwrap();
    drop(e);
    let store = parallax::store::Store::open(&db).unwrap();
    assert!(!store.defer_indexes().unwrap());
    assert_eq!(index_names(&db), INDEXES);
}

#[test]
fn a_store_an_interrupted_ingest_left_without_indexes_gets_them_back_when_opened() {
    let dir = TempDir::new("lost-indexes");
    let db = dir.0.join("p.db");
    let mut e = Engine::open(&db, Registry::builtin().clone()).unwrap();
    e.ingest(&seeds(), |_| {}).unwrap();
    let before = e.stories().unwrap();
    drop(e);
    run_sql(
        &db,
        "DROP INDEX articles_id; DROP INDEX articles_story; DROP INDEX articles_published;",
    );
    assert!(index_names(&db).is_empty());
    let e = Engine::open(&db, Registry::builtin().clone()).unwrap();
    assert_eq!(e.stories().unwrap(), before);
    drop(e);
    assert_eq!(index_names(&db), INDEXES);
}

#[test]
fn an_id_two_ingests_stored_without_its_index_is_kept_once_the_first() {
    let dir = TempDir::new("twice");
    let db = dir.0.join("p.db");
    drop(Engine::open(&db, Registry::builtin().clone()).unwrap());
    run_sql(
        &db,
        "DROP INDEX articles_id;
         INSERT INTO articles (id, title, text, exact, terms) VALUES ('a', 'First', 'first text', 1, '');
         INSERT INTO articles (id, title, text, exact, terms) VALUES ('b', 'Other', 'other text', 2, '');
         INSERT INTO articles (id, title, text, exact, terms) VALUES ('a', 'Second', 'second text', 3, '');",
    );
    drop(Engine::open(&db, Registry::builtin().clone()).unwrap());
    assert_eq!(
        string_pairs(&db, "SELECT id, title FROM articles ORDER BY seq"),
        [("a".into(), "First".into()), ("b".into(), "Other".into())]
    );
    assert_eq!(index_names(&db), INDEXES);
}

#[test]
fn a_lost_search_index_is_rebuilt_from_the_store() {
    let dir = TempDir::new("reindex");
    let db = dir.0.join("p.db");
    let mut e = Engine::open(&db, Registry::builtin().clone()).unwrap();
    e.ingest(&seeds(), |_| {}).unwrap();
    // Ingest leaves indexing to the first search.
    assert_eq!(e.update_index().unwrap(), 2);
    assert_eq!(e.update_index().unwrap(), 0);
    drop(e);
    run_sql(
        &db,
        "INSERT INTO articles_fts (articles_fts) VALUES ('delete-all');",
    );
    let e = Engine::open(&db, Registry::builtin().clone()).unwrap();
    let hits = e
        .search("Riyadh", &parallax::store::SearchFilter::default())
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].outlet.as_deref(), Some("Kyiv Post"));
}

#[test]
fn a_story_no_state_outlet_covered_is_a_blindspot_for_state_outlets_read_that_day() {
    let dir = TempDir::new("blindspot");
    let mut e = Engine::open(&dir.0.join("p.db"), Registry::builtin().clone()).unwrap();
    let mut inputs = seeds();
    inputs.push(fixture("other-story-same-day.jsonl"));
    e.ingest(&inputs, |_| {}).unwrap();
    let stories = e.stories().unwrap();
    let seed = stories
        .iter()
        .find(|s| s.articles.len() == 2)
        .expect("the seed story");
    assert!(
        seed.blindspots.contains(&"type:state".to_string()),
        "{:?}",
        seed.blindspots
    );
    assert!(!seed.blindspots.contains(&"type:exile".to_string()));
    let report = e.report(&seed.id).unwrap();
    let state = report
        .coverage
        .iter()
        .find(|l| l.lens == "type")
        .unwrap()
        .values
        .iter()
        .find(|v| v.value == "state")
        .unwrap();
    assert!(state.blindspot && state.ingested == 1 && state.covering.is_empty());
}

#[test]
fn a_fragment_joins_its_event_and_says_so() {
    // An early background piece starts a story and a later report on the same mine joins it; the reports
    // of the dam burst itself form another story. Once that story is larger, the merge step folds the
    // fragment into it and records why.
    let (_dir, mut e) = ingested("fragment", "fragment.jsonl");
    let stories = e.stories().unwrap();
    assert_eq!(stories.len(), 1);
    let why = e.explain(&stories[0].id).unwrap();
    assert_eq!(why.len(), 9);
    let reason = |id: &str| {
        why.iter()
            .find(|(a, _)| a.0 == id)
            .and_then(|(_, r)| r.clone())
            .expect("a recorded reason")
    };
    let (from, score) = reason("f1")
        .merged_from
        .expect("folded in by the merge step");
    assert_ne!(from, stories[0].id);
    assert!(score >= parallax::core::cluster::Config::default().merge_above);
    assert_eq!(reason("f7").merged_from.map(|m| m.0), Some(from));
    assert!(reason("f2").merged_from.is_none());
    // A story holding a correction is left as it is: split the background piece off again, and a
    // recluster keeps it apart.
    let own = e
        .split(&stories[0].id, &[ArticleId("f1".into())], "test")
        .unwrap();
    e.recluster().unwrap();
    let after = e.stories().unwrap();
    let of = |id: &str| story_of(&after, id);
    assert_eq!(of("f1"), own);
    assert_ne!(of("f2"), own);
}

/// The same text published again six months on is a report of its own, not a copy in a closed story: a
/// copy within two days follows its original, and the re-publication is the original its own later copies
/// follow. After the store is reopened, a late copy dated in March still follows the March original and one
/// dated in September the re-publication. Recluster agrees.
#[test]
fn a_copy_months_later_starts_its_own_story_and_its_copies_follow_it() {
    let (dir, e) = ingested("reissue", "reissue.jsonl");
    let check = |e: &Engine, late: bool| {
        let stories = e.stories().unwrap();
        let of = |id: &str| story_of(&stories, id);
        let copy_of = |id: &str| {
            stories
                .iter()
                .flat_map(|s| &s.articles)
                .find(|a| a.id.0 == id)
                .unwrap()
                .copy_of
                .clone()
                .map(|c| c.0)
        };
        let (march, september) = if late {
            (vec!["r2", "r5"], vec!["r4", "r6"])
        } else {
            (vec!["r2"], vec!["r4"])
        };
        assert_ne!(of("r1"), of("r3"));
        assert_eq!(copy_of("r3"), None);
        for (original, copies) in [("r1", march), ("r3", september)] {
            for id in &copies {
                assert_eq!(of(original), of(id), "{id}");
                assert_eq!(copy_of(id).as_deref(), Some(original), "{id}");
            }
            let s = stories.iter().find(|s| s.id == of(original)).unwrap();
            assert_eq!((s.independent_reports, s.copies), (1, copies.len()));
        }
    };
    check(&e, false);
    drop(e);
    let mut e = Engine::open(&dir.0.join("p.db"), Registry::builtin().clone()).unwrap();
    e.ingest(&[fixture("reissue-late.jsonl")], |_| {}).unwrap();
    check(&e, true);
    e.recluster().unwrap();
    check(&e, true);
}

/// Texts without a word (a divider, a lone dash) are no one's copy: two such items stay two reports.
#[test]
fn wordless_texts_are_not_copies() {
    let dir = TempDir::new("wordless");
    let path = dir.0.join("w.jsonl");
    std::fs::write(
        &path,
        "{\"id\": \"w1\", \"published\": \"2024-03-01\", \"title\": \"Storm closes the harbour\", \"text\": \"* * *\"}\n\
         {\"id\": \"w2\", \"published\": \"2024-03-01\", \"title\": \"Council approves the budget\", \"text\": \"* * *\"}\n",
    )
    .unwrap();
    let mut e = Engine::open(&dir.0.join("p.db"), Registry::builtin().clone()).unwrap();
    let r = e.ingest(&[path.display().to_string()], |_| {}).unwrap();
    assert_eq!((r.new, r.duplicates), (2, 0), "{:?}", r.failures);
}

#[test]
fn german_reports_of_one_event_join_and_say_why_in_content_words() {
    // Two German reports of one flood, three German articles on other matters the same day, two English
    // ones. German is read with German stop words and stems: the shared terms that explain the join are
    // words of the event, not "der", "die", "und".
    let (_dir, e) = ingested("german", "german.jsonl");
    let stories = e.stories().unwrap();
    let of = |id: &str| story_of(&stories, id);
    assert_eq!(of("a1"), of("a2"));
    let apart = ["a1", "b1", "c1", "d1", "e1", "e2"].map(of);
    let distinct: std::collections::HashSet<&StoryId> = apart.iter().collect();
    assert_eq!(distinct.len(), apart.len(), "{apart:?}");
    let why = e.explain(&of("a1")).unwrap();
    let joined = why
        .iter()
        .find(|(a, _)| a.0 == "a2")
        .and_then(|(_, r)| r.clone())
        .expect("a recorded reason");
    let shared = joined.shared_terms;
    assert!(shared.iter().any(|t| t == "passau"), "{shared:?}");
    for function in ["der", "die", "das", "den", "und", "in", "ist"] {
        assert!(!shared.iter().any(|t| t == function), "{shared:?}");
    }
}
