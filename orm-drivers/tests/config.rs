//! Configuration from URLs and builders, and that no password ever shows in `Debug`, `Display` or
//! errors.

use std::time::Duration;

use orm_core::{Dialect, Error};
use orm_drivers::{Database, DatabaseConfig};

const PASSWORD: &str = "S3cretPw";

/// Every URL form with a password somewhere in it.
fn urls_with_passwords() -> Vec<String> {
    vec![
        format!("postgres://app:{PASSWORD}@db.example.com:5432/prod"),
        format!(
            "postgresql://app:{PASSWORD}@db.example.com/prod?sslmode=disable&max_connections=3"
        ),
        format!("postgres://app:{PASSWORD}@127.0.0.1:1/prod?connect_timeout=1"),
        format!("postgres://db.example.com/prod?user=app&password={PASSWORD}"),
        format!("mysql://root:{PASSWORD}@127.0.0.1:3306/test"),
        format!("mariadb://root:{PASSWORD}@127.0.0.1:3306/test?acquire_timeout=2.5"),
        format!("mysql://root:{PASSWORD}%21@localhost/test"),
        format!("postgres://app:p%40{PASSWORD}@host/db"),
        format!("postgres://app:{PASSWORD}/x@host/db"),
    ]
}

fn assert_hidden(text: &str) {
    assert!(!text.contains(PASSWORD), "password leaked: {text}");
}

#[test]
fn config_never_shows_a_password() {
    for url in urls_with_passwords() {
        let cfg = DatabaseConfig::from_url(&url).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_hidden(&format!("{cfg}"));
        assert_hidden(&format!("{cfg:?}"));
        assert_hidden(&format!("{cfg:#?}"));
        assert_hidden(cfg.redacted_url());
        assert!(cfg.redacted_url().contains("***"), "{}", cfg.redacted_url());
        let builder = Database::builder(&url).max_connections(2);
        assert_hidden(&format!("{builder:?}"));
    }
}

#[test]
fn config_errors_never_show_a_password() {
    for url in [
        format!("postgres://app:{PASSWORD}@h/db?max_connections=lots"),
        format!("postgres://app:{PASSWORD}@h/db?acquire_timeout=-1"),
        format!("mysql://app:{PASSWORD}@h/db?connect_timeout=0"),
        format!("mysql://app:{PASSWORD}@h/db?max_connections=0"),
        format!("oracle://app:{PASSWORD}@h/db"),
        format!("app:{PASSWORD}@h/db"),
        PASSWORD.to_owned(),
    ] {
        let err = DatabaseConfig::from_url(&url).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
        assert_hidden(&format!("{err} {err:?}"));
    }
}

#[test]
fn schemes_select_the_dialect() {
    for (url, dialect) in [
        ("sqlite::memory:", Dialect::Sqlite),
        ("sqlite://app.db?mode=rwc", Dialect::Sqlite),
        ("sqlite:app.db", Dialect::Sqlite),
        ("sqlite:///abs/path.db", Dialect::Sqlite),
        ("postgres://u@h/db", Dialect::Postgres),
        ("postgresql://u@h/db", Dialect::Postgres),
        ("POSTGRES://u@h/db", Dialect::Postgres),
        ("mysql://u@h/db", Dialect::MySql),
        ("mariadb://u@h/db", Dialect::MySql),
    ] {
        let cfg: DatabaseConfig = url.parse().unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(cfg.dialect(), dialect, "{url}");
        assert_eq!(cfg.to_string(), url);
    }
}

#[test]
fn url_parameters_and_builder_settings() {
    let cfg = DatabaseConfig::from_url(
        "postgres://u@h/db?max_connections=4&acquire_timeout=0.5&connect_timeout=2&statement_cache_capacity=16&busy_timeout=1.5",
    )
    .unwrap();
    assert_eq!(cfg.max_connections(), 4);
    assert_eq!(cfg.acquire_timeout(), Duration::from_millis(500));
    assert_eq!(cfg.connect_timeout(), Duration::from_secs(2));
    assert_eq!(cfg.statement_cache_capacity(), 16);
    assert_eq!(cfg.busy_timeout(), Duration::from_millis(1500));

    let built = Database::builder("postgres://u@h/db?max_connections=4&acquire_timeout=0.5")
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(3))
        .statement_cache_capacity(0)
        .busy_timeout(Duration::from_secs(1))
        .config()
        .unwrap();
    assert_eq!(built.max_connections(), 8);
    assert_eq!(built.acquire_timeout(), Duration::from_secs(5));
    assert_eq!(built.connect_timeout(), Duration::from_secs(3));
    assert_eq!(built.statement_cache_capacity(), 0);
    assert_eq!(built.busy_timeout(), Duration::from_secs(1));

    let defaults = DatabaseConfig::from_url("mysql://u@h/db").unwrap();
    assert_eq!(defaults.max_connections(), 10);
    assert_eq!(defaults.acquire_timeout(), Duration::from_secs(30));
    assert_eq!(defaults.connect_timeout(), Duration::from_secs(10));
    assert!(
        Database::builder("mysql://u@h/db")
            .max_connections(0)
            .config()
            .is_err()
    );
}

#[cfg(feature = "sqlite")]
#[test]
fn private_memory_databases_hold_one_connection() {
    assert_eq!(
        DatabaseConfig::from_url("sqlite::memory:")
            .unwrap()
            .max_connections(),
        1
    );
    assert_eq!(
        DatabaseConfig::from_url("sqlite::memory:?max_connections=1")
            .unwrap()
            .max_connections(),
        1
    );
    assert!(DatabaseConfig::from_url("sqlite::memory:?max_connections=2").is_err());
    assert_eq!(
        DatabaseConfig::from_url("sqlite://m?mode=memory&cache=shared")
            .unwrap()
            .max_connections(),
        10
    );
    assert_eq!(
        DatabaseConfig::from_url("sqlite://app.db")
            .unwrap()
            .max_connections(),
        10
    );
}

/// Connecting with a password fails (refused port, wrong password) without showing it.
#[cfg(any(feature = "postgres", feature = "mysql"))]
#[tokio::test]
async fn connect_errors_never_show_a_password() {
    let mut urls = Vec::new();
    if cfg!(feature = "postgres") {
        urls.push(format!(
            "postgres://app:{PASSWORD}@127.0.0.1:1/test?connect_timeout=2"
        ));
    }
    if cfg!(feature = "mysql") {
        urls.push(format!(
            "mysql://root:{PASSWORD}@127.0.0.1:1/test?connect_timeout=2"
        ));
        // The local server accepts root without a password: a wrong one is refused.
        urls.push(format!(
            "mysql://root:{PASSWORD}@127.0.0.1:3306/test?connect_timeout=5"
        ));
        urls.push(format!(
            "mariadb://nobody:{PASSWORD}@127.0.0.1:3306/test?connect_timeout=5"
        ));
    }
    for url in urls {
        let err = Database::connect(&url).await.unwrap_err();
        assert!(matches!(err, Error::Connect { .. }), "{err:?}");
        let mut text = format!("{err} {err:?}");
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            text.push_str(&format!(" {s} {s:?}"));
            source = s.source();
        }
        assert_hidden(&text);
    }
}

/// The acquire timeout bounds waiting for a free connection, not opening one: a server that
/// accepts and never answers fails with the connect timeout, even when it is the longer one.
#[cfg(any(feature = "postgres", feature = "mysql"))]
#[tokio::test]
async fn opening_a_connection_is_bounded_by_the_connect_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let mut urls = Vec::new();
    if cfg!(feature = "postgres") {
        urls.push(format!("postgres://u@127.0.0.1:{port}/db"));
    }
    if cfg!(feature = "mysql") {
        urls.push(format!("mysql://u@127.0.0.1:{port}/db"));
    }
    for url in urls {
        let started = std::time::Instant::now();
        let err = Database::builder(&url)
            .acquire_timeout(Duration::from_millis(100))
            .connect_timeout(Duration::from_millis(600))
            .build()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Connect { .. }), "{url}: {err:?}");
        assert!(
            started.elapsed() >= Duration::from_millis(500),
            "{url}: {err:?}"
        );
    }
    silent.abort();
}

/// A URL for a backend that is not compiled in is a configuration error, not a panic.
#[cfg(not(all(feature = "postgres", feature = "mysql")))]
#[tokio::test]
async fn backends_not_compiled_in_are_config_errors() {
    let url = if cfg!(feature = "postgres") {
        "mysql://root@127.0.0.1/test"
    } else {
        "postgres://u@h/db"
    };
    let err = Database::connect(url).await.unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("not compiled in")),
        "{err:?}"
    );
}
