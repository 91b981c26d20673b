//! `in_list` / `not_in` with lists of every length (0 to 100,000 values) on integer, text, binary,
//! float, boolean and nullable columns: checked against the rows computed in Rust from the seed, and
//! short lists also against the same query written by hand. Long lists are one bound parameter
//! (`= ANY`, `rarray`, `JSON_TABLE`), so no length reaches the servers' bind limits.

use std::collections::HashSet;

use orm::prelude::*;
use orm::{Column, SqlParam, ToValue, Value};

use crate::suite::builder::{firsts, same};
use crate::{Kind, TestDb};

/// One column of each kind a list filters on.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "list_items")]
pub struct Item {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    pub code: i64,
    pub num: Option<i64>,
    /// Keyed text (`VARCHAR(255)` on MySQL).
    #[orm(index)]
    pub name: String,
    /// Unkeyed text (`LONGTEXT` on MySQL).
    pub label: String,
    pub tag: Option<String>,
    pub data: Vec<u8>,
    pub score: f64,
    pub flag: bool,
    pub big: u64,
}

/// List lengths every kind of column is checked with.
const LENGTHS: [usize; 7] = [0, 1, 3, 17, 1_000, 40_000, 100_000];

const ROWS: usize = 2_000;

/// Text that must match exactly: case variants, leading and trailing spaces, non-ASCII letters,
/// emoji, quotes, backslashes and wildcards.
const TEXTS: &[&str] = &[
    "Ann",
    "ann",
    "ANN",
    "a",
    "a ",
    " a",
    "a  ",
    "Zoë",
    "ZOË",
    "zoë",
    "日本",
    "party 🎉",
    "🎉",
    "",
    "x%_\\y",
    "O'Brien \"Q\"",
    "null",
    "émile",
    "Émile",
    "tab\there",
];

/// Byte strings that differ only by trailing or leading zero bytes must not match each other.
const BLOBS: &[&[u8]] = &[&[], &[0], &[0, 0], &[1], &[1, 0], &[0, 1], &[255], b"a "];

fn text(i: usize) -> String {
    TEXTS
        .get(i)
        .map_or_else(|| format!("item-{i:05}"), |t| (*t).to_owned())
}

fn blob(i: usize) -> Vec<u8> {
    BLOBS
        .get(i)
        .map_or_else(|| (i as u32).to_be_bytes().to_vec(), |b| b.to_vec())
}

fn seed_rows() -> Vec<Item> {
    (0..ROWS)
        .map(|i| Item {
            id: 0,
            code: i as i64 * 3,
            num: (i % 5 != 0).then_some(i as i64 % 97),
            name: text(i),
            label: text(i),
            tag: (i % 4 != 0).then(|| text(i)),
            data: blob(i),
            score: i as f64 * 0.1,
            flag: i % 3 == 0,
            big: i as u64 * 1_000_003,
        })
        .collect()
}

async fn seed(db: &Database) -> Result<Vec<Item>> {
    db.create_table::<Item>().await?;
    let mut rows = seed_rows();
    Item::insert_many(db, &mut rows).await?;
    Ok(rows)
}

/// The builder's ids for `cond` equal the seed's rows for which `oracle` holds.
async fn check(
    db: &Database,
    rows: &[Item],
    what: &str,
    cond: Condition<Item>,
    oracle: impl Fn(&Item) -> bool,
) -> Result<Vec<i64>> {
    let built: Vec<i64> = Item::query()
        .filter(cond)
        .select(Item::ID)
        .order_by(Item::ID.asc())
        .all(db)
        .await?;
    let expected: Vec<i64> = rows.iter().filter(|r| oracle(r)).map(|r| r.id).collect();
    assert_eq!(built, expected, "{what}: differs from the seed");
    Ok(built)
}

/// `SELECT id FROM list_items WHERE <column> [NOT] IN (?, ...) ORDER BY id`, by hand.
async fn by_hand<V: ToValue>(
    db: &Database,
    column: &str,
    negated: bool,
    values: &[V],
) -> Result<Vec<i64>> {
    let filter = match (values.len(), negated) {
        (0, false) => " WHERE 1 = 0".to_owned(),
        (0, true) => String::new(),
        (n, _) => format!(
            " WHERE {column} {}IN ({})",
            if negated { "NOT " } else { "" },
            vec!["?"; n].join(", ")
        ),
    };
    let sql = format!("SELECT id FROM list_items{filter} ORDER BY id");
    let q = values
        .iter()
        .fold(raw(AssertSqlSafe(sql)), |q, v| q.bind(v));
    Ok(firsts(q.fetch_all::<(i64,)>(db).await?))
}

/// Integers: even numbers from -10 (so the codes that are multiples of 6 match), the extremes, and a
/// duplicate.
fn int_list(n: usize) -> Vec<i64> {
    let mut list: Vec<i64> = (0..n as i64).map(|k| k * 2 - 10).collect();
    if n >= 3 {
        list[1] = i64::MAX;
        list[2] = i64::MIN;
    }
    if n > 3 {
        list.push(list[n / 2]);
    }
    list
}

/// Text: case and space variants of the seeded text (some seeded, some not), then `item-` names,
/// seeded up to `item-01999`.
fn text_list(n: usize) -> Vec<String> {
    const PROBES: [&str; 10] = [
        "ann",
        "a ",
        "Zoë",
        "🎉",
        "",
        "ANN ",
        "zoe",
        "日本 ",
        "party 🎉",
        "x%_\\y",
    ];
    (0..n)
        .map(|k| {
            PROBES
                .get(k)
                .map_or_else(|| format!("item-{:05}", k * 7), |p| (*p).to_owned())
        })
        .collect()
}

/// Checks `column IN values` and `column NOT IN values` against the seed, and for up to 4 values
/// against the queries written by hand. `member` says whether a row's value is in the list, `None`
/// when the value is NULL: such rows match neither; a NULL in the list makes NOT IN match nothing;
/// NOT IN of no values matches every row.
async fn check_lists<T, P>(
    db: &Database,
    rows: &[Item],
    column: Column<Item, T>,
    name: &str,
    values: &[P],
    member: impl Fn(&Item) -> Option<bool>,
) -> Result<()>
where
    P: SqlParam<T> + ToValue + Clone,
{
    let n = values.len();
    let null_in_list = values.iter().any(|v| v.to_value().is_null());
    let what = format!("{name} IN {n} values (NULL among them: {null_in_list})");
    let built = check(
        db,
        rows,
        &what,
        column.in_list(values.iter().cloned()),
        |r| member(r) == Some(true),
    )
    .await?;
    if n <= 4 {
        same(&what, built, by_hand(db, name, false, values).await?);
    }
    let what = format!("{name} NOT IN {n} values (NULL among them: {null_in_list})");
    let built = check(
        db,
        rows,
        &what,
        column.not_in(values.iter().cloned()),
        |r| n == 0 || (!null_in_list && member(r) == Some(false)),
    )
    .await?;
    if n <= 4 {
        same(&what, built, by_hand(db, name, true, values).await?);
    }
    Ok(())
}

/// `values` with a NULL appended.
fn with_null<T: Clone>(values: &[T]) -> Vec<Option<T>> {
    values.iter().cloned().map(Some).chain([None]).collect()
}

pub async fn integer_lists_of_every_length(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let rows = &seed(db).await?;
    for n in LENGTHS {
        let list = int_list(n);
        let set: HashSet<i64> = list.iter().copied().collect();
        let has = |v: i64| set.contains(&v);
        check_lists(db, rows, Item::CODE, "code", &list, |r| Some(has(r.code))).await?;
        let nullable = |r: &Item| r.num.map(has);
        check_lists(db, rows, Item::NUM, "num", &list, nullable).await?;
        check_lists(db, rows, Item::NUM, "num", &with_null(&list), nullable).await?;
        // u64 in range.
        let list: Vec<u64> = (0..n as u64).map(|k| k * 2_000_006).collect();
        let set: HashSet<u64> = list.iter().copied().collect();
        check_lists(db, rows, Item::BIG, "big", &list, |r| {
            Some(set.contains(&r.big))
        })
        .await?;
    }
    Ok(())
}

/// Every text column against `list`: keyed, unkeyed, nullable, and nullable with a NULL listed.
async fn check_text_columns(db: &Database, rows: &[Item], list: &[String]) -> Result<()> {
    let set: HashSet<&str> = list.iter().map(String::as_str).collect();
    let has = |v: &str| set.contains(v);
    check_lists(db, rows, Item::NAME, "name", list, |r| Some(has(&r.name))).await?;
    check_lists(db, rows, Item::LABEL, "label", list, |r| {
        Some(has(&r.label))
    })
    .await?;
    let nullable = |r: &Item| r.tag.as_deref().map(has);
    check_lists(db, rows, Item::TAG, "tag", list, nullable).await?;
    check_lists(db, rows, Item::TAG, "tag", &with_null(list), nullable).await
}

pub async fn text_lists_of_every_length_compare_exactly(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let rows = &seed(db).await?;
    for n in LENGTHS {
        check_text_columns(db, rows, &text_list(n)).await?;
    }
    // Values longer than 255 characters (MySQL reads them as LONGTEXT).
    let mut list = text_list(3_000);
    list.push("🎉".repeat(300));
    list.push(format!("{}x", "a".repeat(255)));
    check_text_columns(db, rows, &list).await
}

pub async fn binary_float_and_boolean_lists(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let rows = &seed(db).await?;
    for n in LENGTHS {
        // Bytes: near misses of the seeded values first, then 4-byte strings of seeded rows.
        let list: Vec<Vec<u8>> = (0..n)
            .map(|k| match k {
                0 => vec![0],
                1 => vec![1, 0, 0],
                2 => Vec::new(),
                3 => vec![b'a'],
                k => ((k * 3) as u32).to_be_bytes().to_vec(),
            })
            .collect();
        let set: HashSet<&[u8]> = list.iter().map(Vec::as_slice).collect();
        check_lists(db, rows, Item::DATA, "data", &list, |r| {
            Some(set.contains(r.data.as_slice()))
        })
        .await?;
        // Floats: every other value is computed as the seed's `i * 0.1` (so equal bit for bit,
        // shortest decimal forms such as 0.30000000000000004 included), the others are absent.
        let list: Vec<f64> = (0..n)
            .map(|k| {
                if k % 2 == 0 {
                    (k * 5) as f64 * 0.1
                } else {
                    k as f64 + 0.25
                }
            })
            .collect();
        let set: HashSet<u64> = list.iter().map(|v| v.to_bits()).collect();
        check_lists(db, rows, Item::SCORE, "score", &list, |r| {
            Some(set.contains(&r.score.to_bits()))
        })
        .await?;
        // Booleans.
        let list: Vec<bool> = (0..n).map(|k| k % 7 == 3).collect();
        check_lists(db, rows, Item::FLAG, "flag", &list, |r| {
            Some(list.contains(&r.flag))
        })
        .await?;
    }
    Ok(())
}

pub async fn u64_above_i64_max_in_a_list_is_a_typed_error(t: &TestDb) -> Result<()> {
    let db = &t.db;
    seed(db).await?;
    for n in [1, 3, 1_000, 100_000] {
        let list: Vec<u64> = (0..n as u64 - 1).chain([u64::MAX]).collect();
        for negated in [false, true] {
            let cond = if negated {
                Item::BIG.not_in(list.iter().copied())
            } else {
                Item::BIG.in_list(list.iter().copied())
            };
            let err = Item::query().filter(cond).count(db).await.unwrap_err();
            assert!(
                matches!(&err, Error::Encode { message } if message.contains("18446744073709551615")),
                "{n} values, negated {negated}: {err:?}"
            );
        }
    }
    Ok(())
}

pub async fn long_lists_between_other_parameters(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let rows = &seed(db).await?;
    let ids: Vec<i64> = int_list(100_000);
    let names = text_list(40_000);
    let id_set: HashSet<i64> = ids.iter().copied().collect();
    let name_set: HashSet<&str> = names.iter().map(String::as_str).collect();
    let has_code = |v: i64| id_set.contains(&v);
    let has_name = |v: &str| name_set.contains(v);
    // Placeholders before, between and after the lists (numbered on PostgreSQL).
    let cond = Item::FLAG
        .eq(true)
        .and(Item::CODE.in_list(ids.iter().copied()))
        .and(Item::SCORE.lt(150.0))
        .and(Item::NAME.not_in(names.iter()))
        .and(Item::NUM.ne(5));
    check(db, rows, "100,000 ids among other conditions", cond, |r| {
        r.flag
            && has_code(r.code)
            && r.score < 150.0
            && !has_name(&r.name)
            && r.num.is_some_and(|v| v != 5)
    })
    .await?;
    // A short list between the same parameters, against the query written by hand.
    let built: Vec<i64> = Item::query()
        .filter(
            Item::FLAG
                .eq(true)
                .and(Item::CODE.in_list([0, 9, 12, 3]))
                .and(Item::NUM.ne(5)),
        )
        .select(Item::ID)
        .order_by(Item::ID.asc())
        .all(db)
        .await?;
    let hand = raw("SELECT id FROM list_items WHERE flag = ? AND code IN (?, ?, ?, ?) AND num <> ? ORDER BY id")
        .bind(true)
        .bind(0)
        .bind(9)
        .bind(12)
        .bind(3)
        .bind(5)
        .fetch_all::<(i64,)>(db)
        .await?;
    let expected: Vec<i64> = rows
        .iter()
        .filter(|r| r.flag && [0, 9, 12, 3].contains(&r.code) && r.num.is_some_and(|v| v != 5))
        .map(|r| r.id)
        .collect();
    assert_eq!(
        same("short list between parameters", built, firsts(hand)),
        expected
    );
    // The same statement text serves every long length on PostgreSQL: run two lengths back to back.
    for n in [5_000, 60_000] {
        let list = int_list(n);
        let set: HashSet<i64> = list.iter().copied().collect();
        check(
            db,
            rows,
            &format!("code IN {n} AND code > 30"),
            Item::CODE
                .in_list(list.iter().copied())
                .and(Item::CODE.gt(30)),
            |r| set.contains(&r.code) && r.code > 30,
        )
        .await?;
    }
    Ok(())
}

pub async fn long_lists_filter_updates_and_deletes(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let mut rows = seed(db).await?;
    let ids = int_list(100_000);
    let id_set: HashSet<i64> = ids.iter().copied().collect();
    let has = |v: i64| id_set.contains(&v);
    let expected = rows.iter().filter(|r| has(r.code)).count() as u64;
    // Twice: rows set to the value they already hold still count as matched, on every backend.
    for _ in 0..2 {
        let matched = Item::query()
            .filter(Item::CODE.in_list(ids.iter().copied()))
            .update()
            .set(Item::SCORE, -1.0)
            .execute(db)
            .await?;
        assert_eq!(matched, expected);
    }
    rows.iter_mut()
        .filter(|r| has(r.code))
        .for_each(|r| r.score = -1.0);
    let names = text_list(40_000);
    let name_set: HashSet<&str> = names.iter().map(String::as_str).collect();
    let has_name = |v: &str| name_set.contains(v);
    let matched = Item::query()
        .filter(Item::TAG.not_in(names.iter()).and(Item::FLAG.eq(false)))
        .update()
        .set(Item::FLAG, true)
        .set(Item::NUM, None::<i64>)
        .execute(db)
        .await?;
    let hit = |r: &Item| r.tag.as_deref().is_some_and(|t| !has_name(t)) && !r.flag;
    assert_eq!(matched, rows.iter().filter(|r| hit(r)).count() as u64);
    rows.iter_mut().filter(|r| hit(r)).for_each(|r| {
        r.flag = true;
        r.num = None;
    });
    // Deletes: a long NOT IN over a nullable column, then a short IN.
    let keep: Vec<i64> = (0..40_000).collect();
    let keep_set: HashSet<i64> = keep.iter().copied().collect();
    let deleted = Item::query()
        .filter(Item::NUM.not_in(keep.iter().copied()))
        .delete()
        .execute(db)
        .await?;
    let gone = |r: &Item| r.num.is_some_and(|v| !keep_set.contains(&v));
    assert_eq!(deleted, rows.iter().filter(|r| gone(r)).count() as u64);
    rows.retain(|r| !gone(r));
    let deleted = Item::query()
        .filter(Item::CODE.in_list([0, 3, 6]))
        .delete()
        .execute(db)
        .await?;
    assert_eq!(
        deleted,
        rows.iter().filter(|r| [0, 3, 6].contains(&r.code)).count() as u64
    );
    rows.retain(|r| ![0, 3, 6].contains(&r.code));
    let remaining = Item::query().order_by(Item::ID.asc()).all(db).await?;
    assert_eq!(remaining, rows);
    Ok(())
}

/// A list bound by hand: an array for PostgreSQL's `= ANY(?)`, JSON text on MySQL, and on SQLite a
/// typed error outside the renderer's `rarray(...)` placeholders (SQLite would read it as NULL).
pub async fn hand_bound_lists_follow_each_driver_contract(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let rows = &seed(db).await?;
    let list = Value::List(vec![Value::I64(0), Value::I64(3), Value::I64(7), Value::Null].into());
    let expected: Vec<i64> = rows
        .iter()
        .filter(|r| [0, 3].contains(&r.code))
        .map(|r| r.id)
        .collect();
    match t.kind() {
        Kind::Postgres => {
            let ids = raw("SELECT id FROM list_items WHERE code = ANY(?) ORDER BY id")
                .bind(list)
                .fetch_all::<(i64,)>(db)
                .await?;
            assert_eq!(firsts(ids), expected);
        }
        Kind::MySql => {
            let json = raw("SELECT ?")
                .bind(list.clone())
                .fetch_all::<(String,)>(db)
                .await?;
            assert_eq!(firsts(json), ["[0,3,7,null]"]);
            let ids = raw(
                "SELECT id FROM list_items WHERE code IN (SELECT v FROM JSON_TABLE(?, '$[*]' \
                 COLUMNS (v BIGINT PATH '$')) AS l) ORDER BY id",
            )
            .bind(list)
            .fetch_all::<(i64,)>(db)
            .await?;
            assert_eq!(firsts(ids), expected);
        }
        Kind::Sqlite => {
            let err = raw("SELECT id FROM list_items WHERE code IN rarray(?) ORDER BY id")
                .bind(list.clone())
                .fetch_all::<(i64,)>(db)
                .await
                .unwrap_err();
            assert!(matches!(err, Error::Encode { .. }), "{err:?}");
            let err = raw(
                "INSERT INTO list_items (code, name, label, data, score, flag, big) \
                 VALUES (?, 'n', 'l', x'', 0, 0, 0)",
            )
            .bind(list)
            .execute(db)
            .await
            .unwrap_err();
            assert!(matches!(err, Error::Encode { .. }), "{err:?}");
            assert_eq!(Item::query().count(db).await?, ROWS as u64);
        }
    }
    Ok(())
}
