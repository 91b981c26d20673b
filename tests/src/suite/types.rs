//! Every supported type round-trips unchanged, including its edges.

use orm::prelude::*;

use crate::TestDb;
use crate::models::AllTypes;

async fn round_trip(db: &Database, mut row: AllTypes) -> Result<()> {
    row.insert(db).await?;
    let back = AllTypes::get(db, row.id).await?;
    assert_eq!(back, row);
    Ok(())
}

pub async fn type_edges_round_trip(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<AllTypes>().await?;
    round_trip(db, AllTypes::default()).await?;
    round_trip(
        db,
        AllTypes {
            flag: true,
            small: i16::MIN,
            int: i32::MIN,
            big: i64::MIN,
            unsigned32: u32::MAX,
            unsigned64: i64::MAX as u64,
            real: f32::MIN_POSITIVE,
            double: f64::MAX,
            text: "Zoë 🦀 ünïcødé, 'quotes' \"double\" \\backslash% _under".into(),
            bytes: (0..=255u8).collect(),
            opt_flag: Some(false),
            opt_small: Some(i16::MAX),
            opt_int: Some(i32::MAX),
            opt_big: Some(i64::MAX),
            opt_unsigned32: Some(0),
            opt_unsigned64: Some(u64::from(u32::MAX) + 1),
            opt_real: Some(-1.5),
            opt_double: Some(-0.1),
            opt_text: Some(String::new()),
            opt_bytes: Some(Vec::new()),
            ..AllTypes::default()
        },
    )
    .await?;
    round_trip(
        db,
        AllTypes {
            text: "🦀".repeat(10_000),
            bytes: vec![0; 100_000],
            double: f64::MIN,
            ..AllTypes::default()
        },
    )
    .await?;
    assert_eq!(AllTypes::query().count(db).await?, 3);
    Ok(())
}

pub async fn nulls_are_none_and_filterable(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<AllTypes>().await?;
    let mut a = AllTypes {
        opt_text: Some("x".into()),
        ..AllTypes::default()
    };
    a.insert(db).await?;
    AllTypes::default().insert(db).await?;
    assert_eq!(
        AllTypes::query()
            .filter(AllTypes::OPT_TEXT.is_null())
            .count(db)
            .await?,
        1
    );
    assert_eq!(
        AllTypes::query()
            .filter(AllTypes::OPT_TEXT.eq("x"))
            .one(db)
            .await?
            .id,
        a.id
    );
    a.opt_text = None;
    a.update(db).await?;
    assert_eq!(AllTypes::get(db, a.id).await?.opt_text, None);
    Ok(())
}

pub async fn u64_overflow_is_a_typed_error(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<AllTypes>().await?;
    let mut row = AllTypes {
        unsigned64: u64::MAX,
        ..AllTypes::default()
    };
    let err = row.insert(db).await.unwrap_err();
    assert!(matches!(err, Error::Encode { .. }), "{err:?}");
    assert_eq!(AllTypes::query().count(db).await?, 0, "nothing was written");
    // A filter value that does not fit is rejected the same way, before anything is sent.
    let err = AllTypes::query()
        .filter(AllTypes::UNSIGNED64.eq(u64::MAX))
        .count(db)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode { .. }), "{err:?}");
    Ok(())
}

pub async fn out_of_range_decode_is_a_typed_error(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<AllTypes>().await?;
    let mut row = AllTypes::default();
    row.insert(db).await?;
    raw("UPDATE all_types SET big = ? WHERE id = ?")
        .bind(-5i64)
        .bind(row.id)
        .execute(db)
        .await?;
    let as_u32: Result<Vec<(u32,)>> = raw("SELECT big FROM all_types").fetch_all(db).await;
    let err = as_u32.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { column, .. } if column == "big"),
        "{err:?}"
    );
    let as_u64: Result<Vec<(u64,)>> = raw("SELECT big FROM all_types").fetch_all(db).await;
    assert!(matches!(as_u64.unwrap_err(), Error::Decode { .. }));
    Ok(())
}
