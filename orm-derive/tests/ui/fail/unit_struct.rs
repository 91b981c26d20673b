use orm::prelude::*;

#[derive(Model)]
pub struct Marker;

fn main() {}
