//! Binding `orm::Value`s to SQLite statement parameters.
//!
//! Contract: every value is bound, never spliced; text and blobs are borrowed, not copied. `u64`
//! above `i64::MAX` and NaN (which SQLite would silently store as NULL) are `Error::Encode`.

use orm_core::{Error, Result, Value};
use rusqlite::types::{ToSqlOutput, ValueRef};

use super::error;

/// Binds `params` to `?1 .. ?n`, checking that the statement has exactly that many placeholders.
pub(crate) fn bind(stmt: &mut rusqlite::Statement<'_>, params: &[Value]) -> Result<()> {
    let expected = stmt.parameter_count();
    if expected != params.len() {
        return Err(Error::InvalidQuery(format!(
            "the statement has {expected} placeholders but {} values were bound",
            params.len()
        )));
    }
    for (i, value) in params.iter().enumerate() {
        stmt.raw_bind_parameter(i + 1, to_sql(value)?)
            .map_err(error::map)?;
    }
    Ok(())
}

fn real(v: f64) -> Result<ValueRef<'static>> {
    if v.is_nan() {
        return Err(Error::Encode {
            message: "SQLite cannot store NaN (it would become NULL)".into(),
        });
    }
    Ok(ValueRef::Real(v))
}

fn to_sql(value: &Value) -> Result<ToSqlOutput<'_>> {
    Ok(ToSqlOutput::Borrowed(match value {
        Value::Null => ValueRef::Null,
        Value::Bool(b) => ValueRef::Integer(i64::from(*b)),
        Value::I16(v) => ValueRef::Integer(i64::from(*v)),
        Value::I32(v) => ValueRef::Integer(i64::from(*v)),
        Value::I64(v) => ValueRef::Integer(*v),
        Value::U64(v) => ValueRef::Integer(i64::try_from(*v).map_err(|_| Error::Encode {
            message: format!(
                "u64 value {v} does not fit in a signed 64-bit column (max {})",
                i64::MAX
            ),
        })?),
        Value::F32(v) => real(f64::from(*v))?,
        Value::F64(v) => real(*v)?,
        Value::String(s) => ValueRef::Text(s.as_bytes()),
        Value::Bytes(b) => ValueRef::Blob(b),
    }))
}
