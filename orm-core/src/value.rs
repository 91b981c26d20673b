//! Values bound as statement parameters, and the typed conversions into them.
//!
//! Contract: a [`Value`] is always sent to the server as a bound parameter, never spliced into SQL
//! text. [`SqlParam<T>`] says which Rust values may stand where a column of Rust type `T` is expected;
//! it is what makes `User::ID.eq("x")` a compile error. `u64` travels as [`Value::U64`] until
//! [`Value::into_bindable`] checks that it fits the signed 64-bit integers all three servers share,
//! inside a [`Value::List`] too.

use std::sync::Arc;

/// One parameter value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// Boolean.
    Bool(bool),
    /// 16-bit integer.
    I16(i16),
    /// 32-bit integer.
    I32(i32),
    /// 64-bit integer.
    I64(i64),
    /// Unsigned 64-bit integer; checked into `I64` before binding.
    U64(u64),
    /// 32-bit float.
    F32(f32),
    /// 64-bit float.
    F64(f64),
    /// Text.
    String(String),
    /// Binary.
    Bytes(Vec<u8>),
    /// A list of scalar values bound as ONE parameter: the candidates of a long IN list. Drivers
    /// send it as a PostgreSQL array of the type the server inferred, as a SQLite `rarray` pointer
    /// (read only by `rarray(...)` placeholders the renderer writes; bound anywhere else it is an
    /// `Error::Encode`), or as MySQL JSON text (integers and booleans as numbers, floats as numbers,
    /// text as strings, bytes as base64 strings). An element that is itself a list is an
    /// `Error::Encode`.
    List(Arc<[Value]>),
}

impl Value {
    /// `true` for [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as drivers bind it: `U64` becomes `I64`, or an [`Error::Encode`](crate::Error::Encode)
    /// when it does not fit (never a silent wrap). A list is checked element by element (and copied
    /// only when one of them changes); a list inside a list is an `Error::Encode`.
    #[inline]
    pub fn into_bindable(mut self) -> crate::Result<Value> {
        self.make_bindable()?;
        Ok(self)
    }

    /// [`Value::into_bindable`] in place: a value other than a `U64` or a list is left untouched at
    /// the cost of one comparison. On error the value is left as it was.
    #[inline]
    pub fn make_bindable(&mut self) -> crate::Result<()> {
        if matches!(self, Value::U64(_) | Value::List(_)) {
            self.convert_to_bindable()
        } else {
            Ok(())
        }
    }

    /// The work of [`Value::make_bindable`] for a `U64` or a list, out of line so that the check of
    /// every other value is inlined at each call.
    #[inline(never)]
    fn convert_to_bindable(&mut self) -> crate::Result<()> {
        match self {
            Value::U64(v) => {
                let v = *v;
                *self = Value::I64(i64::try_from(v).map_err(|_| crate::Error::Encode {
                    message: format!(
                        "u64 value {v} does not fit in a signed 64-bit column (max {})",
                        i64::MAX
                    ),
                })?);
            }
            Value::List(items)
                if items
                    .iter()
                    .any(|v| matches!(v, Value::U64(_) | Value::List(_))) =>
            {
                let checked = items
                    .iter()
                    .map(|v| match v {
                        Value::List(_) => Err(crate::Error::Encode {
                            message: "a list of values cannot contain a list".into(),
                        }),
                        v => v.clone().into_bindable(),
                    })
                    .collect::<crate::Result<Arc<[Value]>>>()?;
                *self = Value::List(checked);
            }
            _ => {}
        }
        Ok(())
    }

    /// A short type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "bool",
            Value::I16(_) => "i16",
            Value::I32(_) => "i32",
            Value::I64(_) => "i64",
            Value::U64(_) => "u64",
            Value::F32(_) => "f32",
            Value::F64(_) => "f64",
            Value::String(_) => "String",
            Value::Bytes(_) => "Vec<u8>",
            Value::List(_) => "list",
        }
    }
}

/// Values that may stand where a column of Rust type `T` is expected.
///
/// Implemented for `T` itself, for lossless widenings (`i32` where `i64` is expected), for borrowed text
/// and bytes, and for plain values where an `Option<T>` column is expected.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with or stored in a column of type `{T}`",
    label = "expected a value of type `{T}`",
    note = "filters and keys take values of the column's own Rust type (or a lossless widening of it)"
)]
pub trait SqlParam<T> {
    /// Converts into a bound value.
    fn into_value(self) -> Value;
}

macro_rules! scalar_param {
    ($target:ty => $variant:ident; $($src:ty),*) => {
        $(
            impl SqlParam<$target> for $src {
                #[inline]
                fn into_value(self) -> Value { Value::$variant(self.into()) }
            }
            impl SqlParam<Option<$target>> for $src {
                #[inline]
                fn into_value(self) -> Value { Value::$variant(self.into()) }
            }
            impl SqlParam<Option<$target>> for Option<$src> {
                #[inline]
                fn into_value(self) -> Value { self.map_or(Value::Null, |v| Value::$variant(v.into())) }
            }
        )*
    };
}

scalar_param!(bool => Bool; bool);
scalar_param!(i16 => I16; i16, i8, u8);
scalar_param!(i32 => I32; i32, i16, i8, u16, u8);
scalar_param!(i64 => I64; i64, i32, i16, i8, u32, u16, u8);
scalar_param!(u32 => I64; u32, u16, u8);
scalar_param!(u64 => U64; u64, u32, u16, u8);
scalar_param!(f32 => F32; f32);
scalar_param!(f64 => F64; f64, f32);
scalar_param!(String => String; String, &str, &String, Box<str>);
scalar_param!(Vec<u8> => Bytes; Vec<u8>, &[u8]);

/// Conversion of a field's value into a bound value; implemented by every [`ColumnType`](crate::ColumnType).
pub trait ToValue {
    /// The value to bind.
    fn to_value(&self) -> Value;

    /// The value to bind, taking `self`: text and bytes move into the value instead of being
    /// copied.
    #[inline]
    fn into_value(self) -> Value
    where
        Self: Sized,
    {
        self.to_value()
    }
}

macro_rules! to_value {
    ($($t:ty => $variant:ident),*) => {
        $(impl ToValue for $t {
            #[inline]
            fn to_value(&self) -> Value { Value::$variant(self.clone().into()) }

            #[inline]
            fn into_value(self) -> Value { Value::$variant(self.into()) }
        })*
    };
}

to_value!(bool => Bool, i16 => I16, i32 => I32, i64 => I64, u32 => I64, u64 => U64, f32 => F32, f64 => F64,
    String => String, Vec<u8> => Bytes);

impl<T: ToValue> ToValue for Option<T> {
    #[inline]
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }

    #[inline]
    fn into_value(self) -> Value {
        self.map_or(Value::Null, ToValue::into_value)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    #[inline]
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Bytes(self.to_vec())
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
