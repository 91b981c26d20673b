//! Hand-written `Model` impls for renderer tests (orm-core cannot use the derive, which targets `orm`).
#![allow(dead_code)]

use orm_core::{
    Column, ColumnDef, Decode, FromRawRow, FromRow, Model, RawRow, Result, SqlType, ToValue, Value,
};

const fn col(name: &'static str, sql_type: SqlType) -> ColumnDef {
    ColumnDef {
        name,
        field: name,
        sql_type,
        nullable: false,
        primary_key: false,
        auto_increment: false,
        unique: false,
        index: false,
    }
}

const fn auto_id() -> ColumnDef {
    ColumnDef {
        primary_key: true,
        auto_increment: true,
        ..col("id", SqlType::I64)
    }
}

const fn nullable(c: ColumnDef) -> ColumnDef {
    ColumnDef {
        nullable: true,
        ..c
    }
}

/// `FromRow` reading the listed fields in order, and `FromRawRow` by position.
macro_rules! positional_row {
    ($ty:ident { $($field:ident),* }) => {
        impl FromRow for $ty {
            const WIDTH: usize = [$(stringify!($field)),*].len();
            #[allow(unused_assignments)]
            fn from_row_at<R: RawRow + ?Sized>(row: &R, start: usize) -> Result<Self> {
                let mut at = start;
                Ok(Self { $($field: { let v = Decode::decode(row, at)?; at += 1; v },)* })
            }
        }
        impl FromRawRow for $ty {
            fn from_raw_row<R: RawRow + ?Sized>(row: &R) -> Result<Self> {
                Self::from_row(row)
            }
        }
    };
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub hair_color: Option<String>,
    pub age: i32,
}

impl User {
    pub const ID: Column<User, i64> = Column::new("users", "id");
    pub const NAME: Column<User, String> = Column::new("users", "name");
    pub const EMAIL: Column<User, String> = Column::new("users", "email");
    pub const HAIR_COLOR: Column<User, Option<String>> = Column::new("users", "hair_color");
    pub const AGE: Column<User, i32> = Column::new("users", "age");

    pub fn new(name: &str, age: i32) -> Self {
        Self {
            id: 0,
            name: name.into(),
            email: format!("{}@example.com", name.to_lowercase()),
            hair_color: None,
            age,
        }
    }
}

positional_row!(User {
    id,
    name,
    email,
    hair_color,
    age
});

impl Model for User {
    const TABLE: &'static str = "users";
    const COLUMNS: &'static [ColumnDef] = &[
        auto_id(),
        col("name", SqlType::Text),
        ColumnDef {
            unique: true,
            ..col("email", SqlType::Text)
        },
        nullable(col("hair_color", SqlType::Text)),
        ColumnDef {
            index: true,
            ..col("age", SqlType::I32)
        },
    ];
    const PRIMARY_KEY: &'static [usize] = &[0];
    const AUTO_INCREMENT: Option<usize> = Some(0);
    type Key = i64;
    fn column_value(&self, idx: usize) -> Value {
        match idx {
            0 => self.id.to_value(),
            1 => self.name.to_value(),
            2 => self.email.to_value(),
            3 => self.hair_color.to_value(),
            _ => self.age.to_value(),
        }
    }
    fn key(&self) -> i64 {
        self.id
    }
    fn set_generated_key(&mut self, id: i64) -> Result<()> {
        self.id = id;
        Ok(())
    }
    fn key_is_unset(&self) -> bool {
        self.id == 0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub body: Option<String>,
    pub likes: i32,
    pub score: f64,
}

impl Post {
    pub const ID: Column<Post, i64> = Column::new("posts", "id");
    pub const USER_ID: Column<Post, i64> = Column::new("posts", "user_id");
    pub const TITLE: Column<Post, String> = Column::new("posts", "title");
    pub const BODY: Column<Post, Option<String>> = Column::new("posts", "body");
    pub const LIKES: Column<Post, i32> = Column::new("posts", "likes");
    pub const SCORE: Column<Post, f64> = Column::new("posts", "score");
}

positional_row!(Post {
    id,
    user_id,
    title,
    body,
    likes,
    score
});

impl Model for Post {
    const TABLE: &'static str = "posts";
    const COLUMNS: &'static [ColumnDef] = &[
        auto_id(),
        col("user_id", SqlType::I64),
        col("title", SqlType::Text),
        nullable(col("body", SqlType::Text)),
        col("likes", SqlType::I32),
        col("score", SqlType::F64),
    ];
    const PRIMARY_KEY: &'static [usize] = &[0];
    const AUTO_INCREMENT: Option<usize> = Some(0);
    type Key = i64;
    fn column_value(&self, idx: usize) -> Value {
        match idx {
            0 => self.id.to_value(),
            1 => self.user_id.to_value(),
            2 => self.title.to_value(),
            3 => self.body.to_value(),
            4 => self.likes.to_value(),
            _ => self.score.to_value(),
        }
    }
    fn key(&self) -> i64 {
        self.id
    }
    fn set_generated_key(&mut self, id: i64) -> Result<()> {
        self.id = id;
        Ok(())
    }
    fn key_is_unset(&self) -> bool {
        self.id == 0
    }
}

/// Self-referencing model, for aliases.
#[derive(Debug, Clone, PartialEq)]
pub struct Employee {
    pub id: i64,
    pub name: String,
    pub boss_id: Option<i64>,
    pub salary: i64,
}

impl Employee {
    pub const ID: Column<Employee, i64> = Column::new("employees", "id");
    pub const NAME: Column<Employee, String> = Column::new("employees", "name");
    pub const BOSS_ID: Column<Employee, Option<i64>> = Column::new("employees", "boss_id");
    pub const SALARY: Column<Employee, i64> = Column::new("employees", "salary");
}

positional_row!(Employee {
    id,
    name,
    boss_id,
    salary
});

impl Model for Employee {
    const TABLE: &'static str = "employees";
    const COLUMNS: &'static [ColumnDef] = &[
        auto_id(),
        col("name", SqlType::Text),
        nullable(col("boss_id", SqlType::I64)),
        col("salary", SqlType::I64),
    ];
    const PRIMARY_KEY: &'static [usize] = &[0];
    const AUTO_INCREMENT: Option<usize> = Some(0);
    type Key = i64;
    fn column_value(&self, idx: usize) -> Value {
        match idx {
            0 => self.id.to_value(),
            1 => self.name.to_value(),
            2 => self.boss_id.to_value(),
            _ => self.salary.to_value(),
        }
    }
    fn key(&self) -> i64 {
        self.id
    }
    fn set_generated_key(&mut self, id: i64) -> Result<()> {
        self.id = id;
        Ok(())
    }
    fn key_is_unset(&self) -> bool {
        self.id == 0
    }
}

/// A model keyed by text, without an auto-increment column.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub name: String,
    pub uses: i64,
}

impl Tag {
    pub const NAME: Column<Tag, String> = Column::new("tags", "name");
    pub const USES: Column<Tag, i64> = Column::new("tags", "uses");
}

positional_row!(Tag { name, uses });

impl Model for Tag {
    const TABLE: &'static str = "tags";
    const COLUMNS: &'static [ColumnDef] = &[
        ColumnDef {
            primary_key: true,
            ..col("name", SqlType::Text)
        },
        col("uses", SqlType::I64),
    ];
    const PRIMARY_KEY: &'static [usize] = &[0];
    const AUTO_INCREMENT: Option<usize> = None;
    type Key = String;
    fn column_value(&self, idx: usize) -> Value {
        match idx {
            0 => self.name.to_value(),
            _ => self.uses.to_value(),
        }
    }
    fn key(&self) -> String {
        self.name.clone()
    }
    fn set_generated_key(&mut self, _id: i64) -> Result<()> {
        Ok(())
    }
    fn key_is_unset(&self) -> bool {
        false
    }
}

/// A composite-key model with every column type (DDL only).
#[derive(Debug, Clone, PartialEq)]
pub struct Membership;

impl FromRow for Membership {
    const WIDTH: usize = 9;
    fn from_row_at<R: RawRow + ?Sized>(_row: &R, _start: usize) -> Result<Self> {
        Ok(Membership)
    }
}
impl FromRawRow for Membership {
    fn from_raw_row<R: RawRow + ?Sized>(row: &R) -> Result<Self> {
        Self::from_row(row)
    }
}
impl Model for Membership {
    const TABLE: &'static str = "memberships";
    const COLUMNS: &'static [ColumnDef] = &[
        ColumnDef {
            primary_key: true,
            ..col("org", SqlType::Text)
        },
        ColumnDef {
            primary_key: true,
            ..col("user_id", SqlType::I64)
        },
        col("flag", SqlType::Bool),
        col("small", SqlType::I16),
        col("unsigned32", SqlType::U32),
        col("unsigned64", SqlType::U64),
        col("ratio", SqlType::F32),
        col("score", SqlType::F64),
        nullable(col("avatar", SqlType::Blob)),
    ];
    const PRIMARY_KEY: &'static [usize] = &[0, 1];
    const AUTO_INCREMENT: Option<usize> = None;
    type Key = (String, i64);
    fn column_value(&self, _idx: usize) -> Value {
        Value::Null
    }
    fn key(&self) -> (String, i64) {
        (String::new(), 0)
    }
    fn set_generated_key(&mut self, _id: i64) -> Result<()> {
        Ok(())
    }
    fn key_is_unset(&self) -> bool {
        false
    }
}
