//! Tile coordinates in the XYZ (slippy map) scheme and their extent in the model's world units.

use std::fmt;

use domain::{WORLD_BITS, WorldPoint};

use crate::{Error, Result};

/// The deepest zoom served. Beyond it the client over-zooms.
pub const MAX_ZOOM: u8 = 22;

/// A validated tile address: `x` and `y` are below `2^z`, `z` at most [`MAX_ZOOM`].
///
/// ```
/// use tiles::TileCoord;
/// let t = TileCoord::new(14, 8411, 5405).unwrap();
/// assert_eq!(t.to_string(), "14/8411/5405");
/// assert!(TileCoord::new(2, 4, 0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileCoord {
    z: u8,
    x: u32,
    y: u32,
}

impl TileCoord {
    /// Validates and builds a coordinate.
    pub fn new(z: u8, x: u32, y: u32) -> Result<Self> {
        if z > MAX_ZOOM {
            return Err(Error::ZoomOutOfRange { z, max: MAX_ZOOM });
        }
        let n = 1u64 << z;
        if u64::from(x) >= n || u64::from(y) >= n {
            return Err(Error::TileOutOfRange { z, x, y });
        }
        Ok(Self { z, x, y })
    }

    /// Parses the three path segments of `/{z}/{x}/{y}`, naming what is wrong.
    pub fn parse(z: &str, x: &str, y: &str) -> Result<Self> {
        let num = |name: &'static str, s: &str| -> Result<u32> {
            if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::MalformedCoord {
                    part: name,
                    value: s.chars().take(32).collect(),
                });
            }
            s.parse().map_err(|_| Error::MalformedCoord {
                part: name,
                value: s.into(),
            })
        };
        let zv = num("z", z)?;
        let z = u8::try_from(zv).map_err(|_| Error::ZoomOutOfRange {
            z: u8::MAX,
            max: MAX_ZOOM,
        })?;
        Self::new(z, num("x", x)?, num("y", y)?)
    }

    /// Zoom level.
    pub fn z(&self) -> u8 {
        self.z
    }

    /// Column.
    pub fn x(&self) -> u32 {
        self.x
    }

    /// Row (from the north).
    pub fn y(&self) -> u32 {
        self.y
    }

    /// Width of this tile in world units (`2^(31 - z)`).
    pub fn size_world(&self) -> i64 {
        1i64 << (WORLD_BITS - u32::from(self.z))
    }

    /// North-west corner in world units.
    pub fn origin_world(&self) -> [i64; 2] {
        let s = self.size_world();
        [i64::from(self.x) * s, i64::from(self.y) * s]
    }

    /// The tile's world box grown by `fraction` of its size on every side, clamped to the world.
    pub fn bounds_world(&self, fraction: f64) -> (WorldPoint, WorldPoint) {
        let s = self.size_world();
        let pad = (s as f64 * fraction) as i64;
        let [x0, y0] = self.origin_world();
        let max = (1i64 << WORLD_BITS) - 1;
        let c = |v: i64| v.clamp(0, max) as i32;
        (
            [c(x0 - pad), c(y0 - pad)],
            [c(x0 + s + pad), c(y0 + s + pad)],
        )
    }

    /// The tile's box as WGS84 (west, south, east, north).
    pub fn bounds_lonlat(&self) -> [f64; 4] {
        let [x0, y0] = self.origin_world();
        let s = self.size_world();
        let max = (1i64 << WORLD_BITS) - 1;
        let (w, n) = domain::world_to_lonlat([x0.min(max) as i32, y0.min(max) as i32]);
        let (e, south) =
            domain::world_to_lonlat([(x0 + s).min(max) as i32, (y0 + s).min(max) as i32]);
        [w, south, e, n]
    }

    /// The tiles of zoom `z` that cover a WGS84 box.
    pub fn covering(z: u8, bounds: [f64; 4]) -> impl Iterator<Item = Self> {
        let z = z.min(MAX_ZOOM);
        let sw = domain::lonlat_to_world(bounds[0], bounds[1]);
        let ne = domain::lonlat_to_world(bounds[2], bounds[3]);
        let shift = WORLD_BITS - u32::from(z);
        let (x0, x1) = ((sw[0] as u32) >> shift, (ne[0] as u32) >> shift);
        let (y0, y1) = ((ne[1] as u32) >> shift, (sw[1] as u32) >> shift);
        (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| Self { z, x, y }))
    }
}

impl fmt::Display for TileCoord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.z, self.x, self.y)
    }
}

/// Maps world units into one tile's integer coordinate space of `extent` units.
#[derive(Debug, Clone, Copy)]
pub struct TileTransform {
    origin: [i64; 2],
    /// Bits to shift left (by `log2(extent)`) then right (by `31 - z`).
    extent_bits: u32,
    zoom_shift: u32,
    /// The tile extent.
    pub extent: u32,
}

impl TileTransform {
    /// A transform for `tile` with a power-of-two `extent`.
    pub fn new(tile: TileCoord, extent: u32) -> Self {
        debug_assert!(extent.is_power_of_two());
        Self {
            origin: tile.origin_world(),
            extent_bits: extent.trailing_zeros(),
            zoom_shift: WORLD_BITS - u32::from(tile.z),
            extent,
        }
    }

    /// World point → tile coordinates (may lie outside `0..extent` in the buffer).
    #[inline]
    pub fn apply(&self, p: WorldPoint) -> [i32; 2] {
        let f =
            |v: i32, o: i64| (((i64::from(v) - o) << self.extent_bits) >> self.zoom_shift) as i32;
        [f(p[0], self.origin[0]), f(p[1], self.origin[1])]
    }

    /// World units per tile unit (at least 1).
    pub fn world_per_unit(&self) -> i64 {
        1i64 << self.zoom_shift.saturating_sub(self.extent_bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_names_the_bad_part() {
        assert!(matches!(
            TileCoord::parse("14", "x", "1"),
            Err(Error::MalformedCoord { part: "x", .. })
        ));
        assert!(matches!(
            TileCoord::parse("99", "0", "0"),
            Err(Error::ZoomOutOfRange { .. })
        ));
        assert!(matches!(
            TileCoord::parse("1", "2", "0"),
            Err(Error::TileOutOfRange { .. })
        ));
        assert!(matches!(
            TileCoord::parse("-1", "0", "0"),
            Err(Error::MalformedCoord { part: "z", .. })
        ));
        assert_eq!(
            TileCoord::parse("0", "0", "0").unwrap(),
            TileCoord::new(0, 0, 0).unwrap()
        );
    }

    #[test]
    fn transform_maps_tile_corners_to_extent() {
        let t = TileCoord::new(14, 8411, 5405).unwrap();
        let tr = TileTransform::new(t, 4096);
        let [x0, y0] = t.origin_world();
        let s = t.size_world();
        assert_eq!(tr.apply([x0 as i32, y0 as i32]), [0, 0]);
        assert_eq!(tr.apply([(x0 + s) as i32, (y0 + s) as i32]), [4096, 4096]);
        assert_eq!(tr.apply([(x0 - s / 2) as i32, y0 as i32]), [-2048, 0]);
    }

    #[test]
    fn covering_finds_the_tile_of_a_point() {
        let t = TileCoord::new(14, 8411, 5405).unwrap();
        let b = t.bounds_lonlat();
        let c = [f64::midpoint(b[0], b[2]), f64::midpoint(b[1], b[3])];
        let tiles: Vec<_> = TileCoord::covering(14, [c[0], c[1], c[0], c[1]]).collect();
        assert_eq!(tiles, vec![t]);
    }
}
