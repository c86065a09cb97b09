//! The current version of a pand → [`domain::Building`].
//!
//! `bouwjaar` is `oorspronkelijkBouwjaar` as written (9999 = unknown), `status` the BAG text mapped
//! to [`BuildingStatus`] (a text BAG does not define is an error), the footprint the GML polygon
//! (interior rings kept) converted to WGS84. `units` and `usage` come from the verblijfsobjecten
//! read before (0 and empty without VBO parts); areas are joined later by the importer.

use domain::{AreaRefs, Building, BuildingStatus};

use super::address::UnitsPerPand;
use super::error::BagXmlError;
use super::object::Fields;
use crate::RdToWgs84;

/// Builds the building of a pand's current version.
pub(super) fn building(
    f: &Fields<'_>,
    units: &UnitsPerPand,
    rd: &RdToWgs84,
) -> Result<Building, BagXmlError> {
    let obj = f.obj;
    let id = f.id()?;
    let text = f.required("status", &obj.status)?;
    let status: BuildingStatus = text.parse().map_err(|_| BagXmlError::UnknownStatus {
        at: f.at.clone(),
        line: obj.line,
        object: obj.describe(),
        status: domain::excerpt(text),
    })?;
    let bouwjaar: u16 = f.parse("oorspronkelijkBouwjaar", &obj.bouwjaar)?;
    if let Some(reason) = obj.geometry.error() {
        return Err(f.geometry_error(reason));
    }
    let mut footprint = obj
        .geometry
        .multi_polygon()
        .map_err(|e| f.geometry_error(e))?;
    rd.geometry(&mut footprint)
        .map_err(|e| f.projection_error(e))?;
    let (count, usage) = units.get(id);
    Ok(Building {
        id,
        footprint_wgs84: footprint,
        bouwjaar,
        status,
        usage,
        units: count,
        areas: AreaRefs::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::error::BagXmlPart;
    use super::super::object::{ObjectKind, RawObject};
    use super::*;

    fn pand(status: &str) -> RawObject {
        let mut o = RawObject {
            kind: Some(ObjectKind::Pand),
            line: 3,
            ..RawObject::default()
        };
        o.id.extend_from_slice(b"0221100000312938");
        o.status.extend_from_slice(status.as_bytes());
        o.bouwjaar.extend_from_slice(b"1932");
        o.geometry.begin_polygon(Some(3));
        o.geometry.begin_ring(false);
        o.geometry.pos_list(
            b"155000 463000 0 155010 463000 0 155010 463010 0 155000 463000 0",
            None,
            Some(4),
        );
        o
    }

    #[test]
    fn pand_becomes_a_building_in_wgs84() {
        let rd = RdToWgs84::new().unwrap();
        let o = pand("Pand in gebruik");
        let at = BagXmlPart::file("p.xml");
        let b = building(&Fields { obj: &o, at: &at }, &UnitsPerPand::default(), &rd).unwrap();
        assert_eq!(b.status, BuildingStatus::InUse);
        assert_eq!(b.bouwjaar, 1932);
        assert_eq!(b.units, 0);
        let first = b.footprint_wgs84.0[0].exterior().0[0];
        assert!(
            (first.x - 5.387_204).abs() < 1e-5 && (first.y - 52.155_172).abs() < 1e-5,
            "{first:?}"
        );
    }

    #[test]
    fn unknown_status_names_file_and_object() {
        let rd = RdToWgs84::new().unwrap();
        let o = pand("Pand op de maan");
        let at = BagXmlPart {
            file: "x.zip".into(),
            entry: Some("0221PND-000001.xml".into()),
        };
        let err =
            building(&Fields { obj: &o, at: &at }, &UnitsPerPand::default(), &rd).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.zip!0221PND-000001.xml, line 3: Pand 0221100000312938: unknown status \"Pand op de maan\""
        );
    }
}
