//! Any source GDAL/OGR reads (GeoJSON, Shapefile, FlatGeobuf, a GeoPackage, BAG XML through the
//! LVBAG driver, …), behind the `gdal` feature.
//!
//! Layers are recognised by their field names, not their names:
//! - pand-like: `identificatie`, `status` and `bouwjaar` (or LVBAG's `oorspronkelijkbouwjaar`);
//! - address-like: `identificatie`, `status` and `huisnummer`;
//! - area-like: `buurtcode`, `wijkcode` or `gemeentecode` (the finest one present decides the level).
//!
//! Other layers are skipped with a warning. Areas are written first; when any were, every building
//! and address in the store is joined again at the end, otherwise new records are joined against the
//! areas already stored. Records go through the same converters as the GeoPackage importers, so
//! checks and messages are the same. Layers are RD New or WGS84 by their SRS; a layer without one
//! is judged by its extent. Historic and inactive versions (LVBAG's `eindGeldigheid` or `tijdstipInactief` set) are
//! left out.

use std::collections::HashMap;
use std::path::Path;

use domain::AreaKind;
use gdal::vector::{FieldValue, LayerAccess};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use rayon::prelude::*;
use store::{ImportTx, SourceKind};

use crate::bag_light::{self, RawAddress, RawPand};
use crate::cbs::{self, RawArea};
use crate::crs::Crs;
use crate::join::rejoin;
use crate::pipeline::Outcome;
use crate::sink::{BATCH, StoreSink};
use crate::{AreaIndex, Error, ImportReport, Progress, RdToWgs84, Result};

/// What a layer holds, judged from its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LayerRole {
    Buildings,
    Addresses,
    Areas(AreaKind),
}

fn open(path: &Path) -> Result<Dataset> {
    let options = DatasetOptions {
        open_flags: GdalOpenFlags::GDAL_OF_VECTOR,
        ..DatasetOptions::default()
    };
    Dataset::open_ex(path, options).map_err(|source| Error::Gdal {
        path: path.to_owned(),
        source,
    })
}

/// Whether OGR opens `path` as a vector source with at least one layer.
pub(crate) fn opens(path: &Path) -> bool {
    open(path).is_ok_and(|ds| ds.layer_count() > 0)
}

/// Field name (lower case) → index.
fn field_index<L: LayerAccess>(layer: &L) -> HashMap<String, usize> {
    layer
        .defn()
        .fields()
        .enumerate()
        .map(|(i, f)| (f.name().to_ascii_lowercase(), i))
        .collect()
}

fn role(fields: &HashMap<String, usize>) -> Option<LayerRole> {
    let has = |n: &str| fields.contains_key(n);
    if has("identificatie") && has("status") && (has("bouwjaar") || has("oorspronkelijkbouwjaar")) {
        Some(LayerRole::Buildings)
    } else if has("identificatie") && has("status") && has("huisnummer") {
        Some(LayerRole::Addresses)
    } else {
        [AreaKind::Buurt, AreaKind::Wijk, AreaKind::Gemeente]
            .into_iter()
            .find(|k| has(cbs::columns(*k).0))
            .map(LayerRole::Areas)
    }
}

/// The register an OGR source is recorded as: CBS when it holds only areas.
pub(crate) fn source_kind(path: &Path) -> Result<SourceKind> {
    let ds = open(path)?;
    let roles: Vec<LayerRole> = ds.layers().filter_map(|l| role(&field_index(&l))).collect();
    let only_areas = !roles.is_empty() && roles.iter().all(|r| matches!(r, LayerRole::Areas(_)));
    Ok(if only_areas {
        SourceKind::Cbs
    } else {
        SourceKind::Bag
    })
}

/// Imports every recognised layer of `path` through `tx`.
pub(crate) fn import(
    path: &Path,
    rd: &RdToWgs84,
    tx: &mut dyn ImportTx,
    report: &mut ImportReport,
    progress: &dyn Progress,
) -> Result<()> {
    let ds = open(path)?;
    let mut plan = Vec::new();
    for (i, layer) in ds.layers().enumerate() {
        match role(&field_index(&layer)) {
            Some(r) => plan.push((i, r)),
            None => report.skip(format!(
                "{}, layer {}: not recognised (no pand, address or CBS area fields)",
                path.display(),
                layer.name()
            )),
        }
    }
    if plan.is_empty() {
        let names: Vec<String> = ds.layers().map(|l| l.name()).collect();
        return Err(Error::MissingLayers {
            path: path.to_owned(),
            format: "source of panden, addresses or CBS areas",
            wanted: "with identificatie+status+bouwjaar, identificatie+status+huisnummer or a buurtcode/wijkcode/gemeentecode field".into(),
            found: if names.is_empty() { "none".into() } else { names.join(", ") },
        });
    }
    plan.sort_by_key(|(_, r)| !matches!(r, LayerRole::Areas(_)));
    let areas_change = plan.iter().any(|(_, r)| matches!(r, LayerRole::Areas(_)));
    // When areas change, everything is joined once at the end instead of now.
    let index = if areas_change {
        AreaIndex::new(&[])
    } else {
        AreaIndex::new(&tx.areas()?)
    };
    {
        let mut sink = StoreSink::new(tx, &index, report);
        for (i, role) in plan {
            let mut layer = ds.layer(i).map_err(|source| Error::Gdal {
                path: path.to_owned(),
                source,
            })?;
            read_layer(path, rd, &mut layer, role, &mut sink, progress)?;
        }
    }
    if areas_change {
        report.rejoined = rejoin(tx, progress)?;
    }
    Ok(())
}

fn read_layer(
    path: &Path,
    rd: &RdToWgs84,
    layer: &mut gdal::vector::Layer<'_>,
    role: LayerRole,
    sink: &mut StoreSink<'_, '_>,
    progress: &dyn Progress,
) -> Result<()> {
    let name = layer.name();
    let crs = layer_crs(path, &name, layer)?;
    let fields = field_index(layer);
    let slot = |names: &[&str]| names.iter().find_map(|n| fields.get(*n).copied());
    progress.phase(&name, layer.try_feature_count());
    // LVBAG keeps every version: only the current one (no end of validity, not inactive) counts.
    let history: Vec<usize> = ["eindgeldigheid", "tijdstipinactief"]
        .iter()
        .filter_map(|n| fields.get(*n).copied())
        .collect();
    let mut batch: Vec<Record> = Vec::with_capacity(BATCH);
    for (row, feature) in layer.features().enumerate() {
        if history
            .iter()
            .any(|i| matches!(feature.field(*i), Ok(Some(_))))
        {
            continue;
        }
        let fid = feature.fid().map_or(row as i64, |f| f as i64);
        let wkb = match feature.geometry() {
            Some(g) if !g.is_empty() => Some(g.wkb().map_err(|source| Error::Gdal {
                path: path.to_owned(),
                source,
            })?),
            _ => None,
        };
        let text =
            |names: &[&str]| slot(names).and_then(|i| value_text(feature.field(i).ok().flatten()));
        let int = |names: &[&str]| -> Result<Option<i64>> {
            let v = text(names);
            v.as_deref().map_or(Ok(None), |s| {
                parse_int(s).map(Some).ok_or_else(|| Error::InvalidRecord {
                    path: path.to_owned(),
                    layer: name.clone(),
                    fid,
                    reason: format!(
                        "{} {:?} is not a whole number",
                        names[0],
                        domain::excerpt(s)
                    ),
                })
            })
        };
        let record = match role {
            LayerRole::Buildings => Record::Pand(RawPand {
                fid,
                wkb,
                id: text(&["identificatie"]).map(|s| bag_id(&s)),
                status: text(&["status"]),
                bouwjaar: int(&["bouwjaar", "oorspronkelijkbouwjaar"])?,
                usage: text(&["gebruiksdoel"]),
                units: int(&["aantal_verblijfsobjecten"])?,
            }),
            LayerRole::Addresses => Record::Address(RawAddress {
                fid,
                wkb,
                id: text(&["identificatie"]).map(|s| bag_id(&s)),
                status: text(&["status"]),
                house_number: int(&["huisnummer"])?,
                street: text(&["openbare_ruimte_naam", "openbareruimtenaam", "straatnaam"]),
                letter: text(&["huisletter"]),
                addition: text(&["toevoeging", "huisnummertoevoeging"]),
                postcode: text(&["postcode"]),
                place: text(&["woonplaats_naam", "woonplaatsnaam", "woonplaats"]),
                usage: text(&["gebruiksdoel"]),
                floor_area: int(&["oppervlakte"])?,
                buildings: text(&["pand_identificatie", "pandref"]),
            }),
            LayerRole::Areas(kind) => {
                let (code, area_name) = cbs::columns(kind);
                let number = |names: &[&str]| text(names).and_then(|s| s.parse::<f64>().ok());
                Record::Area(
                    kind,
                    RawArea {
                        fid,
                        wkb,
                        code: text(&[code]),
                        name: text(&[area_name]),
                        residents: number(cbs::RESIDENTS),
                        households: number(cbs::HOUSEHOLDS),
                        share_65_plus: number(cbs::SHARE_65_PLUS),
                        density: number(cbs::DENSITY),
                    },
                )
            }
        };
        batch.push(record);
        if batch.len() >= BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            write_batch(path, &name, crs, rd, full, sink, progress)?;
        }
    }
    write_batch(path, &name, crs, rd, batch, sink, progress)
}

/// One record of any role, as read.
enum Record {
    Pand(RawPand),
    Address(RawAddress),
    Area(AreaKind, RawArea),
}

/// Converts a batch in parallel, then writes it.
fn write_batch(
    path: &Path,
    layer: &str,
    crs: Crs,
    rd: &RdToWgs84,
    batch: Vec<Record>,
    sink: &mut StoreSink<'_, '_>,
    progress: &dyn Progress,
) -> Result<()> {
    let n = batch.len() as u64;
    let bag = bag_light::Ctx::with_crs(path, layer, crs, rd);
    let converted = batch
        .into_par_iter()
        .map(|r| match r {
            Record::Pand(p) => bag.building(p).map(|o| o.map(Converted::Building)),
            Record::Address(a) => bag.address(a).map(|o| o.map(Converted::Address)),
            Record::Area(kind, a) => cbs::Ctx {
                path,
                layer,
                kind,
                crs,
                rd,
            }
            .area(a)
            .map(|o| o.map(Converted::Area)),
        })
        .collect::<Result<Vec<_>>>()?;
    let (mut buildings, mut addresses, mut areas) = (Vec::new(), Vec::new(), Vec::new());
    for c in converted {
        match c {
            Outcome::Keep(Converted::Building(b)) => buildings.push(b),
            Outcome::Keep(Converted::Address(a)) => addresses.push(a),
            Outcome::Keep(Converted::Area(a)) => areas.push(a),
            Outcome::Skip(why) => sink.report().skip(why),
        }
    }
    sink.put_areas(&areas)?;
    sink.put_buildings(buildings)?;
    sink.put_addresses(addresses)?;
    progress.advance(n);
    Ok(())
}

enum Converted {
    Building(domain::Building),
    Address(domain::Address),
    Area(domain::Area),
}

impl<T> Outcome<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        match self {
            Outcome::Keep(t) => Outcome::Keep(f(t)),
            Outcome::Skip(why) => Outcome::Skip(why),
        }
    }
}

/// The layer's CRS from its SRS; without one, guessed from the extent (RD New coordinates are
/// metres in the hundreds of thousands, WGS84 ones degrees).
fn layer_crs<L: LayerAccess>(path: &Path, name: &str, layer: &L) -> Result<Crs> {
    let unsupported = |srs: String| Error::UnsupportedCrs {
        path: path.to_owned(),
        layer: name.to_owned(),
        srs,
    };
    if let Some(srs) = layer.spatial_ref() {
        let org = srs.auth_name().unwrap_or_default();
        let code = srs.auth_code().map_or(0, i64::from);
        let wkt = srs.to_wkt().unwrap_or_default();
        let named = srs.name().unwrap_or_default();
        return Crs::from_authority(&org, code, &wkt)
            .or_else(|| (named == "WGS 84" || named == "WGS 84 (CRS84)").then_some(Crs::Wgs84))
            .ok_or_else(|| {
                unsupported(if org.is_empty() {
                    named
                } else {
                    format!("{org}:{code}")
                })
            });
    }
    match layer.try_get_extent() {
        Ok(Some(e)) if e.MinX >= -180.0 && e.MaxX <= 180.0 && e.MinY >= -90.0 && e.MaxY <= 90.0 => {
            Ok(Crs::Wgs84)
        }
        Ok(Some(e))
            if e.MinX >= -10_000.0
                && e.MaxX <= 300_000.0
                && e.MinY >= 250_000.0
                && e.MaxY <= 650_000.0 =>
        {
            Ok(Crs::RdNew)
        }
        _ => Err(unsupported(
            "none, and the extent fits neither RD New nor WGS84".into(),
        )),
    }
}

/// A field value as trimmed text; `None` for NULL or blank. Whole reals print without a fraction;
/// lists join with commas.
fn value_text(v: Option<FieldValue>) -> Option<String> {
    let s = match v? {
        FieldValue::StringValue(s) => s,
        FieldValue::IntegerValue(n) => n.to_string(),
        FieldValue::Integer64Value(n) => n.to_string(),
        FieldValue::RealValue(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        FieldValue::RealValue(x) => x.to_string(),
        FieldValue::StringListValue(l) => l.join(","),
        FieldValue::IntegerListValue(l) => l
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(","),
        FieldValue::Integer64ListValue(l) => l
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(","),
        FieldValue::RealListValue(l) => l
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(","),
        FieldValue::DateValue(d) => d.to_string(),
        FieldValue::DateTimeValue(d) => d.to_string(),
    };
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn parse_int(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().or_else(|| {
        s.parse::<f64>()
            .ok()
            .filter(|x| x.fract() == 0.0)
            .map(|x| x as i64)
    })
}

/// A BAG id as 16 digits: restores leading zeros lost to a numeric field and drops the
/// `NL.IMBAG.Pand.` prefix older GDAL versions write.
fn bag_id(s: &str) -> String {
    let digits = s.rsplit('.').next().unwrap_or(s);
    if digits.len() < 16 && digits.bytes().all(|b| b.is_ascii_digit()) {
        format!("{digits:0>16}")
    } else {
        digits.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_ids_get_their_zeros_back() {
        assert_eq!(bag_id("221100000000001"), "0221100000000001");
        assert_eq!(bag_id("NL.IMBAG.Pand.0221100000000001"), "0221100000000001");
        assert_eq!(bag_id("x"), "x");
    }
}
