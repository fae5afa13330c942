use super::*;
use crate::model::Article;

fn art(id: &str, title: &str, text: &str, day: &str) -> Article {
    Article::from_text(id, None, title, Some(day), text)
}

/// A short report of a local event, "a", dated 2024-01-01.
fn bridge_closes() -> Article {
    art(
        "a",
        "Bridge closes",
        "The council closed the old bridge for repairs.",
        "2024-01-01",
    )
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
    let a = bridge_closes();
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

/// Headlines of two look-alike events: a quake in Chile and one in Japan, six reports each.
const CHILE: [&str; 6] = [
    "Magnitude 7.1 earthquake near Iquique in Chile kills three, Tarapaca officials say",
    "Chile earthquake: Iquique residents count damage after the magnitude 7.1 quake in Tarapaca",
    "Three dead in Tarapaca as quake shakes Iquique, Chile",
    "Iquique quake in northern Chile: Tarapaca power cut, three dead",
    "Tarapaca governor visits Iquique after deadly Chile quake",
    "Chile's navy lifts tsunami alert for Iquique after Tarapaca quake",
];
const JAPAN: [&str; 6] = [
    "Magnitude 6.2 earthquake hits Hokkaido near Sapporo, dozens injured, Japan says",
    "Sapporo residents injured as 6.2 quake shakes Hokkaido in Japan",
    "Hokkaido quake: trains halted across Japan's north island near Sapporo",
    "Dozens hurt in Sapporo as Hokkaido earthquake strikes Japan",
    "Japan sends troops to Hokkaido after Sapporo quake",
    "Sapporo airport reopens as Japan counts Hokkaido quake damage",
];

#[test]
fn second_pass_splits_a_story_holding_two_events() {
    let (a, b) = (CHILE, JAPAN);
    let arts: Vec<Article> = a
        .iter()
        .chain(&b)
        .enumerate()
        .map(|(i, t)| art(&format!("x{i}"), t, t, "2024-03-01"))
        .collect();
    let feats: Vec<Features> = arts.iter().map(features).collect();
    let terms: Vec<Vec<(&str, f32)>> = feats.iter().map(|f| f.terms().collect()).collect();
    let refs: Vec<&[(&str, f32)]> = terms.iter().map(|t| &t[..]).collect();
    let cfg = Config::default();
    let min_half = cfg.merge_small as usize + 1;
    let mask =
        super::refine::split(&refs, &|_| 1.0, cfg.split_below, min_half).expect("two events");
    assert_eq!(mask, [[false; 6], [true; 6]].concat());
    // Halves smaller than `min_half` are fragments, not events: no split.
    assert!(super::refine::split(&refs, &|_| 1.0, cfg.split_below, 7).is_none());
    // Halves as alike as one event's reports are no split either.
    assert!(super::refine::split(&refs, &|_| 1.0, 0.01, min_half).is_none());
}

#[test]
fn an_outlier_does_not_hide_two_events_from_the_split_check() {
    // Two look-alike events whose reports all say "quake", and one off-topic article, farthest from
    // everything: seeding the halves with the two articles farthest apart gives that article against all
    // the others, and no split.
    let outlier = "Cyclists race through Lyon vineyards as the Tour reaches Burgundy hills";
    let arts: Vec<Article> = CHILE
        .iter()
        .chain(&JAPAN)
        .map(|t| t.replace("earthquake", "quake"))
        .chain(std::iter::once(outlier.to_string()))
        .enumerate()
        .map(|(i, t)| art(&format!("x{i}"), &t, &t, "2024-03-01"))
        .collect();
    let feats: Vec<Features> = arts.iter().map(features).collect();
    let terms: Vec<Vec<(&str, f32)>> = feats.iter().map(|f| f.terms().collect()).collect();
    let refs: Vec<&[(&str, f32)]> = terms.iter().map(|t| &t[..]).collect();
    let cfg = Config::default();
    let mask = super::refine::split(&refs, &|_| 1.0, cfg.split_below, 6).expect("two events");
    assert_eq!(&mask[..12], &[[false; 6], [true; 6]].concat()[..]);
}

#[test]
fn the_same_kind_of_event_in_another_year_splits() {
    // Six reports of a launch in 2009 and six of one in 2012, alike but for their own details: the halves
    // are too similar for the cosine test alone, but one names 2009 and the other 2012.
    const DETAILS: [&str; 36] = [
        "keynote",
        "battery",
        "price",
        "display",
        "stores",
        "graphics",
        "memory",
        "storage",
        "weight",
        "aluminium",
        "trackpad",
        "keyboard",
        "camera",
        "speakers",
        "ports",
        "charger",
        "warranty",
        "colours",
        "reviewers",
        "analysts",
        "shares",
        "investors",
        "rivals",
        "schools",
        "students",
        "designers",
        "developers",
        "gamers",
        "travellers",
        "engineers",
        "retailers",
        "carriers",
        "suppliers",
        "factories",
        "shipping",
        "preorders",
    ];
    let report = |year: &str, i: usize| {
        let d = &DETAILS[3 * i..3 * i + 3];
        format!(
            "Apple unveils MacBook laptop {year} {} {} {}",
            d[0], d[1], d[2]
        )
    };
    let split = |years: [&str; 2]| {
        let arts: Vec<Article> = (0..12)
            .map(|i| {
                let t = report(years[i / 6], i);
                art(&format!("x{i}"), &t, &t, "")
            })
            .collect();
        let feats: Vec<Features> = arts.iter().map(features).collect();
        let terms: Vec<Vec<(&str, f32)>> = feats.iter().map(|f| f.terms().collect()).collect();
        let refs: Vec<&[(&str, f32)]> = terms.iter().map(|t| &t[..]).collect();
        super::refine::split(&refs, &|_| 1.0, Config::default().split_below, 6)
    };
    assert_eq!(
        split(["2009", "2012"]),
        Some([[false; 6], [true; 6]].concat())
    );
    // Without the years, the same reports are one event.
    assert_eq!(split(["", ""]), None);
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
        f.terms()
            .find(|(x, _)| *x == &*t)
            .map(|x| x.1)
            .expect("term kept")
    };
    let boosted = 1.0 + Config::default().name_boost.ln();
    assert_eq!(weight("Officials"), 1.0);
    assert!((weight("Lyon") - boosted).abs() < 1e-6);
    assert!((weight("Martin") - boosted).abs() < 1e-6);
}

#[test]
fn merge_step_folds_fragments_into_their_event_only() {
    let mut c = Clusterer::new(Config::default(), 0);
    let sid = |s: &str| StoryId(s.to_string());
    let mut put = |id: &str, text: &str, story: &str| {
        let a = art(id, text, text, "2024-03-01");
        c.assign(&a.id, &features(&a), Some(&sid(story)), None);
    };
    // Two look-alike events of six reports each (placed as corrections would place them), and fragments:
    // a report of each event on its own, an unrelated report, a Chile report held by a correction, and two
    // Japanese reports in stories of one each.
    for i in 0..6 {
        put(&format!("c{i}"), CHILE[i], "s1");
        put(&format!("j{i}"), JAPAN[i], "s2");
    }
    put(
        "c7",
        "Chile's president flies to Iquique after the Tarapaca quake",
        "s3",
    );
    put(
        "j8",
        "Japan's Hokkaido counts quake damage near Sapporo",
        "s4",
    );
    put(
        "e",
        "The prime minister called an early election for June",
        "s5",
    );
    put("c6", "Iquique quake: Chile rebuilds in Tarapaca", "s6");
    put(
        "j6",
        "Sapporo schools reopen after Hokkaido quake in Japan",
        "s7",
    );
    put(
        "j7",
        "Hokkaido rail lines near Sapporo reopen after Japan quake",
        "s8",
    );
    let all: Vec<StoryId> = (1..=8).map(|i| sid(&format!("s{i}"))).collect();
    let frozen: std::collections::HashSet<StoryId> = [sid("s6")].into();
    let merges = c.merge_fragments(&all[2..], &frozen);
    assert!(merges
        .iter()
        .all(|m| m.score >= Config::default().merge_above));
    let of = |id: &str| c.story_of(&ArticleId(id.into())).cloned().expect("placed");
    assert_eq!(of("c7"), sid("s1"));
    assert_eq!(of("j8"), sid("s2"));
    assert_eq!(of("j6"), sid("s2"));
    assert_eq!(of("j7"), sid("s2"));
    assert_eq!(of("e"), sid("s5"));
    assert_eq!(of("c6"), sid("s6"));
    assert_eq!(c.story_size(&sid("s1")), 7);
    assert_eq!(c.story_size(&sid("s2")), 9);
    assert_eq!(c.story_size(&sid("s3")), 0);
    // Nothing is left to merge.
    assert!(c.merge_fragments(&all, &frozen).is_empty());
}

#[test]
fn two_fragments_stay_apart() {
    // Look-alike stories of two reports each: the online pass kept them apart, and no larger story
    // vouches for joining them.
    let mut c = Clusterer::new(Config::default(), 0);
    let mut stories = Vec::new();
    for (i, t) in [CHILE[0], JAPAN[0], CHILE[2], JAPAN[1]].iter().enumerate() {
        let a = art(&format!("x{i}"), t, t, "2024-03-01");
        stories.push(c.assign(&a.id, &features(&a), None, None).story);
    }
    assert_eq!(stories[0], stories[2]);
    assert_eq!(stories[1], stories[3]);
    assert!(c.merge_fragments(&stories, &Default::default()).is_empty());
}

#[test]
fn reseat_rebuilds_a_story_from_its_members() {
    let a = bridge_closes();
    let b = art(
        "b",
        "Bridge shut",
        "The old bridge is shut for repairs, the council said.",
        "2024-01-02",
    );
    let mut c = Clusterer::new(Config::default(), 0);
    let s = c.assign(&a.id, &features(&a), None, None).story;
    assert_eq!(c.assign(&b.id, &features(&b), None, None).story, s);
    let new = StoryId("s9".into());
    c.reseat(&s, &[(a.id.clone(), Some(features(&a)))]);
    c.reseat(
        &new,
        &[
            (b.id.clone(), Some(features(&b))),
            (ArticleId("copy".into()), None),
        ],
    );
    assert_eq!(c.story_size(&s), 1);
    assert_eq!(c.story_size(&new), 1);
    assert_eq!(c.story_of(&b.id), Some(&new));
    assert_eq!(c.story_of(&ArticleId("copy".into())), Some(&new));
    // Later articles find the new story through the index, and new ids do not reuse its number.
    let d = art(
        "d",
        "Bridge reopens soon",
        "The old bridge shut for repairs will reopen, the council said.",
        "2024-01-03",
    );
    let placed = c.assign(&d.id, &features(&d), None, None);
    assert!(!placed.created);
    let e = art(
        "e",
        "Election called",
        "The prime minister called an early election for June.",
        "2024-01-03",
    );
    assert_eq!(
        c.assign(&e.id, &features(&e), None, None).story,
        StoryId("s10".into())
    );
}

/// A clusterer holding a January story about a bridge (returned with its first article and text) and a
/// thousand unrelated articles five months later: the sweep has run, and the January story is far past its
/// closing window.
fn january_story_swept() -> (Clusterer, StoryId, Article, &'static str) {
    let mut c = Clusterer::new(Config::default(), 0);
    let text =
        "The council closed the old Wexford bridge for repairs after inspectors found cracks.";
    let a = art("a", "Wexford bridge closes", text, "2024-01-01");
    let s1 = c.assign(&a.id, &features(&a), None, None).story;
    for i in 0..1000 {
        let x = art(
            &format!("x{i}"),
            &format!("Item{i} report"),
            &format!("Word{i} alpha{i} beta{i} gamma{i}."),
            "2024-06-01",
        );
        c.assign(&x.id, &features(&x), None, None);
    }
    (c, s1, a, text)
}

#[test]
fn stories_closed_long_ago_leave_the_index_until_they_receive_an_article() {
    let (mut c, s1, _, text) = january_story_swept();
    // A late copy of the January report (backfill) finds nothing to join, as the story is out of the index.
    let b = art("b", "Wexford bridge closes", text, "2024-01-02");
    assert!(c.assign(&b.id, &features(&b), None, None).created);
    // A correction puts an article in the January story: it is indexed again and found.
    let p = art("p", "Wexford bridge repairs", text, "2024-01-02");
    assert_eq!(c.assign(&p.id, &features(&p), Some(&s1), None).story, s1);
    let d = art("d", "Wexford bridge closes", text, "2024-01-03");
    let placed = c.assign(&d.id, &features(&d), None, None);
    assert!(placed.story == s1 || placed.runner_up.is_some_and(|(s, _)| s == s1));
}

#[test]
fn a_story_closed_long_ago_stays_out_of_the_index_when_rebuilt() {
    let (mut c, s1, a, text) = january_story_swept();
    // The split check rebuilds the January story (and the half it gave off): both stay swept, so a late
    // article does not find them, as it would not have before the rebuild.
    let new = StoryId("s5000".into());
    c.reseat(&s1, &[(a.id.clone(), Some(features(&a)))]);
    c.reseat(&new, &[(ArticleId("a2".into()), Some(features(&a)))]);
    assert_eq!(c.story_size(&s1), 1);
    assert_eq!(c.story_of(&ArticleId("a2".into())), Some(&new));
    let b = art("b", "Wexford bridge closes", text, "2024-01-02");
    assert!(c.assign(&b.id, &features(&b), None, None).created);
    assert!(!c.index.values().flatten().any(|&s| {
        let id = &c.stories[s as usize].id;
        *id == s1 || *id == new
    }));
}

#[test]
fn stored_weights_read_as_the_formatter_writes_them() {
    let mut w = 0.0f32;
    while w < 40.0 {
        let f = Features::new([("x", w)], None);
        assert_eq!(f.terms_to_string(), format!("x {w:.2}"), "{w}");
        w += 0.0013;
    }
    for w in [
        1.125f32,
        2.675,
        0.005,
        0.015,
        9.995,
        1.0 + 3f32.ln(),
        123456.78,
    ] {
        let f = Features::new([("x", w)], None);
        assert_eq!(f.terms_to_string(), format!("x {w:.2}"), "{w}");
    }
}
