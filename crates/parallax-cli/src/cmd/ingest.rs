//! `parallax ingest`: inputs into the store, with a progress bar on stderr and a summary.

use crate::DbArg;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub(crate) fn run(db: &DbArg, inputs: &[String], allow_private: bool) -> Result<()> {
    let mut engine = super::engine(db)?;
    engine.allow_private(allow_private);
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if std::env::var_os("CI").is_some() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} ingest [{bar:30}] {pos}/{len} inputs, {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let report = engine.ingest(inputs, |p| {
        bar.set_length(p.inputs_total as u64);
        bar.set_position(p.inputs_done as u64);
        bar.set_message(format!("{} articles stored", p.stored));
    })?;
    bar.finish_and_clear();
    engine.close(true);
    for f in &report.failures {
        super::print_failure(f);
    }
    eprintln!(
        "read {}, new {}, duplicates {}, unchanged {}, failed {}",
        report.read,
        report.new,
        report.duplicates,
        report.unchanged,
        report.failures.len()
    );
    let t = &report.seconds;
    eprintln!(
        "seconds: read {:.2}, extract {:.2}, dedup {:.2}, cluster {:.2}, store {:.2}",
        t.read, t.extract, t.dedup, t.cluster, t.store
    );
    if !report.feeds.is_empty() {
        eprintln!(
            "{} feed URLs listed by OPML inputs were not fetched",
            report.feeds.len()
        );
    }
    Ok(())
}

/// `parallax watch`: polls feeds (URLs, or OPML files listing them) every `interval` seconds.
pub(crate) fn watch(
    db: &DbArg,
    feeds: &[String],
    interval: u64,
    once: bool,
    allow_private: bool,
) -> Result<()> {
    let mut urls: Vec<String> = Vec::new();
    for f in feeds {
        if f.starts_with("http://") || f.starts_with("https://") {
            urls.push(f.clone());
        } else {
            let out = parallax::input::read_one(f, None);
            for b in &out.failures {
                eprintln!("error: {}: {}", b.input, b.reason);
            }
            urls.extend(out.feeds);
        }
    }
    if urls.is_empty() {
        anyhow::bail!("no feed to watch");
    }
    let mut engine = super::engine(db)?;
    engine.allow_private(allow_private);
    let interval = std::time::Duration::from_secs(interval.max(1));
    loop {
        let r = engine.watch_round(&urls, interval)?;
        for (url, why) in &r.failed {
            eprintln!("error: {url}: {why}");
        }
        for f in &r.ingest.failures {
            super::print_failure(f);
        }
        eprintln!(
            "{}: feeds fetched {}, not modified {}, not due {}, failed {}; articles new {}, duplicates {}",
            chrono::Utc::now().format("%Y-%m-%d %H:%M:%S"),
            r.fetched,
            r.unchanged,
            r.not_due,
            r.failed.len(),
            r.ingest.new,
            r.ingest.duplicates
        );
        if once {
            return Ok(());
        }
        std::thread::sleep(interval);
    }
}
