//! Extraction: a raw article in, a clean article out — body without boilerplate, and title, date, outlet,
//! URL, authors, language, photo credits, with warnings instead of errors. HTML goes through [`html`],
//! flattened text and Markdown through [`flat`]; metadata helpers are in [`meta`].

mod flat;
mod html;
pub mod meta;

pub use flat::recurring_lines;

use crate::model::{Article, ArticleId, Body, RawArticle, Warning};
use crate::registry::{host_of, Registry};
use crate::text;
use std::collections::HashSet;

/// Extracts one article. `recurring` holds lines known to recur across this outlet's pages (may be empty).
pub fn extract(raw: &RawArticle, registry: &Registry, recurring: &HashSet<String>) -> Article {
    let mut title = raw.title.clone().filter(|t| !t.trim().is_empty());
    let mut url = raw.url.clone();
    let mut published = raw.published.as_deref().and_then(meta::normalize_date);
    let mut authors: Vec<String> = raw
        .authors
        .iter()
        .flat_map(|a| meta::clean_author(a))
        .collect();
    let mut credits = Vec::new();
    let mut site_name = None;
    let mut standalone = Vec::new();
    let mut lang = None;
    let mut paywalled = false;
    // The body was short enough that the page's description was put before it.
    let mut described = false;
    let body = match &raw.body {
        Some(Body::Html(h)) => {
            let x = html::extract_html(h, url.as_deref());
            if title.is_none() {
                title = x.title;
            }
            if url.is_none() {
                url = x.url;
            }
            if published.is_none() {
                published = x.published.as_deref().and_then(meta::normalize_date);
            }
            if authors.is_empty() {
                authors = x.authors;
            }
            site_name = x.site_name;
            lang = x.lang.as_deref().and_then(language_code);
            paywalled = x.paywalled;
            described = x.described;
            flat::strip_furniture(&x.text)
        }
        Some(Body::Flat(t)) => {
            let x = flat::extract_flat(t, recurring);
            if title.is_none() {
                title = x.title;
            }
            published = published.or(x.published);
            standalone = x.standalone_lines;
            x.text
        }
        Some(Body::Markdown(t)) => {
            let x = flat::extract_markdown(t, recurring);
            if title.is_none() {
                title = x.title;
            }
            if url.is_none() {
                url = x.url;
            }
            published = published.or(x.published);
            credits = x.credits;
            standalone = x.standalone_lines;
            x.text
        }
        Some(Body::Clean(t)) => html::tidy(t),
        None => String::new(),
    };
    if published.is_none() {
        published = url.as_deref().and_then(meta::date_from_url);
    }
    let outlet = raw
        .outlet
        .as_deref()
        .map(|o| given_outlet(o, registry))
        .or_else(|| {
            url.as_deref()
                .and_then(|u| registry.by_url(u))
                .map(|o| o.name.clone())
        })
        .or_else(|| {
            site_name.as_deref().map(|s| {
                registry
                    .by_name(s)
                    .map_or_else(|| s.to_string(), |o| o.name.clone())
            })
        })
        .or_else(|| outlet_from_lines(&standalone, registry))
        .or_else(|| url.as_deref().and_then(host_of));
    let title = title.unwrap_or_else(|| first_sentence(&body));
    // The site's name goes from the headline; an id made from the content still hashes the headline as
    // given, so articles stored before keep their ids.
    let given_title = title.clone();
    let title = headline(
        &title,
        outlet.as_deref(),
        site_name.as_deref(),
        url.as_deref(),
    );
    // Declared by the page, then by the input, unless a body long enough to tell reads surely as another
    // language and the headline does not read as the declared one (templates declare `lang="en"` on pages
    // in German or Spanish; a page's body can open on a stock ticker); else read from the text, if it tells
    // (a headline often does not). An outlet's usual language is no guide: many publish editions in English
    // too.
    let declared = lang.or_else(|| raw.language.as_deref().and_then(language_code));
    let language = match declared {
        Some(d) => Some(
            Some(&body)
                .filter(|b| n_words_at_least(b, MIN_WORDS_TO_OVERRULE))
                .and_then(|b| meta::surely_other_language(b, &d))
                .filter(|_| !meta::language(&title).is_some_and(|t| meta::same_language(&t, &d)))
                .unwrap_or(d),
        ),
        None => meta::language(&body).or_else(|| meta::language(&title)),
    };
    let mut warnings = Vec::new();
    // Only whether it is under 80 matters: counting stops there.
    let n_words = body.split_whitespace().take(80).count();
    if n_words == 0 {
        warnings.push(Warning::EmptyBody);
    } else if n_words < 80 || described {
        warnings.push(Warning::ShortBody);
    }
    let lower_tail = body
        .get(body.len().saturating_sub(400)..)
        .unwrap_or("")
        .to_lowercase();
    if paywalled
        || [
            "subscribe to continue",
            "to continue reading",
            "subscribers only",
            "for subscribers",
            "already a subscriber",
        ]
        .iter()
        .any(|p| lower_tail.contains(p))
    {
        warnings.push(Warning::PaywallSuspected);
    }
    if published.is_none() {
        warnings.push(Warning::NoDate);
    }
    if outlet.is_none() {
        warnings.push(Warning::NoOutlet);
    }
    let id = raw
        .id
        .clone()
        .or_else(|| url.as_deref().map(canonical_url))
        .unwrap_or_else(|| {
            format!(
                "h{:016x}",
                text::hash64(normalized_for_hash(&body, &given_title).as_bytes())
            )
        });
    Article {
        id: ArticleId(id),
        url,
        outlet,
        title,
        published,
        authors,
        language,
        text: body,
        credits,
        warnings,
        source: raw.source.clone(),
    }
}

/// Words a body needs before its own language overrules the declared one.
const MIN_WORDS_TO_OVERRULE: usize = 50;

/// A headline as articles carry it: one line (white space in markup is one space: a `<title>` broken over
/// lines is one line), without its site's name where that is the outlet, the page's site name or its URL's
/// host ([`meta::headline_without_site`]).
pub fn headline(
    title: &str,
    outlet: Option<&str>,
    site_name: Option<&str>,
    url: Option<&str>,
) -> String {
    let host = url.and_then(host_of);
    let mut names: Vec<String> = outlet
        .iter()
        .chain(&site_name)
        .map(|n| n.to_string())
        .collect();
    if let Some(h) = host {
        names.extend(meta::host_names(&h));
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let one_line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    meta::headline_without_site(&one_line, &names).to_string()
}

fn n_words_at_least(s: &str, n: usize) -> bool {
    s.split_whitespace().nth(n - 1).is_some()
}

/// The two-letter code of a declared language ("en-GB", "pt_BR", "DE"); none for anything else.
fn language_code(l: &str) -> Option<String> {
    let code = l.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())).then_some(code)
}

/// An outlet name given by the input, in the registry's spelling when it names a registry outlet: by its
/// name, or by an acronym alias ("AP", "AFP"). A word alias ("Beta") is too ambiguous to rename what the user
/// gave.
fn given_outlet(o: &str, registry: &Registry) -> String {
    let o = o.trim();
    match registry.by_name(o) {
        Some(x)
            if x.name.eq_ignore_ascii_case(o)
                || (o.len() <= 6 && o.chars().all(|c| c.is_ascii_uppercase() || c == '.')) =>
        {
            x.name.clone()
        }
        _ => o.to_string(),
    }
}

/// A URL without fragment, tracking parameters and trailing slash, with a lower-case host.
pub fn canonical_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let k = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !(k.starts_with("utm_")
                || matches!(
                    k.as_str(),
                    "fbclid" | "gclid" | "ref" | "cmpid" | "ocid" | "smid"
                ))
        })
        .collect();
    let base = match base.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
            format!(
                "{}://{}/{}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase(),
                path
            )
        }
        None => base.to_string(),
    };
    let base = base.trim_end_matches('/').to_string();
    if kept.is_empty() {
        base
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

fn normalized_for_hash(body: &str, title: &str) -> String {
    let src = if body.trim().is_empty() { title } else { body };
    text::words(src)
        .map(|(_, w)| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The outlet named by a line standing alone (a page template prints its own name): lines seen twice first.
fn outlet_from_lines(lines: &[String], registry: &Registry) -> Option<String> {
    lines
        .iter()
        .filter_map(|l| {
            registry
                .by_name(l)
                .filter(|o| o.name.eq_ignore_ascii_case(l.trim()))
        })
        .find(|o| !o.is_wire())
        .map(|o| o.name.clone())
}

fn first_sentence(body: &str) -> String {
    text::sentences(body, "en")
        .first()
        .map(|s| body[s.start..s.end].to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_urls() {
        assert_eq!(
            canonical_url("HTTPS://Example.COM/a/b/?utm_source=x&id=3#top"),
            "https://example.com/a/b?id=3"
        );
    }

    #[test]
    fn the_language_is_the_one_declared_else_the_texts() {
        let registry = Registry::builtin();
        let lang = |raw: &RawArticle| extract(raw, registry, &HashSet::new()).language;
        let headline = RawArticle {
            title: Some("EBay rejects Icahn board nominees, asks investors to do same".into()),
            ..Default::default()
        };
        // Too short to tell (whatlang guesses Portuguese, unsure): none, even from an English outlet.
        assert_eq!(lang(&headline), None);
        let from_reuters = RawArticle {
            outlet: Some("Reuters".into()),
            ..headline.clone()
        };
        assert_eq!(lang(&from_reuters), None);
        // Declared by the input (a feed, a JSONL field): that, in two letters.
        let declared = RawArticle {
            language: Some("pt-BR".into()),
            ..from_reuters.clone()
        };
        assert_eq!(lang(&declared).as_deref(), Some("pt"));
        // A declaration that is no language code is passed over.
        let odd = RawArticle {
            language: Some("English".into()),
            ..headline.clone()
        };
        assert_eq!(lang(&odd), None);
        // Declared by the page itself: before the input's.
        let page = RawArticle {
            language: Some("en".into()),
            body: Some(Body::Html(
                "<html lang=\"de-AT\"><body><article><p>Ein Text.</p></article></body></html>"
                    .into(),
            )),
            ..Default::default()
        };
        assert_eq!(lang(&page).as_deref(), Some("de"));
    }

    #[test]
    fn a_body_that_surely_reads_as_another_language_overrules_the_declared_one() {
        let registry = Registry::builtin();
        let lang = |raw: &RawArticle| extract(raw, registry, &HashSet::new()).language;
        let german = "Die Stadt Passau hat am Dienstag wegen des Hochwassers der Donau den Katastrophenfall \
            ausgerufen. Der Pegel lag am Nachmittag bei zehn Metern und steigt nach Angaben des \
            Hochwassernachrichtendienstes weiter. In der Altstadt wurden mehr als vierhundert Anwohner in \
            Sicherheit gebracht, und die Feuerwehr ist mit allen verfügbaren Kräften im Einsatz. Die Schulen \
            in der Innenstadt bleiben bis auf Weiteres geschlossen, die Brücke ist für den Verkehr gesperrt.";
        let page = |lang: &str, title: &str, body: &str| {
            RawArticle {
            body: Some(Body::Html(format!(
                "<html lang=\"{lang}\"><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
            ))),
            ..Default::default()
        }
        };
        // A template's `lang="en"` on a page in German.
        let mislabelled = page("en", "Passau ruft den Katastrophenfall aus", german);
        assert_eq!(lang(&mislabelled).as_deref(), Some("de"));
        // Too little text to overrule the declaration.
        let short = page(
            "en",
            "Passau",
            "Die Stadt Passau hat den Katastrophenfall ausgerufen.",
        );
        assert_eq!(lang(&short).as_deref(), Some("en"));
        // A body in English under a headline that reads as the declared German: the declaration stands (a
        // German page quoting at length, or a body that opens on other matter).
        let english = "The city of Passau declared a state of emergency on Tuesday as the Danube kept rising. \
            The river reached ten metres in the afternoon and was still climbing, the flood service said. More \
            than four hundred residents of the old town were taken to safety, and every fire crew available was \
            at work. Schools in the city centre will stay closed until further notice and the bridge is shut.";
        let quoting = page(
            "de",
            "Hochwasser: Die Stadt Passau ruft wegen der steigenden Donau den Katastrophenfall aus und räumt Teile der Altstadt",
            english,
        );
        assert_eq!(lang(&quoting).as_deref(), Some("de"));
        let english_page = page("de", "Passau declares a state of emergency", english);
        assert_eq!(lang(&english_page).as_deref(), Some("en"));
    }

    #[test]
    fn id_falls_back_to_url_then_hash() {
        let r = Registry::default();
        let raw = RawArticle {
            body: Some(Body::Clean("Some text here.".into())),
            ..Default::default()
        };
        let a = extract(&raw, &r, &HashSet::new());
        assert!(a.id.0.starts_with('h'));
        let raw = RawArticle {
            url: Some("https://x.example/a?utm_medium=y".into()),
            ..raw
        };
        assert_eq!(
            extract(&raw, &r, &HashSet::new()).id.0,
            "https://x.example/a"
        );
    }
}
