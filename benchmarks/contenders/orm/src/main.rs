//! This ORM as a contender, written as its README and test suite use it: `Model::query().all`,
//! `left_join` for the join, `in_list` filters for associations (grouped by key), `insert_all` with
//! the rows moved in for the insert, `find` by primary key. The single-connection workloads run on
//! one connection checked out of its `Database` (as sqlx and diesel run on one connection); the
//! pool workload runs on the `Database` (its pool of 8) itself.
//!
//! Variants: `through_pool` runs the single-connection workloads on the `Database`, each statement
//! checking a connection out of the pool; `insert_many` inserts with `insert_many`, which also
//! writes the generated keys back; `no_spin` (SQLite) opens the database with `sqlite_spin=false`.

use bench_common::data::{self, POOL_CONNECTIONS};
use bench_common::tasks::pool_lookups;
use bench_common::{Args, Backend, Check, Harness, Result, Workload, harness};
use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
struct User {
    #[orm(primary_key, auto_increment)]
    id: i64,
    name: String,
    hair_color: Option<String>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "posts")]
struct Post {
    #[orm(primary_key, auto_increment)]
    id: i64,
    user_id: i64,
    title: String,
    body: Option<String>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "comments")]
struct Comment {
    #[orm(primary_key, auto_increment)]
    id: i64,
    post_id: i64,
    text: String,
}

type Graph = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

fn users_check(users: &[User]) -> Check {
    let mut c = Check::new();
    users
        .iter()
        .for_each(|u| c.user(u.id, &u.name, u.hair_color.as_deref()));
    c
}

fn joined_check(rows: &[(User, Option<Post>)]) -> Check {
    let mut c = Check::new();
    for (u, p) in rows {
        c.user_with_post(
            (u.id, &u.name, u.hair_color.as_deref()),
            p.as_ref()
                .map(|p| (p.id, p.user_id, p.title.as_str(), p.body.as_deref())),
        );
    }
    c
}

fn graph_check(graph: &Graph) -> Check {
    let mut c = Check::new();
    for (u, posts) in graph {
        c.user(u.id, &u.name, u.hair_color.as_deref());
        for (p, comments) in posts {
            c.post_of(u.id, p.id, p.user_id, &p.title, p.body.as_deref());
            for m in comments {
                c.comment_of(p.id, m.id, m.post_id, &m.text);
            }
        }
    }
    c
}

async fn graph<E: Executor>(db: &E) -> Result<Graph> {
    use bench_common::group::nest;
    let users = User::query().all(db).await?;
    let posts = Post::query()
        .filter(Post::USER_ID.in_list(users.iter().map(|u| u.id)))
        .all(db)
        .await?;
    let comments = Comment::query()
        .filter(Comment::POST_ID.in_list(posts.iter().map(|p| p.id)))
        .all(db)
        .await?;
    let posts = nest(posts, comments, |p| p.id, |c| c.post_id);
    Ok(nest(users, posts, |u| u.id, |(p, _)| p.user_id))
}

async fn run(args: Args) -> Result<()> {
    let url = match args.backend {
        Backend::Sqlite if args.variant == "no_spin" => {
            format!("sqlite://{}?mode=rw&sqlite_spin=false", args.url)
        }
        Backend::Sqlite => format!("sqlite://{}?mode=rw", args.url),
        _ => args.url.clone(),
    };
    let db = match args.workload {
        Workload::Pool => {
            Database::builder(&url)
                .max_connections(POOL_CONNECTIONS)
                .build()
                .await?
        }
        _ => Database::connect(&url).await?,
    };
    let mut h = Harness::new(&args);
    match (args.workload, args.variant.as_str()) {
        (Workload::Pool, _) => pool(&args, &mut h, &db).await?,
        (_, "through_pool") => single(&args, &mut h, &db).await?,
        _ => single(&args, &mut h, &db.acquire().await?).await?,
    }
    h.finish();
    db.close().await;
    Ok(())
}

/// Every workload but the pool, on `db`: one checked-out connection (as sqlx and diesel run on
/// one connection), or with `--variant through_pool` the `Database` itself, each statement checking
/// a connection out of the pool.
async fn single<E: Executor>(args: &Args, h: &mut Harness, db: &E) -> Result<()> {
    match args.workload {
        Workload::Trivial => {
            while h.next().is_some() {
                let t = h.start();
                let users = User::query().all(db).await?;
                h.stop(t, users_check(&users))?;
            }
        }
        Workload::Medium => {
            while h.next().is_some() {
                let t = h.start();
                let rows = User::query()
                    .left_join::<Post>(Post::USER_ID.eq(User::ID))
                    .filter(User::HAIR_COLOR.eq(data::BLACK))
                    .all(db)
                    .await?;
                h.stop(t, joined_check(&rows))?;
            }
        }
        Workload::Insert => {
            let rows: Vec<User> = data::users_to_insert(args.size)
                .into_iter()
                .map(|(name, hair_color)| User {
                    id: 0,
                    name,
                    hair_color,
                })
                .collect();
            let mut keyed = rows.clone();
            while h.next().is_some() {
                if args.variant == "insert_many" {
                    keyed.iter_mut().for_each(|u| u.id = 0);
                    let t = h.start();
                    User::insert_many(db, &mut keyed).await?;
                    let written = keyed.iter().filter(|u| u.id > 0).count() as u64;
                    h.stop(t, Check::inserted(written))?;
                } else {
                    // The rows move into the statement, as a program inserting data it has just
                    // built does; built before the clock starts, as every contender's rows are.
                    let batch = rows.clone();
                    let t = h.start();
                    let n = User::insert_all(db, batch).await?;
                    h.stop(t, Check::inserted(n))?;
                }
                h.deleted(User::query().delete().execute(db).await?)?;
            }
        }
        Workload::Associations => {
            while h.next().is_some() {
                let t = h.start();
                let graph = graph(db).await?;
                h.stop(t, graph_check(&graph))?;
            }
        }
        Workload::PkLookup => {
            while let Some(i) = h.next() {
                let id = data::pk_lookup_id(i, args.size);
                let t = h.start();
                let found = User::find(db, id).await?;
                h.stop(t, users_check(found.as_slice()))?;
            }
        }
        Workload::Pool => return Err(args.unsupported()),
    }
    Ok(())
}

/// 32 tasks doing primary-key lookups through the pool of 8.
async fn pool(args: &Args, h: &mut Harness, db: &Database) -> Result<()> {
    let size = args.size;
    while h.next().is_some() {
        let t = h.start();
        let total = pool_lookups(size, db, |db, id| async move {
            let found = User::find(&db, id).await?;
            Ok(users_check(found.as_slice()))
        })
        .await?;
        h.stop(t, total)?;
    }
    Ok(())
}

fn main() {
    harness::main(|args| {
        if !["", "through_pool", "insert_many", "no_spin"].contains(&args.variant.as_str()) {
            return Err(args.unsupported());
        }
        bench_common::runtime()?.block_on(run(args))
    });
}
