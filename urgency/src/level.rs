//! The levels an indicator is released at, and their cells: CBS areas, CBS 100 m squares and H3
//! hexagons. Each level is a fixed partition: a unit lies in exactly one cell of each level, so
//! nothing can be learned by differencing overlapping cells of one level.

use std::fmt;

use domain::rd::{cbs_square_corner, rd_to_wgs84, wgs84_to_rd};
use domain::{AreaCode, AreaRefs, Model};
use h3o::{CellIndex, LatLng, Resolution};

/// A level, coarse to fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// A CBS gemeente.
    Gemeente,
    /// A CBS wijk.
    Wijk,
    /// A CBS buurt.
    Buurt,
    /// A CBS 100 m square (RD New).
    Grid100,
    /// An H3 hexagon of resolution 8 (about 0.74 km²).
    H3r8,
    /// H3 resolution 9 (about 0.11 km²).
    H3r9,
    /// H3 resolution 10 (about 0.015 km²).
    H3r10,
}

/// How many levels there are.
pub const LEVELS: usize = 7;

impl Level {
    /// Every level, coarse to fine.
    pub const ALL: [Self; LEVELS] = [
        Self::Gemeente,
        Self::Wijk,
        Self::Buurt,
        Self::Grid100,
        Self::H3r8,
        Self::H3r9,
        Self::H3r10,
    ];

    /// The name in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gemeente => "gemeente",
            Self::Wijk => "wijk",
            Self::Buurt => "buurt",
            Self::Grid100 => "grid100",
            Self::H3r8 => "h3-8",
            Self::H3r9 => "h3-9",
            Self::H3r10 => "h3-10",
        }
    }

    /// By its name in URLs.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The names, comma-separated.
    pub fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }

    fn resolution(self) -> Option<Resolution> {
        match self {
            Self::H3r8 => Some(Resolution::Eight),
            Self::H3r9 => Some(Resolution::Nine),
            Self::H3r10 => Some(Resolution::Ten),
            _ => None,
        }
    }

    /// The cell of a point with `areas` at `lon`, `lat` (WGS84) and RD `rd`.
    pub(crate) fn cell(self, areas: AreaRefs, lon: f64, lat: f64, rd: (f64, f64)) -> Option<Cell> {
        match self {
            Self::Gemeente => areas.gemeente.map(Cell::Area),
            Self::Wijk => areas.wijk.map(Cell::Area),
            Self::Buurt => areas.buurt.map(Cell::Area),
            Self::Grid100 => Some(Cell::Square {
                e: (rd.0 / 100.0).floor() as i32,
                n: (rd.1 / 100.0).floor() as i32,
            }),
            Self::H3r8 | Self::H3r9 | Self::H3r10 => {
                let res = self.resolution()?;
                LatLng::new(lat, lon)
                    .ok()
                    .map(|ll| Cell::H3(u64::from(ll.to_cell(res))))
            }
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One cell of a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cell {
    /// A CBS area.
    Area(AreaCode),
    /// A CBS 100 m square by its lower-left corner in hectometres (RD New).
    Square {
        /// East, hm.
        e: i32,
        /// North, hm.
        n: i32,
    },
    /// An H3 cell index.
    H3(u64),
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Area(c) => write!(f, "{c}"),
            Self::Square { e, n } => write!(f, "E{e:04}N{n:04}"),
            Self::H3(i) => match CellIndex::try_from(*i) {
                Ok(c) => write!(f, "{c}"),
                Err(_) => write!(f, "{i:x}"),
            },
        }
    }
}

impl Cell {
    /// A cell of `level` by its name (`BU…`, `E…N…`, an H3 index in hex); `None` when the name
    /// is not one of that level.
    pub fn parse(level: Level, s: &str) -> Option<Self> {
        match level {
            Level::Gemeente | Level::Wijk | Level::Buurt => {
                let code: AreaCode = s.parse().ok()?;
                let kind = match level {
                    Level::Gemeente => domain::AreaKind::Gemeente,
                    Level::Wijk => domain::AreaKind::Wijk,
                    _ => domain::AreaKind::Buurt,
                };
                (code.kind() == kind).then_some(Self::Area(code))
            }
            Level::Grid100 => {
                let rest = s.strip_prefix('E')?;
                let (e, n) = rest.split_once('N')?;
                if e.len() != 4 || n.len() != 4 {
                    return None;
                }
                Some(Self::Square {
                    e: e.parse().ok()?,
                    n: n.parse().ok()?,
                })
            }
            Level::H3r8 | Level::H3r9 | Level::H3r10 => {
                let c: CellIndex = s.parse().ok()?;
                (Some(c.resolution()) == level.resolution()).then_some(Self::H3(u64::from(c)))
            }
        }
    }

    /// The cell's outline: polygons of WGS84 lon/lat rings, each exterior ring followed by its
    /// holes (told apart by their orientation, as the CBS boundaries are written).
    pub fn outline(&self, model: &Model) -> Vec<Vec<Vec<[f64; 2]>>> {
        match self {
            Self::Area(code) => {
                let Some(a) = model.find_area(*code) else {
                    return Vec::new();
                };
                let mut polygons: Vec<Vec<Vec<[f64; 2]>>> = Vec::new();
                let mut exterior_sign = std::cmp::Ordering::Equal;
                for r in a.rings() {
                    let ring: Vec<[f64; 2]> = r
                        .iter()
                        .map(|p| {
                            let (lon, lat) = domain::world_to_lonlat(*p);
                            [lon, lat]
                        })
                        .collect();
                    let sign = ring_km2(&ring).total_cmp(&0.0);
                    if polygons.is_empty() || sign == exterior_sign || sign.is_eq() {
                        if polygons.is_empty() {
                            exterior_sign = sign;
                        }
                        polygons.push(vec![ring]);
                    } else if let Some(last) = polygons.last_mut() {
                        last.push(ring);
                    }
                }
                polygons
            }
            Self::Square { e, n } => {
                let (x, y) = cbs_square_corner(i64::from(*e), i64::from(*n));
                let ring = [
                    (x, y),
                    (x + 100.0, y),
                    (x + 100.0, y + 100.0),
                    (x, y + 100.0),
                    (x, y),
                ]
                .map(|(x, y)| {
                    let (lon, lat) = rd_to_wgs84(x, y);
                    [lon, lat]
                });
                vec![vec![ring.to_vec()]]
            }
            Self::H3(i) => CellIndex::try_from(*i)
                .map(|c| {
                    let b = c.boundary();
                    let mut ring: Vec<[f64; 2]> = b.iter().map(|ll| [ll.lng(), ll.lat()]).collect();
                    if let Some(first) = ring.first().copied() {
                        ring.push(first);
                    }
                    vec![vec![ring]]
                })
                .unwrap_or_default(),
        }
    }

    /// The cell's area in km².
    pub fn area_km2(&self, model: &Model) -> f64 {
        match self {
            Self::Area(_) => self
                .outline(model)
                .iter()
                .map(|p| {
                    let mut rings = p.iter().map(|r| ring_km2(r).abs());
                    let outer = rings.next().unwrap_or(0.0);
                    outer - rings.sum::<f64>()
                })
                .sum::<f64>(),
            Self::Square { .. } => 0.01,
            Self::H3(i) => CellIndex::try_from(*i).map_or(0.0, CellIndex::area_km2),
        }
    }
}

/// The area of a lon/lat ring in km², by the shoelace formula in RD New (good to well under a
/// percent over the Netherlands, which is all an indicator per km² needs).
fn ring_km2(ring: &[[f64; 2]]) -> f64 {
    let pts: Vec<(f64, f64)> = ring.iter().map(|p| wgs84_to_rd(p[0], p[1])).collect();
    let mut twice = 0.0;
    for w in pts.windows(2) {
        twice += w[0].0 * w[1].1 - w[1].0 * w[0].1;
    }
    twice / 2.0 / 1e6
}
