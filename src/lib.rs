#![doc = include_str!("../README.md")]

pub use orm_core::*;
pub use orm_derive::Model;
pub use orm_drivers::*;

/// Everything an application needs: `use orm::prelude::*;`.
pub mod prelude {
    pub use orm_core::{
        AssertSqlSafe, Column, Condition, Error, Executor, Model, ModelExt, Order, Query, Result,
        raw,
    };
    pub use orm_derive::Model;
    pub use orm_drivers::*;
}
