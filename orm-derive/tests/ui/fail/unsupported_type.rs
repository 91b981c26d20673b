use orm::prelude::*;

#[derive(Model)]
pub struct Event {
    #[orm(primary_key)]
    pub id: i64,
    pub at: std::time::SystemTime,
    pub tags: Vec<String>,
    pub initial: Option<char>,
}

fn main() {}
