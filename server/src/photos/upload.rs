//! The way of an uploaded photo to the decoder, as the route `POST /api/observations/{id}/photos`
//! takes it: rate limits first, then the report's photo count, then the header and the decode in
//! the bounded pool ([`super::DecodePool`]) — the cheap refusals before the costly work.

use axum::body::Bytes;
use axum::http::StatusCode;

use super::{Photo, PhotoError};
use crate::auth::Caller;
use crate::auth::ratelimit::Kind;
use crate::error::{ApiError, ApiResult};
use crate::observations::FieldError;
use crate::state::AppState;

/// Checks an upload of `reporter` to `report` and processes it.
///
/// # Errors
///
/// 429 beyond the uploads allowed per client IP ([`Kind::PhotoIp`]) or per reporter
/// ([`Kind::PhotoReporter`]); 422 when the report has its photos already ([`too_many_photos`]);
/// the statuses of [`PhotoError`] (413, 415, 422; 503 `Busy` when every decoder is busy).
pub async fn accept(
    state: &AppState,
    caller: &Caller,
    reporter: i64,
    report: &store::Observation,
    body: Bytes,
) -> ApiResult<Photo> {
    let limiter = &state.people.limiter;
    for (kind, key) in [
        (Kind::PhotoIp, caller.ip.to_string()),
        (Kind::PhotoReporter, reporter.to_string()),
    ] {
        limiter
            .check(kind, &key)
            .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    }
    let max = state.observations.settings.max_photos;
    if report.photos.len() >= max as usize {
        return Err(too_many_photos(max));
    }
    Ok(state.observations.photo_pool.process(body).await??)
}

/// 422 for a report that has its `max` photos (also the store's answer when two uploads race for
/// the last place).
pub fn too_many_photos(max: u32) -> ApiError {
    ApiError::Invalid {
        message: "too many photos".to_owned(),
        errors: vec![FieldError {
            field: "/photos".to_owned(),
            message: format!("a report has at most {max} photos"),
        }],
    }
}

impl From<PhotoError> for ApiError {
    fn from(e: PhotoError) -> Self {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        match status {
            StatusCode::SERVICE_UNAVAILABLE => ApiError::busy(e.to_string()),
            StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::status_code(status, "PayloadTooLarge", e.to_string())
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ApiError::status_code(status, "UnsupportedMediaType", e.to_string())
            }
            _ => ApiError::status_code(status, "Unprocessable", e.to_string()),
        }
    }
}
