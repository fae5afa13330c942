//! `parallax stats`: counts.

use crate::DbArg;
use anyhow::Result;

pub(crate) fn run(db: &DbArg, json: bool) -> Result<()> {
    let s = super::engine(db)?.stats()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        println!(
            "articles {}\nstories {}\noutlets {}\nduplicates {}\nschema_version {}",
            s.articles, s.stories, s.outlets, s.duplicates, s.schema_version
        );
    }
    Ok(())
}
