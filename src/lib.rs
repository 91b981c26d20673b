#![doc = include_str!("../README.md")]

pub use orm_core::*;
pub use orm_derive::Model;
pub use orm_drivers::*;

/// Everything an application needs: `use orm::prelude::*;`.
///
/// - Models and CRUD: the `Model` derive and trait, [`ModelExt`] (`insert`, `get`, `query`,
///   `upsert`, ...), [`OnConflict`] for upserts.
/// - The builder: [`Query`], [`Condition`], [`Expr`], [`Order`], [`Alias`] for self-joins,
///   [`exists`] / [`not_exists`], [`count_star`], [`Asc`] / [`Desc`] keyset keys, [`Page`], and
///   [`RowStream`] from `stream`.
/// - Raw SQL: [`raw()`] and [`AssertSqlSafe`].
/// - Running it: [`Database`] and everything else of `orm-drivers` (`Connection`, `Transaction`,
///   `TxOptions`, `IsolationLevel`, ...), the [`Executor`] trait, [`Error`] and [`Result`].
pub mod prelude {
    pub use orm_core::{
        Alias, Asc, AssertSqlSafe, Column, Condition, Desc, Error, Executor, Expr, Model, ModelExt,
        OnConflict, Order, Page, Query, Result, RowStream, count_star, exists, not_exists, raw,
    };
    pub use orm_derive::Model;
    pub use orm_drivers::*;
}
