//! Roof parts from LoD2.2 surfaces: area, facing and slope of a planar polygon in metres.
//!
//! 3DBAG documents `b3_azimut` and `b3_hellingshoek` on the RoofSurface semantic objects of its
//! CityJSON; the files it has delivered (e.g. v2024.04.20, in the real samples) carry one
//! RoofSurface object for all the roof planes of a building part, without them. Then each roof
//! polygon is a part, and its facing and slope come from its normal (Newell's method).

/// The normal of a ring (not normalised: its length is twice the ring's area), by Newell's method,
/// oriented by the right-hand rule. Coordinates are taken relative to the first vertex, which
/// keeps RD New's large offsets out of the sums.
pub(crate) fn newell(ring: &[[f64; 3]]) -> [f64; 3] {
    let Some(o) = ring.first() else {
        return [0.0; 3];
    };
    let mut n = [0.0; 3];
    for (i, a) in ring.iter().enumerate() {
        let b = &ring[(i + 1) % ring.len()];
        let (ax, ay, az) = (a[0] - o[0], a[1] - o[1], a[2] - o[2]);
        let (bx, by, bz) = (b[0] - o[0], b[1] - o[1], b[2] - o[2]);
        n[0] += (ay - by) * (az + bz);
        n[1] += (az - bz) * (ax + bx);
        n[2] += (ax - bx) * (ay + by);
    }
    n
}

fn length(n: [f64; 3]) -> f64 {
    (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt()
}

/// A roof polygon (exterior ring, then holes) measured: area in m² along its plane, the direction
/// it faces (degrees clockwise from north; `None` when flat) and its slope in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Measured {
    pub(crate) area_m2: f64,
    pub(crate) azimuth_deg: Option<f64>,
    pub(crate) slope_deg: f64,
}

/// Measures a polygon given as rings of vertices; `None` for a degenerate one (no area).
pub(crate) fn measure(rings: &[Vec<[f64; 3]>]) -> Option<Measured> {
    let exterior = newell(rings.first()?);
    let len = length(exterior);
    if len <= f64::EPSILON {
        return None;
    }
    let holes: f64 = rings[1..].iter().map(|r| length(newell(r))).sum();
    // A roof faces up; a ring written the other way round gives the opposite normal.
    let up = if exterior[2] < 0.0 { -1.0 } else { 1.0 };
    let (nx, ny, nz) = (exterior[0] * up, exterior[1] * up, exterior[2] * up);
    let horizontal = nx.hypot(ny);
    let slope_deg = horizontal.atan2(nz).to_degrees();
    let azimuth_deg =
        (horizontal > len * 1e-6).then(|| nx.atan2(ny).to_degrees().rem_euclid(360.0));
    Some(Measured {
        area_m2: ((len - holes) / 2.0).max(0.0),
        azimuth_deg,
        slope_deg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_south_facing_roof_at_45_degrees() {
        // 10 m wide (x), 5 m deep rising to the north by 5 m: faces south, slopes 45°.
        let base = [85_000.0, 446_000.0, 10.0];
        let p = |x: f64, y: f64, z: f64| [base[0] + x, base[1] + y, base[2] + z];
        let ring = vec![
            p(0.0, 0.0, 0.0),
            p(10.0, 0.0, 0.0),
            p(10.0, 5.0, 5.0),
            p(0.0, 5.0, 5.0),
        ];
        let m = measure(std::slice::from_ref(&ring)).unwrap();
        assert!(close(m.area_m2, 10.0 * 50f64.sqrt()), "{m:?}");
        assert!(close(m.slope_deg, 45.0));
        assert!(close(m.azimuth_deg.unwrap(), 180.0));
        // The same ring the other way round measures the same.
        let mut reversed = ring;
        reversed.reverse();
        assert_eq!(measure(&[reversed]).unwrap().azimuth_deg, m.azimuth_deg);
    }

    #[test]
    fn a_flat_roof_with_a_hole_faces_nowhere() {
        let sq = |s: f64, o: f64| {
            vec![
                [o, o, 3.0],
                [o + s, o, 3.0],
                [o + s, o + s, 3.0],
                [o, o + s, 3.0],
            ]
        };
        let m = measure(&[sq(10.0, 0.0), sq(2.0, 4.0)]).unwrap();
        assert!(close(m.area_m2, 96.0));
        assert!(close(m.slope_deg, 0.0));
        assert_eq!(m.azimuth_deg, None);
        assert_eq!(measure(&[vec![[0.0, 0.0, 0.0]; 3]]), None);
    }
}
