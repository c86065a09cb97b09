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
mod tiles;
mod web;

use axum::Router;
use axum::http::HeaderMap;

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
