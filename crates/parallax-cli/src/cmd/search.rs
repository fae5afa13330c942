//! `parallax search`: full-text search over articles.

use crate::DbArg;
use anyhow::Result;
use parallax::store::SearchFilter;

pub(crate) fn run(db: &DbArg, query: &str, filter: &SearchFilter, json: bool) -> Result<()> {
    let engine = super::engine(db)?;
    update_index(&engine)?;
    let hits = engine.search(query, filter)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&hits)?);
        return Ok(());
    }
    for h in hits {
        println!(
            "{}  {}  {}  [{}]\n    {}\n    {}",
            h.published
                .as_deref()
                .map(|p| p.get(..10).unwrap_or(p))
                .unwrap_or("undated"),
            h.outlet.as_deref().unwrap_or("?"),
            h.title,
            h.story.map(|s| s.0).unwrap_or_default(),
            h.snippet.replace('\n', " "),
            h.id
        );
    }
    Ok(())
}

/// Indexes the articles stored since the last search, saying so on stderr when there were any.
pub(crate) fn update_index(engine: &parallax::Engine) -> Result<()> {
    let t = std::time::Instant::now();
    let indexed = engine.update_index()?;
    if indexed > 0 {
        eprintln!(
            "indexed {indexed} new articles for search in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
