//! `parallax stories` and `parallax story ID`.

use crate::{DbArg, FormatArg};
use anyhow::Result;
use parallax::core::model::StoryId;
use std::io::Write;

pub(crate) fn list(db: &DbArg, json: bool) -> Result<()> {
    let stories = super::engine(db)?.stories()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &stories)?;
        writeln!(out)?;
    } else {
        for s in &stories {
            writeln!(
                out,
                "{:<8} {:>4} art {:>3} outlets ({} independent, {} copies)  {} .. {}  {}",
                s.id.0,
                s.articles.len(),
                s.outlets,
                s.independent_reports,
                s.copies,
                s.first_seen
                    .as_deref()
                    .map(|d| d.get(..10).unwrap_or(d))
                    .unwrap_or("?"),
                s.last_seen
                    .as_deref()
                    .map(|d| d.get(..10).unwrap_or(d))
                    .unwrap_or("?"),
                s.title
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

pub(crate) fn show(db: &DbArg, id: &str, format: FormatArg, explain: bool) -> Result<()> {
    let engine = super::engine(db)?;
    let sid = StoryId(id.to_string());
    let report = engine.report(&sid)?;
    let mut out = std::io::stdout().lock();
    if explain {
        let why = engine.explain(&sid)?;
        if format.json {
            let v: Vec<serde_json::Value> = why
                .iter()
                .map(|(a, r)| serde_json::json!({"article": a, "assignment": r}))
                .collect();
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({"report": report, "explain": v}),
            )?;
            writeln!(out)?;
            return Ok(());
        }
        write!(out, "{}", crate::render::terminal(&report))?;
        writeln!(out, "\nWhy grouped")?;
        for (a, r) in why {
            let Some(r) = r else {
                writeln!(out, "  {a}: no record")?;
                continue;
            };
            let how = if r.pinned {
                "placed here by a correction".to_string()
            } else if let Some(s) = &r.split_from {
                format!(
                    "split off {} by the second-pass check (the story held two events)",
                    s.0
                )
            } else if let Some(c) = &r.copy_of {
                format!("copy of {}", c.0)
            } else if r.created {
                "started the story".to_string()
            } else {
                format!(
                    "similarity {:.2} on [{}]{}{}",
                    r.score,
                    r.shared_terms.join(", "),
                    r.gap_days
                        .map(|g| match g {
                            1 => ", 1 day after the last article".to_string(),
                            g => format!(", {g} days after the last article"),
                        })
                        .unwrap_or_default(),
                    r.runner_up
                        .as_ref()
                        .map(|(s, v)| format!("; runner-up {s} at {v:.2}"))
                        .unwrap_or_default()
                )
            };
            match &r.merged_from {
                Some((from, score)) => writeln!(
                    out,
                    "  {a}: in {} ({how}), which the merge step folded into this story at similarity {score:.2}",
                    from.0
                )?,
                None => writeln!(out, "  {a}: {how}")?,
            }
        }
        return Ok(());
    }
    if format.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else if format.markdown {
        write!(out, "{}", crate::render::markdown(&report))?;
    } else if format.html {
        write!(
            out,
            "{}",
            crate::render::html(std::slice::from_ref(&report))
        )?;
    } else {
        write!(out, "{}", crate::render::terminal(&report))?;
    }
    Ok(())
}
