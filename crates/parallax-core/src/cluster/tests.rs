use super::*;
use crate::model::Article;

fn art(id: &str, title: &str, text: &str, day: &str) -> Article {
    Article::from_text(id, None, title, Some(day), text)
}

#[test]
fn look_alike_events_stay_apart_same_event_joins() {
    let docs = [
        art("a1", "Earthquake hits Chile", "A magnitude 7.1 earthquake struck northern Chile near Iquique on Monday, killing three people.", "2024-03-01"),
        art("b1", "Earthquake strikes Japan", "A magnitude 6.2 earthquake struck Hokkaido in Japan on Friday, injuring dozens near Sapporo.", "2024-03-01"),
        art("a2", "Chile quake kills three", "Three people died after the magnitude 7.1 earthquake near Iquique in northern Chile, officials said.", "2024-03-02"),
        art("b2", "Hokkaido quake injures dozens", "Dozens were injured in Sapporo when the 6.2 magnitude earthquake hit Hokkaido, Japan.", "2024-03-02"),
    ];
    let mut c = Clusterer::new(Config::default(), 0);
    let s: Vec<StoryId> = docs
        .iter()
        .map(|d| c.assign(&d.id, &features(d), None, None).story)
        .collect();
    assert_eq!(s[0], s[2]);
    assert_eq!(s[1], s[3]);
    assert_ne!(s[0], s[1]);
}

#[test]
fn pinned_and_copies_follow() {
    let a = art(
        "a",
        "Bridge closes",
        "The council closed the old bridge for repairs.",
        "2024-01-01",
    );
    let b = art(
        "b",
        "Election called",
        "The prime minister called an early election for June.",
        "2024-01-01",
    );
    let mut c = Clusterer::new(Config::default(), 0);
    let sa = c.assign(&a.id, &features(&a), None, None);
    assert!(sa.created);
    let sb = c.assign(&b.id, &features(&b), Some(&sa.story), None);
    assert_eq!(sb.story, sa.story);
    assert!(sb.pinned);
    let copy = art(
        "c",
        "Other words entirely",
        "Nothing in common at all here.",
        "2024-01-01",
    );
    let sc = c.assign(&copy.id, &features(&copy), None, Some(&a.id));
    assert_eq!(sc.story, sa.story);
}

#[test]
fn second_pass_splits_a_story_holding_two_events() {
    let a = [
        "Magnitude 7.1 earthquake near Iquique in Chile kills three, Tarapaca officials say",
        "Chile earthquake: Iquique residents count damage after the magnitude 7.1 quake in Tarapaca",
        "Three dead in Tarapaca as quake shakes Iquique, Chile",
        "Iquique quake in northern Chile: Tarapaca power cut, three dead",
    ];
    let b = [
        "Magnitude 6.2 earthquake hits Hokkaido near Sapporo, dozens injured, Japan says",
        "Sapporo residents injured as 6.2 quake shakes Hokkaido in Japan",
        "Hokkaido quake: trains halted across Japan's north island near Sapporo",
        "Dozens hurt in Sapporo as Hokkaido earthquake strikes Japan",
    ];
    let arts: Vec<Article> = a
        .iter()
        .chain(&b)
        .enumerate()
        .map(|(i, t)| art(&format!("x{i}"), t, t, "2024-03-01"))
        .collect();
    let feats: Vec<Features> = arts.iter().map(features).collect();
    let refs: Vec<&Features> = feats.iter().collect();
    let mask =
        super::refine::split(&refs, &|_| 1.0, Config::default().split_below).expect("two events");
    assert_eq!(
        mask,
        vec![false, false, false, false, true, true, true, true]
    );
    // One event alone is not split.
    assert!(super::refine::split(&refs[..4], &|_| 1.0, Config::default().split_below).is_none());
}

#[test]
fn sentence_initial_words_are_not_names() {
    // "Officials" opens a sentence, "Lyon" is capitalised inside one, "Dr." is an abbreviation.
    let a = art(
        "n",
        "",
        "Rain fell. Officials in Lyon said Dr. Martin left.",
        "2024-01-01",
    );
    let f = features(&a);
    let weight = |w: &str| {
        let t = crate::text::content_term(w).expect("a content word");
        f.terms
            .iter()
            .find(|(x, _)| x.as_str() == &*t)
            .map(|x| x.1)
            .expect("term kept")
    };
    let boosted = 1.0 + Config::default().name_boost.ln();
    assert_eq!(weight("Officials"), 1.0);
    assert!((weight("Lyon") - boosted).abs() < 1e-6);
    assert!((weight("Martin") - boosted).abs() < 1e-6);
}
