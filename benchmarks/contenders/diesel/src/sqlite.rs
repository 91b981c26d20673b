//! Sync diesel on SQLite: the same queries as the async modules, called directly; the pool workload
//! runs 32 threads over an r2d2 pool of 8 (diesel's documented pool, default settings).

use std::sync::Arc;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::sqlite::SqliteConnection;

use bench_common::crew::Crew;

use super::*;

const PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;";

fn open(path: &str) -> Result<SqliteConnection> {
    let mut conn = SqliteConnection::establish(path)?;
    conn.batch_execute(PRAGMAS)?;
    Ok(conn)
}

#[derive(Debug)]
struct Pragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(PRAGMAS)
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

pub fn run(args: &Args) -> Result<()> {
    let mut conn = open(&args.url)?;
    let c = &mut conn;
    let mut h = Harness::new(args);
    match args.workload {
        Workload::Trivial => {
            while h.next().is_some() {
                let t = h.start();
                let users = users::table.load::<User>(c)?;
                h.stop(t, users_check(&users))?;
            }
        }
        Workload::Medium => {
            while h.next().is_some() {
                let t = h.start();
                let rows = users::table
                    .left_outer_join(posts::table)
                    .filter(users::hair_color.eq(data::BLACK))
                    .load::<(User, Option<Post>)>(c)?;
                h.stop(t, joined_check(&rows))?;
            }
        }
        Workload::Insert => {
            let rows = schema::new_users(args.size);
            while h.next().is_some() {
                let t = h.start();
                let n = diesel::insert_into(users::table).values(&rows).execute(c)?;
                h.stop(t, Check::inserted(n as u64))?;
                h.deleted(diesel::delete(users::table).execute(c)? as u64)?;
            }
        }
        Workload::Associations => {
            while h.next().is_some() {
                let t = h.start();
                let users = users::table.load::<User>(c)?;
                let posts = Post::belonging_to(&users).load::<Post>(c)?;
                let comments = Comment::belonging_to(&posts).load::<Comment>(c)?;
                let graph = schema::group(users, posts, comments);
                h.stop(t, graph_check(&graph))?;
            }
        }
        Workload::PkLookup => {
            while let Some(i) = h.next() {
                let id = data::pk_lookup_id(i, args.size);
                let t = h.start();
                let found = users::table.find(id).first::<User>(c).optional()?;
                h.stop(t, users_check(found.as_slice()))?;
            }
        }
        Workload::Pool => {
            let pool = Arc::new(
                Pool::builder()
                    .max_size(POOL_CONNECTIONS as u32)
                    .connection_customizer(Box::new(Pragmas))
                    .build(ConnectionManager::<SqliteConnection>::new(
                        args.url.as_str(),
                    ))?,
            );
            let size = args.size;
            let crew = Crew::new(POOL_TASKS, move |task| {
                let mut c = Check::new();
                for lookup in 0..POOL_LOOKUPS_PER_TASK {
                    let id = data::pool_lookup_id(task, lookup, size);
                    let mut conn = pool.get()?;
                    let found = users::table.find(id).first::<User>(&mut conn).optional()?;
                    c.merge(users_check(found.as_slice()));
                }
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
