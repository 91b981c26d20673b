//! Type-level scopes: which tables a query provides, and which tables an expression mentions.
//!
//! Contract: every typed expression carries the set of tables it reads as a type (a model `User`, an
//! [`Alias`], a pair `(A, B)` for an expression over the tables of `A` and `B` such as `a + b`, `()` for
//! none; pairs nest). Wrappers say how the tables decide NULL: [`NonNull`] never NULL, [`Nullable`]
//! always possibly NULL, [`Coalesced`] NULL only when both sides are. Every query carries its
//! *scope*: the model it selects from, or a tuple such as `(User, Optional<Post>)` after joins
//! ([`Optional`] marks a left-joined table whose columns may be NULL). [`SubScope`] holds when every
//! table an expression reads is in the scope; otherwise the program does not compile. That is what
//! rejects a `Post` column in a query over `User` alone.
//!
//! The `I` parameters (`Here`, `P0`, ...) are positions the compiler infers; user code never names them.
//! A scope listing the same table twice is ambiguous: join a second copy under an [`Alias`]. Without
//! one, the first use of that table's columns fails to compile with E0283 ("type annotations needed
//! ... multiple impls satisfying `(M, M): Contains<M, _>`"): that is an ambiguity, not a missing impl,
//! and stable Rust cannot tell two types apart in a bound, so no diagnostic attribute can reword it.

use std::marker::PhantomData;

use crate::ast::TableRef;
use crate::column::Column;
use crate::model::Model;
use crate::row::FromRow;

/// A table that can be selected from or joined: a model, or a model under an [`Alias`].
pub trait Source: 'static {
    /// The model whose rows this table holds.
    type Model: Model;
}

impl<M: Model> Source for M {
    type Model = M;
}

/// A model under an alias, for self-joins: `let boss = Employee::alias("boss")`. Its column handles
/// come from [`Alias::col`]. Use a different `N` for each alias of the same model in one query.
pub struct Alias<M, const N: u8 = 0> {
    name: &'static str,
    _m: PhantomData<fn() -> M>,
}

impl<M, const N: u8> Clone for Alias<M, N> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, const N: u8> Copy for Alias<M, N> {}

impl<M, const N: u8> std::fmt::Debug for Alias<M, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Alias({})", self.name)
    }
}

impl<M: Model, const N: u8> Source for Alias<M, N> {
    type Model = M;
}

impl<M: Model, const N: u8> Alias<M, N> {
    /// `M`'s table under the alias `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            _m: PhantomData,
        }
    }
    /// The alias.
    pub const fn name(&self) -> &'static str {
        self.name
    }
    /// `column` of this aliased table.
    pub const fn col<T>(&self, column: Column<M, T>) -> Column<Self, T> {
        Column::new(self.name, column.name())
    }
    /// The table reference: `M`'s table `AS` the alias.
    pub const fn table_ref(&self) -> TableRef {
        TableRef {
            name: M::TABLE,
            alias: Some(self.name),
        }
    }
}

/// Marks a left-joined table in a query's scope: its columns read as `Option` in selections.
#[derive(Debug)]
pub struct Optional<X>(PhantomData<fn() -> X>);

/// The scope of a correlated subquery: the tables of `S`, plus the outer query's table `O`, which the
/// subquery may read but does not select from.
#[derive(Debug)]
pub struct Correlated<S, O>(PhantomData<fn() -> (S, O)>);

/// The scope of an expression that is never NULL whatever its tables (aggregates like `COUNT`,
/// `COALESCE` with a value).
#[derive(Debug)]
pub struct NonNull<S>(PhantomData<fn() -> S>);

/// The scope of an expression that may be NULL whatever its tables (a nullable column inside a
/// `COALESCE`): it reads the tables of `S`.
#[derive(Debug)]
pub struct Nullable<S>(PhantomData<fn() -> S>);

/// The scope of `COALESCE(a, b)`: the tables of `A` and `B`, NULL only when both sides are.
#[derive(Debug)]
pub struct Coalesced<A, B>(PhantomData<fn() -> (A, B)>);

/// Whether values read through a scope may be NULL.
pub trait Nullability {
    /// `T` read through this scope: `T`, or `Option<T>`.
    type Apply<T: OrNull>: FromRow;
    /// The nullability of an expression reading tables of both `Self` and `N`.
    type Or<N: Nullability>: Nullability;
    /// The nullability of an expression that is NULL only when both `Self` and `N` are.
    type And<N: Nullability>: Nullability;
    /// The scope of an expression over `S` whose own value type has this nullability: `S`, or
    /// [`Nullable<S>`].
    type Over<S>;
}

/// Values cannot be NULL.
#[derive(Debug)]
pub enum NotNull {}
/// Values may be NULL (a left-joined table).
#[derive(Debug)]
pub enum MaybeNull {}

impl Nullability for NotNull {
    type Apply<T: OrNull> = T;
    type Or<N: Nullability> = N;
    type And<N: Nullability> = NotNull;
    type Over<S> = S;
}

impl Nullability for MaybeNull {
    type Apply<T: OrNull> = T::Nullable;
    type Or<N: Nullability> = MaybeNull;
    type And<N: Nullability> = N;
    type Over<S> = Nullable<S>;
}

/// A row value type and its nullable form: `i64` -> `Option<i64>`, `Option<i64>` -> itself,
/// a model `M` -> `Option<M>`.
pub trait OrNull: FromRow {
    /// The nullable form.
    type Nullable: FromRow;
}

impl<M: Model> OrNull for M {
    type Nullable = Option<M>;
}

/// Position markers inferred by the compiler (see the module docs).
pub mod pos {
    /// The query's only table.
    #[derive(Debug)]
    pub enum Here {}
    /// First table of a join.
    #[derive(Debug)]
    pub enum P0 {}
    /// Second table of a join.
    #[derive(Debug)]
    pub enum P1 {}
    /// Third table of a join.
    #[derive(Debug)]
    pub enum P2 {}
    /// Fourth table of a join.
    #[derive(Debug)]
    pub enum P3 {}
    /// Fifth table of a join.
    #[derive(Debug)]
    pub enum P4 {}
    /// A table of a correlated subquery's own scope.
    #[derive(Debug)]
    pub struct Inner<I>(I);
    /// The outer table of a correlated subquery.
    #[derive(Debug)]
    pub enum Outer {}
}

use pos::{Here, Inner, Outer, P0, P1, P2, P3, P4};

/// A query scope that provides table `X` (at position `I`).
#[diagnostic::on_unimplemented(
    message = "the table `{X}` is not part of this query",
    label = "`{X}` is not in scope here",
    note = "the query's tables are `{Self}`; join `{X}` first (`inner_join`/`left_join`), or \
            `correlate::<{X}>()` a subquery that reads an outer table"
)]
pub trait Contains<X, I> {
    /// Whether `X`'s columns may be NULL in this scope.
    type Null: Nullability;
}

impl<X: Source> Contains<X, Here> for X {
    type Null = NotNull;
}

macro_rules! contains_at {
    ($pos:ident; $($before:ident),*; $($after:ident),*) => {
        impl<X, $($before,)* $($after,)*> Contains<X, $pos> for ($($before,)* X, $($after,)*) {
            type Null = NotNull;
        }
        impl<X, $($before,)* $($after,)*> Contains<X, $pos> for ($($before,)* Optional<X>, $($after,)*) {
            type Null = MaybeNull;
        }
    };
}

contains_at!(P0; ; B);
contains_at!(P1; A; );
contains_at!(P0; ; B, C);
contains_at!(P1; A; C);
contains_at!(P2; A, B; );
contains_at!(P0; ; B, C, D);
contains_at!(P1; A; C, D);
contains_at!(P2; A, B; D);
contains_at!(P3; A, B, C; );
contains_at!(P0; ; B, C, D, E);
contains_at!(P1; A; C, D, E);
contains_at!(P2; A, B; D, E);
contains_at!(P3; A, B, C; E);
contains_at!(P4; A, B, C, D; );

impl<S, O, X, I> Contains<X, Inner<I>> for Correlated<S, O>
where
    S: Contains<X, I>,
{
    type Null = S::Null;
}

impl<S, O> Contains<O, Outer> for Correlated<S, O> {
    type Null = NotNull;
}

/// Every table read by an expression of scope `Self` is provided by the query scope `S`.
#[diagnostic::on_unimplemented(
    message = "an expression over `{Self}` cannot be used in a query over `{S}`",
    label = "reads a table that is not in this query",
    note = "every table an expression reads must be in the query: join it first \
            (`inner_join`/`left_join`), or `correlate::<T>()` a subquery that reads an outer table"
)]
pub trait SubScope<S, I> {
    /// Whether the expression may be NULL because it reads a left-joined table.
    type Null: Nullability;
}

impl<S, X: Source, I> SubScope<S, I> for X
where
    S: Contains<X, I>,
{
    type Null = <S as Contains<X, I>>::Null;
}

impl<S, X, I> SubScope<S, I> for Optional<X>
where
    S: Contains<X, I>,
{
    type Null = MaybeNull;
}

impl<S, X, I> SubScope<S, I> for NonNull<X>
where
    X: SubScope<S, I>,
{
    type Null = NotNull;
}

impl<S, X, I> SubScope<S, I> for Nullable<X>
where
    X: SubScope<S, I>,
{
    type Null = MaybeNull;
}

impl<S, A, B, IA, IB> SubScope<S, (IA, IB)> for Coalesced<A, B>
where
    A: SubScope<S, IA>,
    B: SubScope<S, IB>,
{
    type Null = <A::Null as Nullability>::And<B::Null>;
}

impl<S> SubScope<S, ()> for () {
    type Null = NotNull;
}

impl<S, Q, O, IQ, IO> SubScope<S, (IQ, IO, Outer)> for Correlated<Q, O>
where
    Q: SubScope<S, IQ>,
    O: SubScope<S, IO>,
{
    type Null = NotNull;
}

macro_rules! sub_scope_tuple {
    ($first:ident $fi:ident $(, $t:ident $i:ident)+) => {
        impl<Sc, $first, $fi, $($t, $i),+> SubScope<Sc, ($fi, $($i),+)> for ($first, $($t),+)
        where
            $first: SubScope<Sc, $fi>,
            $($t: SubScope<Sc, $i>),+
        {
            type Null = sub_scope_tuple!(@or $first $fi $(, $t $i)+);
        }
    };
    (@or $a:ident $ai:ident) => { <$a as SubScope<Sc, $ai>>::Null };
    (@or $a:ident $ai:ident $(, $t:ident $i:ident)+) => {
        <<$a as SubScope<Sc, $ai>>::Null as Nullability>::Or<sub_scope_tuple!(@or $($t $i),+)>
    };
}

sub_scope_tuple!(A IA, B IB);
sub_scope_tuple!(A IA, B IB, C IC);
sub_scope_tuple!(A IA, B IB, C IC, D ID);
sub_scope_tuple!(A IA, B IB, C IC, D ID, E IE);

/// Adds a joined table `J` to a query scope.
#[diagnostic::on_unimplemented(
    message = "cannot join another table to a query over `{Self}`",
    note = "a query joins at most five tables"
)]
pub trait Join<J> {
    /// The scope after the join.
    type Out;
}

impl<M: Source, J> Join<J> for M {
    type Out = (M, J);
}
impl<A, B, J> Join<J> for (A, B) {
    type Out = (A, B, J);
}
impl<A, B, C, J> Join<J> for (A, B, C) {
    type Out = (A, B, C, J);
}
impl<A, B, C, D, J> Join<J> for (A, B, C, D) {
    type Out = (A, B, C, D, J);
}
impl<S: Join<J>, O, J> Join<J> for Correlated<S, O> {
    type Out = Correlated<S::Out, O>;
}

/// The outer tables a subquery reads: `()` for a plain query, `O` for one made with `correlate::<O>()`.
pub trait SubqueryScope {
    /// The outer tables, as an expression scope.
    type Outer;
}

impl<M: Source> SubqueryScope for M {
    type Outer = ();
}
impl<S: SubqueryScope, O> SubqueryScope for Correlated<S, O> {
    type Outer = (S::Outer, O);
}
macro_rules! subquery_scope_tuple {
    ($($t:ident),+) => {
        impl<$($t),+> SubqueryScope for ($($t,)+) {
            type Outer = ();
        }
    };
}
subquery_scope_tuple!(A, B);
subquery_scope_tuple!(A, B, C);
subquery_scope_tuple!(A, B, C, D);
subquery_scope_tuple!(A, B, C, D, E);
