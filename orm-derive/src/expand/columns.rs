//! The inherent items: one typed column constant per field (`User::HAIR_COLOR:
//! Column<User, Option<String>>`) and a `find_by_<field>` finder per `unique` field. They take the
//! struct's visibility.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::Model;

pub fn expand(m: &Model, p: &TokenStream) -> TokenStream {
    let (ident, vis) = (m.ident, m.vis);
    let constants = m.fields.iter().filter_map(|f| {
        let constant = f.constant.as_ref()?;
        let (ty, column) = (f.ty, &f.column);
        let doc = format!(
            " Column `{}` of table `{}` (field `{}`).",
            f.column, m.table, f.name
        );
        Some(quote! {
            #[doc = #doc]
            #vis const #constant: #p::Column<#ident, #ty> =
                #p::Column::new(<#ident as #p::Model>::TABLE, #column);
        })
    });
    let finders = m.fields.iter().filter(|f| f.unique).filter_map(|f| {
        let constant = f.constant.as_ref()?;
        let ty = f.ty;
        let finder = format_ident!("find_by_{}", f.name, span = f.ident.span());
        let doc = format!(" The `{ident}` whose `{}` equals `value`, if any (`{}` is unique).", f.name, f.column);
        Some(quote! {
            #[doc = #doc]
            #vis fn #finder<'__orm, __OrmExecutor: #p::Executor>(
                db: &'__orm __OrmExecutor,
                value: impl #p::SqlParam<#ty>,
            ) -> impl ::core::future::Future<Output = #p::Result<#p::Option<Self>>> + ::core::marker::Send + '__orm {
                let filter = #p::Column::eq(Self::#constant, value);
                #p::Query::first(#p::Query::filter(<Self as #p::ModelExt>::query(), filter), db)
            }
        })
    });
    quote! {
        #[allow(dead_code)]
        impl #ident {
            #(#constants)*
            #(#finders)*
        }
    }
}
