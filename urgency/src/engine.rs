//! Tallies every indicator at every level, and keeps them current unit by unit.
//!
//! A *unit* is one thing an indicator counts: a pand, a verblijfsobject, a work item, a report
//! or a door. Each unit is evaluated once against every indicator over its kind and lies in one
//! cell of every level; its part (in the denominator, the numerator, the baseline, what it adds
//! to the sum) is added to those cells' tallies. An update subtracts a unit's old part and adds
//! its new one, so that an incremental update gives exactly what a full recompute gives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use smallvec::SmallVec;

use domain::observations::LiveObservation;
use domain::rd::wgs84_to_rd;
use domain::{AddressRow, BuildingRow};
use domain::{AreaRefs, BagId, Model, WorldPoint, world_to_lonlat};
use rules::Row;
use work::{ItemRef, Observed, Sources, Target, TargetKind, WorkIndex};

use crate::file::{IndicatorSet, Measure, Over, Schemas, Sum, door_slot, report_slot};
use crate::level::{Cell, LEVELS, Level};
use crate::raster::Raster;

/// The multiplicative hash of rustc (FxHash): the keys here are ids the server made or BAG
/// numbers, not attacker-chosen strings, and SipHash was a fifth of a full recompute.
#[derive(Debug, Clone, Copy, Default)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }

    fn write_u16(&mut self, i: u16) {
        self.write_u64(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }

    fn write_i64(&mut self, i: i64) {
        self.write_u64(i as u64);
    }

    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxBuild = std::hash::BuildHasherDefault<Fx>;

/// What a full recompute already holds about a unit, so it is not looked up again.
#[derive(Clone, Copy)]
enum Hint<'a> {
    /// Nothing: look it up.
    None,
    /// A pand's row, with the open observations gathered once.
    Building(BuildingRow<'a>, &'a Gathered<'a>),
    /// An address's row, with the open observations gathered once.
    Address(AddressRow<'a>, &'a Gathered<'a>),
    /// A work item, with its pand's and address's rows and the open observations gathered
    /// once.
    Item(ItemRef<'a>, Rows<'a>, &'a Gathered<'a>),
}

/// A work item's pand and address rows.
type Rows<'a> = (Option<BuildingRow<'a>>, Option<AddressRow<'a>>);

/// What the open observations say, gathered once for a full recompute.
struct Gathered<'a> {
    /// About every pand and address, by the rules' fields.
    targets: Observed<'a>,
    /// The same by the work items' fields.
    items: Observed<'a>,
    /// The distinct reporters about every pand and address.
    reporters: FxMap<Target, Vec<i64>>,
}

impl<'a> Gathered<'a> {
    fn new(inputs: &Inputs<'a>, schemas: &Schemas) -> Self {
        use domain::observations::Subject;
        let fields = inputs.work.fields();
        let mut reporters: FxMap<Target, Vec<i64>> = FxMap::default();
        for o in inputs.src.observations.all() {
            if !fields.types().iter().any(|t| t.name == o.kind) {
                continue;
            }
            let target = match Subject::of(o) {
                Subject::Building(b) => Target::Pand(b),
                Subject::Address(a) => Target::Verblijfsobject(a),
                Subject::Observation(_) => continue,
            };
            reporters.entry(target).or_default().push(reporter_of(o));
        }
        for v in reporters.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        Self {
            targets: inputs.work.observed(inputs.src.observations),
            items: schemas.items.observed(inputs.src.observations),
            reporters,
        }
    }

    /// The distinct reporters about a pand or an address.
    fn reporters(&self, target: Target) -> Vec<i64> {
        self.reporters.get(&target).cloned().unwrap_or_default()
    }
}

/// Finds the rows of targets that come mostly in the registers' order (the work items of a
/// full recompute): from the last row found, the next few are tried, then a galloping search
/// ahead (rows are sorted by identificatie), then the whole.
#[derive(Default)]
struct RowCursor {
    building: u32,
    address: u32,
}

/// The row in `[0, n)` whose id (`id_at`, ascending) is `id`, searched from `*at`, which it
/// moves to the row found.
fn seek(at: &mut u32, n: u32, id_at: impl Fn(u32) -> u64, id: u64) -> Option<u32> {
    let start = (*at).min(n);
    for i in start..n.min(start.saturating_add(3)) {
        if id_at(i) == id {
            *at = i;
            return Some(i);
        }
    }
    let (mut lo, mut hi) = (0, n);
    if start < n && id_at(start) < id {
        lo = start;
        let mut step = 4u32;
        loop {
            let probe = start.saturating_add(step);
            if probe >= n || id_at(probe) >= id {
                hi = probe.min(n);
                break;
            }
            lo = probe;
            step = step.saturating_mul(2);
        }
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if id_at(mid) < id {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    (lo < n && id_at(lo) == id).then(|| {
        *at = lo;
        lo
    })
}

impl RowCursor {
    fn rows<'m>(&mut self, model: &'m Model, target: Target) -> Rows<'m> {
        match target {
            Target::Pand(id) => {
                let n = u32::try_from(model.building_count()).unwrap_or(u32::MAX);
                let row = seek(&mut self.building, n, |i| model.building(i).id().get(), id);
                (row.map(|i| model.building(i)), None)
            }
            Target::Verblijfsobject(id) => {
                let n = u32::try_from(model.address_count()).unwrap_or(u32::MAX);
                let row = seek(&mut self.address, n, |i| model.address(i).id().get(), id);
                let a = row.map(|i| model.address(i));
                let pand = a.and_then(|a| a.building_rows().first().map(|i| model.building(*i)));
                (pand, a)
            }
            Target::PublicSpace(_) | Target::Tree(_) => (None, None),
        }
    }
}
type FxMap<K, V> = HashMap<K, V, FxBuild>;

/// Seconds in a day.
const DAY: i64 = 86_400;
/// No cell at this level (an address outside every buurt).
const NONE: u32 = u32::MAX;

/// A door on a campaign route, as the campaigns know it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DoorState {
    /// Knocked on in some campaign.
    pub visited: bool,
    /// Someone answered.
    pub answered: bool,
    /// The household signed up.
    pub signed_up: bool,
    /// The account that recorded the (latest) visit, when known.
    pub visitor: Option<i64>,
}

/// What the indicators read.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The registers, the open observations and now.
    pub src: Sources<'a>,
    /// The work items.
    pub work: &'a WorkIndex,
    /// The doors on campaign routes.
    pub doors: &'a HashMap<u64, DoorState>,
    /// Has this address opted out of research (left out of every indicator)?
    pub opted_out: &'a (dyn Fn(u64) -> bool + Sync),
}

/// One thing counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    /// A pand, by its BAG id.
    Pand(u64),
    /// A verblijfsobject, by its BAG id.
    Verblijfsobject(u64),
    /// A work item: its rule's index and its target.
    Work(u16, Target),
    /// A report, by its id.
    Report(i64),
    /// A door, by its address.
    Door(u64),
}

/// A unit's part in one indicator (16 bytes: most units have up to four).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Part {
    /// The indicator's index.
    indicator: u16,
    den: bool,
    num: bool,
    base: bool,
    /// Added to the sum (a share's sum over the numerator; a mean's value).
    add: f64,
    /// A mean's value is known.
    valued: bool,
}

#[derive(Debug, Clone)]
struct UnitState {
    /// Its record key for the cell-key method (0 without one).
    key: u32,
    cells: [u32; LEVELS],
    households: u32,
    /// Units that share households (work items on one target, reports about one home) count
    /// them once per indicator: by this key.
    household_key: Option<Target>,
    reporters: Box<[i64]>,
    /// Per indicator with a part (in a denominator, a numerator or a baseline): its index
    /// and part.
    parts: SmallVec<[Part; 4]>,
}

/// The units' states: a pand's and an address's by their rows (a full recompute writes them in
/// the registers' order, without hashing), the others by unit.
#[derive(Debug, Clone, Default)]
struct Units {
    pand: Vec<Option<UnitState>>,
    address: Vec<Option<UnitState>>,
    other: FxMap<Unit, UnitState>,
}

impl Units {
    /// Where `unit` is kept: its row for a pand or an address (`row` when known; `None` for a
    /// pand or address the registers do not hold).
    fn row(model: &Model, unit: Unit, row: Option<u32>) -> Option<u32> {
        if row.is_some() {
            return row;
        }
        match unit {
            Unit::Pand(id) => BagId::new(id)
                .and_then(|b| model.find_building(b))
                .map(|b| b.index()),
            Unit::Verblijfsobject(id) => BagId::new(id)
                .and_then(|a| model.find_address(a))
                .map(|a| a.index()),
            _ => None,
        }
    }

    fn take(&mut self, model: &Model, unit: Unit) -> Option<UnitState> {
        let dense = match unit {
            Unit::Pand(_) => &mut self.pand,
            Unit::Verblijfsobject(_) => &mut self.address,
            _ => return self.other.remove(&unit),
        };
        let row = Self::row(model, unit, None)?;
        dense.get_mut(row as usize)?.take()
    }

    fn put(&mut self, model: &Model, unit: Unit, row: Option<u32>, state: UnitState) {
        let (dense, n) = match unit {
            Unit::Pand(_) => (&mut self.pand, model.building_count()),
            Unit::Verblijfsobject(_) => (&mut self.address, model.address_count()),
            _ => {
                self.other.insert(unit, state);
                return;
            }
        };
        let Some(row) = Self::row(model, unit, row) else {
            return;
        };
        if dense.len() < n {
            dense.resize_with(n, || None);
        }
        if let Some(slot) = dense.get_mut(row as usize) {
            *slot = Some(state);
        }
    }
}

/// Distinct members with how many units each brings.
type RefCount<K> = FxMap<K, u32>;

fn inc<K: std::hash::Hash + Eq>(m: &mut RefCount<K>, k: K) -> bool {
    let n = m.entry(k).or_insert(0);
    *n += 1;
    *n == 1
}

fn dec<K: std::hash::Hash + Eq>(m: &mut RefCount<K>, k: &K) -> bool {
    match m.get_mut(k) {
        Some(n) if *n > 1 => {
            *n -= 1;
            false
        }
        Some(_) => {
            m.remove(k);
            true
        }
        None => false,
    }
}

/// One cell's counts for one indicator, before anything is released.
#[derive(Debug, Clone, Default, PartialEq)]
struct Tally {
    den: u32,
    num: u32,
    base: u32,
    sum: f64,
    /// The sum of the squares of what the units add to `sum`: the scale of a sum's and a mean's
    /// noise ([`perturb_sum`], [`perturb_mean`]).
    sum_sq: f64,
    valued: u32,
    den_h: u32,
    num_h: u32,
    /// The distinct reporters behind `den`, `num` and `base`, when any unit brought one (out
    /// of line: most cells of most indicators have none, and the tallies stay small).
    reporters: Option<Box<[RefCount<i64>; 3]>>,
    /// Cell keys of `den`, `num`, `base` and `valued`: the sums (mod 2³²) of their units' record
    /// keys, so the same set of units always has the same key.
    keys: [u32; 4],
}

impl Tally {
    /// How many distinct reporters stand behind `den`, `num` and `base`.
    fn reporters(&self) -> [u32; 3] {
        self.reporters.as_ref().map_or([0; 3], |r| {
            [r[0].len() as u32, r[1].len() as u32, r[2].len() as u32]
        })
    }
}

/// The cells of one level.
#[derive(Debug, Clone, Default)]
struct CellTable {
    keys: Vec<Cell>,
    index: HashMap<Cell, u32>,
    /// Addresses in the registers per cell (the floor: a cell with fewer than k is never shown).
    addresses: Vec<u32>,
}

impl CellTable {
    fn intern(&mut self, c: Cell) -> u32 {
        if let Some(i) = self.index.get(&c) {
            return *i;
        }
        let i = u32::try_from(self.keys.len()).unwrap_or(NONE);
        self.keys.push(c);
        self.index.insert(c, i);
        self.addresses.push(0);
        i
    }
}

/// Where every address of the registers lies at every level: computed once per model.
#[derive(Debug, Clone)]
pub struct Placement {
    cells: [CellTable; LEVELS],
    /// Per address row.
    address_cells: Vec<[u32; LEVELS]>,
    /// The zonal means of the rasters averaged over this placement's cells, once each.
    zonal: Arc<Mutex<Vec<KeptZonal>>>,
}

/// A raster and its zonal mean parts over a placement's cells.
type KeptZonal = (Arc<Raster>, Arc<Zonal>);

/// A raster's zonal mean parts per level, per cell of the placement: (sum, pixels).
type Zonal = [Vec<(f64, u32)>; LEVELS];

/// How far beyond the outermost address a cell can reach: an H3 cell of resolution 8 is
/// about 1.06 km across.
const CELL_REACH_M: f64 = 1_100.0;

impl Placement {
    /// Places every address of `model`.
    pub fn new(model: &Model) -> Self {
        let mut cells: [CellTable; LEVELS] = Default::default();
        let mut address_cells = Vec::with_capacity(model.address_count());
        for a in model.address_rows() {
            let at = place(&mut cells, a.areas(), a.point());
            for (l, c) in at.iter().enumerate() {
                if *c != NONE {
                    cells[l].addresses[*c as usize] += 1;
                }
            }
            address_cells.push(at);
        }
        Self {
            cells,
            address_cells,
            zonal: Arc::default(),
        }
    }

    /// RD New bounds (min x, min y, max x, max y) of every cell that holds an address: the
    /// addresses and a cell's reach around them, and the CBS areas that hold them (which may
    /// reach further). Only a raster needs it.
    fn extent(&self, model: &Model) -> Option<[f64; 4]> {
        let mut extent: Option<[f64; 4]> = None;
        let mut grow = |x: f64, y: f64| {
            let e = extent.get_or_insert([x, y, x, y]);
            *e = [e[0].min(x), e[1].min(y), e[2].max(x), e[3].max(y)];
        };
        let rd = |p: WorldPoint| {
            let (lon, lat) = world_to_lonlat(p);
            wgs84_to_rd(lon, lat)
        };
        for a in model.address_rows() {
            let (x, y) = rd(a.point());
            grow(x - CELL_REACH_M, y - CELL_REACH_M);
            grow(x + CELL_REACH_M, y + CELL_REACH_M);
        }
        for level in [Level::Gemeente, Level::Wijk, Level::Buurt] {
            for c in &self.cells[level as usize].keys {
                let Cell::Area(code) = c else { continue };
                if let Some(a) = model.find_area(*code) {
                    let [lo, hi] = a.bbox();
                    for p in [lo, hi, [lo[0], hi[1]], [hi[0], lo[1]]] {
                        let (x, y) = rd(p);
                        grow(x, y);
                    }
                }
            }
        }
        extent
    }

    /// The zonal mean parts of `raster` over this placement's cells: computed on first use and
    /// kept (a raster does not change while the server runs; a new model is a new placement).
    fn zonal(&self, model: &Model, raster: &Arc<Raster>) -> Arc<Zonal> {
        let mut kept = self.zonal.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, z)) = kept.iter().find(|(r, _)| Arc::ptr_eq(r, raster)) {
            return Arc::clone(z);
        }
        let z = Arc::new(match self.extent(model) {
            None => Default::default(),
            Some(bbox) => raster.zonal(
                model,
                bbox,
                |l, c| self.cells[l].index.get(&c).copied(),
                std::array::from_fn(|l| self.cells[l].keys.len()),
            ),
        });
        kept.push((Arc::clone(raster), Arc::clone(&z)));
        z
    }
}

fn place(cells: &mut [CellTable; LEVELS], areas: AreaRefs, p: WorldPoint) -> [u32; LEVELS] {
    let (lon, lat) = world_to_lonlat(p);
    let rd = wgs84_to_rd(lon, lat);
    let mut out = [NONE; LEVELS];
    for (l, level) in Level::ALL.into_iter().enumerate() {
        if let Some(c) = level.cell(areas, lon, lat, rd) {
            out[l] = cells[l].intern(c);
        }
    }
    out
}

/// The privacy parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Privacy {
    /// At least this many distinct households (and reporters) behind a released count.
    pub k: u32,
    /// Released counts are rounded to the nearest multiple of this.
    pub round_to: u32,
    /// The secret of the cell-key method (a SipHash key, per installation): with it every
    /// released count gets a small noise that the same set of units always gets the same way
    /// ([`perturb`]); without it counts are exact (before rounding).
    pub cell_key: Option<[u64; 2]>,
}

/// The cell-key method (as CBS and the Australian Bureau of Statistics perturb their tables): a
/// count `n` of units whose record keys sum to `key` becomes `n + d`, with `d` in −2…+2 chosen by
/// the key (probabilities 5, 20, 50, 20 and 5 %, so a mean of 0 and a variance of 0.8), never
/// below 1; 0 stays 0. The same units give the same key and so the same count wherever they are
/// counted — in a buurt, a square that holds the same homes, or tomorrow when nothing changed —
/// so subtracting one released count from another no longer gives the exact count of what lies
/// between them.
pub fn perturb(n: u32, key: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    u32::try_from((i64::from(n) + noise_step(key)).max(1)).unwrap_or(n)
}

/// The cell-key method's step for `key`: −2…+2 with probabilities 5, 20, 50, 20 and 5 %.
fn noise_step(key: u32) -> i64 {
    // The key's bits spread evenly (a finaliser), then read as a fraction of 2³².
    let mut x = key;
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^= x >> 16;
    match x {
        0..0x0CCC_CCCD => -2,
        0x0CCC_CCCD..0x4000_0000 => -1,
        0x4000_0000..0xC000_0000 => 0,
        0xC000_0000..0xF333_3333 => 1,
        _ => 2,
    }
}

/// A sum's key: its units' key, drawn apart from the count's (the same units give a sum noise
/// that does not follow their count's).
fn sum_key(key: u32) -> u32 {
    key ^ 0x5bd1_e995
}

/// The cell-key method for a sum (kWp beside a count): `sum` of `n` units whose squares sum to
/// `sum_sq` becomes `sum + d × r`, with `d` the step of [`perturb`] for the units' key and `r`
/// the root mean square of what one unit adds — what one home adds, so that a sum minus another
/// over one home more is that home's part give or take a couple of homes' parts. Never below 0
/// when nothing added is negative.
pub fn perturb_sum(sum: f64, sum_sq: f64, n: u32, key: u32) -> f64 {
    if n == 0 {
        return sum;
    }
    let rms = (sum_sq.max(0.0) / f64::from(n)).sqrt();
    let noisy = sum + noise_step(sum_key(key)) as f64 * rms;
    if sum >= 0.0 { noisy.max(0.0) } else { noisy }
}

/// The cell-key method for a mean of `n` values (sum `sum`, squares `sum_sq`): `mean + d × σ / n`,
/// with `d` the step of [`perturb`] for the units' key and `σ` the values' standard deviation —
/// what one value more or less moves the mean by, so the mean of a cell and of the same cell with
/// one home more no longer give that home's value. Values that are all equal reveal nothing more
/// and stay as they are.
pub fn perturb_mean(sum: f64, sum_sq: f64, n: u32, key: u32) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let n = f64::from(n);
    let mean = sum / n;
    let sigma = (sum_sq / n - mean * mean).max(0.0).sqrt();
    Some(mean + noise_step(sum_key(key)) as f64 * sigma / n)
}

/// One cell's released value of one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct CellValue {
    /// The cell.
    pub cell: Cell,
    /// Withheld: too few households or reporters behind a count. Nothing else is given.
    pub suppressed: bool,
    /// The numerator, rounded (a mean: how many units have a value).
    pub numerator: Option<u32>,
    /// The denominator, rounded (none for a density).
    pub denominator: Option<u32>,
    /// The indicator's value: share (0–1) from the rounded counts, per km², or the mean.
    pub value: Option<f64>,
    /// The sum shown beside (rounded to a whole number).
    pub sum: Option<f64>,
    /// The baseline count, rounded (a density: per km²).
    pub baseline: Option<f64>,
}

/// What a count per cell is divided by: the cell's km² (density), or its inhabitants in
/// thousands as CBS counts them (a CBS area with a count; `None` for a square or hexagon, or a
/// buurt CBS left without one).
fn cell_divisor(measure: Measure, cell: Cell, model: &Model) -> Option<f64> {
    match measure {
        Measure::Density => Some(cell.area_km2(model).max(1e-9)),
        Measure::PerThousandInhabitants => match cell {
            Cell::Area(code) => model
                .find_area(code)?
                .residents()
                .filter(|n| *n > 0)
                .map(|n| f64::from(n) / 1000.0),
            _ => None,
        },
        Measure::Share | Measure::Mean => None,
    }
}

/// Every indicator at every level.
#[derive(Debug, Clone)]
pub struct Engine {
    set: Arc<IndicatorSet>,
    schemas: Arc<Schemas>,
    privacy: Privacy,
    /// Where the registers' addresses lie (shared: built once per model).
    place: Arc<Placement>,
    /// Cells of points not at an address (reports in public space), numbered after the base's.
    extra: [CellTable; LEVELS],
    units: Units,
    /// Per indicator, per level, per cell.
    tallies: Vec<[Vec<Tally>; LEVELS]>,
    /// Per indicator: distinct household keys on the denominator and numerator side.
    households: Vec<[RefCount<Target>; 2]>,
    /// Which kinds any indicator is over, and whether one of them reads observations.
    over: HashMap<Over, bool>,
    /// Per indicator over a raster: its zonal mean parts (shared with the placement).
    zonal: Vec<Option<Arc<Zonal>>>,
}

impl Engine {
    /// A unit's record key: SipHash-1-3 of its identity under the installation's secret (0
    /// without one). Written out field by field so it never depends on a compiler's layout.
    fn record_key(&self, unit: Unit) -> u32 {
        use std::hash::Hasher as _;
        let Some([k0, k1]) = self.privacy.cell_key else {
            return 0;
        };
        let mut h = siphasher::sip::SipHasher13::new_with_keys(k0, k1);
        match unit {
            Unit::Pand(id) => {
                h.write_u8(1);
                h.write_u64(id);
            }
            Unit::Verblijfsobject(id) => {
                h.write_u8(2);
                h.write_u64(id);
            }
            Unit::Work(rule, target) => {
                h.write_u8(3);
                h.write_u16(rule);
                h.write(target.kind().as_str().as_bytes());
                h.write_i64(target.id());
            }
            Unit::Report(id) => {
                h.write_u8(4);
                h.write_i64(id);
            }
            Unit::Door(id) => {
                h.write_u8(5);
                h.write_u64(id);
            }
        }
        let v = h.finish();
        (v ^ (v >> 32)) as u32
    }

    /// Tallies everything from scratch.
    pub fn build(
        set: Arc<IndicatorSet>,
        schemas: Arc<Schemas>,
        privacy: Privacy,
        place: Arc<Placement>,
        inputs: &Inputs<'_>,
    ) -> Self {
        let n = set.indicators.len();
        let mut over: HashMap<Over, bool> = HashMap::new();
        for i in &set.indicators {
            *over.entry(i.over).or_insert(false) |= i.from_reports;
        }
        let mut engine = Self {
            set,
            schemas,
            privacy,
            place,
            extra: Default::default(),
            units: Units::default(),
            tallies: (0..n).map(|_| Default::default()).collect(),
            households: (0..n).map(|_| Default::default()).collect(),
            over,
            zonal: Vec::new(),
        };
        let model = inputs.src.model;
        engine.zonal = engine
            .set
            .indicators
            .iter()
            .map(|i| i.raster.as_ref().map(|r| engine.place.zonal(model, r)))
            .collect();
        for l in 0..LEVELS {
            let cells = engine.place.cells[l].keys.len();
            for t in &mut engine.tallies {
                t[l].resize(cells, Tally::default());
            }
        }
        // Every unit, walked in the registers' and the work index's own order with what is
        // at hand (no lookup per unit). (Evaluating on every core with rayon was measured: no
        // faster on two cores, the tallies and the unit map are the larger half.)
        let schemas = Arc::clone(&engine.schemas);
        let gathered = Gathered::new(inputs, &schemas);
        let mut n = 0;
        for (over, count) in [
            (Over::Work, inputs.work.len()),
            (Over::Report, inputs.src.observations.len()),
            (Over::Door, inputs.doors.len()),
        ] {
            if engine.over.contains_key(&over) {
                n += count;
            }
        }
        engine.units.other.reserve(n);
        if engine.over.contains_key(&Over::Pand) {
            engine
                .units
                .pand
                .resize_with(model.building_count(), || None);
            for b in model.building_rows() {
                engine.add(
                    inputs,
                    Unit::Pand(b.id().get()),
                    Hint::Building(b, &gathered),
                );
            }
        }
        if engine.over.contains_key(&Over::Verblijfsobject) {
            engine
                .units
                .address
                .resize_with(model.address_count(), || None);
            for a in model.address_rows() {
                let u = Unit::Verblijfsobject(a.id().get());
                engine.add(inputs, u, Hint::Address(a, &gathered));
            }
        }
        if engine.over.contains_key(&Over::Work) {
            let mut cursor = RowCursor::default();
            for it in inputs.work.iter() {
                let rows = cursor.rows(model, it.item.target);
                let u = Unit::Work(it.item.rule, it.item.target);
                engine.add(inputs, u, Hint::Item(it, rows, &gathered));
            }
        }
        if engine.over.contains_key(&Over::Report) {
            for o in inputs.src.observations.all() {
                engine.add(inputs, Unit::Report(o.id), Hint::None);
            }
        }
        if engine.over.contains_key(&Over::Door) {
            for a in inputs.doors.keys() {
                engine.add(inputs, Unit::Door(*a), Hint::None);
            }
        }
        engine
    }

    /// Counts a unit that is not counted yet.
    fn add(&mut self, inputs: &Inputs<'_>, u: Unit, hint: Hint<'_>) {
        if let Some((mut new, point)) = self.evaluate(inputs, u, hint) {
            new.key = self.record_key(u);
            self.resolve(&mut new, point);
            self.apply(&new, true);
            let row = match hint {
                Hint::Building(b, _) => Some(b.index()),
                Hint::Address(a, _) => Some(a.index()),
                Hint::None | Hint::Item(..) => None,
            };
            self.units.put(inputs.src.model, u, row, new);
        }
    }

    /// The indicator set.
    pub fn set(&self) -> &Arc<IndicatorSet> {
        &self.set
    }

    /// The privacy parameters.
    pub fn privacy(&self) -> Privacy {
        self.privacy
    }

    /// The units a change to `target` can move: the target itself, its work items of every
    /// rule, and (for an address) its door.
    pub fn units_of(&self, inputs: &Inputs<'_>, target: Target) -> Vec<Unit> {
        let mut out = Vec::new();
        match target {
            Target::Pand(id) => out.push(Unit::Pand(id)),
            Target::Verblijfsobject(id) => {
                out.push(Unit::Verblijfsobject(id));
                out.push(Unit::Door(id));
            }
            Target::PublicSpace(id) => out.push(Unit::Report(id)),
            // A tree is counted through its work items and the reports that name it.
            Target::Tree(_) => {}
        }
        let rules = inputs.work.rules().rules.len();
        for r in 0..rules {
            out.push(Unit::Work(u16::try_from(r).unwrap_or(u16::MAX), target));
        }
        out
    }

    /// Brings `units` up to date (a unit that is gone is taken out).
    pub fn update(&mut self, inputs: &Inputs<'_>, units: impl IntoIterator<Item = Unit>) {
        for u in units {
            self.refresh_unit(inputs, u);
        }
    }

    fn refresh_unit(&mut self, inputs: &Inputs<'_>, unit: Unit) {
        if let Some(old) = self.units.take(inputs.src.model, unit) {
            self.apply(&old, false);
        }
        self.add(inputs, unit, Hint::None);
    }

    fn apply(&mut self, s: &UnitState, add: bool) {
        for part in &s.parts {
            let i = usize::from(part.indicator);
            // Households: once per key, else the unit's own.
            let mut h = [0u32; 2];
            for (side, on) in [(0, part.den), (1, part.num)] {
                if !on {
                    continue;
                }
                h[side] = match s.household_key {
                    Some(key) => {
                        let m = &mut self.households[i][side];
                        let changed = if add { inc(m, key) } else { dec(m, &key) };
                        if changed { s.households } else { 0 }
                    }
                    None => s.households,
                };
            }
            for (l, c) in s.cells.iter().enumerate() {
                if *c == NONE {
                    continue;
                }
                let t = &mut self.tallies[i][l][*c as usize];
                let sign = |v: &mut u32, by: u32| {
                    if add {
                        *v += by;
                    } else {
                        *v = v.saturating_sub(by);
                    }
                };
                if part.den {
                    sign(&mut t.den, 1);
                    sign(&mut t.den_h, h[0]);
                }
                if part.num {
                    sign(&mut t.num, 1);
                    sign(&mut t.num_h, h[1]);
                }
                if part.base {
                    sign(&mut t.base, 1);
                }
                if part.valued {
                    sign(&mut t.valued, 1);
                }
                for (on, key) in [part.den, part.num, part.base, part.valued]
                    .into_iter()
                    .zip(&mut t.keys)
                {
                    if on {
                        *key = if add {
                            key.wrapping_add(s.key)
                        } else {
                            key.wrapping_sub(s.key)
                        };
                    }
                }
                if add {
                    t.sum += part.add;
                    t.sum_sq += part.add * part.add;
                } else {
                    t.sum -= part.add;
                    t.sum_sq -= part.add * part.add;
                }
                if !s.reporters.is_empty() {
                    let maps = t.reporters.get_or_insert_with(Default::default);
                    for r in &s.reporters {
                        for (on, m) in [part.den, part.num, part.base]
                            .into_iter()
                            .zip(maps.iter_mut())
                        {
                            if on {
                                if add {
                                    inc(m, *r);
                                } else {
                                    dec(m, r);
                                }
                            }
                        }
                    }
                    if maps.iter().all(HashMap::is_empty) {
                        t.reporters = None;
                    }
                }
            }
        }
    }

    /// Places a unit evaluated at a point.
    fn resolve(&mut self, s: &mut UnitState, point: Option<(AreaRefs, WorldPoint)>) {
        if let Some((areas, p)) = point {
            s.cells = self.cells_at(areas, p);
        }
    }

    /// The cells of a point not at an address (a report in public space).
    fn cells_at(&mut self, areas: AreaRefs, p: WorldPoint) -> [u32; LEVELS] {
        let (lon, lat) = world_to_lonlat(p);
        let rd = wgs84_to_rd(lon, lat);
        let mut out = [NONE; LEVELS];
        for (l, level) in Level::ALL.into_iter().enumerate() {
            let Some(c) = level.cell(areas, lon, lat, rd) else {
                continue;
            };
            let base = &self.place.cells[l];
            out[l] = if let Some(i) = base.index.get(&c) {
                *i
            } else {
                let offset = u32::try_from(base.keys.len()).unwrap_or(NONE);
                let i = offset.saturating_add(self.extra[l].intern(c));
                let cells = base.keys.len() + self.extra[l].keys.len();
                for t in &mut self.tallies {
                    if t[l].len() < cells {
                        t[l].resize(cells, Tally::default());
                    }
                }
                i
            };
        }
        out
    }

    /// Every cell of level `l`: its number, the cell, and the addresses in it.
    fn cells(&self, l: usize) -> impl Iterator<Item = (usize, Cell, u32)> + '_ {
        let base = &self.place.cells[l];
        let extra = &self.extra[l];
        base.keys
            .iter()
            .zip(&base.addresses)
            .chain(extra.keys.iter().zip(&extra.addresses))
            .enumerate()
            .map(|(i, (c, a))| (i, *c, *a))
    }

    /// The cells, households and household key of a target, or `None` when it is gone or one
    /// of its households opted out of research.
    #[allow(clippy::type_complexity, reason = "cells or a point, and households")]
    fn target_place(
        &self,
        inputs: &Inputs<'_>,
        target: Target,
        point: Option<(AreaRefs, WorldPoint)>,
    ) -> Option<([u32; LEVELS], Option<(AreaRefs, WorldPoint)>, u32)> {
        let model = inputs.src.model;
        match target {
            Target::Pand(id) => {
                let b = BagId::new(id).and_then(|b| model.find_building(b))?;
                self.pand_place(inputs, b)
            }
            Target::Verblijfsobject(id) => {
                let a = BagId::new(id).and_then(|b| model.find_address(b))?;
                self.address_place(inputs, a)
            }
            Target::PublicSpace(_) | Target::Tree(_) => {
                let at = point?;
                Some(([NONE; LEVELS], Some(at), 0))
            }
        }
    }

    /// [`Engine::target_place`] of pand `b`: the cells of its first address.
    #[allow(clippy::type_complexity, reason = "as target_place")]
    fn pand_place(
        &self,
        inputs: &Inputs<'_>,
        b: BuildingRow<'_>,
    ) -> Option<([u32; LEVELS], Option<(AreaRefs, WorldPoint)>, u32)> {
        let model = inputs.src.model;
        let rows = b.address_rows();
        let first = *rows.first()?;
        let mut households = 0;
        for r in rows {
            let a = model.address(*r);
            if (inputs.opted_out)(a.id().get()) {
                return None;
            }
            // An address in two panden is the household of its first pand only.
            if a.building_rows().first() == Some(&b.index()) {
                households += 1;
            }
        }
        Some((self.place.address_cells[first as usize], None, households))
    }

    /// [`Engine::target_place`] of address `a`.
    #[allow(clippy::type_complexity, reason = "as target_place")]
    fn address_place(
        &self,
        inputs: &Inputs<'_>,
        a: AddressRow<'_>,
    ) -> Option<([u32; LEVELS], Option<(AreaRefs, WorldPoint)>, u32)> {
        if (inputs.opted_out)(a.id().get()) {
            return None;
        }
        Some((self.place.address_cells[a.index() as usize], None, 1))
    }

    /// A unit's state, and the point to place it at when it is not at an address.
    fn evaluate(
        &self,
        inputs: &Inputs<'_>,
        unit: Unit,
        hint: Hint<'_>,
    ) -> Option<(UnitState, Option<(AreaRefs, WorldPoint)>)> {
        let over = match unit {
            Unit::Pand(_) => Over::Pand,
            Unit::Verblijfsobject(_) => Over::Verblijfsobject,
            Unit::Work(..) => Over::Work,
            Unit::Report(_) => Over::Report,
            Unit::Door(_) => Over::Door,
        };
        let reads_reports = *self.over.get(&over)?;
        let src = inputs.src;
        let schemas = Arc::clone(&self.schemas);
        let set = Arc::clone(&self.set);
        let mut parts = SmallVec::new();
        let eval = |row: &dyn Row, parts: &mut SmallVec<[Part; 4]>, size: f64| {
            for (i, ind) in set.indicators.iter().enumerate() {
                if ind.over != over {
                    continue;
                }
                let den = ind.denominator.as_ref().is_none_or(|p| p.matches(row))
                    && !ind.measure.per_cell();
                let num = ind.numerator.as_ref().is_some_and(|p| p.matches(row))
                    && (den || ind.measure.per_cell());
                let base = ind.baseline.as_ref().is_some_and(|p| p.matches(row));
                let (add, valued) = match ind.measure {
                    Measure::Mean => match ind.value.as_ref().and_then(|v| v.eval(row)) {
                        Some(v) if den && v.is_finite() => (v, true),
                        _ => (0.0, false),
                    },
                    _ => match (&ind.sum, num) {
                        (Some(Sum::Size), true) => (size, false),
                        (Some(Sum::Expr(e)), true) => {
                            (e.eval(row).filter(|v| v.is_finite()).unwrap_or(0.0), false)
                        }
                        _ => (0.0, false),
                    },
                };
                if den || num || base {
                    parts.push(Part {
                        indicator: u16::try_from(i).unwrap_or(u16::MAX),
                        den,
                        num,
                        base,
                        add,
                        valued,
                    });
                }
            }
        };
        let (cells, point, households, household_key, reporters) = match unit {
            Unit::Pand(id) | Unit::Verblijfsobject(id) => {
                let target = if over == Over::Pand {
                    Target::Pand(id)
                } else {
                    Target::Verblijfsobject(id)
                };
                let ((cells, point, households), gathered) = match hint {
                    Hint::Building(b, gathered) => {
                        let place = self.pand_place(inputs, b)?;
                        inputs
                            .work
                            .with_building_row(&src, &gathered.targets, b, |row| {
                                eval(row, &mut parts, 0.0);
                            });
                        (place, Some(gathered))
                    }
                    Hint::Address(a, gathered) => {
                        let place = self.address_place(inputs, a)?;
                        inputs
                            .work
                            .with_address_row(&src, &gathered.targets, a, |row| {
                                eval(row, &mut parts, 0.0);
                            });
                        (place, Some(gathered))
                    }
                    Hint::None | Hint::Item(..) => {
                        let place = self.target_place(inputs, target, None)?;
                        inputs
                            .work
                            .with_target_row(&src, target, |row| eval(row, &mut parts, 0.0))?;
                        (place, None)
                    }
                };
                let reporters = match (reads_reports, gathered) {
                    (false, _) => Vec::new(),
                    (true, Some(g)) => g.reporters(target),
                    (true, None) => target_reporters(inputs, target),
                };
                (cells, point, households, None, reporters)
            }
            Unit::Work(rule, target) => {
                let (it, at_hand) = match hint {
                    Hint::Item(it, rows, gathered) => (it, Some((rows, gathered))),
                    _ => (inputs.work.get_by_rule(rule, target)?, None),
                };
                if !it.item.matches && it.record.is_none() {
                    return None;
                }
                let at = Some((it.item.areas, it.item.point));
                let size = f64::from(it.item.size);
                if let Some((rows, g)) = at_hand {
                    let observed = reads_reports.then_some(&g.items);
                    schemas
                        .items
                        .with_item_row_at(&src, observed, rows, &it, |row| {
                            eval(row, &mut parts, size);
                        });
                } else {
                    let observations = reads_reports.then_some((src.observations, src.now));
                    schemas
                        .items
                        .with_item_row(src.model, observations, &it, |row| {
                            eval(row, &mut parts, size);
                        });
                }
                let reporters = match (reads_reports, at_hand, target) {
                    (false, ..) => Vec::new(),
                    (true, Some((_, g)), Target::Pand(_) | Target::Verblijfsobject(_)) => {
                        g.reporters(target)
                    }
                    (true, ..) => target_reporters(inputs, target),
                };
                let (cells, point, households) = match at_hand {
                    Some(((Some(b), None), _)) if matches!(target, Target::Pand(_)) => {
                        self.pand_place(inputs, b)?
                    }
                    Some(((_, Some(a)), _)) => self.address_place(inputs, a)?,
                    _ => self.target_place(inputs, target, at)?,
                };
                let key = households_of(target).then_some(target);
                (cells, point, households, key, reporters)
            }
            Unit::Report(id) => {
                let o = src.observations.get(id)?;
                let target = report_target(o);
                let (cells, point, households) =
                    self.target_place(inputs, target, Some((o.areas, o.point)))?;
                let row = ReportRow {
                    o,
                    age_days: ((src.now - o.observed_at).max(0) / DAY) as f64,
                };
                eval(&row, &mut parts, 0.0);
                let key = households_of(target).then_some(target);
                (cells, point, households, key, vec![reporter_of(o)])
            }
            Unit::Door(address) => {
                let d = *inputs.doors.get(&address)?;
                let (cells, point, households) =
                    self.target_place(inputs, Target::Verblijfsobject(address), None)?;
                eval(&DoorRow(d), &mut parts, 0.0);
                let reporters = if d.visited {
                    vec![d.visitor.unwrap_or(0)]
                } else {
                    Vec::new()
                };
                (cells, point, households, None, reporters)
            }
        };
        Some((
            UnitState {
                key: 0,
                cells,
                households,
                household_key,
                reporters: reporters.into_boxed_slice(),
                parts,
            },
            point,
        ))
    }

    /// The released cells of every indicator at `level`, in indicator order.
    pub fn release_all(&self, model: &Model, level: Level) -> Vec<Vec<CellValue>> {
        (0..self.set.indicators.len())
            .map(|i| self.release(model, i, level))
            .collect()
    }

    /// The released cells of `indicator` at `level`: every cell with at least k addresses in the
    /// registers (so which cells are listed depends on the registers only), each with its value
    /// or suppressed; in cell order.
    ///
    /// A wijk and a gemeente are the sums of their released buurten (suppressed when none is
    /// released), so that a wijk minus its released buurten is never a suppressed buurt's count.
    pub fn release(&self, model: &Model, indicator: usize, level: Level) -> Vec<CellValue> {
        match level {
            Level::Wijk | Level::Gemeente => self.release_sums(model, indicator, level),
            _ => self.release_cells(model, indicator, level),
        }
    }

    fn release_sums(&self, model: &Model, indicator: usize, level: Level) -> Vec<CellValue> {
        let Some(ind) = self.set.indicators.get(indicator) else {
            return Vec::new();
        };
        let buurten = self.release_cells(model, indicator, Level::Buurt);
        let parent = |c: &Cell| match c {
            Cell::Area(code) if level == Level::Wijk => code.wijk(),
            Cell::Area(code) => Some(code.gemeente()),
            _ => None,
        };
        let l = level as usize;
        let k = self.privacy.k.max(1);
        let mut out = Vec::new();
        for (_, cell, addresses) in self.cells(l) {
            if addresses < k {
                continue;
            }
            let Cell::Area(code) = cell else { continue };
            let parts: Vec<&CellValue> = buurten
                .iter()
                .filter(|b| !b.suppressed && parent(&b.cell) == Some(code))
                .collect();
            if parts.is_empty() {
                out.push(CellValue {
                    cell,
                    suppressed: true,
                    numerator: None,
                    denominator: None,
                    value: None,
                    sum: None,
                    baseline: None,
                });
                continue;
            }
            let n: u32 = parts.iter().filter_map(|p| p.numerator).sum();
            let d: u32 = parts.iter().filter_map(|p| p.denominator).sum();
            // A count per km² or per inhabitant: over the released buurten's own km² or
            // inhabitants (none when a buurt has no CBS count).
            let divisor: Option<f64> = parts
                .iter()
                .map(|p| cell_divisor(ind.measure, p.cell, model))
                .sum::<Option<f64>>()
                .filter(|d| *d > 0.0);
            let value = match ind.measure {
                Measure::Share => (d > 0).then(|| f64::from(n) / f64::from(d)),
                Measure::Density | Measure::PerThousandInhabitants => {
                    divisor.map(|x| f64::from(n) / x)
                }
                Measure::Mean => {
                    let w: f64 = parts
                        .iter()
                        .filter_map(|p| p.numerator)
                        .map(f64::from)
                        .sum();
                    (w > 0.0).then(|| {
                        parts
                            .iter()
                            .filter_map(|p| Some(p.value? * f64::from(p.numerator?)))
                            .sum::<f64>()
                            / w
                    })
                }
            };
            let sum = ind
                .sum
                .as_ref()
                .map(|_| parts.iter().filter_map(|p| p.sum).sum());
            // Per km² or inhabitant: none without a divisor, never a made-up zero.
            let baseline = ind.baseline.as_ref().and_then(|_| {
                if ind.measure.per_cell() {
                    let b: Option<f64> = parts
                        .iter()
                        .filter_map(|p| {
                            let v = p.baseline?;
                            Some(cell_divisor(ind.measure, p.cell, model).map(|x| v * x))
                        })
                        .sum();
                    b.zip(divisor).map(|(b, x)| b / x)
                } else {
                    Some(parts.iter().filter_map(|p| p.baseline).sum())
                }
            });
            out.push(CellValue {
                cell,
                suppressed: false,
                numerator: Some(n),
                denominator: (!ind.measure.per_cell() && ind.raster.is_none()).then_some(d),
                value,
                sum,
                baseline,
            });
        }
        out.sort_by_key(|a| a.cell);
        out
    }

    fn release_cells(&self, model: &Model, indicator: usize, level: Level) -> Vec<CellValue> {
        let Some(ind) = self.set.indicators.get(indicator) else {
            return Vec::new();
        };
        let l = level as usize;
        let k = self.privacy.k.max(1);
        if let Some(Some(z)) = self.zonal.get(indicator) {
            return self.release_raster(z, l, k);
        }
        let round = |n: u32| {
            let r = self.privacy.round_to.max(1);
            (n + r / 2) / r * r
        };
        // Each count perturbed by its cell key (when the installation has one), then rounded.
        let noisy = |n: u32, key: u32| {
            if self.privacy.cell_key.is_some() {
                perturb(n, key)
            } else {
                n
            }
        };
        let zero_or_k = |n: u32| n == 0 || n >= k;
        let mut out = Vec::new();
        for (c, cell, addresses) in self.cells(l) {
            let Some(t) = self.tallies[indicator][l].get(c) else {
                continue;
            };
            // A cell with fewer than k homes is not listed, whatever the indicator: which cells
            // are listed follows from the registers. Reports about public space (a park) stand
            // behind no household and are listed where they are (the reporters rule holds).
            let public_only = ind.over == Over::Report && t.num > 0 && t.num_h == 0;
            if addresses < k && !public_only {
                continue;
            }
            let households_ok = match ind.measure {
                Measure::Share => {
                    t.den_h >= k && zero_or_k(t.num_h) && zero_or_k(t.den_h - t.num_h.min(t.den_h))
                }
                Measure::Mean => t.den_h >= k,
                Measure::Density | Measure::PerThousandInhabitants => zero_or_k(t.num_h),
            };
            let reporters_ok = !ind.from_reports || t.reporters().into_iter().all(zero_or_k);
            if !households_ok || !reporters_ok {
                out.push(CellValue {
                    cell,
                    suppressed: true,
                    numerator: None,
                    denominator: None,
                    value: None,
                    sum: None,
                    baseline: None,
                });
                continue;
            }
            let divisor = cell_divisor(ind.measure, cell, model);
            let [den_key, num_key, base_key, valued_key] = t.keys;
            let (numerator, denominator, value) = match ind.measure {
                Measure::Share => {
                    let d = round(noisy(t.den, den_key));
                    // Never more on one side than in the whole.
                    let n = round(noisy(t.num, num_key)).min(d);
                    (
                        Some(n),
                        Some(d),
                        (d > 0).then(|| f64::from(n) / f64::from(d)),
                    )
                }
                Measure::Density | Measure::PerThousandInhabitants => {
                    let n = round(noisy(t.num, num_key));
                    (Some(n), None, divisor.map(|x| f64::from(n) / x))
                }
                Measure::Mean => (
                    Some(round(noisy(t.valued, valued_key))),
                    Some(round(noisy(t.den, den_key))),
                    if self.privacy.cell_key.is_some() {
                        perturb_mean(t.sum, t.sum_sq, t.valued, valued_key)
                    } else {
                        (t.valued > 0).then(|| t.sum / f64::from(t.valued))
                    },
                ),
            };
            // A sum is over the numerator's units.
            let sum = (ind.sum.is_some()).then(|| {
                if self.privacy.cell_key.is_some() {
                    perturb_sum(t.sum, t.sum_sq, t.num, num_key).round()
                } else {
                    t.sum.round()
                }
            });
            let baseline = ind.baseline.as_ref().and_then(|_| {
                let b = f64::from(round(noisy(t.base, base_key)));
                if ind.measure.per_cell() {
                    divisor.map(|x| b / x)
                } else {
                    Some(b)
                }
            });
            out.push(CellValue {
                cell,
                suppressed: false,
                numerator,
                denominator,
                value,
                sum,
                baseline,
            });
        }
        out.sort_by_key(|a| a.cell);
        out
    }

    /// A raster's zonal means: every cell listed (at least k addresses, as for any indicator),
    /// none withheld (a raster holds nothing about a household); the numerator is how many
    /// pixels with data lie in the cell, the value their mean (none without pixels).
    fn release_raster(&self, z: &Zonal, l: usize, k: u32) -> Vec<CellValue> {
        let mut out: Vec<CellValue> = self
            .cells(l)
            .filter(|(_, _, addresses)| *addresses >= k)
            .map(|(c, cell, _)| {
                let (sum, n) = z[l].get(c).copied().unwrap_or_default();
                CellValue {
                    cell,
                    suppressed: false,
                    numerator: Some(n),
                    denominator: None,
                    value: (n > 0).then(|| sum / f64::from(n)),
                    sum: None,
                    baseline: None,
                }
            })
            .collect();
        out.sort_by_key(|a| a.cell);
        out
    }

    /// Raw tallies for tests: (den, num, base, sum, den_h, num_h) per cell with anything.
    #[doc(hidden)]
    pub fn raw(&self, indicator: usize, level: Level) -> Vec<(Cell, [u32; 6], i64)> {
        let l = level as usize;
        let mut out: Vec<(Cell, [u32; 6], i64)> = self.tallies[indicator][l]
            .iter()
            .enumerate()
            .filter(|(_, t)| t.den + t.num + t.base > 0)
            .map(|(c, t)| {
                (
                    self.cells(l)
                        .nth(c)
                        .map_or(Cell::H3(0), |(_, cell, _)| cell),
                    [
                        t.den,
                        t.num,
                        t.base,
                        t.den_h,
                        t.num_h,
                        t.reporters().into_iter().sum(),
                    ],
                    (t.sum * 1000.0).round() as i64,
                )
            })
            .collect();
        out.sort_by_key(|a| a.0);
        out
    }
}

/// What a report is about, as a target.
fn report_target(o: &LiveObservation) -> Target {
    match (o.public_space, o.building, o.address, o.tree) {
        (false, _, Some(a), _) => Target::Verblijfsobject(a),
        (false, Some(b), None, _) => Target::Pand(b),
        (true, _, _, Some(t)) => Target::Tree(t),
        _ => Target::PublicSpace(o.id),
    }
}

/// Does a target stand for households (a pand, an address), so that it counts towards the k
/// distinct addresses behind a figure? Public space and trees do not.
fn households_of(target: Target) -> bool {
    !matches!(target.kind(), TargetKind::PublicSpace | TargetKind::Tree)
}

/// A report's reporter for the k-reporters rule: every device session together counts as one
/// reporter (0), so that an identity that costs nothing cannot move a threshold.
fn reporter_of(o: &LiveObservation) -> i64 {
    if o.accountable { o.reporter } else { 0 }
}

/// The distinct reporters of what the open observations say about `target`.
fn target_reporters(inputs: &Inputs<'_>, target: Target) -> Vec<i64> {
    use domain::observations::Subject;
    let obs = inputs.src.observations;
    let mut out: Vec<i64> = match target {
        Target::Pand(id) => inputs
            .work
            .fields()
            .types()
            .iter()
            .flat_map(|t| obs.about(&t.name, Subject::Building(id)))
            .map(reporter_of)
            .collect(),
        Target::Verblijfsobject(id) => inputs
            .work
            .fields()
            .types()
            .iter()
            .flat_map(|t| obs.about(&t.name, Subject::Address(id)))
            .map(reporter_of)
            .collect(),
        Target::PublicSpace(id) => obs.get(id).map(reporter_of).into_iter().collect(),
        Target::Tree(id) => work::tree_reports(obs, inputs.src.model, id)
            .into_iter()
            .map(reporter_of)
            .collect(),
    };
    out.sort_unstable();
    out.dedup();
    out
}

struct ReportRow<'a> {
    o: &'a LiveObservation,
    age_days: f64,
}

impl Row for ReportRow<'_> {
    fn number(&self, f: rules::FieldId) -> Option<f64> {
        match f {
            report_slot::CONFIRMATIONS => Some(f64::from(self.o.confirmations)),
            report_slot::AGE_DAYS => Some(self.age_days),
            _ => None,
        }
    }

    fn text(&self, f: rules::FieldId) -> Option<&str> {
        match f {
            report_slot::TYPE => Some(&self.o.kind),
            report_slot::STATUS_CLASS => Some(&self.o.status_class),
            _ => None,
        }
    }

    fn boolean(&self, f: rules::FieldId) -> Option<bool> {
        (f == report_slot::PUBLIC_SPACE).then_some(self.o.public_space)
    }
}

struct DoorRow(DoorState);

impl Row for DoorRow {
    fn number(&self, _: rules::FieldId) -> Option<f64> {
        None
    }

    fn text(&self, _: rules::FieldId) -> Option<&str> {
        None
    }

    fn boolean(&self, f: rules::FieldId) -> Option<bool> {
        match f {
            door_slot::VISITED => Some(self.0.visited),
            door_slot::ANSWERED => Some(self.0.answered),
            door_slot::SIGNED_UP => Some(self.0.signed_up),
            _ => None,
        }
    }
}

#[cfg(test)]
mod seek_tests {
    use super::seek;

    /// Every id is found from wherever the cursor stands, ahead or behind; an id that is not
    /// there is not, and leaves the cursor where it was.
    #[test]
    fn seek_finds_every_row_from_any_cursor() {
        let ids: Vec<u64> = (0..500u64).map(|i| 10 + i * 8 + (i % 7)).collect();
        let n = ids.len() as u32;
        let id_at = |i: u32| ids[i as usize];
        for from in [0, 1, 2, 5, 100, 250, 498, 499, 500, 10_000] {
            for (row, id) in ids.iter().enumerate() {
                let mut at = from;
                assert_eq!(
                    seek(&mut at, n, id_at, *id),
                    Some(row as u32),
                    "from {from}"
                );
                assert_eq!(at, row as u32);
            }
            for missing in [0, 11, 12, u64::MAX] {
                let mut at = from;
                assert_eq!(seek(&mut at, n, id_at, missing), None);
                assert_eq!(at, from);
            }
        }
        assert_eq!(seek(&mut 0, 0, id_at, 10), None);
    }
}
