//! The live observations in memory: what the map shows (status class per building, public-space
//! points), updated as observations change, read by tile rendering and the aggregates.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::privacy::{CellTally, KAnonymity, Record, Released, release_cell, release_counts};
use crate::{AreaCode, AreaRefs, WorldPoint};

/// A report as the map needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveObservation {
    /// Id.
    pub id: i64,
    /// Type name.
    pub kind: String,
    /// Status class for the map (from the type's status field).
    pub status_class: String,
    /// Observed, Unix seconds.
    pub observed_at: i64,
    /// Confirmations.
    pub confirmations: u32,
    /// Where it is drawn.
    pub point: WorldPoint,
    /// WGS84.
    pub lonlat: [f64; 2],
    /// The building it is about.
    pub building: Option<u64>,
    /// The address it is about.
    pub address: Option<u64>,
    /// The register tree it is about ([`crate::TreeId`]), when the report names one that stands
    /// near its point (a report about public space).
    pub tree: Option<u64>,
    /// Its areas.
    pub areas: AreaRefs,
    /// About public space.
    pub public_space: bool,
    /// Pseudonymous reporter (for k-anonymity; never in a tile).
    pub reporter: i64,
    /// The reporter has an account (not a device session): counts towards the k distinct
    /// reporters of an aggregate.
    pub accountable: bool,
}

/// Side of a grid cell in world units: a zoom-14 tile (2^17 units, about 2.4 km at the equator,
/// 1.5 km in the Netherlands). A zoom-12 tile reads 16 cells, a zoom-18 tile one.
const CELL_BITS: u32 = crate::WORLD_BITS - 14;

fn cell_of(p: WorldPoint) -> (i32, i32) {
    (p[0] >> CELL_BITS, p[1] >> CELL_BITS)
}

/// What one map feature stands for: a pand or a verblijfsobject (all open reports of one type
/// about it), or a single report about public space.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A BAG pand.
    Building(u64),
    /// A BAG verblijfsobject.
    Address(u64),
    /// One report (public space: every report is its own point).
    Observation(i64),
}

impl Subject {
    /// The subject of a report.
    pub fn of(r: &LiveObservation) -> Self {
        match (r.public_space, r.building, r.address) {
            (false, Some(b), _) => Self::Building(b),
            (false, None, Some(a)) => Self::Address(a),
            _ => Self::Observation(r.id),
        }
    }
}

type GroupKey = (String, Subject);

/// A map feature: the newest open report of a type about its subject, which gives the status,
/// and how many open reports there are.
#[derive(Debug, Clone, Copy)]
pub struct Feature<'a> {
    /// The newest report.
    pub newest: &'a LiveObservation,
    /// Open reports of this type about the subject.
    pub reports: usize,
}

/// Counts of one (buurt, type) cell of the public aggregates, kept as reports come and go.
#[derive(Debug, Default)]
struct Tally {
    records: u32,
    /// Observations per household (address, else pand, else the report).
    households: HashMap<u64, u32>,
    /// Observations per reporter with an account (device sessions do not count towards k).
    reporters: HashMap<i64, u32>,
    /// The type is about public space.
    public_space: bool,
}

/// The household a report counts for in aggregates: its address, else its pand, else the report
/// itself (a spot in public space). Opt-outs name households by the same ids
/// ([`crate::privacy::OptOutRegister::excluded_households`]).
pub fn household(r: &LiveObservation) -> u64 {
    r.address
        .or(r.building)
        .unwrap_or(r.id.unsigned_abs() | (1 << 63))
}

/// The aggregate record of a report.
pub fn record(r: &LiveObservation) -> Record {
    Record {
        address: household(r),
        reporter: r.accountable.then_some(r.reporter),
    }
}

fn bump<K: std::hash::Hash + Eq>(m: &mut HashMap<K, u32>, k: K, up: bool) {
    if up {
        *m.entry(k).or_default() += 1;
    } else if let Some(n) = m.get_mut(&k) {
        *n -= 1;
        if *n == 0 {
            m.remove(&k);
        }
    }
}

/// Live reports by id, grouped into map features (one per subject and type) on a grid, with the
/// reports per buurt and running tallies for the public aggregates, so a tile render touches the
/// features near it and never every report.
#[derive(Debug, Default)]
pub struct ObservationIndex {
    by_id: HashMap<i64, LiveObservation>,
    /// Members of each feature.
    groups: HashMap<GroupKey, HashSet<i64>>,
    /// The newest member of each feature (the one drawn) and where it is drawn.
    shown: HashMap<GroupKey, (i64, WorldPoint)>,
    /// The drawn members by grid cell.
    grid: HashMap<(i32, i32), HashSet<i64>>,
    /// Observations about homes by buurt (for aggregates that must leave opted-out homes out).
    by_buurt: HashMap<AreaCode, HashSet<i64>>,
    tallies: HashMap<(AreaCode, String), Tally>,
}

impl ObservationIndex {
    /// Adds or replaces a report.
    pub fn upsert(&mut self, r: LiveObservation) {
        self.remove(r.id);
        let key = (r.kind.clone(), Subject::of(&r));
        self.groups.entry(key.clone()).or_default().insert(r.id);
        if let Some(b) = r.areas.buurt {
            self.by_buurt.entry(b).or_default().insert(r.id);
            self.tally(b, &r, true);
        }
        self.by_id.insert(r.id, r);
        self.reseat(&key);
    }

    /// Removes a report (closed or hidden).
    pub fn remove(&mut self, id: i64) -> Option<LiveObservation> {
        let old = self.by_id.remove(&id)?;
        let key = (old.kind.clone(), Subject::of(&old));
        if let Some(members) = self.groups.get_mut(&key) {
            members.remove(&id);
            if members.is_empty() {
                self.groups.remove(&key);
            }
        }
        if let Some(b) = old.areas.buurt {
            if let Some(ids) = self.by_buurt.get_mut(&b) {
                ids.remove(&id);
                if ids.is_empty() {
                    self.by_buurt.remove(&b);
                }
            }
            self.tally(b, &old, false);
        }
        self.reseat(&key);
        Some(old)
    }

    fn tally(&mut self, buurt: AreaCode, r: &LiveObservation, up: bool) {
        let key = (buurt, r.kind.clone());
        let t = self.tallies.entry(key.clone()).or_default();
        t.public_space = r.public_space;
        if up {
            t.records += 1;
        } else {
            t.records = t.records.saturating_sub(1);
        }
        bump(&mut t.households, household(r), up);
        if r.accountable {
            bump(&mut t.reporters, r.reporter, up);
        }
        if t.records == 0 {
            self.tallies.remove(&key);
        }
    }

    /// Draws the newest member of a feature (after its members changed).
    fn reseat(&mut self, key: &GroupKey) {
        let newest = self.groups.get(key).and_then(|m| {
            m.iter()
                .filter_map(|id| self.by_id.get(id))
                .max_by_key(|r| (r.observed_at, r.id))
                .map(|r| (r.id, r.point))
        });
        let old = self.shown.get(key).copied();
        if old == newest {
            return;
        }
        if let Some((id, p)) = old
            && let Some(ids) = self.grid.get_mut(&cell_of(p))
        {
            ids.remove(&id);
            if ids.is_empty() {
                self.grid.remove(&cell_of(p));
            }
        }
        match newest {
            Some((id, p)) => {
                self.grid.entry(cell_of(p)).or_default().insert(id);
                self.shown.insert(key.clone(), (id, p));
            }
            None => {
                self.shown.remove(key);
            }
        }
    }

    /// A report.
    pub fn get(&self, id: i64) -> Option<&LiveObservation> {
        self.by_id.get(&id)
    }

    /// The open reports of type `kind` about `subject`.
    pub fn about(&self, kind: &str, subject: Subject) -> impl Iterator<Item = &LiveObservation> {
        self.groups
            .get(&(kind.to_owned(), subject))
            .into_iter()
            .flatten()
            .filter_map(|id| self.by_id.get(id))
    }

    /// The map features whose point lies in `[lo, hi)`, by the id of their newest report.
    pub fn features_in_box(&self, lo: WorldPoint, hi: WorldPoint) -> Vec<Feature<'_>> {
        let inside = |r: &&LiveObservation| {
            r.point[0] >= lo[0] && r.point[0] < hi[0] && r.point[1] >= lo[1] && r.point[1] < hi[1]
        };
        let (c0, c1) = (
            cell_of(lo),
            cell_of([hi[0].saturating_sub(1), hi[1].saturating_sub(1)]),
        );
        let in_range = |(x, y): &(i32, i32)| (c0.0..=c1.0).contains(x) && (c0.1..=c1.1).contains(y);
        let cells =
            (i64::from(c1.0) - i64::from(c0.0) + 1) * (i64::from(c1.1) - i64::from(c0.1) + 1);
        let ids: Vec<&HashSet<i64>> = if cells > self.grid.len() as i64 {
            // A box wider than the occupied cells: look at the occupied cells instead.
            self.grid
                .iter()
                .filter(|(c, _)| in_range(c))
                .map(|(_, ids)| ids)
                .collect()
        } else {
            (c0.1..=c1.1)
                .flat_map(|y| (c0.0..=c1.0).map(move |x| (x, y)))
                .filter_map(|c| self.grid.get(&c))
                .collect()
        };
        let mut v: Vec<Feature<'_>> = ids
            .into_iter()
            .flatten()
            .filter_map(|id| self.by_id.get(id))
            .filter(inside)
            .map(|r| Feature {
                newest: r,
                reports: self
                    .groups
                    .get(&(r.kind.clone(), Subject::of(r)))
                    .map_or(1, HashSet::len),
            })
            .collect();
        v.sort_by_key(|f| f.newest.id);
        v
    }

    /// The aggregate cells (buurt, type) of `buurten` — every type about homes, or only `kind` —,
    /// k-anonymous under `rule`, leaving out the households that `opted_out` names (addresses
    /// and panden opted out of research, see [`household`]). The one function behind the public
    /// map layer and the aggregates API: both count open reports (not hidden, closed or
    /// withdrawn) the same way.
    pub fn release_in(
        &self,
        buurten: &[AreaCode],
        kind: Option<&str>,
        rule: KAnonymity,
        opted_out: &HashSet<u64>,
    ) -> BTreeMap<(AreaCode, String), Released> {
        let mut out = BTreeMap::new();
        for ((buurt, k), t) in &self.tallies {
            let wanted = match kind {
                Some(want) => want == k,
                None => !t.public_space,
            };
            if !buurten.contains(buurt) || !wanted {
                continue;
            }
            let kind = k;
            let touched =
                !opted_out.is_empty() && opted_out.iter().any(|a| t.households.contains_key(a));
            let released = if touched {
                // Rare: recount the cell without the opted-out homes.
                let mut exact = CellTally::default();
                for r in self.by_buurt[buurt]
                    .iter()
                    .filter_map(|id| self.by_id.get(id))
                    .filter(|r| r.kind == *kind)
                    .filter(|r| !opted_out.contains(&household(r)))
                {
                    exact.add(record(r));
                }
                release_cell(rule, &exact)
            } else {
                release_counts(
                    rule,
                    t.records,
                    t.households.len() as u32,
                    t.reporters.len() as u32,
                )
            };
            out.insert((*buurt, kind.clone()), released);
        }
        out
    }

    /// The released counts of `buurt`'s open reports of type `kind` split by answer (status
    /// class), for the same reports [`release_in`](Self::release_in) counts: `None` unless every
    /// answer given there is itself released — k households and k reporters behind each — since
    /// the buurt's total minus the released answers would otherwise give a withheld one away.
    pub fn release_answers(
        &self,
        buurt: AreaCode,
        kind: &str,
        rule: KAnonymity,
        opted_out: &HashSet<u64>,
    ) -> Option<BTreeMap<String, Released>> {
        let mut by_class: BTreeMap<&str, CellTally> = BTreeMap::new();
        for r in self
            .by_buurt
            .get(&buurt)?
            .iter()
            .filter_map(|id| self.by_id.get(id))
            .filter(|r| r.kind == kind && !opted_out.contains(&household(r)))
        {
            by_class
                .entry(r.status_class.as_str())
                .or_default()
                .add(record(r));
        }
        if by_class.is_empty() {
            return None;
        }
        let mut out = BTreeMap::new();
        for (class, tally) in by_class {
            match release_cell(rule, &tally) {
                Released::Suppressed => return None,
                shown @ Released::Shown { .. } => {
                    out.insert(class.to_owned(), shown);
                }
            }
        }
        Some(out)
    }

    /// The open reports of type `kind` that aggregates count, with their points, leaving out the
    /// households `opted_out` names: the records of grid aggregates (the same reports as
    /// [`release_in`](Self::release_in) counts per buurt).
    pub fn records_of<'a>(
        &'a self,
        kind: &'a str,
        opted_out: &'a HashSet<u64>,
    ) -> impl Iterator<Item = (WorldPoint, Record)> + 'a {
        self.by_id
            .values()
            .filter(move |r| r.kind == kind && !opted_out.contains(&household(r)))
            .map(|r| (r.point, record(r)))
    }

    /// Every live report, in no particular order.
    pub fn all(&self) -> impl Iterator<Item = &LiveObservation> {
        self.by_id.values()
    }

    /// Number of live reports.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// No live reports.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// Freshness of an observation `age_secs` old: halves every 180 days.
pub fn freshness(age_secs: i64) -> f64 {
    const HALF_LIFE_DAYS: f64 = 180.0;
    let days = (age_secs.max(0) as f64) / 86_400.0;
    0.5_f64.powf(days / HALF_LIFE_DAYS)
}

/// Weight of a report in the timeline: freshness × (1 + confirmations).
pub fn weight(age_secs: i64, confirmations: u32) -> f64 {
    freshness(age_secs) * f64::from(1 + confirmations)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn live(id: i64, point: WorldPoint, buurt: Option<&str>) -> LiveObservation {
        LiveObservation {
            id,
            kind: "greenery_distress".into(),
            status_class: "dying".into(),
            observed_at: id,
            confirmations: 0,
            point,
            lonlat: [0.0, 0.0],
            building: None,
            address: None,
            tree: None,
            areas: buurt
                .map(|b| AreaRefs::from_code(b.parse().unwrap()))
                .unwrap_or_default(),
            public_space: true,
            reporter: 1,
            accountable: true,
        }
    }

    /// A report about a home: `kind` on pand `building`, address `address`, by `reporter`.
    fn home(id: i64, kind: &str, building: u64, address: u64, reporter: i64) -> LiveObservation {
        LiveObservation {
            kind: kind.into(),
            building: Some(building),
            address: Some(address),
            tree: None,
            public_space: false,
            reporter,
            ..live(id, [1000, 1000], Some("BU19990101"))
        }
    }

    /// Split by answer only when no answer in the buurt is withheld: a withheld answer would
    /// follow from the buurt's total minus the answers shown.
    #[test]
    fn answers_are_split_only_when_none_is_withheld() {
        let rule = KAnonymity { k: 3, round_to: 1 };
        let none = HashSet::new();
        let buurt: AreaCode = "BU19990101".parse().unwrap();
        let mut idx = ObservationIndex::default();
        let mut id = 0;
        let mut add = |idx: &mut ObservationIndex, class: &str, n: u64, from: u64| {
            for i in 0..n {
                id += 1;
                let mut r = home(
                    id,
                    "solar_panels",
                    100 + from + i,
                    200 + from + i,
                    (from + i) as i64,
                );
                r.status_class = class.into();
                idx.upsert(r);
            }
        };
        add(&mut idx, "panels_seen", 4, 0);
        add(&mut idx, "no_panels", 3, 10);
        let split = idx
            .release_answers(buurt, "solar_panels", rule, &none)
            .unwrap();
        assert_eq!(
            split.get("panels_seen"),
            Some(&Released::Shown {
                records: 4,
                addresses: 4
            })
        );
        assert_eq!(
            split.get("no_panels"),
            Some(&Released::Shown {
                records: 3,
                addresses: 3
            })
        );
        // One "can't tell" from one household: the buurt (8 reports) is still shown, its split
        // is not.
        add(&mut idx, "unknown", 1, 20);
        assert!(
            idx.release_answers(buurt, "solar_panels", rule, &none)
                .is_none()
        );
        let total = idx.release_in(&[buurt], Some("solar_panels"), rule, &none);
        assert!(matches!(
            total[&(buurt, "solar_panels".to_owned())],
            Released::Shown { records: 8, .. }
        ));
        // A household that opted out of research is left out of the split as of the total.
        let opted: HashSet<u64> = [household(idx.by_id.get(&id).unwrap())].into();
        let split = idx
            .release_answers(buurt, "solar_panels", rule, &opted)
            .unwrap();
        assert_eq!(split.len(), 2);
        assert!(
            idx.release_answers(buurt, "greenery_distress", rule, &none)
                .is_none()
        );
    }

    fn ids(v: &[Feature<'_>]) -> Vec<i64> {
        v.iter().map(|f| f.newest.id).collect()
    }

    #[test]
    fn boxes_find_exactly_their_features_as_reports_move_and_go() {
        let cell = 1 << CELL_BITS;
        let all = ([0, 0], [i32::MAX, i32::MAX]);
        let mut idx = ObservationIndex::default();
        idx.upsert(live(1, [10, 10], Some("BU19990101")));
        idx.upsert(live(2, [cell + 5, 10], Some("BU19990101")));
        idx.upsert(live(3, [5 * cell, 5 * cell], Some("BU19990102")));
        assert_eq!(ids(&idx.features_in_box([0, 0], [cell + 6, 11])), [1, 2]);
        assert_eq!(
            ids(&idx.features_in_box([0, 0], [cell + 5, 11])),
            [1],
            "hi is exclusive"
        );
        assert_eq!(ids(&idx.features_in_box([11, 0], all.1)), [2, 3]);
        assert_eq!(ids(&idx.features_in_box(all.0, all.1)), [1, 2, 3]);
        // Moved to another cell.
        idx.upsert(live(1, [5 * cell + 1, 5 * cell], Some("BU19990102")));
        assert!(idx.features_in_box([0, 0], [cell, cell]).is_empty());
        assert_eq!(
            ids(&idx.features_in_box([5 * cell, 5 * cell], [6 * cell, 6 * cell])),
            [1, 3]
        );
        for id in [1, 2, 3] {
            idx.remove(id);
        }
        assert!(idx.is_empty() && idx.grid.is_empty() && idx.groups.is_empty());
        assert!(idx.shown.is_empty());
    }

    #[test]
    fn reports_about_one_pand_are_one_feature_per_type_drawn_by_the_newest() {
        let all = ([0, 0], [i32::MAX, i32::MAX]);
        let mut idx = ObservationIndex::default();
        idx.upsert(home(10, "solar_panels", 7, 70, 1));
        idx.upsert(home(12, "solar_panels", 7, 71, 2));
        idx.upsert(home(11, "roof_suitability", 7, 70, 1));
        let f = idx.features_in_box(all.0, all.1);
        assert_eq!(ids(&f), [11, 12], "the newest solar report draws the pand");
        assert_eq!(f.iter().map(|f| f.reports).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(
            idx.about("solar_panels", Subject::Building(7))
                .map(|r| r.id)
                .collect::<HashSet<_>>(),
            HashSet::from([10, 12])
        );
        // The newest goes: the one before draws the pand again.
        idx.remove(12);
        let f = idx.features_in_box(all.0, all.1);
        assert_eq!(ids(&f), [10, 11]);
        assert_eq!(f[0].reports, 1);
        idx.remove(10);
        idx.remove(11);
        assert!(idx.features_in_box(all.0, all.1).is_empty());
        assert!(idx.shown.is_empty() && idx.grid.is_empty());
    }

    #[test]
    fn running_tallies_release_what_counting_every_record_releases() {
        let rule = KAnonymity { k: 3, round_to: 1 };
        let buurt: AreaCode = "BU19990101".parse().unwrap();
        let mut idx = ObservationIndex::default();
        let mut id = 0;
        // Six homes, each reported by its own reporter; home 5 twice.
        for h in 0..6_u64 {
            for _ in 0..=u64::from(h == 5) {
                id += 1;
                idx.upsert(home(id, "solar_panels", 100 + h, 200 + h, h as i64));
            }
        }
        // A report about a pand (no address), and one from a device session.
        idx.upsert(LiveObservation {
            address: None,
            tree: None,
            ..home(20, "solar_panels", 150, 0, 20)
        });
        idx.upsert(LiveObservation {
            accountable: false,
            ..home(21, "solar_panels", 160, 260, 21)
        });
        // Public space is its own type.
        idx.upsert(live(99, [5, 5], Some("BU19990101")));
        let brute = |idx: &ObservationIndex, out: &HashSet<u64>| {
            crate::privacy::release(
                rule,
                idx.all()
                    .filter(|r| r.kind == "solar_panels")
                    .filter(|r| !out.contains(&household(r)))
                    .map(|r| ((r.areas.buurt.unwrap(), r.kind.clone()), record(r))),
            )
        };
        let solar = Some("solar_panels");
        let none = HashSet::new();
        let got = idx.release_in(&[buurt], solar, rule, &none);
        assert_eq!(got, brute(&idx, &none));
        assert_eq!(
            got[&(buurt, "solar_panels".to_owned())],
            Released::Shown {
                records: 9,
                addresses: 8
            }
        );
        assert_eq!(
            idx.release_in(&[buurt], None, rule, &none)
                .keys()
                .map(|(_, k)| k.as_str())
                .collect::<Vec<_>>(),
            ["solar_panels"],
            "every type about homes"
        );
        assert_eq!(
            idx.release_in(&[buurt], Some("greenery_distress"), rule, &none)
                .len(),
            1
        );
        // Opted-out homes (addresses, and a pand whose every address opted out) are recounted
        // without them.
        let out: HashSet<u64> = HashSet::from([200, 201, 202, 150]);
        assert_eq!(
            idx.release_in(&[buurt], solar, rule, &out),
            brute(&idx, &out)
        );
        // Three homes left, but one of them by a device session: two reporters count.
        let out: HashSet<u64> = HashSet::from([200, 201, 202, 203, 150]);
        let got = idx.release_in(&[buurt], solar, rule, &out);
        assert_eq!(got, brute(&idx, &out));
        assert_eq!(
            got[&(buurt, "solar_panels".to_owned())],
            Released::Suppressed
        );
        // Observations going keep the tallies exact.
        for gone in [1, 7, 21] {
            idx.remove(gone);
            assert_eq!(
                idx.release_in(&[buurt], solar, rule, &none),
                brute(&idx, &none)
            );
        }
        for r in [1, 2, 3, 4, 5, 6, 7, 20, 21, 99] {
            idx.remove(r);
        }
        assert!(idx.tallies.is_empty() && idx.by_buurt.is_empty());
        assert!(idx.release_in(&[buurt], None, rule, &none).is_empty());
    }

    #[test]
    fn older_observations_count_less() {
        assert!((freshness(0) - 1.0).abs() < 1e-9);
        assert!((freshness(180 * 86_400) - 0.5).abs() < 1e-9);
        assert!(freshness(400 * 86_400) < freshness(10 * 86_400));
        assert!((weight(0, 2) - 3.0).abs() < 1e-9);
    }
}
