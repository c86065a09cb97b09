//! Mapping between domain values and SQLite rows.

use domain::{
    Address, AddressStatus, Area, AreaCode, AreaRefs, BagId, Building, BuildingStatus, UsageSet,
    wkb,
};
use geo::Point;
use rusqlite::{Connection, Row, params};

use crate::{Error, Result};

pub(super) const SELECT_BUILDINGS: &str = "SELECT identificatie, bouwjaar, status, gebruiksdoel, units, \
     buurtcode, wijkcode, gemeentecode, footprint FROM building ORDER BY identificatie";

pub(super) const SELECT_ADDRESSES: &str = "SELECT identificatie, lon, lat, street, house_number, house_letter, \
     addition, postcode, place, status, gebruiksdoel, floor_area_m2, building_ids, buurtcode, wijkcode, \
     gemeentecode FROM address ORDER BY identificatie";

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

fn code(table: &'static str, id: i64, raw: Option<String>) -> Result<Option<AreaCode>> {
    raw.map(|c| c.parse().map_err(|e: domain::Error| corrupt(table, id, e)))
        .transpose()
}

fn refs(table: &'static str, id: i64, row: &Row<'_>, first: usize) -> Result<AreaRefs> {
    Ok(AreaRefs {
        buurt: code(table, id, row.get(first)?)?,
        wijk: code(table, id, row.get(first + 1)?)?,
        gemeente: code(table, id, row.get(first + 2)?)?,
    })
}

fn text_of(c: Option<AreaCode>) -> Option<String> {
    c.map(|c| c.to_string())
}

pub(super) fn building(row: &Row<'_>) -> Result<Building> {
    let raw: i64 = row.get(0)?;
    let id = bag_id("building", raw)?;
    let status: String = row.get(2)?;
    let usage: String = row.get(3)?;
    let blob: Vec<u8> = row.get(8)?;
    Ok(Building {
        id,
        bouwjaar: row.get(1)?,
        status: status
            .parse::<BuildingStatus>()
            .map_err(|e| corrupt("building", id, e))?,
        usage: usage
            .parse::<UsageSet>()
            .map_err(|e| corrupt("building", id, e))?,
        units: row.get(4)?,
        areas: refs("building", raw, row, 5)?,
        footprint_wgs84: wkb::read_multi_polygon(&blob).map_err(|e| corrupt("building", id, e))?,
    })
}

pub(super) fn address(row: &Row<'_>) -> Result<Address> {
    let raw: i64 = row.get(0)?;
    let id = bag_id("address", raw)?;
    let status: String = row.get(9)?;
    let usage: String = row.get(10)?;
    let buildings: String = row.get(12)?;
    let building_ids = buildings
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<BagId>().map_err(|e| corrupt("address", id, e)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Address {
        id,
        location_wgs84: Point::new(row.get(1)?, row.get(2)?),
        street: row.get(3)?,
        house_number: row.get(4)?,
        house_letter: row.get(5)?,
        addition: row.get(6)?,
        postcode: row.get(7)?,
        place: row.get(8)?,
        status: status
            .parse::<AddressStatus>()
            .map_err(|e| corrupt("address", id, e))?,
        usage: usage
            .parse::<UsageSet>()
            .map_err(|e| corrupt("address", id, e))?,
        floor_area_m2: row.get(11)?,
        building_ids,
        areas: refs("address", raw, row, 13)?,
    })
}

pub(super) fn all_areas(conn: &Connection) -> Result<Vec<Area>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, name, residents, households, share_65_plus, density, boundary FROM area \
         ORDER BY code",
    )?;
    let mut q = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = q.next()? {
        let code: String = row.get(0)?;
        let blob: Vec<u8> = row.get(6)?;
        out.push(Area {
            code: code
                .parse()
                .map_err(|e: domain::Error| corrupt("area", &code, e))?,
            name: row.get(1)?,
            residents: row.get(2)?,
            households: row.get(3)?,
            share_65_plus: row.get(4)?,
            density: row.get(5)?,
            boundary_wgs84: wkb::read_multi_polygon(&blob)
                .map_err(|e| corrupt("area", &code, e))?,
        });
    }
    Ok(out)
}

pub(super) fn put_building(conn: &Connection, source_id: i64, b: &Building) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO building (identificatie, source_id, bouwjaar, status, gebruiksdoel, units, \
         buurtcode, wijkcode, gemeentecode, footprint) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
         ON CONFLICT (identificatie) DO UPDATE SET source_id = excluded.source_id, bouwjaar = excluded.bouwjaar, \
         status = excluded.status, gebruiksdoel = excluded.gebruiksdoel, units = excluded.units, \
         buurtcode = excluded.buurtcode, wijkcode = excluded.wijkcode, gemeentecode = excluded.gemeentecode, \
         footprint = excluded.footprint",
    )?;
    stmt.execute(params![
        b.id.get() as i64,
        source_id,
        b.bouwjaar,
        b.status.as_str(),
        b.usage.to_string(),
        b.units,
        text_of(b.areas.buurt),
        text_of(b.areas.wijk),
        text_of(b.areas.gemeente),
        wkb::write_multi_polygon(&b.footprint_wgs84),
    ])?;
    Ok(())
}

pub(super) fn put_address(conn: &Connection, source_id: i64, a: &Address) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO address (identificatie, source_id, lon, lat, street, house_number, house_letter, \
         addition, postcode, place, status, gebruiksdoel, floor_area_m2, building_ids, buurtcode, wijkcode, \
         gemeentecode) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) \
         ON CONFLICT (identificatie) DO UPDATE SET source_id = excluded.source_id, lon = excluded.lon, \
         lat = excluded.lat, street = excluded.street, house_number = excluded.house_number, \
         house_letter = excluded.house_letter, addition = excluded.addition, postcode = excluded.postcode, \
         place = excluded.place, status = excluded.status, gebruiksdoel = excluded.gebruiksdoel, \
         floor_area_m2 = excluded.floor_area_m2, building_ids = excluded.building_ids, \
         buurtcode = excluded.buurtcode, wijkcode = excluded.wijkcode, gemeentecode = excluded.gemeentecode",
    )?;
    let building_ids = a
        .building_ids
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    stmt.execute(params![
        a.id.get() as i64,
        source_id,
        a.location_wgs84.x(),
        a.location_wgs84.y(),
        a.street,
        a.house_number,
        a.house_letter,
        a.addition,
        a.postcode,
        a.place,
        a.status.as_str(),
        a.usage.to_string(),
        a.floor_area_m2,
        building_ids,
        text_of(a.areas.buurt),
        text_of(a.areas.wijk),
        text_of(a.areas.gemeente),
    ])?;
    Ok(())
}

pub(super) fn put_area(conn: &Connection, source_id: i64, a: &Area) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO area (code, source_id, kind, name, residents, households, \
         share_65_plus, density, boundary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    stmt.execute(params![
        a.code.to_string(),
        source_id,
        a.code.kind().as_str(),
        a.name,
        a.residents,
        a.households,
        a.share_65_plus,
        a.density,
        wkb::write_multi_polygon(&a.boundary_wgs84),
    ])?;
    Ok(())
}

pub(super) fn rejoin(
    conn: &Connection,
    building_refs: &mut dyn FnMut(&Building) -> AreaRefs,
    address_refs: &mut dyn FnMut(&Address) -> AreaRefs,
) -> Result<u64> {
    let mut visited = 0;
    {
        let mut select = conn.prepare(SELECT_BUILDINGS)?;
        let mut update = conn.prepare(
            "UPDATE building SET buurtcode = ?2, wijkcode = ?3, gemeentecode = ?4 WHERE identificatie = ?1",
        )?;
        let mut q = select.query([])?;
        while let Some(row) = q.next()? {
            let b = building(row)?;
            let r = building_refs(&b);
            if r != b.areas {
                update.execute(params![
                    b.id.get() as i64,
                    text_of(r.buurt),
                    text_of(r.wijk),
                    text_of(r.gemeente)
                ])?;
            }
            visited += 1;
        }
    }
    let mut select = conn.prepare(SELECT_ADDRESSES)?;
    let mut update =
        conn.prepare("UPDATE address SET buurtcode = ?2, wijkcode = ?3, gemeentecode = ?4 WHERE identificatie = ?1")?;
    let mut q = select.query([])?;
    while let Some(row) = q.next()? {
        let a = address(row)?;
        let r = address_refs(&a);
        if r != a.areas {
            update.execute(params![
                a.id.get() as i64,
                text_of(r.buurt),
                text_of(r.wijk),
                text_of(r.gemeente)
            ])?;
        }
        visited += 1;
    }
    Ok(visited)
}
