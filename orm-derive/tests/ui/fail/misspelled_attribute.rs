use orm::prelude::*;

#[derive(Model)]
#[orm(tabel = "users")]
pub struct User {
    #[orm(primay_key, autoincrement)]
    pub id: i64,
    #[orm(rename = "full_name")]
    pub name: String,
    #[orm(uniqe)]
    pub email: String,
}

fn main() {}
