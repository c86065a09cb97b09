//! `AppState`: what every handler can reach.

use std::sync::Arc;

use arc_swap::ArcSwap;
use domain::Model;
use tiles::{Change, TileSet};

use crate::cache::TileCache;
use crate::config::ServeConfig;
use crate::observations::Observations;
use crate::people::People;

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
    /// Observations residents and staff report.
    pub observations: Arc<Observations>,
    /// The work to be done.
    pub work: Arc<crate::work_items::WorkLock>,
    /// The urgency indicators.
    pub urgency: Arc<crate::urgency_live::Urgency>,
}

impl AppState {
    /// State serving `model`, with the people side in `people`.
    pub fn new(
        model: Model,
        config: ServeConfig,
        people: Arc<People>,
        observations: Arc<Observations>,
        work: work::WorkIndex,
        indicators: urgency::IndicatorSet,
    ) -> Self {
        let bounds = data_bounds(&model);
        Self {
            model: Arc::new(ArcSwap::from_pointee(model)),
            tiles: Arc::new(TileSet::with_urgency(&indicators)),
            cache: Arc::new(TileCache::new(config.tile_cache_mb)),
            config: Arc::new(config),
            bounds: Arc::new(ArcSwap::from_pointee(bounds)),
            people,
            observations,
            work: Arc::new(std::sync::RwLock::new(work)),
            urgency: Arc::new(crate::urgency_live::Urgency::new(indicators)),
        }
    }

    /// The one place a change to data the map draws is told: the tile set names the cached tiles
    /// it makes stale (every layer that reads what changed, for every visibility class), and the
    /// cache drops exactly those. Call it after the change is committed (ADR 9: renders that
    /// overlap it are then not kept).
    pub fn changed(&self, change: &Change) {
        let model = self.model.load();
        let mut by_box: Vec<([domain::WorldPoint; 2], u8, Vec<tiles::TilesetId>)> = Vec::new();
        for (tileset, b, min_zoom) in self.tiles.stale(change, &model) {
            match by_box
                .iter_mut()
                .find(|(bb, z, _)| *bb == b && *z == min_zoom)
            {
                Some((_, _, sets)) => sets.push(tileset),
                None => by_box.push((b, min_zoom, vec![tileset])),
            }
        }
        for (b, min_zoom, sets) in by_box {
            self.cache.invalidate_box(b, min_zoom, &sets);
        }
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
