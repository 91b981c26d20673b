//! Hand-written `Model` impls for renderer tests (orm-core cannot use the derive, which targets `orm`).

use orm_core::{
    Column, ColumnDef, FromRawRow, FromRow, Model, RawRow, Result, SqlType, ToValue, Value,
};

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub hair_color: Option<String>,
    pub age: i32,
}

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

impl User {
    pub const ID: Column<User, i64> = Column::new("users", "id");
    pub const NAME: Column<User, String> = Column::new("users", "name");
    pub const EMAIL: Column<User, String> = Column::new("users", "email");
    pub const HAIR_COLOR: Column<User, Option<String>> = Column::new("users", "hair_color");
    pub const AGE: Column<User, i32> = Column::new("users", "age");
}

impl FromRow for User {
    const WIDTH: usize = 5;
    fn from_row_at<R: RawRow + ?Sized>(_row: &R, _start: usize) -> Result<Self> {
        unreachable!("renderer tests never decode")
    }
}

impl FromRawRow for User {
    fn from_raw_row<R: RawRow + ?Sized>(row: &R) -> Result<Self> {
        Self::from_row(row)
    }
}

impl Model for User {
    const TABLE: &'static str = "users";
    const COLUMNS: &'static [ColumnDef] = &[
        ColumnDef {
            primary_key: true,
            auto_increment: true,
            ..col("id", SqlType::I64)
        },
        col("name", SqlType::Text),
        ColumnDef {
            unique: true,
            ..col("email", SqlType::Text)
        },
        ColumnDef {
            nullable: true,
            ..col("hair_color", SqlType::Text)
        },
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

/// A composite-key model with every column type.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership;

impl FromRow for Membership {
    const WIDTH: usize = 0;
    fn from_row_at<R: RawRow + ?Sized>(_row: &R, _start: usize) -> Result<Self> {
        unreachable!("renderer tests never decode")
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
        ColumnDef {
            nullable: true,
            ..col("avatar", SqlType::Blob)
        },
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
