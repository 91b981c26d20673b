//! Core of the `orm` crate family: values, typed columns and expressions, the [`Model`] and
//! [`Executor`] contracts, the query AST and the SQL renderer for PostgreSQL, MySQL/MariaDB and
//! SQLite. No I/O happens here.
//!
//! Data flows one way: model -> typed builder ([`Query`], [`Condition`], [`Expr`]) -> AST
//! ([`ast`]) -> [`Statement`] (SQL + bound values) from the dialect's renderer -> a driver executes it
//! -> rows decode straight into the model (or tuple, or [`FromRow`] struct) through [`RawRow`].

pub mod ast;
mod column;
mod dialect;
mod error;
mod executor;
pub mod expr;
mod find_sql;
mod insert_rows;
mod insert_sql;
mod model;
mod model_ext;
mod query;
pub mod raw;
pub mod render;
mod row;
mod row_shapes;
pub mod scope;
mod select_sql;
mod sql_text;
mod sql_texts;
mod upsert;
mod value;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use column::{Column, TextColumn};
pub use dialect::{Backend, Dialect};
pub use error::{BoxError, DbError, DbErrorKind, Error, Result};
pub use executor::{ExecResult, Executor, KeyedInsert, RowStream};
pub use expr::{
    Condition, Expr, Expression, IntoCondition, IntoOrder, Numeric, Operand, Order, count_star,
    exists, not_exists,
};
pub use insert_rows::InsertRows;
pub use model::{AutoIncrement, ColumnDef, ColumnType, FieldType, KeyParam, Model, SqlType};
pub use model_ext::ModelExt;
pub use query::{
    AllColumns, Asc, DeleteQuery, Desc, JoinRow, KeyValues, Keyset, Page, Query, Selectable,
    UpdateQuery,
};
pub use raw::{AssertSqlSafe, Raw, raw};
pub use render::{SqlText, Statement};
pub use row::{Decode, FromRawRow, FromRow, RawRow, Scalar};
pub use scope::Alias;
pub use upsert::{ColumnList, OnConflict};
pub use value::{SqlParam, ToValue, Value};
