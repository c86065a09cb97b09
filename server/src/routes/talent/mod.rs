//! Capacity and talent (issue 12 §4): a resident offers what they can do, when and where; the
//! communitybuilder and the wijkondernemer see the offers matched to open work nearby and
//! invite; the resident accepts or declines, sees the work under "Mijn werk" and logs hours,
//! paid from the assignment's fee or volunteered as the wijkondernemer decided per assignment.
//!
//! An offer is personal data, processed for the purpose `talent` only while its resident
//! consents: giving the offer records the consent, withdrawing it (one request) deletes the
//! offer and ends live invitations. Offers, invitations and hours are `DataClass::Talent`:
//! those who organise the work in the offer's area, for `Purpose::Talent`, and nobody else. A
//! resident acts on their own (`OwnAccount`).

pub(crate) mod schemas;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Decision, Place, Purpose, Resource, decide};
use domain::{AreaCode, Model};
use serde::Deserialize;
use serde_json::{Value, json};
use store::{InvitationRow, InvitedItem, TalentOffer, TalentOfferRow};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use work::talent::{Bits, DayPart, Offer, Skill, match_offers};
use work::{Target, WorkIndex};

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::read;
use crate::openapi as doc;
use crate::routes::assignments::{parse_id, text_field, valid_date};
use crate::routes::auth::no_store;
use crate::routes::work_items::{describe_target, parse_target, visible};
use crate::routes::{blocking, parse_area};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_my_offer, put_my_offer, withdraw_my_offer))
        .routes(routes!(my_work))
        .routes(routes!(answer_invitation))
        .routes(routes!(log_hours))
        .routes(routes!(match_talent))
        .routes(routes!(list_invitations, invite_resident))
        .routes(routes!(withdraw_invitation))
        .routes(routes!(set_assignment_helpers))
}

/// Longest free text (other skills, a note), in characters.
const MAX_TEXT: usize = 300;
/// Largest items listed per kind and offer.
const PER_KIND: usize = 5;

fn today() -> String {
    clock::rfc3339(clock::now())[..10].to_owned()
}

fn talent_resource(area: &str) -> Resource {
    let place = area.parse::<AreaCode>().map_or(Place::Nowhere, Place::Area);
    Resource::new(DataClass::Talent, place)
}

/// May the caller match offers and invite in `area`?
fn may_match(caller: &Caller, area: &str) -> bool {
    decide(&caller.principal, Purpose::Talent, &talent_resource(area)) == Decision::Allow
}

/// May the caller match offers anywhere at all (does the feature exist for them)?
fn may_match_somewhere(caller: &Caller) -> bool {
    decide(
        &caller.principal,
        Purpose::Talent,
        &Resource::new(DataClass::Talent, Place::Somewhere),
    ) == Decision::Allow
}

fn offer_json(model: &Model, row: &TalentOfferRow) -> Value {
    let o = &row.offer;
    let area_name = o
        .area
        .parse::<AreaCode>()
        .ok()
        .and_then(|c| model.find_area(c))
        .map(|a| a.name().to_owned());
    json!({
        "skills": o.skills,
        "other": o.other,
        "hours_per_week": o.hours_per_week,
        "day_parts": o.day_parts,
        "area": o.area,
        "area_name": area_name,
        "available_until": o.available_until,
        "given_at": clock::rfc3339(row.created_at),
        "updated_at": clock::rfc3339(row.updated_at),
    })
}

fn lists_json() -> Value {
    json!({
        "skills": Skill::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "day_parts": DayPart::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    })
}

#[utoipa::path(
    get,
    path = "/api/account/offer",
    tag = "talent",
    operation_id = "getMyOffer",
    summary = "What the signed-in resident offers to do, and the lists to choose from.",
    description = "Any signed-in account: its own offer of time and talent (null when it has none) and whether it consents to `talent`.",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "The offer, or null.", content((schemas::MyOffer = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
    )
)]
async fn get_my_offer(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let id = caller.user()?.id;
    let st = state.clone();
    let body = blocking(move || {
        let row = st.people.store.talent_offer(id)?;
        let model = st.model.load();
        let mut v = lists_json();
        v["offer"] = row.as_ref().map_or(Value::Null, |r| offer_json(&model, r));
        Ok(v)
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

/// An offer as a resident gives it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TalentOfferRequest)]
struct OfferBody {
    /// Skill keys (`getMyOffer` lists them).
    #[serde(default)]
    skills: Vec<String>,
    /// Anything else they can do, in their words (at most 300 characters).
    #[serde(default)]
    other: String,
    /// Hours per week, 1 … 40.
    hours_per_week: i64,
    /// Parts of the week (`getMyOffer` lists them); at least one.
    day_parts: Vec<String>,
    /// Where they want to work: a CBS code (buurt, wijk or gemeente).
    area: String,
    /// Until when, `YYYY-MM-DD`; absent for until further notice.
    #[serde(default)]
    available_until: Option<String>,
    /// Must be true: the resident consents to wijkwerk processing the offer for matching it to
    /// work (purpose `talent`).
    consent: bool,
}

fn checked_offer(body: &OfferBody, model: &Model) -> ApiResult<TalentOffer> {
    if !body.consent {
        return Err(ApiError::unprocessable(
            "consent: an offer is kept only with your consent to matching it to work (talent)",
        ));
    }
    if body.skills.len() > Skill::ALL.len() {
        return Err(ApiError::param("skills", "each skill at most once"));
    }
    Bits::skills(body.skills.iter().map(String::as_str)).map_err(|name| {
        ApiError::param(
            "skills",
            format!(
                "no skill {:?}; the skills are {}",
                name.chars().take(40).collect::<String>(),
                Skill::keys()
            ),
        )
    })?;
    let other = text_field(&body.other, "other", MAX_TEXT, false)?;
    if body.skills.is_empty() && other.is_empty() {
        return Err(ApiError::param(
            "skills",
            "choose at least one skill, or say in `other` what you can do",
        ));
    }
    if !(1..=40).contains(&body.hours_per_week) {
        return Err(ApiError::param(
            "hours_per_week",
            "a whole number from 1 to 40",
        ));
    }
    if body.day_parts.is_empty() || body.day_parts.len() > DayPart::ALL.len() {
        return Err(ApiError::param(
            "day_parts",
            "at least one part of the week, each once",
        ));
    }
    Bits::day_parts(body.day_parts.iter().map(String::as_str)).map_err(|name| {
        ApiError::param(
            "day_parts",
            format!(
                "no part of the week {:?}; they are {}",
                name.chars().take(40).collect::<String>(),
                DayPart::keys()
            ),
        )
    })?;
    let area = parse_area(&body.area, model)?;
    if let Some(d) = &body.available_until {
        if !valid_date(d) {
            return Err(ApiError::param("available_until", "a date YYYY-MM-DD"));
        }
        if *d < today() {
            return Err(ApiError::param("available_until", "a date from today on"));
        }
    }
    // Stored in list order, each once.
    let order = |keys: &[String], all: &[&str]| -> Vec<String> {
        all.iter()
            .filter(|k| keys.iter().any(|x| x == *k))
            .map(|k| (*k).to_owned())
            .collect()
    };
    let skill_keys: Vec<&str> = Skill::ALL.iter().map(|s| s.as_str()).collect();
    let part_keys: Vec<&str> = DayPart::ALL.iter().map(|s| s.as_str()).collect();
    Ok(TalentOffer {
        skills: order(&body.skills, &skill_keys),
        other,
        hours_per_week: body.hours_per_week,
        day_parts: order(&body.day_parts, &part_keys),
        area: area.to_string(),
        available_until: body.available_until.clone(),
    })
}

#[utoipa::path(
    put,
    path = "/api/account/offer",
    tag = "talent",
    operation_id = "putMyOffer",
    summary = "Offer (or change) what the resident can do, when and where.",
    description = "Any signed-in account. `consent` must be true: the offer is processed for matching it to work (`talent`) and seen only by the wijkondernemer and communitybuilders of its area. Records the consent in the ledger when it was not given; replaces an earlier offer. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((OfferBody = "application/json"))),
    responses(
        (status = 200, description = "The offer as stored.", content((schemas::MyOffer = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn put_my_offer(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<OfferBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let id = caller.user()?.id;
    let offer = checked_offer(&body, &state.model.load())?;
    let st = state.clone();
    let area = offer.area.clone();
    blocking(move || Ok(st.people.store.put_talent_offer(id, &offer, clock::now())?)).await?;
    caller
        .audit("talent_offered", &format!("user:{id}"), &area)
        .await?;
    get_my_offer(State(state), caller).await
}

#[utoipa::path(
    delete,
    path = "/api/account/offer",
    tag = "talent",
    operation_id = "withdrawMyOffer",
    summary = "Withdraw the offer and the consent to `talent`, in one step.",
    description = "Any signed-in account. Deletes the offer, ends invitations still open or accepted (hours already logged stay with them for the assignment's statement), and appends the withdrawal to the consent ledger. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    responses(
        (status = 204, description = "Withdrawn (also when there was no offer)."),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
    )
)]
async fn withdraw_my_offer(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let id = caller.user()?.id;
    withdraw_talent(&state, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Withdraws the account's consent to `talent` with everything that stands on it (also when
/// the consent is withdrawn on the account page).
pub(crate) async fn withdraw_talent(state: &AppState, caller: &Caller, user: i64) -> ApiResult<()> {
    let st = state.clone();
    let had = blocking(move || Ok(st.people.store.withdraw_talent(user, clock::now())?)).await?;
    let detail = if had { "offer deleted" } else { "no offer" };
    caller
        .audit("talent_withdrawn", &format!("user:{user}"), detail)
        .await
}

/// What a resident (or the team) is told about the work of an invitation: the kind in words,
/// the place by its address, the assignment's terms that say what to do — never the evidence
/// (what other residents reported).
fn invitation_json(state: &AppState, inv: &InvitationRow, for_team: bool) -> ApiResult<Value> {
    let model = state.model.load();
    let work = read(&state.work);
    let mut v = json!({
        "id": inv.id,
        "status": inv.status,
        "note": inv.note,
        "invited_at": clock::rfc3339(inv.created_at),
        "answered_at": inv.answered_at.map(clock::rfc3339),
        "hours_paid": minutes_to_hours(inv.minutes_paid),
        "hours_volunteered": minutes_to_hours(inv.minutes_volunteered),
        "kind": Value::Null,
        "about": Value::Null,
        "lon": Value::Null,
        "lat": Value::Null,
        "assignment": Value::Null,
    });
    if let Some(item) = &inv.item {
        v["kind"] = json!(item.kind);
        if let Some(t) = work::TargetKind::parse(&item.target_kind)
            .and_then(|k| Target::from_parts(k, item.target_id))
            && let Some(it) = work.get(&item.kind, t)
        {
            v["about"] = describe_target(&model, t, it.item.point);
            let (lon, lat) = domain::world_to_lonlat(it.item.point);
            v["lon"] = json!((lon * 1e6).round() / 1e6);
            v["lat"] = json!((lat * 1e6).round() / 1e6);
        }
    }
    if let Some(aid) = inv.assignment_id
        && let Some(a) = state.people.store.assignment(aid)?
    {
        v["kind"] = json!(
            inv.item
                .as_ref()
                .map_or(a.terms.kind.as_str(), |i| i.kind.as_str())
        );
        let area_name = a
            .terms
            .area
            .parse::<AreaCode>()
            .ok()
            .and_then(|c| model.find_area(c))
            .map(|x| x.name().to_owned());
        v["assignment"] = json!({
            "title": a.terms.title,
            "organisation": a.organisation,
            "delivered_when": a.terms.delivered_when,
            "deadline": a.terms.deadline,
            "area_name": area_name,
            "helpers_paid": state.people.store.helpers_paid(aid)?,
        });
    }
    if for_team {
        let name = state
            .people
            .store
            .user(inv.user_id)?
            .map(|u| u.display_name)
            .unwrap_or_default();
        v["resident"] = json!({ "offer": inv.user_id, "name": name });
    }
    Ok(v)
}

fn minutes_to_hours(m: i64) -> f64 {
    (m as f64 / 60.0 * 100.0).round() / 100.0
}

#[utoipa::path(
    get,
    path = "/api/account/work",
    tag = "talent",
    operation_id = "myWork",
    summary = "Mijn werk: the invitations the resident got, what to do and where, and the hours logged.",
    description = "Any signed-in account, its own. Work items are named by their address; what other residents reported is not shown.",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "Invitations, newest first, and hours.", content((schemas::MyWork = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
    )
)]
async fn my_work(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let id = caller.user()?.id;
    let st = state.clone();
    let body = blocking(move || {
        let invitations = st.people.store.invitations_of(id)?;
        let hours = st.people.store.hours_of(id)?;
        let list = invitations
            .iter()
            .map(|i| invitation_json(&st, i, false))
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(json!({
            "invitations": list,
            "hours": hours.iter().map(|h| json!({
                "invitation": h.invitation_id,
                "day": h.day,
                "hours": minutes_to_hours(h.minutes),
                "paid": h.paid,
            })).collect::<Vec<_>>(),
        }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

/// The resident's invitation, or 404 alike for one that does not exist and someone else's.
async fn own_invitation(state: &AppState, user: i64, id: i64) -> ApiResult<InvitationRow> {
    let st = state.clone();
    blocking(move || Ok(st.people.store.invitation(id)?))
        .await?
        .filter(|i| i.user_id == user)
        .ok_or_else(|| ApiError::NotFound(format!("no invitation {id}")))
}

/// The resident's answer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = InvitationAnswerRequest)]
struct InvitationAnswer {
    /// `accept` or `decline` an invitation; `done` when accepted work is finished.
    answer: String,
}

#[utoipa::path(
    post,
    path = "/api/account/work/{id}/answer",
    tag = "talent",
    operation_id = "answerInvitation",
    summary = "The resident accepts or declines an invitation, or says the work is done.",
    description = "The invited account only (another's is 404). `accept` and `decline` answer an open invitation; `done` ends accepted work. Another status is 409. Audited.",
    security(("cookieAuth" = [])),
    params(schemas::InvitationIdParam, doc::params::CsrfToken),
    request_body(content((InvitationAnswer = "application/json"))),
    responses(
        (status = 200, description = "The invitation as it stands.", content((schemas::Invitation = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "The invitation is not in a status this answer fits: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn answer_invitation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<InvitationAnswer>, JsonRejection>,
) -> ApiResult<Response> {
    let user = caller.user()?.id;
    let id = parse_id(&id)?;
    let Json(body) = body?;
    let (from, to): (&[&str], &str) = match body.answer.as_str() {
        "accept" => (&["invited"], "accepted"),
        "decline" => (&["invited"], "declined"),
        "done" => (&["accepted"], "done"),
        _ => return Err(ApiError::param("answer", "one of accept, decline, done")),
    };
    own_invitation(&state, user, id).await?;
    let st = state.clone();
    let body = blocking(move || {
        st.people
            .store
            .move_invitation(id, from, to, clock::now())?;
        let inv = st
            .people
            .store
            .invitation(id)?
            .ok_or_else(|| ApiError::NotFound(format!("no invitation {id}")))?;
        invitation_json(&st, &inv, false)
    })
    .await?;
    caller
        .audit("invitation_answered", &format!("invitation:{id}"), to)
        .await?;
    Ok(no_store(Json(body).into_response()))
}

/// Hours worked on one day.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = HoursRequest)]
struct HoursBody {
    /// The day, `YYYY-MM-DD`, not in the future.
    day: String,
    /// Hours, 0.25 … 24, in quarters.
    hours: f64,
}

#[utoipa::path(
    post,
    path = "/api/account/work/{id}/hours",
    tag = "talent",
    operation_id = "logHours",
    summary = "Log hours worked on accepted work.",
    description = "The invited account only (another's is 404), on an accepted invitation (else 409). The hours count as paid when the wijkondernemer decided the assignment pays its helpers, else as volunteered.",
    security(("cookieAuth" = [])),
    params(schemas::InvitationIdParam, doc::params::CsrfToken),
    request_body(content((HoursBody = "application/json"))),
    responses(
        (status = 201, description = "The hours as logged.", content((schemas::HoursEntry = "application/json"))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "The invitation is not accepted: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn log_hours(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<HoursBody>, JsonRejection>,
) -> ApiResult<Response> {
    let user = caller.user()?.id;
    let id = parse_id(&id)?;
    let Json(body) = body?;
    if !valid_date(&body.day) {
        return Err(ApiError::param("day", "a date YYYY-MM-DD"));
    }
    if body.day > today() {
        return Err(ApiError::param("day", "not in the future"));
    }
    let quarters = body.hours * 4.0;
    if !body.hours.is_finite()
        || !(0.25..=24.0).contains(&body.hours)
        || (quarters - quarters.round()).abs() > 1e-9
    {
        return Err(ApiError::param(
            "hours",
            "from 0.25 to 24, in quarters of an hour",
        ));
    }
    let minutes = (quarters.round() as i64) * 15;
    own_invitation(&state, user, id).await?;
    let st = state.clone();
    let day = body.day.clone();
    let row = blocking(move || {
        Ok(st
            .people
            .store
            .log_hours(id, user, &day, minutes, clock::now())?)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        no_store(
            Json(json!({
                "invitation": row.invitation_id,
                "day": row.day,
                "hours": minutes_to_hours(row.minutes),
                "paid": row.paid,
            }))
            .into_response(),
        ),
    )
        .into_response())
}

/// Filters of the matching list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchQuery {
    area: Option<String>,
    kind: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/talent/offers",
    tag = "talent",
    operation_id = "matchTalent",
    summary = "Residents' offers matched to open work nearby.",
    description = "Wijkondernemer and communitybuilder: the offers whose area lies in their scope, each with the open work items in that area whose kind asks for one of the offer's skills (counts per kind and the largest items, by address), households that opted out left out. Offers past their end date are counted, not listed. `area` keeps offers in that area; `kind` keeps matches of that kind. Others: 403.",
    security(("cookieAuth" = [])),
    params(schemas::MatchArea, schemas::MatchKind),
    responses(
        (status = 200, description = "Offers, those that fit most open work first.", content((schemas::TalentMatches = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn match_talent(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<MatchQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    caller.user()?;
    if !may_match_somewhere(&caller) {
        return Err(caller.refuse("your role may not match offers of time and talent"));
    }
    let model = state.model.load();
    let area = q
        .area
        .as_deref()
        .map(|a| parse_area(a, &model))
        .transpose()?;
    if let Some(k) = &q.kind
        && read(&state.work).rules().by_kind(k).is_none()
    {
        return Err(ApiError::param("kind", "a work kind (listWorkKinds)"));
    }
    let st = state.clone();
    let body = blocking(move || {
        let today = today();
        let rows: Vec<TalentOfferRow> = st
            .people
            .store
            .talent_offers()?
            .into_iter()
            .filter(|r| may_match(&caller, &r.offer.area))
            .filter(|r| {
                area.is_none_or(|a| {
                    r.offer
                        .area
                        .parse::<AreaCode>()
                        .is_ok_and(|c| domain::access::code_within(c, a))
                })
            })
            .collect();
        let (current, expired): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .partition(|r| r.offer.available_until.as_ref().is_none_or(|d| *d >= today));
        let model = st.model.load();
        let work = read(&st.work);
        let opt_outs = st.people.opt_outs.load();
        let offers: Vec<Offer> = current
            .iter()
            .filter_map(|r| {
                Some(Offer {
                    id: r.user_id,
                    skills: Bits::skills(r.offer.skills.iter().map(String::as_str)).ok()?,
                    area: r.offer.area.parse().ok()?,
                })
            })
            .collect();
        let kind = q.kind.clone();
        let matches = match_offers(&work, &offers, PER_KIND, |it| {
            kind.as_ref().is_none_or(|k| *k == it.rule.kind)
                && !work::opted_out(&model, &opt_outs, it.item.target)
                && decide(
                    &caller.principal,
                    Purpose::Canvassing,
                    &Resource::new(DataClass::WorkItems, place_of(it.item.point, it.item.areas)),
                ) == Decision::Allow
        });
        let invitations = st.people.store.invitations()?;
        let mut list = Vec::new();
        for r in &current {
            let m = matches.iter().find(|m| m.offer == r.user_id);
            let name = st
                .people
                .store
                .user(r.user_id)?
                .map(|u| u.display_name)
                .unwrap_or_default();
            let live = invitations
                .iter()
                .filter(|i| {
                    i.user_id == r.user_id && matches!(i.status.as_str(), "invited" | "accepted")
                })
                .count();
            let kinds: Vec<Value> = m
                .map(|m| {
                    m.kinds
                        .iter()
                        .map(|k| kind_match_json(&model, &work, k))
                        .collect()
                })
                .unwrap_or_default();
            let mut v = offer_json(&model, r);
            v["id"] = json!(r.user_id);
            v["name"] = json!(name);
            v["live_invitations"] = json!(live);
            v["open_items"] = json!(m.map_or(0, work::talent::OfferMatch::items));
            v["matches"] = json!(kinds);
            list.push(v);
        }
        list.sort_by_key(|v| std::cmp::Reverse(v["open_items"].as_u64().unwrap_or(0)));
        Ok(json!({ "offers": list, "expired": expired.len() }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

fn place_of(point: domain::WorldPoint, areas: domain::AreaRefs) -> Place {
    let (lon, lat) = domain::world_to_lonlat(point);
    Place::Located {
        lonlat: [lon, lat],
        areas,
    }
}

fn kind_match_json(model: &Model, work: &WorkIndex, k: &work::talent::KindMatch) -> Value {
    let items: Vec<Value> = k
        .largest
        .iter()
        .filter_map(|t| work.get(&k.kind, *t))
        .map(|it| crate::routes::work_items::item_json(model, &it))
        .collect();
    json!({
        "kind": k.kind,
        "skills": k.skills.skill_list().iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "items": k.items,
        "open_size": (k.open_size * 10.0).round() / 10.0,
        "largest": items,
    })
}

#[utoipa::path(
    get,
    path = "/api/talent/invitations",
    tag = "talent",
    operation_id = "listInvitations",
    summary = "The invitations in the caller's scope, newest first, with the hours logged.",
    description = "Wijkondernemer and communitybuilder: invitations whose area lies in their scope. Others: 403.",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "Invitations.", content((schemas::InvitationList = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
    )
)]
async fn list_invitations(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller.user()?;
    if !may_match_somewhere(&caller) {
        return Err(caller.refuse("your role may not see invitations to work"));
    }
    let st = state.clone();
    let body = blocking(move || {
        let list = st
            .people
            .store
            .invitations()?
            .into_iter()
            .filter(|i| may_match(&caller, &i.area))
            .map(|i| invitation_json(&st, &i, true))
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(json!({ "invitations": list }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

/// An invitation the team sends.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = InvitationRequest)]
struct InviteBody {
    /// The offer (`matchTalent`'s `id`).
    offer: i64,
    /// The work item's kind; with `target`.
    #[serde(default)]
    kind: Option<String>,
    /// The work item's target, `pand/{id}`, `verblijfsobject/{id}` or `public_space/{id}`.
    #[serde(default)]
    target: Option<String>,
    /// An accepted assignment; absent to take the one the item is planned under, if any.
    #[serde(default)]
    assignment: Option<i64>,
    /// What the resident should know (at most 300 characters).
    #[serde(default)]
    note: String,
}

#[utoipa::path(
    post,
    path = "/api/talent/invitations",
    tag = "talent",
    operation_id = "inviteResident",
    summary = "Invite a resident who offered help to a work item or an assignment.",
    description = "Wijkondernemer and communitybuilder in whose scope the offer's area lies (else 404, alike for an offer that does not exist). A work item must be one the caller may plan (404 otherwise), open or planned, of a kind that asks for one of the offer's skills (422); an assignment must be accepted and in the caller's scope. One live invitation per resident and item (409). Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((InviteBody = "application/json"))),
    responses(
        (status = 201, description = "The invitation.", content((schemas::Invitation = "application/json"))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "Already invited, or the offer was withdrawn: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn invite_resident(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<InviteBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let by = caller.user()?.id;
    if !may_match_somewhere(&caller) {
        return Err(caller.refuse("your role may not invite residents to work"));
    }
    let note = text_field(&body.note, "note", MAX_TEXT, false)?;
    let target = match (&body.kind, &body.target) {
        (Some(k), Some(t)) => {
            let (tk, id) = t.split_once('/').ok_or_else(|| {
                ApiError::param(
                    "target",
                    "pand/{id}, verblijfsobject/{id} or public_space/{id}",
                )
            })?;
            Some((k.clone(), parse_target(tk, id)?))
        }
        (None, None) => None,
        _ => return Err(ApiError::param("target", "give kind and target together")),
    };
    if target.is_none() && body.assignment.is_none() {
        return Err(ApiError::unprocessable(
            "invite to a work item (kind and target) or to an assignment",
        ));
    }
    let st = state.clone();
    let caller2 = caller.clone();
    let id = blocking(move || {
        let store = &st.people.store;
        let offer = store
            .talent_offer(body.offer)?
            .filter(|o| may_match(&caller2, &o.offer.area))
            .ok_or_else(|| ApiError::NotFound(format!("no offer {}", body.offer)))?;
        let skills =
            Bits::skills(offer.offer.skills.iter().map(String::as_str)).unwrap_or_default();
        let model = st.model.load();
        let opt_outs = st.people.opt_outs.load();
        let mut area: Option<String> = None;
        let mut item = None;
        let mut assignment = body.assignment;
        if let Some((kind, t)) = &target {
            let work = read(&st.work);
            let it = visible(
                &work,
                &caller2,
                Purpose::Canvassing,
                kind,
                *t,
                &model,
                &opt_outs,
            )?;
            if it.status.is_closed() {
                return Err(ApiError::unprocessable(format!(
                    "the work item is {}: nothing to invite to",
                    it.status.as_str()
                )));
            }
            if !it.rule.skills.meets(skills) {
                return Err(ApiError::unprocessable(format!(
                    "this offer has none of the skills {} asks for",
                    it.rule.kind
                )));
            }
            area = it.item.areas.buurt.map(|c| c.to_string());
            item = Some(InvitedItem {
                kind: kind.clone(),
                target_kind: t.kind().as_str().to_owned(),
                target_id: t.id(),
            });
            if assignment.is_none() {
                assignment = planned_under(store, kind, *t)?;
            }
        }
        if let Some(aid) = assignment {
            let a = store
                .assignment(aid)?
                .filter(|a| {
                    let r = Resource::new(
                        DataClass::Assignments,
                        a.terms
                            .area
                            .parse::<AreaCode>()
                            .map_or(Place::Nowhere, Place::Area),
                    );
                    decide(&caller2.principal, Purpose::Canvassing, &r) == Decision::Allow
                })
                .ok_or_else(|| ApiError::NotFound(format!("no assignment {aid}")))?;
            if a.status != "accepted" {
                return Err(ApiError::unprocessable(format!(
                    "assignment: it is {}; residents are invited to accepted work",
                    a.status
                )));
            }
            if let Some((kind, t)) = &target {
                let planned = store
                    .assignment_items(aid)?
                    .iter()
                    .any(|p| p.target_kind == t.kind().as_str() && p.target_id == t.id());
                if a.terms.kind != *kind || !planned {
                    return Err(ApiError::unprocessable(
                        "assignment: the work item is not planned under it",
                    ));
                }
            }
            if area.is_none() {
                area = Some(a.terms.area.clone());
            }
        }
        let area = area.ok_or_else(|| ApiError::unprocessable("the work item lies in no buurt"))?;
        if !may_match(&caller2, &area) {
            return Err(ApiError::NotFound("no such work in your area".into()));
        }
        let id = store.invite(
            body.offer,
            item.as_ref(),
            assignment,
            &area,
            &note,
            Some(by),
            clock::now(),
        )?;
        let inv = store
            .invitation(id)?
            .ok_or_else(|| ApiError::Internal("invitation vanished".into()))?;
        Ok((id, invitation_json(&st, &inv, true)?))
    })
    .await?;
    caller
        .audit("resident_invited", &format!("invitation:{}", id.0), "")
        .await?;
    Ok((StatusCode::CREATED, no_store(Json(id.1).into_response())).into_response())
}

/// The accepted assignment a work item is planned under, if any.
fn planned_under(store: &store::SqliteStore, kind: &str, t: Target) -> ApiResult<Option<i64>> {
    for a in store.assignments()? {
        if a.status == "accepted"
            && a.terms.kind == kind
            && store
                .assignment_items(a.id)?
                .iter()
                .any(|p| p.target_kind == t.kind().as_str() && p.target_id == t.id())
        {
            return Ok(Some(a.id));
        }
    }
    Ok(None)
}

#[utoipa::path(
    post,
    path = "/api/talent/invitations/{id}/withdraw",
    tag = "talent",
    operation_id = "withdrawInvitation",
    summary = "The team withdraws an invitation that is open or accepted.",
    description = "Wijkondernemer and communitybuilder in whose scope it lies (else 404). An invitation that already ended is 409. Audited.",
    security(("cookieAuth" = [])),
    params(schemas::InvitationIdParam, doc::params::CsrfToken),
    responses(
        (status = 200, description = "The invitation as it stands.", content((schemas::Invitation = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "The invitation ended already: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
    )
)]
async fn withdraw_invitation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = parse_id(&id)?;
    if !may_match_somewhere(&caller) {
        return Err(caller.refuse("your role may not withdraw invitations to work"));
    }
    let st = state.clone();
    let caller2 = caller.clone();
    let body = blocking(move || {
        st.people
            .store
            .invitation(id)?
            .filter(|i| may_match(&caller2, &i.area))
            .ok_or_else(|| ApiError::NotFound(format!("no invitation {id}")))?;
        st.people
            .store
            .move_invitation(id, &["invited", "accepted"], "withdrawn", clock::now())?;
        let inv = st
            .people
            .store
            .invitation(id)?
            .ok_or_else(|| ApiError::NotFound(format!("no invitation {id}")))?;
        invitation_json(&st, &inv, true)
    })
    .await?;
    caller
        .audit("invitation_withdrawn", &format!("invitation:{id}"), "")
        .await?;
    Ok(no_store(Json(body).into_response()))
}

/// Whether helpers are paid.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = HelpersRequest)]
struct HelpersBody {
    /// True: residents' hours on this assignment are paid from its fee; false: volunteered.
    paid: bool,
}

#[utoipa::path(
    put,
    path = "/api/assignments/{id}/helpers",
    tag = "talent",
    operation_id = "setAssignmentHelpers",
    summary = "The wijkondernemer decides whether residents' hours on an assignment are paid from its fee.",
    description = "Wijkondernemer in whose scope the assignment lies; admin. Applies to hours logged from now on. An assignment the caller may not see is 404; one it sees but may not decide on (a partner, a communitybuilder) is 403. Audited.",
    security(("cookieAuth" = [])),
    params(crate::routes::assignments::schemas::AssignmentIdParam, doc::params::CsrfToken),
    request_body(content((HelpersBody = "application/json"))),
    responses(
        (status = 200, description = "The decision.", content((schemas::Helpers = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn set_assignment_helpers(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<HelpersBody>, JsonRejection>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = parse_id(&id)?;
    let Json(body) = body?;
    crate::routes::assignments::load(&state, &caller, id, Purpose::Talent).await?;
    let st = state.clone();
    let paid = body.paid;
    blocking(move || Ok(st.people.store.set_helpers_paid(id, paid)?)).await?;
    let decided = if paid { "paid" } else { "volunteered" };
    caller
        .audit("assignment_helpers", &format!("assignment:{id}"), decided)
        .await?;
    Ok(no_store(
        Json(json!({ "assignment": id, "paid": paid })).into_response(),
    ))
}
