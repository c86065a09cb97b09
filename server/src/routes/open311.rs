//! Open311 GeoReport v2 (`/open311/v2`) over the public-space observation types: a service per
//! type, its attributes derived from the type's JSON Schema, form-encoded requests written through
//! the same path as `POST /api/observations` ([`prepare`] → [`store_observation`]), and the public
//! reports read back as service requests. Both formats of the spec: `.xml` (required) and `.json`.
//!
//! Steps of a POST: parse the form → the service (a current public-space type) → who posts (the
//! session's reporter, or — only with `open311_anonymous` — a new device reporter per request,
//! rate-limited per IP) → attributes to answers (`description` → `note`) → [`prepare`] validates
//! against the type's schema → contact details kept apart on the reporter → [`store_observation`]
//! (durable, on the map) → acknowledged. Reporter identity and contact details never leave.
//!
//! Errors use the spec's shape (`[{"code", "description"}]`, `<errors><error>…`): 400 malformed,
//! 403 anonymous posting off, 404 unknown resource or service, 422 invalid values (one error per
//! failing attribute; the spec would say 400), 429 too many requests.

mod form;
mod query;
pub(crate) mod schemas;
mod services;
mod wire;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, LazyLock};

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};
use store::people::ReporterContact;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::form::{PostForm, answers_from, contact_of, open311_field, parse_form};
use self::query::{MAX_REQUESTS, list_query, open311_status, request_record};
use self::services::{attribute_record, attributes, public_type, public_types, service_record};
use self::wire::{Body, Field, Format, Record, error_response, no_resource, reply, split_format};
use crate::auth::Caller;
use crate::auth::ratelimit::Kind;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::submit::{Draft, idempotency_key, prepare, store_observation};
use crate::observations::{FieldError, TargetKind};
use crate::openapi as doc;
use crate::routes::blocking;
use crate::routes::{RouteDocumented, documented};
use crate::state::AppState;

/// Device reporters of anonymous requests by (client IP, `Idempotency-Key`): (reporter, made at).
type AnonymousKeys = HashMap<(IpAddr, String), (i64, i64)>;

pub fn router() -> OpenApiRouter<AppState> {
    // Open311 resources end in `.json` or `.xml`, which the handlers split off.
    OpenApiRouter::new()
        .route_documented(
            "/open311/v2/{file}",
            get(get_top).post(post_top),
            documented!(services, list_requests, post_top),
        )
        .routes_at("/open311/v2/services/{file}", routes!(service_definition))
        .routes_at("/open311/v2/requests/{file}", routes!(one_request))
}

async fn get_top(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let Some((name, format)) = split_format(&file) else {
        return error_response(Format::Json, &no_resource(&file));
    };
    match name {
        "services" => services(&state, format),
        "requests" => reply(format, list_requests(&state, &headers, format, query).await),
        _ => error_response(format, &no_resource(&file)),
    }
}

#[utoipa::path(
    get,
    path = "/open311/v2/services.{format}",
    tag = "open311",
    operation_id = "open311Services",
    summary = "Service list: one service per current public-space observation type.",
    description = "Everyone.",
    security((), ("cookieAuth" = [])),
    params(doc::params::Open311Format),
    responses(
        (status = 200, description = "The services (XML: `<services><service>…`).", content((Vec<schemas::Open311Service> = "application/json"), (inline(schemas::Open311Services200Xml) = "text/xml")), headers(("Cache-Control" = inline(schemas::Open311Services200CacheControl)))),
    )
)]
fn services(state: &AppState, format: Format) -> Response {
    let records = public_types(state)
        .iter()
        .map(|t| service_record(&t.def))
        .collect();
    let body = Body::List {
        root: "services",
        item: "service",
        records,
    };
    body.respond(format, StatusCode::OK, "public, max-age=300")
}

#[utoipa::path(
    get,
    path = "/open311/v2/services/{service_code}.{format}",
    tag = "open311",
    operation_id = "open311ServiceDefinition",
    summary = "Service definition: the attributes of a service, from its type's JSON Schema.",
    description = "Everyone.",
    security((), ("cookieAuth" = [])),
    params(schemas::Open311ServiceDefinitionServiceCodeParam, doc::params::Open311Format),
    responses(
        (status = 200, description = "The definition (XML: `<service_definition>…`).", content((schemas::Open311ServiceDefinition = "application/json"), (inline(schemas::Open311ServiceDefinition200Xml) = "text/xml")), headers(("Cache-Control" = inline(schemas::Open311ServiceDefinition200CacheControl)))),
        (status = 404, description = "No such service.", content((schemas::Open311Errors = "application/json"), (inline(schemas::Open311ServiceDefinition404Xml) = "text/xml"))),
    )
)]
async fn service_definition(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((code, format)) = split_format(&file) else {
        return error_response(Format::Json, &no_resource(&file));
    };
    let result = public_type(&state, code).map(|t| {
        let attrs = attributes(&t.def).iter().map(attribute_record).collect();
        let record = Record::default()
            .text("service_code", &t.def.name)
            .with("attributes", Field::List("attribute", attrs));
        Body::One {
            root: "service_definition",
            record,
        }
        .respond(format, StatusCode::OK, "public, max-age=300")
    });
    reply(format, result)
}

/// The reporter of a caller with a session (its device reporter, or its account's), as
/// `POST /api/observations` finds it.
async fn session_reporter(state: &AppState, caller: &Caller) -> ApiResult<Option<i64>> {
    let Some(session) = &caller.session else {
        return Ok(None);
    };
    if let Some(r) = session.reporter {
        return Ok(Some(r));
    }
    let Some(user) = &session.user else {
        return Err(ApiError::unauthorized("SignInRequired", "sign in first"));
    };
    let people = Arc::clone(&state.people);
    let id = user.id;
    blocking(move || Ok(Some(people.store.reporter_for_user(id, clock::now())?))).await
}

/// Device reporters of anonymous requests that carried an `Idempotency-Key`, by (client IP, key),
/// with when they were made: a retry reuses the reporter, so the writer's (reporter, key) check
/// finds the first report. In memory: a retry after a restart makes a new report.
static ANONYMOUS_KEYS: LazyLock<tokio::sync::Mutex<AnonymousKeys>> =
    LazyLock::new(Default::default);
/// Keys remembered at most, and for how long.
const ANONYMOUS_KEYS_MAX: usize = 10_000;
const ANONYMOUS_KEY_SECS: i64 = 86_400;

/// A new device reporter for an anonymous request (or the one of its earlier try), with the
/// contact details it gave.
async fn anonymous_reporter(
    state: &AppState,
    ip: IpAddr,
    key: Option<&str>,
    contact: Option<ReporterContact>,
) -> ApiResult<i64> {
    let make = |people: Arc<crate::people::People>| {
        blocking(move || {
            let now = clock::now();
            let r = people.store.new_device_reporter(now)?;
            if let Some(c) = contact {
                people.store.set_reporter_contact(r, &c, now)?;
            }
            Ok(r)
        })
    };
    let Some(key) = key else {
        return make(Arc::clone(&state.people)).await;
    };
    // Held across the write so that two concurrent tries share one reporter.
    let mut keys = ANONYMOUS_KEYS.lock().await;
    let now = clock::now();
    if let Some((r, _)) = keys.get(&(ip, key.to_owned())) {
        return Ok(*r);
    }
    if keys.len() >= ANONYMOUS_KEYS_MAX {
        keys.retain(|_, (_, at)| now - *at < ANONYMOUS_KEY_SECS);
        if keys.len() >= ANONYMOUS_KEYS_MAX {
            keys.clear();
        }
    }
    let r = make(Arc::clone(&state.people)).await?;
    keys.insert((ip, key.to_owned()), (r, now));
    Ok(r)
}

#[utoipa::path(
    post,
    path = "/open311/v2/requests.{format}",
    tag = "open311",
    operation_id = "open311CreateRequest",
    summary = "Make a service request: a public-space report.",
    description = "Anyone with a session (an account or a device session; send its `X-CSRF-Token`). Without a session only when the server runs with `--open311-anonymous` (each request then gets a new pseudonymous reporter). Rate limited per client address, with `POST /api/observations`. Written through the same path: durable and on the public map when answered. `Idempotency-Key` makes a retry safe (without a session: per client address, remembered for a day in memory).",
    security((), ("cookieAuth" = [])),
    params(doc::params::Open311Format, doc::params::CsrfToken, doc::params::IdempotencyKey),
    request_body(content((schemas::Open311RequestForm = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "A retry with an `Idempotency-Key` seen before: the request first made.", content((inline(schemas::Open311CreateRequest200Json) = "application/json"), (inline(schemas::Open311CreateRequest200Xml) = "text/xml")), headers(("Location" = inline(doc::headers::Open311Location)), ("Cache-Control" = inline(schemas::Open311CreateRequest200CacheControl)))),
        (status = 201, description = "The new request (XML: `<service_requests><request>…`).", content((inline(schemas::Open311CreateRequest201Json) = "application/json"), (inline(schemas::Open311CreateRequest201Xml) = "text/xml")), headers(("Location" = inline(doc::headers::Open311Location)), ("Cache-Control" = inline(schemas::Open311CreateRequest201CacheControl)))),
        (status = 400, description = "Not `application/x-www-form-urlencoded`, a broken %-escape or non-UTF-8 form, a parameter given twice, a malformed `attribute[…]` name, a missing `service_code`, missing or invalid `lat`/`long`, or a malformed `Idempotency-Key`.", content((schemas::Open311Errors = "application/json"), (inline(schemas::Open311CreateRequest400Xml) = "text/xml"))),
        (status = 401, description = "Without a session on a server that takes no anonymous requests (`--open311-anonymous` off), as GeoReport errors.", content((schemas::Open311Errors = "application/json"), (inline(schemas::Open311CreateRequest401Xml) = "text/xml"))),
        (status = 403, description = "Refused before the handler, as `Error` in JSON whatever the format: a cross-site request, or a session cookie without its `X-CSRF-Token` (`CsrfRejected`).", content((inline(doc::errors::CsrfRejected) = "application/json"))),
        (status = 404, description = "No such service.", content((schemas::Open311Errors = "application/json"), (inline(schemas::Open311CreateRequest404Xml) = "text/xml"))),
        (status = 413, description = "The body is larger than 64 KiB.", content((schemas::Open311Errors = "application/json"), (inline(schemas::Open311CreateRequest413Xml) = "text/xml"))),
        (status = 422, description = "Attributes or contact details the service does not take: one error per failing field (`attribute[severity]: …`, `email: …`).", content((schemas::Open311Errors = "application/json"), (inline(schemas::Open311CreateRequest422Xml) = "text/xml"))),
        (status = 429, description = "Rate limited.", content((schemas::Open311Errors = "application/json"), (inline(schemas::Open311CreateRequest429Xml) = "text/xml")), headers(("Retry-After" = inline(doc::headers::RetryAfter)))),
        (status = 503, description = "Too many reports are waiting to be written, or the store is busy; nothing was stored, try again in a moment (`Retry-After`).", content((schemas::Open311Errors = "application/json"), (inline(schemas::Open311CreateRequest503Xml) = "text/xml"))),
    )
)]
async fn post_top(
    State(state): State<AppState>,
    caller: Caller,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some((name, format)) = split_format(&file) else {
        return error_response(Format::Json, &no_resource(&file));
    };
    match name {
        "requests" => {
            let result = match body {
                Ok(body) => create(&state, &caller, &headers, &body, format).await,
                // Over the body limit (413), or a body that could not be read (400).
                Err(e) => Err(e.into()),
            };
            reply(format, result)
        }
        "services" => error_response(
            format,
            &ApiError::status_code(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "services are read with GET; requests are made with POST requests.{json,xml}",
            ),
        ),
        _ => error_response(format, &no_resource(&file)),
    }
}

async fn create(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    body: &[u8],
    format: Format,
) -> ApiResult<Response> {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !form_type {
        return Err(ApiError::BadRequest(
            "send the request as Content-Type: application/x-www-form-urlencoded (GeoReport v2)"
                .into(),
        ));
    }
    let form = PostForm::from_pairs(parse_form(body)?)?;
    let key = idempotency_key(headers)?;
    let anonymous = caller.session.is_none();
    if anonymous && !state.observations.settings.open311_anonymous {
        return Err(ApiError::unauthorized(
            "SignInRequired",
            "this server takes Open311 requests only from a session: sign in, or start a device \
             session (POST /api/auth/device) and send its cookie and X-CSRF-Token; anonymous \
             requests need --open311-anonymous",
        ));
    }
    let code = form
        .service_code
        .as_deref()
        .ok_or_else(|| ApiError::param("service_code", "required; see services.xml"))?;
    let t = public_type(state, code)?;
    let lonlat = form.lonlat()?;
    state
        .people
        .limiter
        .check(Kind::ReportIp, &caller.ip.to_string())
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;

    let (answers, mut errors) = answers_from(&t.def, &form);
    let (contact, contact_errors) = contact_of(&form);
    errors.extend(contact_errors);
    let mut target = json!({ "point": { "type": "Point", "coordinates": lonlat } });
    if let Some(tree) = answers.get("tree_id").and_then(Value::as_str)
        && t.def.targets.contains(&TargetKind::Tree)
    {
        target["tree"] = json!(tree);
    }
    // Validate before a reporter is made; the reporter is filled in once everything passed.
    let draft = Draft {
        kind: &t.def.name,
        target: &target,
        observed_at: None,
        source: None,
        answers: &answers,
    };
    let prepared = prepare(state, &caller.principal, 0, draft);
    let report = match prepared {
        Ok((report, _)) if errors.is_empty() => report,
        Ok(_) => return Err(invalid(errors)),
        Err(ApiError::Invalid { errors: more, .. }) => {
            let covered = !errors.is_empty();
            errors.extend(
                more.into_iter()
                    .map(open311_field)
                    // "required"/"unknown" at the root: already listed per attribute.
                    .filter(|e| !(covered && e.field == "attributes")),
            );
            return Err(invalid(errors));
        }
        Err(e) => return Err(e),
    };
    let mut report = report;
    let mut notes = Vec::new();
    report.observation.reporter_id = match session_reporter(state, caller).await? {
        Some(r) => {
            if contact.is_some() {
                notes.push("Contactgegevens uit dit formulier zijn niet bewaard: een sessie meldt onder haar eigen melder / Contact details in this form were not kept: a session reports under its own reporter");
            }
            r
        }
        None => anonymous_reporter(state, caller.ip, key.as_deref(), contact).await?,
    };
    report.idempotency_key = key;
    let (r, created) = store_observation(state, report).await?;

    if form.media_url {
        notes.push("media_url is genegeerd: deze server haalt geen media op / media_url was ignored: this server fetches no media");
    }
    let notice = std::iter::once(
        "Dank je. De melding staat op de kaart van de openbare ruimte / Thank you. The report is on the public-space map",
    )
    .chain(notes)
    .collect::<Vec<_>>()
    .join(". ");
    let record = Record::default()
        .text("service_request_id", r.id.to_string())
        .text("service_notice", notice)
        .opt("account_id", None);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = Body::List {
        root: "service_requests",
        item: "request",
        records: vec![record],
    };
    let mut resp = body.respond(format, status, "no-store");
    let ext = if format == Format::Xml { "xml" } else { "json" };
    if let Ok(v) = HeaderValue::from_str(&format!("/open311/v2/requests/{}.{ext}", r.id)) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

fn invalid(errors: Vec<FieldError>) -> ApiError {
    ApiError::Invalid {
        message: "the request has invalid values".into(),
        errors,
    }
}

#[utoipa::path(
    get,
    path = "/open311/v2/requests.{format}",
    tag = "open311",
    operation_id = "open311Requests",
    summary = "Service requests: the shown public-space reports, newest first.",
    description = "Everyone. Without `service_request_id`: the requests of the services asked for (all by default), created within the date range (the last 90 days by default; at most 90 days), of the statuses asked for, at most 1000. A parameter given more than once adds up (as a comma-separated list).",
    security((), ("cookieAuth" = [])),
    params(doc::params::Open311Format, schemas::Open311RequestsServiceRequestIdParam, schemas::Open311RequestsServiceCodeParam, schemas::Open311RequestsStartDateParam, schemas::Open311RequestsEndDateParam, schemas::Open311RequestsStatusParam),
    responses(
        (status = 200, description = "The requests (XML: `<service_requests><request>…`).", content((Vec<schemas::Open311ServiceRequest> = "application/json"), (inline(schemas::Open311Requests200Xml) = "text/xml")), headers(("Cache-Control" = inline(schemas::Open311Requests200CacheControl)))),
        (status = 400, description = "A malformed parameter (named in `description`).", content((schemas::Open311Errors = "application/json"), (inline(schemas::Open311Requests400Xml) = "text/xml"))),
    )
)]
async fn list_requests(
    state: &AppState,
    headers: &HeaderMap,
    format: Format,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(pairs) = query?;
    let public: Vec<String> = public_types(state)
        .iter()
        .map(|t| t.def.name.clone())
        .collect();
    let q = list_query(&pairs, &public, clock::now())?;
    let people = Arc::clone(&state.people);
    let reports = blocking(move || {
        if let Some(ids) = &q.ids {
            let mut out = Vec::new();
            for id in ids {
                out.extend(people.store.observation(*id)?);
            }
            return Ok(out);
        }
        let mut found = Vec::new();
        for code in &q.codes {
            for o in people.store.observations_of_type(code)? {
                let shown = match open311_status(o.status) {
                    Some("open") => q.open,
                    Some(_) => q.closed,
                    None => false,
                };
                if shown && (q.start..=q.end).contains(&o.created_at) {
                    found.push((o.created_at, o.id));
                }
            }
        }
        found.sort_unstable_by(|a, b| b.cmp(a));
        found.truncate(MAX_REQUESTS);
        let mut out = Vec::with_capacity(found.len());
        for (_, id) in found {
            out.extend(people.store.observation(id)?);
        }
        Ok(out)
    })
    .await?;
    let base = super::base_url(state, headers);
    let records = reports
        .iter()
        .filter_map(|r| request_record(state, &base, r))
        .collect();
    let body = Body::List {
        root: "service_requests",
        item: "request",
        records,
    };
    // Revalidated on every read: a new report shows at once.
    Ok(body.respond(format, StatusCode::OK, "no-cache"))
}

#[utoipa::path(
    get,
    path = "/open311/v2/requests/{service_request_id}.{format}",
    tag = "open311",
    operation_id = "open311Request",
    summary = "One service request.",
    description = "Everyone, for a shown public-space report.",
    security((), ("cookieAuth" = [])),
    params(schemas::Open311RequestServiceRequestIdParam, doc::params::Open311Format),
    responses(
        (status = 200, description = "A list of the one request (XML: `<service_requests><request>…`).", content((inline(schemas::Open311Request200Json) = "application/json"), (inline(schemas::Open311Request200Xml) = "text/xml")), headers(("Cache-Control" = inline(schemas::Open311Request200CacheControl)))),
        (status = 404, description = "No such shown public-space request.", content((schemas::Open311Errors = "application/json"), (inline(schemas::Open311Request404Xml) = "text/xml"))),
    )
)]
async fn one_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((raw, format)) = split_format(&file) else {
        return error_response(Format::Json, &no_resource(&file));
    };
    let not_found = || {
        ApiError::NotFound(format!(
            "no service request {:?}",
            raw.chars().take(20).collect::<String>()
        ))
    };
    let result = async {
        let id: i64 = raw.parse().map_err(|_| not_found())?;
        let people = Arc::clone(&state.people);
        let r = blocking(move || Ok(people.store.observation(id)?))
            .await?
            .ok_or_else(not_found)?;
        let base = super::base_url(&state, &headers);
        let record = request_record(&state, &base, &r).ok_or_else(not_found)?;
        Ok(Body::List {
            root: "service_requests",
            item: "request",
            records: vec![record],
        }
        .respond(format, StatusCode::OK, "no-cache"))
    }
    .await;
    reply(format, result)
}
