//! Tracing output: one `orm.query` span per statement with the OpenTelemetry-style fields, a span per
//! pool checkout, a WARN event for slow statements, and never a bound value or a password.
#![cfg(feature = "sqlite")]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use orm_core::{Error, raw};
use orm_drivers::Database;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

fn subscriber(out: &Captured) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_writer(out.clone())
        .with_ansi(false)
        .with_span_events(FmtSpan::CLOSE)
        .with_max_level(tracing::Level::TRACE)
        .finish()
}

#[tokio::test]
async fn statements_are_spans_without_values() {
    let out = Captured::default();
    let _guard = tracing::subscriber::set_default(subscriber(&out));
    let db = Database::connect("sqlite::memory:").await.unwrap();
    raw("CREATE TABLE t (id INTEGER PRIMARY KEY, secret TEXT UNIQUE)")
        .execute(&db)
        .await
        .unwrap();
    raw("insert into t (secret) values (?)")
        .bind("S3cretValue")
        .execute(&db)
        .await
        .unwrap();
    let rows: Vec<(i64,)> = raw("SELECT id FROM t WHERE secret = ?")
        .bind("S3cretValue")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let dup = raw("INSERT INTO t (secret) VALUES (?)")
        .bind("S3cretValue")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(dup.is_unique_violation());
    db.transaction(async |tx| raw("SELECT 1").execute(tx).await.map(drop))
        .await
        .unwrap();

    let log = out.text();
    assert!(log.contains("orm.query{"), "{log}");
    assert!(log.contains(r#"db.system="sqlite""#), "{log}");
    assert!(log.contains("db.operation=INSERT"), "{log}");
    assert!(log.contains("db.operation=SELECT"), "{log}");
    assert!(log.contains("db.operation=CREATE"), "{log}");
    assert!(
        log.contains(r#"db.statement="SELECT id FROM t WHERE secret = ?""#),
        "{log}"
    );
    assert!(log.contains(r#"otel.kind="client""#), "{log}");
    assert!(log.contains("rows=1"), "{log}");
    assert!(log.contains("elapsed_ms="), "{log}");
    assert!(log.contains("error=unique violation"), "{log}");
    assert!(log.contains("orm.pool.acquire{"), "{log}");
    assert!(log.contains("waited_ms="), "{log}");
    assert!(
        log.contains(r#"db.statement="BEGIN""#) && log.contains(r#"db.statement="COMMIT""#),
        "{log}"
    );
    assert!(
        !log.contains("S3cretValue"),
        "a bound value leaked into the trace:\n{log}"
    );
}

#[tokio::test]
async fn slow_statements_warn() {
    let out = Captured::default();
    let _guard = tracing::subscriber::set_default(subscriber(&out));
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("slow.db").display());
    let db = Database::connect(&url).await.unwrap();
    raw("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        .execute(&db)
        .await
        .unwrap();

    // Another connection holds the write lock for a while; our insert waits (busy timeout) and is slow.
    let holder = db.begin().await.unwrap();
    let release = async {
        tokio::time::sleep(Duration::from_millis(1200)).await;
        holder.commit().await
    };
    let (released, inserted) =
        tokio::join!(release, raw("INSERT INTO t (id) VALUES (1)").execute(&db));
    released.unwrap();
    assert_eq!(inserted.unwrap(), 1);

    let log = out.text();
    assert!(log.contains("WARN"), "{log}");
    assert!(log.contains("slow statement"), "{log}");
    assert!(
        log.contains(r#"db.statement="INSERT INTO t (id) VALUES (1)""#),
        "{log}"
    );
}

#[tokio::test]
async fn failed_checkouts_are_recorded() {
    let out = Captured::default();
    let _guard = tracing::subscriber::set_default(subscriber(&out));
    let err: Error = Database::connect("sqlite:/nonexistent-dir/x.db")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }));
    let log = out.text();
    assert!(
        log.contains("orm.pool.acquire{") && log.contains("error=cannot connect"),
        "{log}"
    );
}
