//! Names used by `#[derive(Model)]` output. Not a public API: it may change in any release.

pub use crate::ast::Expr;
pub use crate::column::Column;
pub use crate::error::{Error, Result};
pub use crate::executor::Executor;
pub use crate::model::{AutoIncrement, ColumnDef, FieldType, KeyColumn, KeyParam, Model, SqlType};
pub use crate::model_ext::ModelExt;
pub use crate::query::Query;
pub use crate::row::{Decode, FromRawRow, FromRow, RawRow};
pub use crate::value::{SqlParam, ToValue, Value};
pub use ::core::option::Option;
pub use ::core::result::Result as StdResult;
pub use ::std::vec::Vec;

/// Reads the column called `name` (hand-written queries map models by column name).
#[inline]
pub fn decode_named<T: Decode, R: RawRow + ?Sized>(
    row: &R,
    name: &'static str,
    table: &'static str,
) -> Result<T> {
    match row.column_index(name) {
        Some(i) => T::decode(row, i),
        None => Err(Error::decode(
            name,
            std::any::type_name::<T>(),
            format!("the query returned no column `{name}` for `{table}`"),
        )),
    }
}
