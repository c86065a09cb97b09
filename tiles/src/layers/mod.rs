//! The tile layers: each file turns one kind of data — a register, or live data residents and staff
//! add — into tile features, for one viewer.
//!
//! One layer model for every layer. A layer gets what it draws from ([`Sources`]: the register
//! model, the live observations, the opt-out register, …) and who is looking ([`Draw::viewer`]);
//! it says who may receive it ([`Audience`]), which data it reads ([`Source`]) and which of its
//! tiles a change makes stale ([`Layer::stale`]). The [`crate::TileSet`] knows every layer; the HTTP
//! handler only resolves the caller, asks the cache and answers, and a change is described once
//! ([`Change`]) for the cache to invalidate from.
//!
//! Adding a layer means adding one file here with a [`Layer`] implementation, listing it in
//! [`all_layers`], and giving it a style (web) and a test; docs/ARCHITECTURE.md walks through it.

mod addresses;
mod areas;
mod buildings;
mod do_not_knock;
mod observation_counts;
mod observations;
mod public_space;
mod street_names;
mod trees;
mod urgency;
mod work;

use std::sync::RwLock;

pub use addresses::AddressesLayer;
pub use areas::AreasLayer;
pub use buildings::{
    BOUWJAAR_CLASSES, BUILDING_FOOTPRINT_MIN_ZOOM, BuildingsLayer, bouwjaar_class,
};
pub use do_not_knock::DoNotKnockLayer;
use domain::access::{DataClass, Principal, Purpose};
use domain::observations::ObservationIndex;
use domain::privacy::{KAnonymity, OptOutRegister};
use domain::{AreaRefs, Model, WorldPoint};
pub use observation_counts::ObservationCountsLayer;
pub use observations::ObservationsLayer;
pub use public_space::PublicSpaceLayer;
pub use street_names::StreetNamesLayer;
pub use trees::TreesLayer;
pub use urgency::{UrgencyLayer, layer_name as urgency_layer_name, zooms as urgency_zooms};
pub use work::WorkLayer;

use crate::TileCoord;

/// One attribute of a layer's features, for TileJSON's `vector_layers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Attribute name.
    pub name: &'static str,
    /// What it holds (TileJSON describes fields with a text).
    pub description: &'static str,
}

/// A kind of data layers draw from; a [`Change`] names the one it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The registers (BAG, CBS) and their enrichment (3DBAG, energy labels, tree registers): they
    /// change only with a new model, which drops every tile.
    Registers,
    /// Observations residents and staff report.
    Observations,
    /// The opt-out register (do-not-knock, research).
    OptOuts,
    /// Work items and their statuses.
    Work,
    /// The urgency indicators as released per level (their tiles go stale by comparing
    /// releases, see [`UrgencyLayer`]).
    Urgency,
}

/// What every layer may draw from. Live data sits behind its lock: a layer takes it only while it
/// draws its own features, so writers never wait for a whole tile.
pub struct Sources<'a> {
    /// The registers.
    pub model: &'a Model,
    /// The live observations.
    pub observations: &'a RwLock<ObservationIndex>,
    /// The work items.
    pub work: &'a RwLock<::work::WorkIndex>,
    /// Households that opted out, per purpose.
    pub opt_outs: &'a OptOutRegister,
    /// The k-anonymity rule of public aggregates.
    pub k_anonymity: KAnonymity,
    /// Now, Unix seconds (freshness of observations).
    pub now: i64,
    /// The urgency indicators released at the level of the tileset drawn (an urgency layer
    /// draws nothing without it).
    pub urgency: Option<&'a ::urgency::LevelRelease>,
}

impl std::fmt::Debug for Sources<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources")
            .field("k_anonymity", &self.k_anonymity)
            .finish_non_exhaustive()
    }
}

impl<'a> Sources<'a> {
    /// The registers alone: no live data (for tests, benchmarks and tools that draw registers).
    pub fn registers(model: &'a Model) -> Self {
        static NO_OBSERVATIONS: std::sync::OnceLock<RwLock<ObservationIndex>> =
            std::sync::OnceLock::new();
        static NO_OPT_OUTS: std::sync::OnceLock<OptOutRegister> = std::sync::OnceLock::new();
        static NO_WORK: std::sync::OnceLock<RwLock<::work::WorkIndex>> = std::sync::OnceLock::new();
        Self {
            model,
            observations: NO_OBSERVATIONS.get_or_init(RwLock::default),
            work: NO_WORK.get_or_init(RwLock::default),
            opt_outs: NO_OPT_OUTS.get_or_init(OptOutRegister::default),
            k_anonymity: KAnonymity::default(),
            now: 0,
            urgency: None,
        }
    }

    /// The work items, read (a poisoned lock still holds whole entries).
    pub fn work(&self) -> std::sync::RwLockReadGuard<'_, ::work::WorkIndex> {
        self.work
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The live observations, read (a poisoned lock still holds whole entries).
    pub fn observations(&self) -> std::sync::RwLockReadGuard<'_, ObservationIndex> {
        self.observations
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One tile of one layer being drawn for a viewer.
#[derive(Debug)]
pub struct Draw<'a> {
    /// The data.
    pub sources: &'a Sources<'a>,
    /// Who looks, by role only (a drawn tile is shared by everyone with the same grants, so it
    /// never depends on one's own verified home).
    pub viewer: &'a Principal,
    /// The tile.
    pub tile: TileCoord,
}

/// Who may receive a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Everyone: part of the public tile, cached once for all.
    Public,
    /// Per-household data: only for viewers the policy allows `purpose` on `class` somewhere, and
    /// then only the features at places the policy allows (each feature is asked at its own
    /// place). Drawn and cached per visibility class, never for the public.
    Household {
        /// The purpose the viewer needs.
        purpose: Purpose,
        /// The class of data the layer shows.
        class: DataClass,
    },
}

/// A change to data layers draw from, described once: the cache invalidates from it
/// ([`crate::TileSet::stale`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// What changed.
    pub source: Source,
    /// Where: the feature's point and the areas it lies in; `None` for everywhere.
    pub at: Option<(WorldPoint, AreaRefs)>,
}

impl Change {
    /// A change of `source` at a point in `areas`.
    pub fn at(source: Source, point: WorldPoint, areas: AreaRefs) -> Self {
        Self {
            source,
            at: Some((point, areas)),
        }
    }
}

/// What TileJSON and URLs know of a layer: its name (and earlier names), a sentence, its zoom range and
/// the attributes of its features. Each layer keeps one as a `const`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerMeta {
    /// Layer name in tiles, TileJSON and URLs.
    pub name: &'static str,
    /// Earlier names, still answered in URLs for one release.
    pub aliases: &'static [&'static str],
    /// One sentence for TileJSON.
    pub description: &'static str,
    /// Lowest zoom with features.
    pub min_zoom: u8,
    /// Highest zoom with new detail (clients over-zoom beyond).
    pub max_zoom: u8,
    /// Attributes its features carry.
    pub fields: &'static [Field],
}

/// A tile layer: its [`LayerMeta`], who may receive it, what it reads, and the drawing of its
/// features.
pub trait Layer: Send + Sync {
    /// Name, zoom range and attributes.
    fn meta(&self) -> &'static LayerMeta;
    /// Layer name in tiles, TileJSON and URLs.
    fn name(&self) -> &'static str {
        self.meta().name
    }
    /// Earlier names, still answered in URLs for one release.
    fn aliases(&self) -> &'static [&'static str] {
        self.meta().aliases
    }
    /// One sentence for TileJSON.
    fn description(&self) -> &'static str {
        self.meta().description
    }
    /// Lowest zoom with features.
    fn min_zoom(&self) -> u8 {
        self.meta().min_zoom
    }
    /// Highest zoom with new detail (clients over-zoom beyond).
    fn max_zoom(&self) -> u8 {
        self.meta().max_zoom
    }
    /// Attributes its features carry.
    fn fields(&self) -> &'static [Field] {
        self.meta().fields
    }
    /// Whether the composite tileset holds it (every layer but the urgency levels, which are
    /// tilesets of their own).
    fn in_composite(&self) -> bool {
        true
    }
    /// The urgency level it draws, for a layer that draws [`Sources::urgency`].
    fn urgency_level(&self) -> Option<::urgency::Level> {
        None
    }
    /// Who may receive it.
    fn audience(&self) -> Audience {
        Audience::Public
    }
    /// The data it draws from.
    fn reads(&self) -> &'static [Source] {
        &[Source::Registers]
    }
    /// The world box whose tiles (from [`min_zoom`](Self::min_zoom) up, with the tile buffer) a
    /// change makes stale, or `None` when the change is not this layer's. By default: the
    /// change's point, for a layer that reads its source; everything for a change everywhere.
    fn stale(&self, change: &Change, model: &Model) -> Option<[WorldPoint; 2]> {
        let _ = model;
        if !self.reads().contains(&change.source) {
            return None;
        }
        Some(
            change
                .at
                .map_or([[0, 0], [i32::MAX, i32::MAX]], |(p, _)| [p, p]),
        )
    }
    /// Appends this layer's features in the tile as one MVT layer message to `out`; appends
    /// nothing when the tile has none for this viewer.
    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>);
}

/// Every layer, in drawing order (bottom first).
pub fn all_layers() -> Vec<Box<dyn Layer>> {
    vec![
        Box::new(AreasLayer),
        Box::new(BuildingsLayer),
        Box::new(TreesLayer),
        Box::new(AddressesLayer),
        Box::new(StreetNamesLayer),
        Box::new(ObservationCountsLayer),
        Box::new(PublicSpaceLayer),
        Box::new(ObservationsLayer),
        Box::new(DoNotKnockLayer),
        Box::new(WorkLayer),
    ]
}

/// Tile extent used by every layer.
pub const EXTENT: u32 = 4096;
/// Buffer around tiles, in tile units (1/64 of the tile).
pub const BUFFER: u32 = 64;

/// Is a point in tile units inside the tile (points are drawn by the one tile that holds them)?
pub(crate) fn inside(p: WorldPoint) -> bool {
    (0..EXTENT as i32).contains(&p[0]) && (0..EXTENT as i32).contains(&p[1])
}
