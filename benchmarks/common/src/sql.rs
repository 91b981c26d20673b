//! SQL text for contenders that send hand-written SQL, in either placeholder style.

/// Placeholder spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placeholders {
    /// `?` (MySQL, SQLite).
    Question,
    /// `$1`, `$2`, ... (PostgreSQL).
    Dollar,
}

impl Placeholders {
    /// The placeholder for parameter `n` (1-based).
    pub fn nth(self, n: usize) -> String {
        match self {
            Placeholders::Question => "?".to_owned(),
            Placeholders::Dollar => format!("${n}"),
        }
    }

    /// `count` comma-separated placeholders starting at parameter `first` (1-based).
    pub fn list(self, first: usize, count: usize) -> String {
        let mut s = String::with_capacity(count * 4);
        for i in 0..count {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&self.nth(first + i));
        }
        s
    }
}

/// Every user.
pub const SELECT_USERS: &str = "SELECT id, name, hair_color FROM users";

/// Users with the bound hair colour, each with its posts (or one row with NULL post columns).
pub fn medium(ph: Placeholders) -> String {
    format!(
        "SELECT u.id, u.name, u.hair_color, p.id, p.user_id, p.title, p.body \
         FROM users u LEFT JOIN posts p ON p.user_id = u.id WHERE u.hair_color = {}",
        ph.nth(1)
    )
}

/// The user with the bound id.
pub fn user_by_id(ph: Placeholders) -> String {
    format!(
        "SELECT id, name, hair_color FROM users WHERE id = {}",
        ph.nth(1)
    )
}

/// A multi-row insert of `rows` users (name, hair_color).
pub fn insert_users(ph: Placeholders, rows: usize) -> String {
    let mut s = String::from("INSERT INTO users (name, hair_color) VALUES ");
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        s.push_str(&ph.list(2 * r + 1, 2));
        s.push(')');
    }
    s
}

/// Posts of `count` bound user ids.
pub fn posts_of_users(ph: Placeholders, count: usize) -> String {
    format!(
        "SELECT id, user_id, title, body FROM posts WHERE user_id IN ({})",
        ph.list(1, count)
    )
}

/// Comments of `count` bound post ids.
pub fn comments_of_posts(ph: Placeholders, count: usize) -> String {
    format!(
        "SELECT id, post_id, text FROM comments WHERE post_id IN ({})",
        ph.list(1, count)
    )
}

/// Posts of the users whose ids are bound as one array (PostgreSQL).
pub const POSTS_OF_USER_ARRAY: &str =
    "SELECT id, user_id, title, body FROM posts WHERE user_id = ANY($1)";

/// Comments of the posts whose ids are bound as one array (PostgreSQL).
pub const COMMENTS_OF_POST_ARRAY: &str =
    "SELECT id, post_id, text FROM comments WHERE post_id = ANY($1)";

/// Empties `users` after an insert iteration.
pub const DELETE_USERS: &str = "DELETE FROM users";
