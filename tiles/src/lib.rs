//! wijkwerk's vector tile engine (stages 4a of the data flow).
//!
//! Sync and CPU-bound: no tokio, no HTTP, no store. Per tile it does
//! 1. an R-tree search of the in-memory [`domain::Model`] with a buffer of 1/64 tile;
//! 2. transform from fixed-point Web Mercator to tile units (integer shifts, see [`TileTransform`]);
//! 3. generalise for the zoom: blocks instead of buildings below z14, Douglas–Peucker on area
//!    boundaries, sub-pixel rings dropped, collinear vertices removed ([`simplify`]);
//! 4. clip rings that cross the buffered tile ([`clip_ring`]);
//! 5. encode Mapbox Vector Tile 2.1 ([`LayerBuilder`]).
//!
//! Engine modules (`coord`, `clip`, `simplify`, `encode`, `tilejson`, `style`) know no domain;
//! `layers/<layer>.rs` each turn one kind of domain object into features.

mod clip;
mod coord;
mod encode;
mod error;
mod layers;
mod polygon;
pub mod simplify;
mod style;
mod tilejson;

pub use clip::{ClipRect, clip_ring};
pub use coord::{MAX_ZOOM, TileCoord, TileTransform};
pub use encode::{GeomType, GeometryWriter, LayerBuilder, Value};
pub use error::{Error, Result};
pub use layers::{
    AddressesLayer, AreasLayer, BOUWJAAR_CLASSES, BUFFER, BUILDING_FOOTPRINT_MIN_ZOOM,
    BuildingsLayer, EXTENT, Field, Layer, all_layers, bouwjaar_class,
};
pub use style::{BOUWJAAR_COLOURS, Background, StyleSpec, style};
pub use tilejson::{TileJsonSpec, tilejson};

use domain::Model;

/// Name of the composite tileset holding every layer.
pub const COMPOSITE: &str = "all";

/// The layers served, by name, plus the composite [`COMPOSITE`].
pub struct TileSet {
    layers: Vec<Box<dyn Layer>>,
}

impl std::fmt::Debug for TileSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.layers.iter().map(|l| l.name()))
            .finish()
    }
}

impl Default for TileSet {
    fn default() -> Self {
        Self {
            layers: all_layers(),
        }
    }
}

impl TileSet {
    /// Names of the single layers, bottom first.
    pub fn layer_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.layers.iter().map(|l| l.name())
    }

    /// The layers a tileset name stands for: one layer, or all for [`COMPOSITE`].
    pub fn resolve(&self, name: &str) -> Result<Vec<&dyn Layer>> {
        if name == COMPOSITE {
            return Ok(self.layers.iter().map(AsRef::as_ref).collect());
        }
        self.layers
            .iter()
            .find(|l| l.name() == name)
            .map(|l| vec![l.as_ref()])
            .ok_or_else(|| Error::UnknownLayer(name.chars().take(64).collect()))
    }

    /// Renders tileset `name` at `tile`: the MVT bytes, empty when the tile has no features.
    pub fn render(&self, model: &Model, name: &str, tile: TileCoord) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        for layer in self.resolve(name)? {
            layer.render(model, tile, &mut out);
        }
        Ok(out)
    }
}
