//! Escaping: LIKE needles match user text literally, values never reach the SQL text, identifiers are
//! quoted reversibly. Property tests use strings full of quotes, backslashes, wildcards, NUL and emoji.

#[path = "common/all3.rs"]
mod all3;
#[path = "common/fixtures.rs"]
mod fixtures;

use fixtures::User;
use orm_core::expr::like::{escape_like, fold_case};
use orm_core::{Condition, Dialect, ModelExt, Value, raw, render};
use proptest::prelude::*;

/// Strings biased toward characters that break naive escaping.
fn nasty() -> impl Strategy<Value = String> {
    let special = prop_oneof![
        Just('\''),
        Just('"'),
        Just('`'),
        Just('\\'),
        Just('%'),
        Just('_'),
        Just('\0'),
        Just('?'),
        Just('$'),
        Just(';'),
        Just('-'),
        Just('😀'),
        Just('É'),
        Just('a'),
        Just('A'),
    ];
    prop::collection::vec(prop_oneof![3 => special, 1 => any::<char>()], 0..24)
        .prop_map(|v| v.into_iter().collect())
}

/// SQL LIKE with `\` as the escape character: the reference the escaping is checked against.
fn like_matches(pattern: &str, text: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Lit(char),
        One,
        Any,
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        toks.push(match c {
            '\\' => Tok::Lit(
                chars
                    .next()
                    .expect("a LIKE pattern cannot end in the escape"),
            ),
            '%' => Tok::Any,
            '_' => Tok::One,
            c => Tok::Lit(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    // matched[i][j]: toks[..i] matches text[..j]
    let mut matched = vec![vec![false; text.len() + 1]; toks.len() + 1];
    matched[0][0] = true;
    for i in 1..=toks.len() {
        for j in 0..=text.len() {
            matched[i][j] = match toks[i - 1] {
                Tok::Any => matched[i - 1][j] || (j > 0 && matched[i][j - 1]),
                Tok::One => j > 0 && matched[i - 1][j - 1],
                Tok::Lit(c) => j > 0 && text[j - 1] == c && matched[i - 1][j - 1],
            };
        }
    }
    matched[toks.len()][text.len()]
}

/// Undoes [`escape_like`] by the LIKE rules: `\x` is `x`.
fn unescape_like(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' {
            chars.next().unwrap_or('\\')
        } else {
            c
        });
    }
    out
}

fn unquote(quoted: &str, q: char) -> String {
    let inner = &quoted[q.len_utf8()..quoted.len() - q.len_utf8()];
    inner.replace(&format!("{q}{q}"), &q.to_string())
}

#[test]
fn escape_like_examples() {
    assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
    assert_eq!(escape_like("plain text"), "plain text");
    assert_eq!(escape_like(""), "");
    assert!(like_matches(&escape_like("a_c"), "a_c"));
    assert!(!like_matches(&escape_like("a_c"), "abc"));
    assert!(!like_matches(&escape_like("100%"), "1000"));
    assert_eq!(fold_case("ÄbC_É"), "Äbc_É");
}

#[test]
fn contains_binds_an_escaped_needle() {
    let st = User::query()
        .filter(User::NAME.contains("a%b"))
        .filter(User::NAME.istarts_with("X_y"))
        .to_statement(&orm_core::Backend::SQLITE)
        .unwrap();
    assert_eq!(
        st.params,
        [
            Value::String("%a\\%b%".into()),
            Value::String("x\\_y%".into())
        ]
    );
}

fn shape(s: &str, backend: &orm_core::Backend) -> orm_core::Result<orm_core::Statement> {
    User::query()
        .filter(
            User::NAME
                .eq(s)
                .or(User::HAIR_COLOR.ne(s))
                .or(User::EMAIL.contains(s))
                .or(User::EMAIL.icontains(s))
                .or(User::NAME.starts_with(s))
                .or(User::NAME.ends_with(s))
                .or(User::NAME.like(s))
                .or(User::NAME.ilike(s))
                .or(User::NAME.ieq(s))
                .or(User::NAME.in_list([s, s]))
                .or(User::NAME.between(s, s)),
        )
        .filter(Condition::raw("name <> ?", &[&s]))
        .filter(Condition::from_raw(raw("email <> ?").bind(s)))
        .select((User::ID, User::HAIR_COLOR.coalesce(s)))
        .to_statement(backend)
}

proptest! {
    #[test]
    fn values_never_change_the_sql_text(s in nasty()) {
        for (_, backend) in all3::BACKENDS {
            let reference = shape("x", &backend).unwrap();
            let st = shape(&s, &backend).unwrap();
            prop_assert_eq!(&st.sql, &reference.sql);
            prop_assert_eq!(st.params.len(), reference.params.len());
            prop_assert!(st.params.contains(&Value::String(s.clone())));
        }
    }

    #[test]
    fn bulk_writes_never_change_the_sql_text(s in nasty()) {
        for (_, backend) in all3::BACKENDS {
            let build = |v: &str| {
                User::query()
                    .filter(User::EMAIL.contains(v))
                    .update()
                    .set(User::NAME, v)
                    .set(User::HAIR_COLOR, Some(v))
                    .to_statement(&backend)
                    .unwrap()
            };
            prop_assert_eq!(build(&s).sql, build("x").sql);
        }
    }

    #[test]
    fn escaped_needles_unescape_to_the_input(s in nasty()) {
        let escaped = escape_like(&s);
        prop_assert_eq!(unescape_like(&escaped), s.clone());
        // Every wildcard left in the pattern is escaped.
        let mut chars = escaped.chars();
        while let Some(c) = chars.next() {
            prop_assert!(c != '%' && c != '_', "unescaped wildcard in {:?}", escaped);
            if c == '\\' {
                prop_assert!(chars.next().is_some());
            }
        }
    }

    #[test]
    fn escaped_needles_match_literally(s in nasty(), before in nasty(), after in nasty()) {
        let esc = escape_like(&s);
        let contains = ["%", esc.as_str(), "%"].concat();
        let starts = [esc.as_str(), "%"].concat();
        let ends = ["%", esc.as_str()].concat();
        prop_assert!(like_matches(&esc, &s));
        prop_assert!(like_matches(&contains, &[before.as_str(), &s, &after].concat()));
        prop_assert!(like_matches(&starts, &[s.as_str(), &after].concat()));
        prop_assert!(like_matches(&ends, &[before.as_str(), &s].concat()));
        // A wildcard in the needle matches only itself.
        if let Some(pos) = s.find(['%', '_']) {
            let mut other = s.clone();
            other.replace_range(pos..pos + 1, "Z");
            prop_assert!(!like_matches(&esc, &other));
        }
    }

    #[test]
    fn case_insensitive_needles_fold_ascii_only(s in nasty()) {
        let folded = fold_case(&s);
        prop_assert_eq!(folded.chars().count(), s.chars().count());
        for (a, b) in s.chars().zip(folded.chars()) {
            prop_assert_eq!(b, a.to_ascii_lowercase());
        }
    }

    #[test]
    fn identifiers_quote_reversibly(name in nasty()) {
        for (dialect, q) in [(Dialect::Postgres, '"'), (Dialect::MySql, '`'), (Dialect::Sqlite, '"')] {
            let mut out = String::new();
            render::quote_ident(dialect, &name, &mut out);
            prop_assert!(out.starts_with(q) && out.ends_with(q) && out.len() >= 2);
            prop_assert_eq!(unquote(&out, q), name.clone());
            // No lone quote inside: every inner quote is doubled.
            let inner = &out[q.len_utf8()..out.len() - q.len_utf8()];
            prop_assert_eq!(inner.matches(q).count() % 2, 0);
        }
    }
}
