//! Moderation: the queue, hide / put back / resolve / reject / release free text, merge and split.
//! Who moderates is the policy's `moderation` purpose. Every action done is in the audit log
//! (action `moderation`, the report as target, what was done as detail: `hide`, `unhide`,
//! `resolve`, `reject`, `release`, `merge into observation:{id}`, `split into observation:{id}`).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Decision, Place, Purpose, Resource, decide};
use domain::observations::ObservationStatus;
use serde::Deserialize;
use serde_json::{Value, json};
use store::Observation;

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::read;
use crate::routes::auth::no_store;
use crate::routes::{blocking, in_area, parse_area};
use crate::state::AppState;

use super::{
    closed_conflict, field, invalid, load_observation, observation_areas, observation_json,
    observation_resource, refresh_map,
};
use crate::openapi as doc;

/// May the caller moderate report `r` (the policy's `moderation` purpose at its place)?
pub(super) fn moderates(caller: &Caller, r: &Observation, state: &AppState) -> bool {
    decide(
        &caller.principal,
        Purpose::Moderation,
        &observation_resource(state, r),
    ) == Decision::Allow
}

/// The caller moderates report `r`; otherwise "no such report", exactly as for a report that
/// does not exist, so a moderator elsewhere cannot tell existing ids from missing ones.
pub(super) fn require_moderator(
    caller: &Caller,
    r: &Observation,
    state: &AppState,
) -> ApiResult<()> {
    if moderates(caller, r, state) {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!("no report {}", r.id)))
    }
}

/// Does the caller moderate anywhere? Asked before a report is looked up, so that callers who
/// moderate nowhere cannot tell existing reports from missing ones.
pub(super) fn require_moderator_somewhere(caller: &Caller) -> ApiResult<()> {
    let anywhere = [
        DataClass::HouseholdObservations,
        DataClass::PublicSpaceObservations,
    ]
    .into_iter()
    .any(|class| {
        decide(
            &caller.principal,
            Purpose::Moderation,
            &Resource::new(class, Place::Somewhere),
        ) == Decision::Allow
    });
    if anywhere {
        Ok(())
    } else {
        Err(caller.refuse("moderation is for communitybuilders, wijkondernemers and admins"))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct QueueQuery {
    area: Option<String>,
}

/// The moderation queue of the areas the caller moderates, narrowed to `?area=` if given.
#[utoipa::path(
    get,
    path = "/api/moderation",
    tag = "moderation",
    operation_id = "moderationQueue",
    summary = "The moderation queue: flagged and hidden reports, and notes that look like personal data.",
    description = "Communitybuilder, wijkondernemer and admin; lists the reports inside their scopes, narrowed to `area` when given.",
    security(("cookieAuth" = [])),
    params(super::schemas::ModerationQueueAreaParam),
    responses(
        (status = 200, description = "The queue.", content((Vec<super::schemas::ModerationItem> = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::NoSession),
        (status = 403, description = "Signed in (or a device session) without the communitybuilder, wijkondernemer or admin role: `Forbidden`.", content((inline(doc::errors::Forbidden) = "application/json"))),
        (status = 400, description = "A parameter is missing or malformed, an unknown observation type, or an unknown or repeated query parameter: `InvalidParameterValue`, naming it.", content((inline(doc::errors::InvalidParameterValue) = "application/json"))),
        (status = 422, description = "The area is not in the data: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
pub(super) async fn queue(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<QueueQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    require_moderator_somewhere(&caller)?;
    let area = q
        .area
        .map(|a| parse_area(&a, &state.model.load()))
        .transpose()?;
    let people = Arc::clone(&state.people);
    let list = blocking(move || Ok(people.store.moderation_queue()?)).await?;
    let body: Vec<Value> = list
        .iter()
        .filter(|r| area.is_none_or(|a| in_area(observation_areas(r), a)))
        .filter(|r| require_moderator(&caller, r, &state).is_ok())
        .map(|r| {
            let mut v = observation_json(&state, r, None, true);
            v["flags"] = json!(r.flags);
            v["pii_suspected"] = json!(r.pii_suspected);
            v
        })
        .collect();
    Ok(no_store(Json(body).into_response()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ModerationBody {
    action: String,
}

#[utoipa::path(
    post,
    path = "/api/observations/{id}/moderation",
    tag = "moderation",
    operation_id = "moderateReport",
    summary = "Hide, unhide, resolve or reject a report, or release its free text.",
    description = "Communitybuilder, wijkondernemer and admin whose scope contains the report. Callers who moderate nowhere get 401/403 before the report is looked up (they cannot tell existing reports from missing ones); a moderator gets 404 for a report that does not exist or lies outside their scope (the same answer). Logged in the moderation log. `hide` is for open reports, `unhide` for hidden ones, `resolve` and `reject` for both; `unhide` gives back `confirmed` when other residents confirmed the report, else `new`.",
    security(("cookieAuth" = [])),
    params(doc::params::ReportId, doc::params::CsrfToken),
    request_body(content((super::schemas::ModerationRequest = "application/json"))),
    responses(
        (status = 200, description = "The report with its new status.", content((super::schemas::Report = "application/json"))),
        (status = 400, response = doc::responses::MalformedBody),
        (status = 401, response = doc::responses::NoSession),
        (status = 403, response = doc::responses::ModeratorOnly),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "The report's status does not allow the action (e.g. putting back a report that is not hidden, or anything on a withdrawn, merged, resolved or rejected report): `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::InvalidValues),
    )
)]
pub(super) async fn moderate(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<ModerationBody>, JsonRejection>,
) -> ApiResult<Response> {
    require_moderator_somewhere(&caller)?;
    let Json(body) = body?;
    let r = load_observation(&state, &raw).await?;
    require_moderator(&caller, &r, &state)?;
    if body.action == "release" {
        return release_free_text(&state, &caller, r).await;
    }
    // Hide and put back only what is open or hidden; closed reports stay closed.
    use ObservationStatus::{Confirmed, Hidden, New, Rejected, Resolved};
    let (from, status): (&'static [ObservationStatus], ObservationStatus) =
        match body.action.as_str() {
            "hide" => (&[New, Confirmed], Hidden),
            "unhide" => (&[Hidden], New),
            "resolve" => (&[New, Confirmed, Hidden], Resolved),
            "reject" => (&[New, Confirmed, Hidden], Rejected),
            _ => {
                return Err(invalid(
                    "unknown action",
                    vec![field("/action", "hide, unhide, resolve, reject or release")],
                ));
            }
        };
    let people = Arc::clone(&state.people);
    let (id, actor) = (r.id, caller.actor());
    let (done, updated) = blocking(move || {
        let done = people
            .store
            .set_observation_status(id, from, status, &actor, clock::now())?;
        Ok((done, people.store.observation(id)?))
    })
    .await?;
    if !done {
        let done_word = match body.action.as_str() {
            "hide" => "hidden",
            "unhide" => "put back",
            "resolve" => "resolved",
            _ => "rejected",
        };
        return Err(closed_conflict(id, updated.as_ref(), done_word));
    }
    let updated = updated.ok_or_else(|| ApiError::NotFound(format!("no report {id}")))?;
    caller
        .audit("moderation", &format!("observation:{id}"), &body.action)
        .await?;
    refresh_map(&state, updated.id).await;
    Ok(Json(observation_json(&state, &updated, None, true)).into_response())
}

/// A moderator read the free text that looked like personal data and lets others see it.
pub(super) async fn release_free_text(
    state: &AppState,
    caller: &Caller,
    r: Observation,
) -> ApiResult<Response> {
    let people = Arc::clone(&state.people);
    let (id, actor) = (r.id, caller.actor());
    let (done, updated) = blocking(move || {
        let done = people.store.release_free_text(id, &actor, clock::now())?;
        Ok((done, people.store.observation(id)?))
    })
    .await?;
    if !done {
        return Err(ApiError::status_code(
            StatusCode::CONFLICT,
            "Conflict",
            format!("report {id} has no free text waiting for review"),
        ));
    }
    let updated = updated.ok_or_else(|| ApiError::NotFound(format!("no report {id}")))?;
    caller
        .audit("moderation", &format!("observation:{id}"), "release")
        .await?;
    Ok(Json(observation_json(state, &updated, None, true)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MergeBody {
    into: i64,
}

#[utoipa::path(
    post,
    path = "/api/observations/{id}/merge",
    tag = "moderation",
    operation_id = "mergeReport",
    summary = "Merge a report into another of the same type (a duplicate).",
    description = "Communitybuilder, wijkondernemer and admin whose scope contains the report. Callers who moderate nowhere get 401/403 before the report is looked up (they cannot tell existing reports from missing ones); a moderator gets 404 for a report that does not exist. The moderator must hold the scope of both reports. This report closes as `merged`; its reporter and confirmers become confirmations of `into` (provenance kept).",
    security(("cookieAuth" = [])),
    params(doc::params::ReportId, doc::params::CsrfToken),
    request_body(content((super::schemas::MergeRequest = "application/json"))),
    responses(
        (status = 200, description = "The report merged into (`into`).", content((super::schemas::Report = "application/json"))),
        (status = 400, response = doc::responses::MalformedBody),
        (status = 401, response = doc::responses::NoSession),
        (status = 403, response = doc::responses::ModeratorOnly),
        (status = 404, description = "No such report, or no report `into`: `NotFound`.", content((inline(doc::errors::NotFound) = "application/json"))),
        (status = 409, description = "One of the two reports is closed (withdrawn, merged, resolved or rejected): `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::InvalidValues),
    )
)]
pub(super) async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<MergeBody>, JsonRejection>,
) -> ApiResult<Response> {
    require_moderator_somewhere(&caller)?;
    let Json(body) = body?;
    let r = load_observation(&state, &raw).await?;
    let into = load_observation(&state, &body.into.to_string()).await?;
    require_moderator(&caller, &r, &state)?;
    require_moderator(&caller, &into, &state)?;
    for x in [&r, &into] {
        if x.status.is_closed() {
            return Err(closed_conflict(x.id, Some(x), "merged"));
        }
    }
    if r.observation.kind != into.observation.kind || r.id == into.id {
        return Err(invalid(
            "cannot merge",
            vec![field("/into", "another report of the same type")],
        ));
    }
    let people = Arc::clone(&state.people);
    let (id, target, actor) = (r.id, into.id, caller.actor());
    let (a, b) = blocking(move || {
        people
            .store
            .merge_observations(id, target, &actor, clock::now())?;
        Ok((
            people.store.observation(id)?,
            people.store.observation(target)?,
        ))
    })
    .await?;
    for u in [&a, &b].into_iter().flatten() {
        refresh_map(&state, u.id).await;
    }
    let b = b.ok_or_else(|| ApiError::NotFound(format!("no report {target}")))?;
    caller
        .audit(
            "moderation",
            &format!("observation:{id}"),
            &format!("merge into observation:{target}"),
        )
        .await?;
    Ok(Json(observation_json(&state, &b, None, true)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SplitBody {
    answers: Value,
}

#[utoipa::path(
    post,
    path = "/api/observations/{id}/split",
    tag = "moderation",
    operation_id = "splitReport",
    summary = "Split a new report off a report (two observations in one).",
    description = "Communitybuilder, wijkondernemer and admin whose scope contains the report. Callers who moderate nowhere get 401/403 before the report is looked up (they cannot tell existing reports from missing ones); a moderator gets 404 for a report that does not exist. The new report has the same place, reporter and time, the answers given, and status `new` (provenance kept).",
    security(("cookieAuth" = [])),
    params(doc::params::ReportId, doc::params::CsrfToken),
    request_body(content((super::schemas::SplitRequest = "application/json"))),
    responses(
        (status = 201, description = "The new report.", content((super::schemas::Report = "application/json"))),
        (status = 400, response = doc::responses::MalformedBody),
        (status = 401, response = doc::responses::NoSession),
        (status = 403, response = doc::responses::ModeratorOnly),
        (status = 404, response = doc::responses::NotFound),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::InvalidValues),
    )
)]
pub(super) async fn split(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<SplitBody>, JsonRejection>,
) -> ApiResult<Response> {
    require_moderator_somewhere(&caller)?;
    let Json(body) = body?;
    let r = load_observation(&state, &raw).await?;
    require_moderator(&caller, &r, &state)?;
    let t = read(&state.observations.types)
        .version(&r.observation.kind, r.type_version)
        .ok_or_else(|| ApiError::Internal("type of a stored report is gone".into()))?;
    let errors = t.validate(&body.answers);
    if !errors.is_empty() {
        return Err(invalid("the split report has invalid values", errors));
    }
    let people = Arc::clone(&state.people);
    let (id, text, actor) = (r.id, body.answers.to_string(), caller.actor());
    let new = blocking(move || {
        let Some(new_id) = people
            .store
            .split_observation(id, &text, &actor, clock::now())?
        else {
            return Ok(None);
        };
        Ok(people.store.observation(new_id)?)
    })
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no report {id}")))?;
    caller
        .audit(
            "moderation",
            &format!("observation:{id}"),
            &format!("split into observation:{}", new.id),
        )
        .await?;
    refresh_map(&state, new.id).await;
    Ok((
        StatusCode::CREATED,
        Json(observation_json(&state, &new, None, true)),
    )
        .into_response())
}
