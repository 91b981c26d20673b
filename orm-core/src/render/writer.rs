//! The SQL writer: owns the text, the parameter list and placeholder numbering.

use crate::ast::TableRef;
use crate::dialect::{Backend, Dialect};
use crate::error::Result;
use crate::expr::{BinOp, ColumnRef, Direction, Expr, Func, Nulls, OrderBy};
use crate::render::Statement;
use crate::value::Value;

/// Quotes an identifier for `dialect`, doubling the quote character inside it.
pub fn quote_ident(dialect: Dialect, name: &str, out: &mut String) {
    let q = if dialect == Dialect::MySql { '`' } else { '"' };
    out.push(q);
    for c in name.chars() {
        if c == q {
            out.push(q);
        }
        out.push(c);
    }
    out.push(q);
}

/// Accumulates SQL text and bound parameters for one statement.
#[derive(Debug)]
pub struct Writer<'b> {
    backend: &'b Backend,
    qualify: bool,
    sql: String,
    params: Vec<Value>,
}

const PREC_OR: u8 = 1;
const PREC_AND: u8 = 2;
const PREC_CMP: u8 = 4;
const PREC_ADD: u8 = 5;
const PREC_MUL: u8 = 6;
const PREC_ATOM: u8 = 7;

fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Binary { op, .. } => match op {
            BinOp::Or => PREC_OR,
            BinOp::And => PREC_AND,
            BinOp::Add | BinOp::Sub => PREC_ADD,
            BinOp::Mul | BinOp::Div => PREC_MUL,
            _ => PREC_CMP,
        },
        Expr::Not(_) => PREC_AND + 1,
        Expr::IsNull { .. } | Expr::InList { .. } | Expr::Like { .. } => PREC_CMP,
        _ => PREC_ATOM,
    }
}

impl<'b> Writer<'b> {
    /// A writer for `backend`; `qualify` prefixes every column with its table (joins, aliases).
    pub fn new(backend: &'b Backend, qualify: bool) -> Self {
        Self {
            backend,
            qualify,
            sql: String::with_capacity(128),
            params: Vec::new(),
        }
    }

    /// The dialect written for.
    pub fn dialect(&self) -> Dialect {
        self.backend.dialect
    }

    /// The finished statement.
    pub fn finish(self) -> Statement {
        Statement {
            sql: self.sql,
            params: self.params,
        }
    }

    /// Appends raw SQL text (only for text the renderer itself owns).
    pub fn push(&mut self, s: &str) {
        self.sql.push_str(s);
    }

    /// Appends a quoted identifier.
    pub fn ident(&mut self, name: &str) {
        quote_ident(self.backend.dialect, name, &mut self.sql);
    }

    /// Appends a table reference with its alias.
    pub fn table_ref(&mut self, t: &TableRef) {
        self.ident(t.name);
        if let Some(a) = t.alias {
            self.push(" AS ");
            self.ident(a);
        }
    }

    fn column(&mut self, c: &ColumnRef) {
        if self.qualify {
            self.ident(c.table);
            self.push(".");
        }
        self.ident(c.name);
    }

    /// Appends the next placeholder and binds `value`.
    pub fn param(&mut self, value: Value) -> Result<()> {
        self.params.push(value.into_bindable()?);
        self.placeholder();
        Ok(())
    }

    fn placeholder(&mut self) {
        match self.backend.dialect {
            Dialect::Postgres => {
                use std::fmt::Write;
                let _ = write!(self.sql, "${}", self.params.len());
            }
            Dialect::MySql | Dialect::Sqlite => self.sql.push('?'),
        }
    }

    /// Appends `items` separated by `, `.
    pub fn comma_list<T>(
        &mut self,
        items: &[T],
        mut f: impl FnMut(&mut Self, &T) -> Result<()>,
    ) -> Result<()> {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            f(self, item)?;
        }
        Ok(())
    }

    /// Appends an expression.
    pub fn expr(&mut self, e: &Expr) -> Result<()> {
        match e {
            Expr::Column(c) => self.column(c),
            Expr::Value(v) => self.param(v.clone())?,
            Expr::Bool(b) => self.push(if *b { "TRUE" } else { "FALSE" }),
            Expr::Binary {
                op: op @ (BinOp::Eq | BinOp::Ne),
                lhs,
                rhs,
            } if matches!(**rhs, Expr::Value(Value::Null)) => {
                self.child(lhs, PREC_CMP + 1)?;
                self.push(if *op == BinOp::Eq {
                    " IS NULL"
                } else {
                    " IS NOT NULL"
                });
            }
            Expr::Binary { op, lhs, rhs } => {
                let p = precedence(e);
                if matches!(op, BinOp::And | BinOp::Or) {
                    // Associative; a nested AND/OR of the other kind is parenthesized for readability.
                    self.logic_child(*op, lhs)?;
                    self.push(" ");
                    self.push(op.sql());
                    self.push(" ");
                    self.logic_child(*op, rhs)?;
                } else {
                    self.child(lhs, p)?;
                    self.push(" ");
                    self.push(op.sql());
                    self.push(" ");
                    // Equal precedence on the right needs parentheses (a - (b - c)).
                    self.child(rhs, p + 1)?;
                }
            }
            Expr::Not(inner) => {
                // Always parenthesized: MySQL's HIGH_NOT_PRECEDENCE mode would otherwise change the meaning.
                self.push("NOT ");
                self.child(inner, PREC_ATOM)?;
            }
            Expr::IsNull { expr, negated } => {
                self.child(expr, PREC_CMP + 1)?;
                self.push(if *negated { " IS NOT NULL" } else { " IS NULL" });
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                if list.is_empty() {
                    return self.expr(&Expr::Bool(*negated));
                }
                self.child(expr, PREC_CMP + 1)?;
                self.push(if *negated { " NOT IN (" } else { " IN (" });
                self.comma_list(list, |w, e| w.expr(e))?;
                self.push(")");
            }
            Expr::Like {
                expr,
                pattern,
                negated,
            } => {
                self.child(expr, PREC_CMP + 1)?;
                self.push(if *negated { " NOT LIKE " } else { " LIKE " });
                self.child(pattern, PREC_CMP + 1)?;
                self.push(" ESCAPE '\\'");
            }
            Expr::Func { func, args } => self.func(*func, args)?,
            Expr::CountStar => self.push("COUNT(*)"),
            Expr::Raw { sql, params } => {
                let dialect = self.backend.dialect;
                let start = self.params.len();
                let n = crate::raw::rewrite_placeholders(sql, dialect, start, &mut self.sql)?;
                if n != params.len() {
                    return Err(crate::Error::InvalidQuery(format!(
                        "raw SQL fragment has {n} placeholders but {} values",
                        params.len()
                    )));
                }
                for p in params {
                    self.params.push(p.clone().into_bindable()?);
                }
            }
        }
        Ok(())
    }

    fn child(&mut self, e: &Expr, min_prec: u8) -> Result<()> {
        if precedence(e) < min_prec {
            self.push("(");
            self.expr(e)?;
            self.push(")");
            Ok(())
        } else {
            self.expr(e)
        }
    }

    /// An operand of AND/OR: parenthesized when it is the other connective (or looser).
    fn logic_child(&mut self, parent: BinOp, e: &Expr) -> Result<()> {
        let same = matches!(e, Expr::Binary { op, .. } if *op == parent);
        self.child(e, if same { PREC_AND } else { PREC_AND + 1 })
    }

    fn func(&mut self, func: Func, args: &[Expr]) -> Result<()> {
        let name = match (func, self.backend.dialect) {
            (Func::Count, _) => "COUNT",
            (Func::Lower, _) => "LOWER",
            (Func::Upper, _) => "UPPER",
            (Func::Length, Dialect::MySql) => "CHAR_LENGTH",
            (Func::Length, _) => "LENGTH",
            (Func::Coalesce, _) => "COALESCE",
            (Func::Sum, _) => "SUM",
            (Func::Avg, _) => "AVG",
            (Func::Min, _) => "MIN",
            (Func::Max, _) => "MAX",
        };
        self.push(name);
        self.push("(");
        self.comma_list(args, |w, e| w.expr(e))?;
        self.push(")");
        Ok(())
    }

    /// Appends one ORDER BY key, emulating NULLS FIRST/LAST on MySQL.
    pub fn order_by(&mut self, o: &OrderBy) -> Result<()> {
        if let (Some(nulls), Dialect::MySql) = (o.nulls, self.backend.dialect) {
            self.child(&o.expr, PREC_CMP + 1)?;
            self.push(if nulls == Nulls::First {
                " IS NULL DESC, "
            } else {
                " IS NULL ASC, "
            });
        }
        self.expr(&o.expr)?;
        self.push(if o.direction == Direction::Asc {
            " ASC"
        } else {
            " DESC"
        });
        if let (Some(nulls), Dialect::Postgres | Dialect::Sqlite) = (o.nulls, self.backend.dialect)
        {
            self.push(if nulls == Nulls::First {
                " NULLS FIRST"
            } else {
                " NULLS LAST"
            });
        }
        Ok(())
    }

    /// Appends LIMIT/OFFSET as integer literals.
    pub fn limit_offset(&mut self, limit: Option<u64>, offset: Option<u64>) {
        use std::fmt::Write;
        match (limit, offset, self.backend.dialect) {
            (None, None, _) => {}
            (Some(l), _, _) => {
                let _ = write!(self.sql, " LIMIT {l}");
            }
            (None, Some(_), Dialect::MySql) => self.push(" LIMIT 18446744073709551615"),
            (None, Some(_), Dialect::Sqlite) => self.push(" LIMIT -1"),
            (None, Some(_), Dialect::Postgres) => {}
        }
        if let Some(o) = offset {
            let _ = write!(self.sql, " OFFSET {o}");
        }
    }
}
