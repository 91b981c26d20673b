use orm::prelude::*;

#[derive(Model)]
pub struct Counter {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    #[orm(auto_increment)]
    pub seq: i64,
}

fn main() {}
