//! Feeds and pages over HTTP: conditional GET (ETag / Last-Modified), a size and time limit per fetch,
//! robots.txt, and a guard that refuses private, loopback and link-local addresses (checked on the resolved
//! address at connect time, so a name that later points inside the network is refused too) unless allowed.

mod robots;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

/// Largest response body read.
pub const MAX_BODY_BYTES: u64 = 16 << 20;
/// Time limit of one fetch, all redirects included.
pub const TIMEOUT: Duration = Duration::from_secs(20);
/// The user agent sent, and the name robots.txt rules are matched against.
pub const USER_AGENT: &str = concat!(
    "parallax/",
    env!("CARGO_PKG_VERSION"),
    " (news comparison; +robots.txt honoured)"
);

/// Cache validators of an earlier fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag` it answered.
    pub etag: Option<String>,
    /// `Last-Modified` it answered.
    pub last_modified: Option<String>,
}

/// What a fetch brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 304: nothing new since the validators.
    NotModified,
    /// The body, its content type, and the new validators.
    Body {
        /// The bytes (at most [`MAX_BODY_BYTES`]).
        bytes: Vec<u8>,
        /// `Content-Type`.
        content_type: Option<String>,
        /// Validators to send next time.
        validators: Validators,
    },
}

/// A fetch that failed, in a few words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError(pub String);

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FetchError {}

/// An HTTP client with Parallax's limits and manners.
pub struct Fetcher {
    agent: ureq::Agent,
    robots: Mutex<HashMap<String, robots::Rules>>,
}

#[derive(Debug)]
struct GuardedResolver {
    inner: DefaultResolver,
    allow_private: bool,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if self.allow_private {
            return Ok(addrs);
        }
        let mut out = self.inner.empty();
        out.truncate(0);
        for a in addrs.iter() {
            if is_public(a.ip()) {
                out.push(*a);
            }
        }
        if out.is_empty() {
            return Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "refused: the host resolves to a private, loopback or link-local address (use --allow-private)",
            )));
        }
        Ok(out)
    }
}

/// False for loopback, private, link-local, unspecified, multicast and other non-global addresses.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => {
            let o = v.octets();
            !(v.is_loopback()
                || v.is_private()
                || v.is_link_local()
                || v.is_unspecified()
                || v.is_broadcast()
                || v.is_multicast()
                || v.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])) // carrier-grade NAT
                || (o[0] == 198 && (o[1] == 18 || o[1] == 19)))
        }
        IpAddr::V6(v) => {
            if let Some(v4) = v.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v.segments();
            !(v.is_loopback()
                || v.is_unspecified()
                || v.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80) // link-local
        }
    }
}

impl Fetcher {
    /// A fetcher; `allow_private` lets it reach private and loopback addresses.
    pub fn new(allow_private: bool) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .max_redirects(5)
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .build();
        let resolver = GuardedResolver {
            inner: DefaultResolver::default(),
            allow_private,
        };
        let agent = ureq::Agent::with_parts(config, DefaultConnector::new(), resolver);
        Fetcher {
            agent,
            robots: Mutex::new(HashMap::new()),
        }
    }

    /// GETs `url`, conditionally when `validators` are given. Refuses what robots.txt disallows.
    pub fn get(&self, url: &str, validators: Option<&Validators>) -> Result<Fetched, FetchError> {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(FetchError("only http and https URLs are fetched".into()));
        }
        if !self.allowed_by_robots(url) {
            return Err(FetchError("disallowed by the site's robots.txt".into()));
        }
        self.get_raw(url, validators)
    }

    fn get_raw(&self, url: &str, validators: Option<&Validators>) -> Result<Fetched, FetchError> {
        let mut req = self.agent.get(url);
        if let Some(v) = validators {
            if let Some(e) = &v.etag {
                req = req.header("If-None-Match", e);
            }
            if let Some(m) = &v.last_modified {
                req = req.header("If-Modified-Since", m);
            }
        }
        let mut resp = req.call().map_err(|e| FetchError(describe(&e)))?;
        let status = resp.status().as_u16();
        if status == 304 {
            return Ok(Fetched::NotModified);
        }
        if !(200..300).contains(&status) {
            return Err(FetchError(format!("HTTP {status}")));
        }
        let header = |n: &str| {
            resp.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let content_type = header("content-type");
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_vec()
            .map_err(|e| FetchError(describe(&e)))?;
        Ok(Fetched::Body {
            bytes,
            content_type,
            validators,
        })
    }

    fn allowed_by_robots(&self, url: &str) -> bool {
        let Some((origin, path)) = split_origin(url) else {
            return false;
        };
        let cached = self
            .robots
            .lock()
            .ok()
            .and_then(|m| m.get(&origin).cloned());
        let rules = match cached {
            Some(r) => r,
            None => {
                let rules = match self.get_raw(&format!("{origin}/robots.txt"), None) {
                    Ok(Fetched::Body { bytes, .. }) => {
                        robots::Rules::parse(&String::from_utf8_lossy(&bytes), "parallax")
                    }
                    _ => robots::Rules::default(),
                };
                if let Ok(mut m) = self.robots.lock() {
                    m.insert(origin.clone(), rules.clone());
                }
                rules
            }
        };
        rules.allows(&path)
    }
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) => io.to_string(),
        ureq::Error::Timeout(_) => format!("no answer within {} s", TIMEOUT.as_secs()),
        ureq::Error::BodyExceedsLimit(_) => {
            format!("larger than the {} MB limit", MAX_BODY_BYTES >> 20)
        }
        ureq::Error::HostNotFound => "host not found".into(),
        other => other.to_string(),
    }
}

/// `https://host:port` and the path (with query) of a URL.
fn split_origin(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let (host, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let path = path.split('#').next().unwrap_or("/");
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    Some((format!("{scheme}://{host}"), path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.1.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "100.64.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn origins() {
        assert_eq!(
            split_origin("https://a.example/x/y?z=1#f"),
            Some(("https://a.example".into(), "/x/y?z=1".into()))
        );
        assert_eq!(
            split_origin("http://a.example:8080"),
            Some(("http://a.example:8080".into(), "/".into()))
        );
    }
}
