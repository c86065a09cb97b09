//! The work items of a wijk: derived in full after an import or a change of rules, and per target
//! when an observation changes.

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;
use std::sync::Arc;

use domain::observations::{LiveObservation, ObservationIndex, Subject};
use domain::{AreaRefs, Model, TREE_LINK_METRES, TreeId, WorldPoint};
use serde::Serialize;

use crate::fields::{Evidence, Fields, KindFields, ObsSummary, TargetRow, evidence_of};
use crate::rule_file::{Rule, RuleSet};
use crate::status::{StatusRecord, WorkStatus};
use crate::target::{Target, TargetKind};

/// Spots in public space within this distance are one spot (metres).
const SPOT_METRES: f64 = 25.0;
/// The window of `T.nearby_30d`.
const NEARBY_SECS: i64 = 30 * 86_400;

/// What rules read.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    /// The registers.
    pub model: &'a Model,
    /// The open observations.
    pub observations: &'a ObservationIndex,
    /// Now, Unix seconds.
    pub now: i64,
}

/// One work item as derived.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Its rule (index into the rule set).
    pub rule: u16,
    /// What it is about.
    pub target: Target,
    /// How much work, in the rule's unit (0 when the size could not be computed).
    pub size: f32,
    /// Where it is drawn.
    pub point: WorldPoint,
    /// Its areas.
    pub areas: AreaRefs,
    /// The rule still holds (an item with a recorded status stays listed when it no longer does:
    /// panels seen after the work was done).
    pub matches: bool,
}

/// An item with its rule and status.
#[derive(Debug, Clone, Copy)]
pub struct ItemRef<'a> {
    /// The item.
    pub item: &'a Item,
    /// Its rule.
    pub rule: &'a Rule,
    /// Its status (open unless recorded).
    pub status: WorkStatus,
    /// The newest recorded status, if any.
    pub record: Option<&'a StatusRecord>,
}

/// What a refresh changed: the points of items that came, went or changed (for the tiles).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Refresh {
    /// Points of the changed items.
    pub points: Vec<WorldPoint>,
}

/// Totals of one (area, kind).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SummaryRow {
    /// Items per status.
    pub by_status: Vec<(WorkStatus, u32)>,
    /// Items in total.
    pub items: u32,
    /// Sum of sizes of the items not closed.
    pub open_size: f64,
    /// Distinct addresses (or panden, or spots) behind the items.
    pub households: u32,
}

/// Totals per area code and kind.
pub type Summary = Vec<(String, String, SummaryRow)>;

type Key = (u16, Target);

/// Where a full derivation leaves an item: ordered by target, then rule.
fn order(item: &Item) -> (Target, u16) {
    (item.target, item.rule)
}

/// The items, in a slab whose slots never move.
///
/// A full derivation writes the items in order (pand rows and address rows come sorted by
/// identificatie) and sorts what is left unsorted once; items are then found by binary search in
/// that sorted run, with no hashing at all. An item taken out later leaves its slot (and key)
/// behind as a hole, so the run stays searchable and the same key comes back in place; an item
/// with a key the run does not hold goes into a free slot past the run, found through a small
/// map. A million buildings make two million items: random writes into hash tables were most
/// of a full derivation.
#[derive(Debug, Clone, Default)]
struct Items {
    slab: Vec<Item>,
    live: Vec<bool>,
    /// The slab's first `sorted` slots are ordered by [`order`].
    sorted: usize,
    /// Slots past the sorted run, by key.
    tail: FxHashMap<Key, u32>,
    /// Holes past the sorted run, for reuse.
    free: Vec<u32>,
    count: usize,
}

impl Items {
    fn len(&self) -> usize {
        self.count
    }

    fn clear(&mut self) {
        *self = Self::default();
    }

    /// Appends an item of a full derivation (before [`Items::seal`]).
    fn push(&mut self, item: Item) {
        self.slab.push(item);
        self.live.push(true);
        self.count += 1;
    }

    /// Ends a full derivation: sorts the run (a no-op when it came in order) and keeps the
    /// first item of a key that came twice.
    fn seal(&mut self) {
        if !self.slab.is_sorted_by_key(order) {
            self.slab.sort_by_key(order);
        }
        let before = self.slab.len();
        self.slab.dedup_by_key(|it| order(it));
        self.live.truncate(self.slab.len());
        self.count -= before - self.slab.len();
        self.sorted = self.slab.len();
    }

    fn find(&self, key: &Key) -> Option<usize> {
        if let Some(&i) = self.tail.get(key) {
            return Some(i as usize);
        }
        let want = (key.1, key.0);
        self.slab[..self.sorted]
            .binary_search_by(|it| order(it).cmp(&want))
            .ok()
    }

    fn get(&self, key: &Key) -> Option<&Item> {
        let i = self.find(key)?;
        self.live[i].then(|| &self.slab[i])
    }

    fn contains_key(&self, key: &Key) -> bool {
        self.get(key).is_some()
    }

    /// Puts `item` under its own key: its slot, and the item it replaced, if any.
    fn insert(&mut self, item: Item) -> (u32, Option<Item>) {
        let key = (item.rule, item.target);
        if let Some(i) = self.find(&key) {
            let was = std::mem::replace(&mut self.live[i], true);
            let old = std::mem::replace(&mut self.slab[i], item);
            if !was {
                self.count += 1;
            }
            return (slot(i), was.then_some(old));
        }
        let i = if let Some(i) = self.free.pop() {
            self.slab[i as usize] = item;
            self.live[i as usize] = true;
            i
        } else {
            self.slab.push(item);
            self.live.push(true);
            slot(self.slab.len() - 1)
        };
        self.tail.insert(key, i);
        self.count += 1;
        (i, None)
    }

    /// Takes the item of `key` out: its slot and the item.
    fn remove(&mut self, key: &Key) -> Option<(u32, Item)> {
        let i = self.find(key)?;
        if !self.live[i] {
            return None;
        }
        self.live[i] = false;
        self.count -= 1;
        if i >= self.sorted {
            self.tail.remove(key);
            self.free.push(slot(i));
        }
        Some((slot(i), self.slab[i].clone()))
    }

    fn at(&self, slot: u32) -> &Item {
        &self.slab[slot as usize]
    }

    fn values(&self) -> impl Iterator<Item = &Item> + '_ {
        self.slab
            .iter()
            .zip(&self.live)
            .filter_map(|(it, live)| live.then_some(it))
    }
}

/// A slab index as stored (a slab never holds 2³² items: a million buildings make two million).
fn slot(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Cell side for the item grid: a zoom-14 tile, as the observation index.
const CELL_BITS: u32 = domain::WORLD_BITS - 14;

fn cell_of(p: WorldPoint) -> (i32, i32) {
    (p[0] >> CELL_BITS, p[1] >> CELL_BITS)
}

/// The work items, by rule and target, with their statuses.
#[derive(Debug, Clone)]
pub struct WorkIndex {
    rules: Arc<RuleSet>,
    fields: Arc<Fields>,
    // Keyed by our own ids, never by what a client sends: a fast hash (a million items at 1 M
    // buildings; SipHash and rehashing were most of a full derivation).
    items: Items,
    /// The slots of the live items per cell.
    grid: FxHashMap<(i32, i32), Vec<u32>>,
    /// Per slot, where in its cell's list it is (so an item leaves its cell in one step).
    grid_pos: Vec<u32>,
    /// The newest recorded status per kind and target (kinds without a rule too: the rules can
    /// change back).
    statuses: HashMap<String, FxHashMap<Target, StatusRecord>>,
    /// The same, per rule of the current rules (empty for a rule without statuses): what
    /// every listed item looks up.
    by_rule: Vec<FxHashMap<Target, StatusRecord>>,
}

/// World units per metre at latitude 52° (the Netherlands).
fn units_per_metre() -> f64 {
    let world = domain::WORLD_SIZE as f64;
    world / (40_075_016.686 * 52f64.to_radians().cos())
}

/// Where a pand's work item stands: the mean of its outline's vertices.
pub fn pand_point(p: &domain::BuildingRow<'_>) -> WorldPoint {
    let Some(ring) = p.rings().next() else {
        return [0, 0];
    };
    let pts = ring.0;
    if pts.is_empty() {
        return [0, 0];
    }
    let (mut x, mut y) = (0i64, 0i64);
    for q in pts {
        x += i64::from(q[0]);
        y += i64::from(q[1]);
    }
    let n = pts.len() as i64;
    [(x / n) as i32, (y / n) as i32]
}

/// What the open observations say about each subject, per type (for a full derivation).
struct ObsTable<'a> {
    by_subject: FxHashMap<Subject, Vec<ObsSummary<'a>>>,
}

impl<'a> ObsTable<'a> {
    fn new(fields: &Fields, index: &'a ObservationIndex) -> Self {
        let n = fields.types().len();
        let mut by_subject: FxHashMap<Subject, Vec<ObsSummary<'a>>> = FxHashMap::default();
        for o in index.all() {
            if o.public_space {
                continue;
            }
            let Some(ty) = fields.type_index(&o.kind) else {
                continue;
            };
            let v = by_subject
                .entry(Subject::of(o))
                .or_insert_with(|| vec![ObsSummary::default(); n]);
            v[ty].add(o);
        }
        Self { by_subject }
    }
}

fn summaries_about<'a>(
    fields: &Fields,
    index: &'a ObservationIndex,
    subject: &Subject,
) -> Vec<ObsSummary<'a>> {
    let mut v = vec![ObsSummary::default(); fields.types().len()];
    for (ty, t) in fields.types().iter().enumerate() {
        for o in index.about(&t.name, subject.clone()) {
            v[ty].add(o);
        }
    }
    v
}

/// What the open observations say about `target`, per observation type of `fields`: the same
/// summaries the rules read when they derive its items.
pub(crate) fn target_summaries<'a>(
    fields: &Fields,
    model: &Model,
    index: &'a ObservationIndex,
    now: i64,
    target: Target,
) -> Vec<ObsSummary<'a>> {
    match target {
        Target::Tree(id) => tree_summaries(fields, &tree_reports(index, model, id), now),
        Target::Pand(id) => summaries_about(fields, index, &Subject::Building(id)),
        Target::Verblijfsobject(id) => summaries_about(fields, index, &Subject::Address(id)),
        Target::PublicSpace(id) => {
            let mut obs = vec![ObsSummary::default(); fields.types().len()];
            let Some(o) = index.get(id) else {
                return obs;
            };
            let Some(ty) = fields.type_index(&o.kind) else {
                return obs;
            };
            let near = public_near(index, &o.kind, o.point, SPOT_METRES);
            obs[ty].add(o);
            obs[ty].confirmations = near.iter().map(|q| q.confirmations).sum();
            obs[ty].nearby_30d = near
                .iter()
                .filter(|q| q.observed_at >= now - NEARBY_SECS)
                .count() as u32;
            obs
        }
    }
}

/// The open public-space observations of `kind` within `metres` of `p`.
fn public_near<'a>(
    index: &'a ObservationIndex,
    kind: &str,
    p: WorldPoint,
    metres: f64,
) -> Vec<&'a LiveObservation> {
    let r = (metres * units_per_metre()).ceil() as i32;
    let lo = [p[0].saturating_sub(r), p[1].saturating_sub(r)];
    let hi = [p[0].saturating_add(r + 1), p[1].saturating_add(r + 1)];
    let r2 = f64::from(r) * f64::from(r);
    index
        .features_in_box(lo, hi)
        .into_iter()
        .map(|f| f.newest)
        // A report that names a register tree is about the tree, not a spot.
        .filter(|o| o.public_space && o.kind == kind && o.tree.is_none())
        .filter(|o| {
            let dx = f64::from(o.point[0]) - f64::from(p[0]);
            let dy = f64::from(o.point[1]) - f64::from(p[1]);
            dx * dx + dy * dy <= r2
        })
        .collect()
}

/// The open reports that name register tree `id` (they lie within [`TREE_LINK_METRES`] of it).
pub fn tree_reports<'a>(
    index: &'a ObservationIndex,
    model: &Model,
    id: u64,
) -> Vec<&'a LiveObservation> {
    let Some(t) = model.find_tree(TreeId(id)) else {
        return Vec::new();
    };
    let p = t.point();
    // Generous: a metre is fewer world units than this anywhere in the Netherlands.
    let r = (TREE_LINK_METRES * 2.0 * units_per_metre()).ceil() as i32;
    let lo = [p[0].saturating_sub(r), p[1].saturating_sub(r)];
    let hi = [p[0].saturating_add(r + 1), p[1].saturating_add(r + 1)];
    index
        .features_in_box(lo, hi)
        .into_iter()
        .map(|f| f.newest)
        .filter(|o| o.tree == Some(id))
        .collect()
}

/// What the reports naming one tree say, per observation type of `fields`.
fn tree_summaries<'a>(
    fields: &Fields,
    reports: &[&'a LiveObservation],
    now: i64,
) -> Vec<ObsSummary<'a>> {
    let mut obs = vec![ObsSummary::default(); fields.types().len()];
    for o in reports {
        let Some(ty) = fields.type_index(&o.kind) else {
            continue;
        };
        obs[ty].add(o);
        if o.observed_at >= now - NEARBY_SECS {
            obs[ty].nearby_30d += 1;
        }
    }
    obs
}

/// Is `o` the first open observation of its type at its spot (which names the spot)?
fn names_spot(index: &ObservationIndex, o: &LiveObservation) -> bool {
    public_near(index, &o.kind, o.point, SPOT_METRES)
        .iter()
        .all(|q| (q.observed_at, q.id) >= (o.observed_at, o.id))
}

/// What the open observations say about every pand and address, gathered in one pass: for a
/// pass over all of them ([`WorkIndex::with_building_row`], [`WorkIndex::with_address_row`])
/// without a lookup per observation type and target.
pub struct Observed<'a> {
    table: ObsTable<'a>,
    empty: Vec<ObsSummary<'a>>,
}

impl<'a> Observed<'a> {
    pub(crate) fn new(fields: &Fields, index: &'a ObservationIndex) -> Self {
        Observed {
            table: ObsTable::new(fields, index),
            empty: vec![ObsSummary::default(); fields.types().len()],
        }
    }

    pub(crate) fn about(&self, subject: &Subject) -> &[ObsSummary<'a>] {
        self.table.by_subject.get(subject).unwrap_or(&self.empty)
    }
}

impl Default for WorkIndex {
    /// No rules, no items.
    fn default() -> Self {
        Self::new(
            Arc::new(RuleSet {
                rules: Vec::new(),
                text: String::new(),
            }),
            Arc::new(Fields::new(Vec::new())),
        )
    }
}

impl WorkIndex {
    /// An index with `rules` and no items (call [`WorkIndex::rebuild`]).
    pub fn new(rules: Arc<RuleSet>, fields: Arc<Fields>) -> Self {
        Self {
            rules,
            fields,
            items: Items::default(),
            grid: FxHashMap::default(),
            grid_pos: Vec::new(),
            statuses: HashMap::new(),
            by_rule: Vec::new(),
        }
    }

    /// The rules.
    pub fn rules(&self) -> &Arc<RuleSet> {
        &self.rules
    }

    /// The fields rules may name.
    pub fn fields(&self) -> &Arc<Fields> {
        &self.fields
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// No items.
    pub fn is_empty(&self) -> bool {
        self.items.len() == 0
    }

    /// Replaces the rules and derives everything again.
    pub fn set_rules(&mut self, rules: Arc<RuleSet>, src: &Sources<'_>) {
        self.rules = rules;
        self.rebuild(src);
    }

    /// Loads the newest recorded status per (kind, target).
    pub fn set_statuses(
        &mut self,
        statuses: impl IntoIterator<Item = (String, Target, StatusRecord)>,
        src: &Sources<'_>,
    ) {
        self.statuses.clear();
        for (kind, target, record) in statuses {
            self.statuses
                .entry(kind)
                .or_default()
                .insert(target, record);
        }
        self.rebuild(src);
    }

    /// Sorts the recorded statuses by the current rules.
    fn index_statuses(&mut self) {
        self.by_rule = self
            .rules
            .rules
            .iter()
            .map(|r| self.statuses.get(&r.kind).cloned().unwrap_or_default())
            .collect();
    }

    fn status_of(&self, kind: &str, target: Target) -> Option<&StatusRecord> {
        self.statuses.get(kind)?.get(&target)
    }

    /// Records a new status (after the store kept it).
    pub fn record_status(&mut self, kind: &str, target: Target, record: StatusRecord) -> Refresh {
        self.statuses
            .entry(kind.to_owned())
            .or_default()
            .insert(target, record.clone());
        let mut out = Refresh::default();
        if let Some((i, _)) = self.rules.by_kind(kind) {
            if let Some(m) = self.by_rule.get_mut(i) {
                m.insert(target, record);
            }
            if let Some(item) = self.items.get(&(i as u16, target)) {
                out.points.push(item.point);
            }
        }
        out
    }

    /// Derives every item from scratch.
    pub fn rebuild(&mut self, src: &Sources<'_>) {
        self.items.clear();
        self.grid.clear();
        self.grid_pos.clear();
        self.index_statuses();
        let fields = Arc::clone(&self.fields);
        let table = ObsTable::new(&fields, src.observations);
        let empty = vec![ObsSummary::default(); self.fields.types().len()];
        let rules = Arc::clone(&self.rules);
        let has = |k: TargetKind| rules.rules.iter().any(|r| r.target == k);
        if has(TargetKind::Pand) {
            // About one item per pand: grown once rather than copied twenty times.
            self.items.slab.reserve(src.model.building_count());
            self.items.live.reserve(src.model.building_count());
            for p in src.model.building_rows() {
                let obs = table
                    .by_subject
                    .get(&Subject::Building(p.id().get()))
                    .unwrap_or(&empty);
                let sources = &fields.of(TargetKind::Pand).sources;
                let row = TargetRow::new(sources, Some(p), None, p.areas(), obs, src.now);
                self.derive(Target::Pand(p.id().get()), &row, pand_point(&p), None, true);
            }
        }
        if has(TargetKind::Verblijfsobject) {
            for a in src.model.address_rows() {
                let obs = table
                    .by_subject
                    .get(&Subject::Address(a.id().get()))
                    .unwrap_or(&empty);
                let pand = a.building_rows().first().map(|i| src.model.building(*i));
                let sources = &fields.of(TargetKind::Verblijfsobject).sources;
                let row = TargetRow::new(sources, pand, Some(a), a.areas(), obs, src.now);
                self.derive(
                    Target::Verblijfsobject(a.id().get()),
                    &row,
                    a.point(),
                    None,
                    true,
                );
            }
        }
        if has(TargetKind::PublicSpace) {
            let spots: Vec<i64> = src
                .observations
                .all()
                .filter(|o| {
                    o.public_space && o.tree.is_none() && self.fields.type_index(&o.kind).is_some()
                })
                .map(|o| o.id)
                .collect();
            for id in spots {
                self.derive_public(src, id, true);
            }
        }
        if has(TargetKind::Tree) {
            let mut named: HashMap<u64, Vec<&LiveObservation>> = HashMap::new();
            for o in src.observations.all() {
                if let Some(t) = o.tree {
                    named.entry(t).or_default().push(o);
                }
            }
            let sources = &fields.of(TargetKind::Tree).sources;
            for i in 0..src.model.tree_count() as u32 {
                let t = src.model.tree(i);
                let id = t.id().get();
                let reports = named.get(&id).map_or(&[][..], Vec::as_slice);
                let obs = tree_summaries(&fields, reports, src.now);
                let row = TargetRow::new(sources, None, None, t.areas(), &obs, src.now)
                    .with_tree(Some(t));
                self.derive(Target::Tree(id), &row, t.point(), None, true);
            }
        }
        self.items.seal();
        self.grid_pos.reserve(self.items.slab.len());
        for (i, it) in self.items.slab.iter().enumerate() {
            let v = self.grid.entry(cell_of(it.point)).or_default();
            self.grid_pos.push(slot(v.len()));
            v.push(slot(i));
        }
        self.keep_recorded(src);
    }

    /// Items with a recorded status whose rule no longer holds stay listed.
    fn keep_recorded(&mut self, src: &Sources<'_>) {
        let recorded: Vec<(String, Target)> = self
            .statuses
            .iter()
            .flat_map(|(k, m)| m.keys().map(move |t| (k.clone(), *t)))
            .collect();
        for (kind, target) in recorded {
            self.keep_one(src, &kind, target);
        }
    }

    fn keep_one(&mut self, src: &Sources<'_>, kind: &str, target: Target) {
        let Some((i, rule)) = self.rules.by_kind(kind) else {
            return;
        };
        if rule.target != target.kind() || self.items.contains_key(&(i as u16, target)) {
            return;
        }
        let placed = match target {
            Target::Pand(id) => domain::BagId::new(id)
                .and_then(|b| src.model.find_building(b))
                .map(|p| (pand_point(&p), p.areas())),
            Target::Verblijfsobject(id) => domain::BagId::new(id)
                .and_then(|a| src.model.find_address(a))
                .map(|a| (a.point(), a.areas())),
            Target::PublicSpace(id) => src.observations.get(id).map(|o| (o.point, o.areas)),
            Target::Tree(id) => src
                .model
                .find_tree(TreeId(id))
                .map(|t| (t.point(), t.areas())),
        };
        if let Some((point, areas)) = placed {
            self.insert(Item {
                rule: i as u16,
                target,
                size: 0.0,
                point,
                areas,
                matches: false,
            });
        }
    }

    fn insert(&mut self, item: Item) {
        let at = cell_of(item.point);
        let (i, old) = self.items.insert(item);
        match old {
            Some(old) if cell_of(old.point) == at => {}
            Some(old) => {
                self.unplace(cell_of(old.point), i);
                self.place(at, i);
            }
            None => self.place(at, i),
        }
    }

    fn place(&mut self, c: (i32, i32), i: u32) {
        let v = self.grid.entry(c).or_default();
        let at = slot(v.len());
        v.push(i);
        let i = i as usize;
        if self.grid_pos.len() <= i {
            self.grid_pos.resize(i + 1, 0);
        }
        self.grid_pos[i] = at;
    }

    fn unplace(&mut self, c: (i32, i32), i: u32) {
        let Some(v) = self.grid.get_mut(&c) else {
            return;
        };
        let p = self.grid_pos[i as usize] as usize;
        debug_assert_eq!(v.get(p), Some(&i));
        if v.get(p) == Some(&i) {
            v.swap_remove(p);
            // The last of the cell took its place.
            if let Some(&moved) = v.get(p) {
                self.grid_pos[moved as usize] = slot(p);
            }
        }
        if v.is_empty() {
            self.grid.remove(&c);
        }
    }

    fn remove(&mut self, key: &Key) -> Option<Item> {
        let (i, old) = self.items.remove(key)?;
        self.unplace(cell_of(old.point), i);
        Some(old)
    }

    /// Evaluates the rules of `target`'s kind on `row`; `only` limits it to one rule. `bulk`:
    /// part of a full derivation (appended, sealed at its end).
    fn derive(
        &mut self,
        target: Target,
        row: &TargetRow<'_>,
        point: WorldPoint,
        only: Option<u16>,
        bulk: bool,
    ) {
        let rules = Arc::clone(&self.rules);
        for (i, rule) in rules.rules.iter().enumerate() {
            let i = i as u16;
            if rule.target != target.kind() || only.is_some_and(|o| o != i) {
                continue;
            }
            if rule.when.matches(row) {
                let size = rule.size.eval(row).unwrap_or(0.0) as f32;
                let item = Item {
                    rule: i,
                    target,
                    size,
                    point,
                    areas: row.areas,
                    matches: true,
                };
                if bulk {
                    self.items.push(item);
                } else {
                    self.insert(item);
                }
            }
        }
    }

    fn derive_public(&mut self, src: &Sources<'_>, id: i64, bulk: bool) {
        let Some(o) = src.observations.get(id) else {
            return;
        };
        let Some(ty) = self.fields.type_index(&o.kind) else {
            return;
        };
        if o.tree.is_some() || !names_spot(src.observations, o) {
            return;
        }
        let mut obs = vec![ObsSummary::default(); self.fields.types().len()];
        let near = public_near(src.observations, &o.kind, o.point, SPOT_METRES);
        for q in &near {
            if q.id == o.id {
                obs[ty].add(q);
            }
            if q.observed_at >= src.now - NEARBY_SECS {
                obs[ty].nearby_30d += 1;
            }
        }
        obs[ty].confirmations = near.iter().map(|q| q.confirmations).sum();
        let fields = Arc::clone(&self.fields);
        let row = TargetRow::new(
            &fields.of(TargetKind::PublicSpace).sources,
            None,
            None,
            o.areas,
            &obs,
            src.now,
        );
        self.derive(Target::PublicSpace(id), &row, o.point, None, bulk);
    }

    fn derive_tree(&mut self, src: &Sources<'_>, id: u64) {
        let Some(t) = src.model.find_tree(TreeId(id)) else {
            return;
        };
        let reports = tree_reports(src.observations, src.model, id);
        let obs = tree_summaries(&self.fields, &reports, src.now);
        let fields = Arc::clone(&self.fields);
        let row = TargetRow::new(
            &fields.of(TargetKind::Tree).sources,
            None,
            None,
            t.areas(),
            &obs,
            src.now,
        )
        .with_tree(Some(t));
        self.derive(Target::Tree(id), &row, t.point(), None, false);
    }

    /// The targets whose items an observation (as it is now, or as it was) can change.
    pub fn targets_of(&self, src: &Sources<'_>, o: &LiveObservation) -> Vec<Target> {
        let mut out = Self::subject_targets(src, o);
        if let Some(t) = o.tree {
            out.push(Target::Tree(t));
        }
        out
    }

    fn subject_targets(src: &Sources<'_>, o: &LiveObservation) -> Vec<Target> {
        match Subject::of(o) {
            Subject::Building(b) => vec![Target::Pand(b)],
            Subject::Address(a) => vec![Target::Verblijfsobject(a)],
            Subject::Observation(id) => {
                // Every spot within two spot widths: which observation names a spot can change.
                let mut v: Vec<Target> =
                    public_near(src.observations, &o.kind, o.point, 2.0 * SPOT_METRES)
                        .into_iter()
                        .map(|q| Target::PublicSpace(q.id))
                        .collect();
                v.push(Target::PublicSpace(id));
                v.sort_unstable();
                v.dedup();
                v
            }
        }
    }

    /// Derives the items of `targets` again (after observations about them changed).
    pub fn refresh(&mut self, src: &Sources<'_>, targets: &[Target]) -> Refresh {
        let mut out = Refresh::default();
        for &target in targets {
            let rules = Arc::clone(&self.rules);
            let keys: Vec<Key> = (0..rules.rules.len() as u16)
                .filter(|i| rules.rules[usize::from(*i)].target == target.kind())
                .map(|i| (i, target))
                .collect();
            let before: Vec<Option<Item>> = keys.iter().map(|k| self.remove(k)).collect();
            match target {
                Target::Pand(id) => {
                    if let Some(p) = domain::BagId::new(id).and_then(|b| src.model.find_building(b))
                    {
                        let obs =
                            summaries_about(&self.fields, src.observations, &Subject::Building(id));
                        let fields = Arc::clone(&self.fields);
                        let row = TargetRow::new(
                            &fields.of(TargetKind::Pand).sources,
                            Some(p),
                            None,
                            p.areas(),
                            &obs,
                            src.now,
                        );
                        self.derive(target, &row, pand_point(&p), None, false);
                    }
                }
                Target::Verblijfsobject(id) => {
                    if let Some(a) = domain::BagId::new(id).and_then(|b| src.model.find_address(b))
                    {
                        let obs =
                            summaries_about(&self.fields, src.observations, &Subject::Address(id));
                        let pand = a.building_rows().first().map(|i| src.model.building(*i));
                        let fields = Arc::clone(&self.fields);
                        let row = TargetRow::new(
                            &fields.of(TargetKind::Verblijfsobject).sources,
                            pand,
                            Some(a),
                            a.areas(),
                            &obs,
                            src.now,
                        );
                        self.derive(target, &row, a.point(), None, false);
                    }
                }
                Target::PublicSpace(id) => self.derive_public(src, id, false),
                Target::Tree(id) => self.derive_tree(src, id),
            }
            for (key, old) in keys.iter().zip(before) {
                let kind = &rules.rules[usize::from(key.0)].kind;
                if !self.items.contains_key(key) && self.status_of(kind, target).is_some() {
                    self.keep_one(src, kind, target);
                }
                let new = self.items.get(key);
                if old.as_ref() != new {
                    out.points.extend(old.map(|o| o.point));
                    out.points.extend(new.map(|n| n.point));
                }
            }
        }
        out
    }

    fn item_ref<'s>(&'s self, item: &'s Item) -> ItemRef<'s> {
        let rule = &self.rules.rules[usize::from(item.rule)];
        let record = self
            .by_rule
            .get(usize::from(item.rule))
            .and_then(|m| m.get(&item.target));
        ItemRef {
            item,
            rule,
            status: record.map_or(WorkStatus::Open, |r| r.status),
            record,
        }
    }

    /// One item by its rule's index and target.
    pub fn get_by_rule(&self, rule: u16, target: Target) -> Option<ItemRef<'_>> {
        self.items.get(&(rule, target)).map(|it| self.item_ref(it))
    }

    /// One item by kind and target.
    pub fn get(&self, kind: &str, target: Target) -> Option<ItemRef<'_>> {
        let (i, _) = self.rules.by_kind(kind)?;
        self.items
            .get(&(i as u16, target))
            .map(|it| self.item_ref(it))
    }

    /// Every item, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = ItemRef<'_>> + '_ {
        self.items.values().map(|it| self.item_ref(it))
    }

    /// The items whose point lies in `[lo, hi)`.
    pub fn in_box(&self, lo: WorldPoint, hi: WorldPoint) -> Vec<ItemRef<'_>> {
        let (c0, c1) = (
            cell_of(lo),
            cell_of([hi[0].saturating_sub(1), hi[1].saturating_sub(1)]),
        );
        let cells =
            (i64::from(c1.0) - i64::from(c0.0) + 1) * (i64::from(c1.1) - i64::from(c0.1) + 1);
        let inside = |p: WorldPoint| p[0] >= lo[0] && p[0] < hi[0] && p[1] >= lo[1] && p[1] < hi[1];
        let slots: Vec<u32> = if cells > self.grid.len() as i64 {
            self.grid
                .iter()
                .filter(|((x, y), _)| (c0.0..=c1.0).contains(x) && (c0.1..=c1.1).contains(y))
                .flat_map(|(_, k)| k.iter().copied())
                .collect()
        } else {
            let mut v = Vec::new();
            for x in c0.0..=c1.0 {
                for y in c0.1..=c1.1 {
                    if let Some(k) = self.grid.get(&(x, y)) {
                        v.extend(k);
                    }
                }
            }
            v
        };
        slots
            .into_iter()
            .map(|i| self.items.at(i))
            .filter(|it| inside(it.point))
            .map(|it| self.item_ref(it))
            .collect()
    }

    /// Why an item exists: the values its rule reads for its target now, and the open observations
    /// behind them.
    pub fn evidence(&self, src: &Sources<'_>, kind: &str, target: Target) -> Option<Evidence> {
        let (_, rule) = self.rules.by_kind(kind)?;
        let mut slots = rule.when.fields();
        slots.extend(rule.size.fields());
        slots.sort_unstable();
        slots.dedup();
        let facts = self.with_row(src, target, |row, fields| {
            evidence_of(row, &fields.schema, &slots)
        })?;
        let mut observations: Vec<i64> = match target {
            Target::Pand(id) | Target::Verblijfsobject(id) => {
                let subject = if matches!(target, Target::Pand(_)) {
                    Subject::Building(id)
                } else {
                    Subject::Address(id)
                };
                self.fields
                    .types()
                    .iter()
                    .flat_map(|t| {
                        src.observations
                            .about(&t.name, subject.clone())
                            .map(|o| o.id)
                    })
                    .collect()
            }
            Target::PublicSpace(id) => {
                let o = src.observations.get(id)?;
                public_near(src.observations, &o.kind, o.point, SPOT_METRES)
                    .iter()
                    .map(|q| q.id)
                    .collect()
            }
            Target::Tree(id) => tree_reports(src.observations, src.model, id)
                .iter()
                .map(|q| q.id)
                .collect(),
        };
        observations.sort_unstable();
        observations.dedup();
        Some(Evidence {
            facts,
            observations,
        })
    }

    /// Whether `criteria` (compiled against the fields of the target's kind,
    /// [`Fields::of`]) holds for `target` now: an assignment's or a campaign's selection. False
    /// for a target that is gone.
    pub fn holds(&self, src: &Sources<'_>, target: Target, criteria: &rules::Predicate) -> bool {
        self.with_row(src, target, |row, _| criteria.matches(row))
            .unwrap_or(false)
    }

    /// Runs `f` over the row the rules read for `target` now (register fields and what the open
    /// observations say), `None` for a target that is gone: for conditions compiled against
    /// [`Fields::of`] the target's kind, such as an urgency indicator's.
    pub fn with_target_row<R>(
        &self,
        src: &Sources<'_>,
        target: Target,
        f: impl FnOnce(&dyn rules::Row) -> R,
    ) -> Option<R> {
        self.with_row(src, target, |row, _| f(row))
    }

    /// Gathers what the open observations of `index` say about every pand and address.
    pub fn observed<'a>(&self, index: &'a ObservationIndex) -> Observed<'a> {
        Observed::new(&self.fields, index)
    }

    /// [`WorkIndex::with_target_row`] for pand `p`, with the observations gathered in `observed`
    /// (made from `src`'s observations).
    pub fn with_building_row<R>(
        &self,
        src: &Sources<'_>,
        observed: &Observed<'_>,
        p: domain::BuildingRow<'_>,
        f: impl FnOnce(&dyn rules::Row) -> R,
    ) -> R {
        let obs = observed.about(&Subject::Building(p.id().get()));
        let sources = &self.fields.of(TargetKind::Pand).sources;
        f(&TargetRow::new(
            sources,
            Some(p),
            None,
            p.areas(),
            obs,
            src.now,
        ))
    }

    /// [`WorkIndex::with_target_row`] for address `a`, with the observations gathered in
    /// `observed` (made from `src`'s observations).
    pub fn with_address_row<R>(
        &self,
        src: &Sources<'_>,
        observed: &Observed<'_>,
        a: domain::AddressRow<'_>,
        f: impl FnOnce(&dyn rules::Row) -> R,
    ) -> R {
        let obs = observed.about(&Subject::Address(a.id().get()));
        let pand = a.building_rows().first().map(|i| src.model.building(*i));
        let sources = &self.fields.of(TargetKind::Verblijfsobject).sources;
        f(&TargetRow::new(
            sources,
            pand,
            Some(a),
            a.areas(),
            obs,
            src.now,
        ))
    }

    /// Runs `f` over the row rules read for `target` now.
    fn with_row<R>(
        &self,
        src: &Sources<'_>,
        target: Target,
        f: impl FnOnce(&TargetRow<'_>, &KindFields) -> R,
    ) -> Option<R> {
        let fields = self.fields.of(target.kind());
        match target {
            Target::Pand(id) => {
                let p = domain::BagId::new(id).and_then(|b| src.model.find_building(b))?;
                let obs = summaries_about(&self.fields, src.observations, &Subject::Building(id));
                let row = TargetRow::new(&fields.sources, Some(p), None, p.areas(), &obs, src.now);
                Some(f(&row, fields))
            }
            Target::Verblijfsobject(id) => {
                let a = domain::BagId::new(id).and_then(|b| src.model.find_address(b))?;
                let obs = summaries_about(&self.fields, src.observations, &Subject::Address(id));
                let pand = a.building_rows().first().map(|i| src.model.building(*i));
                let row = TargetRow::new(&fields.sources, pand, Some(a), a.areas(), &obs, src.now);
                Some(f(&row, fields))
            }
            Target::PublicSpace(id) => {
                let o = src.observations.get(id)?;
                let ty = self.fields.type_index(&o.kind)?;
                let near = public_near(src.observations, &o.kind, o.point, SPOT_METRES);
                let mut obs = vec![ObsSummary::default(); self.fields.types().len()];
                obs[ty].add(o);
                obs[ty].confirmations = near.iter().map(|q| q.confirmations).sum();
                obs[ty].nearby_30d = near
                    .iter()
                    .filter(|q| q.observed_at >= src.now - NEARBY_SECS)
                    .count() as u32;
                let row = TargetRow::new(&fields.sources, None, None, o.areas, &obs, src.now);
                Some(f(&row, fields))
            }
            Target::Tree(id) => {
                let t = src.model.find_tree(TreeId(id))?;
                let reports = tree_reports(src.observations, src.model, id);
                let obs = tree_summaries(&self.fields, &reports, src.now);
                let row = TargetRow::new(&fields.sources, None, None, t.areas(), &obs, src.now)
                    .with_tree(Some(t));
                Some(f(&row, fields))
            }
        }
    }

    /// Totals per buurt (or wijk, gemeente: `level`) and kind, over items that `keep` lets through.
    pub fn summary(&self, level: domain::AreaKind, keep: impl Fn(&ItemRef<'_>) -> bool) -> Summary {
        let mut out: HashMap<(String, String), (SummaryRow, HashSet<Target>)> = HashMap::new();
        for it in self.iter() {
            if !keep(&it) {
                continue;
            }
            let code = match level {
                domain::AreaKind::Buurt => it.item.areas.buurt,
                domain::AreaKind::Wijk => it.item.areas.wijk,
                domain::AreaKind::Gemeente => it.item.areas.gemeente,
            };
            let Some(code) = code else { continue };
            let (row, targets) = out
                .entry((code.to_string(), it.rule.kind.clone()))
                .or_default();
            row.items += 1;
            if !it.status.is_closed() {
                row.open_size += f64::from(it.item.size);
            }
            match row.by_status.iter_mut().find(|(s, _)| *s == it.status) {
                Some((_, n)) => *n += 1,
                None => row.by_status.push((it.status, 1)),
            }
            targets.insert(it.item.target);
        }
        let mut v: Summary = out
            .into_iter()
            .map(|((code, kind), (mut row, targets))| {
                row.households = targets.len() as u32;
                row.by_status.sort_unstable();
                (code, kind, row)
            })
            .collect();
        v.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        v
    }
}
