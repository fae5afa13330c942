//! The outlet registry: outlets with their domains, the names running text cites them by, and tags on any
//! axis (country, language, type, owner...). A starter registry is built in (`data/outlets.toml`); users add
//! or override entries with a TOML file of the same shape, which is also how perspective lenses are defined.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// One outlet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlet {
    /// Display name ("The Moscow Times").
    pub name: String,
    /// Registrable domains, lower-case.
    pub domains: Vec<String>,
    /// Other names running text cites it by ("AP", "Associated Press").
    pub aliases: Vec<String>,
    /// Every other key of its TOML table: `country`, `language`, `type`, `state`, user axes.
    pub tags: BTreeMap<String, String>,
}

impl Outlet {
    /// True for news agencies (`type = "wire"`).
    pub fn is_wire(&self) -> bool {
        self.tags.get("type").is_some_and(|t| t == "wire")
    }
}

#[derive(Deserialize)]
struct RawRegistry {
    #[serde(default)]
    outlet: Vec<toml::Table>,
}

/// A set of outlets, looked up by domain or by name.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    outlets: Vec<Outlet>,
    by_domain: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    /// Outlet names compiled for matching in running text; built on first use, reset on change.
    citer: OnceLock<std::sync::Arc<crate::compare::attribution::Citer>>,
}

/// A registry file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryError(pub String);

impl std::fmt::Display for RegistryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RegistryError {}

const BUILTIN: &str = include_str!("../data/outlets.toml");

impl Registry {
    /// The built-in starter registry.
    pub fn builtin() -> &'static Registry {
        static R: OnceLock<Registry> = OnceLock::new();
        R.get_or_init(|| {
            let mut r = Registry::default();
            r.extend_from_toml(BUILTIN)
                .expect("the built-in outlet registry is valid TOML");
            r
        })
    }

    /// Adds (or, by name, overrides) outlets from a TOML text of `[[outlet]]` tables.
    pub fn extend_from_toml(&mut self, text: &str) -> Result<usize, RegistryError> {
        let raw: RawRegistry =
            toml::from_str(text).map_err(|e| RegistryError(e.message().to_string()))?;
        let n = raw.outlet.len();
        for table in raw.outlet {
            let mut name = None;
            let mut domains = Vec::new();
            let mut aliases = Vec::new();
            let mut tags = BTreeMap::new();
            for (k, v) in table {
                match (k.as_str(), v) {
                    ("name", toml::Value::String(s)) => name = Some(s),
                    ("domains", toml::Value::Array(a)) => {
                        domains = a
                            .into_iter()
                            .filter_map(|x| x.as_str().map(|s| s.to_ascii_lowercase()))
                            .collect()
                    }
                    ("aliases", toml::Value::Array(a)) => {
                        aliases = a
                            .into_iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    }
                    (_, toml::Value::String(s)) => {
                        tags.insert(k, s);
                    }
                    (_, toml::Value::Boolean(b)) => {
                        tags.insert(k, b.to_string());
                    }
                    (_, toml::Value::Integer(i)) => {
                        tags.insert(k, i.to_string());
                    }
                    _ => {}
                }
            }
            let Some(name) = name else {
                return Err(RegistryError("an [[outlet]] has no `name`".into()));
            };
            self.insert(Outlet {
                name,
                domains,
                aliases,
                tags,
            });
        }
        Ok(n)
    }

    /// The outlet names compiled for finding citations in text.
    pub fn citer(&self) -> &crate::compare::attribution::Citer {
        self.citer
            .get_or_init(|| std::sync::Arc::new(crate::compare::attribution::Citer::new(self)))
    }

    fn insert(&mut self, outlet: Outlet) {
        self.citer = OnceLock::new();
        let key = outlet.name.to_lowercase();
        let idx = match self.by_name.get(&key) {
            Some(&i) => {
                let old = &mut self.outlets[i];
                old.domains.extend(outlet.domains.iter().cloned());
                old.aliases.extend(outlet.aliases.iter().cloned());
                old.tags.extend(outlet.tags.clone());
                i
            }
            None => {
                self.outlets.push(outlet.clone());
                self.outlets.len() - 1
            }
        };
        self.by_name.insert(key, idx);
        for a in &outlet.aliases {
            self.by_name.entry(a.to_lowercase()).or_insert(idx);
        }
        for d in &outlet.domains {
            self.by_domain.insert(d.clone(), idx);
        }
    }

    /// All outlets.
    pub fn outlets(&self) -> &[Outlet] {
        &self.outlets
    }

    /// The outlet of a URL or host, by its registrable domain (subdomains fall back to their parents).
    pub fn by_url(&self, url: &str) -> Option<&Outlet> {
        let host = host_of(url)?;
        let mut h: &str = &host;
        loop {
            if let Some(&i) = self.by_domain.get(h) {
                return Some(&self.outlets[i]);
            }
            match h.find('.') {
                Some(dot) if h[dot + 1..].contains('.') => h = &h[dot + 1..],
                _ => return None,
            }
        }
    }

    /// The outlet with this name or alias (case-insensitive).
    pub fn by_name(&self, name: &str) -> Option<&Outlet> {
        self.by_name
            .get(&name.trim().to_lowercase())
            .map(|&i| &self.outlets[i])
    }
}

/// The lower-case host of a URL (or of a bare host), without `www.`.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .trim()
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(url.trim());
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host
        .rsplit('@')
        .next()?
        .split(':')
        .next()?
        .to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (host.contains('.') && !host.contains(' ')).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_knows_the_seed_outlets() {
        let r = Registry::builtin();
        assert!(r.outlets().len() >= 300, "{}", r.outlets().len());
        assert_eq!(
            r.by_url("https://www.themoscowtimes.com/2025/02/21/x")
                .map(|o| o.name.as_str()),
            Some("The Moscow Times")
        );
        assert_eq!(
            r.by_name("kyiv post").map(|o| o.name.as_str()),
            Some("Kyiv Post")
        );
        assert!(r.by_name("Reuters").is_some_and(Outlet::is_wire));
    }

    #[test]
    fn user_file_extends_and_tags() {
        let mut r = Registry::default();
        r.extend_from_toml("[[outlet]]\nname = \"Local Paper\"\ndomains = [\"local.example\"]\nowner = \"Family\"\n").unwrap();
        let o = r.by_url("news.local.example/a").unwrap();
        assert_eq!(o.tags.get("owner").map(String::as_str), Some("Family"));
        assert!(r.extend_from_toml("[[outlet]]\ndomains = []").is_err());
    }
}
