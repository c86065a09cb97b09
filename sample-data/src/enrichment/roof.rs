//! A pand's roof as 3DBAG would reconstruct it: houses get a gable roof over their footprint (the
//! ridge parallel to the street, across the middle of the footprint), everything else a flat one.
//! Each roof part is a planar polygon in RD New metres with NAP heights.

use geo::{Area, BooleanOps, Coord, LineString, MultiPolygon, Polygon, Rect};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// One roof part: its 3D rings (exterior first), facing, slope, areas.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// The part projected on the ground (for the GeoPackage's `lod22_2d`).
    pub(crate) footprint: MultiPolygon<f64>,
    /// Rings of its polygons with heights: `polygons[p][r]`.
    pub(crate) polygons: Vec<Vec<Vec<[f64; 3]>>>,
    pub(crate) azimuth_deg: f64,
    pub(crate) slope_deg: f64,
    /// Area along the slope, m².
    pub(crate) area_m2: f64,
    /// The 70th percentile of its heights, m above NAP.
    pub(crate) h70: f64,
}

/// A pand's roof.
#[derive(Debug, Clone)]
pub(crate) struct Roof {
    pub(crate) ground: f64,
    pub(crate) parts: Vec<Part>,
    /// The roof height as a function of the place (for the walls).
    shape: Shape,
}

#[derive(Debug, Clone, Copy)]
enum Shape {
    Flat {
        top: f64,
    },
    /// Ridge along x at `mid` (y), or along y at `mid` (x) when `along_x` is false.
    Gable {
        along_x: bool,
        mid: f64,
        half: f64,
        eave: f64,
        tan: f64,
    },
}

impl Shape {
    fn height(self, x: f64, y: f64) -> f64 {
        match self {
            Self::Flat { top } => top,
            Self::Gable {
                along_x,
                mid,
                half,
                eave,
                tan,
            } => {
                let d = if along_x {
                    (y - mid).abs()
                } else {
                    (x - mid).abs()
                };
                eave + (half - d).max(0.0) * tan
            }
        }
    }
}

impl Roof {
    /// 3DBAG's `b3_dak_type`.
    pub(crate) fn roof_type(&self) -> &'static str {
        match self.shape {
            Shape::Flat { .. } => "single horizontal",
            Shape::Gable { .. } => "slanted",
        }
    }

    pub(crate) fn flat_m2(&self) -> f64 {
        self.parts
            .iter()
            .filter(|p| p.slope_deg == 0.0)
            .map(|p| p.area_m2)
            .sum()
    }

    pub(crate) fn sloped_m2(&self) -> f64 {
        self.parts
            .iter()
            .filter(|p| p.slope_deg > 0.0)
            .map(|p| p.area_m2)
            .sum()
    }

    /// The roof's 70th percentile height, area-weighted over the parts.
    pub(crate) fn h70(&self) -> f64 {
        let w: f64 = self.parts.iter().map(|p| p.footprint.unsigned_area()).sum();
        if w <= 0.0 {
            return self.ground;
        }
        self.parts
            .iter()
            .map(|p| p.h70 * p.footprint.unsigned_area())
            .sum::<f64>()
            / w
    }

    /// The roof height above a point of the footprint's outline.
    pub(crate) fn height(&self, x: f64, y: f64) -> f64 {
        self.shape.height(x, y)
    }

    /// Where a wall along `a`→`b` meets the ridge, if it crosses it.
    pub(crate) fn ridge_crossing(&self, a: [f64; 2], b: [f64; 2]) -> Option<[f64; 2]> {
        let Shape::Gable { along_x, mid, .. } = self.shape else {
            return None;
        };
        let (ca, cb) = if along_x { (a[1], b[1]) } else { (a[0], b[0]) };
        if (ca - mid) * (cb - mid) >= 0.0 {
            return None;
        }
        let t = (mid - ca) / (cb - ca);
        Some([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])])
    }
}

/// The roof of a pand with footprint `ring` (RD, counter-clockwise) and bounding box `bbox`;
/// `house` decides gable or flat; `storeys` its height.
pub(crate) fn roof(
    ring: &[Coord<f64>],
    bbox: [f64; 4],
    house: bool,
    storeys: u32,
    rng: &mut ChaCha8Rng,
) -> Roof {
    let ground = 8.5 + rng.random_range(0.0..2.0);
    let footprint = Polygon::new(LineString(ring.to_vec()), Vec::new());
    let [x0, y0, x1, y1] = bbox;
    if !house {
        let top = ground + 3.2 * f64::from(storeys.max(1)) + rng.random_range(0.3..1.2);
        let area = footprint.unsigned_area();
        let part = Part {
            polygons: vec![vec![ring.iter().map(|c| [c.x, c.y, top]).collect()]],
            footprint: MultiPolygon(vec![footprint]),
            azimuth_deg: 0.0,
            slope_deg: 0.0,
            area_m2: area,
            h70: top,
        };
        return Roof {
            ground,
            parts: vec![part],
            shape: Shape::Flat { top },
        };
    }
    let slope_deg = f64::from(rng.random_range(30u8..=50));
    let tan = slope_deg.to_radians().tan();
    let eave = ground + 3.0 * f64::from(storeys.clamp(1, 2)) + rng.random_range(0.0..0.5);
    // The ridge runs along the street (x) unless the house is much wider than deep.
    let along_x = (x1 - x0) < 1.6 * (y1 - y0);
    let (mid, half) = if along_x {
        (f64::midpoint(y0, y1), (y1 - y0) / 2.0)
    } else {
        (f64::midpoint(x0, x1), (x1 - x0) / 2.0)
    };
    let shape = Shape::Gable {
        along_x,
        mid,
        half,
        eave,
        tan,
    };
    let halves = if along_x {
        [
            (Rect::new((x0, y0), (x1, mid)), 180.0),
            (Rect::new((x0, mid), (x1, y1)), 0.0),
        ]
    } else {
        [
            (Rect::new((x0, y0), (mid, y1)), 270.0),
            (Rect::new((mid, y0), (x1, y1)), 90.0),
        ]
    };
    let mut parts = Vec::with_capacity(2);
    for (rect, azimuth_deg) in halves {
        let piece = footprint.intersection(&rect.to_polygon());
        let projected = piece.unsigned_area();
        if projected < 0.01 {
            continue;
        }
        let polygons = piece
            .0
            .iter()
            .map(|p| {
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(|r| {
                        let mut pts: Vec<[f64; 3]> =
                            r.0.iter()
                                .map(|c| [c.x, c.y, shape.height(c.x, c.y)])
                                .collect();
                        if pts.len() > 1 && pts.first() == pts.last() {
                            pts.pop();
                        }
                        pts
                    })
                    .collect()
            })
            .collect();
        parts.push(Part {
            footprint: piece,
            polygons,
            azimuth_deg,
            slope_deg,
            area_m2: projected / slope_deg.to_radians().cos(),
            h70: eave + 0.7 * half * tan,
        });
    }
    Roof {
        ground,
        parts,
        shape,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn a_house_gets_two_halves_facing_south_and_north() {
        let ring: Vec<Coord<f64>> = [(0.0, 0.0), (6.0, 0.0), (6.0, 10.0), (0.0, 10.0)]
            .map(|(x, y)| Coord {
                x: 187_000.0 + x,
                y: 440_000.0 + y,
            })
            .to_vec();
        let bbox = [187_000.0, 440_000.0, 187_006.0, 440_010.0];
        let r = roof(&ring, bbox, true, 2, &mut ChaCha8Rng::seed_from_u64(1));
        assert_eq!(r.parts.len(), 2);
        let az: Vec<f64> = r.parts.iter().map(|p| p.azimuth_deg).collect();
        assert_eq!(az, [180.0, 0.0]);
        let projected: f64 = r.parts.iter().map(|p| p.footprint.unsigned_area()).sum();
        assert!((projected - 60.0).abs() < 1e-6);
        assert!(r.sloped_m2() > 60.0 && r.flat_m2() == 0.0);
        assert_eq!(r.roof_type(), "slanted");
        let flat = roof(&ring, bbox, false, 4, &mut ChaCha8Rng::seed_from_u64(1));
        assert!((flat.flat_m2() - 60.0).abs() < 1e-6);
    }
}
