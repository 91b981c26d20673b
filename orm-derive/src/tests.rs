//! Expansion snapshots (pretty-printed with prettyplease, compared with insta; review changes with
//! `INSTA_UPDATE=always` and `git diff`).

use proc_macro2::TokenStream;
use quote::quote;

fn expand(input: TokenStream) -> String {
    let output = crate::model::derive(input);
    let file: syn::File = syn::parse2(output).expect("the expansion is a sequence of items");
    prettyplease::unparse(&file)
}

#[test]
fn user_model() {
    insta::assert_snapshot!(expand(quote! {
        #[orm(table = "users")]
        pub struct User {
            #[orm(primary_key, auto_increment)]
            pub id: i64,
            pub name: String,
            #[orm(unique)]
            pub email: String,
            #[orm(column = "hair")]
            pub hair_color: Option<String>,
            #[orm(index)]
            pub age: i32,
        }
    }));
}

#[test]
fn composite_key_with_crate_override() {
    insta::assert_snapshot!(expand(quote! {
        #[orm(crate = "crate::db")]
        pub(crate) struct Membership {
            #[orm(primary_key)]
            group_id: i32,
            #[orm(primary_key)]
            user_id: i64,
        }
    }));
}

#[test]
fn invalid_model_reports_every_error_and_still_expands() {
    insta::assert_snapshot!(expand(quote! {
        struct Broken {
            #[orm(primay_key)]
            id: i64,
            #[orm(unique = true, colum = "x")]
            name: String,
        }
    }));
}
