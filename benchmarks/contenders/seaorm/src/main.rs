//! The SeaORM contender: `find().all`, `find_also_related` for the join, `LoaderTrait::load_many` for
//! associations (users, then posts, then comments), `insert_many(..).exec_without_returning`, and
//! `find_by_id(..).one`. SeaORM always runs on its (sqlx) pool: default options, except 8 connections
//! for the pool workload. SQLite gets the pool opened with the pragmas every contender uses.

mod entities;

use std::sync::Arc;

use bench_common::data::{self, POOL_CONNECTIONS};
use bench_common::tasks::pool_lookups;
use bench_common::{Args, Backend, Check, Harness, Result, Workload, harness};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectOptions, ConnectionTrait, DatabaseConnection,
    EntityTrait, LoaderTrait, QueryFilter, SqlxSqliteConnector, Statement,
};

use entities::{comments, posts, users};

type Graph = Vec<(users::Model, Vec<(posts::Model, Vec<comments::Model>)>)>;

fn users_check(users: &[users::Model]) -> Check {
    let mut c = Check::new();
    users
        .iter()
        .for_each(|u| c.user(u.id, &u.name, u.hair_color.as_deref()));
    c
}

fn joined_check(rows: &[(users::Model, Option<posts::Model>)]) -> Check {
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

async fn connect(args: &Args, max_connections: Option<u32>) -> Result<DatabaseConnection> {
    if args.backend == Backend::Sqlite {
        use sqlx::sqlite::{
            SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
        };
        let opts = SqliteConnectOptions::new()
            .filename(&args.url)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(std::time::Duration::from_secs(5));
        let mut pool = SqlitePoolOptions::new();
        if let Some(n) = max_connections {
            pool = pool.max_connections(n).min_connections(n);
        }
        return Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(
            pool.connect_with(opts).await?,
        ));
    }
    let mut opts = ConnectOptions::new(args.url.clone());
    if let Some(n) = max_connections {
        opts.max_connections(n).min_connections(n);
    }
    Ok(sea_orm::Database::connect(opts).await?)
}

async fn graph(db: &DatabaseConnection) -> Result<Graph> {
    let users = users::Entity::find().all(db).await?;
    let posts: Vec<Vec<posts::Model>> = users.load_many(posts::Entity, db).await?;
    let per_user: Vec<usize> = posts.iter().map(Vec::len).collect();
    let posts: Vec<posts::Model> = posts.into_iter().flatten().collect();
    let comments: Vec<Vec<comments::Model>> = posts.load_many(comments::Entity, db).await?;
    let mut posts = posts.into_iter().zip(comments);
    Ok(users
        .into_iter()
        .zip(per_user)
        .map(|(u, n)| (u, posts.by_ref().take(n).collect()))
        .collect())
}

async fn run(args: Args) -> Result<()> {
    let max = (args.workload == Workload::Pool).then_some(POOL_CONNECTIONS as u32);
    let db = connect(&args, max).await?;
    let mut h = Harness::new(&args);
    match args.workload {
        Workload::Trivial => {
            while h.next().is_some() {
                let t = h.start();
                let users = users::Entity::find().all(&db).await?;
                h.stop(t, users_check(&users))?;
            }
        }
        Workload::Medium => {
            while h.next().is_some() {
                let t = h.start();
                let rows = users::Entity::find()
                    .find_also_related(posts::Entity)
                    .filter(users::Column::HairColor.eq(data::BLACK))
                    .all(&db)
                    .await?;
                h.stop(t, joined_check(&rows))?;
            }
        }
        Workload::Insert => {
            let rows = data::users_to_insert(args.size);
            let delete =
                Statement::from_string(db.get_database_backend(), bench_common::sql::DELETE_USERS);
            while h.next().is_some() {
                let t = h.start();
                let models = rows.iter().map(|(name, hair)| users::ActiveModel {
                    name: Set(name.clone()),
                    hair_color: Set(hair.clone()),
                    ..Default::default()
                });
                let n = users::Entity::insert_many(models)
                    .exec_without_returning(&db)
                    .await?;
                h.stop(t, Check::inserted(n))?;
                h.deleted(db.execute_raw(delete.clone()).await?.rows_affected())?;
            }
        }
        Workload::Associations => {
            while h.next().is_some() {
                let t = h.start();
                let graph = graph(&db).await?;
                h.stop(t, graph_check(&graph))?;
            }
        }
        Workload::PkLookup => {
            while let Some(i) = h.next() {
                let id = data::pk_lookup_id(i, args.size);
                let t = h.start();
                let found = users::Entity::find_by_id(id).one(&db).await?;
                h.stop(t, users_check(found.as_slice()))?;
            }
        }
        Workload::Pool => {
            let db = Arc::new(db.clone());
            let size = args.size;
            while h.next().is_some() {
                let t = h.start();
                let total = pool_lookups(size, &db, |db, id| async move {
                    let found = users::Entity::find_by_id(id).one(&*db).await?;
                    Ok(users_check(found.as_slice()))
                })
                .await?;
                h.stop(t, total)?;
            }
        }
    }
    h.finish();
    db.close().await?;
    Ok(())
}

fn main() {
    harness::main(|args| {
        if !args.variant.is_empty() {
            return Err(args.unsupported());
        }
        bench_common::runtime()?.block_on(run(args))
    });
}
