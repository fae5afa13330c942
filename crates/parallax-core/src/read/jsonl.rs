//! JSONL: one article a line (`id`, `url`, `outlet`, `title`, `published` or `date`, `authors`, and `text` or
//! `html`). Unknown fields are ignored; a given `id` is kept as the article id.

use super::{ReadFailure, ReadOutput};
use crate::model::{Body, RawArticle};
use serde_json::Value;

pub(super) fn read(source: &str, text: &str, out: &mut ReadOutput) {
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let record = format!("{source} line {}", n + 1);
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                out.failures
                    .push(ReadFailure::new(record, format!("invalid JSON ({e})")));
                continue;
            }
        };
        let Some(obj) = v.as_object() else {
            out.failures
                .push(ReadFailure::new(record, "not a JSON object"));
            continue;
        };
        let s = |k: &str| -> Option<String> {
            match obj.get(k) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            }
        };
        let body = if let Some(t) = s("text") {
            Some(Body::Clean(t))
        } else if let Some(h) = s("html") {
            Some(Body::Html(h))
        } else {
            s("content").map(Body::Clean)
        };
        if body.is_none() && s("title").is_none() {
            out.failures.push(ReadFailure::new(
                record,
                "no `text`, `html` or `title` field",
            ));
            continue;
        }
        let authors = match obj.get("authors").or_else(|| obj.get("author")) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        };
        out.articles.push(RawArticle {
            source: source.to_string(),
            id: s("id"),
            url: s("url"),
            outlet: s("outlet").or_else(|| s("source_name")),
            title: s("title"),
            published: s("published").or_else(|| s("date")),
            authors,
            body,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_lines_survive_bad_ones() {
        let mut out = ReadOutput::default();
        read("a.jsonl", "{\"id\": \"x1\", \"text\": \"ok text here\", \"title\": \"ok\", \"extra\": 3}\n{not json\n", &mut out);
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].id.as_deref(), Some("x1"));
        assert_eq!(out.failures.len(), 1);
        assert_eq!(out.failures[0].input, "a.jsonl line 2");
    }
}
