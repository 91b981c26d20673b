use orm::prelude::*;

#[derive(Model)]
pub struct Ticket {
    #[orm(primary_key)]
    pub code: String,
    #[orm(auto_increment)]
    pub number: i64,
}

fn main() {}
