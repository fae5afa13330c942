//! `parallax eval ...`: quality figures on labelled data given by path (never bundled). Clustering: B-cubed
//! precision / recall / F1, stories, articles per second on a labelled JSONL stream.

use anyhow::{Context, Result};
use clap::Subcommand;
use parallax::core::cluster::{self, Clusterer};
use parallax::core::model::Article;
use std::collections::HashMap;
use std::time::Instant;

#[derive(Subcommand)]
pub(crate) enum EvalCommand {
    /// Time the comparison of one story made of the first N articles of a JSONL.
    Compare {
        /// The JSONL file.
        file: String,
        /// Articles in the story.
        #[arg(long, default_value_t = 100)]
        articles: usize,
        /// Runs (the best is reported).
        #[arg(long, default_value_t = 5)]
        repeat: usize,
    },
    /// Time full-text search over a store.
    Search {
        /// The store.
        db: String,
        /// Queries to run.
        #[arg(long, default_value_t = 500)]
        queries: usize,
    },
    /// Cluster a labelled JSONL (`id`, `title`, `text`, `published`, `label`) in stream order; print B-cubed.
    Cluster {
        /// The JSONL file.
        file: String,
        /// Similarity threshold (default: the built-in setting).
        #[arg(long)]
        threshold: Option<f32>,
        /// The label field.
        #[arg(long, default_value = "label")]
        label: String,
        /// Weight of title words (default: the built-in setting).
        #[arg(long)]
        title_weight: Option<f32>,
        /// Extra weight of names (default: the built-in setting).
        #[arg(long)]
        name_boost: Option<f32>,
    },
}

/// Reads a labelled or unlabelled JSONL of articles (`id`, `title`, `text`, `published`, `outlet`).
fn read_jsonl(file: &str, label_field: &str) -> Result<Vec<(Article, String)>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {file}"))?;
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{file} line {}", i + 1))?;
        let s = |k: &str| {
            v.get(k).and_then(|x| {
                x.as_str()
                    .map(str::to_string)
                    .or_else(|| x.as_i64().map(|n| n.to_string()))
            })
        };
        let id = s("id").unwrap_or_else(|| i.to_string());
        let published = s("published").or_else(|| s("date"));
        let mut a = Article::from_text(
            &id,
            s("outlet").as_deref(),
            &s("title").unwrap_or_default(),
            published.as_deref(),
            &s("text").unwrap_or_default(),
        );
        a.source = file.to_string();
        docs.push((a, s(label_field).unwrap_or_default()));
    }
    Ok(docs)
}

/// Times the comparison of one story made of the first `n` articles of a JSONL (best of `repeat`).
fn compare_bench(file: &str, n: usize, repeat: usize) -> Result<()> {
    use parallax::core::compare::{compare, Member};
    let docs = read_jsonl(file, "label")?;
    let members: Vec<Member> = docs
        .into_iter()
        .take(n)
        .enumerate()
        .map(|(i, (mut a, _))| {
            a.outlet = a.outlet.or_else(|| Some(format!("Outlet {}", i % 40)));
            Member {
                article: a,
                copy_of: None,
            }
        })
        .collect();
    let registry = parallax::core::registry::Registry::builtin();
    let mut best = f64::MAX;
    let mut facts = 0;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        let r = compare(
            &parallax::core::model::StoryId("bench".into()),
            &members,
            registry,
            &[],
        );
        best = best.min(t0.elapsed().as_secs_f64());
        facts = r.facts.len();
    }
    let words: usize = members
        .iter()
        .map(|m| m.article.text.split_whitespace().count())
        .sum();
    println!(
        "compare: {} articles ({} words), {} facts, best of {}: {:.1} ms",
        members.len(),
        words,
        facts,
        repeat.max(1),
        best * 1000.0
    );
    Ok(())
}

/// Times full-text queries (each article title's first two words) against a store; prints p50 and p99.
fn search_bench(db: &str, queries: usize) -> Result<()> {
    let engine = parallax::Engine::open(
        std::path::Path::new(db),
        parallax::core::registry::Registry::builtin().clone(),
    )?;
    let stories = engine.stories()?;
    let mut qs: Vec<String> = Vec::new();
    'outer: for s in &stories {
        for a in &s.articles {
            let q: Vec<&str> = a
                .title
                .split_whitespace()
                .filter(|w| w.len() > 3)
                .take(2)
                .collect();
            if q.len() == 2 {
                qs.push(q.join(" "));
                if qs.len() >= queries {
                    break 'outer;
                }
            }
        }
    }
    let filter = parallax::store::SearchFilter {
        limit: 20,
        ..Default::default()
    };
    let mut times: Vec<f64> = Vec::new();
    let mut hits = 0;
    for q in &qs {
        let t0 = Instant::now();
        hits += engine.search(q, &filter)?.len();
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        times
            .get(((times.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let n = engine.stats()?.articles;
    println!(
        "search: {} queries over {} articles, {} hits; p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        qs.len(),
        n,
        hits,
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
    Ok(())
}

pub(crate) fn run(cmd: EvalCommand) -> Result<()> {
    match cmd {
        EvalCommand::Compare {
            file,
            articles,
            repeat,
        } => compare_bench(&file, articles, repeat),
        EvalCommand::Search { db, queries } => search_bench(&db, queries),
        EvalCommand::Cluster {
            file,
            threshold,
            label,
            title_weight,
            name_boost,
        } => {
            let mut cfg = cluster::Config::default();
            if let Some(t) = threshold {
                cfg.threshold = t;
            }
            if let Some(t) = title_weight {
                cfg.title_weight = t;
            }
            if let Some(n) = name_boost {
                cfg.name_boost = n;
            }
            cluster_eval(&file, cfg, &label)
        }
    }
}

fn cluster_eval(file: &str, cfg: cluster::Config, label_field: &str) -> Result<()> {
    let docs = read_jsonl(file, label_field)?;
    let t0 = Instant::now();
    let mut c = Clusterer::new(cfg, 0);
    let mut pred: Vec<String> = Vec::with_capacity(docs.len());
    for (a, _) in &docs {
        let f = cluster::features_with(a, &cfg);
        pred.push(c.assign(&a.id, &f, None, None).story.0);
    }
    let secs = t0.elapsed().as_secs_f64();
    let gold: Vec<&str> = docs.iter().map(|d| d.1.as_str()).collect();
    let (p, r, f) = bcubed(&gold, &pred);
    let stories = pred.iter().collect::<std::collections::HashSet<_>>().len();
    println!(
        "articles {}  stories {} (gold {})  B3 P {:.3} R {:.3} F1 {:.3}  {:.0} articles/s",
        docs.len(),
        stories,
        gold.iter().collect::<std::collections::HashSet<_>>().len(),
        p,
        r,
        f,
        docs.len() as f64 / secs.max(1e-9)
    );
    Ok(())
}

/// B-cubed precision, recall and F1 of predicted clusters against gold labels.
fn bcubed(gold: &[&str], pred: &[String]) -> (f64, f64, f64) {
    let mut g: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut p: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in 0..gold.len() {
        g.entry(gold[i]).or_default().push(i);
        p.entry(pred[i].as_str()).or_default().push(i);
    }
    let (mut ps, mut rs) = (0.0, 0.0);
    for i in 0..gold.len() {
        let pc = &p[pred[i].as_str()];
        let gc = &g[gold[i]];
        let both = pc.iter().filter(|&&j| gold[j] == gold[i]).count() as f64;
        ps += both / pc.len() as f64;
        rs += both / gc.len() as f64;
    }
    let n = gold.len().max(1) as f64;
    let (pp, rr) = (ps / n, rs / n);
    (
        pp,
        rr,
        if pp + rr > 0.0 {
            2.0 * pp * rr / (pp + rr)
        } else {
            0.0
        },
    )
}
