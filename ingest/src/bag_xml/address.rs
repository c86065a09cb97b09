//! Current verblijfsobjecten, ligplaatsen and standplaatsen → [`domain::Address`], and the
//! per-pand tally of verblijfsobjecten that panden carry as `units` and `usage`.
//!
//! Decisions:
//! - An address is joined through its *hoofdadres* only (nevenadressen are not separate
//!   addresses). When a join fails (hoofdadres absent, or its nummeraanduiding, openbare ruimte or
//!   woonplaats has no current version in the input) the address is skipped and counted per
//!   reason; the summary reports each reason once with its count and first example. An address
//!   with a half-known label would be worse than none in search results.
//! - Location: the verblijfsobject's point, or — for a verblijfsobject drawn as a polygon, and for
//!   every ligplaats and standplaats — the polygon's centroid when it lies inside, else a point
//!   inside the polygon.
//! - A pand's `units` counts the current verblijfsobjecten that reference it in `maaktDeelUitVan`
//!   and exist: those whose status is not *niet gerealiseerd*, *ingetrokken* or *ten onrechte
//!   opgevoerd* ([`AddressStatus::is_shown`]); `usage` is the union of their gebruiksdoelen. A
//!   verblijfsobject in two panden counts in both. The tally does not depend on the address join.

use std::collections::{BTreeMap, HashMap};

use domain::{Address, AddressStatus, AreaRefs, BagId, UsageSet};
use geo::Point;

use super::BagSink;
use super::address_parts::{AddressParts, JoinMiss};
use super::error::BagXmlError;
use super::object::{Fields, ObjectKind};
use crate::RdToWgs84;

/// Verblijfsobjecten per pand: (count, union of gebruiksdoelen).
#[derive(Debug, Default)]
pub(super) struct UnitsPerPand(HashMap<BagId, (u32, UsageSet)>);

impl UnitsPerPand {
    /// The tally for a pand; (0, empty) when no verblijfsobject references it.
    pub(super) fn get(&self, pand: BagId) -> (u32, UsageSet) {
        self.0.get(&pand).copied().unwrap_or_default()
    }
}

/// Builds addresses from current versions and keeps the counts.
pub(super) struct AddressBuilder<'a> {
    parts: &'a AddressParts,
    rd: &'a RdToWgs84,
    pub units: UnitsPerPand,
    pub emitted: u64,
    /// Skipped addresses per reason: count and first example.
    misses: BTreeMap<JoinMiss, (u64, String)>,
    panden: Vec<BagId>,
}

impl<'a> AddressBuilder<'a> {
    pub(super) fn new(parts: &'a AddressParts, rd: &'a RdToWgs84) -> Self {
        Self {
            parts,
            rd,
            units: UnitsPerPand::default(),
            emitted: 0,
            misses: BTreeMap::new(),
            panden: Vec::new(),
        }
    }

    /// Addresses skipped in total.
    pub(super) fn skipped(&self) -> u64 {
        self.misses.values().map(|(n, _)| n).sum()
    }

    /// One line per skip reason, for the summary's warnings.
    pub(super) fn warnings(&self) -> Vec<String> {
        self.misses
            .iter()
            .map(|(miss, (n, example))| {
                format!(
                    "{n} address(es) skipped: {} (first: {example})",
                    miss.describe()
                )
            })
            .collect()
    }

    /// Handles the current version of a verblijfsobject, ligplaats or standplaats.
    pub(super) fn add(&mut self, f: &Fields<'_>, sink: &mut dyn BagSink) -> crate::Result<()> {
        let obj = f.obj;
        let is_vbo = obj.kind == Some(ObjectKind::Verblijfsobject);
        let id = f.id()?;
        let status = address_status(f, is_vbo)?;
        let usage: UsageSet = if is_vbo {
            let text = f.required("gebruiksdoel", &obj.gebruiksdoel)?;
            text.parse()
                .map_err(|_| f.invalid("gebruiksdoel", &obj.gebruiksdoel))?
        } else {
            UsageSet::EMPTY
        };
        self.panden.clear();
        for token in obj.panden.split(|&b| b == b' ').filter(|t| !t.is_empty()) {
            self.panden.push(f.parse("maaktDeelUitVan", token)?);
        }
        self.panden.sort_unstable();
        self.panden.dedup();
        if is_vbo && status.is_shown() {
            for pand in &self.panden {
                let entry = self.units.0.entry(*pand).or_default();
                entry.0 += 1;
                entry.1 = entry.1.union(usage);
            }
        }

        let hoofdadres: Option<BagId> = f.parse_opt("heeftAlsHoofdadres", &obj.hoofdadres)?;
        let joined = match self.parts.join(hoofdadres) {
            Ok(joined) => joined,
            Err(miss) => {
                let example = match hoofdadres {
                    Some(num) => format!("{} → nummeraanduiding {num}", obj.describe()),
                    None => obj.describe(),
                };
                self.misses.entry(miss).or_insert((0, example)).0 += 1;
                return Ok(());
            }
        };
        if let Some(reason) = obj.geometry.error() {
            return Err(f.geometry_error(reason).into());
        }
        let rd = obj
            .geometry
            .representative_point()
            .map_err(|e| f.geometry_error(e))?;
        let (lon, lat) = self
            .rd
            .lonlat(rd.x, rd.y)
            .map_err(|e| f.projection_error(e))?;
        let number = joined.number;
        let address = Address {
            id,
            location_wgs84: Point::new(lon, lat),
            street: joined.street.to_owned(),
            house_number: number.huisnummer,
            house_letter: number.huisletter.map(|c| char::from(c).to_string()),
            addition: number.toevoeging().map(str::to_owned),
            postcode: number.postcode().map(str::to_owned),
            place: joined.place.to_owned(),
            status,
            usage,
            floor_area_m2: if is_vbo {
                f.parse_opt("oppervlakte", &obj.oppervlakte)?
            } else {
                None
            },
            building_ids: self.panden.clone(),
            areas: AreaRefs::default(),
        };
        sink.address(address)?;
        self.emitted += 1;
        Ok(())
    }
}

/// The status, which must belong to the object's type: verblijfsobject statuses for a
/// verblijfsobject, *Plaats aangewezen* / *Plaats ingetrokken* for ligplaatsen and standplaatsen.
fn address_status(f: &Fields<'_>, is_vbo: bool) -> Result<AddressStatus, BagXmlError> {
    let text = f.required("status", &f.obj.status)?;
    let unknown = || BagXmlError::UnknownStatus {
        at: f.at.clone(),
        line: f.obj.line,
        object: f.obj.describe(),
        status: domain::excerpt(text),
    };
    let status: AddressStatus = text.parse().map_err(|_| unknown())?;
    let is_place = matches!(
        status,
        AddressStatus::PlaceAssigned | AddressStatus::PlaceWithdrawn
    );
    if is_place == is_vbo {
        return Err(unknown());
    }
    Ok(status)
}
