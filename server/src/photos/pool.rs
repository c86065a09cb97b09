//! The bounded pool photos are decoded in.

use std::sync::Arc;

use super::{Photo, PhotoError, inspect, process};

/// The decoders run a fixed number at a time: an upload that finds every worker busy is refused
/// at once ([`PhotoError::Busy`], 503 with `Retry-After`) rather than queued, so concurrent
/// uploads never hold more than `workers` decoded images in memory.
#[derive(Debug)]
pub struct DecodePool {
    pub(super) permits: Arc<tokio::sync::Semaphore>,
    workers: usize,
}

impl DecodePool {
    /// A pool of `workers` decoders (at least one).
    pub fn new(workers: usize) -> Self {
        let workers = workers.max(1);
        Self {
            permits: Arc::new(tokio::sync::Semaphore::new(workers)),
            workers,
        }
    }

    /// Workers: as many photos as are decoded at once.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// [`process`] on a blocking thread, once a worker is free. The header is checked first,
    /// without a worker: a refused photo never takes one.
    ///
    /// # Errors
    ///
    /// Those of [`process`], and [`PhotoError::Busy`] when every worker is busy; the outer error
    /// when a blocking task failed (a panic: a bug).
    pub async fn process(
        &self,
        bytes: bytes::Bytes,
    ) -> Result<Result<Photo, PhotoError>, tokio::task::JoinError> {
        let header = {
            let bytes = bytes.clone();
            tokio::task::spawn_blocking(move || inspect(&bytes)).await?
        };
        if let Err(e) = header {
            return Ok(Err(e));
        }
        let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() else {
            return Ok(Err(PhotoError::Busy));
        };
        tokio::task::spawn_blocking(move || {
            let result = process(&bytes);
            drop(permit);
            result
        })
        .await
    }
}
