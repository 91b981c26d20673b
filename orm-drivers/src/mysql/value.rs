//! Bound parameters: [`orm_core::Value`] to `mysql_async` values for the binary protocol.
//!
//! Contract: every value is sent as a typed parameter (never spliced into SQL). Booleans travel as
//! the integers 0/1 (MySQL has no boolean type), text and binary both as byte strings, and `u64`
//! is checked into the signed range shared by all backends before anything is sent.

use mysql_async::{Params, Value as MyValue};
use orm_core::{Result, Value};

/// Converts a statement's parameters; fails with `Error::Encode` before any I/O.
pub(super) fn to_params(values: Vec<Value>) -> Result<Params> {
    if values.is_empty() {
        return Ok(Params::Empty);
    }
    let mut params = Vec::with_capacity(values.len());
    for value in values {
        params.push(to_mysql(value)?);
    }
    Ok(Params::Positional(params))
}

fn to_mysql(value: Value) -> Result<MyValue> {
    Ok(match value.into_bindable()? {
        Value::Null => MyValue::NULL,
        Value::Bool(b) => MyValue::Int(i64::from(b)),
        Value::I16(v) => MyValue::Int(i64::from(v)),
        Value::I32(v) => MyValue::Int(i64::from(v)),
        Value::I64(v) => MyValue::Int(v),
        // `into_bindable` turns every `U64` into `I64` or fails; kept total for the type checker.
        Value::U64(v) => MyValue::UInt(v),
        Value::F32(v) => MyValue::Float(v),
        Value::F64(v) => MyValue::Double(v),
        Value::String(s) => MyValue::Bytes(s.into_bytes()),
        Value::Bytes(b) => MyValue::Bytes(b),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_each_kind() {
        let params = to_params(vec![
            Value::Null,
            Value::Bool(true),
            Value::I16(-3),
            Value::I64(i64::MIN),
            Value::U64(7),
            Value::F32(1.5),
            Value::F64(-0.25),
            Value::String("é".into()),
            Value::Bytes(vec![0, 255]),
        ])
        .unwrap();
        assert_eq!(
            params,
            Params::Positional(vec![
                MyValue::NULL,
                MyValue::Int(1),
                MyValue::Int(-3),
                MyValue::Int(i64::MIN),
                MyValue::Int(7),
                MyValue::Float(1.5),
                MyValue::Double(-0.25),
                MyValue::Bytes("é".as_bytes().to_vec()),
                MyValue::Bytes(vec![0, 255]),
            ])
        );
        assert_eq!(to_params(Vec::new()).unwrap(), Params::Empty);
    }

    #[test]
    fn rejects_u64_above_i64_max() {
        let err = to_params(vec![Value::U64(u64::MAX)]).unwrap_err();
        assert!(matches!(err, orm_core::Error::Encode { .. }), "{err:?}");
    }
}
