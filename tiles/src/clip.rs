//! Clipping rings (Sutherland–Hodgman) and segments (Liang–Barsky) to a tile's buffered square,
//! in integer tile coordinates.
//!
//! Polygon clipping against a convex rectangle keeps the ring's orientation; a ring that leaves and
//! re-enters the square gets edges along the border, which renderers fill correctly and which stay
//! hidden in the buffer.

/// An axis-aligned square in tile coordinates, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClipRect {
    /// Smallest coordinate (negative: the buffer left/above the tile).
    pub min: i32,
    /// Largest coordinate.
    pub max: i32,
}

impl ClipRect {
    /// The square `[-buffer, extent + buffer]`.
    pub fn buffered(extent: u32, buffer: u32) -> Self {
        Self {
            min: -(buffer as i32),
            max: (extent + buffer) as i32,
        }
    }

    /// Whether a point lies inside.
    #[inline]
    pub fn contains(&self, p: [i32; 2]) -> bool {
        p[0] >= self.min && p[0] <= self.max && p[1] >= self.min && p[1] <= self.max
    }

    /// Whether a box (min corner, max corner) lies wholly inside.
    #[inline]
    pub fn contains_box(&self, lo: [i32; 2], hi: [i32; 2]) -> bool {
        self.contains(lo) && self.contains(hi)
    }

    /// Whether a box overlaps.
    #[inline]
    pub fn intersects_box(&self, lo: [i32; 2], hi: [i32; 2]) -> bool {
        lo[0] <= self.max && hi[0] >= self.min && lo[1] <= self.max && hi[1] >= self.min
    }
}

#[derive(Clone, Copy)]
enum Edge {
    Left(i32),
    Right(i32),
    Top(i32),
    Bottom(i32),
}

impl Edge {
    #[inline]
    fn inside(self, p: [i32; 2]) -> bool {
        match self {
            Self::Left(v) => p[0] >= v,
            Self::Right(v) => p[0] <= v,
            Self::Top(v) => p[1] >= v,
            Self::Bottom(v) => p[1] <= v,
        }
    }

    #[inline]
    fn cross(self, a: [i32; 2], b: [i32; 2]) -> [i32; 2] {
        let (ax, ay, bx, by) = (
            i64::from(a[0]),
            i64::from(a[1]),
            i64::from(b[0]),
            i64::from(b[1]),
        );
        let lerp = |v: i64, a0: i64, a1: i64, b0: i64, b1: i64| -> i32 {
            // Position along the other axis where the segment crosses `v`, rounded to nearest.
            let num = (b1 - a1) * (v - a0);
            let den = b0 - a0;
            let q = if (num < 0) == (den < 0) {
                (num + den / 2) / den
            } else {
                (num - den / 2) / den
            };
            (a1 + q) as i32
        };
        match self {
            Self::Left(v) | Self::Right(v) => [v, lerp(i64::from(v), ax, ay, bx, by)],
            Self::Top(v) | Self::Bottom(v) => [lerp(i64::from(v), ay, ax, by, bx), v],
        }
    }
}

/// Clips the segment `a`–`b` to `rect` (Liang–Barsky): the part inside, or `None` when none is.
pub fn clip_segment(a: [i32; 2], b: [i32; 2], rect: ClipRect) -> Option<[[i32; 2]; 2]> {
    let (x0, y0) = (f64::from(a[0]), f64::from(a[1]));
    let (dx, dy) = (f64::from(b[0]) - x0, f64::from(b[1]) - y0);
    let (lo, hi) = (f64::from(rect.min), f64::from(rect.max));
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [(-dx, x0 - lo), (dx, hi - x0), (-dy, y0 - lo), (dy, hi - y0)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| [(x0 + t * dx).round() as i32, (y0 + t * dy).round() as i32];
    Some([at(t0), at(t1)])
}

/// Clips an open ring (last vertex not repeating the first) to `rect`, writing into `out`
/// (cleared first). `tmp` is scratch space. The result may be empty or degenerate; callers drop
/// rings with fewer than three vertices.
pub fn clip_ring(
    ring: &[[i32; 2]],
    rect: ClipRect,
    out: &mut Vec<[i32; 2]>,
    tmp: &mut Vec<[i32; 2]>,
) {
    out.clear();
    out.extend_from_slice(ring);
    for edge in [
        Edge::Left(rect.min),
        Edge::Right(rect.max),
        Edge::Top(rect.min),
        Edge::Bottom(rect.max),
    ] {
        if out.is_empty() {
            return;
        }
        std::mem::swap(out, tmp);
        out.clear();
        let n = tmp.len();
        for i in 0..n {
            let cur = tmp[i];
            let prev = tmp[(i + n - 1) % n];
            match (edge.inside(prev), edge.inside(cur)) {
                (true, true) => out.push(cur),
                (true, false) => out.push(edge.cross(prev, cur)),
                (false, true) => {
                    out.push(edge.cross(prev, cur));
                    out.push(cur);
                }
                (false, false) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_is_cut_at_the_border() {
        let r = ClipRect { min: 0, max: 100 };
        assert_eq!(
            clip_segment([-50, 50], [150, 50], r),
            Some([[0, 50], [100, 50]])
        );
        assert_eq!(
            clip_segment([10, 10], [20, 30], r),
            Some([[10, 10], [20, 30]])
        );
        assert_eq!(clip_segment([-10, -10], [-1, 200], r), None);
        assert_eq!(clip_segment([-100, 0], [0, -100], r), None);
        assert_eq!(
            clip_segment([50, -50], [50, 50], r),
            Some([[50, 0], [50, 50]])
        );
    }

    #[test]
    fn ring_inside_is_unchanged() {
        let ring = [[10, 10], [20, 10], [20, 20], [10, 20]];
        let (mut out, mut tmp) = (Vec::new(), Vec::new());
        clip_ring(&ring, ClipRect { min: 0, max: 100 }, &mut out, &mut tmp);
        assert_eq!(out, ring);
    }

    #[test]
    fn ring_across_the_edge_is_cut() {
        let ring = [[-50, 10], [50, 10], [50, 20], [-50, 20]];
        let (mut out, mut tmp) = (Vec::new(), Vec::new());
        clip_ring(&ring, ClipRect { min: 0, max: 100 }, &mut out, &mut tmp);
        assert!(out.iter().all(|p| p[0] >= 0));
        assert!(out.contains(&[0, 10]) && out.contains(&[50, 20]));
    }

    #[test]
    fn ring_outside_vanishes() {
        let ring = [[-50, -50], [-40, -50], [-40, -40]];
        let (mut out, mut tmp) = (Vec::new(), Vec::new());
        clip_ring(&ring, ClipRect { min: 0, max: 100 }, &mut out, &mut tmp);
        assert!(out.is_empty());
    }
}
