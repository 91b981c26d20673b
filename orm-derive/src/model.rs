//! `#[derive(Model)]`: parse (`attr`), validate (`ir`), expand (`expand`).
//!
//! On invalid input the output is every error as a `compile_error!` plus, when the struct has named
//! fields and no generics, the expansion of the best-effort model, so that code using the struct
//! (`User::EMAIL`, `User::query()`) compiles on and only the real mistakes are reported.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::expand;
use crate::ir::{Invalid, Model};

/// Expands `#[derive(Model)]` on `input`.
pub fn derive(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<DeriveInput>(input) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    match Model::from_ast(&input) {
        Ok(model) => expand::model(&model),
        Err(Invalid { errors, partial }) => {
            let errors = errors.into_compile_error();
            let stub = partial.as_deref().map(expand::model);
            quote!(#errors #stub)
        }
    }
}
