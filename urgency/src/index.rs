//! The combined urgency index: a weighted mean of each indicator's rank among the released cells
//! of a level, turned round where lower is more urgent. Built from released values only, so it
//! cannot show more than the indicators themselves; a cell withheld in any weighted indicator is
//! withheld in the index.
//!
//! index(cell) = Σᵢ wᵢ · rᵢ(cell) ÷ Σᵢ wᵢ, where rᵢ is the cell's mid-rank among the released
//! values of indicator i at that level (0 = least urgent, 1 = most urgent).

use std::collections::BTreeMap;

use crate::engine::CellValue;
use crate::level::Cell;

/// The highest weight an analyst may give.
pub const MAX_WEIGHT: f64 = 10.0;

/// One indicator's released cells with its weight.
#[derive(Debug, Clone, Copy)]
pub struct Weighted<'a> {
    /// The released cells of the indicator at the level.
    pub cells: &'a [CellValue],
    /// Its weight, 0 to [`MAX_WEIGHT`].
    pub weight: f64,
    /// Its direction.
    pub higher_is_more_urgent: bool,
}

/// One cell of the index.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexValue {
    /// The cell.
    pub cell: Cell,
    /// Withheld in one of the weighted indicators.
    pub suppressed: bool,
    /// The index, 0–1 (none when a weighted indicator has no value here).
    pub value: Option<f64>,
    /// Each indicator's rank (0–1, most urgent 1), in the order given.
    pub ranks: Vec<Option<f64>>,
}

/// Mid-rank of `v` among `sorted` (ascending), 0–1.
fn rank(sorted: &[f64], v: f64) -> f64 {
    if sorted.len() <= 1 {
        return 0.5;
    }
    let below = sorted.partition_point(|x| *x < v);
    let not_above = sorted.partition_point(|x| *x <= v);
    let mid = (below + not_above - 1) as f64 / 2.0;
    mid / (sorted.len() - 1) as f64
}

/// The index per cell, in cell order.
pub fn combine(parts: &[Weighted<'_>]) -> Vec<IndexValue> {
    let sorted: Vec<Vec<f64>> = parts
        .iter()
        .map(|p| {
            let mut v: Vec<f64> = p
                .cells
                .iter()
                .filter(|c| !c.suppressed)
                .filter_map(|c| c.value)
                .collect();
            v.sort_by(f64::total_cmp);
            v
        })
        .collect();
    let mut by_cell: BTreeMap<Cell, Vec<Option<&CellValue>>> = BTreeMap::new();
    for (i, p) in parts.iter().enumerate() {
        for c in p.cells {
            by_cell
                .entry(c.cell)
                .or_insert_with(|| vec![None; parts.len()])[i] = Some(c);
        }
    }
    by_cell
        .into_iter()
        .map(|(cell, values)| {
            let mut suppressed = false;
            let mut ranks = Vec::with_capacity(parts.len());
            let (mut sum, mut weights, mut complete) = (0.0, 0.0, true);
            for (i, (p, v)) in parts.iter().zip(&values).enumerate() {
                let r = match v {
                    Some(c) if c.suppressed => {
                        if p.weight > 0.0 {
                            suppressed = true;
                        }
                        None
                    }
                    Some(c) => c.value.map(|x| {
                        let r = rank(&sorted[i], x);
                        if p.higher_is_more_urgent { r } else { 1.0 - r }
                    }),
                    None => None,
                };
                if p.weight > 0.0 {
                    match r {
                        Some(r) => {
                            sum += p.weight * r;
                            weights += p.weight;
                        }
                        None => complete = false,
                    }
                }
                ranks.push(r);
            }
            let value = (!suppressed && complete && weights > 0.0).then(|| sum / weights);
            IndexValue {
                cell,
                suppressed,
                value,
                ranks: if suppressed {
                    vec![None; parts.len()]
                } else {
                    ranks
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(n: i32, value: Option<f64>, suppressed: bool) -> CellValue {
        CellValue {
            cell: Cell::Square { e: n, n: 0 },
            suppressed,
            numerator: None,
            denominator: None,
            value,
            sum: None,
            baseline: None,
        }
    }

    #[test]
    fn ranks_weigh_and_turn_round() {
        // Indicator a: higher is more urgent; b: lower is more urgent.
        let a = [
            cell(1, Some(0.1), false),
            cell(2, Some(0.5), false),
            cell(3, Some(0.9), false),
        ];
        let b = [
            cell(1, Some(10.0), false),
            cell(2, Some(30.0), false),
            cell(3, Some(20.0), false),
        ];
        let out = combine(&[
            Weighted {
                cells: &a,
                weight: 3.0,
                higher_is_more_urgent: true,
            },
            Weighted {
                cells: &b,
                weight: 1.0,
                higher_is_more_urgent: false,
            },
        ]);
        // Cell 1: a rank 0, b rank 1 (lowest) → (0·3 + 1·1)/4 = 0.25.
        assert_eq!(out[0].value, Some(0.25));
        // Cell 3: a rank 1, b rank 0.5 → (3 + 0.5)/4.
        assert_eq!(out[2].value, Some(3.5 / 4.0));
        // A weight of zero leaves an indicator out.
        let out = combine(&[
            Weighted {
                cells: &a,
                weight: 1.0,
                higher_is_more_urgent: true,
            },
            Weighted {
                cells: &b,
                weight: 0.0,
                higher_is_more_urgent: false,
            },
        ]);
        assert_eq!(out[1].value, Some(0.5));
    }

    #[test]
    fn a_withheld_component_withholds_the_cell() {
        let a = [cell(1, Some(0.1), false), cell(2, None, true)];
        let b = [cell(1, Some(1.0), false), cell(2, Some(2.0), false)];
        let out = combine(&[
            Weighted {
                cells: &a,
                weight: 1.0,
                higher_is_more_urgent: true,
            },
            Weighted {
                cells: &b,
                weight: 1.0,
                higher_is_more_urgent: true,
            },
        ]);
        assert!(out[1].suppressed && out[1].value.is_none());
        assert!(
            out[1].ranks.iter().all(Option::is_none),
            "no part of a withheld cell shows"
        );
        // Ties share their mid-rank.
        assert!((rank(&[1.0, 2.0, 2.0, 3.0], 2.0) - 0.5).abs() < 1e-12);
    }
}
