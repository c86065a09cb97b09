//! Observation types: `/api/observation-types` and, for admins, new types and versions.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Place, Purpose, Resource};
use serde_json::Value;

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::{ObservationType, TypeDefinition, read, write};
use crate::routes::blocking;
use crate::state::AppState;

use super::{field, invalid};
use crate::openapi as doc;

#[utoipa::path(
    get,
    path = "/api/observation-types",
    tag = "reports",
    operation_id = "listObservationTypes",
    summary = "Every current observation type.",
    description = "Everyone. Shipped: `solar_panels`, `roof_suitability` (a pand), `greenery_distress` (a point or tree in public space), `gas_readiness` (one's own verified address).",
    security((), ("cookieAuth" = [])),
    responses(
        (status = 200, description = "The current version of each type.", content((Vec<super::schemas::ObservationType> = "application/json"))),
    )
)]
pub(super) async fn list_types(State(state): State<AppState>) -> Response {
    let types = read(&state.observations.types);
    let all = types.all_current();
    let defs: Vec<&TypeDefinition> = all.iter().map(|t| &t.def).collect();
    let body = serde_json::to_value(defs).unwrap_or(Value::Null);
    Json(body).into_response()
}

#[utoipa::path(
    get,
    path = "/api/observation-types/{name}",
    tag = "reports",
    operation_id = "getObservationType",
    summary = "The current version of one observation type.",
    description = "Everyone.",
    security((), ("cookieAuth" = [])),
    params(doc::params::TypeName),
    responses(
        (status = 200, description = "The type.", content((super::schemas::ObservationType = "application/json"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
pub(super) async fn one_type(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    let t = read(&state.observations.types)
        .current(&name)
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "no observation type {:?}",
                name.chars().take(48).collect::<String>()
            ))
        })?;
    Ok(Json(serde_json::to_value(&t.def).unwrap_or(Value::Null)).into_response())
}

#[utoipa::path(
    post,
    path = "/api/admin/observation-types",
    tags = ["admin", "reports"],
    operation_id = "addObservationType",
    summary = "Add an observation type, or a new version of one.",
    description = "Admin. A new version of an existing name must be higher than the current one and supersedes it. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((super::schemas::ObservationType = "application/json"))),
    responses(
        (status = 201, description = "The type as stored.", content((super::schemas::ObservationType = "application/json"))),
        (status = 400, response = doc::responses::MalformedBody),
        (status = 401, response = doc::responses::NoSession),
        (status = 403, description = "`CsrfRejected`: a cross-site request, or a session cookie without its `X-CSRF-Token`; `Forbidden`: not an admin (a device session included).", content((inline(doc::errors::CsrfRejectedOrForbidden) = "application/json"))),
        (status = 409, response = doc::responses::Conflict),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Not a type definition (unknown fields, a missing field: `errors` has one entry with an empty `field`), a version not above the current one, or an invalid definition (name, targets, a schema that is not a JSON Schema of an object, a `status_field` not in it): `Unprocessable` with `errors`.", content((doc::shared::ValidationError = "application/json"))),
    )
)]
pub(super) async fn add_type(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    caller.require_full(
        Purpose::Administration,
        &Resource::new(DataClass::Accounts, Place::Nowhere),
    )?;
    let def: TypeDefinition = serde_json::from_value(body).map_err(|e| {
        invalid(
            "not an observation type definition",
            vec![field("", e.to_string())],
        )
    })?;
    if let Some(current) = read(&state.observations.types).current(&def.name)
        && def.version <= current.def.version
    {
        return Err(invalid(
            "versions only go up",
            vec![field(
                "/version",
                format!(
                    "the current version of {} is {}",
                    def.name, current.def.version
                ),
            )],
        ));
    }
    let t = ObservationType::new(def).map_err(|e| invalid("invalid observation type", e))?;
    let text = serde_json::to_string(&t.def).unwrap_or_default();
    let (name, version) = (t.def.name.clone(), t.def.version);
    let people = Arc::clone(&state.people);
    let (n, v) = (name.clone(), version);
    blocking(move || {
        Ok(people
            .store
            .add_observation_type(&n, v, &text, clock::now())?)
    })
    .await?;
    let def = t.def.clone();
    write(&state.observations.types).insert(t);
    caller
        .audit(
            "observation_type_added",
            &format!("type:{name}"),
            &format!("version {version}"),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(def).unwrap_or(Value::Null)),
    )
        .into_response())
}
