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
use domain::access::code_within;
use domain::{AreaCode, AreaRefs, Model};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(crate) use crate::blocking::blocking;
pub(crate) use crate::links::{base_url, link_base};

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
