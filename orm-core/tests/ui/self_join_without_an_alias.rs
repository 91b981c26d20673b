#[path = "../common/fixtures.rs"]
mod fixtures;

use fixtures::Employee;
use orm_core::ModelExt;

fn main() {
    let _ = Employee::query().inner_join::<Employee>(Employee::BOSS_ID.eq(Employee::ID));
}
