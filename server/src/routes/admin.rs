//! Administration: users, roles × scopes, custom areas, the audit log, retention (`/api/admin/*`).
//! Every route asks the policy for [`DataClass::Accounts`], [`DataClass::AuditLog`] or
//! [`DataClass::Retention`] with purpose `administration`; only admins pass.

pub(crate) mod schemas;

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Grant, Place, Purpose, Resource, Role, Scope};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, parse_scope, password};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::openapi as doc;
use crate::people::People;
use crate::routes::auth::{no_store, user_json};
use crate::routes::blocking;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(users, add_user))
        .routes(routes!(set_roles))
        .routes(routes!(send_password_link))
        .routes(routes!(update_user))
        .routes(routes!(custom_areas, add_custom_area))
        .routes(routes!(audit))
        .routes(routes!(retention))
        .routes(routes!(run_retention))
}

fn admin(caller: &Caller, class: DataClass) -> ApiResult<()> {
    caller.require_full(
        Purpose::Administration,
        &Resource::new(class, Place::Nowhere),
    )
}

/// A role and scope as sent by a client.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleScope {
    /// Role name.
    pub role: String,
    /// Scope: `all`, a CBS code or `polygon:{id}`.
    #[serde(default = "all")]
    pub scope: String,
}

fn all() -> String {
    "all".into()
}

/// Checks roles and scopes: known role, resolvable scope that exists in the data, residents `all`.
pub fn check_roles(
    state: &AppState,
    people: &People,
    roles: &[RoleScope],
) -> ApiResult<Vec<(String, String)>> {
    if roles.is_empty() {
        return Err(ApiError::unprocessable("roles: give at least one role"));
    }
    let model = state.model.load();
    roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let role: Role = r
                .role
                .parse()
                .map_err(|e: String| ApiError::unprocessable(format!("roles[{i}].role: {e}")))?;
            let scope = parse_scope(r.scope.trim(), people)
                .map_err(|e| ApiError::unprocessable(format!("roles[{i}].scope: {e}")))?;
            if let Scope::Area(code) = &scope
                && model.find_area(*code).is_none()
            {
                return Err(ApiError::unprocessable(format!(
                    "roles[{i}].scope: no area {code} in the data"
                )));
            }
            let grant = Grant::new(role, scope)
                .map_err(|e| ApiError::unprocessable(format!("roles[{i}].scope: {e}")))?;
            Ok((grant.role.as_str().to_owned(), grant.scope.label()))
        })
        .collect()
}

#[utoipa::path(
    get,
    path = "/api/admin/users",
    tag = "admin",
    operation_id = "listUsers",
    summary = "Every account.",
    description = "Admin. Audited.",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "Accounts by id.", content((Vec<crate::routes::auth::schemas::User> = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
    )
)]
async fn users(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    admin(&caller, DataClass::Accounts)?;
    let people = Arc::clone(&state.people);
    let list = blocking(move || Ok(people.store.users()?)).await?;
    // The list holds e-mail addresses: personal data, so the read is audited.
    caller
        .audit("read_accounts", "", &format!("{} accounts", list.len()))
        .await?;
    let body: Vec<Value> = list.iter().map(|u| user_json(u, &[])).collect();
    Ok(no_store(Json(body).into_response()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUser {
    email: String,
    #[serde(default)]
    display_name: String,
    role: String,
    #[serde(default = "all")]
    scope: String,
    #[serde(default)]
    organisation: String,
    password: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/admin/users",
    tag = "admin",
    operation_id = "createUser",
    summary = "Create an account with one role.",
    description = "Admin. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((schemas::NewUser = "application/json"))),
    responses(
        (status = 201, description = "The new account.", content((crate::routes::auth::schemas::User = "application/json"))),
        (status = 400, response = doc::responses::MalformedBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 409, description = "An account with this e-mail address exists: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields or wrong types, an invalid e-mail address, role or scope, or a short password: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewUser>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    admin(&caller, DataClass::Accounts)?;
    let email = body.email.trim().to_lowercase();
    if !crate::auth::mail::valid_address(&email) {
        return Err(ApiError::unprocessable("email: not a valid e-mail address"));
    }
    let roles = check_roles(
        &state,
        &state.people,
        &[RoleScope {
            role: body.role,
            scope: body.scope,
        }],
    )?;
    let staff = roles
        .iter()
        .any(|(r, _)| r.parse::<Role>().is_ok_and(Role::is_staff));
    if staff && body.password.is_none() {
        return Err(ApiError::unprocessable(
            "password: staff roles sign in with a password (and TOTP); give one",
        ));
    }
    let hash = match body.password.as_deref() {
        Some(p) => {
            password::check_new(p)
                .map_err(|m| ApiError::unprocessable(format!("password: {m}")))?;
            Some(password::hash(p))
        }
        None => None,
    };
    let organisation = body
        .organisation
        .trim()
        .chars()
        .take(120)
        .collect::<String>();
    let partner = roles.iter().any(|(r, _)| r == Role::Partner.as_str());
    if partner == organisation.is_empty() {
        return Err(ApiError::unprocessable(if partner {
            "organisation: a partner acts for an organisation; name it"
        } else {
            "organisation: only a partner acts for an organisation"
        }));
    }
    let people = Arc::clone(&state.people);
    let name = body
        .display_name
        .trim()
        .chars()
        .take(120)
        .collect::<String>();
    let r = roles.clone();
    let user = blocking(move || {
        let id = people
            .store
            .create_user(&email, &name, hash.as_deref(), &r, clock::now())?;
        if !organisation.is_empty() {
            people.store.set_organisation(id, &organisation)?;
        }
        people
            .store
            .user(id)?
            .ok_or_else(|| ApiError::Internal("new account vanished".into()))
    })
    .await?;
    caller
        .audit(
            "user_created",
            &format!("user:{}", user.id),
            &format!("{}@{}", roles[0].0, roles[0].1),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(user_json(&user, &[]))).into_response())
}

fn user_id(raw: &str) -> ApiResult<i64> {
    raw.parse()
        .map_err(|_| ApiError::param("id", "an account id is a number"))
}

#[utoipa::path(
    put,
    path = "/api/admin/users/{id}/roles",
    tag = "admin",
    operation_id = "setUserRoles",
    summary = "Replace the roles of an account.",
    description = "Admin. The account's sessions end (no old grant lingers). An account given a staff role signs in with a password only: without one (`has_password` false) it cannot sign in until its holder sets one through a password link (`sendPasswordLink`). Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::UserId, doc::params::CsrfToken),
    request_body(content((inline(schemas::SetUserRolesBody) = "application/json"))),
    responses(
        (status = 200, description = "The account with its new roles.", content((crate::routes::auth::schemas::User = "application/json"))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields or wrong types, no roles, an unknown role, or a scope that is not in the data: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn set_roles(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<Vec<RoleScope>>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    admin(&caller, DataClass::Accounts)?;
    let id = user_id(&raw)?;
    let roles = check_roles(&state, &state.people, &body)?;
    let people = Arc::clone(&state.people);
    let r = roles.clone();
    // A staff role on an account without a password is granted: such an account signs in with a
    // password only (never by e-mail code), so it cannot sign in until its holder sets one
    // through a password link (`send_password_link`).
    let user = blocking(move || {
        if !people.store.set_roles(id, &r)? {
            return Ok(None);
        }
        // Rights changed: end the account's sessions so no old grant lingers.
        people.store.delete_user_sessions(id)?;
        Ok(people.store.user(id)?)
    })
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no account {id}")))?;
    let detail = roles
        .iter()
        .map(|(r, s)| format!("{r}@{s}"))
        .collect::<Vec<_>>()
        .join(",");
    caller
        .audit("role_change", &format!("user:{id}"), &detail)
        .await?;
    Ok(Json(user_json(&user, &[])).into_response())
}

/// How long a password link works.
const PASSWORD_LINK_SECS: i64 = 48 * 3600;

#[utoipa::path(
    post,
    path = "/api/admin/users/{id}/password-link",
    tag = "admin",
    operation_id = "sendPasswordLink",
    summary = "Mail the account a one-time link to set (or reset) its password.",
    description = "Admin. The link goes to the account's own address only; the admin never sees it. It works once, for 48 hours, and a newer link voids it. Setting the password (`setPasswordWithLink`) ends the account's sessions; an enrolled authenticator stays. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::UserId, doc::params::CsrfToken),
    responses(
        (status = 202, description = "Mailed.", content((inline(schemas::PasswordLinkSent) = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, description = "The account id is not a number: `InvalidParameterValue`.", content((inline(doc::errors::InvalidParameterValue) = "application/json"))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 409, description = "The account is disabled or has no staff role (residents sign in by e-mail code), or the server has no public address (`public_url`) to make a link with: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
    )
)]
async fn send_password_link(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    admin(&caller, DataClass::Accounts)?;
    let id = user_id(&raw)?;
    let Some(base) = crate::links::link_base(&state) else {
        return Err(ApiError::status_code(
            StatusCode::CONFLICT,
            "Conflict",
            "this server has no public address (set public_url), so a link cannot be made",
        ));
    };
    let token = crate::auth::secret::token();
    let now = clock::now();
    let expires_at = now + PASSWORD_LINK_SECS;
    let people = Arc::clone(&state.people);
    let hash = crate::auth::secret::hash(&token);
    let user = blocking(move || {
        let Some(user) = people.store.user(id)? else {
            return Ok(None);
        };
        if user.disabled {
            return Err(ApiError::status_code(
                StatusCode::CONFLICT,
                "Conflict",
                "this account is disabled; enable it before sending a password link",
            ));
        }
        // Residents sign in with a code by e-mail; a password would take that away from them.
        if !user
            .roles
            .iter()
            .any(|(r, _)| r.parse::<Role>().is_ok_and(Role::is_staff))
        {
            return Err(ApiError::status_code(
                StatusCode::CONFLICT,
                "Conflict",
                "this account has no staff role; residents sign in with a code by e-mail, without a password",
            ));
        }
        people
            .store
            .add_password_link(&user.email, &hash, now, expires_at)?;
        Ok(Some(user))
    })
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no account {id}")))?;
    // The token travels in the fragment: it never reaches server logs or a Referer header.
    let link = format!("{base}/aanmelden.html#wachtwoord={token}");
    let body = format!(
        "Hallo,\n\nJe kunt een wachtwoord kiezen voor je account bij wijkwerk met deze link:\n\n\
         {link}\n\nDe link is 48 uur geldig en werkt één keer. Heb je dit niet verwacht? Dan kun je \
         deze e-mail negeren; je account blijft zoals het was.\n\n---\n\nYou can choose a \
         password for your wijkwerk account with the link above. It is valid for 48 hours and \
         works once. If you did not expect this, ignore this e-mail; your account stays as it \
         was.\n"
    );
    let mail = crate::auth::mail::Mail {
        to: user.email.clone(),
        subject: "Kies je wachtwoord voor wijkwerk / Choose your wijkwerk password".into(),
        body,
        code: None,
        link: Some(link),
    };
    if let Err(e) = state.people.mailer.send(mail, clock::now_rfc3339()).await {
        return Err(ApiError::Internal(format!("sending password link: {e}")));
    }
    caller
        .audit("password_link", &format!("user:{id}"), "")
        .await?;
    Ok(no_store(
        (
            StatusCode::ACCEPTED,
            Json(json!({ "sent_to": user.email, "expires_at": clock::rfc3339(expires_at) })),
        )
            .into_response(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserPatch {
    disabled: bool,
}

#[utoipa::path(
    patch,
    path = "/api/admin/users/{id}",
    tag = "admin",
    operation_id = "updateUser",
    summary = "Disable or enable an account.",
    description = "Admin. Disabling ends the account's sessions. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::UserId, doc::params::CsrfToken),
    request_body(content((schemas::UserPatch = "application/json"))),
    responses(
        (status = 200, description = "The account.", content((crate::routes::auth::schemas::User = "application/json"))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 404, response = doc::responses::NotFound),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields or wrong types, or disabling your own account: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<UserPatch>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    admin(&caller, DataClass::Accounts)?;
    let id = user_id(&raw)?;
    if caller.principal.user_id() == Some(id) && body.disabled {
        return Err(ApiError::unprocessable(
            "disabled: you cannot disable your own account",
        ));
    }
    let people = Arc::clone(&state.people);
    let disabled = body.disabled;
    let user = blocking(move || {
        if !people.store.set_disabled(id, disabled)? {
            return Ok(None);
        }
        Ok(people.store.user(id)?)
    })
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no account {id}")))?;
    caller
        .audit(
            if disabled {
                "user_disabled"
            } else {
                "user_enabled"
            },
            &format!("user:{id}"),
            "",
        )
        .await?;
    Ok(Json(user_json(&user, &[])).into_response())
}

#[utoipa::path(
    get,
    path = "/api/admin/custom-areas",
    tag = "admin",
    operation_id = "listCustomAreas",
    summary = "The areas drawn by admins, usable as scopes `polygon:{id}`.",
    description = "Admin.",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "Custom areas.", content((Vec<schemas::CustomArea> = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
    )
)]
async fn custom_areas(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    admin(&caller, DataClass::Accounts)?;
    let people = Arc::clone(&state.people);
    let list = blocking(move || Ok(people.store.custom_areas()?)).await?;
    let body: Vec<Value> = list
        .iter()
        .map(|a| {
            let geometry = domain::wkb::read_multi_polygon(&a.wkb)
                .ok()
                .map(|mp| geojson::Geometry::new(geojson::GeometryValue::from(&mp)));
            json!({ "id": a.id, "name": a.name, "scope": format!("polygon:{}", a.id), "geometry": geometry })
        })
        .collect();
    Ok(no_store(Json(body).into_response()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewArea {
    name: String,
    geometry: Value,
}

#[utoipa::path(
    post,
    path = "/api/admin/custom-areas",
    tag = "admin",
    operation_id = "createCustomArea",
    summary = "Draw a custom area.",
    description = "Admin. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((schemas::NewCustomArea = "application/json"))),
    responses(
        (status = 201, description = "The new area.", content((schemas::CustomAreaCreated = "application/json"))),
        (status = 400, description = "The body is not well-formed JSON, or `geometry` is not GeoJSON: `BadRequest`.", content((inline(doc::errors::BadRequest) = "application/json"))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields or wrong types, a bad name, or a geometry that is not a valid Polygon or MultiPolygon: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn add_custom_area(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewArea>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    admin(&caller, DataClass::Accounts)?;
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(ApiError::unprocessable("name: give 1 to 120 characters"));
    }
    let geom: geojson::Geometry = serde_json::from_value(body.geometry)
        .map_err(|e| ApiError::BadRequest(format!("geometry: not GeoJSON: {e}")))?;
    let mp: geo::MultiPolygon<f64> = match geo::Geometry::<f64>::try_from(geom) {
        Ok(geo::Geometry::Polygon(p)) => geo::MultiPolygon(vec![p]),
        Ok(geo::Geometry::MultiPolygon(mp)) => mp,
        Ok(_) => {
            return Err(ApiError::unprocessable(
                "geometry: must be a Polygon or MultiPolygon",
            ));
        }
        Err(e) => return Err(ApiError::BadRequest(format!("geometry: {e}"))),
    };
    let valid = mp.0.iter().all(|p| {
        p.exterior().0.len() >= 4
            && p.exterior()
                .0
                .iter()
                .all(|c| (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y))
    }) && !mp.0.is_empty();
    if !valid {
        return Err(ApiError::unprocessable(
            "geometry: rings need at least 4 positions in WGS84 lon/lat",
        ));
    }
    let wkb = domain::wkb::write_multi_polygon(&mp);
    let people = Arc::clone(&state.people);
    let n = name.clone();
    let id = blocking(move || {
        let id = people.store.add_custom_area(&n, &wkb, clock::now())?;
        people.reload_custom_areas()?;
        Ok(id)
    })
    .await?;
    caller
        .audit("custom_area_created", &format!("polygon:{id}"), &name)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "name": name, "scope": format!("polygon:{id}") })),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    limit: Option<String>,
    before: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/admin/audit",
    tag = "admin",
    operation_id = "auditLog",
    summary = "The audit log, newest first.",
    description = "Admin. Reading the log is itself audited.",
    security(("cookieAuth" = [])),
    params(schemas::AuditLogLimitParam, schemas::AuditLogBeforeParam),
    responses(
        (status = 200, description = "Audit events.", content((Vec<schemas::AuditEvent> = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
    )
)]
async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    admin(&caller, DataClass::AuditLog)?;
    let limit: u32 = match q.limit.as_deref() {
        None => 100,
        Some(s) => s
            .parse()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| ApiError::param("limit", "a number from 1 to 1000"))?,
    };
    let before: Option<i64> = q
        .before
        .as_deref()
        .map(|s| {
            s.parse()
                .map_err(|_| ApiError::param("before", "an event id"))
        })
        .transpose()?;
    let people = Arc::clone(&state.people);
    let (events, emails) = blocking(move || {
        let events = people.store.audit_events(limit, before)?;
        // Who by e-mail: the accounts the page names (actors and targets `user:{id}`).
        let mut emails = std::collections::HashMap::new();
        for e in &events {
            for id in [&e.actor, &e.target]
                .into_iter()
                .filter_map(|r| audit_user_id(r))
            {
                if let std::collections::hash_map::Entry::Vacant(slot) = emails.entry(id) {
                    slot.insert(people.store.user(id)?.map(|u| u.email));
                }
            }
        }
        Ok((events, emails))
    })
    .await?;
    let email_of = |r: &str| audit_user_id(r).and_then(|id| emails.get(&id).cloned().flatten());
    // Reading the audit log is itself audited.
    caller
        .audit("read_audit_log", "", &format!("{} events", events.len()))
        .await?;
    let body: Vec<Value> = events
        .iter()
        .map(|e| {
            json!({ "id": e.id, "at": clock::rfc3339(e.at), "actor": e.actor, "action": e.action,
                    "target": e.target, "detail": e.detail,
                    "actor_email": email_of(&e.actor), "target_email": email_of(&e.target) })
        })
        .collect();
    Ok(no_store(Json(body).into_response()))
}

/// The account id of an audit reference `user:{id}`.
fn audit_user_id(reference: &str) -> Option<i64> {
    reference.strip_prefix("user:")?.parse().ok()
}

fn rules_json(state: &AppState) -> Vec<Value> {
    state
        .people
        .settings
        .retention
        .entries()
        .iter()
        .map(|(kind, secs)| json!({ "kind": kind, "keep_days": secs.map(|s| s / 86_400) }))
        .collect()
}

#[utoipa::path(
    get,
    path = "/api/admin/retention",
    tag = "admin",
    operation_id = "retentionStatus",
    summary = "Retention rules and the last run of each.",
    description = "Admin.",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "Rules and runs.", content((schemas::RetentionStatus = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::Forbidden),
    )
)]
async fn retention(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    admin(&caller, DataClass::Retention)?;
    let people = Arc::clone(&state.people);
    let runs = blocking(move || Ok(people.store.last_retention_runs()?)).await?;
    Ok(no_store(
        Json(json!({
            "rules": rules_json(&state),
            "every_seconds": state.people.settings.retention_every.as_secs(),
            "last_runs": runs.iter().map(|r| json!({
                "kind": r.kind, "at": clock::rfc3339(r.at), "cutoff": clock::rfc3339(r.cutoff), "removed": r.removed,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
    ))
}

#[utoipa::path(
    post,
    path = "/api/admin/retention/run",
    tag = "admin",
    operation_id = "runRetention",
    summary = "Run every retention rule now.",
    description = "Admin. No body. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    responses(
        (status = 200, description = "What was removed (counts only).", content((schemas::RetentionRun = "application/json"))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::ForbiddenOrCsrfRejected),
    )
)]
async fn run_retention(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    admin(&caller, DataClass::Retention)?;
    let outcomes = crate::retention::run_once(&state.people, clock::now()).await?;
    caller.audit("retention_run", "", "manual").await?;
    Ok(Json(json!({
        "removed": outcomes.iter().map(|r| json!({ "kind": r.kind, "removed": r.removed, "cutoff": clock::rfc3339(r.cutoff) })).collect::<Vec<_>>(),
    }))
    .into_response())
}
