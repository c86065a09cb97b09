//! Who is calling: sessions, the [`Caller`] of every request, CSRF, and the bridge to the policy.
//!
//! The [`guard`] middleware runs before every handler. It reads the session cookie (only its
//! SHA-256 is looked up), builds the caller's [`Principal`] (roles × scopes, verified addresses),
//! refuses cross-site state-changing requests and requests without the session's CSRF token, and
//! adds the security headers to every response. Handlers never decide access themselves: they
//! call [`Caller::require`] (the policy in [`domain::access`]) and [`Caller::audit`].

pub mod mail;
pub mod password;
pub mod ratelimit;
pub mod secret;
pub mod totp;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::access::{self, Decision, Grant, Principal, Purpose, Resource, Role, Scope};
use store::people::{SessionRecord, UserRecord};
use subtle::ConstantTimeEq as _;

use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::people::People;
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "wijkwerk_session";
/// Header carrying the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Idle lifetime of a resident session.
pub const RESIDENT_SESSION_SECS: i64 = 30 * 86_400;
/// Idle lifetime of a staff session.
pub const STAFF_SESSION_SECS: i64 = 12 * 3_600;
/// Lifetime of a device (pseudonymous reporter) session.
pub const DEVICE_SESSION_SECS: i64 = 365 * 86_400;
/// A session's expiry is pushed forward at most this often (it is a durable write).
const TOUCH_EVERY_SECS: i64 = 300;

/// The Content-Security-Policy of every response: no inline script, MapLibre's blob workers.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: blob:; worker-src 'self' blob:; child-src 'self' blob:; connect-src 'self'; \
    font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The session behind a request.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// SHA-256 of the token.
    pub token_hash: Vec<u8>,
    /// CSRF token.
    pub csrf: String,
    /// The account (signed-in session).
    pub user: Option<UserRecord>,
    /// The pseudonymous reporter (device session).
    pub reporter: Option<i64>,
}

/// The caller of a request, as the guard resolved it.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Who, for the policy.
    pub principal: Principal,
    /// The session, if any.
    pub session: Option<SessionInfo>,
    /// Client address.
    pub ip: IpAddr,
    people: Arc<People>,
}

impl Caller {
    /// The account, or 401.
    pub fn user(&self) -> ApiResult<&UserRecord> {
        self.session
            .as_ref()
            .and_then(|s| s.user.as_ref())
            .ok_or_else(|| ApiError::unauthorized("SignInRequired", "sign in first"))
    }

    /// Asks the policy. `Deny` becomes 403 (401 when not signed in).
    pub fn require(&self, purpose: Purpose, resource: &Resource) -> ApiResult<Decision> {
        match access::decide(&self.principal, purpose, resource) {
            Decision::Deny if matches!(self.principal, Principal::Anonymous) => Err(
                ApiError::unauthorized("SignInRequired", "sign in to see this"),
            ),
            Decision::Deny => Err(ApiError::forbidden(format!(
                "your role may not use {} for {}",
                resource.class.as_str(),
                purpose.as_str()
            ))),
            d => Ok(d),
        }
    }

    /// Like [`require`](Self::require) but only `Allow` passes (no aggregate fallback).
    /// Signed out, that is 401: signing in may help.
    pub fn require_full(&self, purpose: Purpose, resource: &Resource) -> ApiResult<()> {
        match self.require(purpose, resource)? {
            Decision::Allow => Ok(()),
            _ => Err(self.refuse(format!(
                "your role sees {} only as aggregates",
                resource.class.as_str()
            ))),
        }
    }

    /// A refusal: 401 `SignInRequired` without a session (signing in may help), else 403 with
    /// `message`.
    pub fn refuse(&self, message: impl Into<String>) -> ApiError {
        if self.session.is_none() {
            ApiError::unauthorized("SignInRequired", "sign in first")
        } else {
            ApiError::forbidden(message)
        }
    }

    /// The actor as the audit log names it.
    pub fn actor(&self) -> String {
        match &self.principal {
            Principal::Anonymous => format!("anonymous@{}", self.ip),
            Principal::Device { reporter } => format!("device:{reporter}"),
            Principal::User { id, .. } => format!("user:{id}"),
        }
    }

    /// Appends to the audit log (durable before the response).
    pub async fn audit(&self, action: &str, target: &str, detail: &str) -> ApiResult<()> {
        let (actor, action, target, detail) = (
            self.actor(),
            action.to_owned(),
            target.to_owned(),
            detail.to_owned(),
        );
        let people = Arc::clone(&self.people);
        tokio::task::spawn_blocking(move || {
            people
                .store
                .audit(clock::now(), &actor, &action, &target, &detail)
        })
        .await??;
        Ok(())
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> ApiResult<Self> {
        parts
            .extensions
            .get::<Self>()
            .cloned()
            .ok_or_else(|| ApiError::Internal("request did not pass the guard".into()))
    }
}

/// The value of cookie `name` in a request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// Parses a stored scope: `all`, a CBS code, or `polygon:{id}` (resolved from the custom areas).
pub fn parse_scope(s: &str, people: &People) -> Result<Scope, String> {
    if s == "all" {
        return Ok(Scope::All);
    }
    if let Some(id) = s.strip_prefix("polygon:") {
        let id: i64 = id
            .parse()
            .map_err(|_| format!("scope {s:?}: polygon id must be a number"))?;
        let areas = people.custom_areas.load();
        let boundary = areas
            .get(&id)
            .cloned()
            .ok_or_else(|| format!("scope {s:?}: no custom area {id}"))?;
        return Ok(Scope::Polygon { id, boundary });
    }
    s.parse().map(Scope::Area).map_err(|_| {
        format!(
            "scope {:?} must be all, a CBS code (GM…, WK…, BU…) or polygon:{{id}}",
            s.chars().take(40).collect::<String>()
        )
    })
}

/// The principal of an account by its roles alone (not the addresses it verified): whom it may
/// act as, e.g. to check that an account may walk a turf before it is given one.
pub(crate) fn principal_for(user: &UserRecord, people: &People) -> Principal {
    principal_of(user, Vec::new(), people)
}

fn principal_of(user: &UserRecord, verified: Vec<u64>, people: &People) -> Principal {
    let grants = user
        .roles
        .iter()
        .filter_map(|(role, scope)| {
            let role: Role = role.parse().ok()?;
            // A grant whose scope no longer resolves grants nothing.
            let scope = parse_scope(scope, people).ok()?;
            // Neither does a grant that may not exist (an admin limited to an area, stored
            // before that was refused).
            Grant::new(role, scope).ok()
        })
        .collect();
    Principal::User {
        id: user.id,
        grants,
        verified_addresses: verified
            .into_iter()
            .filter_map(domain::BagId::new)
            .collect(),
    }
}

/// Idle lifetime of a session of this account.
pub fn session_lifetime(user: &UserRecord) -> i64 {
    let staff = user
        .roles
        .iter()
        .any(|(r, _)| r.parse::<Role>().is_ok_and(Role::is_staff));
    if staff {
        STAFF_SESSION_SECS
    } else {
        RESIDENT_SESSION_SECS
    }
}

/// Headers by which a reverse proxy describes the original request.
const FORWARDED_HEADERS: [&str; 4] = [
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
];

/// The client's address: the peer, or — when the peer is a trusted proxy — the nearest address in
/// `X-Forwarded-For` that is not itself a trusted proxy. Forwarded headers from any other peer
/// are removed from the request here, so no handler can be misled by them (links, rate limits).
fn client_ip(state: &AppState, req: &mut Request) -> IpAddr {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let trusted = |ip: IpAddr| state.config.trusted_proxies.iter().any(|p| p.contains(ip));
    if !trusted(peer) {
        for h in FORWARDED_HEADERS {
            req.headers_mut().remove(h);
        }
        return peer;
    }
    let hops: Vec<IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    hops.into_iter()
        .rev()
        .find(|ip| !trusted(*ip))
        .unwrap_or(peer)
}

fn is_state_changing(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A state-changing request from another site (by `Origin` or `Sec-Fetch-Site`)?
fn cross_site(state: &AppState, headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return true;
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => false,
        Some(origin) => {
            let ours = crate::links::base_url(state, headers);
            !origin.eq_ignore_ascii_case(&ours)
                && !state
                    .people
                    .settings
                    .cors_origins
                    .iter()
                    .any(|o| o == origin)
        }
    }
}

async fn load_session(
    people: &Arc<People>,
    token: &str,
) -> ApiResult<Option<(SessionRecord, Option<UserRecord>, Vec<u64>)>> {
    let people = Arc::clone(people);
    let hash = secret::hash(token);
    tokio::task::spawn_blocking(move || -> ApiResult<_> {
        let now = clock::now();
        let Some(s) = people.store.session(&hash, now)? else {
            return Ok(None);
        };
        let (user, verified) = match s.user_id {
            Some(id) => match people.store.user(id)? {
                Some(u) if !u.disabled => {
                    let v = people.store.verified_addresses(id)?;
                    (Some(u), v)
                }
                _ => return Ok(None),
            },
            None => (None, Vec::new()),
        };
        if now - s.last_seen_at > TOUCH_EVERY_SECS {
            let life = user.as_ref().map_or(DEVICE_SESSION_SECS, session_lifetime);
            people.store.touch_session(&hash, now, now + life)?;
        }
        Ok(Some((s, user, verified)))
    })
    .await?
}

/// The middleware in front of every route: resolves the caller, enforces CSRF, sets headers.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let cors_origin = allowed_origin(&state, req.headers());
    if req.method() == Method::OPTIONS
        && req.headers().contains_key("access-control-request-method")
    {
        // A CORS preflight: answered here for configured origins, refused otherwise.
        let response = match &cors_origin {
            Some(_) => (
                StatusCode::NO_CONTENT,
                [
                    (
                        header::ACCESS_CONTROL_ALLOW_METHODS,
                        "GET, HEAD, POST, PUT, PATCH, DELETE",
                    ),
                    (
                        header::ACCESS_CONTROL_ALLOW_HEADERS,
                        "content-type, x-csrf-token, if-none-match",
                    ),
                    (header::ACCESS_CONTROL_MAX_AGE, "600"),
                ],
            )
                .into_response(),
            None => ApiError::status_code(
                StatusCode::FORBIDDEN,
                "CorsRejected",
                "this origin may not call the API; CORS origins are configured with --cors-origin",
            )
            .into_response(),
        };
        return with_cors(&state, with_headers(&state, response), cors_origin.as_ref());
    }
    let response = guarded(state.clone(), req, next).await;
    with_cors(&state, response, cors_origin.as_ref())
}

/// The request's `Origin` when it is one of the configured CORS origins.
fn allowed_origin(state: &AppState, headers: &HeaderMap) -> Option<HeaderValue> {
    let origin = headers.get(header::ORIGIN)?;
    let text = origin.to_str().ok()?;
    state
        .people
        .settings
        .cors_origins
        .iter()
        .any(|o| o == text)
        .then(|| origin.clone())
}

fn with_cors(state: &AppState, mut response: Response, origin: Option<&HeaderValue>) -> Response {
    if state.people.settings.cors_origins.is_empty() {
        return response;
    }
    let h = response.headers_mut();
    h.append(header::VARY, HeaderValue::from_static("origin"));
    if let Some(o) = origin {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o.clone());
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("etag, retry-after"),
        );
    }
    response
}

async fn guarded(state: AppState, mut req: Request, next: Next) -> Response {
    let people = Arc::clone(&state.people);
    let ip = client_ip(&state, &mut req);
    let mut caller = Caller {
        principal: Principal::Anonymous,
        session: None,
        ip,
        people: Arc::clone(&people),
    };
    let had_cookie = cookie(req.headers(), SESSION_COOKIE).map(str::to_owned);
    if let Some(token) = &had_cookie {
        match load_session(&people, token).await {
            Ok(Some((s, user, verified))) => {
                caller.principal = match &user {
                    Some(u) => principal_of(u, verified, &people),
                    None => Principal::Device {
                        reporter: s.reporter_id.unwrap_or_default(),
                    },
                };
                caller.session = Some(SessionInfo {
                    token_hash: s.token_hash,
                    csrf: s.csrf,
                    user,
                    reporter: s.reporter_id,
                });
            }
            Ok(None) => {}
            Err(e) => return with_headers(&state, e.into_response()),
        }
    }
    if is_state_changing(req.method()) {
        if cross_site(&state, req.headers()) {
            return with_headers(
                &state,
                ApiError::status_code(
                    StatusCode::FORBIDDEN,
                    "CsrfRejected",
                    "cross-site request refused",
                )
                .into_response(),
            );
        }
        if let Some(s) = &caller.session {
            let sent = req
                .headers()
                .get(CSRF_HEADER)
                .map(HeaderValue::as_bytes)
                .unwrap_or_default();
            if !bool::from(sent.ct_eq(s.csrf.as_bytes())) {
                return with_headers(
                    &state,
                    ApiError::status_code(
                        StatusCode::FORBIDDEN,
                        "CsrfRejected",
                        "missing or wrong X-CSRF-Token header",
                    )
                    .into_response(),
                );
            }
        }
    }
    let stale_cookie = had_cookie.is_some() && caller.session.is_none();
    req.extensions_mut().insert(caller);
    let mut response = next.run(req).await;
    if stale_cookie && !response.headers().contains_key(header::SET_COOKIE) {
        // The browser holds a cookie for a session that ended: clear it.
        if let Ok(v) = HeaderValue::from_str(&clear_cookie(&state)) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    with_headers(&state, response)
}

/// Adds the security headers (and CORS for configured origins) to a response.
fn with_headers(state: &AppState, mut response: Response) -> Response {
    let h = response.headers_mut();
    let set = |h: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(
        h,
        header::HeaderName::from_static("permissions-policy"),
        "geolocation=(self), camera=(self), microphone=()",
    );
    set(
        h,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if state.people.settings.secure_cookies {
        set(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// The `Set-Cookie` value of a new session.
pub fn session_cookie(state: &AppState, token: &str, max_age: i64) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if state.people.settings.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(state: &AppState) -> String {
    session_cookie(state, "", 0)
}

/// Starts a new session (always a new token: a session id from before sign-in is never reused)
/// and returns (token, csrf).
pub async fn start_session(
    people: &Arc<People>,
    user: Option<&UserRecord>,
    reporter: Option<i64>,
) -> ApiResult<(String, String, i64)> {
    let token = secret::token();
    let csrf = secret::token();
    let now = clock::now();
    let life = user.map_or(DEVICE_SESSION_SECS, session_lifetime);
    let record = SessionRecord {
        token_hash: secret::hash(&token),
        user_id: user.map(|u| u.id),
        reporter_id: if user.is_some() { None } else { reporter },
        csrf: csrf.clone(),
        created_at: now,
        last_seen_at: now,
        expires_at: now + life,
    };
    let people = Arc::clone(people);
    tokio::task::spawn_blocking(move || people.store.create_session(&record)).await??;
    Ok((token, csrf, life))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; wijkwerk_session=abc ; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
