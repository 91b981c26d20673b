//! The statements `find` and `insert_many` hand to an executor: `find` reuses its rendered SQL and
//! matches the query builder's, and `insert_many` describes its RETURNING clause exactly.

#[path = "common/fixtures.rs"]
mod fixtures;

use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use fixtures::{Tag, User};
use orm_core::ast::Insert;
use orm_core::{
    Backend, Error, ExecResult, Executor, FromRow, KeyedInsert, ModelExt, Result, RowStream,
    SqlText, Statement, Value,
};

/// Runs a future that never waits (the recording executor answers at once).
fn now<F: Future>(f: F) -> F::Output {
    match pin!(f).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the recording executor never waits"),
    }
}

/// Records every statement and answers with no rows; `insert_keys` records its INSERT and answers
/// with keys from 100 on.
struct Recorder {
    backend: Backend,
    seen: Mutex<Vec<Statement>>,
    inserts: Mutex<Vec<KeyedInsert>>,
}

impl Recorder {
    fn new(backend: Backend) -> Self {
        Self {
            backend,
            seen: Mutex::default(),
            inserts: Mutex::default(),
        }
    }

    fn take(&self) -> Vec<Statement> {
        std::mem::take(&mut self.seen.lock().unwrap())
    }
}

impl Executor for Recorder {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn execute(&self, statement: Statement) -> Result<ExecResult> {
        self.seen.lock().unwrap().push(statement);
        Ok(ExecResult::default())
    }

    async fn fetch_all<T: FromRow>(&self, statement: Statement) -> Result<Vec<T>> {
        self.seen.lock().unwrap().push(statement);
        Ok(Vec::new())
    }

    async fn fetch_optional<T: FromRow>(&self, statement: Statement) -> Result<Option<T>> {
        self.seen.lock().unwrap().push(statement);
        Ok(None)
    }

    fn stream<T: FromRow>(&self, _statement: Statement) -> RowStream<'_, T> {
        RowStream::failed(Error::InvalidQuery("not recorded".into()))
    }

    async fn insert_keys(&self, insert: KeyedInsert) -> Result<Vec<i64>> {
        let keys = (100..).take(insert.rows()).collect();
        self.inserts.lock().unwrap().push(insert);
        Ok(keys)
    }
}

const BACKENDS: [Backend; 4] = [
    Backend::POSTGRES,
    Backend::MYSQL,
    Backend::MARIADB,
    Backend::SQLITE,
];

#[test]
fn find_reuses_the_sql_the_query_builder_renders() {
    for backend in BACKENDS {
        let db = Recorder::new(backend);
        for id in [7, 8, i64::MAX] {
            assert_eq!(now(User::find(&db, id)).unwrap(), None);
            let want = User::query()
                .filter(User::ID.eq(id))
                .to_statement(&backend)
                .unwrap();
            let seen = db.take();
            assert_eq!(seen, vec![want], "{backend:?}");
            if id != 7 {
                assert!(
                    matches!(seen[0].sql, SqlText::Static(_)),
                    "a rendered find text is handed out without a copy"
                );
            }
        }
        for name in ["a", "b"] {
            assert_eq!(now(Tag::find(&db, name)).unwrap(), None);
            let want = Tag::query()
                .filter(Tag::NAME.eq(name))
                .to_statement(&backend)
                .unwrap();
            assert_eq!(db.take(), vec![want], "{backend:?}");
        }
    }
}

#[test]
fn insert_many_describes_its_returning_clause() {
    for backend in [Backend::POSTGRES, Backend::MARIADB, Backend::SQLITE] {
        let db = Recorder::new(backend);
        let mut users: Vec<User> = (0..3)
            .map(|i| User {
                id: 0,
                name: format!("u{i}"),
                email: format!("u{i}@x"),
                hair_color: None,
                age: i,
            })
            .collect();
        now(User::insert_many(&db, &mut users)).unwrap();
        assert_eq!(
            users.iter().map(|u| u.id).collect::<Vec<_>>(),
            [100, 101, 102]
        );
        assert!(db.take().is_empty(), "one keyed insert, nothing else");
        let [insert] =
            <[KeyedInsert; 1]>::try_from(std::mem::take(&mut *db.inserts.lock().unwrap())).unwrap();
        assert_eq!(
            (insert.table(), insert.key(), insert.rows()),
            ("users", "id", 3)
        );
        let q = if backend == Backend::MARIADB {
            '`'
        } else {
            '"'
        };
        let st = insert.statement();
        assert_eq!(
            st.sql,
            format!("{} RETURNING {q}id{q}", insert.sql_without_returning()),
            "{backend:?}"
        );
        assert!(!insert.sql_without_returning().contains("RETURNING"));
        assert_eq!(st.params.len(), 12);
        assert_eq!(st.params[0], Value::String("u0".into()));
    }
}

#[test]
fn keyed_inserts_are_plain_inserts() {
    let mut upsert = Insert {
        table: "users",
        columns: vec!["name"],
        rows: vec![],
        on_conflict: None,
        returning: vec!["id"],
    };
    let one = || std::iter::once(Value::I64(1));
    let err = KeyedInsert::new(&Backend::SQLITE, upsert.clone(), "id", 1, one()).unwrap_err();
    assert!(matches!(err, Error::InvalidQuery(_)), "{err:?}");
    upsert.returning.clear();
    upsert.on_conflict = Some(orm_core::ast::OnConflict {
        target: vec!["name"],
        action: orm_core::ast::ConflictAction::DoNothing,
        report: orm_core::ast::InsertIdReport::Default,
    });
    let err = KeyedInsert::new(&Backend::SQLITE, upsert, "id", 1, one()).unwrap_err();
    assert!(matches!(err, Error::InvalidQuery(_)), "{err:?}");
}

#[test]
fn returned_keys_are_put_in_row_order() {
    let returned = [12, 10, 11].map(orm_core::Scalar).to_vec();
    assert_eq!(KeyedInsert::keys_in_row_order(returned), vec![10, 11, 12]);
}

/// `insert_all` and `insert` reuse their INSERT text per row count: the statement must be exactly
/// the one rendered afresh from the AST, whatever values come with it.
#[test]
fn reused_insert_text_matches_a_fresh_render() {
    use orm_core::Model;
    let user = |round: usize, i: usize| User {
        id: 0,
        name: format!("r{round}u{i}"),
        email: format!("r{round}u{i}@x"),
        hair_color: i.is_multiple_of(2).then(|| "black".to_owned()),
        age: i32::try_from(round * 10 + i).unwrap(),
    };
    let fresh = |backend: &Backend, users: &[User], returning: Vec<&'static str>| {
        let insert = Insert {
            table: "users",
            columns: vec!["name", "email", "hair_color", "age"],
            rows: users
                .iter()
                .map(|u| {
                    (1..User::COLUMNS.len())
                        .map(|i| u.column_value(i))
                        .collect()
                })
                .collect(),
            on_conflict: None,
            returning,
        };
        orm_core::render::insert(backend, &insert).unwrap()
    };
    for backend in BACKENDS {
        let db = Recorder::new(backend);
        for round in 0..3 {
            for n in [1, 3] {
                let users: Vec<User> = (0..n).map(|i| user(round, i)).collect();
                assert_eq!(now(User::insert_all(&db, &users)).unwrap(), 0);
                // Owned rows (moved, through the default `push_insert_values`) bind the same.
                assert_eq!(now(User::insert_all(&db, users.clone())).unwrap(), 0);
                let want = fresh(&backend, &users, vec![]);
                let seen = db.take();
                assert_eq!(seen, vec![want.clone(), want], "{backend:?}");
                assert!(
                    matches!(seen[1].sql, SqlText::Shared(_)),
                    "a reused INSERT text is shared, not copied"
                );
            }
            let mut one = user(round, 9);
            // The recorder answers no row, so `insert` fails after recording its statement.
            let _ = now(one.insert(&db));
            let returning = if ![Backend::MYSQL, Backend::MARIADB].contains(&backend) {
                vec!["id"]
            } else {
                vec![]
            };
            assert_eq!(
                db.take(),
                vec![fresh(&backend, &[one], returning)],
                "{backend:?}"
            );
        }
    }
}
