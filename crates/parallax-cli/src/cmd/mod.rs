//! One module per subcommand; each translates flags into engine calls and prints the result.

pub(crate) mod compare;
pub(crate) mod correct;
pub(crate) mod demo;
pub(crate) mod eval;
pub(crate) mod extract;
pub(crate) mod ingest;
pub(crate) mod search;
pub(crate) mod similar;
pub(crate) mod stats;
pub(crate) mod stories;

use crate::DbArg;
use anyhow::{Context, Result};
use parallax::core::registry::Registry;
use parallax::Engine;
use std::path::Path;

/// The built-in registry, extended by a user file if given.
pub(crate) fn registry(extra: Option<&Path>) -> Result<Registry> {
    let mut r = Registry::builtin().clone();
    if let Some(p) = extra {
        let text = std::fs::read_to_string(p)
            .with_context(|| format!("cannot read outlet registry {}", p.display()))?;
        r.extend_from_toml(&text)
            .with_context(|| format!("outlet registry {}", p.display()))?;
    }
    Ok(r)
}

/// Opens the engine over the store named by `--db`.
pub(crate) fn engine(db: &DbArg) -> Result<Engine> {
    Ok(Engine::open(&db.db, registry(db.outlets.as_deref())?)?)
}

/// Prints a failure line: `error: INPUT: reason` (stage given when it is not reading).
pub(crate) fn print_failure(f: &parallax::pipeline::Failure) {
    eprintln!("error: {}: {}", f.input, f.error);
}
