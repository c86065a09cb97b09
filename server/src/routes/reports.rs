//! Resident reports: `/api/observation-types`, `/api/observations/*`, the building timeline,
//! photos, and moderation. Every write is acknowledged only once durable (group commit) and has
//! refreshed the cached tiles it touches.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::access::{
    DataClass, Decision, ObservationSource, Place, Principal, Purpose, Resource, decide,
    decide_about_pand, default_source, may_report_as,
};
use domain::{AreaRefs, BagId, Model, lonlat_to_world, world_to_lonlat};
use serde::Deserialize;
use serde_json::{Value, json};
use store::people::NewObservation;
use store::{PendingReport, Report};

use crate::auth::Caller;
use crate::auth::ratelimit::Kind;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::photos;
use crate::reports::{
    self, FieldError, ObservationType, Subject, TargetKind, TypeDefinition, building_point, read,
    resource_of, write,
};
use crate::routes::auth::no_store;
use crate::routes::{blocking, in_area, parse_area};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/observation-types", get(list_types))
        .route("/api/observation-types/{name}", get(one_type))
        .route("/api/admin/observation-types", post(add_type))
        .route("/api/observations", post(create))
        .route("/api/observations/similar", get(similar))
        .route(
            "/api/observations/{id}",
            get(read_one).patch(update).delete(withdraw),
        )
        .route("/api/observations/{id}/confirmations", post(confirm))
        .route("/api/observations/{id}/flags", post(flag))
        .route("/api/observations/{id}/moderation", post(moderate))
        .route("/api/observations/{id}/merge", post(merge))
        .route("/api/observations/{id}/split", post(split))
        .route(
            "/api/observations/{id}/photos",
            post(add_photo).layer(DefaultBodyLimit::max(photos::MAX_UPLOAD_BYTES)),
        )
        .route("/api/photos/{file}", get(photo))
        .route("/api/my/observations", get(mine))
        .route("/api/buildings/{id}/timeline", get(timeline))
        .route("/api/moderation", get(queue))
}

/// A 422 listing every failing field.
pub fn invalid(message: &str, errors: Vec<FieldError>) -> ApiError {
    ApiError::Invalid {
        message: message.to_owned(),
        errors,
    }
}

fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

// ----- types --------------------------------------------------------------------------------

async fn list_types(State(state): State<AppState>) -> Response {
    let types = read(&state.reports.types);
    let all = types.all_current();
    let defs: Vec<&TypeDefinition> = all.iter().map(|t| &t.def).collect();
    let body = serde_json::to_value(defs).unwrap_or(Value::Null);
    Json(body).into_response()
}

async fn one_type(State(state): State<AppState>, Path(name): Path<String>) -> ApiResult<Response> {
    let t = read(&state.reports.types).current(&name).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no observation type {:?}",
            name.chars().take(48).collect::<String>()
        ))
    })?;
    Ok(Json(serde_json::to_value(&t.def).unwrap_or(Value::Null)).into_response())
}

async fn add_type(
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
    if let Some(current) = read(&state.reports.types).current(&def.name)
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
    write(&state.reports.types).insert(t);
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

// ----- who and where ------------------------------------------------------------------------

/// The caller's pseudonymous reporter id (a device session's, or the account's), or 401.
async fn reporter_of(state: &AppState, caller: &Caller) -> ApiResult<i64> {
    let Some(session) = &caller.session else {
        return Err(ApiError::unauthorized(
            "SignInRequired",
            "sign in, or start a device session (POST /api/auth/device), to report",
        ));
    };
    if let Some(r) = session.reporter {
        return Ok(r);
    }
    let Some(user) = &session.user else {
        return Err(ApiError::unauthorized("SignInRequired", "sign in first"));
    };
    let people = Arc::clone(&state.people);
    let id = user.id;
    blocking(move || Ok(people.store.reporter_for_user(id, clock::now())?)).await
}

/// A resolved target.
struct Target {
    kind: TargetKind,
    building: Option<u64>,
    address: Option<u64>,
    tree: Option<String>,
    lonlat: [f64; 2],
    areas: AreaRefs,
}

fn parse_point(v: &Value) -> ApiResult<[f64; 2]> {
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

fn resolve_target(model: &Model, target: &Value) -> ApiResult<Target> {
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
        areas: reports::areas_at(model, lonlat),
    })
}

// ----- the report as JSON -------------------------------------------------------------------

/// A report as JSON for a caller. Free text that looked like personal data is withheld until a
/// moderator releases it, from everyone but its reporter and those who may moderate it
/// (`free_text`).
fn report_json(state: &AppState, r: &Report, my_reporter: Option<i64>, free_text: bool) -> Value {
    let o = &r.observation;
    let types = read(&state.reports.types);
    let mut answers: Value = serde_json::from_str(&o.answers).unwrap_or(Value::Null);
    let t = types
        .version(&o.kind, r.type_version)
        .or_else(|| types.current(&o.kind));
    let status_class = t
        .as_ref()
        .map_or_else(|| "unknown".to_owned(), |t| t.status_class(&answers));
    let withheld = match &t {
        Some(t) if r.pii_suspected && !free_text && my_reporter != Some(o.reporter_id) => {
            t.withhold_free_text(&mut answers)
        }
        _ => Vec::new(),
    };
    json!({
        "id": r.id,
        "type": o.kind,
        "type_version": r.type_version,
        "target": {
            "building": o.building_id.map(|b| format!("{b:016}")),
            "address": o.address_id.map(|a| format!("{a:016}")),
            "tree": r.tree_id,
            "point": { "type": "Point", "coordinates": [o.lonlat[0], o.lonlat[1]] },
        },
        "buurt": o.buurtcode,
        "observed_at": clock::rfc3339(o.observed_at),
        "created_at": clock::rfc3339(r.created_at),
        "source": o.source,
        "status": r.status,
        "status_class": status_class,
        "answers": answers,
        "free_text_in_review": r.pii_suspected,
        "withheld": withheld,
        "confirmations": r.confirmations,
        "photos": r.photos.iter().map(|p| format!("/api/photos/{p}.jpg")).collect::<Vec<_>>(),
        "mine": my_reporter == Some(o.reporter_id),
    })
}

fn report_resource(state: &AppState, r: &Report) -> Resource {
    let public = read(&state.reports.types)
        .current(&r.observation.kind)
        .is_some_and(|t| t.def.public_space);
    resource_of(
        public,
        r.observation.lonlat,
        report_areas(r),
        r.observation.address_id,
    )
}

/// The CBS areas a report lies in (from its buurt).
fn report_areas(r: &Report) -> AreaRefs {
    r.observation
        .buurtcode
        .as_deref()
        .and_then(|b| b.parse().ok())
        .map(AreaRefs::from_code)
        .unwrap_or_default()
}

async fn my_reporter(state: &AppState, caller: &Caller) -> Option<i64> {
    match &caller.principal {
        Principal::Anonymous => None,
        Principal::Device { reporter } => Some(*reporter),
        Principal::User { .. } => reporter_of(state, caller).await.ok(),
    }
}

/// Loads a report the caller may see (its reporter, or the policy allows `purpose`); 404 otherwise
/// (the existence of a report about a home is private).
async fn visible_report(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    purpose: Purpose,
) -> ApiResult<(Report, Option<i64>)> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no report {}",
            raw.chars().take(20).collect::<String>()
        ))
    };
    let id: i64 = raw.parse().map_err(|_| not_found())?;
    let people = Arc::clone(&state.people);
    let r = blocking(move || Ok(people.store.report(id)?))
        .await?
        .ok_or_else(not_found)?;
    let mine = my_reporter(state, caller).await;
    if mine == Some(r.observation.reporter_id) {
        return Ok((r, mine));
    }
    let addresses = r
        .observation
        .building_id
        .map(|b| building_addresses(&state.model.load(), b))
        .unwrap_or_default();
    // A withdrawn report is its reporter's alone; a hidden one (abuse) is for its reporter and
    // those who may put it back.
    let open = match r.status.as_str() {
        "withdrawn" => false,
        "hidden" => moderates(caller, &r, state),
        _ => true,
    };
    if open && sees_report(caller, purpose, state, &r, &addresses) {
        return Ok((r, mine));
    }
    Err(not_found())
}

/// The verblijfsobjecten in a pand (none when it is not in the model).
fn building_addresses(model: &Model, building: u64) -> Vec<u64> {
    BagId::new(building)
        .and_then(|b| model.find_building(b))
        .map(|b| {
            b.address_rows()
                .iter()
                .map(|r| model.address(*r).id().get())
                .collect()
        })
        .unwrap_or_default()
}

/// May the caller see report `r`: by role, as the verified resident of its address, or — for a
/// report about the pand itself (no address) — as the verified resident of one of the pand's
/// `addresses`? A report about one flat is never shown to the neighbours.
fn sees_report(
    caller: &Caller,
    purpose: Purpose,
    state: &AppState,
    r: &Report,
    addresses: &[u64],
) -> bool {
    let about_pand = r.observation.address_id.is_none();
    let addresses = if about_pand { addresses } else { &[] };
    sees_home(
        &caller.principal,
        purpose,
        report_resource(state, r),
        addresses,
    )
}

/// May `who` see data at `res` for `purpose`: by their role, or — for data about a pand — as the
/// verified resident of one of its `addresses` (the policy's `decide_about_pand`)?
fn sees_home(who: &Principal, purpose: Purpose, res: Resource, addresses: &[u64]) -> bool {
    let pand: Vec<BagId> = addresses.iter().filter_map(|a| BagId::new(*a)).collect();
    decide_about_pand(who, purpose, &res, &pand) == Decision::Allow
}

/// Puts report `id` on the map as the store now holds it and drops exactly the cached tiles it
/// touches (before and after), off the async threads. The write is committed already, so a
/// failure here is logged, not answered: the map catches up with the next change or restart.
async fn refresh_map(state: &AppState, id: i64) {
    if let Err(e) = refreshed(state, id).await {
        tracing::error!(report = id, error = %e, "the live map could not take a committed report");
    }
}

/// [`refresh_map`] that also returns the report as the store now holds it.
async fn refreshed(state: &AppState, id: i64) -> ApiResult<Option<Report>> {
    let state = state.clone();
    blocking(move || {
        let model = state.model.load();
        let (report, changes) = state.reports.refresh(&state.people.store, id, &model)?;
        for change in &changes {
            state.changed(change);
        }
        Ok(report)
    })
    .await
}

// ----- create -------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    #[serde(rename = "type")]
    kind: String,
    target: Value,
    observed_at: Option<String>,
    source: Option<String>,
    answers: Value,
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
) -> ApiResult<(PendingReport, Arc<ObservationType>)> {
    let Draft {
        kind,
        target,
        observed_at,
        source,
        answers,
    } = draft;
    let t = read(&state.reports.types).current(kind).ok_or_else(|| {
        let names = read(&state.reports.types).names().join(", ");
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
    let report = PendingReport {
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
pub async fn store_report(state: &AppState, report: PendingReport) -> ApiResult<(Report, bool)> {
    let written = state.reports.queue.write(report).await?;
    let id = written.id;
    let r = if written.replayed {
        let people = Arc::clone(&state.people);
        blocking(move || Ok(people.store.report(id)?)).await?
    } else {
        // One read serves both the map and the answer.
        refreshed(state, id).await?
    };
    let r = r.ok_or_else(|| ApiError::Internal("a written report vanished".into()))?;
    Ok((r, !written.replayed))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Json<CreateBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let reporter = reporter_of(&state, &caller).await?;
    state
        .people
        .limiter
        .check(Kind::ReportIp, &caller.ip.to_string())
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let draft = Draft {
        kind: &body.kind,
        target: &body.target,
        observed_at: body.observed_at.as_deref(),
        source: body.source.as_deref(),
        answers: &body.answers,
    };
    let (mut report, t) = prepare(&state, &caller.principal, reporter, draft)?;
    report.idempotency_key = idempotency_key(&headers)?;
    if let Some(resp) = confirm_instead(&state, &report, &t, reporter).await? {
        return Ok(resp);
    }
    let (r, created) = store_report(&state, report).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut body = report_json(&state, &r, Some(reporter), true);
    body["outcome"] = json!("created");
    let mut resp = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/observations/{}", r.id)) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// A report about a building or an address that says what an open report of another reporter
/// already says (same type, same status class, no free text of its own) is stored as a
/// confirmation of that report, and the answer says so: "confirm instead of duplicate" without a
/// way to ask whether a home has reports (`similar` is only for those who may see them). The
/// caller learns only what they reported and that someone saw the same — after a rate-limited
/// write, and only for types whose every question is visible from the street.
async fn confirm_instead(
    state: &AppState,
    report: &PendingReport,
    t: &ObservationType,
    reporter: i64,
) -> ApiResult<Option<Response>> {
    let o = &report.observation;
    if !t.def.visible_from_street || t.def.public_space {
        return Ok(None);
    }
    let answers: Value = serde_json::from_str(&o.answers).unwrap_or(Value::Null);
    let own_text = t.free_text_fields().iter().any(|f| {
        answers
            .get(*f)
            .and_then(Value::as_str)
            .is_some_and(|v| !v.trim().is_empty())
    });
    let target = match (o.address_id, o.building_id) {
        (Some(a), _) => SimilarTarget::Address(a),
        (None, Some(b)) => SimilarTarget::Building(b),
        (None, None) => return Ok(None),
    };
    // The open report of another reporter (one's own repeated is a report of one's own).
    let Some(existing) = open_report_like(state, &o.kind, &target, Some(reporter)) else {
        return Ok(None);
    };
    if own_text || existing.status_class != t.status_class(&answers) {
        return Ok(None);
    }
    let people = Arc::clone(&state.people);
    let id = existing.id;
    let (added, updated) = blocking(move || {
        let added = people.store.add_confirmation(id, reporter, clock::now())?;
        Ok((added, people.store.report(id)?))
    })
    .await?;
    if added {
        refresh_map(state, id).await;
    }
    let confirmations = updated.map_or(existing.confirmations, |u| u.confirmations);
    Ok(Some(
        (
            StatusCode::OK,
            Json(json!({
                "outcome": "confirmed",
                "id": id,
                "type": o.kind,
                "status_class": existing.status_class,
                "confirmations": confirmations,
            })),
        )
            .into_response(),
    ))
}

// ----- read, update, withdraw ---------------------------------------------------------------

async fn read_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let (r, mine) = visible_report(&state, &caller, &raw, Purpose::Map).await?;
    let public = report_resource(&state, &r).class == DataClass::PublicSpaceReports;
    let resp = Json(report_json(
        &state,
        &r,
        mine,
        moderates(&caller, &r, &state),
    ))
    .into_response();
    Ok(if public { resp } else { no_store(resp) })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateBody {
    answers: Option<Value>,
    observed_at: Option<String>,
}

async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<UpdateBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let reporter = reporter_of(&state, &caller).await?;
    let (r, _) = visible_report(&state, &caller, &raw, Purpose::Map).await?;
    if r.observation.reporter_id != reporter {
        return Err(ApiError::forbidden("only its reporter may change a report"));
    }
    let t = read(&state.reports.types)
        .version(&r.observation.kind, r.type_version)
        .ok_or_else(|| ApiError::Internal("type of a stored report is gone".into()))?;
    let answers = body
        .answers
        .unwrap_or_else(|| serde_json::from_str(&r.observation.answers).unwrap_or(Value::Null));
    let mut errors = t.validate(&answers);
    let observed = match body.observed_at.as_deref() {
        None => r.observation.observed_at,
        Some(s) => match domain::parse_rfc3339(s) {
            Some(ts) if ts <= clock::now() + 300 => ts,
            _ => {
                errors.push(field("/observed_at", "an RFC 3339 time, not in the future"));
                0
            }
        },
    };
    if !errors.is_empty() {
        return Err(invalid("the report has invalid values", errors));
    }
    let pii = t.looks_personal(&answers);
    let people = Arc::clone(&state.people);
    let (id, text) = (r.id, answers.to_string());
    let updated = blocking(move || {
        if !people
            .store
            .update_report(id, reporter, &text, observed, pii, clock::now())?
        {
            return Ok(None);
        }
        Ok(people.store.report(id)?)
    })
    .await?
    .ok_or_else(|| {
        ApiError::status_code(
            StatusCode::CONFLICT,
            "Conflict",
            "a closed report cannot be changed",
        )
    })?;
    refresh_map(&state, updated.id).await;
    Ok(Json(report_json(&state, &updated, Some(reporter), true)).into_response())
}

async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let reporter = reporter_of(&state, &caller).await?;
    let (r, _) = visible_report(&state, &caller, &raw, Purpose::Map).await?;
    if r.observation.reporter_id != reporter {
        return Err(ApiError::forbidden(
            "only its reporter may withdraw a report",
        ));
    }
    let people = Arc::clone(&state.people);
    let id = r.id;
    let actor = caller.actor();
    let (done, updated) = blocking(move || {
        let done = people.store.set_report_status(
            id,
            &["new", "confirmed", "hidden"],
            "withdrawn",
            &actor,
            clock::now(),
        )?;
        Ok((done, people.store.report(id)?))
    })
    .await?;
    if !done {
        return Err(closed_conflict(id, updated.as_ref(), "withdrawn"));
    }
    if let Some(u) = updated {
        refresh_map(&state, u.id).await;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ----- confirm, flag, similar ---------------------------------------------------------------

async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let reporter = reporter_of(&state, &caller).await?;
    // Only a report the caller may read: for anyone else it does not exist (confirming or
    // flagging must not tell whether there is a report, nor silence one the caller cannot see).
    let (r, _) = visible_report(&state, &caller, &raw, Purpose::Map).await?;
    if r.observation.reporter_id == reporter {
        return Err(ApiError::status_code(
            StatusCode::CONFLICT,
            "Conflict",
            "you cannot confirm your own report",
        ));
    }
    let people = Arc::clone(&state.people);
    let id = r.id;
    let (added, updated) = blocking(move || {
        let added = people.store.add_confirmation(id, reporter, clock::now())?;
        Ok((added, people.store.report(id)?))
    })
    .await?;
    let updated = updated.ok_or_else(|| ApiError::NotFound(format!("no report {id}")))?;
    if added {
        refresh_map(&state, updated.id).await;
    }
    Ok((
        if added {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        Json(json!({ "id": id, "confirmations": updated.confirmations })),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlagBody {
    reason: String,
}

async fn flag(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<FlagBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let reporter = reporter_of(&state, &caller).await?;
    let reason = body.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(invalid(
            "invalid flag",
            vec![field("/reason", "1 to 500 characters")],
        ));
    }
    // Only a report the caller may read: for anyone else it does not exist (confirming or
    // flagging must not tell whether there is a report, nor silence one the caller cannot see).
    let (r, _) = visible_report(&state, &caller, &raw, Purpose::Map).await?;
    let people = Arc::clone(&state.people);
    let hide_at = state.reports.settings.flags_to_hide;
    let id = r.id;
    let (n, updated) = blocking(move || {
        let n = people
            .store
            .add_flag(id, reporter, &reason, hide_at, clock::now())?;
        Ok((n, people.store.report(id)?))
    })
    .await?;
    if let Some(u) = &updated {
        refresh_map(&state, u.id).await;
    }
    Ok((StatusCode::CREATED, Json(json!({ "id": id, "flags": n, "hidden": updated.is_some_and(|u| u.status == "hidden") }))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SimilarQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    building: Option<String>,
    address: Option<String>,
    lon: Option<f64>,
    lat: Option<f64>,
}

/// How near (metres) an open report about a public-space point must be to be offered for
/// confirming instead of a new one.
const SIMILAR_RADIUS_M: f64 = 10.0;

/// Where `similar` looks.
enum SimilarTarget {
    Building(u64),
    Address(u64),
    Point([f64; 2]),
}

/// Is there already an open report of this type on this building? Offered to confirm instead of
/// reporting again. Only for street-visible types and only to callers with a session.
async fn similar(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<SimilarQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    reporter_of(&state, &caller).await?;
    let kind = q.kind.ok_or_else(|| ApiError::param("type", "required"))?;
    let t = read(&state.reports.types)
        .current(&kind)
        .ok_or_else(|| ApiError::param("type", "no such observation type"))?;
    if !t.def.visible_from_street {
        return Err(ApiError::param(
            "type",
            "only street-visible types are offered for confirming",
        ));
    }
    let bag = |param: &str, raw: &str| {
        raw.parse::<BagId>()
            .map(BagId::get)
            .map_err(|_| ApiError::param(param, "a 16-digit BAG identificatie"))
    };
    let target = match (q.building.as_deref(), q.address.as_deref(), q.lon, q.lat) {
        (Some(b), None, None, None) => SimilarTarget::Building(bag("building", b)?),
        (None, Some(a), None, None) => SimilarTarget::Address(bag("address", a)?),
        (None, None, Some(lon), Some(lat)) => {
            if !(-180.0..=180.0).contains(&lon) {
                return Err(ApiError::param("lon", "a longitude, -180 to 180"));
            }
            if !(-85.0..=85.0).contains(&lat) {
                return Err(ApiError::param("lat", "a latitude, -85 to 85"));
            }
            SimilarTarget::Point([lon, lat])
        }
        _ => {
            return Err(ApiError::param(
                "building",
                "give one of building, address, or lon and lat",
            ));
        }
    };
    // Reports about homes are household data: only callers who may see the reports about this
    // building (staff in scope, its verified residents) are told whether there is one. Everyone
    // else just reports; the server then turns a report like an open one into a confirmation
    // (see `create`). Public-space points are public.
    if let Some(res) = home_resource(&state, &target) {
        let (res, addresses) = res;
        if !sees_home(&caller.principal, Purpose::Map, res, &addresses) {
            return Err(caller.refuse(
                "only those who may see the reports about this building are told whether there \
                 is one; just report, and a report like an open one counts as a confirmation",
            ));
        }
    }
    let existing = open_report_like(&state, &kind, &target, None).map(|r| {
        json!({ "id": r.id, "status_class": r.status_class, "confirmations": r.confirmations, "observed_at": clock::rfc3339(r.observed_at) })
    });
    Ok(no_store(
        Json(json!({ "existing": existing })).into_response(),
    ))
}

/// The policy resource of a building or address `similar` asks about (household data at its
/// place, with the pand's addresses whose verified residents may see it); `None` for a point in
/// public space or a place not in the registers.
fn home_resource(state: &AppState, target: &SimilarTarget) -> Option<(Resource, Vec<u64>)> {
    let model = state.model.load();
    let (place, address, addresses) = match *target {
        SimilarTarget::Point(_) => return None,
        SimilarTarget::Building(b) => {
            let row = model.find_building(BagId::new(b)?)?;
            let (lon, lat) = world_to_lonlat(building_point(&model, row.index()));
            (
                Place::Located {
                    lonlat: [lon, lat],
                    areas: row.areas(),
                },
                None,
                building_addresses(&model, b),
            )
        }
        SimilarTarget::Address(a) => {
            let row = model.find_address(BagId::new(a)?)?;
            let (lon, lat) = world_to_lonlat(row.point());
            (
                Place::Located {
                    lonlat: [lon, lat],
                    areas: row.areas(),
                },
                BagId::new(a),
                Vec::new(),
            )
        }
    };
    let mut res = Resource::new(DataClass::HouseholdObservations, place);
    res.address = address;
    Some((res, addresses))
}

/// The open report of type `kind` that a new report about `target` would repeat: about the pand
/// itself, about the same address, or the nearest public-space report within
/// [`SIMILAR_RADIUS_M`] of a point.
fn open_report_like(
    state: &AppState,
    kind: &str,
    target: &SimilarTarget,
    not_by: Option<i64>,
) -> Option<reports::LiveObservation> {
    let idx = read(&state.reports.index);
    let others = |r: &&reports::LiveObservation| not_by != Some(r.reporter);
    let best = match *target {
        // Reports about the pand itself, not about one of its addresses.
        SimilarTarget::Building(b) => idx
            .about(kind, Subject::Building(b))
            .filter(|r| r.address.is_none())
            .filter(others)
            .max_by_key(|r| (r.confirmations, r.observed_at)),
        // A report about an address is grouped under its pand (when the model has it).
        SimilarTarget::Address(a) => {
            let model = state.model.load();
            let pand = BagId::new(a)
                .and_then(|id| model.find_address(id))
                .and_then(|row| row.building_rows().first().copied())
                .map(|b| model.building(b).id().get());
            let subject = pand.map_or(Subject::Address(a), Subject::Building);
            idx.about(kind, subject)
                .filter(|r| r.address == Some(a))
                .filter(others)
                .max_by_key(|r| (r.confirmations, r.observed_at))
        }
        // The nearest point report about public space.
        SimilarTarget::Point([lon, lat]) => {
            let dlat = SIMILAR_RADIUS_M / 111_320.0;
            let dlon = dlat / lat.to_radians().cos();
            let a = lonlat_to_world(lon - dlon, lat - dlat);
            let b = lonlat_to_world(lon + dlon, lat + dlat);
            let lo = [a[0].min(b[0]), a[1].min(b[1])];
            let hi = [a[0].max(b[0]) + 1, a[1].max(b[1]) + 1];
            idx.features_in_box(lo, hi)
                .into_iter()
                .map(|f| f.newest)
                .filter(|r| {
                    r.kind == kind && r.public_space && r.building.is_none() && r.address.is_none()
                })
                .filter(others)
                .map(|r| (metres_between([lon, lat], r.lonlat), r))
                .filter(|(d, _)| *d <= SIMILAR_RADIUS_M)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, r)| r)
        }
    };
    best.cloned()
}

/// Distance in metres between two nearby WGS84 points (equirectangular; exact enough within a
/// few hundred metres).
fn metres_between(a: [f64; 2], b: [f64; 2]) -> f64 {
    let lat = f64::midpoint(a[1], b[1]).to_radians();
    let dx = (b[0] - a[0]).to_radians() * lat.cos();
    let dy = (b[1] - a[1]).to_radians();
    6_371_008.8 * dx.hypot(dy)
}

// ----- lists --------------------------------------------------------------------------------

async fn mine(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let reporter = reporter_of(&state, &caller).await?;
    let people = Arc::clone(&state.people);
    let list = blocking(move || Ok(people.store.reports_of_reporter(reporter)?)).await?;
    let body: Vec<Value> = list
        .iter()
        .map(|r| report_json(&state, r, Some(reporter), true))
        .collect();
    Ok(no_store(Json(body).into_response()))
}

async fn timeline(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no pand {}",
            raw.chars().take(20).collect::<String>()
        ))
    };
    let id: BagId = raw.parse().map_err(|_| not_found())?;
    let (place, address_ids) = {
        let model = state.model.load();
        let b = model.find_building(id).ok_or_else(not_found)?;
        let (lon, lat) = world_to_lonlat(building_point(&model, b.index()));
        (
            Place::Located {
                lonlat: [lon, lat],
                areas: b.areas(),
            },
            building_addresses(&model, id.get()),
        )
    };
    // Staff in scope and admins; or a resident who verified an address in this building.
    let res = Resource::new(DataClass::HouseholdObservations, place);
    if !sees_home(&caller.principal, Purpose::Map, res.clone(), &address_ids) {
        caller.require_full(Purpose::Map, &res)?;
    }
    let people = Arc::clone(&state.people);
    let bid = id.get();
    let addresses = address_ids.clone();
    let list = blocking(move || Ok(people.store.reports_of_building(bid, &addresses)?)).await?;
    let now = clock::now();
    let mine = my_reporter(&state, &caller).await;
    let entries: Vec<Value> = list
        .iter()
        .filter(|r| !matches!(r.status.as_str(), "withdrawn" | "merged"))
        // Each report as its own: a resident sees the pand's reports and their own flat's.
        .filter(|r| {
            mine == Some(r.observation.reporter_id)
                || sees_report(&caller, Purpose::Map, &state, r, &address_ids)
        })
        // A hidden report (abuse) stays in the timeline only for those who may unhide it.
        .filter(|r| r.status != "hidden" || moderates(&caller, r, &state))
        .map(|r| {
            let mut v = report_json(&state, r, mine, moderates(&caller, r, &state));
            v["weight"] = json!(domain::observations::weight(
                now - r.observation.observed_at,
                r.confirmations
            ));
            v
        })
        .collect();
    Ok(no_store(
        Json(json!({ "building": id.to_string(), "entries": entries })).into_response(),
    ))
}

// ----- photos -------------------------------------------------------------------------------

async fn add_photo(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let body = body?;
    let reporter = reporter_of(&state, &caller).await?;
    let (r, _) = visible_report(&state, &caller, &raw, Purpose::Map).await?;
    if r.observation.reporter_id != reporter {
        return Err(ApiError::forbidden(
            "only its reporter may add photos to a report",
        ));
    }
    // Rate limits, the photo count and the header before decoding, in a bounded pool.
    let processed = photos::upload::accept(&state, &caller, reporter, &r, body).await?;
    let people = Arc::clone(&state.people);
    let (id, max) = (r.id, state.reports.settings.max_photos);
    let photo = blocking(move || {
        Ok(people
            .store
            .add_photo(
                id,
                &processed.jpeg,
                processed.width,
                processed.height,
                max,
                clock::now(),
            )?
            .map(|pid| (pid, processed.width, processed.height)))
    })
    .await?
    .ok_or_else(|| photos::upload::too_many_photos(max))?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": photo.0, "url": format!("/api/photos/{}.jpg", photo.0), "width": photo.1, "height": photo.2 })),
    )
        .into_response())
}

async fn photo(
    State(state): State<AppState>,
    caller: Caller,
    Path(file): Path<String>,
) -> ApiResult<Response> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no photo {}",
            file.chars().take(30).collect::<String>()
        ))
    };
    let id: i64 = file
        .strip_suffix(".jpg")
        .unwrap_or(&file)
        .parse()
        .map_err(|_| not_found())?;
    let people = Arc::clone(&state.people);
    let (obs, jpeg) = blocking(move || Ok(people.store.photo(id)?))
        .await?
        .ok_or_else(not_found)?;
    let (r, _) = visible_report(&state, &caller, &obs.to_string(), Purpose::Map)
        .await
        .map_err(|_| not_found())?;
    let public = report_resource(&state, &r).class == DataClass::PublicSpaceReports;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(if public {
                    "public, max-age=3600"
                } else {
                    "private, no-store"
                }),
            ),
        ],
        jpeg,
    )
        .into_response())
}

// ----- moderation ---------------------------------------------------------------------------

/// May the caller moderate report `r` (the policy's `moderation` purpose at its place)?
fn moderates(caller: &Caller, r: &Report, state: &AppState) -> bool {
    decide(
        &caller.principal,
        Purpose::Moderation,
        &report_resource(state, r),
    ) == Decision::Allow
}

/// The caller moderates report `r`; otherwise "no such report", exactly as for a report that
/// does not exist, so a moderator elsewhere cannot tell existing ids from missing ones.
fn require_moderator(caller: &Caller, r: &Report, state: &AppState) -> ApiResult<()> {
    if moderates(caller, r, state) {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!("no report {}", r.id)))
    }
}

/// Does the caller moderate anywhere? Asked before a report is looked up, so that callers who
/// moderate nowhere cannot tell existing reports from missing ones.
fn require_moderator_somewhere(caller: &Caller) -> ApiResult<()> {
    let anywhere = [
        DataClass::HouseholdObservations,
        DataClass::PublicSpaceReports,
    ]
    .into_iter()
    .any(|class| {
        decide(
            &caller.principal,
            Purpose::Moderation,
            &Resource::new(class, Place::Somewhere),
        ) == Decision::Allow
    });
    if anywhere {
        Ok(())
    } else {
        Err(caller.refuse("moderation is for communitybuilders, wijkondernemers and admins"))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueueQuery {
    area: Option<String>,
}

/// The moderation queue of the areas the caller moderates, narrowed to `?area=` if given.
async fn queue(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<QueueQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    require_moderator_somewhere(&caller)?;
    let area = q
        .area
        .map(|a| parse_area(&a, &state.model.load()))
        .transpose()?;
    let people = Arc::clone(&state.people);
    let list = blocking(move || Ok(people.store.moderation_queue()?)).await?;
    let body: Vec<Value> = list
        .iter()
        .filter(|r| area.is_none_or(|a| in_area(report_areas(r), a)))
        .filter(|r| require_moderator(&caller, r, &state).is_ok())
        .map(|r| {
            let mut v = report_json(&state, r, None, true);
            v["flags"] = json!(r.flags);
            v["pii_suspected"] = json!(r.pii_suspected);
            v
        })
        .collect();
    Ok(no_store(Json(body).into_response()))
}

async fn load_report(state: &AppState, raw: &str) -> ApiResult<Report> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no report {}",
            raw.chars().take(20).collect::<String>()
        ))
    };
    let id: i64 = raw.parse().map_err(|_| not_found())?;
    let people = Arc::clone(&state.people);
    blocking(move || Ok(people.store.report(id)?))
        .await?
        .ok_or_else(not_found)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModerationBody {
    action: String,
}

async fn moderate(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<ModerationBody>, JsonRejection>,
) -> ApiResult<Response> {
    require_moderator_somewhere(&caller)?;
    let Json(body) = body?;
    let r = load_report(&state, &raw).await?;
    require_moderator(&caller, &r, &state)?;
    if body.action == "release" {
        return release_free_text(&state, &caller, r).await;
    }
    // Hide and put back only what is open or hidden; closed reports stay closed.
    let (from, status): (&'static [&'static str], &str) = match body.action.as_str() {
        "hide" => (&["new", "confirmed"], "hidden"),
        "unhide" => (&["hidden"], "new"),
        "resolve" => (&["new", "confirmed", "hidden"], "resolved"),
        "reject" => (&["new", "confirmed", "hidden"], "rejected"),
        _ => {
            return Err(invalid(
                "unknown action",
                vec![field("/action", "hide, unhide, resolve, reject or release")],
            ));
        }
    };
    let people = Arc::clone(&state.people);
    let (id, actor) = (r.id, caller.actor());
    let (done, updated) = blocking(move || {
        let done = people
            .store
            .set_report_status(id, from, status, &actor, clock::now())?;
        Ok((done, people.store.report(id)?))
    })
    .await?;
    if !done {
        let done_word = match body.action.as_str() {
            "hide" => "hidden",
            "unhide" => "put back",
            "resolve" => "resolved",
            _ => "rejected",
        };
        return Err(closed_conflict(id, updated.as_ref(), done_word));
    }
    let updated = updated.ok_or_else(|| ApiError::NotFound(format!("no report {id}")))?;
    refresh_map(&state, updated.id).await;
    Ok(Json(report_json(&state, &updated, None, true)).into_response())
}

/// A moderator read the free text that looked like personal data and lets others see it.
async fn release_free_text(state: &AppState, caller: &Caller, r: Report) -> ApiResult<Response> {
    let people = Arc::clone(&state.people);
    let (id, actor) = (r.id, caller.actor());
    let (done, updated) = blocking(move || {
        let done = people.store.release_free_text(id, &actor, clock::now())?;
        Ok((done, people.store.report(id)?))
    })
    .await?;
    if !done {
        return Err(ApiError::status_code(
            StatusCode::CONFLICT,
            "Conflict",
            format!("report {id} has no free text waiting for review"),
        ));
    }
    let updated = updated.ok_or_else(|| ApiError::NotFound(format!("no report {id}")))?;
    Ok(Json(report_json(state, &updated, None, true)).into_response())
}

/// 409: the report's status does not allow `what` (e.g. putting back a withdrawn report).
fn closed_conflict(id: i64, r: Option<&Report>, what: &str) -> ApiError {
    let now = r.map_or("gone", |r| r.status.as_str());
    ApiError::status_code(
        StatusCode::CONFLICT,
        "Conflict",
        format!("report {id} is {now}: it cannot be {what} now"),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MergeBody {
    into: i64,
}

async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<MergeBody>, JsonRejection>,
) -> ApiResult<Response> {
    require_moderator_somewhere(&caller)?;
    let Json(body) = body?;
    let r = load_report(&state, &raw).await?;
    let into = load_report(&state, &body.into.to_string()).await?;
    require_moderator(&caller, &r, &state)?;
    require_moderator(&caller, &into, &state)?;
    for x in [&r, &into] {
        if store::CLOSED_STATUSES.contains(&x.status.as_str()) {
            return Err(closed_conflict(x.id, Some(x), "merged"));
        }
    }
    if r.observation.kind != into.observation.kind || r.id == into.id {
        return Err(invalid(
            "cannot merge",
            vec![field("/into", "another report of the same type")],
        ));
    }
    let people = Arc::clone(&state.people);
    let (id, target, actor) = (r.id, into.id, caller.actor());
    let (a, b) = blocking(move || {
        people
            .store
            .merge_reports(id, target, &actor, clock::now())?;
        Ok((people.store.report(id)?, people.store.report(target)?))
    })
    .await?;
    for u in [&a, &b].into_iter().flatten() {
        refresh_map(&state, u.id).await;
    }
    let b = b.ok_or_else(|| ApiError::NotFound(format!("no report {target}")))?;
    Ok(Json(report_json(&state, &b, None, true)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SplitBody {
    answers: Value,
}

async fn split(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<SplitBody>, JsonRejection>,
) -> ApiResult<Response> {
    require_moderator_somewhere(&caller)?;
    let Json(body) = body?;
    let r = load_report(&state, &raw).await?;
    require_moderator(&caller, &r, &state)?;
    let t = read(&state.reports.types)
        .version(&r.observation.kind, r.type_version)
        .ok_or_else(|| ApiError::Internal("type of a stored report is gone".into()))?;
    let errors = t.validate(&body.answers);
    if !errors.is_empty() {
        return Err(invalid("the split report has invalid values", errors));
    }
    let people = Arc::clone(&state.people);
    let (id, text, actor) = (r.id, body.answers.to_string(), caller.actor());
    let new = blocking(move || {
        let Some(new_id) = people.store.split_report(id, &text, &actor, clock::now())? else {
            return Ok(None);
        };
        Ok(people.store.report(new_id)?)
    })
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no report {id}")))?;
    refresh_map(&state, new.id).await;
    Ok((
        StatusCode::CREATED,
        Json(report_json(&state, &new, None, true)),
    )
        .into_response())
}
