//! Municipal tree registers as shapefiles (a `.shp` with its `.shx`, `.dbf` and `.prj` beside it,
//! or a zip holding them), read in pure Rust with the `shapefile` crate.
//!
//! Every point becomes a [`Tree`]: wijkwerk's id (the source and record number), the register's
//! own number, species and planting year, by column names ([`TreeColumns`], with the common Dutch
//! ones built in). A file without a recognisable number column or without point geometry is
//! refused with the columns it has. RD New (by the `.prj`, or by the coordinates when there is
//! none) is reprojected to WGS84; WGS84 is taken as it is.

mod columns;

use std::fs::File;
use std::io::{Cursor, Read, Seek};
use std::path::Path;

use domain::{Tree, TreeId};
use geo::Point;
use shapefile::dbase::{self, FieldValue};
use shapefile::{Shape, ShapeReader};
use store::ImportTx;

pub use columns::{ID_COLUMNS, SPECIES_COLUMNS, TreeColumns, YEAR_COLUMNS};

use crate::crs::Crs;
use crate::{Error, ImportReport, Progress, RdToWgs84, Result};

/// The longest text kept from a register field (dBase fields hold at most 254 bytes).
const MAX_TEXT: usize = 200;

/// Whether `head` starts like a `.shp` file (file code 9994).
pub(crate) fn is_shp(head: &[u8]) -> bool {
    head.starts_with(&[0x00, 0x00, 0x27, 0x0A])
}

/// The name of the `.shp` entry in the zip at `path`, if it holds one.
pub(crate) fn zip_shp_entry(path: &Path) -> Option<String> {
    let zip = zip::ZipArchive::new(File::open(path).ok()?).ok()?;
    zip.file_names()
        .find(|n| n.to_ascii_lowercase().ends_with(".shp"))
        .map(str::to_owned)
}

/// The parts of a shapefile, in memory or on disk.
struct Parts<S, D> {
    shp: S,
    shx: Option<S>,
    dbf: D,
    prj: Option<String>,
}

/// Imports the tree register at `path` (a `.shp` or a zip) as source `key`.
pub(crate) fn import(
    path: &Path,
    key: &str,
    columns: &TreeColumns,
    rd: &RdToWgs84,
    tx: &mut dyn ImportTx,
    report: &mut ImportReport,
    progress: &dyn Progress,
) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let mut head = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .map_err(io)?;
    let source = TreeId::source_hash(key);
    if head == *b"PK\x03\x04" {
        let parts = zip_parts(path)?;
        read(path, parts, source, columns, rd, tx, report, progress)
    } else {
        let side = |ext: &str| path.with_extension(ext);
        let open = |p: &Path| File::open(p).map(std::io::BufReader::new);
        let dbf = open(&side("dbf")).map_err(|source| Error::Io {
            path: side("dbf"),
            source,
        })?;
        let parts = Parts {
            shp: open(path).map_err(io)?,
            shx: open(&side("shx")).ok(),
            dbf,
            prj: std::fs::read_to_string(side("prj")).ok(),
        };
        read(path, parts, source, columns, rd, tx, report, progress)
    }
}

/// The parts of a shapefile read from a zip into memory.
type ZipParts = Parts<Cursor<Vec<u8>>, Cursor<Vec<u8>>>;

fn zip_parts(path: &Path) -> Result<ZipParts> {
    let damaged = |e: zip::result::ZipError| Error::DamagedZip {
        path: path.to_owned(),
        reason: domain::excerpt(&e.to_string()),
    };
    let file = File::open(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut zip = zip::ZipArchive::new(file).map_err(damaged)?;
    let shp = zip_shp_entry(path).ok_or_else(|| Error::UnknownFormat {
        path: path.to_owned(),
        expected: "a zipped shapefile".into(),
        found: "a zip without a .shp".into(),
    })?;
    let stem = &shp[..shp.len() - 4];
    let mut entry = |ext: &str| -> Result<Option<Vec<u8>>> {
        let Some(name) = zip
            .file_names()
            .find(|n| {
                n.len() == stem.len() + 4
                    && n.starts_with(stem)
                    && n.to_ascii_lowercase().ends_with(ext)
            })
            .map(str::to_owned)
        else {
            return Ok(None);
        };
        let mut e = zip.by_name(&name).map_err(damaged)?;
        let mut bytes = Vec::with_capacity(e.size().min(1 << 30) as usize);
        e.read_to_end(&mut bytes).map_err(|source| Error::Io {
            path: path.join(&name),
            source,
        })?;
        Ok(Some(bytes))
    };
    let shp_bytes = entry(".shp")?.unwrap_or_default();
    let shx = entry(".shx")?;
    let dbf = entry(".dbf")?.ok_or_else(|| Error::MissingColumns {
        path: path.to_owned(),
        missing: format!("{shp} has no .dbf beside it in the zip, so no tree numbers"),
        found: "none".into(),
    })?;
    let prj = entry(".prj")?.map(|b| String::from_utf8_lossy(&b).into_owned());
    Ok(Parts {
        shp: Cursor::new(shp_bytes),
        shx: shx.map(Cursor::new),
        dbf: Cursor::new(dbf),
        prj,
    })
}

/// The CRS a `.prj` names, or guessed from the file's extent when there is none.
fn crs_of(path: &Path, prj: Option<&str>, bbox: [f64; 4]) -> Result<Crs> {
    let unsupported = |srs: String| Error::UnsupportedCrs {
        path: path.to_owned(),
        layer: "shapefile".into(),
        srs,
    };
    if let Some(wkt) = prj {
        if wkt.contains("Amersfoort") || wkt.contains("RD_New") || wkt.contains("28992") {
            Ok(Crs::RdNew)
        } else if !wkt.contains("PROJCS") && (wkt.contains("WGS_1984") || wkt.contains("WGS 84")) {
            Ok(Crs::Wgs84)
        } else {
            Err(unsupported(format!("the .prj {:?}", domain::excerpt(wkt))))
        }
    } else {
        let [x0, y0, x1, y1] = bbox;
        if x0 >= -7_000.0 && x1 <= 300_000.0 && y0 >= 289_000.0 && y1 <= 629_000.0 {
            Ok(Crs::RdNew)
        } else if x0 >= 3.0 && x1 <= 7.3 && y0 >= 50.7 && y1 <= 53.7 {
            Ok(Crs::Wgs84)
        } else {
            Err(unsupported(format!(
                "no .prj, and the extent {bbox:?} is neither RD New nor WGS84 in the Netherlands"
            )))
        }
    }
}

#[expect(clippy::too_many_arguments, reason = "one reader for files and zips")]
fn read<S: Read + Seek, D: Read + Seek>(
    path: &Path,
    parts: Parts<S, D>,
    source: u32,
    columns: &TreeColumns,
    rd: &RdToWgs84,
    tx: &mut dyn ImportTx,
    report: &mut ImportReport,
    progress: &dyn Progress,
) -> Result<()> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let record_error = |record: u64, reason: String| Error::InvalidRecord {
        path: path.to_owned(),
        layer: name.clone(),
        fid: record as i64,
        reason,
    };
    let shp_error = |e: shapefile::Error| record_error(0, domain::excerpt(&e.to_string()));
    let shapes = match parts.shx {
        Some(shx) => ShapeReader::with_shx(parts.shp, shx),
        None => ShapeReader::new(parts.shp),
    }
    .map_err(shp_error)?;
    let dbf = dbase::Reader::new(parts.dbf)
        .map_err(|e| record_error(0, domain::excerpt(&e.to_string())))?;
    let names: Vec<String> = dbf.fields().iter().map(|f| f.name().to_owned()).collect();
    let header = *shapes.header();
    let listed = || names.join(", ");
    let point_type = matches!(
        header.shape_type,
        shapefile::ShapeType::Point
            | shapefile::ShapeType::PointZ
            | shapefile::ShapeType::PointM
            | shapefile::ShapeType::Multipoint
            | shapefile::ShapeType::MultipointZ
            | shapefile::ShapeType::MultipointM
    );
    if !point_type {
        return Err(Error::MissingColumns {
            path: path.to_owned(),
            missing: format!(
                "no point geometry (its shapes are {}), so no place for a tree",
                header.shape_type
            ),
            found: listed(),
        });
    }
    let missing = |what: String| Error::MissingColumns {
        path: path.to_owned(),
        missing: what,
        found: listed(),
    };
    let id_col = columns::find(&names, columns.id.as_deref(), ID_COLUMNS)
        .map_err(missing)?
        .ok_or_else(|| {
            missing(format!(
                "no tree number column (looked for {})",
                ID_COLUMNS.join(", ")
            ))
        })?;
    let species_col =
        columns::find(&names, columns.species.as_deref(), SPECIES_COLUMNS).map_err(missing)?;
    let year_col = columns::find(&names, columns.year.as_deref(), YEAR_COLUMNS).map_err(missing)?;
    let crs = crs_of(
        path,
        parts.prj.as_deref(),
        [
            header.bbox.min.x,
            header.bbox.min.y,
            header.bbox.max.x,
            header.bbox.max.y,
        ],
    )?;

    let mut reader = shapefile::Reader::new(shapes, dbf);
    progress.phase("bomen", reader.shape_count().ok().map(|n| n as u64));
    for (i, item) in reader.iter_shapes_and_records().enumerate() {
        let record = i as u64 + 1;
        let (shape, mut values) =
            item.map_err(|e| record_error(record, domain::excerpt(&e.to_string())))?;
        progress.advance(1);
        let point = match shape {
            Shape::Point(p) => Some((p.x, p.y)),
            Shape::PointZ(p) => Some((p.x, p.y)),
            Shape::PointM(p) => Some((p.x, p.y)),
            Shape::Multipoint(m) => m.points().first().map(|p| (p.x, p.y)),
            Shape::MultipointZ(m) => m.points().first().map(|p| (p.x, p.y)),
            Shape::MultipointM(m) => m.points().first().map(|p| (p.x, p.y)),
            _ => None,
        };
        let mut take = |col: usize| values.remove(&names[col]);
        let number = take(id_col).and_then(|v| text(&v));
        let species = species_col.and_then(&mut take).and_then(|v| text(&v));
        let year_value = year_col.and_then(&mut take);
        let (Some((x, y)), Some(number)) = (point, number) else {
            report.skip(format!(
                "{}, record {record}: {}; left out",
                path.display(),
                if point.is_none() {
                    "no point"
                } else {
                    "no tree number"
                }
            ));
            continue;
        };
        let planting_year = match year_value.as_ref().map(year) {
            None | Some(Ok(None)) => None,
            Some(Ok(Some(y))) => Some(y),
            Some(Err(shown)) => {
                report.skip(format!(
                    "{}, record {record}: planting year {shown:?} is not a year; left empty",
                    path.display()
                ));
                None
            }
        };
        let location = crs
            .point_to_wgs84(rd, Point::new(x, y))
            .map_err(|e| record_error(record, e.to_string()))?;
        let tree = Tree {
            id: TreeId::new(source, record as u32),
            number,
            species,
            planting_year,
            location_wgs84: location,
        };
        tx.put_tree(&tree)?;
        report.trees += 1;
    }
    Ok(())
}

/// A field as text: trimmed, cut to [`MAX_TEXT`] bytes, numbers without a `.0`; `None` when empty.
fn text(v: &FieldValue) -> Option<String> {
    let s = match v {
        FieldValue::Character(Some(s)) | FieldValue::Memo(s) => s.trim().to_owned(),
        FieldValue::Numeric(Some(n)) | FieldValue::Double(n) | FieldValue::Currency(n) => {
            number(*n)
        }
        FieldValue::Float(Some(n)) => number(f64::from(*n)),
        FieldValue::Integer(n) => n.to_string(),
        _ => String::new(),
    };
    if s.is_empty() {
        return None;
    }
    let mut end = s.len().min(MAX_TEXT);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    Some(s[..end].to_owned())
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A planting year: a number or a date; 0 and empty are unknown; anything outside 1000–2100 is
/// not a year (`Err` with the value as shown).
fn year(v: &FieldValue) -> std::result::Result<Option<u16>, String> {
    let y = match v {
        FieldValue::Date(Some(d)) => f64::from(d.year()),
        FieldValue::Date(None) => return Ok(None),
        other => match text(other) {
            None => return Ok(None),
            Some(t) => match t
                .get(..4)
                .filter(|_| t.len() >= 4)
                .and_then(|y| y.parse::<f64>().ok())
                .or_else(|| t.parse().ok())
            {
                Some(y) => y,
                None => return Err(domain::excerpt(&t)),
            },
        },
    };
    if y == 0.0 {
        return Ok(None);
    }
    if y.fract() == 0.0 && (1000.0..=2100.0).contains(&y) {
        Ok(Some(y as u16))
    } else {
        Err(number(y))
    }
}
