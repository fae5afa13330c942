use super::*;
use crate::model::Article;

fn art(id: &str, outlet: &str, text: &str) -> Member {
    let title = format!("{outlet} headline");
    Member {
        article: Article::from_text(id, Some(outlet), &title, Some("2025-02-21"), text),
        copy_of: None,
    }
}

#[test]
fn shared_and_unique_facts_with_verbatim_spans() {
    let mut reg = Registry::default();
    reg.extend_from_toml("[[outlet]]\nname = \"Reuters\"\ntype = \"wire\"\n")
        .unwrap();
    let a = art("a", "Alpha", "The council reportedly closed the old bridge for repairs on Monday, Reuters reported.\n\nThe mayor lives in a red house near the river park.");
    let b = art("b", "Beta", "The old bridge was closed by the council for repairs, according to Reuters.\n\nFishing boats returned to harbour at dawn with empty nets.");
    let r = compare(&StoryId("s1".into()), &[a.clone(), b.clone()], &reg, &[]);
    let shared: Vec<&Fact> = r
        .facts
        .iter()
        .filter(|f| f.kind == FactKind::Shared)
        .collect();
    assert_eq!(shared.len(), 1, "{:#?}", r.facts);
    assert_eq!(shared[0].outlets, vec!["Alpha", "Beta"]);
    assert_eq!(
        r.facts
            .iter()
            .filter(|f| f.kind == FactKind::Unique)
            .count(),
        2
    );
    for f in &r.facts {
        for m in &f.mentions {
            let t = if m.article.0 == "a" {
                &a.article.text
            } else {
                &b.article.text
            };
            assert_eq!(&t[m.start..m.end], m.text);
        }
    }
    assert_eq!(shared[0].mentions[0].hedges, vec!["reportedly"]);
    let reuters = r.sources.iter().find(|s| s.name == "Reuters").unwrap();
    assert!(reuters.origin);
    assert_eq!(reuters.cited_by.len(), 2);
    let mon = r.timeline.iter().find(|t| t.date == "2025-02-17").unwrap();
    assert_eq!(mon.precision, Precision::Day);
}

#[test]
fn copies_do_not_make_a_fact_shared() {
    let a = art(
        "a",
        "Alpha",
        "The council closed the old bridge for repairs on Monday.",
    );
    let mut b = art(
        "b",
        "Beta",
        "The council closed the old bridge for repairs on Monday.",
    );
    b.copy_of = Some(ArticleId("a".into()));
    let r = compare(&StoryId("s1".into()), &[a, b], &Registry::default(), &[]);
    assert!(r.facts.iter().all(|f| f.kind == FactKind::Unique));
}

#[test]
fn figures_that_differ_across_outlets_are_flagged_verbatim() {
    let a = art(
        "a",
        "Alpha",
        "The earthquake killed 12 people in the northern province on Monday, officials said.",
    );
    let b = art(
        "b",
        "Beta",
        "The earthquake killed 15 people in the northern province on Monday, officials said.",
    );
    let r = compare(
        &StoryId("s1".into()),
        &[a.clone(), b.clone()],
        &Registry::default(),
        &[],
    );
    let shared = r
        .facts
        .iter()
        .find(|f| f.kind == FactKind::Shared)
        .expect("one shared fact");
    let figures: Vec<&str> = shared
        .numbers_differ
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(figures, vec!["12", "15"]);
    for n in &shared.numbers_differ {
        let t = if n.article.0 == "a" {
            &a.article.text
        } else {
            &b.article.text
        };
        assert_eq!(&t[n.start..n.end], n.text);
    }
}

#[test]
fn a_surname_alone_is_the_person_named_in_full_and_a_wire_is_an_organisation() {
    let mut reg = Registry::default();
    reg.extend_from_toml("[[outlet]]\nname = \"Reuters\"\ntype = \"wire\"\n")
        .unwrap();
    let a = art(
        "a",
        "Alpha",
        "Talks began after Donald Trump won the election, Reuters reported.\n\nSome of Trump's advisers knew of them.",
    );
    let b = art(
        "b",
        "Beta",
        "Advisers to Trump were aware of the talks in Geneva, according to Reuters.",
    );
    let r = compare(&StoryId("s1".into()), &[a, b], &reg, &[]);
    let find = |n: &str| r.entities.iter().find(|e| e.name == n);
    let trump = find("Donald Trump").expect("the full name");
    assert_eq!(trump.kind, EntityKind::Person);
    assert_eq!(trump.articles.len(), 2, "{:?}", r.entities);
    assert!(find("Trump").is_none(), "{:?}", r.entities);
    assert_eq!(
        find("Reuters").map(|e| e.kind),
        Some(EntityKind::Organisation)
    );
    // Two people of one surname: the surname alone stays as it is.
    let c = art(
        "c",
        "Gamma",
        "Donald Trump and Melania Trump arrived in Geneva.\n\nReporters asked Trump about the talks.",
    );
    let r = compare(&StoryId("s2".into()), &[c], &reg, &[]);
    assert!(
        r.entities.iter().any(|e| e.name == "Trump"),
        "{:?}",
        r.entities
    );
}

/// The headline scores each pair of titles once, which holds only while the same-fact score is symmetric
/// to the bit.
#[test]
fn same_fact_score_is_symmetric_and_the_headline_is_the_titles_medoid() {
    let titles = [
        "Magnitude 6.1 earthquake strikes off Chile's coast, no tsunami warning",
        "Strong earthquake hits Chile; officials say no tsunami threat",
        "Chile quake: 6.1 tremor shakes Santiago, buildings sway, police said",
        "Earthquake of magnitude 6.1 strikes near the coast of Chile, the USGS said on Tuesday",
        "Japan earthquake: 7.0 quake off Fukushima, tsunami advisory issued",
        "Tsunami advisory after 7.0 quake off Japan's Fukushima, broadcaster NHK said",
        "Quake",
        "",
    ];
    let terms: Vec<align::SentenceTerms> = titles.iter().map(|t| align::prepare(t)).collect();
    let idf = align::Idf::new(terms.iter());
    for a in &terms {
        for b in &terms {
            assert_eq!(
                align::score(a, b, &idf).to_bits(),
                align::score(b, a, &idf).to_bits()
            );
        }
    }
    // The title most alike the others, each scored against every other in order.
    let sums: Vec<f32> = (0..titles.len())
        .map(|i| {
            let words = titles[i].split_whitespace().count();
            let pen = if words > 20 { 0.5 } else { 1.0 };
            (0..titles.len())
                .filter(|&j| j != i)
                .map(|j| align::score(&terms[i], &terms[j], &idf))
                .sum::<f32>()
                * pen
                + if (4..=20).contains(&words) { 0.01 } else { 0.0 }
        })
        .collect();
    let best = (0..titles.len()).fold(0, |b, i| if sums[i] > sums[b] { i } else { b });
    let pool: Vec<(&str, bool)> = titles.iter().map(|t| (*t, true)).collect();
    assert_eq!(headline(&pool), titles[best]);
    assert_eq!(headline(&[("Only one", true)]), "Only one");
    assert_eq!(headline(&[]), "");
}

#[test]
fn german_reports_share_a_fact_told_in_other_word_forms() {
    // Two reports of one flood (the fixture stream of the engine's tests): "bei 10,20 Metern" and
    // "10,20 Meter" are one stem in German, not in English.
    let reports: Vec<Member> = include_str!("../../../parallax/tests/fixtures/german.jsonl")
        .lines()
        .take(2)
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let field = |k: &str| v[k].as_str().unwrap();
            let mut m = art(field("id"), field("outlet"), field("text"));
            m.article.language = Some("de".into());
            m
        })
        .collect();
    let level = |ms: &[Member]| {
        compare(&StoryId("s1".into()), ms, &Registry::default(), &[])
            .facts
            .iter()
            .filter(|f| f.kind == FactKind::Shared)
            .any(|f| f.mentions.iter().all(|m| m.text.contains("10,20 Meter")))
    };
    assert!(level(&reports));
    // Read with English rules, as before: not found.
    let english: Vec<Member> = reports
        .iter()
        .cloned()
        .map(|mut m| {
            m.article.language = None;
            m
        })
        .collect();
    assert!(!level(&english));
}
