//! WARC 1.0/1.1 archives (CC-NEWS layout): `response` records holding an HTTP response with an HTML page,
//! and `resource` records holding HTML. The `warc` crate splits records; `httparse` reads the HTTP head.

use super::{decode_html, ReadFailure, ReadOutput, MAX_PAGE_BYTES};
use crate::model::{Body, RawArticle};

pub(super) fn read(source: &str, bytes: &[u8], out: &mut ReadOutput) {
    let reader = warc::WarcReader::new(bytes);
    let mut n = 0usize;
    let mut pages = 0usize;
    for record in reader.iter_records() {
        n += 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.failures.push(ReadFailure::new(
                    format!("{source}#{n}"),
                    format!("broken WARC record ({e})"),
                ));
                // After a broken record the stream position is unknown: stop here.
                break;
            }
        };
        let kind = record.warc_type().to_string();
        if kind != "response" && kind != "resource" {
            continue;
        }
        let url = record
            .header(warc::WarcHeader::TargetURI)
            .map(|u| u.trim_matches(['<', '>']).to_string());
        let body = record.body();
        let (content_type, payload) = if kind == "response" {
            match http_payload(body) {
                Some(x) => x,
                None => continue,
            }
        } else {
            (
                record
                    .header(warc::WarcHeader::ContentType)
                    .map(|c| c.to_string()),
                body,
            )
        };
        let ct = content_type.unwrap_or_default().to_ascii_lowercase();
        if !(ct.contains("html")
            || (ct.is_empty() && super::detect("", payload) == super::Format::Html))
        {
            continue;
        }
        if payload.len() > MAX_PAGE_BYTES {
            out.failures.push(ReadFailure::new(
                format!("{source}#{n}"),
                "page larger than the limit",
            ));
            continue;
        }
        let charset = ct
            .split("charset=")
            .nth(1)
            .map(|c| c.split(';').next().unwrap_or(c).trim().to_string());
        let html = decode_html(payload, charset.as_deref());
        pages += 1;
        out.articles.push(RawArticle {
            source: format!("{source}#{n}"),
            url,
            body: Some(Body::Html(html)),
            ..Default::default()
        });
    }
    if n == 0 {
        out.failures
            .push(ReadFailure::new(source, "no WARC records"));
    } else if pages == 0 && out.failures.is_empty() {
        out.failures.push(ReadFailure::new(
            source,
            format!("{n} WARC records, none an HTML page"),
        ));
    }
}

/// Splits an HTTP response into its content type and body. `None` for non-200-like or unparsable heads.
fn http_payload(bytes: &[u8]) -> Option<(Option<String>, &[u8])> {
    let mut headers = [httparse::EMPTY_HEADER; 96];
    let mut resp = httparse::Response::new(&mut headers);
    let head_len = match resp.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        _ => return None,
    };
    if let Some(code) = resp.code {
        if !(200..300).contains(&code) {
            return None;
        }
    }
    let ct = resp
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-type"))
        .map(|h| String::from_utf8_lossy(h.value).into_owned());
    Some((ct, &bytes[head_len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_record_becomes_a_page() {
        let http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Hello</p></body></html>";
        let warc = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.com/a\r\nWARC-Date: 2025-02-21T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{}\r\n\r\n",
            http.len(),
            http
        );
        let mut out = ReadOutput::default();
        read("a.warc", warc.as_bytes(), &mut out);
        assert_eq!(out.failures, vec![]);
        assert_eq!(out.articles.len(), 1);
        assert_eq!(
            out.articles[0].url.as_deref(),
            Some("https://example.com/a")
        );
    }

    #[test]
    fn broken_record_is_named() {
        let mut out = ReadOutput::default();
        read(
            "bad.warc",
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort",
            &mut out,
        );
        assert!(out.articles.is_empty());
        assert!(out.failures[0].input.starts_with("bad.warc"));
    }
}
