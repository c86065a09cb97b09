//! The coordinate reference system of a source layer, and its way to WGS84.
//!
//! Only two are accepted: RD New (EPSG:28992), reprojected vertex by vertex with [`RdToWgs84`],
//! and WGS84 lon/lat (EPSG:4326 or OGC CRS84), taken as it is. GeoPackage stores x = longitude for
//! both geographic definitions, so no axis swap is needed.

use std::path::Path;

use geo::{MultiPolygon, Point};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::{Error, RdToWgs84, Result};

/// A layer's CRS, reduced to what the importers need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Crs {
    /// RD New, EPSG:28992: metres, to be reprojected.
    RdNew,
    /// WGS84 lon/lat degrees (EPSG:4326, OGC CRS84): kept as is.
    Wgs84,
}

impl Crs {
    /// Brings a footprint to WGS84 in place.
    pub(crate) fn polygons_to_wgs84(self, rd: &RdToWgs84, g: &mut MultiPolygon<f64>) -> Result<()> {
        match self {
            Self::RdNew => rd.geometry(g),
            Self::Wgs84 => Ok(()),
        }
    }

    /// Brings a point to WGS84.
    pub(crate) fn point_to_wgs84(self, rd: &RdToWgs84, p: Point<f64>) -> Result<Point<f64>> {
        match self {
            Self::RdNew => rd.lonlat(p.x(), p.y()).map(Point::from),
            Self::Wgs84 => Ok(p),
        }
    }

    /// Recognises a CRS by authority and code, as GeoPackage's `gpkg_spatial_ref_sys` and OGR
    /// report them; `definition` (WKT) settles CRS84 under a private code.
    pub(crate) fn from_authority(organization: &str, code: i64, definition: &str) -> Option<Self> {
        let org = organization.to_ascii_uppercase();
        match (org.as_str(), code) {
            ("EPSG", 28992) => Some(Self::RdNew),
            ("EPSG", 4326) | ("OGC", 84) => Some(Self::Wgs84),
            _ if definition.contains("CRS84") || definition.contains("CRS 84") => Some(Self::Wgs84),
            _ if definition.contains("Amersfoort / RD New") => Some(Self::RdNew),
            _ => None,
        }
    }
}

/// The CRS of GeoPackage layer `layer` with `srs_id`, looked up in `gpkg_spatial_ref_sys`.
pub(crate) fn geopackage_layer_crs(path: &Path, layer: &str, srs_id: i32) -> Result<Crs> {
    let row = srs_row(path, srs_id).map_err(|e| Error::UnsupportedCrs {
        path: path.to_owned(),
        layer: layer.to_owned(),
        srs: format!("srs_id {srs_id} (cannot read gpkg_spatial_ref_sys: {e})"),
    })?;
    let found = match &row {
        Some((org, code, def)) => Crs::from_authority(org, *code, def),
        // Not described in the table: trust the code if it is one of ours.
        None if srs_id == 28992 => Some(Crs::RdNew),
        None if srs_id == 4326 => Some(Crs::Wgs84),
        None => None,
    };
    found.ok_or_else(|| Error::UnsupportedCrs {
        path: path.to_owned(),
        layer: layer.to_owned(),
        srs: match row {
            Some((org, code, _)) => format!("{org}:{code} (srs_id {srs_id})"),
            None => format!("srs_id {srs_id}"),
        },
    })
}

fn srs_row(path: &Path, srs_id: i32) -> rusqlite::Result<Option<(String, i64, String)>> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.query_row(
        "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
        [srs_id],
        |r| {
            Ok((
                r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            ))
        },
    )
    .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_rd_and_wgs84_spellings() {
        assert_eq!(Crs::from_authority("EPSG", 28992, ""), Some(Crs::RdNew));
        assert_eq!(Crs::from_authority("epsg", 4326, ""), Some(Crs::Wgs84));
        assert_eq!(
            Crs::from_authority("NONE", 100_000, "GEOGCS[\"WGS 84 (CRS84)\",…]"),
            Some(Crs::Wgs84)
        );
        assert_eq!(
            Crs::from_authority("EPSG", 3857, "PROJCS[\"WGS 84 / Pseudo-Mercator\"]"),
            None
        );
    }

    #[test]
    fn reads_the_crs_of_the_real_ermelo_layer() {
        let Some(p) =
            crate::real_samples::real_sample("cbs-wijkenbuurten/ermelo_buurten_2021.gpkg")
        else {
            return;
        };
        assert_eq!(
            geopackage_layer_crs(&p, "CBS_Buurten", 28992).unwrap(),
            Crs::RdNew
        );
        let p = p.with_file_name("../bag-gpkg-gokoala/bag-wgs84.gpkg");
        assert_eq!(
            geopackage_layer_crs(&p, "verblijfsobjecten", 100_000).unwrap(),
            Crs::Wgs84
        );
    }
}
