//! RD New (EPSG:28992) → WGS84 lon/lat, done once, at import.
//!
//! The transformation is the inverse oblique stereographic projection on the Bessel ellipsoid followed by
//! the 7-parameter Helmert shift "Amersfoort to ETRS89 (8)" (EPSG:9281). Against RDNAPTRANS™2018 it
//! is within 0.24 m everywhere in the Netherlands (mean 0.07 m), which `tests/rd_reference.rs`
//! checks on NSGI-derived reference points. WGS84 and ETRS89 are taken as equal (they differ by
//! well under a metre in 2026, and the web map and RFC 7946 use WGS84).

use proj4rs::proj::Proj;

use crate::{Error, Result};

/// The RD New definition (EPSG:28992 with the EPSG:9281 datum shift).
pub const RD_NEW: &str = "+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 \
+x_0=155000 +y_0=463000 +ellps=bessel \
+towgs84=565.7381,50.4018,465.2904,-0.395026,0.330772,-1.876073,4.07244 +units=m +no_defs";

const WGS84: &str = "+proj=longlat +ellps=WGS84 +datum=WGS84 +no_defs";

/// A ready RD New → WGS84 transformation. Cheap to share; build one per import.
#[derive(Debug)]
pub struct RdToWgs84 {
    from: Proj,
    to: Proj,
}

impl RdToWgs84 {
    /// Builds the transformation.
    pub fn new() -> Result<Self> {
        let from = Proj::from_proj_string(RD_NEW).map_err(|e| Error::Projection(e.to_string()))?;
        let to = Proj::from_proj_string(WGS84).map_err(|e| Error::Projection(e.to_string()))?;
        Ok(Self { from, to })
    }

    /// Transforms one RD point (metres) to (lon, lat) in degrees.
    pub fn lonlat(&self, x: f64, y: f64) -> Result<(f64, f64)> {
        if !x.is_finite() || !y.is_finite() {
            return Err(Error::Projection(format!(
                "RD coordinate ({x}, {y}) is not a number"
            )));
        }
        let mut p = (x, y, 0.0);
        proj4rs::transform::transform(&self.from, &self.to, &mut p)
            .map_err(|e| Error::Projection(format!("RD ({x}, {y}): {e}")))?;
        Ok((p.0.to_degrees(), p.1.to_degrees()))
    }

    /// Transforms every coordinate of a geometry in place (RD metres → lon/lat degrees).
    pub fn geometry<G: geo::MapCoordsInPlace<f64>>(&self, g: &mut G) -> Result<()> {
        g.try_map_coords_in_place(|c| self.lonlat(c.x, c.y).map(|(x, y)| geo::Coord { x, y }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amersfoort_origin_matches_proj() {
        let t = RdToWgs84::new().unwrap();
        let (lon, lat) = t.lonlat(155_000.0, 463_000.0).unwrap();
        assert!((lat - 52.155_172).abs() < 1e-6, "{lat}");
        assert!((lon - 5.387_204).abs() < 1e-6, "{lon}");
    }
}
