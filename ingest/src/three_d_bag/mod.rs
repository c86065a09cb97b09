//! 3DBAG (TU Delft / 3DGI): roof and height attributes per pand, from the CityJSONSeq the API and
//! downloads deliver (`cityjson.rs`) or the GeoPackage (`gpkg.rs`: layer `pand` joined with the
//! `lod22_2d` roof parts on `fid`).
//!
//! Kept per pand: `b3_dak_type`, `b3_opp_dak_plat`, `b3_opp_dak_schuin`, `b3_h_maaiveld`,
//! `b3_h_dak_70p`; per LoD2.2 roof part its facing (`b3_azimut`), slope (`b3_hellingshoek`) and
//! area. Keyed on the pand id (`NL.IMBAG.Pand.<16 digits>`). Panden not (yet) among the store's
//! buildings are kept too — 3DBAG comes in tiles, the BAG perhaps later — and counted in the
//! report.

mod cityjson;
mod gpkg;
mod surfaces;

use domain::{BagId, Building3d};
use store::ImportTx;

use crate::{ImportReport, Result};

pub(crate) use cityjson::{import as import_cityjson, looks_like as looks_like_cityjson};
pub(crate) use gpkg::{has_layers, import as import_gpkg};

/// The pand id in a 3DBAG identificatie: `NL.IMBAG.Pand.0503100000012869` (or the bare digits).
pub(crate) fn pand_id(text: &str) -> Option<BagId> {
    let t = text.trim();
    let digits = t.strip_prefix("NL.IMBAG.Pand.").unwrap_or(t);
    digits.parse().ok()
}

/// Writes panden, counting them (and those the store does not hold).
pub(crate) struct Writer<'a, 'tx> {
    tx: &'a mut (dyn ImportTx + 'tx),
    report: &'a mut ImportReport,
    known: Vec<u64>,
}

impl<'a, 'tx> Writer<'a, 'tx> {
    pub(crate) fn new(
        tx: &'a mut (dyn ImportTx + 'tx),
        report: &'a mut ImportReport,
    ) -> Result<Self> {
        let known = tx.building_ids()?;
        Ok(Self { tx, report, known })
    }

    pub(crate) fn put(&mut self, b: &Building3d) -> Result<()> {
        self.tx.put_building_3d(b)?;
        self.report.buildings_3d += 1;
        self.report.roof_parts += b.parts.len() as u64;
        if self.known.binary_search(&b.id.get()).is_err() {
            self.report.buildings_3d_unknown += 1;
        }
        Ok(())
    }

    pub(crate) fn report(&mut self) -> &mut ImportReport {
        self.report
    }
}

/// The roof type of `text`, or a warning and none.
pub(crate) fn roof_type(
    text: Option<&str>,
    report: &mut ImportReport,
    place: impl FnOnce() -> String,
) -> Option<domain::RoofType> {
    let text = text?;
    let t = domain::RoofType::from_3dbag(text);
    if t.is_none() {
        report.skip(format!(
            "{}: b3_dak_type {:?} is not one 3DBAG documents; left empty",
            place(),
            domain::excerpt(text)
        ));
    }
    t
}

#[cfg(test)]
mod tests {
    #[test]
    fn pand_ids_lose_their_prefix() {
        assert_eq!(
            super::pand_id("NL.IMBAG.Pand.0503100000012869").map(domain::BagId::get),
            Some(503_100_000_012_869)
        );
        assert!(super::pand_id("NL.IMBAG.Pand.0503100000012869-0").is_none());
        assert!(super::pand_id("0503100000012869").is_some());
    }
}
