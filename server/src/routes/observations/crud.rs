//! An observation itself: report (create), read, change and withdraw.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Purpose};
use domain::observations::ObservationStatus;
use serde::Deserialize;
use serde_json::{Value, json};
use store::PendingObservation;

use crate::auth::Caller;
use crate::auth::ratelimit::Kind;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::{ObservationType, read};
use crate::routes::auth::no_store;
use crate::routes::blocking;
use crate::state::AppState;

use super::{
    Draft, SimilarTarget, closed_conflict, field, idempotency_key, invalid, moderates,
    observation_json, observation_resource, open_observation_like, own_observation, prepare,
    refresh_map, reporter_of, store_observation, visible_observation,
};
use crate::openapi as doc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateBody {
    #[serde(rename = "type")]
    kind: String,
    target: Value,
    observed_at: Option<String>,
    source: Option<String>,
    answers: Value,
}

#[utoipa::path(
    post,
    path = "/api/observations",
    tag = "reports",
    operation_id = "createReport",
    summary = "Report an observation.",
    description = "Anyone with a session: an account of any role, or a device session (`POST /api/auth/device`). A type with `own_home_only` (`gas_readiness`) only by a resident who verified that address with a letter code. Rate limited per client address. Answered once the report is durable and the map tiles it touches are refreshed.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken, doc::params::IdempotencyKey),
    request_body(content((super::schemas::NewReport = "application/json"))),
    responses(
        (status = 200, description = "A retry (the `Idempotency-Key` was used by this reporter before: the report first written, unchanged), or the report was counted as a confirmation of an open report that says the same (`outcome: confirmed`).", content((inline(super::schemas::CreateReport200) = "application/json")), headers(("Location" = inline(super::schemas::CreateReport200Location)))),
        (status = 201, description = "The report.", content((super::schemas::CreatedReport = "application/json")), headers(("Location" = inline(doc::headers::ReportLocation)))),
        (status = 400, description = "Malformed JSON or a `target.point` that is not a GeoJSON Point in WGS84 (`BadRequest`); a malformed `Idempotency-Key` (`InvalidParameterValue`).", content((inline(doc::errors::BadRequestOrInvalidParameterValue) = "application/json"))),
        (status = 401, response = doc::responses::SessionRequired),
        (status = 403, description = "`CsrfRejected`: a cross-site request, or a session cookie without its `X-CSRF-Token`; `Forbidden`: a type about one's own home for an address the caller did not verify.", content((inline(doc::errors::CsrfRejectedOrForbidden) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::InvalidValues),
        (status = 429, response = doc::responses::TooManyRequests),
        (status = 503, response = doc::responses::Busy),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Json<CreateBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let reporter = reporter_of(&state, &caller).await?;
    state
        .people
        .limiter
        .check(Kind::ReportIp, &caller.ip.to_string())
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let draft = Draft {
        kind: &body.kind,
        target: &body.target,
        observed_at: body.observed_at.as_deref(),
        source: body.source.as_deref(),
        answers: &body.answers,
    };
    let (mut report, t) = prepare(&state, &caller.principal, reporter, draft)?;
    report.idempotency_key = idempotency_key(&headers)?;
    if let Some(resp) = confirm_instead(&state, &report, &t, reporter).await? {
        return Ok(resp);
    }
    let (r, created) = store_observation(&state, report).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut body = observation_json(&state, &r, Some(reporter), true);
    body["outcome"] = json!("created");
    let mut resp = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/observations/{}", r.id)) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// A report about a building or an address that says what an open report of another reporter
/// already says (same type, same status class, no free text of its own) is stored as a
/// confirmation of that report, and the answer says so: "confirm instead of duplicate" without a
/// way to ask whether a home has reports (`similar` is only for those who may see them). The
/// caller learns only what they reported and that someone saw the same — after a rate-limited
/// write, and only for types whose every question is visible from the street.
pub(super) async fn confirm_instead(
    state: &AppState,
    report: &PendingObservation,
    t: &ObservationType,
    reporter: i64,
) -> ApiResult<Option<Response>> {
    let o = &report.observation;
    if !t.def.visible_from_street || t.def.public_space {
        return Ok(None);
    }
    let answers: Value = serde_json::from_str(&o.answers).unwrap_or(Value::Null);
    let own_text = t.free_text_fields().iter().any(|f| {
        answers
            .get(*f)
            .and_then(Value::as_str)
            .is_some_and(|v| !v.trim().is_empty())
    });
    let target = match (o.address_id, o.building_id) {
        (Some(a), _) => SimilarTarget::Address(a),
        (None, Some(b)) => SimilarTarget::Building(b),
        (None, None) => return Ok(None),
    };
    // The open report of another reporter (one's own repeated is a report of one's own).
    let Some(existing) = open_observation_like(state, &o.kind, &target, Some(reporter)) else {
        return Ok(None);
    };
    if own_text || existing.status_class != t.status_class(&answers) {
        return Ok(None);
    }
    let id = existing.id;
    // On the group-commit writer, as new reports are: many repeats share one flush.
    let added = state.observations.queue.confirm(id, reporter).await?;
    let people = Arc::clone(&state.people);
    let updated = blocking(move || Ok(people.store.observation(id)?)).await?;
    if added {
        refresh_map(state, id).await;
    }
    let confirmations = updated.map_or(existing.confirmations, |u| u.confirmations);
    Ok(Some(
        (
            StatusCode::OK,
            Json(json!({
                "outcome": "confirmed",
                "id": id,
                "type": o.kind,
                "status_class": existing.status_class,
                "confirmations": confirmations,
            })),
        )
            .into_response(),
    ))
}

#[utoipa::path(
    get,
    path = "/api/observations/{id}",
    tag = "reports",
    operation_id = "getReport",
    summary = "One report.",
    description = "Its reporter (also once withdrawn). Reports about public space: everyone. Reports about homes: volunteer, communitybuilder, wijkondernemer and admin whose scope contains it, and residents who verified the address. Anyone else gets 404.",
    security((), ("cookieAuth" = [])),
    params(doc::params::ReportId),
    responses(
        (status = 200, description = "The report. A report about a home is sent with `Cache-Control: no-store`.", content((super::schemas::Report = "application/json")), headers(("Cache-Control" = inline(super::schemas::GetReport200CacheControl)))),
        (status = 404, response = doc::responses::NotFoundReport),
    )
)]
pub(super) async fn read_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let (r, mine) = visible_observation(&state, &caller, &raw, Purpose::Map).await?;
    let public = observation_resource(&state, &r).class == DataClass::PublicSpaceObservations;
    let resp = Json(observation_json(
        &state,
        &r,
        mine,
        moderates(&caller, &r, &state),
    ))
    .into_response();
    Ok(if public { resp } else { no_store(resp) })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UpdateBody {
    answers: Option<Value>,
    observed_at: Option<String>,
}

#[utoipa::path(
    patch,
    path = "/api/observations/{id}",
    tag = "reports",
    operation_id = "updateReport",
    summary = "Change the answers or the time of one's own report.",
    description = "Its reporter, while the report is not closed.",
    security(("cookieAuth" = [])),
    params(doc::params::ReportId, doc::params::CsrfToken),
    request_body(content((super::schemas::ReportPatch = "application/json"))),
    responses(
        (status = 200, description = "The report as changed.", content((super::schemas::Report = "application/json"))),
        (status = 400, response = doc::responses::MalformedBody),
        (status = 401, response = doc::responses::SessionRequired),
        (status = 403, description = "`CsrfRejected`: a cross-site request, or a session cookie without its `X-CSRF-Token`; `Forbidden`: the caller may see the report but did not make it.", content((inline(doc::errors::CsrfRejectedOrForbidden) = "application/json"))),
        (status = 404, response = doc::responses::NotFoundReport),
        (status = 409, description = "The report is closed (resolved, rejected, withdrawn or merged): `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::InvalidValues),
    )
)]
pub(super) async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<UpdateBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let (r, reporter) = own_observation(&state, &caller, &raw, "change").await?;
    let t = read(&state.observations.types)
        .version(&r.observation.kind, r.type_version)
        .ok_or_else(|| ApiError::Internal("type of a stored report is gone".into()))?;
    let answers = body
        .answers
        .unwrap_or_else(|| serde_json::from_str(&r.observation.answers).unwrap_or(Value::Null));
    let mut errors = t.validate(&answers);
    let observed = match body.observed_at.as_deref() {
        None => r.observation.observed_at,
        Some(s) => match domain::parse_rfc3339(s) {
            Some(ts) if ts <= clock::now() + 300 => ts,
            _ => {
                errors.push(field("/observed_at", "an RFC 3339 time, not in the future"));
                0
            }
        },
    };
    if !errors.is_empty() {
        return Err(invalid("the report has invalid values", errors));
    }
    let pii = t.looks_personal(&answers);
    let people = Arc::clone(&state.people);
    let (id, text) = (r.id, answers.to_string());
    let updated = blocking(move || {
        if !people
            .store
            .update_report(id, reporter, &text, observed, pii, clock::now())?
        {
            return Ok(None);
        }
        Ok(people.store.observation(id)?)
    })
    .await?
    .ok_or_else(|| {
        ApiError::status_code(
            StatusCode::CONFLICT,
            "Conflict",
            "a closed report cannot be changed",
        )
    })?;
    refresh_map(&state, updated.id).await;
    Ok(Json(observation_json(&state, &updated, Some(reporter), true)).into_response())
}

#[utoipa::path(
    delete,
    path = "/api/observations/{id}",
    tag = "reports",
    operation_id = "withdrawReport",
    summary = "Withdraw one's own report.",
    description = "Its reporter. The report stays readable by its reporter with status `withdrawn`.",
    security(("cookieAuth" = [])),
    params(doc::params::ReportId, doc::params::CsrfToken),
    responses(
        (status = 204, description = "Withdrawn."),
        (status = 401, response = doc::responses::SessionRequired),
        (status = 403, description = "`CsrfRejected`: a cross-site request, or a session cookie without its `X-CSRF-Token`; `Forbidden`: the caller may see the report but did not make it.", content((inline(doc::errors::CsrfRejectedOrForbidden) = "application/json"))),
        (status = 404, response = doc::responses::NotFoundReport),
        (status = 409, description = "The report is closed already (merged, resolved, rejected or withdrawn): `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
    )
)]
pub(super) async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let (r, _) = own_observation(&state, &caller, &raw, "withdraw").await?;
    let people = Arc::clone(&state.people);
    let id = r.id;
    let actor = caller.actor();
    let (done, updated) = blocking(move || {
        let done = people.store.set_observation_status(
            id,
            &[
                ObservationStatus::New,
                ObservationStatus::Confirmed,
                ObservationStatus::Hidden,
            ],
            ObservationStatus::Withdrawn,
            &actor,
            clock::now(),
        )?;
        Ok((done, people.store.observation(id)?))
    })
    .await?;
    if !done {
        return Err(closed_conflict(id, updated.as_ref(), "withdrawn"));
    }
    if let Some(u) = updated {
        refresh_map(&state, u.id).await;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
