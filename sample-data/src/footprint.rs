//! Footprint outlines in a street [`Frame`](crate::street::Frame)'s local coordinates: `u` along the
//! street, `v` into the lot. All are simple orthogonal polygons listed counter-clockwise, so they
//! cannot self-intersect; neighbours in a row are built from the same `u` values and share their
//! party walls exactly.

/// A rectangle.
pub(crate) fn rect(u0: f64, u1: f64, v0: f64, v1: f64) -> [(f64, f64); 4] {
    [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]
}

/// A rectangle with a narrower extension (*aanbouw*) of depth `ext` at the back, between `e0` and
/// `e1` (`u0 < e0 < e1 < u1`).
pub(crate) fn rear_extension(
    u0: f64,
    u1: f64,
    v0: f64,
    v1: f64,
    e0: f64,
    e1: f64,
    ext: f64,
) -> [(f64, f64); 8] {
    [
        (u0, v0),
        (u1, v0),
        (u1, v1),
        (e1, v1),
        (e1, v1 + ext),
        (e0, v1 + ext),
        (e0, v1),
        (u0, v1),
    ]
}

/// An L: full depth from `u0` to `split`, shallower (to `v_short`) from `split` to `u1`.
pub(crate) fn l_shape(
    u0: f64,
    u1: f64,
    v0: f64,
    v1: f64,
    split: f64,
    v_short: f64,
) -> [(f64, f64); 6] {
    [
        (u0, v0),
        (u1, v0),
        (u1, v_short),
        (split, v_short),
        (split, v1),
        (u0, v1),
    ]
}

/// `[min_x, min_y, max_x, max_y]` of a ring.
pub(crate) fn bbox(ring: &[geo::Coord<f64>]) -> [f64; 4] {
    ring.iter().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, c| [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twice the signed area of a ring (positive when counter-clockwise).
    fn signed_area2(ring: &[(f64, f64)]) -> f64 {
        let n = ring.len();
        (0..n)
            .map(|i| ring[i].0 * ring[(i + 1) % n].1 - ring[(i + 1) % n].0 * ring[i].1)
            .sum()
    }

    #[test]
    fn shapes_are_counter_clockwise_with_the_expected_area() {
        assert!((signed_area2(&rect(0.0, 5.0, 3.0, 13.0)) - 100.0).abs() < 1e-9);
        let ext = rear_extension(0.0, 5.0, 3.0, 13.0, 0.6, 4.4, 3.0);
        assert!((signed_area2(&ext) - 2.0 * (50.0 + 3.8 * 3.0)).abs() < 1e-9);
        let l = l_shape(0.0, 10.0, 3.0, 15.0, 6.0, 9.0);
        assert!((signed_area2(&l) - 2.0 * (6.0 * 12.0 + 4.0 * 6.0)).abs() < 1e-9);
    }
}
