//! Turf cutting on random neighbourhoods: every door exactly once, no turf over the size unless one
//! entrance is, house numbers on each street side running one way within a turf, flats of one
//! entrance together.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::{HashMap, HashSet};

use super::*;

/// A small, seeded generator (xorshift), so a failure can be replayed.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A neighbourhood of `streets` streets: terraced houses (a pand per door), semi-detached pairs,
/// and blocks of flats (one pand for a run of numbers, some with letters, some numbered through).
pub(crate) fn neighbourhood(rng: &mut Rng, streets: usize) -> Vec<Door> {
    let (lon0, lat0) = (5.9, 52.0);
    let mut doors = Vec::new();
    let mut address = 1_000_000_000_000u64;
    let mut pand = 2_000_000_000_000u64;
    for s in 0..streets {
        // Streets on a grid about 80 m apart, each 100–600 m long.
        let (sx, sy) = ((s % 8) as f64 * 0.0012, (s / 8) as f64 * 0.0007);
        let length = 50 + rng.below(250) as u32;
        let mut number = 1 + rng.below(3) as u32;
        while number < length {
            let kind = rng.below(10);
            let mut push = |n: u32, letter: Option<&str>, addition: Option<String>, pand: u64| {
                address += 1;
                let along = f64::from(n) * 0.00002;
                let across = if n % 2 == 1 { 0.0 } else { 0.00015 };
                doors.push(Door {
                    address,
                    street: format!("Straat {s}"),
                    place: if s % 5 == 4 {
                        "Buurtdorp".into()
                    } else {
                        "Wijkdorp".into()
                    },
                    number: n,
                    letter: letter.map(str::to_owned),
                    addition,
                    pand,
                    point: domain::lonlat_to_world(lon0 + sx + along, lat0 + sy + across),
                });
            };
            match kind {
                // A block of flats on one number: letters or additions.
                0 => {
                    pand += 1;
                    let flats = 2 + rng.below(30) as u32;
                    for f in 0..flats {
                        if f % 2 == 0 {
                            push(number, None, Some((f + 1).to_string()), pand);
                        } else {
                            let letter = ["A", "B", "C", "D"][(f as usize / 2) % 4];
                            push(number, Some(letter), None, pand);
                        }
                    }
                    number += 2;
                }
                // A block numbered through (odd and even in one pand).
                1 => {
                    pand += 1;
                    let run = 4 + rng.below(12) as u32;
                    for k in 0..run {
                        push(number + k, None, None, pand);
                    }
                    number += run + (run % 2);
                }
                // Semi-detached: two numbers under one roof.
                2 | 3 => {
                    pand += 1;
                    push(number, None, None, pand);
                    push(number + 2, None, None, pand);
                    number += 4;
                }
                _ => {
                    pand += 1;
                    push(number, None, None, pand);
                    number += 2;
                }
            }
        }
    }
    // The selection comes in any order.
    for i in (1..doors.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        doors.swap(i, j);
    }
    doors
}

/// Checks every promise of [`cut_turfs`] on one cut.
pub(crate) fn check(doors: &[Door], n: usize, turfs: &[Turf]) {
    // Every door exactly once.
    let mut seen = vec![0u32; doors.len()];
    for t in turfs {
        assert!(!t.doors.is_empty(), "an empty turf");
        for &i in &t.doors {
            seen[i] += 1;
        }
    }
    assert!(seen.iter().all(|c| *c == 1), "a door missing or twice");
    // Size: at most n (an entrance larger than n is split).
    for t in turfs {
        assert!(
            t.doors.len() <= n,
            "a turf of {} doors, size {n}",
            t.doors.len()
        );
    }
    // House numbers on each street side run one way within a turf.
    let side = sides_of(doors);
    for t in turfs {
        let mut runs: HashMap<(&str, &str, Side), Vec<&Door>> = HashMap::new();
        for &i in &t.doors {
            let d = &doors[i];
            runs.entry((&d.place, &d.street, side[&d.address]))
                .or_default()
                .push(d);
        }
        for (key, run) in runs {
            let up = run
                .windows(2)
                .all(|w| w[0].order(w[1]) != Ordering::Greater);
            let down = run.windows(2).all(|w| w[0].order(w[1]) != Ordering::Less);
            assert!(
                up || down,
                "numbers on {key:?} go back and forth: {:?}",
                run.iter().map(|d| d.number).collect::<Vec<_>>()
            );
        }
    }
    // The doors of an entrance that fits in a turf are in one turf.
    let mut turf_of = vec![0usize; doors.len()];
    for (k, t) in turfs.iter().enumerate() {
        for &i in &t.doors {
            turf_of[i] = k;
        }
    }
    let mut by_pand: HashMap<(u64, &str, Side), (HashSet<usize>, usize)> = HashMap::new();
    for (i, d) in doors.iter().enumerate() {
        let e = by_pand
            .entry((d.pand, &d.street, side[&d.address]))
            .or_default();
        e.0.insert(turf_of[i]);
        e.1 += 1;
    }
    for ((pand, street, _), (ts, size)) in by_pand {
        if size <= n {
            assert_eq!(
                ts.len(),
                1,
                "pand {pand} on {street} ({size} doors) over turfs {ts:?}"
            );
        }
    }
}

#[test]
fn random_neighbourhoods_are_cut_into_walkable_turfs() {
    for seed in 1..=40u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let streets = 1 + rng.below(24) as usize;
        let doors = neighbourhood(&mut rng, streets);
        for n in [1, 7, 25, 60, 150] {
            if n > doors.len() {
                continue;
            }
            let turfs = cut_turfs(&doors, n).unwrap();
            check(&doors, n, &turfs);
            // Deterministic: the same selection in another order gives the same turfs.
            let mut shuffled = doors.clone();
            shuffled.reverse();
            let again = cut_turfs(&shuffled, n).unwrap();
            let as_ids = |d: &[Door], ts: &[Turf]| -> Vec<Vec<u64>> {
                ts.iter()
                    .map(|t| t.doors.iter().map(|i| d[*i].address).collect())
                    .collect()
            };
            assert!(
                as_ids(&doors, &turfs) == as_ids(&shuffled, &again),
                "seed {seed} n {n}: another order of the same selection cut otherwise"
            );
        }
    }
}

#[test]
fn a_short_street_is_walked_up_one_side_and_down_the_other() {
    let door = |address: u64, number: u32| Door {
        address,
        street: "Kerkstraat".into(),
        place: "Wijkdorp".into(),
        number,
        letter: None,
        addition: None,
        pand: address,
        point: domain::lonlat_to_world(5.9 + f64::from(number) * 0.00002, 52.0),
    };
    let doors: Vec<Door> = [4, 1, 3, 2, 5, 6]
        .iter()
        .map(|n| door(u64::from(*n), *n))
        .collect();
    let turfs = cut_turfs(&doors, 6).unwrap();
    assert_eq!(turfs.len(), 1);
    let numbers: Vec<u32> = turfs[0].doors.iter().map(|i| doors[*i].number).collect();
    assert_eq!(numbers, [1, 3, 5, 6, 4, 2]);
    // Longer than a turf: split per side, numbers ascending.
    let turfs = cut_turfs(&doors, 3).unwrap();
    let sides: Vec<Vec<u32>> = turfs
        .iter()
        .map(|t| t.doors.iter().map(|i| doors[*i].number).collect())
        .collect();
    assert!(
        sides.contains(&vec![1, 3, 5]) && sides.contains(&vec![2, 4, 6]),
        "{sides:?}"
    );
}

#[test]
fn sizes_out_of_range_are_refused() {
    let mut rng = Rng(7);
    let doors = neighbourhood(&mut rng, 2);
    assert_eq!(cut_turfs(&doors, 0), Err(CutError::ZeroSize));
    assert_eq!(
        cut_turfs(&doors, doors.len() + 1),
        Err(CutError::LargerThanSelection {
            size: doors.len() + 1,
            doors: doors.len()
        })
    );
}
