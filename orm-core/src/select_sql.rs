//! The SQL texts of builder SELECTs, rendered once per shape and reused with fresh parameters.
//!
//! A query built in a loop (`User::query().left_join::<Post>(..).filter(..).all(db)`) has the same
//! text every time; only its bound values change. Rendering it again (quoting every identifier,
//! placing every parenthesis) costs more than looking the text up.
//!
//! Contract:
//! - A SELECT's shape is everything its text depends on: the backend, the tables and columns (by
//!   the address and length of their `&'static str` names, which identify the text for the life of
//!   the program; a shared `&'static` select list of columns, such as a derived model's, likewise
//!   by its address and length), the operators, the nesting, which bound values are NULL
//!   (`= NULL` renders as `IS NULL`), DISTINCT, the ORDER BY, LIMIT, OFFSET and lock. It is encoded
//!   exactly (no hash stands for it), so two SELECTs with one shape have one text, and the reused
//!   text with the SELECT's own values is exactly what [`render::select`] renders (pinned by tests
//!   on every backend).
//! - Only SELECTs made of columns, bound values, TRUE/FALSE, binary operators, NOT, IS NULL and IN
//!   lists, with ORDER BY on columns and without GROUP BY or HAVING, are encoded; any other SELECT
//!   (subqueries, functions, raw fragments, aliases...) is rendered every time, as is one with a
//!   name of 64 KiB or more, or with an IN list longer than MySQL's inline limit (whose text
//!   depends on the values' types). An IN list's shape is its length when each value gets a
//!   placeholder, and one "long list" mark when the list is bound as one parameter.
//! - Only texts that rendered without error are kept. Values are checked (`into_bindable`) on
//!   every use, so a value that cannot be bound fails as it does when rendered.
//! - At most [`CAPACITY`] texts are kept (see [`SqlTexts`]); each thread also remembers the
//!   few texts it used last ([`Recent`]) and looks there first, without a lock.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;

use crate::ast::{BinOp, Expr, Select};
use crate::dialect::{Backend, Dialect};
use crate::error::Result;
use crate::render::{self, SqlText, Statement};
use crate::sql_texts::{Recent, SqlTexts};
use crate::value::Value;

/// How many SELECT texts are kept at most.
const CAPACITY: usize = 256;

/// A stored shape and its text.
type Entry = (Arc<[u64]>, Arc<str>);

static TEXTS: SqlTexts<Arc<[u64]>, Entry> = SqlTexts::new(CAPACITY);

/// One thread's encoding buffer and the texts it used last.
struct Local {
    /// The shape being encoded, reused from one SELECT to the next.
    shape: Vec<u64>,
    recent: Recent<Entry>,
}

thread_local! {
    static LOCAL: RefCell<Local> = const {
        RefCell::new(Local { shape: Vec::new(), recent: Recent::new() })
    };
}

/// The statement of `q` on `backend`: its text reused (shared, not copied) when a SELECT of the
/// same shape was rendered before, with `q`'s values moved out of it; else [`render::select`].
pub(crate) fn statement(backend: &Backend, mut q: Select) -> Result<Statement> {
    // `try_with`, `try_borrow_mut`: a thread being torn down renders, as would a nested call.
    let reused = LOCAL.try_with(|local| {
        let Ok(mut local) = local.try_borrow_mut() else {
            return None;
        };
        let Local { shape, recent } = &mut *local;
        shape.clear();
        encode_select(backend, &q, shape)?;
        let found = recent.find(|(key, _)| **key == **shape);
        let sql = found.map(|(_, sql)| Arc::clone(sql)).or_else(|| {
            let entry = TEXTS.get(shape.as_slice())?;
            let sql = Arc::clone(&entry.1);
            recent.remember(entry);
            Some(sql)
        });
        Some(match sql {
            Some(sql) => bind(&mut q, backend.dialect).map(|params| Statement {
                sql: SqlText::Shared(sql),
                params,
            }),
            None => render::select(backend, &q).inspect(|st| {
                let entry: Entry = (shape.as_slice().into(), (*st.sql).into());
                TEXTS.put(Arc::clone(&entry.0), entry.clone());
                recent.remember(entry);
            }),
        })
    });
    match reused {
        Ok(Some(st)) => st,
        _ => render::select(backend, &q),
    }
}

/// Tags of the encoded nodes and options.
#[derive(Clone, Copy)]
enum Tag {
    Column = 1,
    Value,
    Null,
    Bool,
    Binary,
    Not,
    IsNull,
    InList,
    None,
    Some,
}

impl Tag {
    /// The tag as a token.
    fn token(self) -> u64 {
        self as u64
    }

    /// The tag as a token, with a small payload above its low byte.
    fn with(self, payload: u64) -> u64 {
        self.token() | payload << 8
    }
}

/// The length token of a list bound as one parameter (inline lists are far shorter).
const LONG_LIST: u64 = u64::MAX;

/// The token before a shared (`&'static`) select list; no list of its own is that long.
const SHARED_LIST: u64 = u64::MAX;

/// The address and length of `&'static` data as one token: equal tokens mean the same contents for
/// the life of the program. `None` when they do not fit.
fn packed(addr: *const u8, len: usize) -> Option<u64> {
    let (addr, len) = (addr as usize as u64, len as u64);
    (addr >> 48 == 0 && len >> 16 == 0).then_some(addr << 16 | len)
}

/// A `&'static str` as one token (see [`packed`]). `None` (the SELECT is not encoded) for a name
/// too long to pack.
fn name(s: &'static str) -> Option<u64> {
    packed(s.as_ptr(), s.len())
}

/// `q`'s select list as one token when it is a shared list of columns (see [`packed`]).
fn shared_columns(q: &Select) -> Option<u64> {
    match &q.columns {
        Cow::Borrowed(list) if list.iter().all(|e| matches!(e, Expr::Column(_))) => {
            packed(list.as_ptr().cast(), list.len())
        }
        _ => None,
    }
}

fn option(v: Option<u64>, out: &mut Vec<u64>) {
    match v {
        None => out.push(Tag::None.token()),
        Some(v) => out.extend([Tag::Some.token(), v]),
    }
}

fn alias(a: Option<&'static str>, out: &mut Vec<u64>) -> Option<()> {
    match a {
        None => out.push(Tag::None.token()),
        Some(a) => out.extend([Tag::Some.token(), name(a)?]),
    }
    Some(())
}

fn backend_token(b: &Backend) -> u64 {
    let dialect = match b.dialect {
        Dialect::Postgres => 0,
        Dialect::MySql => 1,
        Dialect::Sqlite => 2,
    };
    dialect | u64::from(b.insert_returning) << 8 | u64::from(b.mariadb) << 9
}

/// Encodes the shape of `q`; `None` when it holds a node this module does not encode.
fn encode_select(backend: &Backend, q: &Select, out: &mut Vec<u64>) -> Option<()> {
    if !q.group_by.is_empty() || q.having.is_some() {
        return None;
    }
    out.extend([backend_token(backend), u64::from(q.distinct)]);
    out.push(name(q.from.name)?);
    alias(q.from.alias, out)?;
    if let Some(list) = shared_columns(q) {
        out.extend([SHARED_LIST, list]);
    } else {
        out.push(q.columns.len() as u64);
        for c in q.columns.iter() {
            encode_expr(c, backend.dialect, out)?;
        }
    }
    out.push(q.joins.len() as u64);
    for j in &q.joins {
        out.push(j.kind as u64);
        out.push(name(j.table.name)?);
        alias(j.table.alias, out)?;
        encode_expr(&j.on, backend.dialect, out)?;
    }
    match &q.filter {
        None => out.push(Tag::None.token()),
        Some(f) => {
            out.push(Tag::Some.token());
            encode_expr(f, backend.dialect, out)?;
        }
    }
    out.push(q.order_by.len() as u64);
    for o in &q.order_by {
        // Columns only: the renderer may write a sort key twice (NULLS FIRST on MySQL).
        let Expr::Column(c) = &o.expr else {
            return None;
        };
        out.extend([name(c.table)?, name(c.name)?, o.direction as u64]);
        option(o.nulls.map(|n| n as u64), out);
    }
    option(q.limit, out);
    option(q.offset, out);
    option(q.lock.map(|l| l as u64), out);
    Some(())
}

fn encode_expr(e: &Expr, dialect: Dialect, out: &mut Vec<u64>) -> Option<()> {
    match e {
        Expr::Column(c) => {
            out.extend_from_slice(&[Tag::Column.token(), name(c.table)?, name(c.name)?]);
        }
        Expr::Value(Value::Null) => out.push(Tag::Null.token()),
        Expr::Value(_) => out.push(Tag::Value.token()),
        Expr::Bool(b) => out.push(Tag::Bool.with(u64::from(*b))),
        Expr::Binary { op, operands } => {
            out.push(Tag::Binary.with(*op as u64));
            for e in operands.iter() {
                encode_expr(e, dialect, out)?;
            }
        }
        Expr::Not(inner) => {
            out.push(Tag::Not.token());
            encode_expr(inner, dialect, out)?;
        }
        Expr::IsNull { expr, negated } => {
            out.push(Tag::IsNull.with(u64::from(*negated)));
            encode_expr(expr, dialect, out)?;
        }
        // An empty list renders as FALSE / TRUE, without the tested expression.
        Expr::InList { list, negated, .. } if list.is_empty() => {
            out.extend([Tag::InList.with(u64::from(*negated)), 0]);
        }
        // A short list has a placeholder per value: its length is part of the text.
        Expr::InList {
            expr,
            list,
            negated,
        } if list.len() <= dialect.max_inline_list() => {
            out.extend([Tag::InList.with(u64::from(*negated)), list.len() as u64]);
            encode_expr(expr, dialect, out)?;
        }
        // A longer list is one parameter; on MySQL its text depends on the values' types.
        Expr::InList { expr, negated, .. } if dialect != Dialect::MySql => {
            out.extend([Tag::InList.with(u64::from(*negated)), LONG_LIST]);
            encode_expr(expr, dialect, out)?;
        }
        _ => return None,
    }
    Some(())
}

/// The bound values of an encoded SELECT, in the order [`render::select`] binds them, moved out of
/// `q` (an IN list's values, shared with other clones of the tree, are copied).
fn bind(q: &mut Select, dialect: Dialect) -> Result<Vec<Value>> {
    let mut params = Vec::new();
    // Selected columns bind nothing: most of a SELECT list is passed over here, and a shared list
    // is copied only when it holds something else.
    let not_column = |e: &Expr| !matches!(e, Expr::Column(_));
    if q.columns.iter().any(not_column) {
        for e in q.columns.to_mut().iter_mut().filter(|e| not_column(e)) {
            bind_expr(e, dialect, &mut params)?;
        }
    }
    for j in &mut q.joins {
        bind_expr(&mut j.on, dialect, &mut params)?;
    }
    if let Some(f) = &mut q.filter {
        bind_expr(f, dialect, &mut params)?;
    }
    Ok(params)
}

fn bind_expr(e: &mut Expr, dialect: Dialect, params: &mut Vec<Value>) -> Result<()> {
    match e {
        Expr::Value(v) => params.push(std::mem::replace(v, Value::Null).into_bindable()?),
        // `x = NULL` and `x <> NULL` render as `IS [NOT] NULL`, binding nothing for the NULL.
        Expr::Binary {
            op: BinOp::Eq | BinOp::Ne,
            operands,
        } if matches!(operands[1], Expr::Value(Value::Null)) => {
            bind_expr(&mut operands[0], dialect, params)?;
        }
        Expr::Binary { operands, .. } => {
            for e in operands.iter_mut() {
                bind_expr(e, dialect, params)?;
            }
        }
        Expr::Not(inner) | Expr::IsNull { expr: inner, .. } => {
            bind_expr(inner, dialect, params)?;
        }
        Expr::InList { list, .. } if list.is_empty() => {}
        Expr::InList { expr, list, .. } => {
            bind_expr(expr, dialect, params)?;
            if list.len() <= dialect.max_inline_list() {
                for v in list.iter() {
                    params.push(v.clone().into_bindable()?);
                }
            } else {
                params.push(Value::List(Arc::clone(list)).into_bindable()?);
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::ast::{Direction, Join, JoinKind, Lock, Nulls, OrderBy, TableRef};

    const BACKENDS: [Backend; 4] = [
        Backend::POSTGRES,
        Backend::MYSQL,
        Backend::SQLITE,
        Backend {
            mariadb: true,
            insert_returning: true,
            ..Backend::MYSQL
        },
    ];
    const TABLES: [&str; 2] = ["users", "posts"];
    const NAMES: [&str; 3] = ["id", "name", "hair_color"];
    const OPS: [BinOp; 14] = [
        BinOp::Eq,
        BinOp::Ne,
        BinOp::Lt,
        BinOp::Le,
        BinOp::Gt,
        BinOp::Ge,
        BinOp::And,
        BinOp::Or,
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Div,
        BinOp::IntDiv,
        BinOp::Rem,
    ];

    fn column(t: usize, n: usize) -> Expr {
        Expr::column(TABLES[t], NAMES[n])
    }

    fn leaf() -> impl Strategy<Value = Expr> {
        prop_oneof![
            (0..2usize, 0..3usize).prop_map(|(t, n)| column(t, n)),
            Just(Expr::Value(Value::Null)),
            any::<i64>().prop_map(|v| Expr::Value(Value::I64(v))),
            "[a-z']{0,6}".prop_map(|s| Expr::Value(Value::String(s))),
            any::<bool>().prop_map(Expr::Bool),
        ]
    }

    /// A value of an IN list: one type per list is what MySQL accepts, but NULLs may be among them.
    fn list_value() -> impl Strategy<Value = Value> {
        prop_oneof![Just(Value::Null), any::<i64>().prop_map(Value::I64)]
    }

    fn expr() -> impl Strategy<Value = Expr> {
        leaf().prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                (0..OPS.len(), inner.clone(), inner.clone())
                    .prop_map(|(op, l, r)| Expr::binary(OPS[op], l, r)),
                inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
                (inner.clone(), any::<bool>()).prop_map(|(e, negated)| Expr::IsNull {
                    expr: Box::new(e),
                    negated,
                }),
                // Up to 20 values: on SQLite, lists of up to 16 get a placeholder per value.
                (
                    inner,
                    proptest::collection::vec(list_value(), 0..20),
                    any::<bool>()
                )
                    .prop_map(|(e, list, negated)| Expr::InList {
                        expr: Box::new(e),
                        list: list.into(),
                        negated,
                    }),
            ]
        })
    }

    /// A SELECT with `filter` as its WHERE and also as a selected expression (values are bound in
    /// the SELECT list, the ON conditions and the WHERE, in that order), and a LEFT JOIN on `join`.
    fn select(filter: Option<Expr>, join: Option<Expr>) -> Select {
        let mut columns = vec![column(0, 0), column(0, 1)];
        columns.extend(filter.clone());
        let mut q = Select::new(TableRef::new("users"), columns);
        if let Some(on) = join {
            q.joins.push(Join {
                kind: JoinKind::Left,
                table: TableRef::new("posts"),
                on,
            });
        }
        q.filter = filter;
        q
    }

    /// `q` with its select list made a shared `&'static` one (leaked: a test's few lists).
    fn shared(mut q: Select) -> Select {
        q.columns = Cow::Borrowed(Vec::leak(q.columns.into_owned()));
        q
    }

    /// `q` through the store, twice (stored, then reused), against the renderer.
    fn assert_exact(q: &Select) {
        for backend in BACKENDS {
            let rendered = render::select(&backend, q);
            for _ in 0..2 {
                match (&rendered, statement(&backend, q.clone())) {
                    (Ok(expected), Ok(st)) => {
                        assert_eq!(st.sql, expected.sql, "{backend:?}");
                        assert_eq!(st.params, expected.params, "{backend:?}");
                    }
                    (Err(expected), Err(e)) => assert_eq!(e.to_string(), expected.to_string()),
                    (expected, got) => panic!("{backend:?}: {expected:?} vs {got:?}"),
                }
            }
        }
    }

    proptest! {
        #[test]
        fn reused_texts_are_what_the_renderer_writes(
            filter in proptest::option::of(expr()),
            join in proptest::option::of(expr()),
            share in any::<bool>(),
        ) {
            let q = select(filter, join);
            assert_exact(&if share { shared(q) } else { q });
        }

        /// A SELECT, then the same tree with one kind of part changed: the second reuses the
        /// first's text when its shape is the same, and binds its own values.
        #[test]
        fn one_part_changed_is_rendered_exactly(filter in expr(), join in expr()) {
            for part in [Part::Values, Part::Columns, Part::Operators, Part::Flags] {
                let first = select(Some(filter.clone()), Some(join.clone()));
                let second = select(
                    Some(changed(filter.clone(), part)),
                    Some(changed(join.clone(), part)),
                );
                for backend in BACKENDS {
                    let _ = statement(&backend, first.clone());
                }
                assert_exact(&second);
            }
        }
    }

    /// What [`changed`] changes.
    #[derive(Clone, Copy, PartialEq)]
    enum Part {
        /// Values, to others of another type; some NULLs become values and some values NULLs.
        Values,
        Columns,
        Operators,
        /// TRUE/FALSE and IS [NOT] NULL.
        Flags,
    }

    /// `e` with the same tree but one kind of part changed everywhere: a shape that forgot that
    /// part would reuse a wrong text.
    fn changed(e: Expr, part: Part) -> Expr {
        let again = |e: Box<Expr>| Box::new(changed(*e, part));
        match e {
            Expr::Value(v) if part == Part::Values => Expr::Value(match v {
                Value::Null => Value::I64(7),
                Value::I64(v) if v % 2 == 0 => Value::Null,
                Value::I64(v) => Value::String(v.to_string()),
                _ => Value::F64(0.5),
            }),
            Expr::Column(c) if part == Part::Columns => {
                let t = TABLES.iter().position(|&t| t == c.table).unwrap_or(0);
                let n = NAMES.iter().position(|&n| n == c.name).unwrap_or(0);
                column(1 - t, (n + 1) % NAMES.len())
            }
            Expr::Bool(b) if part == Part::Flags => Expr::Bool(!b),
            Expr::Binary { op, operands } => {
                let op = if part == Part::Operators {
                    OPS[(OPS.iter().position(|&o| o == op).unwrap_or(0) + 1) % OPS.len()]
                } else {
                    op
                };
                let [lhs, rhs] = *operands;
                Expr::binary(op, changed(lhs, part), changed(rhs, part))
            }
            Expr::Not(inner) => Expr::Not(again(inner)),
            Expr::IsNull { expr, negated } => Expr::IsNull {
                expr: again(expr),
                negated: negated != (part == Part::Flags),
            },
            // Values: one more of them, so that a short list's length changes.
            Expr::InList {
                expr,
                list,
                negated,
            } => Expr::InList {
                expr: again(expr),
                list: if part == Part::Values {
                    list.iter().cloned().chain([Value::I64(1)]).collect()
                } else {
                    list
                },
                negated: negated != (part == Part::Flags),
            },
            other => other,
        }
    }

    /// `SELECT ... WHERE users.<NAMES[n]> = v`.
    fn where_eq(n: usize, v: Value) -> Select {
        let eq = Expr::binary(BinOp::Eq, column(0, n), Expr::Value(v));
        select(Some(eq), None)
    }

    #[test]
    fn null_and_non_null_values_have_their_own_texts() {
        let eq = |v| where_eq(2, v);
        let some = statement(&Backend::POSTGRES, eq(Value::String("x".into()))).unwrap();
        let none = statement(&Backend::POSTGRES, eq(Value::Null)).unwrap();
        assert!(
            some.sql.ends_with("WHERE \"hair_color\" = $2"),
            "{}",
            some.sql
        );
        assert!(
            none.sql.ends_with("WHERE \"hair_color\" IS NULL"),
            "{}",
            none.sql
        );
        assert!(none.params.is_empty());
        let again = statement(&Backend::POSTGRES, eq(Value::String("y".into()))).unwrap();
        assert!(
            matches!(again.sql, SqlText::Shared(_)),
            "a reused text is shared, not copied"
        );
        assert_eq!(
            (again.sql, again.params),
            (some.sql, vec![Value::String("y".into()); 2])
        );
    }

    #[test]
    fn clauses_are_part_of_the_shape() {
        let base = select(None, None);
        let mut ordered = base.clone();
        ordered.order_by.push(OrderBy {
            expr: column(0, 1),
            direction: Direction::Desc,
            nulls: Some(Nulls::First),
        });
        let mut limited = ordered.clone();
        limited.limit = Some(10);
        limited.offset = Some(20);
        let mut other_limit = limited.clone();
        other_limit.limit = Some(11);
        let mut locked = limited.clone();
        locked.lock = Some(Lock::Update);
        let mut distinct = base.clone();
        distinct.distinct = true;
        let mut aliased = base.clone();
        aliased.from.alias = Some("u");
        for q in [
            &base,
            &ordered,
            &limited,
            &other_limit,
            &locked,
            &distinct,
            &aliased,
        ] {
            assert_exact(q);
        }
    }

    #[test]
    fn a_shared_list_of_columns_is_one_token_and_reuses_its_text() {
        static LIST: [Expr; 2] = [Expr::column("users", "id"), Expr::column("users", "name")];
        let q = Select::new(TableRef::new("users"), &LIST[..]);
        let owned = Select::new(TableRef::new("users"), LIST.to_vec());
        let (mut short, mut long) = (Vec::new(), Vec::new());
        encode_select(&Backend::POSTGRES, &q, &mut short).unwrap();
        encode_select(&Backend::POSTGRES, &owned, &mut long).unwrap();
        assert!(short.contains(&SHARED_LIST) && short.len() < long.len());
        assert_exact(&q);
        assert_exact(&owned);
        let st = statement(&Backend::POSTGRES, q).unwrap();
        assert!(matches!(st.sql, SqlText::Shared(_)));
        assert_eq!(
            st.sql,
            render::select(&Backend::POSTGRES, &owned).unwrap().sql
        );
    }

    #[test]
    fn a_shared_list_holding_values_binds_them_and_stays_unchanged() {
        static LIST: [Expr; 2] = [Expr::column("users", "id"), Expr::Value(Value::I64(7))];
        let mut q = Select::new(TableRef::new("users"), &LIST[..]);
        q.filter = Some(Expr::binary(
            BinOp::Eq,
            column(0, 0),
            Expr::Value(Value::I64(8)),
        ));
        let mut shape = Vec::new();
        encode_select(&Backend::SQLITE, &q, &mut shape).unwrap();
        assert!(
            !shape.contains(&SHARED_LIST),
            "a list with values is encoded node by node"
        );
        assert_exact(&q);
        let st = statement(&Backend::SQLITE, q).unwrap();
        assert_eq!(st.params, [Value::I64(7), Value::I64(8)]);
        assert_eq!(LIST[1], Expr::Value(Value::I64(7)));
    }

    #[test]
    fn values_that_cannot_be_bound_fail_on_reuse_too() {
        let eq = |v| where_eq(0, v);
        statement(&Backend::SQLITE, eq(Value::U64(1))).unwrap();
        let err = statement(&Backend::SQLITE, eq(Value::U64(u64::MAX))).unwrap_err();
        assert!(matches!(err, crate::Error::Encode { .. }), "{err}");
    }

    #[test]
    fn empty_lists_keep_their_polarity_and_bind_nothing() {
        // `users.id + 5 IN ()`: FALSE, and the 5 is not bound (the expression is not written).
        let in_empty = |negated| {
            let plus = Expr::binary(BinOp::Add, column(0, 0), Expr::Value(Value::I64(5)));
            Expr::InList {
                expr: Box::new(plus),
                list: Arc::from([]),
                negated,
            }
        };
        for negated in [false, true, false] {
            let q = select(Some(in_empty(negated)), None);
            assert_exact(&q);
            let st = statement(&Backend::SQLITE, q.clone()).unwrap();
            let expected = if negated { "WHERE TRUE" } else { "WHERE FALSE" };
            assert!(st.sql.ends_with(expected), "{}", st.sql);
            assert!(st.params.is_empty());
        }
    }

    #[test]
    fn texts_stored_by_another_thread_or_past_the_recent_ones_are_exact() {
        // Six shapes (more than a thread remembers), stored by another thread, then used here in
        // turn, twice.
        let shapes: Vec<Select> = (0..6)
            .map(|i| {
                let mut q = where_eq(i % 3, Value::I64(i as i64));
                q.limit = Some(i as u64);
                q
            })
            .collect();
        std::thread::scope(|s| {
            s.spawn(|| shapes.iter().for_each(assert_exact));
        });
        for _ in 0..2 {
            shapes.iter().for_each(assert_exact);
        }
    }

    #[test]
    fn long_mysql_lists_are_rendered_every_time() {
        let long: Arc<[Value]> = (0..1_001).map(Value::I64).collect();
        let q = select(
            Some(Expr::InList {
                expr: Box::new(column(0, 0)),
                list: long,
                negated: false,
            }),
            None,
        );
        let mut shape = Vec::new();
        assert_eq!(encode_select(&Backend::MYSQL, &q, &mut shape), None);
        assert!(encode_select(&Backend::POSTGRES, &q, &mut shape).is_some());
        assert_exact(&q);
    }

    #[test]
    fn other_nodes_are_rendered_every_time() {
        let mut q = select(None, None);
        q.group_by.push(column(0, 2));
        let mut shape = Vec::new();
        assert_eq!(encode_select(&Backend::POSTGRES, &q, &mut shape), None);
        let mut q = select(None, None);
        q.order_by.push(OrderBy {
            expr: Expr::Value(Value::I64(1)),
            direction: Direction::Asc,
            nulls: None,
        });
        assert_eq!(encode_select(&Backend::POSTGRES, &q, &mut shape), None);
        assert_exact(&q);
    }
}
