//! GML geometry of BAG objects, in RD New metres: `gml:Polygon` (exterior and interior rings of
//! `gml:posList`) and `gml:Point` (`gml:pos`).
//!
//! Coordinates go into one flat buffer with ring spans, reused from object to object; geo types are
//! built only for the version that is kept. BAG writes panden with `srsDimension="3"` and z = 0,
//! ligplaatsen and standplaatsen with 2; z is dropped.

use geo::{Centroid, Contains, Coord, InteriorPoint, LineString, MultiPolygon, Point, Polygon};

/// One ring: a span of the coordinate buffer.
#[derive(Debug, Clone, Copy)]
struct RingSpan {
    polygon: u32,
    interior: bool,
    start: usize,
    end: usize,
}

/// The geometry of one object version as read so far.
#[derive(Debug, Default)]
pub(super) struct GeometryBuf {
    coords: Vec<Coord<f64>>,
    rings: Vec<RingSpan>,
    polygons: u32,
    point: Option<Coord<f64>>,
    /// `srsDimension` of the enclosing `Polygon` or `Point`, if written.
    dims: Option<usize>,
    interior: bool,
    error: Option<String>,
}

impl GeometryBuf {
    pub(super) fn clear(&mut self) {
        self.coords.clear();
        self.rings.clear();
        self.polygons = 0;
        self.point = None;
        self.dims = None;
        self.interior = false;
        self.error = None;
    }

    /// A `gml:Polygon` starts.
    pub(super) fn begin_polygon(&mut self, dims: Option<usize>) {
        self.polygons += 1;
        self.dims = dims;
        self.interior = false;
    }

    /// A `gml:Point` starts.
    pub(super) fn begin_point(&mut self, dims: Option<usize>) {
        self.dims = dims;
    }

    /// A `gml:exterior` (false) or `gml:interior` (true) ring starts.
    pub(super) fn begin_ring(&mut self, interior: bool) {
        self.interior = interior;
    }

    /// Records the first problem; the object is reported once its identificatie is known.
    pub(super) fn fail(&mut self, reason: String) {
        self.error.get_or_insert(reason);
    }

    /// The first problem met, if any.
    pub(super) fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The text of a `gml:posList`; `dims` and `count` are its own attributes, if written.
    pub(super) fn pos_list(&mut self, text: &[u8], dims: Option<usize>, count: Option<usize>) {
        let dims = dims.or(self.dims).unwrap_or(2);
        let start = self.coords.len();
        match parse_coords(text, dims, &mut self.coords) {
            Ok(n) if count.is_some_and(|c| c != n) => {
                self.fail(format!(
                    "posList count=\"{}\" but {n} positions",
                    count.unwrap_or_default()
                ));
            }
            Ok(n) if n < 3 => self.fail(format!("ring of {n} positions")),
            Ok(_) => self.rings.push(RingSpan {
                polygon: self.polygons,
                interior: self.interior,
                start,
                end: self.coords.len(),
            }),
            Err(e) => self.fail(e),
        }
    }

    /// The text of a `gml:pos` of a point.
    pub(super) fn pos(&mut self, text: &[u8]) {
        let dims = self.dims.unwrap_or(2);
        let mut one = Vec::with_capacity(1);
        match parse_coords(text, dims, &mut one) {
            Ok(1) => self.point = one.first().copied(),
            Ok(n) => self.fail(format!("point with {n} positions")),
            Err(e) => self.fail(e),
        }
    }

    /// The polygons read, RD metres.
    pub(super) fn multi_polygon(&self) -> Result<MultiPolygon<f64>, String> {
        let mut polygons = Vec::with_capacity(1);
        let mut i = 0;
        while i < self.rings.len() {
            let exterior = self.rings[i];
            if exterior.interior {
                return Err("interior ring without exterior".into());
            }
            let mut interiors = Vec::new();
            i += 1;
            while i < self.rings.len() && self.rings[i].polygon == exterior.polygon {
                if !self.rings[i].interior {
                    return Err("polygon with two exterior rings".into());
                }
                interiors.push(self.line_string(self.rings[i]));
                i += 1;
            }
            polygons.push(Polygon::new(self.line_string(exterior), interiors));
        }
        if polygons.is_empty() {
            return Err("no polygon".into());
        }
        Ok(MultiPolygon::new(polygons))
    }

    /// Where an address lies: its point, or a point inside its polygon (the centroid when that is
    /// inside, else geo's interior point), RD metres.
    pub(super) fn representative_point(&self) -> Result<Coord<f64>, String> {
        if let Some(p) = self.point {
            return Ok(p);
        }
        let multi = self.multi_polygon()?;
        multi
            .centroid()
            .filter(|c| multi.contains(c))
            .or_else(|| multi.interior_point())
            .map(Point::into)
            .ok_or_else(|| "empty polygon".to_owned())
    }

    fn line_string(&self, ring: RingSpan) -> LineString<f64> {
        LineString::new(self.coords[ring.start..ring.end].to_vec())
    }
}

/// Parses whitespace-separated numbers as positions of `dims` values, appending (x, y) to `out`;
/// returns the number of positions.
fn parse_coords(text: &[u8], dims: usize, out: &mut Vec<Coord<f64>>) -> Result<usize, String> {
    if !(2..=3).contains(&dims) {
        return Err(format!("srsDimension {dims}"));
    }
    let mut values = [0.0_f64; 3];
    let mut filled = 0;
    let mut positions = 0;
    for token in text
        .split(u8::is_ascii_whitespace)
        .filter(|t| !t.is_empty())
    {
        let value = std::str::from_utf8(token)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("coordinate {:?}", domain::excerpt_bytes(token)))?;
        values[filled] = value;
        filled += 1;
        if filled == dims {
            out.push(Coord {
                x: values[0],
                y: values[1],
            });
            filled = 0;
            positions += 1;
        }
    }
    if filled != 0 {
        return Err(format!(
            "{} values do not make {dims}-dimensional positions",
            positions * dims + filled
        ));
    }
    Ok(positions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_dimensional_pos_list_drops_z() {
        let mut out = Vec::new();
        let n = parse_coords(b"1 2 0.0\n  3 4.5 0.0 ", 3, &mut out).unwrap();
        assert_eq!(n, 2);
        assert_eq!(
            out,
            vec![Coord { x: 1.0, y: 2.0 }, Coord { x: 3.0, y: 4.5 }]
        );
    }

    #[test]
    fn ragged_or_bad_numbers_are_errors() {
        let mut out = Vec::new();
        assert!(parse_coords(b"1 2 3 4", 3, &mut out).is_err());
        assert!(parse_coords(b"1 x", 2, &mut out).is_err());
        assert!(parse_coords(b"1 NaN", 2, &mut out).is_err());
        assert!(parse_coords(b"1 2", 4, &mut out).is_err());
    }

    fn square(g: &mut GeometryBuf, min: f64, max: f64) {
        let text = format!("{min} {min} {max} {min} {max} {max} {min} {max} {min} {min}");
        g.pos_list(text.as_bytes(), None, Some(5));
    }

    #[test]
    fn polygon_with_hole() {
        let mut g = GeometryBuf::default();
        g.begin_polygon(Some(2));
        g.begin_ring(false);
        square(&mut g, 0.0, 10.0);
        g.begin_ring(true);
        square(&mut g, 4.0, 6.0);
        let mp = g.multi_polygon().unwrap();
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert!(g.error().is_none());
        // The centroid of a square with a centred hole lies in the hole: take an interior point.
        let p = g.representative_point().unwrap();
        assert!(mp.contains(&p), "{p:?}");
    }

    #[test]
    fn count_mismatch_is_recorded() {
        let mut g = GeometryBuf::default();
        g.begin_polygon(Some(2));
        g.pos_list(b"0 0 1 0 1 1 0 0", None, Some(5));
        assert!(g.error().unwrap().contains("count"));
        assert!(g.multi_polygon().is_err(), "the bad ring is not kept");
    }

    #[test]
    fn point_wins_over_polygon() {
        let mut g = GeometryBuf::default();
        g.begin_point(Some(3));
        g.pos(b"206335.699 447529.842 0.0");
        assert_eq!(
            g.representative_point().unwrap(),
            Coord {
                x: 206_335.699,
                y: 447_529.842
            }
        );
    }
}
