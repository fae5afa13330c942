//! `parallax eval ...`: quality figures on labelled data given by path (never bundled). Clustering: B-cubed
//! precision / recall / F1, stories, articles per second on a labelled JSONL stream.

use anyhow::{Context, Result};
use clap::Subcommand;
use parallax::core::cluster;
use parallax::core::model::Article;
use std::collections::HashMap;
use std::time::Instant;

#[derive(Subcommand)]
pub(crate) enum EvalCommand {
    /// The same-fact rule on MRPC-format files (`Quality<TAB>id1<TAB>id2<TAB>s1<TAB>s2`, header line):
    /// accuracy, precision, recall, F1 at the built-in threshold.
    Mrpc {
        /// The TSV file (e.g. msr-para-test.tsv).
        file: String,
    },
    /// Graded similarity on STS files (`score<TAB>s1<TAB>s2`; rows without a score are skipped): Pearson
    /// and Spearman correlation of the rule's score with the human grades.
    Sts {
        /// One or more TSV files.
        #[arg(required = true)]
        files: Vec<String>,
    },
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
        /// Split a story whose halves are less similar than this (0 disables; default: the built-in setting).
        #[arg(long)]
        split_below: Option<f32>,
        /// Weight of title words (default: the built-in setting).
        #[arg(long)]
        title_weight: Option<f32>,
        /// Extra weight of names (default: the built-in setting).
        #[arg(long)]
        name_boost: Option<f32>,
        /// Merge stories of at most this many articles into a similar one (0 disables; default: built in).
        #[arg(long)]
        merge_small: Option<u32>,
        /// Similarity at which the merge step joins two stories (default: the built-in setting).
        #[arg(long)]
        merge_above: Option<f32>,
    },
}

/// The records of a JSONL file, each with a reader of its string (or integer) fields.
fn jsonl_records(file: &str) -> Result<Vec<serde_json::Value>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {file}"))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).with_context(|| format!("{file} line {}", i + 1)))
        .collect()
}

/// A string or integer field of a record, as text.
fn field(v: &serde_json::Value, k: &str) -> Option<String> {
    v.get(k).and_then(|x| {
        x.as_str()
            .map(str::to_string)
            .or_else(|| x.as_i64().map(|n| n.to_string()))
    })
}

/// Reads a labelled or unlabelled JSONL of articles (`id`, `title`, `text`, `published`, `outlet`).
fn read_jsonl(file: &str, label_field: &str) -> Result<Vec<(Article, String)>> {
    let mut docs = Vec::new();
    for (i, v) in jsonl_records(file)?.iter().enumerate() {
        let s = |k: &str| field(v, k);
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

/// Scores sentence pairs with the same-fact rule, IDF taken over all the pairs' sentences (as `similar`).
fn score_pairs(pairs: &[(String, String)]) -> Vec<f32> {
    use parallax::core::compare::align;
    let prepared: Vec<(align::SentenceTerms, align::SentenceTerms)> = pairs
        .iter()
        .map(|(a, b)| (align::prepare(a), align::prepare(b)))
        .collect();
    let idf = align::Idf::new(prepared.iter().flat_map(|p| [&p.0, &p.1]));
    prepared
        .iter()
        .map(|(a, b)| align::score(a, b, &idf))
        .collect()
}

fn mrpc_eval(file: &str) -> Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {file}"))?;
    let mut gold = Vec::new();
    let mut pairs = Vec::new();
    for line in text.trim_start_matches('\u{feff}').lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() >= 5 {
            gold.push(f[0] == "1");
            pairs.push((f[3].to_string(), f[4].to_string()));
        }
    }
    let scores = score_pairs(&pairs);
    let t = parallax::core::compare::align::SAME_FACT;
    let (mut tp, mut fp, mut fneg, mut right) = (0usize, 0usize, 0usize, 0usize);
    for (g, s) in gold.iter().zip(&scores) {
        let p = *s >= t;
        match (p, *g) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            _ => {}
        }
        right += usize::from(p == *g);
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fneg).max(1) as f64;
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    println!(
        "MRPC {}: {} pairs, threshold {t}: accuracy {:.3} P {:.3} R {:.3} F1 {:.3}",
        file,
        gold.len(),
        right as f64 / gold.len().max(1) as f64,
        precision,
        recall,
        f1
    );
    Ok(())
}

fn sts_eval(files: &[String]) -> Result<()> {
    let mut gold = Vec::new();
    let mut pairs = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {file}"))?;
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() >= 3 {
                if let Ok(g) = f[0].trim().parse::<f64>() {
                    gold.push(g);
                    pairs.push((f[1].to_string(), f[2].to_string()));
                }
            }
        }
    }
    let scores: Vec<f64> = score_pairs(&pairs).into_iter().map(f64::from).collect();
    println!(
        "STS: {} scored pairs, Pearson {:.3}, Spearman {:.3}",
        gold.len(),
        pearson(&gold, &scores),
        pearson(&ranks(&gold), &ranks(&scores))
    );
    Ok(())
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().max(1) as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let num: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let den = (x.iter().map(|a| (a - mx).powi(2)).sum::<f64>()
        * y.iter().map(|b| (b - my).powi(2)).sum::<f64>())
    .sqrt();
    if den > 0.0 {
        num / den
    } else {
        0.0
    }
}

/// Ranks with ties averaged.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        for k in i..=j {
            r[idx[k]] = (i + j) as f64 / 2.0;
        }
        i = j + 1;
    }
    r
}

pub(crate) fn run(cmd: EvalCommand) -> Result<()> {
    match cmd {
        EvalCommand::Mrpc { file } => mrpc_eval(&file),
        EvalCommand::Sts { files } => sts_eval(&files),
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
            split_below,
            title_weight,
            name_boost,
            merge_small,
            merge_above,
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
            if let Some(b) = split_below {
                cfg.split_below = b;
            }
            if let Some(n) = merge_small {
                cfg.merge_small = n;
            }
            if let Some(m) = merge_above {
                cfg.merge_above = m;
            }
            cluster_eval(&file, cfg, &label)
        }
    }
}

/// Clusters a labelled JSONL the way `ingest` does (the same reader, extraction, dedup, clustering and
/// second-pass check, into an in-memory store) and scores the stories against the labels.
fn cluster_eval(file: &str, cfg: cluster::Config, label_field: &str) -> Result<()> {
    let labels: HashMap<String, String> = read_labels(file, label_field)?;
    let mut engine =
        parallax::Engine::in_memory(parallax::core::registry::Registry::builtin().clone())?;
    engine.set_cluster_config(cfg);
    let t0 = Instant::now();
    let report = engine.ingest(&[file.to_string()], |_| {})?;
    let secs = t0.elapsed().as_secs_f64();
    for f in &report.failures {
        eprintln!("error: {}: {}", f.input, f.error);
    }
    let mut story_of: HashMap<String, String> = HashMap::new();
    for s in engine.stories()? {
        for a in s.articles {
            story_of.insert(a.id.0, s.id.0.clone());
        }
    }
    let mut ids: Vec<&String> = labels.keys().collect();
    ids.sort();
    let gold: Vec<&str> = ids.iter().map(|i| labels[*i].as_str()).collect();
    // An article the store does not hold counts as a story of its own.
    let pred: Vec<String> = ids
        .iter()
        .map(|i| {
            story_of
                .get(*i)
                .cloned()
                .unwrap_or_else(|| format!("missing {i}"))
        })
        .collect();
    let (p, r, f) = bcubed(&gold, &pred);
    let stories = pred.iter().collect::<std::collections::HashSet<_>>().len();
    println!(
        "articles {}  stories {} (gold {})  B3 P {:.3} R {:.3} F1 {:.3}  {:.0} articles/s",
        ids.len(),
        stories,
        gold.iter().collect::<std::collections::HashSet<_>>().len(),
        p,
        r,
        f,
        ids.len() as f64 / secs.max(1e-9)
    );
    Ok(())
}

/// The label of each article id of a labelled JSONL.
fn read_labels(file: &str, label_field: &str) -> Result<HashMap<String, String>> {
    Ok(jsonl_records(file)?
        .iter()
        .filter_map(|v| Some((field(v, "id")?, field(v, label_field)?)))
        .collect())
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
