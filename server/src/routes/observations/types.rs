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

pub(super) async fn list_types(State(state): State<AppState>) -> Response {
    let types = read(&state.observations.types);
    let all = types.all_current();
    let defs: Vec<&TypeDefinition> = all.iter().map(|t| &t.def).collect();
    let body = serde_json::to_value(defs).unwrap_or(Value::Null);
    Json(body).into_response()
}

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
