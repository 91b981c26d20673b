use proc_macro::TokenStream;
#[proc_macro_derive(Model, attributes(orm))]
pub fn derive_model(_i: TokenStream) -> TokenStream { TokenStream::new() }
