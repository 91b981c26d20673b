//! Choosing what a query returns: columns and expressions into tuples or a [`FromRow`] struct,
//! `group_by` and `having`.
//!
//! Contract: `select` replaces the select list and the row type. A column of a left-joined table reads
//! as `Option<T>`; aggregates over it (`count`) do not. `decode_as::<D>()` keeps the select list and
//! decodes each row into `D` by position; the widths must agree (checked at compile time).

use crate::ast::Expr;
use crate::expr::{Expression, IntoCondition};
use crate::model::Model;
use crate::query::{Query, model_columns};
use crate::row::FromRow;
use crate::scope::{Alias, Nullability, OrNull, Source, SubScope};

/// What [`Query::select`] accepts in a query over scope `S`: a column, an expression, every column of
/// a table ([`AllColumns`]), or a tuple of up to 16 of those.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected in a query over `{S}`",
    label = "expected a column, an expression, `Model::all_columns()`, or a tuple of those over the \
             query's tables",
    note = "a tuple of more than 16 elements must be split into nested tuples"
)]
pub trait Selectable<S, I> {
    /// The Rust type each row decodes into.
    type Row: FromRow;
    /// Appends the selected expressions.
    fn push_exprs(self, out: &mut Vec<Expr>);
}

impl<S, I, E> Selectable<S, I> for E
where
    E: Expression,
    E::Type: OrNull,
    E::Scope: SubScope<S, I>,
{
    type Row = <<E::Scope as SubScope<S, I>>::Null as Nullability>::Apply<E::Type>;
    fn push_exprs(self, out: &mut Vec<Expr>) {
        out.push(self.into_ast());
    }
}

/// Every column of a table, decoding as its model: `User::all_columns()`, `boss.all_columns()`.
pub struct AllColumns<X> {
    table: &'static str,
    _x: std::marker::PhantomData<fn() -> X>,
}

impl<X> Clone for AllColumns<X> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<X> Copy for AllColumns<X> {}

impl<X> std::fmt::Debug for AllColumns<X> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.*", self.table)
    }
}

impl<M: Model> AllColumns<M> {
    /// Every column of `M`'s table.
    pub const fn of_model() -> Self {
        Self {
            table: M::TABLE,
            _x: std::marker::PhantomData,
        }
    }
}

impl<M: Model, const N: u8> Alias<M, N> {
    /// Every column of the aliased table.
    pub const fn all_columns(&self) -> AllColumns<Self> {
        AllColumns {
            table: self.name(),
            _x: std::marker::PhantomData,
        }
    }
}

impl<S, I, X> Selectable<S, I> for AllColumns<X>
where
    X: Source + SubScope<S, I>,
{
    type Row = <<X as SubScope<S, I>>::Null as Nullability>::Apply<X::Model>;
    fn push_exprs(self, out: &mut Vec<Expr>) {
        out.extend(model_columns::<X::Model>(self.table));
    }
}

macro_rules! selectable_tuple {
    ($($t:ident $i:ident),+) => {
        impl<S, $($t, $i),+> Selectable<S, ($($i,)+)> for ($($t,)+)
        where
            $($t: Selectable<S, $i>),+
        {
            type Row = ($($t::Row,)+);
            #[allow(non_snake_case)]
            fn push_exprs(self, out: &mut Vec<Expr>) {
                let ($($t,)+) = self;
                $($t.push_exprs(out);)+
            }
        }
    };
}

selectable_tuple!(A IA);
selectable_tuple!(A IA, B IB);
selectable_tuple!(A IA, B IB, C IC);
selectable_tuple!(A IA, B IB, C IC, D ID);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE, F IF);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE, F IF, G IG);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, I II);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, I II, J IJ);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, I II, J IJ, K IK);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, I II, J IJ, K IK, L IL);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, I II, J IJ, K IK, L IL, M IM);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, I II, J IJ, K IK, L IL, M IM, N IN);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, I II, J IJ, K IK, L IL, M IM, N IN, O IO);
selectable_tuple!(A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, I II, J IJ, K IK, L IL, M IM, N IN, O IO, P IP);

impl<S, R> Query<S, R> {
    /// Selects columns or expressions instead of whole rows:
    /// `User::query().select((User::ID, User::NAME))` reads `(i64, String)`,
    /// `.select(User::AGE.avg())` reads `Option<f64>`.
    pub fn select<Sel: Selectable<S, I>, I>(mut self, selection: Sel) -> Query<S, Sel::Row> {
        let mut columns = Vec::new();
        selection.push_exprs(&mut columns);
        self.select.columns = columns.into();
        self.retype()
    }

    /// Decodes each row into `D` (a [`FromRow`] struct) instead of `R`, by position. `D` must read as
    /// many columns as are selected.
    pub fn decode_as<D: FromRow>(self) -> Query<S, D>
    where
        R: FromRow,
    {
        const {
            assert!(
                R::WIDTH == D::WIDTH,
                "decode_as: the row type reads a different number of columns than the query selects"
            );
        }
        self.retype()
    }

    /// `GROUP BY` these columns or expressions (one, or a tuple).
    pub fn group_by<G: Selectable<S, I>, I>(mut self, keys: G) -> Self {
        keys.push_exprs(&mut self.select.group_by);
        self
    }

    /// A `HAVING` condition (ANDed with earlier ones), usually on aggregates:
    /// `.having(Post::ID.count().gt(5))`.
    pub fn having<K>(mut self, condition: impl IntoCondition<S, K>) -> Self {
        self.select.and_having(condition.into_condition());
        self
    }
}
