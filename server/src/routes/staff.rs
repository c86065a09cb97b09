//! Work of staff over household data, each behind the policy: verification letters, the opt-out
//! register, k-anonymous aggregates of observations, and reporter identity.

pub(crate) mod schemas;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Place, Purpose, Resource, code_within};
use domain::privacy::{Grid, Released, release_nested, total};
use domain::{AreaCode, AreaRefs, Model, WorldPoint};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::auth::ratelimit::Kind;
use crate::auth::secret;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::letters::{self, Letter, LetterTemplate};
use crate::observations::read;
use crate::openapi as doc;
use crate::routes::auth::no_store;
use crate::routes::blocking;
use crate::routes::link_base;
use crate::routes::{in_area, parse_area};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(areas))
        .routes(routes!(make_letters))
        .routes(routes!(opt_outs))
        .routes(routes!(aggregates))
        .routes(routes!(reporter))
}

/// CBS areas for pickers (open register data).
#[utoipa::path(
    get,
    path = "/api/areas",
    tag = "staff",
    operation_id = "listAreas",
    summary = "CBS areas (code, name, kind), for pickers.",
    description = "Everyone (open register data).",
    responses(
        (status = 200, description = "Every gemeente, wijk and buurt in the data.", content((Vec<schemas::AreaSummary> = "application/json"))),
    )
)]
async fn areas(State(state): State<AppState>) -> Response {
    let model = state.model.load();
    let body: Vec<Value> = model
        .area_rows()
        .map(|a| json!({ "code": a.code().to_string(), "name": a.name(), "kind": a.code().kind().as_str() }))
        .collect();
    Json(body).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LettersBody {
    area: String,
    format: String,
}

#[utoipa::path(
    post,
    path = "/api/letters",
    tag = "staff",
    operation_id = "makeLetters",
    summary = "Address-verification letters for every address in an area, with new codes.",
    description = "Admin; wijkondernemer whose scope contains the area. Rate limited per account; audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((schemas::LettersRequest = "application/json"))),
    responses(
        (status = 200, description = "The letters: a PDF (one page per address) or CSV (`adres,postcode_plaats,code,geldig_tot`). Earlier codes of these addresses are replaced.", content((inline(schemas::MakeLetters200Pdf) = "application/pdf"), (String = "text/csv")), headers(("Content-Disposition" = inline(doc::headers::ContentDisposition)), ("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields or wrong types, an area not in the data, or an area without addresses: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn make_letters(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<LettersBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let code = parse_area(&body.area, &state.model.load())?;
    caller.require_full(
        Purpose::Export,
        &Resource::new(DataClass::VerificationLetters, Place::Area(code)),
    )?;
    // A letter names the site to go to: from configuration only, never from a request header.
    let site_url = link_base(&state).ok_or_else(|| {
        ApiError::status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            "PublicUrlRequired",
            "letters print the site's address, and this server does not know it: start it with \
             --public-url (e.g. --public-url https://wijk.example.nl)",
        )
    })?;
    let pdf = match body.format.as_str() {
        "pdf" => true,
        "csv" => false,
        _ => return Err(ApiError::param("format", "pdf or csv")),
    };
    state
        .people
        .limiter
        .check(Kind::Export, &caller.actor())
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let now = clock::now();
    let expires = now + state.people.settings.letter_days * 86_400;
    let expires_on: String = clock::rfc3339(expires).chars().take(10).collect();
    let mut letters_out = Vec::new();
    let mut codes = Vec::new();
    {
        let model = state.model.load();
        for i in 0..model.address_count() as u32 {
            let a = model.address(i);
            if !in_area(a.areas(), code) {
                continue;
            }
            let c = secret::letter_code();
            codes.push((a.id().get(), secret::hash(&c)));
            let postcode_place = match a.postcode() {
                Some(p) => format!("{} {}", format_postcode(p), a.place()),
                None => a.place().to_owned(),
            };
            letters_out.push(Letter {
                address_label: a.label(),
                recipient: a.street_line(),
                postcode_place,
                code: c,
                expires_on: expires_on.clone(),
            });
        }
    }
    if letters_out.is_empty() {
        return Err(ApiError::unprocessable(format!(
            "area: {code} has no addresses"
        )));
    }
    let n = letters_out.len();
    let people = Arc::clone(&state.people);
    blocking(move || {
        // One transaction would be nicer; each upsert is durable and idempotent per address, and
        // a failure part-way leaves earlier addresses with a new, valid code (no half state).
        for (a, h) in &codes {
            people.store.set_address_code(*a, h, now, expires)?;
        }
        Ok(())
    })
    .await?;
    caller
        .audit(
            "export",
            &format!("letters:{code}"),
            &format!("{n} letters, {}", body.format),
        )
        .await?;
    let template = LetterTemplate {
        sender: state.people.settings.letter_sender.clone(),
        site_url,
    };
    // A thousand pages of PDF take a while to draw: off the async workers.
    let (bytes, ctype, ext) = blocking(move || {
        if pdf {
            let bytes = letters::to_pdf(&letters_out, &template)
                .map_err(|e| ApiError::Internal(format!("letters: {e}")))?;
            Ok((bytes, "application/pdf", "pdf"))
        } else {
            let bytes = letters::to_csv(&letters_out)
                .map_err(|e| ApiError::Internal(format!("letters: {e}")))?;
            Ok((bytes, "text/csv; charset=utf-8", "csv"))
        }
    })
    .await?;
    let mut r = no_store(bytes.into_response());
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"brieven-{code}.{ext}\""))
    {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// `1999AB` → `1999 AB`.
fn format_postcode(p: &str) -> String {
    if p.len() == 6 && p.is_ascii() {
        format!("{} {}", &p[..4], &p[4..])
    } else {
        p.to_owned()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptOutQuery {
    area: Option<String>,
    purpose: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/opt-outs",
    tag = "staff",
    operation_id = "listOptOuts",
    summary = "Addresses in an area that opted out of a purpose.",
    description = "Admin; wijkondernemer and communitybuilder whose scope contains the area. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::AreaCode, schemas::ListOptOutsPurposeParam),
    responses(
        (status = 200, description = "The opted-out addresses.", content((schemas::OptOutList = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
        (status = 422, description = "The area is not in the data: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn opt_outs(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<OptOutQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    let area = q
        .area
        .ok_or_else(|| ApiError::param("area", "required: a CBS code"))?;
    let code = parse_area(&area, &state.model.load())?;
    let purpose: Purpose = q
        .purpose
        .as_deref()
        .unwrap_or("canvassing")
        .parse()
        .ok()
        .filter(|p| Purpose::OPT_OUTABLE.contains(p))
        .ok_or_else(|| ApiError::param("purpose", "one of canvassing, contact, research"))?;
    caller.require_full(
        Purpose::Canvassing,
        &Resource::new(DataClass::OptOutRegister, Place::Area(code)),
    )?;
    let ids: Vec<String> = {
        let model = state.model.load();
        let reg = state.people.opt_outs.load();
        let mut ids: Vec<u64> = reg
            .addresses(purpose)
            .filter(|a| {
                domain::BagId::new(*a)
                    .and_then(|id| model.find_address(id))
                    .is_some_and(|row| in_area(row.areas(), code))
            })
            .collect();
        ids.sort_unstable();
        ids.iter().map(|a| format!("{a:016}")).collect()
    };
    caller
        .audit(
            "read_opt_out_register",
            &format!("area:{code}"),
            &format!("{} {}", ids.len(), purpose.as_str()),
        )
        .await?;
    Ok(no_store(
        Json(json!({ "area": code.to_string(), "purpose": purpose.as_str(), "addresses": ids }))
            .into_response(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AggQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    level: Option<String>,
    area: Option<String>,
    cell_m: Option<String>,
}

/// Side of the base grid cells every grid level is made of, metres (about: grid sizes are powers
/// of two in world units, so levels nest).
const BASE_CELL_M: u32 = 100;

/// k-anonymous aggregates of observations per buurt or grid cell (see [`domain::privacy`]).
#[utoipa::path(
    get,
    path = "/api/aggregates/observations",
    tag = "staff",
    operation_id = "aggregateObservations",
    summary = "k-anonymous counts of an observation type per buurt or grid cell.",
    description = "Everyone: only k-anonymous aggregates are released. Addresses that opted out of research are left out. Per buurt, `answers` splits a shown cell by answer when every answer given there is itself released.",
    params(schemas::AggregateObservationsTypeParam, schemas::AggregateObservationsLevelParam, schemas::AggregateObservationsAreaParam, schemas::AggregateObservationsCellMParam),
    responses(
        (status = 200, description = "Released cells (suppressed when fewer than k addresses or k reporters) and their total.", content((inline(schemas::AggregateObservations200) = "application/json"))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 422, description = "The area is not in the data: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn aggregates(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<AggQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    let kind = q
        .kind
        .ok_or_else(|| ApiError::param("type", "required: an observation type"))?;
    if kind.is_empty()
        || kind.len() > 64
        || !kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    {
        return Err(ApiError::param(
            "type",
            "an observation type name like solar_panels",
        ));
    }
    let grid = match q.level.as_deref().unwrap_or("buurt") {
        "buurt" => None,
        "grid" => {
            let m: u32 = q
                .cell_m
                .as_deref()
                .unwrap_or("250")
                .parse()
                .ok()
                .filter(|m| (100..=5000).contains(m))
                .ok_or_else(|| ApiError::param("cell_m", "cell size in metres, 100 to 5000"))?;
            Some(Grid::about_metres(m))
        }
        _ => return Err(ApiError::param("level", "buurt or grid")),
    };
    let area = q
        .area
        .as_deref()
        .map(|a| parse_area(a, &state.model.load()))
        .transpose()?;
    let place = area.map_or(Place::Everywhere, Place::Area);
    caller.require(
        Purpose::Research,
        &Resource::new(DataClass::Aggregates, place),
    )?;
    let rule = state.people.settings.k_anonymity;
    let state = state.clone();
    let body = blocking(move || {
    let model = state.model.load();
    // The same open reports, households and opt-outs as the public map layer (one function:
    // `ObservationIndex::release_in`); households that opted out of research are left out, a pand
    // when every household in it did.
    let opted_out = state
        .people
        .opt_outs
        .load()
        .excluded_households(Purpose::Research, &model);
    let index = read(&state.observations.index);
    let body = if let Some(grid) = grid {
        // Every level is made of released base cells (100 m): a coarser cell is the total of
        // its released children, never a count of its own that a child could be differenced
        // from.
        let cells = release_nested(
            rule,
            Grid::about_metres(BASE_CELL_M),
            grid,
            index.records_of(&kind, &opted_out),
        );
        let keys: Vec<(i32, i32)> = cells
            .keys()
            .filter(|c| area.is_none_or(|a| centre_in_area(&model, a, grid.centre(**c))))
            .copied()
            .collect();
        let t = total(&cells, &keys);
        json!({
            "type": kind, "level": "grid", "cell_m": grid.metres(), "k": rule.k, "round_to": rule.round_to,
            "area": area.map(|a| a.to_string()),
            "cells": keys.iter().map(|c| cell_json(grid, *c, cells[c])).collect::<Vec<_>>(),
            "total": t,
        })
    } else {
        let buurten: Vec<AreaCode> = model
            .area_rows()
            .map(|a| a.code())
            .filter(|c| c.kind() == domain::AreaKind::Buurt)
            .filter(|c| area.is_none_or(|a| code_within(*c, a)))
            .collect();
        let cells: BTreeMap<String, Released> = index
            .release_in(&buurten, Some(&kind), rule, &opted_out)
            .into_iter()
            .map(|((b, _), r)| (b.to_string(), r))
            .collect();
        let keys: Vec<String> = cells.keys().cloned().collect();
        let t = total(&cells, &keys);
        json!({
            "type": kind, "level": "buurt", "k": rule.k, "round_to": rule.round_to,
            "area": area.map(|a| a.to_string()),
            "cells": keys.iter().map(|b| {
                let mut v = serde_json::to_value(cells[b]).unwrap_or(Value::Null);
                v["buurt"] = json!(b);
                // A shown cell split by answer, only where the split gives nothing withheld away.
                if let (Released::Shown { .. }, Ok(code)) = (cells[b], b.parse::<AreaCode>()) {
                    v["answers"] = index
                        .release_answers(code, &kind, rule, &opted_out)
                        .map_or(Value::Null, |m| json!(m));
                }
                v
            }).collect::<Vec<_>>(),
            "total": t,
        })
    };
    drop(index);
    Ok(body)
    })
    .await?;
    Ok(Json(body).into_response())
}

fn cell_json(grid: Grid, cell: (i32, i32), r: Released) -> Value {
    let (w, n) = domain::world_to_lonlat([cell.0 * grid.cell, cell.1 * grid.cell]);
    let (e, s) = domain::world_to_lonlat([(cell.0 + 1) * grid.cell, (cell.1 + 1) * grid.cell]);
    let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
    v["cell"] = json!(format!("{}_{}_{}", grid.metres(), cell.0, cell.1));
    v["bbox"] = json!([w, s, e, n]);
    v
}

/// Does a grid cell's centre lie inside an area?
fn centre_in_area(model: &Model, area: AreaCode, p: WorldPoint) -> bool {
    model.find_area(area).is_some_and(|a| a.contains(p))
}

/// Who reported an observation and how to reach them. Admin, or the wijkondernemer in scope when
/// the reporter consented to being contacted. Every read is audited.
#[utoipa::path(
    get,
    path = "/api/observations/{id}/reporter",
    tag = "staff",
    operation_id = "observationReporter",
    summary = "Who reported an observation and how to reach them.",
    description = "Admin; wijkondernemer whose scope contains the observation, when the reporter consented to `contact`. Others get 403 whether or not the observation exists. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::ObservationId),
    responses(
        (status = 200, description = "The reporter's contact details.", content((schemas::ReporterContact = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn reporter(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let id: i64 = raw
        .parse()
        .map_err(|_| ApiError::param("id", "an observation id is a number"))?;
    let people = Arc::clone(&state.people);
    let found = blocking(move || {
        let Some(o) = people.store.observation_record(id)? else {
            return Ok(None);
        };
        let consented = people
            .store
            .reporter_consents(o.observation.reporter_id, Purpose::Contact.as_str())?;
        let contact = people.store.reporter_contact(o.observation.reporter_id)?;
        Ok(Some((o, consented, contact)))
    })
    .await?;
    // The same answer for "no such observation" and "not yours to see": existence is private.
    let Some((o, consented, contact)) = found else {
        caller.require_full(
            Purpose::Contact,
            &Resource::new(DataClass::ReporterIdentity, Place::Everywhere),
        )?;
        return Err(ApiError::NotFound(format!("no observation {id}")));
    };
    let areas = o
        .observation
        .buurtcode
        .as_deref()
        .and_then(|b| b.parse::<AreaCode>().ok())
        .map(AreaRefs::from_code)
        .unwrap_or_default();
    let mut resource = Resource::new(
        DataClass::ReporterIdentity,
        Place::Located {
            lonlat: o.observation.lonlat,
            areas,
        },
    );
    resource.reporter_consented = consented;
    caller.require_full(Purpose::Contact, &resource)?;
    caller
        .audit("read_reporter_identity", &format!("observation:{id}"), "")
        .await?;
    let c = contact.unwrap_or_default();
    Ok(no_store(
        Json(json!({
            "observation_id": id,
            "reporter": o.observation.reporter_id,
            "consented_to_contact": consented,
            "name": c.name, "email": c.email, "phone": c.phone,
        }))
        .into_response(),
    ))
}
