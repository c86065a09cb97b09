//! Group commit: one writer thread takes every report that is waiting, writes them in one
//! transaction (one fsync), and only then answers each request. Under load many reports share a
//! flush; alone, a report waits for just its own.

use std::path::Path;
use std::sync::mpsc;

use store::{ObservationWriter, PendingObservation, PendingWrite, WriteOutcome, Written};
use tokio::sync::oneshot;

use crate::error::{ApiError, ApiResult};

/// Observations written per transaction at most.
const MAX_BATCH: usize = 1024;
/// Observations waiting before new ones are refused with 503 (back-pressure).
const QUEUE: usize = 16_384;

struct Job {
    write: PendingWrite,
    reply: oneshot::Sender<store::Result<WriteOutcome>>,
}

/// The queue in front of the writer thread.
#[derive(Debug, Clone)]
pub struct ObservationQueue {
    tx: mpsc::SyncSender<Job>,
}

impl ObservationQueue {
    /// Opens a writer connection on the store at `db` and starts the thread.
    pub fn start(db: &Path) -> store::Result<Self> {
        let mut writer = ObservationWriter::open(db)?;
        let (tx, rx) = mpsc::sync_channel::<Job>(QUEUE);
        std::thread::Builder::new()
            .name("report-writer".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let mut jobs = vec![first];
                    while jobs.len() < MAX_BATCH {
                        match rx.try_recv() {
                            Ok(j) => jobs.push(j),
                            Err(_) => break,
                        }
                    }
                    let writes: Vec<PendingWrite> = jobs.iter().map(|j| j.write.clone()).collect();
                    // The end-to-end tests wait for this line to know a write has begun.
                    tracing::debug!(n = jobs.len(), "writing a batch of reports");
                    match writer.write_mixed(&writes, crate::clock::now()) {
                        Ok(results) => {
                            for (job, r) in jobs.into_iter().zip(results) {
                                let _ = job.reply.send(r);
                            }
                        }
                        Err(e) => {
                            tracing::error!(error = %e, n = jobs.len(), "report batch failed");
                            for job in jobs {
                                let _ = job.reply.send(Err(store::Error::Busy));
                            }
                        }
                    }
                }
            })
            .map_err(|e| store::Error::CorruptRow {
                table: "observations",
                id: String::new(),
                reason: format!("cannot start the writer thread: {e}"),
            })?;
        Ok(Self { tx })
    }

    /// Writes a report; returns once it is durable.
    pub async fn write(&self, report: PendingObservation) -> ApiResult<Written> {
        match self.submit(PendingWrite::Report(report)).await? {
            WriteOutcome::Report(w) => Ok(w),
            WriteOutcome::Confirmed(_) => Err(ApiError::Internal(
                "the writer answered a report with a confirmation".into(),
            )),
        }
    }

    /// Confirms report `id` as `reporter_id` (a repeat report stored as a confirmation), in the
    /// same group commit as new reports; returns once it is durable, whether it was added.
    pub async fn confirm(&self, id: i64, reporter_id: i64) -> ApiResult<bool> {
        match self
            .submit(PendingWrite::Confirmation { id, reporter_id })
            .await?
        {
            WriteOutcome::Confirmed(added) => Ok(added),
            WriteOutcome::Report(_) => Err(ApiError::Internal(
                "the writer answered a confirmation with a report".into(),
            )),
        }
    }

    async fn submit(&self, write: PendingWrite) -> ApiResult<WriteOutcome> {
        let (reply, rx) = oneshot::channel();
        self.tx.try_send(Job { write, reply }).map_err(|_| {
            ApiError::busy("too many reports are waiting to be written; try again in a moment")
        })?;
        let written = rx
            .await
            .map_err(|_| ApiError::Internal("the report writer stopped".into()))?;
        match written {
            Ok(w) => Ok(w),
            Err(store::Error::Busy) => Err(ApiError::busy(
                "the report could not be written now; nothing was stored, try again in a moment",
            )),
            Err(e) => Err(ApiError::Internal(format!("writing a report: {e}"))),
        }
    }
}
