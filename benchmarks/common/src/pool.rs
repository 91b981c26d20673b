//! Minimal pools for the raw-driver baselines: a fixed set of connections handed out one at a time,
//! no health checks, no round trips on checkout or return (the lower bound any real pool can reach).

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// An async pool: tasks wait on a semaphore for a free connection.
#[derive(Debug)]
pub struct Pool<C> {
    idle: Mutex<Vec<C>>,
    permits: Arc<Semaphore>,
}

/// A connection checked out of a [`Pool`]; returned on drop.
#[derive(Debug)]
pub struct Pooled<C> {
    pool: Arc<Pool<C>>,
    conn: Option<C>,
    _permit: OwnedSemaphorePermit,
}

impl<C> Pool<C> {
    /// A pool over `conns`.
    pub fn new(conns: Vec<C>) -> Arc<Pool<C>> {
        let permits = Arc::new(Semaphore::new(conns.len()));
        Arc::new(Pool {
            idle: Mutex::new(conns),
            permits,
        })
    }

    /// Waits for a free connection.
    pub async fn get(self: &Arc<Self>) -> crate::Result<Pooled<C>> {
        let permit = self.permits.clone().acquire_owned().await?;
        let conn = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = conn.ok_or("pool: a permit without an idle connection")?;
        Ok(Pooled {
            pool: self.clone(),
            conn: Some(conn),
            _permit: permit,
        })
    }
}

impl<C> Deref for Pooled<C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.conn
            .as_ref()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl<C> DerefMut for Pooled<C> {
    fn deref_mut(&mut self) -> &mut C {
        self.conn
            .as_mut()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl<C> Drop for Pooled<C> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(c);
        }
    }
}

/// A blocking pool: threads wait on a condition variable for a free connection.
#[derive(Debug)]
pub struct BlockingPool<C> {
    idle: Mutex<Vec<C>>,
    freed: Condvar,
}

/// A connection checked out of a [`BlockingPool`]; returned on drop.
#[derive(Debug)]
pub struct BlockingPooled<'a, C> {
    pool: &'a BlockingPool<C>,
    conn: Option<C>,
}

impl<C> BlockingPool<C> {
    /// A pool over `conns`.
    pub fn new(conns: Vec<C>) -> BlockingPool<C> {
        BlockingPool {
            idle: Mutex::new(conns),
            freed: Condvar::new(),
        }
    }

    /// Blocks until a connection is free.
    pub fn get(&self) -> BlockingPooled<'_, C> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(conn) = idle.pop() {
                return BlockingPooled {
                    pool: self,
                    conn: Some(conn),
                };
            }
            idle = self
                .freed
                .wait(idle)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl<C> Deref for BlockingPooled<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.conn
            .as_ref()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl<C> DerefMut for BlockingPooled<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        self.conn
            .as_mut()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl<C> Drop for BlockingPooled<'_, C> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(c);
            self.pool.freed.notify_one();
        }
    }
}
