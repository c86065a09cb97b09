//! Urgency indicators for the gemeente (issue 14, first part): where the work is, per gemeente,
//! wijk, buurt and CBS 100 m square, k-anonymous. Four indicators are built in (the declared
//! indicator file, H3 cells, tiles, trends and the web choropleth are not built yet):
//!
//! - `solar_gap`: panden with a suitable roof (3DBAG, or solar work found) that still have solar
//!   work open ÷ panden with a suitable roof; `extra` is the kWp still open;
//! - `gas_free`: homes with label E–G or bouwjaar before 1975 ÷ homes;
//! - `work_done`: work items done ÷ work items (every kind);
//! - `campaign_reach`: doors knocked on ÷ doors in campaigns.
//!
//! A cell is released only with at least k distinct addresses behind its denominator; released
//! counts are rounded to the nearest multiple of `round_to`, the share is computed from the rounded counts, and a
//! total is the sum of released cells — on fixed partitions only, so nothing can be derived by
//! differencing. A cell with fewer than k (but some) households on either side of its share is
//! withheld too, so that no household stands out. Households that opted out of research are left
//! out. One answer walks the whole model, so answers are kept for 30 s per (level, indicator).

use std::collections::{BTreeMap, HashSet};

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Place, Purpose, Resource};
use domain::rd::{cbs_square_100m, wgs84_to_rd};
use domain::{AreaRefs, Model, WorldPoint, world_to_lonlat};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use work::{Target, WorkStatus};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::observations::read;
use crate::openapi::{self as doc, parameter, schema};
use crate::routes::auth::no_store;
use crate::routes::blocking;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(urgency))
}

/// The levels, coarse to fine.
pub(crate) const LEVELS: [&str; 4] = ["gemeente", "wijk", "buurt", "grid100"];
/// The indicators.
pub(crate) const INDICATORS: [&str; 4] = ["solar_gap", "gas_free", "work_done", "campaign_reach"];
/// A roof this large (m², suitable for panels) counts as a suitable roof.
const SUITABLE_M2: f64 = 15.0;

#[derive(Default)]
struct Tally {
    numerator: u32,
    denominator: u32,
    extra: f64,
    addresses: HashSet<u64>,
}

fn cell_of(level: &str, areas: AreaRefs, point: WorldPoint) -> Option<String> {
    match level {
        "gemeente" => areas.gemeente.map(|c| c.to_string()),
        "wijk" => areas.wijk.map(|c| c.to_string()),
        "buurt" => areas.buurt.map(|c| c.to_string()),
        _ => {
            let (lon, lat) = world_to_lonlat(point);
            let (x, y) = wgs84_to_rd(lon, lat);
            Some(cbs_square_100m(x, y))
        }
    }
}

/// Tallies `indicator` per cell of `level`.
fn tally(state: &AppState, level: &str, indicator: &str) -> ApiResult<BTreeMap<String, Tally>> {
    let model = state.model.load();
    let opt_outs = state.people.opt_outs.load();
    let out_of_research = |a: u64| opt_outs.excludes(a, Purpose::Research);
    let mut cells: BTreeMap<String, Tally> = BTreeMap::new();
    let mut add = |key: Option<String>, counts: bool, extra: f64, addresses: &[u64]| {
        let Some(key) = key else { return };
        let t = cells.entry(key).or_default();
        t.denominator += 1;
        t.numerator += u32::from(counts);
        t.extra += extra;
        t.addresses.extend(addresses.iter().copied());
    };
    match indicator {
        "solar_gap" => {
            let work = read(&state.work);
            for b in model.building_rows() {
                let addresses: Vec<u64> = b
                    .address_rows()
                    .iter()
                    .map(|i| model.address(*i).id().get())
                    .filter(|a| !out_of_research(*a))
                    .collect();
                if addresses.is_empty() {
                    continue;
                }
                let item = work.get("solar", Target::Pand(b.id().get()));
                let roof = b.roof().is_some_and(|r| r.solar_m2 >= SUITABLE_M2);
                if !roof && item.is_none() {
                    continue;
                }
                let open = item.filter(|it| it.item.matches && !it.status.is_closed());
                let point = model.address(b.address_rows()[0]).point();
                add(
                    cell_of(level, b.areas(), point),
                    open.is_some(),
                    open.map_or(0.0, |it| f64::from(it.item.size)),
                    &addresses,
                );
            }
        }
        "gas_free" => {
            for a in model.address_rows() {
                let id = a.id().get();
                if !a.usage().contains(domain::Usage::Woonfunctie) || out_of_research(id) {
                    continue;
                }
                let old = a
                    .building_rows()
                    .first()
                    .map(|b| model.building(*b).bouwjaar())
                    .is_some_and(|y| y != domain::UNKNOWN_BOUWJAAR && y < 1975);
                let label = a
                    .energy_label()
                    .is_some_and(|l| matches!(l.class.as_str(), "E" | "F" | "G"));
                add(
                    cell_of(level, a.areas(), a.point()),
                    old || label,
                    0.0,
                    &[id],
                );
            }
        }
        "work_done" => {
            let work = read(&state.work);
            for it in work.iter() {
                if !it.item.matches && it.record.is_none() {
                    continue;
                }
                let addresses = addresses_of(&model, it.item.target);
                if addresses.iter().any(|a| out_of_research(*a)) {
                    continue;
                }
                add(
                    cell_of(level, it.item.areas, it.item.point),
                    it.status == WorkStatus::Done,
                    0.0,
                    &addresses,
                );
            }
        }
        _ => {
            let (doors, visited) = state.people.store.campaign_doors()?;
            for a in doors {
                if out_of_research(a) {
                    continue;
                }
                let Some(row) = domain::BagId::new(a).and_then(|b| model.find_address(b)) else {
                    continue;
                };
                add(
                    cell_of(level, row.areas(), row.point()),
                    visited.contains(&a),
                    0.0,
                    &[a],
                );
            }
        }
    }
    Ok(cells)
}

/// The addresses a work item is about (none for a spot in public space).
fn addresses_of(model: &Model, target: Target) -> Vec<u64> {
    match target {
        Target::Pand(id) => domain::BagId::new(id)
            .and_then(|b| model.find_building(b))
            .map(|b| {
                b.address_rows()
                    .iter()
                    .map(|i| model.address(*i).id().get())
                    .collect()
            })
            .unwrap_or_default(),
        Target::Verblijfsobject(id) => vec![id],
        Target::PublicSpace(_) => Vec::new(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UrgencyQuery {
    level: Option<String>,
    indicator: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/urgency",
    tag = "urgency",
    operation_id = "urgency",
    summary = "An urgency indicator per gemeente, wijk, buurt or CBS 100 m square, k-anonymous.",
    description = "Everyone (aggregates only). `level`: gemeente, wijk, buurt (CBS codes) or grid100 (CBS squares, `E…N…` of the lower-left corner in hectometres in RD New). `indicator`: solar_gap, gas_free, work_done, campaign_reach. A cell is released only with at least k distinct addresses behind it and with none or at least k on either side of its share; counts are rounded and the share computed from them; suppressed cells are counted, not listed; the total is the sum of released cells. Households that opted out of research are left out. An answer is reused for 30 s. An unknown level or indicator is 404, listing the valid ones.",
    params(UrgencyLevel, UrgencyIndicator),
    responses(
        (status = 200, description = "The released cells and their total.", content((UrgencyCells = "application/json"))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn urgency(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<UrgencyQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    caller.require(
        Purpose::Research,
        &Resource::new(DataClass::Aggregates, Place::Everywhere),
    )?;
    let level = q.level.unwrap_or_else(|| "buurt".into());
    let indicator = q.indicator.unwrap_or_else(|| "solar_gap".into());
    if !LEVELS.contains(&level.as_str()) {
        return Err(ApiError::NotFound(format!(
            "no level {:?}; the levels are {}",
            level.chars().take(40).collect::<String>(),
            LEVELS.join(", ")
        )));
    }
    if !INDICATORS.contains(&indicator.as_str()) {
        return Err(ApiError::NotFound(format!(
            "no indicator {:?}; the indicators are {}",
            indicator.chars().take(40).collect::<String>(),
            INDICATORS.join(", ")
        )));
    }
    // Everyone may ask, and one answer walks the whole model: an answer is kept for
    // `CACHE_SECS` per (level, indicator), so asking often costs the server nothing more.
    let key = (level.clone(), indicator.clone());
    if let Some(body) = cached(&key) {
        return Ok(no_store(Json(body).into_response()));
    }
    let st = state.clone();
    let body = blocking(move || {
        let rule = st.people.settings.k_anonymity;
        let model = st.model.load();
        let cells = tally(&st, &level, &indicator)?;
        let mut released = Vec::new();
        let mut suppressed = 0u32;
        let (mut num, mut den, mut extra) = (0u32, 0u32, 0.0f64);
        for (code, t) in cells {
            // Fewer than k households behind the cell, or fewer than k (but some) on either side
            // of the share: a household could stand out (e.g. the one home in a street reported
            // without panels). Such a cell is withheld.
            let small = |n: u32| n > 0 && n < rule.k;
            if u32::try_from(t.addresses.len()).unwrap_or(u32::MAX) < rule.k
                || small(t.numerator)
                || small(t.denominator - t.numerator)
            {
                suppressed += 1;
                continue;
            }
            // Both counts to the nearest multiple of `round_to` (a share may be 0; the
            // denominator holds at least k addresses, so it is never rounded to 0 unless k is
            // below half of `round_to`).
            let (n, d) = (nearest(t.numerator, rule.round_to), nearest(t.denominator, rule.round_to));
            num += n;
            den += d;
            extra += t.extra;
            let name = code
                .parse::<domain::AreaCode>()
                .ok()
                .and_then(|c| model.find_area(c))
                .map(|a| a.name().to_owned());
            released.push(json!({
                "code": code,
                "name": name,
                "numerator": n,
                "denominator": d,
                "value": share(n, d),
                "extra": (t.extra * 10.0).round() / 10.0,
            }));
        }
        Ok(json!({
            "level": level,
            "indicator": indicator,
            "k": rule.k,
            "round_to": rule.round_to,
            "cells": released,
            "suppressed": suppressed,
            "total": { "numerator": num, "denominator": den, "value": share(num, den), "extra": (extra * 10.0).round() / 10.0 },
        }))
    })
    .await?;
    keep(key, &body);
    Ok(no_store(Json(body).into_response()))
}

/// How long an answer is reused, in seconds (the indicators are not live yet; see docs/urgency.md).
const CACHE_SECS: u64 = 30;

type Cache =
    std::sync::Mutex<std::collections::HashMap<(String, String), (std::time::Instant, Value)>>;

fn cache() -> &'static Cache {
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Cache::default)
}

/// A recent answer for `key`; at most 16 keys exist (levels × indicators).
fn cached(key: &(String, String)) -> Option<Value> {
    let c = cache().lock().ok()?;
    c.get(key)
        .filter(|(at, _)| at.elapsed().as_secs() < CACHE_SECS)
        .map(|(_, v)| v.clone())
}

fn keep(key: (String, String), body: &Value) {
    if let Ok(mut c) = cache().lock() {
        c.insert(key, (std::time::Instant::now(), body.clone()));
    }
}

/// `n` to the nearest multiple of `r` (halves up).
fn nearest(n: u32, r: u32) -> u32 {
    if r <= 1 {
        return n;
    }
    (n + r / 2) / r * r
}

fn share(n: u32, d: u32) -> Value {
    if d == 0 {
        Value::Null
    } else {
        json!((f64::from(n) / f64::from(d) * 1000.0).round() / 1000.0)
    }
}

parameter! {
    /// `?level=` of `urgency`.
    UrgencyLevel = r#"{
  "name": "level",
  "in": "query",
  "required": false,
  "description": "gemeente, wijk, buurt (default) or grid100; another is 404.",
  "schema": {"type": "string"}
}"#
}

parameter! {
    /// `?indicator=` of `urgency`.
    UrgencyIndicator = r#"{
  "name": "indicator",
  "in": "query",
  "required": false,
  "description": "solar_gap (default), gas_free, work_done or campaign_reach; another is 404.",
  "schema": {"type": "string"}
}"#
}

schema! {
    /// The body of `urgency` (200).
    UrgencyCells = r#"{
  "type": "object",
  "required": ["level", "indicator", "k", "round_to", "cells", "suppressed", "total"],
  "properties": {
    "level": {"type": "string"},
    "indicator": {"type": "string"},
    "k": {"type": "integer"},
    "round_to": {"type": "integer"},
    "cells": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["code", "name", "numerator", "denominator", "value", "extra"],
        "properties": {
          "code": {"type": "string", "description": "A CBS area code, or a CBS square `E…N…`."},
          "name": {"type": ["string", "null"]},
          "numerator": {"type": "integer", "minimum": 0},
          "denominator": {"type": "integer", "minimum": 0},
          "value": {"type": ["number", "null"], "description": "numerator ÷ denominator, of the rounded counts."},
          "extra": {"type": "number", "description": "solar_gap: kWp still open; else 0."}
        },
        "additionalProperties": false
      }
    },
    "suppressed": {"type": "integer", "minimum": 0, "description": "Cells with fewer than k addresses: not listed."},
    "total": {
      "type": "object",
      "required": ["numerator", "denominator", "value", "extra"],
      "properties": {
        "numerator": {"type": "integer"},
        "denominator": {"type": "integer"},
        "value": {"type": ["number", "null"]},
        "extra": {"type": "number"}
      },
      "additionalProperties": false
    }
  },
  "additionalProperties": false
}"#
}
