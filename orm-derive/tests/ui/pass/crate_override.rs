//! `#[orm(crate = "...")]` for code that reaches the crate under another name; no `use` of the
//! prelude is needed, since generated code names nothing from the caller's scope.

extern crate orm as renamed_orm;

mod models {
    #[derive(renamed_orm::Model)]
    #[orm(crate = "::renamed_orm", table = "notes")]
    pub(crate) struct Note {
        #[orm(primary_key, auto_increment)]
        pub id: i32,
        #[orm(unique)]
        pub slug: String,
    }
}

fn main() {
    use renamed_orm::Model;
    assert_eq!(<models::Note as Model>::TABLE, "notes");
    assert_eq!(models::Note::SLUG.name(), "slug");
}
