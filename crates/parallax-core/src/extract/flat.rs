//! Flattened page text (a scrape where navigation, calls to action, ads and "Read Next" lists sit between
//! the body's paragraphs) and Markdown exports. No crate cleans already-flattened text, so this is written
//! here; it works on the shape of lines and blocks:
//!
//! - prose lines (long, ending like a sentence) are body unless a rule below removes them;
//! - calls to action, ad slots, correction notices and list headers are removed wherever they are;
//! - an inline "related" block (a marker such as "Other Topics of Interest", the headline cards around it, and
//!   the teaser paragraph that repeats the card's headline) is removed and the body goes on after it;
//! - a closing marker ("To suggest a correction", "Read Next", "More on X", "« Previous") ends the body when
//!   little prose follows it (the outlet's self-description, teaser lists with bylines and "2h ago" stamps);
//! - lines that recur across several articles of the same outlet are boilerplate (see [`recurring_lines`]).

use super::meta;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// What flattened text or Markdown yielded.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct FlatExtract {
    pub(crate) title: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) credits: Vec<String>,
    pub(crate) authors: Vec<String>,
    /// Short lines that may name the outlet ("Kyiv Post" on its own), in order.
    pub(crate) standalone_lines: Vec<String>,
    pub(crate) text: String,
}

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("valid regex"))
}

/// Calls to action, ad slots and page furniture, anywhere in the text.
fn is_furniture(line: &str) -> bool {
    static F: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &F,
        r"(?ix)^(?:
            join\s+us(?-u:\b) | follow\s+(?:us|our)(?-u:\b) | subscribe(?-u:\b) | sign\s+up(?-u:\b) | get\s+our(?-u:\b) | download\s+(?:our|the)\s+app |
            advertisement$ | advertising$ | advert$ | sponsored(?:\s+content)?$ | promoted$ | ad$ |
            report\s+(?:an\s+)?error$ | don'?t\s+miss(?-u:\b) | see\s+more\s*: | top\s+stories(?-u:\b) | more\s+news(?-u:\b) |
            sharing\s+is\s+caring | like\s+this\s+story\? | continue\s+reading\s+below$ | tell\s+us\s+what\s+you\s+think |
            this\s+post\s+may\s+contain\s+affiliate | have\s+a\s+(?:news\s+)?tip\? | get\s+the\s+latest\s+updates |
            share\s+(?:this|on|via)(?-u:\b) | share$ | tweet$ | email$ | print$ | comments?$ | \d+\s+comments?$ |
            click\s+here(?-u:\b) | click\s+to\s+(?:share|print|email)(?-u:\b) | .*\(opens\s+in\s+(?:a\s+)?new\s+window\)$ | listen\s+to\s+(?:this|the)\s+article | skip\s+to(?-u:\b) | loading | watch\s*: |
            we\s+use\s+cookies | accept\s+cookies |
            (?:photo|image|video|source|credit)s?\s*: |
            tags?\s*: | tags?$ | topics?\s*: | filed\s+under |
            you\s+can\s+also\s+highlight | to\s+suggest\s+a\s+correction |
            more\s*:$ | read\s+(?:more|next|also)(?-u:\b) | see\s+also(?-u:\b) | also\s+read(?-u:\b) | more\s+on(?-u:\b) | more\s+from(?-u:\b) | related(?-u:\b) |
            other\s+topics\s+of\s+interest | you\s+may\s+also\s+like | recommended | most\s+(?:read|popular) |
            «\s*previous | previous\s*$ | next\s*» | previous\s+article | next\s+article |
            ©|copyright(?-u:\b) | all\s+rights\s+reserved |
            # German, French, Spanish, Italian, Polish page furniture
            anzeige$ | werbung$ | teilen$ | drucken$ | kommentare?$ | \d+\s+kommentare?$ | mehr\s+zum\s+thema |
            lesen\s+sie\s+(?:auch|mehr) | weitere\s+(?:artikel|beiträge|nachrichten) | das\s+könnte\s+sie |
            (?:foto|bild|quelle|fotos)\s*: | alle\s+rechte\s+vorbehalten | newsletter(?-u:\b) | jetzt\s+(?:abonnieren|anmelden|teilen) |
            lire\s+aussi | à\s+lire\s+aussi | partager$ | publicité$ | tous\s+droits\s+réservés |
            lee\s+también | leer\s+más | compartir$ | publicidad$ | todos\s+los\s+derechos |
            leggi\s+anche | condividi$ | pubblicità$ |
            czytaj\s+(?:też|także|więcej) | udostępnij$ | reklama$ | zobacz\s+(?:też|także) |
            auch\s+interessant | lade\s+weitere | rezept\s+drucken$ | war\s+(?:der|dieser)\s+artikel\s+(?:nützlich|hilfreich) |
            möchten\s+sie\s+(?:den|diesen)\s+artikel | (?:den|diesen)\s+(?:artikel|beitrag)\s+(?:mit\s+anderen\s+)?teilen |
            abonniere\s+unseren | kommentare?\s+schreiben | alle\s+angaben\s+ohne\s+gewähr | kommentare\s+insgesamt |
            (?:titelbild|abbildung(?:\s+\d+)?|aufrufe)\s*: | lesen\s+sie\s+hier |
            dowiedz\s+się\s+więcej | (?:publikacja|źródło)\s*: | opublikowano(?-u:\b) | drukuj$ |
            if\s+you\s+enjoyed\s+(?:reading|this) | advertising\s+disclosure | to\s+view\s+the\s+full\s+story |
            beitragsbild$ | kommentare?\s+(?:geschlossen|verfassen) | schreibe\s+einen\s+kommentar | keine\s+kommentare |
            das\s+(?:thema\s+)?könnte\s+dich | weiterführende?\s+links? | (?:verwandte|empfohlene)\s+beiträge |
            weitere\s+(?:informationen|infos)\s*:?$ | zum\s+weiterlesen | mehr\s+themen\s*: | schon\s+gelesen\? |
            (?:kontakt|quellenangaben|zusatzinformationen|autoren?|kategorie|category|release\s+date)\s*: | kontakt$ | von\s*:$ |
            zur\s+person$ | über\s+den\s+autor | inhaltsverzeichnis$ | diese\s+website\s+verwendet | nicht\s+eingeloggt |
            artikel\s+gefallen\? | gefällt\s+dir\s+unser | den\s+artikel\s+bewerten | externer\s+inhalt$ | zurück$ | zurück\s+zur |
            bild\s+anzeigen$ | -\s*anzeige\s*-$ | anzeige\s*: | \*?werbung\. | dieses?\s+\w+\s+als\s+pdf | vorschau\s+auf\s+den\s+nächsten |
            \(noch\s+keine\s+bewertungen\) | der\s+beitrag\s+wurde\s+am\s.{0,60}(?:veröffentlicht|aktualisiert|erstellt|geändert|verfasst) | dieser\s+text\s+wurde\s+veröffentlicht |
            crédits?\s+photos?\s*: | photograph\s+by | pour\s+lire\s+la\s+suite | permalien$ |
            valora\s+esta\s+noticia | veja\s+também | le\s+puede\s+interesar | vea\s+también |
            ¡mira\s+lo\s+que | hazte\s+miembro | puede\s+escribirnos |
            ten\s+tekst\s+przeczytasz | materiał\s+chroniony\s+prawem | zapraszamy\s+(?:też\s+)?do\s+subskrypcji |
            this\s+entry\s+was\s+posted | we\s+want\s+to\s+hear\s+what\s+you\s+think | never\s+miss\s+the\s+latest |
            submit\s+your\s+letter | for\s+the\s+latest\s+(?:stories|news) | follow\s+the\s+\w+\s+on(?-u:\b) |
            text\s+size$ | view\s+author\s+archive$ | email\s+the\s+author$ | follow\s+on\s+twitter$ | iklan$ |
            image\s+\d+\s+of(?-u:\b) | please\s+enable\s+javascript | kommentarfeed(?-u:\b) |
            sie\s+müssen\s+sich\s+(?:einloggen|anmelden) | beitragsbild\s*: |
            (?:the\s+)?associated\s+press$ | reuters$ | afp$ | getty\s+images$ | opinion\s+columnist$ |
            [^,]+,\s+(?:ap|associated\s+press)(?:\s+(?:[a-z]+\s+){0,3}(?:writer|correspondent|reporter|editor))?$
        )",
    );
    r.is_match(line.trim())
}

/// A teaser to another story inside the body: a headline-like line that ends in a bracketed capitalised
/// tag ("China furious at Macron [INSIGHT]", "Lakers vs Nets: ... [VIDEO]"), an "Also on example.com ..."
/// line, or a "Read more:" label alone or before a headline ("Lea también: ...", "MIRA: ...").
#[cfg(test)]
fn is_inline_teaser(line: &str) -> bool {
    inline_teaser_ws(line, spaced_words(line))
}

/// [`is_inline_teaser`] of a line of `ws` space-separated words.
fn inline_teaser_ws(line: &str, ws: usize) -> bool {
    static T: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &T,
        r"(?x)^(?: .{8,}\s\[[A-Z][A-Z\ ]{2,20}\]\s*\|?$ | (?i:also\s+on)\s+[\w-]+\.[a-z]{2,}\s.{8,} |
            (?i: lea(?:\s+también|\s+más)? | mir[ae] | vea\s+también | le\s+puede\s+interesar | puedes\s+ver |
                veja\s+também | read\s+(?:more|also|next) | see\s+also | also\s+read | lesen\s+sie\s+(?:auch|mehr) |
                lire\s+aussi | leggi\s+anche | czytaj\s+(?:też|także) )\s*:(?:\s*\S.{8,})?$ )",
    );
    ws <= 30 && r.is_match(line.trim())
}

/// A site's own notice inside a line: copyright, newsletter sign-up and its answers, paywall and comment-form
/// notices, a blog's "posted on ... filed under" footer, "Follow us on" lines, cookie consent; and a photo
/// caption.
#[cfg(test)]
fn is_site_notice(line: &str) -> bool {
    site_notice_ws(line, spaced_words(line))
}

/// [`is_site_notice`] of a line of `ws` space-separated words (counted once per line by the callers).
fn site_notice_ws(line: &str, ws: usize) -> bool {
    static N: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &N,
        r"(?ix)(?: ©\s*(?:19|20)\d\d | delivered\s+to\s+your\s+inbox | right\s+in\s+your\s+inbox |
            successfully\s+subscribed | problem\s+subscribing | subscribing\s+to\s+our\s+newsletter |
            ^to\s+view\s+the\s+full\s+story | ^diese\s+website\s+verwendet\s+akismet |
            ^der\s+beitrag\s+wurde\s+am(?-u:\b).*(?-u:\b)veröffentlicht | ^follow\s+.{1,40}\s+on\s+(?:twitter|facebook|instagram) |
            ^bild\s+anzeigen\s+bild\s+schließen$ | news\s+meet\s+your\s+inbox |
            ^(?:write\s+to|e-?mail)\s+\S.*?\s+at\s+\S+@\S+ | may\s+be\s+reached\s+at\s+\S+@\S+ |
            ^reach\s+(?:the\s+)?\S+(?:\s+\S+)?\s+(?:on\s+twitter\s+)?at\s |
            ^(?:https?://)?(?:www\.)?(?:twitter|facebook|instagram)\.com/\S+$ | ^join\s+our\s+.+?\s+forums |
            ^sign\s+up\s*: | ^get\s+.+?\s+delivered\s+(?:through|to)\s+your | ^more\s+\S+(?:\s+\S+)?\s*:\s*https?:// |
            ^follow\s+.+?\s+coverage\s+of\s+.+?\s+at\s+https?:// | ^if\s+you\s+enjoyed\s+(?:reading\s+)?this\s |
            ^puede\s+escribirnos\s |
            ^\((?:photo|image|foto|bild|credit)s?\s*: )",
    );
    (ws <= 45 && (r.is_match(line.trim()) || (ws <= 30 && is_author_bio(line))))
        || is_blog_footer(line)
        || (ws <= 120 && is_cookie_notice(line))
        || (ws <= 60 && ends_with_credit(line.trim()))
}

/// Whether a line is a photo caption, told by the credit it ends with ("... (AP Photo/Alan Diaz, File)",
/// "... (Image: GETTY)", "... REUTERS/Brendan McDermid", "...Credit: Getty - Contributor"), or a credit line
/// alone ("Sakib Ali/Hindustan Times/Getty Images", "Photograph: Tim Robberts/Getty Images").
fn ends_with_credit(t: &str) -> bool {
    // Written as string tests on the line's end: an end-anchored regex over Unicode classes makes the
    // lazy DFA search backwards and rebuild its states on nearly every line.
    if t.len() < 6 {
        return false;
    }
    let lower_ends = |suffix: &str| {
        t.len() >= suffix.len()
            && t.is_char_boundary(t.len() - suffix.len())
            && t[t.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    let name_like = |s: &str| {
        let s = s.trim();
        (2..=40).contains(&s.len())
            && s.starts_with(char::is_uppercase)
            && s.chars()
                .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '’' | '-' | ','))
    };
    // "(AP Photo/Alan Diaz, File)", "(Image: GETTY )", "(Photo: ...)", "(Credit: ...)".
    if let Some(inner) = t
        .strip_suffix(')')
        .and_then(|r| r.rfind('(').map(|i| &r[i + 1..]))
    {
        let l = inner.trim_start().to_ascii_lowercase();
        let l = ["ap ", "afp ", "reuters "]
            .iter()
            .find_map(|p| l.strip_prefix(p))
            .unwrap_or(&l);
        if [
            "photo/",
            "photo:",
            "photo illustration",
            "image:",
            "images:",
            "photos:",
            "picture:",
            "credit:",
        ]
        .iter()
        .any(|p| l.starts_with(p))
        {
            return true;
        }
    }
    // "...Credit: Getty - Contributor", "Photograph: Tim Robberts/Getty Images".
    if let Some(i) = t.rfind(':') {
        let (head, tail) = (&t[..i], &t[i + 1..]);
        // The word before the colon, glued to the caption or not ("rabbitCredit").
        let label = head
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if (label.ends_with("credit") || label == "photograph" || label == "photo")
            && (2..=60).contains(&tail.trim().len())
            && !tail.contains(['.', ':'])
        {
            return true;
        }
    }
    // "REUTERS/Brendan McDermid", "Sakib Ali/Hindustan Times/Getty Images", ".../AFP".
    if let Some(i) = t.rfind('/') {
        let (head, tail) = (t[..i].trim_end(), &t[i + 1..]);
        if ["REUTERS", "AFP", "EPA", "AP"]
            .iter()
            .any(|a| head.ends_with(a))
            && name_like(tail)
        {
            return true;
        }
        if ["AFP", "AP", "EPA", "Reuters", "AAP", "ANSA", "DPA"].contains(&tail.trim()) {
            return true;
        }
    }
    lower_ends("getty images") || lower_ends("getty image") || lower_ends("getty - contributor")
}

/// A cookie-consent notice, however long ("We use cookies and other tracking technologies to ...", "This
/// website uses cookies ...", "Wir verwenden Cookies ...", "YouTube sets this cookie ...").
fn is_cookie_notice(line: &str) -> bool {
    static C: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &C,
        r"(?ix)^(?:datenschutz\s*&\s*cookies\s*:\s*)?(?:
            we\s+use\s+(?:cookies|technologies\s+(?:such\s+as|like)\s+cookies) | this\s+(?:web)?site\s+uses\s+cookies |
            by\s+(?:choosing|clicking|selecting)\s.{1,40}?\syou\s+(?:consent|agree)\s+to\s.{0,30}cookies |
            by\s+continuing\s+to\s+(?:use|browse)\s.{0,60}cookies | necessary\s+cookies\s+are |
            \S+(?:\s\S+)?\s+sets\s+this\s+cookie | this\s+cookie\s+is\s+(?:set|used) |
            wir\s+verwenden\s+(?:\S+\s+){0,3}(?:cookies|technologien\s+wie\s+cookies) |
            diese\s+(?:web)?(?:seite|site)\s+(?:verwendet|nutzt)\s+cookies | nous\s+utilisons\s+des\s+cookies |
            ce\s+site\s+utilise\s+des\s+cookies | utilizamos\s+cookies | este\s+sitio\s+(?:web\s+)?utiliza\s+cookies |
            questo\s+sito\s+(?:web\s+)?utilizza\s+(?:i\s+)?cookie | korzystamy\s+z\s+(?:plików\s+)?cookies
        )",
    );
    // Most lines say nothing of cookies: one substring test before the regex.
    (line.contains("ookie") || line.contains("OOKIE")) && r.is_match(line.trim())
}

/// A blog engine's footer line under a post, however long its list of categories: "Der Beitrag wurde am
/// ... veröffentlicht und wurde unter ... abgelegt", "This entry was posted in ...".
fn is_blog_footer(line: &str) -> bool {
    static F: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &F,
        r"(?i)^(?:der\s+beitrag\s+wurde\s+am\s.{5,80}\sveröffentlicht\s+und\s+(?:wurde\s+)?unter\s|this\s+entry\s+was\s+posted\s+(?:in|on)\s)",
    );
    r.is_match(line.trim())
}

/// A one-line author biography under an article ("Phil Helsel is a reporter for NBC News.").
fn is_author_bio(line: &str) -> bool {
    static B: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &B,
        r"^\p{Lu}[\p{L}.'’-]+(?:\s\p{Lu}[\p{L}.'’-]+){1,3}\s+is\s+an?\s+(?:[\p{L}-]+\s+){0,3}(?:reporter|writer|correspondent|editor|journalist|columnist|contributor)\s+(?:for|at|with)\s+(?:the\s+)?\p{Lu}",
    );
    r.is_match(line.trim())
}

/// A row of share buttons: nothing but the names of networks and share actions ("Whatsapp Facebook Pint
/// Baixar", "Share Tweet Email").
fn is_share_row(line: &str) -> bool {
    const NAMES: [&str; 24] = [
        "whatsapp",
        "facebook",
        "twitter",
        "pinterest",
        "pint",
        "pin",
        "linkedin",
        "reddit",
        "telegram",
        "messenger",
        "email",
        "e-mail",
        "mail",
        "print",
        "share",
        "tweet",
        "copy",
        "link",
        "sms",
        "baixar",
        "compartilhar",
        "flipboard",
        "tumblr",
        "vk",
    ];
    let mut n = 0;
    for w in line
        .split(|c: char| c.is_whitespace() || c == '|' || c == '·' || c == '/')
        .filter(|w| !w.is_empty())
    {
        if !NAMES.iter().any(|x| x.eq_ignore_ascii_case(w)) {
            return false;
        }
        n += 1;
    }
    n >= 2
}

/// Markers after which the body ends when little prose follows.
fn is_closing_marker(line: &str) -> bool {
    static C: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &C,
        r"(?ix)^(?:
            to\s+suggest\s+a\s+correction | you\s+can\s+also\s+highlight | read\s+next$ | more\s+on\s+\S.{0,40}$ |
            more\s+from\s+\S.{0,40}$ | «\s*previous | next\s*» | related\s+(?:articles|stories|news)$ |
            you\s+may\s+also\s+like | most\s+(?:read|popular)$ | ©|copyright(?-u:\b) | all\s+rights\s+reserved |
            about\s+the\s+author$ | share\s+this\s+article | more\s+great\s+\S+\s+stories$ | trending(?:\s+now)?$ |
            recent\s+articles$ | popular\s+this\s+week$ | most\s+viewed$ | more\s+stories$ | related\s+coverage$
        )",
    );
    r.is_match(line.trim())
}

/// The start of a comment section: its heading ("12 Comments", "5 thoughts on “...”", "Leave a Reply"), or
/// a comment's header ("Jane Doe on May 3, 2019 at 4:47 pm said:", or "Jane Doe says:" over a date line).
fn opens_comments(lines: &[&str], i: usize) -> bool {
    static C: OnceLock<Regex> = OnceLock::new();
    static H: OnceLock<Regex> = OnceLock::new();
    let l = lines[i];
    if !at_most_words(l, 15) {
        return false;
    }
    let heading = re(
        &C,
        r"(?ix)^(?:
            \d+\s+(?:comments?|responses?|replies|thoughts\s+on|kommentare?|commentaires?|comentarios?|commenti)(?:\s|$) |
            (?:leave|post|add|write)\s+a\s+(?:reply|comment)(?-u:\b) | comments\s+are\s+closed |
            join\s+the\s+(?:discussion|conversation) | schreibe\s+einen\s+kommentar | kommentar\s+schreiben |
            laisser\s+un\s+commentaire | deja\s+un\s+comentario | lascia\s+un\s+commento | deixe\s+um\s+coment
        )",
    );
    if heading.is_match(l) {
        return true;
    }
    let header = re(
        &H,
        r"(?i)^\S.{1,80}\s(?:says|said|wrote|sagt|schreibt)\s*:$",
    );
    header.is_match(l)
        && (l.bytes().any(|b| b.is_ascii_digit())
            || lines[i + 1..]
                .iter()
                .find(|n| !n.is_empty())
                .is_some_and(|n| is_dateline(n)))
}

/// A breadcrumb trail ("News > Nation", "Mensagens » Autoestima » Só quem se Ama…"): sections joined by
/// `>`, `»` or `›`, no sentence inside.
fn is_breadcrumb(line: &str) -> bool {
    let t = line.trim();
    [" > ", " » ", " › "].iter().any(|s| t.contains(s))
        && at_most_words(t, 12)
        && !t.contains(". ")
        && !t.ends_with(['.', '!', '?', ':'])
}

/// Markers of an inline block of related-article cards; the body goes on after the block.
fn is_related_marker(line: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?ix)^(?:\*\*)?(?:
            other\s+topics\s+of\s+interest | related(?:\s+(?:article|articles|story|stories|content|reading))?\s*:? |
            read\s+(?:more|also)\s*:? | see\s+also\s*:? | also\s+read\s*:? | recommended(?:\s+for\s+you)?\s*:? |
            you\s+might\s+also\s+like
        )(?:\*\*)?(?:\s|$)",
    );
    r.is_match(line.trim())
}

/// A byline in a teaser list ("By Kurt Volker") or a relative time stamp ("2h ago").
fn is_stamp(line: &str) -> bool {
    let line = line.trim();
    // "By" and a name of 2 to 40 letters, dots, apostrophes, spaces and hyphens. Counted here: as a counted
    // repetition of a Unicode class, it took the regex below ten times longer to compile.
    let byline = line
        .get(..2)
        .filter(|b| b.eq_ignore_ascii_case("by"))
        .map(|_| &line[2..])
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .map(str::trim_start)
        .is_some_and(|name| {
            (2..=40).contains(&name.chars().count())
                && name
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | ' ' | '-'))
        });
    static S: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &S,
        r"(?i)^(?:\d+\s*(?:s|m|h|d|w|min|mins|hr|hrs|hours?|minutes?|days?|weeks?|months?|years?)\s+ago(?:\s+at\s+\d{1,2}:\d\d(?:\s*[ap]\.?m\.?)?)?|just\s+now|updated\s.{0,30})$",
    );
    byline || r.is_match(line)
}

/// A label over readers' comments ("Comments", "Top Rated Comments", "[ 167 comments ]").
fn is_comments_label(line: &str) -> bool {
    static L: OnceLock<Regex> = OnceLock::new();
    re(
        &L,
        r"(?i)^[\[(]?\s*(?:\d+\s+)?(?:top\s+rated\s+|latest\s+|all\s+|readers'?\s+)?(?:comments?|kommentare?|commentaires?|comentarios?)\s*[\])]?$",
    )
    .is_match(line.trim())
}

/// Whether a thread of comments follows line `i`: in the next [`THREAD_LINES`] lines, at least two short lines
/// (a name, "jane says:") each followed by a time ("November 19, 2019 at 6:34 am", "2 days ago at 07:54 am").
fn thread_follows(lines: &[&str], i: usize) -> bool {
    let near: Vec<&str> = lines[i + 1..]
        .iter()
        .take(THREAD_LINES)
        .copied()
        .filter(|l| !l.is_empty())
        .collect();
    near.windows(2)
        .filter(|w| {
            at_most_words(w[0], 8) && !is_stamp(w[0]) && (is_stamp(w[1]) || is_dateline(w[1]))
        })
        .count()
        >= 2
}

/// Lines after a comments heading searched for the thread it opens.
const THREAD_LINES: usize = 40;

/// A dateline standing on its own line: a labelled publication or update time ("PUBLISHED: 10:48, Tue, Nov
/// 19, 2019", "Updated 12:24 am EST, Wednesday, November 20, 2019"), or a line made of nothing but a date
/// and time ("September 10, 2018 |"). Dates inside a line with other words (a tour date with its venue, a
/// quoted post's date) are text and stay.
fn is_dateline(line: &str) -> bool {
    static L: OnceLock<Regex> = OnceLock::new();
    static D: OnceLock<Regex> = OnceLock::new();
    let t = line.trim();
    // A bare number ("2019", "1,000") is not taken for a date.
    if t.len() > 90
        || !t.bytes().any(|b| b.is_ascii_digit())
        || !t.chars().any(|c| c.is_alphabetic() || c == ':' || c == '/')
    {
        return false;
    }
    let labelled = re(
        &L,
        r"(?i)^[|\s]*(?:published|updated|posted|last\s+(?:updated|modified)|publicado|publié|veröffentlicht|aktualisiert|actualizado|mis\s+à\s+jour)(?:\W|$)",
    );
    let date_only = re(
        &D,
        r"(?ix)^(?:[\s|,.:/·@()-]*(?:
            (?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.? |
            (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? |
            januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|
            septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|
            octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro |
            \d{1,4}(?:st|nd|rd|th)? | [ap]\.?m\.? | est|edt|cst|cdt|pst|pdt|gmt|utc|cet|cest | at|um|uhr|de|às|à|le|el
        ))+[\s|,.:/·@()-]*$",
    );
    labelled.is_match(t) || date_only.is_match(t)
}

/// Words of `s`; in Chinese and Japanese, written without spaces, two characters count as a word.
fn word_count(s: &str) -> usize {
    if s.is_ascii() {
        return s.split_whitespace().count();
    }
    s.split_whitespace()
        .map(|w| {
            let cjk = w.chars().filter(|&c| is_cjk(c)).count();
            if cjk == 0 {
                1
            } else {
                cjk.div_ceil(2) + usize::from(cjk < w.chars().count())
            }
        })
        .sum()
}

/// A Han, Hiragana or Katakana character.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Space-separated words of `s` (the notice rules' length limits count these).
fn spaced_words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Whether `s` has at most `n` words (counting stops after `n + 1`).
fn at_most_words(s: &str, n: usize) -> bool {
    s.split_whitespace().take(n + 1).count() <= n
}

/// A line that reads like running prose: enough words and a sentence ending.
fn is_prose(line: &str) -> bool {
    prose_with(line.trim(), word_count(line))
}

/// [`is_prose`] of the trimmed line `l` that has `words` words.
fn prose_with(l: &str, words: usize) -> bool {
    let ends = ends_like_sentence(l);
    (words >= 8 && ends) || (words >= 30 && !flattened_menu(l, words))
}

fn ends_like_sentence(l: &str) -> bool {
    l.ends_with([
        '.', '!', '?', '"', '”', '’', '\'', ')', '…', ':', ';', '。', '！', '？', '」', '』', '）',
    ])
}

/// A long line that does not end like a sentence and has fewer stops and commas than prose (one per 40
/// words): a menu or a tag list flattened into one line.
fn flattened_menu(l: &str, words: usize) -> bool {
    let marks = l
        .chars()
        .filter(|c| {
            matches!(
                c,
                '.' | ','
                    | ';'
                    | ':'
                    | '!'
                    | '?'
                    | '。'
                    | '、'
                    | '，'
                    | '！'
                    | '？'
                    | '،'
                    | '؛'
                    | '؟'
                    | '।'
            )
        })
        .count();
    words >= 30 && !ends_like_sentence(l) && marks * 40 < words
}

/// The content words of `s`, whole (lower-cased, stop words and words of one or two bytes out). Teasers are
/// matched on whole words: [`headline_keys`]' six-letter stems drop body paragraphs that merely share a stem
/// with a card (flattened AEB recall 0.9334 -> 0.9327).
fn content_words(s: &str) -> HashSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .filter(|w| !crate::text::is_stopword(w))
        .collect()
}

/// Share of the headline's content words that the paragraph repeats.
fn repeats_headline(paragraph: &str, headline: &str) -> bool {
    let h = content_words(headline);
    if h.len() < 2 {
        return false;
    }
    let p = content_words(paragraph);
    let shared = h.iter().filter(|w| p.contains(*w)).count();
    shared * 5 >= h.len() * 2
}

/// What a line that is not prose costs the body's region, in words of prose (see [`extract_flat`]); chosen
/// on the article-extraction benchmark's pages flattened to text (`scripts/flat_eval.py`).
const OUTSIDE_COST: i64 = 4;

/// Lines above the body searched for its headline; chosen on the article-extraction benchmark's pages
/// flattened to text, against the title their HTML gives (`scripts/flat_eval.py` makes the pages).
const HEADLINE_WINDOW: usize = 12;

/// The longest list of short lines kept between two paragraphs of prose (longer runs are menus).
const MAX_LIST_RUN: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Prose,
    Short,
    Furniture,
    Stamp,
    Blank,
}

/// Cleans flattened page text. `recurring` holds lines known to recur across the outlet's articles.
pub(crate) fn extract_flat(input: &str, recurring: &HashSet<String>) -> FlatExtract {
    let mut out = FlatExtract::default();
    let mut text = input.replace("\r\n", "\n").replace('\u{a0}', " ");
    // A leading `date YYYY-MM-DD` field (scrape exports put it before the body on the first line).
    static DATE_FIELD: OnceLock<Regex> = OnceLock::new();
    let df = re(
        &DATE_FIELD,
        r"^\s*(?i:date|published|posted)\s*:?\s+((?:19|20)\d\d-\d\d-\d\d)(?-u:\b)[ \t]*",
    );
    if let Some(c) = df.captures(&text) {
        out.published = meta::normalize_date(&c[1]);
        let end = c.get(0).map_or(0, |m| m.end());
        text = text[end..].to_string();
    }
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    // Each line's words, counted once for every rule below.
    let words: Vec<usize> = lines.iter().map(|l| word_count(l)).collect();
    let kinds: Vec<Kind> = lines
        .iter()
        .zip(&words)
        .map(|(l, &words)| {
            let ws = if l.is_ascii() { words } else { spaced_words(l) };
            if l.is_empty() {
                Kind::Blank
            } else if recurring.contains(*l)
                || (words <= 15
                    && (is_furniture(l)
                        || is_related_marker(l)
                        || is_dateline(l)
                        || is_breadcrumb(l)))
                || inline_teaser_ws(l, ws)
                || is_share_row(l)
                || site_notice_ws(l, ws)
            {
                Kind::Furniture
            } else if is_stamp(l) {
                Kind::Stamp
            } else if flattened_menu(l, words) {
                Kind::Furniture
            } else if prose_with(l, words) {
                Kind::Prose
            } else {
                Kind::Short
            }
        })
        .collect();
    for ((l, k), &n) in lines.iter().zip(&kinds).zip(&words) {
        if *k == Kind::Short && n <= 4 && !out.standalone_lines.iter().any(|x| x == l) {
            out.standalone_lines.push(l.to_string());
        }
    }
    let total_prose: usize = words
        .iter()
        .zip(&kinds)
        .filter(|(_, k)| **k == Kind::Prose)
        .map(|(n, _)| n)
        .sum();
    // Where the body ends: the first closing marker after some prose with little prose after it.
    let mut end = lines.len();
    let mut prose_before = 0usize;
    for (i, (l, k)) in lines.iter().zip(&kinds).enumerate() {
        if *k == Kind::Prose {
            prose_before += words[i];
        }
        if prose_before > 0
            && is_closing_marker(l)
            && (total_prose - prose_before) * 10 < total_prose * 4
        {
            end = i;
            break;
        }
        // Readers' comments end the article however much they say (a comment count or a "Write a comment"
        // link above the article, before most of its prose, does not).
        // A heading followed by a thread of signed, timed comments ends it wherever the article's prose stands:
        // a long thread outweighs the article it follows.
        if prose_before >= 40 {
            let opens = opens_comments(&lines, i);
            if (opens && prose_before * 10 >= total_prose * 3)
                || ((opens || is_comments_label(lines[i])) && thread_follows(&lines, i))
            {
                end = i;
                break;
            }
        }
    }
    // Where the body's prose ends: the end of the run of lines where prose outweighs everything else most
    // (each prose line weighs its words, each other line [`OUTSIDE_COST`] words; the maximum-sum segment,
    // as in Finn et al.'s body text extraction). What comes after, past a stretch of menus and lists, is
    // the page's footer: comments, the outlet's notices, teasers. The start is not moved: a body often
    // opens with short lines (standfirst, captions) that such a cut would take.
    let (mut best, mut sum) = (0i64, 0i64);
    let mut body_end = end;
    // Where that run starts: the main prose, which the headline sits just above.
    let (mut run_start, mut prose_start) = (0, 0);
    for i in 0..end {
        sum += match kinds[i] {
            Kind::Prose => words[i] as i64,
            Kind::Blank => 0,
            _ => -OUTSIDE_COST,
        };
        if sum <= 0 {
            sum = 0;
            run_start = i + 1;
        }
        if sum > best {
            best = sum;
            body_end = i + 1;
            prose_start = run_start;
        }
    }
    if best > 0 {
        end = body_end;
    }
    // Lines of inline related blocks: marker, headline cards around it, and the teaser that repeats a card.
    let mut drop = vec![false; lines.len()];
    for i in 0..end {
        if !is_related_marker(lines[i]) {
            continue;
        }
        drop[i] = true;
        let mut headlines: Vec<&str> = Vec::new();
        // Cards just before the marker, in the same block.
        let mut j = i;
        while j > 0 && matches!(kinds[j - 1], Kind::Short | Kind::Stamp) {
            j -= 1;
            drop[j] = true;
            headlines.push(lines[j]);
        }
        // Cards after it, then one teaser paragraph if it repeats a card's headline.
        let mut j = i + 1;
        while j < end
            && matches!(
                kinds[j],
                Kind::Short | Kind::Stamp | Kind::Blank | Kind::Furniture
            )
        {
            if kinds[j] == Kind::Short {
                headlines.push(lines[j]);
            }
            drop[j] = true;
            j += 1;
        }
        // A marker inline with its headline ("**Related article:** [Headline](#)") is a card on its own.
        headlines.push(lines[i]);
        if j < end
            && kinds[j] == Kind::Prose
            && headlines.iter().any(|h| repeats_headline(lines[j], h))
        {
            drop[j] = true;
        }
    }
    // A headline card printed twice in a row ("Title\n\nTitle") outside a marked block is a card too.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut first_kept: Option<usize> = None;
    let mut kept = vec![false; lines.len()];
    // The lines above the current one: a paragraph printed again (a teaser repeated in a sidebar, a pull
    // quote) is kept once, where it first appears.
    let mut earlier: HashSet<&str> = HashSet::new();
    for i in 0..end {
        let repeated = !earlier.insert(lines[i]);
        let keep = !drop[i]
            && match kinds[i] {
                Kind::Prose => !repeated,
                // A short line is a subheading, or an item of a list, only when prose surrounds it (or its
                // list, up to [`MAX_LIST_RUN`] items).
                Kind::Short => {
                    // The run of short lines it is in (a list: one item a line, no blank between).
                    let (mut a, mut b) = (i, i + 1);
                    while a > 0 && kinds[a - 1] == Kind::Short && !drop[a - 1] {
                        a -= 1;
                    }
                    while b < end && kinds[b] == Kind::Short && !drop[b] {
                        b += 1;
                    }
                    if b - a > MAX_LIST_RUN {
                        (a, b) = (i, i + 1);
                    }
                    let prev = (0..a).rev().find(|&j| kinds[j] != Kind::Blank);
                    let next = (b..end).find(|&j| kinds[j] != Kind::Blank);
                    prev.is_some_and(|j| kinds[j] == Kind::Prose && !drop[j])
                        && next.is_some_and(|j| kinds[j] == Kind::Prose && !drop[j])
                        && lines[..i]
                            .iter()
                            .chain(&lines[i + 1..])
                            .all(|l| l != &lines[i])
                        && words[i] >= 2
                        && !lines[i].contains('@')
                        // A one- or two-word label ("Read more:") is no line of the body; "The mayor
                        // said:" is.
                        && (!lines[i].ends_with(':') || words[i] >= 3)
                        && meta::date_line(lines[i]).is_none()
                }
                _ => false,
            };
        if kinds[i] == Kind::Blank || !keep {
            if !current.is_empty() && (kinds[i] == Kind::Blank || !keep) {
                paragraphs.push(current.join("\n"));
                current.clear();
            }
            continue;
        }
        first_kept.get_or_insert(i);
        kept[i] = true;
        current.push(lines[i]);
    }
    if !current.is_empty() {
        paragraphs.push(current.join("\n"));
    }
    out.text = paragraphs.join("\n\n");
    if let Some(first) = first_kept {
        out.title = headline(
            &lines,
            &words,
            &kinds,
            &kept,
            [first, prose_start.max(first)],
        );
    }
    if out.published.is_none() {
        out.published = lines
            .iter()
            .take(12)
            .find_map(|l| meta::date_line(l))
            .map(|d| d.format("%Y-%m-%d").to_string());
    }
    out
}

/// The headline of flattened text, chosen among the headline-shaped lines near the body's start: the lines
/// up to [`HEADLINE_WINDOW`] above (and [`HEADLINE_INSIDE`] into) the first line kept and the start of the
/// main run of prose (see [`extract_flat`]), as a page may hold a cookie notice or a teaser kept above the
/// article. A headline is 3 to 30 words, ends as no sentence does, and is not page furniture, a label, a
/// byline or a date. The nearest such line above the body that shares a word with it is the headline,
/// unless a line farther off has a share of its words repeated by the rest of the body larger by
/// [`HEADLINE_OVER`] (a menu item, a notice or another story's headline shares few). `None` when no line
/// qualifies, as in a scrape of the article alone (the first sentence is the title then).
fn headline(
    lines: &[&str],
    words: &[usize],
    kinds: &[Kind],
    kept: &[bool],
    anchors: [usize; 2],
) -> Option<String> {
    // In how many of the body's lines each content word occurs.
    let mut body: HashMap<String, u32> = HashMap::new();
    for (l, _) in lines.iter().zip(kept).filter(|(_, k)| **k) {
        for w in headline_keys(l) {
            *body.entry(w).or_default() += 1;
        }
    }
    let mut seen = HashSet::new();
    // The nearest headline-shaped line above the first line kept that shares a word with the body, and the
    // line whose words the body repeats most: (share of its words the body repeats, lines from the anchor,
    // line).
    let mut nearest: Option<(f32, usize, usize)> = None;
    let mut best: Option<(f32, usize, usize)> = None;
    for (a, anchor) in anchors.into_iter().enumerate() {
        let above = (0..anchor)
            .rev()
            .filter(|&j| kinds[j] != Kind::Blank)
            .take(HEADLINE_WINDOW);
        let inside = (anchor..lines.len())
            .filter(|&j| kinds[j] != Kind::Blank)
            .take(HEADLINE_INSIDE);
        for (distance, j, is_above) in above
            .enumerate()
            .map(|(d, j)| (d, j, true))
            .chain(inside.map(|j| (0, j, false)))
        {
            if !seen.insert(j) || !headline_shaped(lines[j], words[j], kinds[j]) {
                continue;
            }
            let keys = headline_keys(lines[j]);
            let own = u32::from(kept[j]);
            let shared = keys
                .iter()
                .filter(|w| body.get(*w).is_some_and(|&n| n > own))
                .count();
            if shared == 0 {
                continue;
            }
            // Few words make weak evidence: a three-word menu item sharing one word is no headline.
            let share = shared as f32 / keys.len().max(HEADLINE_KEYS) as f32;
            if a == 0 && is_above && nearest.is_none() {
                nearest = Some((share, distance, j));
            }
            if shared < keys.len().min(2) || share < HEADLINE_MIN_SHARE {
                continue;
            }
            let better = match best {
                None => true,
                Some((s, d, _)) => {
                    share > s + HEADLINE_TIE || (share > s - HEADLINE_TIE && distance < d)
                }
            };
            if better {
                best = Some((share, distance, j));
            }
        }
    }
    let chosen = match (nearest, best) {
        (Some(n), Some(b)) if b.0 >= n.0 + HEADLINE_OVER => Some(b),
        (Some(n), _) => Some(n),
        (None, b) => b,
    };
    chosen.map(|(_, _, j)| lines[j].to_string())
}

/// Lines past the body's start searched for its headline (a headline kept as the body's first line).
const HEADLINE_INSIDE: usize = 2;
/// The least share of a headline's content words the body repeats.
const HEADLINE_MIN_SHARE: f32 = 0.5;
/// A headline's share of repeated words counts at least this many words.
const HEADLINE_KEYS: usize = 4;
/// Shares this close are equal, and the line nearer the body wins.
const HEADLINE_TIE: f32 = 0.1;
/// How much more of its words the body must repeat for a line farther up to be the headline rather than the
/// nearest line above the body.
const HEADLINE_OVER: f32 = 0.2;

/// A line shaped like a headline: 3 to 30 words, no sentence's or label's ending, no address, byline, reading
/// time, clock time or date.
fn headline_shaped(l: &str, words: usize, kind: Kind) -> bool {
    let lower = l.to_lowercase();
    matches!(kind, Kind::Short | Kind::Prose)
        && (3..=30).contains(&words)
        && !l.ends_with(['.', ':', ';', ','])
        && !l.contains('@')
        && !lower.starts_with("by ")
        && !lower.contains("min read")
        && !has_clock_time(l)
        && meta::find_date(l).is_none()
}

/// The content words of a line for matching a headline against its body: lower-cased, stop words out,
/// words cut to their first six letters (so "reunite" meets "reunited" in any language), runs of Chinese or
/// Japanese characters as their pairs of characters.
fn headline_keys(l: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for w in l
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let chars: Vec<char> = w.chars().collect();
        if chars.iter().any(|&c| is_cjk(c)) {
            out.extend(chars.windows(2).map(|p| p.iter().collect::<String>()));
            continue;
        }
        let lower = w.to_lowercase();
        if lower.chars().count() <= 2 || crate::text::is_stopword(&lower) {
            continue;
        }
        out.insert(lower.chars().take(6).collect());
    }
    out
}

/// Whether `s` holds a clock time ("9:24", "13:42").
fn has_clock_time(s: &str) -> bool {
    s.as_bytes().windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    })
}

/// Cleans text another extractor produced (HTML main content): drops page furniture lines (calls to
/// action, share and cookie lines, "Related" headers, bylines with time stamps) and ends the body at a
/// closing marker when little prose follows. Unlike [`extract_flat`], short lines (list items, subheads)
/// are kept: in extracted HTML they are usually content.
pub(crate) fn strip_furniture(text: &str) -> String {
    // Each line trimmed, with its word count and whether it reads as prose.
    let lines: Vec<(&str, &str, usize, bool)> = text
        .lines()
        .map(|l| {
            let t = l.trim();
            let words = word_count(t);
            (l, t, words, prose_with(t, words))
        })
        .collect();
    let total: usize = lines.iter().filter(|l| l.3).map(|l| l.2).sum();
    let mut seen = 0usize;
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    for &(l, t, words, prose) in &lines {
        if prose {
            seen += words;
        }
        if seen > 0 && is_closing_marker(t) && (total - seen.min(total)) * 10 < total * 3 {
            break;
        }
        if !t.is_empty()
            && words <= 15
            && (is_furniture(t)
                || is_related_marker(t)
                || is_stamp(t)
                || is_dateline(t)
                || is_breadcrumb(t))
        {
            continue;
        }
        let ws = if t.is_ascii() { words } else { spaced_words(t) };
        if inline_teaser_ws(t, ws) || is_share_row(t) || site_notice_ws(t, ws) {
            continue;
        }
        out.push(l);
    }
    let joined = out.join("\n");
    super::html::tidy(&joined)
}

/// Reads a Markdown export: `# Title`, a date line, photo credits, body, `Original url: <...>`; converts the
/// body's Markdown to plain text (pulldown-cmark) and cleans it like flattened text.
pub(crate) fn extract_markdown(input: &str, recurring: &HashSet<String>) -> FlatExtract {
    let text = input.replace("\r\n", "\n");
    let mut title = None;
    let mut published = None;
    let mut url = None;
    let mut credits = Vec::new();
    let mut body_lines: Vec<&str> = Vec::new();
    let mut want_url = false;
    let mut seen_body = false;
    for line in text.lines() {
        let l = line.trim();
        if want_url && !l.is_empty() {
            url = Some(l.trim_matches(['<', '>']).to_string());
            want_url = false;
            continue;
        }
        if let Some(rest) = l
            .strip_prefix("Original url:")
            .or_else(|| l.strip_prefix("Original URL:"))
        {
            let rest = rest.trim();
            if rest.is_empty() {
                want_url = true;
            } else {
                url = Some(rest.trim_matches(['<', '>']).to_string());
            }
            continue;
        }
        if title.is_none() && !seen_body {
            if let Some(t) = l.strip_prefix("# ") {
                title = Some(strip_inline_markdown(t));
                continue;
            }
        }
        if !seen_body {
            if published.is_none() {
                if let Some(d) = meta::date_line(l) {
                    published = Some(d.format("%Y-%m-%d").to_string());
                    continue;
                }
            }
            if let Some(c) = meta::credit_line(l) {
                credits.push(c);
                continue;
            }
            if is_prose(l) {
                seen_body = true;
            }
        }
        body_lines.push(line);
    }
    let md = body_lines.join("\n");
    let plain = markdown_to_text(&md);
    let mut out = extract_flat(&plain, recurring);
    out.title = title.or(out.title);
    out.published = out.published.take().or(published);
    out.url = url;
    out.credits = credits;
    out
}

fn strip_inline_markdown(s: &str) -> String {
    markdown_to_text(s).trim().to_string()
}

/// Markdown to plain text: one line a block, blank lines between paragraphs, link text kept, URLs dropped.
pub(crate) fn markdown_to_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::with_capacity(md.len());
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => {}
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => out.push_str("\n\n"),
            _ => {}
        }
    }
    out
}

/// Lines that recur in at least two of an outlet's articles (and are not long prose): boilerplate shared by
/// its page template. Keyed by outlet; give it every article read in one batch.
pub fn recurring_lines<'a>(
    texts: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> HashMap<String, HashSet<String>> {
    let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
    for (outlet, text) in texts {
        let uniq: HashSet<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && l.len() < 200)
            .collect();
        for l in uniq {
            *counts.entry((outlet, l)).or_default() += 1;
        }
    }
    let mut out: HashMap<String, HashSet<String>> = HashMap::new();
    for ((outlet, line), n) in counts {
        if n >= 2 {
            out.entry(outlet.to_string())
                .or_default()
                .insert(line.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn inline_teasers_share_rows_and_site_notices_go_but_body_lines_stay() {
        assert!(is_inline_teaser(
            "China furious at Macron for Hong Kong protest jibe [INSIGHT]|"
        ));
        assert!(is_inline_teaser(
            "Lakers vs Nets: NBA make final decision on game amid China turmoil [VIDEO]"
        ));
        assert!(is_inline_teaser("Also on rt.com Journalists threatened with sedition arrests as Bolivia purges socialist elements"));
        assert!(is_inline_teaser(
            "MIRA: Madre se acerca a conocer los motivos de captura de su hijo y termina detenida"
        ));
        assert!(is_inline_teaser(
            "Lea también: Impiden ingreso a Nicaragua a reportero"
        ));
        assert!(is_inline_teaser("Puedes ver:"));
        assert!(!is_inline_teaser(
            "Mira Nair, the director, said the film would open in March."
        ));
        assert!(is_site_notice(
            "Follow The Gleaner on Twitter and Instagram @JamaicaGleaner and on Facebook @GleanerJamaica."
        ));
        assert!(!is_site_notice(
            "Police said they would follow the suspect on Twitter and elsewhere."
        ));
        assert!(!is_inline_teaser(
            "The company said the update [PDF] would ship next week to all of its customers."
        ));
        assert!(!is_inline_teaser(
            "Also on Tuesday, the council voted to close the bridge."
        ));
        assert!(is_share_row("Whatsapp Facebook Pint Baixar"));
        assert!(is_share_row("Share | Tweet | Email"));
        assert!(!is_share_row("Facebook shares rose 3%"));
        assert!(is_site_notice(
            "The contents of this site are ©2019 Capitol Hill Publishing Corp."
        ));
        assert!(is_site_notice(
            "Get the day's top headlines delivered to your inbox every morning."
        ));
        assert!(!is_site_notice(
            "The service now has 5 million subscribers, the company said."
        ));
    }

    #[test]
    fn bylines_and_time_stamps_of_teasers_are_stamps() {
        for l in [
            "By Kurt Volker",
            "by  Anne-Marie O’Neill",
            "BY J. R. Smith",
            "2h ago",
            "15 minutes ago",
            "Just now",
            "Updated 3 hours ago",
            "2 days ago at 07:54 am",
        ] {
            assert!(is_stamp(l), "{l}");
        }
        for l in [
            "By 2030, the plan says, emissions halve.",
            "Bypass closed",
            "By",
            &format!("By {}", "Name ".repeat(10)),
            "Two days ago the talks began in Geneva.",
            "2 days ago at the town hall, the mayor spoke",
        ] {
            assert!(!is_stamp(l), "{l}");
        }
    }

    #[test]
    fn calls_to_action_in_several_languages_go_but_body_lines_starting_alike_stay() {
        for l in [
            "Auch interessant",
            "Schreibe einen Kommentar",
            "Verwandte Beiträge",
            "Kontakt:",
            "- Anzeige-",
            "Dieses Skript als PDF herunterladen",
            "Valora esta noticia",
            "Ten tekst przeczytasz w 3 minuty",
            "Źródło:",
            "Pour lire la suite",
            "If you enjoyed reading this post, please share it",
            "This entry was posted in News",
            "Click to share on Reddit (Opens in new window)",
            "Submit to Stumbleupon (Opens in new window)",
        ] {
            assert!(is_furniture(l), "{l}");
        }
        for l in [
            "Auch in diesem Jahr lud der Verein zum Sommerfest.",
            "Kontaktbeschränkungen gelten bis Ende März.",
            "Lea Müller sprach am Montag vor dem Landtag.",
            "Von der Ausbildung zum Ingenieur war es ein langer Weg.",
            "Zurückhaltung zeigte die Bank bei den Zinsen.",
            "Click tools let readers share the story in a new window.",
        ] {
            assert!(!is_furniture(l), "{l}");
        }
    }

    #[test]
    fn breadcrumbs_credits_author_bios_and_inbox_notices_go_but_body_lines_stay() {
        for l in [
            "News > Nation",
            "Mensagens » Mensagens de Autoestima » Só quem se Ama…",
            "More:",
        ] {
            assert!(is_breadcrumb(l) || is_furniture(l), "{l}");
        }
        for l in [
            "(Image: © NASA/ESA/K. Retherford/SWRI)",
            "Phil Helsel is a reporter for NBC News.",
            "Let our news meet your inbox. The news and stories that matters, delivered weekday mornings.",
        ] {
            assert!(is_site_notice(l), "{l}");
        }
        for l in [
            "Prices rose 5% > wages, the report said, for the third year in a row.",
            "(The image of the bridge, she said, stayed with her.)",
            "Maria Ressa is a journalist for whom the threats never stopped, the court heard.",
            "More: the council will vote again in June, after the summer recess.",
        ] {
            assert!(
                !is_breadcrumb(l) && !is_site_notice(l) && !is_furniture(l),
                "{l}"
            );
        }
    }

    #[test]
    fn datelines_on_their_own_line_go_but_dates_in_text_stay() {
        for l in [
            "PUBLISHED: 10:48, Tue, Nov 19, 2019",
            "Updated 12:24 am EST, Wednesday, November 20, 2019",
            "September 10, 2018 |",
            "Nov. 20, 2019 1:35 a.m.",
        ] {
            assert!(super::is_dateline(l), "{l}");
        }
        for l in [
            "June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL",
            "— Rep. Ilhan Omar (@Ilhan) November 19, 2019",
            "2019",
            "The vote took place on November 19, 2019.",
        ] {
            assert!(!super::is_dateline(l), "{l}");
        }
    }

    use super::*;

    #[test]
    fn contact_lines_and_page_controls_go_but_body_lines_naming_addresses_stay() {
        for l in [
            "Write to Al Root at allen.root@dowjones.com",
            "Email Tariq Malik at tmalik@space.com or follow him @tariqjmalik.",
            "Have a tip? Amy Kuperinsky may be reached at akuperinsky@example.com. Follow her on Twitter.",
            "Reach the reporters on Twitter at http://twitter.com/MegKinnardAP and http://twitter.com/emarvelous",
            "twitter.com/paultakahashi",
            "Join our Space Forums to keep talking space on the latest missions, night sky and more!",
            "Sign Up: Stay on top of the latest breaking film and TV news! Sign up for our newsletters.",
            "Get Motor Cycle Monthly delivered through your letterbox every month.",
            "More AP NBA: https://apnews.com/NBA and https://twitter.com/AP_Sports",
            "Follow AP's full coverage of Brexit and British politics at https://apnews.com/Brexit",
            "If you enjoyed reading this post – would you consider supporting our work? Just click here. Thanks!",
            "Puede escribirnos a nuno@example.com o seguir a Materia en Facebook, Twitter o Instagram.",
            &format!(
                "Der Beitrag wurde am Mittwoch, den 27. November 2019 um 15:21 Uhr veröffentlicht und wurde unter {} abgelegt.",
                "Allgemein, Region, Tastings & Events, Veranstaltungskalender, ".repeat(8)
            ),
        ] {
            assert!(is_site_notice(l), "{l}");
        }
        for l in [
            "Text size",
            "View author archive",
            "Iklan",
            "Image 1 of / 8",
            "Please enable JavaScript to view the comments powered by Disqus.",
            "Kommentarfeed | Kommentare geschlossen | Trackback-URL",
            "Sie müssen sich einloggen, um sich an einer Diskussion beteiligen zu können.",
            "Beitragsbild: Titelseite der FAZ vom 2.4.2019, Ausriss.",
            "Der Beitrag wurde am 12.03.2019 veröffentlicht.",
            "Tom Krisher, Ap Auto Writer",
            "Steve Peoples, AP National Political Writer",
            "Meg Kinnard and Errin Haines, Associated Press",
            "The Associated Press",
            "Reuters",
            "Getty Images",
        ] {
            assert!(is_furniture(l), "{l}");
        }
        for l in [
            "suivi.reformes.blanquer@gmail.com",
            "Residents can write to the council at its office on Main Street before Friday.",
            "The ministry said people may be reached at home by inspectors during the survey.",
            "Image rights remain a concern for the agency, its director said.",
            "Der Beitrag wurde am Montag im Landtag heftig diskutiert, sagte die Sprecherin.",
            "Reuters reported the talks on Thursday.",
            "Officials told the Associated Press on Monday that the plan had stalled.",
        ] {
            assert!(!is_site_notice(l) && !is_furniture(l), "{l}");
        }
    }

    #[test]
    fn a_labelled_list_of_headlines_closing_an_html_body_goes() {
        let body = "The council voted on Tuesday to close the old bridge for repairs next month, officials said.\n\n\
                    The repairs are expected to take six weeks and cost about two million euros in total.\n\n";
        for label in [
            "More Great WIRED Stories",
            "Trending",
            "Recent articles",
            "Popular this week",
        ] {
            let t = format!(
                "{body}{label}\nYouTubers must unionize, no matter what Google says\nAirline went into records after crash"
            );
            let out = strip_furniture(&t);
            assert!(out.ends_with("in total."), "{label}: {out}");
        }
        // A list the article itself closes with stays: it has no such label.
        let t = format!("{body}The Doobie Brothers Tour Dates\nJune 9 – West Palm Beach, FL\nJune 10 – Tampa, FL");
        assert!(strip_furniture(&t).ends_with("Tampa, FL"));
    }

    #[test]
    fn related_card_and_teaser_go_body_stays() {
        let t = "date 2025-01-02 The council voted on Tuesday to close the old bridge for repairs next month.\n\n\
                 Quake Hits Northern Town Overnight\nOther Topics of Interest\n\nQuake Hits Northern Town Overnight\n\n\
                 A strong quake hit the northern town overnight, officials said, damaging several homes.\n\n\
                 The repairs are expected to take six weeks and cost about two million euros in total.\n\n\
                 To suggest a correction, write to us here\nRead Next\nSomething Else Entirely\nBy Jane Roe\n2h ago";
        let out = extract_flat(t, &HashSet::new());
        assert_eq!(out.published.as_deref(), Some("2025-01-02"));
        assert!(out.text.starts_with("The council voted"));
        assert!(out.text.contains("six weeks"));
        assert!(!out.text.contains("quake"), "{}", out.text);
        assert!(!out.text.contains("Quake"));
        assert!(!out.text.contains("Read Next"));
        assert!(!out.text.contains("Jane Roe"));
        // A paragraph printed again below the article (a teaser in a sidebar) is kept once.
        let teaser =
            "Police: two held after the death of a student athlete at the city campus last week.";
        let t = format!(
            "{teaser}\n\nThe council voted on Tuesday to close the old bridge for repairs next month.\n\n\
             The repairs are expected to take six weeks and cost about two million euros in total.\n\n{teaser}"
        );
        let out = extract_flat(&t, &HashSet::new());
        assert_eq!(out.text.matches(teaser).count(), 1, "{}", out.text);
        assert!(out.text.contains("six weeks"));
    }

    #[test]
    fn japanese_prose_is_prose_and_a_menu_on_one_line_is_not() {
        let body = "先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで20代の男性が逮捕されたというニュースを耳にしました。";
        assert!(is_prose(body));
        assert!(!is_prose("ニュース"));
        let menu = "Politics White House Congress Campaigns 2020 Election All Politics Policy Defense & National \
                    Security Energy Healthcare Finance & Economy Tech & Cyber Transportation Sports Media \
                    Opinion Video Events Markets Health Climate Science";
        assert!(!is_prose(menu));
        let next = "昨日、同じ容疑で30代の男性も逮捕されたというニュースが報じられました。";
        let t = format!("{body}\n\n{menu}\n\n{next}");
        let out = extract_flat(&t, &HashSet::new());
        assert_eq!(out.text, format!("{body}\n\n{next}"));
    }

    #[test]
    fn prose_past_the_footer_menus_goes_but_prose_past_a_short_block_stays_and_so_do_short_lists() {
        let p1 =
            "The council voted on Tuesday to close the old bridge for repairs starting next month.";
        let p2 = "Engineers found cracks in two of its pillars during an inspection in the spring, officials said.";
        let p3 =
            "The repairs are expected to take six weeks and cost about two million euros in total.";
        let footer =
            "Home\nNews\nSport\nWeather\nPodcasts\nAbout us\nContact\nJobs\nTerms\nPrivacy";
        let notice = "Our company publishes regional newspapers and websites across the north and employs more than four hundred journalists.";
        let t = format!(
            "{p1}\n\n{p2}\nAdvertisement\nBy Jane Roe\n2h ago\n\n{p3}\n\n{footer}\n\n{notice}"
        );
        let out = extract_flat(&t, &HashSet::new());
        assert_eq!(out.text, format!("{p1}\n\n{p2}\n\n{p3}"));
        // A short list between paragraphs is the article's; a long one is a menu.
        let list = "Two lanes closed\nNo lorries over 7.5 tonnes\nFerries every 20 minutes";
        let t = format!("{p1}\n\n{list}\n\n{p2}");
        assert_eq!(extract_flat(&t, &HashSet::new()).text, t);
        let t = format!("{p1}\n\n{footer}\n\n{p2}");
        assert_eq!(
            extract_flat(&t, &HashSet::new()).text,
            format!("{p1}\n\n{p2}")
        );
    }

    #[test]
    fn readers_comments_end_the_article_but_a_comment_link_above_it_does_not() {
        let p1 = "The council voted on Tuesday to close the old bridge for repairs starting next month, after \
                  engineers found cracks in two of its pillars during an inspection in the spring.";
        let p2 = "The repairs are expected to take six weeks and cost about two million euros in total, the \
                  mayor told reporters after the vote, adding that ferries would run in the meantime.";
        let comment = "I drive over that bridge every day and nobody ever told us anything about cracks, which \
                       is frankly scandalous when you think about how many school buses cross it each morning.";
        let t = format!(
            "Write a comment\n\n{p1}\n\n{p2}\n\n3 Comments\n\nJane Doe on May 3, 2019 at 4:47 pm said:\n\n\
             {comment}\n\nJohn Roe says:\nMay 4, 2019 at 9:12 am\n\n{comment}\n\n{comment}"
        );
        let out = extract_flat(&t, &HashSet::new());
        assert_eq!(out.text, format!("{p1}\n\n{p2}"));
        // A comment's header alone opens the comments too.
        let t = format!(
            "{p1}\n\n{p2}\n\nJohn Roe says:\nMay 4, 2019 at 9:12 am\n\n{comment}\n\n{comment}"
        );
        assert_eq!(
            extract_flat(&t, &HashSet::new()).text,
            format!("{p1}\n\n{p2}")
        );
        // A thread that says more than the article still ends it, when signed and timed comments follow its
        // heading.
        let thread: String = (1..=6)
            .map(|k| {
                format!("\nreader{k}\n{k} days ago at 07:54 am\n\n{comment} {comment} Reply {k}.\n")
            })
            .collect();
        let t = format!("{p1}\n\n{p2}\n\n[ 6 comments ]\nTop Rated Comments\n{thread}");
        assert_eq!(
            extract_flat(&t, &HashSet::new()).text,
            format!("{p1}\n\n{p2}")
        );
        // "The mayor said:" before a quote does not end the article; it is the article's.
        let quote = format!("{p1}\n\nThe mayor said:\n\n{p2}");
        assert_eq!(extract_flat(&quote, &HashSet::new()).text, quote);
    }

    #[test]
    fn cookie_notices_go_however_long_but_cookies_in_a_sentence_stay() {
        for notice in [
            "We use cookies and other tracking technologies to improve your browsing experience on our site, show \
             personalized content and targeted ads, analyze site traffic, and understand where our audience is \
             coming from. To find out more or to opt-out, please read our Cookie Policy. In addition, please read \
             our Privacy Policy, which has also been updated and became effective May 23rd, 2018.",
            "This website uses cookies. By continuing to use our website without changing the settings, you are \
             agreeing to our use of cookies.",
            "Wir verwenden Cookies, um Dir die bestmögliche Erfahrung auf unserer Website zu bieten.",
            "YouTube sets this cookie to store the video preferences of the user using embedded YouTube video.",
        ] {
            assert!(is_site_notice(notice), "{notice}");
        }
        assert!(!is_site_notice(
            "The regulator said the site used cookies to track readers without their consent."
        ));
    }

    #[test]
    fn captions_with_their_credit_go_but_sentences_naming_agencies_stay() {
        for caption in [
            "Vicente Aguiar loads garage door trims into his pickup truck outside a Home Depot in Hialeah, Fla. \
             (AP Photo/Alan Diaz, File)",
            "China has warned they will cease control of Hong Kong (Image: GETTY )",
            "FILE PHOTO: Traders work on the floor at the New York Stock Exchange (NYSE) in New York, U.S., \
             November 18, 2019. REUTERS/Brendan McDermid",
            "The latest case of bubonic plague was reported after a hunter killed and ate a rabbitCredit: Getty - Contributor",
            "Sakib Ali/Hindustan Times/Getty Images",
            "Photograph: Tim Robberts/Getty Images",
        ] {
            assert!(is_site_notice(caption), "{caption}");
        }
        for body in [
            "The photo was taken by an AP photographer who asked not to be named, the agency said.",
            "Reuters reported the talks, citing three people familiar with the matter.",
            "The credit: a loan of two million euros from the regional bank.",
        ] {
            assert!(!is_site_notice(body), "{body}");
        }
    }

    #[test]
    fn the_headline_above_the_body_is_the_title() {
        let body = "The council voted on Tuesday to close the old bridge for repairs starting next month, after \
                    engineers found cracks in two of its pillars during an inspection in the spring.\n\n\
                    The repairs are expected to take six weeks and cost about two million euros in total.";
        let page = format!(
            "Home\nNews\nSport\nCouncil closes old bridge for repairs after cracks found\n\
             One of the town's busiest crossings will shut for six weeks while engineers repair two cracked pillars\n\
             By Jane Roe\nNov 18, 2019 at 9:24 pm ET\nShare\n\n{body}"
        );
        let out = extract_flat(&page, &HashSet::new());
        assert_eq!(
            out.title.as_deref(),
            Some("Council closes old bridge for repairs after cracks found")
        );
        assert_eq!(out.text, body);
        // A scrape that starts with the body has no headline line: no title here (the first sentence is
        // the article's title then).
        assert_eq!(extract_flat(body, &HashSet::new()).title, None);
        // A menu item that says nothing of the body is no headline.
        let page = format!("Home\nPuzzles and Games\n\n{body}");
        assert_eq!(extract_flat(&page, &HashSet::new()).title, None);
        // A notice kept above the article does not hide the headline above the article's prose; of the lines
        // there, the one whose words the body repeats is the headline, not the nearest menu item.
        let page = format!(
            "Thanks for contacting us. We have received your submission and will answer it within a day.\n\n\
             Home\nLocal News\nCouncil closes old bridge for repairs after cracks found\nBy Jane Roe\n\
             Bridge Club and Card Games\n\n{body}"
        );
        assert_eq!(
            extract_flat(&page, &HashSet::new()).title.as_deref(),
            Some("Council closes old bridge for repairs after cracks found")
        );
    }

    #[test]
    fn markdown_export() {
        let md = "# A Headline – Wire\n\nFebruary 21, 2025\n\nJane Doe / TASS\n\nThe first paragraph is long enough to be prose, \
                  as [reported](#) by the wire service today.\n\n**Related article:** [Other Story Here](#)\n\n\
                  The second paragraph goes on with the story and ends here.\n\nOriginal url:\n\n<https://example.com/a>";
        let out = extract_markdown(md, &HashSet::new());
        assert_eq!(out.title.as_deref(), Some("A Headline – Wire"));
        assert_eq!(out.published.as_deref(), Some("2025-02-21"));
        assert_eq!(out.credits, vec!["Jane Doe / TASS"]);
        assert_eq!(out.url.as_deref(), Some("https://example.com/a"));
        assert!(out.text.contains("as reported by the wire"));
        assert!(!out.text.contains("Related"));
        assert!(!out.text.contains("Original url"));
        assert!(out.text.contains("second paragraph"));
    }

    #[test]
    fn recurring_lines_are_found_per_outlet() {
        let r = recurring_lines([
            ("A", "x\nSubscribe now\ny"),
            ("A", "z\nSubscribe now"),
            ("B", "Subscribe now"),
        ]);
        assert!(r["A"].contains("Subscribe now"));
        assert!(!r.contains_key("B"));
    }
}
