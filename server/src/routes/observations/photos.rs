//! Photos of an observation: upload (re-encoded, no EXIF) and read.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Purpose};
use serde_json::json;

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::photos;
use crate::routes::blocking;
use crate::state::AppState;

use super::{observation_resource, own_observation, visible_observation};
use crate::openapi as doc;

#[utoipa::path(
    post,
    path = "/api/observations/{id}/photos",
    tag = "reports",
    operation_id = "addReportPhoto",
    summary = "Attach a photo to one's own report.",
    description = "Its reporter; at most 3 photos a report, checked before the upload is decoded. The bytes are sniffed (the declared `Content-Type` is not trusted): JPEG or PNG, at most 10 MiB (10 485 760 bytes) and 50 megapixels, and at most 128 MiB to decode, computed from the header before decoding (pixels × bytes per pixel of the colour type and bit depth, plus the 8-bit RGB copy; a JPEG photo of up to 44 megapixels fits). Uploads are rate limited per client address and per reporter (429), and decoded by a fixed number of workers (`--photo-workers`, default the number of cores): an upload that finds them all busy is answered 503 `Busy` with `Retry-After` and may be sent again. The photo is decoded, turned upright (EXIF orientation), scaled to at most 1600 px a side and stored as a new JPEG without any metadata (no EXIF, GPS, XMP, ICC or comment).",
    security(("cookieAuth" = [])),
    params(doc::params::ReportId, doc::params::CsrfToken),
    request_body(content((inline(super::schemas::AddReportPhotoBodyJpeg) = "image/jpeg"), (inline(super::schemas::AddReportPhotoBodyPng) = "image/png"))),
    responses(
        (status = 201, description = "The photo as stored.", content((super::schemas::PhotoCreated = "application/json"))),
        (status = 401, response = doc::responses::SessionRequired),
        (status = 403, description = "`CsrfRejected`: a cross-site request, or a session cookie without its `X-CSRF-Token`; `Forbidden`: the caller may see the report but did not make it.", content((inline(doc::errors::CsrfRejectedOrForbidden) = "application/json"))),
        (status = 404, response = doc::responses::NotFoundReport),
        (status = 413, description = "The body is larger than 10 MiB: `PayloadTooLarge`.", content((inline(doc::errors::PayloadTooLarge) = "application/json"))),
        (status = 415, description = "The bytes are not a JPEG or PNG (a HEIC, GIF, WebP, PDF, …; the description says what they look like and what to do): `UnsupportedMediaType`.", content((inline(doc::errors::UnsupportedMediaType) = "application/json"))),
        (status = 422, description = "A JPEG or PNG that cannot be read (damaged, cut off, empty), of more than 50 megapixels, or that takes more than 128 MiB to decode (the description names its dimensions, colour type and what it would take) (`Unprocessable`, without `errors`); the report has 3 photos already (`Unprocessable`, `errors` on `/photos`; answered before the upload is looked at).", content((doc::shared::ValidationError = "application/json"))),
        (status = 429, response = doc::responses::TooManyRequests),
        (status = 503, description = "Every photo decoder is busy with other uploads: `Busy`; nothing was stored, send the photo again after `Retry-After` seconds.", content((inline(doc::errors::Busy) = "application/json")), headers(("Retry-After" = inline(doc::headers::RetryAfter)))),
    )
)]
pub(super) async fn add_photo(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let body = body?;
    let (r, reporter) = own_observation(&state, &caller, &raw, "add photos to").await?;
    // Rate limits, the photo count and the header before decoding, in a bounded pool.
    let processed = photos::upload::accept(&state, &caller, reporter, &r, body).await?;
    let people = Arc::clone(&state.people);
    let (id, max) = (r.id, state.observations.settings.max_photos);
    let photo = blocking(move || {
        Ok(people
            .store
            .add_photo(
                id,
                &processed.jpeg,
                processed.width,
                processed.height,
                max,
                clock::now(),
            )?
            .map(|pid| (pid, processed.width, processed.height)))
    })
    .await?
    .ok_or_else(|| photos::upload::too_many_photos(max))?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": photo.0, "url": format!("/api/photos/{}.jpg", photo.0), "width": photo.1, "height": photo.2 })),
    )
        .into_response())
}

#[utoipa::path(
    get,
    path = "/api/photos/{id}.jpg",
    tag = "reports",
    operation_id = "getPhoto",
    summary = "A photo of a report.",
    description = "Whoever may read the report (see `getReport`); anyone else gets 404. `/api/photos/{id}` without `.jpg` answers the same.",
    security((), ("cookieAuth" = [])),
    params(super::schemas::GetPhotoIdParam),
    responses(
        (status = 200, description = "The photo, a baseline JPEG without metadata.", content((inline(super::schemas::GetPhoto200) = "image/jpeg")), headers(("Cache-Control" = inline(doc::headers::PhotoCacheControl)))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
pub(super) async fn photo(
    State(state): State<AppState>,
    caller: Caller,
    Path(file): Path<String>,
) -> ApiResult<Response> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no photo {}",
            file.chars().take(30).collect::<String>()
        ))
    };
    let id: i64 = file
        .strip_suffix(".jpg")
        .unwrap_or(&file)
        .parse()
        .map_err(|_| not_found())?;
    let people = Arc::clone(&state.people);
    let (obs, jpeg) = blocking(move || Ok(people.store.photo(id)?))
        .await?
        .ok_or_else(not_found)?;
    let (r, _) = visible_observation(&state, &caller, &obs.to_string(), Purpose::Map)
        .await
        .map_err(|_| not_found())?;
    let public = observation_resource(&state, &r).class == DataClass::PublicSpaceObservations;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(if public {
                    "public, max-age=3600"
                } else {
                    "private, no-store"
                }),
            ),
        ],
        jpeg,
    )
        .into_response())
}
