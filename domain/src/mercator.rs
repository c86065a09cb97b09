//! Web Mercator in fixed point: the serving model's coordinate space.
//!
//! The world square (EPSG:3857, y pointing south as in tiles) is mapped onto `0..2^31` in both axes, so
//! a tile at zoom `z` is `2^(31-z)` units wide and a tile pixel at extent 4096 on zoom 16 is 8 units:
//! clipping and quantising are integer shifts. One unit is 1.9 cm at the equator, 1.1 cm in the Netherlands.

use std::f64::consts::PI;

/// Bits per axis of the fixed-point world.
pub const WORLD_BITS: u32 = 31;
/// Units per axis of the fixed-point world.
pub const WORLD_SIZE: i64 = 1 << WORLD_BITS;

/// Latitude limit of Web Mercator.
const MAX_LAT: f64 = 85.051_128_779_806_59;

/// A point in fixed-point Web Mercator: `x` east, `y` south, both in `0..WORLD_SIZE`.
pub type WorldPoint = [i32; 2];

/// Projects WGS84 lon/lat to the fixed-point world (clamped to Web Mercator's latitude range).
///
/// ```
/// let p = domain::lonlat_to_world(0.0, 0.0);
/// assert_eq!(p, [1 << 30, 1 << 30]);
/// ```
pub fn lonlat_to_world(lon: f64, lat: f64) -> WorldPoint {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT);
    let x = (lon + 180.0) / 360.0;
    let s = (lat.to_radians()).sin();
    let y = 0.5 - ((1.0 + s) / (1.0 - s)).ln() / (4.0 * PI);
    let scale = WORLD_SIZE as f64;
    let clamp = |v: f64| (v * scale).round().clamp(0.0, (WORLD_SIZE - 1) as f64) as i32;
    [clamp(x), clamp(y)]
}

/// Inverse of [`lonlat_to_world`].
pub fn world_to_lonlat(p: WorldPoint) -> (f64, f64) {
    let scale = WORLD_SIZE as f64;
    let x = f64::from(p[0]) / scale;
    let y = f64::from(p[1]) / scale;
    let lon = x * 360.0 - 180.0;
    let lat = (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees();
    (lon, lat)
}

/// Twice the signed (shoelace) area of an open ring in y-south world units; positive for rings that
/// run clockwise on screen, which Mapbox Vector Tiles call exterior.
pub(crate) fn signed_area2(ring: &[WorldPoint]) -> i128 {
    let Some(&[x0, y0]) = ring.first() else {
        return 0;
    };
    let mut sum: i128 = 0;
    let n = ring.len();
    for i in 0..n {
        let [ax, ay] = ring[i];
        let [bx, by] = ring[(i + 1) % n];
        let (ax, ay, bx, by) = (
            i128::from(ax - x0),
            i128::from(ay - y0),
            i128::from(bx - x0),
            i128::from(by - y0),
        );
        sum += ax * by - bx * ay;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_in_the_netherlands_is_within_a_centimetre() {
        let (lon, lat) = (5.387_204, 52.155_172);
        let (lon2, lat2) = world_to_lonlat(lonlat_to_world(lon, lat));
        assert!(
            (lon - lon2).abs() < 1e-7 && (lat - lat2).abs() < 1e-7,
            "{lon2} {lat2}"
        );
    }

    #[test]
    fn y_points_south() {
        assert!(lonlat_to_world(5.0, 53.0)[1] < lonlat_to_world(5.0, 52.0)[1]);
    }
}
