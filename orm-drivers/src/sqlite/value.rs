//! Binding `orm::Value`s to SQLite statement parameters.
//!
//! Contract: every value is bound, never spliced; scalar text and blobs are borrowed, not copied.
//! `u64` above `i64::MAX` and NaN (which SQLite would silently store as NULL) are `Error::Encode`.
//! A [`Value::List`] is bound as a `rarray` pointer (`rusqlite::vtab::array`, loaded on every
//! connection), built here on the worker thread with every element's exact type kept; it may only
//! be bound to a placeholder named `:orm_list<n>` (what the renderer writes inside `rarray(...)`),
//! since SQLite reads a pointer anywhere else as NULL: elsewhere it is an `Error::Encode`.

use std::rc::Rc;

use orm_core::{Error, Result, Value};
use rusqlite::types::{ToSqlOutput, Value as SqliteValue, ValueRef};
use rusqlite::vtab::array::Array;

use super::error;

/// Prefix of the placeholder names a list may be bound to.
const LIST_PLACEHOLDER: &str = ":orm_list";

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
        let bound = match value {
            Value::List(items) => {
                if !stmt
                    .parameter_name(i + 1)
                    .is_some_and(|n| n.starts_with(LIST_PLACEHOLDER))
                {
                    return Err(Error::Encode {
                        message: format!(
                            "parameter {} is a list; SQLite reads a list only through \
                             rarray({LIST_PLACEHOLDER}<n>), as IN lists are rendered",
                            i + 1
                        ),
                    });
                }
                stmt.raw_bind_parameter(i + 1, array(items)?)
            }
            scalar => stmt.raw_bind_parameter(i + 1, ToSqlOutput::Borrowed(value_ref(scalar)?)),
        };
        bound.map_err(error::map)?;
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

fn value_ref(value: &Value) -> Result<ValueRef<'_>> {
    Ok(match value {
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
        Value::List(_) => {
            return Err(Error::Encode {
                message: "a list of values cannot contain a list".into(),
            });
        }
    })
}

/// The `rarray` contents: owned copies of the elements, each of its own SQLite type.
fn array(items: &[Value]) -> Result<Array> {
    items
        .iter()
        .map(|v| {
            SqliteValue::try_from(value_ref(v)?).map_err(|e| Error::Encode {
                message: format!("list element: {e}"),
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(Rc::new)
}
