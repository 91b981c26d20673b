//! [`RawRow`] over rusqlite's row, read on the worker thread.
//!
//! Contract: reads borrow the cell (no copy before conversion). Conversions are checked: integers must
//! fit the target type, booleans are the integers 0 and 1, floats accept integers they represent
//! exactly, text must be valid UTF-8, and bytes accept text as its UTF-8 bytes. Anything else is
//! `Error::Decode` naming the column, the Rust type and what was found; nothing panics.

use orm_core::{Error, RawRow, Result, SqlType};
use rusqlite::types::ValueRef;

/// One result row.
pub(crate) struct SqliteRow<'a, 'stmt>(pub(crate) &'a rusqlite::Row<'stmt>);

/// SQLite's name for the storage class of a value.
fn storage_class(v: &ValueRef<'_>) -> &'static str {
    match v {
        ValueRef::Null => "NULL",
        ValueRef::Integer(_) => "INTEGER",
        ValueRef::Real(_) => "REAL",
        ValueRef::Text(_) => "TEXT",
        ValueRef::Blob(_) => "BLOB",
    }
}

/// Largest integer magnitude an `f32` / `f64` holds exactly.
const F32_EXACT: i64 = 1 << f32::MANTISSA_DIGITS;
const F64_EXACT: i64 = 1 << f64::MANTISSA_DIGITS;

impl SqliteRow<'_, '_> {
    #[inline]
    fn cell(&self, idx: usize, expected: &'static str) -> Result<ValueRef<'_>> {
        self.0
            .get_ref(idx)
            .map_err(|_| Error::missing_column(self, idx, expected))
    }

    /// The error of a value of another storage class. This and the other error builders are out of
    /// line and cold, so that each getter's common path stays small enough to be inlined.
    #[cold]
    #[inline(never)]
    fn mismatch(&self, idx: usize, expected: &'static str, found: &ValueRef<'_>) -> Error {
        Error::decode(
            self.column_label(idx),
            expected,
            format!("found {}", storage_class(found)),
        )
    }

    #[inline]
    fn integer<T: TryFrom<i64>>(&self, idx: usize, expected: &'static str) -> Result<Option<T>> {
        match self.cell(idx, expected)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(v) => match T::try_from(v) {
                Ok(v) => Ok(Some(v)),
                Err(_) => Err(self.out_of_range(idx, expected, v)),
            },
            other => Err(self.mismatch(idx, expected, &other)),
        }
    }

    #[cold]
    #[inline(never)]
    fn out_of_range(&self, idx: usize, expected: &'static str, v: i64) -> Error {
        Error::decode(
            self.column_label(idx),
            expected,
            format!("value {v} out of range"),
        )
    }
}

impl RawRow for SqliteRow<'_, '_> {
    fn len(&self) -> usize {
        self.0.as_ref().column_count()
    }

    fn column_name(&self, idx: usize) -> &str {
        self.0.as_ref().column_name(idx).unwrap_or("")
    }

    /// Looks at the cell's storage class only: nothing is converted or copied.
    #[inline]
    fn is_null(&self, idx: usize, _: SqlType) -> Result<bool> {
        Ok(matches!(self.cell(idx, "a value or NULL")?, ValueRef::Null))
    }

    #[inline]
    fn get_bool(&self, idx: usize) -> Result<Option<bool>> {
        match self.cell(idx, "bool")? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(0) => Ok(Some(false)),
            ValueRef::Integer(1) => Ok(Some(true)),
            ValueRef::Integer(v) => Err(Error::decode(
                self.column_label(idx),
                "bool",
                format!("integer {v} is not 0 or 1"),
            )),
            other => Err(self.mismatch(idx, "bool", &other)),
        }
    }

    #[inline]
    fn get_i16(&self, idx: usize) -> Result<Option<i16>> {
        self.integer(idx, "i16")
    }

    #[inline]
    fn get_i32(&self, idx: usize) -> Result<Option<i32>> {
        self.integer(idx, "i32")
    }

    #[inline]
    fn get_i64(&self, idx: usize) -> Result<Option<i64>> {
        self.integer(idx, "i64")
    }

    #[inline]
    fn get_f32(&self, idx: usize) -> Result<Option<f32>> {
        match self.cell(idx, "f32")? {
            ValueRef::Null => Ok(None),
            ValueRef::Real(v) if !v.is_finite() || v.abs() <= f64::from(f32::MAX) => {
                Ok(Some(v as f32))
            }
            ValueRef::Real(v) => Err(Error::decode(
                self.column_label(idx),
                "f32",
                format!("value {v} out of range"),
            )),
            ValueRef::Integer(v) if (-F32_EXACT..=F32_EXACT).contains(&v) => Ok(Some(v as f32)),
            ValueRef::Integer(v) => Err(Error::decode(
                self.column_label(idx),
                "f32",
                format!("integer {v} has no exact f32 value"),
            )),
            other => Err(self.mismatch(idx, "f32", &other)),
        }
    }

    #[inline]
    fn get_f64(&self, idx: usize) -> Result<Option<f64>> {
        match self.cell(idx, "f64")? {
            ValueRef::Null => Ok(None),
            ValueRef::Real(v) => Ok(Some(v)),
            ValueRef::Integer(v) if (-F64_EXACT..=F64_EXACT).contains(&v) => Ok(Some(v as f64)),
            ValueRef::Integer(v) => Err(Error::decode(
                self.column_label(idx),
                "f64",
                format!("integer {v} has no exact f64 value"),
            )),
            other => Err(self.mismatch(idx, "f64", &other)),
        }
    }

    #[inline]
    fn get_string(&self, idx: usize) -> Result<Option<String>> {
        match self.cell(idx, "String")? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
                Ok(s) => Ok(Some(s.to_owned())),
                Err(e) => Err(Error::invalid_utf8(self, idx, e)),
            },
            other => Err(self.mismatch(idx, "String", &other)),
        }
    }

    #[inline]
    fn get_bytes(&self, idx: usize) -> Result<Option<Vec<u8>>> {
        match self.cell(idx, "Vec<u8>")? {
            ValueRef::Null => Ok(None),
            ValueRef::Blob(bytes) | ValueRef::Text(bytes) => Ok(Some(bytes.to_vec())),
            other => Err(self.mismatch(idx, "Vec<u8>", &other)),
        }
    }
}
