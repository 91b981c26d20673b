//! Classes of Rust value types that decide which operations an expression offers: comparable with
//! what ([`Compatible`]), arithmetic and sums ([`Numeric`]), text functions ([`TextColumn`]),
//! `min`/`max` ([`Ordered`]), the nullable form of each ([`OrNull`]) and its form without `Option`
//! ([`ValueType`]).

use crate::ast::CastType;
use crate::scope::{MaybeNull, NotNull, Nullability, OrNull};

/// Two value types that may be compared or combined: the same type, either side possibly `Option`.
#[diagnostic::on_unimplemented(
    message = "an expression of type `{Self}` cannot be compared or combined with one of type `{T}`",
    label = "expected an expression of type `{T}` (or its `Option`)"
)]
pub trait Compatible<T> {
    /// The result type of combining them: nullable when either side is.
    type Joined: OrNull;
}

/// Numeric value types: arithmetic operators, `sum` and `avg`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a numeric type",
    label = "arithmetic, `sum` and `avg` need a numeric expression",
    note = "numeric types: i16, i32, i64, u32, u64, f32, f64 and Option of those"
)]
pub trait Numeric: OrNull {
    /// Integer type (division truncates toward zero).
    const INTEGER: bool;
    /// The type of `sum`: `i64` for integers, `f64` for floats.
    type Sum: OrNull;
    /// The cast that gives `sum` that type on every dialect.
    const SUM_CAST: CastType;
}

/// Text value types (`String`, `Option<String>`): `like`, `contains`, `lower`, `length`, ...
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a text type",
    label = "this method needs a `String` or `Option<String>` expression"
)]
pub trait TextColumn: OrNull {
    /// The type of `length`: `i64`, or `Option<i64>` for a nullable column.
    type Length: OrNull;
}

/// Types with a total order on every backend: `min` and `max` (numbers, and text by code point).
#[diagnostic::on_unimplemented(
    message = "`min`/`max` are not available for `{Self}`",
    note = "available for numbers and text"
)]
pub trait Ordered: OrNull {}

/// A column value type and that type without `Option`: `i64` and `Option<i64>` both have the base
/// `i64`. Types the result of `coalesce`.
pub trait ValueType: OrNull {
    /// The type without `Option`.
    type Base: OrNull;
    /// Whether the type itself admits NULL: [`MaybeNull`] for `Option<_>`, else [`NotNull`].
    type Null: Nullability;
}

macro_rules! value_kinds {
    ($($t:ty),*) => {$(
        impl OrNull for $t {
            type Nullable = Option<$t>;
        }
        impl OrNull for Option<$t> {
            type Nullable = Option<$t>;
        }
        impl ValueType for $t {
            type Base = $t;
            type Null = NotNull;
        }
        impl ValueType for Option<$t> {
            type Base = $t;
            type Null = MaybeNull;
        }
        impl Compatible<$t> for $t {
            type Joined = $t;
        }
        impl Compatible<Option<$t>> for $t {
            type Joined = Option<$t>;
        }
        impl Compatible<$t> for Option<$t> {
            type Joined = Option<$t>;
        }
        impl Compatible<Option<$t>> for Option<$t> {
            type Joined = Option<$t>;
        }
    )*};
}

value_kinds!(bool, i16, i32, i64, u32, u64, f32, f64, String, Vec<u8>);

macro_rules! numeric {
    ($integer:literal, $sum:ty, $cast:ident; $($t:ty),*) => {$(
        impl Numeric for $t {
            const INTEGER: bool = $integer;
            type Sum = $sum;
            const SUM_CAST: CastType = CastType::$cast;
        }
        impl Numeric for Option<$t> {
            const INTEGER: bool = $integer;
            type Sum = $sum;
            const SUM_CAST: CastType = CastType::$cast;
        }
        impl Ordered for $t {}
        impl Ordered for Option<$t> {}
    )*};
}

numeric!(true, i64, BigInt; i16, i32, i64, u32, u64);
numeric!(false, f64, Double; f32, f64);

impl TextColumn for String {
    type Length = i64;
}
impl TextColumn for Option<String> {
    type Length = Option<i64>;
}
impl Ordered for String {}
impl Ordered for Option<String> {}
