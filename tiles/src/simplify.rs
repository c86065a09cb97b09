//! Generalisation in tile coordinates: what cannot be seen at a zoom is not sent.

/// Twice the signed area of an open ring (positive = exterior in MVT's y-down convention).
pub fn ring_area2(ring: &[[i32; 2]]) -> i64 {
    let n = ring.len();
    if n < 3 {
        return 0;
    }
    let mut sum = 0i64;
    let [x0, y0] = ring[0];
    for i in 1..n - 1 {
        let (ax, ay) = (i64::from(ring[i][0] - x0), i64::from(ring[i][1] - y0));
        let (bx, by) = (
            i64::from(ring[i + 1][0] - x0),
            i64::from(ring[i + 1][1] - y0),
        );
        sum += ax * by - bx * ay;
    }
    sum
}

#[inline]
fn collinear(a: [i32; 2], b: [i32; 2], c: [i32; 2]) -> bool {
    i64::from(b[0] - a[0]) * i64::from(c[1] - a[1])
        == i64::from(b[1] - a[1]) * i64::from(c[0] - a[0])
}

/// Removes repeated vertices, the closing repeat, and vertices on a straight line between their
/// neighbours (after quantisation to the tile grid many are; spikes go too). In place, no allocation.
pub fn clean_ring(ring: &mut Vec<[i32; 2]>) {
    let mut w = 0;
    for i in 0..ring.len() {
        let p = ring[i];
        if w > 0 && ring[w - 1] == p {
            continue;
        }
        while w >= 2 && collinear(ring[w - 2], ring[w - 1], p) {
            w -= 1;
        }
        ring[w] = p;
        w += 1;
    }
    ring.truncate(w);
    while ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    loop {
        let n = ring.len();
        if n < 3 {
            return;
        }
        if collinear(ring[n - 2], ring[n - 1], ring[0]) {
            ring.pop();
        } else if collinear(ring[n - 1], ring[0], ring[1]) {
            ring.remove(0);
        } else {
            return;
        }
    }
}

/// Douglas–Peucker on an open ring with tolerance `tol` tile units, in place. Keeps at least the
/// first vertex and the one farthest from it so a ring never collapses to a line.
pub fn simplify_ring(ring: &mut Vec<[i32; 2]>, tol: f64) {
    let n = ring.len();
    if n <= 4 || tol <= 0.0 {
        return;
    }
    let far = (1..n)
        .max_by_key(|&i| {
            let dx = i64::from(ring[i][0] - ring[0][0]);
            let dy = i64::from(ring[i][1] - ring[0][1]);
            dx * dx + dy * dy
        })
        .unwrap_or(n / 2);
    let mut keep = vec![false; n + 1];
    keep[0] = true;
    keep[far] = true;
    keep[n] = true;
    let at = |i: usize| ring[i % n];
    let mut stack = vec![(0usize, far), (far, n)];
    let tol2 = tol * tol;
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (pa, pb) = (at(a), at(b));
        let (dx, dy) = (f64::from(pb[0] - pa[0]), f64::from(pb[1] - pa[1]));
        let len2 = dx * dx + dy * dy;
        let mut best = (0.0, a);
        for i in a + 1..b {
            let p = at(i);
            let (px, py) = (f64::from(p[0] - pa[0]), f64::from(p[1] - pa[1]));
            let d2 = if len2 == 0.0 {
                px * px + py * py
            } else {
                let cross = px * dy - py * dx;
                cross * cross / len2
            };
            if d2 > best.0 {
                best = (d2, i);
            }
        }
        if best.0 > tol2 {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    let mut i = 0;
    ring.retain(|_| {
        let k = keep[i];
        i += 1;
        k
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collinear_and_repeated_vertices_go() {
        let mut r = vec![[0, 0], [5, 0], [10, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
        clean_ring(&mut r);
        assert_eq!(r, vec![[0, 0], [10, 0], [10, 10], [0, 10]]);
    }

    #[test]
    fn area_sign_follows_orientation() {
        // Clockwise on screen (y down) is positive: exterior.
        assert!(ring_area2(&[[0, 0], [10, 0], [10, 10], [0, 10]]) > 0);
        assert!(ring_area2(&[[0, 0], [0, 10], [10, 10], [10, 0]]) < 0);
    }

    #[test]
    fn simplify_keeps_corners_and_drops_wiggles() {
        let mut r = vec![[0, 0], [50, 1], [100, 0], [100, 100], [50, 99], [0, 100]];
        simplify_ring(&mut r, 2.0);
        assert_eq!(r, vec![[0, 0], [100, 0], [100, 100], [0, 100]]);
    }
}
