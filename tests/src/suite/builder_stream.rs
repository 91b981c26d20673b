//! Streaming: `Query::stream`, `Raw::stream` and `Executor::stream` yield rows as they arrive, hold
//! their connection until dropped, report errors as their last item, and leave the connection clean
//! when dropped early.

use std::time::Duration;

use orm::prelude::*;

use crate::TestDb;
use crate::models::User;
use crate::suite::builder::{same, seed};

/// 100,000 rows, `0..100_000` (in no particular order), from a ten-row recursive CTE cross-joined
/// five times: portable, and within every server's recursion limits.
const SERIES_100K: &str = "WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 9) \
     SELECT a.n + 10 * b.n + 100 * c.n + 1000 * e.n + 10000 * f.n FROM d a, d b, d c, d e, d f";

/// `1..=1000` in order, except NULL for 500.
const NULL_AT_500: &str = "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000) \
     SELECT CASE WHEN n = 500 THEN NULL ELSE n END FROM s ORDER BY s.n";

async fn answers_42(db: &impl Executor) -> Result<()> {
    let (n,): (i64,) = raw("SELECT 42").fetch_one(db).await?;
    assert_eq!(n, 42);
    Ok(())
}

/// Reads `n` rows of a 100k-row stream, then drops it.
async fn read_some_and_drop(db: &impl Executor, n: usize) -> Result<()> {
    let mut rows = raw(SERIES_100K).stream::<(i64,)>(db);
    for _ in 0..n {
        assert!(rows.try_next().await?.is_some());
    }
    Ok(())
}

pub async fn stream_counts_a_100k_row_series(t: &TestDb) -> Result<()> {
    let mut rows = raw(SERIES_100K).stream::<(i64,)>(&t.db);
    let (mut count, mut sum, mut max) = (0u64, 0i64, i64::MIN);
    while let Some((n,)) = rows.try_next().await? {
        count += 1;
        sum += n;
        max = max.max(n);
    }
    assert_eq!((count, sum, max), (100_000, 4_999_950_000, 99_999));
    assert!(
        rows.next().await.is_none(),
        "a finished stream stays finished"
    );
    Ok(())
}

pub async fn dropped_stream_leaves_its_connection_clean(t: &TestDb) -> Result<()> {
    // The same checked-out connection.
    let conn = t.db.acquire().await?;
    read_some_and_drop(&conn, 10).await?;
    answers_42(&conn).await?;
    // Dropped before its first row.
    drop(raw(SERIES_100K).stream::<(i64,)>(&conn));
    answers_42(&conn).await?;
    drop(conn);
    // A pool of one connection: the stream's connection (or its replacement) serves the next user.
    let one = Database::builder(&t.url)
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .build()
        .await?;
    for _ in 0..2 {
        read_some_and_drop(&one, 10).await?;
        answers_42(&one).await?;
    }
    // Inside a transaction: the transaction goes on and commits.
    db_transaction_goes_on(&one).await?;
    one.close().await;
    Ok(())
}

async fn db_transaction_goes_on(db: &Database) -> Result<()> {
    db.create_table::<User>().await?;
    let tx = db.begin().await?;
    User::new("Streamer", 1).insert(&tx).await?;
    read_some_and_drop(&tx, 10).await?;
    User::new("Later", 2).insert(&tx).await?;
    tx.commit().await?;
    assert_eq!(User::query().count(db).await?, 2);
    Ok(())
}

pub async fn stream_holds_its_pooled_connection_until_dropped(t: &TestDb) -> Result<()> {
    let one = Database::builder(&t.url)
        .max_connections(1)
        .acquire_timeout(Duration::from_millis(300))
        .build()
        .await?;
    let mut rows = raw(SERIES_100K).stream::<(i64,)>(&one);
    assert!(rows.try_next().await?.is_some());
    let busy = one.acquire().await;
    assert!(
        matches!(busy, Err(Error::PoolTimeout { .. })),
        "the stream's connection was handed out: {busy:?}"
    );
    drop(rows);
    let conn = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match one.acquire().await {
                Err(Error::PoolTimeout { .. }) => continue,
                other => return other,
            }
        }
    })
    .await
    .map_err(|_| Error::InvalidQuery("the pool never got its connection back".into()))??;
    answers_42(&conn).await?;
    drop(conn);
    one.close().await;
    Ok(())
}

pub async fn decode_error_mid_stream_is_the_last_item(t: &TestDb) -> Result<()> {
    let conn = t.db.acquire().await?;
    let mut rows = raw(NULL_AT_500).stream::<(i64,)>(&conn);
    for want in 1..500 {
        assert_eq!(rows.try_next().await?, Some((want,)));
    }
    let err = rows.next().await;
    assert!(
        matches!(err, Some(Err(Error::Decode { .. }))),
        "row 500 is NULL: {err:?}"
    );
    assert!(rows.next().await.is_none(), "an error ends the stream");
    drop(rows);
    answers_42(&conn).await?;
    // Through the pool too.
    let mut rows = raw(NULL_AT_500).stream::<(i64,)>(&t.db);
    let mut ok = 0;
    let last = loop {
        match rows.next().await {
            Some(Ok(_)) => ok += 1,
            other => break other,
        }
    };
    assert_eq!(ok, 499);
    assert!(matches!(last, Some(Err(Error::Decode { .. }))), "{last:?}");
    drop(rows);
    answers_42(&t.db).await
}

pub async fn query_stream_yields_what_all_returns(t: &TestDb) -> Result<()> {
    let db = &t.db;
    seed(db).await?;
    let q = || {
        User::query()
            .filter(User::AGE.ge(25))
            .order_by(User::NAME.asc())
            .order_by(User::ID.asc())
    };
    let mut streamed = Vec::new();
    let mut rows = q().stream(db);
    while let Some(u) = rows.try_next().await? {
        streamed.push(u);
    }
    drop(rows);
    same("stream vs all", streamed, q().all(db).await?);
    // On a transaction, and with a selection.
    let tx = db.begin().await?;
    let mut names = Vec::new();
    let mut rows = q().select(User::NAME).stream(&tx);
    while let Some(n) = rows.try_next().await? {
        names.push(n);
    }
    drop(rows);
    same(
        "stream in a transaction",
        names,
        q().select(User::NAME).all(&tx).await?,
    );
    tx.commit().await?;
    // A query the builder rejects yields its error as the only item.
    let mut bad = User::query()
        .order_by(User::ID.asc())
        .keyset(User::ID)
        .stream(db);
    assert!(matches!(
        bad.next().await,
        Some(Err(Error::InvalidQuery(_)))
    ));
    assert!(bad.next().await.is_none());
    Ok(())
}
