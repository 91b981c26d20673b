//! Phase 3: tokens from a [`Model`]. Nothing here can fail: every check happened in `ir`, or is
//! left to the compiler through trait bounds spanned on the field types.
//!
//! Everything is wrapped in `const _: () = { ... };` and names items only through
//! `<crate>::__private` (and `::core`), so the output works whatever the user imported. Split by
//! artifact: [`field_ops`] (the single trait-bound check of each field type), [`model_impl`]
//! (`impl Model`), [`row`] (`impl FromRow`, `impl FromRawRow`) and [`columns`] (typed column
//! constants and `find_by_*` finders).

mod columns;
mod field_ops;
mod model_impl;
mod row;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Model;

/// The whole expansion of a model.
pub fn model(m: &Model) -> TokenStream {
    let p = private(m);
    let field_ops = field_ops::items(m, &p);
    let model_impl = model_impl::expand(m, &p);
    let row = row::expand(m, &p);
    let columns = columns::expand(m, &p);
    quote! {
        #[doc(hidden)]
        const _: () = {
            #field_ops
            #model_impl
            #row
            #columns
        };
    }
}

/// `<crate>::__private`.
fn private(m: &Model) -> TokenStream {
    let krate = &m.krate;
    quote!(#krate::__private)
}
