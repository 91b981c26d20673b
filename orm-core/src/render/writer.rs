//! The SQL writer: owns the text, the parameter list and placeholder numbering, and spells every
//! expression node and SELECT for one dialect. IN lists of bound values are written by `in_list`.

mod in_list;

use std::fmt::Write as _;

use crate::ast::{
    BinOp, CastType, ColumnRef, Direction, Expr, Func, JoinKind, Lock, Nulls, OrderBy, Select,
    TableRef,
};
use crate::dialect::{Backend, Dialect};
use crate::error::{Error, Result};
use crate::render::Statement;
use crate::value::Value;

/// Quotes an identifier for `dialect`, doubling the quote character inside it.
pub fn quote_ident(dialect: Dialect, name: &str, out: &mut String) {
    let q = if dialect == Dialect::MySql { '`' } else { '"' };
    out.push(q);
    if name.contains(q) {
        for c in name.chars() {
            if c == q {
                out.push(q);
            }
            out.push(c);
        }
    } else {
        out.push_str(name);
    }
    out.push(q);
}

/// Appends `n` in decimal (placeholders are numbered per parameter: `fmt` is costly there).
pub(crate) fn push_decimal(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&d| char::from(d)));
}

/// Accumulates SQL text and bound parameters for one statement.
#[derive(Debug)]
pub struct Writer<'b> {
    backend: &'b Backend,
    qualify: bool,
    sql: String,
    params: Vec<Value>,
    list_subquery: bool,
}

const PREC_OR: u8 = 1;
const PREC_AND: u8 = 2;
const PREC_NOT: u8 = 3;
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
            BinOp::Mul | BinOp::Div | BinOp::IntDiv | BinOp::Rem => PREC_MUL,
            _ => PREC_CMP,
        },
        Expr::KeysetAfter { .. } => PREC_AND,
        Expr::Not(_) => PREC_NOT,
        Expr::IsNull { .. }
        | Expr::InList { .. }
        | Expr::InSubquery { .. }
        | Expr::Between { .. }
        | Expr::Like { .. } => PREC_CMP,
        _ => PREC_ATOM,
    }
}

impl<'b> Writer<'b> {
    /// A writer for `backend`; `qualify` prefixes every column with its table (joins, aliases).
    pub fn new(backend: &'b Backend, qualify: bool) -> Self {
        Self {
            backend,
            qualify,
            sql: String::with_capacity(256),
            params: Vec::new(),
            list_subquery: false,
        }
    }

    /// Bytes of SQL written so far (a position for [`insert_sql`](Self::insert_sql)).
    pub(crate) fn sql_len(&self) -> usize {
        self.sql.len()
    }

    /// Inserts `text` (which must hold no placeholder) at byte position `at` of the SQL.
    pub(crate) fn insert_sql(&mut self, at: usize, text: &str) {
        self.sql.insert_str(at, text);
    }

    /// `true` once an IN list was written as a subquery over `JSON_TABLE` (MySQL/MariaDB). MariaDB
    /// before 11.1 runs such a subquery once per row in a single-table UPDATE or DELETE; the
    /// multi-table forms are planned like a SELECT (semi-join, materialization), so those renderers
    /// switch to them.
    pub(crate) fn wrote_list_subquery(&self) -> bool {
        self.list_subquery
    }

    /// Makes room for `sql` more bytes of text and `params` more parameters.
    pub(crate) fn reserve(&mut self, sql: usize, params: usize) {
        self.sql.reserve(sql);
        self.params.reserve(params);
    }

    /// The dialect written for.
    pub fn dialect(&self) -> Dialect {
        self.backend.dialect
    }

    /// The finished statement.
    pub fn finish(self) -> Statement {
        Statement {
            sql: self.sql.into(),
            params: self.params,
        }
    }

    /// The finished statement, or `InvalidQuery` when it binds more parameters than the dialect
    /// accepts in one statement.
    pub fn finish_checked(self) -> Result<Statement> {
        let max = self.backend.dialect.max_params();
        if self.params.len() > max {
            return Err(Error::InvalidQuery(format!(
                "the statement binds {} parameters; {} accepts at most {max} in one statement",
                self.params.len(),
                self.backend.dialect
            )));
        }
        Ok(self.finish())
    }

    /// Appends raw SQL text (only for text the renderer itself owns).
    pub fn push(&mut self, s: &str) {
        self.sql.push_str(s);
    }

    /// Appends a quoted identifier.
    pub fn ident(&mut self, name: &str) {
        quote_ident(self.backend.dialect, name, &mut self.sql);
    }

    /// Appends quoted identifiers separated by `, `.
    pub fn ident_list(&mut self, names: &[&str]) {
        for (i, n) in names.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.ident(n);
        }
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
                self.sql.push('$');
                push_decimal(&mut self.sql, self.params.len());
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

    /// Appends a whole SELECT (no surrounding parentheses).
    pub fn select(&mut self, q: &Select) -> Result<()> {
        let d = self.backend.dialect;
        if q.distinct && q.order_by.iter().any(|o| !q.columns.contains(&o.expr)) {
            return Err(Error::InvalidQuery(
                "SELECT DISTINCT must select every sort key (PostgreSQL and MySQL reject sorting \
                 distinct rows by an unselected expression)"
                    .into(),
            ));
        }
        if q.columns.is_empty() {
            return Err(Error::InvalidQuery("SELECT with no columns".into()));
        }
        self.push("SELECT ");
        if q.distinct {
            self.push("DISTINCT ");
        }
        self.comma_list(&q.columns, |w, e| w.expr(e))?;
        self.push(" FROM ");
        self.table_ref(&q.from);
        for j in &q.joins {
            self.push(match j.kind {
                JoinKind::Inner => " INNER JOIN ",
                JoinKind::Left => " LEFT JOIN ",
            });
            self.table_ref(&j.table);
            self.push(" ON ");
            self.expr(&j.on)?;
        }
        if let Some(f) = &q.filter {
            self.push(" WHERE ");
            self.expr(f)?;
        }
        if !q.group_by.is_empty() {
            self.push(" GROUP BY ");
            self.comma_list(&q.group_by, |w, e| w.expr(e))?;
        }
        if let Some(h) = &q.having {
            self.push(" HAVING ");
            self.expr(h)?;
        }
        if !q.order_by.is_empty() {
            self.push(" ORDER BY ");
            self.comma_list(&q.order_by, |w, o| w.order_by(o))?;
        }
        self.limit_offset(q.limit, q.offset);
        if let Some(lock) = q.lock {
            match (d, lock) {
                (Dialect::Sqlite, Lock::Update) => {
                    return Err(Error::unsupported("SELECT ... FOR UPDATE", d));
                }
                (Dialect::Sqlite, Lock::Share) => {
                    return Err(Error::unsupported("SELECT ... FOR SHARE", d));
                }
                (_, Lock::Update) => self.push(" FOR UPDATE"),
                (Dialect::MySql, Lock::Share) => self.push(" LOCK IN SHARE MODE"),
                (_, Lock::Share) => self.push(" FOR SHARE"),
            }
        }
        Ok(())
    }

    /// Appends a SELECT used inside another statement, with every column qualified (an unqualified
    /// column would silently bind to the subquery's own table when both have that name).
    pub fn subquery_body(&mut self, q: &Select) -> Result<()> {
        let outer = std::mem::replace(&mut self.qualify, true);
        let res = self.select(q);
        self.qualify = outer;
        res
    }

    fn subquery(&mut self, q: &Select) -> Result<()> {
        self.push("(");
        self.subquery_body(q)?;
        self.push(")");
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
                operands,
            } if matches!(operands[1], Expr::Value(Value::Null)) => {
                self.child(&operands[0], PREC_CMP + 1)?;
                self.push(if *op == BinOp::Eq {
                    " IS NULL"
                } else {
                    " IS NOT NULL"
                });
            }
            Expr::Binary { op, operands } => {
                let [lhs, rhs] = &**operands;
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
                    self.push(match (op, self.backend.dialect) {
                        (BinOp::IntDiv, Dialect::MySql) => "DIV",
                        _ => op.sql(),
                    });
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
            } => self.in_list(expr, list, *negated)?,
            Expr::InSubquery {
                expr,
                query,
                negated,
            } => {
                if self.backend.dialect == Dialect::MySql
                    && (query.limit.is_some() || query.offset.is_some())
                {
                    return Err(Error::unsupported(
                        "LIMIT/OFFSET inside an IN subquery",
                        Dialect::MySql,
                    ));
                }
                self.child(expr, PREC_CMP + 1)?;
                self.push(if *negated { " NOT IN " } else { " IN " });
                self.subquery(query)?;
            }
            Expr::Exists { query, negated } => {
                self.push(if *negated { "NOT EXISTS " } else { "EXISTS " });
                self.subquery(query)?;
            }
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => {
                self.child(expr, PREC_CMP + 1)?;
                self.push(if *negated {
                    " NOT BETWEEN "
                } else {
                    " BETWEEN "
                });
                self.child(low, PREC_CMP + 1)?;
                self.push(" AND ");
                self.child(high, PREC_CMP + 1)?;
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
            Expr::Cast { expr, to } => {
                self.push("CAST(");
                self.expr(expr)?;
                self.push(match (to, self.backend.dialect) {
                    (CastType::BigInt, Dialect::Postgres) => " AS BIGINT)",
                    (CastType::BigInt, Dialect::MySql) => " AS SIGNED)",
                    (CastType::BigInt, Dialect::Sqlite) => " AS INTEGER)",
                    (CastType::Double, Dialect::Postgres) => " AS DOUBLE PRECISION)",
                    (CastType::Double, Dialect::MySql) => " AS DOUBLE)",
                    (CastType::Double, Dialect::Sqlite) => " AS REAL)",
                });
            }
            Expr::KeysetAfter { keys, values } => self.keyset_after(keys, values)?,
            Expr::Alias { expr, name } => {
                self.expr(expr)?;
                self.push(" AS ");
                self.ident(name);
            }
            Expr::Raw { sql, params } => {
                let dialect = self.backend.dialect;
                let start = self.params.len();
                let n = crate::raw::rewrite_placeholders(sql, dialect, start, &mut self.sql)?;
                if n != params.len() {
                    return Err(Error::InvalidQuery(format!(
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
        let same = match e {
            Expr::Binary { op, .. } => *op == parent,
            Expr::KeysetAfter { .. } => parent == BinOp::And,
            _ => false,
        };
        self.child(e, if same { PREC_AND } else { PREC_AND + 1 })
    }

    fn func(&mut self, func: Func, args: &[Expr]) -> Result<()> {
        let d = self.backend.dialect;
        match (func, d) {
            (Func::Lower | Func::Upper, Dialect::Postgres) => {
                // The C collation folds ASCII letters only, like SQLite's LOWER.
                self.push(if func == Func::Lower {
                    "LOWER("
                } else {
                    "UPPER("
                });
                self.single_arg(func, args)?;
                self.push(" COLLATE \"C\")");
                return Ok(());
            }
            (Func::Lower | Func::Upper, Dialect::MySql) => {
                // MySQL's LOWER/UPPER fold all of Unicode; REPLACE per ASCII letter keeps one rule.
                for _ in 0..26 {
                    self.push("REPLACE(");
                }
                self.single_arg(func, args)?;
                for (upper, lower) in ('A'..='Z').zip('a'..='z') {
                    let (from, to) = if func == Func::Lower {
                        (upper, lower)
                    } else {
                        (lower, upper)
                    };
                    let _ = write!(self.sql, ", '{from}', '{to}')");
                }
                return Ok(());
            }
            _ => {}
        }
        let name = match (func, d) {
            (Func::Count | Func::CountDistinct, _) => "COUNT(",
            (Func::Lower, _) => "LOWER(",
            (Func::Upper, _) => "UPPER(",
            (Func::Length, Dialect::MySql) => "CHAR_LENGTH(",
            (Func::Length, _) => "LENGTH(",
            (Func::Coalesce, _) => "COALESCE(",
            (Func::Sum, _) => "SUM(",
            (Func::Avg, _) => "AVG(",
            (Func::Min, _) => "MIN(",
            (Func::Max, _) => "MAX(",
        };
        self.push(name);
        if func == Func::CountDistinct {
            self.push("DISTINCT ");
        }
        self.comma_list(args, |w, e| w.expr(e))?;
        self.push(")");
        Ok(())
    }

    fn single_arg(&mut self, func: Func, args: &[Expr]) -> Result<()> {
        match args {
            [arg] => self.child(arg, PREC_ATOM),
            _ => Err(Error::InvalidQuery(format!(
                "{func:?} takes one argument, got {}",
                args.len()
            ))),
        }
    }

    /// `keys` sort strictly after `values`.
    fn keyset_after(&mut self, keys: &[(Expr, Direction)], values: &[Expr]) -> Result<()> {
        if keys.is_empty() || keys.len() != values.len() {
            return Err(Error::InvalidQuery(format!(
                "keyset pagination needs one value per key ({} keys, {} values)",
                keys.len(),
                values.len()
            )));
        }
        let after = |dir: Direction, strict: bool| match (dir, strict) {
            (Direction::Asc, true) => " > ",
            (Direction::Asc, false) => " >= ",
            (Direction::Desc, true) => " < ",
            (Direction::Desc, false) => " <= ",
        };
        let dir = keys[0].1;
        let uniform = keys.iter().all(|(_, d)| *d == dir);
        if keys.len() == 1 {
            self.child(&keys[0].0, PREC_CMP + 1)?;
            self.push(after(dir, true));
            return self.child(&values[0], PREC_CMP + 1);
        }
        if uniform && self.backend.dialect != Dialect::MySql {
            self.push("(");
            self.comma_list(keys, |w, (k, _)| w.expr(k))?;
            self.push(")");
            self.push(after(dir, true));
            self.push("(");
            self.comma_list(values, |w, v| w.expr(v))?;
            self.push(")");
            return Ok(());
        }
        // k1 >= v1 AND (k1 > v1 OR (k1 = v1 AND k2 > v2) OR ...): the leading bound is an index range.
        self.child(&keys[0].0, PREC_CMP + 1)?;
        self.push(after(dir, false));
        self.child(&values[0], PREC_CMP + 1)?;
        self.push(" AND (");
        for i in 0..keys.len() {
            if i > 0 {
                self.push(" OR ");
            }
            if i > 0 {
                self.push("(");
            }
            for j in 0..i {
                self.child(&keys[j].0, PREC_CMP + 1)?;
                self.push(" = ");
                self.child(&values[j], PREC_CMP + 1)?;
                self.push(" AND ");
            }
            self.child(&keys[i].0, PREC_CMP + 1)?;
            self.push(after(keys[i].1, true));
            self.child(&values[i], PREC_CMP + 1)?;
            if i > 0 {
                self.push(")");
            }
        }
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

#[cfg(test)]
mod tests {
    use super::push_decimal;

    #[test]
    fn push_decimal_writes_every_digit() {
        for n in [0, 7, 10, 99, 100, 65_535, usize::MAX] {
            let mut s = String::from("$");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("${n}"));
        }
    }
}
