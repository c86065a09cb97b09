//! Door-to-door campaigns (issue 13): a wijkondernemer or communitybuilder selects addresses in an
//! area by CQL2 criteria (and, optionally, open work of a kind), sees the count live, and creates
//! the campaign, which cuts the selection into turfs (`campaigns::cut_turfs`); turfs are handed
//! to volunteers (locked while held); a volunteer opens the walk list of their turf (JSON, or a
//! PDF with a map) and sends the visits — an operation log with idempotency keys, applied once;
//! the organiser follows the progress per turf and buurt.
//!
//! Privacy (ADR 19): households that opted out of canvassing are never selected; an outcome is
//! kept per address only with the resident's consent (or when they sign up); answers to
//! sensitive questions only ever as counts per turf, released k-anonymously; "do not knock
//! again" goes into the opt-out register in the same transaction.

mod export;
mod map;
pub(crate) mod schemas;
mod walklist;

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use campaigns::{Door, cut_turfs};
use domain::access::{
    DataClass, Decision, ObservationSource, Place, Purpose, Resource, decide, may_report_as,
};
use domain::{AreaCode, Model};
use serde::Deserialize;
use serde_json::{Value, json};
use store::{CampaignRow, CampaignSpec, NewTurf, OpOutcome, TurfRow, VisitOp};
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;
use work::{Target, TargetKind, WorkIndex};

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::read;
use crate::openapi as doc;
use crate::routes::assignments::{parse_id, text_field, valid_date};
use crate::routes::auth::no_store;
use crate::routes::{blocking, in_area, parse_area};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(preview_campaign))
        .routes(routes!(get_campaign))
        .routes(routes!(assign_turf))
        .routes(routes!(walk_list))
        // A phone's operation log after a day offline: larger than other JSON bodies.
        .routes(routes!(sync_visits).layer(axum::extract::DefaultBodyLimit::max(VISITS_BODY_BYTES)))
        .routes(routes!(my_turfs))
        .routes(routes!(export_campaign))
        .routes(routes!(split_turf))
        .routes(routes!(merge_turf))
        .routes(routes!(map::campaign_map))
        .routes(routes!(map::move_doors))
}

/// The outcomes of a visit at the door.
pub(crate) const OUTCOMES: [&str; 5] = [
    "not_home",
    "interested",
    "not_interested",
    "signed_up",
    "do_not_knock",
];
/// Most questions, options and visits per batch.
const MAX_QUESTIONS: usize = 20;
const MAX_OPTIONS: usize = 12;
const MAX_BATCH: usize = 2_000;
/// Why a phone's visits on a turf given to another are refused.
const NOT_YOURS: &str = "this turf is not yours (any more): your visits stay on your phone until the organiser gives it back to you";
/// Largest batch of visits, in bytes (413 beyond).
const VISITS_BODY_BYTES: usize = 1024 * 1024;
/// Most doors one campaign may select.
const MAX_DOORS: usize = 200_000;

/// A question at the door.
#[derive(Debug, Clone, Deserialize, serde::Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CampaignQuestion)]
pub(crate) struct Question {
    /// `[a-z0-9_]{1,40}`, unique in the campaign.
    name: String,
    /// The question, in Dutch and English.
    #[schema(value_type = Object)]
    title: work::Text,
    /// `yes_no`, or `choice` with `options`.
    #[serde(rename = "type")]
    kind: String,
    /// For `choice`: 2–12 values `[a-z0-9_]{1,40}`.
    #[serde(default)]
    options: Vec<String>,
    /// Words for the options, Dutch and English, in the order of `options`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    option_titles: Vec<work::Text>,
    /// Special-category or otherwise sensitive (e.g. care needs): answers are only ever counted
    /// per turf, never kept per address.
    #[serde(default)]
    sensitive: bool,
}

fn key_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn check_questions(qs: &[Question]) -> ApiResult<()> {
    if qs.len() > MAX_QUESTIONS {
        return Err(ApiError::param(
            "questions",
            format!("at most {MAX_QUESTIONS}"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, q) in qs.iter().enumerate() {
        let at = |m: String| ApiError::param("questions", format!("question {}: {m}", i + 1));
        if !key_ok(&q.name) {
            return Err(at("name must be 1–40 of a–z, 0–9 and _".into()));
        }
        if !seen.insert(q.name.as_str()) {
            return Err(at(format!("name {:?} twice", q.name)));
        }
        for t in [&q.title.nl, &q.title.en] {
            if t.trim().is_empty() || t.chars().count() > 200 {
                return Err(at(
                    "a title in Dutch and English of at most 200 characters".into()
                ));
            }
        }
        match q.kind.as_str() {
            "yes_no" if q.options.is_empty() => {}
            "choice"
                if (2..=MAX_OPTIONS).contains(&q.options.len())
                    && q.options.iter().all(|o| key_ok(o))
                    && (q.option_titles.is_empty() || q.option_titles.len() == q.options.len()) => {
            }
            _ => {
                return Err(at(
                    "type yes_no, or choice with 2–12 options of a–z, 0–9 and _ (and as many option_titles)".into(),
                ));
            }
        }
    }
    Ok(())
}

/// The values a question takes.
fn values_of(q: &Question) -> Vec<&str> {
    if q.kind == "yes_no" {
        vec!["yes", "no"]
    } else {
        q.options.iter().map(String::as_str).collect()
    }
}

/// The selection cut into turfs of about `size` doors, each with the buurt most of its doors lie
/// in.
fn turfs_of(s: &Selected, size: usize) -> ApiResult<Vec<NewTurf>> {
    let turfs = cut_turfs(&s.doors, size)
        .map_err(|e| ApiError::unprocessable(format!("turf_size: {e}")))?;
    Ok(turfs
        .iter()
        .map(|t| {
            let mut count: BTreeMap<String, usize> = BTreeMap::new();
            for i in &t.doors {
                *count
                    .entry(s.buurten[*i].map(|c| c.to_string()).unwrap_or_default())
                    .or_default() += 1;
            }
            let buurt = count
                .into_iter()
                .max_by_key(|(b, n)| (*n, std::cmp::Reverse(b.clone())))
                .map(|(b, _)| b)
                .unwrap_or_default();
            NewTurf {
                buurt,
                doors: t.doors.iter().map(|i| s.doors[*i].address).collect(),
            }
        })
        .collect())
}

/// A campaign's turfs as the demo's sample activity plans them: the addresses of `area` with open
/// work of `kind`, households that opted out left out, in turfs of about `size` doors. Returns the
/// turfs and the households left out.
pub(crate) fn plan_turfs(
    work: &WorkIndex,
    src: &work::Sources<'_>,
    opt_outs: &domain::privacy::OptOutRegister,
    area: &str,
    kind: &str,
    size: usize,
) -> ApiResult<(Vec<NewTurf>, usize)> {
    let sel = compile(work, src.model, area, "", Some(kind))?;
    let s = select_in(work, src, opt_outs, &sel);
    if s.doors.len() < size {
        return Err(ApiError::unprocessable("fewer doors than a turf"));
    }
    Ok((turfs_of(&s, size)?, s.opted_out))
}

/// A selection: the area, the compiled criteria and the work kind.
struct Selection {
    area: AreaCode,
    criteria: Option<rules::Predicate>,
    work_kind: Option<String>,
}

fn compile(
    work: &WorkIndex,
    model: &Model,
    area: &str,
    criteria: &str,
    kind: Option<&str>,
) -> ApiResult<Selection> {
    let area = parse_area(area, model)?;
    if criteria.chars().count() > 2_000 {
        return Err(ApiError::param("criteria", "at most 2000 characters"));
    }
    let criteria = criteria.trim();
    let compiled = if criteria.is_empty() {
        None
    } else {
        let schema = work.fields().of(TargetKind::Verblijfsobject).schema();
        Some(
            rules::compile(criteria, schema)
                .map_err(|e| ApiError::unprocessable(format!("criteria: {e}")))?,
        )
    };
    if let Some(k) = kind
        && work.rules().by_kind(k).is_none()
    {
        return Err(ApiError::param(
            "work_kind",
            "a work kind (listWorkKinds), or absent",
        ));
    }
    Ok(Selection {
        area,
        criteria: compiled,
        work_kind: kind.map(str::to_owned),
    })
}

/// What a selection holds: the doors (households that opted out of canvassing left out), how many
/// were left out, and how many buildings the doors are in.
struct Selected {
    doors: Vec<Door>,
    buurten: Vec<Option<AreaCode>>,
    opted_out: usize,
    buildings: usize,
}

fn select(state: &AppState, sel: &Selection) -> Selected {
    let model = state.model.load();
    let work = read(&state.work);
    let obs = read(&state.observations.index);
    let opt_outs = state.people.opt_outs.load();
    let src = work::Sources {
        model: &model,
        observations: &obs,
        now: clock::now(),
    };
    select_in(&work, &src, &opt_outs, sel)
}

/// The selection over the model and the work as they stand (shared with the demo's sample
/// campaign).
fn select_in(
    work: &WorkIndex,
    src: &work::Sources<'_>,
    opt_outs: &domain::privacy::OptOutRegister,
    sel: &Selection,
) -> Selected {
    let model = src.model;
    let open = |kind: &str, t: Target| {
        work.get(kind, t)
            .is_some_and(|it| it.item.matches && !it.status.is_closed())
    };
    let mut out = Selected {
        doors: Vec::new(),
        buurten: Vec::new(),
        opted_out: 0,
        buildings: 0,
    };
    let mut panden = std::collections::HashSet::new();
    for a in model.address_rows() {
        if !in_area(a.areas(), sel.area) {
            continue;
        }
        let id = a.id().get();
        let pand = a
            .building_rows()
            .first()
            .map(|b| model.building(*b).id().get());
        if let Some(k) = &sel.work_kind
            && !open(k, Target::Verblijfsobject(id))
            && !pand.is_some_and(|p| open(k, Target::Pand(p)))
        {
            continue;
        }
        if sel
            .criteria
            .as_ref()
            .is_some_and(|p| !work.holds(src, Target::Verblijfsobject(id), p))
        {
            continue;
        }
        if opt_outs.excludes(id, Purpose::Canvassing) {
            out.opted_out += 1;
            continue;
        }
        if let Some(p) = pand {
            panden.insert(p);
        }
        out.doors.push(Door {
            address: id,
            street: a.street().to_owned(),
            place: a.place().to_owned(),
            number: a.house_number(),
            letter: a.house_letter().map(str::to_owned),
            addition: a.addition().map(str::to_owned),
            pand: pand.unwrap_or(id),
            point: a.point(),
        });
        out.buurten.push(a.areas().buurt);
    }
    out.buildings = panden.len();
    out
}

fn campaign_resource(area: &str) -> Resource {
    Resource::new(
        DataClass::Campaigns,
        area.parse::<AreaCode>().map_or(Place::Nowhere, Place::Area),
    )
}

/// May the caller organise campaigns in `area`?
fn organises(caller: &Caller, area: &str) -> bool {
    decide(
        &caller.principal,
        Purpose::Administration,
        &campaign_resource(area),
    ) == Decision::Allow
}

/// May the caller walk (or see the walk list of) `turf`?
fn may_walk(caller: &Caller, turf: &TurfRow) -> bool {
    let mut r = campaign_resource(&turf.buurt);
    r.held_by_caller = turf.holder.is_some() && turf.holder == caller.principal.user_id();
    decide(&caller.principal, Purpose::Canvassing, &r) == Decision::Allow
}

/// Filters of a selection (preview and creation).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CampaignSelectionRequest)]
struct SelectionBody {
    /// A CBS code: gemeente, wijk or buurt.
    area: String,
    /// CQL2 text over the fields of an address (`listWorkKinds`, `verblijfsobject`); empty for
    /// every address.
    #[serde(default)]
    criteria: String,
    /// Only addresses with open work of this kind.
    #[serde(default)]
    work_kind: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/campaigns/preview",
    tag = "campaigns",
    operation_id = "previewCampaign",
    summary = "What a campaign's selection holds now: addresses, buildings, and the households left out.",
    description = "Wijkondernemer and communitybuilder in whose scope the area lies; admin. Households that opted out of canvassing are left out and counted. Unknown fields in the criteria are 422, naming them.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((SelectionBody = "application/json"))),
    responses(
        (status = 200, description = "The counts.", content((schemas::CampaignPreview = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn preview_campaign(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<SelectionBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    caller.user()?;
    let st = state.clone();
    let body = blocking(move || {
        let sel = compile(
            &read(&st.work),
            &st.model.load(),
            &body.area,
            &body.criteria,
            body.work_kind.as_deref(),
        )?;
        if !organises(&caller, &sel.area.to_string()) {
            return Err(caller.refuse("your role may not plan campaigns in this area"));
        }
        let s = select(&st, &sel);
        // Where the selected doors are, for the map beside the criteria (at most MAX_PREVIEW_POINTS).
        let points: Vec<[f64; 2]> = s
            .doors
            .iter()
            .take(MAX_PREVIEW_POINTS)
            .map(|d| {
                let (lon, lat) = domain::world_to_lonlat(d.point);
                [(lon * 1e5).round() / 1e5, (lat * 1e5).round() / 1e5]
            })
            .collect();
        Ok(json!({
            "addresses": s.doors.len(),
            "buildings": s.buildings,
            "opted_out": s.opted_out,
            "points": points,
        }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

/// Most door points a preview draws.
const MAX_PREVIEW_POINTS: usize = 20_000;

/// A new campaign.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CampaignRequest)]
struct CampaignBody {
    /// What the campaign is called.
    title: String,
    /// What it is about, for the volunteers (at most 500 characters).
    #[serde(default)]
    topic: String,
    /// A CBS code: gemeente, wijk or buurt.
    area: String,
    /// CQL2 text over the fields of an address; empty for every address.
    #[serde(default)]
    criteria: String,
    /// Only addresses with open work of this kind.
    #[serde(default)]
    work_kind: Option<String>,
    /// The accepted assignment it delivers on: a signed-up household becomes a delivered unit.
    #[serde(default)]
    assignment: Option<i64>,
    /// The questions at the door.
    #[serde(default)]
    questions: Vec<Question>,
    /// About this many doors per turf (1 … the doors selected).
    turf_size: i64,
    /// `YYYY-MM-DD`.
    starts_on: String,
    /// `YYYY-MM-DD`, not before `starts_on`.
    ends_on: String,
}

#[utoipa::path(
    post,
    path = "/api/campaigns",
    tag = "campaigns",
    operation_id = "createCampaign",
    summary = "Create a campaign: the selection is cut into turfs of about `turf_size` doors.",
    description = "Wijkondernemer and communitybuilder in whose scope the area lies; admin. Every selected address lands in exactly one turf, in walking order; households that opted out of canvassing are left out. A selection of nothing, or a turf size of 0 or larger than the selection, is 422. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((CampaignBody = "application/json"))),
    responses(
        (status = 201, description = "The campaign with its turfs.", content((schemas::Campaign = "application/json"))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn create_campaign(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<CampaignBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let by = caller.user()?.id;
    let title = text_field(&body.title, "title", 120, true)?;
    let topic = text_field(&body.topic, "topic", 500, false)?;
    for (d, f) in [(&body.starts_on, "starts_on"), (&body.ends_on, "ends_on")] {
        if !valid_date(d) {
            return Err(ApiError::param(f, "a date YYYY-MM-DD"));
        }
    }
    if body.ends_on < body.starts_on {
        return Err(ApiError::param("ends_on", "not before starts_on"));
    }
    check_questions(&body.questions)?;
    let st = state.clone();
    let caller2 = caller.clone();
    let id = blocking(move || {
        let model = st.model.load();
        let sel = compile(&read(&st.work), &model, &body.area, &body.criteria, body.work_kind.as_deref())?;
        let area = sel.area.to_string();
        if !organises(&caller2, &area) {
            return Err(caller2.refuse("your role may not plan campaigns in this area"));
        }
        if let Some(aid) = body.assignment {
            let a = st
                .people
                .store
                .assignment(aid)?
                .filter(|a| {
                    decide(
                        &caller2.principal,
                        Purpose::Canvassing,
                        &Resource::new(
                            DataClass::Assignments,
                            a.terms.area.parse::<AreaCode>().map_or(Place::Nowhere, Place::Area),
                        ),
                    ) == Decision::Allow
                })
                .ok_or_else(|| ApiError::NotFound(format!("no assignment {aid}")))?;
            if a.status != "accepted" {
                return Err(ApiError::unprocessable(format!(
                    "assignment: it is {}; a campaign delivers on an accepted assignment",
                    a.status
                )));
            }
        }
        let s = select(&st, &sel);
        if s.doors.is_empty() {
            return Err(ApiError::unprocessable(
                "the selection holds no addresses (households that opted out are left out)",
            ));
        }
        if s.doors.len() > MAX_DOORS {
            return Err(ApiError::unprocessable(format!(
                "the selection holds {} addresses; a campaign takes at most {MAX_DOORS}: narrow the area or the criteria",
                s.doors.len()
            )));
        }
        let size = usize::try_from(body.turf_size).unwrap_or(0);
        let new = turfs_of(&s, size)?;
        let spec = CampaignSpec {
            title,
            topic,
            area,
            criteria: body.criteria.trim().to_owned(),
            work_kind: sel.work_kind,
            assignment_id: body.assignment,
            questions: serde_json::to_string(&body.questions).map_err(|e| ApiError::Internal(e.to_string()))?,
            turf_size: body.turf_size,
            starts_on: body.starts_on,
            ends_on: body.ends_on,
        };
        Ok(st.people.store.create_campaign(&spec, &new, s.opted_out as i64, Some(by), clock::now())?)
    })
    .await?;
    state.urgency.doors_changed();
    caller
        .audit("campaign_created", &format!("campaign:{id}"), "")
        .await?;
    let body = campaign_detail(&state, &caller, id).await?;
    Ok((StatusCode::CREATED, no_store(Json(body).into_response())).into_response())
}

fn questions_of(row: &CampaignRow) -> Vec<Question> {
    serde_json::from_str(&row.spec.questions).unwrap_or_default()
}

fn area_name(model: &Model, code: &str) -> Option<String> {
    code.parse::<AreaCode>()
        .ok()
        .and_then(|c| model.find_area(c))
        .map(|a| a.name().to_owned())
}

fn campaign_json(model: &Model, row: &CampaignRow) -> Value {
    let s = &row.spec;
    json!({
        "id": row.id,
        "title": s.title,
        "topic": s.topic,
        "area": s.area,
        "area_name": area_name(model, &s.area),
        "criteria": s.criteria,
        "work_kind": s.work_kind,
        "assignment": s.assignment_id,
        "questions": serde_json::from_str::<Value>(&s.questions).unwrap_or(json!([])),
        "turf_size": s.turf_size,
        "starts_on": s.starts_on,
        "ends_on": s.ends_on,
        "created_at": clock::rfc3339(row.created_at),
        "opted_out": row.opted_out,
    })
}

/// How an account is named to organisers: the name it gave, else its e-mail address.
fn person_name(u: &store::people::UserRecord) -> String {
    if u.display_name.trim().is_empty() {
        u.email.clone()
    } else {
        u.display_name.clone()
    }
}

/// Progress of a set of doors: doors, visited (knocked), answered, and per outcome.
fn progress_json(doors: i64, counts: Option<&HashMap<String, i64>>) -> Value {
    let c = |o: &str| counts.and_then(|m| m.get(o)).copied().unwrap_or(0);
    let talked = c("interested") + c("not_interested") + c("signed_up");
    let visited = talked + c("not_home") + c("do_not_knock");
    json!({
        "doors": doors,
        "visited": visited,
        "talked": talked,
        "not_home": c("not_home"),
        "interested": c("interested"),
        "not_interested": c("not_interested"),
        "signed_up": c("signed_up"),
        "do_not_knock": c("do_not_knock"),
    })
}

/// The door-to-door campaigns linked to assignment `assignment`, as its partner may see them
/// (issue 13 §6): per campaign its title and, per buurt, the doors, knocked, talked and signed up
/// — counts only, rounded, and a buurt with fewer than k doors withheld.
pub(crate) fn linked_progress(
    state: &AppState,
    model: &Model,
    assignment: i64,
) -> ApiResult<Vec<Value>> {
    let store = &state.people.store;
    let rule = state.people.settings.k_anonymity;
    let round = |n: i64| rule.round(u32::try_from(n.max(0)).unwrap_or(u32::MAX));
    let mut out = Vec::new();
    for row in store.campaigns()? {
        if row.spec.assignment_id != Some(assignment) {
            continue;
        }
        let counts = store.turf_counts(row.id)?;
        let mut per_buurt: BTreeMap<String, (i64, HashMap<String, i64>)> = BTreeMap::new();
        for t in store.turfs(row.id)? {
            let e = per_buurt.entry(t.buurt.clone()).or_default();
            e.0 += t.doors;
            for (o, n) in counts.get(&t.id).into_iter().flatten() {
                *e.1.entry(o.clone()).or_default() += n;
            }
        }
        let buurten: Vec<Value> = per_buurt
            .iter()
            .map(|(b, (doors, c))| {
                let name = area_name(model, b);
                if u32::try_from(*doors).unwrap_or(0) < rule.k {
                    return json!({ "buurt": b, "name": name, "suppressed": true });
                }
                let p = progress_json(*doors, Some(c));
                let n = |k: &str| round(p[k].as_i64().unwrap_or(0));
                json!({
                    "buurt": b,
                    "name": name,
                    "suppressed": false,
                    "doors": n("doors"),
                    "visited": n("visited"),
                    "talked": n("talked"),
                    "signed_up": n("signed_up"),
                })
            })
            .collect();
        out.push(
            json!({ "title": row.spec.title, "ends_on": row.spec.ends_on, "buurten": buurten }),
        );
    }
    Ok(out)
}

/// The campaign as its organisers see it: terms, turfs with holder and progress, per buurt, and
/// the answers as k-anonymous counts.
async fn campaign_detail(state: &AppState, caller: &Caller, id: i64) -> ApiResult<Value> {
    let st = state.clone();
    let caller = caller.clone();
    blocking(move || {
        let store = &st.people.store;
        let row = store
            .campaign(id)?
            .filter(|r| decide(&caller.principal, Purpose::Map, &campaign_resource(&r.spec.area)) == Decision::Allow && organises(&caller, &r.spec.area))
            .ok_or_else(|| ApiError::NotFound(format!("no campaign {id}")))?;
        let model = st.model.load();
        let turfs = store.turfs(id)?;
        let counts = store.turf_counts(id)?;
        let accounts = store.users()?;
        let users: HashMap<i64, String> = accounts.iter().map(|u| (u.id, person_name(u))).collect();
        let mut per_buurt: BTreeMap<String, (i64, HashMap<String, i64>)> = BTreeMap::new();
        let turf_list: Vec<Value> = turfs
            .iter()
            .map(|t| {
                let e = per_buurt.entry(t.buurt.clone()).or_default();
                e.0 += t.doors;
                if let Some(c) = counts.get(&t.id) {
                    for (o, n) in c {
                        *e.1.entry(o.clone()).or_default() += n;
                    }
                }
                json!({
                    "id": t.id,
                    "number": t.number,
                    "buurt": t.buurt,
                    "buurt_name": area_name(&model, &t.buurt),
                    "holder": t.holder.map(|h| json!({ "id": h, "name": users.get(&h).cloned().unwrap_or_default() })),
                    "held_since": t.held_since.map(clock::rfc3339),
                    "progress": progress_json(t.doors, counts.get(&t.id)),
                })
            })
            .collect();
        let buurten: Vec<Value> = per_buurt
            .iter()
            .map(|(b, (doors, c))| json!({ "buurt": b, "name": area_name(&model, b), "progress": progress_json(*doors, Some(c)) }))
            .collect();
        // Answers: counts per question and value over the campaign, each question released only
        // when at least k doors answered it (k-anonymity: no answer of one household stands out).
        let rule = st.people.settings.k_anonymity;
        let mut answers: BTreeMap<(String, String), i64> = BTreeMap::new();
        for (_, q, a, n) in store.turf_answer_counts(id)? {
            *answers.entry((q, a)).or_default() += n;
        }
        let questions = questions_of(&row);
        let answer_json: Vec<Value> = questions
            .iter()
            .map(|q| {
                let total: i64 = answers.iter().filter(|((qq, _), _)| *qq == q.name).map(|(_, n)| n).sum();
                let released = u32::try_from(total).unwrap_or(u32::MAX) >= rule.k;
                json!({
                    "question": q.name,
                    "suppressed": !released,
                    "counts": if released {
                        values_of(q).into_iter().map(|v| json!({ "value": v, "count": rule.round(u32::try_from(answers.get(&(q.name.clone(), v.to_owned())).copied().unwrap_or(0)).unwrap_or(0)) })).collect::<Vec<_>>()
                    } else { Vec::new() },
                })
            })
            .collect();
        let total_doors: i64 = turfs.iter().map(|t| t.doors).sum();
        let mut all: HashMap<String, i64> = HashMap::new();
        for c in counts.values() {
            for (o, n) in c {
                *all.entry(o.clone()).or_default() += n;
            }
        }
        // Who may walk here: volunteers, communitybuilders and wijkondernemers whose scope holds
        // the area (named as they named themselves).
        let place = campaign_resource(&row.spec.area).place;
        let walkers: Vec<Value> = accounts
            .iter()
            .filter(|u| !u.disabled)
            .filter(|u| {
                let p = crate::auth::principal_for(u, &st.people);
                may_report_as(&p, ObservationSource::Volunteer, &place)
            })
            .map(|u| json!({ "id": u.id, "name": person_name(u) }))
            .collect();
        let mut v = campaign_json(&model, &row);
        v["turfs"] = json!(turf_list);
        v["buurten"] = json!(buurten);
        v["progress"] = progress_json(total_doors, Some(&all));
        v["answers"] = json!(answer_json);
        v["walkers"] = json!(walkers);
        Ok(v)
    })
    .await
}

#[utoipa::path(
    get,
    path = "/api/campaigns",
    tag = "campaigns",
    operation_id = "listCampaigns",
    summary = "The campaigns the caller organises, newest first, with their progress.",
    description = "Wijkondernemer and communitybuilder: campaigns in an area in their scope; admin: all. A volunteer finds their turfs at `myTurfs`. Others: 403.",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "The campaigns.", content((schemas::CampaignList = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
    )
)]
async fn list_campaigns(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller.user()?;
    if decide(
        &caller.principal,
        Purpose::Administration,
        &Resource::new(DataClass::Campaigns, Place::Somewhere),
    ) != Decision::Allow
    {
        return Err(caller.refuse("your role does not plan campaigns"));
    }
    let st = state.clone();
    let body = blocking(move || {
        let model = st.model.load();
        let mut list = Vec::new();
        for row in st.people.store.campaigns()? {
            if !organises(&caller, &row.spec.area) {
                continue;
            }
            let turfs = st.people.store.turfs(row.id)?;
            let counts = st.people.store.turf_counts(row.id)?;
            let mut all: HashMap<String, i64> = HashMap::new();
            for c in counts.values() {
                for (o, n) in c {
                    *all.entry(o.clone()).or_default() += n;
                }
            }
            let mut v = campaign_json(&model, &row);
            v["turfs"] = json!(turfs.len());
            v["progress"] = progress_json(turfs.iter().map(|t| t.doors).sum(), Some(&all));
            list.push(v);
        }
        Ok(json!({ "campaigns": list }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

#[utoipa::path(
    get,
    path = "/api/campaigns/{id}",
    tag = "campaigns",
    operation_id = "getCampaign",
    summary = "A campaign with its turfs (holder, progress), progress per buurt, and the answers as k-anonymous counts.",
    description = "Wijkondernemer and communitybuilder in whose scope its area lies; admin. Others: 404, the same as for a campaign that does not exist.",
    security(("cookieAuth" = [])),
    params(schemas::CampaignIdParam),
    responses(
        (status = 200, description = "The campaign.", content((schemas::Campaign = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn get_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = parse_id(&id)?;
    let body = campaign_detail(&state, &caller, id).await?;
    Ok(no_store(Json(body).into_response()))
}

/// The turf, or 404 alike for one that does not exist and one in a campaign the caller may
/// neither organise nor walk.
fn load_turf(
    state: &AppState,
    caller: &Caller,
    campaign: i64,
    turf: i64,
) -> ApiResult<(CampaignRow, TurfRow)> {
    let not_found = || ApiError::NotFound(format!("no turf {turf} in campaign {campaign}"));
    let row = state
        .people
        .store
        .campaign(campaign)?
        .ok_or_else(not_found)?;
    let t = state
        .people
        .store
        .turfs(campaign)?
        .into_iter()
        .find(|t| t.id == turf)
        .ok_or_else(not_found)?;
    if !organises(caller, &row.spec.area) && !may_walk(caller, &t) {
        return Err(not_found());
    }
    Ok((row, t))
}

/// The turf, for one who organises its campaign; 404 alike for anyone else (its holder too).
fn organised_turf(
    state: &AppState,
    caller: &Caller,
    campaign: i64,
    turf: i64,
) -> ApiResult<(CampaignRow, TurfRow)> {
    let (row, t) = load_turf(state, caller, campaign, turf)?;
    if !organises(caller, &row.spec.area) {
        return Err(ApiError::NotFound(format!(
            "no turf {turf} in campaign {campaign}"
        )));
    }
    Ok((row, t))
}

/// Who walks a turf.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TurfHolderRequest)]
struct HolderBody {
    /// The account that walks it (`getCampaign`'s `walkers`), or null to free it.
    holder: Option<i64>,
    /// Who the caller saw holding it (null for free): someone else's change meanwhile is 409.
    expected: Option<i64>,
}

#[utoipa::path(
    put,
    path = "/api/campaigns/{id}/turfs/{turf}/holder",
    tag = "campaigns",
    operation_id = "assignTurf",
    summary = "Give a turf to someone who may walk there (it is locked to them), or free it.",
    description = "Wijkondernemer and communitybuilder in whose scope the campaign lies; admin (a volunteer: 404). The holder must be allowed to work door to door in the turf's buurt (a volunteer, communitybuilder or wijkondernemer in scope), else 422. `expected` must be who holds it now, else 409. A freed or reassigned turf refuses the former holder's visits, which stay on their phone. Audited.",
    security(("cookieAuth" = [])),
    params(schemas::CampaignIdParam, schemas::TurfIdParam, doc::params::CsrfToken),
    request_body(content((HolderBody = "application/json"))),
    responses(
        (status = 200, description = "The turf's holder now.", content((schemas::TurfHolder = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "Someone else changed the holder meanwhile: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn assign_turf(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, turf)): Path<(String, String)>,
    body: Result<Json<HolderBody>, JsonRejection>,
) -> ApiResult<Response> {
    caller.user()?;
    let (id, turf) = (parse_id(&id)?, parse_turf(&turf)?);
    let Json(body) = body?;
    let st = state.clone();
    let caller2 = caller.clone();
    let name = blocking(move || {
        let (_, t) = organised_turf(&st, &caller2, id, turf)?;
        let mut name = String::new();
        if let Some(h) = body.holder {
            let user = st
                .people
                .store
                .user(h)?
                .filter(|u| !u.disabled)
                .ok_or_else(|| ApiError::unprocessable("holder: no such account"))?;
            let p = crate::auth::principal_for(&user, &st.people);
            let place = t
                .buurt
                .parse::<AreaCode>()
                .map_or(Place::Nowhere, Place::Area);
            if !may_report_as(&p, ObservationSource::Volunteer, &place) {
                return Err(ApiError::unprocessable(
                    "holder: this account may not work door to door in the turf's buurt",
                ));
            }
            name = person_name(&user);
        }
        st.people
            .store
            .set_turf_holder(turf, body.expected, body.holder, clock::now())?;
        Ok(json!({ "turf": turf, "holder": body.holder.map(|h| json!({ "id": h, "name": name })) }))
    })
    .await?;
    caller
        .audit(
            "turf_assigned",
            &format!("turf:{turf}"),
            &name["holder"]["id"].to_string(),
        )
        .await?;
    Ok(no_store(Json(name).into_response()))
}

fn parse_turf(s: &str) -> ApiResult<i64> {
    s.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError::param("turf", "a positive whole number"))
}

/// `?format=`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormatQuery {
    format: Option<String>,
}

/// The doors of a turf as a walk list: in order, named by address, with what helps the
/// conversation. Facts are open data (BAG, 3DBAG, EP-Online) and the campaign's own earlier
/// outcome where the household consented to keeping it — never another resident's report.
pub(crate) struct WalkDoor {
    pub(crate) address: u64,
    pub(crate) label: String,
    pub(crate) street: String,
    pub(crate) bouwjaar: Option<u16>,
    pub(crate) energieklasse: Option<String>,
    pub(crate) roof_m2: Option<f64>,
    pub(crate) visited: Option<bool>,
    pub(crate) earlier: Option<String>,
    pub(crate) point: domain::WorldPoint,
    pub(crate) pand: Option<u32>,
}

fn walk_doors(state: &AppState, campaign: i64, turf: i64) -> ApiResult<Vec<WalkDoor>> {
    let store = &state.people.store;
    let ids = store.turf_doors(turf)?;
    let visited = store.visited_doors(campaign)?;
    let kept = store.kept_outcomes(campaign)?;
    let model = state.model.load();
    let opt_outs = state.people.opt_outs.load();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        // A household that opted out since the turf was cut is not visited: left off the list.
        if opt_outs.excludes(id, Purpose::Canvassing) {
            continue;
        }
        let Some(a) = domain::BagId::new(id).and_then(|b| model.find_address(b)) else {
            continue;
        };
        let pand = a.building_rows().first().copied();
        let b = pand.map(|i| model.building(i));
        out.push(WalkDoor {
            address: id,
            label: a.street_line(),
            street: a.street().to_owned(),
            bouwjaar: b
                .map(|b| b.bouwjaar())
                .filter(|y| *y != domain::UNKNOWN_BOUWJAAR),
            energieklasse: a.energy_label().map(|l| l.class.as_str().to_owned()),
            roof_m2: b
                .and_then(|b| b.roof())
                .map(|r| r.solar_m2)
                .filter(|m| *m > 0.0),
            visited: visited.get(&id).copied(),
            earlier: kept.get(&id).cloned(),
            point: a.point(),
            pand,
        });
    }
    Ok(out)
}

#[utoipa::path(
    get,
    path = "/api/campaigns/{id}/turfs/{turf}",
    tag = "campaigns",
    operation_id = "walkList",
    summary = "The walk list of a turf: doors in walking order, what helps the conversation, and the questions; `?format=pdf` for paper, with a map.",
    description = "The turf's holder, and the wijkondernemer and communitybuilders in whose scope it lies; admin. Anyone else: 404. Households that opted out of canvassing are not on it. Facts are open data and the campaign's own outcome where the household consented; never another resident's report.",
    security(("cookieAuth" = [])),
    params(schemas::CampaignIdParam, schemas::TurfIdParam, schemas::WalkListFormat),
    responses(
        (status = 200, description = "The walk list.", content((schemas::WalkList = "application/json"), (Vec<u8> = "application/pdf")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn walk_list(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, turf)): Path<(String, String)>,
    q: Result<Query<FormatQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    caller.user()?;
    let (id, turf) = (parse_id(&id)?, parse_turf(&turf)?);
    let pdf = match q.format.as_deref() {
        None | Some("json") => false,
        Some("pdf") => true,
        Some(_) => return Err(ApiError::param("format", "json or pdf")),
    };
    let st = state.clone();
    let caller2 = caller.clone();
    let (row, t, doors) = blocking(move || {
        let (row, t) = load_turf(&st, &caller2, id, turf)?;
        let doors = walk_doors(&st, id, turf)?;
        Ok((row, t, doors))
    })
    .await?;
    let questions = questions_of(&row);
    if pdf {
        let st = state.clone();
        let number = t.number;
        let bytes = blocking(move || {
            walklist::pdf(&st.model.load(), &row, &t, &doors, &questions)
                .map_err(|e| ApiError::Internal(e.to_string()))
        })
        .await?;
        let mut r = bytes.into_response();
        let h = r.headers_mut();
        h.insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/pdf"),
        );
        h.insert(
            axum::http::header::CONTENT_DISPOSITION,
            axum::http::HeaderValue::from_str(&format!(
                "attachment; filename=\"looplijst-{id}-{number}.pdf\""
            ))
            .map_err(|e| ApiError::Internal(e.to_string()))?,
        );
        return Ok(no_store(r));
    }
    let model = state.model.load();
    let body = json!({
        "campaign": { "id": row.id, "title": row.spec.title, "topic": row.spec.topic, "ends_on": row.spec.ends_on },
        "turf": { "id": t.id, "number": t.number, "buurt_name": area_name(&model, &t.buurt), "yours": t.holder.is_some() && t.holder == caller.principal.user_id() },
        "questions": questions,
        "outcomes": OUTCOMES,
        "doors": doors.iter().map(|d| {
            let (lon, lat) = domain::world_to_lonlat(d.point);
            json!({
                "address": d.address.to_string(),
                "label": d.label,
                "bouwjaar": d.bouwjaar,
                "energieklasse": d.energieklasse,
                "roof_m2": d.roof_m2.map(f64::round),
                "visited": d.visited.map(|answered| if answered { "answered" } else { "not_home" }),
                "earlier": d.earlier,
                "lon": (lon * 1e6).round() / 1e6,
                "lat": (lat * 1e6).round() / 1e6,
            })
        }).collect::<Vec<_>>(),
    });
    Ok(no_store(Json(body).into_response()))
}

/// One visit as the phone recorded it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = VisitRequest)]
struct VisitBody {
    /// The phone's idempotency key (8–80 of letters, digits, `-` and `_`): a replay gets the first
    /// result.
    key: String,
    /// The door (`walkList`'s `address`).
    address: String,
    /// One of `not_home`, `interested`, `not_interested`, `signed_up`, `do_not_knock`.
    outcome: String,
    /// The resident agreed that the outcome is kept for their address (a sign-up is itself that
    /// agreement). Without it only counts per turf are kept.
    #[serde(default)]
    consent: bool,
    /// Answers: question name → value.
    #[serde(default)]
    #[schema(value_type = Object)]
    answers: BTreeMap<String, String>,
    /// A note (at most 300 characters), kept only with the outcome.
    #[serde(default)]
    note: String,
}

/// A batch of visits.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = VisitBatchRequest)]
struct VisitBatch {
    /// In the order they were recorded (at most 2000).
    visits: Vec<VisitBody>,
}

#[utoipa::path(
    post,
    path = "/api/campaigns/{id}/turfs/{turf}/visits",
    tag = "campaigns",
    operation_id = "syncVisits",
    summary = "Send the visits a phone recorded on a turf: each applied once, in one transaction.",
    description = "At most 2,000 visits and 1 MiB a batch. Only the turf's holder (a turf one does not hold is 403 — for every visit of the batch, which stays on the phone; to a caller who may not see the turf at all, 404). Per visit the answer says `recorded`, `conflict` (the door was answered before, by another phone: kept in the log, not counted twice), or why it was refused without writing anything (`not_in_turf`, `not_holder`). A replayed key gets its first result. `do_not_knock` puts the address in the opt-out register. A malformed visit (unknown outcome, question or value) is 422 for the whole batch, naming the visit. Audited (counts only).",
    security(("cookieAuth" = [])),
    params(schemas::CampaignIdParam, schemas::TurfIdParam, doc::params::CsrfToken),
    request_body(content((VisitBatch = "application/json"))),
    responses(
        (status = 200, description = "The result of each visit, in order.", content((schemas::VisitResults = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn sync_visits(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, turf)): Path<(String, String)>,
    body: Result<Json<VisitBatch>, JsonRejection>,
) -> ApiResult<Response> {
    let by = caller.user()?.id;
    let (id, turf) = (parse_id(&id)?, parse_turf(&turf)?);
    let Json(body) = body?;
    if body.visits.len() > MAX_BATCH {
        return Err(ApiError::param(
            "visits",
            format!("at most {MAX_BATCH} per batch"),
        ));
    }
    let st = state.clone();
    let caller2 = caller.clone();
    let (results, recorded, touched) = blocking(move || {
        // Someone who works door to door in the turf's buurt hears why their visits are refused
        // (the turf was given to another); anyone else, that there is no such turf.
        let (row, t) = match load_turf(&st, &caller2, id, turf) {
            Ok(found) => found,
            Err(ApiError::NotFound(m)) => {
                let t = st
                    .people
                    .store
                    .turfs(id)?
                    .into_iter()
                    .find(|t| t.id == turf);
                let walks_there = t.as_ref().is_some_and(|t| {
                    let place = t
                        .buurt
                        .parse::<AreaCode>()
                        .map_or(Place::Nowhere, Place::Area);
                    may_report_as(&caller2.principal, ObservationSource::Volunteer, &place)
                });
                if walks_there {
                    return Err(caller2.refuse(NOT_YOURS));
                }
                return Err(ApiError::NotFound(m));
            }
            Err(e) => return Err(e),
        };
        if t.holder != Some(by) {
            return Err(caller2.refuse(NOT_YOURS));
        }
        let questions = questions_of(&row);
        let mut ops = Vec::with_capacity(body.visits.len());
        for (i, v) in body.visits.iter().enumerate() {
            let at = |m: String| ApiError::unprocessable(format!("visits[{i}]: {m}"));
            if !(8..=80).contains(&v.key.len())
                || !v
                    .key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(at("key: 8–80 of letters, digits, - and _".into()));
            }
            let address: u64 = v
                .address
                .parse()
                .map_err(|_| at("address: the 16 digits of walkList".into()))?;
            if !OUTCOMES.contains(&v.outcome.as_str()) {
                return Err(at(format!("outcome: one of {}", OUTCOMES.join(", "))));
            }
            let note = text_field(&v.note, "note", 300, false)
                .map_err(|_| at("note: at most 300 characters, no control characters".into()))?;
            let keep = v.consent || v.outcome == "signed_up";
            let mut kept = serde_json::Map::new();
            let mut counted = Vec::new();
            for (name, value) in &v.answers {
                let q = questions.iter().find(|q| q.name == *name).ok_or_else(|| {
                    at(format!(
                        "answers: no question {:?}",
                        name.chars().take(40).collect::<String>()
                    ))
                })?;
                if !values_of(q).contains(&value.as_str()) {
                    return Err(at(format!(
                        "answers.{name}: one of {}",
                        values_of(q).join(", ")
                    )));
                }
                counted.push((name.clone(), value.clone()));
                if keep && !q.sensitive {
                    kept.insert(name.clone(), Value::String(value.clone()));
                }
            }
            ops.push(VisitOp {
                key: v.key.clone(),
                address,
                outcome: v.outcome.clone(),
                keep,
                answers: Value::Object(kept).to_string(),
                counted,
                note: if keep { note } else { String::new() },
            });
        }
        let out = st
            .people
            .store
            .apply_visits(id, turf, by, &ops, clock::now(), |fresh| {
                json!({ "status": if fresh { "recorded" } else { "conflict" } }).to_string()
            })?;
        st.urgency.doors_changed();
        let mut recorded = 0;
        let results: Vec<Value> =
            ops.iter()
                .zip(out)
                .map(|(op, o)| {
                    let r = match o {
                        OpOutcome::Result(s) => serde_json::from_str::<Value>(&s)
                            .unwrap_or(json!({ "status": "recorded" })),
                        OpOutcome::NotHolder => json!({ "status": "not_holder" }),
                        OpOutcome::NotInTurf => json!({ "status": "not_in_turf" }),
                    };
                    if r["status"] == "recorded" {
                        recorded += 1;
                    }
                    json!({ "key": op.key, "status": r["status"] })
                })
                .collect();
        let dnk: Vec<u64> = ops
            .iter()
            .filter(|o| o.outcome == "do_not_knock")
            .map(|o| o.address)
            .collect();
        if !dnk.is_empty() {
            st.people.reload_opt_outs()?;
        }
        // Signed-up households on a linked assignment become delivered units.
        if let Some(aid) = row.spec.assignment_id {
            deliver_sign_ups(&st, aid, by, &ops, &results)?;
        }
        Ok((results, recorded, dnk))
    })
    .await?;
    if !touched.is_empty() {
        let model = state.model.load();
        for id in &touched {
            if let Some(a) = domain::BagId::new(*id).and_then(|b| model.find_address(b)) {
                state.changed(&tiles::Change::at(
                    tiles::Source::OptOuts,
                    a.point(),
                    a.areas(),
                ));
            }
        }
    }
    caller
        .audit(
            "visits_synced",
            &format!("turf:{turf}"),
            &format!("{recorded} recorded of {}", results.len()),
        )
        .await?;
    Ok(no_store(
        Json(json!({ "results": results })).into_response(),
    ))
}

/// A sign-up on a linked assignment delivers the household's planned work item: the address's
/// own, or its pand's.
fn deliver_sign_ups(
    state: &AppState,
    assignment: i64,
    by: i64,
    ops: &[VisitOp],
    results: &[Value],
) -> ApiResult<()> {
    let store = &state.people.store;
    let Some(a) = store.assignment(assignment)? else {
        return Ok(());
    };
    if a.status != "accepted" {
        return Ok(());
    }
    let planned = store.assignment_items(assignment)?;
    let delivered: std::collections::HashSet<(String, i64)> = store
        .deliveries(assignment)?
        .into_iter()
        .map(|d| (d.item.target_kind, d.item.target_id))
        .collect();
    let model = state.model.load();
    for (op, r) in ops.iter().zip(results) {
        if op.outcome != "signed_up" || r["status"] != "recorded" {
            continue;
        }
        let pand = domain::BagId::new(op.address)
            .and_then(|b| model.find_address(b))
            .and_then(|a| {
                a.building_rows()
                    .first()
                    .map(|i| model.building(*i).id().get())
            });
        let hit = planned.iter().find(|p| {
            (p.target_kind == "verblijfsobject" && p.target_id == op.address as i64)
                || (p.target_kind == "pand" && pand == Some(p.target_id as u64))
        });
        if let Some(item) = hit
            && !delivered.contains(&(item.target_kind.clone(), item.target_id))
        {
            match store.record_delivery(
                assignment,
                item,
                clock::now(),
                Some(by),
                "visit",
                None,
                "Aangemeld aan de deur.",
            ) {
                Ok(_) | Err(store::Error::Conflict(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

#[utoipa::path(
    get,
    path = "/api/my/turfs",
    tag = "campaigns",
    operation_id = "myTurfs",
    summary = "The turfs the caller holds, with their campaign and progress.",
    description = "Any account: the turfs given to it (none for most).",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "The turfs.", content((schemas::MyTurfs = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
    )
)]
async fn my_turfs(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let me = caller.user()?.id;
    let st = state.clone();
    let body = blocking(move || {
        let model = st.model.load();
        let mut list = Vec::new();
        for t in st.people.store.turfs_held_by(me)? {
            let Some(row) = st.people.store.campaign(t.campaign_id)? else { continue };
            if !may_walk(&caller, &t) {
                continue;
            }
            let counts = st.people.store.turf_counts(t.campaign_id)?;
            list.push(json!({
                "campaign": { "id": row.id, "title": row.spec.title, "topic": row.spec.topic, "ends_on": row.spec.ends_on },
                "turf": { "id": t.id, "number": t.number, "buurt_name": area_name(&model, &t.buurt) },
                "progress": progress_json(t.doors, counts.get(&t.id)),
            }));
        }
        Ok(json!({ "turfs": list }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

/// `?format=&level=` of an export.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportQuery {
    format: Option<String>,
    level: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/campaigns/{id}/export",
    tag = "campaigns",
    operation_id = "exportCampaign",
    summary = "A campaign's results as CSV or GeoPackage: per route (counts), or per address (only outcomes kept with consent).",
    description = "The wijkondernemer in whose scope the campaign lies; admin (a communitybuilder: 403; others: 404). `level=turf` (default): per route the doors and visits by outcome, at the route's centre. `level=address`: the newest outcome per address that the household consented to keeping, with its non-sensitive answers and note, households that opted out of canvassing since left out. Audited.",
    security(("cookieAuth" = [])),
    params(schemas::CampaignIdParam, schemas::ExportFormat, schemas::ExportLevel),
    responses(
        (status = 200, description = "The file.", content((Vec<u8> = "text/csv"), (Vec<u8> = "application/geopackage+sqlite3")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn export_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    q: Result<Query<ExportQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    caller.user()?;
    let id = parse_id(&id)?;
    let gpkg = match q.format.as_deref() {
        None | Some("csv") => false,
        Some("gpkg") => true,
        Some(_) => return Err(ApiError::param("format", "csv or gpkg")),
    };
    let per_address = match q.level.as_deref() {
        None | Some("turf") => false,
        Some("address") => true,
        Some(_) => return Err(ApiError::param("level", "turf or address")),
    };
    let st = state.clone();
    let caller2 = caller.clone();
    let (kind, ext, bytes, rows) = blocking(move || {
        let store = &st.people.store;
        let row = store
            .campaign(id)?
            .filter(|r| organises(&caller2, &r.spec.area))
            .ok_or_else(|| ApiError::NotFound(format!("no campaign {id}")))?;
        if decide(
            &caller2.principal,
            Purpose::Export,
            &campaign_resource(&row.spec.area),
        ) != Decision::Allow
        {
            return Err(caller2.refuse("your role may not export campaigns"));
        }
        let turfs = store
            .turfs(id)?
            .into_iter()
            .map(|t| {
                let doors = store.turf_doors(t.id)?;
                Ok((t, doors))
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let counts = store.turf_counts(id)?;
        let kept = if per_address {
            store.kept_outcome_rows(id)?
        } else {
            Vec::new()
        };
        let (kind, ext, bytes) = export::export(
            &st.model.load(),
            &st.people.opt_outs.load(),
            &row,
            &turfs,
            &counts,
            &kept,
            per_address,
            gpkg,
        )?;
        Ok((
            kind,
            ext,
            bytes,
            if per_address { kept.len() } else { turfs.len() },
        ))
    })
    .await?;
    let what = if per_address { "addresses" } else { "routes" };
    caller
        .audit(
            "campaign_exported",
            &format!("campaign:{id}"),
            &format!("{what} {ext}, {rows} rows"),
        )
        .await?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(kind),
    );
    h.insert(
        axum::http::header::CONTENT_DISPOSITION,
        axum::http::HeaderValue::from_str(&format!(
            "attachment; filename=\"campagne-{id}-{}.{ext}\"",
            if per_address { "adressen" } else { "routes" }
        ))
        .map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    Ok(no_store(r))
}

/// Where to split a route.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TurfSplitRequest)]
struct SplitBody {
    /// The first route keeps this many doors (1 … doors − 1); the rest become a new route.
    after: i64,
}

#[utoipa::path(
    post,
    path = "/api/campaigns/{id}/turfs/{turf}/split",
    tag = "campaigns",
    operation_id = "splitTurf",
    summary = "Split a route in two, in walking order.",
    description = "Wijkondernemer and communitybuilder in whose scope the campaign lies; admin (others: 404). Only a route nobody holds and nobody has visited (else 409). `after` out of range is 422. Audited.",
    security(("cookieAuth" = [])),
    params(schemas::CampaignIdParam, schemas::TurfIdParam, doc::params::CsrfToken),
    request_body(content((SplitBody = "application/json"))),
    responses(
        (status = 200, description = "The campaign as it stands.", content((schemas::Campaign = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "The route is held or visited: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn split_turf(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, turf)): Path<(String, String)>,
    body: Result<Json<SplitBody>, JsonRejection>,
) -> ApiResult<Response> {
    caller.user()?;
    let (id, turf) = (parse_id(&id)?, parse_turf(&turf)?);
    let Json(body) = body?;
    let st = state.clone();
    let caller2 = caller.clone();
    let new = blocking(move || {
        let (_, t) = organised_turf(&st, &caller2, id, turf)?;
        if body.after < 1 || body.after >= t.doors {
            return Err(ApiError::unprocessable(format!(
                "after: from 1 to {} (the route has {} doors)",
                t.doors - 1,
                t.doors
            )));
        }
        Ok(st
            .people
            .store
            .split_turf(id, turf, usize::try_from(body.after).unwrap_or(1))?)
    })
    .await?;
    let detail = format!("split, new turf:{new}");
    caller
        .audit("turf_reshaped", &format!("turf:{turf}"), &detail)
        .await?;
    let body = campaign_detail(&state, &caller, id).await?;
    Ok(no_store(Json(body).into_response()))
}

/// The route to merge into this one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TurfMergeRequest)]
struct MergeBody {
    /// Another route of the campaign; its doors follow this route's, and it is removed.
    with: i64,
}

#[utoipa::path(
    post,
    path = "/api/campaigns/{id}/turfs/{turf}/merge",
    tag = "campaigns",
    operation_id = "mergeTurf",
    summary = "Merge another route into this one: its doors follow, in their walking order.",
    description = "Wijkondernemer and communitybuilder in whose scope the campaign lies; admin (others: 404). Only routes nobody holds and nobody has visited (else 409); a route of another campaign, or the route itself, is 409. Audited.",
    security(("cookieAuth" = [])),
    params(schemas::CampaignIdParam, schemas::TurfIdParam, doc::params::CsrfToken),
    request_body(content((MergeBody = "application/json"))),
    responses(
        (status = 200, description = "The campaign as it stands.", content((schemas::Campaign = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "A route is held or visited, or not of this campaign: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn merge_turf(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, turf)): Path<(String, String)>,
    body: Result<Json<MergeBody>, JsonRejection>,
) -> ApiResult<Response> {
    caller.user()?;
    let (id, turf) = (parse_id(&id)?, parse_turf(&turf)?);
    let Json(body) = body?;
    let other = body.with;
    let st = state.clone();
    let caller2 = caller.clone();
    blocking(move || {
        organised_turf(&st, &caller2, id, turf)?;
        Ok(st.people.store.merge_turfs(id, turf, other)?)
    })
    .await?;
    let detail = format!("merged turf:{other}");
    caller
        .audit("turf_reshaped", &format!("turf:{turf}"), &detail)
        .await?;
    let body = campaign_detail(&state, &caller, id).await?;
    Ok(no_store(Json(body).into_response()))
}
