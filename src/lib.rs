#![doc = include_str!("../README.md")]

pub use orm_core::*;
pub use orm_derive::Model;
pub use orm_drivers::*;

/// Everything an application needs: `use orm::prelude::*;`.
///
/// - Models and CRUD: the `Model` derive and trait, [`ModelExt`](orm_core::ModelExt) (`insert`,
///   `get`, `query`, `upsert`, ...), [`OnConflict`](orm_core::OnConflict) for upserts.
/// - The builder: [`Query`](orm_core::Query), [`Condition`](orm_core::Condition),
///   [`Expr`](orm_core::Expr), [`Order`](orm_core::Order), [`Alias`](orm_core::Alias) for
///   self-joins, [`exists`](orm_core::exists) / [`not_exists`](orm_core::not_exists),
///   [`count_star`](orm_core::count_star), [`Asc`](orm_core::Asc) / [`Desc`](orm_core::Desc) keyset
///   keys, [`Page`](orm_core::Page), and [`RowStream`](orm_core::RowStream) from `stream`.
/// - Raw SQL: [`raw`](orm_core::raw) and [`AssertSqlSafe`](orm_core::AssertSqlSafe).
/// - Running it: [`Database`](orm_drivers::Database) and everything else of `orm-drivers`
///   (`Connection`, `Transaction`, `TxOptions`, `IsolationLevel`, ...), the
///   [`Executor`](orm_core::Executor) trait, [`Error`](orm_core::Error) and
///   [`Result`](orm_core::Result).
pub mod prelude {
    pub use orm_core::{
        Alias, Asc, AssertSqlSafe, Column, Condition, Desc, Error, Executor, Expr, Model, ModelExt,
        OnConflict, Order, Page, Query, Result, RowStream, count_star, exists, not_exists, raw,
    };
    pub use orm_derive::Model;
    pub use orm_drivers::*;
}
