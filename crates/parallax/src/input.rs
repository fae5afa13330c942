//! Inputs from the outside: files, directories (recursive, sorted), and stdin (`-`), read with a size cap so
//! no input can exhaust memory. Each input's bytes go to the core readers.

use parallax_core::read::{self, ReadFailure, ReadOutput, MAX_ARCHIVE_BYTES};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest file read whole; the core then applies its per-format limits.
pub const MAX_FILE_BYTES: u64 = MAX_ARCHIVE_BYTES as u64;

/// Expands the command-line inputs into single inputs: directories become their files (recursive, sorted,
/// hidden files skipped), `-` stays stdin.
pub fn expand(inputs: &[String]) -> (Vec<String>, Vec<ReadFailure>) {
    let mut out = Vec::new();
    let mut failures = Vec::new();
    for i in inputs {
        if i == "-" || i.starts_with("http://") || i.starts_with("https://") {
            out.push(i.clone());
            continue;
        }
        let p = Path::new(i);
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut out, &mut failures),
            Ok(_) => out.push(i.clone()),
            Err(e) => failures.push(ReadFailure::new(i, e.to_string())),
        }
    }
    (out, failures)
}

fn walk(dir: &Path, out: &mut Vec<String>, failures: &mut Vec<ReadFailure>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            failures.push(ReadFailure::new(dir.display().to_string(), e.to_string()));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, failures);
        } else {
            out.push(p.display().to_string());
        }
    }
}

/// Reads one input (a path or `-`) and hands its bytes to the core readers.
pub fn read_one(input: &str) -> ReadOutput {
    let bytes = match load(input) {
        Ok(b) => b,
        Err(reason) => {
            let mut out = ReadOutput::default();
            out.failures.push(ReadFailure::new(input, reason));
            return out;
        }
    };
    read::read_bytes(input, &bytes)
}

fn load(input: &str) -> Result<Vec<u8>, String> {
    if input.starts_with("http://") || input.starts_with("https://") {
        return Err(
            "fetching URLs is not built into this binary; save the page or feed and pass the file"
                .into(),
        );
    }
    let cap = MAX_FILE_BYTES;
    let mut buf = Vec::new();
    let res = if input == "-" {
        std::io::stdin().lock().take(cap + 1).read_to_end(&mut buf)
    } else {
        let f = std::fs::File::open(input).map_err(|e| e.to_string())?;
        f.take(cap + 1).read_to_end(&mut buf)
    };
    res.map_err(|e| e.to_string())?;
    if buf.len() as u64 > cap {
        return Err(format!("larger than the {} MB limit", cap >> 20));
    }
    Ok(buf)
}
