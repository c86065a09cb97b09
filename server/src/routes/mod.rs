//! The HTTP surface: one router per resource, merged here. Every router is a `utoipa_axum`
//! [`OpenApiRouter`]: a handler is added with `routes!(handler)`, which takes its path, method
//! and documentation from its `#[utoipa::path]` attribute, so the OpenAPI document
//! ([`crate::openapi`]) holds every route. The few routes whose axum path is not the documented
//! template (a file name with its extension in the last segment) are added with
//! [`RouteDocumented::routes_at`] or
//! [`RouteDocumented::route_documented`], still with the documentation of their handlers.

mod account;
mod admin;
mod api;
pub(crate) mod assignments;
pub(crate) mod auth;
pub(crate) mod campaigns;
mod exports;
pub(crate) mod observations;
mod ogc;
mod open311;
mod staff;
pub(crate) mod talent;
pub(crate) mod tiles;
pub(crate) mod urgency;
mod web;
pub(crate) mod work_items;

use axum::routing::MethodRouter;
use domain::access::code_within;
use domain::{AreaCode, AreaRefs, Model};
use utoipa::openapi::RefOr;
use utoipa::openapi::path::Paths;
use utoipa::openapi::schema::Schema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(crate) use crate::blocking::blocking;
pub(crate) use crate::links::{base_url, link_base};

/// All routes, with their documentation.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
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
        .merge(work_items::router())
        .merge(assignments::router())
        .merge(talent::router())
        .merge(campaigns::router())
        .merge(urgency::router())
        .merge(web::router())
}

/// Every schema component the route modules define, for the document's `components`.
pub(crate) fn schemas(out: &mut Vec<(String, RefOr<Schema>)>) {
    crate::openapi::shared::all(out);
    auth::schemas::all(out);
    account::schemas::all(out);
    admin::schemas::all(out);
    staff::schemas::all(out);
    exports::schemas::all(out);
    observations::schemas::all(out);
    ogc::schemas::all(out);
    open311::schemas::all(out);
    tiles::schemas::all(out);
    work_items::schemas::all(out);
    assignments::schemas::all(out);
}

/// Schemas and paths of documented handlers, without their method router: what
/// [`documented!`] gives to [`RouteDocumented::route_documented`].
pub(crate) type Documentation = (Vec<(String, RefOr<Schema>)>, Paths);

/// The documentation of handlers (their `#[utoipa::path]`), for a route whose one axum handler
/// serves several documented operations.
macro_rules! documented {
    ($($handler:path),+ $(,)?) => {{
        let mut paths = utoipa::openapi::path::Paths::new();
        let mut schemas = Vec::<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>::new();
        $(
            let (path, item, types) = utoipa_axum::routes!(@resolve_types $handler : schemas);
            paths.add_path_operation(&path, types, item);
        )+
        let docs: $crate::routes::Documentation = (schemas, paths);
        docs
    }};
}
pub(crate) use documented;

/// Routes that are documented under other templates than their axum path.
pub(crate) trait RouteDocumented: Sized {
    /// `routes!(handler)`, routed at `path` instead of the handler's documented template: for a
    /// handler that reads its last segment itself (`/tiles/{file}` serves `/tiles/{layer}.json`).
    #[must_use]
    fn routes_at(self, path: &str, routes: UtoipaMethodRouter<AppState>) -> Self {
        let (schemas, paths, method_router) = routes;
        self.route_documented(path, method_router, (schemas, paths))
    }

    /// Routes `method_router` at `path` and adds `docs` (from [`documented!`]) to the document.
    #[must_use]
    fn route_documented(
        self,
        path: &str,
        method_router: MethodRouter<AppState>,
        docs: Documentation,
    ) -> Self;
}

impl RouteDocumented for OpenApiRouter<AppState> {
    fn route_documented(
        self,
        path: &str,
        method_router: MethodRouter<AppState>,
        (schemas, paths): Documentation,
    ) -> Self {
        let mut router = self.route(path, method_router);
        let api = router.get_openapi_mut();
        for (template, item) in paths.paths {
            match api.paths.paths.get_mut(&template) {
                Some(existing) => existing.merge_operations(item),
                None => {
                    api.paths.paths.insert(template, item);
                }
            }
        }
        api.components
            .get_or_insert_with(utoipa::openapi::Components::new)
            .schemas
            .extend(schemas);
        router
    }
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
