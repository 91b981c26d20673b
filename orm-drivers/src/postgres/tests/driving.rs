//! Tests of the connection's I/O driven on the caller's task (see `postgres::drive`): requests
//! dropped midway, what arrives while a connection sits idle, recycling and dropping connections.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

use deadpool::managed::RecycleError;

use super::*;

/// Polls `fut` once and drops it; `true` when it was still pending.
async fn poll_once_and_drop<F: Future>(fut: F) -> bool {
    let mut fut = pin!(fut);
    poll_fn(|cx| Poll::Ready(fut.as_mut().poll(cx).is_pending())).await
}

/// Recycles `c` until the pool refuses it, failing after five seconds, and returns the error.
async fn recycle_until_refused(m: &PgManager, c: &mut Box<PgConn>) -> Error {
    let since = Instant::now();
    loop {
        match m.recycle(c, &Metrics::default()).await {
            Err(RecycleError::Backend(e)) => return e,
            Err(other) => panic!("{other:?}"),
            Ok(()) => {
                assert!(
                    since.elapsed() < Duration::from_secs(5),
                    "a connection closed by the server is still recycled"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}

#[tokio::test]
async fn a_request_dropped_midway_is_answered_before_the_next_one() {
    let mut c = connect!();
    let slow = st("SELECT $1::int4 FROM pg_sleep(0.2)", vec![Value::I32(7)]);
    assert_eq!(scalar::<i32>(&mut c, slow.clone()).await.unwrap(), 7);
    // Prepared already: the first poll sends the query; its answer comes after the drop.
    assert!(poll_once_and_drop(c.fetch_all::<Scalar<i32>>(slow)).await);
    assert!(!c.is_reusable());
    // The next statement gets its own answer: the abandoned one is read and discarded first.
    assert_eq!(
        scalar::<i32>(&mut c, st("SELECT $1::int4", vec![Value::I32(42)]))
            .await
            .unwrap(),
        42
    );
    assert_usable(&mut c).await;
}

#[tokio::test]
async fn recycling_a_healthy_idle_connection_sends_nothing() {
    let (mut a, mut b, pid) = watched!();
    let marker = "SELECT 'orm idle marker'";
    let _: String = scalar(&mut a, Statement::text(marker)).await.unwrap();
    manager(16)
        .recycle(&mut a, &Metrics::default())
        .await
        .expect("a healthy connection recycles");
    // The server's last statement of that session is still the marker: no ping was sent.
    let last: String = scalar(
        &mut b,
        st(
            "SELECT query FROM pg_stat_activity WHERE pid = $1",
            vec![Value::I32(pid)],
        ),
    )
    .await
    .unwrap();
    assert_eq!(last, marker);
    assert_usable(&mut a).await;
}

#[tokio::test]
async fn notifications_and_notices_are_read_and_ignored() {
    let m = manager(16);
    let mut a = connect!();
    let mut b = connect!();
    let channel = table("channel");
    exec(&mut a, &format!("LISTEN {channel}")).await;
    exec(&mut b, &format!("NOTIFY {channel}, 'while idle'")).await;
    // The notification reaches the idle connection's socket; recycling reads it.
    tokio::time::sleep(Duration::from_millis(50)).await;
    m.recycle(&mut a, &Metrics::default())
        .await
        .expect("a notification does not break the connection");
    assert_usable(&mut a).await;
    // Notices in the middle of an answer are skipped as well.
    exec(
        &mut a,
        "DO $$ BEGIN RAISE NOTICE 'first'; RAISE WARNING 'second'; END $$",
    )
    .await;
    exec(&mut b, &format!("NOTIFY {channel}, 'before a statement'")).await;
    assert_usable(&mut a).await;
}

#[tokio::test]
async fn an_idle_connection_closed_by_the_server_is_not_recycled() {
    let m = manager(16);
    let mut observer = connect!();
    let mut used = connect!();
    assert_usable(&mut used).await;
    let pid = backend_pid(&mut used).await;
    let checked_out_before = Metrics {
        created: Instant::now(),
        recycled: None,
        recycle_count: 0,
    };
    terminate(&mut observer, "pid = $1", Value::I32(pid)).await;
    // Noticed from what the socket received, before any statement is sent.
    let err = recycle_until_refused(&m, &mut used).await;
    assert!(err.is_disconnected(), "{err:?}");
    assert!(!used.is_reusable());
    assert!(
        used.health.needs_ping(&checked_out_before),
        "the loss is recorded: the pool pings the connection's siblings"
    );

    // The same for a connection this side never polled after connecting.
    let mut config = m.config.clone();
    let name = table("fresh");
    config.application_name(&name);
    let fresh_manager = PgManager {
        target: describe_target(&config),
        config,
        opts: ConnectOptions::default(),
        health: Arc::default(),
    };
    let mut fresh = fresh_manager.create().await.unwrap();
    terminate(&mut observer, "application_name = $1", Value::String(name)).await;
    let err = recycle_until_refused(&fresh_manager, &mut fresh).await;
    assert!(err.is_disconnected(), "{err:?}");
}

#[tokio::test]
async fn a_dropped_idle_connection_ends_its_session() {
    let (a, mut observer, pid) = watched!();
    drop(a);
    wait_until_gone(
        &mut observer,
        pid,
        "the dropped connection's session lives on",
    )
    .await;
}

#[tokio::test]
async fn transactions_and_reset_work_on_a_driven_connection_across_tasks() {
    let m = manager(16);
    let mut a = connect!();
    let t = table("tasks");
    exec(&mut a, &format!("CREATE TABLE {t} (id int8)")).await;
    // The connection moves between tasks as a pooled one does; its I/O follows it.
    let mut a = tokio::spawn(async move {
        a.begin(0, TxOptions::default()).await.unwrap();
        a.begin(1, TxOptions::default()).await.unwrap();
        a
    })
    .await
    .unwrap();
    exec(&mut a, &format!("INSERT INTO {t} VALUES (1)")).await;
    let mut a = tokio::spawn(async move {
        a.rollback(1).await.unwrap();
        a.commit(0).await.unwrap();
        a
    })
    .await
    .unwrap();
    assert_eq!(count(&mut a, &t).await, 0);
    a.begin(0, TxOptions::default()).await.unwrap();
    exec(&mut a, &format!("INSERT INTO {t} VALUES (2)")).await;
    m.recycle(&mut a, &Metrics::default())
        .await
        .expect("rolled back and recycled");
    assert_eq!(count(&mut a, &t).await, 0);
    exec(&mut a, &format!("DROP TABLE {t}")).await;
    assert_usable(&mut a).await;
}
