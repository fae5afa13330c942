//! Any text as an HTML page, flattened text, Markdown and clean text through extraction. Must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use parallax_core::model::{Body, RawArticle};
use parallax_core::registry::Registry;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let none = std::collections::HashSet::new();
    for body in [Body::Html(text.clone()), Body::Flat(text.clone()), Body::Markdown(text.clone()), Body::Clean(text)] {
        let raw = RawArticle { source: "fuzz".into(), body: Some(body), ..Default::default() };
        let _ = parallax_core::extract::extract(&raw, Registry::builtin(), &none);
    }
});
