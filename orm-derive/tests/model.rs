//! What the generated impls do: metadata, keys, column values, generated keys, and decoding rows by
//! position and by name (over an in-memory row).

use std::borrow::Cow;

use orm::ast::{Expr, Select};
use orm::prelude::*;
use orm::{ColumnDef, FromRawRow, FromRow, RawRow, SqlType, Value};

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    pub name: String,
    #[orm(unique)]
    pub email: String,
    #[orm(column = "hair")]
    pub hair_color: Option<String>,
    #[orm(index)]
    pub age: i32,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct UserProfile {
    #[orm(primary_key)]
    pub group_id: i32,
    pub bio: Option<String>,
    #[orm(primary_key)]
    pub user_id: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct SmallKey {
    #[orm(primary_key, auto_increment)]
    pub id: i32,
    pub flag: bool,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct AllTypes {
    #[orm(primary_key, auto_increment)]
    pub id: u64,
    pub b: bool,
    pub small: i16,
    pub unsigned: u32,
    pub single: f32,
    pub double: f64,
    pub bytes: Vec<u8>,
    pub maybe_bytes: Option<Vec<u8>>,
    pub maybe_unsigned: Option<u32>,
}

/// Field names that the generated `push_insert_values` must not confuse with its own parameter.
#[derive(Model, Debug, Clone, PartialEq)]
pub struct Shadowing {
    #[orm(primary_key)]
    pub out: String,
    pub value: Option<Vec<u8>>,
}

fn alice() -> User {
    User {
        id: 7,
        name: "Alice".into(),
        email: "a@x.io".into(),
        hair_color: Some("red".into()),
        age: 30,
    }
}

/// One row held in memory: column names and values, read with the same rules drivers follow
/// (NULL is `Ok(None)`, a value of another type is a decode error).
struct VecRow {
    names: Vec<&'static str>,
    values: Vec<Value>,
}

impl VecRow {
    fn new(columns: &[(&'static str, Value)]) -> Self {
        Self {
            names: columns.iter().map(|c| c.0).collect(),
            values: columns.iter().map(|c| c.1.clone()).collect(),
        }
    }

    fn get<T>(
        &self,
        idx: usize,
        want: &'static str,
        pick: impl FnOnce(&Value) -> Option<T>,
    ) -> orm::Result<Option<T>> {
        match self.values.get(idx) {
            None => Err(orm::Error::decode(
                format!("#{idx}"),
                want,
                "no such column",
            )),
            Some(Value::Null) => Ok(None),
            Some(v) => pick(v).map(Some).ok_or_else(|| {
                orm::Error::decode(
                    self.column_label(idx),
                    want,
                    format!("found {}", v.type_name()),
                )
            }),
        }
    }
}

impl RawRow for VecRow {
    fn len(&self) -> usize {
        self.values.len()
    }
    fn column_name(&self, idx: usize) -> &str {
        self.names.get(idx).copied().unwrap_or("")
    }
    fn get_bool(&self, idx: usize) -> orm::Result<Option<bool>> {
        self.get(idx, "bool", |v| {
            if let Value::Bool(b) = v {
                Some(*b)
            } else {
                None
            }
        })
    }
    fn get_i16(&self, idx: usize) -> orm::Result<Option<i16>> {
        self.get(idx, "i16", |v| {
            if let Value::I16(n) = v {
                Some(*n)
            } else {
                None
            }
        })
    }
    fn get_i32(&self, idx: usize) -> orm::Result<Option<i32>> {
        self.get(idx, "i32", |v| match v {
            Value::I16(n) => Some(i32::from(*n)),
            Value::I32(n) => Some(*n),
            _ => None,
        })
    }
    fn get_i64(&self, idx: usize) -> orm::Result<Option<i64>> {
        self.get(idx, "i64", |v| match v {
            Value::I16(n) => Some(i64::from(*n)),
            Value::I32(n) => Some(i64::from(*n)),
            Value::I64(n) => Some(*n),
            Value::U64(n) => i64::try_from(*n).ok(),
            _ => None,
        })
    }
    fn get_f32(&self, idx: usize) -> orm::Result<Option<f32>> {
        self.get(idx, "f32", |v| {
            if let Value::F32(n) = v {
                Some(*n)
            } else {
                None
            }
        })
    }
    fn get_f64(&self, idx: usize) -> orm::Result<Option<f64>> {
        self.get(idx, "f64", |v| match v {
            Value::F32(n) => Some(f64::from(*n)),
            Value::F64(n) => Some(*n),
            _ => None,
        })
    }
    fn get_string(&self, idx: usize) -> orm::Result<Option<String>> {
        self.get(idx, "String", |v| {
            if let Value::String(s) = v {
                Some(s.clone())
            } else {
                None
            }
        })
    }
    fn get_bytes(&self, idx: usize) -> orm::Result<Option<Vec<u8>>> {
        self.get(idx, "Vec<u8>", |v| {
            if let Value::Bytes(b) = v {
                Some(b.clone())
            } else {
                None
            }
        })
    }
}

fn column(name: &'static str, field: &'static str, sql_type: SqlType) -> ColumnDef {
    ColumnDef {
        name,
        field,
        sql_type,
        nullable: false,
        primary_key: false,
        auto_increment: false,
        unique: false,
        index: false,
    }
}

#[test]
fn columns_describe_every_field_in_order() {
    let expected = [
        ColumnDef {
            primary_key: true,
            auto_increment: true,
            ..column("id", "id", SqlType::I64)
        },
        column("name", "name", SqlType::Text),
        ColumnDef {
            unique: true,
            ..column("email", "email", SqlType::Text)
        },
        ColumnDef {
            nullable: true,
            ..column("hair", "hair_color", SqlType::Text)
        },
        ColumnDef {
            index: true,
            ..column("age", "age", SqlType::I32)
        },
    ];
    assert_eq!(<User as Model>::TABLE, "users");
    assert_eq!(<User as Model>::COLUMNS, &expected);
    assert_eq!(<User as Model>::PRIMARY_KEY, &[0]);
    assert_eq!(<User as Model>::AUTO_INCREMENT, Some(0));
}

#[test]
fn queries_share_the_generated_select_list_and_joins_share_theirs() {
    let list = <User as Model>::SELECT_LIST.expect("the derive provides the select list");
    let names: Vec<(&str, &str)> = list
        .iter()
        .map(|e| match e {
            Expr::Column(c) => (c.table, c.name),
            other => panic!("not a column: {other:?}"),
        })
        .collect();
    let expected = ["id", "name", "email", "hair", "age"].map(|n| ("users", n));
    assert_eq!(names, expected);

    let shared = |q: &Select| match q.columns {
        Cow::Borrowed(list) => list,
        Cow::Owned(_) => panic!("a list of its own: {:?}", q.columns),
    };
    let query = User::query();
    assert!(
        std::ptr::eq(shared(query.as_select()), list),
        "a query selects the model's shared list"
    );

    let join = || User::query().inner_join::<UserProfile>(UserProfile::USER_ID.eq(User::ID));
    let (first, second) = (join(), join());
    let joined = shared(first.as_select());
    assert!(
        std::ptr::eq(joined, shared(second.as_select())),
        "built once"
    );
    assert_eq!(joined[..list.len()], *list);
    let profile: Vec<Expr> = ["group_id", "bio", "user_id"]
        .map(|name| Expr::column("user_profile", name))
        .into();
    assert_eq!(joined[list.len()..], profile);
}

#[test]
fn sql_types_follow_field_types() {
    let types: Vec<(SqlType, bool)> = <AllTypes as Model>::COLUMNS
        .iter()
        .map(|c| (c.sql_type, c.nullable))
        .collect();
    assert_eq!(
        types,
        [
            (SqlType::U64, false),
            (SqlType::Bool, false),
            (SqlType::I16, false),
            (SqlType::U32, false),
            (SqlType::F32, false),
            (SqlType::F64, false),
            (SqlType::Blob, false),
            (SqlType::Blob, true),
            (SqlType::U32, true),
        ]
    );
}

#[test]
fn default_table_name_is_snake_case_and_not_pluralized() {
    assert_eq!(<UserProfile as Model>::TABLE, "user_profile");
    assert_eq!(<SmallKey as Model>::TABLE, "small_key");
}

#[test]
fn composite_key_is_a_tuple_in_field_order() {
    assert_eq!(<UserProfile as Model>::PRIMARY_KEY, &[0, 2]);
    assert_eq!(<UserProfile as Model>::AUTO_INCREMENT, None);
    assert!(
        <UserProfile as Model>::COLUMNS
            .iter()
            .all(|c| !c.auto_increment)
    );
    let key: fn(&UserProfile) -> (i32, i64) = <UserProfile as Model>::key;
    let p = UserProfile {
        group_id: 3,
        bio: None,
        user_id: 11,
    };
    assert_eq!(key(&p), (3, 11));
}

#[test]
fn single_key_is_the_field_type() {
    let key: fn(&User) -> i64 = <User as Model>::key;
    assert_eq!(key(&alice()), 7);
    let key: fn(&SmallKey) -> i32 = <SmallKey as Model>::key;
    assert_eq!(key(&SmallKey { id: 4, flag: true }), 4);
}

#[test]
fn push_insert_values_moves_every_column_but_the_auto_increment_one() {
    let u = alice();
    let mut values = vec![Value::Bool(true)];
    u.clone().push_insert_values(&mut values);
    let copied: Vec<Value> = (1..<User as Model>::COLUMNS.len())
        .map(|i| u.column_value(i))
        .collect();
    assert_eq!(values[0], Value::Bool(true), "appends");
    assert_eq!(values[1..], copied);
    let all = AllTypes {
        id: 9,
        b: true,
        small: -3,
        unsigned: 4_000_000_000,
        single: 1.5,
        double: -2.25,
        bytes: vec![0, 255],
        maybe_bytes: None,
        maybe_unsigned: Some(5),
    };
    let mut values = Vec::new();
    all.clone().push_insert_values(&mut values);
    let copied: Vec<Value> = (1..<AllTypes as Model>::COLUMNS.len())
        .map(|i| all.column_value(i))
        .collect();
    assert_eq!(values, copied);
    let s = Shadowing {
        out: "o".into(),
        value: Some(vec![1]),
    };
    let mut values = Vec::new();
    s.push_insert_values(&mut values);
    assert_eq!(
        values,
        [Value::String("o".into()), Value::Bytes(vec![1])],
        "a model without auto-increment sends every column"
    );
}

#[test]
fn column_value_returns_each_field_by_index() {
    let u = alice();
    let values: Vec<Value> = (0..<User as Model>::COLUMNS.len())
        .map(|i| u.column_value(i))
        .collect();
    assert_eq!(
        values,
        [
            Value::I64(7),
            Value::String("Alice".into()),
            Value::String("a@x.io".into()),
            Value::String("red".into()),
            Value::I32(30)
        ]
    );
    let bald = User {
        hair_color: None,
        ..alice()
    };
    assert_eq!(bald.column_value(3), Value::Null);
    assert_eq!(
        u.column_value(5),
        Value::Null,
        "an index past the last column is NULL, not a panic"
    );
    assert_eq!(u.column_value(usize::MAX), Value::Null);
}

#[test]
fn set_generated_key_writes_the_auto_increment_field() {
    let mut u = User { id: 0, ..alice() };
    u.set_generated_key(42).unwrap();
    assert_eq!(u.id, 42);
    assert_eq!(u, User { id: 42, ..alice() });

    let mut s = SmallKey { id: 0, flag: false };
    s.set_generated_key(i64::from(i32::MAX)).unwrap();
    assert_eq!(s.id, i32::MAX);
}

#[test]
fn set_generated_key_out_of_range_is_an_error_and_keeps_the_field() {
    let mut s = SmallKey { id: 0, flag: false };
    let err = s.set_generated_key(i64::from(i32::MAX) + 1).unwrap_err();
    assert!(matches!(err, orm::Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("2147483648"), "{err}");
    assert_eq!(s.id, 0);

    let mut a = AllTypes {
        id: 0,
        b: false,
        small: 0,
        unsigned: 0,
        single: 0.0,
        double: 0.0,
        bytes: vec![],
        maybe_bytes: None,
        maybe_unsigned: None,
    };
    assert!(matches!(
        a.set_generated_key(-1),
        Err(orm::Error::Decode { .. })
    ));
    a.set_generated_key(5).unwrap();
    assert_eq!(a.id, 5);
}

#[test]
fn set_generated_key_without_auto_increment_does_nothing() {
    let mut p = UserProfile {
        group_id: 1,
        bio: None,
        user_id: 2,
    };
    p.set_generated_key(99).unwrap();
    assert_eq!(
        p,
        UserProfile {
            group_id: 1,
            bio: None,
            user_id: 2
        }
    );
}

#[test]
fn key_is_unset_while_the_auto_increment_field_is_zero() {
    assert!(User { id: 0, ..alice() }.key_is_unset());
    assert!(!alice().key_is_unset());
    assert!(SmallKey { id: 0, flag: true }.key_is_unset());
    assert!(
        !UserProfile {
            group_id: 0,
            bio: None,
            user_id: 0
        }
        .key_is_unset(),
        "no auto-increment: never unset"
    );
}

fn alice_row() -> [(&'static str, Value); 5] {
    [
        ("id", Value::I64(7)),
        ("name", Value::String("Alice".into())),
        ("email", Value::String("a@x.io".into())),
        ("hair", Value::String("red".into())),
        ("age", Value::I32(30)),
    ]
}

#[test]
fn from_row_reads_fields_by_position() {
    assert_eq!(<User as FromRow>::WIDTH, 5);
    assert_eq!(<UserProfile as FromRow>::WIDTH, 3);
    let row = VecRow::new(&alice_row());
    assert_eq!(User::from_row(&row).unwrap(), alice());

    let mut shifted = vec![("other", Value::Bool(true)), ("x", Value::Null)];
    shifted.extend(alice_row());
    let row = VecRow::new(&shifted);
    assert_eq!(User::from_row_at(&row, 2).unwrap(), alice());
}

#[test]
fn from_row_reads_null_into_option_only() {
    let mut columns = alice_row();
    columns[3].1 = Value::Null;
    let u = User::from_row(&VecRow::new(&columns)).unwrap();
    assert_eq!(u.hair_color, None);

    let mut columns = alice_row();
    columns[1].1 = Value::Null;
    let err = User::from_row(&VecRow::new(&columns)).unwrap_err();
    assert!(
        matches!(err, orm::Error::Decode { ref column, .. } if column == "name"),
        "{err:?}"
    );
}

#[test]
fn from_row_reports_a_wrong_type() {
    let mut columns = alice_row();
    columns[4].1 = Value::String("thirty".into());
    let err = User::from_row(&VecRow::new(&columns)).unwrap_err();
    assert!(
        matches!(err, orm::Error::Decode { ref column, .. } if column == "age"),
        "{err:?}"
    );
}

#[test]
fn from_raw_row_reads_fields_by_column_name() {
    let mut columns = alice_row().to_vec();
    columns.reverse();
    columns.insert(2, ("unrelated", Value::F64(1.5)));
    let u = User::from_raw_row(&VecRow::new(&columns)).unwrap();
    assert_eq!(u, alice());
}

#[test]
fn from_raw_row_reports_a_missing_column() {
    let columns: Vec<_> = alice_row().into_iter().filter(|c| c.0 != "hair").collect();
    let err = User::from_raw_row(&VecRow::new(&columns)).unwrap_err();
    match err {
        orm::Error::Decode {
            column, message, ..
        } => {
            assert_eq!(column, "hair");
            assert!(message.contains("users"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn from_raw_row_uses_the_renamed_column_not_the_field_name() {
    let mut columns = alice_row().to_vec();
    columns[3].0 = "hair_color";
    assert!(User::from_raw_row(&VecRow::new(&columns)).is_err());
}

#[test]
fn column_constants_are_typed_and_named_after_the_column() {
    let id: Column<User, i64> = User::ID;
    let hair: Column<User, Option<String>> = User::HAIR_COLOR;
    let email: Column<User, String> = User::EMAIL;
    assert_eq!(id.name(), "id");
    assert_eq!(hair.name(), "hair");
    assert_eq!(email.name(), "email");
    assert_eq!(format!("{hair:?}"), "users.hair");
    let _: Column<UserProfile, Option<String>> = UserProfile::BIO;
    let _: Condition<User> = User::EMAIL.eq("x");
    let _: Condition<User> = User::ID.eq(3_i32);
    let _: Condition<User> = User::HAIR_COLOR.eq(None::<String>);
}

#[test]
fn finders_exist_for_unique_fields_and_their_futures_are_send() {
    // Type-checking this generic body proves the futures `Send` for every executor.
    #[allow(dead_code)]
    fn check(db: &impl Executor) {
        fn send<F: std::future::Future + Send>(_: F) {}
        send(User::find_by_email(db, "a@x.io"));
        send(User::find_by_email(db, String::from("a@x.io")));
        send(User::find_by_email(db, &String::new()));
    }
}
