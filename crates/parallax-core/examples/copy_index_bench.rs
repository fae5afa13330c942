//! The copy index's memory and lookup time as originals pile up: N originals with distinct texts (random
//! signatures, as unrelated reports have), then 10,000 lookups of texts it does not hold. Prints the resident
//! memory added per original and the time per lookup. Linux only (reads `/proc/self/status`).
//!
//!     cargo run --release -p parallax-core --example copy_index_bench -- [N]

use parallax_core::dedup::{CopyIndex, Signature, SIG_LEN};
use parallax_core::model::ArticleId;
use std::time::Instant;

fn resident_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    // xorshift64: the same numbers on every run.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    // A signature and an exact key (a hash, as the real keys are).
    let mut random_keys = || -> (u64, Signature) {
        let mut sig = [0u32; SIG_LEN];
        for v in sig.iter_mut() {
            *v = next() as u32;
        }
        (next(), sig)
    };
    let before = resident_kb();
    let mut index = CopyIndex::new();
    let t = Instant::now();
    for i in 0..n {
        let (exact, sig) = random_keys();
        index.insert(ArticleId(format!("article-{i}")), exact, Some(sig));
    }
    let inserting = t.elapsed();
    let added = resident_kb().saturating_sub(before) * 1024;
    let probes: Vec<(u64, Signature)> = (0..10_000).map(|_| random_keys()).collect();
    let t = Instant::now();
    let found = probes
        .iter()
        .filter(|(exact, sig)| index.find(*exact, Some(sig)).is_some())
        .count();
    let finding = t.elapsed();
    println!(
        "{n} originals: {} bytes each, insert {:.2} us each; find {:.2} us each ({found} found)",
        added / n.max(1) as u64,
        inserting.as_secs_f64() * 1e6 / n.max(1) as f64,
        finding.as_secs_f64() * 1e6 / probes.len() as f64,
    );
}
