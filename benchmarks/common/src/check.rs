//! An order-independent digest of loaded rows: each row is hashed (FNV-1a over its fields and, for
//! nested results, the key of the parent it was grouped under) and the hashes are summed. A contender
//! builds the digest of what it loaded; [`expected`] builds the digest of what it must load from the
//! data set. Rows in another order match; a missing, extra, wrongly decoded or wrongly grouped row does
//! not.

use crate::args::Workload;
use crate::data::{self, Dataset};

/// Rows seen and their digest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Check {
    /// Rows (users, joined rows, posts and comments, or rows inserted).
    pub rows: u64,
    /// Sum of the rows' hashes.
    pub digest: u64,
}

struct Fnv(u64);

impl Fnv {
    fn new(tag: u8) -> Fnv {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        h.bytes(&[tag]);
        h
    }
    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn int(&mut self, v: i64) -> &mut Self {
        self.bytes(&v.to_le_bytes());
        self
    }
    fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(&(s.len() as u64).to_le_bytes());
        self.bytes(s.as_bytes());
        self
    }
    fn opt(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => {
                self.bytes(&[1]);
                self.str(s)
            }
            None => {
                self.bytes(&[0]);
                self
            }
        }
    }
}

fn user_hash(id: i64, name: &str, hair_color: Option<&str>) -> u64 {
    Fnv::new(b'u').int(id).str(name).opt(hair_color).0
}

fn post_hash(id: i64, user_id: i64, title: &str, body: Option<&str>) -> u64 {
    Fnv::new(b'p').int(id).int(user_id).str(title).opt(body).0
}

impl Check {
    /// An empty check.
    pub fn new() -> Check {
        Check::default()
    }

    fn row(&mut self, hash: u64) {
        self.rows += 1;
        self.digest = self.digest.wrapping_add(hash);
    }

    /// Adds another check (e.g. of another task).
    pub fn merge(&mut self, other: Check) {
        self.rows += other.rows;
        self.digest = self.digest.wrapping_add(other.digest);
    }

    /// A loaded user.
    pub fn user(&mut self, id: i64, name: &str, hair_color: Option<&str>) {
        self.row(user_hash(id, name, hair_color));
    }

    /// A row of the medium join: a user and its post, if any.
    pub fn user_with_post(
        &mut self,
        user: (i64, &str, Option<&str>),
        post: Option<(i64, i64, &str, Option<&str>)>,
    ) {
        let mut h = Fnv(user_hash(user.0, user.1, user.2));
        match post {
            Some((id, user_id, title, body)) => h.int(post_hash(id, user_id, title, body) as i64),
            None => h.int(0),
        };
        self.row(h.0);
    }

    /// A post grouped under the user with key `parent`.
    pub fn post_of(&mut self, parent: i64, id: i64, user_id: i64, title: &str, body: Option<&str>) {
        self.row(
            Fnv::new(b'P')
                .int(parent)
                .int(post_hash(id, user_id, title, body) as i64)
                .0,
        );
    }

    /// A comment grouped under the post with key `parent`.
    pub fn comment_of(&mut self, parent: i64, id: i64, post_id: i64, text: &str) {
        self.row(Fnv::new(b'c').int(parent).int(id).int(post_id).str(text).0);
    }

    /// Rows an INSERT reported.
    pub fn inserted(rows: u64) -> Check {
        Check { rows, digest: 0 }
    }
}

fn user_by_id(data: &Dataset, id: i64) -> Option<&data::UserRow> {
    usize::try_from(id - 1)
        .ok()
        .and_then(|i| data.users.get(i))
        .filter(|u| u.id == id)
}

/// What iteration `iteration` of `workload` over `data` must load.
pub fn expected(workload: Workload, size: usize, data: &Dataset, iteration: usize) -> Check {
    let mut c = Check::new();
    let user = |c: &mut Check, u: &data::UserRow| c.user(u.id, &u.name, u.hair_color.as_deref());
    match workload {
        Workload::Trivial => data.users.iter().for_each(|u| user(&mut c, u)),
        Workload::Medium => {
            for u in data
                .users
                .iter()
                .filter(|u| u.hair_color.as_deref() == Some(data::BLACK))
            {
                let posts: Vec<_> = data.posts.iter().filter(|p| p.user_id == u.id).collect();
                let uref = (u.id, u.name.as_str(), u.hair_color.as_deref());
                if posts.is_empty() {
                    c.user_with_post(uref, None);
                }
                for p in posts {
                    c.user_with_post(uref, Some((p.id, p.user_id, &p.title, p.body.as_deref())));
                }
            }
        }
        Workload::Insert => c = Check::inserted(size as u64),
        Workload::Associations => {
            data.users.iter().for_each(|u| user(&mut c, u));
            for p in &data.posts {
                c.post_of(p.user_id, p.id, p.user_id, &p.title, p.body.as_deref());
            }
            for m in &data.comments {
                c.comment_of(m.post_id, m.id, m.post_id, &m.text);
            }
        }
        Workload::PkLookup => {
            user_by_id(data, data::pk_lookup_id(iteration, size))
                .into_iter()
                .for_each(|u| user(&mut c, u));
        }
        Workload::Pool => {
            for task in 0..data::POOL_TASKS {
                for lookup in 0..data::POOL_LOOKUPS_PER_TASK {
                    let id = data::pool_lookup_id(task, lookup, size);
                    user_by_id(data, id)
                        .into_iter()
                        .for_each(|u| user(&mut c, u));
                }
            }
        }
    }
    c
}
