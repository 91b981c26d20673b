//! rusqlite with cached prepared statements: called directly (the absolute limit), or each statement
//! behind `tokio::task::spawn_blocking` (the plain async limit).

use std::sync::{Arc, Mutex, PoisonError};

use bench_common::crew::Crew;
use bench_common::data::{self, POOL_CONNECTIONS, POOL_LOOKUPS_PER_TASK, POOL_TASKS};
use bench_common::pool::{BlockingPool, Pool};
use bench_common::sql::{self, Placeholders::Question};
use bench_common::tasks::pool_lookups;
use bench_common::{Args, Check, Harness, Result, Workload};
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

use crate::{Comment, Post, User};

/// Opens the database file with the pragmas every contender uses (the file is already in WAL mode).
pub fn open(path: &str) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch("PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;")?;
    Ok(conn)
}

fn user(r: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        hair_color: r.get(2)?,
    })
}

fn post(r: &Row<'_>) -> rusqlite::Result<Post> {
    Ok(Post {
        id: r.get(0)?,
        user_id: r.get(1)?,
        title: r.get(2)?,
        body: r.get(3)?,
    })
}

fn comment(r: &Row<'_>) -> rusqlite::Result<Comment> {
    Ok(Comment {
        id: r.get(0)?,
        post_id: r.get(1)?,
        text: r.get(2)?,
    })
}

fn joined(r: &Row<'_>) -> rusqlite::Result<(User, Option<Post>)> {
    let user = User {
        id: r.get(0)?,
        name: r.get(1)?,
        hair_color: r.get(2)?,
    };
    let post = match r.get::<_, Option<i64>>(3)? {
        Some(id) => Some(Post {
            id,
            user_id: r.get(4)?,
            title: r.get(5)?,
            body: r.get(6)?,
        }),
        None => None,
    };
    Ok((user, post))
}

fn users(c: &Connection) -> Result<Vec<User>> {
    let mut st = c.prepare_cached(sql::SELECT_USERS)?;
    Ok(st.query_map([], user)?.collect::<rusqlite::Result<_>>()?)
}

fn medium(c: &Connection) -> Result<Vec<(User, Option<Post>)>> {
    let mut st = c.prepare_cached(&sql::medium(Question))?;
    Ok(st
        .query_map([data::BLACK], joined)?
        .collect::<rusqlite::Result<_>>()?)
}

fn insert(c: &Connection, rows: &[(String, Option<String>)]) -> Result<u64> {
    let mut st = c.prepare_cached(&sql::insert_users(Question, rows.len()))?;
    let params = rows
        .iter()
        .flat_map(|(n, h)| [n as &dyn rusqlite::ToSql, h as &dyn rusqlite::ToSql]);
    Ok(st.execute(params_from_iter(params))? as u64)
}

fn delete_users(c: &Connection) -> Result<u64> {
    Ok(c.prepare_cached(sql::DELETE_USERS)?.execute([])? as u64)
}

fn graph(c: &Connection) -> Result<crate::Graph> {
    let users = users(c)?;
    let mut st = c.prepare_cached(&sql::posts_of_users(Question, users.len()))?;
    let posts: Vec<Post> = st
        .query_map(params_from_iter(users.iter().map(|u| u.id)), post)?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = c.prepare_cached(&sql::comments_of_posts(Question, posts.len()))?;
    let comments: Vec<Comment> = st
        .query_map(params_from_iter(posts.iter().map(|p| p.id)), comment)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(crate::nest(users, posts, comments))
}

fn by_id(c: &Connection, id: i64) -> Result<Option<User>> {
    let mut st = c.prepare_cached(&sql::user_by_id(Question))?;
    Ok(st.query_row([id], user).optional()?)
}

fn lookups(
    c: &mut Check,
    task: usize,
    size: usize,
    get: impl Fn(i64) -> Result<Option<User>>,
) -> Result<()> {
    for lookup in 0..POOL_LOOKUPS_PER_TASK {
        let found = get(data::pool_lookup_id(task, lookup, size))?;
        c.merge(crate::users_check(found.as_slice()));
    }
    Ok(())
}

/// Measures `args.workload` calling rusqlite on this thread.
pub fn run_direct(args: &Args) -> Result<()> {
    let conn = open(&args.url)?;
    let mut h = Harness::new(args);
    match args.workload {
        Workload::Trivial => {
            while h.next().is_some() {
                let t = h.start();
                let users = users(&conn)?;
                h.stop(t, crate::users_check(&users))?;
            }
        }
        Workload::Medium => {
            while h.next().is_some() {
                let t = h.start();
                let rows = medium(&conn)?;
                h.stop(t, crate::joined_check(&rows))?;
            }
        }
        Workload::Insert => {
            let rows = data::users_to_insert(args.size);
            while h.next().is_some() {
                let t = h.start();
                let n = insert(&conn, &rows)?;
                h.stop(t, Check::inserted(n))?;
                h.deleted(delete_users(&conn)?)?;
            }
        }
        Workload::Associations => {
            while h.next().is_some() {
                let t = h.start();
                let graph = graph(&conn)?;
                h.stop(t, crate::graph_check(&graph))?;
            }
        }
        Workload::PkLookup => {
            while let Some(i) = h.next() {
                let id = data::pk_lookup_id(i, args.size);
                let t = h.start();
                let found = by_id(&conn, id)?;
                h.stop(t, crate::users_check(found.as_slice()))?;
            }
        }
        Workload::Pool => {
            let conns = (0..POOL_CONNECTIONS)
                .map(|_| open(&args.url))
                .collect::<Result<Vec<_>>>()?;
            let pool = Arc::new(BlockingPool::new(conns));
            let size = args.size;
            let crew = Crew::new(POOL_TASKS, move |task| {
                let mut c = Check::new();
                lookups(&mut c, task, size, |id| by_id(&pool.get(), id))?;
                Ok(c)
            });
            while h.next().is_some() {
                let t = h.start();
                let total = crew.run()?;
                h.stop(t, total)?;
            }
        }
    }
    h.finish();
    Ok(())
}

/// Runs `f` on the shared connection on Tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    conn: &Arc<Mutex<Connection>>,
    f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
) -> Result<T> {
    let conn = Arc::clone(conn);
    tokio::task::spawn_blocking(move || f(&conn.lock().unwrap_or_else(PoisonError::into_inner)))
        .await?
}

/// Measures `args.workload` with every statement behind `spawn_blocking`.
pub async fn run_spawn_blocking(args: &Args) -> Result<()> {
    let conn = Arc::new(Mutex::new(open(&args.url)?));
    let mut h = Harness::new(args);
    match args.workload {
        Workload::Trivial => {
            while h.next().is_some() {
                let t = h.start();
                let users = blocking(&conn, users).await?;
                h.stop(t, crate::users_check(&users))?;
            }
        }
        Workload::Medium => {
            while h.next().is_some() {
                let t = h.start();
                let rows = blocking(&conn, medium).await?;
                h.stop(t, crate::joined_check(&rows))?;
            }
        }
        Workload::Insert => {
            let rows = Arc::new(data::users_to_insert(args.size));
            while h.next().is_some() {
                let t = h.start();
                let r = Arc::clone(&rows);
                let n = blocking(&conn, move |c| insert(c, &r)).await?;
                h.stop(t, Check::inserted(n))?;
                h.deleted(blocking(&conn, delete_users).await?)?;
            }
        }
        Workload::Associations => {
            while h.next().is_some() {
                let t = h.start();
                let graph = blocking(&conn, graph).await?;
                h.stop(t, crate::graph_check(&graph))?;
            }
        }
        Workload::PkLookup => {
            while let Some(i) = h.next() {
                let id = data::pk_lookup_id(i, args.size);
                let t = h.start();
                let found = blocking(&conn, move |c| by_id(c, id)).await?;
                h.stop(t, crate::users_check(found.as_slice()))?;
            }
        }
        Workload::Pool => {
            let conns = (0..POOL_CONNECTIONS)
                .map(|_| open(&args.url))
                .collect::<Result<Vec<_>>>()?;
            let pool = Pool::new(conns)?;
            let size = args.size;
            while h.next().is_some() {
                let t = h.start();
                let total = pool_lookups(size, &pool, |pool, id| async move {
                    let conn = pool.get().await?;
                    let found = tokio::task::spawn_blocking(move || by_id(&conn, id)).await??;
                    Ok(crate::users_check(found.as_slice()))
                })
                .await?;
                h.stop(t, total)?;
            }
        }
    }
    h.finish();
    Ok(())
}
