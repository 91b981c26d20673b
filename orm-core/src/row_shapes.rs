//! [`FromRow`] for single values (a query that selects one expression reads `Vec<i64>`, not
//! `Vec<(i64,)>`) and for `Option<M>`, the row of a left-joined model.
//!
//! Contract: `Option<M>` reads `M`'s columns and is `None` when every primary-key column is NULL (no
//! joined row); otherwise it decodes `M`, so a NULL in another non-nullable column is still an error.

use crate::error::Result;
use crate::model::Model;
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

impl<M: Model> FromRow for Option<M> {
    const WIDTH: usize = M::WIDTH;
    fn from_row_at<R: RawRow + ?Sized>(row: &R, start: usize) -> Result<Self> {
        if M::PRIMARY_KEY.is_empty() {
            return M::from_row_at(row, start).map(Some);
        }
        for &k in M::PRIMARY_KEY {
            if !row.is_null(start + k, M::COLUMNS[k].sql_type)? {
                return M::from_row_at(row, start).map(Some);
            }
        }
        Ok(None)
    }
}
