//! PDOK's bag-light GeoPackage: layer `pand` → [`Building`]s; `verblijfsobject`, and
//! `ligplaats`/`standplaats` when present, → [`Address`]es.
//!
//! Columns (DESIGN §5) are matched by name; only `identificatie` and `status` (and `huisnummer`
//! for addresses) are required, the rest are left empty when a layer lacks them. Layers are RD New
//! (reprojected once per vertex) or WGS84 (taken as is), judged from the layer's `srs_id`. A
//! verblijfsobject may lie in several panden: `pand_identificatie` is a comma-separated list.
//! Every record is checked; the first bad one fails the import with file, layer and fid.

use std::path::Path;

use domain::{Address, AddressStatus, AreaRefs, BagId, Building, BuildingStatus, UsageSet};
use geo::{InteriorPoint, MultiPolygon};

use crate::crs::{Crs, geopackage_layer_crs};
use crate::gpkg::layer_names;
use crate::gpkg::{Feature, GeoPackage, GpkgError, LayerInfo};
use crate::pipeline::{
    ColumnPlan, LayerSource, Need, Outcome, bag_id_text, int, run_layer, text, wkb,
};
use crate::sink::StoreSink;
use crate::{Error, Progress, RdToWgs84, Result};

const PAND: &str = "pand";
/// The *bouwjaar* BAG writes when it is unknown (and what we write when the column is absent).
const UNKNOWN_BOUWJAAR: u16 = 9999;
const VERBLIJFSOBJECT: &str = "verblijfsobject";
/// Moorings and pitches: addresses with a polygon instead of a point.
const PLACE_LAYERS: [&str; 2] = ["ligplaats", "standplaats"];

/// Whether the layers are those of a bag-light GeoPackage.
pub(crate) fn has_layers(layers: &[LayerInfo]) -> bool {
    find(layers, PAND).is_some() || find(layers, VERBLIJFSOBJECT).is_some()
}

fn find<'a>(layers: &'a [LayerInfo], name: &str) -> Option<&'a LayerInfo> {
    layers.iter().find(|l| l.name.eq_ignore_ascii_case(name))
}

/// Imports every building and address layer of the bag-light file at `path` into `sink`.
pub(crate) fn import(
    path: &Path,
    rd: &RdToWgs84,
    sink: &mut StoreSink<'_, '_>,
    progress: &dyn Progress,
) -> Result<()> {
    let gpkg = GeoPackage::open(path)?;
    let layers = gpkg.layers()?;
    if !has_layers(&layers) {
        return Err(Error::MissingLayers {
            path: path.to_owned(),
            format: "bag-light GeoPackage",
            wanted: "pand or verblijfsobject".into(),
            found: layer_names(&layers),
        });
    }
    // Joined in the parallel stage, so that the writing thread only writes.
    let areas = sink.areas();
    if let Some(layer) = find(&layers, PAND) {
        let ctx = Ctx::new(path, layer, rd)?;
        let plan = ColumnPlan::new(path, layer, &PAND_FIELDS)?;
        progress.phase("panden", Some(gpkg.count(&layer.name)?));
        run_layer(
            &LayerSource {
                path,
                layer: &layer.name,
                plan: &plan,
            },
            extract_pand,
            |raw| {
                let mut outcome = ctx.building(raw)?;
                if let Outcome::Keep(b) = &mut outcome {
                    b.areas = areas.building_refs(b);
                }
                Ok(outcome)
            },
            |batch, skipped| {
                for s in skipped {
                    sink.report().skip(s);
                }
                sink.write_buildings(&batch)
            },
            progress,
        )?;
    }
    let address_layers = std::iter::once(VERBLIJFSOBJECT).chain(PLACE_LAYERS);
    for layer in address_layers.filter_map(|name| find(&layers, name)) {
        let ctx = Ctx::new(path, layer, rd)?;
        let plan = ColumnPlan::new(path, layer, &ADDRESS_FIELDS)?;
        progress.phase(&layer.name, Some(gpkg.count(&layer.name)?));
        run_layer(
            &LayerSource {
                path,
                layer: &layer.name,
                plan: &plan,
            },
            extract_address,
            |raw| {
                let mut outcome = ctx.address(raw)?;
                if let Outcome::Keep(a) = &mut outcome {
                    a.areas = areas.address_refs(a);
                }
                Ok(outcome)
            },
            |batch, skipped| {
                for s in skipped {
                    sink.report().skip(s);
                }
                sink.write_addresses(&batch)
            },
            progress,
        )?;
    }
    Ok(())
}

const PAND_FIELDS: [(&str, Need); 5] = [
    ("identificatie", Need::Required),
    ("status", Need::Required),
    ("bouwjaar", Need::Optional),
    ("gebruiksdoel", Need::Optional),
    ("aantal_verblijfsobjecten", Need::Optional),
];

/// A pand record as read, before any checks (from a GeoPackage row or an OGR feature).
pub(crate) struct RawPand {
    pub(crate) fid: i64,
    pub(crate) wkb: Option<Vec<u8>>,
    pub(crate) id: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) bouwjaar: Option<i64>,
    pub(crate) usage: Option<String>,
    pub(crate) units: Option<i64>,
}

fn extract_pand(f: &Feature<'_>, s: &[Option<usize>]) -> Result<RawPand, GpkgError> {
    Ok(RawPand {
        fid: f.fid(),
        wkb: wkb(f)?,
        id: bag_id_text(f, s[0])?,
        status: text(f, s[1])?,
        bouwjaar: int(f, s[2])?,
        usage: text(f, s[3])?,
        units: int(f, s[4])?,
    })
}

const ADDRESS_FIELDS: [(&str, Need); 11] = [
    ("identificatie", Need::Required),
    ("status", Need::Required),
    ("huisnummer", Need::Required),
    ("openbare_ruimte_naam", Need::Optional),
    ("huisletter", Need::Optional),
    ("toevoeging", Need::Optional),
    ("postcode", Need::Optional),
    ("woonplaats_naam", Need::Optional),
    ("gebruiksdoel", Need::Optional),
    ("oppervlakte", Need::Optional),
    ("pand_identificatie", Need::Optional),
];

/// A verblijfsobject (or ligplaats/standplaats) record as read.
pub(crate) struct RawAddress {
    pub(crate) fid: i64,
    pub(crate) wkb: Option<Vec<u8>>,
    pub(crate) id: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) house_number: Option<i64>,
    pub(crate) street: Option<String>,
    pub(crate) letter: Option<String>,
    pub(crate) addition: Option<String>,
    pub(crate) postcode: Option<String>,
    pub(crate) place: Option<String>,
    pub(crate) usage: Option<String>,
    pub(crate) floor_area: Option<i64>,
    pub(crate) buildings: Option<String>,
}

fn extract_address(f: &Feature<'_>, s: &[Option<usize>]) -> Result<RawAddress, GpkgError> {
    Ok(RawAddress {
        fid: f.fid(),
        wkb: wkb(f)?,
        id: bag_id_text(f, s[0])?,
        status: text(f, s[1])?,
        house_number: int(f, s[2])?,
        street: text(f, s[3])?,
        letter: text(f, s[4])?,
        addition: text(f, s[5])?,
        postcode: text(f, s[6])?,
        place: text(f, s[7])?,
        usage: text(f, s[8])?,
        floor_area: int(f, s[9])?,
        buildings: text(f, s[10])?,
    })
}

/// Converts one layer's records to domain values; shared by the rayon workers.
pub(crate) struct Ctx<'a> {
    path: &'a Path,
    layer: &'a str,
    crs: Crs,
    rd: &'a RdToWgs84,
}

impl<'a> Ctx<'a> {
    fn new(path: &'a Path, layer: &'a LayerInfo, rd: &'a RdToWgs84) -> Result<Self> {
        Ok(Self::with_crs(
            path,
            &layer.name,
            geopackage_layer_crs(path, &layer.name, layer.srs_id)?,
            rd,
        ))
    }

    /// A converter for records of `layer` in `crs`.
    pub(crate) fn with_crs(path: &'a Path, layer: &'a str, crs: Crs, rd: &'a RdToWgs84) -> Self {
        Self {
            path,
            layer,
            crs,
            rd,
        }
    }

    fn invalid(&self, fid: i64, reason: impl Into<String>) -> Error {
        Error::InvalidRecord {
            path: self.path.to_owned(),
            layer: self.layer.to_owned(),
            fid,
            reason: reason.into(),
        }
    }

    fn id(&self, fid: i64, id: Option<&str>) -> Result<BagId> {
        let id = id.ok_or_else(|| self.invalid(fid, "identificatie is empty"))?;
        id.parse()
            .map_err(|e: domain::Error| self.invalid(fid, e.to_string()))
    }

    fn usage(&self, fid: i64, id: BagId, usage: Option<&str>) -> Result<UsageSet> {
        usage.map_or(Ok(UsageSet::EMPTY), |u| {
            u.parse()
                .map_err(|e: domain::Error| self.invalid(fid, format!("{id}: {e}")))
        })
    }

    pub(crate) fn building(&self, raw: RawPand) -> Result<Outcome<Building>> {
        let fid = raw.fid;
        let id = self.id(fid, raw.id.as_deref())?;
        let status: BuildingStatus = raw
            .status
            .as_deref()
            .ok_or_else(|| self.invalid(fid, format!("pand {id} has no status")))?
            .parse()
            .map_err(|e: domain::Error| self.invalid(fid, format!("pand {id}: {e}")))?;
        let Some(blob) = raw.wkb else {
            return Ok(Outcome::Skip(format!(
                "{}, layer {}, fid {fid}: pand {id} has no geometry",
                self.path.display(),
                self.layer
            )));
        };
        let mut footprint = domain::wkb::read_multi_polygon(&blob)
            .map_err(|e| self.invalid(fid, format!("pand {id}: {e}")))?;
        if footprint.0.iter().all(|p| p.exterior().0.is_empty()) {
            return Ok(Outcome::Skip(format!(
                "{}, layer {}, fid {fid}: pand {id} has an empty geometry",
                self.path.display(),
                self.layer
            )));
        }
        self.crs
            .polygons_to_wgs84(self.rd, &mut footprint)
            .map_err(|e| self.invalid(fid, format!("pand {id}: {e}")))?;
        let bouwjaar = match raw.bouwjaar {
            None => UNKNOWN_BOUWJAAR,
            Some(y @ 0..=9999) => y as u16,
            Some(y) => {
                return Err(self.invalid(fid, format!("pand {id}: bouwjaar {y} is not a year")));
            }
        };
        Ok(Outcome::Keep(Building {
            id,
            footprint_wgs84: footprint,
            bouwjaar,
            status,
            usage: self.usage(fid, id, raw.usage.as_deref())?,
            units: raw.units.and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
            areas: AreaRefs::default(),
        }))
    }

    pub(crate) fn address(&self, raw: RawAddress) -> Result<Outcome<Address>> {
        let fid = raw.fid;
        let id = self.id(fid, raw.id.as_deref())?;
        let status: AddressStatus = raw
            .status
            .as_deref()
            .ok_or_else(|| self.invalid(fid, format!("{id} has no status")))?
            .parse()
            .map_err(|e: domain::Error| self.invalid(fid, format!("{id}: {e}")))?;
        let house_number = raw
            .house_number
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| {
                self.invalid(
                    fid,
                    format!(
                        "{id}: huisnummer {:?} is not a house number",
                        raw.house_number
                    ),
                )
            })?;
        let Some(blob) = raw.wkb else {
            return Ok(Outcome::Skip(format!(
                "{}, layer {}, fid {fid}: {id} has no geometry",
                self.path.display(),
                self.layer
            )));
        };
        let location = self
            .location(&blob)
            .map_err(|reason| self.invalid(fid, format!("{id}: {reason}")))?;
        let building_ids = match raw.buildings.as_deref() {
            None => Vec::new(),
            Some(list) => list
                .split([',', ';', '|', ' '])
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse().map_err(|e: domain::Error| {
                        self.invalid(fid, format!("{id}: pand_identificatie: {e}"))
                    })
                })
                .collect::<Result<Vec<BagId>>>()?,
        };
        Ok(Outcome::Keep(Address {
            id,
            location_wgs84: location,
            street: raw.street.unwrap_or_default(),
            house_number,
            house_letter: raw.letter,
            addition: raw.addition,
            postcode: raw.postcode,
            place: raw.place.unwrap_or_default(),
            status,
            usage: self.usage(fid, id, raw.usage.as_deref())?,
            floor_area_m2: raw.floor_area.and_then(|n| u32::try_from(n).ok()),
            building_ids,
            areas: AreaRefs::default(),
        }))
    }

    /// The WGS84 point of an address: its point, or for a ligplaats/standplaats polygon a point
    /// inside it.
    fn location(&self, blob: &[u8]) -> Result<geo::Point<f64>, String> {
        let point = match domain::wkb::geometry_type(blob).map_err(|e| e.to_string())? {
            3 | 6 => {
                let mp: MultiPolygon<f64> =
                    domain::wkb::read_multi_polygon(blob).map_err(|e| e.to_string())?;
                mp.interior_point().ok_or("empty polygon")?
            }
            _ => domain::wkb::read_point(blob).map_err(|e| e.to_string())?,
        };
        self.crs
            .point_to_wgs84(self.rd, point)
            .map_err(|e| e.to_string())
    }
}
