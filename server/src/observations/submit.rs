//! Submitting an observation, shared by the reporting API and Open311: resolve what it is about,
//! check it against its type and the policy, write it durably, and put it on the map.

use std::sync::Arc;

use axum::http::HeaderMap;
use domain::access::{ObservationSource, Place, Principal, default_source, may_report_as};
use domain::{AreaRefs, BagId, Model, world_to_lonlat};
use serde_json::Value;
use store::people::NewObservation;
use store::{Observation, PendingObservation};

use crate::blocking::blocking;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::{self, FieldError, ObservationType, TargetKind, building_point, read};
use crate::state::AppState;

/// A resolved target.
pub(crate) struct Target {
    pub(crate) kind: TargetKind,
    pub(crate) building: Option<u64>,
    pub(crate) address: Option<u64>,
    pub(crate) tree: Option<String>,
    pub(crate) lonlat: [f64; 2],
    pub(crate) areas: AreaRefs,
}

pub(crate) fn parse_point(v: &Value) -> ApiResult<[f64; 2]> {
    let g: geojson::Geometry = serde_json::from_value(v.clone())
        .map_err(|e| ApiError::BadRequest(format!("target.point: not a GeoJSON geometry: {e}")))?;
    match g.value {
        geojson::GeometryValue::Point { coordinates: c } if c.len() >= 2 => {
            if !(-180.0..=180.0).contains(&c[0]) || !(-90.0..=90.0).contains(&c[1]) {
                return Err(ApiError::BadRequest(
                    "target.point: coordinates are [lon, lat] in WGS84".into(),
                ));
            }
            Ok([c[0], c[1]])
        }
        _ => Err(ApiError::BadRequest(
            "target.point: must be a GeoJSON Point [lon, lat]".into(),
        )),
    }
}

pub(crate) fn resolve_target(model: &Model, target: &Value) -> ApiResult<Target> {
    let obj = target.as_object().ok_or_else(|| {
        invalid(
            "invalid target",
            vec![field(
                "/target",
                "an object with building, address or point",
            )],
        )
    })?;
    let bag = |key: &str| -> ApiResult<Option<BagId>> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => s.parse::<BagId>().map(Some).map_err(|_| {
                invalid(
                    "invalid target",
                    vec![field(
                        &format!("/target/{key}"),
                        "a 16-digit BAG identificatie",
                    )],
                )
            }),
            Some(_) => Err(invalid(
                "invalid target",
                vec![field(
                    &format!("/target/{key}"),
                    "a 16-digit BAG identificatie as a string",
                )],
            )),
        }
    };
    if let Some(k) = obj
        .keys()
        .find(|k| !matches!(k.as_str(), "building" | "address" | "point" | "tree"))
    {
        return Err(invalid(
            "invalid target",
            vec![field(
                &format!("/target/{k}"),
                "unknown; give building, address, point or tree",
            )],
        ));
    }
    if let Some(b) = bag("building")? {
        let row = model.find_building(b).ok_or_else(|| {
            invalid(
                "unknown building",
                vec![field(
                    "/target/building",
                    format!("no pand {b} in the registers"),
                )],
            )
        })?;
        let (lon, lat) = world_to_lonlat(building_point(model, row.index()));
        return Ok(Target {
            kind: TargetKind::Building,
            building: Some(b.get()),
            address: None,
            tree: None,
            lonlat: [lon, lat],
            areas: row.areas(),
        });
    }
    if let Some(a) = bag("address")? {
        let row = model.find_address(a).ok_or_else(|| {
            invalid(
                "unknown address",
                vec![field(
                    "/target/address",
                    format!("no verblijfsobject {a} in the registers"),
                )],
            )
        })?;
        let (lon, lat) = world_to_lonlat(row.point());
        let building = row
            .building_rows()
            .first()
            .map(|r| model.building(*r).id().get());
        return Ok(Target {
            kind: TargetKind::Address,
            building,
            address: Some(a.get()),
            tree: None,
            lonlat: [lon, lat],
            areas: row.areas(),
        });
    }
    let Some(point) = obj.get("point") else {
        return Err(invalid(
            "invalid target",
            vec![field("/target", "give building, address or point")],
        ));
    };
    let lonlat = parse_point(point)?;
    let tree = match obj.get("tree") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() && s.len() <= 64 => {
            Some(s.trim().to_owned())
        }
        Some(_) => {
            return Err(invalid(
                "invalid target",
                vec![field(
                    "/target/tree",
                    "a tree register id of 1 to 64 characters",
                )],
            ));
        }
    };
    Ok(Target {
        kind: if tree.is_some() {
            TargetKind::Tree
        } else {
            TargetKind::Point
        },
        building: None,
        address: None,
        tree,
        lonlat,
        areas: observations::areas_at(model, lonlat),
    })
}

/// A report as a client sent it (the API's JSON body, or an Open311 form), before any check.
#[derive(Debug, Clone, Copy)]
pub struct Draft<'a> {
    /// Observation type name.
    pub kind: &'a str,
    /// `{building}`, `{address}`, `{point}` or `{tree, point}`.
    pub target: &'a Value,
    /// RFC 3339; now when absent.
    pub observed_at: Option<&'a str>,
    /// resident, volunteer or import; by role when absent.
    pub source: Option<&'a str>,
    /// The answers to the type's questions.
    pub answers: &'a Value,
}

/// Checks and builds a pending report (shared with Open311).
pub fn prepare(
    state: &AppState,
    who: &Principal,
    reporter: i64,
    draft: Draft<'_>,
) -> ApiResult<(PendingObservation, Arc<ObservationType>)> {
    let Draft {
        kind,
        target,
        observed_at,
        source,
        answers,
    } = draft;
    let t = read(&state.observations.types)
        .current(kind)
        .ok_or_else(|| {
            let names = read(&state.observations.types).names().join(", ");
            invalid(
                "unknown type",
                vec![field(
                    "/type",
                    format!(
                        "no observation type {:?}; types are {names}",
                        kind.chars().take(48).collect::<String>()
                    ),
                )],
            )
        })?;
    let model = state.model.load();
    let target = resolve_target(&model, target)?;
    let mut errors = Vec::new();
    if !t.def.targets.contains(&target.kind) {
        errors.push(field(
            "/target",
            format!("a {} report is about {:?}", t.def.name, t.def.targets),
        ));
    }
    errors.extend(t.validate(answers));
    let now = clock::now();
    let observed = match observed_at {
        None => now,
        Some(s) => match domain::parse_rfc3339(s) {
            Some(ts) if ts > now + 300 => {
                errors.push(field("/observed_at", "lies in the future"));
                now
            }
            Some(ts) if ts < now - 5 * 365 * 86_400 => {
                errors.push(field("/observed_at", "more than five years ago"));
                now
            }
            Some(ts) => ts,
            None => {
                errors.push(field(
                    "/observed_at",
                    "an RFC 3339 time, e.g. 2026-06-01T14:00:00Z",
                ));
                now
            }
        },
    };
    // Who the observation says saw it: the policy decides what the caller may claim.
    let place = Place::Located {
        lonlat: target.lonlat,
        areas: target.areas,
    };
    let source = match source.map(str::parse::<ObservationSource>) {
        None => default_source(who, &place),
        Some(Ok(s)) if may_report_as(who, s, &place) => s,
        Some(Ok(_)) => {
            errors.push(field("/source", "your role may not report as that here"));
            ObservationSource::Resident
        }
        Some(Err(e)) => {
            errors.push(field("/source", e));
            ObservationSource::Resident
        }
    };
    if !errors.is_empty() {
        return Err(invalid("the report has invalid values", errors));
    }
    if t.def.own_home_only {
        let verified = matches!(who, Principal::User { verified_addresses, .. }
            if target.address.and_then(BagId::new).is_some_and(|a| verified_addresses.contains(&a)));
        if !verified {
            return Err(ApiError::forbidden(format!(
                "a {} report is about one's own home: only a resident who verified this address (letter code) may give it",
                t.def.name
            )));
        }
    }
    let report = PendingObservation {
        observation: NewObservation {
            kind: t.def.name.clone(),
            building_id: target.building,
            address_id: target.address,
            lonlat: target.lonlat,
            buurtcode: target.areas.buurt.map(|b| b.to_string()),
            observed_at: observed,
            source: source.as_str().to_owned(),
            reporter_id: reporter,
            answers: answers.to_string(),
        },
        type_version: t.def.version,
        tree_id: target.tree,
        pii_suspected: t.looks_personal(answers),
        idempotency_key: None,
    };
    Ok((report, t))
}

/// The `Idempotency-Key` header, if given: 1 to 128 visible ASCII characters.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let s = v.to_str().unwrap_or("").trim();
    if s.is_empty() || s.len() > 128 || !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::param(
            "Idempotency-Key",
            "1 to 128 visible ASCII characters, e.g. a UUID",
        ));
    }
    Ok(Some(s.to_owned()))
}

/// Writes a prepared report durably, puts it on the map, and returns it with whether it was new.
pub async fn store_observation(
    state: &AppState,
    report: PendingObservation,
) -> ApiResult<(Observation, bool)> {
    let written = state.observations.queue.write(report).await?;
    let id = written.id;
    let r = if written.replayed {
        let people = Arc::clone(&state.people);
        blocking(move || Ok(people.store.observation(id)?)).await?
    } else {
        // One read serves both the map and the answer.
        refreshed(state, id).await?
    };
    let r = r.ok_or_else(|| ApiError::Internal("a written report vanished".into()))?;
    Ok((r, !written.replayed))
}

/// A 422 listing every failing field.
pub fn invalid(message: &str, errors: Vec<FieldError>) -> ApiError {
    ApiError::Invalid {
        message: message.to_owned(),
        errors,
    }
}

pub(crate) fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// [`refresh_map`] that also returns the report as the store now holds it.
pub(crate) async fn refreshed(state: &AppState, id: i64) -> ApiResult<Option<Observation>> {
    let state = state.clone();
    blocking(move || {
        let model = state.model.load();
        let r = state
            .observations
            .refresh(&state.people.store, id, &model)?;
        for change in &r.changes {
            state.changed(change);
        }
        state.work_observations_changed(&r.touched);
        Ok(r.stored)
    })
    .await
}

/// Puts report `id` on the map as the store now holds it and drops exactly the cached tiles it
/// touches (before and after), off the async threads. The write is committed already, so a
/// failure here is logged, not answered: the map catches up with the next change or restart.
pub(crate) async fn refresh_map(state: &AppState, id: i64) {
    if let Err(e) = refreshed(state, id).await {
        tracing::error!(report = id, error = %e, "the live map could not take a committed report");
    }
}
