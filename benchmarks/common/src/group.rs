//! Nesting children under their parents by key, the grouping step of the associations workload for
//! contenders whose library has none of its own.

use std::collections::HashMap;

/// Each parent with its children, in parent order; children keep their relative order. Children whose
/// parent is missing are dropped.
pub fn nest<P, C>(
    parents: Vec<P>,
    children: Vec<C>,
    parent_key: impl Fn(&P) -> i64,
    child_key: impl Fn(&C) -> i64,
) -> Vec<(P, Vec<C>)> {
    let index: HashMap<i64, usize> = parents
        .iter()
        .enumerate()
        .map(|(i, p)| (parent_key(p), i))
        .collect();
    let mut out: Vec<(P, Vec<C>)> = parents.into_iter().map(|p| (p, Vec::new())).collect();
    for c in children {
        if let Some(&i) = index.get(&child_key(&c)) {
            out[i].1.push(c);
        }
    }
    out
}
