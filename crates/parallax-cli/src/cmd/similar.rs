//! `parallax similar --pairs FILE.tsv`: the same-fact rule of `compare`, on sentence pairs.

use anyhow::{Context, Result};
use parallax::core::compare::align;
use std::io::{Read, Write};

pub(crate) fn run(path: &str) -> Result<()> {
    let mut text = String::new();
    if path == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?;
    }
    let rows: Vec<(&str, align::SentenceTerms, align::SentenceTerms)> = text
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            let (id, a, b) = (f.next()?, f.next()?, f.next()?);
            Some((id, align::prepare(a), align::prepare(b)))
        })
        .collect();
    let idf = align::Idf::new(rows.iter().flat_map(|r| [&r.1, &r.2]));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // PARALLAX_SIMILAR_MEASURES=1 prints the rule's inputs after the verdict (for refitting its weights).
    let measures = std::env::var_os("PARALLAX_SIMILAR_MEASURES").is_some();
    for (id, a, b) in &rows {
        if measures {
            let m = align::measures(a, b, &idf);
            let cols: Vec<String> = m.iter().map(|x| format!("{x}")).collect();
            let s = align::score(a, b, &idf);
            writeln!(
                out,
                "{id}\t{s:.4}\t{}\t{}",
                u8::from(s >= align::SAME_FACT),
                cols.join("\t")
            )?;
            continue;
        }
        let s = align::score(a, b, &idf);
        writeln!(out, "{id}\t{s:.4}\t{}", u8::from(s >= align::SAME_FACT))?;
    }
    out.flush()?;
    Ok(())
}
