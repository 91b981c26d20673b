//! The one place where field types meet trait bounds.
//!
//! Every use of a field's type (its SQL type and nullability, converting it to a value, decoding it
//! by position or by name) goes through `__orm_field::<T, R>()`, whose single bound `T: FieldType`
//! hands back plain function pointers. The type is emitted with the field's own tokens, so an
//! unsupported type yields the same diagnostic (the `#[diagnostic::on_unimplemented]` message of
//! `FieldType`, on the field's type) at every use, and the compiler reports it once. The
//! auto-increment field goes through `__orm_auto_increment::<T>()` the same way.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Type;

use crate::ir::Model;

/// The witness types and functions, emitted once per model inside its `const _` block.
pub fn items(m: &Model, p: &TokenStream) -> TokenStream {
    let auto_increment = m.auto_increment.is_some().then(|| {
        quote! {
            struct __OrmAutoIncrement<T> {
                is_unset: fn(&T) -> ::core::primitive::bool,
                from_generated: fn(::core::primitive::i64) -> #p::Result<T>,
            }

            const fn __orm_auto_increment<T: #p::AutoIncrement + ::core::cmp::PartialEq>() -> __OrmAutoIncrement<T> {
                fn is_unset<T: #p::AutoIncrement + ::core::cmp::PartialEq>(value: &T) -> ::core::primitive::bool {
                    *value == <T as #p::AutoIncrement>::UNSET
                }
                __OrmAutoIncrement {
                    is_unset: is_unset::<T>,
                    from_generated: <T as #p::AutoIncrement>::from_generated,
                }
            }
        }
    });
    quote! {
        struct __OrmField<T, R: ?::core::marker::Sized> {
            sql_type: #p::SqlType,
            nullable: ::core::primitive::bool,
            value: fn(&T) -> #p::Value,
            into_value: fn(T) -> #p::Value,
            decode: fn(&R, ::core::primitive::usize) -> #p::Result<T>,
            decode_named: fn(&R, &'static ::core::primitive::str, &'static ::core::primitive::str) -> #p::Result<T>,
        }

        const fn __orm_field<T: #p::FieldType, R: #p::RawRow + ?::core::marker::Sized>() -> __OrmField<T, R> {
            __OrmField {
                sql_type: <T as #p::FieldType>::SQL_TYPE,
                nullable: <T as #p::FieldType>::NULLABLE,
                value: <T as #p::ToValue>::to_value,
                into_value: <T as #p::ToValue>::into_value,
                decode: <T as #p::Decode>::decode::<R>,
                decode_named: #p::decode_named::<T, R>,
            }
        }

        const fn __orm_key_column<T: #p::KeyColumn>() {}

        #auto_increment
    }
}

/// `__orm_field::<ty, row>()`: the operations on a field of type `ty`, decoding from rows of type
/// `row` (`dyn RawRow` where nothing is decoded).
pub fn field(ty: &Type, row: &TokenStream) -> TokenStream {
    quote!(__orm_field::<#ty, #row>())
}

/// `dyn RawRow`, the row type of witnesses that decode nothing (`RawRow` is dyn-compatible: its
/// methods are not generic).
pub fn no_row(p: &TokenStream) -> TokenStream {
    quote!(dyn #p::RawRow)
}

/// `const _: () = __orm_key_column::<ty>();`: a primary-key field must not be an `Option`.
pub fn key_column_check(ty: &Type) -> TokenStream {
    quote!(const _: () = __orm_key_column::<#ty>();)
}

/// `__orm_auto_increment::<ty>()`.
pub fn auto_increment(ty: &Type) -> TokenStream {
    quote!(__orm_auto_increment::<#ty>())
}
