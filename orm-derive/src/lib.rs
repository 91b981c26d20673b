//! `#[derive(Model)]` for the `orm` crate. Use it through `orm::prelude::*`.
//!
//! The macro runs in three phases: `attr` parses the `#[orm(...)]` attributes, `ir` builds and
//! validates the model (collecting every error), `expand` generates code from a valid model and
//! cannot fail.

mod attr;
mod errors;
mod expand;
mod ir;
mod model;
mod symbol;

#[cfg(test)]
mod tests;

/// Maps a struct with named fields to a table.
///
/// ```
/// use orm::prelude::*;
///
/// #[derive(Model, Debug, Clone, PartialEq)]
/// #[orm(table = "users")]
/// pub struct User {
///     #[orm(primary_key, auto_increment)]
///     pub id: i64,
///     pub name: String,
///     #[orm(unique)]
///     pub email: String,
///     #[orm(column = "hair")]
///     pub hair_color: Option<String>,
///     #[orm(index)]
///     pub age: i32,
/// }
/// ```
///
/// # Struct attributes
///
/// - `#[orm(table = "name")]`: the table name. Without it, the struct name in snake_case, not
///   pluralized (`UserProfile` maps to `user_profile`).
/// - `#[orm(crate = "path")]`: the path of the `orm` crate in the generated code (default `::orm`),
///   for code that renames or re-exports it.
///
/// # Field attributes
///
/// - `primary_key`: the field is (part of) the primary key. At least one field must have it;
///   several make a composite key, whose `Key` type is the tuple of their types in field order.
/// - `auto_increment`: the database generates the value on insert and it is written back. Only on
///   a single-column integer primary key (`i16`, `i32`, `i64`, `u32`, `u64`).
/// - `column = "name"`: the column name (default: the field name).
/// - `unique`: a UNIQUE constraint; also generates a `find_by_<field>` finder.
/// - `index`: a secondary index.
///
/// Field types are `bool`, `i16`, `i32`, `i64`, `u32`, `u64`, `f32`, `f64`, `String`, `Vec<u8>`,
/// and `Option` of those for nullable columns (any type implementing `orm::FieldType`).
///
/// # Generated items
///
/// - `impl Model`, `impl FromRow` (columns by position) and `impl FromRawRow` (columns by name).
/// - A typed column constant per field, named in SCREAMING_SNAKE_CASE: `User::HAIR_COLOR` is a
///   `Column<User, Option<String>>`, used in filters and sort keys (`User::HAIR_COLOR.eq("black")`).
/// - For every `unique` field, `User::find_by_email(&db, "a@b.c")`, resolving to
///   `Result<Option<User>>`.
///
/// `unique` or `index` on a single-column primary key, and `index` next to `unique`, are rejected
/// as redundant.
#[proc_macro_derive(Model, attributes(orm))]
pub fn derive_model(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    model::derive(input.into()).into()
}
