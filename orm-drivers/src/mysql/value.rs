//! Bound parameters: [`orm_core::Value`] to `mysql_async` values for the binary protocol.
//!
//! Contract: every value is sent as a typed parameter (never spliced into SQL). Booleans travel as
//! the integers 0/1 (MySQL has no boolean type), text and binary both as byte strings, and `u64`
//! is checked into the signed range shared by all backends before anything is sent.
//!
//! A [`Value::List`] (a long IN list, read by `JSON_TABLE`) is sent as the text of a JSON array
//! written by `serde_json`: integers and booleans (0/1) as numbers, floats as numbers (their shortest
//! exact decimal form; NaN and infinities, which JSON cannot carry, are `Error::Encode`), text as
//! strings, bytes as base64 strings (which the renderer decodes with `FROM_BASE64`), NULL as `null`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mysql_async::{Params, Value as MyValue};
use orm_core::{Error, Result, Value};

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

fn to_mysql(mut value: Value) -> Result<MyValue> {
    value.make_bindable()?;
    Ok(match value {
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
        Value::List(items) => MyValue::Bytes(json_array(&items)?),
    })
}

/// The JSON array text of a list (already checked by `into_bindable`: no `U64`, no nested list).
fn json_array(items: &[Value]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(items.len() * 8 + 2);
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let written = match item {
            Value::Null => serde_json::to_writer(&mut out, &()),
            Value::Bool(b) => serde_json::to_writer(&mut out, &u8::from(*b)),
            Value::I16(v) => serde_json::to_writer(&mut out, v),
            Value::I32(v) => serde_json::to_writer(&mut out, v),
            Value::I64(v) => serde_json::to_writer(&mut out, v),
            Value::U64(v) => serde_json::to_writer(&mut out, v),
            Value::F32(v) => serde_json::to_writer(&mut out, &finite(f64::from(*v))?),
            Value::F64(v) => serde_json::to_writer(&mut out, &finite(*v)?),
            Value::String(s) => serde_json::to_writer(&mut out, s),
            Value::Bytes(b) => serde_json::to_writer(&mut out, &BASE64.encode(b)),
            Value::List(_) => {
                return Err(Error::Encode {
                    message: "a list of values cannot contain a list".into(),
                });
            }
        };
        written.map_err(|e| Error::Encode {
            message: format!("IN list element {} cannot be written as JSON: {e}", i + 1),
        })?;
    }
    out.push(b']');
    Ok(out)
}

fn finite(v: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::Encode {
            message: format!(
                "{v} cannot be sent to MySQL/MariaDB in a list (JSON has no NaN or infinity)"
            ),
        })
    }
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

    fn json(items: Vec<Value>) -> Result<String> {
        match to_mysql(Value::List(items.into()))? {
            MyValue::Bytes(b) => Ok(String::from_utf8(b).unwrap()),
            other => panic!("a list must become text, not {other:?}"),
        }
    }

    #[test]
    fn lists_become_json_arrays() {
        assert_eq!(
            json(vec![
                Value::Null,
                Value::Bool(true),
                Value::I16(-3),
                Value::I64(i64::MIN),
                Value::U64(7),
                Value::F32(0.1),
                Value::F64(-0.25),
            ])
            .unwrap(),
            "[null,1,-3,-9223372036854775808,7,0.10000000149011612,-0.25]"
        );
        assert_eq!(
            json(vec![
                Value::String("a\"b\\ é 😀\u{0}\n".into()),
                Value::Bytes(vec![0, 1, 0xfe, 0xff]),
                Value::Bytes(Vec::new()),
            ])
            .unwrap(),
            r#"["a\"b\\ é 😀\u0000\n","AAH+/w==",""]"#
        );
        assert_eq!(json(Vec::new()).unwrap(), "[]");
    }

    #[test]
    fn lists_reject_what_json_cannot_carry() {
        for bad in [
            Value::F64(f64::NAN),
            Value::F64(f64::INFINITY),
            Value::F32(f32::NEG_INFINITY),
            Value::U64(u64::MAX),
            Value::List(vec![Value::I64(1)].into()),
        ] {
            let err = json(vec![Value::I64(1), bad.clone()]).unwrap_err();
            assert!(
                matches!(err, orm_core::Error::Encode { .. }),
                "{bad:?}: {err:?}"
            );
        }
    }

    #[test]
    fn rejects_u64_above_i64_max() {
        let err = to_params(vec![Value::U64(u64::MAX)]).unwrap_err();
        assert!(matches!(err, orm_core::Error::Encode { .. }), "{err:?}");
    }
}
