//! `/tiles/{layer}.json` (TileJSON), `/tiles/{layer}/{z}/{x}/{y}.mvt`, and `/style.json`.
//!
//! A tile is rendered on the blocking pool, gzipped once and cached with its ETag; later requests
//! are a cache lookup. An empty tile is `204 No Content`.
//!
//! Tiles are filtered by the caller's visibility class ([`domain::access::Visibility`]): the public
//! gets the registers; staff with household rights in a scope get, in the composite tileset, the
//! per-household layers too (see `private_tiles`). The cache key holds the class, so one class
//! never receives another's tile, and private tiles are marked `Cache-Control: private`.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use domain::access::{DataClass, Place, Purpose, Resource, Visibility};
use tiles::{COMPOSITE, TileCoord, TileJsonSpec};

use crate::auth::Caller;
use crate::private_tiles::{
    AGGREGATE_LAYER, OPT_OUT_LAYER, PUBLIC_REPORTS_LAYER, REPORTS_LAYER, render_aggregates,
    render_opt_outs, render_private_reports, render_public_reports,
};

use crate::cache::{TileBody, TileKey, gzip};
use crate::error::{ApiError, ApiResult};
use crate::routes::base_url;
use crate::state::AppState;

/// Attribution of the registers shown on every map.
pub const ATTRIBUTION: &str = "BAG &copy; Kadaster (CC0), wijken en buurten &copy; CBS (CC BY 4.0)";

const MVT: &str = "application/vnd.mapbox-vector-tile";
/// Level for tiles compressed once and cached.
const GZIP_CACHED: u32 = 6;
/// Level for tiles compressed per request when caching is off: speed over size.
const GZIP_UNCACHED: u32 = 1;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tiles/{file}", get(tilejson))
        .route("/tiles/{layer}/{z}/{x}/{file}", get(tile))
        .route("/style.json", get(style))
}

/// Index of the do-not-knock tileset in cache keys.
const OPT_OUT_INDEX: u8 = u8::MAX - 1;
/// Index of the public-space reports tileset.
const PUBLIC_REPORTS_INDEX: u8 = u8::MAX - 2;
/// Index of the reports-about-homes tileset.
const REPORTS_INDEX: u8 = u8::MAX - 3;
/// Index of the public aggregate tileset.
const AGGREGATE_INDEX: u8 = u8::MAX - 4;

/// The tilesets whose tiles hold reports: `all` and the report overlays.
pub(crate) const REPORT_TILESETS: [u8; 4] = [
    u8::MAX,
    PUBLIC_REPORTS_INDEX,
    REPORTS_INDEX,
    AGGREGATE_INDEX,
];

fn tileset_index(state: &AppState, name: &str) -> ApiResult<u8> {
    if name == COMPOSITE {
        return Ok(u8::MAX);
    }
    if name == OPT_OUT_LAYER {
        return Ok(OPT_OUT_INDEX);
    }
    if name == PUBLIC_REPORTS_LAYER {
        return Ok(PUBLIC_REPORTS_INDEX);
    }
    if name == REPORTS_LAYER {
        return Ok(REPORTS_INDEX);
    }
    if name == AGGREGATE_LAYER {
        return Ok(AGGREGATE_INDEX);
    }
    state
        .tiles
        .layer_names()
        .position(|n| n == name)
        .map(|i| i as u8)
        .ok_or_else(|| tiles::Error::UnknownLayer(name.chars().take(64).collect()).into())
}

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
    let private = caller.principal.visibility() != Visibility::Public;
    let overlay = crate::private_tiles::OVERLAYS
        .iter()
        .find(|o| o.name == name)
        .copied();
    if let Some(o) = overlay
        && o.private
        && !private
    {
        return Err(caller.refuse(format!("the {name} layer is for staff in their area")));
    }
    let layers = if overlay.is_some() {
        Vec::new()
    } else {
        state.tiles.resolve(name)?
    };
    let base = base_url(&state, &headers);
    let spec = TileJsonSpec {
        name,
        tiles_url: format!("{base}/tiles/{name}/{{z}}/{{x}}/{{y}}.mvt"),
        bounds: **state.bounds.load(),
        attribution: ATTRIBUTION,
    };
    let mut doc = tiles::tilejson(&spec, &layers);
    let extra: Vec<serde_json::Value> = if name == COMPOSITE {
        crate::private_tiles::overlay_vector_layers(private)
    } else {
        crate::private_tiles::overlay_vector_layers(true)
            .into_iter()
            .filter(|v| v["id"] == name)
            .collect()
    };
    if let Some(o) = overlay {
        doc["minzoom"] = o.min_zoom.into();
        doc["maxzoom"] = tiles::MAX_ZOOM.into();
        doc["description"] = o.description.into();
    }
    if let Some(v) = doc["vector_layers"].as_array_mut() {
        v.extend(extra);
    }
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

fn accepts_gzip(headers: &HeaderMap) -> bool {
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
                (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !q_zero
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

async fn tile(
    State(state): State<AppState>,
    caller: Caller,
    Path((layer, z, x, file)): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let index = tileset_index(&state, &layer)?;
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
    // A per-household layer on its own: only for callers who may see its data somewhere.
    let own_layer = match index {
        OPT_OUT_INDEX => Some((
            Purpose::Canvassing,
            DataClass::OptOutRegister,
            "do-not-knock",
        )),
        REPORTS_INDEX => Some((Purpose::Map, DataClass::HouseholdObservations, "meldingen")),
        _ => None,
    };
    if let Some((purpose, class, name)) = own_layer {
        caller.require_full(purpose, &Resource::new(class, Place::Somewhere))?;
        if visibility == Visibility::Public {
            return Err(ApiError::forbidden(format!(
                "the {name} layer is for staff in their area"
            )));
        }
    }
    let private = visibility != Visibility::Public
        && matches!(index, u8::MAX | OPT_OUT_INDEX | REPORTS_INDEX);
    let gzip_ok = accepts_gzip(&headers);
    let public_key = TileKey {
        tileset: index,
        coord,
        visibility: Visibility::Public,
        generation: 0,
    };
    let key = if private {
        TileKey {
            tileset: index,
            coord,
            visibility: visibility.clone(),
            generation: state.private_generation(),
        }
    } else {
        public_key.clone()
    };
    if let Some(body) = state.cache.get(&key) {
        return Ok(respond(&body, gzip_ok, &headers, None, private));
    }
    // Noted before any data is read: a change from here on keeps this render out of the cache.
    let since = state.cache.epoch();
    let model = state.model.load_full();
    let tiles = Arc::clone(&state.tiles);
    let cached = state.cache.enabled();
    // The public part of a private composite tile comes from the shared cache when it is there.
    let public_part = if private && index == u8::MAX {
        state.cache.get(&public_key)
    } else {
        None
    };
    // A tile built on the cached public part is as old as the older of the two.
    let since = public_part.as_ref().map_or(since, |p| since.min(p.epoch));
    let register = state.people.opt_outs.load_full();
    // Cached per visibility class (grants): rendered for the grants alone, never one's own home.
    let principal = caller.principal.by_role_only();
    let reports = Arc::clone(&state.reports);
    let rule = state.people.settings.k_anonymity;
    let (body, per_request) =
        tokio::task::spawn_blocking(move || -> ApiResult<(TileBody, Option<Bytes>)> {
            // The live reports are read under their lock only while their few points are drawn,
            // never while the registers are rendered, so writers wait microseconds.
            let live = || crate::reports::read(&reports.index);
            let public_reports = || render_public_reports(&live(), coord);
            let aggregates = || render_aggregates(&model, &live(), &register, rule, coord);
            // MVT layers are independent messages: a composite tile is its layers' bytes in a row.
            let mut raw = match index {
                OPT_OUT_INDEX | REPORTS_INDEX => Vec::new(),
                PUBLIC_REPORTS_INDEX => public_reports(),
                AGGREGATE_INDEX => aggregates(),
                _ => {
                    if let Some(p) = &public_part {
                        p.raw.to_vec()
                    } else {
                        let mut raw = tiles.render(&model, &layer, coord)?;
                        if index == u8::MAX {
                            raw.extend(public_reports());
                            raw.extend(aggregates());
                        }
                        raw
                    }
                }
            };
            if private && matches!(index, u8::MAX | OPT_OUT_INDEX) {
                raw.extend(render_opt_outs(&model, &register, &principal, coord));
            }
            if private && matches!(index, u8::MAX | REPORTS_INDEX) {
                raw.extend(render_private_reports(&live(), &principal, coord));
            }
            if cached {
                Ok((TileBody::new(raw, GZIP_CACHED).read_at(since), None))
            } else {
                // Nothing is kept, so compress only what this client asked for.
                let g =
                    (gzip_ok && !raw.is_empty()).then(|| Bytes::from(gzip(&raw, GZIP_UNCACHED)));
                Ok((TileBody::new_uncompressed(raw), g))
            }
        })
        .await??;
    crate::config::TestHooks::get().hold_render(coord).await;
    let response = respond(&body, gzip_ok, &headers, per_request, private);
    if cached {
        state.cache.insert_rendered(&key, Arc::new(body), since);
    }
    Ok(response)
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
