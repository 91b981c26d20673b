//! `find` and `get` reuse the SQL rendered at a model's first lookup on a backend: every lookup
//! sends exactly what rendering the same query afresh gives, with its own key bound.

#[path = "common/fixtures.rs"]
mod fixtures;

use std::future::Future;
use std::marker::PhantomData;
use std::pin::{Pin, pin};
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use fixtures::{Membership, User};
use orm_core::{
    Backend, Error, ExecResult, Executor, FromRow, ModelExt, Result, RowStream, Statement, Value,
};

/// An executor that records the statements it is given and finds no rows.
struct Recorder {
    backend: Backend,
    sent: Mutex<Vec<Statement>>,
}

impl Recorder {
    fn new(backend: Backend) -> Self {
        Recorder {
            backend,
            sent: Mutex::new(Vec::new()),
        }
    }

    fn record(&self, statement: Statement) {
        self.sent.lock().unwrap().push(statement);
    }

    fn last(&self) -> Statement {
        self.sent.lock().unwrap().last().cloned().unwrap()
    }
}

/// A stream without rows.
struct NoRows<T>(PhantomData<fn() -> T>);

impl<T> futures_core::Stream for NoRows<T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        Poll::Ready(None)
    }
}

impl Executor for Recorder {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn execute(&self, statement: Statement) -> Result<ExecResult> {
        self.record(statement);
        Ok(ExecResult {
            rows_affected: 0,
            last_insert_id: None,
        })
    }

    async fn fetch_all<T: FromRow>(&self, statement: Statement) -> Result<Vec<T>> {
        self.record(statement);
        Ok(Vec::new())
    }

    async fn fetch_optional<T: FromRow>(&self, statement: Statement) -> Result<Option<T>> {
        self.record(statement);
        Ok(None)
    }

    fn stream<T: FromRow>(&self, _: Statement) -> RowStream<'_, T> {
        RowStream::new(NoRows(PhantomData))
    }
}

/// The output of a future that completes without waiting (the recorder never waits).
fn now<T>(fut: impl Future<Output = T>) -> T {
    match pin!(fut).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("the recorder never waits"),
    }
}

#[test]
fn find_and_get_send_the_rendered_query_for_every_key() {
    for backend in [Backend::POSTGRES, Backend::MYSQL, Backend::SQLITE] {
        let db = Recorder::new(backend);
        for id in [7_i64, 8, -1] {
            assert_eq!(now(User::find(&db, id)).unwrap(), None);
            let expected = User::query()
                .filter(User::ID.eq(id))
                .to_statement(&backend)
                .unwrap();
            assert_eq!(db.last(), expected, "{backend:?}");
            let err = now(User::get(&db, id)).unwrap_err();
            assert!(matches!(err, Error::NotFound { table: "users" }), "{err:?}");
            assert_eq!(db.last(), expected, "{backend:?}");
        }
    }
}

#[test]
fn composite_keys_are_bound_in_key_order() {
    for (backend, sql) in [
        (
            Backend::POSTGRES,
            r#"SELECT "org", "user_id", "flag", "small", "unsigned32", "unsigned64", "ratio", "score", "avatar" FROM "memberships" WHERE "org" = $1 AND "user_id" = $2"#,
        ),
        (
            Backend::MYSQL,
            "SELECT `org`, `user_id`, `flag`, `small`, `unsigned32`, `unsigned64`, `ratio`, `score`, `avatar` FROM `memberships` WHERE `org` = ? AND `user_id` = ?",
        ),
        (
            Backend::SQLITE,
            r#"SELECT "org", "user_id", "flag", "small", "unsigned32", "unsigned64", "ratio", "score", "avatar" FROM "memberships" WHERE "org" = ? AND "user_id" = ?"#,
        ),
    ] {
        let db = Recorder::new(backend);
        for (org, user) in [("acme", 7_i64), ("globex", 9)] {
            assert_eq!(now(Membership::find(&db, (org, user))).unwrap(), None);
            assert_eq!(
                db.last(),
                Statement {
                    sql: sql.to_owned(),
                    params: vec![Value::String(org.to_owned()), Value::I64(user)],
                },
                "{backend:?}"
            );
        }
    }
}
