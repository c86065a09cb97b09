//! The web map, built from `web/` by `build.rs` and embedded in the binary, served at `/`.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

mod assets {
    include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/aanmelden", get(|| page("aanmelden.html")))
        .route("/account", get(|| page("account.html")))
        .route("/beheer", get(|| page("beheer.html")))
        .route("/werk", get(|| page("werk.html")))
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

async fn index() -> ApiResult<Response> {
    serve("index.html").ok_or_else(|| ApiError::Internal("web map missing from the build".into()))
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
