//! Door-to-door campaigns: the selected addresses cut into **turfs** a volunteer walks in one go.
//!
//! [`cut_turfs`] takes the doors (an address with its street, house number, pand and location)
//! and a size of about `n` doors, and returns turfs whose doors are in walking order:
//!
//! 1. Doors are grouped per street (openbare ruimte and woonplaats). On a street each door is on
//!    the odd or the even side by its house number; the doors of a pand that holds both odd and
//!    even numbers on the street (a block of flats numbered through) form a side of their own.
//! 2. Consecutive doors on a side in the same pand are one **entrance** (flats, or a row under
//!    one roof): never split over turfs unless the entrance alone holds more than `n` doors.
//! 3. A street of at most `n` doors is one stretch: up the odd side, back down the even side
//!    (both sides of a short street together). A longer street is split per side, each side into
//!    stretches of about equal size at most `n`, house numbers in order.
//! 4. Stretches are ordered along a Hilbert curve over their centres, and neighbouring stretches
//!    are packed into one turf while it stays at most `n` doors and the next stretch starts within
//!    [`JOIN_METRES`] of the last. There is no road or water network in the BAG: the distance
//!    limit is what keeps a turf from jumping across a main road, a canal or a park (ADR 19).
//!
//! Every door lands in exactly one turf; no turf holds more than `n` doors unless a single
//! entrance does. Numbers on each street side run one way within a turf.

use std::cmp::Ordering;
use std::collections::HashMap;

use domain::WorldPoint;

/// Stretches farther apart than this are not joined into one turf, in metres.
pub const JOIN_METRES: f64 = 250.0;

/// A door to knock on.
#[derive(Debug, Clone, PartialEq)]
pub struct Door {
    /// The address (verblijfsobject identificatie).
    pub address: u64,
    /// The street (openbare ruimte naam).
    pub street: String,
    /// The woonplaats.
    pub place: String,
    /// House number.
    pub number: u32,
    /// Huisletter.
    pub letter: Option<String>,
    /// Huisnummertoevoeging.
    pub addition: Option<String>,
    /// The pand it is in (the first, when several).
    pub pand: u64,
    /// Where it is.
    pub point: WorldPoint,
}

impl Door {
    /// Sort key in a street: number, letter, addition (a missing letter or addition first).
    fn order(&self, other: &Self) -> Ordering {
        self.number
            .cmp(&other.number)
            .then_with(|| self.letter.cmp(&other.letter))
            .then_with(|| natural(self.addition.as_deref(), other.addition.as_deref()))
            .then_with(|| self.address.cmp(&other.address))
    }
}

/// Additions in natural order: `2` before `10`, `A` before `B`, none first.
fn natural(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => match (a.parse::<u64>(), b.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => a.cmp(b),
        },
    }
}

/// Which side of the street a door is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    /// Odd house numbers.
    Odd,
    /// Even house numbers.
    Even,
    /// A pand numbered through (odd and even in one block).
    Through,
}

/// One turf: doors (indices into the input) in walking order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turf {
    /// Indices into the doors given to [`cut_turfs`], in walking order.
    pub doors: Vec<usize>,
}

/// Why a selection cannot be cut.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CutError {
    /// The size is 0.
    #[error("a turf holds at least 1 door")]
    ZeroSize,
    /// The size is larger than the selection.
    #[error("a turf of {size} doors is larger than the {doors} doors selected")]
    LargerThanSelection {
        /// The size asked for.
        size: usize,
        /// The doors selected.
        doors: usize,
    },
}

/// A run of doors walked in one go: a whole short street, or part of one side.
struct Stretch {
    doors: Vec<usize>,
    centre: (f64, f64),
    start: WorldPoint,
    end: WorldPoint,
}

/// The side of each door: by parity, except pand blocks numbered through on their street.
fn sides(doors: &[Door], street: &[usize]) -> Vec<Side> {
    let mut parities: HashMap<u64, (bool, bool)> = HashMap::new();
    for &i in street {
        let p = parities.entry(doors[i].pand).or_default();
        if doors[i].number % 2 == 1 {
            p.0 = true;
        } else {
            p.1 = true;
        }
    }
    street
        .iter()
        .map(|&i| {
            let d = &doors[i];
            match parities.get(&d.pand) {
                Some((true, true)) => Side::Through,
                _ if d.number % 2 == 1 => Side::Odd,
                _ => Side::Even,
            }
        })
        .collect()
}

/// Entrances of one side (doors sorted): consecutive doors in one pand, split when one holds more
/// than `n`.
fn entrances(doors: &[Door], side: &[usize], n: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for &i in side {
        match out.last_mut() {
            Some(e) if doors[e[0]].pand == doors[i].pand && e.len() < n => e.push(i),
            _ => out.push(vec![i]),
        }
    }
    out
}

/// Packs entrances into stretches of about equal size, at most `n` (an entrance is not split).
fn pack(entrances: Vec<Vec<usize>>, n: usize) -> Vec<Vec<usize>> {
    let total: usize = entrances.iter().map(Vec::len).sum();
    let parts = total.div_ceil(n).max(1);
    let ideal = total.div_ceil(parts);
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for e in entrances {
        if !current.is_empty() && (current.len() + e.len() > n || current.len() >= ideal) {
            out.push(std::mem::take(&mut current));
        }
        current.extend(e);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn stretch(doors: &[Door], ids: Vec<usize>) -> Stretch {
    let len = ids.len() as f64;
    let (sx, sy) = ids.iter().fold((0.0, 0.0), |(x, y), &i| {
        (
            x + f64::from(doors[i].point[0]),
            y + f64::from(doors[i].point[1]),
        )
    });
    Stretch {
        start: doors[ids[0]].point,
        end: doors[ids[ids.len() - 1]].point,
        centre: (sx / len, sy / len),
        doors: ids,
    }
}

/// The distance along a Hilbert curve of `2^16` cells a side over the world (the classic
/// `xy2d` of Hilbert's curve).
fn hilbert(x: f64, y: f64) -> u64 {
    const N: u64 = 1 << 16;
    let shift = domain::WORLD_BITS.saturating_sub(16);
    let clamp = |v: f64| ((v.max(0.0) as u64) >> shift).min(N - 1);
    let (mut x, mut y) = (clamp(x), clamp(y));
    let mut d = 0u64;
    let mut s = N / 2;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = N - 1 - x;
                y = N - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

/// World units per metre at 52° north.
fn units_per_metre() -> f64 {
    domain::WORLD_SIZE as f64 / (40_075_016.686 * 52f64.to_radians().cos())
}

fn metres(a: WorldPoint, b: WorldPoint) -> f64 {
    let dx = f64::from(a[0]) - f64::from(b[0]);
    let dy = f64::from(a[1]) - f64::from(b[1]);
    dx.hypot(dy) / units_per_metre()
}

/// Cuts `doors` into turfs of at most about `n` doors, in walking order (see the module).
pub fn cut_turfs(doors: &[Door], n: usize) -> Result<Vec<Turf>, CutError> {
    if n == 0 {
        return Err(CutError::ZeroSize);
    }
    if n > doors.len() {
        return Err(CutError::LargerThanSelection {
            size: n,
            doors: doors.len(),
        });
    }
    let mut streets: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, d) in doors.iter().enumerate() {
        streets
            .entry((d.place.as_str(), d.street.as_str()))
            .or_default()
            .push(i);
    }
    let mut names: Vec<(&str, &str)> = streets.keys().copied().collect();
    names.sort_unstable();
    let mut stretches: Vec<Stretch> = Vec::new();
    for name in names {
        let mut street = streets.remove(&name).unwrap_or_default();
        street.sort_by(|a, b| doors[*a].order(&doors[*b]));
        let side_of = sides(doors, &street);
        let on = |side: Side| -> Vec<usize> {
            street
                .iter()
                .zip(&side_of)
                .filter(|(_, s)| **s == side)
                .map(|(i, _)| *i)
                .collect()
        };
        let (odd, even, through) = (on(Side::Odd), on(Side::Even), on(Side::Through));
        if street.len() <= n {
            // Up the odd side, back down the even side, then any block numbered through.
            let mut walk = odd;
            walk.extend(even.into_iter().rev());
            walk.extend(through);
            stretches.push(stretch(doors, walk));
            continue;
        }
        for side in [odd, even, through] {
            if side.is_empty() {
                continue;
            }
            for part in pack(entrances(doors, &side, n), n) {
                stretches.push(stretch(doors, part));
            }
        }
    }
    stretches.sort_by_key(|s| (hilbert(s.centre.0, s.centre.1), doors[s.doors[0]].address));
    let mut turfs: Vec<Turf> = Vec::new();
    let mut last_end: Option<WorldPoint> = None;
    for s in stretches {
        let joins = match (turfs.last(), last_end) {
            (Some(t), Some(end)) => {
                t.doors.len() + s.doors.len() <= n
                    && metres(end, s.start).min(metres(end, s.end)) <= JOIN_METRES
            }
            _ => false,
        };
        last_end = Some(s.end);
        match turfs.last_mut() {
            Some(t) if joins => t.doors.extend(s.doors),
            _ => turfs.push(Turf { doors: s.doors }),
        }
    }
    Ok(turfs)
}

/// The side of the street each door of `turf` is on (for checks and the walk list).
pub fn sides_of(doors: &[Door]) -> HashMap<u64, Side> {
    let mut streets: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, d) in doors.iter().enumerate() {
        streets
            .entry((d.place.as_str(), d.street.as_str()))
            .or_default()
            .push(i);
    }
    let mut out = HashMap::new();
    for street in streets.values() {
        for (i, s) in street.iter().zip(sides(doors, street)) {
            out.insert(doors[*i].address, s);
        }
    }
    out
}

#[cfg(test)]
mod tests;
