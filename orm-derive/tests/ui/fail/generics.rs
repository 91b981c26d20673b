use orm::prelude::*;

#[derive(Model)]
pub struct Wrapper<T> {
    #[orm(primary_key)]
    pub id: i64,
    pub value: T,
}

#[derive(Model)]
pub struct Borrowed<'a> {
    #[orm(primary_key)]
    pub name: &'a str,
}

fn main() {}
