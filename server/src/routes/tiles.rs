//! `/tiles/{layer}.json` (TileJSON), `/tiles/{layer}/{z}/{x}/{y}.mvt`, and `/style.json`.
//!
//! A tile is rendered on the blocking pool (register tiles from z16 on, small and bounded, on the
//! request's own worker: see [`draws_inline`]), gzipped once and cached with its ETag; later
//! requests are a cache lookup. With the cache off, only what the client asked for is made (gzip
//! at level 1). An empty tile is `204 No Content`.
//!
//! The handler only resolves the caller, asks the cache and answers: which layers a tileset holds,
//! who may receive them and how they are drawn is the tile set's (`tiles::TileSet`, one layer model
//! for register and live layers). Tiles are filtered by the caller's visibility class
//! ([`domain::access::Visibility`]): everyone gets the public layers; staff with household rights
//! in a scope also get the per-household layers. The cache key holds the class, so one class never
//! receives another's tile, and such tiles are marked `Cache-Control: private`.

pub(crate) mod schemas;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use domain::access::{Place, Principal, Resource, Visibility};
use tiles::{Audience, COMPOSITE, Part, Source, Sources, TileCoord, TileJsonSpec};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;

use crate::cache::{TileBody, TileKey, gzip};
use crate::error::{ApiError, ApiResult};
use crate::openapi as doc;
use crate::routes::RouteDocumented;
use crate::routes::{base_url, blocking};
use crate::state::AppState;

/// Attribution of the registers shown on every map.
pub const ATTRIBUTION: &str = "BAG &copy; Kadaster (CC0), wijken en buurten &copy; CBS (CC BY 4.0)";

const MVT: &str = "application/vnd.mapbox-vector-tile";
/// Level for tiles compressed once and cached.
const GZIP_CACHED: u32 = 6;
/// Level for tiles compressed per request when caching is off: speed over size.
const GZIP_UNCACHED: u32 = 1;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // The handlers strip `.json` and `.mvt` (or `.pbf`) from the last segment themselves.
        .routes_at("/tiles/{file}", routes!(tilejson))
        .routes_at("/tiles/{layer}/{z}/{x}/{file}", routes!(tile))
        .routes(routes!(style))
}

#[utoipa::path(
    get,
    path = "/tiles/{layer}.json",
    tag = "tiles",
    operation_id = "tileJson",
    summary = "TileJSON 3.0.0 of a tileset.",
    description = "Everyone, but for `observations` and `do_not_knock` (staff with per-household rights). `vector_layers` of `all` lists the overlays the caller may see: `observations_per_buurt` and `public_space` for everyone, `observations` and `do_not_knock` too for staff with per-household rights. An overlay's own TileJSON has its `minzoom` and a `description`.",
    security((), ("cookieAuth" = [])),
    params(doc::params::Layer),
    responses(
        (status = 200, description = "TileJSON; `vector_layers` lists the MVT layers a tile of this layer holds.", content((schemas::TileJson = "application/json")), headers(("Cache-Control" = inline(schemas::TileJson200CacheControl)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, description = "`observations` or `do_not_knock` for a signed-in caller without per-household rights: `Forbidden`.", content((inline(doc::errors::Forbidden) = "application/json"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn tilejson(
    State(state): State<AppState>,
    caller: Caller,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let Some(name) = file.strip_suffix(".json") else {
        return Err(ApiError::NotFound(format!(
            "no such resource /tiles/{file}; TileJSON is at /tiles/{{layer}}.json"
        )));
    };
    let id = state.tiles.resolve(name)?;
    let viewer = caller.principal.by_role_only();
    let visibility = caller.principal.visibility();
    refuse_household_layer(&state, &caller, id, &visibility)?;
    let layers = state.tiles.visible_layers(id, &viewer);
    let private = visibility != Visibility::Public
        && !state
            .tiles
            .layers_for(id, Part::Household, &viewer)
            .is_empty();
    let base = base_url(&state, &headers);
    let spec = TileJsonSpec {
        name,
        tiles_url: format!("{base}/tiles/{name}/{{z}}/{{x}}/{{y}}.mvt"),
        bounds: **state.bounds.load(),
        attribution: ATTRIBUTION,
    };
    let doc = tiles::tilejson(&spec, &layers);
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CACHE_CONTROL,
                if private {
                    "private, no-cache"
                } else {
                    "no-cache"
                },
            ),
        ],
        doc.to_string(),
    )
        .into_response())
}

#[utoipa::path(
    get,
    path = "/style.json",
    tag = "tiles",
    operation_id = "style",
    summary = "The MapLibre style of the web map.",
    description = "Source `wijkwerk` (vector, `/tiles/all.json`) with layers `background`, `areas-fill`, `buildings-blocks`, `buildings-fill`, `buildings-outline`, `areas-outline`, `trees-point`, `addresses-point`, `street-names` (street names along their lines from zoom 15), `areas-label`; an optional raster source and layer `brt` when a background map is configured. Buildings are coloured by bouwjaar class: < 1920, 1920–1945, 1946–1970, 1971–1990, 1991–2010, ≥ 2011, unknown (9999).",
    responses(
        (status = 200, description = "MapLibre style, version 8.", content((schemas::Style = "application/json"))),
    )
)]
async fn style(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base_url(&state, &headers);
    let b = **state.bounds.load();
    let spec = tiles::StyleSpec {
        tilejson_url: format!("{base}/tiles/{COMPOSITE}.json"),
        center: [f64::midpoint(b[0], b[2]), f64::midpoint(b[1], b[3]), 14.0],
        background: state.config.background.as_ref(),
        glyphs: state.config.glyphs_url.as_deref(),
    };
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        tiles::style(&spec).to_string(),
    )
        .into_response()
}

/// Does the client take `Content-Encoding: gzip` (`Accept-Encoding`, `q=0` refuses)?
pub(crate) fn accepts_gzip(headers: &HeaderMap) -> bool {
    accepts_coding(headers, "gzip")
}

/// Does the client take content coding `coding` (`gzip`, `br`): named, or `*`, without `q=0`?
pub(crate) fn accepts_coding(headers: &HeaderMap, wanted: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',').any(|part| {
                let mut it = part.split(';');
                let coding = it.next().unwrap_or("").trim();
                let q_zero = it.any(|p| {
                    let p = p.trim();
                    p.strip_prefix("q=")
                        .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
                });
                (coding.eq_ignore_ascii_case(wanted) || coding == "*") && !q_zero
            })
        })
}

fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn respond(
    body: &TileBody,
    gzip_ok: bool,
    headers: &HeaderMap,
    per_request_gzip: Option<Bytes>,
    private: bool,
) -> Response {
    let etag = HeaderValue::from_str(&body.etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let common = [
        (header::ETAG, etag),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static(if private {
                "private, no-cache"
            } else {
                "public, max-age=60"
            }),
        ),
        (
            header::VARY,
            HeaderValue::from_static(if private {
                "accept-encoding, cookie"
            } else {
                "accept-encoding"
            }),
        ),
    ];
    if not_modified(headers, &body.etag) {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    if body.raw.is_empty() {
        return (StatusCode::NO_CONTENT, common).into_response();
    }
    let content_type = (header::CONTENT_TYPE, HeaderValue::from_static(MVT));
    if gzip_ok {
        let data = per_request_gzip.unwrap_or_else(|| body.gzip.clone());
        (
            common,
            [
                content_type,
                (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
            ],
            data,
        )
            .into_response()
    } else {
        (common, [content_type], body.raw.clone()).into_response()
    }
}

#[utoipa::path(
    get,
    path = "/tiles/{layer}/{z}/{x}/{y}.mvt",
    tag = "tiles",
    operation_id = "tile",
    summary = "One vector tile (Web Mercator, XYZ scheme).",
    description = "Everyone for the register layers and the public overlays (`observations_per_buurt`, `public_space`). For staff with household rights (admin, wijkondernemer, communitybuilder, volunteer) tiles of `all` and `do_not_knock` are rendered for their visibility class: `Cache-Control: private, no-cache` and `Vary: accept-encoding, cookie`. `do_not_knock` is for admin, wijkondernemer and communitybuilder only. `observations` on its own holds the same features as in `all` (401 signed out, 403 for roles that see homes only as aggregates). Overlays have no features below their `minzoom` (204).",
    security((), ("cookieAuth" = [])),
    params(doc::params::Tileset, schemas::TileZParam, schemas::TileXParam, schemas::TileYParam, schemas::TileIfNoneMatchParam),
    responses(
        (status = 200, description = "The tile.", content((inline(schemas::Tile200) = "application/vnd.mapbox-vector-tile")), headers(("ETag" = inline(doc::headers::ETag)), ("Cache-Control" = inline(doc::headers::CacheControl)))),
        (status = 204, description = "The tile holds no features."),
        (status = 304, description = "Not modified: `If-None-Match` matched the tile's ETag.", headers(("ETag" = inline(doc::headers::ETag)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, description = "`do_not_knock` without signing in: `SignInRequired`.", content((inline(doc::errors::SignInRequired) = "application/json"))),
        (status = 403, description = "`do_not_knock` for a caller who may not plan canvassing: `Forbidden`.", content((inline(doc::errors::Forbidden) = "application/json"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn tile(
    State(state): State<AppState>,
    caller: Caller,
    Path((layer, z, x, file)): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = state.tiles.resolve(&layer)?;
    let Some(y) = file
        .strip_suffix(".mvt")
        .or_else(|| file.strip_suffix(".pbf"))
    else {
        return Err(ApiError::BadRequest(format!(
            "tile {file:?} must be named {{y}}.mvt"
        )));
    };
    let coord = TileCoord::parse(&z, &x, y)?;
    let visibility = caller.principal.visibility();
    refuse_household_layer(&state, &caller, id, &visibility)?;
    // Drawn for the caller's grants alone (cached per visibility class), never one's own home.
    let viewer = caller.principal.by_role_only();
    let private = visibility != Visibility::Public
        && !state
            .tiles
            .layers_for(id, Part::Household, &viewer)
            .is_empty();
    let gzip_ok = accepts_gzip(&headers);
    let public_key = TileKey {
        tileset: id,
        coord,
        visibility: Visibility::Public,
    };
    let key = if private {
        TileKey {
            visibility: visibility.clone(),
            ..public_key.clone()
        }
    } else {
        public_key.clone()
    };
    // Noted before any data is read: a change from here on keeps this render out of the cache.
    let early = state.cache.epoch();
    // An urgency level draws its release, brought up to date first: that drops the tiles it
    // makes stale, so the cache is asked after it.
    let urgency = match state.tiles.layer(id).and_then(tiles::Layer::urgency_level) {
        Some(level) => {
            let st = state.clone();
            Some(
                blocking(move || {
                    st.urgency
                        .release(&st, level)
                        .map_err(|e| ApiError::Internal(e.to_string()))
                })
                .await?,
            )
        }
        None => None,
    };
    if let Some(body) = state.cache.get(&key) {
        return Ok(respond(&body, gzip_ok, &headers, None, private));
    }
    let since = if urgency.is_some() {
        early
    } else {
        state.cache.epoch()
    };
    // The public part of a private tile comes from the shared cache when it is there.
    let public_part = if private {
        state.cache.get(&public_key)
    } else {
        None
    };
    // A tile built on the cached public part is as old as the older of the two.
    let since = public_part.as_ref().map_or(since, |p| since.min(p.epoch));
    let cached = state.cache.enabled();
    // Small, bounded work is drawn where the request is; everything else on the blocking pool.
    let inline = !private && draws_inline(&state, id, coord);
    let state2 = state.clone();
    let render = move || -> ApiResult<(TileBody, Option<Bytes>)> {
        let state = state2;
        let model = state.model.load();
        let register = state.people.opt_outs.load();
        let sources = Sources {
            model: &model,
            observations: &state.observations.index,
            work: &state.work,
            opt_outs: &register,
            k_anonymity: state.people.settings.k_anonymity,
            now: crate::clock::now(),
            urgency: urgency.as_deref(),
        };
        let tiles = &state.tiles;
        let mut raw = match &public_part {
            Some(p) => p.raw.to_vec(),
            None => tiles.render_part(id, Part::Public, &sources, &Principal::Anonymous, coord),
        };
        if private {
            raw.extend(tiles.render_part(id, Part::Household, &sources, &viewer, coord));
        }
        if cached {
            Ok((TileBody::new(raw, GZIP_CACHED).read_at(since), None))
        } else {
            // Nothing is kept, so compress only what this client asked for.
            let g = (gzip_ok && !raw.is_empty()).then(|| gzip(&raw, GZIP_UNCACHED));
            Ok((TileBody::new_uncompressed(raw), g))
        }
    };
    let (body, per_request) = if inline {
        render()?
    } else {
        tokio::task::spawn_blocking(render).await??
    };
    crate::config::TestHooks::get().hold_render(coord).await;
    let response = respond(&body, gzip_ok, &headers, per_request, private);
    if cached {
        state.cache.insert_rendered(&key, Arc::new(body), since);
    }
    Ok(response)
}

/// From this zoom on, a tile whose layers read only the registers is drawn on the request's own
/// worker instead of the blocking pool.
const INLINE_MIN_ZOOM: u8 = 16;

/// Whether tile `coord` of tileset `id` is drawn on the worker that handles the request.
///
/// A register tile at z16 or deeper is bounded by the buildings of a few city blocks: on the
/// Martin benchmark set (200,000 panden) it takes ~40 µs to draw and at most 52 KB, about
/// what the hop to the blocking pool and back costs (two thread wake-ups, and with eight
/// connections eight render threads time-sharing two cores). Lower zooms can take
/// milliseconds, and live layers wait for their locks: those stay on the blocking pool, so a
/// worker never stalls on them.
fn draws_inline(state: &AppState, id: tiles::TilesetId, coord: TileCoord) -> bool {
    coord.z() >= INLINE_MIN_ZOOM
        && state
            .tiles
            .layers(id)
            .iter()
            .all(|l| l.reads().iter().all(|s| *s == Source::Registers))
}

/// A per-household layer on its own (its TileJSON or its tiles) is only for callers who may see
/// its data somewhere: 401/403 for everyone else.
fn refuse_household_layer(
    state: &AppState,
    caller: &Caller,
    id: tiles::TilesetId,
    visibility: &Visibility,
) -> ApiResult<()> {
    let Some(layer) = state.tiles.layer(id) else {
        return Ok(());
    };
    if let Audience::Household { purpose, class } = layer.audience() {
        caller.require_full(purpose, &Resource::new(class, Place::Somewhere))?;
        if *visibility == Visibility::Public {
            return Err(caller.refuse(format!(
                "the {} layer is for staff in their area",
                layer.name()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_negotiated() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
            accepts_gzip(&m)
        };
        assert!(h("gzip, deflate, br"));
        assert!(h("br;q=1.0, gzip;q=0.8"));
        assert!(!h("gzip;q=0"));
        assert!(!h("br"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
