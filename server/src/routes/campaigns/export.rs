//! A campaign's results out of wijkwerk, for the wijkondernemer: per route (counts, no address),
//! or per address — only the outcomes the households consented to keeping, households that opted
//! out since left out, never a sensitive answer — as CSV (for a spreadsheet) or GeoPackage (for
//! QGIS).

use std::collections::HashMap;

use domain::access::Purpose;
use domain::{Model, WorldPoint};
use ingest::{ColumnType as T, FieldValue, GeoPackageWriter, GeometryKind, LayerSpec};
use store::{CampaignRow, KeptOutcome, TurfCounts, TurfRow};

use crate::auth::secret;
use crate::clock;
use crate::csv_file::{CsvFile, defuse};
use crate::error::{ApiError, ApiResult};

/// One exported row: its cells and where it lies.
struct Row {
    cells: Vec<Cell>,
    point: WorldPoint,
}

enum Cell {
    Int(i64),
    Text(String),
}

const TURF_COLUMNS: [&str; 11] = [
    "route",
    "buurt",
    "buurt_naam",
    "deuren",
    "bezocht",
    "gesproken",
    "niet_thuis",
    "geinteresseerd",
    "niet_geinteresseerd",
    "aangemeld",
    "niet_meer_aanbellen",
];

const ADDRESS_COLUMNS: [&str; 8] = [
    "adres",
    "postcode",
    "woonplaats",
    "route",
    "uitkomst",
    "antwoorden",
    "notitie",
    "datum",
];

fn turf_rows(model: &Model, turfs: &[(TurfRow, Vec<u64>)], counts: &TurfCounts) -> Vec<Row> {
    turfs
        .iter()
        .filter_map(|(t, doors)| {
            let points: Vec<WorldPoint> = doors
                .iter()
                .filter_map(|a| domain::BagId::new(*a).and_then(|b| model.find_address(b)))
                .map(|a| a.point())
                .collect();
            if points.is_empty() {
                return None;
            }
            let n = points.len() as i64;
            let centre = [
                (points.iter().map(|p| i64::from(p[0])).sum::<i64>() / n) as i32,
                (points.iter().map(|p| i64::from(p[1])).sum::<i64>() / n) as i32,
            ];
            let c = |o: &str| {
                counts
                    .get(&t.id)
                    .and_then(|m| m.get(o))
                    .copied()
                    .unwrap_or(0)
            };
            let talked = c("interested") + c("not_interested") + c("signed_up");
            let name = t
                .buurt
                .parse::<domain::AreaCode>()
                .ok()
                .and_then(|code| model.find_area(code))
                .map(|a| a.name().to_owned())
                .unwrap_or_default();
            Some(Row {
                cells: vec![
                    Cell::Int(t.number),
                    Cell::Text(t.buurt.clone()),
                    Cell::Text(name),
                    Cell::Int(t.doors),
                    Cell::Int(talked + c("not_home") + c("do_not_knock")),
                    Cell::Int(talked),
                    Cell::Int(c("not_home")),
                    Cell::Int(c("interested")),
                    Cell::Int(c("not_interested")),
                    Cell::Int(c("signed_up")),
                    Cell::Int(c("do_not_knock")),
                ],
                point: centre,
            })
        })
        .collect()
}

fn address_rows(
    model: &Model,
    opt_outs: &domain::privacy::OptOutRegister,
    kept: &[KeptOutcome],
    route_of: &HashMap<i64, i64>,
) -> Vec<Row> {
    kept.iter()
        .filter(|k| !opt_outs.excludes(k.address, Purpose::Export))
        .filter_map(|k| {
            let a = domain::BagId::new(k.address).and_then(|b| model.find_address(b))?;
            let answers: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&k.answers).unwrap_or_default();
            let answers = answers
                .iter()
                .map(|(q, v)| format!("{q}={}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("; ");
            Some(Row {
                cells: vec![
                    Cell::Text(a.street_line()),
                    Cell::Text(a.postcode().unwrap_or_default().to_owned()),
                    Cell::Text(a.place().to_owned()),
                    Cell::Int(route_of.get(&k.turf_id).copied().unwrap_or(0)),
                    Cell::Text(k.outcome.clone()),
                    Cell::Text(answers),
                    Cell::Text(k.note.clone()),
                    Cell::Text(clock::rfc3339(k.at)),
                ],
                point: a.point(),
            })
        })
        .collect()
}

/// The export as bytes: (content type, file extension, bytes).
#[allow(clippy::too_many_arguments)]
pub(super) fn export(
    model: &Model,
    opt_outs: &domain::privacy::OptOutRegister,
    row: &CampaignRow,
    turfs: &[(TurfRow, Vec<u64>)],
    counts: &TurfCounts,
    kept: &[KeptOutcome],
    per_address: bool,
    gpkg: bool,
) -> ApiResult<(&'static str, &'static str, Vec<u8>)> {
    let route_of: HashMap<i64, i64> = turfs.iter().map(|(t, _)| (t.id, t.number)).collect();
    let (columns, rows): (&[&str], Vec<Row>) = if per_address {
        (
            &ADDRESS_COLUMNS,
            address_rows(model, opt_outs, kept, &route_of),
        )
    } else {
        (&TURF_COLUMNS, turf_rows(model, turfs, counts))
    };
    if !gpkg {
        let mut f =
            CsvFile::new(columns.iter().copied()).map_err(|e| ApiError::Internal(e.to_string()))?;
        for r in &rows {
            let cells: Vec<String> = r
                .cells
                .iter()
                .map(|c| match c {
                    Cell::Int(v) => v.to_string(),
                    Cell::Text(s) => defuse(s).into_owned(),
                })
                .collect();
            f.record(cells)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
        }
        return Ok((
            "text/csv; charset=utf-8",
            "csv",
            f.finish().map_err(|e| ApiError::Internal(e.to_string()))?,
        ));
    }
    let kinds: &[T] = if per_address {
        &[
            T::Text,
            T::Text,
            T::Text,
            T::Integer,
            T::Text,
            T::Text,
            T::Text,
            T::Text,
        ]
    } else {
        &[
            T::Integer,
            T::Text,
            T::Text,
            T::Integer,
            T::Integer,
            T::Integer,
            T::Integer,
            T::Integer,
            T::Integer,
            T::Integer,
            T::Integer,
        ]
    };
    let types: Vec<(&str, T)> = columns.iter().copied().zip(kinds.iter().copied()).collect();
    let path = std::env::temp_dir().join(format!("wijkwerk-campaign-{}.gpkg", secret::token()));
    let layer = if per_address {
        "uitkomsten"
    } else {
        "looproutes"
    };
    let result = (|| {
        let mut w = GeoPackageWriter::create(&path)?;
        let l = w.create_layer(&LayerSpec {
            name: layer,
            geometry: GeometryKind::Point,
            srs_id: 4326,
            columns: &types,
            description: &format!("wijkwerk campaign {}: {}", row.id, row.spec.title),
        })?;
        for r in &rows {
            let fields: Vec<FieldValue<'_>> = r
                .cells
                .iter()
                .map(|c| match c {
                    Cell::Int(v) => FieldValue::Integer(*v),
                    Cell::Text(s) => FieldValue::Text(s),
                })
                .collect();
            let (lon, lat) = domain::world_to_lonlat(r.point);
            let wkb = domain::wkb::write_point(&geo::Point::new(lon, lat));
            w.insert(l, Some(&wkb), &fields)?;
        }
        w.finish()?;
        std::fs::read(&path).map_err(|source| ingest::GpkgError::Io {
            path: path.clone(),
            source,
        })
    })();
    let _ = std::fs::remove_file(&path);
    let bytes = result.map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(("application/geopackage+sqlite3", "gpkg", bytes))
}
