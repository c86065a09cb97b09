//! Test fixtures built in code: small GeoPackages in the bag-light and CBS layouts (written with
//! plain SQL, so that tests can also write files no real producer would), and a store on a temp file.

#![allow(dead_code, reason = "each test binary uses part of the support module")]
#![allow(clippy::unwrap_used, reason = "fixtures fail the test loudly")]

use std::path::{Path, PathBuf};

use geo::{LineString, MultiPolygon, Point, Polygon};
use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};
use store::{Counts, SqliteStore, Store};

/// A GeoPackage being written.
pub struct GpkgFile {
    conn: Connection,
    pub path: PathBuf,
}

/// srs_id of OGC CRS84 as PDOK's WGS84 files declare it (organization `NONE`).
pub const CRS84_SRS_ID: i32 = 100_000;

impl GpkgFile {
    /// A new, empty GeoPackage with RD New, EPSG:4326, CRS84 and Web Mercator defined.
    pub fn create(path: &Path) -> Self {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(
            "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;
             CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
               organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
             CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
               description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
               min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
             CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
               srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name));
             INSERT INTO gpkg_spatial_ref_sys VALUES
               ('Undefined Cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),
               ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL),
               ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\"]', NULL),
               ('Amersfoort / RD New', 28992, 'EPSG', 28992, 'PROJCS[\"Amersfoort / RD New\"]', NULL),
               ('WGS 84 / Pseudo-Mercator', 3857, 'EPSG', 3857, 'PROJCS[\"WGS 84 / Pseudo-Mercator\"]', NULL),
               ('WGS 84 (CRS84)', 100000, 'NONE', 100000, 'GEOGCS[\"WGS 84 (CRS84)\"]', NULL);",
        )
        .unwrap();
        conn.execute_batch("BEGIN").unwrap();
        Self {
            conn,
            path: path.to_owned(),
        }
    }

    /// Adds a features layer with `columns` (name, declared type) after `fid` and `geom`.
    pub fn layer(&self, name: &str, geometry_type: &str, srs_id: i32, columns: &[(&str, &str)]) {
        let cols: Vec<String> = columns
            .iter()
            .map(|(n, t)| format!(", \"{n}\" {t}"))
            .collect();
        let cols = cols.concat();
        self.conn
            .execute_batch(&format!(
                "CREATE TABLE \"{name}\" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB{cols})"
            ))
            .unwrap();
        self.conn.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?1, 'features', ?1, ?2)", params![name, srs_id]).unwrap();
        self.conn
            .execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
                params![name, geometry_type, srs_id],
            )
            .unwrap();
    }

    /// Inserts a row: `geom` is WKB (wrapped in a GeoPackage header here), `values` follow the
    /// layer's columns in order.
    pub fn insert(&self, layer: &str, srs_id: i32, geom: Option<&[u8]>, values: Vec<Value>) {
        self.insert_blob(
            layer,
            geom.map(|wkb| ingest::encode_blob(srs_id, wkb, None)),
            values,
        );
    }

    /// Inserts a row with the geometry column holding exactly `blob`.
    pub fn insert_blob(&self, layer: &str, blob: Option<Vec<u8>>, values: Vec<Value>) {
        let marks: Vec<String> = (1..=values.len() + 1).map(|i| format!("?{i}")).collect();
        let names: Vec<String> = self
            .conn
            .prepare_cached(&format!(
                "SELECT name FROM pragma_table_info('{layer}') WHERE name != 'fid'"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let names: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
        let sql = format!(
            "INSERT INTO \"{layer}\" ({}) VALUES ({})",
            names.join(", "),
            marks.join(", ")
        );
        let blob = blob.map_or(Value::Null, Value::Blob);
        self.conn
            .prepare_cached(&sql)
            .unwrap()
            .execute(params_from_iter(std::iter::once(blob).chain(values)))
            .unwrap();
    }

    /// Commits and closes the file.
    pub fn finish(self) -> PathBuf {
        self.conn.execute_batch("COMMIT").unwrap();
        self.path
    }
}

/// Text value.
pub fn t(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// Integer value.
pub fn i(n: i64) -> Value {
    Value::Integer(n)
}

/// NULL.
pub fn null() -> Value {
    Value::Null
}

/// A square footprint of `size_m` metres centred on (x, y), as WKB.
pub fn square_wkb(x: f64, y: f64, size_m: f64) -> Vec<u8> {
    let h = size_m / 2.0;
    let ring = LineString::from(vec![
        (x - h, y - h),
        (x + h, y - h),
        (x + h, y + h),
        (x - h, y + h),
        (x - h, y - h),
    ]);
    domain::wkb::write_multi_polygon(&MultiPolygon(vec![Polygon::new(ring, vec![])]))
}

/// A point as WKB.
pub fn point_wkb(x: f64, y: f64) -> Vec<u8> {
    domain::wkb::write_point(&Point::new(x, y))
}

/// bag-light `pand` columns, in DESIGN §5's order.
pub const PAND_COLUMNS: [(&str, &str); 7] = [
    ("identificatie", "TEXT"),
    ("bouwjaar", "INTEGER"),
    ("status", "TEXT"),
    ("gebruiksdoel", "TEXT"),
    ("oppervlakte_min", "INTEGER"),
    ("oppervlakte_max", "INTEGER"),
    ("aantal_verblijfsobjecten", "INTEGER"),
];

/// bag-light `verblijfsobject` columns.
pub const VBO_COLUMNS: [(&str, &str); 12] = [
    ("identificatie", "TEXT"),
    ("oppervlakte", "INTEGER"),
    ("status", "TEXT"),
    ("gebruiksdoel", "TEXT"),
    ("openbare_ruimte_naam", "TEXT"),
    ("huisnummer", "INTEGER"),
    ("huisletter", "TEXT"),
    ("toevoeging", "TEXT"),
    ("postcode", "TEXT"),
    ("woonplaats_naam", "TEXT"),
    ("bouwjaar", "INTEGER"),
    ("pand_identificatie", "TEXT"),
];

/// The id of pand `n` in the fictional gemeente 9999.
pub fn pand_id(n: u64) -> String {
    format!("9999100000{n:06}")
}

/// The id of verblijfsobject `n`.
pub fn vbo_id(n: u64) -> String {
    format!("9999010000{n:06}")
}

/// A bag-light file with `panden` panden on a 20 m grid from RD (`x0`, `y0`), statuses cycling
/// through every BAG pand status, and one verblijfsobject in each of the first `addresses` panden.
pub fn bag_light(path: &Path, panden: u64, addresses: u64, x0: f64, y0: f64) -> PathBuf {
    let statuses = domain::BuildingStatus::ALL;
    bag_light_with(path, panden, addresses, x0, y0, |n| {
        statuses[n as usize % statuses.len()].as_str().to_owned()
    })
}

/// [`bag_light`] with the status of pand `n` given by `status`.
pub fn bag_light_with(
    path: &Path,
    panden: u64,
    addresses: u64,
    x0: f64,
    y0: f64,
    status: impl Fn(u64) -> String,
) -> PathBuf {
    let g = GpkgFile::create(path);
    g.layer("pand", "MULTIPOLYGON", 28992, &PAND_COLUMNS);
    g.layer("verblijfsobject", "POINT", 28992, &VBO_COLUMNS);
    for n in 0..panden {
        let (x, y) = grid(n, x0, y0);
        let status = status(n);
        let values = vec![
            t(&pand_id(n)),
            i(1900 + (n % 120) as i64),
            t(&status),
            t("woonfunctie"),
            i(50),
            i(90),
            i(1),
        ];
        g.insert("pand", 28992, Some(&square_wkb(x, y, 10.0)), values);
    }
    for n in 0..addresses.min(panden) {
        let (x, y) = grid(n, x0, y0);
        let values = vec![
            t(&vbo_id(n)),
            i(84),
            t("Verblijfsobject in gebruik"),
            t("woonfunctie"),
            t("Proefstraat"),
            i(n as i64 + 1),
            null(),
            null(),
            t("9999AA"),
            t("Wijkdorp"),
            i(1931),
            t(&pand_id(n)),
        ];
        g.insert(
            "verblijfsobject",
            28992,
            Some(&point_wkb(x + 1.0, y + 1.0)),
            values,
        );
    }
    g.finish()
}

/// Grid position of record `n`: 100 per row, 20 m apart.
pub fn grid(n: u64, x0: f64, y0: f64) -> (f64, f64) {
    (x0 + (n % 100) as f64 * 20.0, y0 + (n / 100) as f64 * 20.0)
}

/// A store on a temp file (kept alive by the returned dir).
pub fn temp_store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("wijkwerk.sqlite")).unwrap();
    (dir, store)
}

/// Everything a store holds, for before/after comparisons: counts, per-status counts, sources.
pub fn snapshot(store: &SqliteStore) -> (Counts, Vec<(String, u64)>, Vec<String>) {
    let sources = store
        .sources()
        .unwrap()
        .into_iter()
        .map(|s| format!("{} {:?}", s.info.key, s.counts))
        .collect();
    (
        store.counts().unwrap(),
        store.building_status_counts().unwrap(),
        sources,
    )
}

mod real_samples;
pub use real_samples::real_sample;

/// The real Ermelo CBS buurten file (17 buurten); `None` (the test is skipped) without the real
/// samples.
pub fn ermelo() -> Option<PathBuf> {
    real_sample("cbs-wijkenbuurten/ermelo_buurten_2021.gpkg")
}
