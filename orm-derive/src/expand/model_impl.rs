//! `impl Model`: table and column metadata, the key, and access to column values by index.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::field_ops;
use crate::ir::Model;

pub fn expand(m: &Model, p: &TokenStream) -> TokenStream {
    let ident = m.ident;
    let table = &m.table;
    let no_row = field_ops::no_row(p);
    let columns = m.fields.iter().map(|f| {
        let (name, field) = (&f.column, &f.name);
        let ops = field_ops::field(f.ty, &no_row);
        let (primary_key, auto_increment, unique, index) =
            (f.primary_key, f.auto_increment, f.unique, f.index);
        quote! {
            #p::ColumnDef {
                name: #name,
                field: #field,
                sql_type: #ops.sql_type,
                nullable: #ops.nullable,
                primary_key: #primary_key,
                auto_increment: #auto_increment,
                unique: #unique,
                index: #index,
            }
        }
    });
    let select_list = m.fields.iter().map(|f| {
        let name = &f.column;
        quote!(#p::Expr::column(#table, #name))
    });
    let n_columns = Literal::usize_unsuffixed(m.fields.len());
    let primary_key = m.primary_key.iter().map(|&i| Literal::usize_unsuffixed(i));
    let auto_increment = match m.auto_increment {
        Some(i) => {
            let i = Literal::usize_unsuffixed(i);
            quote!(#p::Option::Some(#i))
        }
        None => quote!(#p::Option::None),
    };

    let key_checks = m.key_fields().map(|f| field_ops::key_column_check(f.ty));
    let key_types = m.key_fields().map(|f| f.ty);
    let key_values = m.key_fields().map(|f| {
        let field = f.ident;
        quote!(::core::clone::Clone::clone(&self.#field))
    });
    let (key_type, key) = if m.primary_key.len() == 1 {
        (quote!(#(#key_types)*), quote!(#(#key_values)*))
    } else {
        (quote!((#(#key_types,)*)), quote!((#(#key_values,)*)))
    };

    let column_values = m.fields.iter().enumerate().map(|(i, f)| {
        let (i, field) = (Literal::usize_unsuffixed(i), f.ident);
        let ops = field_ops::field(f.ty, &no_row);
        quote!(#i => (#ops.value)(&self.#field),)
    });

    // Bound to fresh names: a field called `out` must not shadow the parameter.
    let inserted: Vec<_> = m
        .fields
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != m.auto_increment)
        .map(|(i, f)| (f, format_ident!("__orm_v{}", i)))
        .collect();
    let insert_bindings = inserted.iter().map(|(f, v)| {
        let field = f.ident;
        quote!(#field: #v)
    });
    let insert_pushes = inserted.iter().map(|(f, v)| {
        let ops = field_ops::field(f.ty, &no_row);
        quote!(out.push((#ops.into_value)(#v));)
    });

    let (set_generated_key, key_is_unset) = match m.auto_increment.map(|i| &m.fields[i]) {
        Some(f) => {
            let (field, ops) = (f.ident, field_ops::auto_increment(f.ty));
            (
                quote! {
                    self.#field = (#ops.from_generated)(id)?;
                    #p::StdResult::Ok(())
                },
                quote!((#ops.is_unset)(&self.#field)),
            )
        }
        None => (quote!(#p::StdResult::Ok(())), quote!(false)),
    };

    quote! {
        #(#key_checks)*

        #[automatically_derived]
        impl #p::Model for #ident {
            const TABLE: &'static ::core::primitive::str = #table;
            const COLUMNS: &'static [#p::ColumnDef] = &[#(#columns),*];
            const PRIMARY_KEY: &'static [::core::primitive::usize] = &[#(#primary_key),*];
            const AUTO_INCREMENT: #p::Option<::core::primitive::usize> = #auto_increment;
            // A static, so that every query shares one list at one address.
            const SELECT_LIST: #p::Option<&'static [#p::Expr]> = {
                static LIST: [#p::Expr; #n_columns] = [#(#select_list),*];
                #p::Option::Some(&LIST)
            };
            type Key = #key_type;

            fn column_value(&self, idx: ::core::primitive::usize) -> #p::Value {
                match idx {
                    #(#column_values)*
                    _ => #p::Value::Null,
                }
            }

            fn push_insert_values(self, out: &mut ::std::vec::Vec<#p::Value>) {
                let Self { #(#insert_bindings,)* .. } = self;
                #(#insert_pushes)*
            }

            fn key(&self) -> Self::Key {
                #key
            }

            fn set_generated_key(&mut self, id: ::core::primitive::i64) -> #p::Result<()> {
                #set_generated_key
            }

            fn key_is_unset(&self) -> ::core::primitive::bool {
                #key_is_unset
            }
        }
    }
}
