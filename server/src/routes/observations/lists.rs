//! Lists: the caller's own observations and a building's timeline.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Place, Purpose, Resource};
use domain::observations::ObservationStatus;
use domain::{BagId, world_to_lonlat};
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::building_point;
use crate::routes::auth::no_store;
use crate::routes::blocking;
use crate::state::AppState;

use super::{
    building_addresses, moderates, my_reporter, observation_json, reporter_of, sees_home,
    sees_observation,
};
use crate::openapi as doc;

#[utoipa::path(
    get,
    path = "/api/my/observations",
    tag = "reports",
    operation_id = "myReports",
    summary = "The caller's own reports, with their status.",
    description = "Anyone with a session (an account or a device session).",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "Every report of the caller, withdrawn and closed ones included.", content((Vec<super::schemas::Report> = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SessionRequired),
    )
)]
pub(super) async fn mine(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let reporter = reporter_of(&state, &caller).await?;
    let people = Arc::clone(&state.people);
    let list = blocking(move || Ok(people.store.observations_of_reporter(reporter)?)).await?;
    let body: Vec<Value> = list
        .iter()
        .map(|r| observation_json(&state, r, Some(reporter), true))
        .collect();
    Ok(no_store(Json(body).into_response()))
}

#[utoipa::path(
    get,
    path = "/api/buildings/{id}/timeline",
    tag = "reports",
    operation_id = "buildingTimeline",
    summary = "The reports on a pand and its verblijfsobjecten over time, weighted by freshness and confirmations.",
    description = "Volunteer, communitybuilder, wijkondernemer and admin whose scope contains the pand; a resident who verified an address in it. Not signed in: 401; anyone else: 403 (they see household observations only as aggregates). Hidden reports are listed only to those who may moderate them.",
    security((), ("cookieAuth" = [])),
    params(doc::params::BuildingId),
    responses(
        (status = 200, description = "The timeline.", content((super::schemas::BuildingTimeline = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, description = "The caller may see reports about this pand only as aggregates: `Forbidden`.", content((inline(doc::errors::Forbidden) = "application/json"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
pub(super) async fn timeline(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no pand {}",
            raw.chars().take(20).collect::<String>()
        ))
    };
    let id: BagId = raw.parse().map_err(|_| not_found())?;
    let (place, address_ids) = {
        let model = state.model.load();
        let b = model.find_building(id).ok_or_else(not_found)?;
        let (lon, lat) = world_to_lonlat(building_point(&model, b.index()));
        (
            Place::Located {
                lonlat: [lon, lat],
                areas: b.areas(),
            },
            building_addresses(&model, id.get()),
        )
    };
    // Staff in scope and admins; or a resident who verified an address in this building.
    let res = Resource::new(DataClass::HouseholdObservations, place);
    if !sees_home(&caller.principal, Purpose::Map, &res, &address_ids) {
        caller.require_full(Purpose::Map, &res)?;
    }
    let people = Arc::clone(&state.people);
    let bid = id.get();
    let addresses = address_ids.clone();
    let list =
        blocking(move || Ok(people.store.observations_of_building(bid, &addresses)?)).await?;
    let now = clock::now();
    let mine = my_reporter(&state, &caller).await;
    let entries: Vec<Value> = list
        .iter()
        .filter(|r| {
            !matches!(
                r.status,
                ObservationStatus::Withdrawn | ObservationStatus::Merged
            )
        })
        // Each report as its own: a resident sees the pand's reports and their own flat's.
        .filter(|r| {
            mine == Some(r.observation.reporter_id)
                || sees_observation(&caller, Purpose::Map, &state, r, &address_ids)
        })
        // A hidden report (abuse) stays in the timeline only for those who may unhide it.
        .filter(|r| r.status != ObservationStatus::Hidden || moderates(&caller, r, &state))
        .map(|r| {
            let mut v = observation_json(&state, r, mine, moderates(&caller, r, &state));
            v["weight"] = json!(domain::observations::weight(
                now - r.observation.observed_at,
                r.confirmations
            ));
            v
        })
        .collect();
    Ok(no_store(
        Json(json!({ "building": id.to_string(), "entries": entries })).into_response(),
    ))
}
