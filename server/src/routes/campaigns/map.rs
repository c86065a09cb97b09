//! The campaign on the organiser's map (issue 13 §2, §6): each route as an outline around its
//! doors, coloured by progress, with its doors; and redrawing routes by hand — doors moved from
//! one route to another, for routes nobody walks yet.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::access::{Decision, Purpose, decide};
use geo::{ConvexHull, MultiPoint, Point};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{campaign_detail, campaign_resource, organised_turf, organises, parse_turf};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::openapi as doc;
use crate::routes::assignments::parse_id;
use crate::routes::auth::no_store;
use crate::routes::blocking;
use crate::state::AppState;

/// Most doors moved in one request.
const MAX_MOVE: usize = 500;
/// Half the margin around a route's doors, degrees (about 7 m).
const MARGIN: f64 = 0.0001;

/// An outline around `points`: the convex hull of the doors with a margin, closed.
fn outline(points: &[(f64, f64)]) -> Vec<[f64; 2]> {
    let lat_margin = MARGIN * 0.62;
    let spread: Vec<Point<f64>> = points
        .iter()
        .flat_map(|(x, y)| {
            [
                Point::new(x - MARGIN, y - lat_margin),
                Point::new(x + MARGIN, y - lat_margin),
                Point::new(x + MARGIN, y + lat_margin),
                Point::new(x - MARGIN, y + lat_margin),
            ]
        })
        .collect();
    let hull = MultiPoint(spread).convex_hull();
    hull.exterior()
        .points()
        .map(|p| [(p.x() * 1e6).round() / 1e6, (p.y() * 1e6).round() / 1e6])
        .collect()
}

#[utoipa::path(
    get,
    path = "/api/campaigns/{id}/map",
    tag = "campaigns",
    operation_id = "campaignMap",
    summary = "The campaign's routes on a map: an outline per route with its progress, and its doors.",
    description = "Wijkondernemer and communitybuilder in whose scope the campaign lies; admin (others: 404). GeoJSON: per route a polygon around its doors (`kind` `route`: number, doors, visited, the share visited, held or free) and per door a point (`kind` `door`: its route and address, no outcome). For drawing the routes coloured by progress and redrawing them.",
    security(("cookieAuth" = [])),
    params(super::schemas::CampaignIdParam),
    responses(
        (status = 200, description = "The routes and doors.", content((CampaignMap = "application/geo+json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 404, response = doc::responses::NotFound),
    )
)]
pub(super) async fn campaign_map(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = parse_id(&id)?;
    let st = state.clone();
    let c = caller.clone();
    let body = blocking(move || {
        let store = &st.people.store;
        let row = store
            .campaign(id)?
            .filter(|r| {
                decide(&c.principal, Purpose::Map, &campaign_resource(&r.spec.area))
                    == Decision::Allow
                    && organises(&c, &r.spec.area)
            })
            .ok_or_else(|| ApiError::NotFound(format!("no campaign {id}")))?;
        let model = st.model.load();
        let counts = store.turf_counts(row.id)?;
        let mut features = Vec::new();
        let mut doors_out = Vec::new();
        for t in store.turfs(row.id)? {
            let mut points = Vec::new();
            for (i, a) in store.turf_doors(t.id)?.into_iter().enumerate() {
                let Some(addr) = domain::BagId::new(a).and_then(|b| model.find_address(b)) else {
                    continue;
                };
                let (lon, lat) = domain::world_to_lonlat(addr.point());
                points.push((lon, lat));
                doors_out.push(json!({
                    "type": "Feature",
                    "geometry": { "type": "Point", "coordinates": [(lon * 1e6).round() / 1e6, (lat * 1e6).round() / 1e6] },
                    "properties": {
                        "kind": "door",
                        "route": t.id,
                        "route_number": t.number,
                        "address": a.to_string(),
                        "label": addr.street_line(),
                        "order": i + 1,
                    },
                }));
            }
            if points.is_empty() {
                continue;
            }
            let c = counts.get(&t.id);
            let n = |o: &str| c.and_then(|m| m.get(o)).copied().unwrap_or(0);
            let visited = n("interested") + n("not_interested") + n("signed_up") + n("not_home") + n("do_not_knock");
            features.push(json!({
                "type": "Feature",
                "geometry": { "type": "Polygon", "coordinates": [outline(&points)] },
                "properties": {
                    "kind": "route",
                    "route": t.id,
                    "route_number": t.number,
                    "doors": t.doors,
                    "visited": visited,
                    "share": if t.doors > 0 { (visited as f64 / t.doors as f64 * 100.0).round() / 100.0 } else { 0.0 },
                    "held": t.holder.is_some(),
                },
            }));
        }
        features.extend(doors_out);
        Ok(json!({ "type": "FeatureCollection", "features": features }))
    })
    .await?;
    Ok(no_store(
        (
            [(axum::http::header::CONTENT_TYPE, "application/geo+json")],
            body.to_string(),
        )
            .into_response(),
    ))
}

/// Doors to move into a route.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MoveDoorsRequest)]
pub(super) struct MoveBody {
    /// BAG ids of verblijfsobjecten on other routes of this campaign (1–500), in the order to
    /// walk them after the route's own doors.
    addresses: Vec<String>,
}

#[utoipa::path(
    post,
    path = "/api/campaigns/{id}/turfs/{turf}/doors",
    tag = "campaigns",
    operation_id = "moveDoors",
    summary = "Redraw routes by hand: move doors of other routes to the end of this one.",
    description = "Wijkondernemer and communitybuilder in whose scope the campaign lies; admin (others: 404). Every route involved must be free and without visits (else 409); a door on no route of this campaign is 409; a route left without doors is removed. All or nothing. Audited.",
    security(("cookieAuth" = [])),
    params(super::schemas::CampaignIdParam, super::schemas::TurfIdParam, doc::params::CsrfToken),
    request_body(content((MoveBody = "application/json"))),
    responses(
        (status = 200, description = "The campaign as it stands.", content((super::schemas::Campaign = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "A route is held or visited, or a door is on no route of this campaign: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
pub(super) async fn move_doors(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, turf)): Path<(String, String)>,
    body: Result<Json<MoveBody>, JsonRejection>,
) -> ApiResult<Response> {
    caller.user()?;
    let (id, turf) = (parse_id(&id)?, parse_turf(&turf)?);
    let Json(body) = body?;
    if body.addresses.is_empty() || body.addresses.len() > MAX_MOVE {
        return Err(ApiError::unprocessable(format!(
            "addresses: 1 to {MAX_MOVE} doors, not {}",
            body.addresses.len()
        )));
    }
    let mut addresses = Vec::with_capacity(body.addresses.len());
    for a in &body.addresses {
        let id: domain::BagId = a.parse().map_err(|_| {
            ApiError::unprocessable(format!(
                "addresses: {:?} is not a BAG identificatie of 16 digits",
                a.chars().take(20).collect::<String>()
            ))
        })?;
        addresses.push(id.get());
    }
    let st = state.clone();
    let caller2 = caller.clone();
    let moved = blocking(move || {
        organised_turf(&st, &caller2, id, turf)?;
        Ok(st.people.store.move_doors(id, turf, &addresses)?)
    })
    .await?;
    state.urgency.doors_changed();
    let detail = format!("{moved} doors moved in");
    caller
        .audit("turf_reshaped", &format!("turf:{turf}"), &detail)
        .await?;
    let body = campaign_detail(&state, &caller, id).await?;
    Ok(no_store(Json(body).into_response()))
}

crate::openapi::schema! {
    /// The body of `campaignMap` (200).
    CampaignMap = r#"{
  "type": "object",
  "required": ["type", "features"],
  "properties": {
    "type": {"const": "FeatureCollection"},
    "features": {"type": "array", "items": {"type": "object", "required": ["type", "geometry", "properties"]}}
  }
}"#
}
