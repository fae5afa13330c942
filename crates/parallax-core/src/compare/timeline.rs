//! Dates inside running text, resolved against the article's publication day: "Feb. 18", "in November
//! 2024", "in January", "last week", "on Thursday", "yesterday". News means the past: a bare month or weekday
//! is the latest one on or before the publication day. No crate resolves these without reading the wall
//! clock or reading "Thursday" as the next one, so the tagger is written here.

use crate::extract::meta::month_number;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// How precise a resolved date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// A calendar day.
    Day,
    /// A Monday-to-Sunday week (the date is its Monday).
    Week,
    /// A month (the date is `YYYY-MM`).
    Month,
    /// A year.
    Year,
}

/// A date expression found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: String,
    /// Its precision.
    pub precision: Precision,
    /// Byte offsets of the expression within the sentence.
    pub start: usize,
    /// End offset.
    pub end: usize,
}

const MONTH: &str = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?";

fn re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        let p = format!(
            r"(?x)
            \b(?P<iso>(?:19|20)\d\d-\d\d-\d\d)\b
          | \b(?P<md>{m})\s+(?P<mdd>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<mdy>(?:19|20)\d\d)\b)?
          | \b(?P<dm>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dmm>{m})(?:,?\s+(?P<dmy>(?:19|20)\d\d)\b)?
          | \b(?:in|since|by|until|from|during|last|early|late|mid-?|of|through|before|after)\s+(?P<mo>{m})(?:\s+(?P<moy>(?:19|20)\d\d))?\b
          | \b(?P<rel>last\s+week|this\s+week|last\s+month|last\s+year|yesterday|today|the\s+previous\s+week|a\s+week\s+ago)\b
          | \b(?:on|last|this\s+past)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b
          | \b(?P<wd2>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b
          | \b(?:in|since|by|until|during)\s+(?P<yr>(?:19|20)\d\d)\b",
            m = MONTH
        );
        Regex::new(&p).expect("valid regex")
    })
}

/// Date expressions of a sentence, resolved against `published`.
pub fn dates(sentence: &str, published: NaiveDate) -> Vec<DateMention> {
    let mut out = Vec::new();
    for c in re().captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let (start, end) = (m.start(), m.end());
        let push = |out: &mut Vec<DateMention>, date: String, precision| {
            out.push(DateMention {
                date,
                precision,
                start,
                end,
            })
        };
        if let Some(iso) = c.name("iso") {
            if let Ok(d) = NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d") {
                push(&mut out, d.to_string(), Precision::Day);
            }
        } else if let (Some(mo), Some(day)) = (
            c.name("md").or(c.name("dmm")),
            c.name("mdd").or(c.name("dm")),
        ) {
            let year = c
                .name("mdy")
                .or(c.name("dmy"))
                .and_then(|y| y.as_str().parse().ok());
            if let (Some(mn), Ok(d)) = (month_number(mo.as_str()), day.as_str().parse::<u32>()) {
                if let Some(date) = resolve_day(mn, d, year, published) {
                    push(&mut out, date.to_string(), Precision::Day);
                }
            }
        } else if let Some(mo) = c.name("mo") {
            let Some(mn) = month_number(mo.as_str()) else {
                continue;
            };
            let year = c
                .name("moy")
                .and_then(|y| y.as_str().parse::<i32>().ok())
                .unwrap_or_else(|| {
                    if mn <= published.month() {
                        published.year()
                    } else {
                        published.year() - 1
                    }
                });
            push(&mut out, format!("{year:04}-{mn:02}"), Precision::Month);
        } else if let Some(rel) = c.name("rel") {
            let r = rel.as_str().to_lowercase();
            let r: String = r.split_whitespace().collect::<Vec<_>>().join(" ");
            match r.as_str() {
                "last week" | "the previous week" | "a week ago" => {
                    let monday = week_monday(published - Duration::days(7));
                    push(&mut out, monday.to_string(), Precision::Week);
                }
                "this week" => push(
                    &mut out,
                    week_monday(published).to_string(),
                    Precision::Week,
                ),
                "last month" => {
                    let d = published.with_day(1).expect("day 1") - Duration::days(1);
                    push(
                        &mut out,
                        format!("{:04}-{:02}", d.year(), d.month()),
                        Precision::Month,
                    );
                }
                "last year" => push(
                    &mut out,
                    format!("{:04}", published.year() - 1),
                    Precision::Year,
                ),
                "yesterday" => push(
                    &mut out,
                    (published - Duration::days(1)).to_string(),
                    Precision::Day,
                ),
                "today" => push(&mut out, published.to_string(), Precision::Day),
                _ => {}
            }
        } else if let Some(wd) = c.name("wd").or(c.name("wd2")) {
            let Ok(w) = wd.as_str().parse::<Weekday>() else {
                continue;
            };
            // The latest such weekday before the publication day ("on Thursday" in Friday's paper).
            let mut d = published - Duration::days(1);
            while d.weekday() != w {
                d -= Duration::days(1);
            }
            push(&mut out, d.to_string(), Precision::Day);
        } else if let Some(y) = c.name("yr") {
            push(&mut out, y.as_str().to_string(), Precision::Year);
        }
    }
    out
}

fn week_monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// A month and day without a year is in the publication year, unless that is well after publication.
fn resolve_day(month: u32, day: u32, year: Option<i32>, published: NaiveDate) -> Option<NaiveDate> {
    if let Some(y) = year {
        return NaiveDate::from_ymd_opt(y, month, day);
    }
    let d = NaiveDate::from_ymd_opt(published.year(), month, day)?;
    if d > published + Duration::days(60) {
        NaiveDate::from_ymd_opt(published.year() - 1, month, day)
    } else {
        Some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(s: &str) -> Vec<(String, Precision)> {
        let p = NaiveDate::from_ymd_opt(2025, 2, 21).unwrap();
        dates(s, p)
            .into_iter()
            .map(|d| (d.date, d.precision))
            .collect()
    }

    #[test]
    fn resolves_against_publication() {
        assert_eq!(
            on("On Feb. 18, they met."),
            vec![("2025-02-18".into(), Precision::Day)]
        );
        assert_eq!(
            on("after he won in November 2024 but before January."),
            vec![
                ("2024-11".into(), Precision::Month),
                ("2025-01".into(), Precision::Month)
            ]
        );
        assert_eq!(
            on("since his victory in November"),
            vec![("2024-11".into(), Precision::Month)]
        );
        assert_eq!(
            on("A meeting took place last week in Geneva."),
            vec![("2025-02-10".into(), Precision::Week)]
        );
        assert_eq!(
            on("Reuters reported Thursday."),
            vec![("2025-02-20".into(), Precision::Day)]
        );
        assert!(on("Maybe they may agree.").is_empty());
    }
}
