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
