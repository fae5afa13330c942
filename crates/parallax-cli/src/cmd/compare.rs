//! `parallax compare`: one shot — read, extract, dedup, cluster and compare in memory, print every story.

use crate::FormatArg;
use anyhow::Result;
use std::io::Write;
use std::path::Path;

pub(crate) fn run(inputs: &[String], format: FormatArg, outlets: Option<&Path>) -> Result<()> {
    let registry = super::registry(outlets)?;
    let (reports, ingest) = parallax::compare_inputs(inputs, registry)?;
    for f in &ingest.failures {
        super::print_failure(f);
    }
    let mut out = std::io::stdout().lock();
    if format.json {
        serde_json::to_writer_pretty(&mut out, &reports)?;
        writeln!(out)?;
    } else if format.markdown {
        for r in &reports {
            write!(out, "{}", crate::render::markdown(r))?;
        }
    } else if format.html {
        write!(out, "{}", crate::render::html(&reports))?;
    } else {
        for r in &reports {
            write!(out, "{}", crate::render::terminal(r))?;
        }
    }
    Ok(())
}
