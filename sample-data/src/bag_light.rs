//! Writing `bag-light.gpkg`: layers `pand` and `verblijfsobject` with PDOK's bag-light column names.
//!
//! A verblijfsobject in two panden has both ids in `pand_identificatie`, comma separated (in the
//! order: the pand that holds its location first); `pand_status` is the status of that first pand.

use std::path::Path;

use domain::UsageSet;
use geo::{LineString, Point, Polygon};
use ingest::{ColumnType, FieldValue, GeoPackageWriter, GeometryKind, LayerId, LayerSpec};

use crate::address::Streets;
use crate::build::BuurtOutput;
use crate::{Error, GEMEENTECODE, WOONPLAATS};

const RD_NEW: i32 = 28992;
/// The largest sequence number the 7 digits of our BAG ids hold.
const MAX_SEQUENCE: u64 = 9_999_999;
const SEE_ALSO: &str = "http://bag.basisregistraties.overheid.nl/bag/id";

const PAND_COLUMNS: &[(&str, ColumnType)] = &[
    ("identificatie", ColumnType::Text),
    ("rdf_seealso", ColumnType::Text),
    ("bouwjaar", ColumnType::Integer),
    ("status", ColumnType::Text),
    ("gebruiksdoel", ColumnType::Text),
    ("oppervlakte_min", ColumnType::Integer),
    ("oppervlakte_max", ColumnType::Integer),
    ("aantal_verblijfsobjecten", ColumnType::Integer),
];

const VBO_COLUMNS: &[(&str, ColumnType)] = &[
    ("identificatie", ColumnType::Text),
    ("rdf_seealso", ColumnType::Text),
    ("oppervlakte", ColumnType::Integer),
    ("status", ColumnType::Text),
    ("gebruiksdoel", ColumnType::Text),
    ("openbare_ruimte_naam", ColumnType::Text),
    ("huisnummer", ColumnType::Integer),
    ("huisletter", ColumnType::Text),
    ("toevoeging", ColumnType::Text),
    ("postcode", ColumnType::Text),
    ("woonplaats_naam", ColumnType::Text),
    ("bouwjaar", ColumnType::Integer),
    ("pand_identificatie", ColumnType::Text),
    ("pand_status", ColumnType::Text),
    (
        "nummeraanduiding_hoofdadres_identificatie",
        ColumnType::Text,
    ),
];

/// A BAG id: gemeente code, object type (`10` pand, `01` verblijfsobject, `20` nummeraanduiding)
/// and a sequence number.
pub(crate) fn bag_id(object_type: &str, sequence: u64) -> String {
    format!("{GEMEENTECODE}{object_type}000{sequence:07}")
}

/// What a pand's row sums up from its verblijfsobjecten.
#[derive(Debug, Clone, Copy, Default)]
struct PandUse {
    count: i64,
    usage: UsageSet,
    min: Option<u32>,
    max: Option<u32>,
}

/// Streams buurten into `bag-light.gpkg`.
pub(crate) struct BagLightWriter {
    gpkg: GeoPackageWriter,
    pand: LayerId,
    vbo: LayerId,
    panden: u64,
    units: u64,
}

impl BagLightWriter {
    pub(crate) fn create(path: &Path, last_change: &str) -> Result<Self, Error> {
        let mut gpkg = GeoPackageWriter::create(path)?;
        gpkg.set_last_change(last_change);
        let pand = gpkg.create_layer(&LayerSpec {
            name: "pand",
            geometry: GeometryKind::Polygon,
            srs_id: RD_NEW,
            columns: PAND_COLUMNS,
            description: "Panden (fictional sample data, wijkwerk sample-data generator)",
        })?;
        let vbo = gpkg.create_layer(&LayerSpec {
            name: "verblijfsobject",
            geometry: GeometryKind::Point,
            srs_id: RD_NEW,
            columns: VBO_COLUMNS,
            description: "Verblijfsobjecten with their main address (fictional sample data)",
        })?;
        Ok(Self {
            gpkg,
            pand,
            vbo,
            panden: 0,
            units: 0,
        })
    }

    /// Panden and verblijfsobjecten written so far.
    pub(crate) fn counts(&self) -> (u64, u64) {
        (self.panden, self.units)
    }

    /// Writes one buurt; ids continue from the previous buurt.
    pub(crate) fn write(&mut self, buurt: BuurtOutput, streets: &Streets) -> Result<(), Error> {
        if self.panden + buurt.panden.len() as u64 > MAX_SEQUENCE {
            return Err(Error::TooMany { what: "panden" });
        }
        if self.units + buurt.units.len() as u64 > MAX_SEQUENCE {
            return Err(Error::TooMany {
                what: "verblijfsobjecten",
            });
        }
        let first_pand = self.panden + 1;
        let pand_id = |local: u32| bag_id("10", first_pand + u64::from(local));

        let mut uses = vec![PandUse::default(); buurt.panden.len()];
        for u in &buurt.units {
            for p in std::iter::once(u.pand).chain(u.second_pand) {
                let s = &mut uses[p as usize];
                s.count += 1;
                s.usage.insert(u.usage);
                s.min = Some(s.min.map_or(u.oppervlakte, |m| m.min(u.oppervlakte)));
                s.max = Some(s.max.map_or(u.oppervlakte, |m| m.max(u.oppervlakte)));
            }
        }
        let statuses: Vec<_> = buurt
            .panden
            .iter()
            .map(|p| (p.status, p.bouwjaar))
            .collect();
        for (i, (pand, pand_use)) in buurt.panden.into_iter().zip(&uses).enumerate() {
            let id = pand_id(i as u32);
            let see_also = format!("{SEE_ALSO}/pand/{id}");
            let usage = (!pand_use.usage.is_empty()).then(|| pand_use.usage.to_string());
            let wkb = domain::wkb::write_polygon(&Polygon::new(LineString(pand.ring), Vec::new()));
            self.gpkg.insert_with_envelope(
                self.pand,
                Some(&wkb),
                Some(pand.bbox),
                &[
                    FieldValue::Text(&id),
                    FieldValue::Text(&see_also),
                    FieldValue::Integer(i64::from(pand.bouwjaar)),
                    FieldValue::Text(pand.status.as_str()),
                    usage.as_deref().into(),
                    pand_use.min.into(),
                    pand_use.max.into(),
                    FieldValue::Integer(pand_use.count),
                ],
            )?;
        }
        self.panden += uses.len() as u64;

        for u in &buurt.units {
            self.units += 1;
            let id = bag_id("01", self.units);
            let see_also = format!("{SEE_ALSO}/verblijfsobject/{id}");
            let nummeraanduiding = bag_id("20", self.units);
            let panden = match u.second_pand {
                Some(second) => format!("{},{}", pand_id(u.pand), pand_id(second)),
                None => pand_id(u.pand),
            };
            let (pand_status, bouwjaar) = statuses[u.pand as usize];
            let mut letter = [0u8; 4];
            let letter = u.huisletter.map(|c| &*c.encode_utf8(&mut letter));
            let postcode = std::str::from_utf8(&u.postcode).unwrap_or_default();
            let wkb = domain::wkb::write_point(&Point(u.location));
            let (x, y) = (u.location.x, u.location.y);
            self.gpkg.insert_with_envelope(
                self.vbo,
                Some(&wkb),
                Some([x, y, x, y]),
                &[
                    FieldValue::Text(&id),
                    FieldValue::Text(&see_also),
                    u.oppervlakte.into(),
                    FieldValue::Text(u.status.as_str()),
                    FieldValue::Text(u.usage.as_str()),
                    FieldValue::Text(&streets.names[u.street as usize]),
                    u.huisnummer.into(),
                    letter.into(),
                    u.toevoeging.into(),
                    FieldValue::Text(postcode),
                    FieldValue::Text(WOONPLAATS),
                    FieldValue::Integer(i64::from(bouwjaar)),
                    FieldValue::Text(&panden),
                    FieldValue::Text(pand_status.as_str()),
                    FieldValue::Text(&nummeraanduiding),
                ],
            )?;
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> Result<(), Error> {
        Ok(self.gpkg.finish()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_ids_have_16_digits_and_the_object_type() {
        assert_eq!(bag_id("10", 1), "1999100000000001");
        assert_eq!(bag_id("01", 9_999_999), "1999010009999999");
        assert_eq!(bag_id("20", 42).len(), 16);
    }
}
