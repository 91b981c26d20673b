#[path = "../common/fixtures.rs"]
mod fixtures;

use fixtures::User;
use orm_core::ModelExt;

fn main() {
    let _ = User::query().select(User::HAIR_COLOR.coalesce(User::AGE));
    let _ = User::query().select(User::HAIR_COLOR.coalesce(7));
}
