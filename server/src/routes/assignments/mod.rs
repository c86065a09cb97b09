//! Assignments (*opdrachten*) from system partners (issue 12 §3): a partner offers work in an
//! area (a work kind, CQL2 criteria, units, a fee per unit, a deadline, what counts as
//! delivered); the wijkondernemer accepts, declines or proposes changes; accepted work items
//! become *planned* under it; the wijkbedrijf records each delivered unit with its evidence; the
//! partner accepts or rejects it; a statement per assignment (JSON, CSV, PDF) says what is owed.
//!
//! Every decision asks the one policy (`DataClass::Assignments`; a partner reaches only its own
//! organisation's). A partner never sees a resident or an address: deliveries reach it as units
//! per buurt. Criteria a partner writes may read open data only (BAG, CBS, 3DBAG, EP-Online), and
//! the count it is shown while editing is a count of open data; how many of those are work items
//! (which depends on what residents reported) it sees only as the k-anonymous total of the kind
//! in the area, as on the Werk page (ADR 17).

mod preview_map;
pub(crate) mod schemas;
mod statement;

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::access::{
    AssignmentStep, DataClass, Decision, Place, Purpose, Resource, decide, decide_assignment_step,
};
use domain::privacy::Released;
use domain::{AreaCode, Model};
use serde::Deserialize;
use serde_json::{Value, json};
use store::{AssignmentRow, AssignmentTerms, PlannedItem};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use work::{StatusRecord, Target, TargetKind, WorkIndex, WorkStatus};

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::{read, write};
use crate::openapi as doc;
use crate::routes::auth::no_store;
use crate::routes::work_items::{describe_target, item_json};
use crate::routes::{blocking, in_area, parse_area};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_assignments, offer_assignment))
        .routes(routes!(preview_assignment))
        .routes(routes!(assignment_income))
        .routes(routes!(get_assignment, revise_assignment))
        .routes(routes!(answer_assignment))
        .routes(routes!(withdraw_assignment))
        .routes(routes!(record_delivery))
        .routes(routes!(decide_delivery))
        .routes(routes!(assignment_statement))
}

/// Longest title, criteria and "what counts as delivered", in characters.
const MAX_TITLE: usize = 120;
const MAX_TEXT: usize = 500;
/// Most units one assignment may ask for.
const MAX_UNITS: i64 = 100_000;

/// The statuses an assignment passes through.
pub(crate) const STATUSES: [&str; 6] = [
    "offered",
    "changes_proposed",
    "accepted",
    "declined",
    "withdrawn",
    "completed",
];

/// The caller's organisation, when it acts for one (a partner).
fn organisation(caller: &Caller) -> Option<&str> {
    caller
        .user()
        .ok()
        .map(|u| u.organisation.as_str())
        .filter(|o| !o.is_empty())
}

fn resource(caller: &Caller, organisation_of_row: &str, area: &str) -> Resource {
    let place = area.parse::<AreaCode>().map_or(Place::Nowhere, Place::Area);
    let mut r = Resource::new(DataClass::Assignments, place);
    r.offered_by_caller = organisation(caller) == Some(organisation_of_row);
    r
}

fn allowed(caller: &Caller, purpose: Purpose, row: &AssignmentRow) -> bool {
    decide(
        &caller.principal,
        purpose,
        &resource(caller, &row.organisation, &row.terms.area),
    ) == Decision::Allow
}

/// Does the caller act for the partner that offered `row`? (A partner sees no addresses.)
fn is_partner_of(caller: &Caller, row: &AssignmentRow) -> bool {
    organisation(caller) == Some(row.organisation.as_str())
}

/// May the caller take `step` on `row`? The policy decides (`decide_assignment_step`).
fn may_take(caller: &Caller, step: AssignmentStep, row: &AssignmentRow) -> bool {
    decide_assignment_step(
        &caller.principal,
        step,
        &resource(caller, &row.organisation, &row.terms.area),
    )
}

/// The assignment, or 404 alike for one that does not exist and one the caller may not use for
/// `purpose` — except that a caller who may see it but not do this gets 403.
pub(crate) async fn load(
    state: &AppState,
    caller: &Caller,
    id: i64,
    purpose: Purpose,
) -> ApiResult<AssignmentRow> {
    let st = state.clone();
    let row = blocking(move || Ok(st.people.store.assignment(id)?)).await?;
    let not_found = || ApiError::NotFound(format!("no assignment {id}"));
    let row = row.ok_or_else(not_found)?;
    if !allowed(caller, Purpose::Map, &row) {
        return Err(not_found());
    }
    if !allowed(caller, purpose, &row) {
        return Err(caller.refuse(format!(
            "your role may not use assignments for {}",
            purpose.as_str()
        )));
    }
    Ok(row)
}

/// The terms as a body carries them.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AssignmentTermsRequest)]
struct TermsBody {
    /// What the work is, in the partner's words.
    title: String,
    /// A work kind (`listWorkKinds`).
    kind: String,
    /// A CBS code: gemeente, wijk or buurt.
    area: String,
    /// CQL2 text over open-data fields of the kind's target (BAG, CBS, 3DBAG, EP-Online), e.g.
    /// `bouwjaar < 1975`; empty or absent for every item of the kind in the area.
    #[serde(default)]
    criteria: String,
    /// Units wanted (1 … 100000).
    units: i64,
    /// Fee per delivered unit, in euro (at most two decimals).
    fee_per_unit: f64,
    /// At most this much in total, in euro; absent for units × fee.
    #[serde(default)]
    budget: Option<f64>,
    /// Deadline, `YYYY-MM-DD`.
    deadline: String,
    /// What counts as one delivered unit, e.g. "een huishouden dat zich aanmeldt".
    delivered_when: String,
    /// For a revision: what changed, for the wijkbedrijf.
    #[serde(default)]
    note: String,
}

fn cents(euro: f64, field: &str) -> ApiResult<i64> {
    if !euro.is_finite() || !(0.0..=10_000_000.0).contains(&euro) {
        return Err(ApiError::param(
            field,
            "an amount in euro from 0 to 10000000",
        ));
    }
    let c = (euro * 100.0).round();
    if ((euro * 100.0) - c).abs() > 1e-6 {
        return Err(ApiError::param(field, "at most two decimals (whole cents)"));
    }
    Ok(c as i64)
}

pub(crate) fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) => {
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
                2 => 28,
                _ => return false,
            };
            (2000..=2100).contains(&y) && (1..=days).contains(&d)
        }
        _ => false,
    }
}

pub(crate) fn text_field(
    value: &str,
    field: &str,
    max: usize,
    required: bool,
) -> ApiResult<String> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(ApiError::param(field, "must not be empty"));
    }
    if v.chars().count() > max {
        return Err(ApiError::param(field, format!("at most {max} characters")));
    }
    if v.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::param(field, "no control characters"));
    }
    Ok(v.to_owned())
}

/// A compiled selection: the kind's rule target, the area and the criteria.
struct Selection {
    kind: String,
    target: TargetKind,
    area: AreaCode,
    criteria: Option<rules::Predicate>,
}

/// Checks a selection against the rules in use: the kind exists, the area is in the data, the
/// criteria compile against the kind's target fields and read open data only.
fn compile_selection(
    work: &WorkIndex,
    model: &Model,
    kind: &str,
    area: &str,
    criteria: &str,
) -> ApiResult<Selection> {
    let Some((_, rule)) = work.rules().by_kind(kind) else {
        return Err(ApiError::param(
            "kind",
            format!(
                "no work kind {:?}; the kinds are {}",
                kind.chars().take(48).collect::<String>(),
                work.rules()
                    .rules
                    .iter()
                    .map(|r| r.kind.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    };
    let area = parse_area(area, model)?;
    let criteria = criteria.trim();
    let compiled = if criteria.is_empty() {
        None
    } else {
        let schema = work.fields().of(rule.target).schema();
        let p = rules::compile(criteria, schema)
            .map_err(|e| ApiError::unprocessable(format!("criteria: {e}")))?;
        // Open data only: an observation field (`T.…`) is what residents reported.
        if let Some(name) = p
            .fields()
            .into_iter()
            .filter_map(|f| schema.by_id(f).map(|(n, _)| n.to_owned()))
            .find(|n| n.contains('.'))
        {
            return Err(ApiError::unprocessable(format!(
                "criteria: {name} is what residents reported; an assignment selects by open data (BAG, CBS, 3DBAG, EP-Online) and the work kind"
            )));
        }
        Some(p)
    };
    Ok(Selection {
        kind: kind.to_owned(),
        target: rule.target,
        area,
        criteria: compiled,
    })
}

/// What a selection holds now.
#[derive(Default)]
struct Selected {
    /// Open items, not opted out, in order (buurt, target): what an acceptance plans; with
    /// their size and where they are.
    open: Vec<(Target, String, f32, domain::WorldPoint)>,
    /// Items in any status, not opted out.
    items: usize,
    /// Items left out because the household opted out of canvassing.
    opted_out: usize,
    /// Sum of the open items' sizes.
    open_size: f64,
}

fn select(
    work: &WorkIndex,
    src: &work::Sources<'_>,
    opt_outs: &domain::privacy::OptOutRegister,
    sel: &Selection,
) -> Selected {
    let mut out = Selected::default();
    for it in work.iter() {
        if it.rule.kind != sel.kind || !it.item.matches || !in_area(it.item.areas, sel.area) {
            continue;
        }
        if sel
            .criteria
            .as_ref()
            .is_some_and(|p| !work.holds(src, it.item.target, p))
        {
            continue;
        }
        if work::opted_out(src.model, opt_outs, it.item.target) {
            out.opted_out += 1;
            continue;
        }
        out.items += 1;
        if it.status == WorkStatus::Open {
            let buurt = it
                .item
                .areas
                .buurt
                .map(|c| c.to_string())
                .unwrap_or_default();
            out.open
                .push((it.item.target, buurt, it.item.size, it.item.point));
            out.open_size += f64::from(it.item.size);
        }
    }
    out.open.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
    out
}

/// What accepting an assignment with `terms` plans: its first `units` open items of the kind in
/// the area that meet the criteria, households that opted out left out, in order of buurt and
/// target. Shared with the demo's sample activity, so both plan alike.
pub(crate) fn items_to_plan(
    work: &WorkIndex,
    src: &work::Sources<'_>,
    opt_outs: &domain::privacy::OptOutRegister,
    terms: &AssignmentTerms,
) -> ApiResult<Vec<(Target, PlannedItem)>> {
    let sel = compile_selection(work, src.model, &terms.kind, &terms.area, &terms.criteria)?;
    let s = select(work, src, opt_outs, &sel);
    if s.open.is_empty() {
        return Err(ApiError::unprocessable(
            "the selection holds no open work items now: nothing to plan",
        ));
    }
    Ok(s.open
        .into_iter()
        .take(usize::try_from(terms.units).unwrap_or(usize::MAX))
        .map(|(t, buurt, _, _)| {
            let item = PlannedItem {
                target_kind: t.kind().as_str().to_owned(),
                target_id: t.id(),
                buurt,
            };
            (t, item)
        })
        .collect())
}

/// Targets in the area whose open data meet the criteria (what a partner may be told), each
/// given to `each` with where it is and the households behind it: a pand's addresses (an address
/// in two panden is the household of its first pand only, as the urgency engine counts them),
/// one for an address, one for a tree. `None` for work in public space, which has no register.
fn open_data_targets(
    work: &WorkIndex,
    src: &work::Sources<'_>,
    sel: &Selection,
    mut each: impl FnMut(domain::WorldPoint, u32),
) -> Option<usize> {
    let ok = |t: Target, areas| {
        in_area(areas, sel.area) && sel.criteria.as_ref().is_none_or(|p| work.holds(src, t, p))
    };
    let model = src.model;
    let mut n = 0;
    match sel.target {
        TargetKind::Pand => {
            for b in model.building_rows() {
                if ok(Target::Pand(b.id().get()), b.areas()) {
                    let households = b
                        .address_rows()
                        .iter()
                        .filter(|r| model.address(**r).building_rows().first() == Some(&b.index()))
                        .count();
                    each(work::pand_point(&b), households as u32);
                    n += 1;
                }
            }
        }
        TargetKind::Verblijfsobject => {
            for a in model.address_rows() {
                if ok(Target::Verblijfsobject(a.id().get()), a.areas()) {
                    each(a.point(), 1);
                    n += 1;
                }
            }
        }
        TargetKind::PublicSpace => return None,
        TargetKind::Tree => {
            for t in (0..model.tree_count() as u32).map(|i| model.tree(i)) {
                if ok(Target::Tree(t.id().get()), t.areas()) {
                    each(t.point(), 1);
                    n += 1;
                }
            }
        }
    }
    Some(n)
}

fn terms_of(body: &TermsBody, sel: &Selection) -> ApiResult<AssignmentTerms> {
    let title = text_field(&body.title, "title", MAX_TITLE, true)?;
    let delivered_when = text_field(&body.delivered_when, "delivered_when", MAX_TEXT, true)?;
    if !(1..=MAX_UNITS).contains(&body.units) {
        return Err(ApiError::param(
            "units",
            format!("a whole number from 1 to {MAX_UNITS}"),
        ));
    }
    if !valid_date(&body.deadline) {
        return Err(ApiError::param("deadline", "a date YYYY-MM-DD"));
    }
    let fee_cents = cents(body.fee_per_unit, "fee_per_unit")?;
    let budget_cents = body.budget.map(|b| cents(b, "budget")).transpose()?;
    Ok(AssignmentTerms {
        title,
        kind: sel.kind.clone(),
        area: sel.area.to_string(),
        criteria: body.criteria.trim().to_owned(),
        units: body.units,
        fee_cents,
        budget_cents,
        deadline: body.deadline.clone(),
        delivered_when,
    })
}

/// Checks a body's terms against the rules and the data: the selection must hold work. Runs
/// over the model: call it off the async workers.
fn checked_terms(state: &AppState, body: &TermsBody) -> ApiResult<AssignmentTerms> {
    if body.criteria.chars().count() > MAX_TEXT * 4 {
        return Err(ApiError::param("criteria", "at most 2000 characters"));
    }
    let model = state.model.load();
    let work = read(&state.work);
    let sel = compile_selection(&work, &model, &body.kind, &body.area, &body.criteria)?;
    let terms = terms_of(body, &sel)?;
    let obs = read(&state.observations.index);
    let src = work::Sources {
        model: &model,
        observations: &obs,
        now: clock::now(),
    };
    if open_data_targets(&work, &src, &sel, |_, _| ()) == Some(0) {
        return Err(ApiError::unprocessable(
            "criteria: the selection holds no buildings or addresses in the area",
        ));
    }
    Ok(terms)
}

fn money(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// An assignment as JSON: terms, status, counts; `events` with who did it as words.
fn assignment_json(model: &Model, row: &AssignmentRow, counts: Option<&Counts>) -> Value {
    let t = &row.terms;
    let area_name = t
        .area
        .parse::<AreaCode>()
        .ok()
        .and_then(|c| model.find_area(c))
        .map(|a| a.name().to_owned());
    let mut v = json!({
        "id": row.id,
        "organisation": row.organisation,
        "title": t.title,
        "kind": t.kind,
        "area": t.area,
        "area_name": area_name,
        "criteria": t.criteria,
        "units": t.units,
        "fee_per_unit": money(t.fee_cents),
        "budget": t.budget_cents.map(money),
        "deadline": t.deadline,
        "delivered_when": t.delivered_when,
        "status": row.status,
        "offered_at": clock::rfc3339(row.created_at),
        "updated_at": clock::rfc3339(row.updated_at),
        "helpers_paid": row.helpers_paid,
    });
    if let Some(c) = counts {
        v["planned"] = json!(c.planned);
        v["delivered"] = json!(c.delivered);
        v["accepted"] = json!(c.accepted);
        v["rejected"] = json!(c.rejected);
        v["earned"] = json!(money(c.earned_cents(row)));
    }
    v
}

/// Units per state of one assignment.
#[derive(Default, Clone, Copy)]
pub(crate) struct Counts {
    pub(crate) planned: usize,
    pub(crate) delivered: usize,
    pub(crate) accepted: usize,
    pub(crate) rejected: usize,
}

impl Counts {
    /// Accepted units × fee, capped by the budget.
    pub(crate) fn earned_cents(&self, row: &AssignmentRow) -> i64 {
        let raw = self.accepted as i64 * row.terms.fee_cents;
        row.terms.budget_cents.map_or(raw, |b| raw.min(b))
    }
}

/// The answer after a change: the assignment as it stands now, with its counts.
async fn as_it_stands(state: &AppState, id: i64) -> ApiResult<Response> {
    let st = state.clone();
    let body = blocking(move || {
        let row = st
            .people
            .store
            .assignment(id)?
            .ok_or_else(|| ApiError::NotFound(format!("no assignment {id}")))?;
        let c = counts(&st, id)?;
        Ok(assignment_json(&st.model.load(), &row, Some(&c)))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

fn counts(state: &AppState, id: i64) -> ApiResult<Counts> {
    let planned = state.people.store.assignment_items(id)?.len();
    let mut c = Counts {
        planned,
        ..Counts::default()
    };
    for d in state.people.store.deliveries(id)? {
        c.delivered += 1;
        match d.status.as_str() {
            "accepted" => c.accepted += 1,
            "rejected" => c.rejected += 1,
            _ => {}
        }
    }
    Ok(c)
}

#[utoipa::path(
    get,
    path = "/api/assignments",
    tag = "assignments",
    operation_id = "listAssignments",
    summary = "The assignments the caller may see, newest first.",
    description = "A partner: its own organisation's, in its scope. Wijkondernemer and communitybuilder: those in an area in their scope. Admin: all. Others: 403.",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "The assignments with their units planned, delivered and accepted.", content((schemas::AssignmentList = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
    )
)]
async fn list_assignments(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller.user()?;
    let mut r = Resource::new(DataClass::Assignments, Place::Somewhere);
    r.offered_by_caller = organisation(&caller).is_some();
    caller.require_full(Purpose::Map, &r)?;
    let st = state.clone();
    let body = blocking(move || {
        let model = st.model.load();
        let mut out = Vec::new();
        for row in st.people.store.assignments()? {
            if !allowed(&caller, Purpose::Map, &row) {
                continue;
            }
            let c = counts(&st, row.id)?;
            out.push(assignment_json(&model, &row, Some(&c)));
        }
        Ok(json!({ "assignments": out, "statuses": STATUSES }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

#[utoipa::path(
    post,
    path = "/api/assignments",
    tag = "assignments",
    operation_id = "offerAssignment",
    summary = "A partner offers an assignment to the wijkbedrijf.",
    description = "A partner (an account with an organisation), for an area in its scope. The criteria read open data only; a selection without buildings or addresses is 422. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((TermsBody = "application/json"))),
    responses(
        (status = 201, description = "The assignment, offered.", content((schemas::Assignment = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields or wrong types, an area not in the data, criteria that do not compile or read what residents reported, or a selection without buildings: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn offer_assignment(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<TermsBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let user = caller.user()?.clone();
    let Some(org) = organisation(&caller).map(str::to_owned) else {
        return Err(caller.refuse("assignments are offered by a partner's organisation"));
    };
    let model = state.model.load();
    let area = parse_area(&body.area, &model)?;
    let mut r = Resource::new(DataClass::Assignments, Place::Area(area));
    r.offered_by_caller = true;
    caller.require_full(Purpose::Administration, &r)?;
    let st = state.clone();
    let org2 = org.clone();
    let row = blocking(move || {
        let terms = checked_terms(&st, &body)?;
        let id = st
            .people
            .store
            .offer_assignment(&org2, &terms, clock::now(), Some(user.id))?;
        st.people
            .store
            .assignment(id)?
            .ok_or_else(|| ApiError::Internal(format!("assignment {id} not found after writing")))
    })
    .await?;
    caller
        .audit(
            "assignment_offered",
            &format!("assignment:{}", row.id),
            &row.terms.title,
        )
        .await?;
    let body = assignment_json(&model, &row, Some(&Counts::default()));
    Ok(no_store(
        (axum::http::StatusCode::CREATED, Json(body)).into_response(),
    ))
}

/// A selection to preview.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AssignmentPreviewRequest)]
struct PreviewBody {
    /// A work kind.
    kind: String,
    /// A CBS code.
    area: String,
    /// CQL2 text over open-data fields; empty for all.
    #[serde(default)]
    criteria: String,
}

#[utoipa::path(
    post,
    path = "/api/assignments/preview",
    tag = "assignments",
    operation_id = "previewAssignment",
    summary = "What a selection (kind, area, criteria) holds now, while an assignment is edited.",
    description = "Those who may offer or answer assignments in the area. Everyone gets the buildings or addresses whose open data meet the criteria. Who may see the work items there (wijkondernemer, communitybuilder, admin) also gets the exact items: open, in any status, left out because the household opted out, and their size; and on `map` a point per open item (`kind: points`). A partner gets the work items of the kind in the whole area only as the k-anonymous total, rounded, as on the Werk page; and on `map` its open-data selection in cells of a fixed partition (`kind: cells`: CBS 100 m squares for a buurt, H3 hexagons of resolution 9 for a wijk and 8 for a gemeente), each listed only with at least k households behind it (a tree counts as one), its count rounded — never a point, an address or a cell under k.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((PreviewBody = "application/json"))),
    responses(
        (status = 200, description = "The counts, and where the selection lies.", content((schemas::AssignmentPreview = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "An unknown kind, an area not in the data, criteria that do not compile or read what residents reported: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn preview_assignment(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<PreviewBody>, JsonRejection>,
) -> ApiResult<Response> {
    caller.user()?;
    let Json(body) = body?;
    if body.criteria.chars().count() > MAX_TEXT * 4 {
        return Err(ApiError::param("criteria", "at most 2000 characters"));
    }
    let model = state.model.load();
    let area = parse_area(&body.area, &model)?;
    let mut r = Resource::new(DataClass::Assignments, Place::Area(area));
    r.offered_by_caller = organisation(&caller).is_some();
    caller.require_full(Purpose::Administration, &r)?;
    // What the caller may learn of the work items here decides what it is shown: the items
    // themselves (exact counts, a point per open item) or only aggregates (a k-anonymous total
    // of the area, the open-data selection in k-anonymous cells).
    let exact = match decide(
        &caller.principal,
        Purpose::Map,
        &Resource::new(DataClass::WorkItems, Place::Area(area)),
    ) {
        Decision::Allow => true,
        Decision::AggregateOnly => false,
        Decision::Deny => return Err(caller.refuse("your role may not see work in this area")),
    };
    let k = state.people.settings.k_anonymity;
    let st = state.clone();
    let value = blocking(move || {
        let work = read(&st.work);
        let sel = compile_selection(&work, &model, &body.kind, &body.area, &body.criteria)?;
        let obs = read(&st.observations.index);
        let opt_outs = st.people.opt_outs.load();
        let src = work::Sources {
            model: &model,
            observations: &obs,
            now: clock::now(),
        };
        if exact {
            let targets = open_data_targets(&work, &src, &sel, |_, _| ());
            let s = select(&work, &src, &opt_outs, &sel);
            let map = preview_map::points_json(s.open.iter().map(|o| o.3));
            return Ok(json!({
                "exact": true,
                "targets": targets,
                "items": s.items,
                "open": s.open.len(),
                "opted_out": s.opted_out,
                "open_size": (s.open_size * 10.0).round() / 10.0,
                "map": map,
            }));
        }
        let mut cells = preview_map::CellTally::new(preview_map::level_for(sel.area.kind()));
        let targets = open_data_targets(&work, &src, &sel, |p, households| {
            cells.add(p, households);
        });
        // The kind in the whole area, released as the summary releases it.
        let whole = Selection {
            criteria: None,
            ..sel
        };
        let s = select(&work, &src, &opt_outs, &whole);
        let households = s.items as u32;
        let work_total =
            match domain::privacy::release_counts(k, s.items as u32, households, households) {
                Released::Shown { records, .. } => json!({ "items": records, "suppressed": false }),
                Released::Suppressed => json!({ "suppressed": true }),
            };
        Ok(json!({
            "exact": false,
            "targets": targets,
            "area_work": work_total,
            "map": cells.release(k, &model),
        }))
    })
    .await?;
    Ok(no_store(Json(value).into_response()))
}

#[utoipa::path(
    get,
    path = "/api/assignments/{id}",
    tag = "assignments",
    operation_id = "getAssignment",
    summary = "One assignment: its terms, what happened to it, its planned items and deliveries.",
    description = "Whoever may see it (its partner; wijkondernemer and communitybuilder in whose scope its area lies; admin); anyone else gets 404, as for one that does not exist. The partner gets the deliveries per buurt, without addresses; the wijkbedrijf gets the planned work items by address.",
    security(("cookieAuth" = [])),
    params(schemas::AssignmentIdParam),
    responses(
        (status = 200, description = "The assignment.", content((schemas::AssignmentDetail = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn get_assignment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = parse_id(&id)?;
    caller.user()?;
    let row = load(&state, &caller, id, Purpose::Map).await?;
    let partner_view = is_partner_of(&caller, &row);
    let me = caller.user()?.id;
    let st = state.clone();
    let body = blocking(move || {
        let model = st.model.load();
        let c = counts(&st, id)?;
        let mut v = assignment_json(&model, &row, Some(&c));
        let events = st.people.store.assignment_events(id)?;
        v["events"] = events
            .iter()
            .map(|e| json!({ "action": e.action, "at": clock::rfc3339(e.at), "by_you": e.by_user == Some(me), "note": e.note }))
            .collect();
        let deliveries = st.people.store.deliveries(id)?;
        let buurt_name = |code: &str| {
            code.parse::<AreaCode>()
                .ok()
                .and_then(|c| model.find_area(c))
                .map(|a| a.name().to_owned())
        };
        let items = st.people.store.assignment_items(id)?;
        // Door-to-door campaigns run for this assignment: counts per buurt, for the partner too.
        v["campaigns"] = json!(crate::routes::campaigns::linked_progress(&st, &model, id)?);
        if partner_view {
            v["deliveries"] = deliveries
                .iter()
                .map(|d| json!({ "id": d.id, "buurt": d.item.buurt, "buurt_name": buurt_name(&d.item.buurt), "at": clock::rfc3339(d.at), "evidence": d.evidence, "status": d.status }))
                .collect();
            v["items"] = Value::Null;
        } else {
            let work = read(&st.work);
            let opt_outs = st.people.opt_outs.load();
            let delivered: std::collections::HashMap<(String, i64), &store::DeliveryRow> = deliveries
                .iter()
                .map(|d| ((d.item.target_kind.clone(), d.item.target_id), d))
                .collect();
            v["items"] = items
                .iter()
                .filter_map(|p| {
                    let kind = TargetKind::parse(&p.target_kind)?;
                    let target = Target::from_parts(kind, p.target_id)?;
                    // A household that opted out after planning is not shown by address.
                    if work::opted_out(&model, &opt_outs, target) {
                        return None;
                    }
                    let mut j = work.get(&row.terms.kind, target).map_or_else(
                        || json!({ "target": target.key(), "about": describe_target(&model, target, [0, 0]) }),
                        |it| item_json(&model, &it),
                    );
                    let d = delivered.get(&(p.target_kind.clone(), p.target_id));
                    j["delivery"] = d.map_or(Value::Null, |d| json!({ "id": d.id, "at": clock::rfc3339(d.at), "evidence": d.evidence, "status": d.status, "note": d.note }));
                    Some(j)
                })
                .collect();
            v["deliveries"] = deliveries
                .iter()
                .map(|d| json!({ "id": d.id, "buurt": d.item.buurt, "buurt_name": buurt_name(&d.item.buurt), "at": clock::rfc3339(d.at), "evidence": d.evidence, "status": d.status }))
                .collect();
        }
        Ok(v)
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

/// Distance between two WGS84 points in metres (equirectangular; exact enough within a wijk).
fn metres(a: [f64; 2], b: [f64; 2]) -> f64 {
    let lat = f64::midpoint(a[1], b[1]).to_radians();
    let dx = (b[0] - a[0]).to_radians() * lat.cos();
    let dy = (b[1] - a[1]).to_radians();
    6_371_000.0 * dx.hypot(dy)
}

pub(crate) fn parse_id(s: &str) -> ApiResult<i64> {
    s.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError::param("id", "a positive whole number"))
}

#[utoipa::path(
    put,
    path = "/api/assignments/{id}",
    tag = "assignments",
    operation_id = "reviseAssignment",
    summary = "The partner's new terms, while the assignment is offered or changes were proposed.",
    description = "The partner that offered it. The offer stands again with the new terms (status `offered`); the note says what changed. An accepted, declined or withdrawn assignment is 409. Audited.",
    security(("cookieAuth" = [])),
    params(schemas::AssignmentIdParam, doc::params::CsrfToken),
    request_body(content((TermsBody = "application/json"))),
    responses(
        (status = 200, description = "The assignment as it stands.", content((schemas::Assignment = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "Not open to changes any more: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "As for `offerAssignment`: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn revise_assignment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<TermsBody>, JsonRejection>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = parse_id(&id)?;
    let Json(body) = body?;
    let row = load(&state, &caller, id, Purpose::Administration).await?;
    if !may_take(&caller, AssignmentStep::Revise, &row) {
        return Err(caller.refuse("only the partner that offered it changes its terms"));
    }
    // The new area must lie in the partner's scope too.
    let model = state.model.load();
    let area = parse_area(&body.area, &model)?;
    let mut r = Resource::new(DataClass::Assignments, Place::Area(area));
    r.offered_by_caller = true;
    caller.require_full(Purpose::Administration, &r)?;
    let note = text_field(&body.note, "note", MAX_TEXT, false)?;
    let by = caller.user()?.id;
    let st = state.clone();
    let title = blocking(move || {
        let terms = checked_terms(&st, &body)?;
        st.people
            .store
            .revise_assignment(id, &terms, clock::now(), Some(by), &note)?;
        Ok(terms.title)
    })
    .await?;
    caller
        .audit("assignment_revised", &format!("assignment:{id}"), &title)
        .await?;
    as_it_stands(&state, id).await
}

/// The wijkbedrijf's answer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AssignmentAnswerRequest)]
struct AnswerBody {
    /// `accept`, `decline` or `propose_changes`.
    answer: String,
    /// Why, or which changes (required for `propose_changes`).
    #[serde(default)]
    note: String,
}

#[utoipa::path(
    post,
    path = "/api/assignments/{id}/answer",
    tag = "assignments",
    operation_id = "answerAssignment",
    summary = "The wijkondernemer accepts, declines or proposes changes to an offered assignment.",
    description = "Wijkondernemer in whose scope the area lies; admin. `accept` plans the first `units` open work items of the selection (by buurt, then target; households that opted out left out) — their status becomes `planned` — in one transaction; a selection without open items is 422. `propose_changes` needs a note. Only an offered assignment can be answered (else 409). Audited.",
    security(("cookieAuth" = [])),
    params(schemas::AssignmentIdParam, doc::params::CsrfToken),
    request_body(content((AnswerBody = "application/json"))),
    responses(
        (status = 200, description = "The assignment as it stands.", content((schemas::Assignment = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "The assignment is not offered (any more): `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields or wrong types, or nothing open to plan: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn answer_assignment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<AnswerBody>, JsonRejection>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = parse_id(&id)?;
    let Json(body) = body?;
    let note = text_field(&body.note, "note", MAX_TEXT, false)?;
    let to = match body.answer.as_str() {
        "accept" => "accepted",
        "decline" => "declined",
        "propose_changes" if note.is_empty() => {
            return Err(ApiError::param("note", "say which changes you propose"));
        }
        "propose_changes" => "changes_proposed",
        _ => {
            return Err(ApiError::param(
                "answer",
                "one of accept, decline, propose_changes",
            ));
        }
    };
    let row = load(&state, &caller, id, Purpose::Administration).await?;
    if !may_take(&caller, AssignmentStep::Answer, &row) {
        return Err(
            caller.refuse("the wijkbedrijf answers an assignment, not the partner that offered it")
        );
    }
    if row.status != "offered" {
        return Err(ApiError::status_code(
            axum::http::StatusCode::CONFLICT,
            "Conflict",
            format!("the assignment is {}, not offered", row.status),
        ));
    }
    let by = caller.user()?.id;
    let st = state.clone();
    let terms = row.terms.clone();
    let (points, planned) = blocking(move || {
        let model = st.model.load();
        let obs = read(&st.observations.index);
        let opt_outs = st.people.opt_outs.load();
        // The work lock is held from the selection to the index update, so no other change of
        // these items comes between.
        let mut work = write(&st.work);
        let mut items = Vec::new();
        let mut targets = Vec::new();
        if to == "accepted" {
            let src = work::Sources {
                model: &model,
                observations: &obs,
                now: clock::now(),
            };
            for (t, item) in items_to_plan(&work, &src, &opt_outs, &terms)? {
                items.push(item);
                targets.push(t);
            }
        }
        let at = clock::now();
        st.people
            .store
            .move_assignment(id, &["offered"], to, at, Some(by), &note, &items)?;
        let mut points = Vec::new();
        for t in &targets {
            let r = work.record_status(
                &terms.kind,
                *t,
                StatusRecord {
                    status: WorkStatus::Planned,
                    at,
                    by: Some(by),
                },
            );
            points.extend(r.points);
        }
        st.urgency.touch([], &targets);
        Ok((points, items.len()))
    })
    .await?;
    state.work_points_changed(&points);
    caller
        .audit(
            "assignment_answered",
            &format!("assignment:{id}"),
            &format!("{to}; {planned} planned"),
        )
        .await?;
    as_it_stands(&state, id).await
}

#[utoipa::path(
    post,
    path = "/api/assignments/{id}/withdraw",
    tag = "assignments",
    operation_id = "withdrawAssignment",
    summary = "The partner withdraws an offer nobody accepted yet.",
    description = "The partner that offered it, while it is offered or changes were proposed (else 409). Audited.",
    security(("cookieAuth" = [])),
    params(schemas::AssignmentIdParam, doc::params::CsrfToken),
    responses(
        (status = 200, description = "The assignment as it stands.", content((schemas::Assignment = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "Accepted, declined or withdrawn already: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
    )
)]
async fn withdraw_assignment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = parse_id(&id)?;
    let row = load(&state, &caller, id, Purpose::Administration).await?;
    if !may_take(&caller, AssignmentStep::Withdraw, &row) {
        return Err(caller.refuse("only the partner that offered it withdraws it"));
    }
    let by = caller.user()?.id;
    let st = state.clone();
    blocking(move || {
        Ok(st.people.store.move_assignment(
            id,
            &["offered", "changes_proposed"],
            "withdrawn",
            clock::now(),
            Some(by),
            "",
            &[],
        )?)
    })
    .await?;
    caller
        .audit("assignment_withdrawn", &format!("assignment:{id}"), "")
        .await?;
    as_it_stands(&state, id).await
}

/// A delivered unit.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DeliveryRequest)]
struct DeliveryBody {
    /// The planned work item's target, `pand/{id}`, `verblijfsobject/{id}` or
    /// `public_space/{id}`.
    target: String,
    /// What shows it was done: `report`, `confirmation`, `photo` (each with `report`), `visit`
    /// or `note`.
    evidence: String,
    /// The report (an open one about the target) for `report`, `confirmation` and `photo`.
    #[serde(default)]
    report: Option<i64>,
    /// The team's note (never about a resident).
    #[serde(default)]
    note: String,
}

#[utoipa::path(
    post,
    path = "/api/assignments/{id}/deliveries",
    tag = "assignments",
    operation_id = "recordDelivery",
    summary = "Record one delivered unit: a planned work item done, with its evidence.",
    description = "Wijkondernemer and communitybuilder in whose scope the area lies; admin. The assignment must be accepted (else 409); the work item must be planned under it (else 422); a second delivery of the same item is 409. The work item becomes `done` in the same transaction. Audited.",
    security(("cookieAuth" = [])),
    params(schemas::AssignmentIdParam, doc::params::CsrfToken),
    request_body(content((DeliveryBody = "application/json"))),
    responses(
        (status = 201, description = "The delivery.", content((schemas::Delivery = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "Not accepted, or delivered already: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "A work item outside the assignment, evidence without its report, a report not about the target: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn record_delivery(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<DeliveryBody>, JsonRejection>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = parse_id(&id)?;
    let Json(body) = body?;
    let target = Target::parse_key(&body.target).ok_or_else(|| {
        ApiError::param(
            "target",
            "pand/{16 digits}, verblijfsobject/{16 digits} or public_space/{observation id}",
        )
    })?;
    let needs_report = match body.evidence.as_str() {
        "report" | "confirmation" | "photo" => true,
        "visit" | "note" => false,
        _ => {
            return Err(ApiError::param(
                "evidence",
                "one of report, confirmation, photo, visit, note",
            ));
        }
    };
    let note = text_field(&body.note, "note", MAX_TEXT, false)?;
    if body.evidence == "note" && note.is_empty() {
        return Err(ApiError::param("note", "say what was done"));
    }
    let row = load(&state, &caller, id, Purpose::Canvassing).await?;
    if row.status != "accepted" {
        return Err(ApiError::status_code(
            axum::http::StatusCode::CONFLICT,
            "Conflict",
            format!("the assignment is {}, not accepted", row.status),
        ));
    }
    let by = caller.user()?.id;
    let st = state.clone();
    let kind = row.terms.kind.clone();
    let evidence = body.evidence.clone();
    let (delivery_id, points) = blocking(move || {
        let planned = st.people.store.assignment_items(id)?;
        let Some(item) = planned
            .into_iter()
            .find(|p| p.target_kind == target.kind().as_str() && p.target_id == target.id())
        else {
            return Err(ApiError::unprocessable(format!(
                "target: {} is not a work item planned under this assignment",
                target.key()
            )));
        };
        let obs = read(&st.observations.index);
        let report = match (needs_report, body.report) {
            (true, None) => {
                return Err(ApiError::unprocessable(format!(
                    "report: evidence {} names the report",
                    body.evidence
                )));
            }
            (false, Some(_)) => {
                return Err(ApiError::unprocessable(format!(
                    "report: evidence {} has no report",
                    body.evidence
                )));
            }
            (_, r) => r,
        };
        if let Some(r) = report {
            let about = obs.get(r).is_some_and(|o| match target {
                Target::Pand(b) => o.building == Some(b),
                Target::Verblijfsobject(a) => o.address == Some(a),
                Target::PublicSpace(p) => obs.get(p).is_some_and(|first| {
                    first.kind == o.kind && metres(first.lonlat, o.lonlat) <= 25.0
                }),
                Target::Tree(t) => o.tree == Some(t),
            });
            if !about {
                return Err(ApiError::unprocessable(format!(
                    "report: no open report {r} about {}",
                    target.key()
                )));
            }
        }
        drop(obs);
        let mut work = write(&st.work);
        let at = clock::now();
        let did =
            st.people
                .store
                .record_delivery(id, &item, at, Some(by), &evidence, report, &note)?;
        let r = work.record_status(
            &kind,
            target,
            StatusRecord {
                status: WorkStatus::Done,
                at,
                by: Some(by),
            },
        );
        st.urgency.touch([], &[target]);
        Ok((did, r.points))
    })
    .await?;
    state.work_points_changed(&points);
    caller
        .audit(
            "delivery_recorded",
            &format!("assignment:{id}"),
            &format!("delivery {delivery_id}"),
        )
        .await?;
    let st = state.clone();
    let d = blocking(move || {
        st.people.store.delivery(id, delivery_id)?.ok_or_else(|| {
            ApiError::Internal(format!("delivery {delivery_id} not found after writing"))
        })
    })
    .await?;
    Ok(no_store(
        (
            axum::http::StatusCode::CREATED,
            Json(json!({ "id": d.id, "assignment": id, "target": target.key(), "at": clock::rfc3339(d.at), "evidence": d.evidence, "status": d.status })),
        )
            .into_response(),
    ))
}

/// The partner's decision on a delivered unit.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DeliveryDecisionRequest)]
struct DecisionBody {
    /// `accept` or `reject`.
    decision: String,
}

#[utoipa::path(
    post,
    path = "/api/assignments/{id}/deliveries/{delivery}/decision",
    tag = "assignments",
    operation_id = "decideDelivery",
    summary = "The partner accepts or rejects a delivered unit.",
    description = "The partner that offered the assignment; once per delivery (else 409). Accepted units are what the statement charges. Audited.",
    security(("cookieAuth" = [])),
    params(schemas::AssignmentIdParam, schemas::DeliveryIdParam, doc::params::CsrfToken),
    request_body(content((DecisionBody = "application/json"))),
    responses(
        (status = 200, description = "The delivery.", content((schemas::Delivery = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "Decided already: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields or wrong types: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn decide_delivery(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, delivery)): Path<(String, String)>,
    body: Result<Json<DecisionBody>, JsonRejection>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = parse_id(&id)?;
    let delivery = delivery
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError::param("delivery", "a positive whole number"))?;
    let Json(body) = body?;
    let status = match body.decision.as_str() {
        "accept" => "accepted",
        "reject" => "rejected",
        _ => return Err(ApiError::param("decision", "accept or reject")),
    };
    let row = load(&state, &caller, id, Purpose::Administration).await?;
    if !may_take(&caller, AssignmentStep::DecideUnit, &row) {
        return Err(
            caller.refuse("the partner that offered the assignment decides on its deliveries")
        );
    }
    let by = caller.user()?.id;
    let st = state.clone();
    let d = blocking(move || {
        let Some(existing) = st.people.store.delivery(id, delivery)? else {
            return Err(ApiError::NotFound(format!(
                "no delivery {delivery} on assignment {id}"
            )));
        };
        if !st
            .people
            .store
            .decide_delivery(id, delivery, status, clock::now(), Some(by))?
        {
            return Err(ApiError::status_code(
                axum::http::StatusCode::CONFLICT,
                "Conflict",
                format!("the delivery is {} already", existing.status),
            ));
        }
        st.people
            .store
            .delivery(id, delivery)?
            .ok_or_else(|| ApiError::Internal("delivery gone".into()))
    })
    .await?;
    caller
        .audit(
            "delivery_decided",
            &format!("assignment:{id}"),
            &format!("delivery {delivery}: {status}"),
        )
        .await?;
    // The partner does not learn the address: the target is left out of its answer.
    Ok(no_store(
        Json(json!({ "id": d.id, "assignment": id, "buurt": d.item.buurt, "at": clock::rfc3339(d.at), "evidence": d.evidence, "status": d.status }))
            .into_response(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementQuery {
    format: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/assignments/{id}/statement",
    tag = "assignments",
    operation_id = "getAssignmentStatement",
    summary = "The statement of an assignment: units delivered and accepted, fee earned, per buurt.",
    description = "The partner that offered it, the wijkondernemer in whose scope it lies, admin. `format=json` (default), `csv` or `pdf` (a werkbon the partner can pay on). No addresses: units per buurt.",
    security(("cookieAuth" = [])),
    params(schemas::AssignmentIdParam, schemas::StatementFormatParam),
    responses(
        (status = 200, description = "The statement.", content((schemas::Statement = "application/json"), (schemas::StatementCsv = "text/csv"), (schemas::StatementPdf = "application/pdf")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn assignment_statement(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    q: Result<Query<StatementQuery>, QueryRejection>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = parse_id(&id)?;
    let Query(q) = q?;
    let format = q.format.unwrap_or_else(|| "json".into());
    if !["json", "csv", "pdf"].contains(&format.as_str()) {
        return Err(ApiError::param("format", "json, csv or pdf"));
    }
    let row = load(&state, &caller, id, Purpose::Export).await?;
    let st = state.clone();
    let s = blocking(move || {
        let model = st.model.load();
        let deliveries = st.people.store.deliveries(id)?;
        let items = st.people.store.assignment_items(id)?;
        Ok(statement::Statement::new(&model, row, &items, &deliveries))
    })
    .await?;
    caller
        .audit("statement", &format!("assignment:{id}"), &format)
        .await?;
    statement::respond(&s, &format)
}

#[utoipa::path(
    get,
    path = "/api/assignments/income",
    tag = "assignments",
    operation_id = "assignmentIncome",
    summary = "The wijkbedrijf's income across assignments: earned, still to deliver, per assignment.",
    description = "Wijkondernemer (the assignments in its scope) and admin (all). A partner sees its own statements, not the wijkbedrijf's income (403).",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "Totals and one row per accepted or completed assignment.", content((schemas::Income = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
    )
)]
async fn assignment_income(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller.user()?;
    caller.require_full(
        Purpose::Export,
        &Resource::new(DataClass::Assignments, Place::Somewhere),
    )?;
    let wijkbedrijf = decide_assignment_step(
        &caller.principal,
        AssignmentStep::Income,
        &Resource::new(DataClass::Assignments, Place::Somewhere),
    );
    if !wijkbedrijf {
        return Err(
            caller.refuse("the income is the wijkbedrijf's; a partner sees its own statements")
        );
    }
    let st = state.clone();
    let body = blocking(move || {
        let mut rows = Vec::new();
        let mut per_org: BTreeMap<String, i64> = BTreeMap::new();
        let (mut earned, mut pending, mut open_value) = (0i64, 0i64, 0i64);
        for row in st.people.store.assignments()? {
            if !["accepted", "completed"].contains(&row.status.as_str())
                || !allowed(&caller, Purpose::Export, &row)
            {
                continue;
            }
            let c = counts(&st, row.id)?;
            let e = c.earned_cents(&row);
            let waiting = (c.delivered - c.accepted - c.rejected) as i64 * row.terms.fee_cents;
            let still = (row.terms.units - c.delivered as i64).max(0) * row.terms.fee_cents;
            earned += e;
            pending += waiting;
            open_value += still;
            *per_org.entry(row.organisation.clone()).or_default() += e;
            rows.push(json!({
                "id": row.id, "title": row.terms.title, "organisation": row.organisation,
                "units": row.terms.units, "delivered": c.delivered, "accepted": c.accepted,
                "earned": money(e), "awaiting_decision": money(waiting), "still_to_deliver": money(still),
            }));
        }
        Ok(json!({
            "earned": money(earned),
            "awaiting_decision": money(pending),
            "still_to_deliver": money(open_value),
            "per_organisation": per_org.into_iter().map(|(o, c)| json!({ "organisation": o, "earned": money(c) })).collect::<Vec<_>>(),
            "assignments": rows,
        }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}
