//! The suite, written once. Every test is `async fn(&TestDb) -> orm::Result<()>` and runs on every
//! backend through `backend_tests!`.

pub mod builder;
pub mod builder_aggregates;
pub mod builder_cross;
pub mod builder_filters;
pub mod builder_like;
pub mod builder_lists;
pub mod builder_locks;
pub mod builder_pagination;
pub mod builder_props;
pub mod builder_shapes;
pub mod builder_stream;
pub mod builder_upsert;
pub mod builder_writes;
pub mod crud;
pub mod errors;
pub mod faults;
pub mod faults_pool;
pub mod faults_secrets;
pub mod faults_tx;
pub mod query;
pub mod raw_sql;
pub mod types;
