//! Framing and entities. Framing: for one referent, the labels outlets choose ("Russia's war in Ukraine",
//! "the conflict", "special military operation"), from a built-in lexicon users can extend, and evaluative
//! ("loaded") words per outlet. Entities: capitalised name sequences, typed by a small gazetteer and by the
//! words around them (rule-based: no offline named-entity model exists in the registries).

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A referent and the patterns of the labels outlets use for it.
pub struct Referent {
    /// What is referred to.
    pub name: &'static str,
    /// Label patterns (case-insensitive regexes).
    pub labels: &'static [&'static str],
}

/// Built-in referents.
pub const REFERENTS: &[Referent] = &[
    Referent {
        name: "the war in Ukraine",
        labels: &[
            r"Russia(?:'s|’s)\s+(?:full-scale\s+)?war\s+(?:in|against|on)\s+Ukraine",
            r"Russia(?:'s|’s)\s+(?:full-scale\s+)?invasion(?:\s+of\s+Ukraine)?",
            r"(?:the\s+)?special\s+military\s+operation",
            r"(?:the\s+)?(?:Ukraine|Ukrainian)\s+(?:conflict|crisis)",
            r"(?:the\s+)?conflict\s+in\s+Ukraine",
            r"(?:the\s+)?war\s+in\s+Ukraine",
            r"Russian\s+aggression",
            r"(?:the\s+)?Russia-Ukraine\s+(?:war|conflict)",
        ],
    },
    Referent {
        name: "the war in Gaza",
        labels: &[
            r"Israel(?:'s|’s)\s+war\s+(?:in|on|against)\s+Gaza",
            r"(?:the\s+)?Israel-Hamas\s+war",
            r"(?:the\s+)?war\s+in\s+Gaza",
            r"(?:the\s+)?Gaza\s+(?:war|conflict)",
            r"genocide\s+in\s+Gaza",
        ],
    },
];

/// Evaluative words that carry a judgement.
const LOADED: &[&str] = &[
    "regime",
    "propagandists",
    "propaganda",
    "puppet",
    "terrorists",
    "terrorist",
    "so-called",
    "supposed",
    "brutal",
    "heroic",
    "aggressor",
    "occupiers",
    "invaders",
    "junta",
    "militants",
    "martyrs",
    "slammed",
    "blasted",
    "draconian",
    "sham",
    "illegal",
    "illegitimate",
    "atrocities",
    "genocide",
    "massacre",
    "thugs",
    "extremists",
];

fn compiled() -> &'static Vec<(usize, Regex)> {
    static C: OnceLock<Vec<(usize, Regex)>> = OnceLock::new();
    C.get_or_init(|| {
        let mut v = Vec::new();
        for (i, r) in REFERENTS.iter().enumerate() {
            for l in r.labels {
                v.push((
                    i,
                    Regex::new(&format!(r"(?i)\b{l}\b")).expect("valid label"),
                ));
            }
        }
        v
    })
}

/// A label found in a sentence: referent index and byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The referent's name.
    pub referent: &'static str,
    /// Start offset in the sentence.
    pub start: usize,
    /// End offset.
    pub end: usize,
}

/// Framing labels in a sentence (longest first when they overlap).
pub fn labels(sentence: &str) -> Vec<Label> {
    let mut out: Vec<Label> = Vec::new();
    for (i, re) in compiled() {
        for m in re.find_iter(sentence) {
            if out.iter().any(|l| l.start < m.end() && m.start() < l.end) {
                continue;
            }
            out.push(Label {
                referent: REFERENTS[*i].name,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    out.sort_by_key(|l| l.start);
    out
}

/// Loaded words in a sentence: byte offsets.
pub fn loaded(sentence: &str) -> Vec<(usize, usize)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(&format!(r"(?i)\b(?:{})\b", LOADED.join("|"))).expect("valid regex")
    });
    r.find_iter(sentence)
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// What kind of entity a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A person.
    Person,
    /// An organisation.
    Organisation,
    /// A place.
    Place,
    /// An event or other named thing.
    Other,
}

const PLACES: &[&str] = &[
    "Afghanistan",
    "Africa",
    "Albania",
    "Algeria",
    "America",
    "Argentina",
    "Armenia",
    "Asia",
    "Australia",
    "Austria",
    "Azerbaijan",
    "Baghdad",
    "Bangladesh",
    "Beijing",
    "Belarus",
    "Belgium",
    "Berlin",
    "Brazil",
    "Britain",
    "Brussels",
    "Bulgaria",
    "Canada",
    "Chile",
    "China",
    "Colombia",
    "Crimea",
    "Croatia",
    "Cuba",
    "Czech Republic",
    "Damascus",
    "Denmark",
    "Donbas",
    "Donetsk",
    "Egypt",
    "England",
    "Estonia",
    "Ethiopia",
    "Europe",
    "Finland",
    "France",
    "Gaza",
    "Geneva",
    "Georgia",
    "Germany",
    "Greece",
    "Hungary",
    "India",
    "Indonesia",
    "Iran",
    "Iraq",
    "Ireland",
    "Israel",
    "Istanbul",
    "Italy",
    "Japan",
    "Jerusalem",
    "Jordan",
    "Kazakhstan",
    "Kenya",
    "Kharkiv",
    "Kherson",
    "Kyiv",
    "Kiev",
    "Latvia",
    "Lebanon",
    "Libya",
    "Lithuania",
    "London",
    "Luhansk",
    "Mexico",
    "Moldova",
    "Moscow",
    "Munich",
    "Nigeria",
    "North Korea",
    "Norway",
    "Odesa",
    "Pakistan",
    "Paris",
    "Poland",
    "Portugal",
    "Riyadh",
    "Romania",
    "Russia",
    "Saudi Arabia",
    "Scotland",
    "Serbia",
    "Slovakia",
    "South Africa",
    "South Korea",
    "Spain",
    "Sudan",
    "Sweden",
    "Switzerland",
    "Syria",
    "Taiwan",
    "Tehran",
    "Thailand",
    "Tokyo",
    "Turkey",
    "Ukraine",
    "United Kingdom",
    "United States",
    "Venezuela",
    "Vietnam",
    "Warsaw",
    "Washington",
    "Yemen",
    "Zaporizhzhia",
    "Geneva",
    "Iquique",
];

const ORG_WORDS: &[&str] = &[
    "Agency",
    "Army",
    "Association",
    "Bank",
    "Committee",
    "Commission",
    "Conference",
    "Congress",
    "Council",
    "Court",
    "Department",
    "Forces",
    "Fund",
    "Government",
    "Group",
    "House",
    "Institute",
    "Kremlin",
    "Ministry",
    "NATO",
    "Office",
    "Organization",
    "Organisation",
    "Parliament",
    "Party",
    "Pentagon",
    "Police",
    "Senate",
    "Service",
    "Union",
    "University",
    "UN",
    "EU",
];

const TITLE_WORDS: &[&str] = &[
    "US",
    "U.S.",
    "UK",
    "Russian",
    "Ukrainian",
    "American",
    "British",
    "French",
    "German",
    "Chinese",
    "Israeli",
    "Secretary",
    "State",
    "Minister",
    "Foreign",
    "Defense",
    "Defence",
    "Interior",
    "Finance",
    "President",
    "Presidential",
    "Prime",
    "Vice",
    "National",
    "Security",
    "Advisor",
    "Adviser",
    "Chancellor",
    "Senator",
    "Governor",
    "Mayor",
    "General",
    "Ambassador",
    "Speaker",
    "Deputy",
    "Chief",
    "Former",
    "Mr.",
    "Ms.",
    "Mrs.",
    "Dr.",
];

/// Nationality and regional adjectives, which alone name no entity.
const DEMONYMS: &[&str] = &[
    "Afghan",
    "African",
    "American",
    "Arab",
    "Argentine",
    "Armenian",
    "Asian",
    "Australian",
    "Austrian",
    "Azerbaijani",
    "Belarusian",
    "Belgian",
    "Brazilian",
    "British",
    "Bulgarian",
    "Canadian",
    "Chilean",
    "Chinese",
    "Colombian",
    "Croatian",
    "Cuban",
    "Czech",
    "Danish",
    "Dutch",
    "Egyptian",
    "Emirati",
    "English",
    "Estonian",
    "Ethiopian",
    "European",
    "Filipino",
    "Finnish",
    "French",
    "Georgian",
    "German",
    "Greek",
    "Hungarian",
    "Indian",
    "Indonesian",
    "Iranian",
    "Iraqi",
    "Irish",
    "Israeli",
    "Italian",
    "Japanese",
    "Jordanian",
    "Kazakh",
    "Kenyan",
    "Korean",
    "Latvian",
    "Lebanese",
    "Libyan",
    "Lithuanian",
    "Mexican",
    "Moldovan",
    "Nigerian",
    "Norwegian",
    "Pakistani",
    "Palestinian",
    "Polish",
    "Portuguese",
    "Qatari",
    "Romanian",
    "Russian",
    "Saudi",
    "Scottish",
    "Serbian",
    "Slovak",
    "Soviet",
    "Spanish",
    "Sudanese",
    "Swedish",
    "Swiss",
    "Syrian",
    "Taiwanese",
    "Thai",
    "Turkish",
    "Ukrainian",
    "Venezuelan",
    "Vietnamese",
    "Welsh",
    "Western",
    "Yemeni",
];

const PERSON_CUES: &[&str] = &[
    "President",
    "Minister",
    "Secretary",
    "Advisor",
    "Adviser",
    "aide",
    "Chancellor",
    "Prime",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "Senator",
    "Governor",
    "Mayor",
    "General",
    "Ambassador",
    "envoy",
    "Speaker",
    "CEO",
    "Mr.",
    "Ms.",
    "Mrs.",
    "Dr.",
    "leader",
];

/// Names in a sentence with their kinds and byte offsets.
pub fn entities(sentence: &str) -> Vec<(String, EntityKind, usize, usize)> {
    entities_in(sentence, crate::text::analyzer(None))
}

/// [`entities`] in a sentence of the language `an` reads: its stop words open no name ("Die Stadt"), and
/// outside English a run of two or three capitalised words is not taken for a person (German capitalises
/// every noun: "Der Pegel", "Die Schulen").
pub fn entities_in(
    sentence: &str,
    an: &crate::text::Analyzer,
) -> Vec<(String, EntityKind, usize, usize)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(
            r"\b[A-Z][\p{L}'’.-]*[\p{L}](?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\p{L}'’.-]*[\p{L}])*",
        )
        .expect("valid regex")
    });
    let mut out = Vec::new();
    for m in r.find_iter(sentence) {
        let raw = m.as_str().trim_end_matches(['’', '\'']);
        // Leading titles ("US Secretary of State", "Russian Foreign Minister") are cues, not the name.
        let words: Vec<&str> = raw.split_whitespace().collect();
        // A sentence's capitalised first word that is a function word ("On Feb. 18", "In Geneva") is not
        // part of the name ("The" is: "The Hague").
        let opener = usize::from(
            sentence[..m.start()].trim().is_empty()
                && words.first().is_some_and(|w| {
                    let w = w.to_lowercase();
                    w != "the" && an.is_stop(&w)
                }),
        );
        let skip = opener
            + words[opener..]
                .iter()
                .take_while(|w| TITLE_WORDS.contains(w) || matches!(**w, "of" | "the"))
                .count();
        if skip == words.len() {
            continue;
        }
        let titled = skip > 0 && words[..skip].iter().any(|w| PERSON_CUES.contains(w));
        let offset = words[..skip].iter().map(|w| w.len()).sum::<usize>();
        let start = m.start() + raw[..].find(words[skip]).unwrap_or(offset);
        let mut name = raw[start - m.start()..].to_string();
        for suffix in ["’s", "'s"] {
            if let Some(n) = name.strip_suffix(suffix) {
                name = n.to_string();
            }
        }
        let at_start = sentence[..start].trim().is_empty();
        let single = !name.contains(' ');
        let lower = name.to_lowercase();
        if single
            && (at_start || an.is_stop(&lower))
            && !(PLACES.contains(&name.as_str()) || ORG_WORDS.contains(&name.as_str()))
        {
            continue;
        }
        // A nationality alone ("European allies", "Western officials") describes; it names no one.
        if single && DEMONYMS.contains(&name.as_str()) {
            continue;
        }
        if PERSON_CUES.iter().any(|c| c.eq_ignore_ascii_case(&name))
            || crate::extract::meta::month_number(&name).is_some()
        {
            continue;
        }
        if matches!(
            name.as_str(),
            "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday"
        ) {
            continue;
        }
        let before: String = sentence[..start]
            .split_whitespace()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        let kind = if PLACES.contains(&name.as_str()) {
            EntityKind::Place
        } else if name.split_whitespace().any(|w| ORG_WORDS.contains(&w)) {
            EntityKind::Organisation
        } else if titled
            || PERSON_CUES.iter().any(|c| before.contains(c))
            // "the Biden administration", "the Trump campaign"
            || sentence[start + name.len()..]
                .split_whitespace()
                .next()
                .is_some_and(|w| {
                    matches!(
                        w.trim_end_matches(|c: char| !c.is_alphanumeric()),
                        "administration" | "campaign"
                    )
                })
            || (an.is_english()
                && name.split_whitespace().count() >= 2
                && name.split_whitespace().count() <= 3
                && !name.contains(" of "))
        {
            EntityKind::Person
        } else {
            EntityKind::Other
        };
        let end = start + name.len();
        out.push((name, kind, start, end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_labels() {
        let l = labels("They discussed Russia’s war in Ukraine and the war in Ukraine.");
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].referent, "the war in Ukraine");
    }

    #[test]
    fn in_german_an_article_opens_no_name_and_capitalised_nouns_are_no_people() {
        let de = crate::text::analyzer(Some("de"));
        let e = entities_in("Die Schulen in der Innenstadt bleiben geschlossen.", de);
        assert!(e.iter().all(|x| !x.0.starts_with("Die")), "{e:?}");
        assert!(e.iter().all(|x| x.1 != EntityKind::Person), "{e:?}");
        let e = entities_in("Der Pegel der Donau steigt.", de);
        assert!(e.iter().all(|x| x.0 != "Der Pegel"), "{e:?}");
        assert!(e.iter().any(|x| x.0 == "Donau"), "{e:?}");
        // English as before: two capitalised words are a person.
        let e = entities("Officials said Jane Doe left.");
        assert_eq!(e[0].1, EntityKind::Person, "{e:?}");
    }

    #[test]
    fn entity_kinds() {
        let e = entities(
            "US Secretary of State Marco Rubio met in Riyadh with the Munich Security Conference.",
        );
        let find = |n: &str| e.iter().find(|x| x.0 == n).map(|x| x.1);
        assert_eq!(find("Marco Rubio"), Some(EntityKind::Person));
        // A sentence's first word that is a function word is no part of a name; a month is no name.
        let e = entities("On Feb. 18, the US and Russia held a meeting in Riyadh.");
        assert!(e.iter().all(|x| !x.0.contains("Feb")), "{e:?}");
        assert!(entities("In Geneva the talks went on.")
            .iter()
            .any(|x| x.0 == "Geneva"));
        assert_eq!(find("Riyadh"), Some(EntityKind::Place));
        assert_eq!(
            find("Munich Security Conference"),
            Some(EntityKind::Organisation)
        );
        let e = entities("During the Biden administration, officials met.");
        assert_eq!(
            e.iter().find(|x| x.0 == "Biden").map(|x| x.1),
            Some(EntityKind::Person)
        );
        // A nationality alone is no entity; in a name it stays.
        let e = entities("Washington surprised European allies, the European Union said.");
        assert!(e.iter().all(|x| x.0 != "European"), "{e:?}");
        assert!(e.iter().any(|x| x.0 == "European Union"), "{e:?}");
    }
}
