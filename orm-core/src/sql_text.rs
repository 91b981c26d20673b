//! [`SqlText`]: the SQL text of a [`Statement`](crate::Statement), owned or shared without a copy.
//!
//! Contract: a `SqlText` reads as the `str` it holds, whichever way it holds it, and compares,
//! hashes, prints and formats as that `str`. Texts the program renders once and reuses (a model's
//! primary-key lookup, a builder SELECT or multi-row INSERT of a shape rendered before) are handed
//! out as `Static` or `Shared`, so that a statement built in a loop costs no allocation or copy of
//! its text; everything else is `Owned`.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// SQL text: static, shared with the store of rendered texts, or owned.
#[derive(Clone)]
pub enum SqlText {
    /// A text that lives for the whole program.
    Static(&'static str),
    /// A text shared with the store it was rendered into.
    Shared(Arc<str>),
    /// A text of its own.
    Owned(String),
}

impl SqlText {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            SqlText::Static(s) => s,
            SqlText::Shared(s) => s,
            SqlText::Owned(s) => s,
        }
    }

    /// `true` when both are static or shared texts at the same address and of the same length:
    /// the same text, known without reading it. `false` for an owned text, even an equal one.
    pub fn shares_text_with(&self, other: &SqlText) -> bool {
        let at = |t: &SqlText| match t {
            SqlText::Static(s) => Some((s.as_ptr(), s.len())),
            SqlText::Shared(s) => Some((s.as_ptr(), s.len())),
            SqlText::Owned(_) => None,
        };
        at(self).is_some_and(|a| at(other) == Some(a))
    }
}

impl Deref for SqlText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SqlText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SqlText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for SqlText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SqlText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for SqlText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SqlText {}

impl Hash for SqlText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for SqlText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SqlText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SqlText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<SqlText> for &str {
    fn eq(&self, other: &SqlText) -> bool {
        *self == other.as_str()
    }
}

impl From<&'static str> for SqlText {
    fn from(s: &'static str) -> Self {
        SqlText::Static(s)
    }
}

impl From<String> for SqlText {
    fn from(s: String) -> Self {
        SqlText::Owned(s)
    }
}

impl From<Arc<str>> for SqlText {
    fn from(s: Arc<str>) -> Self {
        SqlText::Shared(s)
    }
}

impl From<SqlText> for String {
    fn from(s: SqlText) -> Self {
        match s {
            SqlText::Owned(s) => s,
            other => other.as_str().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_kind_reads_compares_and_hashes_as_its_text() {
        let texts = [
            SqlText::from("SELECT 1"),
            SqlText::from(Arc::<str>::from("SELECT 1")),
            SqlText::from(String::from("SELECT 1")),
        ];
        for t in &texts {
            assert_eq!(&**t, "SELECT 1");
            assert_eq!(t, "SELECT 1");
            assert_eq!(t.to_string(), "SELECT 1");
            assert_eq!(format!("{t:?}"), "\"SELECT 1\"");
            assert_eq!(t, &texts[0]);
        }
        let set: HashSet<SqlText> = texts.into_iter().collect();
        assert_eq!(set.len(), 1);
        assert!(set.contains("SELECT 1"));
        assert_eq!(String::from(SqlText::from("x")), "x");
    }
}
