//! The plain data every stage passes along: raw input records, clean articles, stories, and the comparison
//! report. No behaviour lives here beyond small constructors; stages are functions in their own modules.

use serde::{Deserialize, Serialize};

/// An article's stable identity: the given `id`, else its canonical URL, else a hash of its content.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub String);

/// A story's stable identity (`s` followed by a number, assigned in order of creation).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StoryId(pub String);

impl std::fmt::Display for ArticleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for StoryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a reader found in its input, before extraction: either markup to extract from, or text that is
/// already (more or less) the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Body {
    /// An HTML page or fragment.
    Html(String),
    /// Flattened page text (a scrape, a `.txt` export): may still hold navigation and boilerplate.
    Flat(String),
    /// A Markdown export (`# Title`, date line, credits, body, `Original url:`).
    Markdown(String),
    /// Text already clean (a JSONL `text` field): only whitespace is tidied.
    Clean(String),
}

/// One article as read from an input, with whatever metadata the input itself carried.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawArticle {
    /// Where it came from: a path, a URL, `-` for stdin, plus `#n` for the n-th record of a container.
    pub source: String,
    /// An id given by the input (JSONL `id`, feed item guid).
    pub id: Option<String>,
    /// URL given by the input (feed link, WARC target URI, JSONL `url`).
    pub url: Option<String>,
    /// Outlet given by the input (feed title, JSONL `outlet`).
    pub outlet: Option<String>,
    /// Title given by the input.
    pub title: Option<String>,
    /// Publication date given by the input, as written (normalised later).
    pub published: Option<String>,
    /// Authors given by the input.
    pub authors: Vec<String>,
    /// Language given by the input (a feed's or an item's, JSONL `language`), as written.
    pub language: Option<String>,
    /// The content.
    pub body: Option<Body>,
}

/// A warning about one extracted article; extraction never fails, it warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// The body has fewer than 80 words.
    ShortBody,
    /// The page looks like a paywall teaser.
    PaywallSuspected,
    /// No publication date was found.
    NoDate,
    /// No outlet could be named.
    NoOutlet,
    /// The body is empty.
    EmptyBody,
}

/// A clean article: body without boilerplate, and its metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identity.
    pub id: ArticleId,
    /// Canonical URL, if known.
    pub url: Option<String>,
    /// Outlet display name ("Kyiv Post").
    pub outlet: Option<String>,
    /// Headline.
    pub title: String,
    /// `YYYY-MM-DD` or RFC 3339.
    pub published: Option<String>,
    /// Bylines, cleaned.
    pub authors: Vec<String>,
    /// ISO 639-1 code.
    pub language: Option<String>,
    /// Clean body; paragraphs separated by blank lines. All offsets in reports are byte offsets into this.
    pub text: String,
    /// Photo credits ("Artem Geodakyan / TASS").
    pub credits: Vec<String>,
    /// What looked wrong.
    pub warnings: Vec<Warning>,
    /// The input path or URL it came from.
    pub source: String,
}

impl Article {
    /// An article from already clean text (JSONL records, tests, benchmarks): no URL, authors or credits.
    pub fn from_text(
        id: &str,
        outlet: Option<&str>,
        title: &str,
        published: Option<&str>,
        text: &str,
    ) -> Article {
        Article {
            id: ArticleId(id.to_string()),
            url: None,
            outlet: outlet.map(str::to_string),
            title: title.to_string(),
            published: published.map(str::to_string),
            authors: Vec::new(),
            language: Some("en".to_string()),
            text: text.to_string(),
            credits: Vec::new(),
            warnings: Vec::new(),
            source: String::new(),
        }
    }

    /// The publication day (`YYYY-MM-DD`), if the date is known.
    pub fn day(&self) -> Option<chrono::NaiveDate> {
        day_of(self.published.as_deref()?)
    }
}

/// The day of a stored publication date (its first ten characters, `YYYY-MM-DD`).
pub fn day_of(published: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(published.get(..10)?, "%Y-%m-%d").ok()
}
