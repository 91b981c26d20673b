//! Reading result rows: the driver-side [`RawRow`] contract and the typed [`Decode`] / [`FromRow`]
//! conversions built on it.
//!
//! Contract: drivers implement [`RawRow`] over their native row type (tokio-postgres `Row`, mysql_async
//! `Row`, rusqlite `Row`). Every getter returns `Ok(None)` for SQL NULL, converts losslessly or fails
//! with [`Error::Decode`] naming the column and the Rust type, and never panics. Decoding is generic
//! over the row type, so a model decodes straight from the driver's row: no per-row map, no boxed cells.
//! [`Decode`] reads each text or binary column for the last time ([`RawRow::take_string`]), so a
//! driver may hand over the bytes it received without copying them; every decoder here reads each
//! column of a row once (the NULL test of a left-joined model, [`RawRow::is_null`], reads none).

use crate::error::{Error, Result};
use crate::model::SqlType;

/// Typed access to one row of a result set, by column index. Implemented by each driver.
pub trait RawRow {
    /// Number of columns.
    fn len(&self) -> usize;
    /// `true` when the row has no column.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Name of column `idx` (empty when unknown).
    fn column_name(&self, idx: usize) -> &str;
    /// Index of the first column called `name`.
    fn column_index(&self, name: &str) -> Option<usize> {
        (0..self.len()).find(|&i| self.column_name(i) == name)
    }
    /// Boolean (integers 0/1 count as booleans on MySQL and SQLite).
    fn get_bool(&self, idx: usize) -> Result<Option<bool>>;
    /// Any integer column that fits in `i16`.
    fn get_i16(&self, idx: usize) -> Result<Option<i16>>;
    /// Any integer column that fits in `i32`.
    fn get_i32(&self, idx: usize) -> Result<Option<i32>>;
    /// Any integer column that fits in `i64`.
    fn get_i64(&self, idx: usize) -> Result<Option<i64>>;
    /// Any integer column that is not negative.
    fn get_u64(&self, idx: usize) -> Result<Option<u64>> {
        match self.get_i64(idx)? {
            None => Ok(None),
            Some(v) => u64::try_from(v).map(Some).map_err(|_| {
                Error::decode(self.column_label(idx), "u64", format!("negative value {v}"))
            }),
        }
    }
    /// A `REAL`/`FLOAT` column.
    fn get_f32(&self, idx: usize) -> Result<Option<f32>>;
    /// A `DOUBLE`/`REAL`/`FLOAT` column (also accepts integers and single precision).
    fn get_f64(&self, idx: usize) -> Result<Option<f64>>;
    /// Text (must be valid UTF-8).
    fn get_string(&self, idx: usize) -> Result<Option<String>>;
    /// Binary (text is accepted as its UTF-8 bytes).
    fn get_bytes(&self, idx: usize) -> Result<Option<Vec<u8>>>;
    /// Text, as [`RawRow::get_string`], read for the last time in this row: a driver whose rows own
    /// their cells may move the value out instead of copying it, after which reading the column
    /// again is an [`Error::Decode`]. [`Decode`] reads text this way, so decode each column once per
    /// row.
    #[inline]
    fn take_string(&self, idx: usize) -> Result<Option<String>> {
        self.get_string(idx)
    }
    /// Binary, as [`RawRow::get_bytes`], read for the last time in this row (see
    /// [`RawRow::take_string`]).
    #[inline]
    fn take_bytes(&self, idx: usize) -> Result<Option<Vec<u8>>> {
        self.get_bytes(idx)
    }

    /// `true` when column `idx` is NULL; `ty` is the column's portable type. Used to tell a missing
    /// left-joined row from a present one. The default reads the value with the getter of `ty`
    /// (copying text and binary); drivers override it to look at the cell without reading it.
    fn is_null(&self, idx: usize, ty: SqlType) -> Result<bool> {
        Ok(match ty {
            SqlType::Bool => self.get_bool(idx)?.is_none(),
            SqlType::I16 | SqlType::I32 | SqlType::I64 | SqlType::U32 | SqlType::U64 => {
                self.get_i64(idx)?.is_none()
            }
            SqlType::F32 | SqlType::F64 => self.get_f64(idx)?.is_none(),
            SqlType::Text => self.get_string(idx)?.is_none(),
            SqlType::Blob => self.get_bytes(idx)?.is_none(),
        })
    }

    /// The column's name, or `#idx` when the driver gives none; used in error messages.
    fn column_label(&self, idx: usize) -> String {
        let name = self.column_name(idx);
        if name.is_empty() {
            format!("#{idx}")
        } else {
            name.to_owned()
        }
    }
}

/// A Rust type read from one column.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a column",
    note = "supported: bool, i16, i32, i64, u32, u64, f32, f64, String, Vec<u8>, and Option of those"
)]
pub trait Decode: Sized {
    /// Reads column `idx`; `None` when it is NULL. Text and binary columns are read for the last
    /// time in the row (see [`RawRow::take_string`]).
    fn decode_nullable<R: RawRow + ?Sized>(row: &R, idx: usize) -> Result<Option<Self>>;

    /// Reads column `idx`; NULL is a decode error unless `Self` is an `Option`.
    #[inline(always)]
    fn decode<R: RawRow + ?Sized>(row: &R, idx: usize) -> Result<Self> {
        match Self::decode_nullable(row, idx)? {
            Some(v) => Ok(v),
            None => Err(unexpected_null(row, idx, std::any::type_name::<Self>())),
        }
    }
}

/// Error builders for [`RawRow`] implementations. Out of line and cold, so that a getter's common
/// path stays small enough to be inlined.
impl Error {
    /// The decode error for column `idx` of `row`, which has fewer columns.
    #[cold]
    #[inline(never)]
    pub fn missing_column<R: RawRow + ?Sized>(
        row: &R,
        idx: usize,
        expected: &'static str,
    ) -> Error {
        Error::decode(
            format!("#{idx}"),
            expected,
            format!("the row has {} columns", row.len()),
        )
    }

    /// The decode error for text in column `idx` of `row` that is not UTF-8.
    #[cold]
    #[inline(never)]
    pub fn invalid_utf8<R: RawRow + ?Sized>(row: &R, idx: usize, e: std::str::Utf8Error) -> Error {
        Error::decode(
            row.column_label(idx),
            "String",
            format!("invalid UTF-8: {e}"),
        )
    }
}

/// The error of a NULL read into `expected`, a type that is not an `Option`. Out of line and cold,
/// so that the per-column path of a decoder stays small enough to be inlined.
#[cold]
#[inline(never)]
fn unexpected_null<R: RawRow + ?Sized>(row: &R, idx: usize, expected: &'static str) -> Error {
    Error::decode(row.column_label(idx), expected, "NULL")
}

macro_rules! decode_via {
    ($($t:ty => $get:ident),*) => {
        $(impl Decode for $t {
            #[inline(always)]
            fn decode_nullable<R: RawRow + ?Sized>(row: &R, idx: usize) -> Result<Option<Self>> {
                row.$get(idx)
            }
        })*
    };
}

decode_via!(bool => get_bool, i16 => get_i16, i32 => get_i32, i64 => get_i64, u64 => get_u64,
    f32 => get_f32, f64 => get_f64, String => take_string, Vec<u8> => take_bytes);

impl Decode for u32 {
    #[inline]
    fn decode_nullable<R: RawRow + ?Sized>(row: &R, idx: usize) -> Result<Option<Self>> {
        match row.get_i64(idx)? {
            None => Ok(None),
            Some(v) => u32::try_from(v).map(Some).map_err(|_| {
                Error::decode(
                    row.column_label(idx),
                    "u32",
                    format!("value {v} out of range"),
                )
            }),
        }
    }
}

impl<T: Decode> Decode for Option<T> {
    #[inline]
    fn decode_nullable<R: RawRow + ?Sized>(row: &R, idx: usize) -> Result<Option<Self>> {
        Ok(Some(T::decode_nullable(row, idx)?))
    }
}

/// A value built from a whole row, reading columns by position. Implemented by models (their columns
/// in field order), by every single column type and its `Option` (one column), by `Option<M>` for a
/// model `M` (a left-joined row: `None` when its key is NULL), and by tuples of up to 16 of those, each
/// element reading its columns after the previous one's.
pub trait FromRow: Sized + Send + 'static {
    /// Number of columns this type reads.
    const WIDTH: usize;
    /// Reads columns `start .. start + WIDTH`.
    fn from_row_at<R: RawRow + ?Sized>(row: &R, start: usize) -> Result<Self>;
    /// Reads from column 0.
    #[inline]
    fn from_row<R: RawRow + ?Sized>(row: &R) -> Result<Self> {
        Self::from_row_at(row, 0)
    }
}

/// A value built from a row of a hand-written query. Models read their columns by name, so
/// `SELECT email, id, ...` in any order works; tuples read by position (a model inside a tuple reads
/// its columns in field order).
pub trait FromRawRow: Sized + Send + 'static {
    /// Reads the row.
    fn from_raw_row<R: RawRow + ?Sized>(row: &R) -> Result<Self>;
}

/// A single scalar result (`SELECT count(*)`), read from column 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Scalar<T>(pub T);

impl<T: Decode + Send + 'static> FromRow for Scalar<T> {
    const WIDTH: usize = 1;
    #[inline]
    fn from_row_at<R: RawRow + ?Sized>(row: &R, start: usize) -> Result<Self> {
        T::decode(row, start).map(Scalar)
    }
}

macro_rules! tuple_from_row {
    ($($t:ident),+) => {
        impl<$($t: FromRow),+> FromRow for ($($t,)+) {
            const WIDTH: usize = 0 $(+ $t::WIDTH)+;
            #[inline]
            #[allow(unused_assignments)]
            fn from_row_at<R: RawRow + ?Sized>(row: &R, start: usize) -> Result<Self> {
                let mut at = start;
                Ok(($({
                    let v = $t::from_row_at(row, at)?;
                    at += $t::WIDTH;
                    v
                },)+))
            }
        }
        impl<$($t: FromRow),+> FromRawRow for ($($t,)+) {
            #[inline]
            fn from_raw_row<R: RawRow + ?Sized>(row: &R) -> Result<Self> {
                let want = <Self as FromRow>::WIDTH;
                if row.len() < want {
                    return Err(Error::decode(format!("#{}", row.len()), "tuple",
                        format!("the query returned {} columns, the tuple needs {want}", row.len())));
                }
                <Self as FromRow>::from_row_at(row, 0)
            }
        }
    };
}

tuple_from_row!(A);
tuple_from_row!(A, B);
tuple_from_row!(A, B, C);
tuple_from_row!(A, B, C, D);
tuple_from_row!(A, B, C, D, E);
tuple_from_row!(A, B, C, D, E, F);
tuple_from_row!(A, B, C, D, E, F, G);
tuple_from_row!(A, B, C, D, E, F, G, H);
tuple_from_row!(A, B, C, D, E, F, G, H, I);
tuple_from_row!(A, B, C, D, E, F, G, H, I, J);
tuple_from_row!(A, B, C, D, E, F, G, H, I, J, K);
tuple_from_row!(A, B, C, D, E, F, G, H, I, J, K, L);
tuple_from_row!(A, B, C, D, E, F, G, H, I, J, K, L, M);
tuple_from_row!(A, B, C, D, E, F, G, H, I, J, K, L, M, N);
tuple_from_row!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O);
tuple_from_row!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P);
