//! Property tests on a live backend: arbitrary text (quotes, backslashes, `%`, `_`, emoji, case
//! variants, and NUL where the backend matches it) inserted as values and used as needles always
//! matches literally: the number of rows the builder's `contains` / `starts_with` / `ends_with` /
//! `icontains` count equals the number Rust's `str` methods count.
//!
//! NUL: PostgreSQL text cannot hold it, and SQLite's LIKE stops reading text and pattern at it
//! (see `orm::expr::like`), so only MySQL gets it.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use orm::prelude::*;

use crate::models::Note;
use crate::{Kind, TestDb};

/// Cases per backend: enough to hit every character class, small enough to keep the suite fast.
const CASES: u32 = 32;

fn text(nul: bool) -> impl Strategy<Value = String> {
    let mut chars = vec![
        '%', '_', '\\', '\'', '"', 'a', 'A', 'b', 'é', 'É', 'ß', '🎉', '日', ' ', '?', '$', '`',
        '\n',
    ];
    if nul {
        chars.push('\0');
    }
    vec(proptest::sample::select(chars), 0..7).prop_map(|cs| cs.into_iter().collect())
}

/// Stored values and a needle: half the time a piece of one of the values, so matches are common.
fn case(nul: bool) -> impl Strategy<Value = (Vec<String>, String)> {
    vec(text(nul), 1..8).prop_flat_map(move |values| {
        let pieces: Vec<String> = values
            .iter()
            .flat_map(|v| {
                let cs: Vec<char> = v.chars().collect();
                (0..cs.len()).flat_map(move |i| {
                    let cs = cs.clone();
                    (i..=cs.len()).map(move |j| cs[i..j].iter().collect::<String>())
                })
            })
            .collect();
        let needle = if pieces.is_empty() {
            text(nul).boxed()
        } else {
            prop_oneof![text(nul), proptest::sample::select(pieces)].boxed()
        };
        (Just(values), needle)
    })
}

fn count(values: &[String], keep: impl Fn(&str) -> bool) -> u64 {
    values.iter().filter(|v| keep(v)).count() as u64
}

async fn one_case(
    db: &Database,
    values: &[String],
    needle: &str,
) -> Result<Vec<(String, u64, u64)>> {
    Note::query().delete().execute(db).await?;
    let mut notes: Vec<Note> = values
        .iter()
        .map(|v| Note {
            id: 0,
            body: v.clone(),
        })
        .collect();
    Note::insert_many(db, &mut notes).await?;
    let fold = |s: &str| s.to_ascii_lowercase();
    let f = fold(needle);
    let q = || Note::query();
    Ok(vec![
        (
            "contains".into(),
            q().filter(Note::BODY.contains(needle)).count(db).await?,
            count(values, |v| v.contains(needle)),
        ),
        (
            "starts_with".into(),
            q().filter(Note::BODY.starts_with(needle)).count(db).await?,
            count(values, |v| v.starts_with(needle)),
        ),
        (
            "ends_with".into(),
            q().filter(Note::BODY.ends_with(needle)).count(db).await?,
            count(values, |v| v.ends_with(needle)),
        ),
        (
            "icontains".into(),
            q().filter(Note::BODY.icontains(needle)).count(db).await?,
            count(values, |v| fold(v).contains(&f)),
        ),
        (
            "stored".into(),
            q().filter(Note::BODY.in_list(values.iter().cloned()))
                .count(db)
                .await?,
            values.len() as u64,
        ),
    ])
}

pub async fn text_needles_match_literally(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<Note>().await?;
    let nul = t.kind() == Kind::MySql;
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = tokio::task::block_in_place(|| {
        runner.run(&case(nul), |(values, needle)| {
            let counts = handle
                .block_on(one_case(db, &values, &needle))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            for (what, built, rust) in counts {
                prop_assert_eq!(built, rust, "{} {:?} over {:?}", what, needle, values);
            }
            Ok(())
        })
    });
    if let Err(e) = outcome {
        panic!("{:?}: {e}", t.kind());
    }
    Ok(())
}
