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

/// `parallax serve`.
pub(crate) fn serve(db: &DbArg, addr: &str, token: Option<String>) -> Result<()> {
    let engine = engine(db)?;
    let token = match token.filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => {
            let t = new_token();
            eprintln!("PARALLAX_TOKEN not set; writes need this token: {t}");
            t
        }
    };
    crate::server::run(engine, addr, token)
}

/// 128 random bits from the OS, hex.
fn new_token() -> String {
    use std::io::Read;
    let mut b = [0u8; 16];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .is_err()
    {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        b = (t ^ u128::from(std::process::id())).to_le_bytes();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}
