//! Corrections: `split`, `merge`, `move` (persisted with an audit log) and `recluster` (which keeps them).

use crate::DbArg;
use anyhow::Result;
use parallax::core::model::{ArticleId, StoryId};

fn who() -> String {
    std::env::var("USER").unwrap_or_else(|_| "cli".into())
}

pub(crate) fn split(db: &DbArg, story: &str, articles: &[String]) -> Result<()> {
    let ids: Vec<ArticleId> = articles.iter().map(|a| ArticleId(a.clone())).collect();
    let new = super::engine(db)?.split(&StoryId(story.into()), &ids, &who())?;
    println!("{new}");
    Ok(())
}

pub(crate) fn merge(db: &DbArg, into: &str, from: &str) -> Result<()> {
    super::engine(db)?.merge(&StoryId(into.into()), &StoryId(from.into()), &who())?;
    Ok(())
}

pub(crate) fn move_article(db: &DbArg, article: &str, story: &str) -> Result<()> {
    super::engine(db)?.move_article(&ArticleId(article.into()), &StoryId(story.into()), &who())?;
    Ok(())
}

pub(crate) fn recluster(db: &DbArg) -> Result<()> {
    let n = super::engine(db)?.recluster()?;
    eprintln!("{n} stories");
    Ok(())
}
