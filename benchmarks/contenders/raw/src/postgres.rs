//! tokio-postgres with statements prepared once, rows decoded by index as they stream in.

use std::pin::pin;

use bench_common::data::{self, POOL_CONNECTIONS};
use bench_common::pool::Pool;
use bench_common::sql::{self, Placeholders::Dollar};
use bench_common::tasks::pool_lookups;
use bench_common::{Args, Check, Harness, Result, Workload};
use futures_util::TryStreamExt;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row, Statement};

use crate::{Comment, Post, User};

/// Connects and drives the connection on the runtime.
pub async fn connect(url: &str) -> Result<Client> {
    let (client, conn) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = conn.await {
            eprintln!("postgres connection error: {e}");
        }
    });
    Ok(client)
}

async fn load<T>(
    client: &Client,
    st: &Statement,
    params: &[&(dyn ToSql + Sync)],
    map: impl Fn(&Row) -> Result<T, tokio_postgres::Error>,
) -> Result<Vec<T>> {
    let rows = client
        .query_raw(st, params.iter().map(|p| *p as &dyn ToSql))
        .await?;
    let mut rows = pin!(rows);
    let mut out = Vec::new();
    while let Some(row) = rows.try_next().await? {
        out.push(map(&row)?);
    }
    Ok(out)
}

fn user(r: &Row) -> Result<User, tokio_postgres::Error> {
    Ok(User {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        hair_color: r.try_get(2)?,
    })
}

fn post(r: &Row) -> Result<Post, tokio_postgres::Error> {
    Ok(Post {
        id: r.try_get(0)?,
        user_id: r.try_get(1)?,
        title: r.try_get(2)?,
        body: r.try_get(3)?,
    })
}

fn comment(r: &Row) -> Result<Comment, tokio_postgres::Error> {
    Ok(Comment {
        id: r.try_get(0)?,
        post_id: r.try_get(1)?,
        text: r.try_get(2)?,
    })
}

fn joined(r: &Row) -> Result<(User, Option<Post>), tokio_postgres::Error> {
    let user = User {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        hair_color: r.try_get(2)?,
    };
    let post = match r.try_get::<_, Option<i64>>(3)? {
        Some(id) => Some(Post {
            id,
            user_id: r.try_get(4)?,
            title: r.try_get(5)?,
            body: r.try_get(6)?,
        }),
        None => None,
    };
    Ok((user, post))
}

/// Measures `args.workload`.
pub async fn run(args: &Args) -> Result<()> {
    let client = connect(&args.url).await?;
    let mut h = Harness::new(args);
    match args.workload {
        Workload::Trivial => {
            let st = client.prepare(sql::SELECT_USERS).await?;
            while h.next().is_some() {
                let t = h.start();
                let users = load(&client, &st, &[], user).await?;
                h.stop(t, crate::users_check(&users))?;
            }
        }
        Workload::Medium => {
            let st = client.prepare(&sql::medium(Dollar)).await?;
            while h.next().is_some() {
                let t = h.start();
                let rows = load(&client, &st, &[&data::BLACK], joined).await?;
                h.stop(t, crate::joined_check(&rows))?;
            }
        }
        Workload::Insert => {
            let st = client
                .prepare(&sql::insert_users(Dollar, args.size))
                .await?;
            let delete = client.prepare(sql::DELETE_USERS).await?;
            let rows = data::users_to_insert(args.size);
            while h.next().is_some() {
                let t = h.start();
                let params: Vec<&(dyn ToSql + Sync)> = rows
                    .iter()
                    .flat_map(|(n, hc)| [n as &(dyn ToSql + Sync), hc as &(dyn ToSql + Sync)])
                    .collect();
                let n = client.execute(&st, &params).await?;
                h.stop(t, Check::inserted(n))?;
                h.deleted(client.execute(&delete, &[]).await?)?;
            }
        }
        Workload::Associations => {
            let users_st = client.prepare(sql::SELECT_USERS).await?;
            let posts_st = client.prepare(sql::POSTS_OF_USER_ARRAY).await?;
            let comments_st = client.prepare(sql::COMMENTS_OF_POST_ARRAY).await?;
            while h.next().is_some() {
                let t = h.start();
                let users = load(&client, &users_st, &[], user).await?;
                let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
                let posts = load(&client, &posts_st, &[&ids], post).await?;
                let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
                let comments = load(&client, &comments_st, &[&ids], comment).await?;
                let graph = crate::nest(users, posts, comments);
                h.stop(t, crate::graph_check(&graph))?;
            }
        }
        Workload::PkLookup => {
            let st = client.prepare(&sql::user_by_id(Dollar)).await?;
            while let Some(i) = h.next() {
                let id = data::pk_lookup_id(i, args.size);
                let t = h.start();
                let found = client
                    .query_opt(&st, &[&id])
                    .await?
                    .map(|r| user(&r))
                    .transpose()?;
                h.stop(t, crate::users_check(found.as_slice()))?;
            }
        }
        Workload::Pool => {
            let mut conns = Vec::with_capacity(POOL_CONNECTIONS);
            for _ in 0..POOL_CONNECTIONS {
                let c = connect(&args.url).await?;
                let st = c.prepare(&sql::user_by_id(Dollar)).await?;
                conns.push((c, st));
            }
            let pool = Pool::new(conns)?;
            let size = args.size;
            while h.next().is_some() {
                let t = h.start();
                let total = pool_lookups(size, &pool, |pool, id| async move {
                    let conn = pool.get().await?;
                    let found = conn
                        .0
                        .query_opt(&conn.1, &[&id])
                        .await?
                        .map(|r| user(&r))
                        .transpose()?;
                    drop(conn);
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
