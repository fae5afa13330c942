//! `parallax extract`: read and extract, print articles (text, or one JSON object a line). Nothing is stored.

use anyhow::Result;
use std::io::Write;
use std::path::Path;

pub(crate) fn run(
    inputs: &[String],
    json: bool,
    outlets: Option<&Path>,
    allow_private: bool,
) -> Result<()> {
    let registry = super::registry(outlets)?;
    let fetcher = parallax::fetch::Fetcher::new(allow_private);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err: Option<std::io::Error> = None;
    parallax::pipeline::extract_inputs(
        inputs,
        &registry,
        Some(&fetcher),
        |a| {
            if err.is_some() {
                return;
            }
            let res = if json {
                serde_json::to_writer(&mut out, &a)
                    .map_err(std::io::Error::other)
                    .and_then(|_| writeln!(out))
            } else {
                writeln!(
                    out,
                    "# {}\n{} | {} | {}\n{}{}\n\n{}\n",
                    a.title,
                    a.outlet.as_deref().unwrap_or("unknown outlet"),
                    a.published.as_deref().unwrap_or("undated"),
                    a.url.as_deref().unwrap_or(&a.source),
                    if a.authors.is_empty() {
                        String::new()
                    } else {
                        format!("by {}\n", a.authors.join(", "))
                    },
                    if a.credits.is_empty() {
                        String::new()
                    } else {
                        format!("photo: {}\n", a.credits.join("; "))
                    },
                    a.text
                )
            };
            if let Err(e) = res {
                err = Some(e);
            }
        },
        |f| super::print_failure(&f),
    );
    if let Some(e) = err {
        return Err(e.into());
    }
    out.flush()?;
    Ok(())
}
