//! The JSON API beside OGC: address search, health, the OpenAPI document.

pub(crate) mod schemas;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::openapi as doc;
use crate::state::AppState;

const MAX_SEARCH: usize = 50;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(openapi))
        .routes(routes!(health))
}

#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "service",
    operation_id = "openapi",
    summary = "This OpenAPI document.",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document of the JSON API.", content((inline(schemas::Openapi200) = "application/vnd.oai.openapi+json;version=3.1"))),
    )
)]
async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, crate::openapi::MEDIA_TYPE)],
        crate::openapi::document(),
    )
        .into_response()
}

#[utoipa::path(
    get,
    path = "/health",
    tag = "service",
    operation_id = "health",
    summary = "Liveness and the size of the loaded model.",
    responses(
        (status = 200, description = "The server is up and serving the counts below.", content((Health = "application/json"))),
    )
)]
async fn health(State(state): State<AppState>) -> Response {
    let m = state.model.load();
    let body = Health {
        status: Up::Ok,
        buildings: m.building_count(),
        addresses: m.address_count(),
        areas: m.area_count(),
    };
    json_response(&body)
}

/// `body` as JSON.
fn json_response(body: &impl Serialize) -> Response {
    match serde_json::to_string(body) {
        Ok(text) => ([(header::CONTENT_TYPE, "application/json")], text).into_response(),
        Err(e) => ApiError::Internal(e.to_string()).into_response(),
    }
}

/// The answer of `GET /health`.
#[derive(Serialize, ToSchema)]
struct Health {
    #[schema(inline)]
    status: Up,
    /// Buildings (panden) in the serving model.
    buildings: usize,
    addresses: usize,
    /// CBS areas (buurten, wijken, gemeenten).
    areas: usize,
}

/// The server answers.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
enum Up {
    Ok,
}

/// The answer of `GET /api/search`.
#[derive(Serialize, ToSchema)]
struct SearchResponse {
    results: Vec<SearchResult>,
}

/// What a result is: an address, a place (a CBS buurt, wijk or gemeente) found by its name, a
/// street (an openbare ruimte in one woonplaats) or a postcode.
#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum ResultKind {
    Address,
    Buurt,
    Wijk,
    Gemeente,
    Street,
    Postcode,
}

/// An address or a place found.
#[derive(Serialize, ToSchema)]
struct SearchResult {
    /// What it is: places (by name) come before addresses.
    kind: ResultKind,
    /// The address's BAG identificatie, the place's CBS code, the postcode (`1234AB`), or for a
    /// street its name and woonplaats (`Dorpsstraat, Plaats`; the BAG's openbare ruimte is not
    /// imported).
    #[schema(examples("0344010000012345", "BU19990101", "1234AB", "Dorpsstraat, Plaats"))]
    identificatie: String,
    /// The address on one line (`Dorpsstraat 12A-2, 1234AB Plaats`), the place's name, the
    /// street and its woonplaats (`Dorpsstraat, Plaats`), or the postcode and its woonplaats
    /// (`1234 AB, Plaats`).
    #[schema(examples("Dorpsstraat 12A-2, 1234AB Plaats"))]
    label: String,
    /// For a street or a postcode, how many addresses it holds; null otherwise.
    #[schema(required = true, minimum = 1)]
    addresses: Option<u32>,
    /// The building the address lies in (the first if several); null when none.
    #[schema(value_type = Option<doc::shared::BagId>, required = true)]
    pand_identificatie: Option<String>,
    #[schema(minimum = -180, maximum = 180)]
    lon: f64,
    #[schema(minimum = -90, maximum = 90)]
    lat: f64,
    /// The extent of a place, a street or a postcode, WGS84 `[west, south, east, north]`; null
    /// for an address.
    #[schema(required = true)]
    bbox: Option<[f64; 4]>,
}

/// Places whose name holds `text` (case-insensitive, at least 2 characters): buurten, then wijken,
/// then gemeenten, a name that starts with the text first; when no name holds it, names with a
/// word it starts but for a typo ("Kloosterveldt" finds "Kloosterveld").
fn search_places(model: &domain::Model, text: &str, limit: usize) -> Vec<SearchResult> {
    let q = text.trim().to_lowercase();
    if q.chars().count() < 2 {
        return Vec::new();
    }
    let round = |v: f64| (v * 1e7).round() / 1e7;
    // Names holding the text; when none does, names with a word the text starts but for a typo.
    let folded = domain::fold_name(&q);
    let exact = model
        .area_rows()
        .any(|a| a.name().to_lowercase().contains(&q));
    let mut hits: Vec<(u8, bool, String, SearchResult)> = model
        .area_rows()
        .filter_map(|a| {
            let name = a.name().to_lowercase();
            let at = match name.find(&q) {
                Some(at) => at,
                None if !exact
                    && domain::fold_name(&name)
                        .split_whitespace()
                        .any(|w| domain::near_prefix(folded.trim(), w)) =>
                {
                    1
                }
                None => return None,
            };
            let (kind, rank) = match a.code().kind() {
                domain::AreaKind::Buurt => (ResultKind::Buurt, 0),
                domain::AreaKind::Wijk => (ResultKind::Wijk, 1),
                domain::AreaKind::Gemeente => (ResultKind::Gemeente, 2),
            };
            let (lon, lat) = domain::world_to_lonlat(a.label_point());
            Some((
                rank,
                at != 0,
                name,
                SearchResult {
                    kind,
                    identificatie: a.code().to_string(),
                    label: a.name().to_owned(),
                    addresses: None,
                    pand_identificatie: None,
                    lon: round(lon),
                    lat: round(lat),
                    bbox: Some(wgs84_bbox(a.bbox())),
                },
            ))
        })
        .collect();
    hits.sort_by(|a, b| (a.1, a.0, &a.2).cmp(&(b.1, b.0, &b.2)));
    hits.into_iter().take(limit).map(|h| h.3).collect()
}

/// A box of world corners as WGS84 `[west, south, east, north]`, to 7 decimals.
fn wgs84_bbox([lo, hi]: [domain::WorldPoint; 2]) -> [f64; 4] {
    let round = |v: f64| (v * 1e7).round() / 1e7;
    let (w, n) = domain::world_to_lonlat(lo);
    let (e, s) = domain::world_to_lonlat(hi);
    [
        round(w.min(e)),
        round(s.min(n)),
        round(w.max(e)),
        round(s.max(n)),
    ]
}

/// Streets and postcodes found, each with the extent of its addresses.
fn group_results(model: &domain::Model, groups: Vec<domain::GroupHit>) -> Vec<SearchResult> {
    let round = |v: f64| (v * 1e7).round() / 1e7;
    groups
        .into_iter()
        .map(|g| {
            let (lon, lat) = domain::world_to_lonlat(model.address(g.middle).point());
            let postcode = g.name.len() == 6
                && g.name[..4].bytes().all(|b| b.is_ascii_digit())
                && g.name[4..].bytes().all(|b| b.is_ascii_uppercase());
            let (kind, identificatie, label) = if postcode {
                let spaced = format!("{} {}", &g.name[..4], &g.name[4..]);
                (
                    ResultKind::Postcode,
                    g.name.clone(),
                    format!("{spaced}, {}", g.place),
                )
            } else {
                let label = format!("{}, {}", g.name, g.place);
                (ResultKind::Street, label.clone(), label)
            };
            SearchResult {
                kind,
                identificatie,
                label,
                addresses: Some(g.addresses),
                pand_identificatie: None,
                lon: round(lon),
                lat: round(lat),
                bbox: Some(wgs84_bbox(g.bbox)),
            }
        })
        .collect()
}

#[utoipa::path(
    get,
    path = "/api/search",
    tag = "search",
    operation_id = "searchAddresses",
    summary = "Find places (buurt, wijk, gemeente) by name, streets and postcodes, and addresses by street, house number, postcode or place.",
    description = "Free text, case-insensitive, a typo tolerated. First the places whose name holds the text (at most 5, with their extent), then the streets the words name or the postcode the text is (at most 3, with their extent and how many addresses; not when the text has a house number), then addresses, best match first, each with the building (pand) it lies in when there is one; `limit` counts them all. Any parameter other than `q` and `limit` is 400.",
    params(schemas::SearchAddressesQParam, schemas::SearchAddressesLimitParam),
    responses(
        (status = 200, description = "Matching addresses (possibly none).", content((SearchResponse = "application/json"))),
        (status = 400, response = doc::responses::BadRequest),
    )
)]
async fn search(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Response> {
    let mut text = None;
    let mut limit = 10;
    for (k, v) in &pairs {
        match k.as_str() {
            "q" => text = Some(v.clone()),
            "limit" => {
                limit = v
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_SEARCH).contains(n))
                    .ok_or_else(|| {
                        ApiError::param(
                            "limit",
                            format!("{v:?} is not a whole number from 1 to {MAX_SEARCH}"),
                        )
                    })?;
            }
            other => {
                return Err(ApiError::param(
                    other,
                    "unknown parameter; search accepts q and limit",
                ));
            }
        }
    }
    let text =
        text.ok_or_else(|| ApiError::param("q", "missing: give an address, e.g. q=Kerkstraat 12"))?;
    if text.chars().count() > 200 {
        return Err(ApiError::param("q", "longer than 200 characters"));
    }
    let model = state.model.load_full();
    let results = tokio::task::spawn_blocking(move || {
        let mut results = search_places(&model, &text, limit.min(5));
        // Streets or postcodes (at most 3), then addresses, in what the places leave.
        let rest = limit - results.len();
        let found = model.search(&text, rest.min(3), rest);
        results.extend(group_results(&model, found.groups));
        results.extend(found.addresses.into_iter().map(|hit| {
            let a = model.address(hit.address);
            let (lon, lat) = domain::world_to_lonlat(a.point());
            let pand = a
                .building_rows()
                .first()
                .map(|&b| model.building(b).id().to_string());
            SearchResult {
                kind: ResultKind::Address,
                identificatie: a.id().to_string(),
                label: a.label(),
                addresses: None,
                pand_identificatie: pand,
                lon: (lon * 1e7).round() / 1e7,
                lat: (lat * 1e7).round() / 1e7,
                bbox: None,
            }
        }));
        results
    })
    .await?;
    Ok(json_response(&SearchResponse { results }))
}
