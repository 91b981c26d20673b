//! Credentials never leak: a password given in a URL appears in no `Debug` or `Display` output, no
//! error (nor its sources) and no tracing output, whether the connection succeeds or fails.

use std::error::Error as _;
use std::fmt::Write as _;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use orm::prelude::*;
use tracing::instrument::WithSubscriber;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::{Kind, TestDb, server_url};

const PASSWORD: &str = "S3cretPw";
const WRONG_PASSWORD: &str = "Wr0ngS3cretPw";

/// Tracing output written to memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut bytes) = self.0.lock() {
            bytes.extend_from_slice(buf);
        }
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

/// `url` with `user:password@` as its userinfo and `database` as its path.
fn with_login(url: &str, user: &str, password: &str, database: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let host = match rest[..authority_end].rfind('@') {
        Some(at) => &rest[at + 1..authority_end],
        None => &rest[..authority_end],
    };
    format!("{}{user}:{password}@{host}/{database}", &url[..scheme_end])
}

/// Everything shown to a user: `Display` and `Debug` of values and errors, with error sources.
#[derive(Default)]
struct Shown(String);

impl Shown {
    fn value(&mut self, v: &(impl std::fmt::Debug + std::fmt::Display)) {
        let _ = writeln!(self.0, "{v}\n{v:?}");
    }
    fn debug(&mut self, v: &impl std::fmt::Debug) {
        let _ = writeln!(self.0, "{v:?}");
    }
    fn error(&mut self, e: &Error) {
        self.value(e);
        let mut source = e.source();
        while let Some(s) = source {
            let _ = writeln!(self.0, "{s}\n{s:?}");
            source = s.source();
        }
    }
    fn outcome<T: std::fmt::Debug>(&mut self, r: &Result<T>) {
        match r {
            Ok(v) => self.debug(v),
            Err(e) => self.error(e),
        }
    }
}

/// A login of its own with [`PASSWORD`] on the test's server, and URLs using it: with the right
/// password, the wrong one, a database that does not exist, and a closed port.
struct Login {
    user: String,
    right: String,
    wrong: String,
    missing_database: String,
    unreachable: String,
}

/// `None` on SQLite, which has no logins.
fn login(kind: Kind) -> Option<Login> {
    let server = server_url(kind)?;
    let user = format!("orm_pw_{}", std::process::id());
    let database = if kind == Kind::Postgres { "test" } else { "" };
    let unreachable = with_login(&server, &user, PASSWORD, database);
    let unreachable = unreachable
        .replacen(":5432", ":1", 1)
        .replacen(":3306", ":1", 1);
    Some(Login {
        right: with_login(&server, &user, PASSWORD, database),
        wrong: with_login(&server, &user, WRONG_PASSWORD, database),
        missing_database: with_login(&server, &user, PASSWORD, "orm_no_such_database"),
        unreachable,
        user,
    })
}

/// Creates or drops the login (outside the captured output: these statements hold the password).
async fn manage_login(t: &TestDb, login: &Login, create: bool) -> Result<()> {
    let user = &login.user;
    let statements = match (t.kind(), create) {
        (Kind::Postgres, true) => vec![
            format!("DROP ROLE IF EXISTS {user}"),
            format!("CREATE ROLE {user} LOGIN PASSWORD '{PASSWORD}'"),
        ],
        (Kind::Postgres, false) => vec![format!("DROP ROLE IF EXISTS {user}")],
        (Kind::MySql, true) => vec![
            format!("DROP USER IF EXISTS '{user}'@'%'"),
            format!("CREATE USER '{user}'@'%' IDENTIFIED BY '{PASSWORD}'"),
        ],
        (Kind::MySql, false) => vec![format!("DROP USER IF EXISTS '{user}'@'%'")],
        (Kind::Sqlite, _) => vec![],
    };
    for sql in statements {
        raw(AssertSqlSafe(sql)).execute(&t.db).await?;
    }
    Ok(())
}

/// Connects with `url`, runs a good and a failing statement, and records everything shown.
async fn use_login(url: &str, shown: &mut Shown) -> Result<Option<String>> {
    let db = Database::builder(url)
        .connect_timeout(Duration::from_secs(5))
        .build()
        .await;
    shown.outcome(&db);
    let db = match db {
        Ok(db) => db,
        Err(e) => {
            assert!(matches!(e, Error::Connect { .. }), "{e:?}");
            return Ok(None);
        }
    };
    shown.value(db.config());
    let user: (String,) = raw("SELECT CONCAT(CURRENT_USER, '')")
        .fetch_one(&db)
        .await?;
    let failed = raw("SELECT no_such_column FROM no_such_table")
        .execute(&db)
        .await;
    assert!(failed.is_err());
    shown.outcome(&failed);
    let conn = db.acquire().await?;
    shown.debug(&conn);
    let tx = db.begin().await?;
    shown.debug(&tx);
    tx.rollback().await?;
    drop(conn);
    db.close().await;
    Ok(Some(user.0))
}

async fn exercise(t: &TestDb, login: Option<&Login>, shown: &mut Shown) -> Result<()> {
    // A call site whose registration another thread finished before this subscriber existed may
    // be cached as of no interest: ask every registered dispatcher again.
    tracing::callsite::rebuild_interest_cache();
    // Parsing alone, for every backend's URL forms.
    for url in [
        format!("postgres://app:{PASSWORD}@db.example:5432/app?max_connections=3"),
        format!("postgresql://app:{PASSWORD}@db.example/app"),
        format!("mysql://app:{PASSWORD}@db.example:3306/app"),
        format!("mariadb://app:{PASSWORD}@db.example/app"),
    ] {
        let config = DatabaseConfig::from_url(&url)?;
        shown.value(&config);
        shown.debug(&config.redacted_url());
        shown.debug(&Database::builder(&url).max_connections(2));
    }
    shown.debug(&t.db);
    shown.value(t.db.config());

    let Some(login) = login else {
        // SQLite has no credentials. Its equivalent secret is a value bound into statements:
        // it is never recorded in spans or events either.
        raw("CREATE TABLE secrets (s TEXT NOT NULL)")
            .execute(&t.db)
            .await?;
        raw("INSERT INTO secrets (s) VALUES (?)")
            .bind(PASSWORD)
            .execute(&t.db)
            .await?;
        let found: Vec<(String,)> = raw("SELECT s FROM secrets WHERE s = ?")
            .bind(PASSWORD)
            .fetch_all(&t.db)
            .await?;
        assert_eq!(found.len(), 1);
        let failed = raw("INSERT INTO secrets (s) VALUES (?, ?)")
            .bind(PASSWORD)
            .bind(WRONG_PASSWORD)
            .execute(&t.db)
            .await;
        shown.outcome(&failed);
        return Ok(());
    };

    let user = use_login(&login.right, shown).await?;
    assert_eq!(
        user.as_deref().map(|u| u.split('@').next().unwrap_or(u)),
        Some(login.user.as_str()),
        "connected as the new login with its password"
    );
    let wrong = use_login(&login.wrong, shown).await?;
    match t.kind() {
        // This server trusts local connections (pg_hba `trust`), so PostgreSQL accepts any password
        // here; the failing connects below exercise the error paths instead.
        Kind::Postgres => {}
        _ => assert!(wrong.is_none(), "the wrong password was accepted"),
    }
    assert!(use_login(&login.missing_database, shown).await?.is_none());
    assert!(use_login(&login.unreachable, shown).await?.is_none());
    Ok(())
}

/// 9. The password never appears in any `Debug`, `Display`, error or tracing output, for a login
///    created with a password, connecting with the right and the wrong password, to a missing
///    database and to a closed port.
pub async fn password_never_appears_in_output(t: &TestDb) -> Result<()> {
    // While a single dispatcher is registered, tracing decides whether a call site is of interest
    // from the dispatcher of the thread that first reaches it: a statement first traced by another
    // test's thread would be cached as of no interest to the capturing subscriber below. With a
    // second dispatcher registered for good, every registered dispatcher is asked instead.
    static BYSTANDER: OnceLock<tracing::Dispatch> = OnceLock::new();
    BYSTANDER.get_or_init(|| tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default()));
    let out = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(out.clone())
        .with_ansi(false)
        .with_span_events(FmtSpan::FULL)
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let login = login(t.kind());
    if let Some(login) = &login {
        manage_login(t, login, true).await?;
    }
    let mut shown = Shown::default();
    let exercised = exercise(t, login.as_ref(), &mut shown)
        .with_subscriber(subscriber)
        .await;
    if let Some(login) = &login {
        manage_login(t, login, false).await?;
    }
    exercised?;

    let log = out.text();
    assert!(log.contains("orm.query"), "the trace was captured:\n{log}");
    assert!(
        shown.0.contains("***"),
        "redacted URLs are shown:\n{}",
        shown.0
    );
    for secret in [PASSWORD, WRONG_PASSWORD] {
        assert!(!log.contains(secret), "{secret} in the trace:\n{log}");
        assert!(!shown.0.contains(secret), "{secret} shown:\n{}", shown.0);
    }
    Ok(())
}
