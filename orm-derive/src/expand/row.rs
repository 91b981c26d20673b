//! `impl FromRow` (columns by position: field `i` at `start + i`) and `impl FromRawRow` (columns by
//! name, for hand-written queries that select them in any order).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::field_ops;
use crate::ir::Model;

pub fn expand(m: &Model, p: &TokenStream) -> TokenStream {
    let ident = m.ident;
    let width = Literal::usize_unsuffixed(m.fields.len());
    let row = quote!(__OrmRow);
    let by_position = m.fields.iter().enumerate().map(|(i, f)| {
        let (field, ops, i) = (
            f.ident,
            field_ops::field(f.ty, &row),
            Literal::usize_unsuffixed(i),
        );
        quote!(#field: (#ops.decode)(row, start + #i)?,)
    });
    let by_name = m.fields.iter().map(|f| {
        let (field, ops, column) = (f.ident, field_ops::field(f.ty, &row), &f.column);
        quote!(#field: (#ops.decode_named)(row, #column, <Self as #p::Model>::TABLE)?,)
    });
    quote! {
        #[automatically_derived]
        impl #p::FromRow for #ident {
            const WIDTH: ::core::primitive::usize = #width;

            fn from_row_at<__OrmRow: #p::RawRow + ?::core::marker::Sized>(
                row: &__OrmRow,
                start: ::core::primitive::usize,
            ) -> #p::Result<Self> {
                #p::StdResult::Ok(Self { #(#by_position)* })
            }
        }

        #[automatically_derived]
        impl #p::FromRawRow for #ident {
            fn from_raw_row<__OrmRow: #p::RawRow + ?::core::marker::Sized>(row: &__OrmRow) -> #p::Result<Self> {
                #p::StdResult::Ok(Self { #(#by_name)* })
            }
        }
    }
}
