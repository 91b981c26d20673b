//! IN lists of bound values (`Expr::InList`).
//!
//! Contract: up to [`Dialect::max_inline_list`] values get one placeholder each; a longer list is
//! bound as ONE [`Value::List`] (shared with the AST, not copied), read by `= ANY($n)` /
//! `<> ALL($n)` on PostgreSQL, `IN rarray(:orm_list<n>)` on SQLite (the named placeholder is how the
//! driver knows where a list may be bound), and an IN subquery over `JSON_TABLE(?, '$[*]' ...)` on
//! MySQL/MariaDB whose column type follows the values: `BIGINT` (integers, booleans), `DOUBLE`,
//! `VARCHAR(255)` or `LONGTEXT` text under the tables' binary NO PAD collation, or base64 text
//! decoded by `FROM_BASE64` (bytes). Every form keeps the meaning of `IN` / `NOT IN` exactly, NULLs
//! included; an empty list is `FALSE` / `TRUE`. A MySQL list mixing value types is `InvalidQuery`.

use std::sync::Arc;

use super::{PREC_CMP, Writer, push_decimal};
use crate::ast::Expr;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::value::Value;

/// Longest text (in characters) or binary value (in bytes) of a MySQL `JSON_TABLE` list that gets
/// a `VARCHAR` column, which MariaDB can materialize and index; a longer one needs `LONGTEXT`.
const MYSQL_SHORT_LIST_ITEM: usize = 255;

/// What a MySQL `JSON_TABLE` list holds, decided by its non-NULL values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ListItems {
    Integer,
    Float,
    Text { short: bool },
    Bytes { short: bool },
}

impl ListItems {
    fn of(list: &[Value]) -> Result<ListItems> {
        let mut kind = None::<ListItems>;
        for v in list {
            let this = match v {
                Value::Null => continue,
                Value::Bool(_) | Value::I16(_) | Value::I32(_) | Value::I64(_) | Value::U64(_) => {
                    ListItems::Integer
                }
                Value::F32(_) | Value::F64(_) => ListItems::Float,
                Value::String(s) => ListItems::Text {
                    short: s.len() <= MYSQL_SHORT_LIST_ITEM
                        || s.chars().count() <= MYSQL_SHORT_LIST_ITEM,
                },
                Value::Bytes(b) => ListItems::Bytes {
                    short: b.len() <= MYSQL_SHORT_LIST_ITEM,
                },
                // `Value::into_bindable` rejects it.
                Value::List(_) => continue,
            };
            kind = Some(match (kind, this) {
                (None, k) => k,
                (Some(ListItems::Text { short: a }), ListItems::Text { short: b }) => {
                    ListItems::Text { short: a && b }
                }
                (Some(ListItems::Bytes { short: a }), ListItems::Bytes { short: b }) => {
                    ListItems::Bytes { short: a && b }
                }
                (Some(k), t) if k == t => k,
                (Some(_), _) => {
                    return Err(Error::InvalidQuery(format!(
                        "an IN list mixes {} values with values of another type",
                        v.type_name()
                    )));
                }
            });
        }
        Ok(kind.unwrap_or(ListItems::Integer))
    }

    /// What the IN subquery selects from `JSON_TABLE`'s column `v`, that column's type, and whether
    /// it is text, which takes the tables' binary NO PAD collation (see `render::ddl`) so that it
    /// compares as the columns do. Bytes travel as base64 and are decoded back.
    fn json_table_column(self) -> (&'static str, &'static str, bool) {
        match self {
            ListItems::Integer => ("`v`", "BIGINT", false),
            ListItems::Float => ("`v`", "DOUBLE", false),
            ListItems::Text { short: true } => ("`v`", "VARCHAR(255) CHARACTER SET utf8mb4", true),
            ListItems::Text { short: false } => ("`v`", "LONGTEXT CHARACTER SET utf8mb4", true),
            // base64 of 255 bytes is 340 characters.
            ListItems::Bytes { short: true } => (
                "FROM_BASE64(`v`)",
                "VARCHAR(340) CHARACTER SET ascii",
                false,
            ),
            ListItems::Bytes { short: false } => {
                ("FROM_BASE64(`v`)", "LONGTEXT CHARACTER SET ascii", false)
            }
        }
    }
}

impl Writer<'_> {
    /// `expr [NOT] IN ...`: placeholders for a short list, one list parameter for a longer one (see
    /// the module docs).
    pub(super) fn in_list(
        &mut self,
        expr: &Expr,
        list: &Arc<[Value]>,
        negated: bool,
    ) -> Result<()> {
        if list.is_empty() {
            return self.expr(&Expr::Bool(negated));
        }
        let dialect = self.backend.dialect;
        self.child(expr, PREC_CMP + 1)?;
        if list.len() <= dialect.max_inline_list() {
            self.push(if negated { " NOT IN (" } else { " IN (" });
            self.comma_list(list, |w, v| w.param(v.clone()))?;
            self.push(")");
            return Ok(());
        }
        self.params
            .push(Value::List(Arc::clone(list)).into_bindable()?);
        let n = self.params.len();
        match dialect {
            Dialect::Postgres => {
                self.push(if negated { " <> ALL($" } else { " = ANY($" });
                push_decimal(&mut self.sql, n);
                self.push(")");
            }
            Dialect::Sqlite => {
                self.push(if negated {
                    " NOT IN rarray(:orm_list"
                } else {
                    " IN rarray(:orm_list"
                });
                push_decimal(&mut self.sql, n);
                self.push(")");
            }
            Dialect::MySql => {
                let (select, column, text) = ListItems::of(list)?.json_table_column();
                self.list_subquery = true;
                self.push(if negated {
                    " NOT IN (SELECT "
                } else {
                    " IN (SELECT "
                });
                self.push(select);
                self.push(" FROM JSON_TABLE(?, '$[*]' COLUMNS (`v` ");
                self.push(column);
                if text {
                    self.push(" COLLATE ");
                    self.push(self.backend.mysql_text_collation());
                }
                self.push(" PATH '$')) AS `orm_list`)");
            }
        }
        Ok(())
    }
}
