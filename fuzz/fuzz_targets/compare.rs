//! Any two texts as a story through the comparison; every span it reports must be the text at its offsets.
#![no_main]
use libfuzzer_sys::fuzz_target;
use parallax_core::compare::{compare, Member};
use parallax_core::model::{Article, StoryId};
use parallax_core::registry::Registry;

fn article(id: &str, text: &str) -> Article {
    Article::from_text(id, Some(id), "", Some("2025-02-21"), text)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_at(text.char_indices().nth(text.chars().count() / 2).map_or(text.len(), |(i, _)| i));
    let members = vec![Member { article: article("A", a), copy_of: None }, Member { article: article("B", b), copy_of: None }];
    let r = compare(&StoryId("s1".into()), &members, Registry::builtin(), &[]);
    for f in &r.facts {
        for m in &f.mentions {
            let t = if m.article.0 == "A" { a } else { b };
            assert_eq!(&t[m.start..m.end], m.text);
        }
    }
});
