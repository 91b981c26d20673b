#[path = "../common/fixtures.rs"]
mod fixtures;

use fixtures::User;
use orm_core::ModelExt;

fn main() {
    let _ = User::query().filter(User::AGE.contains("3"));
}
