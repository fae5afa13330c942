//! robots.txt: the group for our agent name (or `*`), its `Allow` and `Disallow` prefixes, the longest
//! match deciding (RFC 9309). Written here: the format is a few lines, and no small crate covers it
//! without pulling a URL parser.

/// Rules of one site for our agent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rules {
    /// (allow, path prefix)
    rules: Vec<(bool, String)>,
}

/// One `User-agent` group: its agent names and (allow, path prefix) rules.
type Group = (Vec<String>, Vec<(bool, String)>);

impl Rules {
    /// Parses a robots.txt for the agent `agent` (falling back to the `*` group).
    pub(crate) fn parse(text: &str, agent: &str) -> Rules {
        let agent = agent.to_ascii_lowercase();
        // (agent names, rules) per group
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_string());
            match k.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new()));
                    }
                    in_agents = true;
                    if let Some(g) = groups.last_mut() {
                        g.0.push(v.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut() {
                        if !(k == "disallow" && v.is_empty()) {
                            g.1.push((k == "allow", v));
                        }
                    }
                }
                _ => in_agents = false,
            }
        }
        let pick = groups
            .iter()
            .find(|g| g.0.iter().any(|a| a != "*" && agent.contains(a.as_str())))
            .or_else(|| groups.iter().find(|g| g.0.iter().any(|a| a == "*")));
        Rules {
            rules: pick.map(|g| g.1.clone()).unwrap_or_default(),
        }
    }

    /// True when `path` may be fetched.
    pub(crate) fn allows(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, prefix) in &self.rules {
            let p = prefix.trim_end_matches('*').trim_end_matches('$');
            if path.starts_with(p)
                && best.is_none_or(|(len, a)| p.len() > len || (p.len() == len && *allow && !a))
            {
                best = Some((p.len(), *allow));
            }
        }
        best.is_none_or(|(_, a)| a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_decides() {
        let r = Rules::parse("User-agent: *\nDisallow: /private\nAllow: /private/ok\n\nUser-agent: other\nDisallow: /", "parallax");
        assert!(r.allows("/news/a"));
        assert!(!r.allows("/private/x"));
        assert!(r.allows("/private/ok/x"));
        let r = Rules::parse("User-agent: parallax\nDisallow: /\n", "parallax");
        assert!(!r.allows("/a"));
        assert!(Rules::parse("", "parallax").allows("/a"));
    }
}
