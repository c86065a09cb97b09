//! Writing `wijkenbuurten.gpkg`: layers `buurten`, `wijken` and `gemeenten` with the CBS wijk- en
//! buurtkaart column names and types (MEDIUMINT counts and percentages, TEXT codes), one gemeente
//! whose wijken and buurten tile it exactly. The statistics come from `statistics`.

use std::path::Path;

use domain::AreaCode;
use geo::{LineString, MultiPolygon, Polygon};
use ingest::{ColumnType, FieldValue, GeoPackageWriter, GeometryKind, LayerSpec};

use crate::layout::Layout;
use crate::statistics::{AreaCounts, STAT_COLUMNS, stats};
use crate::{Error, GEMEENTECODE, GEMEENTENAAM};

/// The year of the statistics, in `jaarstatcode`.
const YEAR: u16 = 2024;
const M: ColumnType = ColumnType::MediumInt;

fn columns(leading: &[(&'static str, ColumnType)]) -> Vec<(&'static str, ColumnType)> {
    let mut all = leading.to_vec();
    all.extend_from_slice(&STAT_COLUMNS);
    all.push(("jaarstatcode", ColumnType::Text));
    all
}

fn multi_polygon(ring: Vec<geo::Coord<f64>>) -> (Vec<u8>, [f64; 4]) {
    let bbox = crate::footprint::bbox(&ring);
    let mp = MultiPolygon(vec![Polygon::new(LineString(ring), Vec::new())]);
    (domain::wkb::write_multi_polygon(&mp), bbox)
}

/// Writes the three layers; `buurten` holds the counts of each planned buurt, in plan order.
pub(crate) fn write(
    path: &Path,
    layout: &Layout,
    buurten: &[AreaCounts],
    last_change: &str,
) -> Result<(), Error> {
    let t = ColumnType::Text;
    let area = [
        ("indelingswijziging_wijken_en_buurten", M),
        ("water", t),
        ("meest_voorkomende_postcode", t),
        ("dekkingspercentage", M),
    ];
    let mut gpkg = GeoPackageWriter::create(path)?;
    gpkg.set_last_change(last_change);
    let buurt_ids = [
        ("buurtcode", t),
        ("buurtnaam", t),
        ("wijkcode", t),
        ("wijknaam", t),
        ("gemeentecode", t),
        ("gemeentenaam", t),
    ];
    let wijk_ids = [
        ("wijkcode", t),
        ("wijknaam", t),
        ("gemeentecode", t),
        ("gemeentenaam", t),
    ];
    let buurt_cols = columns(&[&buurt_ids[..], &area[..]].concat());
    let wijk_cols = columns(&[&wijk_ids[..], &area[..]].concat());
    let gemeente_cols = columns(&[("gemeentecode", t), ("gemeentenaam", t), ("water", t)]);
    let buurt_layer = gpkg.create_layer(&spec("buurten", &buurt_cols))?;
    let wijk_layer = gpkg.create_layer(&spec("wijken", &wijk_cols))?;
    let gemeente_layer = gpkg.create_layer(&spec("gemeenten", &gemeente_cols))?;

    let gm = format!("GM{GEMEENTECODE}");
    let mut wijk_counts = vec![AreaCounts::default(); layout.wijken.len()];
    let mut wijk_pc4: Vec<Vec<(u16, u64)>> = vec![Vec::new(); layout.wijken.len()];
    for (plan, counts) in layout.buurten.iter().zip(buurten) {
        let wijk = &layout.wijken[plan.wijk];
        wijk_counts[plan.wijk].add(counts);
        wijk_pc4[plan.wijk].push((plan.pc4, counts.addresses));
        let (wkb, bbox) =
            multi_polygon(layout.ring(&(plan.col..=plan.col), &(plan.row..=plan.row)));
        let code = format!("BU{GEMEENTECODE}{:02}{:02}", wijk.ww, plan.bb);
        let wijkcode = format!("WK{GEMEENTECODE}{:02}", wijk.ww);
        let wijknaam = format!("Wijk {:02} {}", wijk.ww, wijk.name);
        let pc4 = format!("{:04}", plan.pc4);
        let jaarstat = format!("{YEAR}{code}");
        debug_assert!(code.parse::<AreaCode>().is_ok());
        let mut row = vec![
            FieldValue::Text(&code),
            FieldValue::Text(&plan.name),
            FieldValue::Text(&wijkcode),
            FieldValue::Text(&wijknaam),
            FieldValue::Text(&gm),
            FieldValue::Text(GEMEENTENAAM),
            FieldValue::Integer(1),
            FieldValue::Text("NEE"),
            FieldValue::Text(&pc4),
            FieldValue::Integer(1),
        ];
        row.extend(stats(counts));
        row.push(FieldValue::Text(&jaarstat));
        gpkg.insert_with_envelope(buurt_layer, Some(&wkb), Some(bbox), &row)?;
    }

    let mut total = AreaCounts::default();
    for ((wijk, counts), pc4s) in layout.wijken.iter().zip(&wijk_counts).zip(&wijk_pc4) {
        total.add(counts);
        let (wkb, bbox) = multi_polygon(layout.ring(&wijk.cols, &wijk.rows));
        let code = format!("WK{GEMEENTECODE}{:02}", wijk.ww);
        let name = format!("Wijk {:02} {}", wijk.ww, wijk.name);
        let (pc4, coverage) = most_common_postcode(pc4s);
        let jaarstat = format!("{YEAR}{code}");
        let mut row = vec![
            FieldValue::Text(&code),
            FieldValue::Text(&name),
            FieldValue::Text(&gm),
            FieldValue::Text(GEMEENTENAAM),
            FieldValue::Integer(1),
            FieldValue::Text("NEE"),
            FieldValue::Text(&pc4),
            FieldValue::Integer(coverage),
        ];
        row.extend(stats(counts));
        row.push(FieldValue::Text(&jaarstat));
        gpkg.insert_with_envelope(wijk_layer, Some(&wkb), Some(bbox), &row)?;
    }

    let (wkb, bbox) = multi_polygon(layout.outline());
    let jaarstat = format!("{YEAR}{gm}");
    let mut row = vec![
        FieldValue::Text(&gm),
        FieldValue::Text(GEMEENTENAAM),
        FieldValue::Text("NEE"),
    ];
    row.extend(stats(&total));
    row.push(FieldValue::Text(&jaarstat));
    gpkg.insert_with_envelope(gemeente_layer, Some(&wkb), Some(bbox), &row)?;
    Ok(gpkg.finish()?)
}

fn spec<'a>(name: &'a str, columns: &'a [(&'a str, ColumnType)]) -> LayerSpec<'a> {
    LayerSpec {
        name,
        geometry: GeometryKind::MultiPolygon,
        srs_id: 28992,
        columns,
        description: "Fictional sample data in the layout of the CBS wijk- en buurtkaart",
    }
}

/// The postcode number with the most addresses, and CBS's coverage class of it
/// (1: ≥ 90 % of the addresses, 2: 80–90 %, … 6: < 50 %).
fn most_common_postcode(pc4s: &[(u16, u64)]) -> (String, i64) {
    let total: u64 = pc4s.iter().map(|p| p.1).sum();
    let best = pc4s
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .copied()
        .unwrap_or((0, 0));
    let share = if total == 0 {
        0.0
    } else {
        best.1 as f64 / total as f64
    };
    let class = match share {
        s if s >= 0.9 => 1,
        s if s >= 0.8 => 2,
        s if s >= 0.7 => 3,
        s if s >= 0.6 => 4,
        s if s >= 0.5 => 5,
        _ => 6,
    };
    (format!("{:04}", best.0), class)
}
