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
    let people = Arc::clone(&state.people);
    let id = existing.id;
    let (added, updated) = blocking(move || {
        let added = people.store.add_confirmation(id, reporter, clock::now())?;
        Ok((added, people.store.observation(id)?))
    })
    .await?;
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
