use orm::prelude::*;

#[derive(Model)]
pub struct Log {
    pub id: i64,
    pub line: String,
}

fn main() {}
