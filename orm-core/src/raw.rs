//! Hand-written SQL with bound parameters: the explicit escape hatch.
//!
//! Contract: raw SQL uses `?` for every parameter on every backend; for PostgreSQL the `?`s are
//! rewritten to `$1, $2, ...`, skipping string literals, quoted identifiers, comments and
//! dollar-quoted strings. A backslash never escapes a quote (MySQL sessions run with
//! `NO_BACKSLASH_ESCAPES`; PostgreSQL and SQLite strings are standard), so `'\'` is one backslash.
//! Write `??` for a literal `?` (for PostgreSQL's JSON operators). Values are always bound, never
//! spliced. Only `&'static str` SQL is accepted directly; SQL assembled at run time
//! must be wrapped in [`AssertSqlSafe`], which makes that choice visible in review.

use std::borrow::Cow;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::executor::{ExecResult, Executor, RowStream};
use crate::render::{SqlText, Statement};
use crate::row::FromRawRow;
use crate::value::{ToValue, Value};

/// SQL text that may be run as is: string literals, or text explicitly vouched for.
pub trait SqlSafeStr {
    /// The text.
    fn into_sql(self) -> Cow<'static, str>;
}

impl SqlSafeStr for &'static str {
    fn into_sql(self) -> Cow<'static, str> {
        Cow::Borrowed(self)
    }
}

/// Marks SQL built at run time as reviewed: it must contain no user input (bind that with `.bind`).
#[derive(Clone, Debug)]
pub struct AssertSqlSafe<S>(pub S);

impl<S: Into<String>> SqlSafeStr for AssertSqlSafe<S> {
    fn into_sql(self) -> Cow<'static, str> {
        Cow::Owned(self.0.into())
    }
}

/// A hand-written statement with `?` placeholders and its bound values.
#[derive(Clone, Debug)]
#[must_use = "a raw query does nothing until it is executed or fetched"]
pub struct Raw {
    sql: Cow<'static, str>,
    params: Vec<Value>,
}

/// Starts a hand-written statement: `raw("SELECT id, name FROM users WHERE id = ?").bind(7)`.
pub fn raw(sql: impl SqlSafeStr) -> Raw {
    Raw {
        sql: sql.into_sql(),
        params: Vec::new(),
    }
}

impl Raw {
    /// Binds the next `?`.
    pub fn bind(mut self, value: impl ToValue) -> Self {
        self.params.push(value.to_value());
        self
    }

    /// The SQL text and values, as an expression usable inside builder queries.
    pub fn into_expr(self) -> crate::ast::Expr {
        crate::ast::Expr::Raw {
            sql: self.sql,
            params: self.params,
        }
    }

    /// Renders for `dialect`, checking the placeholder count.
    ///
    /// A `&'static str` text that comes out of the rewrite unchanged (no `??`, on MySQL and SQLite)
    /// is handed to the statement as is, without a copy.
    pub fn to_statement(&self, dialect: Dialect) -> Result<Statement> {
        let (sql, n) = match self.sql {
            Cow::Borrowed(text) if dialect != Dialect::Postgres && !text.contains("??") => {
                let n = rewrite_into(text, dialect, 0, &mut CountOnly)?;
                (SqlText::Static(text), n)
            }
            _ => {
                let mut sql = String::with_capacity(self.sql.len() + 8);
                let n = rewrite_placeholders(&self.sql, dialect, 0, &mut sql)?;
                (SqlText::Owned(sql), n)
            }
        };
        if n != self.params.len() {
            return Err(Error::InvalidQuery(format!(
                "raw SQL has {n} placeholders but {} bound values",
                self.params.len()
            )));
        }
        let params = self
            .params
            .iter()
            .cloned()
            .map(Value::into_bindable)
            .collect::<Result<_>>()?;
        Ok(Statement { sql, params })
    }

    /// Runs the statement; returns rows affected (rows matched, for UPDATE, on every backend).
    pub async fn execute(self, db: &impl Executor) -> Result<u64> {
        let st = self.to_statement(db.backend().dialect)?;
        db.execute(st).await.map(|r: ExecResult| r.rows_affected)
    }

    /// Runs the query and maps every row into `T` (a model by column name, or a tuple by position).
    pub async fn fetch_all<T: FromRawRow>(self, db: &impl Executor) -> Result<Vec<T>> {
        let st = self.to_statement(db.backend().dialect)?;
        let rows: Vec<ByName<T>> = db.fetch_all(st).await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Runs the query and maps the first row, if any.
    pub async fn fetch_optional<T: FromRawRow>(self, db: &impl Executor) -> Result<Option<T>> {
        let st = self.to_statement(db.backend().dialect)?;
        let row: Option<ByName<T>> = db.fetch_optional(st).await?;
        Ok(row.map(|r| r.0))
    }

    /// The rows as they arrive, each mapped into `T`, with bounded memory (see [`RowStream`]). A
    /// statement that cannot be rendered yields its error as the only item.
    pub fn stream<T: FromRawRow>(self, db: &impl Executor) -> RowStream<'_, T> {
        match self.to_statement(db.backend().dialect) {
            Ok(st) => RowStream::new(Unwrapped(db.stream::<ByName<T>>(st))),
            Err(e) => RowStream::failed(e),
        }
    }

    /// Runs the query and maps the first row; no row is [`Error::NotFound`].
    pub async fn fetch_one<T: FromRawRow>(self, db: &impl Executor) -> Result<T> {
        self.fetch_optional(db)
            .await?
            .ok_or_else(|| Error::NotFound { table: "raw query" })
    }
}

/// The rows of [`Raw::stream`]: a stream of [`ByName`] rows, unwrapped.
struct Unwrapped<'a, T>(RowStream<'a, ByName<T>>);

impl<T> Stream for Unwrapped<'_, T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        Pin::new(&mut self.get_mut().0)
            .poll_next(cx)
            .map(|row| row.map(|r| r.map(|r| r.0)))
    }
}

/// Adapts a [`FromRawRow`] type to the executor's positional [`FromRow`](crate::FromRow) contract.
struct ByName<T>(T);

impl<T: FromRawRow> crate::row::FromRow for ByName<T> {
    const WIDTH: usize = 0; // reads by name, not by position
    #[inline]
    fn from_row_at<R: crate::RawRow + ?Sized>(row: &R, _start: usize) -> Result<Self> {
        T::from_raw_row(row).map(ByName)
    }
}

/// Copies `sql` into `out`, turning each `?` placeholder into the dialect's style (numbered from
/// `already + 1` on PostgreSQL) and `??` into a literal `?`. Returns the number of placeholders.
pub fn rewrite_placeholders(
    sql: &str,
    dialect: Dialect,
    already: usize,
    out: &mut String,
) -> Result<usize> {
    rewrite_into(sql, dialect, already, out)
}

/// Where [`rewrite_into`] writes the rewritten text.
trait SqlOut {
    fn push_str(&mut self, s: &str);
    fn push(&mut self, c: char);
    fn push_decimal(&mut self, n: usize);
}

impl SqlOut for String {
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
    fn push(&mut self, c: char) {
        String::push(self, c);
    }
    fn push_decimal(&mut self, n: usize) {
        crate::render::push_decimal(self, n);
    }
}

/// Checks and counts placeholders without keeping the text.
struct CountOnly;

impl SqlOut for CountOnly {
    fn push_str(&mut self, _: &str) {}
    fn push(&mut self, _: char) {}
    fn push_decimal(&mut self, _: usize) {}
}

/// [`rewrite_placeholders`] into any [`SqlOut`].
fn rewrite_into(
    sql: &str,
    dialect: Dialect,
    already: usize,
    out: &mut impl SqlOut,
) -> Result<usize> {
    let b = sql.as_bytes();
    let mut n = 0;
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        match b[i] {
            b'?' => {
                out.push_str(&sql[copied..i]);
                if b.get(i + 1) == Some(&b'?') {
                    out.push('?');
                    i += 2;
                } else {
                    n += 1;
                    if dialect == Dialect::Postgres {
                        out.push('$');
                        out.push_decimal(already + n);
                    } else {
                        out.push('?');
                    }
                    i += 1;
                }
                copied = i;
            }
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < b.len() {
                    if b[i] == q {
                        if b.get(i + 1) == Some(&q) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                if i >= b.len() {
                    return Err(Error::InvalidQuery(
                        "unterminated quoted string in raw SQL".into(),
                    ));
                }
                i += 1;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'#' if dialect == Dialect::MySql => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => match sql[i + 2..].find("*/") {
                Some(end) => i = i + 2 + end + 2,
                None => {
                    return Err(Error::InvalidQuery(
                        "unterminated comment in raw SQL".into(),
                    ));
                }
            },
            b'$' if dialect == Dialect::Postgres => {
                // Dollar-quoted string: $tag$ ... $tag$
                let rest = &sql[i + 1..];
                let tag_len = rest
                    .bytes()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    .count();
                if rest.as_bytes().get(tag_len) == Some(&b'$')
                    && !rest.as_bytes()[..tag_len]
                        .first()
                        .is_some_and(u8::is_ascii_digit)
                {
                    let tag = &sql[i..i + tag_len + 2];
                    match sql[i + tag.len()..].find(tag) {
                        Some(end) => i = i + tag.len() + end + tag.len(),
                        None => {
                            return Err(Error::InvalidQuery(
                                "unterminated dollar-quoted string in raw SQL".into(),
                            ));
                        }
                    }
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied..]);
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_static_text_left_unchanged_is_not_copied() {
        let sql = "SELECT ? FROM t WHERE a = '??' -- ??";
        for dialect in [Dialect::MySql, Dialect::Sqlite] {
            let st = raw("SELECT ? FROM t WHERE a = ?")
                .bind(1)
                .bind(2)
                .to_statement(dialect)
                .unwrap();
            assert!(matches!(
                st.sql,
                SqlText::Static("SELECT ? FROM t WHERE a = ?")
            ));
            let err = raw("SELECT ?").to_statement(dialect).unwrap_err();
            assert!(matches!(err, Error::InvalidQuery(_)), "{err}");
            let unterminated = raw("SELECT 'a").to_statement(dialect).unwrap_err();
            assert!(matches!(unterminated, Error::InvalidQuery(_)));
            // `??` outside quotes is rewritten, so any `??` makes a copy.
            let st = raw(sql).bind(1).to_statement(dialect).unwrap();
            assert!(matches!(st.sql, SqlText::Owned(_)));
            assert_eq!(st.sql, sql);
            let st = raw("SELECT a ?? b, ?")
                .bind(1)
                .to_statement(dialect)
                .unwrap();
            assert_eq!(st.sql, "SELECT a ? b, ?");
        }
        let st = raw("SELECT ?")
            .bind(1)
            .to_statement(Dialect::Postgres)
            .unwrap();
        assert_eq!(st.sql, "SELECT $1");
        let owned = raw(AssertSqlSafe(String::from("SELECT ?"))).bind(1);
        assert!(matches!(
            owned.to_statement(Dialect::MySql).unwrap().sql,
            SqlText::Owned(_)
        ));
    }

    #[test]
    fn a_backslash_does_not_escape_a_quote() {
        for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
            let st = raw("SELECT ? WHERE a LIKE ? ESCAPE '\\' AND b = '\\'")
                .bind(1)
                .bind("x")
                .to_statement(dialect)
                .map(|st| st.sql);
            let want = match dialect {
                Dialect::Postgres => "SELECT $1 WHERE a LIKE $2 ESCAPE '\\' AND b = '\\'",
                _ => "SELECT ? WHERE a LIKE ? ESCAPE '\\' AND b = '\\'",
            };
            assert_eq!(st.ok().as_deref(), Some(want), "{dialect}");
        }
    }
}
