//! Well-Known Binary (ISO 19125) for the geometries wijkwerk keeps: points, polygons, multipolygons.
//!
//! The store keeps geometry as WKB and GeoPackage blobs wrap it, so both use this one codec. Reading
//! accepts either byte order, the Z/M variants (ISO `1000`/`2000`/`3000` offsets and EWKB flags, whose
//! extra ordinates are dropped: BAG polygons carry a zero z) and polygons where multipolygons are
//! expected. Writing is little-endian 2D.

use geo::{Coord, LineString, MultiPolygon, Point, Polygon};

/// Why a WKB blob could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WkbError {
    /// The blob ends inside a geometry.
    #[error("WKB truncated at byte {0}")]
    Truncated(usize),
    /// A byte-order marker other than 0 or 1.
    #[error("WKB byte order marker {0} at byte {1} is neither 0 nor 1")]
    ByteOrder(u8, usize),
    /// A geometry type this codec does not read where it was found.
    #[error("WKB geometry type {found} where {expected} was expected")]
    UnexpectedType {
        /// The type code found (2D code, after removing Z/M flags).
        found: u32,
        /// What the caller asked for.
        expected: &'static str,
    },
    /// A count larger than the remaining bytes can hold.
    #[error("WKB count {0} is larger than the blob")]
    BadCount(u32),
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    little: bool,
    dims: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], WkbError> {
        let end = self.pos + N;
        let bytes = self
            .buf
            .get(self.pos..end)
            .ok_or(WkbError::Truncated(self.pos))?;
        self.pos = end;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, WkbError> {
        let b = self.take::<4>()?;
        Ok(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn f64(&mut self) -> Result<f64, WkbError> {
        let b = self.take::<8>()?;
        Ok(if self.little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }

    fn count(&mut self, min_item_bytes: usize) -> Result<usize, WkbError> {
        let n = self.u32()?;
        if (n as usize).saturating_mul(min_item_bytes) > self.buf.len().saturating_sub(self.pos) {
            return Err(WkbError::BadCount(n));
        }
        Ok(n as usize)
    }

    /// Reads a byte-order marker and type; returns the 2D type code.
    fn header(&mut self) -> Result<u32, WkbError> {
        let [bo] = self.take::<1>()?;
        self.little = match bo {
            0 => false,
            1 => true,
            other => return Err(WkbError::ByteOrder(other, self.pos - 1)),
        };
        let raw = self.u32()?;
        // EWKB flags: Z 0x80000000, M 0x40000000, SRID 0x20000000.
        let (mut code, mut z, mut m) = (
            raw & 0x0FFF_FFFF,
            raw & 0x8000_0000 != 0,
            raw & 0x4000_0000 != 0,
        );
        if raw & 0x2000_0000 != 0 {
            self.u32()?; // SRID
        }
        match code / 1000 {
            1 => z = true,
            2 => m = true,
            3 => (z, m) = (true, true),
            _ => {}
        }
        code %= 1000;
        self.dims = 2 + usize::from(z) + usize::from(m);
        Ok(code)
    }

    fn coord(&mut self) -> Result<Coord<f64>, WkbError> {
        let x = self.f64()?;
        let y = self.f64()?;
        for _ in 2..self.dims {
            self.f64()?;
        }
        Ok(Coord { x, y })
    }

    fn ring(&mut self) -> Result<LineString<f64>, WkbError> {
        let n = self.count(16)?;
        (0..n)
            .map(|_| self.coord())
            .collect::<Result<Vec<_>, _>>()
            .map(LineString)
    }

    fn polygon_body(&mut self) -> Result<Polygon<f64>, WkbError> {
        let n = self.count(4)?;
        let mut rings = (0..n).map(|_| self.ring()).collect::<Result<Vec<_>, _>>()?;
        if rings.is_empty() {
            return Ok(Polygon::new(LineString(Vec::new()), Vec::new()));
        }
        let exterior = rings.remove(0);
        Ok(Polygon::new(exterior, rings))
    }
}

fn reader(buf: &[u8]) -> Reader<'_> {
    Reader {
        buf,
        pos: 0,
        little: true,
        dims: 2,
    }
}

/// Reads a Polygon or MultiPolygon as a [`MultiPolygon`].
///
/// ```
/// use geo::polygon;
/// let p = geo::MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)]]);
/// let blob = domain::wkb::write_multi_polygon(&p);
/// assert_eq!(domain::wkb::read_multi_polygon(&blob).unwrap(), p);
/// ```
pub fn read_multi_polygon(buf: &[u8]) -> Result<MultiPolygon<f64>, WkbError> {
    let mut r = reader(buf);
    match r.header()? {
        3 => Ok(MultiPolygon(vec![r.polygon_body()?])),
        6 => {
            let n = r.count(9)?;
            let mut polys = Vec::with_capacity(n);
            for _ in 0..n {
                let t = r.header()?;
                if t != 3 {
                    return Err(WkbError::UnexpectedType {
                        found: t,
                        expected: "Polygon inside MultiPolygon",
                    });
                }
                polys.push(r.polygon_body()?);
            }
            Ok(MultiPolygon(polys))
        }
        found => Err(WkbError::UnexpectedType {
            found,
            expected: "Polygon or MultiPolygon",
        }),
    }
}

/// Reads a Point (or a MultiPoint of one point, as some exports write).
pub fn read_point(buf: &[u8]) -> Result<Point<f64>, WkbError> {
    let mut r = reader(buf);
    match r.header()? {
        1 => Ok(Point(r.coord()?)),
        4 => {
            let n = r.count(21)?;
            if n != 1 {
                return Err(WkbError::UnexpectedType {
                    found: 4,
                    expected: "Point (a MultiPoint of one point)",
                });
            }
            let t = r.header()?;
            if t != 1 {
                return Err(WkbError::UnexpectedType {
                    found: t,
                    expected: "Point",
                });
            }
            Ok(Point(r.coord()?))
        }
        found => Err(WkbError::UnexpectedType {
            found,
            expected: "Point",
        }),
    }
}

/// The 2D geometry type code of a blob (1 Point, 3 Polygon, 6 MultiPolygon, …).
pub fn geometry_type(buf: &[u8]) -> Result<u32, WkbError> {
    reader(buf).header()
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_ring(out: &mut Vec<u8>, ring: &LineString<f64>) {
    put_u32(out, ring.0.len() as u32);
    for c in &ring.0 {
        out.extend_from_slice(&c.x.to_le_bytes());
        out.extend_from_slice(&c.y.to_le_bytes());
    }
}

fn put_polygon(out: &mut Vec<u8>, p: &Polygon<f64>) {
    out.push(1);
    put_u32(out, 3);
    let exterior_empty = p.exterior().0.is_empty();
    put_u32(
        out,
        if exterior_empty {
            0
        } else {
            1 + p.interiors().len() as u32
        },
    );
    if !exterior_empty {
        put_ring(out, p.exterior());
        for r in p.interiors() {
            put_ring(out, r);
        }
    }
}

/// Writes a Polygon (little-endian, 2D).
pub fn write_polygon(p: &Polygon<f64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(9 + 4 + p.exterior().0.len() * 16);
    put_polygon(&mut out, p);
    out
}

/// Writes a MultiPolygon (little-endian, 2D).
pub fn write_multi_polygon(mp: &MultiPolygon<f64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        9 + mp
            .0
            .iter()
            .map(|p| 13 + p.exterior().0.len() * 16)
            .sum::<usize>(),
    );
    out.push(1);
    put_u32(&mut out, 6);
    put_u32(&mut out, mp.0.len() as u32);
    for p in &mp.0 {
        put_polygon(&mut out, p);
    }
    out
}

/// Writes a Point (little-endian, 2D).
pub fn write_point(p: &Point<f64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(21);
    out.push(1);
    put_u32(&mut out, 1);
    out.extend_from_slice(&p.x().to_le_bytes());
    out.extend_from_slice(&p.y().to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_big_endian_polygon_z() {
        // Polygon Z (1003), big-endian, one ring of 4 points with z = 0.
        let mut b = vec![0u8];
        b.extend_from_slice(&1003u32.to_be_bytes());
        b.extend_from_slice(&1u32.to_be_bytes());
        b.extend_from_slice(&4u32.to_be_bytes());
        for (x, y) in [(0.0f64, 0.0f64), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)] {
            b.extend_from_slice(&x.to_be_bytes());
            b.extend_from_slice(&y.to_be_bytes());
            b.extend_from_slice(&0.0f64.to_be_bytes());
        }
        let mp = read_multi_polygon(&b).unwrap();
        assert_eq!(mp.0[0].exterior().0.len(), 4);
        assert_eq!(mp.0[0].exterior().0[1], Coord { x: 1.0, y: 0.0 });
    }

    #[test]
    fn truncated_and_absurd_counts_are_errors_not_panics() {
        let p = write_point(&Point::new(1.0, 2.0));
        assert!(read_point(&p[..10]).is_err());
        let mut bad = vec![1u8];
        bad.extend_from_slice(&3u32.to_le_bytes());
        bad.extend_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(read_multi_polygon(&bad), Err(WkbError::BadCount(u32::MAX)));
        assert!(read_point(&[7, 1, 0, 0, 0]).is_err());
        assert!(read_multi_polygon(&p).is_err());
    }
}
