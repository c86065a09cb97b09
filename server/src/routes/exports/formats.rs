//! The export file formats: the columns of a row, CSV (the one CSV writer, `crate::csv_file`, with
//! its guard against spreadsheet formulas), GeoJSON (RFC 7946, a `FeatureCollection` of points) and GeoPackage (EPSG:4326 points,
//! written by `ingest`'s own writer). Reporter ids are never among the columns.

use serde_json::{Map, Value, json};
use store::Observation;
use store::people::ReporterContact;

use crate::auth::secret;
use crate::clock;
use crate::csv_file::{self, CsvFile};

/// The columns of every export, in order (`lon`/`lat` are the geometry in GeoJSON and GeoPackage).
/// `straat`, `huisnummer` (with its letter and addition, as on the door: `12A-2`), `postcode` and
/// `woonplaats` name the address a report is about — for a report about a building, the building's
/// first address — beside the BAG ids; they are empty for a spot in public space.
const COLUMNS: [&str; 19] = [
    "id",
    "type",
    "type_version",
    "status",
    "status_class",
    "observed_at",
    "created_at",
    "source",
    "pand",
    "verblijfsobject",
    "straat",
    "huisnummer",
    "postcode",
    "woonplaats",
    "buurt",
    "lon",
    "lat",
    "confirmations",
    "answers",
];
/// Added with `contact=true`.
const CONTACT_COLUMNS: [&str; 3] = ["name", "email", "phone"];

/// The address of an exported report, as the registers write it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct RowAddress {
    pub(super) street: String,
    /// The house number with its letter and addition: `12A-2`.
    pub(super) number: String,
    pub(super) postcode: Option<String>,
    pub(super) place: String,
}

/// One exported report.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) report: Observation,
    pub(super) status_class: String,
    /// The address it is about (see [`COLUMNS`]); `None` for a spot, or one not in the registers.
    pub(super) address: Option<RowAddress>,
    /// `Some` with `contact=true` (empty cells where the caller may not read the reporter).
    pub(super) contact: Option<ReporterContact>,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Int(i64),
    Real(f64),
    Text(String),
    Null,
}

impl Row {
    fn cells(&self, with_contact: bool) -> Vec<Cell> {
        let r = &self.report;
        let o = &r.observation;
        let text = |s: &str| Cell::Text(s.to_owned());
        let opt = |s: Option<String>| s.map_or(Cell::Null, Cell::Text);
        let mut cells = vec![
            Cell::Int(r.id),
            text(&o.kind),
            Cell::Int(i64::from(r.type_version)),
            text(r.status.as_str()),
            text(&self.status_class),
            text(&clock::rfc3339(o.observed_at)),
            text(&clock::rfc3339(r.created_at)),
            text(&o.source),
            opt(o.building_id.map(|b| format!("{b:016}"))),
            opt(o.address_id.map(|a| format!("{a:016}"))),
            opt(self.address.as_ref().map(|a| a.street.clone())),
            opt(self.address.as_ref().map(|a| a.number.clone())),
            opt(self.address.as_ref().and_then(|a| a.postcode.clone())),
            opt(self.address.as_ref().map(|a| a.place.clone())),
            opt(o.buurtcode.clone()),
            Cell::Real(o.lonlat[0]),
            Cell::Real(o.lonlat[1]),
            Cell::Int(i64::from(r.confirmations)),
            text(&o.answers),
        ];
        if with_contact {
            let c = self.contact.clone().unwrap_or_default();
            cells.extend([opt(c.name), opt(c.email), opt(c.phone)]);
        }
        cells
    }
}

/// The CSV through the one CSV writer ([`crate::csv_file`]: BOM, CRLF, RFC 4180 quoting); text
/// cells are defused against spreadsheet formulas, numbers are written as they are.
pub(super) fn to_csv(rows: &[Row], with_contact: bool) -> Result<Vec<u8>, csv::Error> {
    let mut header: Vec<&str> = COLUMNS.to_vec();
    if with_contact {
        header.extend(CONTACT_COLUMNS);
    }
    let mut csv = CsvFile::new(header)?;
    for row in rows {
        csv.record(row.cells(with_contact).into_iter().map(|c| match c {
            Cell::Int(v) => v.to_string(),
            Cell::Real(v) => v.to_string(),
            Cell::Text(s) => csv_file::defuse(&s).into_owned(),
            Cell::Null => String::new(),
        }))?;
    }
    csv.finish()
}

pub(super) fn to_geojson(rows: &[Row], with_contact: bool) -> Vec<u8> {
    let mut names: Vec<&str> = COLUMNS.to_vec();
    names.extend(CONTACT_COLUMNS);
    let features: Vec<Value> = rows
        .iter()
        .map(|row| {
            let mut props = Map::new();
            for (name, cell) in names.iter().zip(row.cells(with_contact)) {
                let v = match (*name, cell) {
                    ("lon" | "lat", _) => continue,
                    ("answers", Cell::Text(s)) => {
                        serde_json::from_str(&s).unwrap_or(Value::String(s))
                    }
                    (_, Cell::Int(v)) => json!(v),
                    (_, Cell::Real(v)) => json!(v),
                    (_, Cell::Text(s)) => Value::String(s),
                    (_, Cell::Null) => Value::Null,
                };
                props.insert((*name).to_owned(), v);
            }
            let o = &row.report.observation;
            json!({
                "type": "Feature",
                "id": row.report.id,
                "geometry": { "type": "Point", "coordinates": [o.lonlat[0], o.lonlat[1]] },
                "properties": props,
            })
        })
        .collect();
    serde_json::to_vec(&json!({ "type": "FeatureCollection", "features": features }))
        .unwrap_or_default()
}

/// The GeoPackage as bytes: written to a temp file by the ingest writer, read back, removed.
pub(super) fn to_gpkg(
    rows: &[Row],
    with_contact: bool,
    layer: &str,
) -> Result<Vec<u8>, ingest::GpkgError> {
    use ingest::{ColumnType as T, FieldValue, GeoPackageWriter, GeometryKind, LayerSpec};
    let types = [
        T::Integer,
        T::Text,
        T::Integer,
        T::Text,
        T::Text,
        T::DateTime,
        T::DateTime,
        T::Text,
        T::Text,
        T::Text,
        T::Text,
        T::Text,
        T::Text,
        T::Text,
        T::Text,
        T::Real,
        T::Real,
        T::Integer,
        T::Text,
    ];
    let mut columns: Vec<(&str, T)> = COLUMNS
        .iter()
        .zip(types)
        .filter(|(n, _)| !matches!(**n, "lon" | "lat"))
        .map(|(n, t)| (*n, t))
        .collect();
    if with_contact {
        columns.extend(CONTACT_COLUMNS.iter().map(|n| (*n, T::Text)));
    }
    let path = std::env::temp_dir().join(format!("wijkwerk-export-{}.gpkg", secret::token()));
    let result = (|| {
        let mut w = GeoPackageWriter::create(&path)?;
        let l = w.create_layer(&LayerSpec {
            name: layer,
            geometry: GeometryKind::Point,
            srs_id: 4326,
            columns: &columns,
            description: "wijkwerk reports (meldingen)",
        })?;
        for row in rows {
            let cells: Vec<Cell> = COLUMNS
                .iter()
                .chain(CONTACT_COLUMNS.iter())
                .zip(row.cells(with_contact))
                .filter(|(n, _)| !matches!(**n, "lon" | "lat"))
                .map(|(_, c)| c)
                .collect();
            let fields: Vec<FieldValue<'_>> = cells
                .iter()
                .map(|c| match c {
                    Cell::Int(v) => FieldValue::Integer(*v),
                    Cell::Real(v) => FieldValue::Real(*v),
                    Cell::Text(s) => FieldValue::Text(s),
                    Cell::Null => FieldValue::Null,
                })
                .collect();
            let o = &row.report.observation;
            let wkb = domain::wkb::write_point(&geo::Point::new(o.lonlat[0], o.lonlat[1]));
            w.insert(l, Some(&wkb), &fields)?;
        }
        w.finish()?;
        std::fs::read(&path).map_err(|source| ingest::GpkgError::Io {
            path: path.clone(),
            source,
        })
    })();
    let _ = std::fs::remove_file(&path);
    result
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use store::people::NewObservation;

    use super::*;

    fn row(id: i64, lon: f64, answers: &str, contact: Option<ReporterContact>) -> Row {
        Row {
            report: Observation {
                id,
                observation: NewObservation {
                    kind: "solar_panels".into(),
                    building_id: Some(1_999_100_000_000_001),
                    address_id: None,
                    lonlat: [lon, 52.1],
                    buurtcode: Some("BU19990100".into()),
                    observed_at: 1_780_000_000,
                    source: "resident".into(),
                    reporter_id: 42,
                    answers: answers.into(),
                },
                type_version: 1,
                tree_id: None,
                created_at: 1_780_000_100,
                updated_at: None,
                status: domain::observations::ObservationStatus::New,
                closed_at: None,
                pii_suspected: false,
                merged_into: None,
                split_from: None,
                confirmations: 2,
                flags: 0,
                photos: vec![],
                accountable: true,
            },
            status_class: "panels_seen".into(),
            address: Some(RowAddress {
                street: "Kerkstraat".into(),
                number: "12A-2".into(),
                postcode: Some("1999AB".into()),
                place: "Ons Dorp".into(),
            }),
            contact,
        }
    }

    #[test]
    fn csv_has_the_columns_numbers_raw_and_contact_only_when_asked() {
        let rows = [row(
            7,
            -0.5,
            r#"{"panels":"yes","note":"=cmd|' /C calc'!A0"}"#,
            None,
        )];
        let text = String::from_utf8(to_csv(&rows, false).unwrap()).unwrap();
        // The header as server/openapi.json documents it, written out, after a UTF-8 BOM.
        let header = "id,type,type_version,status,status_class,observed_at,created_at,source,\
                      pand,verblijfsobject,straat,huisnummer,postcode,woonplaats,buurt,lon,lat,\
                      confirmations,answers";
        assert!(text.starts_with('\u{feff}'), "{text}");
        let mut lines = text.trim_start_matches('\u{feff}').split("\r\n");
        assert_eq!(lines.next().unwrap(), header);
        let line = lines.next().unwrap();
        assert!(
            line.starts_with("7,solar_panels,1,new,panels_seen,2026-"),
            "{line}"
        );
        assert!(
            line.contains(
                ",1999100000000001,,Kerkstraat,12A-2,1999AB,Ons Dorp,BU19990100,-0.5,52.1,2,"
            ),
            "the address beside the ids; a negative lon stays a number: {line}"
        );
        let mut spot = row(9, 5.0, "{}", None);
        spot.address = None;
        let text = String::from_utf8(to_csv(&[spot], false).unwrap()).unwrap();
        assert!(
            text.contains(",1999100000000001,,,,,,BU19990100,"),
            "no address: empty cells: {text}"
        );
        assert!(
            line.ends_with(r#""{""panels"":""yes"",""note"":""=cmd|' /C calc'!A0""}""#),
            "{line}"
        );
        let contact = ReporterContact {
            name: Some("=Evil".into()),
            email: Some("a@b.nl".into()),
            phone: None,
        };
        let rows = [
            row(7, 5.0, "{}", Some(contact)),
            row(8, 5.0, "{}", Some(ReporterContact::default())),
        ];
        let text = String::from_utf8(to_csv(&rows, true).unwrap()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0].trim_start_matches('\u{feff}'),
            format!("{header},name,email,phone")
        );
        assert!(lines[1].ends_with(",{},'=Evil,a@b.nl,"), "{}", lines[1]);
        assert!(
            lines[2].ends_with(",{},,,"),
            "no consent: empty cells: {}",
            lines[2]
        );
        assert!(!text.contains("42"), "never the reporter id: {text}");
    }

    #[test]
    fn geojson_is_a_feature_collection_of_points() {
        let v: Value = serde_json::from_slice(&to_geojson(
            &[row(7, 5.25, r#"{"panels":"yes"}"#, None)],
            false,
        ))
        .unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        let f = &v["features"][0];
        assert_eq!(f["id"], 7);
        assert_eq!(
            f["geometry"],
            json!({"type": "Point", "coordinates": [5.25, 52.1]})
        );
        assert_eq!(f["properties"]["answers"]["panels"], "yes");
        assert_eq!(f["properties"]["pand"], "1999100000000001");
        assert_eq!(f["properties"]["verblijfsobject"], Value::Null);
        assert_eq!(f["properties"]["straat"], "Kerkstraat");
        assert_eq!(f["properties"]["huisnummer"], "12A-2");
        assert_eq!(f["properties"]["postcode"], "1999AB");
        assert_eq!(f["properties"]["woonplaats"], "Ons Dorp");
        assert!(f["properties"].get("lon").is_none() && f["properties"].get("name").is_none());
        let v: Value = serde_json::from_slice(&to_geojson(&[], true)).unwrap();
        assert_eq!(v["features"], json!([]));
    }

    #[test]
    fn geopackage_holds_wgs84_points_and_the_columns() {
        let contact = ReporterContact {
            name: Some("Ann".into()),
            ..Default::default()
        };
        let bytes = to_gpkg(&[row(7, 5.25, "{}", Some(contact))], true, "meldingen").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.gpkg");
        std::fs::write(&path, &bytes).unwrap();
        let g = ingest::GeoPackage::open(&path).unwrap();
        let info = g.layer("meldingen").unwrap().unwrap();
        assert_eq!((info.srs_id, info.geometry_type.as_str()), (4326, "POINT"));
        let names: Vec<&str> = info.columns.iter().map(|(n, _)| n.as_str()).collect();
        // The CSV's columns without lon/lat (the geometry), then the contact columns; read back
        // by the GeoPackage reader.
        assert_eq!(
            names,
            [
                "id",
                "type",
                "type_version",
                "status",
                "status_class",
                "observed_at",
                "created_at",
                "source",
                "pand",
                "verblijfsobject",
                "straat",
                "huisnummer",
                "postcode",
                "woonplaats",
                "buurt",
                "confirmations",
                "answers",
                "name",
                "email",
                "phone"
            ]
        );
        let mut seen = Vec::new();
        g.for_each_feature(
            "meldingen",
            &["id", "pand", "name", "phone", "straat"],
            &mut |f| {
                let point = domain::wkb::read_point(f.wkb()?.unwrap()).unwrap();
                seen.push((
                    f.int(0)?,
                    f.text(1)?,
                    f.text(2)?,
                    f.text(3)?,
                    f.text(4)?,
                    point.x(),
                    point.y(),
                ));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(
            seen,
            [(
                Some(7),
                Some("1999100000000001".into()),
                Some("Ann".into()),
                None,
                Some("Kerkstraat".into()),
                5.25,
                52.1
            )]
        );
        let leftovers = std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("wijkwerk-export-")
            })
            .count();
        assert_eq!(leftovers, 0, "the temp file is removed");
    }
}
