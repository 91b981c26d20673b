//! Reading `mysql_async` rows through [`RawRow`].
//!
//! Contract: [`MySqlRow`] borrows one row of a result set and converts its cells without panicking:
//! SQL NULL is `Ok(None)`, integers are range-checked into the requested width, booleans are the
//! integers 0/1, floats convert only when exact, text must be valid UTF-8, and every failure is an
//! `Error::Decode` naming the column. Cells the server sends as text (DECIMAL results such as
//! `SUM(int_col)`, anything read over the text protocol) are parsed; `BIT(n)` cells are read as
//! big-endian unsigned integers.

use std::str::FromStr;

use mysql_async::consts::ColumnType;
use mysql_async::{Row, Value};
use orm_core::{Error, RawRow, Result};

/// One row of a result set, read by column index.
#[derive(Debug, Clone, Copy)]
pub(super) struct MySqlRow<'r> {
    row: &'r Row,
}

impl<'r> MySqlRow<'r> {
    pub(super) fn new(row: &'r Row) -> Self {
        Self { row }
    }

    /// The cell at `idx`: `None` for NULL, an error when the row has no such column.
    fn cell(&self, idx: usize, expected: &'static str) -> Result<Option<&'r Value>> {
        if idx >= self.row.len() {
            return Err(Error::decode(
                self.column_label(idx),
                expected,
                format!("the row has {} columns", self.row.len()),
            ));
        }
        match self.row.as_ref(idx) {
            None => Err(Error::decode(
                self.column_label(idx),
                expected,
                "the cell was already consumed",
            )),
            Some(Value::NULL) => Ok(None),
            Some(v) => Ok(Some(v)),
        }
    }

    fn is_bit(&self, idx: usize) -> bool {
        self.row
            .columns_ref()
            .get(idx)
            .is_some_and(|c| c.column_type() == ColumnType::MYSQL_TYPE_BIT)
    }

    fn mismatch(&self, idx: usize, expected: &'static str, found: &Value) -> Error {
        Error::decode(
            self.column_label(idx),
            expected,
            format!("found {}", describe(found)),
        )
    }

    /// Any integer cell, widened to `i128` so both `i64` and `u64` fit.
    fn integer(&self, idx: usize, expected: &'static str) -> Result<Option<i128>> {
        let Some(v) = self.cell(idx, expected)? else {
            return Ok(None);
        };
        match v {
            Value::Int(i) => Ok(Some(i128::from(*i))),
            Value::UInt(u) => Ok(Some(i128::from(*u))),
            Value::Bytes(b) if self.is_bit(idx) => bit_value(b).map(Some).ok_or_else(|| {
                Error::decode(
                    self.column_label(idx),
                    expected,
                    format!("BIT value of {} bytes is too wide", b.len()),
                )
            }),
            Value::Bytes(b) => parse_integer(b).map(Some).ok_or_else(|| {
                Error::decode(
                    self.column_label(idx),
                    expected,
                    format!("text `{}` is not an integer", String::from_utf8_lossy(b)),
                )
            }),
            other => Err(self.mismatch(idx, expected, other)),
        }
    }

    /// An integer cell converted into `T`, failing when out of range.
    fn integer_as<T: TryFrom<i128>>(
        &self,
        idx: usize,
        expected: &'static str,
    ) -> Result<Option<T>> {
        match self.integer(idx, expected)? {
            None => Ok(None),
            Some(v) => T::try_from(v).map(Some).map_err(|_| {
                Error::decode(
                    self.column_label(idx),
                    expected,
                    format!("value {v} out of range"),
                )
            }),
        }
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
        let Some(v) = self.cell(idx, expected)? else {
            return Ok(None);
        };
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
        match v {
            Value::Double(d) => narrow(*d).map(Some).ok_or_else(|| inexact(format!("{d}"))),
            Value::Float(f) => narrow(f64::from(*f))
                .map(Some)
                .ok_or_else(|| inexact(format!("{f}"))),
            Value::Int(i) => from_int(i128::from(*i)).map(Some),
            Value::UInt(u) => from_int(i128::from(*u)).map(Some),
            Value::Bytes(b) => std::str::from_utf8(b)
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
            other => Err(self.mismatch(idx, expected, other)),
        }
    }

    fn bytes(&self, idx: usize, expected: &'static str) -> Result<Option<&'r [u8]>> {
        match self.cell(idx, expected)? {
            None => Ok(None),
            Some(Value::Bytes(b)) => Ok(Some(b)),
            Some(other) => Err(self.mismatch(idx, expected, other)),
        }
    }
}

impl RawRow for MySqlRow<'_> {
    fn len(&self) -> usize {
        self.row.len()
    }

    fn column_name(&self, idx: usize) -> &str {
        self.row
            .columns_ref()
            .get(idx)
            .and_then(|c| std::str::from_utf8(c.name_ref()).ok())
            .unwrap_or("")
    }

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

    fn get_i16(&self, idx: usize) -> Result<Option<i16>> {
        self.integer_as(idx, "i16")
    }

    fn get_i32(&self, idx: usize) -> Result<Option<i32>> {
        self.integer_as(idx, "i32")
    }

    fn get_i64(&self, idx: usize) -> Result<Option<i64>> {
        self.integer_as(idx, "i64")
    }

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

    fn get_f64(&self, idx: usize) -> Result<Option<f64>> {
        self.float(idx, "f64", f64::MANTISSA_DIGITS, Some)
    }

    fn get_string(&self, idx: usize) -> Result<Option<String>> {
        match self.bytes(idx, "String")? {
            None => Ok(None),
            Some(b) => String::from_utf8(b.to_vec()).map(Some).map_err(|e| {
                Error::decode(
                    self.column_label(idx),
                    "String",
                    format!("invalid UTF-8: {}", e.utf8_error()),
                )
            }),
        }
    }

    fn get_bytes(&self, idx: usize) -> Result<Option<Vec<u8>>> {
        Ok(self.bytes(idx, "Vec<u8>")?.map(<[u8]>::to_vec))
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
