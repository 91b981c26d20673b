//! The raw-driver baseline every ratio is measured against, and the seeding tool.
//!
//! `bench-raw --backend B --workload W --size N --url U [--variant spawn_blocking] ...` measures
//! (see `bench_common::args`); `bench-raw seed --backend B --workload W --size N --url U` recreates the
//! benchmark tables and loads the workload's data set; `bench-raw version --backend B --url U
//! --workload trivial --size 1` prints the server's (or the bundled SQLite's) version.
//!
//! Variants: on SQLite the default calls rusqlite directly on the measuring thread (the absolute
//! limit); `spawn_blocking` runs each statement through `tokio::task::spawn_blocking` (the plain async
//! limit). PostgreSQL and MySQL have one variant each.

mod mysql;
mod postgres;
mod seed;
mod sqlite;

use bench_common::{Args, Backend, Result, harness};

/// A user, as every contender loads it.
#[derive(Debug)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub hair_color: Option<String>,
}

/// A post.
#[derive(Debug)]
pub struct Post {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub body: Option<String>,
}

/// A comment.
#[derive(Debug)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub text: String,
}

/// Users with their posts with their comments.
pub type Graph = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

/// Groups the three loads of the associations workload.
pub fn nest(users: Vec<User>, posts: Vec<Post>, comments: Vec<Comment>) -> Graph {
    use bench_common::group::nest;
    let posts = nest(posts, comments, |p| p.id, |c| c.post_id);
    nest(users, posts, |u| u.id, |(p, _)| p.user_id)
}

/// Digest of loaded users.
pub fn users_check(users: &[User]) -> bench_common::Check {
    let mut c = bench_common::Check::new();
    users
        .iter()
        .for_each(|u| c.user(u.id, &u.name, u.hair_color.as_deref()));
    c
}

/// Digest of the medium join.
pub fn joined_check(rows: &[(User, Option<Post>)]) -> bench_common::Check {
    let mut c = bench_common::Check::new();
    for (u, p) in rows {
        c.user_with_post(
            (u.id, &u.name, u.hair_color.as_deref()),
            p.as_ref()
                .map(|p| (p.id, p.user_id, p.title.as_str(), p.body.as_deref())),
        );
    }
    c
}

/// Digest of the associations graph.
pub fn graph_check(graph: &Graph) -> bench_common::Check {
    let mut c = bench_common::Check::new();
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

fn main() {
    let mut argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.first().is_some_and(|a| a == "seed") {
        argv.remove(0);
        harness::exit_on_error(Args::parse(argv).and_then(seed::run));
    } else if argv.first().is_some_and(|a| a == "version") {
        argv.remove(0);
        harness::exit_on_error(Args::parse(argv).and_then(seed::print_server_version));
    } else {
        harness::main(run);
    }
}

fn run(args: Args) -> Result<()> {
    match (args.backend, args.variant.as_str()) {
        (Backend::Postgres, "") => bench_common::runtime()?.block_on(postgres::run(&args)),
        (Backend::Mysql, "") => bench_common::runtime()?.block_on(mysql::run(&args)),
        (Backend::Sqlite, "") => sqlite::run_direct(&args),
        (Backend::Sqlite, "spawn_blocking") => {
            bench_common::runtime()?.block_on(sqlite::run_spawn_blocking(&args))
        }
        _ => Err(args.unsupported()),
    }
}
