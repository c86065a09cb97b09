//! The web map, built from `web/` by `build.rs` and embedded in the binary, served at `/`.

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::openapi as doc;
use crate::state::AppState;

mod assets {
    include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(index))
        .routes(routes!(sign_in_page))
        .routes(routes!(account_page))
        .routes(routes!(admin_page))
        .routes(routes!(work_page))
        .routes(routes!(walk_page))
        .routes(routes!(urgency_page))
        // Static files of the web build under their own paths: not in the document (OpenAPI
        // cannot template a path of several segments).
        .route("/{*path}", get(asset))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Text worth compressing: the app's code, styles, pages and data.
fn compressible(path: &str) -> bool {
    matches!(
        path.rsplit('.').next().unwrap_or(""),
        "html" | "js" | "mjs" | "css" | "json" | "svg" | "webmanifest"
    )
}

/// The gzip copy of asset `i` when the build made none (a `WIJKWERK_WEB_DIST` folder without
/// copies): made once on first use (libdeflate, level 9) and kept; `None` when it would not be
/// smaller.
fn gzipped(i: usize) -> Option<Bytes> {
    static GZ: OnceLock<Vec<OnceLock<Option<Bytes>>>> = OnceLock::new();
    let all = GZ.get_or_init(|| (0..assets::ASSETS.len()).map(|_| OnceLock::new()).collect());
    all.get(i)?
        .get_or_init(|| {
            let (_, raw, _, _) = assets::ASSETS[i];
            let gz = crate::cache::gzip(raw, 9);
            (gz.len() + 64 < raw.len()).then_some(gz)
        })
        .clone()
}

/// An asset of the web build, compressed when the client takes it and it pays: the Brotli copy
/// made at build time (web/scripts/precompress.mjs), else the gzip copy, with
/// `Vary: Accept-Encoding`. Nothing is compressed while serving, unless the build made no copy.
fn serve(path: &str, headers: &HeaderMap) -> Option<Response> {
    let i = assets::ASSETS.iter().position(|(p, ..)| *p == path)?;
    let (_, body, gz_copy, br_copy) = assets::ASSETS[i];
    let text = compressible(path);
    let packed: Option<(Bytes, &'static str)> = if !text {
        None
    } else if let Some(br) = br_copy.filter(|_| crate::routes::tiles::accepts_coding(headers, "br"))
    {
        Some((Bytes::from_static(br), "br"))
    } else if crate::routes::tiles::accepts_gzip(headers) {
        gz_copy
            .map(Bytes::from_static)
            .or_else(|| gzipped(i))
            .map(|gz| (gz, "gzip"))
    } else {
        None
    };
    // Vite puts content hashes in the names under assets/: those never change.
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut r = match packed {
        Some((bytes, coding)) => {
            let mut r = bytes.into_response();
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
            r
        }
        None => body.into_response(),
    };
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if text {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    Some(r)
}

#[utoipa::path(
    get,
    path = "/",
    tag = "web",
    operation_id = "webMap",
    summary = "The web map.",
    description = "Everyone.",
    responses(
        (status = 200, description = "The page.", content((String = "text/html"))),
    )
)]
async fn index(headers: HeaderMap) -> ApiResult<Response> {
    serve("index.html", &headers)
        .ok_or_else(|| ApiError::Internal("web map missing from the build".into()))
}

#[utoipa::path(
    get,
    path = "/aanmelden",
    tag = "web",
    operation_id = "signInPage",
    summary = "The sign-in page (`/aanmelden.html`; mailed links open it with `#token=…`).",
    description = "Everyone; the page asks the API for what it shows. 404 only when the web build lacks the page.",
    responses(
        (status = 200, description = "The page.", content((String = "text/html"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn sign_in_page(headers: HeaderMap) -> ApiResult<Response> {
    page("aanmelden.html", &headers)
}

#[utoipa::path(
    get,
    path = "/account",
    tag = "web",
    operation_id = "accountPage",
    summary = "The account page (`/account.html`).",
    description = "Everyone; the page asks the API for what it shows. 404 only when the web build lacks the page.",
    responses(
        (status = 200, description = "The page.", content((String = "text/html"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn account_page(headers: HeaderMap) -> ApiResult<Response> {
    page("account.html", &headers)
}

#[utoipa::path(
    get,
    path = "/beheer",
    tag = "web",
    operation_id = "adminPage",
    summary = "The administration page (`/beheer.html`).",
    description = "Everyone; the page asks the API for what it shows. 404 only when the web build lacks the page.",
    responses(
        (status = 200, description = "The page.", content((String = "text/html"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn admin_page(headers: HeaderMap) -> ApiResult<Response> {
    page("beheer.html", &headers)
}

#[utoipa::path(
    get,
    path = "/werk",
    tag = "web",
    operation_id = "workPage",
    summary = "The work page (`/werk.html`): the work to be done, totals per buurt and, for staff in scope, by address.",
    description = "Everyone; the page asks the API for what it shows. 404 only when the web build lacks the page.",
    responses(
        (status = 200, description = "The page.", content((String = "text/html"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn work_page(headers: HeaderMap) -> ApiResult<Response> {
    page("werk.html", &headers)
}

#[utoipa::path(
    get,
    path = "/lopen",
    tag = "web",
    operation_id = "walkPage",
    summary = "The walk page (`/lopen.html`): a volunteer's routes and doors, installable and usable without a connection.",
    description = "Everyone; the page asks the API for the caller's routes (`myTurfs`). Its service worker (`/lopen-sw.js`) keeps the page for offline use; the page keeps the walk list and the visits not yet sent on the device.",
    responses(
        (status = 200, description = "The page.", content((String = "text/html"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn walk_page(headers: HeaderMap) -> ApiResult<Response> {
    page("lopen.html", &headers)
}

#[utoipa::path(
    get,
    path = "/urgentie",
    tag = "web",
    operation_id = "urgencyPage",
    summary = "The urgency page (`/urgentie.html`): indicators per buurt, CBS square and H3 hexagon on a map, with legend, table, trend and comparison.",
    description = "Everyone; the page asks the API for what it shows (aggregates only). 404 only when the web build lacks the page.",
    responses(
        (status = 200, description = "The page.", content((String = "text/html"))),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn urgency_page(headers: HeaderMap) -> ApiResult<Response> {
    page("urgentie.html", &headers)
}

/// A page of the web app under its short path (`/aanmelden` → `aanmelden.html`).
fn page(file: &'static str, headers: &HeaderMap) -> ApiResult<Response> {
    serve(file, headers).ok_or_else(|| ApiError::NotFound(format!("/{file} is not in this build")))
}

async fn asset(Path(path): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    serve(&path, &headers).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no such resource /{}",
            path.chars().take(128).collect::<String>()
        ))
    })
}
