//! SQLite connection URLs.
//!
//! Accepted forms: `sqlite::memory:`, `sqlite://:memory:`, `sqlite:data.db`, `sqlite://data.db`,
//! `sqlite:///abs/path.db`, `sqlite:/abs/path.db`, each with an optional query of
//! `mode=ro|rw|rwc|memory` and `cache=shared|private`. The path is percent-decoded. `url::Url` is not
//! used on purpose: it would read `sqlite://data.db` as a host named `data.db`.
//!
//! Contract: parsing never touches the file system. Without `mode`, an existing file is opened
//! read-write and a missing one is an error (`mode=rwc` creates it). `mode=memory` makes the path the
//! name of an in-memory database; with `cache=shared` every connection of the pool sees the same one.

use std::path::PathBuf;

use orm_core::{Error, Result};
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Where the database lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    /// A private in-memory database (`sqlite::memory:`).
    Memory,
    /// An in-memory database with a name (`sqlite://name?mode=memory`).
    NamedMemory(String),
    /// A database file.
    File(PathBuf),
}

/// How a file is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `mode=ro`
    Ro,
    /// `mode=rw` (the default): the file must exist.
    Rw,
    /// `mode=rwc`: created when missing.
    Rwc,
}

/// A parsed SQLite URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SqliteUrl {
    /// Where the database lives.
    pub(crate) location: Location,
    /// How it is opened (in-memory databases are always read-write).
    pub(crate) mode: Mode,
    /// `cache=shared`.
    pub(crate) shared_cache: bool,
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::Config(msg.into())
}

impl SqliteUrl {
    /// Parses a `sqlite:` URL (this crate's pool parameters already removed).
    pub(crate) fn parse(url: &str) -> Result<Self> {
        let rest = url
            .get(..7)
            .filter(|s| s.eq_ignore_ascii_case("sqlite:"))
            .map(|_| &url[7..])
            .ok_or_else(|| invalid("a SQLite URL starts with `sqlite:`"))?;
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let (raw_path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = percent_decode_str(raw_path)
            .decode_utf8()
            .map_err(|_| invalid("the SQLite path is not valid UTF-8 after percent-decoding"))?;

        let mut mode = None;
        let mut memory = false;
        let mut shared_cache = false;
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match &*key {
                "mode" => match &*value {
                    "ro" => mode = Some(Mode::Ro),
                    "rw" => mode = Some(Mode::Rw),
                    "rwc" => mode = Some(Mode::Rwc),
                    "memory" => memory = true,
                    other => {
                        return Err(invalid(format!(
                            "unknown SQLite mode `{other}`; expected ro, rw, rwc or memory"
                        )));
                    }
                },
                "cache" => match &*value {
                    "shared" => shared_cache = true,
                    "private" => shared_cache = false,
                    other => {
                        return Err(invalid(format!(
                            "unknown SQLite cache `{other}`; expected shared or private"
                        )));
                    }
                },
                other => {
                    return Err(invalid(format!(
                        "unknown SQLite URL parameter `{other}`; expected mode, cache or one of \
                         the pool's: {}",
                        crate::config::OWN_PARAMS.join(", ")
                    )));
                }
            }
        }

        let location = match (&*path, memory) {
            (":memory:", _) | ("", true) => Location::Memory,
            ("", false) => {
                return Err(invalid(
                    "the SQLite URL names no database file (use sqlite::memory: for an in-memory database)",
                ));
            }
            (name, true) => Location::NamedMemory(name.to_owned()),
            (file, false) => Location::File(PathBuf::from(file)),
        };
        if location == Location::Memory && shared_cache {
            return Err(invalid(
                "a shared in-memory SQLite database needs a name: sqlite://name?mode=memory&cache=shared",
            ));
        }
        let mode = match location {
            Location::File(_) => mode.unwrap_or(Mode::Rw),
            Location::Memory | Location::NamedMemory(_) => Mode::Rwc,
        };
        Ok(SqliteUrl {
            location,
            mode,
            shared_cache,
        })
    }

    /// `true` when each connection would see its own database, so the pool must hold exactly one.
    pub(crate) fn is_private_memory(&self) -> bool {
        match self.location {
            Location::Memory => true,
            Location::NamedMemory(_) => !self.shared_cache,
            Location::File(_) => false,
        }
    }

    /// The SQLite URI filename of a named in-memory database.
    pub(crate) fn memory_uri(name: &str, shared_cache: bool) -> String {
        let cache = if shared_cache { "shared" } else { "private" };
        format!(
            "file:{}?mode=memory&cache={cache}",
            utf8_percent_encode(name, NON_ALPHANUMERIC)
        )
    }

    /// How the database is named in messages.
    pub(crate) fn describe(&self) -> String {
        match &self.location {
            Location::Memory => ":memory:".to_owned(),
            Location::NamedMemory(name) => format!("in-memory `{name}`"),
            Location::File(path) => format!("`{}`", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, mode: Mode) -> SqliteUrl {
        SqliteUrl {
            location: Location::File(path.into()),
            mode,
            shared_cache: false,
        }
    }

    #[test]
    fn every_form() {
        let mem = SqliteUrl {
            location: Location::Memory,
            mode: Mode::Rwc,
            shared_cache: false,
        };
        assert_eq!(SqliteUrl::parse("sqlite::memory:").unwrap(), mem);
        assert_eq!(SqliteUrl::parse("sqlite://:memory:").unwrap(), mem);
        assert_eq!(SqliteUrl::parse("SQLite::memory:").unwrap(), mem);
        assert_eq!(SqliteUrl::parse("sqlite://?mode=memory").unwrap(), mem);
        assert_eq!(
            SqliteUrl::parse("sqlite:app.db").unwrap(),
            file("app.db", Mode::Rw)
        );
        assert_eq!(
            SqliteUrl::parse("sqlite://app.db").unwrap(),
            file("app.db", Mode::Rw)
        );
        assert_eq!(
            SqliteUrl::parse("sqlite://./data/app.db?mode=rwc").unwrap(),
            file("./data/app.db", Mode::Rwc)
        );
        assert_eq!(
            SqliteUrl::parse("sqlite:///abs/path.db?mode=ro").unwrap(),
            file("/abs/path.db", Mode::Ro)
        );
        assert_eq!(
            SqliteUrl::parse("sqlite:/abs/path.db?mode=rw").unwrap(),
            file("/abs/path.db", Mode::Rw)
        );
        assert_eq!(
            SqliteUrl::parse("sqlite://my%20db.db").unwrap(),
            file("my db.db", Mode::Rw)
        );
        let shared = SqliteUrl::parse("sqlite://cache1?mode=memory&cache=shared").unwrap();
        assert_eq!(shared.location, Location::NamedMemory("cache1".into()));
        assert!(shared.shared_cache && !shared.is_private_memory());
        assert!(
            SqliteUrl::parse("sqlite://cache1?mode=memory")
                .unwrap()
                .is_private_memory()
        );
        assert!(
            SqliteUrl::parse("sqlite::memory:")
                .unwrap()
                .is_private_memory()
        );
        assert!(!SqliteUrl::parse("sqlite:a.db").unwrap().is_private_memory());
    }

    #[test]
    fn rejects_bad_urls() {
        for bad in [
            "postgres://x",
            "sqlite:",
            "sqlite://",
            "sqlite:a.db?mode=rwx",
            "sqlite:a.db?cache=big",
            "sqlite:a.db?journal=wal",
            "sqlite::memory:?cache=shared",
            "sqlite:%ff.db",
        ] {
            assert!(
                matches!(SqliteUrl::parse(bad), Err(Error::Config(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn memory_uri_escapes_the_name() {
        assert_eq!(
            SqliteUrl::memory_uri("a?b", true),
            "file:a%3Fb?mode=memory&cache=shared"
        );
    }
}
