//! LIKE patterns from user text.
//!
//! Contract: every LIKE the renderer writes ends in `ESCAPE '\'`, so `\` is the escape character on
//! all three dialects (MySQL sessions run with `NO_BACKSLASH_ESCAPES`, so `'\'` is a one-character
//! literal there too). [`escape_like`] turns any text into a pattern that matches exactly that text:
//! `\`, `%` and `_` get a `\` in front, nothing else changes. LIKE is case-sensitive on every backend
//! (SQLite connections set `case_sensitive_like`, MySQL tables use a binary NO PAD collation, PostgreSQL text
//! columns use the `C` collation). The case-insensitive matchers fold ASCII letters only: see
//! [`fold_case`].
//!
//! NUL characters are the one exception to "literally": PostgreSQL text cannot hold them, and
//! SQLite's LIKE reads both the text and the pattern only up to their first NUL (so on SQLite a needle
//! containing NUL matches as if it ended there). MySQL matches NUL like any other character.

/// `text` as a LIKE pattern that matches it literally (with `ESCAPE '\'`).
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_escaped(&mut out, text);
    out
}

/// Appends `text` escaped for LIKE.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// `%text%`, `text%` or `%text`, escaped.
pub(crate) fn wrap(text: &str, leading: bool, trailing: bool) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    if leading {
        out.push('%');
    }
    push_escaped(&mut out, text);
    if trailing {
        out.push('%');
    }
    out
}

/// The case folding of every case-insensitive matcher: ASCII `A`-`Z` become `a`-`z`, every other
/// character is unchanged. The server applies the same rule to the column (`lower`), so a needle and
/// a stored value match regardless of ASCII case, on every backend. Non-ASCII letters compare exactly:
/// `"É"` does not match `"é"`. This is the one rule all three servers can apply identically (SQLite's
/// built-in `LOWER` folds only ASCII).
pub fn fold_case(text: &str) -> String {
    text.to_ascii_lowercase()
}
