use orm::prelude::*;

#[derive(Model)]
pub struct Nothing {}

fn main() {}
