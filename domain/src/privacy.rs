//! k-anonymous aggregates: the only way per-household data leaves wijkwerk for roles that may not
//! see it per household.
//!
//! Rules (see `docs/privacy.md`):
//! 1. Aggregates exist only on a **fixed partition**: CBS buurten, or square cells of a fixed grid.
//!    A question about any other area (a wijk, a drawn polygon) is answered as the set of whole
//!    cells it covers (a cell belongs to an area when its reference point lies inside), never by
//!    counting raw records inside the area. Two overlapping areas therefore differ by whole cells.
//! 2. A cell is **released** only when it holds at least `k` distinct addresses *and* `k` distinct
//!    reporters; otherwise it is suppressed and says nothing but "suppressed". Only reporters whose
//!    identity costs something count towards the `k` reporters: a signed-in account, not a device
//!    session anyone can make in a second (see [`Record::reporter`] and `docs/privacy.md`,
//!    "Cheap identities"), so padding a cell with made-up reporters cannot lift it over `k`.
//! 3. Released counts are **rounded** to a multiple of `round_to` (never down to zero).
//! 4. Totals are sums of released, rounded cells. A suppressed cell never contributes, so a total
//!    minus the released cells reveals nothing. Coarser grid levels are such totals too
//!    ([`release_nested`]): a released coarse cell minus its released children reveals nothing.

use std::collections::{BTreeMap, HashSet};
use std::hash::Hash;

/// The k-anonymity settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KAnonymity {
    /// Minimum distinct addresses and distinct reporters per released cell.
    pub k: u32,
    /// Released counts are rounded to a multiple of this (1 = no rounding).
    pub round_to: u32,
}

impl Default for KAnonymity {
    fn default() -> Self {
        Self { k: 5, round_to: 5 }
    }
}

impl KAnonymity {
    /// Rounds a count of a released cell: to the nearest multiple of `round_to`, at least
    /// `round_to` (a released cell is never shown as empty).
    pub fn round(&self, n: u32) -> u32 {
        let r = self.round_to.max(1);
        (((n + r / 2) / r) * r).max(r)
    }
}

/// One record that counts towards an aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The household (address) it is about.
    pub address: u64,
    /// Who reported it (pseudonymous), when that identity counts towards the `k` distinct
    /// reporters: an account. `None` for a reporter whose identity costs nothing (a device
    /// session): the record counts, its reporter does not.
    pub reporter: Option<i64>,
}

/// Raw content of one cell, before release.
#[derive(Debug, Clone, Default)]
pub struct CellTally {
    records: u32,
    addresses: HashSet<u64>,
    reporters: HashSet<i64>,
}

impl CellTally {
    /// Adds a record.
    pub fn add(&mut self, r: Record) {
        self.records += 1;
        self.addresses.insert(r.address);
        if let Some(reporter) = r.reporter {
            self.reporters.insert(reporter);
        }
    }
}

/// A cell as released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Released {
    /// Shown, with rounded counts.
    Shown {
        /// Records, rounded.
        records: u32,
        /// Distinct addresses, rounded.
        addresses: u32,
    },
    /// Fewer than k addresses or reporters (or empty): nothing is said.
    Suppressed,
}

/// Counts `records` into cells keyed by `cell_of` and releases them under `rule`.
pub fn release<K: Ord + Hash + Clone>(
    rule: KAnonymity,
    records: impl IntoIterator<Item = (K, Record)>,
) -> BTreeMap<K, Released> {
    let mut tallies: BTreeMap<K, CellTally> = BTreeMap::new();
    for (key, r) in records {
        tallies.entry(key).or_default().add(r);
    }
    tallies
        .into_iter()
        .map(|(k, t)| (k, release_cell(rule, &t)))
        .collect()
}

/// Releases one tally.
pub fn release_cell(rule: KAnonymity, t: &CellTally) -> Released {
    release_counts(
        rule,
        t.records,
        t.addresses.len() as u32,
        t.reporters.len() as u32,
    )
}

/// Releases a cell of `records` about `addresses` distinct addresses by `reporters` distinct
/// reporters (for callers that keep these counts themselves).
pub fn release_counts(rule: KAnonymity, records: u32, addresses: u32, reporters: u32) -> Released {
    if addresses < rule.k || reporters < rule.k {
        return Released::Suppressed;
    }
    Released::Shown {
        records: rule.round(records),
        addresses: rule.round(addresses),
    }
}

/// The answer for an area made of whole cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct AreaTotal {
    /// Sum of released (rounded) records.
    pub records: u32,
    /// Sum of released (rounded) addresses.
    pub addresses: u32,
    /// Cells released.
    pub cells_shown: u32,
    /// Cells suppressed (their content is not in the sums).
    pub cells_suppressed: u32,
}

/// Sums the released cells `keys` (cells with no records count as suppressed).
pub fn total<'a, K: Ord + 'a>(
    released: &BTreeMap<K, Released>,
    keys: impl IntoIterator<Item = &'a K>,
) -> AreaTotal {
    let mut t = AreaTotal::default();
    for key in keys {
        match released.get(key) {
            Some(Released::Shown { records, addresses }) => {
                t.records += records;
                t.addresses += addresses;
                t.cells_shown += 1;
            }
            _ => t.cells_suppressed += 1,
        }
    }
    t
}

/// Releases grid cells at `level`, a grid coarser than (or as fine as) `base` whose cells are whole
/// base cells (grid sizes are powers of two, so they nest): every base cell is released on its own
/// under `rule`, and a coarse cell is the [`total`] of its released base cells. A coarse cell
/// therefore never holds what its suppressed children hold, so subtracting released children
/// from it reveals nothing. Coarse cells whose base cells are all suppressed are suppressed.
pub fn release_nested(
    rule: KAnonymity,
    base: Grid,
    level: Grid,
    records: impl IntoIterator<Item = (crate::WorldPoint, Record)>,
) -> BTreeMap<(i32, i32), Released> {
    let fine = release(rule, records.into_iter().map(|(p, r)| (base.cell_of(p), r)));
    let ratio = (level.cell / base.cell).max(1);
    let mut children: BTreeMap<(i32, i32), Vec<(i32, i32)>> = BTreeMap::new();
    for c in fine.keys() {
        children
            .entry((c.0.div_euclid(ratio), c.1.div_euclid(ratio)))
            .or_default()
            .push(*c);
    }
    children
        .into_iter()
        .map(|(coarse, kids)| {
            let t = total(&fine, &kids);
            let r = if t.cells_shown == 0 {
                Released::Suppressed
            } else {
                Released::Shown {
                    records: t.records,
                    addresses: t.addresses,
                }
            };
            (coarse, r)
        })
        .collect()
}

/// A fixed square grid over the fixed-point Web Mercator world (see [`crate::WorldPoint`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// Cell side in world units.
    pub cell: i32,
}

impl Grid {
    /// A grid of cells roughly `metres` on a side at Dutch latitudes (52°N), where one world unit
    /// is about 0.0115 m on the ground. The size is rounded to a power of two so grids of
    /// different sizes nest.
    pub fn about_metres(metres: u32) -> Self {
        let units = f64::from(metres.clamp(50, 10_000)) / ground_metres_per_unit();
        let pow = units.log2().round() as u32;
        Self {
            cell: 1_i32 << pow.min(30),
        }
    }

    /// The cell of a point: (column, row).
    pub fn cell_of(&self, p: crate::WorldPoint) -> (i32, i32) {
        (p[0].div_euclid(self.cell), p[1].div_euclid(self.cell))
    }

    /// The reference point (centre) of a cell.
    pub fn centre(&self, cell: (i32, i32)) -> crate::WorldPoint {
        [
            cell.0 * self.cell + self.cell / 2,
            cell.1 * self.cell + self.cell / 2,
        ]
    }

    /// Side of a cell on the ground at 52°N, metres (rounded).
    pub fn metres(&self) -> u32 {
        (f64::from(self.cell) * ground_metres_per_unit()).round() as u32
    }
}

fn ground_metres_per_unit() -> f64 {
    let equator = 2.0 * std::f64::consts::PI * 6_378_137.0 / f64::from(crate::WORLD_SIZE as u32);
    equator * 52.0_f64.to_radians().cos()
}

/// The opt-out / do-not-knock register as the serving side holds it: per purpose, the addresses
/// whose households said no. Every layer, list and export that is about households calls
/// [`OptOutRegister::excludes`] (or [`OptOutRegister::retain_allowed`]) before it shows an address.
#[derive(Debug, Clone, Default)]
pub struct OptOutRegister {
    by_purpose: std::collections::HashMap<crate::access::Purpose, HashSet<u64>>,
}

impl OptOutRegister {
    /// A register from (address, purpose) rows; unknown purposes are ignored.
    pub fn from_rows<'a>(rows: impl IntoIterator<Item = (u64, &'a str)>) -> Self {
        let mut r = Self::default();
        for (address, purpose) in rows {
            if let Ok(p) = purpose.parse() {
                r.by_purpose.entry(p).or_default().insert(address);
            }
        }
        r
    }

    /// Must `address` be left out of processing for `purpose`?
    ///
    /// An opt-out of `canvassing` also excludes the address from `contact`: a household that asked
    /// not to be visited is not to be approached otherwise either.
    pub fn excludes(&self, address: u64, purpose: crate::access::Purpose) -> bool {
        use crate::access::Purpose as P;
        let hit = |p: P| {
            self.by_purpose
                .get(&p)
                .is_some_and(|s| s.contains(&address))
        };
        match purpose {
            P::Contact => hit(P::Contact) || hit(P::Canvassing),
            P::Canvassing | P::Research => hit(purpose),
            // Export of household data is for canvassing lists: honour canvassing opt-outs.
            P::Export => hit(P::Canvassing),
            _ => false,
        }
    }

    /// Must a report about `address` — or, without one, about a pand whose verblijfsobjecten are
    /// `pand_addresses` — be left out for `purpose`? A report about a pand is about its
    /// households: it is left out when every one of them opted out.
    pub fn excludes_subject(
        &self,
        address: Option<u64>,
        pand_addresses: &[u64],
        purpose: crate::access::Purpose,
    ) -> bool {
        match address {
            Some(a) => self.excludes(a, purpose),
            None => {
                !pand_addresses.is_empty()
                    && pand_addresses.iter().all(|a| self.excludes(*a, purpose))
            }
        }
    }

    /// The households `purpose` must leave out, as the ids reports count households by: every
    /// address that opted out, and every pand all of whose addresses opted out (see
    /// [`excludes_subject`](Self::excludes_subject)).
    pub fn excluded_households(
        &self,
        purpose: crate::access::Purpose,
        model: &crate::Model,
    ) -> HashSet<u64> {
        let mut out = HashSet::new();
        let candidates: HashSet<u64> = self
            .by_purpose
            .values()
            .flatten()
            .copied()
            .filter(|a| self.excludes(*a, purpose))
            .collect();
        for a in &candidates {
            out.insert(*a);
            let Some(row) = crate::BagId::new(*a).and_then(|id| model.find_address(id)) else {
                continue;
            };
            for b in row.building_rows() {
                let pand = model.building(*b);
                let all_out = pand
                    .address_rows()
                    .iter()
                    .all(|r| candidates.contains(&model.address(*r).id().get()));
                if all_out {
                    out.insert(pand.id().get());
                }
            }
        }
        out
    }

    /// Keeps only the addresses that may be processed for `purpose`.
    pub fn retain_allowed(&self, purpose: crate::access::Purpose, addresses: &mut Vec<u64>) {
        addresses.retain(|a| !self.excludes(*a, purpose));
    }

    /// Addresses opted out of `purpose` (for the staff list of the register).
    pub fn addresses(&self, purpose: crate::access::Purpose) -> impl Iterator<Item = u64> + '_ {
        self.by_purpose.get(&purpose).into_iter().flatten().copied()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn rec(address: u64, reporter: i64) -> Record {
        Record {
            address,
            reporter: Some(reporter),
        }
    }

    /// The padding attack: one real report in a cell, four cheap identities (device sessions)
    /// reporting four other homes. The cell must stay suppressed.
    #[test]
    fn cheap_identities_do_not_lift_a_cell_over_k() {
        let rule = KAnonymity::default();
        let mut records = vec![("c", rec(1, 1))];
        records.extend((2..=5).map(|a| {
            (
                "c",
                Record {
                    address: a,
                    reporter: None,
                },
            )
        }));
        assert_eq!(release(rule, records.clone())["c"], Released::Suppressed);
        // The same with five accounts is released.
        let accounts: Vec<_> = (1..=5).map(|a| ("c", rec(a, a as i64))).collect();
        assert!(matches!(
            release(rule, accounts)["c"],
            Released::Shown { .. }
        ));
    }

    /// Nested grid levels: a coarse cell is the sum of its released children only, so a coarse
    /// cell minus its released children is zero, never a suppressed child's count.
    #[test]
    fn coarse_cells_minus_released_children_reveal_nothing() {
        let rule = KAnonymity::default();
        let base = Grid { cell: 1000 };
        let level = Grid { cell: 2000 };
        let mut points = Vec::new();
        // Three children with 6 households each, a fourth with one household.
        for (cx, cy, n) in [(0, 0, 6), (1, 0, 6), (0, 1, 6), (1, 1, 1)] {
            for i in 0..n {
                let a = (cx * 100 + cy * 10 + i) as u64 + 1000;
                points.push(([cx * 1000 + 10 + i * 50, cy * 1000 + 10], rec(a, a as i64)));
            }
        }
        let fine = release(rule, points.iter().map(|(p, r)| (base.cell_of(*p), *r)));
        assert_eq!(fine[&(1, 1)], Released::Suppressed);
        let coarse = release_nested(rule, base, level, points.iter().copied());
        let shown_children: u32 = [(0, 0), (1, 0), (0, 1)]
            .iter()
            .map(|c| match fine[c] {
                Released::Shown { records, .. } => records,
                Released::Suppressed => 0,
            })
            .sum();
        let Released::Shown { records, .. } = coarse[&(0, 0)] else {
            panic!("the coarse cell holds released children");
        };
        assert_eq!(
            records, shown_children,
            "the coarse cell leaks its suppressed child"
        );
        // Counting the coarse cell on its own (the old way) would have leaked it: 19 records.
        let flat = release(rule, points.iter().map(|(p, r)| (level.cell_of(*p), *r)));
        assert_ne!(flat[&(0, 0)], coarse[&(0, 0)]);
    }

    #[test]
    fn a_report_about_a_pand_is_left_out_when_all_its_households_opted_out() {
        use crate::access::Purpose as P;
        let r = OptOutRegister::from_rows([(1, "research"), (2, "research")]);
        assert!(r.excludes_subject(None, &[1, 2], P::Research));
        assert!(!r.excludes_subject(None, &[1, 2, 3], P::Research));
        assert!(!r.excludes_subject(None, &[], P::Research));
        assert!(r.excludes_subject(Some(1), &[], P::Research));
        assert!(!r.excludes_subject(Some(3), &[1, 2], P::Research));
    }

    #[test]
    fn cells_below_k_addresses_or_reporters_are_suppressed() {
        let rule = KAnonymity::default();
        // 5 addresses, all reported by one person: suppressed.
        let one_reporter = release(rule, (0..5).map(|a| ("c", rec(a, 1))));
        assert_eq!(one_reporter["c"], Released::Suppressed);
        // 4 addresses, 5 reporters: suppressed.
        let four = release(rule, (0..5).map(|r| ("c", rec(r % 4, r as i64))));
        assert_eq!(four["c"], Released::Suppressed);
        // 7 addresses, 7 reporters: shown, rounded.
        let shown = release(rule, (0..7).map(|a| ("c", rec(a, a as i64))));
        assert_eq!(
            shown["c"],
            Released::Shown {
                records: 5,
                addresses: 5
            }
        );
    }

    #[test]
    fn rounding_never_shows_zero() {
        let r = KAnonymity { k: 5, round_to: 5 };
        assert_eq!(r.round(5), 5);
        assert_eq!(r.round(7), 5);
        assert_eq!(r.round(8), 10);
        assert_eq!(r.round(1), 5);
        assert_eq!(KAnonymity { k: 3, round_to: 1 }.round(3), 3);
    }

    #[test]
    fn totals_exclude_suppressed_cells() {
        let rule = KAnonymity::default();
        let mut records: Vec<(u8, Record)> = (0..10).map(|a| (1, rec(a, a as i64))).collect();
        records.push((2, rec(100, 100))); // one household alone in cell 2
        let released = release(rule, records.clone());
        let all = total(&released, &[1, 2]);
        let only_first = total(&released, &[1]);
        assert_eq!(
            all.records, only_first.records,
            "cell 2 must not leak into the total"
        );
        assert_eq!(all.cells_suppressed, 1);
    }

    /// The differencing attack: two overlapping areas whose difference is one household.
    /// Areas are answered as whole grid cells chosen by their centres, so a sliver that adds the
    /// household's location (but no cell centre) gives the identical answer, and an area that adds
    /// a whole cell adds at least k addresses, rounded.
    #[test]
    fn overlapping_areas_cannot_be_differenced_to_one_household() {
        let rule = KAnonymity::default();
        let grid = Grid { cell: 1000 };
        // Households on a line of cells; 6 per cell in cells 0..4, the target alone in cell 5.
        let mut points: Vec<(crate::WorldPoint, Record)> = Vec::new();
        for c in 0..5 {
            for i in 0..6 {
                let a = (c * 10 + i) as u64;
                points.push(([c * 1000 + 10 + i * 100, 500], rec(a, a as i64)));
            }
        }
        let target = ([5000 + 10, 500], rec(999, 999));
        points.push(target);
        let released = release(rule, points.iter().map(|(p, r)| (grid.cell_of(*p), *r)));
        let answer = |x_max: i32| {
            // An area [0, x_max) × [0, 1000): covers the cells whose centre lies inside.
            let cells: Vec<(i32, i32)> = (0..10)
                .map(|c| (c, 0))
                .filter(|c| grid.centre(*c)[0] < x_max)
                .collect();
            total(&released, &cells)
        };
        let without = answer(5000);
        // Grows the area to just include the target household's point, not the cell's centre.
        let with_sliver = answer(5011);
        assert_eq!(without, with_sliver);
        // Grows it to include the whole cell: the cell is suppressed (one household), so the
        // numbers are the same and only the suppressed-cell count changes.
        let with_cell = answer(6000);
        assert_eq!(with_cell.records, without.records);
        assert_eq!(with_cell.addresses, without.addresses);
        // For every pair of areas, the difference is never exactly one record.
        let answers: Vec<AreaTotal> = (0..=12).map(|i| answer(i * 500)).collect();
        for a in &answers {
            for b in &answers {
                assert_ne!(a.records.abs_diff(b.records), 1);
                assert_ne!(a.addresses.abs_diff(b.addresses), 1);
            }
        }
    }

    #[test]
    fn opt_outs_are_honoured_per_purpose() {
        use crate::access::Purpose as P;
        let r = OptOutRegister::from_rows([(1, "canvassing"), (2, "research"), (3, "bogus")]);
        assert!(r.excludes(1, P::Canvassing));
        assert!(r.excludes(1, P::Contact));
        assert!(r.excludes(1, P::Export));
        assert!(!r.excludes(1, P::Research));
        assert!(r.excludes(2, P::Research));
        assert!(!r.excludes(2, P::Canvassing));
        assert!(!r.excludes(3, P::Canvassing));
        let mut list = vec![1, 2, 3];
        r.retain_allowed(P::Canvassing, &mut list);
        assert_eq!(list, vec![2, 3]);
    }

    #[test]
    fn grid_sizes_nest_and_are_near_the_asked_size() {
        let g = Grid::about_metres(250);
        assert!((150..400).contains(&g.metres()), "{}", g.metres());
        assert_eq!(Grid::about_metres(500).cell % g.cell, 0);
        assert_eq!(g.cell_of([-1, 0]).0, -1);
    }
}
