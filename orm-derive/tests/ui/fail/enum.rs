use orm::prelude::*;

#[derive(Model)]
pub enum Status {
    Active,
    Banned,
}

fn main() {}
