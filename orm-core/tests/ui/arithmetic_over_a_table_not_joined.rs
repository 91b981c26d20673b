#[path = "../common/fixtures.rs"]
mod fixtures;

use fixtures::{Post, User};
use orm_core::ModelExt;

fn main() {
    let _ = User::query().select(User::AGE - Post::LIKES);
}
