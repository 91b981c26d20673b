//! The rows a bulk insert takes, borrowed or owned.
//!
//! Contract: borrowed rows (`&[M]`, `&Vec<M>`, `&[M; N]`) are only read, and their values are
//! copied into the statement; owned rows (`Vec<M>`, `[M; N]`) are consumed, and their text and bytes
//! move into the statement without a copy. Either way every column but the auto-increment one is
//! sent, in column order.

use crate::model::Model;
use crate::value::Value;

/// Rows for [`ModelExt::insert_all`](crate::ModelExt::insert_all) (see the module docs).
pub trait InsertRows<M: Model>: Send {
    /// The rows, one item each.
    type Rows: ExactSizeIterator + Send;

    /// The rows, in order.
    fn into_rows(self) -> Self::Rows;

    /// Pushes the values `row` inserts: every column but the auto-increment one, in column order.
    fn push_values(row: <Self::Rows as Iterator>::Item, out: &mut Vec<Value>);
}

/// The columns an INSERT of `M` sends, with their positions: every column but the auto-increment
/// one, in column order.
pub(crate) fn insert_columns<M: Model>() -> impl Iterator<Item = (usize, &'static str)> {
    M::COLUMNS
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != M::AUTO_INCREMENT)
        .map(|(i, c)| (i, c.name))
}

/// Pushes `row`'s insert values, copied through [`Model::column_value`].
pub(crate) fn push_copied<M: Model>(row: &M, out: &mut Vec<Value>) {
    out.extend(insert_columns::<M>().map(|(i, _)| row.column_value(i)));
}

/// Borrowed rows: read through [`Model::column_value`], values copied.
macro_rules! borrowed_rows {
    ($([$($param:tt)*] $rows:ty;)*) => {$(
        impl<'a, M: Model, $($param)*> InsertRows<M> for $rows {
            type Rows = std::slice::Iter<'a, M>;

            fn into_rows(self) -> Self::Rows {
                self.iter()
            }

            fn push_values(row: &'a M, out: &mut Vec<Value>) {
                push_copied(row, out);
            }
        }
    )*};
}

borrowed_rows! {
    [] &'a [M];
    [] &'a Vec<M>;
    [const N: usize] &'a [M; N];
}

/// Owned rows: consumed through [`Model::push_insert_values`], values moved.
macro_rules! owned_rows {
    ($([$($param:tt)*] $rows:ty => $iter:ty;)*) => {$(
        impl<M: Model, $($param)*> InsertRows<M> for $rows {
            type Rows = $iter;

            fn into_rows(self) -> Self::Rows {
                self.into_iter()
            }

            fn push_values(row: M, out: &mut Vec<Value>) {
                row.push_insert_values(out);
            }
        }
    )*};
}

owned_rows! {
    [] Vec<M> => std::vec::IntoIter<M>;
    [const N: usize] [M; N] => std::array::IntoIter<M, N>;
}
