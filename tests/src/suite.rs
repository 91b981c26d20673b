//! The suite, written once. Every test is `async fn(&TestDb) -> orm::Result<()>` and runs on every
//! backend through `backend_tests!`.

pub mod crud;
pub mod errors;
pub mod query;
pub mod raw_sql;
pub mod types;
