//! Binding [`Value`]s as PostgreSQL parameters.
//!
//! Contract: the server infers each parameter's type when the statement is prepared; [`PgParam`]
//! encodes the value for exactly that type, and only when no information is lost:
//! - integers go into `int2`/`int4`/`int8` with checked narrowing, and into `float4`/`float8` when
//!   the float represents them exactly;
//! - `f32` goes into `float4` or `float8`; `f64` into `float8`, or `float4` when exactly representable;
//! - `bool` into `bool`; text into `text`, `varchar`, `bpchar`, `name`, `unknown` (and `citext`);
//!   bytes into `bytea`; NULL into any type;
//! - a [`Value::List`] into an array type (`int8[]`, `text[]`, ...; what `x = ANY($1)` infers), each
//!   element by the rules above for the array's element type; NULL elements stay NULL.
//!
//! Anything else fails with a [`ParamError`] naming the parameter (and the list element), which the
//! error mapping turns into `Error::Encode`. Nothing is sent when a parameter cannot be encoded.

use std::error::Error as StdError;
use std::fmt;

use bytes::BytesMut;
use orm_core::Value;
use tokio_postgres::types::{IsNull, Kind, ToSql, Type, to_sql_checked};

type BoxError = Box<dyn StdError + Sync + Send>;

/// Why a parameter could not be encoded for the type the server inferred.
#[derive(Debug)]
pub(crate) struct ParamError(String);

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for ParamError {}

/// The parameter at position `index` (0-based) of a statement, or element `element` of the list
/// bound there.
#[derive(Debug)]
pub(crate) struct PgParam<'a> {
    index: usize,
    element: Option<usize>,
    value: &'a Value,
}

impl<'a> PgParam<'a> {
    /// Wraps the value bound at `index`.
    pub(crate) fn new(index: usize, value: &'a Value) -> Self {
        Self {
            index,
            element: None,
            value,
        }
    }

    fn error(&self, ty: &Type, why: &str) -> BoxError {
        let element = self
            .element
            .map_or_else(String::new, |i| format!(" element {}", i + 1));
        Box::new(ParamError(format!(
            "parameter ${}{element} ({}) {why} PostgreSQL type {}",
            self.index + 1,
            self.value.type_name(),
            ty.name()
        )))
    }

    /// A list into an array of the inferred element type.
    fn list(&self, items: &[Value], ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let Kind::Array(member) = ty.kind() else {
            return Err(self.mismatch(ty));
        };
        if self.element.is_some() || matches!(member.kind(), Kind::Array(_)) {
            return Err(self.mismatch(ty));
        }
        let elements: Vec<PgParam<'_>> = items
            .iter()
            .enumerate()
            .map(|(i, value)| PgParam {
                index: self.index,
                element: Some(i),
                value,
            })
            .collect();
        elements.as_slice().to_sql(ty, out)
    }

    fn mismatch(&self, ty: &Type) -> BoxError {
        self.error(ty, "cannot be bound to a parameter of")
    }

    fn out_of_range(&self, ty: &Type) -> BoxError {
        self.error(ty, "is out of range for")
    }

    fn integer(&self, v: i64, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match *ty {
            Type::INT2 => i16::try_from(v)
                .map_err(|_| self.out_of_range(ty))?
                .to_sql(ty, out),
            Type::INT4 => i32::try_from(v)
                .map_err(|_| self.out_of_range(ty))?
                .to_sql(ty, out),
            Type::INT8 => v.to_sql(ty, out),
            Type::FLOAT4 => {
                let f = v as f32;
                if f as i128 != i128::from(v) {
                    return Err(self.out_of_range(ty));
                }
                f.to_sql(ty, out)
            }
            Type::FLOAT8 => {
                let f = v as f64;
                if f as i128 != i128::from(v) {
                    return Err(self.out_of_range(ty));
                }
                f.to_sql(ty, out)
            }
            _ => Err(self.mismatch(ty)),
        }
    }

    fn float(&self, v: f64, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match *ty {
            Type::FLOAT8 => v.to_sql(ty, out),
            Type::FLOAT4 => {
                let f = v as f32;
                if f64::from(f) != v && !v.is_nan() {
                    return Err(self.out_of_range(ty));
                }
                f.to_sql(ty, out)
            }
            _ => Err(self.mismatch(ty)),
        }
    }
}

impl ToSql for PgParam<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match self.value {
            Value::Null => Ok(IsNull::Yes),
            Value::Bool(v) if *ty == Type::BOOL => v.to_sql(ty, out),
            Value::I16(v) => self.integer(i64::from(*v), ty, out),
            Value::I32(v) => self.integer(i64::from(*v), ty, out),
            Value::I64(v) => self.integer(*v, ty, out),
            Value::U64(v) => self.integer(
                i64::try_from(*v).map_err(|_| self.out_of_range(ty))?,
                ty,
                out,
            ),
            Value::F32(v) if *ty == Type::FLOAT4 => v.to_sql(ty, out),
            Value::F32(v) => self.float(f64::from(*v), ty, out),
            Value::F64(v) => self.float(*v, ty, out),
            Value::String(v) if <&str as ToSql>::accepts(ty) => v.as_str().to_sql(ty, out),
            Value::Bytes(v) if *ty == Type::BYTEA => v.as_slice().to_sql(ty, out),
            Value::List(items) => self.list(items, ty, out),
            Value::Bool(_) | Value::String(_) | Value::Bytes(_) => Err(self.mismatch(ty)),
        }
    }

    /// Every type is accepted here; [`ToSql::to_sql`] checks the value against it and reports a
    /// typed error instead of the driver's generic "wrong type".
    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: Value, ty: &Type) -> Result<Vec<u8>, String> {
        let mut out = BytesMut::new();
        match PgParam::new(0, &value).to_sql(ty, &mut out) {
            Ok(IsNull::No) => Ok(out.to_vec()),
            Ok(IsNull::Yes) => Ok(Vec::new()),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn integers_narrow_only_when_they_fit() {
        assert_eq!(
            encode(Value::I64(7), &Type::INT2).unwrap(),
            7i16.to_be_bytes()
        );
        assert_eq!(
            encode(Value::I16(-1), &Type::INT8).unwrap(),
            (-1i64).to_be_bytes()
        );
        let err = encode(Value::I64(i64::from(i32::MAX) + 1), &Type::INT4).unwrap_err();
        assert_eq!(
            err,
            "parameter $1 (i64) is out of range for PostgreSQL type int4"
        );
        assert!(encode(Value::I32(40_000), &Type::INT2).is_err());
        assert!(encode(Value::U64(u64::MAX), &Type::INT8).is_err());
    }

    #[test]
    fn integers_into_floats_must_be_exact() {
        assert_eq!(
            encode(Value::I32(3), &Type::FLOAT8).unwrap(),
            3f64.to_be_bytes()
        );
        assert!(encode(Value::I64((1 << 53) + 1), &Type::FLOAT8).is_err());
        assert!(encode(Value::I64(i64::MAX), &Type::FLOAT8).is_err());
        assert!(encode(Value::I32((1 << 24) + 1), &Type::FLOAT4).is_err());
    }

    #[test]
    fn floats_narrow_only_when_exact() {
        assert_eq!(
            encode(Value::F64(0.5), &Type::FLOAT4).unwrap(),
            0.5f32.to_be_bytes()
        );
        assert!(encode(Value::F64(0.1), &Type::FLOAT4).is_err());
        assert!(encode(Value::F64(f64::NAN), &Type::FLOAT4).is_ok());
        assert_eq!(
            encode(Value::F32(0.1), &Type::FLOAT8).unwrap(),
            f64::from(0.1f32).to_be_bytes()
        );
    }

    #[test]
    fn mismatched_types_are_errors() {
        let err = encode(Value::String("x".into()), &Type::INT4).unwrap_err();
        assert_eq!(
            err,
            "parameter $1 (String) cannot be bound to a parameter of PostgreSQL type int4"
        );
        assert!(encode(Value::Bytes(vec![1]), &Type::TEXT).is_err());
        assert!(encode(Value::Bool(true), &Type::INT4).is_err());
        assert!(encode(Value::F64(1.0), &Type::INT8).is_err());
        assert_eq!(encode(Value::Null, &Type::INT4).unwrap(), Vec::<u8>::new());
    }

    fn list(items: Vec<Value>) -> Value {
        Value::List(items.into())
    }

    fn array<T: ToSql>(items: &[T], ty: &Type) -> Vec<u8> {
        let mut out = BytesMut::new();
        items.to_sql(ty, &mut out).unwrap();
        out.to_vec()
    }

    #[test]
    fn lists_encode_as_arrays_of_the_inferred_element_type() {
        assert_eq!(
            encode(list(vec![Value::I64(1), Value::I64(-2)]), &Type::INT4_ARRAY).unwrap(),
            array(&[1i32, -2], &Type::INT4_ARRAY)
        );
        assert_eq!(
            encode(
                list(vec![Value::String("é".into()), Value::Null]),
                &Type::TEXT_ARRAY
            )
            .unwrap(),
            array(&[Some("é"), None], &Type::TEXT_ARRAY)
        );
        assert_eq!(
            encode(list(vec![Value::F32(0.5)]), &Type::FLOAT8_ARRAY).unwrap(),
            array(&[0.5f64], &Type::FLOAT8_ARRAY)
        );
        assert_eq!(
            encode(list(vec![Value::Bytes(vec![0, 255])]), &Type::BYTEA_ARRAY).unwrap(),
            array(&[&[0u8, 255][..]], &Type::BYTEA_ARRAY)
        );
        assert_eq!(
            encode(list(Vec::new()), &Type::BOOL_ARRAY).unwrap(),
            array::<bool>(&[], &Type::BOOL_ARRAY)
        );
    }

    #[test]
    fn list_elements_that_do_not_fit_are_errors_naming_the_element() {
        let err = encode(
            list(vec![Value::I64(1), Value::I64(i64::from(i32::MAX) + 1)]),
            &Type::INT4_ARRAY,
        )
        .unwrap_err();
        assert_eq!(
            err,
            "parameter $1 element 2 (i64) is out of range for PostgreSQL type int4"
        );
        let err = encode(list(vec![Value::String("x".into())]), &Type::INT8_ARRAY).unwrap_err();
        assert_eq!(
            err,
            "parameter $1 element 1 (String) cannot be bound to a parameter of PostgreSQL type int8"
        );
        let err = encode(list(vec![Value::I64(1)]), &Type::INT8).unwrap_err();
        assert_eq!(
            err,
            "parameter $1 (list) cannot be bound to a parameter of PostgreSQL type int8"
        );
        assert!(encode(list(vec![list(vec![Value::I64(1)])]), &Type::INT8_ARRAY).is_err());
        assert!(encode(list(vec![Value::U64(u64::MAX)]), &Type::INT8_ARRAY).is_err());
    }
}
