//! Any text as an HTML page, flattened text, Markdown and clean text through extraction; and, split at its
//! first line break, as a headline with a body, given by an outlet whose name the headline may carry, with a
//! declared language and a URL also taken from the input. Must never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use parallax_core::model::{Body, RawArticle};
use parallax_core::registry::Registry;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let none = std::collections::HashSet::new();
    for body in [Body::Html(text.clone()), Body::Flat(text.clone()), Body::Markdown(text.clone()), Body::Clean(text.clone())] {
        let raw = RawArticle { source: "fuzz".into(), body: Some(body), ..Default::default() };
        let _ = parallax_core::extract::extract(&raw, Registry::builtin(), &none);
    }
    // "title\nlanguage\nbody": the headline, a declared language (any string) and the body.
    let mut parts = text.splitn(3, '\n');
    let (title, language, body) = (parts.next().unwrap_or(""), parts.next(), parts.next());
    for outlet in ["Reuters", "The Moscow Times", "WSVN 7News | Miami News, Weather | Fort Lauderdale"] {
        let raw = RawArticle {
            source: "fuzz".into(),
            outlet: Some(outlet.into()),
            url: Some(format!("https://www.{}.com/a", title.chars().take(20).collect::<String>())),
            title: Some(title.into()),
            language: language.map(str::to_string),
            body: body.map(|b| Body::Clean(b.into())),
            ..Default::default()
        };
        let _ = parallax_core::extract::extract(&raw, Registry::builtin(), &none);
    }
});
