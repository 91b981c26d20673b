use orm::prelude::*;

#[derive(Model)]
pub struct Tag {
    #[orm(primary_key, auto_increment)]
    pub name: String,
}

fn main() {}
