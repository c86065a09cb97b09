//! Model rows as GeoJSON features (RFC 7946, WGS84), with the registers' own property names.

use domain::{AddressRow, AreaCode, AreaRow, BuildingRow, Model, WorldPoint, world_to_lonlat};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{Feature, Geometry, GeometryValue, JsonObject, feature::Id};
use serde_json::{Value, json};

/// Rounds degrees to 7 decimals (about a centimetre), the precision the model keeps.
fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

fn lonlat(p: WorldPoint) -> Coord<f64> {
    let (x, y) = world_to_lonlat(p);
    Coord {
        x: round7(x),
        y: round7(y),
    }
}

fn closed(ring: &[WorldPoint]) -> LineString<f64> {
    let mut coords: Vec<Coord<f64>> = ring.iter().map(|p| lonlat(*p)).collect();
    if let Some(&first) = coords.first() {
        coords.push(first);
    }
    LineString(coords)
}

/// Rings as the model keeps them (each exterior followed by its holes) → a WGS84 multipolygon.
/// The model's exteriors run clockwise with y pointing south, so in lon/lat they run
/// counter-clockwise, as RFC 7946 asks.
fn multipolygon<'a>(rings: impl Iterator<Item = (&'a [WorldPoint], bool)>) -> MultiPolygon<f64> {
    let mut polygons: Vec<Polygon<f64>> = Vec::new();
    for (ring, exterior) in rings {
        if exterior {
            polygons.push(Polygon::new(closed(ring), Vec::new()));
        } else if let Some(last) = polygons.last_mut() {
            last.interiors_push(closed(ring));
        }
    }
    MultiPolygon(polygons)
}

fn code_text(c: Option<AreaCode>) -> Value {
    c.map_or(Value::Null, |c| Value::from(c.to_string()))
}

fn area_name(model: &Model, c: Option<AreaCode>) -> Value {
    c.and_then(|c| model.area_name(c))
        .map_or(Value::Null, Value::from)
}

/// Gebruiksdoelen as BAG lists them, or null when none is registered.
fn usage_value(usage: domain::UsageSet) -> Value {
    if usage.is_empty() {
        Value::Null
    } else {
        usage.to_string().into()
    }
}

fn opt_str(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::from)
}

fn feature(id: String, geometry: GeometryValue, properties: JsonObject) -> Feature {
    Feature {
        bbox: None,
        geometry: Some(Geometry::new(geometry)),
        id: Some(Id::String(id)),
        properties: Some(properties),
        foreign_members: None,
    }
}

/// Properties of an address, bag-light names.
pub fn address_properties(model: &Model, a: &AddressRow<'_>) -> JsonObject {
    let areas = a.areas();
    let panden: Vec<String> = a
        .building_rows()
        .iter()
        .map(|&b| model.building(b).id().to_string())
        .collect();
    let usage = a.usage();
    let mut p = JsonObject::new();
    p.insert("identificatie".into(), a.id().to_string().into());
    p.insert("openbare_ruimte_naam".into(), a.street().into());
    p.insert("huisnummer".into(), a.house_number().into());
    p.insert("huisletter".into(), opt_str(a.house_letter()));
    p.insert("toevoeging".into(), opt_str(a.addition()));
    p.insert("postcode".into(), opt_str(a.postcode()));
    p.insert("woonplaats_naam".into(), a.place().into());
    p.insert("status".into(), a.status().as_str().into());
    p.insert("gebruiksdoel".into(), usage_value(usage));
    p.insert(
        "oppervlakte".into(),
        a.floor_area_m2().map_or(Value::Null, Value::from),
    );
    p.insert(
        "pand_identificatie".into(),
        if panden.is_empty() {
            Value::Null
        } else {
            panden.join(",").into()
        },
    );
    p.insert("buurtcode".into(), code_text(areas.buurt));
    p.insert("wijkcode".into(), code_text(areas.wijk));
    p.insert("gemeentecode".into(), code_text(areas.gemeente));
    // EP-Online's newest label (null without one, or without an EP-Online import).
    let label = a.energy_label();
    p.insert(
        "energieklasse".into(),
        label.map_or(Value::Null, |l| l.class.as_str().into()),
    );
    p.insert(
        "energieindex".into(),
        label
            .and_then(|l| l.energy_index)
            .map_or(Value::Null, Value::from),
    );
    p.insert(
        "energielabel_registratiedatum".into(),
        label.map_or(Value::Null, |l| l.registered.to_string().into()),
    );
    p
}

/// 3DBAG's roof and heights of a building under their `b3_` names (null without 3DBAG), and the
/// roof area wijkwerk counts as suitable for solar panels.
fn roof_properties(b: &BuildingRow<'_>, p: &mut JsonObject) {
    let roof = b.roof();
    let num = |f: fn(&domain::RoofFacts) -> Option<f64>| {
        roof.as_ref().and_then(f).map_or(Value::Null, Value::from)
    };
    p.insert(
        "b3_dak_type".into(),
        roof.and_then(|r| r.roof_type)
            .map_or(Value::Null, |t| t.as_str().into()),
    );
    p.insert("b3_opp_dak_plat".into(), num(|r| r.flat_m2));
    p.insert("b3_opp_dak_schuin".into(), num(|r| r.sloped_m2));
    p.insert("b3_h_maaiveld".into(), num(|r| r.ground_m));
    p.insert("b3_h_dak_70p".into(), num(|r| r.roof_70p_m));
    p.insert("opp_dak_geschikt_zon".into(), num(|r| Some(r.solar_m2)));
}

/// An address as a GeoJSON point feature.
pub fn address_feature(model: &Model, a: &AddressRow<'_>) -> Feature {
    let c = lonlat(a.point());
    feature(
        a.id().to_string(),
        GeometryValue::new_point([c.x, c.y]),
        address_properties(model, a),
    )
}

/// A building (pand) with its BAG facts, area codes and names, and its addresses.
pub fn building_feature(model: &Model, b: &BuildingRow<'_>) -> Feature {
    let areas = b.areas();
    let usage = b.usage();
    let adressen: Vec<Value> = b
        .address_rows()
        .iter()
        .map(|&a| Value::Object(address_properties(model, &model.address(a))))
        .collect();
    let mut p = JsonObject::new();
    p.insert("identificatie".into(), b.id().to_string().into());
    p.insert("bouwjaar".into(), b.bouwjaar().into());
    p.insert("status".into(), b.status().as_str().into());
    p.insert("gebruiksdoel".into(), usage_value(usage));
    p.insert("aantal_verblijfsobjecten".into(), b.units().into());
    p.insert("buurtcode".into(), code_text(areas.buurt));
    p.insert("buurtnaam".into(), area_name(model, areas.buurt));
    p.insert("wijkcode".into(), code_text(areas.wijk));
    p.insert("wijknaam".into(), area_name(model, areas.wijk));
    p.insert("gemeentecode".into(), code_text(areas.gemeente));
    p.insert("gemeentenaam".into(), area_name(model, areas.gemeente));
    roof_properties(b, &mut p);
    p.insert(
        "bouwjaar_klasse".into(),
        tiles::bouwjaar_class(b.bouwjaar()).into(),
    );
    p.insert("aantal_adressen".into(), adressen.len().into());
    p.insert("adressen".into(), Value::Array(adressen));
    let mp = multipolygon(b.rings().map(|r| (r.0, r.is_exterior())));
    feature(b.id().to_string(), GeometryValue::from(&mp), p)
}

/// A CBS area with the wijk- en buurtkaart's figures under their CBS names (null when unknown,
/// suppressed or out of range).
pub fn area_feature(model: &Model, a: &AreaRow<'_>) -> Feature {
    let code = a.code();
    let mut p = JsonObject::new();
    p.insert("code".into(), code.to_string().into());
    p.insert("kind".into(), code.kind().as_str().into());
    p.insert("naam".into(), a.name().into());
    p.insert(
        "wijkcode".into(),
        code_text(code.wijk().filter(|w| *w != code)),
    );
    p.insert(
        "gemeentecode".into(),
        code_text(Some(code.gemeente()).filter(|g| *g != code)),
    );
    p.insert(
        "gemeentenaam".into(),
        area_name(model, Some(code.gemeente())),
    );
    p.insert(
        "aantal_inwoners".into(),
        a.residents().map_or(Value::Null, Value::from),
    );
    p.insert(
        "aantal_huishoudens".into(),
        a.households().map_or(Value::Null, Value::from),
    );
    p.insert(
        "percentage_personen_65_jaar_en_ouder".into(),
        a.share_65_plus().map_or(Value::Null, Value::from),
    );
    p.insert(
        "bevolkingsdichtheid_inwoners_per_km2".into(),
        a.density().map_or(Value::Null, Value::from),
    );
    let label = lonlat(a.label_point());
    p.insert("label_point".into(), json!([label.x, label.y]));
    let mp = multipolygon(a.rings().map(|r| (r, domain::Ring(r).is_exterior())));
    feature(code.to_string(), GeometryValue::from(&mp), p)
}
