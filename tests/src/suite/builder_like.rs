//! LIKE and its literal forms: `contains`, `starts_with` and `ends_with` match their needle
//! literally (`%`, `_` and `\` included) and case-sensitively, and the case-insensitive variants fold
//! ASCII letters only, with one meaning on every backend. Each query is checked against the same
//! query written by hand (`LIKE ? ESCAPE '\'` with a hand-escaped pattern) and against Rust.

use orm::prelude::*;

use crate::TestDb;
use crate::models::User;
use crate::suite::builder::{Seed, ascii_lower, escape, firsts, like_matches, same, seed, sql};

/// Needles full of LIKE wildcards, backslashes, quotes and non-ASCII text.
const NEEDLES: &[&str] = &[
    "%", "_", "\\", "0% s", "r_s", "k\\s", "'", "\"", "ë", "Ë", "日", "🎉", "Ann", "nn", "ANN", "",
    "x%_\\y", "%_", "mile", "MILE", "É", "é", " ",
];

async fn ids(db: &Database, cond: Condition<User>) -> Result<Vec<i64>> {
    User::query()
        .filter(cond)
        .select(User::ID)
        .order_by(User::ID.asc())
        .all(db)
        .await
}

async fn hand_ids(db: &Database, where_sql: String, pattern: String) -> Result<Vec<i64>> {
    Ok(firsts(
        sql(format!(
            "SELECT id FROM users WHERE {where_sql} ORDER BY id"
        ))
        .bind(pattern)
        .fetch_all::<(i64,)>(db)
        .await?,
    ))
}

fn expect(s: &Seed, keep: impl Fn(&str) -> bool) -> Vec<i64> {
    s.user_ids(|u| keep(&u.name))
}

pub async fn literal_matchers_match_hand_escaped_like(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = &seed(db).await?;
    let like = "name LIKE ? ESCAPE '\\'".to_owned();
    for &n in NEEDLES {
        let what = format!("contains({n:?})");
        let built = ids(db, User::NAME.contains(n)).await?;
        let hand = hand_ids(db, like.clone(), format!("%{}%", escape(n))).await?;
        assert_eq!(
            same(&what, built, hand),
            expect(s, |x| x.contains(n)),
            "{what}"
        );

        let what = format!("starts_with({n:?})");
        let built = ids(db, User::NAME.starts_with(n)).await?;
        let hand = hand_ids(db, like.clone(), format!("{}%", escape(n))).await?;
        assert_eq!(
            same(&what, built, hand),
            expect(s, |x| x.starts_with(n)),
            "{what}"
        );

        let what = format!("ends_with({n:?})");
        let built = ids(db, User::NAME.ends_with(n)).await?;
        let hand = hand_ids(db, like.clone(), format!("%{}", escape(n))).await?;
        assert_eq!(
            same(&what, built, hand),
            expect(s, |x| x.ends_with(n)),
            "{what}"
        );
    }
    // The same needles against a nullable column: NULL never matches.
    for &n in ["l", "B", "", "%"].iter() {
        let built = ids(db, User::HAIR_COLOR.contains(n)).await?;
        let hand = hand_ids(
            db,
            "hair_color LIKE ? ESCAPE '\\'".into(),
            format!("%{}%", escape(n)),
        )
        .await?;
        let want = s.user_ids(|u| u.hair_color.as_deref().is_some_and(|h| h.contains(n)));
        assert_eq!(same("hair contains", built, hand), want, "{n:?}");
    }
    Ok(())
}

pub async fn like_patterns_match_hand_written_like(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = &seed(db).await?;
    let patterns = [
        "A%", "a%", "%n", "_nn", "Z_ë", "%\\%%", "%\\_%", "%\\\\%", "%", "", "日_", "%🎉", "O'%",
        "%\"Q\"", "_____", "%mile",
    ];
    for p in patterns {
        let built = ids(db, User::NAME.like(p)).await?;
        let hand = hand_ids(db, "name LIKE ? ESCAPE '\\'".into(), p.into()).await?;
        let want = expect(s, |x| like_matches(p, x));
        assert_eq!(same(&format!("like({p:?})"), built, hand), want, "{p:?}");

        let built = ids(db, User::NAME.not_like(p)).await?;
        let hand = hand_ids(db, "name NOT LIKE ? ESCAPE '\\'".into(), p.into()).await?;
        let want = expect(s, |x| !like_matches(p, x));
        assert_eq!(
            same(&format!("not_like({p:?})"), built, hand),
            want,
            "{p:?}"
        );
    }
    Ok(())
}

pub async fn case_insensitive_matchers_fold_ascii_only(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = &seed(db).await?;
    let k = t.kind();
    let lower = ascii_lower(k, "name");
    let fold = |x: &str| x.to_ascii_lowercase();
    for &n in NEEDLES {
        let f = fold(n);
        let what = format!("icontains({n:?})");
        let built = ids(db, User::NAME.icontains(n)).await?;
        let hand = hand_ids(
            db,
            format!("{lower} LIKE ? ESCAPE '\\'"),
            format!("%{}%", escape(&f)),
        )
        .await?;
        let want = expect(s, |x| fold(x).contains(&f));
        assert_eq!(same(&what, built, hand), want, "{what}");

        let what = format!("istarts_with({n:?})");
        let built = ids(db, User::NAME.istarts_with(n)).await?;
        let hand = hand_ids(
            db,
            format!("{lower} LIKE ? ESCAPE '\\'"),
            format!("{}%", escape(&f)),
        )
        .await?;
        let want = expect(s, |x| fold(x).starts_with(&f));
        assert_eq!(same(&what, built, hand), want, "{what}");

        let what = format!("iends_with({n:?})");
        let built = ids(db, User::NAME.iends_with(n)).await?;
        let hand = hand_ids(
            db,
            format!("{lower} LIKE ? ESCAPE '\\'"),
            format!("%{}", escape(&f)),
        )
        .await?;
        let want = expect(s, |x| fold(x).ends_with(&f));
        assert_eq!(same(&what, built, hand), want, "{what}");
    }
    for v in [
        "ann",
        "ANN",
        "zoë",
        "ZOË",
        "Zoë",
        "émile",
        "ÉMILE",
        "日本",
        "BOB",
        "o'brien \"q\"",
    ] {
        let f = fold(v);
        let built = ids(db, User::NAME.ieq(v)).await?;
        let hand = hand_ids(db, format!("{lower} = ?"), f.clone()).await?;
        let want = expect(s, |x| fold(x) == f);
        assert_eq!(
            same(&format!("ieq({v:?})"), built, hand),
            want,
            "ieq({v:?})"
        );
    }
    for p in ["a%", "%MILE", "_nn", "z_ë", "Z_Ë"] {
        let f = fold(p);
        let built = ids(db, User::NAME.ilike(p)).await?;
        let hand = hand_ids(db, format!("{lower} LIKE ? ESCAPE '\\'"), f.clone()).await?;
        let want = expect(s, |x| like_matches(&f, &fold(x)));
        assert_eq!(
            same(&format!("ilike({p:?})"), built, hand),
            want,
            "ilike({p:?})"
        );
    }
    // The meaning, spelled out: ASCII letters fold, others compare exactly.
    let names = |ids: Vec<i64>| -> Vec<String> {
        ids.iter()
            .filter_map(|id| s.users.iter().find(|u| u.id == *id))
            .map(|u| u.name.clone())
            .collect()
    };
    assert_eq!(
        names(ids(db, User::NAME.ieq("ANN")).await?),
        ["Ann", "Ann", "ann"]
    );
    assert_eq!(names(ids(db, User::NAME.icontains("ë")).await?), ["Zoë"]);
    assert_eq!(names(ids(db, User::NAME.icontains("zoË")).await?), ["ZOË"]);
    assert_eq!(
        names(ids(db, User::NAME.istarts_with("é")).await?),
        ["émile"]
    );
    Ok(())
}
