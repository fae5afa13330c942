//! Clustering features and dedup keys of a JSONL stream on one core: articles per second and a checksum of
//! the features (equal checksums, equal features).
//!
//!     cargo run --release -p parallax-core --example features_bench -- STREAM.jsonl [ROUNDS]

use parallax_core::cluster::{features_with, Config};
use parallax_core::dedup;
use parallax_core::model::Article;
use std::hash::{Hash, Hasher};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: features_bench STREAM.jsonl [ROUNDS]");
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = std::fs::read_to_string(&path).expect("read the stream");
    let articles: Vec<Article> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            let s = |k: &str| v.get(k).and_then(|x| x.as_str());
            Article::from_text(
                s("id").unwrap_or(""),
                s("outlet"),
                s("title").unwrap_or(""),
                s("published"),
                s("text").unwrap_or(""),
            )
        })
        .collect();
    let cfg = Config::default();
    for _ in 0..rounds {
        let t = Instant::now();
        let mut sum = std::collections::hash_map::DefaultHasher::new();
        for a in &articles {
            features_with(a, &cfg).terms_to_string().hash(&mut sum);
        }
        let f = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut keys = std::collections::hash_map::DefaultHasher::new();
        for a in &articles {
            dedup::keys(&a.text).hash(&mut keys);
        }
        let keys = keys.finish();
        let d = t.elapsed().as_secs_f64();
        println!(
            "{} articles: features {:.0}/s ({:.1} µs each, checksum {:016x}); dedup keys {:.0}/s ({:.1} µs each, checksum {keys:016x})",
            articles.len(),
            articles.len() as f64 / f,
            f * 1e6 / articles.len() as f64,
            sum.finish(),
            articles.len() as f64 / d,
            d * 1e6 / articles.len() as f64,
        );
    }
}
