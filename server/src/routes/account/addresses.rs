//! The resident's own addresses, `/api/my/addresses/*` ("what is known about my address"):
//! verified with the code of a letter, opt-outs, contests.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Place, Purpose, Resource};
use domain::{AddressId, BagId};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{CodeBody, parse_opt_purpose, schemas};
use crate::auth::ratelimit::Kind;
use crate::auth::{Caller, secret};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::openapi as doc;
use crate::routes::auth::no_store;
use crate::routes::blocking;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_addresses, verify_address))
        .routes(routes!(my_address))
        .routes(routes!(opt_out, opt_in))
        .routes(routes!(contest))
}

fn address_json(state: &AppState, id: u64) -> Value {
    let model = state.model.load();
    let Some(a) = BagId::new(id).and_then(|id| model.find_address(id)) else {
        return json!({ "address_id": format!("{id:016}"), "label": format!("{id:016}") });
    };
    json!({ "address_id": format!("{id:016}"), "label": a.label() })
}

#[utoipa::path(
    get,
    path = "/api/my/addresses",
    tag = "my-address",
    operation_id = "myAddresses",
    summary = "The addresses the account verified.",
    description = "Any signed-in account (residents).",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "Verified addresses.", content((Vec<schemas::VerifiedAddress> = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
    )
)]
async fn my_addresses(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let id = caller.user()?.id;
    let people = Arc::clone(&state.people);
    let list = blocking(move || Ok(people.store.verified_addresses(id)?)).await?;
    let body: Vec<Value> = list.iter().map(|a| address_json(&state, *a)).collect();
    Ok(no_store(Json(body).into_response()))
}

#[utoipa::path(
    post,
    path = "/api/my/addresses",
    tag = "my-address",
    operation_id = "verifyAddress",
    summary = "Verify an address with the code of its letter.",
    description = "Any signed-in account (residents). Rate limited per account; audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((schemas::LetterCodeRequest = "application/json"))),
    responses(
        (status = 201, description = "The address is verified for this account.", content((schemas::VerifiedAddress = "application/json"))),
        (status = 400, description = "The body is not well-formed JSON (`BadRequest`), or the code is wrong or expired (`InvalidCode`).", content((inline(doc::errors::BadRequestOrInvalidCode) = "application/json"))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn verify_address(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<CodeBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let id = caller.user()?.id;
    state
        .people
        .limiter
        .check(Kind::LetterCode, &id.to_string())
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let code = secret::normalise_letter_code(&body.code);
    let h = secret::hash(&code);
    let people = Arc::clone(&state.people);
    let found =
        blocking(move || Ok(people.store.redeem_address_code(&h, id, clock::now())?)).await?;
    let Some(address) = found else {
        return Err(ApiError::status_code(
            StatusCode::BAD_REQUEST,
            "InvalidCode",
            "this letter code is wrong or has expired",
        ));
    };
    caller
        .audit("address_verified", &format!("address:{address:016}"), "")
        .await?;
    Ok((StatusCode::CREATED, Json(address_json(&state, address))).into_response())
}

/// The address of the path, if the caller verified it; otherwise 404 (its existence is private).
fn own_address(caller: &Caller, raw: &str) -> ApiResult<AddressId> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no verified address {}",
            raw.chars().take(20).collect::<String>()
        ))
    };
    let id: AddressId = raw.parse().map_err(|_| not_found())?;
    let mut r = Resource::new(DataClass::OwnAddress, Place::Nowhere);
    r.address = Some(id);
    match caller.require(Purpose::SelfService, &r) {
        Ok(domain::access::Decision::Allow) => Ok(id),
        Err(e) if caller.session.is_none() => Err(e),
        _ => Err(not_found()),
    }
}

#[utoipa::path(
    get,
    path = "/api/my/addresses/{id}",
    tag = "my-address",
    operation_id = "myAddress",
    summary = "What is known about a verified address.",
    description = "A signed-in account that verified this address.",
    security(("cookieAuth" = [])),
    params(doc::params::AddressId),
    responses(
        (status = 200, description = "Register facts, buildings, observations (without reporters), opt-outs and contests.", content((schemas::MyAddress = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn my_address(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = own_address(&caller, &raw)?;
    let (address, building_ids, buildings) = {
        let model = state.model.load();
        match model.find_address(id) {
            Some(a) => {
                let rows: Vec<_> = a
                    .building_rows()
                    .iter()
                    .map(|i| model.building(*i))
                    .collect();
                let ids: Vec<u64> = rows.iter().map(|b| b.id().get()).collect();
                let buildings: Vec<Value> = rows
                    .iter()
                    .map(|b| {
                        Value::Object(
                            crate::features::building_feature(&model, b)
                                .properties
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                (
                    Value::Object(crate::features::address_properties(&model, &a)),
                    ids,
                    buildings,
                )
            }
            None => (
                json!({ "identificatie": id.to_string(), "label": id.to_string() }),
                Vec::new(),
                Vec::new(),
            ),
        }
    };
    let people = Arc::clone(&state.people);
    let aid = id.get();
    let (observations, contests) = blocking(move || {
        Ok((
            people.store.observations_about(aid, &building_ids)?,
            people.store.contests_of_address(aid)?,
        ))
    })
    .await?;
    let opt_outs: Vec<&str> = {
        let reg = state.people.opt_outs.load();
        Purpose::OPT_OUTABLE
            .iter()
            .filter(|p| reg.addresses(**p).any(|a| a == aid))
            .map(|p| p.as_str())
            .collect()
    };
    let body = json!({
        "address": address,
        "buildings": buildings,
        // Observations about the home, without who reported them.
        "observations": observations.iter().map(|o| json!({
            "id": o.id,
            "type": o.observation.kind,
            "about": if o.observation.address_id.is_some() { "address" } else { "building" },
            "observed_at": clock::rfc3339(o.observation.observed_at),
            "source": o.observation.source,
            "status": o.status,
            "answers": serde_json::from_str::<Value>(&o.observation.answers).unwrap_or(Value::Null),
        })).collect::<Vec<_>>(),
        "opt_outs": opt_outs,
        "contests": contests.iter().map(|c| json!({
            "id": c.id, "observation_id": c.observation_id, "reason": c.reason,
            "status": c.status, "created_at": clock::rfc3339(c.created_at),
        })).collect::<Vec<_>>(),
    });
    Ok(no_store(Json(body).into_response()))
}

#[utoipa::path(
    put,
    path = "/api/my/addresses/{id}/opt-outs/{purpose}",
    tag = "my-address",
    operation_id = "optOut",
    summary = "Opt the address out of a purpose (e.g. canvassing: do not knock).",
    description = "A signed-in account that verified this address. No body; audited.",
    security(("cookieAuth" = [])),
    params(doc::params::AddressId, doc::params::OptOutPurpose, doc::params::CsrfToken),
    responses(
        (status = 204, description = "Done (also when it already was so)."),
        (status = 400, description = "The purpose is not one of canvassing, contact, research: `InvalidParameterValue`.", content((inline(doc::errors::InvalidParameterValue) = "application/json"))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn opt_out(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw, purpose)): Path<(String, String)>,
) -> ApiResult<Response> {
    set_opt_out(state, caller, raw, purpose, true).await
}

#[utoipa::path(
    delete,
    path = "/api/my/addresses/{id}/opt-outs/{purpose}",
    tag = "my-address",
    operation_id = "withdrawOptOut",
    summary = "Withdraw an opt-out of the address.",
    description = "A signed-in account that verified this address. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::AddressId, doc::params::OptOutPurpose, doc::params::CsrfToken),
    responses(
        (status = 204, description = "Done (also when it already was so)."),
        (status = 400, description = "The purpose is not one of canvassing, contact, research: `InvalidParameterValue`.", content((inline(doc::errors::InvalidParameterValue) = "application/json"))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn opt_in(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw, purpose)): Path<(String, String)>,
) -> ApiResult<Response> {
    set_opt_out(state, caller, raw, purpose, false).await
}

async fn set_opt_out(
    state: AppState,
    caller: Caller,
    raw: String,
    purpose: String,
    on: bool,
) -> ApiResult<Response> {
    caller.user()?;
    let id = own_address(&caller, &raw)?;
    let p = parse_opt_purpose(&purpose)?;
    let people = Arc::clone(&state.people);
    blocking(move || {
        if on {
            people
                .store
                .set_opt_out(id.get(), p.as_str(), clock::now())?;
        } else {
            people.store.clear_opt_out(id.get(), p.as_str())?;
        }
        people.reload_opt_outs()?;
        Ok(())
    })
    .await?;
    // The do-not-knock layer draws the address; a research opt-out changes the public counts of
    // its buurt: the layers that read opt-outs say which of their tiles this makes stale.
    let at = state
        .model
        .load()
        .find_address(id)
        .map(|a| (a.point(), a.areas()));
    if let Some((point, areas)) = at {
        state.changed(&tiles::Change::at(tiles::Source::OptOuts, point, areas));
    }
    caller
        .audit(
            if on { "opt_out" } else { "opt_out_withdrawn" },
            &format!("address:{id}"),
            p.as_str(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ContestRequest)]
struct ContestBody {
    /// An observation about this address or its building; another is 422.
    observation_id: i64,
    /// 1 to 2000 characters after trimming (else 400).
    #[schema(min_length = 1, max_length = 2000)]
    reason: String,
}

#[utoipa::path(
    post,
    path = "/api/my/addresses/{id}/contests",
    tag = "my-address",
    operation_id = "contestObservation",
    summary = "Contest an observation about the address.",
    description = "A signed-in account that verified this address. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::AddressId, doc::params::CsrfToken),
    request_body(content((ContestBody = "application/json"))),
    responses(
        (status = 201, description = "The contest, open.", content((inline(schemas::ContestObservation201) = "application/json"))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields or wrong types, or no such observation about this address: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn contest(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<ContestBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let user_id = caller.user()?.id;
    let id = own_address(&caller, &raw)?;
    let reason = body.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(ApiError::unprocessable(
            "reason: give a reason of 1 to 2000 characters",
        ));
    }
    let building_ids: Vec<u64> = {
        let model = state.model.load();
        model
            .find_address(id)
            .map(|a| {
                a.building_rows()
                    .iter()
                    .map(|i| model.building(*i).id().get())
                    .collect()
            })
            .unwrap_or_default()
    };
    let people = Arc::clone(&state.people);
    let oid = body.observation_id;
    let created = blocking(move || {
        // Only an observation about this address (or its building) can be contested here.
        let about = people.store.observations_about(id.get(), &building_ids)?;
        if !about.iter().any(|o| o.id == oid) {
            return Ok(None);
        }
        Ok(Some(people.store.add_contest(
            oid,
            user_id,
            id.get(),
            &reason,
            clock::now(),
        )?))
    })
    .await?;
    let Some(cid) = created else {
        return Err(ApiError::unprocessable(
            "observation_id: no such observation about this address",
        ));
    };
    caller
        .audit(
            "contest",
            &format!("observation:{oid}"),
            &format!("address:{id}"),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": cid, "status": "open" })),
    )
        .into_response())
}
