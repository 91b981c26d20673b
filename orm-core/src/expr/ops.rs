//! Arithmetic operators on numeric expressions: `User::AGE + 1`, `Post::LIKES * 2 - Post::DISLIKES`.
//!
//! A value operand has exactly the expression's numeric type (so integer literals infer). An
//! expression operand has a [`Compatible`] numeric type and may read other tables: `a - b` reads the
//! tables of both, its scope is the pair `(A, B)` of their scopes (see [`crate::scope`]), so
//! `Post::LIKES - User::KARMA` fits any query that provides `Post` and `User`, and reads as `Option`
//! when either is left-joined. The result type is nullable when either side's type is. Integer
//! division truncates toward zero on every backend.

use std::ops::{Add, Div, Mul, Rem, Sub};

use crate::ast::{self, BinOp};
use crate::column::Column;
use crate::expr::{Compatible, Expr, Expression, Numeric};
use crate::value::SqlParam;

fn arith<S, T>(op: BinOp, lhs: ast::Expr, rhs: ast::Expr) -> Expr<S, T>
where
    T: Numeric,
{
    let op = match op {
        BinOp::Div if T::INTEGER => BinOp::IntDiv,
        other => other,
    };
    Expr::from_ast(ast::Expr::binary(op, lhs, rhs))
}

macro_rules! value_op {
    ($Recv:ident, $t:ty, $n:ty, $Trait:ident, $method:ident, $op:ident) => {
        impl<Sc> $Trait<$n> for $Recv<Sc, $t> {
            type Output = Expr<Sc, $t>;
            fn $method(self, rhs: $n) -> Expr<Sc, $t> {
                arith::<Sc, $t>(
                    BinOp::$op,
                    self.into_ast(),
                    ast::Expr::Value(SqlParam::<$n>::into_value(rhs)),
                )
            }
        }
    };
}

macro_rules! value_ops {
    ($($n:ty),*) => {$(
        value_op!(Column, $n, $n, Add, add, Add);
        value_op!(Column, $n, $n, Sub, sub, Sub);
        value_op!(Column, $n, $n, Mul, mul, Mul);
        value_op!(Column, $n, $n, Div, div, Div);
        value_op!(Column, $n, $n, Rem, rem, Rem);
        value_op!(Column, Option<$n>, $n, Add, add, Add);
        value_op!(Column, Option<$n>, $n, Sub, sub, Sub);
        value_op!(Column, Option<$n>, $n, Mul, mul, Mul);
        value_op!(Column, Option<$n>, $n, Div, div, Div);
        value_op!(Column, Option<$n>, $n, Rem, rem, Rem);
        value_op!(Expr, $n, $n, Add, add, Add);
        value_op!(Expr, $n, $n, Sub, sub, Sub);
        value_op!(Expr, $n, $n, Mul, mul, Mul);
        value_op!(Expr, $n, $n, Div, div, Div);
        value_op!(Expr, $n, $n, Rem, rem, Rem);
        value_op!(Expr, Option<$n>, $n, Add, add, Add);
        value_op!(Expr, Option<$n>, $n, Sub, sub, Sub);
        value_op!(Expr, Option<$n>, $n, Mul, mul, Mul);
        value_op!(Expr, Option<$n>, $n, Div, div, Div);
        value_op!(Expr, Option<$n>, $n, Rem, rem, Rem);
    )*};
}

value_ops!(i16, i32, i64, u32, u64, f32, f64);

macro_rules! expr_op {
    ($Recv:ident, $Trait:ident, $method:ident, $op:ident) => {
        impl<Sc, T, R> $Trait<R> for $Recv<Sc, T>
        where
            T: Numeric + Compatible<R::Type>,
            R: Expression,
            T::Joined: Numeric,
        {
            type Output = Expr<(Sc, R::Scope), T::Joined>;
            fn $method(self, rhs: R) -> Self::Output {
                arith::<(Sc, R::Scope), T::Joined>(BinOp::$op, self.into_ast(), rhs.into_ast())
            }
        }
    };
}

macro_rules! expr_ops {
    ($($Recv:ident),*) => {$(
        expr_op!($Recv, Add, add, Add);
        expr_op!($Recv, Sub, sub, Sub);
        expr_op!($Recv, Mul, mul, Mul);
        expr_op!($Recv, Div, div, Div);
        expr_op!($Recv, Rem, rem, Rem);
    )*};
}

expr_ops!(Column, Expr);
