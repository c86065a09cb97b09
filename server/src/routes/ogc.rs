//! OGC API – Features Part 1 (Core, GeoJSON) at `/ogc`: landing page, conformance, collections
//! `buildings`, `addresses` and `areas`, items with `bbox`, `limit` and offset paging, single items.
//!
//! Collections are filtered by the caller's role: each declares its class of data, and the policy
//! decides whether the caller sees it (the list leaves out what they may not see; asking for it
//! directly gives 401/403). `do-not-knock` (the opt-out register as address points; `niet-aanbellen` before) is for
//! staff in their scope: every feature passes the policy for its own location, reads are audited
//! and the responses are `Cache-Control: private, no-store`.

mod query;
pub(crate) mod schemas;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::access::{DataClass, Decision, Place, Principal, Purpose, Resource, decide};
use domain::privacy::OptOutRegister;
use domain::{BagId, Model, lonlat_to_world, world_to_lonlat};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::features::{address_feature, area_feature, building_feature};
use crate::openapi as doc;
use crate::routes::base_url;
use crate::state::AppState;
use query::{parse_items_query, query_string};

const GEOJSON: &str = "application/geo+json";
const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
/// Largest page; larger `limit`s are reduced to it (OGC API Features /req/core/fc-limit-response-1).
pub const MAX_LIMIT: usize = 1000;
const DEFAULT_LIMIT: usize = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(landing))
        // The landing page with a trailing slash: the same operation, documented once.
        .route("/ogc/", get(landing))
        .routes(routes!(conformance))
        .routes(routes!(collections))
        .routes(routes!(collection))
        .routes(routes!(items))
        .routes(routes!(item))
}

/// The collections served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Collection {
    Buildings,
    Addresses,
    Areas,
    DoNotKnock,
}

impl Collection {
    const ALL: [Self; 4] = [
        Self::Buildings,
        Self::Addresses,
        Self::Areas,
        Self::DoNotKnock,
    ];

    fn parse(id: &str) -> ApiResult<Self> {
        // `niet-aanbellen` is the earlier name of `do-not-knock`, answered for one release.
        let id = if id == "niet-aanbellen" {
            "do-not-knock"
        } else {
            id
        };
        Self::ALL.into_iter().find(|c| c.id() == id).ok_or_else(|| {
            ApiError::NotFound(format!(
                "no collection {:?}; collections are buildings, addresses, areas (and for staff do-not-knock)",
                id.chars().take(64).collect::<String>()
            ))
        })
    }

    fn id(self) -> &'static str {
        match self {
            Self::Buildings => "buildings",
            Self::Addresses => "addresses",
            Self::Areas => "areas",
            Self::DoNotKnock => "do-not-knock",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Buildings => "Panden (BAG)",
            Self::Addresses => "Verblijfsobjecten met adres (BAG)",
            Self::Areas => "Gemeenten, wijken en buurten (CBS)",
            Self::DoNotKnock => "Niet aanbellen (opt-out register)",
        }
    }

    /// The class of data, for the policy.
    fn class(self) -> DataClass {
        match self {
            Self::DoNotKnock => DataClass::OptOutRegister,
            _ => DataClass::Registers,
        }
    }

    /// The purpose a read of this collection serves.
    fn purpose(self) -> Purpose {
        match self {
            Self::DoNotKnock => Purpose::Canvassing,
            _ => Purpose::Map,
        }
    }

    fn private(self) -> bool {
        self.class() != DataClass::Registers
    }

    /// May the caller see this collection at all (somewhere in their scope)?
    fn visible_to(self, who: &Principal) -> bool {
        decide(
            who,
            self.purpose(),
            &Resource::new(self.class(), Place::Somewhere),
        ) == Decision::Allow
    }

    /// 401/403 unless the caller may see this collection.
    fn check(self, caller: &Caller) -> ApiResult<()> {
        caller.require_full(
            self.purpose(),
            &Resource::new(self.class(), Place::Somewhere),
        )
    }

    fn description(self) -> &'static str {
        match self {
            Self::Buildings => {
                "BAG panden that stand or are being built, with bouwjaar, status, gebruiksdoel, their addresses and the CBS areas they lie in"
            }
            Self::Addresses => {
                "BAG verblijfsobjecten with their main address (nummeraanduiding, openbare ruimte, woonplaats) and the panden they lie in"
            }
            Self::Areas => {
                "CBS wijk- en buurtkaart: gemeenten, wijken and buurten with names, codes and statistics (suppressed values are null)"
            }
            Self::DoNotKnock => {
                "Addresses whose household asked not to be visited (opt-out of canvassing), inside your area; for planning campaigns only"
            }
        }
    }
}

fn json_response(content_type: &'static str, body: &Value) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body.to_string()).into_response()
}

/// A response of collection `c`: private collections are never stored by caches.
fn collection_response(c: Collection, content_type: &'static str, body: &Value) -> Response {
    let mut r = json_response(content_type, body);
    if c.private() {
        r.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("private, no-store"),
        );
    }
    r
}

#[utoipa::path(
    get,
    path = "/ogc",
    tag = "features",
    operation_id = "ogcLandingPage",
    summary = "OGC API landing page.",
    responses(
        (status = 200, description = "Links to the API description, the conformance declaration and the collections.", content((schemas::LandingPage = "application/json"))),
    )
)]
async fn landing(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base_url(&state, &headers);
    json_response(
        "application/json",
        &json!({
            "title": "wijkwerk",
            "description": "BAG buildings and addresses and CBS areas of the neighbourhood, as OGC API Features",
            "links": [
                { "href": format!("{base}/ogc"), "rel": "self", "type": "application/json", "title": "This document" },
                { "href": format!("{base}/api/openapi.json"), "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.1", "title": "The API definition" },
                { "href": format!("{base}/ogc/conformance"), "rel": "conformance", "type": "application/json", "title": "Conformance classes" },
                { "href": format!("{base}/ogc/collections"), "rel": "data", "type": "application/json", "title": "Collections" }
            ]
        }),
    )
}

#[utoipa::path(
    get,
    path = "/ogc/conformance",
    tag = "features",
    operation_id = "ogcConformance",
    summary = "The conformance classes implemented.",
    responses(
        (status = 200, description = "Conformance declaration.", content((schemas::Conformance = "application/json"))),
    )
)]
async fn conformance() -> Response {
    json_response(
        "application/json",
        &json!({ "conformsTo": [
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
        ]}),
    )
}

fn collection_doc(state: &AppState, base: &str, c: Collection) -> Value {
    let b = **state.bounds.load();
    json!({
        "id": c.id(),
        "title": c.title(),
        "description": c.description(),
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "extent": { "spatial": { "bbox": [b], "crs": CRS84 } },
        "links": [
            { "href": format!("{base}/ogc/collections/{}", c.id()), "rel": "self", "type": "application/json", "title": c.title() },
            { "href": format!("{base}/ogc/collections/{}/items", c.id()), "rel": "items", "type": GEOJSON, "title": "Items as GeoJSON" }
        ]
    })
}

#[utoipa::path(
    get,
    path = "/ogc/collections",
    tag = "features",
    operation_id = "ogcCollections",
    summary = "The feature collections the caller may see.",
    description = "Everyone: `buildings`, `addresses`, `areas`; staff who may plan canvassing also get `do-not-knock`.",
    security((), ("cookieAuth" = [])),
    responses(
        (status = 200, description = "All collections.", content((schemas::Collections = "application/json"))),
    )
)]
async fn collections(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Response {
    let base = base_url(&state, &headers);
    let list: Vec<Value> = Collection::ALL
        .iter()
        .filter(|c| c.visible_to(&caller.principal))
        .map(|c| collection_doc(&state, &base, *c))
        .collect();
    json_response(
        "application/json",
        &json!({
            "links": [{ "href": format!("{base}/ogc/collections"), "rel": "self", "type": "application/json", "title": "Collections" }],
            "collections": list
        }),
    )
}

#[utoipa::path(
    get,
    path = "/ogc/collections/{collectionId}",
    tag = "features",
    operation_id = "ogcCollection",
    summary = "One feature collection.",
    security((), ("cookieAuth" = [])),
    params(doc::params::CollectionId),
    responses(
        (status = 200, description = "The collection's metadata.", content((schemas::Collection = "application/json")), headers(("Cache-Control" = inline(schemas::OgcCollection200CacheControl)))),
        (status = 401, description = "`do-not-knock` without signing in: `SignInRequired`.", content((inline(doc::errors::SignInRequired) = "application/json"))),
        (status = 403, description = "`do-not-knock` for a caller who may not plan canvassing: `Forbidden`.", content((inline(doc::errors::Forbidden) = "application/json"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn collection(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let c = Collection::parse(&id)?;
    c.check(&caller)?;
    Ok(collection_response(
        c,
        "application/json",
        &collection_doc(&state, &base_url(&state, &headers), c),
    ))
}

/// Does the policy let `who` see the do-not-knock entry of address row `row`?
fn opt_out_visible(model: &Model, who: &Principal, row: u32) -> bool {
    let a = model.address(row);
    let (lon, lat) = world_to_lonlat(a.point());
    let r = Resource::new(
        DataClass::OptOutRegister,
        Place::Located {
            lonlat: [lon, lat],
            areas: a.areas(),
        },
    );
    decide(who, Purpose::Canvassing, &r) == Decision::Allow
}

/// Rows of the collection inside `bbox` (all when `None`), in id order, that `who` may see.
fn matching_rows(
    model: &Model,
    c: Collection,
    bbox: Option<[f64; 4]>,
    who: &Principal,
    register: &OptOutRegister,
) -> Vec<u32> {
    if c == Collection::DoNotKnock {
        let (lo, hi) = match bbox {
            Some(b) => {
                let sw = lonlat_to_world(b[0], b[1]);
                let ne = lonlat_to_world(b[2], b[3]);
                ([sw[0], ne[1]], [ne[0], sw[1]])
            }
            None => ([i32::MIN, i32::MIN], [i32::MAX, i32::MAX]),
        };
        let mut rows: Vec<u32> = register
            .addresses(Purpose::Canvassing)
            .filter_map(|id| BagId::new(id).and_then(|id| model.find_address(id)))
            .filter(|a| {
                let p = a.point();
                p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1]
            })
            .map(|a| a.index())
            .filter(|r| opt_out_visible(model, who, *r))
            .collect();
        rows.sort_unstable();
        return rows;
    }
    let total = match c {
        Collection::Buildings => model.building_count(),
        Collection::Addresses => model.address_count(),
        Collection::Areas => model.area_count(),
        Collection::DoNotKnock => 0,
    } as u32;
    let Some(b) = bbox else {
        return (0..total).collect();
    };
    let sw = lonlat_to_world(b[0], b[1]);
    let ne = lonlat_to_world(b[2], b[3]);
    let (lo, hi) = ([sw[0], ne[1]], [ne[0], sw[1]]);
    let mut rows: Vec<u32> = match c {
        Collection::Buildings => model.buildings_in(lo, hi).map(|(r, _)| r).collect(),
        Collection::Addresses => model.addresses_in(lo, hi).collect(),
        Collection::Areas => model.areas_in(lo, hi).collect(),
        Collection::DoNotKnock => Vec::new(),
    };
    rows.sort_unstable();
    rows
}

fn feature_json(model: &Model, c: Collection, row: u32) -> Value {
    let f = match c {
        Collection::Buildings => building_feature(model, &model.building(row)),
        Collection::Addresses | Collection::DoNotKnock => {
            address_feature(model, &model.address(row))
        }
        Collection::Areas => area_feature(model, &model.area(row)),
    };
    serde_json::to_value(f).unwrap_or(Value::Null)
}

#[utoipa::path(
    get,
    path = "/ogc/collections/{collectionId}/items",
    tag = "features",
    operation_id = "ogcItems",
    summary = "Features of a collection, optionally within a bounding box, in pages.",
    description = "Features in id order. Follow `links[rel=next]` for the next page. `buildings` features are `BuildingFeature`s (with `adressen`), `addresses` are `AddressFeature`s, `areas` are `AreaFeature`s, `do-not-knock` are `AddressFeature`s (only those inside the caller's scope; reads are audited). Any other parameter is 400.",
    security((), ("cookieAuth" = [])),
    params(doc::params::CollectionId, schemas::OgcItemsBboxParam, schemas::OgcItemsLimitParam, schemas::OgcItemsOffsetParam, schemas::OgcItemsBboxCrsParam, schemas::OgcItemsFParam),
    responses(
        (status = 200, description = "One page of features.", content((schemas::FeatureCollection = "application/geo+json")), headers(("Cache-Control" = inline(schemas::OgcItems200CacheControl)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, description = "`do-not-knock` without signing in: `SignInRequired`.", content((inline(doc::errors::SignInRequired) = "application/json"))),
        (status = 403, description = "`do-not-knock` for a caller who may not plan canvassing: `Forbidden`.", content((inline(doc::errors::Forbidden) = "application/json"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn items(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let c = Collection::parse(&id)?;
    c.check(&caller)?;
    let q = parse_items_query(&pairs)?;
    let base = base_url(&state, &headers);
    let model = state.model.load_full();
    let q2 = q.clone();
    let who = caller.principal.clone();
    let register = state.people.opt_outs.load_full();
    let (features, matched) = tokio::task::spawn_blocking(move || {
        let rows = matching_rows(&model, c, q2.bbox, &who, &register);
        let page: Vec<Value> = rows
            .iter()
            .skip(q2.offset)
            .take(q2.limit)
            .map(|&r| feature_json(&model, c, r))
            .collect();
        (page, rows.len())
    })
    .await?;
    let href = |offset: usize| {
        format!(
            "{base}/ogc/collections/{}/items?{}",
            c.id(),
            query_string(&q, offset)
        )
    };
    let mut links = vec![
        json!({ "href": href(q.offset), "rel": "self", "type": GEOJSON, "title": "This page" }),
        json!({ "href": format!("{base}/ogc/collections/{}", c.id()), "rel": "collection", "type": "application/json", "title": c.title() }),
    ];
    if q.offset.saturating_add(features.len()) < matched {
        links.push(json!({ "href": href(q.offset.saturating_add(q.limit)), "rel": "next", "type": GEOJSON, "title": "Next page" }));
    }
    if q.offset > 0 {
        links.push(json!({ "href": href(q.offset.saturating_sub(q.limit)), "rel": "prev", "type": GEOJSON, "title": "Previous page" }));
    }
    let body = json!({
        "type": "FeatureCollection",
        "numberMatched": matched,
        "numberReturned": features.len(),
        "timeStamp": crate::clock::now_rfc3339(),
        "links": links,
        "features": features,
    });
    if c.private() {
        caller
            .audit(
                "read_opt_out_register",
                "ogc:niet-aanbellen",
                &format!("{} of {matched}", body["numberReturned"]),
            )
            .await?;
    }
    Ok(collection_response(c, GEOJSON, &body))
}

#[utoipa::path(
    get,
    path = "/ogc/collections/{collectionId}/items/{featureId}",
    tag = "features",
    operation_id = "ogcItem",
    summary = "One feature by its BAG identificatie (buildings, addresses) or CBS code (areas).",
    security((), ("cookieAuth" = [])),
    params(doc::params::CollectionId, schemas::OgcItemFeatureIdParam),
    responses(
        (status = 200, description = "The feature.", content((schemas::Feature = "application/geo+json")), headers(("Cache-Control" = inline(schemas::OgcItem200CacheControl)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, description = "`do-not-knock` without signing in: `SignInRequired`.", content((inline(doc::errors::SignInRequired) = "application/json"))),
        (status = 403, description = "`do-not-knock` for a caller who may not plan canvassing: `Forbidden`.", content((inline(doc::errors::Forbidden) = "application/json"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn item(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, fid)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let c = Collection::parse(&id)?;
    c.check(&caller)?;
    let model = state.model.load_full();
    let missing = || {
        ApiError::NotFound(format!(
            "no item {:?} in collection {}",
            fid.chars().take(64).collect::<String>(),
            c.id()
        ))
    };
    let mut feature = match c {
        Collection::Buildings | Collection::Addresses | Collection::DoNotKnock => {
            let bag: BagId = fid.parse().map_err(|_| missing())?;
            match c {
                Collection::Buildings => model
                    .find_building(bag)
                    .map(|b| building_feature(&model, &b)),
                Collection::DoNotKnock => model
                    .find_address(bag)
                    .filter(|a| {
                        state
                            .people
                            .opt_outs
                            .load()
                            .excludes(bag.get(), Purpose::Canvassing)
                            && opt_out_visible(&model, &caller.principal, a.index())
                    })
                    .map(|a| address_feature(&model, &a)),
                _ => model.find_address(bag).map(|a| address_feature(&model, &a)),
            }
        }
        Collection::Areas => fid
            .parse()
            .ok()
            .and_then(|code| model.find_area(code))
            .map(|a| area_feature(&model, &a)),
    }
    .map(|f| serde_json::to_value(f).unwrap_or(Value::Null))
    .ok_or_else(missing)?;
    let base = base_url(&state, &headers);
    if let Some(obj) = feature.as_object_mut() {
        obj.insert(
            "links".into(),
            json!([
                { "href": format!("{base}/ogc/collections/{}/items/{fid}", c.id()), "rel": "self", "type": GEOJSON, "title": "This feature" },
                { "href": format!("{base}/ogc/collections/{}", c.id()), "rel": "collection", "type": "application/json", "title": c.title() }
            ]),
        );
    }
    if c.private() {
        caller
            .audit(
                "read_opt_out_register",
                &format!("ogc:niet-aanbellen/{fid}"),
                "",
            )
            .await?;
    }
    Ok(collection_response(c, GEOJSON, &feature))
}
