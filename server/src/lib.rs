//! The wijkwerk server: HTTP (axum) over the in-memory model, and the CLI behind the `wijkwerk`
//! binary (stage 5 of the data flow; see docs/ARCHITECTURE.md).
//!
//! Handlers are thin: they parse the request, call `tiles` or `domain`, and map the result; CPU-bound
//! work runs on the blocking pool. The model is loaded from the store at start and swapped whole
//! (arc-swap), so readers never wait.

pub mod auth;
mod blocking;
mod cache;
mod clock;
pub mod commands;
pub mod config;
mod csv_file;
mod demo_seed;
mod error;
mod features;
mod letters;
mod links;
pub mod observations;
pub mod openapi;
pub mod pdf;
pub mod people;
mod photos;
mod progress;
mod retention;
mod routes;
mod state;
pub mod urgency_live;
pub mod work_items;

use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use domain::{Model, ModelBuilder};
pub use error::{ApiError, ApiResult};
pub use state::AppState;
use store::Store;

/// Largest request body accepted by JSON endpoints (413 beyond).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The HTTP application: every route behind the guard (caller, CSRF, security headers).
pub fn app(state: AppState) -> Router {
    let (router, _) = routes::router().split_for_parts();
    router
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), auth::guard))
        .layer(middleware::from_fn(log_requests))
        .with_state(state)
}

/// Logs failures (5xx as errors) and, at debug level, every request with its latency.
async fn log_requests(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let status = response.status();
    if status.is_server_error() {
        tracing::error!(%method, %path, status = status.as_u16(), "request failed");
    } else {
        tracing::debug!(%method, %path, status = status.as_u16(), micros = started.elapsed().as_micros() as u64, "request");
    }
    response
}

/// Loads the serving model from the store: every building, address and area, and the enrichment:
/// 3DBAG per building, the newest energy label per address, trees.
pub fn load_model(store: &dyn Store) -> store::Result<Model> {
    let started = Instant::now();
    let mut builder = ModelBuilder::default();
    for area in store.areas()? {
        builder.add_area(&area);
    }
    store.for_each_building(&mut |b| {
        builder.add_building(&b);
    })?;
    store.for_each_address(&mut |a| {
        builder.add_address(&a);
    })?;
    store.for_each_building_3d(&mut |b| builder.add_building_3d(&b))?;
    store.for_each_energy_label(&mut |l| builder.add_energy_label(&l))?;
    store.for_each_tree(&mut |t| builder.add_tree(&t))?;
    let model = builder.build();
    let s = model.stats();
    tracing::info!(
        buildings = s.buildings,
        addresses = s.addresses,
        areas = s.areas,
        buildings_3d = s.buildings_3d,
        energy_labels = s.energy_labels,
        trees = s.trees,
        heap_mb = model.heap_bytes() / (1 << 20),
        millis = started.elapsed().as_millis() as u64,
        "model loaded"
    );
    Ok(model)
}
