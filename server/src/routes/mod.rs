//! The HTTP surface: one router per resource, merged here.

mod account;
mod admin;
mod api;
pub(crate) mod auth;
mod exports;
mod ogc;
mod open311;
pub(crate) mod reports;
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
        .merge(reports::router())
        .merge(open311::router())
        .merge(web::router())
}

/// Runs store work on the blocking pool and passes its error through.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> crate::error::ApiResult<T> + Send + 'static,
) -> crate::error::ApiResult<T> {
    tokio::task::spawn_blocking(f).await?
}

/// The base of absolute URLs: the configured public URL, or `http://{Host}`.
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.clone();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes().all(|b| b.is_ascii_graphic())
                && !h.contains(['/', '"', '<', '>', '\\'])
        })
        .map_or_else(|| state.config.listen.to_string(), str::to_owned);
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https" || *p == "http")
        .unwrap_or("http");
    format!("{proto}://{host}")
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
