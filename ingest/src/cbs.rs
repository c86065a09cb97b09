//! CBS wijk- en buurtkaart GeoPackage: layers `buurten`, `wijken`, `gemeenten` → [`Area`]s.
//!
//! A layer is an area layer when its name holds the level's word (`buurten`, `CBS_Buurten`,
//! `cbs_wijken_2023`, …) and it has that level's code column (`buurtcode`, `wijkcode`,
//! `gemeentecode`). Whatever levels the file has are imported; nothing is derived for the
//! others. Besides the code and name it reads `aantal_inwoners`, `aantal_huishoudens`,
//! `percentage_personen_65_jaar_en_ouder` and `bevolkingsdichtheid_inwoners_per_km2` (each
//! optional; the last two also under the short names of CBS's older files, see [`SHARE_65_PLUS`]
//! and [`DENSITY`]). CBS writes suppressed or unknown statistics as large negative sentinels
//! (-99995, -99997, -99999999, …); those become `None`, as does a share outside 0–100.

use std::path::Path;

use domain::{Area, AreaCode, AreaKind};

use crate::crs::{Crs, geopackage_layer_crs};
use crate::gpkg::layer_names;
use crate::gpkg::{Feature, GeoPackage, GpkgError, LayerInfo};
use crate::pipeline::{ColumnPlan, LayerSource, Need, Outcome, run_layer, text, wkb};
use crate::sink::StoreSink;
use crate::{Error, Progress, RdToWgs84, Result};

/// The CBS level a layer holds, judged from its name and columns.
fn layer_kind(layer: &LayerInfo) -> Option<AreaKind> {
    let name = layer.name.to_ascii_lowercase();
    let has = |column: &str| {
        layer
            .columns
            .iter()
            .any(|(c, _)| c.eq_ignore_ascii_case(column))
    };
    [AreaKind::Buurt, AreaKind::Wijk, AreaKind::Gemeente]
        .into_iter()
        .find(|kind| name.contains(kind.as_str()) && has(columns(*kind).0))
}

/// Code and name columns of a level.
pub(crate) fn columns(kind: AreaKind) -> (&'static str, &'static str) {
    match kind {
        AreaKind::Buurt => ("buurtcode", "buurtnaam"),
        AreaKind::Wijk => ("wijkcode", "wijknaam"),
        AreaKind::Gemeente => ("gemeentecode", "gemeentenaam"),
    }
}

/// Residents (*aantal_inwoners*).
pub(crate) const RESIDENTS: &[&str] = &["aantal_inwoners"];
/// Households (*aantal_huishoudens*).
pub(crate) const HOUSEHOLDS: &[&str] = &["aantal_huishoudens"];
/// Share of residents aged 65 and older, in percent: the GeoPackage's name, then the short name
/// of CBS's older files.
pub(crate) const SHARE_65_PLUS: &[&str] = &["percentage_personen_65_jaar_en_ouder", "p_65_eo_jr"];
/// Residents per km² of land: the GeoPackage's name, then the short names of CBS's older files
/// (`bev_dichth`) and of its kerncijfers tables (`bev_dich`).
pub(crate) const DENSITY: &[&str] = &[
    "bevolkingsdichtheid_inwoners_per_km2",
    "bev_dichth",
    "bev_dich",
];

/// The first of `names` the layer has (case-insensitively), else the first name (which the
/// column plan then finds missing).
fn column_of<'a>(layer: &LayerInfo, names: &[&'a str]) -> &'a str {
    names
        .iter()
        .copied()
        .find(|n| layer.columns.iter().any(|(c, _)| c.eq_ignore_ascii_case(n)))
        .unwrap_or(names[0])
}

/// The area layers among `layers`, with their level.
pub(crate) fn area_layers(layers: &[LayerInfo]) -> Vec<(AreaKind, &LayerInfo)> {
    layers
        .iter()
        .filter_map(|l| layer_kind(l).map(|k| (k, l)))
        .collect()
}

/// Imports every area layer of the CBS file at `path` into `sink`.
pub(crate) fn import(
    path: &Path,
    rd: &RdToWgs84,
    sink: &mut StoreSink<'_, '_>,
    progress: &dyn Progress,
) -> Result<()> {
    let gpkg = GeoPackage::open(path)?;
    let layers = gpkg.layers()?;
    let area_layers = area_layers(&layers);
    if area_layers.is_empty() {
        return Err(Error::MissingLayers {
            path: path.to_owned(),
            format: "CBS wijk- en buurtkaart GeoPackage",
            wanted: "buurten, wijken or gemeenten (with buurtcode, wijkcode or gemeentecode)"
                .into(),
            found: layer_names(&layers),
        });
    }
    for (kind, layer) in area_layers {
        let (code, name) = columns(kind);
        let fields = [
            (code, Need::Required),
            (name, Need::Optional),
            (column_of(layer, RESIDENTS), Need::Optional),
            (column_of(layer, HOUSEHOLDS), Need::Optional),
            (column_of(layer, SHARE_65_PLUS), Need::Optional),
            (column_of(layer, DENSITY), Need::Optional),
        ];
        let plan = ColumnPlan::new(path, layer, &fields)?;
        let ctx = Ctx {
            path,
            layer: &layer.name,
            kind,
            crs: geopackage_layer_crs(path, &layer.name, layer.srs_id)?,
            rd,
        };
        progress.phase(&layer.name, Some(gpkg.count(&layer.name)?));
        run_layer(
            &LayerSource {
                path,
                layer: &layer.name,
                plan: &plan,
            },
            extract,
            |raw| ctx.area(raw),
            |batch, skipped| {
                for s in skipped {
                    sink.report().skip(s);
                }
                sink.put_areas(&batch)
            },
            progress,
        )?;
    }
    Ok(())
}

/// An area record as read (from a GeoPackage row or an OGR feature).
pub(crate) struct RawArea {
    pub(crate) fid: i64,
    pub(crate) wkb: Option<Vec<u8>>,
    pub(crate) code: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) residents: Option<f64>,
    pub(crate) households: Option<f64>,
    pub(crate) share_65_plus: Option<f64>,
    pub(crate) density: Option<f64>,
}

fn extract(f: &Feature<'_>, s: &[Option<usize>]) -> Result<RawArea, GpkgError> {
    Ok(RawArea {
        fid: f.fid(),
        wkb: wkb(f)?,
        code: text(f, s[0])?,
        name: text(f, s[1])?,
        residents: number(f, s[2])?,
        households: number(f, s[3])?,
        share_65_plus: number(f, s[4])?,
        density: number(f, s[5])?,
    })
}

/// A statistic, whether stored as integer or real.
fn number(f: &Feature<'_>, slot: Option<usize>) -> Result<Option<f64>, GpkgError> {
    let Some(i) = slot else { return Ok(None) };
    match f.int(i) {
        Ok(n) => Ok(n.map(|n| n as f64)),
        Err(int_err) => f.real(i).map_err(|_| int_err),
    }
}

/// A CBS count: `None` for NULL, for CBS's negative sentinels, and for values that are no count.
pub(crate) fn cbs_count(value: Option<f64>) -> Option<u32> {
    value
        .filter(|v| v.is_finite() && *v >= 0.0 && *v <= f64::from(u32::MAX))
        .map(|v| v.round() as u32)
}

/// A CBS percentage, rounded to whole percent: `None` for NULL, for CBS's negative sentinels,
/// and for values outside 0–100.
pub(crate) fn cbs_share(value: Option<f64>) -> Option<u8> {
    value
        .filter(|v| (0.0..=100.0).contains(v))
        .map(|v| v.round() as u8)
}

/// Converts one area layer's records; shared by the rayon workers.
pub(crate) struct Ctx<'a> {
    pub(crate) path: &'a Path,
    pub(crate) layer: &'a str,
    pub(crate) kind: AreaKind,
    pub(crate) crs: Crs,
    pub(crate) rd: &'a RdToWgs84,
}

impl Ctx<'_> {
    fn invalid(&self, fid: i64, reason: String) -> Error {
        Error::InvalidRecord {
            path: self.path.to_owned(),
            layer: self.layer.to_owned(),
            fid,
            reason,
        }
    }

    pub(crate) fn area(&self, raw: RawArea) -> Result<Outcome<Area>> {
        let fid = raw.fid;
        let column = columns(self.kind).0;
        let text = raw
            .code
            .ok_or_else(|| self.invalid(fid, format!("{column} is empty")))?;
        let code: AreaCode = text
            .parse()
            .map_err(|e: domain::Error| self.invalid(fid, e.to_string()))?;
        if code.kind() != self.kind {
            return Err(self.invalid(
                fid,
                format!("{column} {code} is not a {} code", self.kind.as_str()),
            ));
        }
        let Some(blob) = raw.wkb else {
            return Ok(Outcome::Skip(format!(
                "{}, layer {}, fid {fid}: {code} has no geometry",
                self.path.display(),
                self.layer
            )));
        };
        let mut boundary = domain::wkb::read_multi_polygon(&blob)
            .map_err(|e| self.invalid(fid, format!("{code}: {e}")))?;
        self.crs
            .polygons_to_wgs84(self.rd, &mut boundary)
            .map_err(|e| self.invalid(fid, format!("{code}: {e}")))?;
        Ok(Outcome::Keep(Area {
            code,
            name: raw.name.unwrap_or_default(),
            boundary_wgs84: boundary,
            residents: cbs_count(raw.residents),
            households: cbs_count(raw.households),
            share_65_plus: cbs_share(raw.share_65_plus),
            density: cbs_count(raw.density),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbs_sentinels_become_missing() {
        for sentinel in [-99_995.0, -99_997.0, -99_998.0, -99_999_999.0] {
            assert_eq!(cbs_count(Some(sentinel)), None);
        }
        assert_eq!(cbs_count(None), None);
        assert_eq!(cbs_count(Some(0.0)), Some(0));
        assert_eq!(cbs_count(Some(2_715.0)), Some(2_715));
        assert_eq!(cbs_count(Some(f64::NAN)), None);
    }

    #[test]
    fn a_share_is_a_whole_percent_from_0_to_100_or_missing() {
        for sentinel in [-99_995.0, -99_997.0, -99_998.0, -99_999_999.0] {
            assert_eq!(cbs_share(Some(sentinel)), None);
        }
        assert_eq!(cbs_share(None), None);
        assert_eq!(cbs_share(Some(0.0)), Some(0));
        assert_eq!(cbs_share(Some(23.0)), Some(23));
        // Real-valued columns (some releases and copies): rounded to whole percent.
        assert_eq!(cbs_share(Some(7.2)), Some(7));
        assert_eq!(cbs_share(Some(99.6)), Some(100));
        assert_eq!(cbs_share(Some(100.0)), Some(100));
        // No share: outside 0–100, slightly negative, or not a number.
        for v in [100.5, 101.0, 250.0, -0.5, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(cbs_share(Some(v)), None, "{v}");
        }
    }
}
