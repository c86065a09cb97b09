//! Persistence of wijkwerk behind one trait.
//!
//! Stage 2 of the data flow: domain values in WGS84 go in and come out; nothing here knows a source
//! format or a projection. [`Store`] is the seam: the embedded default is [`SqliteStore`] (one file,
//! WAL, migrations in `migrations/`); a PostGIS backend implements the same trait to scale out.
//!
//! Invariants every backend keeps:
//! - an import ([`Store::begin_import`] … [`ImportTx::commit`]) is one transaction: until `commit`
//!   returns `Ok`, no reader sees any of it, and dropping the transaction leaves the store exactly as
//!   it was;
//! - importing a source again replaces everything that source brought before (idempotent);
//! - geometry is WGS84 lon/lat.

mod error;
pub mod people;
mod sqlite;

use domain::{Address, Area, AreaRefs, Building, Building3d, EnergyLabel, Tree};

pub use error::{Error, Result};
pub use sqlite::SqliteStore;
pub use sqlite::assignments::{
    AssignmentEvent, AssignmentRow, AssignmentTerms, DeliveryRow, PlannedItem,
};
pub use sqlite::campaigns::{
    CampaignRow, CampaignSpec, DoorRecord, KeptOutcome, NewTurf, OpOutcome, TurfCounts, TurfRow,
    VisitOp,
};
pub use sqlite::observation_writer::{
    ObservationWriter, PendingObservation, PendingWrite, WriteOutcome, Written,
};
pub use sqlite::observations::Observation;
pub use sqlite::people::MAX_CODE_ATTEMPTS;
pub use sqlite::talent::{HoursRow, InvitationRow, InvitedItem, TalentOffer, TalentOfferRow};
pub use sqlite::urgency::SnapshotRow;
pub use sqlite::work::WorkStatusRow;

/// What kind of register a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// BAG buildings and addresses (bag-light GeoPackage, BAG 2.0 XML extract, an OGR source).
    Bag,
    /// CBS wijk- en buurtkaart areas.
    Cbs,
    /// 3DBAG roof and height attributes per pand.
    ThreeDBag,
    /// EP-Online energy labels per verblijfsobject.
    EnergyLabels,
    /// A municipal tree register.
    Trees,
}

impl SourceKind {
    /// Every kind.
    pub const ALL: [Self; 5] = [
        Self::Bag,
        Self::Cbs,
        Self::ThreeDBag,
        Self::EnergyLabels,
        Self::Trees,
    ];

    /// Name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bag => "bag",
            Self::Cbs => "cbs",
            Self::ThreeDBag => "3dbag",
            Self::EnergyLabels => "ep-online",
            Self::Trees => "trees",
        }
    }

    /// The kind stored as `text` (the schema allows no other; BAG for anything unknown).
    pub fn from_stored(text: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .unwrap_or(Self::Bag)
    }
}

/// Identifies an imported source. Importing a source with the same `key` again replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// Stable key, e.g. `bag-light:bag-light.gpkg` or `bag-xml:0221`.
    pub key: String,
    /// Kind of register.
    pub kind: SourceKind,
    /// Format name, e.g. `bag-light GeoPackage`.
    pub format: String,
    /// Where it was read from (for people; not used to identify).
    pub location: String,
}

/// A source as recorded in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRecord {
    /// The source.
    pub info: SourceInfo,
    /// When it was imported, RFC 3339 UTC.
    pub imported_at: String,
    /// Rows it brought.
    pub counts: Counts,
}

/// Row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Buildings (all statuses).
    pub buildings: u64,
    /// Addresses.
    pub addresses: u64,
    /// Areas.
    pub areas: u64,
    /// Panden with 3DBAG facts.
    pub buildings_3d: u64,
    /// Verblijfsobjecten with an energy label.
    pub energy_labels: u64,
    /// Trees.
    pub trees: u64,
}

/// One import in progress. Dropping it without [`commit`](Self::commit) rolls everything back.
pub trait ImportTx {
    /// Adds or replaces a building.
    fn put_building(&mut self, building: &Building) -> Result<()>;
    /// Adds or replaces an address.
    fn put_address(&mut self, address: &Address) -> Result<()>;
    /// Adds or replaces an area.
    fn put_area(&mut self, area: &Area) -> Result<()>;
    /// Every area in the store as this transaction sees it (for the spatial join).
    fn areas(&mut self) -> Result<Vec<Area>>;
    /// Adds or replaces 3DBAG's facts about a pand, with its roof parts.
    fn put_building_3d(&mut self, building: &Building3d) -> Result<()>;
    /// Adds or replaces the energy label of a verblijfsobject.
    fn put_energy_label(&mut self, label: &EnergyLabel) -> Result<()>;
    /// Adds or replaces a tree.
    fn put_tree(&mut self, tree: &Tree) -> Result<()>;
    /// The ids of every address in the store as this transaction sees it, ascending (to tell
    /// which records of an enrichment source name a known address).
    fn address_ids(&mut self) -> Result<Vec<u64>>;
    /// The ids of every building in the store as this transaction sees it, ascending.
    fn building_ids(&mut self) -> Result<Vec<u64>>;
    /// Recomputes the area references of every building and address (after areas changed).
    /// `building` and `address` return the new references. Returns how many rows were visited.
    fn rejoin(
        &mut self,
        building: &mut dyn FnMut(&Building) -> AreaRefs,
        address: &mut dyn FnMut(&Address) -> AreaRefs,
    ) -> Result<u64>;
    /// Makes the import durable and visible. Returns what the source now holds.
    fn commit(self: Box<Self>) -> Result<Counts>;
}

/// The persistence seam. Implementations are shared across threads (`Arc<dyn Store>`).
pub trait Store: Send + Sync {
    /// Starts an import replacing whatever `source` brought before. Only one import runs at a time;
    /// a second waits or fails with [`Error::Busy`].
    fn begin_import<'a>(&'a self, source: &SourceInfo) -> Result<Box<dyn ImportTx + 'a>>;
    /// Calls `f` with every building (all statuses), in id order.
    fn for_each_building(&self, f: &mut dyn FnMut(Building)) -> Result<()>;
    /// Calls `f` with every address, in id order.
    fn for_each_address(&self, f: &mut dyn FnMut(Address)) -> Result<()>;
    /// Every area, by code.
    fn areas(&self) -> Result<Vec<Area>>;
    /// Calls `f` with 3DBAG's facts about every pand that has them, in id order.
    fn for_each_building_3d(&self, f: &mut dyn FnMut(Building3d)) -> Result<()>;
    /// Calls `f` with every stored energy label (one per verblijfsobject), in id order.
    fn for_each_energy_label(&self, f: &mut dyn FnMut(EnergyLabel)) -> Result<()>;
    /// Calls `f` with every tree, in id order.
    fn for_each_tree(&self, f: &mut dyn FnMut(Tree)) -> Result<()>;
    /// Imported sources.
    fn sources(&self) -> Result<Vec<SourceRecord>>;
    /// Row counts of the whole store.
    fn counts(&self) -> Result<Counts>;
    /// Number of buildings per BAG status text, as stored (for checks and reports).
    fn building_status_counts(&self) -> Result<Vec<(String, u64)>>;
}
