//! A composite primary key: `Key` is the tuple of the key fields' types, in field order.

use orm::prelude::*;

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Membership {
    #[orm(primary_key)]
    pub group_id: i32,
    pub role: String,
    #[orm(primary_key)]
    pub user_id: i64,
    #[orm(unique)]
    pub badge: Option<String>,
}

fn key_type(_: &<Membership as Model>::Key) {}

#[allow(dead_code)]
async fn lookups(db: &impl Executor) -> orm::Result<()> {
    let _: Membership = Membership::get(db, (1, 2_i64)).await?;
    let _: Option<Membership> = Membership::find_by_badge(db, "gold").await?;
    let _: Option<Membership> = Membership::find_by_badge(db, None::<String>).await?;
    Ok(())
}

fn main() {
    let m = Membership { group_id: 7, role: "admin".into(), user_id: 9, badge: None };
    let key: (i32, i64) = m.key();
    key_type(&key);
    assert_eq!(key, (7, 9));
    assert_eq!(<Membership as Model>::TABLE, "membership");
    assert_eq!(<Membership as Model>::PRIMARY_KEY, &[0, 2]);
    assert_eq!(<Membership as Model>::AUTO_INCREMENT, None);
    assert!(!m.key_is_unset());
}
