//! JSONL: one article a line (`id`, `url`, `outlet`, `title`, `published` or `date`, `authors`, `language` or
//! `lang`, and `text` or `html`). Unknown fields are ignored; a given `id` is kept as the article id.

use super::{ReadFailure, ReadOutput};
use crate::model::{Body, RawArticle};
use serde::Deserialize;
use serde_json::Value;

pub(super) fn read(source: &str, text: &str, out: &mut ReadOutput) {
    for (n, line) in text.lines().enumerate() {
        read_line(source, n + 1, line.as_bytes(), out);
    }
}

/// Reads line `n` (counted from 1) of a JSONL input: one article, or one failure naming the line. Lines
/// that are blank are skipped. Input readers that stream a large file call this a line at a time.
pub fn read_line(source: &str, n: usize, line: &[u8], out: &mut ReadOutput) {
    let line = line.trim_ascii();
    let line = line
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(line);
    if line.is_empty() {
        return;
    }
    let record = || format!("{source} line {n}");
    let decoded;
    let line = if std::str::from_utf8(line).is_ok() {
        line
    } else {
        // Not UTF-8: decoded as the text decoder guesses (JSON strings then parse as text).
        decoded = super::decode_text(line);
        decoded.as_bytes()
    };
    if line.first() != Some(&b'{') {
        let reason = match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            Ok(_) => "not a JSON object".to_string(),
            Err(e) => format!("invalid JSON ({e})"),
        };
        out.failures.push(ReadFailure::new(record(), reason));
        return;
    }
    let r: Record = match serde_json::from_slice(line) {
        Ok(r) => r,
        Err(e) => {
            out.failures
                .push(ReadFailure::new(record(), format!("invalid JSON ({e})")));
            return;
        }
    };
    let body = if let Some(t) = r.text.0 {
        Some(Body::Clean(t))
    } else if let Some(h) = r.html.0 {
        Some(Body::Html(h))
    } else {
        r.content.0.map(Body::Clean)
    };
    if body.is_none() && r.title.0.is_none() {
        out.failures.push(ReadFailure::new(
            record(),
            "no `text`, `html` or `title` field",
        ));
        return;
    }
    let authors = if r.authors.0.is_empty() {
        r.author.0
    } else {
        r.authors.0
    };
    out.articles.push(RawArticle {
        source: source.to_string(),
        id: r.id.0,
        url: r.url.0,
        outlet: r.outlet.0.or(r.source_name.0),
        title: r.title.0,
        published: r.published.0.or(r.date.0),
        authors,
        language: r.language.0.or(r.lang.0),
        body,
    });
}

/// The fields of a record Parallax reads; any other field is skipped unparsed.
#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    id: Loose,
    #[serde(default)]
    url: Loose,
    #[serde(default)]
    outlet: Loose,
    #[serde(default)]
    source_name: Loose,
    #[serde(default)]
    title: Loose,
    #[serde(default)]
    published: Loose,
    #[serde(default)]
    date: Loose,
    #[serde(default)]
    text: Loose,
    #[serde(default)]
    html: Loose,
    #[serde(default)]
    content: Loose,
    #[serde(default)]
    language: Loose,
    #[serde(default)]
    lang: Loose,
    #[serde(default)]
    authors: Names,
    #[serde(default)]
    author: Names,
}

/// A field read loosely: a string that is not blank, or a number written as text; anything else is absent.
#[derive(Default)]
struct Loose(Option<String>);

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose((!v.trim().is_empty()).then(|| v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Loose, E> {
                Ok(Loose((!v.trim().is_empty()).then_some(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_string())))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Loose, E> {
                Ok(Loose(None))
            }
            fn visit_unit<E>(self) -> Result<Loose, E> {
                Ok(Loose(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Loose, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Loose(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Loose, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Loose(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// Author names: one string, or a list whose string items are kept.
#[derive(Default)]
struct Names(Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Names(match serde_json::Value::deserialize(d)? {
            Value::String(s) => vec![s],
            Value::Array(a) => a
                .into_iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }))
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

    #[test]
    fn a_records_language_is_kept_as_written() {
        let mut out = ReadOutput::default();
        let lines = "{\"title\": \"a\", \"language\": \"pt-BR\"}\n{\"title\": \"b\", \"lang\": \"de\"}\n{\"title\": \"c\"}\n";
        read("a.jsonl", lines, &mut out);
        let langs: Vec<Option<&str>> = out.articles.iter().map(|a| a.language.as_deref()).collect();
        assert_eq!(langs, [Some("pt-BR"), Some("de"), None]);
    }
}
