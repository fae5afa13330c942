//! The split check over the stories of a stored stream, on one core: stories per second and a checksum of
//! the halves found (equal checksums, equal splits). Input: one article per line, in ingest order, as
//! `story<TAB>copy (0 or 1)<TAB>terms` (the stored form), e.g. dumped from a store with
//! `SELECT story, copy_of IS NOT NULL, terms FROM articles ORDER BY seq`. The IDF is that of the whole file.
//!
//!     cargo run --release -p parallax-core --example split_bench -- ROWS.tsv [ROUNDS]

use parallax_core::cluster::{refine, stored_terms, Config};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: split_bench ROWS.tsv [ROUNDS]");
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = std::fs::read_to_string(&path).expect("read the rows");
    let mut stories: Vec<Vec<&str>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut df: HashMap<&str, u32> = HashMap::new();
    let mut docs = 0u32;
    for line in text.lines() {
        let mut parts = line.splitn(3, '\t');
        let (Some(story), Some(copy), Some(terms)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if copy == "1" {
            continue;
        }
        docs += 1;
        for (t, _) in stored_terms(terms) {
            *df.entry(t).or_default() += 1;
        }
        let i = *index.entry(story).or_insert_with(|| {
            stories.push(Vec::new());
            stories.len() - 1
        });
        stories[i].push(terms);
    }
    stories.retain(|s| (4..=512).contains(&s.len()));
    let rows: usize = stories.iter().map(Vec::len).sum();
    let idf =
        |t: &str| ((1.0 + docs as f32) / (1.0 + df.get(t).copied().unwrap_or(0) as f32)).ln() + 1.0;
    let cfg = Config::default();
    let min_half = cfg.merge_small as usize + 1;
    for _ in 0..rounds {
        let t = Instant::now();
        let mut sum = std::collections::hash_map::DefaultHasher::new();
        let mut splits = 0;
        for s in &stories {
            let terms: Vec<Vec<(&str, f32)>> =
                s.iter().map(|r| stored_terms(r).collect()).collect();
            let refs: Vec<&[(&str, f32)]> = terms.iter().map(|t| &t[..]).collect();
            let found = refine::split(&refs, &idf, cfg.split_below, min_half);
            splits += usize::from(found.is_some());
            found.hash(&mut sum);
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{} stories ({rows} articles) in {secs:.3} s: {:.1} µs per article, {splits} splits, checksum {:016x}",
            stories.len(),
            secs * 1e6 / rows as f64,
            sum.finish()
        );
    }
}
