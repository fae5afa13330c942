//! Reports as a reader sees them: terminal text, Markdown, and one self-contained HTML file. Every sentence
//! shown is a verbatim span of an article; the renderers only arrange and label.

use parallax::core::compare::{FactKind, Report};
use std::collections::BTreeMap;
use std::fmt::Write;

fn outlet_names(r: &Report) -> BTreeMap<String, String> {
    r.articles
        .iter()
        .map(|a| {
            (
                a.id.0.clone(),
                a.outlet.clone().unwrap_or_else(|| a.id.0.clone()),
            )
        })
        .collect()
}

fn day(d: &Option<String>) -> &str {
    d.as_deref()
        .map(|d| d.get(..10).unwrap_or(d))
        .unwrap_or("undated")
}

/// Plain text for a terminal.
pub(crate) fn terminal(r: &Report) -> String {
    let names = outlet_names(r);
    let mut s = String::new();
    let independent = r.articles.iter().filter(|a| a.copy_of.is_none()).count();
    let _ = writeln!(s, "STORY {}: {}", r.story.id, r.story.title);
    let _ = writeln!(
        s,
        "{} articles ({} independent, {} copies), {} .. {}\n",
        r.articles.len(),
        independent,
        r.articles.len() - independent,
        day(&r.story.first_seen),
        day(&r.story.last_seen)
    );
    for a in &r.articles {
        let _ = writeln!(
            s,
            "  {:<22} {}  {}{}",
            a.outlet.as_deref().unwrap_or("?"),
            day(&a.published),
            a.title,
            a.copy_of
                .as_ref()
                .map(|c| format!("  (copy of {c})"))
                .unwrap_or_default()
        );
    }
    let shared: Vec<_> = r
        .facts
        .iter()
        .filter(|f| f.kind == FactKind::Shared)
        .collect();
    let _ = writeln!(s, "\nSHARED FACTS ({})", shared.len());
    for (i, f) in shared.iter().enumerate() {
        let _ = writeln!(s, "{:>3}. reported by {}", i + 1, f.outlets.join(", "));
        for m in &f.mentions {
            let hedges = if m.hedges.is_empty() {
                String::new()
            } else {
                format!("  [hedged: {}]", m.hedges.join(", "))
            };
            let _ = writeln!(
                s,
                "       {}: \"{}\"{}",
                names.get(&m.article.0).map_or("?", |x| x.as_str()),
                m.text,
                hedges
            );
        }
        if !f.numbers_differ.is_empty() {
            let figures: Vec<String> = f
                .numbers_differ
                .iter()
                .map(|n| {
                    format!(
                        "{} \"{}\"",
                        names.get(&n.article.0).map_or("?", |x| x.as_str()),
                        n.text
                    )
                })
                .collect();
            let _ = writeln!(s, "       FIGURES DIFFER: {}", figures.join(" / "));
        }
    }
    let mut by_outlet: BTreeMap<&str, Vec<&parallax::core::compare::Mention>> = BTreeMap::new();
    for f in r.facts.iter().filter(|f| f.kind == FactKind::Unique) {
        for m in &f.mentions {
            by_outlet
                .entry(names.get(&m.article.0).map_or("?", |x| x.as_str()))
                .or_default()
                .push(m);
        }
    }
    for (o, ms) in &by_outlet {
        let _ = writeln!(s, "\nONLY IN {} ({})", o, ms.len());
        for m in ms {
            let hedges = if m.hedges.is_empty() {
                String::new()
            } else {
                format!("  [hedged: {}]", m.hedges.join(", "))
            };
            let _ = writeln!(s, "     - \"{}\"{}", m.text, hedges);
        }
    }
    let _ = writeln!(s, "\nSOURCES");
    for src in &r.sources {
        let cited: Vec<&str> = src
            .cited_by
            .iter()
            .map(|a| names.get(&a.0).map_or("?", |x| x.as_str()))
            .collect();
        let _ = writeln!(
            s,
            "  {}{} ({:?}) cited by {}",
            src.name,
            if src.origin { " [ORIGIN]" } else { "" },
            src.kind,
            cited.join(", ")
        );
    }
    if !r.timeline.is_empty() {
        let _ = writeln!(s, "\nTIMELINE");
        for t in &r.timeline {
            // Each wording once ("last week" said by two articles); the JSON keeps every mention.
            let mut said: Vec<&str> = Vec::new();
            for m in &t.mentions {
                if !said.contains(&m.text.as_str()) {
                    said.push(&m.text);
                }
            }
            let _ = writeln!(
                s,
                "  {:<10} {:?}: \"{}\"  ({})",
                t.date,
                t.precision,
                t.text,
                said.join(", ")
            );
        }
    }
    if !r.framing.is_empty() {
        let _ = writeln!(s, "\nFRAMING");
        for f in &r.framing {
            let _ = writeln!(s, "  {}:", f.referent);
            for v in &f.variants {
                let _ = writeln!(s, "     {}: \"{}\"", v.outlet, v.phrase);
            }
            for o in &f.unlabelled {
                let _ = writeln!(s, "     {o}: (no label)");
            }
        }
    }
    if !r.loaded.is_empty() {
        let _ = writeln!(s, "\nLOADED WORDS");
        for l in &r.loaded {
            let _ = writeln!(s, "  {}: \"{}\"", l.outlet, l.at.text);
        }
    }
    let differing: Vec<_> = r.quotes.iter().filter(|q| q.differs).collect();
    if !differing.is_empty() {
        let _ = writeln!(s, "\nQUOTES THAT DIFFER");
        for q in differing {
            for m in &q.mentions {
                let _ = writeln!(
                    s,
                    "  {}: \"{}\"",
                    names.get(&m.article.0).map_or("?", |x| x.as_str()),
                    m.text
                );
            }
        }
    }
    if !r.entities.is_empty() {
        let ents: Vec<String> = r
            .entities
            .iter()
            .take(15)
            .map(|e| format!("{} ({:?})", e.name, e.kind).to_lowercase_kind())
            .collect();
        let _ = writeln!(s, "\nENTITIES\n  {}", ents.join(", "));
    }
    for lens in &r.coverage {
        let vals: Vec<String> = lens
            .values
            .iter()
            .map(|v| {
                format!(
                    "{}: {}/{}{}",
                    v.value,
                    v.covering.len(),
                    v.ingested,
                    if v.blindspot { " BLINDSPOT" } else { "" }
                )
            })
            .collect();
        let _ = writeln!(s, "\nCOVERAGE by {}: {}", lens.lens, vals.join(", "));
    }
    s.push('\n');
    s
}

trait LowerKind {
    fn to_lowercase_kind(self) -> String;
}

impl LowerKind for String {
    fn to_lowercase_kind(self) -> String {
        match self.rfind(" (") {
            Some(i) => format!("{}{}", &self[..i], self[i..].to_lowercase()),
            None => self,
        }
    }
}

/// Markdown.
pub(crate) fn markdown(r: &Report) -> String {
    let names = outlet_names(r);
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", r.story.title);
    let _ = writeln!(
        s,
        "Story `{}`, {} .. {}\n",
        r.story.id,
        day(&r.story.first_seen),
        day(&r.story.last_seen)
    );
    let _ = writeln!(s, "| outlet | published | title |\n|---|---|---|");
    for a in &r.articles {
        let title = match &a.url {
            Some(u) => format!("[{}]({})", md_escape(&a.title), u),
            None => md_escape(&a.title),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            md_escape(a.outlet.as_deref().unwrap_or("?")),
            day(&a.published),
            title
        );
    }
    let _ = writeln!(s, "\n## Shared facts\n");
    for f in r.facts.iter().filter(|f| f.kind == FactKind::Shared) {
        let _ = writeln!(s, "- **{}**", f.outlets.join(", "));
        for m in &f.mentions {
            let _ = writeln!(
                s,
                "  - {}: > {}",
                names.get(&m.article.0).map_or("?", |x| x.as_str()),
                md_escape(&m.text)
            );
        }
    }
    let _ = writeln!(s, "\n## Unique facts\n");
    for f in r.facts.iter().filter(|f| f.kind == FactKind::Unique) {
        for m in &f.mentions {
            let _ = writeln!(
                s,
                "- {}: {}",
                names.get(&m.article.0).map_or("?", |x| x.as_str()),
                md_escape(&m.text)
            );
        }
    }
    let _ = writeln!(s, "\n## Sources\n");
    for src in &r.sources {
        let _ = writeln!(
            s,
            "- {}{} ({:?}), cited by {}",
            src.name,
            if src.origin { " — origin" } else { "" },
            src.kind,
            src.cited_by.len()
        );
    }
    let _ = writeln!(s, "\n## Timeline\n");
    for t in &r.timeline {
        let _ = writeln!(
            s,
            "- {} ({:?}): {}",
            t.date,
            t.precision,
            md_escape(&t.text)
        );
    }
    if !r.framing.is_empty() {
        let _ = writeln!(s, "\n## Framing\n");
        for f in &r.framing {
            for v in &f.variants {
                let _ = writeln!(
                    s,
                    "- {} — {}: \"{}\"",
                    f.referent,
                    v.outlet,
                    md_escape(&v.phrase)
                );
            }
        }
    }
    s.push('\n');
    s
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// One self-contained HTML page: outlets side by side, shared facts in one colour across columns.
pub(crate) fn html(reports: &[Report]) -> String {
    const COLOURS: &[&str] = &[
        "#fde68a", "#bfdbfe", "#bbf7d0", "#fecaca", "#ddd6fe", "#fed7aa", "#a5f3fc", "#f5d0fe",
    ];
    let mut s = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Parallax report</title>\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <style>body{font:15px/1.5 system-ui,sans-serif;margin:1.5em;color:#111}.cols{display:flex;gap:1em;align-items:flex-start}\
         .col{flex:1;min-width:0;border:1px solid #ddd;border-radius:6px;padding:.8em}.col h3{margin:.2em 0}\
         .s{border-radius:3px;padding:0 .1em}.u{border-bottom:2px dotted #888}.meta{color:#666;font-size:13px}\
         table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}</style></head><body>",
    );
    for r in reports {
        let _ = write!(
            s,
            "<h1>{}</h1><p class=meta>story {} · {} .. {}</p>",
            esc(&r.story.title),
            esc(&r.story.id.0),
            esc(day(&r.story.first_seen)),
            esc(day(&r.story.last_seen))
        );
        // colour of each shared mention, by article and start offset
        let mut colour: BTreeMap<(String, usize), (usize, &str)> = BTreeMap::new();
        for (i, f) in r
            .facts
            .iter()
            .filter(|f| f.kind == FactKind::Shared)
            .enumerate()
        {
            for m in &f.mentions {
                colour.insert(
                    (m.article.0.clone(), m.start),
                    (m.end, COLOURS[i % COLOURS.len()]),
                );
            }
        }
        let unique: std::collections::BTreeSet<(String, usize)> = r
            .facts
            .iter()
            .filter(|f| f.kind == FactKind::Unique)
            .flat_map(|f| f.mentions.iter().map(|m| (m.article.0.clone(), m.start)))
            .collect();
        s.push_str("<div class=cols>");
        for a in r.articles.iter().filter(|a| a.copy_of.is_none()) {
            let _ = write!(
                s,
                "<div class=col><h3>{}</h3><p class=meta>{} · {}</p><p><b>{}</b></p>",
                esc(a.outlet.as_deref().unwrap_or("?")),
                esc(day(&a.published)),
                a.url
                    .as_deref()
                    .map(|u| format!("<a href=\"{}\">link</a>", esc(u)))
                    .unwrap_or_default(),
                esc(&a.title)
            );
            // Sentences of this article that are facts, in text order.
            let mut spans: Vec<(usize, usize, String)> = Vec::new();
            for f in &r.facts {
                for m in f.mentions.iter().filter(|m| m.article == a.id) {
                    spans.push((m.start, m.end, m.text.clone()));
                }
            }
            spans.sort();
            for (start, _, text) in spans {
                let key = (a.id.0.clone(), start);
                if let Some((_, c)) = colour.get(&key) {
                    let _ = write!(
                        s,
                        "<p><span class=s style=\"background:{c}\">{}</span></p>",
                        esc(&text)
                    );
                } else if unique.contains(&key) {
                    let _ = write!(
                        s,
                        "<p><span class=u title=\"only this outlet\">{}</span></p>",
                        esc(&text)
                    );
                }
            }
            s.push_str("</div>");
        }
        s.push_str("</div><h2>Sources</h2><ul>");
        for src in &r.sources {
            let _ = write!(
                s,
                "<li>{}{} ({:?}), cited by {} article(s)</li>",
                esc(&src.name),
                if src.origin { " <b>origin</b>" } else { "" },
                src.kind,
                src.cited_by.len()
            );
        }
        s.push_str("</ul><h2>Timeline</h2><table><tr><th>date</th><th>precision</th><th>sentence</th></tr>");
        for t in &r.timeline {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{:?}</td><td>{}</td></tr>",
                esc(&t.date),
                t.precision,
                esc(&t.text)
            );
        }
        s.push_str("</table>");
        if !r.framing.is_empty() {
            s.push_str("<h2>Framing</h2><ul>");
            for f in &r.framing {
                for v in &f.variants {
                    let _ = write!(
                        s,
                        "<li>{} — {}: “{}”</li>",
                        esc(&f.referent),
                        esc(&v.outlet),
                        esc(&v.phrase)
                    );
                }
            }
            s.push_str("</ul>");
        }
    }
    s.push_str("</body></html>\n");
    s
}
