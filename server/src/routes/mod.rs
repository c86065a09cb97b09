//! The HTTP surface: one router per resource, merged here.

mod account;
mod admin;
mod api;
pub(crate) mod auth;
mod exports;
pub(crate) mod observations;
mod ogc;
mod open311;
mod staff;
pub(crate) mod tiles;
mod web;

use axum::Router;
use axum::http::HeaderMap;
use domain::access::code_within;
use domain::{AreaCode, AreaRefs, Model};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// All routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(tiles::router())
        .merge(ogc::router())
        .merge(api::router())
        .merge(auth::router())
        .merge(account::router())
        .merge(admin::router())
        .merge(staff::router())
        .merge(exports::router())
        .merge(observations::router())
        .merge(open311::router())
        .merge(web::router())
}

/// Runs store work on the blocking pool and passes its error through.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> crate::error::ApiResult<T> + Send + 'static,
) -> crate::error::ApiResult<T> {
    tokio::task::spawn_blocking(f).await?
}

/// The base of the absolute self links in API answers (TileJSON, the style, OGC API, Open311):
/// the configured public URL, or the scheme and host the request was sent to. Forwarded headers
/// reach this far only from a trusted proxy (the guard drops them otherwise). Never for links that
/// leave the request (mail, letters, PDFs): those use [`link_base`].
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.clone();
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|h| h.to_str().ok())
            .map(str::trim)
            .filter(|h| {
                !h.is_empty()
                    && h.bytes().all(|b| b.is_ascii_graphic())
                    && !h.contains(['/', '"', '<', '>', '\\', ','])
            })
    };
    let host = header("x-forwarded-host")
        .or_else(|| header(axum::http::header::HOST.as_str()))
        .map_or_else(|| state.config.listen.to_string(), str::to_owned);
    let proto = header("x-forwarded-proto")
        .filter(|p| *p == "https" || *p == "http")
        .unwrap_or("http");
    format!("{proto}://{host}")
}

/// The base of links that leave the request — in a sign-in mail, a letter, a PDF: only from
/// configuration (`--public-url`), or the listen address when it is loopback (the demo, a
/// developer's machine). `None` otherwise: such a link is not sent, never built from a header an
/// attacker can set.
pub(crate) fn link_base(state: &AppState) -> Option<String> {
    if let Some(u) = &state.config.public_url {
        return Some(u.clone());
    }
    let listen = state.config.listen;
    listen
        .ip()
        .is_loopback()
        .then(|| format!("http://{listen}"))
}

/// Parses `?area=` (or a body's `area`): a CBS code that exists in the data.
pub(crate) fn parse_area(raw: &str, model: &Model) -> ApiResult<AreaCode> {
    let code: AreaCode = raw
        .parse()
        .map_err(|_| ApiError::param("area", "a CBS code: GMgggg, WKggggww or BUggggwwbb"))?;
    if model.find_area(code).is_none() {
        return Err(ApiError::unprocessable(format!(
            "area: no area {code} in the data"
        )));
    }
    Ok(code)
}

/// Does any of the area references lie within `code`?
pub(crate) fn in_area(refs: AreaRefs, code: AreaCode) -> bool {
    [refs.buurt, refs.wijk, refs.gemeente]
        .into_iter()
        .flatten()
        .any(|c| code_within(c, code))
}
