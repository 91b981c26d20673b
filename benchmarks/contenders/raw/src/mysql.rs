//! mysql_async with prepared statements (binary protocol), rows decoded by index as they stream in.

use bench_common::data::{self, POOL_CONNECTIONS};
use bench_common::pool::Pool;
use bench_common::sql::{self, Placeholders::Question};
use bench_common::tasks::pool_lookups;
use bench_common::{Args, Check, Harness, Result, Workload};
use mysql_async::prelude::{FromValue, Queryable, StatementLike};
use mysql_async::{Conn, Opts, Params, Row, Value};

use crate::{Comment, Post, User};

/// Opens one connection.
pub async fn connect(url: &str) -> Result<Conn> {
    Ok(Conn::new(Opts::from_url(url)?).await?)
}

fn take<T: FromValue>(row: &mut Row, i: usize) -> Result<T> {
    match row.take_opt::<T, usize>(i) {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) => Err(format!("column {i}: {e}").into()),
        None => Err(format!("column {i} missing").into()),
    }
}

async fn load<T>(
    conn: &mut Conn,
    st: impl StatementLike,
    params: Params,
    map: impl Fn(&mut Row) -> Result<T>,
) -> Result<Vec<T>> {
    let mut result = conn.exec_iter(st, params).await?;
    let mut out = Vec::new();
    while let Some(mut row) = result.next().await? {
        out.push(map(&mut row)?);
    }
    Ok(out)
}

fn user(r: &mut Row) -> Result<User> {
    Ok(User {
        id: take(r, 0)?,
        name: take(r, 1)?,
        hair_color: take(r, 2)?,
    })
}

fn post(r: &mut Row) -> Result<Post> {
    Ok(Post {
        id: take(r, 0)?,
        user_id: take(r, 1)?,
        title: take(r, 2)?,
        body: take(r, 3)?,
    })
}

fn comment(r: &mut Row) -> Result<Comment> {
    Ok(Comment {
        id: take(r, 0)?,
        post_id: take(r, 1)?,
        text: take(r, 2)?,
    })
}

fn joined(r: &mut Row) -> Result<(User, Option<Post>)> {
    let user = User {
        id: take(r, 0)?,
        name: take(r, 1)?,
        hair_color: take(r, 2)?,
    };
    let post = match take::<Option<i64>>(r, 3)? {
        Some(id) => Some(Post {
            id,
            user_id: take(r, 4)?,
            title: take(r, 5)?,
            body: take(r, 6)?,
        }),
        None => None,
    };
    Ok((user, post))
}

fn ids(ids: impl Iterator<Item = i64>) -> Params {
    Params::Positional(ids.map(Value::from).collect())
}

/// Measures `args.workload`.
pub async fn run(args: &Args) -> Result<()> {
    let mut conn = connect(&args.url).await?;
    let mut h = Harness::new(args);
    match args.workload {
        Workload::Trivial => {
            let st = conn.prep(sql::SELECT_USERS).await?;
            while h.next().is_some() {
                let t = h.start();
                let users = load(&mut conn, &st, Params::Empty, user).await?;
                h.stop(t, crate::users_check(&users))?;
            }
        }
        Workload::Medium => {
            let st = conn.prep(sql::medium(Question)).await?;
            while h.next().is_some() {
                let t = h.start();
                let rows = load(
                    &mut conn,
                    &st,
                    Params::Positional(vec![data::BLACK.into()]),
                    joined,
                )
                .await?;
                h.stop(t, crate::joined_check(&rows))?;
            }
        }
        Workload::Insert => {
            let st = conn.prep(sql::insert_users(Question, args.size)).await?;
            let rows = data::users_to_insert(args.size);
            while h.next().is_some() {
                let t = h.start();
                let params: Vec<Value> = rows
                    .iter()
                    .flat_map(|(n, hc)| [Value::from(n.as_str()), Value::from(hc.as_deref())])
                    .collect();
                conn.exec_drop(&st, Params::Positional(params)).await?;
                let n = conn.affected_rows();
                h.stop(t, Check::inserted(n))?;
                conn.query_drop(sql::DELETE_USERS).await?;
                h.deleted(conn.affected_rows())?;
            }
        }
        Workload::Associations => {
            let users_st = conn.prep(sql::SELECT_USERS).await?;
            while h.next().is_some() {
                let t = h.start();
                let users = load(&mut conn, &users_st, Params::Empty, user).await?;
                let posts_sql = sql::posts_of_users(Question, users.len());
                let posts =
                    load(&mut conn, posts_sql, ids(users.iter().map(|u| u.id)), post).await?;
                let comments_sql = sql::comments_of_posts(Question, posts.len());
                let comments = load(
                    &mut conn,
                    comments_sql,
                    ids(posts.iter().map(|p| p.id)),
                    comment,
                )
                .await?;
                let graph = crate::nest(users, posts, comments);
                h.stop(t, crate::graph_check(&graph))?;
            }
        }
        Workload::PkLookup => {
            let st = conn.prep(sql::user_by_id(Question)).await?;
            while let Some(i) = h.next() {
                let id = data::pk_lookup_id(i, args.size);
                let t = h.start();
                let found = load(&mut conn, &st, Params::Positional(vec![id.into()]), user).await?;
                h.stop(t, crate::users_check(&found))?;
            }
        }
        Workload::Pool => {
            let mut conns = Vec::with_capacity(POOL_CONNECTIONS);
            for _ in 0..POOL_CONNECTIONS {
                let mut c = connect(&args.url).await?;
                let st = c.prep(sql::user_by_id(Question)).await?;
                conns.push((c, st));
            }
            let pool = Pool::new(conns)?;
            let size = args.size;
            while h.next().is_some() {
                let t = h.start();
                let total = pool_lookups(size, &pool, |pool, id| async move {
                    let mut conn = pool.get().await?;
                    let (conn, st) = &mut *conn;
                    let found = load(conn, &*st, Params::Positional(vec![id.into()]), user).await?;
                    Ok(crate::users_check(&found))
                })
                .await?;
                h.stop(t, total)?;
            }
        }
    }
    h.finish();
    drop(conn.disconnect().await);
    Ok(())
}
