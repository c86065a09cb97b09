//! Which importer reads a file: decided by content, not by the extension alone.
//!
//! Order of the checks: an SQLite header with `gpkg_contents` is a GeoPackage, and its layers say
//! whose (`pand`/`verblijfsobject` → bag-light, `buurten`/`wijken`/`gemeenten` → CBS); a zip, a
//! folder or an XML file holding BAG objects is a BAG 2.0 extract; with the `gdal` feature anything
//! else OGR opens is an OGR source. Everything else is refused with a message that says what the
//! file is not, and what it seems to be instead.

use crate::gpkg::layer_names;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

use store::SourceKind;

use crate::gpkg::GeoPackage;
use crate::{Error, Result, bag_light, bag_xml, cbs, ep_online, three_d_bag, trees};

/// The source formats wijkwerk imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    /// PDOK's bag-light GeoPackage (layers `pand`, `verblijfsobject`).
    BagLightGpkg,
    /// A Kadaster BAG 2.0 extract: XML files, a folder of them, or a zip.
    BagXml,
    /// CBS wijk- en buurtkaart GeoPackage (layers `buurten`, `wijken`, `gemeenten`).
    CbsGpkg,
    /// 3DBAG as CityJSONSeq (`.city.jsonl`: a CityJSON header line, then one feature a line).
    ThreeDBagCityJson,
    /// 3DBAG as a GeoPackage (layers `pand` and `lod22_2d`).
    ThreeDBagGpkg,
    /// EP-Online's energy labels: a `;`-separated CSV of `Pand_*` columns, usually in a zip.
    EpOnline,
    /// A municipal tree register: a shapefile of points (or a zip holding one).
    TreeRegister,
    /// Anything GDAL/OGR reads whose layers look like panden, addresses or CBS areas.
    #[cfg(feature = "gdal")]
    Ogr,
}

impl SourceFormat {
    /// Every format this build knows.
    pub const ALL: &'static [Self] = &[
        Self::BagLightGpkg,
        Self::BagXml,
        Self::CbsGpkg,
        Self::ThreeDBagCityJson,
        Self::ThreeDBagGpkg,
        Self::EpOnline,
        Self::TreeRegister,
        #[cfg(feature = "gdal")]
        Self::Ogr,
    ];

    /// Short name, as the CLI's `--format` takes it and as source keys start.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BagLightGpkg => "bag-light",
            Self::BagXml => "bag-xml",
            Self::CbsGpkg => "cbs",
            Self::ThreeDBagCityJson => "3dbag-cityjson",
            Self::ThreeDBagGpkg => "3dbag-gpkg",
            Self::EpOnline => "ep-online",
            Self::TreeRegister => "trees",
            #[cfg(feature = "gdal")]
            Self::Ogr => "ogr",
        }
    }

    /// Human name.
    pub fn description(self) -> &'static str {
        match self {
            Self::BagLightGpkg => "bag-light GeoPackage",
            Self::BagXml => "BAG 2.0 XML extract",
            Self::CbsGpkg => "CBS wijk- en buurtkaart GeoPackage",
            Self::ThreeDBagCityJson => "3DBAG CityJSONSeq",
            Self::ThreeDBagGpkg => "3DBAG GeoPackage",
            Self::EpOnline => "EP-Online energy labels",
            Self::TreeRegister => "tree register shapefile",
            #[cfg(feature = "gdal")]
            Self::Ogr => "OGR source",
        }
    }

    /// The register the format carries. An OGR source may carry areas too; it is recorded as BAG
    /// when it holds buildings or addresses.
    pub fn kind(self) -> SourceKind {
        match self {
            Self::CbsGpkg => SourceKind::Cbs,
            Self::ThreeDBagCityJson | Self::ThreeDBagGpkg => SourceKind::ThreeDBag,
            Self::EpOnline => SourceKind::EnergyLabels,
            Self::TreeRegister => SourceKind::Trees,
            _ => SourceKind::Bag,
        }
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SourceFormat {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown source format {s:?}; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What this build can read, as the tail of "X is not …".
fn expected_formats() -> String {
    let mut s = String::from(
        "a GeoPackage (bag-light, CBS wijk- en buurtkaart or 3DBAG), a BAG 2.0 extract (XML, folder \
         or zip), a 3DBAG CityJSONSeq, an EP-Online CSV (or its zip), a tree register shapefile",
    );
    if cfg!(feature = "gdal") {
        s.push_str(" or any source GDAL/OGR opens");
    }
    s
}

/// Detects the format of `path` by its content.
pub fn detect(path: &Path) -> Result<SourceFormat> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let head = if meta.is_file() {
        read_head(path)?
    } else {
        Vec::new()
    };
    if head.starts_with(SQLITE_MAGIC) {
        return detect_geopackage(path);
    }
    if is_zip(&head) {
        check_zip(path)?;
        if ep_online::csv_entry(path).is_some() {
            return Ok(SourceFormat::EpOnline);
        }
        if trees::zip_shp_entry(path).is_some() {
            return Ok(SourceFormat::TreeRegister);
        }
    }
    if trees::is_shp(&head) {
        return Ok(SourceFormat::TreeRegister);
    }
    if ep_online::looks_like(&head) {
        return Ok(SourceFormat::EpOnline);
    }
    if head.trim_ascii_start().starts_with(b"{") && three_d_bag::looks_like_cityjson(path) {
        return Ok(SourceFormat::ThreeDBagCityJson);
    }
    if bag_xml::looks_like_bag_xml(path) {
        return Ok(SourceFormat::BagXml);
    }
    #[cfg(feature = "gdal")]
    if crate::gdal_source::opens(path) {
        return Ok(SourceFormat::Ogr);
    }
    Err(Error::UnknownFormat {
        path: path.to_owned(),
        expected: expected_formats(),
        found: describe(&meta, &head),
    })
}

fn read_head(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(path)
        .map_err(io)?
        .take(512)
        .read_to_end(&mut head)
        .map_err(io)?;
    Ok(head)
}

/// Zip magic: a local file header, or the end record of an empty archive.
fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Whether a file that starts like a zip opens as one: a zip cut off before its central directory
/// (at the end) does not, and is reported as such rather than as a zip without BAG files.
fn check_zip(path: &Path) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    match zip::ZipArchive::new(file) {
        Ok(_) | Err(zip::result::ZipError::UnsupportedArchive(_)) => Ok(()),
        Err(e) => Err(Error::DamagedZip {
            path: path.to_owned(),
            reason: domain::excerpt(&e.to_string()),
        }),
    }
}

fn detect_geopackage(path: &Path) -> Result<SourceFormat> {
    let gpkg = GeoPackage::open(path)?;
    let layers = gpkg.layers()?;
    // Before bag-light: 3DBAG has a layer `pand` too.
    if three_d_bag::has_layers(&layers) {
        return Ok(SourceFormat::ThreeDBagGpkg);
    }
    if bag_light::has_layers(&layers) {
        return Ok(SourceFormat::BagLightGpkg);
    }
    if !cbs::area_layers(&layers).is_empty() {
        return Ok(SourceFormat::CbsGpkg);
    }
    #[cfg(feature = "gdal")]
    if crate::gdal_source::opens(path) {
        return Ok(SourceFormat::Ogr);
    }
    Err(Error::MissingLayers {
        path: path.to_owned(),
        format: "bag-light, 3DBAG or CBS wijk- en buurtkaart GeoPackage",
        wanted: "pand, verblijfsobject, lod22_2d, buurten, wijken or gemeenten".into(),
        found: layer_names(&layers),
    })
}

/// A short description of what a file that matched nothing seems to be.
fn describe(meta: &std::fs::Metadata, head: &[u8]) -> String {
    if meta.is_dir() {
        return "a folder without BAG XML files".into();
    }
    if head.is_empty() {
        return "an empty file".into();
    }
    if head.starts_with(b"PK\x03\x04") {
        return "a zip archive without BAG XML files".into();
    }
    let text = std::str::from_utf8(head).ok().or_else(|| {
        // Cut at a character boundary if the 512 bytes ended inside one.
        std::str::from_utf8(&head[..head.len().saturating_sub(3)]).ok()
    });
    match text {
        Some(t) if t.trim_start().starts_with('<') => "an XML file without BAG objects".into(),
        Some(t) => {
            let first: String = t.lines().next().unwrap_or("").chars().take(40).collect();
            format!("a text file starting with {first:?}")
        }
        None => format!(
            "a binary file ({} bytes or more) of unknown type",
            head.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_by_their_short_name() {
        for f in SourceFormat::ALL {
            assert_eq!(f.as_str().parse::<SourceFormat>().unwrap(), *f);
        }
        assert!(
            "shapefile-ish"
                .parse::<SourceFormat>()
                .unwrap_err()
                .contains("bag-light")
        );
    }

    #[test]
    fn a_text_file_is_described_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("buildings.gpkg");
        std::fs::write(&p, "id;name\n1;x\n").unwrap();
        let meta = std::fs::metadata(&p).unwrap();
        assert_eq!(
            describe(&meta, b"id;name\n1;x\n"),
            "a text file starting with \"id;name\""
        );
        assert_eq!(describe(&meta, b""), "an empty file");
    }
}
