//! Decoding of query result shapes: tuples mixing models, optional (left-joined) models and single
//! values, read positionally from a row of values.

#[path = "common/fixtures.rs"]
mod fixtures;

use fixtures::{Post, User};
use orm_core::{Error, FromRawRow, FromRow, RawRow, Result, Value};

/// A row of plain values, converting like the drivers do.
struct Row(Vec<Value>);

impl Row {
    fn get(&self, idx: usize) -> Result<&Value> {
        self.0
            .get(idx)
            .ok_or_else(|| Error::decode(format!("#{idx}"), "value", "no such column"))
    }
}

fn mismatch<T>(idx: usize, want: &'static str, v: &Value) -> Result<T> {
    Err(Error::decode(format!("#{idx}"), want, v.type_name()))
}

impl RawRow for Row {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn column_name(&self, _idx: usize) -> &str {
        ""
    }
    fn get_bool(&self, idx: usize) -> Result<Option<bool>> {
        match self.get(idx)? {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(*b)),
            v => mismatch(idx, "bool", v),
        }
    }
    fn get_i16(&self, idx: usize) -> Result<Option<i16>> {
        self.get_i64(idx)?
            .map(|v| i16::try_from(v).map_err(|_| Error::decode("#", "i16", "range")))
            .transpose()
    }
    fn get_i32(&self, idx: usize) -> Result<Option<i32>> {
        self.get_i64(idx)?
            .map(|v| i32::try_from(v).map_err(|_| Error::decode("#", "i32", "range")))
            .transpose()
    }
    fn get_i64(&self, idx: usize) -> Result<Option<i64>> {
        match self.get(idx)? {
            Value::Null => Ok(None),
            Value::I16(v) => Ok(Some((*v).into())),
            Value::I32(v) => Ok(Some((*v).into())),
            Value::I64(v) => Ok(Some(*v)),
            v => mismatch(idx, "i64", v),
        }
    }
    fn get_f32(&self, idx: usize) -> Result<Option<f32>> {
        match self.get(idx)? {
            Value::Null => Ok(None),
            Value::F32(v) => Ok(Some(*v)),
            v => mismatch(idx, "f32", v),
        }
    }
    fn get_f64(&self, idx: usize) -> Result<Option<f64>> {
        match self.get(idx)? {
            Value::Null => Ok(None),
            Value::F64(v) => Ok(Some(*v)),
            v => mismatch(idx, "f64", v),
        }
    }
    fn get_string(&self, idx: usize) -> Result<Option<String>> {
        match self.get(idx)? {
            Value::Null => Ok(None),
            Value::String(v) => Ok(Some(v.clone())),
            v => mismatch(idx, "String", v),
        }
    }
    fn get_bytes(&self, idx: usize) -> Result<Option<Vec<u8>>> {
        match self.get(idx)? {
            Value::Null => Ok(None),
            Value::Bytes(v) => Ok(Some(v.clone())),
            v => mismatch(idx, "Vec<u8>", v),
        }
    }
}

fn user_values() -> Vec<Value> {
    vec![
        Value::I64(1),
        Value::String("Ann".into()),
        Value::String("ann@x".into()),
        Value::Null,
        Value::I32(30),
    ]
}

fn post_values() -> Vec<Value> {
    vec![
        Value::I64(9),
        Value::I64(1),
        Value::String("Hi".into()),
        Value::Null,
        Value::I32(3),
        Value::F64(0.5),
    ]
}

#[test]
fn widths_add_up() {
    assert_eq!(<(User, Option<Post>)>::WIDTH, 11);
    assert_eq!(<(User, i64)>::WIDTH, 6);
    assert_eq!(<(i64, Option<String>, f64)>::WIDTH, 3);
}

#[test]
fn left_joined_model_is_some_when_its_key_is_set() {
    let row = Row([user_values(), post_values()].concat());
    let (u, p) = <(User, Option<Post>)>::from_row(&row).unwrap();
    assert_eq!(u.name, "Ann");
    assert_eq!(p.map(|p| p.title), Some("Hi".to_owned()));
}

#[test]
fn left_joined_model_is_none_when_its_columns_are_null() {
    let row = Row([user_values(), vec![Value::Null; 6]].concat());
    let (u, p) = <(User, Option<Post>)>::from_row(&row).unwrap();
    assert_eq!(u.id, 1);
    assert_eq!(p, None);
}

#[test]
fn left_joined_model_with_a_key_but_a_null_required_column_is_an_error() {
    let mut post = post_values();
    post[2] = Value::Null;
    let row = Row([user_values(), post].concat());
    let err = <(User, Option<Post>)>::from_row(&row).unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err}");
}

#[test]
fn model_and_aggregate_tuple() {
    let row = Row([user_values(), vec![Value::I64(4)]].concat());
    let (u, n) = <(User, i64)>::from_row(&row).unwrap();
    assert_eq!((u.age, n), (30, 4));
}

#[test]
fn single_values_and_nullable_values() {
    let row = Row(vec![Value::Null, Value::String("x".into())]);
    assert_eq!(<Option<f64>>::from_row(&row).unwrap(), None);
    assert_eq!(String::from_row_at(&row, 1).unwrap(), "x");
    assert!(
        f64::from_row(&row).is_err(),
        "NULL into a non-Option is an error"
    );
}

#[test]
fn raw_rows_check_the_tuple_width() {
    let row = Row(user_values());
    let err = <(User, i64)>::from_raw_row(&row).unwrap_err();
    assert!(err.to_string().contains("needs 6"), "{err}");
}

#[test]
fn sixteen_element_tuples_decode_in_order() {
    type Sixteen = (
        i64,
        String,
        Option<String>,
        i32,
        f64,
        bool,
        Option<i64>,
        i16,
        u32,
        u64,
        Vec<u8>,
        Option<f64>,
        i64,
        String,
        Option<i32>,
        i64,
    );
    assert_eq!(<Sixteen>::WIDTH, 16);
    assert_eq!(<(User, Post, i64, i64, i64, i64, i64)>::WIDTH, 16);
    let row = Row(vec![
        Value::I64(1),
        Value::String("a".into()),
        Value::Null,
        Value::I32(4),
        Value::F64(0.5),
        Value::Bool(true),
        Value::I64(7),
        Value::I16(8),
        Value::I64(9),
        Value::I64(10),
        Value::Bytes(vec![11]),
        Value::Null,
        Value::I64(13),
        Value::String("n".into()),
        Value::I32(15),
        Value::I64(16),
    ]);
    let t = <Sixteen>::from_row(&row).unwrap();
    assert_eq!(
        (t.0, t.1.as_str(), t.2.as_deref(), t.3, t.4, t.5, t.6, t.7),
        (1, "a", None, 4, 0.5, true, Some(7), 8)
    );
    assert_eq!(
        (
            t.8,
            t.9,
            t.10.as_slice(),
            t.11,
            t.12,
            t.13.as_str(),
            t.14,
            t.15
        ),
        (9, 10, &[11u8][..], None, 13, "n", Some(15), 16)
    );
    let Err(err) = <Sixteen>::from_raw_row(&Row(row.0[..15].to_vec())) else {
        panic!("a 15-column row decoded as 16 columns");
    };
    assert!(err.to_string().contains("needs 16"), "{err}");
}
