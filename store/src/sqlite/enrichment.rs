//! Enrichment rows: 3DBAG per pand with its roof parts, energy labels, trees (migration 0004).

use domain::{
    AddressId, BagId, Building3d, EnergyClass, EnergyLabel, LabelDate, RoofPart, RoofType, Tree,
    TreeId,
};
use geo::Point;
use rusqlite::{Connection, params};

use crate::{Error, Result};

fn corrupt(
    table: &'static str,
    id: impl std::fmt::Display,
    reason: impl std::fmt::Display,
) -> Error {
    Error::CorruptRow {
        table,
        id: id.to_string(),
        reason: reason.to_string(),
    }
}

fn bag_id(table: &'static str, raw: i64) -> Result<BagId> {
    u64::try_from(raw)
        .ok()
        .and_then(BagId::new)
        .ok_or_else(|| corrupt(table, raw, "identificatie out of range"))
}

/// Deletes the roof parts of the panden `source_id` brought (before its rows are replaced).
pub(super) fn delete_roof_parts(conn: &Connection, source_id: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM roof_part WHERE identificatie IN \
         (SELECT identificatie FROM building_3d WHERE source_id = ?1)",
        [source_id],
    )?;
    Ok(())
}

pub(super) fn put_building_3d(conn: &Connection, source_id: i64, b: &Building3d) -> Result<()> {
    let id = b.id.get() as i64;
    conn.prepare_cached(
        "INSERT INTO building_3d (identificatie, source_id, b3_dak_type, b3_opp_dak_plat, \
         b3_opp_dak_schuin, b3_h_maaiveld, b3_h_dak_70p) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (identificatie) DO UPDATE SET source_id = excluded.source_id, \
         b3_dak_type = excluded.b3_dak_type, b3_opp_dak_plat = excluded.b3_opp_dak_plat, \
         b3_opp_dak_schuin = excluded.b3_opp_dak_schuin, b3_h_maaiveld = excluded.b3_h_maaiveld, \
         b3_h_dak_70p = excluded.b3_h_dak_70p",
    )?
    .execute(params![
        id,
        source_id,
        b.roof_type.map(RoofType::as_str),
        b.roof_flat_m2,
        b.roof_sloped_m2,
        b.ground_m,
        b.roof_70p_m,
    ])?;
    // Parts another source (a neighbouring 3DBAG tile) brought for the same pand are replaced.
    conn.prepare_cached("DELETE FROM roof_part WHERE identificatie = ?1")?
        .execute([id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO roof_part (identificatie, part, b3_azimut, b3_hellingshoek, area_m2) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, p) in b.parts.iter().enumerate() {
        insert.execute(params![id, i as i64, p.azimuth_deg, p.slope_deg, p.area_m2])?;
    }
    Ok(())
}

pub(super) fn for_each_building_3d(conn: &Connection, f: &mut dyn FnMut(Building3d)) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT b.identificatie, b.b3_dak_type, b.b3_opp_dak_plat, b.b3_opp_dak_schuin, \
         b.b3_h_maaiveld, b.b3_h_dak_70p, p.b3_azimut, p.b3_hellingshoek, p.area_m2 \
         FROM building_3d b LEFT JOIN roof_part p ON p.identificatie = b.identificatie \
         ORDER BY b.identificatie, p.part",
    )?;
    let mut q = stmt.query([])?;
    let mut current: Option<Building3d> = None;
    while let Some(row) = q.next()? {
        let raw: i64 = row.get(0)?;
        let id = bag_id("building_3d", raw)?;
        if let Some(done) = current.take_if(|c| c.id != id) {
            f(done);
        }
        let b = if let Some(b) = current.as_mut() {
            b
        } else {
            let roof_type: Option<String> = row.get(1)?;
            current.insert(Building3d {
                id,
                roof_type: roof_type
                    .map(|t| {
                        RoofType::from_3dbag(&t)
                            .ok_or_else(|| corrupt("building_3d", id, format!("b3_dak_type {t:?}")))
                    })
                    .transpose()?,
                roof_flat_m2: row.get(2)?,
                roof_sloped_m2: row.get(3)?,
                ground_m: row.get(4)?,
                roof_70p_m: row.get(5)?,
                parts: Vec::new(),
            })
        };
        if let Some(area_m2) = row.get::<_, Option<f64>>(8)? {
            b.parts.push(RoofPart {
                azimuth_deg: row.get(6)?,
                slope_deg: row.get(7)?,
                area_m2,
            });
        }
    }
    if let Some(b) = current {
        f(b);
    }
    Ok(())
}

pub(super) fn put_energy_label(conn: &Connection, source_id: i64, l: &EnergyLabel) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO energy_label (identificatie, source_id, pand_identificatie, \
         energieklasse, registratiedatum, gebouwklasse, gebouwtype, energieindex) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        l.address.get() as i64,
        source_id,
        l.building.map(|b| b.get() as i64),
        l.class.as_str(),
        l.registered.to_string(),
        l.building_class.map(String::from),
        l.building_type,
        l.energy_index,
    ])?;
    Ok(())
}

pub(super) fn for_each_energy_label(
    conn: &Connection,
    f: &mut dyn FnMut(EnergyLabel),
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT identificatie, pand_identificatie, energieklasse, registratiedatum, gebouwklasse, \
         gebouwtype, energieindex FROM energy_label ORDER BY identificatie",
    )?;
    let mut q = stmt.query([])?;
    while let Some(row) = q.next()? {
        let raw: i64 = row.get(0)?;
        let address: AddressId = bag_id("energy_label", raw)?;
        let building: Option<i64> = row.get(1)?;
        let class: String = row.get(2)?;
        let date: String = row.get(3)?;
        let building_class: Option<String> = row.get(4)?;
        f(EnergyLabel {
            address,
            building: building.map(|b| bag_id("energy_label", b)).transpose()?,
            class: class
                .parse::<EnergyClass>()
                .map_err(|e| corrupt("energy_label", address, e))?,
            registered: LabelDate::parse(date.as_bytes())
                .ok_or_else(|| corrupt("energy_label", address, format!("date {date:?}")))?,
            building_class: building_class.and_then(|c| c.chars().next()),
            building_type: row.get(5)?,
            energy_index: row.get(6)?,
        });
    }
    Ok(())
}

pub(super) fn put_tree(conn: &Connection, source_id: i64, t: &Tree) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO tree (id, source_id, number, species, planting_year, lon, lat) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        t.id.get() as i64,
        source_id,
        t.number,
        t.species,
        t.planting_year,
        t.location_wgs84.x(),
        t.location_wgs84.y(),
    ])?;
    Ok(())
}

pub(super) fn for_each_tree(conn: &Connection, f: &mut dyn FnMut(Tree)) -> Result<()> {
    let mut stmt =
        conn.prepare("SELECT id, number, species, planting_year, lon, lat FROM tree ORDER BY id")?;
    let mut q = stmt.query([])?;
    while let Some(row) = q.next()? {
        let id: i64 = row.get(0)?;
        f(Tree {
            id: TreeId(id as u64),
            number: row.get(1)?,
            species: row.get(2)?,
            planting_year: row.get(3)?,
            location_wgs84: Point::new(row.get(4)?, row.get(5)?),
        });
    }
    Ok(())
}

fn ids(conn: &Connection, sql: &str) -> Result<Vec<u64>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
    let mut out = Vec::new();
    for id in rows {
        out.push(id? as u64);
    }
    Ok(out)
}

pub(super) fn address_ids(conn: &Connection) -> Result<Vec<u64>> {
    ids(
        conn,
        "SELECT identificatie FROM address ORDER BY identificatie",
    )
}

pub(super) fn building_ids(conn: &Connection) -> Result<Vec<u64>> {
    ids(
        conn,
        "SELECT identificatie FROM building ORDER BY identificatie",
    )
}
