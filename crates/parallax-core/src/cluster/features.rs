//! What clustering looks at in an article: stemmed terms of title and body with weights (title words and
//! names count more; numbers are kept), and the publication day.

use crate::model::Article;
use crate::text;
use chrono::NaiveDate;

/// An article's clustering features.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// Term and weight (sub-linear term frequency, boosted for title and names).
    pub terms: Vec<(String, f32)>,
    /// Publication day.
    pub day: Option<NaiveDate>,
}

/// Most terms kept per article.
const MAX_TERMS: usize = 120;

/// Features of an article, with the default weights.
pub fn features(a: &Article) -> Features {
    features_with(a, &super::Config::default())
}

/// Features of an article with the title and name weights of `cfg`.
pub fn features_with(a: &Article, cfg: &super::Config) -> Features {
    let mut tf: TermCounts = TermCounts::default();
    let body = a
        .text
        .get(..a.text.len().min(6000))
        .map_or(a.text.as_str(), |s| s);
    let body = if a.text.len() > 6000 {
        let mut end = 6000;
        while !a.text.is_char_boundary(end) {
            end -= 1;
        }
        &a.text[..end]
    } else {
        body
    };
    add(&mut tf, &a.title, cfg.title_weight, cfg.name_boost);
    add(&mut tf, body, 1.0, cfg.name_boost);
    let mut terms: Vec<(std::rc::Rc<str>, f32)> =
        tf.into_iter().map(|(t, c)| (t, 1.0 + c.ln())).collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.truncate(MAX_TERMS);
    Features {
        terms: terms
            .into_iter()
            .map(|(t, w)| (String::from(&*t), w))
            .collect(),
        day: a.day(),
    }
}

type TermCounts = rustc_hash::FxHashMap<std::rc::Rc<str>, f32>;

fn add(tf: &mut TermCounts, s: &str, weight: f32, name_boost: f32) {
    let mut first = true;
    for (at, w) in text::words(s) {
        // The next word starts a sentence when this one is followed by a full stop, a question or
        // exclamation mark (after spaces or closing quotes), or a line break; a full stop after a short
        // capitalised word is taken for an abbreviation (Mr., Dr., U.S.).
        let after = s[at + w.len()..]
            .bytes()
            .find(|b| !matches!(b, b' ' | b'\t' | b'"' | b'\'' | b')'));
        let abbreviation = w.len() <= 3 && w.starts_with(|c: char| c.is_ascii_uppercase());
        let ends = match after {
            Some(b'.') => !abbreviation,
            Some(b'!' | b'?' | b'\n' | b':') => true,
            _ => false,
        };
        let Some(t) = text::content_term(w) else {
            first = ends;
            continue;
        };
        let name = !first && w.chars().next().is_some_and(char::is_uppercase);
        let boost = if name { name_boost } else { 1.0 };
        *tf.entry(t).or_insert(0.0) += weight * boost;
        first = ends;
    }
}

/// Writes a weight with two decimals, as `{:.2}` would (weights are positive and small); written out
/// because the formatter's general path is a tenth of ingest's instructions for these few digits.
fn push_hundredths(s: &mut String, w: f32) {
    if !(0.0..1e6).contains(&w) {
        let _ = std::fmt::Write::write_fmt(s, format_args!("{w:.2}"));
        return;
    }
    // Exact: an f32 times 100 fits an f64's mantissa. Ties go to the even hundredth, as `{:.2}` does.
    let x = f64::from(w) * 100.0;
    let f = x.floor();
    let d = x - f;
    let c = f as u64 + u64::from(d > 0.5 || (d == 0.5 && f as u64 % 2 == 1));
    let _ = std::fmt::Write::write_fmt(s, format_args!("{}", c / 100));
    s.push('.');
    s.push(char::from(b'0' + (c / 10 % 10) as u8));
    s.push(char::from(b'0' + (c % 10) as u8));
}

impl Features {
    /// Compact text form for storage: `term weight` pairs separated by spaces (terms hold no spaces).
    pub fn terms_to_string(&self) -> String {
        let mut s = String::with_capacity(self.terms.len() * 10);
        for (t, w) in &self.terms {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(t);
            s.push(' ');
            push_hundredths(&mut s, *w);
        }
        s
    }

    /// Reads the form of [`Features::terms_to_string`].
    pub fn from_stored(terms: &str, day: Option<NaiveDate>) -> Features {
        let mut it = terms.split(' ');
        let mut out = Vec::new();
        while let (Some(t), Some(w)) = (it.next(), it.next()) {
            if let Ok(w) = w.parse() {
                out.push((t.to_string(), w));
            }
        }
        Features { terms: out, day }
    }
}
