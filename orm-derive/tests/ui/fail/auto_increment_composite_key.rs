use orm::prelude::*;

#[derive(Model)]
pub struct Line {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    #[orm(primary_key)]
    pub order_id: i64,
}

fn main() {}
