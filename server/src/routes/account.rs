//! The signed-in account: `/api/account/*` (sessions, consents, TOTP, password) and the resident's
//! own addresses, `/api/my/addresses/*` ("what is known about my address").

mod addresses;
pub(crate) mod schemas;

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::Purpose;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ratelimit::{Kind, failure_key};
use crate::auth::{Caller, password, totp};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::openapi as doc;
use crate::routes::auth::{no_store, user_json};
use crate::routes::blocking;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(account))
        .routes(routes!(consent))
        .routes(routes!(consent_history))
        .routes(routes!(totp_start))
        .routes(routes!(totp_confirm))
        .routes(routes!(change_password))
        .merge(addresses::router())
}

#[utoipa::path(
    get,
    path = "/api/account",
    tag = "account",
    operation_id = "getAccount",
    summary = "The account, its live sessions and its consents.",
    description = "Any signed-in account.",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "The account.", content((schemas::Account = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
    )
)]
async fn account(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let user = caller.user()?.clone();
    let current = caller.session.as_ref().map(|s| s.token_hash.clone());
    let people = Arc::clone(&state.people);
    let body = blocking(move || {
        let now = clock::now();
        let sessions = people.store.user_sessions(user.id, now)?;
        let history = people.store.consent_history(user.id)?;
        let verified = people.store.verified_addresses(user.id)?;
        Ok(json!({
            "user": user_json(&user, &verified),
            "sessions": sessions.iter().map(|s| json!({
                // A short, non-secret handle: the first 8 hex digits of the token's hash.
                "id": s.token_hash.iter().take(4).fold(String::new(), |mut h, b| {
                    let _ = write!(h, "{b:02x}");
                    h
                }),
                "created_at": clock::rfc3339(s.created_at),
                "last_seen_at": clock::rfc3339(s.last_seen_at),
                "current": current.as_deref() == Some(s.token_hash.as_slice()),
            })).collect::<Vec<_>>(),
            "consents": current_consents(&history),
        }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

fn current_consents(history: &[store::people::ConsentRecord]) -> Vec<Value> {
    Purpose::CONSENTABLE
        .iter()
        .map(|p| {
            let last = history.iter().rev().find(|c| c.purpose == p.as_str());
            json!({
                "purpose": p.as_str(),
                "given": last.is_some_and(|c| c.given),
                "at": last.map(|c| clock::rfc3339(c.at)),
            })
        })
        .collect()
}

fn parse_opt_purpose(s: &str) -> ApiResult<Purpose> {
    let p: Purpose = s
        .parse()
        .map_err(|e: String| ApiError::param("purpose", e))?;
    if !Purpose::CONSENTABLE.contains(&p) {
        return Err(ApiError::param(
            "purpose",
            "one of canvassing, contact, research, talent",
        ));
    }
    Ok(p)
}

/// Another purpose is 400.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ConsentRequest)]
struct ConsentBody {
    #[schema(value_type = doc::shared::ConsentPurpose)]
    purpose: String,
    given: bool,
}

#[utoipa::path(
    post,
    path = "/api/account/consents",
    tag = "account",
    operation_id = "setConsent",
    summary = "Give or withdraw a consent.",
    description = "Any signed-in account. Appends to the consent ledger; audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((ConsentBody = "application/json"))),
    responses(
        (status = 201, description = "The new ledger entry.", content((schemas::ConsentEntry = "application/json"))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn consent(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<ConsentBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let id = caller.user()?.id;
    let p = parse_opt_purpose(&body.purpose).map_err(|_| {
        ApiError::unprocessable("purpose: one of canvassing, contact, research, talent")
    })?;
    let people = Arc::clone(&state.people);
    let given = body.given;
    let now = clock::now();
    if p == Purpose::Talent && !given {
        // The offer of time and talent stands on this consent: it goes with it.
        crate::routes::talent::withdraw_talent(&state, &caller, id).await?;
        return Ok((
            StatusCode::CREATED,
            Json(json!({ "purpose": p.as_str(), "given": false, "at": clock::rfc3339(now) })),
        )
            .into_response());
    }
    blocking(move || Ok(people.store.add_consent(id, p.as_str(), given, now)?)).await?;
    caller
        .audit(
            if given {
                "consent_given"
            } else {
                "consent_withdrawn"
            },
            &format!("user:{id}"),
            p.as_str(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "purpose": p.as_str(), "given": given, "at": clock::rfc3339(now) })),
    )
        .into_response())
}

#[utoipa::path(
    get,
    path = "/api/account/consents/history",
    tag = "account",
    operation_id = "consentHistory",
    summary = "Every entry of the account's consent ledger, oldest first.",
    description = "Any signed-in account.",
    security(("cookieAuth" = [])),
    responses(
        (status = 200, description = "The ledger.", content((Vec<schemas::ConsentEntry> = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 401, response = doc::responses::SignInRequired),
    )
)]
async fn consent_history(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let id = caller.user()?.id;
    let people = Arc::clone(&state.people);
    let history = blocking(move || Ok(people.store.consent_history(id)?)).await?;
    let body: Vec<Value> = history
        .iter()
        .map(|c| json!({ "purpose": c.purpose, "given": c.given, "at": clock::rfc3339(c.at) }))
        .collect();
    Ok(no_store(Json(body).into_response()))
}

/// What proves, besides the session, that the account's owner asks. Both optional; which one is
/// needed depends on the account (see the operation).
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TotpStartRequest)]
struct Reauthentication {
    /// The account's password (staff accounts).
    password: Option<String>,
    /// The current six-digit code of the enabled authenticator.
    code: Option<String>,
}

/// A session alone may not set up or replace the second factor (a stolen session would make the
/// thief's authenticator the account's). With an authenticator enabled, the password (staff) or
/// its current code is needed; a staff account's first enrolment needs the password; a resident's
/// first enrolment (residents have no password) needs nothing more.
///
/// Every proof given must be right. Wrong ones count as sign-in failures of this account from this
/// client, wrong codes also per account (as at sign-in); a right code is used up.
async fn reauthenticate(
    state: &AppState,
    caller: &Caller,
    user: &store::people::UserRecord,
    proof: Reauthentication,
) -> ApiResult<()> {
    let has_password = user.password_hash.is_some();
    let enabled = user.totp_secret.is_some();
    let password = proof.password.filter(|p| !p.is_empty());
    let code = proof
        .code
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty() && enabled);
    if password.is_none() && code.is_none() {
        return match (enabled, has_password) {
            (true, true) => Err(ApiError::unprocessable(
                "give your password (password) or the current code of your authenticator app \
                 (code) to replace it",
            )),
            (true, false) => Err(ApiError::unprocessable(
                "give the current code of your authenticator app (code) to replace it",
            )),
            (false, true) => Err(ApiError::unprocessable(
                "password: give your password to set up an authenticator app",
            )),
            (false, false) => Ok(()),
        };
    }
    let limiter = &state.people.limiter;
    let too_many = |retry_after| ApiError::TooManyRequests { retry_after };
    let failures = failure_key(&user.email, caller.ip);
    limiter
        .check(Kind::SignInFailure, &failures)
        .map_err(too_many)?;
    let account = user.id.to_string();
    if code.is_some()
        && let Err(retry_after) = limiter.check(Kind::TotpFailure, &account)
    {
        // Nothing was tried: not a failure of this client.
        limiter.refund(Kind::SignInFailure, &failures);
        return Err(too_many(retry_after));
    }
    let people = Arc::clone(&state.people);
    let (id, hash, secret) = (
        user.id,
        user.password_hash.clone(),
        user.totp_secret.clone(),
    );
    let given_code = code.is_some();
    let right = blocking(move || {
        if let Some(p) = password
            && !password::verify(&p, hash.as_deref())
        {
            return Ok(false);
        }
        if let (Some(c), Some(secret)) = (code, secret) {
            let Some(step) = totp::check(&secret, &c, clock::now()) else {
                return Ok(false);
            };
            // Used up, as at sign-in: a code seen once (or replayed) proves nothing more.
            return Ok(people.store.use_totp_step(id, step)?);
        }
        Ok(true)
    })
    .await?;
    if !right {
        caller
            .audit("reauthentication_failed", &format!("user:{id}"), "totp")
            .await?;
        return Err(ApiError::unauthorized(
            "InvalidCredentials",
            "the password or the authenticator code is wrong",
        ));
    }
    limiter.refund(Kind::SignInFailure, &failures);
    if given_code {
        limiter.refund(Kind::TotpFailure, &account);
    }
    Ok(())
}

#[utoipa::path(
    post,
    path = "/api/account/totp",
    tag = "account",
    operation_id = "startTotp",
    summary = "Start TOTP enrolment (or replace the authenticator): a new secret, pending until confirmed.",
    description = "Any signed-in account, and more than the session: with an authenticator enabled, the password (staff) or its current code (`code`, used up by this); a staff account's first enrolment needs the password; a resident's first enrolment (residents have no password) needs nothing else, and no body. Wrong passwords and codes count as sign-in failures of the account from this client address (and wrong codes per account), as at sign-in: 429 beyond them. Every proof given must be right.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((Option<Reauthentication> = "application/json"))),
    responses(
        (status = 200, description = "The pending secret.", content((schemas::TotpEnrolment = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, description = "`SignInRequired`: not signed in; `InvalidCredentials`: the password or the authenticator code is wrong (or was used already).", content((inline(doc::errors::SignInRequiredOrInvalidCredentials) = "application/json"))),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "No password or code where one is needed (`description` says which), or unknown fields: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn totp_start(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Option<Json<Reauthentication>>, JsonRejection>,
) -> ApiResult<Response> {
    let proof = body?.map(|Json(b)| b).unwrap_or_default();
    let user = caller.user()?.clone();
    reauthenticate(&state, &caller, &user, proof).await?;
    let secret = totp::new_secret();
    let people = Arc::clone(&state.people);
    let s = secret.clone();
    blocking(move || Ok(people.store.set_totp_pending(user.id, Some(&s))?)).await?;
    Ok(no_store(
        Json(json!({ "secret": secret, "otpauth_uri": totp::uri(&secret, &user.email) }))
            .into_response(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeBody {
    code: String,
}

#[utoipa::path(
    post,
    path = "/api/account/totp/confirm",
    tag = "account",
    operation_id = "confirmTotp",
    summary = "Confirm TOTP enrolment with a code of the new secret.",
    description = "Any signed-in account with a pending enrolment (which `POST /api/account/totp` starts only with the password or the current code, where needed). Replaces an enabled authenticator. Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((schemas::TotpConfirmRequest = "application/json"))),
    responses(
        (status = 204, description = "TOTP is on: password sign-in now needs a code."),
        (status = 400, response = doc::responses::MalformedBody),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields or wrong types, no enrolment pending, or not the current code: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
    )
)]
async fn totp_confirm(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<CodeBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let user = caller.user()?.clone();
    let Some(pending) = user.totp_pending.as_deref() else {
        return Err(ApiError::unprocessable(
            "no TOTP enrolment is pending; start with POST /api/account/totp",
        ));
    };
    let Some(step) = totp::check(pending, &body.code, clock::now()) else {
        return Err(ApiError::unprocessable(
            "code: not the current code of the new secret",
        ));
    };
    let people = Arc::clone(&state.people);
    let id = user.id;
    blocking(move || Ok(people.store.confirm_totp(id, step)?)).await?;
    let replaced = if user.totp_secret.is_some() {
        "replaces the previous authenticator"
    } else {
        ""
    };
    caller
        .audit("totp_enabled", &format!("user:{id}"), replaced)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PasswordChangeRequest)]
struct PasswordChange {
    current: String,
    /// At least 12 characters, at most 1024 bytes (else 400).
    #[schema(min_length = 12, max_length = 1024)]
    new: String,
}

#[utoipa::path(
    post,
    path = "/api/account/password",
    tag = "account",
    operation_id = "changePassword",
    summary = "Change the account's password.",
    description = "Signed-in accounts with a password (staff). A wrong current password counts as a sign-in failure of the account from this client address: 429 beyond five (then one a minute). Audited.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((PasswordChange = "application/json"))),
    responses(
        (status = 204, description = "Changed."),
        (status = 400, response = doc::responses::BadBody),
        (status = 401, description = "`SignInRequired`: not signed in; `InvalidCredentials`: the current password is wrong (accounts without a password always get this).", content((inline(doc::errors::SignInRequiredOrInvalidCredentials) = "application/json"))),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<PasswordChange>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let user = caller.user()?.clone();
    let current = caller.session.as_ref().map(|s| s.token_hash.clone());
    password::check_new(&body.new).map_err(|m| ApiError::unprocessable(format!("new: {m}")))?;
    // A wrong current password is a sign-in failure of this account from this client: a session
    // alone does not allow guessing the password.
    let failures = failure_key(&user.email, caller.ip);
    let limiter = &state.people.limiter;
    limiter
        .check(Kind::SignInFailure, &failures)
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let people = Arc::clone(&state.people);
    let ok = blocking(move || {
        if !password::verify(&body.current, user.password_hash.as_deref()) {
            return Ok(false);
        }
        people
            .store
            .set_password(user.id, &password::hash(&body.new))?;
        // A new password ends every other session of the account.
        people
            .store
            .delete_user_sessions_except(user.id, current.as_deref().unwrap_or_default())?;
        Ok(true)
    })
    .await?;
    if !ok {
        return Err(ApiError::unauthorized(
            "InvalidCredentials",
            "the current password is wrong",
        ));
    }
    limiter.refund(Kind::SignInFailure, &failures);
    caller
        .audit("password_changed", &caller.actor(), "")
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
