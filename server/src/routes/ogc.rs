//! OGC API – Features Part 1 (Core, GeoJSON) at `/ogc`: landing page, conformance, collections
//! `buildings`, `addresses` and `areas`, items with `bbox`, `limit` and offset paging, single items.
//! Part 3 (Filtering): `filter=` in CQL2 text on `buildings`, `addresses` and `work`, compiled by
//! the `rules` crate against the register fields `work::Fields` declares, and their `queryables`.
//! The `work` collection is one point per work item, for those the policy lets see work items.
//! `urgency-buurt`, `urgency-wijk`, `urgency-grid100` and `urgency-h3-9` are the urgency
//! indicators per cell (aggregates, everyone; `filter=` over the indicator values).
//!
//! Collections are filtered by the caller's role: each declares its class of data, and the policy
//! decides whether the caller sees it (the list leaves out what they may not see; asking for it
//! directly gives 401/403). `do-not-knock` (the opt-out register as address points; `niet-aanbellen` before) is for
//! staff in their scope: every feature passes the policy for its own location, reads are audited
//! and the responses are `Cache-Control: private, no-store`.

mod query;
pub(crate) mod schemas;
mod urgency;

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
use work::ItemRef;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::features::{address_feature, area_feature, building_feature};
use crate::observations::read;
use crate::openapi as doc;
use crate::routes::base_url;
use crate::routes::work_items::describe_target;
use crate::state::AppState;
use query::{parse_items_query, query_string};

const GEOJSON: &str = "application/geo+json";
const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const SCHEMA_JSON: &str = "application/schema+json";
const QUERYABLES_REL: &str = "http://www.opengis.net/def/rel/ogc/1.0/queryables";
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
        .routes(routes!(queryables))
}

/// The register fields filters may name (the rules' declarations, without observations).
fn registers() -> &'static work::Fields {
    static FIELDS: std::sync::OnceLock<work::Fields> = std::sync::OnceLock::new();
    FIELDS.get_or_init(work::Fields::registers)
}

/// A filter that does not compile: 400 naming the field and what is wrong.
fn filter_error(e: rules::RuleError) -> ApiError {
    ApiError::BadFilter {
        field: e.field,
        position: e.position,
        message: e.message,
    }
}

fn compile_filter(text: &str, schema: &rules::Schema) -> ApiResult<rules::Predicate> {
    if text.trim().is_empty() {
        return Err(ApiError::param("filter", "is empty"));
    }
    rules::compile(text, schema).map_err(filter_error)
}

/// The collections served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Collection {
    Buildings,
    Addresses,
    Areas,
    DoNotKnock,
    Work,
    /// The urgency indicators at one level.
    Urgency(urgency_level::Level),
}

use ::urgency as urgency_level;

impl Collection {
    const ALL: [Self; 9] = [
        Self::Buildings,
        Self::Addresses,
        Self::Areas,
        Self::DoNotKnock,
        Self::Work,
        Self::Urgency(urgency::LEVELS[0]),
        Self::Urgency(urgency::LEVELS[1]),
        Self::Urgency(urgency::LEVELS[2]),
        Self::Urgency(urgency::LEVELS[3]),
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
                "no collection {:?}; collections are buildings, addresses, areas, urgency-buurt, urgency-wijk, urgency-grid100, urgency-h3-9 (and for staff do-not-knock and work)",
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
            Self::Work => "work",
            Self::Urgency(l) => match l {
                urgency_level::Level::Buurt => "urgency-buurt",
                urgency_level::Level::Wijk => "urgency-wijk",
                urgency_level::Level::Grid100 => "urgency-grid100",
                _ => "urgency-h3-9",
            },
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Buildings => "Panden (BAG)",
            Self::Addresses => "Verblijfsobjecten met adres (BAG)",
            Self::Areas => "Gemeenten, wijken en buurten (CBS)",
            Self::DoNotKnock => "Niet aanbellen (opt-out register)",
            Self::Work => "Werk (werkitems uit de regels)",
            Self::Urgency(l) => match l {
                urgency_level::Level::Buurt => "Urgentie per buurt",
                urgency_level::Level::Wijk => "Urgentie per wijk",
                urgency_level::Level::Grid100 => "Urgentie per CBS-vierkant van 100 m",
                _ => "Urgentie per H3-zeshoek (resolutie 9)",
            },
        }
    }

    /// The class of data, for the policy.
    fn class(self) -> DataClass {
        match self {
            Self::DoNotKnock => DataClass::OptOutRegister,
            Self::Work => DataClass::WorkItems,
            Self::Urgency(_) => DataClass::Aggregates,
            _ => DataClass::Registers,
        }
    }

    /// The purpose a read of this collection serves.
    fn purpose(self) -> Purpose {
        match self {
            Self::DoNotKnock => Purpose::Canvassing,
            Self::Urgency(_) => Purpose::Research,
            _ => Purpose::Map,
        }
    }

    fn private(self) -> bool {
        !matches!(self.class(), DataClass::Registers | DataClass::Aggregates)
    }

    /// Takes `filter=` (and has queryables).
    fn filterable(self) -> bool {
        matches!(
            self,
            Self::Buildings | Self::Addresses | Self::Work | Self::Urgency(_)
        )
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
            Self::Work => {
                "The work items the rules derive (one point per item: its kind, status, size and address), inside your area; households that opted out of canvassing are left out"
            }
            Self::Urgency(_) => {
                "The urgency indicators per cell (docs/urgency.md): for every indicator its released value, rounded numerator and denominator, and whether it was withheld (too few households or reporters); aggregates only"
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
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
            "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
            "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2"
        ]}),
    )
}

fn collection_doc(state: &AppState, base: &str, c: Collection) -> Value {
    let b = **state.bounds.load();
    let mut doc = json!({
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
    });
    if c.filterable()
        && let Some(links) = doc["links"].as_array_mut()
    {
        links.push(json!({ "href": format!("{base}/ogc/collections/{}/queryables", c.id()), "rel": QUERYABLES_REL, "type": SCHEMA_JSON, "title": "The fields a filter may name" }));
    }
    doc
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

/// Rows of the collection inside `bbox` (all when `None`) that `filter` lets through, in id
/// order, that `who` may see.
fn matching_rows(
    model: &Model,
    c: Collection,
    bbox: Option<[f64; 4]>,
    filter: Option<&rules::Predicate>,
    who: &Principal,
    register: &OptOutRegister,
) -> Vec<u32> {
    let mut rows = rows_in_box(model, c, bbox, who, register);
    if let Some(p) = filter {
        match c {
            Collection::Buildings => {
                let f = registers().of(work::TargetKind::Pand);
                rows.retain(|r| {
                    let b = model.building(*r);
                    p.matches(&f.register_row(Some(b), None, b.areas()))
                });
            }
            Collection::Addresses => {
                let f = registers().of(work::TargetKind::Verblijfsobject);
                rows.retain(|r| {
                    let a = model.address(*r);
                    let pand = a.building_rows().first().map(|i| model.building(*i));
                    p.matches(&f.register_row(pand, Some(a), a.areas()))
                });
            }
            // Not filterable: the handler refuses a filter before.
            _ => rows.clear(),
        }
    }
    rows
}

fn rows_in_box(
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
        Collection::DoNotKnock | Collection::Work | Collection::Urgency(_) => 0,
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
        Collection::DoNotKnock | Collection::Work | Collection::Urgency(_) => Vec::new(),
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
        Collection::Work | Collection::Urgency(_) => return Value::Null,
    };
    serde_json::to_value(f).unwrap_or(Value::Null)
}

#[utoipa::path(
    get,
    path = "/ogc/collections/{collectionId}/items",
    tag = "features",
    operation_id = "ogcItems",
    summary = "Features of a collection, optionally within a bounding box, in pages.",
    description = "Features in id order. Follow `links[rel=next]` for the next page. `buildings` features are `BuildingFeature`s (with `adressen`), `addresses` are `AddressFeature`s, `areas` are `AreaFeature`s, `do-not-knock` are `AddressFeature`s (only those inside the caller's scope; reads are audited), `work` are points with flat properties (only the items the caller may see; opted-out households left out). `filter` (CQL2 text) works on `buildings`, `addresses` and `work`, after `bbox`; `numberMatched` counts only what the caller may see, and the paging links repeat the filter. Any other parameter is 400.",
    security((), ("cookieAuth" = [])),
    params(doc::params::CollectionId, schemas::OgcItemsBboxParam, schemas::OgcItemsLimitParam, schemas::OgcItemsOffsetParam, schemas::OgcItemsBboxCrsParam, schemas::OgcItemsFParam, schemas::OgcItemsFilterParam, schemas::OgcItemsFilterLangParam, schemas::OgcItemsFilterCrsParam),
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
    if q.filter.is_some() && !c.filterable() {
        return Err(ApiError::param(
            "filter",
            format!(
                "collection {} takes no filter; buildings, addresses, work and the urgency collections do",
                c.id()
            ),
        ));
    }
    let base = base_url(&state, &headers);
    let model = state.model.load_full();
    let q2 = q.clone();
    let who = caller.principal.clone();
    let register = state.people.opt_outs.load_full();
    let (features, matched) = if c == Collection::Work {
        let st = state.clone();
        tokio::task::spawn_blocking(move || work_page(&st, &model, &q2, &who)).await??
    } else if let Collection::Urgency(level) = c {
        let filter = match &q.filter {
            Some(f) => Some(compile_filter(f, &urgency::schema(state.urgency.set()))?),
            None => None,
        };
        let st = state.clone();
        tokio::task::spawn_blocking(move || {
            urgency::page(&st, level, q2.bbox, filter.as_ref(), q2.offset, q2.limit)
        })
        .await??
    } else {
        let filter = match (&q.filter, c) {
            (Some(f), Collection::Buildings) => Some(compile_filter(
                f,
                registers().of(work::TargetKind::Pand).schema(),
            )?),
            (Some(f), Collection::Addresses) => Some(compile_filter(
                f,
                registers().of(work::TargetKind::Verblijfsobject).schema(),
            )?),
            _ => None,
        };
        tokio::task::spawn_blocking(move || {
            let rows = matching_rows(&model, c, q2.bbox, filter.as_ref(), &who, &register);
            let page: Vec<Value> = rows
                .iter()
                .skip(q2.offset)
                .take(q2.limit)
                .map(|&r| feature_json(&model, c, r))
                .collect();
            (page, rows.len())
        })
        .await?
    };
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
    if c == Collection::DoNotKnock {
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

/// The feature id of a work item: `kind:target_kind:id`, e.g. `zonnepanelen:pand:0599100000012345`.
fn work_feature_id(it: &ItemRef<'_>) -> String {
    format!(
        "{}:{}",
        it.rule.kind,
        it.item.target.key().replace('/', ":")
    )
}

/// A work item as a point feature with flat properties (good for GIS).
fn work_feature(model: &Model, it: &ItemRef<'_>) -> Value {
    let (lon, lat) = world_to_lonlat(it.item.point);
    let about = describe_target(model, it.item.target, it.item.point);
    let address = about["address"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| about["near"].as_str().map(|near| format!("bij {near}")));
    json!({
        "type": "Feature",
        "id": work_feature_id(it),
        "geometry": { "type": "Point", "coordinates": [(lon * 1e6).round() / 1e6, (lat * 1e6).round() / 1e6] },
        "properties": {
            "kind": it.rule.kind,
            "kind_title": it.rule.title.nl,
            "status": it.status.as_str(),
            "status_at": it.record.map(|r| crate::clock::rfc3339(r.at)),
            "size": (f64::from(it.item.size) * 10.0).round() / 10.0,
            "unit": it.rule.unit.nl,
            "address": address,
            "place": about["place"],
            "target": it.item.target.key(),
            "target_kind": it.item.target.kind().as_str(),
            "buurtcode": it.item.areas.buurt.map(|c| c.to_string()),
            "rule_holds": it.item.matches,
        }
    })
}

/// May `who` see this work item (the policy for its place, and not opted out)?
fn work_item_visible(
    model: &Model,
    who: &Principal,
    register: &OptOutRegister,
    it: &ItemRef<'_>,
) -> bool {
    let (lon, lat) = world_to_lonlat(it.item.point);
    let r = Resource::new(
        DataClass::WorkItems,
        Place::Located {
            lonlat: [lon, lat],
            areas: it.item.areas,
        },
    );
    decide(who, Purpose::Map, &r) == Decision::Allow
        && !work::opted_out(model, register, it.item.target)
}

/// May `who` see what observations say about the target of work item `it`?
fn observations_visible(who: &Principal, it: &ItemRef<'_>) -> bool {
    let (lon, lat) = world_to_lonlat(it.item.point);
    let class = match it.item.target {
        work::Target::PublicSpace(_) | work::Target::Tree(_) => DataClass::PublicSpaceObservations,
        _ => DataClass::HouseholdObservations,
    };
    let r = Resource::new(
        class,
        Place::Located {
            lonlat: [lon, lat],
            areas: it.item.areas,
        },
    );
    decide(who, Purpose::Map, &r) == Decision::Allow
}

/// One page of the `work` collection and the number of items matched (only items `who` may
/// see are counted): the items in `bbox` the caller may see, then the filter, ordered by kind
/// and target. A filter that reads observation fields matches only items whose observations the
/// caller may see too.
fn work_page(
    state: &AppState,
    model: &Model,
    q: &query::ItemsQuery,
    who: &Principal,
) -> ApiResult<(Vec<Value>, usize)> {
    // The observations before the work, as everywhere else (no lock-order inversion).
    let observations = q.filter.as_ref().map(|_| read(&state.observations.index));
    let work = read(&state.work);
    let register = state.people.opt_outs.load();
    let fields = q
        .filter
        .as_ref()
        .map(|_| work::ItemFields::new(work.rules(), work.fields()));
    let filter = match (&q.filter, &fields) {
        (Some(f), Some(fields)) => {
            let p = compile_filter(f, fields.schema())?;
            let observed = fields.reads_observations(&p);
            Some((p, observed))
        }
        _ => None,
    };
    let now = crate::clock::now();
    let inside = |p: domain::WorldPoint| match q.bbox {
        None => true,
        Some(b) => {
            let sw = lonlat_to_world(b[0], b[1]);
            let ne = lonlat_to_world(b[2], b[3]);
            p[0] >= sw[0] && p[0] <= ne[0] && p[1] >= ne[1] && p[1] <= sw[1]
        }
    };
    let mut v: Vec<ItemRef<'_>> = work
        .iter()
        .filter(|it| inside(it.item.point))
        .filter(|it| work_item_visible(model, who, &register, it))
        .filter(|it| match (&filter, &fields) {
            (Some((p, observed)), Some(fields)) => {
                (!observed || observations_visible(who, it))
                    && fields.matches(p, model, observations.as_deref().map(|o| (o, now)), it)
            }
            _ => true,
        })
        .collect();
    v.sort_by(|a, b| (&a.rule.kind, a.item.target).cmp(&(&b.rule.kind, b.item.target)));
    let page = v
        .iter()
        .skip(q.offset)
        .take(q.limit)
        .map(|it| work_feature(model, it))
        .collect();
    Ok((page, v.len()))
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
    let found = if c == Collection::Work {
        work_item_feature(&state, &model, &caller.principal, &fid)
    } else if let Collection::Urgency(level) = c {
        let st = state.clone();
        let code = fid.clone();
        tokio::task::spawn_blocking(move || urgency::one(&st, level, &code)).await??
    } else {
        register_feature(&state, &model, &caller.principal, c, &fid)
    };
    let mut feature = found.ok_or_else(missing)?;
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
    if c == Collection::DoNotKnock {
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

/// A work item by its feature id, when `who` may see it.
fn work_item_feature(state: &AppState, model: &Model, who: &Principal, fid: &str) -> Option<Value> {
    let mut parts = fid.splitn(2, ':');
    let kind = parts.next()?;
    let target = work::Target::parse_key(&parts.next()?.replacen(':', "/", 1))?;
    let work = read(&state.work);
    let it = work.get(kind, target)?;
    let register = state.people.opt_outs.load();
    work_item_visible(model, who, &register, &it).then(|| work_feature(model, &it))
}

/// A feature of a register collection (or of do-not-knock, when `who` may see it) by its id.
fn register_feature(
    state: &AppState,
    model: &Model,
    who: &Principal,
    c: Collection,
    fid: &str,
) -> Option<Value> {
    let f = match c {
        Collection::Buildings | Collection::Addresses | Collection::DoNotKnock => {
            let bag: BagId = fid.parse().ok()?;
            match c {
                Collection::Buildings => model
                    .find_building(bag)
                    .map(|b| building_feature(model, &b)),
                Collection::DoNotKnock => model
                    .find_address(bag)
                    .filter(|a| {
                        state
                            .people
                            .opt_outs
                            .load()
                            .excludes(bag.get(), Purpose::Canvassing)
                            && opt_out_visible(model, who, a.index())
                    })
                    .map(|a| address_feature(model, &a)),
                _ => model.find_address(bag).map(|a| address_feature(model, &a)),
            }
        }
        Collection::Areas => fid
            .parse()
            .ok()
            .and_then(|code| model.find_area(code))
            .map(|a| area_feature(model, &a)),
        Collection::Work | Collection::Urgency(_) => None,
    };
    f.map(|f| serde_json::to_value(f).unwrap_or(Value::Null))
}

#[utoipa::path(
    get,
    path = "/ogc/collections/{collectionId}/queryables",
    tag = "features",
    operation_id = "ogcQueryables",
    summary = "The fields a `filter` on a collection may name (OGC API Features Part 3), as JSON Schema.",
    description = "For `buildings` (the register fields of a pand) and `addresses` (of a verblijfsobject): the fields the work rules read, without observations. For `work`: `kind`, `status` and every field the rules read about the item's target, observation fields (`T.status_class`, `T.reports`, …) included. Other collections take no filter: 404.",
    security((), ("cookieAuth" = [])),
    params(doc::params::CollectionId),
    responses(
        (status = 200, description = "A JSON Schema (2020-12) of the queryable properties.", content((schemas::Queryables = "application/schema+json"))),
        (status = 401, description = "`work` without signing in: `SignInRequired`.", content((inline(doc::errors::SignInRequired) = "application/json"))),
        (status = 403, description = "`work` for a caller who may not see work items: `Forbidden`.", content((inline(doc::errors::Forbidden) = "application/json"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn queryables(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let c = Collection::parse(&id)?;
    c.check(&caller)?;
    let properties = match c {
        Collection::Buildings => schema_properties(registers().of(work::TargetKind::Pand).schema()),
        Collection::Addresses => {
            schema_properties(registers().of(work::TargetKind::Verblijfsobject).schema())
        }
        Collection::Work => {
            let work = read(&state.work);
            schema_properties(work::ItemFields::new(work.rules(), work.fields()).schema())
        }
        Collection::Urgency(_) => schema_properties(&urgency::schema(state.urgency.set())),
        _ => {
            return Err(ApiError::NotFound(format!(
                "collection {} takes no filter and has no queryables",
                c.id()
            )));
        }
    };
    let base = base_url(&state, &headers);
    Ok(collection_response(
        c,
        SCHEMA_JSON,
        &json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": format!("{base}/ogc/collections/{}/queryables", c.id()),
            "type": "object",
            "title": c.title(),
            "description": "The properties a filter (CQL2 text) may name. A missing value (an unknown bouwjaar, an address without a label) makes a comparison unknown, and unknown is not true.",
            "properties": properties,
            "additionalProperties": false,
        }),
    ))
}

/// The fields of `schema` as JSON Schema properties.
fn schema_properties(schema: &rules::Schema) -> Value {
    schema
        .describe()
        .map(|(name, t, values, description)| {
            let mut p = json!({
                "title": name,
                "description": description,
                "type": match t {
                    rules::FieldType::Number => "number",
                    rules::FieldType::Text => "string",
                    rules::FieldType::Bool => "boolean",
                },
            });
            if let Some(values) = values {
                p["enum"] = json!(values);
            }
            (name.to_owned(), p)
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}
