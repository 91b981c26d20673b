use orm::prelude::*;

#[derive(Model)]
pub union Bits {
    int: i64,
    float: f64,
}

fn main() {}
