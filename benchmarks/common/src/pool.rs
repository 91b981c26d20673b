//! Pools for the raw-driver baselines. Async: deadpool (the pool the throughput target
//! names) over connections opened up front, with a manager that does nothing on checkout or return
//! (no health checks, no round trips). Blocking: a fixed set of connections behind a condition
//! variable.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use deadpool::managed::{self, Metrics, RecycleResult};

/// Hands deadpool the connections opened up front, one per `create`; recycling does nothing.
#[derive(Debug)]
pub struct Prebuilt<C> {
    conns: Mutex<Vec<C>>,
}

impl<C: Send> managed::Manager for Prebuilt<C> {
    type Type = C;
    type Error = crate::Error;

    async fn create(&self) -> crate::Result<C> {
        let conn = self
            .conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        conn.ok_or_else(|| "pool: every prebuilt connection is in use".into())
    }

    async fn recycle(&self, _: &mut C, _: &Metrics) -> RecycleResult<crate::Error> {
        Ok(())
    }
}

/// An async pool on deadpool (see the module docs).
#[derive(Debug)]
pub struct Pool<C: Send> {
    inner: managed::Pool<Prebuilt<C>>,
}

/// A connection checked out of a [`Pool`]; returned on drop.
pub type Pooled<C> = managed::Object<Prebuilt<C>>;

impl<C: Send> Pool<C> {
    /// A pool of `conns.len()` connections over `conns`.
    pub fn new(conns: Vec<C>) -> crate::Result<Arc<Pool<C>>> {
        let size = conns.len();
        let manager = Prebuilt {
            conns: Mutex::new(conns),
        };
        let inner = managed::Pool::builder(manager).max_size(size).build()?;
        Ok(Arc::new(Pool { inner }))
    }

    /// Waits for a free connection.
    pub async fn get(&self) -> crate::Result<Pooled<C>> {
        self.inner.get().await.map_err(|e| e.to_string().into())
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
