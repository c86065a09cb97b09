//! The tile layers: each file turns one kind of domain object into tile features.
//!
//! Adding a layer means adding one file with a [`Layer`] implementation and listing it in
//! [`all_layers`]; the engine, TileJSON and the HTTP routes pick it up from there.

mod addresses;
mod areas;
mod buildings;

pub use addresses::AddressesLayer;
pub use areas::AreasLayer;
pub use buildings::{
    BOUWJAAR_CLASSES, BUILDING_FOOTPRINT_MIN_ZOOM, BuildingsLayer, bouwjaar_class,
};

use domain::Model;

use crate::TileCoord;

/// One attribute of a layer's features, for TileJSON's `vector_layers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Attribute name.
    pub name: &'static str,
    /// What it holds (TileJSON describes fields with a text).
    pub description: &'static str,
}

/// A tile layer: a name, a zoom range, an attribute schema and the rendering of domain objects.
pub trait Layer: Send + Sync {
    /// Layer name in tiles, TileJSON and URLs.
    fn name(&self) -> &'static str;
    /// One sentence for TileJSON.
    fn description(&self) -> &'static str;
    /// Lowest zoom with features.
    fn min_zoom(&self) -> u8;
    /// Highest zoom with new detail (clients over-zoom beyond).
    fn max_zoom(&self) -> u8;
    /// Attributes its features carry.
    fn fields(&self) -> &'static [Field];
    /// Appends this layer's features in `tile` as one MVT layer message to `out`; appends nothing
    /// when the tile has none.
    fn render(&self, model: &Model, tile: TileCoord, out: &mut Vec<u8>);
}

/// Every layer, in drawing order (bottom first).
pub fn all_layers() -> Vec<Box<dyn Layer>> {
    vec![
        Box::new(AreasLayer),
        Box::new(BuildingsLayer),
        Box::new(AddressesLayer),
    ]
}

/// Tile extent used by every layer.
pub const EXTENT: u32 = 4096;
/// Buffer around tiles, in tile units (1/64 of the tile).
pub const BUFFER: u32 = 64;
