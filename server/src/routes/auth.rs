//! Sign-in and sign-out: `/api/session`, `/api/auth/*`.
//!
//! Residents sign in without a password (a one-time code and link by e-mail); staff with a password
//! and, when enrolled, a TOTP code; anyone may report from a pseudonymous device session. Every
//! sign-in starts a new session token (no fixation) and is audited. Failures never tell whether an
//! account exists.

pub(crate) mod schemas;

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::access::Role;
use serde::Deserialize;
use serde_json::{Value, json};
use store::people::{Redeemed, UserRecord};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::mail::{Mail, valid_address};
use crate::auth::ratelimit::{Kind, failure_key};
use crate::auth::{self, Caller, password, secret, totp};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::openapi as doc;
use crate::routes::link_base;
use crate::state::AppState;

/// Lifetime of a sign-in code and link.
const LOGIN_TOKEN_SECS: i64 = 15 * 60;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session))
        .routes(routes!(email))
        .routes(routes!(email_verify))
        .routes(routes!(password_sign_in))
        .routes(routes!(password_link))
        .routes(routes!(device))
        .routes(routes!(logout))
        .routes(routes!(logout_all))
}

/// The JSON shape of an account (no secrets).
pub fn user_json(u: &UserRecord, verified: &[u64]) -> Value {
    json!({
        "id": u.id,
        "email": u.email,
        "display_name": u.display_name,
        "organisation": u.organisation,
        "roles": u.roles.iter().map(|(r, s)| json!({"role": r, "scope": s})).collect::<Vec<_>>(),
        "totp_enabled": u.totp_secret.is_some(),
        "has_password": u.password_hash.is_some(),
        "disabled": u.disabled,
        "created_at": clock::rfc3339(u.created_at),
        "verified_addresses": verified.iter().map(|a| format!("{a:016}")).collect::<Vec<_>>(),
    })
}

#[utoipa::path(
    get,
    path = "/api/session",
    tag = "auth",
    operation_id = "getSession",
    summary = "The caller's session and CSRF token.",
    description = "Anyone. Use `csrf` as `X-CSRF-Token` on state-changing requests.",
    security((), ("cookieAuth" = [])),
    responses(
        (status = 200, description = "The session; all fields false or null without one.", content((schemas::Session = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
    )
)]
async fn session(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let verified = match &caller.principal {
        domain::access::Principal::User {
            verified_addresses, ..
        } => verified_addresses.iter().map(|a| a.get()).collect(),
        _ => Vec::new(),
    };
    let body = match &caller.session {
        Some(s) => json!({
            "signed_in": s.user.is_some(),
            "device": s.user.is_none(),
            "csrf": s.csrf,
            "user": s.user.as_ref().map(|u| user_json(u, &verified)),
        }),
        None => json!({ "signed_in": false, "device": false, "csrf": null, "user": null }),
    };
    let _ = state;
    Ok(no_store(Json(body).into_response()))
}

/// Marks a response as not to be cached anywhere (it carries session data).
pub fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn limit(state: &AppState, kind: Kind, key: &str) -> ApiResult<()> {
    state
        .people
        .limiter
        .check(kind, key)
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmailBody {
    email: String,
}

#[utoipa::path(
    post,
    path = "/api/auth/email",
    tag = "auth",
    operation_id = "requestEmailSignIn",
    summary = "Mail a sign-in code and link.",
    description = "Anyone (residents sign in this way). Mails a six-digit code and a link `/aanmelden.html#token=…`, valid for 15 minutes and once.",
    security((), ("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((schemas::EmailSignInRequest = "application/json"))),
    responses(
        (status = 202, description = "Always the same answer, whether or not an account exists.", content((inline(schemas::RequestEmailSignIn202) = "application/json")), headers(("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::MalformedBody),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn email(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<EmailBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    limit(&state, Kind::SignInIp, &caller.ip.to_string())?;
    let email = body.email.trim().to_lowercase();
    if !valid_address(&email) {
        return Err(ApiError::unprocessable("email: not a valid e-mail address"));
    }
    // Mails per address (no mail bombs). A code already mailed stays valid: the owner signs in
    // with it whoever asked for the mails.
    limit(&state, Kind::SignInMail, &email)?;
    // Staff accounts (with a password) sign in with password and TOTP only: they get a mail that
    // says so, and no code. The answer is the same either way (no enumeration).
    let people = Arc::clone(&state.people);
    let e = email.clone();
    let staff = tokio::task::spawn_blocking(move || -> store::Result<bool> {
        Ok(people
            .store
            .user_by_email(&e)?
            .is_some_and(|u| is_staff_account(&u)))
    })
    .await??;
    if staff {
        let mail = Mail {
            to: email.clone(),
            subject: "Aanmelden bij wijkwerk / Signing in to wijkwerk".into(),
            body: "Hallo,\n\nEr is een aanmeldcode gevraagd voor dit adres. Je account meldt aan met \
                   wachtwoord (en authenticator-code); codes per e-mail werken hiervoor niet. Heb je \
                   dit niet zelf gevraagd? Dan kun je deze e-mail negeren.\n\n---\n\nSomeone asked \
                   for a sign-in code for this address. Your account signs in with its password (and \
                   authenticator code); e-mail codes do not work for it. If this was not you, ignore \
                   this e-mail.\n"
                .into(),
            code: None,
            link: None,
        };
        if let Err(e) = state.people.mailer.send(mail, clock::now_rfc3339()).await {
            return Err(ApiError::Internal(format!("sending sign-in mail: {e}")));
        }
        return Ok(no_store(
            (StatusCode::ACCEPTED, Json(json!({ "sent": true }))).into_response(),
        ));
    }
    let link_token = secret::token();
    let code = secret::digits6();
    let now = clock::now();
    {
        let people = Arc::clone(&state.people);
        let (e, l, c) = (
            email.clone(),
            secret::hash(&link_token),
            secret::hash(&code),
        );
        tokio::task::spawn_blocking(move || {
            people
                .store
                .add_login_token(&e, &l, &c, now, now + LOGIN_TOKEN_SECS)
        })
        .await??;
    }
    // The link's base comes from configuration only (never from the request's Host header, which
    // whoever asks for the mail controls); without one, the mail carries the code alone.
    // The token travels in the fragment: it never reaches server logs or a Referer header.
    let link = link_base(&state).map(|base| format!("{base}/aanmelden.html#token={link_token}"));
    let (link_nl, link_en) = match &link {
        Some(l) => (
            format!("Of open deze link: {l}\n\n"),
            "; or open the link above",
        ),
        None => (String::new(), ""),
    };
    let body = format!(
        "Hallo,\n\nJe code om aan te melden bij wijkwerk is: {code}\n\n{link_nl}\
         De code is 15 minuten geldig en werkt één keer. Heb je dit niet zelf gevraagd? \
         Dan kun je deze e-mail negeren.\n\n---\n\nYour wijkwerk sign-in code is {code}{link_en}. \
         It is valid for 15 minutes and works once. If you did not ask for this, ignore this \
         e-mail.\n"
    );
    let mail = Mail {
        to: email.clone(),
        subject: "Je aanmeldcode voor wijkwerk / Your wijkwerk sign-in code".into(),
        body,
        code: Some(code),
        link,
    };
    if let Err(e) = state.people.mailer.send(mail, clock::now_rfc3339()).await {
        return Err(ApiError::Internal(format!("sending sign-in mail: {e}")));
    }
    // The same answer whether or not an account exists.
    Ok(no_store(
        (StatusCode::ACCEPTED, Json(json!({ "sent": true }))).into_response(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyBody {
    token: Option<String>,
    email: Option<String>,
    code: Option<String>,
}

fn invalid_token() -> ApiError {
    ApiError::status_code(
        StatusCode::BAD_REQUEST,
        "InvalidToken",
        "this sign-in link or code is wrong, has expired or was already used; ask for a new one",
    )
}

#[utoipa::path(
    post,
    path = "/api/auth/email/verify",
    tag = "auth",
    operation_id = "verifyEmailSignIn",
    summary = "Sign in with the mailed token, or the address and code.",
    description = "Anyone. Any earlier session of the caller ends.",
    security((), ("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((schemas::EmailVerifyRequest = "application/json"))),
    responses(
        (status = 200, description = "Signed in: a new session (an account with role `resident` is created at the first sign-in).", content((schemas::Session = "application/json")), headers(("Set-Cookie" = inline(doc::headers::SetSessionCookie)), ("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, description = "The body is not well-formed JSON (`BadRequest`), or the token or code is wrong, expired or used, or the account is disabled (`InvalidToken`).", content((inline(doc::errors::BadRequestOrInvalidToken) = "application/json"))),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn email_verify(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<VerifyBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let people = Arc::clone(&state.people);
    let now = clock::now();
    // No limiter before the check: a code that was mailed is never refused (each code dies after
    // five wrong tries in the store, which bounds guessing). A wrong one counts against the
    // client's IP.
    let redeemed = match (body.token, body.email, body.code) {
        (Some(token), None, None) => {
            let h = secret::hash(token.trim());
            tokio::task::spawn_blocking(move || people.store.redeem_login_link(&h, now)).await??
        }
        (None, Some(email), Some(code)) => {
            let email = email.trim().to_lowercase();
            let h = secret::hash(code.trim());
            tokio::task::spawn_blocking(move || people.store.redeem_login_code(&email, &h, now))
                .await??
        }
        _ => {
            return Err(ApiError::unprocessable(
                "give either token, or email and code",
            ));
        }
    };
    let Redeemed::Email(email) = redeemed else {
        caller.audit("sign_in_failed", "", "email code").await?;
        limit(&state, Kind::SignInIp, &caller.ip.to_string())?;
        return Err(invalid_token());
    };
    // First sign-in creates the resident account.
    let people = Arc::clone(&state.people);
    let user = tokio::task::spawn_blocking(move || -> ApiResult<UserRecord> {
        if let Some(u) = people.store.user_by_email(&email)? {
            return Ok(u);
        }
        let roles = [(Role::Resident.as_str().to_owned(), "all".to_owned())];
        match people.store.create_user(&email, "", None, &roles, now) {
            Ok(_) | Err(store::Error::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        people
            .store
            .user_by_email(&email)?
            .ok_or_else(|| ApiError::Internal("account vanished".into()))
    })
    .await??;
    // Staff never sign in by e-mail code (their mails carry none; this guards old codes too).
    if user.disabled || is_staff_account(&user) {
        caller
            .audit(
                "sign_in_failed",
                &format!("user:{}", user.id),
                "email code for a staff account",
            )
            .await?;
        return Err(invalid_token());
    }
    signed_in(&state, &caller, &user, "email").await
}

/// Ends the caller's old session (if any), starts a new one, audits, answers with the session.
async fn signed_in(
    state: &AppState,
    caller: &Caller,
    user: &UserRecord,
    how: &str,
) -> ApiResult<Response> {
    if let Some(old) = &caller.session {
        let people = Arc::clone(&state.people);
        let h = old.token_hash.clone();
        tokio::task::spawn_blocking(move || people.store.delete_session(&h)).await??;
    }
    let (token, csrf, life) = auth::start_session(&state.people, Some(user), None).await?;
    let people = Arc::clone(&state.people);
    let (id, actor, how) = (user.id, format!("user:{}", user.id), how.to_owned());
    let verified = tokio::task::spawn_blocking(move || -> store::Result<Vec<u64>> {
        people
            .store
            .audit(clock::now(), &actor, "sign_in", &actor, &how)?;
        people.store.verified_addresses(id)
    })
    .await??;
    let body = json!({
        "signed_in": true, "device": false, "csrf": csrf, "user": user_json(user, &verified),
    });
    let mut r = no_store(Json(body).into_response());
    set_cookie(&mut r, &auth::session_cookie(state, &token, life));
    Ok(r)
}

/// Accounts that sign in with a password: any with a password or a staff role.
fn is_staff_account(u: &UserRecord) -> bool {
    u.password_hash.is_some()
        || u.roles
            .iter()
            .any(|(r, _)| r.parse::<Role>().is_ok_and(Role::is_staff))
}

fn set_cookie(r: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordBody {
    email: String,
    password: String,
    totp: Option<String>,
}

fn invalid_credentials() -> ApiError {
    ApiError::unauthorized("InvalidCredentials", "wrong e-mail address or password")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordLinkBody {
    token: String,
    password: String,
}

#[utoipa::path(
    post,
    path = "/api/auth/password-link",
    tag = "auth",
    operation_id = "setPasswordWithLink",
    summary = "Set the account's password with a mailed password link.",
    description = "Anyone holding a link an admin had mailed (`sendPasswordLink`). The link works once; every session of the account ends; an enrolled authenticator stays. Does not sign in: the holder signs in with the new password next. Every try counts against the client's address as a password sign-in does. Audited.",
    security((), ("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((schemas::PasswordLinkRequest = "application/json"))),
    responses(
        (status = 204, description = "The password is set."),
        (status = 400, description = "The body is not well-formed JSON (`BadRequest`), or the link is wrong, expired or used, or the account is disabled (`InvalidToken`).", content((inline(doc::errors::BadRequestOrInvalidToken) = "application/json"))),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, description = "Unknown fields, or a password that is too short or too long (the link stays valid): `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn password_link(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<PasswordLinkBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    // Checked before the link is spent, so a too-short password does not cost the link.
    password::check_new(&body.password)
        .map_err(|m| ApiError::unprocessable(format!("password: {m}")))?;
    // Every try counts against the client, as a password sign-in does: a try costs a hash.
    limit(&state, Kind::SignInIp, &caller.ip.to_string())?;
    let people = Arc::clone(&state.people);
    let now = clock::now();
    let h = secret::hash(body.token.trim());
    let new_password = body.password;
    let user = tokio::task::spawn_blocking(move || -> ApiResult<Option<UserRecord>> {
        let Redeemed::Email(email) = people.store.redeem_password_link(&h, now)? else {
            return Ok(None);
        };
        let Some(user) = people.store.user_by_email(&email)?.filter(|u| !u.disabled) else {
            return Ok(None);
        };
        people
            .store
            .set_password(user.id, &password::hash(&new_password))?;
        // A new password ends every session of the account.
        people.store.delete_user_sessions(user.id)?;
        Ok(Some(user))
    })
    .await??;
    let Some(user) = user else {
        caller.audit("sign_in_failed", "", "password link").await?;
        return Err(ApiError::status_code(
            StatusCode::BAD_REQUEST,
            "InvalidToken",
            "this password link is wrong, has expired or was already used; ask your administrator for a new one",
        ));
    };
    let actor = format!("user:{}", user.id);
    let people = Arc::clone(&state.people);
    tokio::task::spawn_blocking(move || {
        people.store.audit(
            clock::now(),
            &actor,
            "password_set",
            &actor,
            "password link",
        )
    })
    .await??;
    Ok(no_store(StatusCode::NO_CONTENT.into_response()))
}

#[utoipa::path(
    post,
    path = "/api/auth/password",
    tag = "auth",
    operation_id = "passwordSignIn",
    summary = "Sign in with a password (staff), and a TOTP code when enrolled.",
    description = "Anyone with a password (staff accounts). Any earlier session of the caller ends.",
    security((), ("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    request_body(content((schemas::PasswordSignInRequest = "application/json"))),
    responses(
        (status = 200, description = "Signed in: a new session.", content((schemas::Session = "application/json")), headers(("Set-Cookie" = inline(doc::headers::SetSessionCookie)), ("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, response = doc::responses::MalformedBody),
        (status = 401, description = "`InvalidCredentials`: wrong address or password (the same for an unknown or disabled account); `TotpRequired`: the account has TOTP and the code is missing, wrong or used.", content((inline(doc::errors::InvalidCredentialsOrTotpRequired) = "application/json"))),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 413, response = doc::responses::PayloadTooLarge),
        (status = 415, response = doc::responses::UnsupportedMediaType),
        (status = 422, response = doc::responses::Unprocessable),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn password_sign_in(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<PasswordBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    limit(&state, Kind::SignInIp, &caller.ip.to_string())?;
    let email = body.email.trim().to_lowercase();
    // One failure of this account from this client is reserved now and given back if the password
    // is right: failures of other clients never refuse this one.
    let failures = failure_key(&email, caller.ip);
    limit(&state, Kind::SignInFailure, &failures)?;
    let people = Arc::clone(&state.people);
    let now = clock::now();
    let pw = body.password;
    let (user, ok) = tokio::task::spawn_blocking(move || -> ApiResult<_> {
        let user = people.store.user_by_email(&email)?;
        let ok = password::verify(&pw, user.as_ref().and_then(|u| u.password_hash.as_deref()));
        Ok((user, ok))
    })
    .await??;
    let Some(user) = user.filter(|u| ok && !u.disabled) else {
        caller.audit("sign_in_failed", "", "password").await?;
        return Err(invalid_credentials());
    };
    // The password is right: not a failure.
    let limiter = &state.people.limiter;
    limiter.refund(Kind::SignInFailure, &failures);
    if let Some(secret) = &user.totp_secret {
        let Some(code) = body.totp.as_deref().filter(|c| !c.trim().is_empty()) else {
            // The first step of a two-step sign-in.
            return Err(ApiError::unauthorized(
                "TotpRequired",
                "enter the six-digit code from your authenticator app",
            ));
        };
        // Only someone with the password gets here: wrong codes count per account too, so that
        // the second factor cannot be guessed from many addresses.
        let account = user.id.to_string();
        limit(&state, Kind::TotpFailure, &account)?;
        let step = totp::check(secret, code, now);
        let fresh = match step {
            Some(step) => {
                let people = Arc::clone(&state.people);
                let id = user.id;
                tokio::task::spawn_blocking(move || people.store.use_totp_step(id, step)).await??
            }
            None => false,
        };
        if !fresh {
            // A failure of this client as well (its token is taken, whatever is left).
            let _ = limiter.check(Kind::SignInFailure, &failures);
            caller
                .audit("sign_in_failed", &format!("user:{}", user.id), "totp")
                .await?;
            let message = if step.is_some() {
                "this code was used already; wait for the next one"
            } else {
                "enter the six-digit code from your authenticator app"
            };
            return Err(ApiError::unauthorized("TotpRequired", message));
        }
        limiter.refund(Kind::TotpFailure, &account);
    }
    signed_in(&state, &caller, &user, "password").await
}

#[utoipa::path(
    post,
    path = "/api/auth/device",
    tag = "auth",
    operation_id = "deviceSession",
    summary = "Start a pseudonymous device session (a reporter without an account).",
    description = "Anyone without a session. No body.",
    security((), ("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    responses(
        (status = 200, description = "A device session: `device` true, `user` null.", content((schemas::Session = "application/json")), headers(("Set-Cookie" = inline(doc::headers::SetSessionCookie)), ("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 403, response = doc::responses::CsrfRejected),
        (status = 409, description = "The caller is already in a session: `Conflict`.", content((inline(doc::errors::Conflict) = "application/json"))),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn device(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    limit(&state, Kind::SignInIp, &caller.ip.to_string())?;
    if caller.session.is_some() {
        return Err(ApiError::status_code(
            StatusCode::CONFLICT,
            "Conflict",
            "already in a session; sign out first",
        ));
    }
    let people = Arc::clone(&state.people);
    let reporter =
        tokio::task::spawn_blocking(move || people.store.new_device_reporter(clock::now()))
            .await??;
    let (token, csrf, life) = auth::start_session(&state.people, None, Some(reporter)).await?;
    let mut r = no_store(
        Json(json!({ "signed_in": false, "device": true, "csrf": csrf, "user": null }))
            .into_response(),
    );
    set_cookie(&mut r, &auth::session_cookie(&state, &token, life));
    Ok(r)
}

#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "auth",
    operation_id = "logout",
    summary = "End this session.",
    description = "Anyone. No body.",
    security((), ("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    responses(
        (status = 204, description = "Signed out (also without a session).", headers(("Set-Cookie" = inline(doc::headers::ClearSessionCookie)))),
        (status = 403, response = doc::responses::CsrfRejected),
    )
)]
async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    if let Some(s) = &caller.session {
        let people = Arc::clone(&state.people);
        let h = s.token_hash.clone();
        tokio::task::spawn_blocking(move || people.store.delete_session(&h)).await??;
        caller.audit("sign_out", "", "").await?;
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    set_cookie(&mut r, &auth::clear_cookie(&state));
    Ok(r)
}

#[utoipa::path(
    post,
    path = "/api/auth/logout-all",
    tag = "auth",
    operation_id = "logoutEverywhere",
    summary = "End every session of the account.",
    description = "Any signed-in account. No body.",
    security(("cookieAuth" = [])),
    params(doc::params::CsrfToken),
    responses(
        (status = 204, description = "Every session of the account ended.", headers(("Set-Cookie" = inline(doc::headers::ClearSessionCookie)))),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 403, response = doc::responses::CsrfRejected),
    )
)]
async fn logout_all(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let id = caller.user()?.id;
    let people = Arc::clone(&state.people);
    let n = tokio::task::spawn_blocking(move || people.store.delete_user_sessions(id)).await??;
    caller
        .audit(
            "sign_out_everywhere",
            &format!("user:{id}"),
            &format!("{n} sessions"),
        )
        .await?;
    let mut r = StatusCode::NO_CONTENT.into_response();
    set_cookie(&mut r, &auth::clear_cookie(&state));
    Ok(r)
}
