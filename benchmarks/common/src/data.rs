//! The data set of every workload, with explicit primary keys so that every backend holds exactly the
//! same rows, and the constants of the workloads.
//!
//! Tables (identical on every backend, created by the raw contender's `seed` command):
//! `users(id, name, hair_color NULL)`, `posts(id, user_id, title, body NULL)`,
//! `comments(id, post_id, text)`; ids are 64-bit auto-increment keys, `posts.user_id` and
//! `comments.post_id` are indexed.

use crate::args::Workload;

/// Tasks of the pool workload.
pub const POOL_TASKS: usize = 32;
/// Connections in the pool of the pool workload.
pub const POOL_CONNECTIONS: usize = 8;
/// Primary-key lookups each task of the pool workload does per iteration.
pub const POOL_LOOKUPS_PER_TASK: usize = 50;
/// Posts per user in the associations workload.
pub const POSTS_PER_USER: usize = 10;
/// Comments per post in the associations workload.
pub const COMMENTS_PER_POST: usize = 10;
/// The hair colour the medium workload filters on.
pub const BLACK: &str = "black";
/// The hair colour of inserted users.
pub const INSERTED_HAIR: &str = "hair_color";

/// A row of `users`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    /// Primary key.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Nullable hair colour.
    pub hair_color: Option<String>,
}

/// A row of `posts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostRow {
    /// Primary key.
    pub id: i64,
    /// Author.
    pub user_id: i64,
    /// Title.
    pub title: String,
    /// Nullable body.
    pub body: Option<String>,
}

/// A row of `comments`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentRow {
    /// Primary key.
    pub id: i64,
    /// Commented post.
    pub post_id: i64,
    /// Text.
    pub text: String,
}

/// Every row a workload starts from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dataset {
    /// Users, ids 1..=n.
    pub users: Vec<UserRow>,
    /// Posts, ids 1..=n.
    pub posts: Vec<PostRow>,
    /// Comments, ids 1..=n.
    pub comments: Vec<CommentRow>,
}

fn alternating_hair(i: usize) -> Option<String> {
    Some(
        if i.is_multiple_of(2) {
            "black"
        } else {
            "brown"
        }
        .to_owned(),
    )
}

fn users(n: usize, hair: impl Fn(usize) -> Option<String>) -> Vec<UserRow> {
    (0..n)
        .map(|i| UserRow {
            id: i as i64 + 1,
            name: format!("User {i}"),
            hair_color: hair(i),
        })
        .collect()
}

impl Dataset {
    /// The rows `workload` of `size` runs against.
    ///
    /// - trivial: `size` users without hair colour;
    /// - medium: `size` users, black (even index) and brown (odd); every other black user (index
    ///   divisible by 4) has one post, so the join yields users with and without a post;
    /// - insert: empty tables;
    /// - associations: `size` users, [`POSTS_PER_USER`] posts each, [`COMMENTS_PER_POST`] comments per post;
    /// - pk, pool: `size` users, alternating hair colours.
    pub fn for_workload(workload: Workload, size: usize) -> Dataset {
        match workload {
            Workload::Trivial => Dataset {
                users: users(size, |_| None),
                ..Dataset::default()
            },
            Workload::Medium => {
                let users = users(size, alternating_hair);
                let posts = users
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i.is_multiple_of(4))
                    .enumerate()
                    .map(|(n, (_, u))| PostRow {
                        id: n as i64 + 1,
                        user_id: u.id,
                        title: format!("Post by user {}", u.id),
                        body: n
                            .is_multiple_of(2)
                            .then(|| format!("Body of post {}", n + 1)),
                    })
                    .collect();
                Dataset {
                    users,
                    posts,
                    comments: Vec::new(),
                }
            }
            Workload::Insert => Dataset::default(),
            Workload::Associations => {
                let users = users(size, alternating_hair);
                let mut posts = Vec::with_capacity(size * POSTS_PER_USER);
                for u in &users {
                    for i in 0..POSTS_PER_USER {
                        let id = posts.len() as i64 + 1;
                        posts.push(PostRow {
                            id,
                            user_id: u.id,
                            title: format!("Post {i} by user {}", u.id),
                            body: None,
                        });
                    }
                }
                let mut comments = Vec::with_capacity(posts.len() * COMMENTS_PER_POST);
                for p in &posts {
                    for i in 0..COMMENTS_PER_POST {
                        let id = comments.len() as i64 + 1;
                        comments.push(CommentRow {
                            id,
                            post_id: p.id,
                            text: format!("Comment {i} on post {}", p.id),
                        });
                    }
                }
                Dataset {
                    users,
                    posts,
                    comments,
                }
            }
            Workload::PkLookup | Workload::Pool => Dataset {
                users: users(size, alternating_hair),
                ..Dataset::default()
            },
        }
    }
}

/// The users one iteration of the insert workload inserts (without ids: the database assigns them).
pub fn users_to_insert(size: usize) -> Vec<(String, Option<String>)> {
    (0..size)
        .map(|i| (format!("User {i}"), Some(INSERTED_HAIR.to_owned())))
        .collect()
}

/// The id iteration `iteration` of the pk workload looks up in a table of `size` users.
pub fn pk_lookup_id(iteration: usize, size: usize) -> i64 {
    (iteration % size.max(1)) as i64 + 1
}

/// The id task `task` looks up in its `lookup`-th query of the pool workload (table of `size` users).
pub fn pool_lookup_id(task: usize, lookup: usize, size: usize) -> i64 {
    ((task * POOL_LOOKUPS_PER_TASK + lookup) % size.max(1)) as i64 + 1
}
