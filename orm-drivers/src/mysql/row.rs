//! Reading `mysql_async` rows through [`RawRow`].
//!
//! Contract: [`MySqlRow`] owns the cells of one row of a result set, borrows the set's columns
//! (shared by all its rows, so a row costs no reference count of its own) and converts its cells
//! without panicking:
//! SQL NULL is `Ok(None)`, integers are range-checked into the requested width, booleans are the
//! integers 0/1, floats convert only when exact, text must be valid UTF-8, and every failure is an
//! `Error::Decode` naming the column. Cells the server sends as text (DECIMAL results such as
//! `SUM(int_col)`, anything read over the text protocol) are parsed; `BIT(n)` cells are read as
//! big-endian unsigned integers. [`RawRow::take_string`] and [`RawRow::take_bytes`] move the bytes
//! out of the row instead of copying them; the column then reads as consumed (an `Error::Decode`).

use std::cell::RefCell;
use std::str::FromStr;

use mysql_async::consts::ColumnType;
use mysql_async::{Column, Row, Value};
use orm_core::{Error, RawRow, Result, SqlType};

/// One row of a result set, read by column index.
#[derive(Debug)]
pub(super) struct MySqlRow<'c> {
    columns: &'c [Column],
    /// `None` once a cell was moved out.
    values: RefCell<Vec<Option<Value>>>,
}

impl<'c> MySqlRow<'c> {
    /// `row` of the result set whose columns are `columns`.
    pub(super) fn new(row: Row, columns: &'c [Column]) -> Self {
        Self {
            columns,
            values: RefCell::new(row.unwrap_raw()),
        }
    }

    /// Runs `read` on the cell at `idx` (`None` for NULL); an error when the row has no such
    /// column or the cell was moved out.
    #[inline]
    fn cell<T>(
        &self,
        idx: usize,
        expected: &'static str,
        read: impl FnOnce(Option<&Value>) -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        let values = self.values.borrow();
        match values.get(idx) {
            Some(Some(Value::NULL)) => read(None),
            Some(Some(v)) => read(Some(v)),
            Some(None) => Err(self.consumed(idx, expected)),
            None => Err(Error::missing_column(self, idx, expected)),
        }
    }

    /// The error of a cell that was moved out. This and the other error builders are out of line
    /// and cold, so that the getters' common paths stay small enough to be inlined.
    #[cold]
    #[inline(never)]
    fn consumed(&self, idx: usize, expected: &'static str) -> Error {
        Error::decode(
            self.column_label(idx),
            expected,
            "the cell was already consumed",
        )
    }

    /// Moves the bytes of a text or binary cell out of the row and converts them; NULL is `None`,
    /// and anything else (another type, a missing or consumed cell) is read by `fallback`.
    #[inline]
    fn take_bytes_or<T>(
        &self,
        idx: usize,
        fallback: impl FnOnce(&Self) -> Result<Option<T>>,
        convert: impl FnOnce(&Self, Vec<u8>) -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        let taken = match self.values.borrow_mut().get_mut(idx) {
            Some(Some(Value::NULL)) => return Ok(None),
            Some(slot @ Some(Value::Bytes(_))) => slot.take(),
            _ => None,
        };
        match taken {
            Some(Value::Bytes(b)) => convert(self, b),
            _ => fallback(self),
        }
    }

    fn is_bit(&self, idx: usize) -> bool {
        self.columns
            .get(idx)
            .is_some_and(|c| c.column_type() == ColumnType::MYSQL_TYPE_BIT)
    }

    #[cold]
    #[inline(never)]
    fn mismatch(&self, idx: usize, expected: &'static str, found: &Value) -> Error {
        Error::decode(
            self.column_label(idx),
            expected,
            format!("found {}", describe(found)),
        )
    }

    /// Any integer cell, widened to `i128` so both `i64` and `u64` fit.
    #[inline]
    fn integer(&self, idx: usize, expected: &'static str) -> Result<Option<i128>> {
        self.cell(idx, expected, |v| match v {
            None => Ok(None),
            Some(Value::Int(i)) => Ok(Some(i128::from(*i))),
            Some(Value::UInt(u)) => Ok(Some(i128::from(*u))),
            Some(Value::Bytes(b)) if self.is_bit(idx) => bit_value(b).map(Some).ok_or_else(|| {
                Error::decode(
                    self.column_label(idx),
                    expected,
                    format!("BIT value of {} bytes is too wide", b.len()),
                )
            }),
            Some(Value::Bytes(b)) => parse_integer(b).map(Some).ok_or_else(|| {
                Error::decode(
                    self.column_label(idx),
                    expected,
                    format!("text `{}` is not an integer", String::from_utf8_lossy(b)),
                )
            }),
            Some(other) => Err(self.mismatch(idx, expected, other)),
        })
    }

    /// An integer cell converted into `T`, failing when out of range.
    #[inline]
    fn integer_as<T: TryFrom<i128>>(
        &self,
        idx: usize,
        expected: &'static str,
    ) -> Result<Option<T>> {
        match self.integer(idx, expected)? {
            None => Ok(None),
            Some(v) => match T::try_from(v) {
                Ok(v) => Ok(Some(v)),
                Err(_) => Err(self.out_of_range(idx, expected, v)),
            },
        }
    }

    #[cold]
    #[inline(never)]
    fn out_of_range(&self, idx: usize, expected: &'static str, v: i128) -> Error {
        Error::decode(
            self.column_label(idx),
            expected,
            format!("value {v} out of range"),
        )
    }

    /// A numeric cell as a float type: exact conversions only, except decimal text, which is parsed
    /// to the nearest value. `narrow` converts a double into `T` when that is exact.
    fn float<T: FromStr>(
        &self,
        idx: usize,
        expected: &'static str,
        mantissa_bits: u32,
        narrow: impl Fn(f64) -> Option<T>,
    ) -> Result<Option<T>> {
        let inexact = |what: String| {
            Error::decode(
                self.column_label(idx),
                expected,
                format!("{what} cannot be represented exactly"),
            )
        };
        let from_int = |i: i128| {
            if i.unsigned_abs() <= 1u128 << mantissa_bits {
                // The magnitude fits the mantissa, so the conversion is exact.
                narrow(i as f64).ok_or_else(|| inexact(format!("integer {i}")))
            } else {
                Err(inexact(format!("integer {i}")))
            }
        };
        self.cell(idx, expected, |v| match v {
            None => Ok(None),
            Some(Value::Double(d)) => narrow(*d).map(Some).ok_or_else(|| inexact(format!("{d}"))),
            Some(Value::Float(f)) => narrow(f64::from(*f))
                .map(Some)
                .ok_or_else(|| inexact(format!("{f}"))),
            Some(Value::Int(i)) => from_int(i128::from(*i)).map(Some),
            Some(Value::UInt(u)) => from_int(i128::from(*u)).map(Some),
            Some(Value::Bytes(b)) => std::str::from_utf8(b)
                .ok()
                .and_then(|s| s.trim().parse::<T>().ok())
                .map(Some)
                .ok_or_else(|| {
                    Error::decode(
                        self.column_label(idx),
                        expected,
                        format!("text `{}` is not a number", String::from_utf8_lossy(b)),
                    )
                }),
            Some(other) => Err(self.mismatch(idx, expected, other)),
        })
    }

    /// A text or binary cell, copied.
    fn bytes(&self, idx: usize, expected: &'static str) -> Result<Option<Vec<u8>>> {
        self.cell(idx, expected, |v| match v {
            None => Ok(None),
            Some(Value::Bytes(b)) => Ok(Some(b.clone())),
            Some(other) => Err(self.mismatch(idx, expected, other)),
        })
    }

    /// Text from `bytes`, which must be UTF-8.
    #[inline]
    fn text(&self, idx: usize, bytes: Vec<u8>) -> Result<Option<String>> {
        match String::from_utf8(bytes) {
            Ok(s) => Ok(Some(s)),
            Err(e) => Err(Error::invalid_utf8(self, idx, e.utf8_error())),
        }
    }
}

impl RawRow for MySqlRow<'_> {
    fn len(&self) -> usize {
        self.values.borrow().len()
    }

    fn column_name(&self, idx: usize) -> &str {
        self.columns
            .get(idx)
            .and_then(|c| std::str::from_utf8(c.name_ref()).ok())
            .unwrap_or("")
    }

    /// Looks at the cell without reading or moving it.
    #[inline]
    fn is_null(&self, idx: usize, _: SqlType) -> Result<bool> {
        let null = self.cell(idx, "a value or NULL", |v| Ok(Some(v.is_none())))?;
        Ok(null == Some(true))
    }

    #[inline]
    fn get_bool(&self, idx: usize) -> Result<Option<bool>> {
        match self.integer(idx, "bool")? {
            None => Ok(None),
            Some(0) => Ok(Some(false)),
            Some(1) => Ok(Some(true)),
            Some(v) => Err(Error::decode(
                self.column_label(idx),
                "bool",
                format!("value {v} is neither 0 nor 1"),
            )),
        }
    }

    #[inline]
    fn get_i16(&self, idx: usize) -> Result<Option<i16>> {
        self.integer_as(idx, "i16")
    }

    #[inline]
    fn get_i32(&self, idx: usize) -> Result<Option<i32>> {
        self.integer_as(idx, "i32")
    }

    #[inline]
    fn get_i64(&self, idx: usize) -> Result<Option<i64>> {
        if let Some(Some(Value::Int(i))) = self.values.borrow().get(idx) {
            return Ok(Some(*i));
        }
        self.integer_as(idx, "i64")
    }

    #[inline]
    fn get_u64(&self, idx: usize) -> Result<Option<u64>> {
        self.integer_as(idx, "u64")
    }

    fn get_f32(&self, idx: usize) -> Result<Option<f32>> {
        self.float(idx, "f32", f32::MANTISSA_DIGITS, |d| {
            // Narrowing is exact when it round-trips (NaN never compares equal to itself).
            let f = d as f32;
            (f64::from(f) == d || d.is_nan()).then_some(f)
        })
    }

    #[inline]
    fn get_f64(&self, idx: usize) -> Result<Option<f64>> {
        self.float(idx, "f64", f64::MANTISSA_DIGITS, Some)
    }

    #[inline]
    fn get_string(&self, idx: usize) -> Result<Option<String>> {
        match self.bytes(idx, "String")? {
            None => Ok(None),
            Some(b) => self.text(idx, b),
        }
    }

    #[inline]
    fn get_bytes(&self, idx: usize) -> Result<Option<Vec<u8>>> {
        self.bytes(idx, "Vec<u8>")
    }

    #[inline]
    fn take_string(&self, idx: usize) -> Result<Option<String>> {
        self.take_bytes_or(idx, |r| r.get_string(idx), |r, b| r.text(idx, b))
    }

    #[inline]
    fn take_bytes(&self, idx: usize) -> Result<Option<Vec<u8>>> {
        self.take_bytes_or(idx, |r| r.get_bytes(idx), |_, b| Ok(Some(b)))
    }
}

/// What a cell holds, for error messages (never the value itself: it may be user data).
fn describe(v: &Value) -> &'static str {
    match v {
        Value::NULL => "NULL",
        Value::Bytes(_) => "text or binary",
        Value::Int(_) => "a signed integer",
        Value::UInt(_) => "an unsigned integer",
        Value::Float(_) => "a single-precision float",
        Value::Double(_) => "a double-precision float",
        Value::Date(..) => "a DATE/DATETIME/TIMESTAMP",
        Value::Time(..) => "a TIME",
    }
}

/// A `BIT(n)` cell: up to 8 big-endian bytes.
fn bit_value(bytes: &[u8]) -> Option<i128> {
    (bytes.len() <= 8).then(|| {
        bytes
            .iter()
            .fold(0i128, |acc, b| (acc << 8) | i128::from(*b))
    })
}

/// Decimal text such as `42`, `-7` or `12.000` (a zero fraction is exact, so it is accepted).
fn parse_integer(bytes: &[u8]) -> Option<i128> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let whole = match text.split_once('.') {
        Some((whole, frac)) if frac.bytes().all(|c| c == b'0') => whole,
        Some(_) => return None,
        None => text,
    };
    whole.parse::<i128>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_integer_text() {
        assert_eq!(parse_integer(b"42"), Some(42));
        assert_eq!(
            parse_integer(b"-9223372036854775808"),
            Some(i128::from(i64::MIN))
        );
        assert_eq!(parse_integer(b"12.000"), Some(12));
        assert_eq!(parse_integer(b"12.5"), None);
        assert_eq!(parse_integer(b"abc"), None);
        assert_eq!(parse_integer(b""), None);
        assert_eq!(parse_integer(&[0xff]), None);
    }

    #[test]
    fn reads_bit_values() {
        assert_eq!(bit_value(&[1]), Some(1));
        assert_eq!(bit_value(&[1, 0]), Some(256));
        assert_eq!(bit_value(&[0xff; 8]), Some(i128::from(u64::MAX)));
        assert_eq!(bit_value(&[0; 9]), None);
    }
}
