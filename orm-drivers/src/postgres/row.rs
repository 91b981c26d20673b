//! [`RawRow`] over a tokio-postgres [`Row`].
//!
//! Contract: each getter looks at the column's PostgreSQL type and converts only without loss:
//! - integer getters read `int2`, `int4` and `int8`, checking the range of the Rust type;
//! - `f64` reads `float8`, `float4`, `int2`, `int4`, and `int8` values that a double holds exactly;
//! - `f32` reads `float4`, and `float8`, `int2`, `int4`, `int8` values that a single-precision float
//!   holds exactly (NaN and infinities included), so a value never silently loses digits;
//! - `bool` reads `bool`; `String` reads `text`, `varchar`, `bpchar`, `name`, `unknown` (and `citext`);
//! - bytes read `bytea`, and the text types as their UTF-8 bytes.
//!
//! Any other type (for example `numeric`: cast it to `float8` or `text` in SQL) is an `Error::Decode`
//! naming the column, the Rust type asked for and the PostgreSQL type found. Values are read with
//! `try_get`, never `get`, so nothing panics.

use orm_core::{Error, RawRow, Result, SqlType};
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, Type};

/// A column's binary value as sent, whatever its type: the getters check the type themselves and
/// decode with the type's own `FromSql`, so nothing is checked twice.
struct Raw<'a>(&'a [u8]);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// One row of a PostgreSQL result, readable by position.
#[derive(Debug)]
pub(crate) struct PgRow<'a>(pub(crate) &'a Row);

impl<'a> PgRow<'a> {
    #[inline(always)]
    fn column_type(&self, idx: usize, expected: &'static str) -> Result<&'a Type> {
        match self.0.columns().get(idx) {
            Some(c) => Ok(c.type_()),
            None => Err(Error::missing_column(self, idx, expected)),
        }
    }

    /// The bytes of column `idx` as sent (`None` for NULL).
    #[inline(always)]
    fn raw(&self, idx: usize, expected: &'static str) -> Result<Option<&'a [u8]>> {
        match self.0.try_get::<_, Option<Raw<'a>>>(idx) {
            Ok(raw) => Ok(raw.map(|Raw(bytes)| bytes)),
            Err(e) => Err(match std::error::Error::source(&e) {
                Some(why) => self.invalid(idx, expected, why),
                None => self.invalid(idx, expected, e),
            }),
        }
    }

    /// The value of column `idx`, of type `ty` (checked by the caller), decoded as `T`.
    #[inline(always)]
    fn read<T: FromSql<'a>>(
        &self,
        idx: usize,
        expected: &'static str,
        ty: &Type,
    ) -> Result<Option<T>> {
        self.raw(idx, expected)?
            .map(|raw| T::from_sql(ty, raw).map_err(|e| self.invalid(idx, expected, e)))
            .transpose()
    }

    /// Column `idx`, of the text type `ty` (checked by the caller), as `&str`.
    #[inline(always)]
    fn text(&self, idx: usize, expected: &'static str, ty: &Type) -> Result<Option<&'a str>> {
        match *ty {
            // The built-in text types are plain UTF-8; `&str`'s decoder first looks for extension
            // types (`ltree`, ...) by name.
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => self
                .raw(idx, expected)?
                .map(|raw| std::str::from_utf8(raw).map_err(|e| self.invalid(idx, expected, e)))
                .transpose(),
            _ => self.read::<&str>(idx, expected, ty),
        }
    }

    /// The decode error for column `idx`. Kept out of line: the getters' hot paths stay small.
    #[cold]
    #[inline(never)]
    fn invalid(&self, idx: usize, expected: &'static str, why: impl std::fmt::Display) -> Error {
        Error::decode(self.column_label(idx), expected, why.to_string())
    }

    fn mismatch(&self, idx: usize, expected: &'static str, ty: &Type) -> Error {
        self.invalid(
            idx,
            expected,
            format_args!("found PostgreSQL type {}", ty.name()),
        )
    }

    fn out_of_range(
        &self,
        idx: usize,
        expected: &'static str,
        value: impl std::fmt::Display,
    ) -> Error {
        self.invalid(idx, expected, format_args!("value {value} is out of range"))
    }

    /// Any integer column, widened to `i64`.
    #[inline(always)]
    fn integer(&self, idx: usize, expected: &'static str) -> Result<Option<i64>> {
        let ty = self.column_type(idx, expected)?;
        Ok(match *ty {
            Type::INT2 => self.read::<i16>(idx, expected, ty)?.map(i64::from),
            Type::INT4 => self.read::<i32>(idx, expected, ty)?.map(i64::from),
            Type::INT8 => self.read::<i64>(idx, expected, ty)?,
            _ => return Err(self.mismatch(idx, expected, ty)),
        })
    }

    fn narrow<T: TryFrom<i64>>(&self, idx: usize, expected: &'static str) -> Result<Option<T>> {
        self.integer(idx, expected)?
            .map(|v| T::try_from(v).map_err(|_| self.out_of_range(idx, expected, v)))
            .transpose()
    }
}

impl RawRow for PgRow<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn column_name(&self, idx: usize) -> &str {
        self.0.columns().get(idx).map_or("", |c| c.name())
    }

    /// Looks at the cell's length only: no type check, nothing decoded.
    fn is_null(&self, idx: usize, _: SqlType) -> Result<bool> {
        Ok(self.raw(idx, "a value or NULL")?.is_none())
    }

    fn get_bool(&self, idx: usize) -> Result<Option<bool>> {
        let ty = self.column_type(idx, "bool")?;
        if *ty != Type::BOOL {
            return Err(self.mismatch(idx, "bool", ty));
        }
        self.read(idx, "bool", ty)
    }

    fn get_i16(&self, idx: usize) -> Result<Option<i16>> {
        self.narrow(idx, "i16")
    }

    fn get_i32(&self, idx: usize) -> Result<Option<i32>> {
        self.narrow(idx, "i32")
    }

    fn get_i64(&self, idx: usize) -> Result<Option<i64>> {
        self.integer(idx, "i64")
    }

    fn get_f32(&self, idx: usize) -> Result<Option<f32>> {
        const EXPECTED: &str = "f32";
        let ty = self.column_type(idx, EXPECTED)?;
        match *ty {
            Type::FLOAT4 => self.read(idx, EXPECTED, ty),
            Type::FLOAT8 => self
                .read::<f64>(idx, EXPECTED, ty)?
                .map(|v| {
                    let f = v as f32;
                    if f64::from(f) == v || v.is_nan() {
                        Ok(f)
                    } else {
                        Err(self.out_of_range(idx, EXPECTED, v))
                    }
                })
                .transpose(),
            Type::INT2 | Type::INT4 | Type::INT8 => self
                .integer(idx, EXPECTED)?
                .map(|v| {
                    let f = v as f32;
                    if f as i128 == i128::from(v) {
                        Ok(f)
                    } else {
                        Err(self.out_of_range(idx, EXPECTED, v))
                    }
                })
                .transpose(),
            _ => Err(self.mismatch(idx, EXPECTED, ty)),
        }
    }

    fn get_f64(&self, idx: usize) -> Result<Option<f64>> {
        const EXPECTED: &str = "f64";
        let ty = self.column_type(idx, EXPECTED)?;
        match *ty {
            Type::FLOAT8 => self.read(idx, EXPECTED, ty),
            Type::FLOAT4 => Ok(self.read::<f32>(idx, EXPECTED, ty)?.map(f64::from)),
            Type::INT2 | Type::INT4 | Type::INT8 => self
                .integer(idx, EXPECTED)?
                .map(|v| {
                    let f = v as f64;
                    if f as i128 == i128::from(v) {
                        Ok(f)
                    } else {
                        Err(self.out_of_range(idx, EXPECTED, v))
                    }
                })
                .transpose(),
            _ => Err(self.mismatch(idx, EXPECTED, ty)),
        }
    }

    fn get_string(&self, idx: usize) -> Result<Option<String>> {
        const EXPECTED: &str = "String";
        let ty = self.column_type(idx, EXPECTED)?;
        if !<&str as FromSql>::accepts(ty) {
            return Err(self.mismatch(idx, EXPECTED, ty));
        }
        Ok(self.text(idx, EXPECTED, ty)?.map(str::to_owned))
    }

    fn get_bytes(&self, idx: usize) -> Result<Option<Vec<u8>>> {
        const EXPECTED: &str = "Vec<u8>";
        let ty = self.column_type(idx, EXPECTED)?;
        if *ty == Type::BYTEA {
            Ok(self.read::<&[u8]>(idx, EXPECTED, ty)?.map(<[u8]>::to_vec))
        } else if <&str as FromSql>::accepts(ty) {
            Ok(self.text(idx, EXPECTED, ty)?.map(|s| s.as_bytes().to_vec()))
        } else {
            Err(self.mismatch(idx, EXPECTED, ty))
        }
    }
}
