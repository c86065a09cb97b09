//! The web map, built from `web/` by `build.rs` and embedded in the binary, served at `/`.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
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

fn serve(path: &str) -> Option<Response> {
    let (_, body) = assets::ASSETS.iter().find(|(p, _)| *p == path)?;
    // Vite puts content hashes in the names under assets/: those never change.
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Some(
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(content_type(path)),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
            ],
            *body,
        )
            .into_response(),
    )
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
async fn index() -> ApiResult<Response> {
    serve("index.html").ok_or_else(|| ApiError::Internal("web map missing from the build".into()))
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
async fn sign_in_page() -> ApiResult<Response> {
    page("aanmelden.html").await
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
async fn account_page() -> ApiResult<Response> {
    page("account.html").await
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
async fn admin_page() -> ApiResult<Response> {
    page("beheer.html").await
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
async fn work_page() -> ApiResult<Response> {
    page("werk.html").await
}

/// A page of the web app under its short path (`/aanmelden` → `aanmelden.html`).
fn page(file: &'static str) -> impl Future<Output = ApiResult<Response>> {
    std::future::ready(
        serve(file).ok_or_else(|| ApiError::NotFound(format!("/{file} is not in this build"))),
    )
}

async fn asset(Path(path): Path<String>) -> ApiResult<Response> {
    serve(&path).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no such resource /{}",
            path.chars().take(128).collect::<String>()
        ))
    })
}
