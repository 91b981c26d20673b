//! The concurrent part of the pool workload for the async contenders: [`POOL_TASKS`] Tokio tasks,
//! each doing [`POOL_LOOKUPS_PER_TASK`] primary-key lookups one after another (keys from
//! [`data::pool_lookup_id`]), their checks merged.

use std::future::Future;

use crate::data::{self, POOL_LOOKUPS_PER_TASK, POOL_TASKS};
use crate::{Check, Result};

/// Runs the tasks; `lookup(shared, id)` looks one key up (`shared` is a clone of the pool handle
/// and whatever else a lookup needs) and returns the check of what it found.
pub async fn pool_lookups<S, F, Fut>(size: usize, shared: &S, lookup: F) -> Result<Check>
where
    S: Clone + Send + 'static,
    F: Fn(S, i64) -> Fut + Copy + Send + 'static,
    Fut: Future<Output = Result<Check>> + Send,
{
    let tasks: Vec<_> = (0..POOL_TASKS)
        .map(|task| {
            let shared = shared.clone();
            tokio::spawn(async move {
                let mut c = Check::new();
                for i in 0..POOL_LOOKUPS_PER_TASK {
                    let id = data::pool_lookup_id(task, i, size);
                    c.merge(lookup(shared.clone(), id).await?);
                }
                Ok::<_, crate::Error>(c)
            })
        })
        .collect();
    let mut total = Check::new();
    for task in tasks {
        total.merge(task.await??);
    }
    Ok(total)
}
