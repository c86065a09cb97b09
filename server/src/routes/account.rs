//! The signed-in account: `/api/account/*` (sessions, consents, TOTP, password) and the resident's
//! own addresses, `/api/my/addresses/*` ("what is known about my address").

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use domain::access::{DataClass, Place, Purpose, Resource};
use domain::{AddressId, BagId};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::ratelimit::{Kind, failure_key};
use crate::auth::{Caller, password, secret, totp};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::routes::auth::{no_store, user_json};
use crate::routes::blocking;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/account", get(account))
        .route("/api/account/consents", post(consent))
        .route("/api/account/consents/history", get(consent_history))
        .route("/api/account/totp", post(totp_start))
        .route("/api/account/totp/confirm", post(totp_confirm))
        .route("/api/account/password", post(change_password))
        .route("/api/my/addresses", get(my_addresses).post(verify_address))
        .route("/api/my/addresses/{id}", get(my_address))
        .route(
            "/api/my/addresses/{id}/opt-outs/{purpose}",
            put(opt_out).delete(opt_in),
        )
        .route("/api/my/addresses/{id}/contests", post(contest))
}

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
    Purpose::OPT_OUTABLE
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
    if !Purpose::OPT_OUTABLE.contains(&p) {
        return Err(ApiError::param(
            "purpose",
            "one of canvassing, contact, research",
        ));
    }
    Ok(p)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsentBody {
    purpose: String,
    given: bool,
}

async fn consent(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<ConsentBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let id = caller.user()?.id;
    let p = parse_opt_purpose(&body.purpose)
        .map_err(|_| ApiError::unprocessable("purpose: one of canvassing, contact, research"))?;
    let people = Arc::clone(&state.people);
    let given = body.given;
    let now = clock::now();
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

/// What proves, besides the session, that the account's owner asks: the password, or the current
/// code of the enabled authenticator.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Reauthentication {
    password: Option<String>,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordChange {
    current: String,
    new: String,
}

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

// ----- my address ---------------------------------------------------------------------------

fn address_json(state: &AppState, id: u64) -> Value {
    let model = state.model.load();
    let Some(a) = BagId::new(id).and_then(|id| model.find_address(id)) else {
        return json!({ "address_id": format!("{id:016}"), "label": format!("{id:016}") });
    };
    json!({ "address_id": format!("{id:016}"), "label": a.label() })
}

async fn my_addresses(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let id = caller.user()?.id;
    let people = Arc::clone(&state.people);
    let list = blocking(move || Ok(people.store.verified_addresses(id)?)).await?;
    let body: Vec<Value> = list.iter().map(|a| address_json(&state, *a)).collect();
    Ok(no_store(Json(body).into_response()))
}

async fn verify_address(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<CodeBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let id = caller.user()?.id;
    state
        .people
        .limiter
        .check(Kind::LetterCode, &id.to_string())
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let code = secret::normalise_letter_code(&body.code);
    let h = secret::hash(&code);
    let people = Arc::clone(&state.people);
    let found =
        blocking(move || Ok(people.store.redeem_address_code(&h, id, clock::now())?)).await?;
    let Some(address) = found else {
        return Err(ApiError::status_code(
            StatusCode::BAD_REQUEST,
            "InvalidCode",
            "this letter code is wrong or has expired",
        ));
    };
    caller
        .audit("address_verified", &format!("address:{address:016}"), "")
        .await?;
    Ok((StatusCode::CREATED, Json(address_json(&state, address))).into_response())
}

/// The address of the path, if the caller verified it; otherwise 404 (its existence is private).
fn own_address(caller: &Caller, raw: &str) -> ApiResult<AddressId> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no verified address {}",
            raw.chars().take(20).collect::<String>()
        ))
    };
    let id: AddressId = raw.parse().map_err(|_| not_found())?;
    let mut r = Resource::new(DataClass::OwnAddress, Place::Nowhere);
    r.address = Some(id);
    match caller.require(Purpose::SelfService, &r) {
        Ok(domain::access::Decision::Allow) => Ok(id),
        Err(e) if caller.session.is_none() => Err(e),
        _ => Err(not_found()),
    }
}

async fn my_address(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    caller.user()?;
    let id = own_address(&caller, &raw)?;
    let (address, building_ids, buildings) = {
        let model = state.model.load();
        match model.find_address(id) {
            Some(a) => {
                let rows: Vec<_> = a
                    .building_rows()
                    .iter()
                    .map(|i| model.building(*i))
                    .collect();
                let ids: Vec<u64> = rows.iter().map(|b| b.id().get()).collect();
                let buildings: Vec<Value> = rows
                    .iter()
                    .map(|b| {
                        Value::Object(
                            crate::features::building_feature(&model, b)
                                .properties
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                (
                    Value::Object(crate::features::address_properties(&model, &a)),
                    ids,
                    buildings,
                )
            }
            None => (
                json!({ "identificatie": id.to_string(), "label": id.to_string() }),
                Vec::new(),
                Vec::new(),
            ),
        }
    };
    let people = Arc::clone(&state.people);
    let aid = id.get();
    let (observations, contests) = blocking(move || {
        Ok((
            people.store.observations_about(aid, &building_ids)?,
            people.store.contests_of_address(aid)?,
        ))
    })
    .await?;
    let opt_outs: Vec<&str> = {
        let reg = state.people.opt_outs.load();
        Purpose::OPT_OUTABLE
            .iter()
            .filter(|p| reg.addresses(**p).any(|a| a == aid))
            .map(|p| p.as_str())
            .collect()
    };
    let body = json!({
        "address": address,
        "buildings": buildings,
        // Observations about the home, without who reported them.
        "observations": observations.iter().map(|o| json!({
            "id": o.id,
            "type": o.observation.kind,
            "about": if o.observation.address_id.is_some() { "address" } else { "building" },
            "observed_at": clock::rfc3339(o.observation.observed_at),
            "source": o.observation.source,
            "status": o.status,
            "answers": serde_json::from_str::<Value>(&o.observation.answers).unwrap_or(Value::Null),
        })).collect::<Vec<_>>(),
        "opt_outs": opt_outs,
        "contests": contests.iter().map(|c| json!({
            "id": c.id, "observation_id": c.observation_id, "reason": c.reason,
            "status": c.status, "created_at": clock::rfc3339(c.created_at),
        })).collect::<Vec<_>>(),
    });
    Ok(no_store(Json(body).into_response()))
}

async fn opt_out(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw, purpose)): Path<(String, String)>,
) -> ApiResult<Response> {
    set_opt_out(state, caller, raw, purpose, true).await
}

async fn opt_in(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw, purpose)): Path<(String, String)>,
) -> ApiResult<Response> {
    set_opt_out(state, caller, raw, purpose, false).await
}

async fn set_opt_out(
    state: AppState,
    caller: Caller,
    raw: String,
    purpose: String,
    on: bool,
) -> ApiResult<Response> {
    caller.user()?;
    let id = own_address(&caller, &raw)?;
    let p = parse_opt_purpose(&purpose)?;
    let people = Arc::clone(&state.people);
    blocking(move || {
        if on {
            people
                .store
                .set_opt_out(id.get(), p.as_str(), clock::now())?;
        } else {
            people.store.clear_opt_out(id.get(), p.as_str())?;
        }
        people.reload_opt_outs()?;
        Ok(())
    })
    .await?;
    // The do-not-knock layer draws the address; a research opt-out changes the public counts of
    // its buurt: the layers that read opt-outs say which of their tiles this makes stale.
    let at = state
        .model
        .load()
        .find_address(id)
        .map(|a| (a.point(), a.areas()));
    if let Some((point, areas)) = at {
        state.changed(&tiles::Change::at(tiles::Source::OptOuts, point, areas));
    }
    caller
        .audit(
            if on { "opt_out" } else { "opt_out_withdrawn" },
            &format!("address:{id}"),
            p.as_str(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContestBody {
    observation_id: i64,
    reason: String,
}

async fn contest(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    body: Result<Json<ContestBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body?;
    let user_id = caller.user()?.id;
    let id = own_address(&caller, &raw)?;
    let reason = body.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(ApiError::unprocessable(
            "reason: give a reason of 1 to 2000 characters",
        ));
    }
    let building_ids: Vec<u64> = {
        let model = state.model.load();
        model
            .find_address(id)
            .map(|a| {
                a.building_rows()
                    .iter()
                    .map(|i| model.building(*i).id().get())
                    .collect()
            })
            .unwrap_or_default()
    };
    let people = Arc::clone(&state.people);
    let oid = body.observation_id;
    let created = blocking(move || {
        // Only an observation about this address (or its building) can be contested here.
        let about = people.store.observations_about(id.get(), &building_ids)?;
        if !about.iter().any(|o| o.id == oid) {
            return Ok(None);
        }
        Ok(Some(people.store.add_contest(
            oid,
            user_id,
            id.get(),
            &reason,
            clock::now(),
        )?))
    })
    .await?;
    let Some(cid) = created else {
        return Err(ApiError::unprocessable(
            "observation_id: no such observation about this address",
        ));
    };
    caller
        .audit(
            "contest",
            &format!("observation:{oid}"),
            &format!("address:{id}"),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": cid, "status": "open" })),
    )
        .into_response())
}
