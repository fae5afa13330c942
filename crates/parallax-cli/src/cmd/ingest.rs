//! `parallax ingest`: inputs into the store, with a progress bar on stderr and a summary.

use crate::DbArg;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub(crate) fn run(db: &DbArg, inputs: &[String]) -> Result<()> {
    let mut engine = super::engine(db)?;
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
