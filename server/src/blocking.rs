//! Store work runs on tokio's blocking pool, never on the async workers.

/// Runs store work on the blocking pool and passes its error through.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> crate::error::ApiResult<T> + Send + 'static,
) -> crate::error::ApiResult<T> {
    tokio::task::spawn_blocking(f).await?
}
