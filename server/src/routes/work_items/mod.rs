//! The work to be done: the rules, the items (for those who run the work in an area), totals per
//! area (k-anonymous for everyone else), an item's evidence and history, and status changes.

pub(crate) mod schemas;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Decision, Place, Purpose, Resource, Role, decide, decide_role};
use domain::privacy::Released;
use domain::{AreaKind, Model, WorldPoint, world_to_lonlat};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use work::{ItemRef, RuleSet, StatusRecord, Target, TargetKind, WorkIndex, WorkStatus};

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::{read, write};
use crate::openapi as doc;
use crate::routes::auth::no_store;
use crate::routes::{blocking, in_area, parse_area};
use crate::state::AppState;

/// Most items in one answer.
const MAX_LIMIT: usize = 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(work_kinds))
        .routes(routes!(get_work_rules, put_work_rules))
        .routes(routes!(work_items))
        .routes(routes!(work_summary))
        .routes(routes!(work_item))
        .routes(routes!(set_work_status))
}

fn place_of(point: WorldPoint, areas: domain::AreaRefs) -> Place {
    let (lon, lat) = world_to_lonlat(point);
    Place::Located {
        lonlat: [lon, lat],
        areas,
    }
}

fn resource(it: &ItemRef<'_>) -> Resource {
    Resource::new(DataClass::WorkItems, place_of(it.item.point, it.item.areas))
}

/// How people recognise a target: an address, never an id.
pub(crate) fn describe_target(model: &Model, target: Target, point: WorldPoint) -> Value {
    match target {
        Target::Pand(id) => {
            let pand = domain::BagId::new(id).and_then(|b| model.find_building(b));
            let addresses = pand.map(|p| p.address_rows().to_vec()).unwrap_or_default();
            let first = addresses
                .iter()
                .map(|i| model.address(*i))
                .min_by_key(|a| (a.street().to_owned(), a.house_number()));
            json!({
                "kind": "pand",
                "address": first.map(|a| a.street_line()),
                "place": first.map(|a| a.place().to_owned()),
                "addresses": addresses.len(),
            })
        }
        Target::Verblijfsobject(id) => {
            let a = domain::BagId::new(id).and_then(|b| model.find_address(b));
            json!({
                "kind": "verblijfsobject",
                "address": a.map(|a| a.street_line()),
                "place": a.map(|a| a.place().to_owned()),
                "addresses": 1,
            })
        }
        Target::PublicSpace(_) => {
            let near = nearest_address(model, point);
            json!({
                "kind": "public_space",
                "near": near.map(|a| a.street_line()),
                "place": near.map(|a| a.place().to_owned()),
                "addresses": 0,
            })
        }
        Target::Tree(id) => {
            // A register tree: its number and species, and the address it stands by.
            let tree = model.find_tree(domain::TreeId(id));
            let near = nearest_address(model, point);
            json!({
                "kind": "tree",
                "tree": tree.map(|t| t.number().to_owned()),
                "species": tree.and_then(|t| t.species().map(str::to_owned)),
                "near": near.map(|a| a.street_line()),
                "place": near.map(|a| a.place().to_owned()),
                "addresses": 0,
            })
        }
    }
}

/// The nearest address within about 150 m, which names a spot or a tree ("bij Kerkstraat 12").
fn nearest_address(model: &Model, point: WorldPoint) -> Option<domain::AddressRow<'_>> {
    let r = 6_000;
    model
        .addresses_in([point[0] - r, point[1] - r], [point[0] + r, point[1] + r])
        .map(|i| model.address(i))
        .min_by_key(|a| {
            let p = a.point();
            (i64::from(p[0] - point[0])).pow(2) + (i64::from(p[1] - point[1])).pow(2)
        })
}

pub(crate) fn item_json(model: &Model, it: &ItemRef<'_>) -> Value {
    let (lon, lat) = world_to_lonlat(it.item.point);
    json!({
        "kind": it.rule.kind,
        "target": it.item.target.key(),
        "about": describe_target(model, it.item.target, it.item.point),
        "status": it.status.as_str(),
        "status_at": it.record.map(|r| clock::rfc3339(r.at)),
        "size": (f64::from(it.item.size) * 10.0).round() / 10.0,
        "rule_holds": it.item.matches,
        "buurt": it.item.areas.buurt.map(|c| c.to_string()),
        "lon": (lon * 1e6).round() / 1e6,
        "lat": (lat * 1e6).round() / 1e6,
    })
}

fn rule_json(r: &work::Rule) -> Value {
    json!({
        "kind": r.kind,
        "title": r.title,
        "unit": r.unit,
        "target": r.target.as_str(),
        "when": r.when.text().trim(),
        "size": r.size.text().trim(),
        "skills": r.skills.skill_list().iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    })
}

/// The work kinds (rules are not personal: everyone may read them).
#[utoipa::path(
    get,
    path = "/api/work/kinds",
    tag = "work",
    operation_id = "listWorkKinds",
    summary = "The work kinds (the rules in use) and the fields rules may read.",
    description = "Everyone: the rules hold no personal data.",
    responses(
        (status = 200, description = "The kinds, in the order of the rule file, and the fields per target kind.", content((schemas::WorkKinds = "application/json"))),
    )
)]
async fn work_kinds(State(state): State<AppState>) -> Response {
    let work = read(&state.work);
    let rules: Vec<Value> = work.rules().rules.iter().map(rule_json).collect();
    let fields: Value = TargetKind::ALL
        .iter()
        .map(|k| {
            let f: Vec<Value> = work
                .fields()
                .of(*k)
                .schema()
                .describe()
                .map(|(name, t, values, description)| {
                    json!({ "name": name, "type": t.as_str(), "values": values, "description": description })
                })
                .collect();
            (k.as_str().to_owned(), Value::Array(f))
        })
        .collect::<serde_json::Map<_, _>>()
        .into();
    // Which roles may list items by address in their scope: the policy's answer, so that a page
    // asks only when the answer is not a 403.
    let list_roles: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|r| decide_role(*r, Purpose::Map, DataClass::WorkItems, true) == Decision::Allow)
        .map(Role::as_str)
        .collect();
    let assignment_roles: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|r| decide_role(*r, Purpose::Map, DataClass::Assignments, true) == Decision::Allow)
        .map(Role::as_str)
        .collect();
    let talent_roles: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|r| decide_role(*r, Purpose::Talent, DataClass::Talent, true) == Decision::Allow)
        .map(Role::as_str)
        .collect();
    let campaign_roles: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|r| {
            decide_role(*r, Purpose::Administration, DataClass::Campaigns, true) == Decision::Allow
        })
        .map(Role::as_str)
        .collect();
    let campaign_export_roles: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|r| decide_role(*r, Purpose::Export, DataClass::Campaigns, true) == Decision::Allow)
        .map(Role::as_str)
        .collect();
    Json(json!({
        "campaign_roles": campaign_roles,
        "campaign_export_roles": campaign_export_roles,
        "kinds": rules,
        "fields": fields,
        "list_roles": list_roles,
        "assignment_roles": assignment_roles,
        "talent_roles": talent_roles,
    }))
    .into_response()
}

/// The rule file in use.
#[utoipa::path(
    get,
    path = "/api/work/rules",
    tag = "work",
    operation_id = "getWorkRules",
    summary = "The rule file in use (TOML).",
    description = "Admin, wijkondernemer and communitybuilder (those who may see work items somewhere).",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "The rule file as it was loaded.", content((schemas::WorkRuleFile = "application/toml")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
    )
)]
async fn get_work_rules(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller.require_full(
        Purpose::Map,
        &Resource::new(DataClass::WorkItems, Place::Somewhere),
    )?;
    let text = read(&state.work).rules().text.clone();
    Ok(no_store(
        (
            [(
                axum::http::header::CONTENT_TYPE,
                "application/toml; charset=utf-8",
            )],
            text,
        )
            .into_response(),
    ))
}

/// Loads a new rule file: checked whole; on an error nothing changes and the answer names the line.
#[utoipa::path(
    put,
    path = "/api/work/rules",
    tag = "work",
    operation_id = "setWorkRules",
    summary = "Load a new rule file; every item is derived again.",
    description = "Admin, or a wijkondernemer with scope `all` (a grant that holds everywhere: the rules hold for the whole server). The file is checked whole: on an error nothing changes. Statuses set earlier are kept. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((schemas::WorkRuleFile = "application/toml"))),
    responses(
        (status = 200, description = "The file is in use.", content((schemas::WorkRulesSaved = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, description = "The body is not UTF-8 text: `InvalidParameterValue`.", content((inline(doc::errors::InvalidParameterValue) = "application/json"))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 422, description = "The file is refused (not TOML, an unknown field, a predicate that does not parse or compares a field with a value of another type, …); the description names the line: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn put_work_rules(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    // The rules hold for the whole server: only a grant that holds everywhere changes them.
    caller.require_full(
        Purpose::Administration,
        &Resource::new(DataClass::WorkItems, Place::Everywhere),
    )?;
    let body = body?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::param("body", "the rule file must be UTF-8 text (TOML)"))?
        .to_owned();
    let fields = std::sync::Arc::clone(read(&state.work).fields());
    let rules = RuleSet::parse(&text, &fields)
        .map_err(|e| ApiError::unprocessable(format!("rules: line {}: {}", e.line, e.message)))?;
    let by = caller.user()?.id;
    let st = state.clone();
    let n = rules.rules.len();
    blocking(move || {
        st.people
            .store
            .save_work_rules(&text, clock::now(), Some(by))?;
        let model = st.model.load();
        let obs = read(&st.observations.index);
        let mut work = write(&st.work);
        work.set_rules(
            std::sync::Arc::new(rules),
            &work::Sources {
                model: &model,
                observations: &obs,
                now: clock::now(),
            },
        );
        Ok(())
    })
    .await?;
    // Every work tile may have changed. A change "everywhere" (`Change { at: None }`) would
    // make the cache visit every tile of the world at every zoom (hours): drop the cache instead,
    // rules change seldom.
    state.cache.clear();
    caller
        .audit("work_rules", "rules", &format!("{n} rules"))
        .await?;
    Ok(no_store(Json(json!({ "rules": n })).into_response()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemsQuery {
    area: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

fn parse_kind(work: &WorkIndex, kind: Option<&str>) -> ApiResult<Option<String>> {
    match kind {
        None => Ok(None),
        Some(k) if work.rules().by_kind(k).is_some() => Ok(Some(k.to_owned())),
        Some(k) => Err(ApiError::param(
            "kind",
            format!(
                "no work kind {:?}; the kinds are {}",
                k.chars().take(48).collect::<String>(),
                work.rules()
                    .rules
                    .iter()
                    .map(|r| r.kind.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

fn parse_status(s: Option<&str>) -> ApiResult<Option<WorkStatus>> {
    s.map(|s| {
        WorkStatus::parse(s).ok_or_else(|| {
            ApiError::param(
                "status",
                format!(
                    "one of {}",
                    WorkStatus::ALL.map(WorkStatus::as_str).join(", ")
                ),
            )
        })
    })
    .transpose()
}

/// The items in an area the caller may see, opted-out households left out.
#[utoipa::path(
    get,
    path = "/api/work/items",
    tag = "work",
    operation_id = "listWorkItems",
    summary = "The work items the caller may see, by kind and target.",
    description = "Admin; wijkondernemer and communitybuilder, the items in their scope (with `area`, the area must lie in it). Items of households that opted out of canvassing are left out.",
    security(("cookieAuth" = [])),
    params(schemas::ListWorkItemsAreaParam, schemas::ListWorkItemsKindParam, schemas::ListWorkItemsStatusParam, schemas::ListWorkItemsLimitParam, schemas::ListWorkItemsOffsetParam),
    responses(
        (status = 200, description = "A page of items, ordered by kind and target.", content((schemas::WorkItemList = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
        (status = 422, description = "The area is not in the data: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn work_items(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<ItemsQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    let model = state.model.load();
    let area = q
        .area
        .as_deref()
        .map(|a| parse_area(a, &model))
        .transpose()?;
    let place = area.map_or(Place::Somewhere, Place::Area);
    caller.require_full(Purpose::Map, &Resource::new(DataClass::WorkItems, place))?;
    let limit = q.limit.unwrap_or(200);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::param("limit", format!("1 to {MAX_LIMIT}")));
    }
    let offset = q.offset.unwrap_or(0);
    let status = parse_status(q.status.as_deref())?;
    let st = state.clone();
    let body = blocking(move || {
        let work = read(&st.work);
        let kind = parse_kind(&work, q.kind.as_deref())?;
        let opt_outs = st.people.opt_outs.load();
        let mut v: Vec<ItemRef<'_>> = work
            .iter()
            .filter(|it| kind.as_deref().is_none_or(|k| it.rule.kind == k))
            .filter(|it| status.is_none_or(|s| it.status == s))
            .filter(|it| area.is_none_or(|a| in_area(it.item.areas, a)))
            .filter(|it| decide(&caller.principal, Purpose::Map, &resource(it)) == Decision::Allow)
            .filter(|it| !work::opted_out(&model, &opt_outs, it.item.target))
            .collect();
        v.sort_by(|a, b| (&a.rule.kind, a.item.target).cmp(&(&b.rule.kind, b.item.target)));
        let total = v.len();
        let page: Vec<Value> = v
            .iter()
            .skip(offset)
            .take(limit)
            .map(|it| item_json(&model, it))
            .collect();
        Ok(json!({ "total": total, "offset": offset, "items": page }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SummaryQuery {
    level: Option<String>,
    area: Option<String>,
}

/// Totals per area and kind. Those who may see the items in an area get exact totals there;
/// everyone else gets the k-anonymous release (enough distinct households behind a count,
/// counts rounded), and released totals only.
#[utoipa::path(
    get,
    path = "/api/work/summary",
    tag = "work",
    operation_id = "workSummary",
    summary = "Totals of the work per area and kind.",
    description = "Everyone. Exact totals (with the open size and the count per status) in the areas where the caller may see the items; elsewhere the k-anonymous release: counts rounded to `round_to`, or `suppressed` when fewer than `k` households lie behind them. Households that opted out of canvassing are left out.",
    security((), ("cookieAuth" = [])),
    params(schemas::WorkSummaryLevelParam, schemas::WorkSummaryAreaParam),
    responses(
        (status = 200, description = "A row per area (at `level`) and kind that has items.", content((schemas::WorkSummary = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 422, description = "The area is not in the data: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn work_summary(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<SummaryQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    let level = match q.level.as_deref().unwrap_or("buurt") {
        "buurt" => AreaKind::Buurt,
        "wijk" => AreaKind::Wijk,
        "gemeente" => AreaKind::Gemeente,
        _ => return Err(ApiError::param("level", "buurt, wijk or gemeente")),
    };
    let model = state.model.load();
    let area = q
        .area
        .as_deref()
        .map(|a| parse_area(a, &model))
        .transpose()?;
    caller.require(
        Purpose::Map,
        &Resource::new(
            DataClass::WorkItems,
            area.map_or(Place::Everywhere, Place::Area),
        ),
    )?;
    let rule = state.people.settings.k_anonymity;
    let st = state.clone();
    let body = blocking(move || {
        let work = read(&st.work);
        let opt_outs = st.people.opt_outs.load();
        let rows = work.summary(level, |it| {
            area.is_none_or(|a| in_area(it.item.areas, a))
                && !work::opted_out(&model, &opt_outs, it.item.target)
        });
        let titles: std::collections::HashMap<&str, &work::Rule> =
            work.rules().rules.iter().map(|r| (r.kind.as_str(), r)).collect();
        let mut out = Vec::new();
        for (code, kind, row) in rows {
            let code_parsed: domain::AreaCode = code.parse().map_err(|_| ApiError::Internal(format!("area code {code}")))?;
            let exact = decide(
                &caller.principal,
                Purpose::Map,
                &Resource::new(DataClass::WorkItems, Place::Area(code_parsed)),
            ) == Decision::Allow;
            let name = model.find_area(code_parsed).map(|a| a.name().to_owned());
            let unit = titles.get(kind.as_str()).map(|r| &r.unit);
            if exact {
                out.push(json!({
                    "area": code, "name": name, "kind": kind, "unit": unit, "exact": true,
                    "items": row.items, "households": row.households,
                    "open_size": (row.open_size * 10.0).round() / 10.0,
                    "by_status": row.by_status.iter().map(|(s, n)| (s.as_str().to_owned(), json!(n))).collect::<serde_json::Map<_, _>>(),
                }));
            } else {
                match domain::privacy::release_counts(rule, row.items, row.households, row.households) {
                    Released::Shown { records, addresses } => out.push(json!({
                        "area": code, "name": name, "kind": kind, "unit": unit, "exact": false,
                        "items": records, "households": addresses,
                    })),
                    Released::Suppressed => out.push(json!({
                        "area": code, "name": name, "kind": kind, "unit": unit, "exact": false,
                        "suppressed": true,
                    })),
                }
            }
        }
        Ok(json!({ "level": q.level.as_deref().unwrap_or("buurt"), "k": rule.k, "round_to": rule.round_to, "areas": out }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

pub(crate) fn parse_target(target_kind: &str, id: &str) -> ApiResult<Target> {
    Target::parse_key(&format!("{target_kind}/{id}")).ok_or_else(|| {
        ApiError::param(
            "target",
            "pand/{16 digits}, verblijfsobject/{16 digits} or public_space/{observation id}",
        )
    })
}

/// Answers 404 alike for an item that does not exist and one the caller may not see.
pub(crate) fn visible<'a>(
    work: &'a WorkIndex,
    caller: &Caller,
    purpose: Purpose,
    kind: &str,
    target: Target,
    model: &Model,
    opt_outs: &domain::privacy::OptOutRegister,
) -> ApiResult<ItemRef<'a>> {
    let not_found = || ApiError::NotFound(format!("no work item {kind} for {}", target.key()));
    let it = work.get(kind, target).ok_or_else(not_found)?;
    if decide(&caller.principal, purpose, &resource(&it)) != Decision::Allow
        || work::opted_out(model, opt_outs, target)
    {
        return Err(not_found());
    }
    Ok(it)
}

/// One item with its evidence (the facts its rule read, the observations behind them) and its
/// status history.
#[utoipa::path(
    get,
    path = "/api/work/items/{kind}/{target_kind}/{id}",
    tag = "work",
    operation_id = "getWorkItem",
    summary = "One work item with its rule, evidence and status history.",
    description = "Whoever may see the item (admin; wijkondernemer and communitybuilder in whose scope it lies). Anyone else signed in gets 404, as for an item that does not exist, and so does everyone for the item of a household that opted out of canvassing.",
    security(("cookieAuth" = [])),
    params(schemas::WorkItemKindParam, schemas::WorkItemTargetKindParam, schemas::WorkItemIdParam),
    responses(
        (status = 200, description = "The item.", content((schemas::WorkItemDetail = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn work_item(
    State(state): State<AppState>,
    caller: Caller,
    Path((kind, target_kind, id)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    caller.user()?;
    let target = parse_target(&target_kind, &id)?;
    let st = state.clone();
    let body = blocking(move || {
        let model = st.model.load();
        let opt_outs = st.people.opt_outs.load();
        let obs = read(&st.observations.index);
        let work = read(&st.work);
        let it = visible(&work, &caller, Purpose::Map, &kind, target, &model, &opt_outs)?;
        let src = work::Sources {
            model: &model,
            observations: &obs,
            now: clock::now(),
        };
        let evidence = work.evidence(&src, &kind, target);
        let history = st.people.store.work_history(&kind, target.kind().as_str(), target.id())?;
        let mut v = item_json(&model, &it);
        v["rule"] = rule_json(it.rule);
        v["evidence"] = json!(evidence);
        v["history"] = history
            .iter()
            .map(|h| json!({ "status": h.status, "at": clock::rfc3339(h.at), "by_you": h.by_user.is_some() && h.by_user == caller.user().ok().map(|u| u.id), "note": h.note }))
            .collect();
        Ok(v)
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusBody {
    status: String,
    #[serde(default)]
    note: String,
}

/// Moves an item to a status; the history keeps every step, who and when, with the evidence at
/// that moment.
#[utoipa::path(
    post,
    path = "/api/work/items/{kind}/{target_kind}/{id}/status",
    tag = "work",
    operation_id = "setWorkItemStatus",
    summary = "Move a work item to another status.",
    description = "Admin; wijkondernemer and communitybuilder in whose scope the item lies (others get 404, as for an item that does not exist). The history keeps every change: who, when, the note, and the evidence at that moment. Audited.",
    security(("cookieAuth" = [])),
    params(schemas::WorkItemKindParam, schemas::WorkItemTargetKindParam, schemas::WorkItemIdParam, doc::params::CsrfToken),
    request_body(content((schemas::WorkStatusRequest = "application/json"))),
    responses(
        (status = 200, description = "The new status and the one before.", content((schemas::WorkStatusChanged = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "The item has this status already: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields or wrong types: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn set_work_status(
    State(state): State<AppState>,
    caller: Caller,
    Path((kind, target_kind, id)): Path<(String, String, String)>,
    body: Result<Json<StatusBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let by = caller.user()?.id;
    let target = parse_target(&target_kind, &id)?;
    let status = parse_status(Some(&body.status))?.unwrap_or(WorkStatus::Open);
    if body.note.chars().count() > 500 {
        return Err(ApiError::param("note", "at most 500 characters"));
    }
    let st = state.clone();
    let caller2 = caller.clone();
    let kind2 = kind.clone();
    let (points, from) = blocking(move || {
        let model = st.model.load();
        let opt_outs = st.people.opt_outs.load();
        let obs = read(&st.observations.index);
        // The write lock is held from the check to the index update, so two changes of one item
        // are recorded and applied in the same order.
        let mut work = write(&st.work);
        let (from, evidence) = {
            let it = visible(
                &work,
                &caller2,
                Purpose::Canvassing,
                &kind2,
                target,
                &model,
                &opt_outs,
            )?;
            let src = work::Sources {
                model: &model,
                observations: &obs,
                now: clock::now(),
            };
            (it.status, work.evidence(&src, &kind2, target))
        };
        if from == status {
            return Err(ApiError::status_code(
                axum::http::StatusCode::CONFLICT,
                "Conflict",
                format!("the item is {} already", status.as_str()),
            ));
        }
        let at = clock::now();
        let evidence =
            serde_json::to_string(&evidence).map_err(|e| ApiError::Internal(e.to_string()))?;
        st.people.store.record_work_status(
            &kind2,
            target.kind().as_str(),
            target.id(),
            status.as_str(),
            at,
            Some(by),
            &body.note,
            &evidence,
        )?;
        let r = work.record_status(
            &kind2,
            target,
            StatusRecord {
                status,
                at,
                by: Some(by),
            },
        );
        st.urgency.touch([], &[target]);
        Ok((r.points, from))
    })
    .await?;
    state.work_points_changed(&points);
    caller
        .audit(
            "work_status",
            &format!("{kind}/{}", target.key()),
            &format!("{} -> {}", from.as_str(), status.as_str()),
        )
        .await?;
    Ok(no_store(Json(json!({ "kind": kind, "target": target.key(), "status": status.as_str(), "previous": from.as_str() })).into_response()))
}
