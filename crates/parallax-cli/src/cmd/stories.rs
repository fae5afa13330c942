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
            match r {
                Some(r) if r.pinned => writeln!(out, "  {a}: placed here by a correction")?,
                Some(r) if r.split_from.is_some() => writeln!(
                    out,
                    "  {a}: split off {} by the second-pass check (the story held two events)",
                    r.split_from.as_ref().map(|s| s.0.as_str()).unwrap_or("")
                )?,
                Some(r) if r.copy_of.is_some() => writeln!(
                    out,
                    "  {a}: copy of {}",
                    r.copy_of.as_ref().map(|c| c.0.as_str()).unwrap_or("")
                )?,
                Some(r) if r.created => writeln!(out, "  {a}: started the story")?,
                Some(r) => writeln!(
                    out,
                    "  {a}: similarity {:.2} on [{}]{}{}",
                    r.score,
                    r.shared_terms.join(", "),
                    r.gap_days
                        .map(|g| format!(", {g} days after the last article"))
                        .unwrap_or_default(),
                    r.runner_up
                        .map(|(s, v)| format!("; runner-up {s} at {v:.2}"))
                        .unwrap_or_default()
                )?,
                None => writeln!(out, "  {a}: no record")?,
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
