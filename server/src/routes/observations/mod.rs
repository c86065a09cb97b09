//! Observations residents and staff report: `/api/observations/*`, split by resource — the
//! observation itself (`crud.rs`), confirming, flagging and `similar` (`confirm.rs`), the caller's
//! list and a building's timeline (`lists.rs`), photos (`photos.rs`), moderation
//! (`moderation.rs`) and observation types (`types.rs`). Every write is acknowledged only once
//! durable (group commit) and has refreshed the cached tiles it touches.

mod confirm;
mod crud;
mod lists;
mod moderation;
mod photos;
mod types;

use confirm::{SimilarTarget, confirm, flag, open_observation_like, similar};
use crud::{create, read_one, update, withdraw};
use lists::{mine, timeline};
use moderation::{merge, moderate, moderates, queue, split};
use photos::{add_photo, photo};
use types::{add_type, list_types, one_type};

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use domain::access::{Decision, Principal, Purpose, Resource, decide_about_pand};
use domain::observations::ObservationStatus;
use domain::{AreaRefs, BagId, Model};
use serde_json::{Value, json};
use store::Observation;

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::submit::{
    Draft, field, idempotency_key, invalid, prepare, refresh_map, store_observation,
};
use crate::observations::{read, resource_of};
use crate::routes::blocking;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/observation-types", get(list_types))
        .route("/api/observation-types/{name}", get(one_type))
        .route("/api/admin/observation-types", post(add_type))
        .route("/api/observations", post(create))
        .route("/api/observations/similar", get(similar))
        .route(
            "/api/observations/{id}",
            get(read_one).patch(update).delete(withdraw),
        )
        .route("/api/observations/{id}/confirmations", post(confirm))
        .route("/api/observations/{id}/flags", post(flag))
        .route("/api/observations/{id}/moderation", post(moderate))
        .route("/api/observations/{id}/merge", post(merge))
        .route("/api/observations/{id}/split", post(split))
        .route(
            "/api/observations/{id}/photos",
            post(add_photo).layer(DefaultBodyLimit::max(crate::photos::MAX_UPLOAD_BYTES)),
        )
        .route("/api/photos/{file}", get(photo))
        .route("/api/my/observations", get(mine))
        .route("/api/buildings/{id}/timeline", get(timeline))
        .route("/api/moderation", get(queue))
}

/// The caller's pseudonymous reporter id (a device session's, or the account's), or 401.
async fn reporter_of(state: &AppState, caller: &Caller) -> ApiResult<i64> {
    let Some(session) = &caller.session else {
        return Err(ApiError::unauthorized(
            "SignInRequired",
            "sign in, or start a device session (POST /api/auth/device), to report",
        ));
    };
    if let Some(r) = session.reporter {
        return Ok(r);
    }
    let Some(user) = &session.user else {
        return Err(ApiError::unauthorized("SignInRequired", "sign in first"));
    };
    let people = Arc::clone(&state.people);
    let id = user.id;
    blocking(move || Ok(people.store.reporter_for_user(id, clock::now())?)).await
}

/// A report as JSON for a caller. Free text that looked like personal data is withheld until a
/// moderator releases it, from everyone but its reporter and those who may moderate it
/// (`free_text`).
fn observation_json(
    state: &AppState,
    r: &Observation,
    my_reporter: Option<i64>,
    free_text: bool,
) -> Value {
    let o = &r.observation;
    let types = read(&state.observations.types);
    let mut answers: Value = serde_json::from_str(&o.answers).unwrap_or(Value::Null);
    let t = types
        .version(&o.kind, r.type_version)
        .or_else(|| types.current(&o.kind));
    let status_class = t
        .as_ref()
        .map_or_else(|| "unknown".to_owned(), |t| t.status_class(&answers));
    let withheld = match &t {
        Some(t) if r.pii_suspected && !free_text && my_reporter != Some(o.reporter_id) => {
            t.withhold_free_text(&mut answers)
        }
        _ => Vec::new(),
    };
    json!({
        "id": r.id,
        "type": o.kind,
        "type_version": r.type_version,
        "target": {
            "building": o.building_id.map(|b| format!("{b:016}")),
            "address": o.address_id.map(|a| format!("{a:016}")),
            "tree": r.tree_id,
            "point": { "type": "Point", "coordinates": [o.lonlat[0], o.lonlat[1]] },
        },
        "buurt": o.buurtcode,
        "observed_at": clock::rfc3339(o.observed_at),
        "created_at": clock::rfc3339(r.created_at),
        "source": o.source,
        "status": r.status,
        "status_class": status_class,
        "answers": answers,
        "free_text_in_review": r.pii_suspected,
        "withheld": withheld,
        "confirmations": r.confirmations,
        "photos": r.photos.iter().map(|p| format!("/api/photos/{p}.jpg")).collect::<Vec<_>>(),
        "mine": my_reporter == Some(o.reporter_id),
    })
}

fn observation_resource(state: &AppState, r: &Observation) -> Resource {
    let public = read(&state.observations.types)
        .current(&r.observation.kind)
        .is_some_and(|t| t.def.public_space);
    resource_of(
        public,
        r.observation.lonlat,
        observation_areas(r),
        r.observation.address_id,
    )
}

/// The CBS areas a report lies in (from its buurt).
fn observation_areas(r: &Observation) -> AreaRefs {
    r.observation
        .buurtcode
        .as_deref()
        .and_then(|b| b.parse().ok())
        .map(AreaRefs::from_code)
        .unwrap_or_default()
}

async fn my_reporter(state: &AppState, caller: &Caller) -> Option<i64> {
    match &caller.principal {
        Principal::Anonymous => None,
        Principal::Device { reporter } => Some(*reporter),
        Principal::User { .. } => reporter_of(state, caller).await.ok(),
    }
}

/// Loads a report the caller may see (its reporter, or the policy allows `purpose`); 404 otherwise
/// (the existence of a report about a home is private).
async fn visible_observation(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    purpose: Purpose,
) -> ApiResult<(Observation, Option<i64>)> {
    let r = load_observation(state, raw).await?;
    let mine = my_reporter(state, caller).await;
    if mine == Some(r.observation.reporter_id) {
        return Ok((r, mine));
    }
    let addresses = r
        .observation
        .building_id
        .map(|b| building_addresses(&state.model.load(), b))
        .unwrap_or_default();
    // A withdrawn report is its reporter's alone; a hidden one (abuse) is for its reporter and
    // those who may put it back.
    let open = match r.status {
        ObservationStatus::Withdrawn => false,
        ObservationStatus::Hidden => moderates(caller, &r, state),
        _ => true,
    };
    if open && sees_observation(caller, purpose, state, &r, &addresses) {
        return Ok((r, mine));
    }
    Err(ApiError::NotFound(format!("no report {}", r.id)))
}

/// The verblijfsobjecten in a pand (none when it is not in the model).
fn building_addresses(model: &Model, building: u64) -> Vec<u64> {
    BagId::new(building)
        .and_then(|b| model.find_building(b))
        .map(|b| {
            b.address_rows()
                .iter()
                .map(|r| model.address(*r).id().get())
                .collect()
        })
        .unwrap_or_default()
}

/// May the caller see report `r`: by role, as the verified resident of its address, or — for a
/// report about the pand itself (no address) — as the verified resident of one of the pand's
/// `addresses`? A report about one flat is never shown to the neighbours.
fn sees_observation(
    caller: &Caller,
    purpose: Purpose,
    state: &AppState,
    r: &Observation,
    addresses: &[u64],
) -> bool {
    let about_pand = r.observation.address_id.is_none();
    let addresses = if about_pand { addresses } else { &[] };
    sees_home(
        &caller.principal,
        purpose,
        &observation_resource(state, r),
        addresses,
    )
}

/// May `who` see data at `res` for `purpose`: by their role, or — for data about a pand — as the
/// verified resident of one of its `addresses` (the policy's `decide_about_pand`)?
fn sees_home(who: &Principal, purpose: Purpose, res: &Resource, addresses: &[u64]) -> bool {
    let pand: Vec<BagId> = addresses.iter().filter_map(|a| BagId::new(*a)).collect();
    decide_about_pand(who, purpose, res, &pand) == Decision::Allow
}

/// The caller's own observation `raw` (one they may read and reported themselves) and their
/// reporter id, for changing it; 403 "only its reporter may `what` a report" otherwise.
async fn own_observation(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    what: &str,
) -> ApiResult<(Observation, i64)> {
    let reporter = reporter_of(state, caller).await?;
    let (r, _) = visible_observation(state, caller, raw, Purpose::Map).await?;
    if r.observation.reporter_id != reporter {
        return Err(ApiError::forbidden(format!(
            "only its reporter may {what} a report"
        )));
    }
    Ok((r, reporter))
}

/// Observation `raw` as stored, or 404 (for a malformed id too).
async fn load_observation(state: &AppState, raw: &str) -> ApiResult<Observation> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no report {}",
            raw.chars().take(20).collect::<String>()
        ))
    };
    let id: i64 = raw.parse().map_err(|_| not_found())?;
    let people = Arc::clone(&state.people);
    blocking(move || Ok(people.store.observation(id)?))
        .await?
        .ok_or_else(not_found)
}

/// 409: the report's status does not allow `what` (e.g. putting back a withdrawn report).
fn closed_conflict(id: i64, r: Option<&Observation>, what: &str) -> ApiError {
    let now = r.map_or("gone", |r| r.status.as_str());
    ApiError::status_code(
        StatusCode::CONFLICT,
        "Conflict",
        format!("report {id} is {now}: it cannot be {what} now"),
    )
}
