//! A handler-style program as it would run in a serverless function: configured only from the
//! environment, with one pool created on the first invocation and reused by every later one.
//!
//! `DATABASE_URL` picks the backend (a SQLite file by default); `DATABASE_MAX_CONNECTIONS` sizes the
//! pool (1 suits most function runtimes). Each invocation is an event; a duplicate email answers
//! "Email already exists" from the typed error, both outside and inside a transaction.

use orm::prelude::*;
use tokio::sync::OnceCell;

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "serverless_users")]
pub struct User {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    pub name: String,
    #[orm(unique)]
    pub email: String,
}

/// One pool per process, created lazily by the first invocation and reused while the runtime is warm.
static POOL: OnceCell<Database> = OnceCell::const_new();

async fn pool() -> orm::Result<&'static Database> {
    POOL.get_or_try_init(|| async {
        let url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "sqlite://serverless_users.db?mode=rwc".into());
        let max: usize = std::env::var("DATABASE_MAX_CONNECTIONS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let db = Database::builder(&url).max_connections(max).build().await?;
        db.create_table::<User>().await?;
        Ok(db)
    })
    .await
}

/// The events the function answers.
enum Event<'a> {
    Create { name: &'a str, email: &'a str },
    CreateInTransaction { name: &'a str, email: &'a str },
    List,
}

/// One invocation: a status code and a body, as an HTTP-fronted function would return.
async fn handle(event: Event<'_>) -> (u16, String) {
    match invoke(event).await {
        Ok(body) => (200, body),
        Err(e) if e.is_unique_violation() => (409, "Email already exists".into()),
        Err(e) => (500, format!("internal error: {e}")),
    }
}

async fn invoke(event: Event<'_>) -> orm::Result<String> {
    let db = pool().await?;
    match event {
        Event::Create { name, email } => {
            let mut user = User {
                id: 0,
                name: name.into(),
                email: email.into(),
            };
            user.insert(db).await?;
            Ok(format!("created user {}", user.id))
        }
        Event::CreateInTransaction { name, email } => {
            let id = db
                .transaction(async |tx| {
                    let mut user = User {
                        id: 0,
                        name: name.into(),
                        email: email.into(),
                    };
                    user.insert(tx).await?;
                    Ok::<_, orm::Error>(user.id)
                })
                .await?;
            Ok(format!("created user {id} in a transaction"))
        }
        Event::List => {
            let users = User::query().order_by(User::ID.asc()).all(db).await?;
            Ok(users
                .iter()
                .map(|u| format!("{} <{}>", u.name, u.email))
                .collect::<Vec<_>>()
                .join(", "))
        }
    }
}

#[tokio::main]
async fn main() {
    let run = std::process::id();
    let ada = format!("ada-{run}@example.com");
    let bob = format!("bob-{run}@example.com");
    for event in [
        Event::Create {
            name: "Ada",
            email: &ada,
        },
        Event::Create {
            name: "Ada again",
            email: &ada,
        },
        Event::CreateInTransaction {
            name: "Bob",
            email: &bob,
        },
        Event::CreateInTransaction {
            name: "Bob again",
            email: &bob,
        },
        Event::List,
    ] {
        let (status, body) = handle(event).await;
        println!("{status} {body}");
    }
}
