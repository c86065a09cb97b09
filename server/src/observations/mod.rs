//! Resident reports: observation types, the durable write path (group commit), the live index the
//! map reads, and where a report lies (building, address, point).

pub mod pii;
pub mod submit;
pub mod types;
pub mod writer;

use std::path::Path;
use std::sync::{Arc, RwLock};

use domain::{AreaCode, AreaRefs, BagId, Model, WorldPoint, lonlat_to_world, world_to_lonlat};
use store::{Observation, SqliteStore};

pub use domain::observations::{Feature, LiveObservation, ObservationIndex, Subject};
pub use types::{FieldError, ObservationType, TargetKind, TypeDefinition, TypeRegistry};
pub use writer::ObservationQueue;

use tiles::{Change, Source};

/// Settings of reporting.
#[derive(Debug, Clone)]
pub struct ObservationSettings {
    /// Open311 POST without a session.
    pub open311_anonymous: bool,
    /// Abuse flags that hide a report.
    pub flags_to_hide: u32,
    /// Photos per report.
    pub max_photos: u32,
    /// Photos decoded at once (`--photo-workers`; default: the number of cores).
    pub photo_workers: usize,
}

impl Default for ObservationSettings {
    fn default() -> Self {
        Self {
            open311_anonymous: false,
            flags_to_hide: 3,
            max_photos: 3,
            photo_workers: std::thread::available_parallelism().map_or(2, usize::from),
        }
    }
}

/// Everything about reports the server keeps.
#[derive(Debug)]
pub struct Observations {
    /// Observation types.
    pub types: RwLock<TypeRegistry>,
    /// Live reports.
    pub index: RwLock<ObservationIndex>,
    /// The durable write path.
    pub queue: ObservationQueue,
    /// Settings.
    pub settings: ObservationSettings,
    /// The photo decoders, `settings.photo_workers` at a time.
    pub photo_pool: crate::photos::DecodePool,
}

/// Lock helpers that survive poisoning (the data stays consistent: writers replace whole entries).
pub fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// See [`read`].
pub fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Observations {
    /// Loads types and live reports and starts the writer on the store file `db`.
    pub fn load(
        store: &SqliteStore,
        db: &Path,
        model: &Model,
        settings: ObservationSettings,
    ) -> store::Result<Self> {
        let types = TypeRegistry::load(&store.observation_types()?);
        let mut index = ObservationIndex::default();
        for r in store.live_observations()? {
            if let Some(live) = live_observation(&r, model, &types) {
                index.upsert(live);
            }
        }
        tracing::info!(live = index.len(), "reports loaded");
        Ok(Self {
            types: RwLock::new(types),
            index: RwLock::new(index),
            queue: ObservationQueue::start(db)?,
            photo_pool: crate::photos::DecodePool::new(settings.photo_workers),
            settings,
        })
    }

    /// Puts observation `id` on the map as the store holds it now (or takes it off when it is
    /// closed, hidden or gone); returns the changes to tell the tile cache about (where it was
    /// and where it is).
    ///
    /// The observation is read from the store under the index's write lock, after the caller's
    /// commit: two writes to one observation that refresh in the other order still leave the index
    /// as the store is (a snapshot taken before the lock could be older than one already applied).
    /// Also returns the observation as read, and the live observation as it was and as it is
    /// (what the work items derived from it need).
    pub fn refresh(&self, store: &SqliteStore, id: i64, model: &Model) -> store::Result<Refreshed> {
        let types = read(&self.types);
        let mut idx = write(&self.index);
        let stored = store.observation(id)?;
        let mut changes = Vec::new();
        let mut touched = Vec::new();
        if let Some(old) = idx.remove(id) {
            changes.push(Change::at(Source::Observations, old.point, old.areas));
            touched.push(old);
        }
        if let Some(r) = stored.as_ref().filter(|r| on_map(r))
            && let Some(live) = live_observation(r, model, &types)
        {
            changes.push(Change::at(Source::Observations, live.point, live.areas));
            touched.push(live.clone());
            idx.upsert(live);
        }
        Ok(Refreshed {
            stored,
            changes,
            touched,
        })
    }
}

/// What [`Observations::refresh`] did.
#[derive(Debug)]
pub struct Refreshed {
    /// The observation as the store holds it now.
    pub stored: Option<Observation>,
    /// The changes to tell the tile cache about.
    pub changes: Vec<Change>,
    /// The live observation as it was and as it is.
    pub touched: Vec<LiveObservation>,
}

/// Is an observation drawn on the map (open: not hidden, not closed)?
fn on_map(r: &Observation) -> bool {
    r.status.is_on_map()
}

/// Bounding box of a building's footprint.
pub fn building_box(model: &Model, row: u32) -> [WorldPoint; 2] {
    let mut lo = [i32::MAX, i32::MAX];
    let mut hi = [i32::MIN, i32::MIN];
    for ring in model.building(row).rings() {
        for p in ring.0 {
            lo = [lo[0].min(p[0]), lo[1].min(p[1])];
            hi = [hi[0].max(p[0]), hi[1].max(p[1])];
        }
    }
    if lo[0] > hi[0] {
        return [[0, 0], [0, 0]];
    }
    [lo, hi]
}

/// The point a building's report is drawn at: the middle of its footprint's box.
pub fn building_point(model: &Model, row: u32) -> WorldPoint {
    let [lo, hi] = building_box(model, row);
    [
        i64::midpoint(i64::from(lo[0]), i64::from(hi[0])) as i32,
        i64::midpoint(i64::from(lo[1]), i64::from(hi[1])) as i32,
    ]
}

/// The report as the map shows it, if its place still exists in the model.
pub fn live_observation(
    r: &Observation,
    model: &Model,
    types: &TypeRegistry,
) -> Option<LiveObservation> {
    let o = &r.observation;
    let t = types
        .version(&o.kind, r.type_version)
        .or_else(|| types.current(&o.kind))?;
    let answers: serde_json::Value = serde_json::from_str(&o.answers).unwrap_or_default();
    let pand = o
        .building_id
        .and_then(BagId::new)
        .and_then(|b| model.find_building(b));
    let (point, areas) = if let Some(b) = &pand {
        (building_point(model, b.index()), b.areas())
    } else if let Some(a) = o
        .address_id
        .and_then(BagId::new)
        .and_then(|a| model.find_address(a))
    {
        (a.point(), a.areas())
    } else {
        let p = lonlat_to_world(o.lonlat[0], o.lonlat[1]);
        let areas = o
            .buurtcode
            .as_deref()
            .and_then(|b| b.parse::<AreaCode>().ok())
            .map(AreaRefs::from_code)
            .unwrap_or_default();
        (p, areas)
    };
    let (lon, lat) = world_to_lonlat(point);
    let tree = r
        .tree_id
        .as_deref()
        .and_then(|number| model.tree_named_near(number, point, domain::TREE_LINK_METRES))
        .map(|t| t.id().get());
    Some(LiveObservation {
        id: r.id,
        kind: o.kind.clone(),
        status_class: t.status_class(&answers),
        observed_at: o.observed_at,
        confirmations: r.confirmations,
        point,
        lonlat: [lon, lat],
        // Drawn at (and grouped by) the pand only while the model has it; else by its address
        // or point, so every member of a map feature has the same point.
        building: pand.map(|b| b.id().get()),
        address: o.address_id,
        tree,
        areas,
        public_space: t.def.public_space,
        reporter: o.reporter_id,
        accountable: r.accountable,
    })
}

pub use domain::observations::resource_of;

/// The buurt (and its wijk and gemeente) whose boundary holds a WGS84 point.
pub fn areas_at(model: &Model, lonlat: [f64; 2]) -> AreaRefs {
    model.areas_at(lonlat_to_world(lonlat[0], lonlat[1]))
}

/// Shared handle.
pub type SharedReports = Arc<Observations>;
