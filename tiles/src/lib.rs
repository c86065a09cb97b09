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

pub use clip::{ClipRect, clip_ring, clip_segment};
pub use coord::{MAX_ZOOM, TileCoord, TileTransform};
pub use encode::{GeomType, GeometryWriter, LayerBuilder, Value};
pub use error::{Error, Result};
pub use layers::{
    AddressesLayer, AreasLayer, Audience, BOUWJAAR_CLASSES, BUFFER, BUILDING_FOOTPRINT_MIN_ZOOM,
    BuildingsLayer, Change, DoNotKnockLayer, Draw, EXTENT, Field, Layer, LayerMeta,
    ObservationCountsLayer, ObservationsLayer, PublicSpaceLayer, Source, Sources, StreetNamesLayer,
    TreesLayer, UrgencyLayer, WorkLayer, all_layers, bouwjaar_class, urgency_layer_name,
    urgency_zooms,
};
pub use style::{BOUWJAAR_COLOURS, Background, StyleSpec, style};
pub use tilejson::{TileJsonSpec, tilejson};

use domain::access::{Decision, Place, Principal, Resource, decide};
use domain::{Model, WorldPoint};

/// Name of the composite tileset holding every layer.
pub const COMPOSITE: &str = "all";

/// A tileset: one layer (its place in the list), or the composite of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TilesetId(u8);

impl TilesetId {
    /// The composite of every layer.
    pub const COMPOSITE: Self = Self(u8::MAX);
}

/// The part of a tile a viewer receives: the public layers, the same for everyone and cached once;
/// and the per-household layers, drawn and cached per visibility class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Layers with [`Audience::Public`].
    Public,
    /// Layers with [`Audience::Household`] the viewer may receive.
    Household,
}

/// The layers served, by name (and earlier names), plus the composite [`COMPOSITE`].
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
    /// Every layer of [`all_layers`] and an urgency layer per level for the indicators of `set`.
    pub fn with_urgency(set: &urgency::IndicatorSet) -> Self {
        let mut layers = all_layers();
        for level in urgency::Level::ALL {
            layers.push(Box::new(UrgencyLayer::new(level, set)));
        }
        Self { layers }
    }

    /// The tileset of the urgency layer of `level`, when there is one.
    pub fn urgency_tileset(&self, level: urgency::Level) -> Option<TilesetId> {
        self.layers
            .iter()
            .position(|l| l.urgency_level() == Some(level))
            .map(|i| TilesetId(i as u8))
    }

    /// Names of the single layers, bottom first.
    pub fn layer_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.layers.iter().map(|l| l.name())
    }

    /// The tileset a name (or an earlier name of a layer) stands for.
    pub fn resolve(&self, name: &str) -> Result<TilesetId> {
        if name == COMPOSITE {
            return Ok(TilesetId::COMPOSITE);
        }
        self.layers
            .iter()
            .position(|l| l.name() == name || l.aliases().contains(&name))
            .map(|i| TilesetId(i as u8))
            .ok_or_else(|| Error::UnknownLayer(name.chars().take(64).collect()))
    }

    /// The name of a tileset.
    pub fn name(&self, id: TilesetId) -> &'static str {
        self.layer(id).map_or(COMPOSITE, |l| l.name())
    }

    /// The one layer of a single-layer tileset.
    pub fn layer(&self, id: TilesetId) -> Option<&dyn Layer> {
        self.layers.get(usize::from(id.0)).map(AsRef::as_ref)
    }

    /// The layers of a tileset, bottom first.
    pub fn layers(&self, id: TilesetId) -> Vec<&dyn Layer> {
        match self.layer(id) {
            Some(l) => vec![l],
            None => self
                .layers
                .iter()
                .filter(|l| l.in_composite())
                .map(AsRef::as_ref)
                .collect(),
        }
    }

    /// The layers of tileset `id` that `viewer` receives, in `part`: the public layers, or the
    /// per-household layers whose data the policy lets the viewer see somewhere.
    pub fn layers_for(&self, id: TilesetId, part: Part, viewer: &Principal) -> Vec<&dyn Layer> {
        self.layers(id)
            .into_iter()
            .filter(|l| match (l.audience(), part) {
                (Audience::Public, Part::Public) => true,
                (Audience::Household { purpose, class }, Part::Household) => {
                    may_receive(viewer, purpose, class)
                }
                _ => false,
            })
            .collect()
    }

    /// Every layer of tileset `id` the viewer receives (TileJSON's `vector_layers`).
    pub fn visible_layers(&self, id: TilesetId, viewer: &Principal) -> Vec<&dyn Layer> {
        let mut v = self.layers_for(id, Part::Public, viewer);
        v.extend(self.layers_for(id, Part::Household, viewer));
        v
    }

    /// Draws `part` of tileset `id` at `tile` for `viewer`: the MVT bytes (MVT layers are
    /// independent messages, so a composite tile is its parts' bytes in a row), empty when there
    /// is nothing to draw.
    pub fn render_part(
        &self,
        id: TilesetId,
        part: Part,
        sources: &Sources<'_>,
        viewer: &Principal,
        tile: TileCoord,
    ) -> Vec<u8> {
        let draw = Draw {
            sources,
            viewer,
            tile,
        };
        let mut out = Vec::new();
        for layer in self.layers_for(id, part, viewer) {
            layer.render(&draw, &mut out);
        }
        out
    }

    /// Renders the public part of tileset `name` at `tile` (registers and public live layers).
    pub fn render(&self, sources: &Sources<'_>, name: &str, tile: TileCoord) -> Result<Vec<u8>> {
        let id = self.resolve(name)?;
        Ok(self.render_part(id, Part::Public, sources, &Principal::Anonymous, tile))
    }

    /// The cached tiles a change makes stale: for every layer that reads what changed, its own
    /// tileset and the composite, the world box (tile buffer added by the cache) and the lowest
    /// zoom that shows it.
    pub fn stale(&self, change: &Change, model: &Model) -> Vec<(TilesetId, [WorldPoint; 2], u8)> {
        let mut out = Vec::new();
        for (i, layer) in self.layers.iter().enumerate() {
            if let Some(b) = layer.stale(change, model) {
                out.push((TilesetId(i as u8), b, layer.min_zoom()));
                if layer.in_composite() {
                    out.push((TilesetId::COMPOSITE, b, layer.min_zoom()));
                }
            }
        }
        out
    }
}

/// May `viewer` receive a per-household layer of `class` for `purpose` at all (somewhere in
/// their scope)? Its features are then filtered at their own places.
pub fn may_receive(
    viewer: &Principal,
    purpose: domain::access::Purpose,
    class: domain::access::DataClass,
) -> bool {
    decide(viewer, purpose, &Resource::new(class, Place::Somewhere)) == Decision::Allow
}
