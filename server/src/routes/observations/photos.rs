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
