//! `parallax demo`: ingests the bundled real sample (the seed story: the Kyiv Post and The Moscow Times
//! retelling one Reuters report) into a store and prints the story's report.

use anyhow::{Context, Result};
use parallax::core::registry::Registry;
use parallax::Engine;
use std::path::Path;

/// The bundled sample: real articles, as scraped.
const SAMPLES: &[(&str, &str)] = &[
    (
        "000_8de6b63458e7133b.txt",
        include_str!("../../../../samples/seed/000_8de6b63458e7133b.txt"),
    ),
    (
        "001_ab191d894ab5a0d2.txt",
        include_str!("../../../../samples/seed/001_ab191d894ab5a0d2.txt"),
    ),
];

pub(crate) fn run(db: &Path) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("parallax-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut inputs = Vec::new();
    for (name, text) in SAMPLES {
        let p = dir.join(name);
        std::fs::write(&p, text).with_context(|| format!("cannot write {}", p.display()))?;
        inputs.push(p.display().to_string());
    }
    let mut engine = Engine::open(db, Registry::builtin().clone())?;
    let report = engine.ingest(&inputs, |_| {});
    let _ = std::fs::remove_dir_all(&dir);
    let report = report?;
    for f in &report.failures {
        super::print_failure(f);
    }
    let stories = engine.stories()?;
    let Some(story) = stories.iter().max_by_key(|s| s.outlets) else {
        anyhow::bail!("the sample produced no story");
    };
    let r = engine.report(&story.id)?;
    print!("{}", crate::render::terminal(&r));
    eprintln!(
        "\nStored in {} ({} stories). Next: `parallax story {} --html > story.html`, or `parallax serve --db {}`.",
        db.display(),
        stories.len(),
        story.id,
        db.display()
    );
    Ok(())
}
