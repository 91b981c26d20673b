//! Structural URL handling shared by every backend: locating the password and the query string,
//! removing this crate's own query parameters, and redacting credentials.
//!
//! Contract: nothing here fails. Inputs that are not well-formed URLs (a password with an unescaped
//! `/`, `?` or `@`, say) are still redacted; when the structure is ambiguous, more is hidden rather
//! than less. The backends' own parsers validate the URL afterwards.

use std::borrow::Cow;
use std::ops::Range;

use percent_encoding::percent_decode_str;

/// Query parameters whose values are credentials.
const SECRET_PARAMS: &[&str] = &["password", "pass", "passwd", "pwd", "sslpassword"];

/// A URL split into the part before the query and the query, with the password located.
struct Parts<'a> {
    /// Everything before `?`.
    prefix: &'a str,
    /// The query string without `?`.
    query: Option<&'a str>,
    /// Byte range of the userinfo password inside `prefix`.
    password: Option<Range<usize>>,
}

fn parts(url: &str) -> Parts<'_> {
    let mut host_start = 0;
    let mut password = None;
    if let Some(sep) = url.find("://") {
        let rest_start = sep + 3;
        let rest = &url[rest_start..];
        let slash = rest.find('/').unwrap_or(rest.len());
        // The userinfo ends at the last '@' before the path; a password holding an unescaped '/'
        // pushes that '@' past the first '/', so fall back to the last '@' anywhere.
        if let Some(at) = rest[..slash].rfind('@').or_else(|| rest.rfind('@')) {
            if let Some(colon) = rest[..at].find(':') {
                password = Some(rest_start + colon + 1..rest_start + at);
            }
            host_start = rest_start + at + 1;
        }
    }
    match url[host_start..].find('?') {
        Some(q) => Parts {
            prefix: &url[..host_start + q],
            query: Some(&url[host_start + q + 1..]),
            password,
        },
        None => Parts {
            prefix: url,
            query: None,
            password,
        },
    }
}

/// Decoded key and value of one `key=value` query pair.
fn decode_pair(pair: &str) -> (Cow<'_, str>, Cow<'_, str>) {
    form_urlencoded::parse(pair.as_bytes())
        .next()
        .unwrap_or((Cow::Borrowed(""), Cow::Borrowed("")))
}

fn is_secret_param(key: &str) -> bool {
    SECRET_PARAMS.iter().any(|s| key.eq_ignore_ascii_case(s))
}

/// `url` with the userinfo password and password query parameters replaced by `***`.
pub(crate) fn redact(url: &str) -> String {
    let p = parts(url);
    let mut out = String::with_capacity(url.len());
    match &p.password {
        Some(r) => {
            out.push_str(&p.prefix[..r.start]);
            out.push_str("***");
            out.push_str(&p.prefix[r.end..]);
        }
        None => out.push_str(p.prefix),
    }
    if let Some(query) = p.query {
        out.push('?');
        for (i, pair) in query.split('&').enumerate() {
            if i > 0 {
                out.push('&');
            }
            let (key, _) = decode_pair(pair);
            if is_secret_param(&key) {
                let raw_key = pair.split('=').next().unwrap_or("");
                out.push_str(raw_key);
                out.push_str("=***");
            } else {
                out.push_str(pair);
            }
        }
    }
    out
}

/// Every credential found in `url`, raw and percent-decoded, longest first, for scrubbing error
/// messages.
pub(crate) fn secrets(url: &str) -> Vec<String> {
    let p = parts(url);
    let mut out = Vec::new();
    let mut push = |raw: &str| {
        if raw.is_empty() {
            return;
        }
        out.push(raw.to_owned());
        let decoded = percent_decode_str(raw).decode_utf8_lossy();
        if decoded != raw {
            out.push(decoded.into_owned());
        }
    };
    if let Some(r) = &p.password {
        push(&p.prefix[r.clone()]);
    }
    for pair in p.query.into_iter().flat_map(|q| q.split('&')) {
        let (key, value) = decode_pair(pair);
        if is_secret_param(&key) {
            push(pair.split_once('=').map_or("", |(_, v)| v));
            push(&value);
        }
    }
    // Longest first, so scrubbing never leaves the tail of a longer form behind.
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// Removes the query parameters named in `names` from `url`. Returns the remaining URL and the
/// removed `(name, decoded value)` pairs in order of appearance.
pub(crate) fn take_params(url: &str, names: &[&str]) -> (String, Vec<(String, String)>) {
    let p = parts(url);
    let Some(query) = p.query else {
        return (url.to_owned(), Vec::new());
    };
    let mut taken = Vec::new();
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|s| !s.is_empty()) {
        let (key, value) = decode_pair(pair);
        if let Some(name) = names.iter().find(|n| **n == key) {
            taken.push(((*name).to_owned(), value.into_owned()));
        } else {
            kept.push(pair);
        }
    }
    let mut rest = p.prefix.to_owned();
    if !kept.is_empty() {
        rest.push('?');
        rest.push_str(&kept.join("&"));
    }
    (rest, taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_userinfo_password() {
        assert_eq!(
            redact("postgres://u:S3cret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("mysql://root@h/db"), "mysql://root@h/db");
        assert_eq!(redact("postgres://u:pa/ss@h/db"), "postgres://u:***@h/db");
        assert_eq!(
            redact("postgres://u:p%40ss@h/db?sslmode=disable"),
            "postgres://u:***@h/db?sslmode=disable"
        );
        assert_eq!(
            redact("postgres://h/db?user=u&password=S3cret"),
            "postgres://h/db?user=u&password=***"
        );
        assert_eq!(redact("sqlite://a.db?mode=rwc"), "sqlite://a.db?mode=rwc");
        assert_eq!(redact("postgres://u:@h/db"), "postgres://u:***@h/db");
    }

    #[test]
    fn collects_secrets() {
        assert_eq!(
            secrets("postgres://u:p%40ss@h/db"),
            vec!["p%40ss".to_owned(), "p@ss".to_owned()]
        );
        assert_eq!(secrets("postgres://h/db?password=x"), vec!["x".to_owned()]);
        assert!(secrets("mysql://root@h/db").is_empty());
    }

    #[test]
    fn takes_own_params() {
        let (rest, taken) = take_params(
            "postgres://u:p?w@h/db?sslmode=disable&max_connections=4&application_name=x",
            &["max_connections"],
        );
        assert_eq!(
            rest,
            "postgres://u:p?w@h/db?sslmode=disable&application_name=x"
        );
        assert_eq!(taken, vec![("max_connections".to_owned(), "4".to_owned())]);
        let (rest, taken) = take_params("sqlite::memory:?max_connections=1", &["max_connections"]);
        assert_eq!(rest, "sqlite::memory:");
        assert_eq!(taken.len(), 1);
    }
}
