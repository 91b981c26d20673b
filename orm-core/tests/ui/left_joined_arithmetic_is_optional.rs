#[path = "../common/fixtures.rs"]
mod fixtures;

use fixtures::{Post, User};
use orm_core::{ModelExt, Query};

fn main() {
    let _: Query<_, i32> = User::query()
        .left_join::<Post>(Post::USER_ID.eq(User::ID))
        .select(Post::LIKES - User::AGE);
}
