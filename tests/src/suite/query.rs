//! The basic query builder: filters, ordering, paging and the terminal methods.

use orm::prelude::*;

use crate::TestDb;
use crate::models::User;

async fn seed(db: &Database) -> Result<Vec<User>> {
    db.create_table::<User>().await?;
    let mut users = vec![
        User {
            hair_color: Some("black".into()),
            ..User::new("Jane", 31)
        },
        User {
            hair_color: Some("black".into()),
            ..User::new("John", 25)
        },
        User {
            hair_color: Some("brown".into()),
            ..User::new("Zoë", 47)
        },
        User::new("Ann", 19),
        User {
            hair_color: Some("red".into()),
            ..User::new("Jim", 60)
        },
    ];
    User::insert_many(db, &mut users).await?;
    Ok(users)
}

fn names(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.name.as_str()).collect()
}

pub async fn filter_comparisons(t: &TestDb) -> Result<()> {
    let db = &t.db;
    seed(db).await?;
    let by = |c: Condition<User>| User::query().filter(c).order_by(User::NAME.asc());
    assert_eq!(names(&by(User::AGE.eq(25)).all(db).await?), ["John"]);
    assert_eq!(
        names(&by(User::AGE.ne(25)).all(db).await?),
        ["Ann", "Jane", "Jim", "Zoë"]
    );
    assert_eq!(names(&by(User::AGE.lt(31)).all(db).await?), ["Ann", "John"]);
    assert_eq!(
        names(&by(User::AGE.le(31)).all(db).await?),
        ["Ann", "Jane", "John"]
    );
    assert_eq!(names(&by(User::AGE.gt(47)).all(db).await?), ["Jim"]);
    assert_eq!(names(&by(User::AGE.ge(47)).all(db).await?), ["Jim", "Zoë"]);
    assert_eq!(names(&by(User::NAME.eq("Zoë")).all(db).await?), ["Zoë"]);
    // Trailing spaces are significant and case matters, on every backend.
    assert!(by(User::NAME.eq("Jane ")).all(db).await?.is_empty());
    assert!(by(User::NAME.eq("jane")).all(db).await?.is_empty());
    Ok(())
}

pub async fn filter_boolean_logic_and_nulls(t: &TestDb) -> Result<()> {
    let db = &t.db;
    seed(db).await?;
    let q = |c: Condition<User>| User::query().filter(c).order_by(User::NAME.asc());
    let black_j = User::HAIR_COLOR.eq("black").and(User::NAME.like("J%"));
    assert_eq!(names(&q(black_j).all(db).await?), ["Jane", "John"]);
    assert_eq!(
        names(&q(User::AGE.lt(20).or(User::AGE.gt(50))).all(db).await?),
        ["Ann", "Jim"]
    );
    assert_eq!(
        names(&q(!User::HAIR_COLOR.eq("black")).all(db).await?),
        ["Jim", "Zoë"],
        "NOT skips NULLs"
    );
    assert_eq!(
        names(&q(User::HAIR_COLOR.is_null()).all(db).await?),
        ["Ann"]
    );
    assert_eq!(
        User::query()
            .filter(User::HAIR_COLOR.is_not_null())
            .count(db)
            .await?,
        4
    );
    let none: Option<String> = None;
    assert_eq!(
        names(&q(User::HAIR_COLOR.eq(none)).all(db).await?),
        ["Ann"],
        "eq(None) means IS NULL"
    );
    // Like is case-sensitive on every backend.
    assert_eq!(
        User::query()
            .filter(User::NAME.like("j%"))
            .count(db)
            .await?,
        0
    );
    // Conditional filters for search forms.
    let wanted_hair: Option<&str> = None;
    let min_age = Some(30);
    let found = User::query()
        .filter_opt(wanted_hair.map(|h| User::HAIR_COLOR.eq(h)))
        .filter_opt(min_age.map(|a| User::AGE.ge(a)))
        .order_by(User::AGE.desc())
        .all(db)
        .await?;
    assert_eq!(names(&found), ["Jim", "Zoë", "Jane"]);
    Ok(())
}

pub async fn order_limit_offset(t: &TestDb) -> Result<()> {
    let db = &t.db;
    seed(db).await?;
    let page = User::query()
        .order_by(User::AGE.desc())
        .limit(2)
        .offset(1)
        .all(db)
        .await?;
    assert_eq!(names(&page), ["Zoë", "Jane"]);
    let tail = User::query()
        .order_by(User::AGE.asc())
        .offset(3)
        .all(db)
        .await?;
    assert_eq!(names(&tail), ["Zoë", "Jim"]);
    let multi = User::query()
        .order_by(User::HAIR_COLOR.asc().nulls_last())
        .order_by(User::NAME.desc())
        .all(db)
        .await?;
    assert_eq!(names(&multi), ["John", "Jane", "Zoë", "Jim", "Ann"]);
    let first_nulls = User::query()
        .order_by(User::HAIR_COLOR.desc().nulls_first())
        .limit(1)
        .all(db)
        .await?;
    assert_eq!(names(&first_nulls), ["Ann"]);
    Ok(())
}

pub async fn terminal_methods(t: &TestDb) -> Result<()> {
    let db = &t.db;
    seed(db).await?;
    assert_eq!(User::query().count(db).await?, 5);
    assert_eq!(User::query().filter(User::AGE.gt(30)).count(db).await?, 3);
    assert_eq!(
        User::query()
            .filter(User::AGE.gt(30))
            .limit(2)
            .count(db)
            .await?,
        2
    );
    assert_eq!(
        User::query()
            .filter(User::NAME.eq("Jim"))
            .one(db)
            .await?
            .age,
        60
    );
    assert!(
        User::query()
            .filter(User::NAME.eq("Nobody"))
            .one(db)
            .await
            .unwrap_err()
            .is_not_found()
    );
    let many = User::query()
        .filter(User::HAIR_COLOR.eq("black"))
        .one(db)
        .await
        .unwrap_err();
    assert!(matches!(many, Error::TooManyRows { .. }), "{many:?}");
    assert_eq!(
        User::query()
            .order_by(User::AGE.asc())
            .first(db)
            .await?
            .map(|u| u.name),
        Some("Ann".into())
    );
    assert_eq!(
        User::query().filter(User::AGE.gt(100)).first(db).await?,
        None
    );
    assert!(
        User::query()
            .filter(User::AGE.gt(100))
            .all(db)
            .await?
            .is_empty()
    );
    Ok(())
}
