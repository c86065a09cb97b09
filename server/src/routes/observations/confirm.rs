//! Saying "I saw that too" and "this is wrong": confirmations, abuse flags, and `similar` (the open
//! observation a new one would repeat).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Place, Purpose, Resource};
use domain::observations::ObservationStatus;
use domain::{BagId, lonlat_to_world, world_to_lonlat};
use serde::Deserialize;
use serde_json::json;

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::{self, Subject, building_point, read};
use crate::routes::auth::no_store;
use crate::routes::blocking;
use crate::state::AppState;

use super::{
    building_addresses, field, invalid, refresh_map, reporter_of, sees_home, visible_observation,
};
use crate::openapi as doc;

#[utoipa::path(
    post,
    path = "/api/observations/{id}/confirmations",
    tag = "reports",
    operation_id = "confirmReport",
    summary = "Confirm another reporter's report (seen it too).",
    description = "Anyone with a session, for a report they may see, or an open (`new` or `confirmed`) report of a street-visible type. No body.",
    security(("cookieAuth" = [])),
    params(doc::params::ReportId, doc::params::CsrfToken),
    responses(
        (status = 200, description = "Confirmed before by this caller: nothing changed.", content((super::schemas::ReportConfirmation = "application/json"))),
        (status = 201, description = "The confirmation is counted.", content((super::schemas::ReportConfirmation = "application/json"))),
        (status = 401, response = doc::responses::SessionRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 404, response = doc::responses::NotFoundReport),
        (status = 409, description = "One's own report: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
    )
)]
pub(super) async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let reporter = reporter_of(&state, &caller).await?;
    // Only a report the caller may read: for anyone else it does not exist (confirming or
    // flagging must not tell whether there is a report, nor silence one the caller cannot see).
    let (r, _) = visible_observation(&state, &caller, &raw, Purpose::Map).await?;
    if r.observation.reporter_id == reporter {
        return Err(ApiError::status_code(
            StatusCode::CONFLICT,
            "Conflict",
            "you cannot confirm your own report",
        ));
    }
    let people = Arc::clone(&state.people);
    let id = r.id;
    let (added, updated) = blocking(move || {
        let added = people.store.add_confirmation(id, reporter, clock::now())?;
        Ok((added, people.store.observation(id)?))
    })
    .await?;
    let updated = updated.ok_or_else(|| ApiError::NotFound(format!("no report {id}")))?;
    if added {
        refresh_map(&state, updated.id).await;
    }
    Ok((
        if added {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        Json(json!({ "id": id, "confirmations": updated.confirmations })),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FlagBody {
    reason: String,
}

#[utoipa::path(
    post,
    path = "/api/observations/{id}/flags",
    tag = "reports",
    operation_id = "flagReport",
    summary = "Flag a report as abusive.",
    description = "Anyone with a session, for a report they may see or confirm (see `confirmReport`). One flag per reporter counts; at 3 flags an open report is hidden.",
    security(("cookieAuth" = [])),
    params(doc::params::ReportId, doc::params::CsrfToken),
    request_body(content((super::schemas::FlagRequest = "application/json"))),
    responses(
        (status = 201, description = "The flag.", content((super::schemas::ReportFlag = "application/json"))),
        (status = 400, response = doc::responses::MalformedBody),
        (status = 401, response = doc::responses::SessionRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 404, response = doc::responses::NotFoundReport),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::InvalidValues),
    )
)]
pub(super) async fn flag(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<FlagBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let reporter = reporter_of(&state, &caller).await?;
    let reason = body.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(invalid(
            "invalid flag",
            vec![field("/reason", "1 to 500 characters")],
        ));
    }
    // Only a report the caller may read: for anyone else it does not exist (confirming or
    // flagging must not tell whether there is a report, nor silence one the caller cannot see).
    let (r, _) = visible_observation(&state, &caller, &raw, Purpose::Map).await?;
    let people = Arc::clone(&state.people);
    let hide_at = state.observations.settings.flags_to_hide;
    let id = r.id;
    let (n, updated) = blocking(move || {
        let n = people
            .store
            .add_flag(id, reporter, &reason, hide_at, clock::now())?;
        Ok((n, people.store.observation(id)?))
    })
    .await?;
    if let Some(u) = &updated {
        refresh_map(&state, u.id).await;
    }
    Ok((StatusCode::CREATED, Json(json!({ "id": id, "flags": n, "hidden": updated.is_some_and(|u| u.status == ObservationStatus::Hidden) }))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SimilarQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    building: Option<String>,
    address: Option<String>,
    lon: Option<f64>,
    lat: Option<f64>,
}

/// How near (metres) an open report about a public-space point must be to be offered for
/// confirming instead of a new one.
pub(super) const SIMILAR_RADIUS_M: f64 = 10.0;

/// Where `similar` looks.
pub(super) enum SimilarTarget {
    Building(u64),
    Address(u64),
    Point([f64; 2]),
}

/// Is there already an open report of this type on this building? Offered to confirm instead of
/// reporting again. Only for street-visible types and only to callers with a session.
#[utoipa::path(
    get,
    path = "/api/observations/similar",
    tag = "reports",
    operation_id = "similarReport",
    summary = "An open report of a type on a pand, a verblijfsobject or near a public-space point, to confirm instead of reporting again.",
    description = "Anyone with a session for a public-space point; about a building or an address only those who may see its reports (staff in scope, admins, its verified residents), 403 for everyone else whatever the building holds (a report that repeats an open one becomes a confirmation by itself, see `POST /api/observations`). Only for street-visible types. Give one of `building`, `address`, or `lon` and `lat` (then the nearest open report about a public-space point within 10 m).",
    security(("cookieAuth" = [])),
    params(super::schemas::SimilarReportTypeParam, super::schemas::SimilarReportBuildingParam, super::schemas::SimilarReportAddressParam, super::schemas::SimilarReportLonParam, super::schemas::SimilarReportLatParam),
    responses(
        (status = 200, description = "The report to confirm, or none.", content((super::schemas::SimilarReport = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, description = "A parameter is missing or invalid, or an unknown or repeated query parameter (`InvalidParameterValue`, naming it).", content((inline(doc::errors::InvalidParameterValue) = "application/json"), (String = "text/plain"))),
        (status = 401, response = doc::responses::SessionRequired),
        (status = 403, response = doc::responses::Forbidden),
    )
)]
pub(super) async fn similar(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<SimilarQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    reporter_of(&state, &caller).await?;
    let kind = q.kind.ok_or_else(|| ApiError::param("type", "required"))?;
    let t = read(&state.observations.types)
        .current(&kind)
        .ok_or_else(|| ApiError::param("type", "no such observation type"))?;
    if !t.def.visible_from_street {
        return Err(ApiError::param(
            "type",
            "only street-visible types are offered for confirming",
        ));
    }
    let bag = |param: &str, raw: &str| {
        raw.parse::<BagId>()
            .map(BagId::get)
            .map_err(|_| ApiError::param(param, "a 16-digit BAG identificatie"))
    };
    let target = match (q.building.as_deref(), q.address.as_deref(), q.lon, q.lat) {
        (Some(b), None, None, None) => SimilarTarget::Building(bag("building", b)?),
        (None, Some(a), None, None) => SimilarTarget::Address(bag("address", a)?),
        (None, None, Some(lon), Some(lat)) => {
            if !(-180.0..=180.0).contains(&lon) {
                return Err(ApiError::param("lon", "a longitude, -180 to 180"));
            }
            if !(-85.0..=85.0).contains(&lat) {
                return Err(ApiError::param("lat", "a latitude, -85 to 85"));
            }
            SimilarTarget::Point([lon, lat])
        }
        _ => {
            return Err(ApiError::param(
                "building",
                "give one of building, address, or lon and lat",
            ));
        }
    };
    // Observations about homes are household data: only callers who may see the reports about this
    // building (staff in scope, its verified residents) are told whether there is one. Everyone
    // else just reports; the server then turns a report like an open one into a confirmation
    // (see `create`). Public-space points are public.
    if let Some(res) = home_resource(&state, &target) {
        let (res, addresses) = res;
        if !sees_home(&caller.principal, Purpose::Map, &res, &addresses) {
            return Err(caller.refuse(
                "only those who may see the reports about this building are told whether there \
                 is one; just report, and a report like an open one counts as a confirmation",
            ));
        }
    }
    let existing = open_observation_like(&state, &kind, &target, None).map(|r| {
        json!({ "id": r.id, "status_class": r.status_class, "confirmations": r.confirmations, "observed_at": clock::rfc3339(r.observed_at) })
    });
    Ok(no_store(
        Json(json!({ "existing": existing })).into_response(),
    ))
}

/// The policy resource of a building or address `similar` asks about (household data at its
/// place, with the pand's addresses whose verified residents may see it); `None` for a point in
/// public space or a place not in the registers.
pub(super) fn home_resource(
    state: &AppState,
    target: &SimilarTarget,
) -> Option<(Resource, Vec<u64>)> {
    let model = state.model.load();
    let (place, address, addresses) = match *target {
        SimilarTarget::Point(_) => return None,
        SimilarTarget::Building(b) => {
            let row = model.find_building(BagId::new(b)?)?;
            let (lon, lat) = world_to_lonlat(building_point(&model, row.index()));
            (
                Place::Located {
                    lonlat: [lon, lat],
                    areas: row.areas(),
                },
                None,
                building_addresses(&model, b),
            )
        }
        SimilarTarget::Address(a) => {
            let row = model.find_address(BagId::new(a)?)?;
            let (lon, lat) = world_to_lonlat(row.point());
            (
                Place::Located {
                    lonlat: [lon, lat],
                    areas: row.areas(),
                },
                BagId::new(a),
                Vec::new(),
            )
        }
    };
    let mut res = Resource::new(DataClass::HouseholdObservations, place);
    res.address = address;
    Some((res, addresses))
}

/// The open report of type `kind` that a new report about `target` would repeat: about the pand
/// itself, about the same address, or the nearest public-space report within
/// [`SIMILAR_RADIUS_M`] of a point.
pub(super) fn open_observation_like(
    state: &AppState,
    kind: &str,
    target: &SimilarTarget,
    not_by: Option<i64>,
) -> Option<observations::LiveObservation> {
    let idx = read(&state.observations.index);
    let others = |r: &&observations::LiveObservation| not_by != Some(r.reporter);
    let best = match *target {
        // Observations about the pand itself, not about one of its addresses.
        SimilarTarget::Building(b) => idx
            .about(kind, Subject::Building(b))
            .filter(|r| r.address.is_none())
            .filter(others)
            .max_by_key(|r| (r.confirmations, r.observed_at)),
        // A report about an address is grouped under its pand (when the model has it).
        SimilarTarget::Address(a) => {
            let model = state.model.load();
            let pand = BagId::new(a)
                .and_then(|id| model.find_address(id))
                .and_then(|row| row.building_rows().first().copied())
                .map(|b| model.building(b).id().get());
            let subject = pand.map_or(Subject::Address(a), Subject::Building);
            idx.about(kind, subject)
                .filter(|r| r.address == Some(a))
                .filter(others)
                .max_by_key(|r| (r.confirmations, r.observed_at))
        }
        // The nearest point report about public space.
        SimilarTarget::Point([lon, lat]) => {
            let dlat = SIMILAR_RADIUS_M / 111_320.0;
            let dlon = dlat / lat.to_radians().cos();
            let a = lonlat_to_world(lon - dlon, lat - dlat);
            let b = lonlat_to_world(lon + dlon, lat + dlat);
            let lo = [a[0].min(b[0]), a[1].min(b[1])];
            let hi = [a[0].max(b[0]) + 1, a[1].max(b[1]) + 1];
            idx.features_in_box(lo, hi)
                .into_iter()
                .map(|f| f.newest)
                .filter(|r| {
                    r.kind == kind && r.public_space && r.building.is_none() && r.address.is_none()
                })
                .filter(others)
                .map(|r| (metres_between([lon, lat], r.lonlat), r))
                .filter(|(d, _)| *d <= SIMILAR_RADIUS_M)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, r)| r)
        }
    };
    best.cloned()
}

/// Distance in metres between two nearby WGS84 points (equirectangular; exact enough within a
/// few hundred metres).
pub(super) fn metres_between(a: [f64; 2], b: [f64; 2]) -> f64 {
    let lat = f64::midpoint(a[1], b[1]).to_radians();
    let dx = (b[0] - a[0]).to_radians() * lat.cos();
    let dy = (b[1] - a[1]).to_radians();
    6_371_008.8 * dx.hypot(dy)
}
