//! Any two texts as a story through the comparison, in a language the first byte picks (each language has
//! its own stop words, stems and elisions); every span it reports must be the text at its offsets. The
//! articles' clustering features are made too, by the same language's rules.
#![no_main]
use libfuzzer_sys::fuzz_target;
use parallax_core::cluster::{features_with, Config};
use parallax_core::compare::{compare, Member};
use parallax_core::model::{Article, StoryId};
use parallax_core::registry::Registry;

/// Languages with their own rules (a stemmer, a stop list, elisions), one without a stemmer, and none.
const LANGUAGES: [Option<&str>; 12] = [
    Some("en"), Some("de"), Some("fr"), Some("it"), Some("ca"), Some("es"), Some("ru"), Some("el"),
    Some("ar"), Some("ja"), Some("uk"), None,
];

fn article(id: &str, text: &str, language: Option<&str>) -> Article {
    let mut a = Article::from_text(id, Some(id), "", Some("2025-02-21"), text);
    a.language = language.map(str::to_string);
    a
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, data)) = data.split_first() else { return };
    let language = LANGUAGES[pick as usize % LANGUAGES.len()];
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_at(text.char_indices().nth(text.chars().count() / 2).map_or(text.len(), |(i, _)| i));
    let members = vec![
        Member { article: article("A", a, language), copy_of: None },
        Member { article: article("B", b, language), copy_of: None },
    ];
    for m in &members {
        let _ = features_with(&m.article, &Config::default());
    }
    let r = compare(&StoryId("s1".into()), &members, Registry::builtin(), &[]);
    for f in &r.facts {
        for m in &f.mentions {
            let t = if m.article.0 == "A" { a } else { b };
            assert_eq!(&t[m.start..m.end], m.text);
        }
    }
});
