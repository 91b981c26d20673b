//! [`FromRow`] for single values (a query that selects one expression reads `Vec<i64>`, not
//! `Vec<(i64,)>`) and for `Option<M>`, the row of a left-joined model.
//!
//! Contract: `Option<M>` reads `M`'s columns and is `None` when every primary-key column is NULL (no
//! joined row); otherwise it decodes `M`, so a NULL in another non-nullable column is still an error.

use crate::error::Result;
use crate::model::{Model, SqlType};
use crate::row::{Decode, FromRow, RawRow};

macro_rules! scalar_rows {
    ($($t:ty),*) => {$(
        impl FromRow for $t {
            const WIDTH: usize = 1;
            #[inline]
            fn from_row_at<R: RawRow + ?Sized>(row: &R, start: usize) -> Result<Self> {
                <$t as Decode>::decode(row, start)
            }
        }
        impl FromRow for Option<$t> {
            const WIDTH: usize = 1;
            #[inline]
            fn from_row_at<R: RawRow + ?Sized>(row: &R, start: usize) -> Result<Self> {
                <Option<$t> as Decode>::decode(row, start)
            }
        }
    )*};
}

scalar_rows!(bool, i16, i32, i64, u32, u64, f32, f64, String, Vec<u8>);

/// `true` when column `idx` is NULL, read with the getter of its portable type.
fn is_null<R: RawRow + ?Sized>(row: &R, idx: usize, ty: SqlType) -> Result<bool> {
    Ok(match ty {
        SqlType::Bool => row.get_bool(idx)?.is_none(),
        SqlType::I16 | SqlType::I32 | SqlType::I64 | SqlType::U32 | SqlType::U64 => {
            row.get_i64(idx)?.is_none()
        }
        SqlType::F32 | SqlType::F64 => row.get_f64(idx)?.is_none(),
        SqlType::Text => row.get_string(idx)?.is_none(),
        SqlType::Blob => row.get_bytes(idx)?.is_none(),
    })
}

impl<M: Model> FromRow for Option<M> {
    const WIDTH: usize = M::WIDTH;
    fn from_row_at<R: RawRow + ?Sized>(row: &R, start: usize) -> Result<Self> {
        if M::PRIMARY_KEY.is_empty() {
            return M::from_row_at(row, start).map(Some);
        }
        for &k in M::PRIMARY_KEY {
            if !is_null(row, start + k, M::COLUMNS[k].sql_type)? {
                return M::from_row_at(row, start).map(Some);
            }
        }
        Ok(None)
    }
}
