//! `AppState`: what every handler can reach.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arc_swap::ArcSwap;
use domain::Model;
use tiles::TileSet;

use crate::cache::TileCache;
use crate::config::ServeConfig;
use crate::people::People;
use crate::reports::Reports;

/// Shared state of the HTTP server. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The serving model; swapped whole when the store changes, never mutated.
    pub model: Arc<ArcSwap<Model>>,
    /// Tile layers.
    pub tiles: Arc<TileSet>,
    /// Rendered tiles.
    pub cache: Arc<TileCache>,
    /// Serving configuration.
    pub config: Arc<ServeConfig>,
    /// WGS84 bounds of the data (west, south, east, north), computed when the model was built.
    pub bounds: Arc<ArcSwap<[f64; 4]>>,
    /// Accounts, mail, limits and the privacy registers.
    pub people: Arc<People>,
    /// Resident reports.
    pub reports: Arc<Reports>,
    /// Generation of the per-household data in private tiles; bumped when it changes.
    private_generation: Arc<AtomicU64>,
}

impl AppState {
    /// State serving `model`, with the people side in `people`.
    pub fn new(
        model: Model,
        config: ServeConfig,
        people: Arc<People>,
        reports: Arc<Reports>,
    ) -> Self {
        let bounds = data_bounds(&model);
        Self {
            model: Arc::new(ArcSwap::from_pointee(model)),
            tiles: Arc::new(TileSet::default()),
            cache: Arc::new(TileCache::new(config.tile_cache_mb)),
            config: Arc::new(config),
            bounds: Arc::new(ArcSwap::from_pointee(bounds)),
            people,
            reports,
            private_generation: Arc::new(AtomicU64::new(1)),
        }
    }

    /// Generation of the per-household data (part of private tile cache keys).
    pub fn private_generation(&self) -> u64 {
        self.private_generation.load(Ordering::Acquire)
    }

    /// Makes every cached private tile unreachable (the per-household data changed).
    pub fn invalidate_private_tiles(&self) {
        self.private_generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Drops exactly the cached tiles with report layers (`all` and the report overlays; the
    /// register layers never show reports) that show something in world box `b`, at zooms from
    /// `min_zoom` up, for every visibility class (the layers' tile buffer included).
    pub fn invalidate_box(&self, b: [domain::WorldPoint; 2], min_zoom: u8) {
        let generation = self.private_generation();
        self.cache.invalidate_box(
            b,
            min_zoom,
            generation,
            &crate::routes::tiles::REPORT_TILESETS,
        );
    }

    /// Replaces the model and drops every cached tile.
    pub fn replace_model(&self, model: Model) {
        self.bounds.store(Arc::new(data_bounds(&model)));
        self.model.store(Arc::new(model));
        self.cache.clear();
    }
}

/// WGS84 bounds of everything in the model; the Netherlands when it is empty.
pub fn data_bounds(model: &Model) -> [f64; 4] {
    let mut lo = [i32::MAX, i32::MAX];
    let mut hi = [i32::MIN, i32::MIN];
    let mut grow = |a: [i32; 2], b: [i32; 2]| {
        lo = [lo[0].min(a[0]), lo[1].min(a[1])];
        hi = [hi[0].max(b[0]), hi[1].max(b[1])];
    };
    for (_, [a, b]) in model.buildings_in([0, 0], [i32::MAX, i32::MAX]) {
        grow(a, b);
    }
    for area in model.area_rows() {
        let [a, b] = area.bbox();
        grow(a, b);
    }
    if lo[0] > hi[0] {
        return [3.2, 50.7, 7.3, 53.6];
    }
    let (w, n) = domain::world_to_lonlat(lo);
    let (e, s) = domain::world_to_lonlat(hi);
    [w, s, e, n]
}
