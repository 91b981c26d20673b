//! `bench-raw seed`: creates the benchmark database if needed, recreates the three tables and loads the
//! data set of one workload (explicit ids, multi-row inserts in one transaction), then refreshes the
//! planner statistics. Every contender then runs against exactly these rows. On PostgreSQL the
//! benchmark database gets `synchronous_commit = off`.

use bench_common::data::Dataset;
use bench_common::{Args, Backend, Result};
use mysql_async::prelude::Queryable;
use rusqlite::params_from_iter;

const PG_DDL: &str = "
DROP TABLE IF EXISTS comments, posts, users;
CREATE TABLE users (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT);
CREATE TABLE posts (id BIGSERIAL PRIMARY KEY, user_id BIGINT NOT NULL, title TEXT NOT NULL, body TEXT);
CREATE INDEX posts_user_id ON posts (user_id);
CREATE TABLE comments (id BIGSERIAL PRIMARY KEY, post_id BIGINT NOT NULL, text TEXT NOT NULL);
CREATE INDEX comments_post_id ON comments (post_id);";

const MYSQL_DDL: &str = "
DROP TABLE IF EXISTS comments, posts, users;
CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(255) NOT NULL, hair_color VARCHAR(255) NULL) ENGINE=InnoDB;
CREATE TABLE posts (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id BIGINT NOT NULL, title VARCHAR(255) NOT NULL, body TEXT NULL, INDEX posts_user_id (user_id)) ENGINE=InnoDB;
CREATE TABLE comments (id BIGINT AUTO_INCREMENT PRIMARY KEY, post_id BIGINT NOT NULL, text TEXT NOT NULL, INDEX comments_post_id (post_id)) ENGINE=InnoDB;";

const SQLITE_DDL: &str = "
PRAGMA journal_mode = WAL;
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id BIGINT NOT NULL, title TEXT NOT NULL, body TEXT);
CREATE INDEX posts_user_id ON posts (user_id);
CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id BIGINT NOT NULL, text TEXT NOT NULL);
CREATE INDEX comments_post_id ON comments (post_id);";

/// Rows per INSERT statement while seeding.
const CHUNK: usize = 500;

/// One value of a seeded row.
enum V<'a> {
    Int(i64),
    Text(&'a str),
    Null,
}

impl<'a> From<Option<&'a str>> for V<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(V::Null, V::Text)
    }
}

/// The rows of each table as value lists, with the table's column list.
fn tables(data: &Dataset) -> [(&'static str, &'static str, Vec<Vec<V<'_>>>); 3] {
    [
        (
            "users",
            "id, name, hair_color",
            data.users
                .iter()
                .map(|u| {
                    vec![
                        V::Int(u.id),
                        V::Text(&u.name),
                        u.hair_color.as_deref().into(),
                    ]
                })
                .collect(),
        ),
        (
            "posts",
            "id, user_id, title, body",
            data.posts
                .iter()
                .map(|p| {
                    vec![
                        V::Int(p.id),
                        V::Int(p.user_id),
                        V::Text(&p.title),
                        p.body.as_deref().into(),
                    ]
                })
                .collect(),
        ),
        (
            "comments",
            "id, post_id, text",
            data.comments
                .iter()
                .map(|c| vec![V::Int(c.id), V::Int(c.post_id), V::Text(&c.text)])
                .collect(),
        ),
    ]
}

fn insert_sql(
    table: &str,
    columns: &str,
    rows: usize,
    width: usize,
    ph: bench_common::sql::Placeholders,
) -> String {
    let mut s = format!("INSERT INTO {table} ({columns}) VALUES ");
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        s.push_str(&ph.list(r * width + 1, width));
        s.push(')');
    }
    s
}

/// Seeds the workload's data set.
pub fn run(args: Args) -> Result<()> {
    let data = Dataset::for_workload(args.workload, args.size);
    match args.backend {
        Backend::Postgres => bench_common::runtime()?.block_on(postgres(&args.url, &data)),
        Backend::Mysql => bench_common::runtime()?.block_on(mysql(&args.url, &data)),
        Backend::Sqlite => sqlite(&args.url, &data),
    }
}

/// `url` with its database (path) replaced by `db` (empty for none).
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[host_start..]
        .find('/')
        .map_or(base.len(), |i| host_start + i);
    let mut out = format!("{}/{db}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

fn database_name(url: &str) -> Result<String> {
    let base = url.split('?').next().unwrap_or(url);
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let name = base[host_start..]
        .split_once('/')
        .map(|(_, db)| db)
        .unwrap_or("");
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("the URL must name a plain database, got `{name}`").into());
    }
    Ok(name.to_owned())
}

async fn postgres(url: &str, data: &Dataset) -> Result<()> {
    use tokio_postgres::types::ToSql;
    let name = database_name(url)?;
    let admin = crate::postgres::connect(&with_database(url, "postgres")).await?;
    if admin
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await?
        .is_none()
    {
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await?;
    }
    // Commits do not wait for the WAL flush in this database only, so inserts measure the client,
    // not the shared disk. (MariaDB has no per-database equivalent; its inserts stay durable.)
    admin
        .batch_execute(&format!(
            "ALTER DATABASE \"{name}\" SET synchronous_commit = off"
        ))
        .await?;
    drop(admin);
    let mut client = crate::postgres::connect(url).await?;
    client.batch_execute(PG_DDL).await?;
    let tx = client.transaction().await?;
    for (table, columns, rows) in tables(data) {
        for chunk in rows.chunks(CHUNK) {
            let width = chunk[0].len();
            let sql = insert_sql(
                table,
                columns,
                chunk.len(),
                width,
                bench_common::sql::Placeholders::Dollar,
            );
            let params: Vec<Box<dyn ToSql + Sync + Send>> = chunk
                .iter()
                .flatten()
                .map(|v| -> Box<dyn ToSql + Sync + Send> {
                    match v {
                        V::Int(i) => Box::new(*i),
                        V::Text(s) => Box::new(s.to_string()),
                        V::Null => Box::new(None::<String>),
                    }
                })
                .collect();
            let refs: Vec<&(dyn ToSql + Sync)> =
                params.iter().map(|b| &**b as &(dyn ToSql + Sync)).collect();
            tx.execute(&sql, &refs).await?;
        }
        if !rows.is_empty() {
            tx.execute(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"), &[])
                .await?;
        }
    }
    tx.commit().await?;
    client.batch_execute("VACUUM ANALYZE").await?;
    Ok(())
}

async fn mysql(url: &str, data: &Dataset) -> Result<()> {
    use mysql_async::{Params, Value};
    let name = database_name(url)?;
    let mut admin = crate::mysql::connect(&with_database(url, "")).await?;
    admin
        .query_drop(format!(
            "CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4"
        ))
        .await?;
    admin.disconnect().await?;
    let mut conn = crate::mysql::connect(url).await?;
    conn.query_drop(MYSQL_DDL).await?;
    conn.query_drop("START TRANSACTION").await?;
    for (table, columns, rows) in tables(data) {
        for chunk in rows.chunks(CHUNK) {
            let width = chunk[0].len();
            let sql = insert_sql(
                table,
                columns,
                chunk.len(),
                width,
                bench_common::sql::Placeholders::Question,
            );
            let params: Vec<Value> = chunk
                .iter()
                .flatten()
                .map(|v| match v {
                    V::Int(i) => Value::from(*i),
                    V::Text(s) => Value::from(*s),
                    V::Null => Value::NULL,
                })
                .collect();
            conn.exec_drop(sql, Params::Positional(params)).await?;
        }
    }
    conn.query_drop("COMMIT").await?;
    conn.query_drop("ANALYZE TABLE users, posts, comments")
        .await?;
    conn.disconnect().await?;
    Ok(())
}

fn sqlite(path: &str, data: &Dataset) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        match std::fs::remove_file(format!("{path}{suffix}")) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(SQLITE_DDL)?;
    let tx = conn.transaction()?;
    for (table, columns, rows) in tables(data) {
        for chunk in rows.chunks(CHUNK) {
            let width = chunk[0].len();
            let sql = insert_sql(
                table,
                columns,
                chunk.len(),
                width,
                bench_common::sql::Placeholders::Question,
            );
            let params = chunk.iter().flatten().map(|v| match v {
                V::Int(i) => rusqlite::types::Value::Integer(*i),
                V::Text(s) => rusqlite::types::Value::Text(s.to_string()),
                V::Null => rusqlite::types::Value::Null,
            });
            tx.execute(&sql, params_from_iter(params))?;
        }
    }
    tx.commit()?;
    conn.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(())
}

/// Prints the server's version string (the bundled library's for SQLite).
pub fn print_server_version(args: Args) -> Result<()> {
    let version = match args.backend {
        Backend::Postgres => bench_common::runtime()?.block_on(async {
            let client = crate::postgres::connect(&with_database(&args.url, "postgres")).await?;
            let v: String = client
                .query_one("SHOW server_version", &[])
                .await?
                .try_get(0)?;
            Ok::<_, bench_common::Error>(format!(
                "PostgreSQL {}",
                v.split_whitespace().next().unwrap_or(&v)
            ))
        })?,
        Backend::Mysql => bench_common::runtime()?.block_on(async {
            let mut conn = crate::mysql::connect(&with_database(&args.url, "")).await?;
            let v: Option<String> = conn.query_first("SELECT VERSION()").await?;
            conn.disconnect().await?;
            let v = v.unwrap_or_default();
            let kind = if v.contains("MariaDB") {
                "MariaDB"
            } else {
                "MySQL"
            };
            Ok::<_, bench_common::Error>(format!("{kind} {}", v.split('-').next().unwrap_or(&v)))
        })?,
        Backend::Sqlite => format!("SQLite {} (bundled)", rusqlite::version()),
    };
    println!("{version}");
    Ok(())
}
