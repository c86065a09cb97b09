//! 3DBAG as a GeoPackage: layer `pand` (one row per pand, the `b3_*` attributes of the building)
//! joined on `fid` with layer `lod22_2d` (one row per LoD2.2 roof part: its 2D projection,
//! `b3_azimut`, `b3_hellingshoek`). A roof part's area is its projected area over the cosine of
//! its slope. When `lod22_2d` has no `fid` column of its own, it is joined on `identificatie`.
//!
//! The roof parts are read first, into memory: 3DBAG's GeoPackages come per tile (a few thousand
//! panden); the whole country in one file would need a few GB here.

use std::collections::HashMap;
use std::path::Path;

use domain::{Building3d, RoofPart};
use geo::Area as _;
use store::ImportTx;

use super::{Writer, pand_id, roof_type};
use crate::crs::{Crs, geopackage_layer_crs};
use crate::gpkg::{GeoPackage, LayerInfo, layer_names};
use crate::{Error, ImportReport, Progress, Result};

const PAND: &str = "pand";
const ROOF_PARTS: &str = "lod22_2d";
/// Slopes steeper than this are walls, not roofs: their projected area says nothing.
const MAX_SLOPE_DEG: f64 = 89.0;

/// Whether the layers are 3DBAG's (`pand` and `lod22_2d`).
pub(crate) fn has_layers(layers: &[LayerInfo]) -> bool {
    find(layers, PAND).is_some() && find(layers, ROOF_PARTS).is_some()
}

fn find<'a>(layers: &'a [LayerInfo], name: &str) -> Option<&'a LayerInfo> {
    layers.iter().find(|l| l.name.eq_ignore_ascii_case(name))
}

fn column(layer: &LayerInfo, name: &str) -> Option<String> {
    layer
        .columns
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(n, _)| n.clone())
}

/// The layer's CRS must be RD New (EPSG:28992, or 7415 with NAP heights): areas are measured in it.
fn check_rd(path: &Path, layer: &LayerInfo) -> Result<()> {
    if layer.srs_id == 7415 {
        return Ok(());
    }
    match geopackage_layer_crs(path, &layer.name, layer.srs_id)? {
        Crs::RdNew => Ok(()),
        Crs::Wgs84 => Err(Error::UnsupportedCrs {
            path: path.to_owned(),
            layer: layer.name.clone(),
            srs: format!(
                "srs_id {} (WGS84: roof areas are measured in RD New metres)",
                layer.srs_id
            ),
        }),
    }
}

/// How roof parts name their pand.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Fid(i64),
    Id(u64),
}

/// Imports the 3DBAG GeoPackage at `path`.
pub(crate) fn import(
    path: &Path,
    tx: &mut dyn ImportTx,
    report: &mut ImportReport,
    progress: &dyn Progress,
) -> Result<()> {
    let gpkg = GeoPackage::open(path)?;
    let layers = gpkg.layers()?;
    let (Some(pand), Some(parts_layer)) = (find(&layers, PAND), find(&layers, ROOF_PARTS)) else {
        return Err(Error::MissingLayers {
            path: path.to_owned(),
            format: "3DBAG GeoPackage",
            wanted: "pand and lod22_2d".into(),
            found: layer_names(&layers),
        });
    };
    check_rd(path, parts_layer)?;
    let (mut parts, part_70p) = read_parts(&gpkg, path, parts_layer, progress)?;

    let missing = |column: &str| Error::MissingColumn {
        path: path.to_owned(),
        layer: pand.name.clone(),
        column: column.to_owned(),
    };
    let id_col = column(pand, "identificatie").ok_or_else(|| missing("identificatie"))?;
    let wanted = [
        "b3_dak_type",
        "b3_opp_dak_plat",
        "b3_opp_dak_schuin",
        "b3_h_maaiveld",
        "b3_h_dak_70p",
    ];
    let present: Vec<Option<String>> = wanted.iter().map(|w| column(pand, w)).collect();
    let mut names = vec![id_col.as_str()];
    names.extend(present.iter().flatten().map(String::as_str));
    // Index of each wanted column among those read, after identificatie.
    let mut slots = Vec::with_capacity(wanted.len());
    let mut next = 1;
    for p in &present {
        slots.push(p.as_ref().map(|_| {
            next += 1;
            next - 1
        }));
    }
    progress.phase("3DBAG panden", Some(gpkg.count(&pand.name)?));
    let mut writer = Writer::new(tx, report)?;
    let mut failed: Option<Error> = None;
    let layer_name = pand.name.clone();
    let invalid = |fid: i64, reason: String| Error::InvalidRecord {
        path: path.to_owned(),
        layer: layer_name.clone(),
        fid,
        reason,
    };
    let result = gpkg.for_each_feature(&pand.name, &names, &mut |f| {
        let fid = f.fid();
        let outcome = (|| -> Result<()> {
            let text = f.text(0)?.unwrap_or_default();
            let id = pand_id(&text).ok_or_else(|| {
                invalid(
                    fid,
                    format!(
                        "identificatie {:?} is not NL.IMBAG.Pand.<16 digits>",
                        domain::excerpt(&text)
                    ),
                )
            })?;
            let real = |slot: Option<usize>| -> Result<Option<f64>> {
                Ok(match slot {
                    Some(i) => f.real(i)?,
                    None => None,
                })
            };
            let dak = match slots[0] {
                Some(i) => f.text(i)?,
                None => None,
            };
            let mut own = parts.remove(&Key::Fid(fid)).unwrap_or_default();
            own.extend(parts.remove(&Key::Id(id.get())).unwrap_or_default());
            let roof_70p = real(slots[4])?.or_else(|| {
                part_70p
                    .get(&fid)
                    .or_else(|| part_70p.get(&-(id.get() as i64)))
                    .copied()
            });
            let building = Building3d {
                id,
                roof_type: roof_type(dak.as_deref(), writer.report(), || {
                    format!("{}, layer {}, fid {fid}", path.display(), layer_name)
                }),
                roof_flat_m2: real(slots[1])?,
                roof_sloped_m2: real(slots[2])?,
                ground_m: real(slots[3])?,
                roof_70p_m: roof_70p,
                parts: own,
            };
            writer.put(&building)
        })();
        progress.advance(1);
        outcome.map_err(|e| {
            failed = Some(e);
            crate::gpkg::GpkgError::Stopped
        })
    });
    if let Some(e) = failed {
        return Err(e);
    }
    result?;
    if !parts.is_empty() {
        let n: usize = parts.values().map(Vec::len).sum();
        writer.report().skip(format!(
            "{}, layer {ROOF_PARTS}: {n} roof parts of a pand that is not in layer {PAND}; left out",
            path.display()
        ));
    }
    Ok(())
}

/// Roof parts by pand; and, when the parts carry `b3_h_dak_70p`, its area-weighted mean per pand
/// (keyed by fid, or by minus the pand id when joined on identificatie).
type Parts = (HashMap<Key, Vec<RoofPart>>, HashMap<i64, f64>);

fn read_parts(
    gpkg: &GeoPackage,
    path: &Path,
    layer: &LayerInfo,
    progress: &dyn Progress,
) -> Result<Parts> {
    let fid = column(layer, "fid");
    let ident = column(layer, "identificatie");
    let key = fid
        .clone()
        .or(ident.clone())
        .ok_or_else(|| Error::MissingColumns {
            path: path.to_owned(),
            missing: format!(
                "layer {} has neither a fid column nor identificatie to join on",
                layer.name
            ),
            found: layer
                .columns
                .iter()
                .map(|(n, _)| n.clone())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let optional = ["b3_azimut", "b3_hellingshoek", "b3_h_dak_70p"].map(|c| column(layer, c));
    let mut names = vec![key.as_str()];
    names.extend(optional.iter().flatten().map(String::as_str));
    let mut slots = [None; 3];
    let mut next = 1;
    for (slot, col) in slots.iter_mut().zip(&optional) {
        if col.is_some() {
            *slot = Some(next);
            next += 1;
        }
    }
    progress.phase("3DBAG dakdelen", Some(gpkg.count(&layer.name)?));
    let mut parts: HashMap<Key, Vec<RoofPart>> = HashMap::new();
    let mut heights: HashMap<i64, (f64, f64)> = HashMap::new();
    let invalid = |fid: i64, reason: String| Error::InvalidRecord {
        path: path.to_owned(),
        layer: layer.name.clone(),
        fid,
        reason,
    };
    let mut failed: Option<Error> = None;
    let result = gpkg.for_each_feature(&layer.name, &names, &mut |f| {
        let row = f.fid();
        let outcome = (|| -> Result<()> {
            let key = if fid.is_some() {
                Key::Fid(
                    f.int(0)?
                        .ok_or_else(|| invalid(row, "fid is empty".into()))?,
                )
            } else {
                let text = f.text(0)?.unwrap_or_default();
                let id = pand_id(&text).ok_or_else(|| {
                    invalid(
                        row,
                        format!(
                            "identificatie {:?} is not NL.IMBAG.Pand.<16 digits>",
                            domain::excerpt(&text)
                        ),
                    )
                })?;
                Key::Id(id.get())
            };
            let real = |slot: Option<usize>| -> Result<Option<f64>> {
                Ok(match slot {
                    Some(i) => f.real(i)?,
                    None => None,
                })
            };
            let slope = real(slots[1])?;
            let projected = match f.wkb()? {
                Some(blob) => domain::wkb::read_multi_polygon(blob)
                    .map_err(|e| invalid(row, e.to_string()))?
                    .unsigned_area(),
                None => 0.0,
            };
            let area_m2 = match slope {
                Some(s) if (0.0..MAX_SLOPE_DEG).contains(&s) => projected / s.to_radians().cos(),
                _ => projected,
            };
            if let Some(h) = real(slots[2])? {
                let k = match key {
                    Key::Fid(fid) => fid,
                    Key::Id(id) => -(id as i64),
                };
                let e = heights.entry(k).or_default();
                e.0 += h * projected;
                e.1 += projected;
            }
            parts.entry(key).or_default().push(RoofPart {
                azimuth_deg: real(slots[0])?,
                slope_deg: slope,
                area_m2,
            });
            Ok(())
        })();
        progress.advance(1);
        outcome.map_err(|e| {
            failed = Some(e);
            crate::gpkg::GpkgError::Stopped
        })
    });
    if let Some(e) = failed {
        return Err(e);
    }
    result?;
    let means = heights
        .into_iter()
        .filter(|(_, (_, w))| *w > 0.0)
        .map(|(k, (sum, w))| (k, sum / w))
        .collect();
    Ok((parts, means))
}
