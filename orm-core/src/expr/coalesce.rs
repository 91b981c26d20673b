//! `COALESCE`: the first of its arguments that is not NULL. `a.coalesce(fallback)` takes a value or
//! another expression, of the same table or of any other table of the query; each further
//! `.coalesce(..)` appends an argument, so `a.coalesce(b).coalesce(0)` renders `COALESCE(a, b, ?)`.
//!
//! Contract, for a receiver whose type is `T` or `Option<T>`:
//! - a value fallback: the result is `T`, never NULL (scope [`NonNull`]);
//! - an expression fallback: the result is NULL only when every argument may be NULL, counting both
//!   `Option` types and left-joined tables. Its type is `Option<T>` when both types are `Option`;
//!   otherwise `T`, and its scope [`Coalesced`] makes it read as `Option<T>` in a query where every
//!   argument with a plain type comes from a left-joined table.

use crate::ast::{self, Func};
use crate::expr::via::{ByExpr, ByValue};
use crate::expr::{Compatible, Expression, ValueType};
use crate::scope::{Coalesced, NonNull, Nullability};
use crate::value::SqlParam;

/// What [`coalesce`](crate::Expr::coalesce) accepts after an expression of scope `Sc` and type `T`:
/// a value of `T`'s base type, or an expression of a [`Compatible`] type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the fallback of an expression of type `{T}`",
    label = "expected a value of the expression's type, or an expression of that type (or its `Option`)"
)]
pub trait Fallback<Sc, T, K> {
    /// The scope of the `COALESCE`.
    type Scope;
    /// The Rust type of its value.
    type Type;
    /// The untyped fallback.
    fn into_fallback(self) -> ast::Expr;
}

impl<Sc, T, V> Fallback<Sc, T, ByValue> for V
where
    T: ValueType,
    V: SqlParam<T::Base>,
{
    type Scope = NonNull<Sc>;
    type Type = T::Base;
    fn into_fallback(self) -> ast::Expr {
        ast::Expr::Value(self.into_value())
    }
}

/// `Null`'s scope marker over `S` (see [`Nullability::Over`]).
type Over<Null, S> = <Null as Nullability>::Over<S>;

// The tables of both sides are looked up where the result is used, so no positions are inferred here.
impl<Sc, T, E> Fallback<Sc, T, ByExpr<()>> for E
where
    T: ValueType,
    E: Expression,
    E::Type: ValueType + Compatible<T>,
{
    type Scope = Coalesced<Over<T::Null, Sc>, Over<<E::Type as ValueType>::Null, E::Scope>>;
    type Type = <<T::Null as Nullability>::And<<E::Type as ValueType>::Null> as Nullability>::Apply<
        T::Base,
    >;
    fn into_fallback(self) -> ast::Expr {
        self.into_ast()
    }
}

/// `COALESCE(first, fallback)`, appending to `first` when it is a `COALESCE` already.
pub(super) fn coalesce(first: ast::Expr, fallback: ast::Expr) -> ast::Expr {
    match first {
        ast::Expr::Func {
            func: Func::Coalesce,
            mut args,
        } => {
            args.push(fallback);
            ast::Expr::func(Func::Coalesce, args)
        }
        first => ast::Expr::func(Func::Coalesce, vec![first, fallback]),
    }
}
