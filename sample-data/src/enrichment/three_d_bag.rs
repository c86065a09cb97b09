//! 3DBAG for the sample: a CityJSONSeq (`3dbag.city.jsonl`) and a GeoPackage (`3dbag.gpkg`) with
//! the same panden, attributes and LoD2.2 roof parts, as 3DBAG delivers them.
//!
//! In the CityJSONSeq each pand is one `CityJSONFeature`: a `Building` with the `b3_*` attributes
//! and one `BuildingPart` with an LoD2.2 `Solid` (ground, walls and roof surfaces; each roof part
//! its own `RoofSurface` semantic object with `b3_azimut` and `b3_hellingshoek`, as 3DBAG's
//! documentation has them). The GeoPackage has layer `pand` (the footprint and the pand's
//! attributes) and `lod22_2d` (each roof part projected, with `fid` referring to `pand`).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use geo::Coord;
use ingest::{ColumnType, FieldValue, GeoPackageWriter, GeometryKind, LayerId, LayerSpec};
use serde_json::{Value, json};

use super::roof::Roof;
use crate::Error;

const RD_NEW: i32 = 28992;
/// Millimetres, relative to the sample's origin.
const SCALE: f64 = 0.001;

const PAND_COLUMNS: &[(&str, ColumnType)] = &[
    ("identificatie", ColumnType::Text),
    ("status", ColumnType::Text),
    ("oorspronkelijkbouwjaar", ColumnType::Integer),
    ("b3_dak_type", ColumnType::Text),
    ("b3_h_maaiveld", ColumnType::Real),
    ("b3_opp_dak_plat", ColumnType::Real),
    ("b3_opp_dak_schuin", ColumnType::Real),
];

const PART_COLUMNS: &[(&str, ColumnType)] = &[
    ("fid", ColumnType::Integer),
    ("identificatie", ColumnType::Text),
    ("b3_dd_id", ColumnType::Integer),
    ("b3_azimut", ColumnType::Real),
    ("b3_hellingshoek", ColumnType::Real),
    ("b3_h_dak_70p", ColumnType::Real),
];

/// A pand as both files describe it.
pub(crate) struct Pand3d<'a> {
    pub(crate) id: &'a str,
    pub(crate) status: &'a str,
    pub(crate) bouwjaar: u16,
    pub(crate) ring: &'a [Coord<f64>],
    pub(crate) bbox: [f64; 4],
    pub(crate) roof: &'a Roof,
}

pub(crate) struct ThreeDBagWriter {
    jsonl: BufWriter<File>,
    jsonl_path: PathBuf,
    gpkg: GeoPackageWriter,
    pand: LayerId,
    parts: LayerId,
    origin: [f64; 2],
    written: u64,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Rounds to the millimetre.
fn mm(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

impl ThreeDBagWriter {
    pub(crate) fn create(dir: &Path, origin: [f64; 2], last_change: &str) -> Result<Self, Error> {
        let jsonl_path = dir.join(super::THREE_D_BAG_JSONL_FILE);
        let mut jsonl = BufWriter::new(File::create(&jsonl_path).map_err(io(&jsonl_path))?);
        let header = json!({
            "type": "CityJSON",
            "version": "2.0",
            "transform": { "scale": [SCALE, SCALE, SCALE], "translate": [origin[0], origin[1], 0.0] },
            "CityObjects": {},
            "vertices": [],
            "metadata": {
                "referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415",
                "title": "3DBAG (fictional sample data, wijkwerk sample-data generator)",
                "version": "sample"
            }
        });
        writeln!(jsonl, "{header}").map_err(io(&jsonl_path))?;
        let mut gpkg = GeoPackageWriter::create(&dir.join(super::THREE_D_BAG_GPKG_FILE))?;
        gpkg.set_last_change(last_change);
        let pand = gpkg.create_layer(&LayerSpec {
            name: "pand",
            geometry: GeometryKind::Polygon,
            srs_id: RD_NEW,
            columns: PAND_COLUMNS,
            description: "3DBAG panden (fictional sample data)",
        })?;
        let parts = gpkg.create_layer_keyed(
            &LayerSpec {
                name: "lod22_2d",
                geometry: GeometryKind::MultiPolygon,
                srs_id: RD_NEW,
                columns: PART_COLUMNS,
                description: "3DBAG LoD2.2 roof parts, projected (fictional sample data)",
            },
            "gid",
        )?;
        Ok(Self {
            jsonl,
            jsonl_path,
            gpkg,
            pand,
            parts,
            origin,
            written: 0,
        })
    }

    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    pub(crate) fn write(&mut self, p: &Pand3d<'_>) -> Result<(), Error> {
        let nl_id = format!("NL.IMBAG.Pand.{}", p.id);
        let r = p.roof;
        // 3DBAG writes areas to the centimetre² (two decimals) and heights to the millimetre.
        let flat = (r.flat_m2() * 100.0).round() / 100.0;
        let sloped = (r.sloped_m2() * 100.0).round() / 100.0;
        let h70 = mm(r.h70());
        let wkb = domain::wkb::write_polygon(&geo::Polygon::new(
            geo::LineString(p.ring.to_vec()),
            Vec::new(),
        ));
        let fid = self.gpkg.insert_with_envelope(
            self.pand,
            Some(&wkb),
            Some(p.bbox),
            &[
                FieldValue::Text(&nl_id),
                FieldValue::Text(p.status),
                FieldValue::Integer(i64::from(p.bouwjaar)),
                FieldValue::Text(r.roof_type()),
                FieldValue::Real(mm(r.ground)),
                FieldValue::Real(flat),
                FieldValue::Real(sloped),
            ],
        )?;
        for (i, part) in r.parts.iter().enumerate() {
            let wkb = domain::wkb::write_multi_polygon(&part.footprint);
            self.gpkg.insert(
                self.parts,
                Some(&wkb),
                &[
                    FieldValue::Integer(fid),
                    FieldValue::Text(&nl_id),
                    FieldValue::Integer(i as i64),
                    FieldValue::Real(part.azimuth_deg),
                    FieldValue::Real(part.slope_deg),
                    FieldValue::Real(mm(part.h70)),
                ],
            )?;
        }
        let line = self.feature(p, &nl_id, flat, sloped, h70);
        writeln!(self.jsonl, "{line}").map_err(io(&self.jsonl_path))?;
        self.written += 1;
        Ok(())
    }

    /// The pand as a CityJSONFeature.
    fn feature(&self, p: &Pand3d<'_>, nl_id: &str, flat: f64, sloped: f64, h70: f64) -> Value {
        let r = p.roof;
        let mut vertices: Vec<[i64; 3]> = Vec::new();
        let mut index: HashMap<[i64; 3], usize> = HashMap::new();
        let mut vertex = |v: [f64; 3]| -> usize {
            let q = [
                ((v[0] - self.origin[0]) / SCALE).round() as i64,
                ((v[1] - self.origin[1]) / SCALE).round() as i64,
                (v[2] / SCALE).round() as i64,
            ];
            *index.entry(q).or_insert_with(|| {
                vertices.push(q);
                vertices.len() - 1
            })
        };
        let mut ring: Vec<[f64; 2]> = p.ring.iter().map(|c| [c.x, c.y]).collect();
        if ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        // Semantic objects: 0 ground, 1 wall, 2.. one per roof part.
        let mut surfaces = vec![
            json!({ "type": "GroundSurface" }),
            json!({ "type": "WallSurface" }),
        ];
        let mut boundaries: Vec<Vec<Vec<usize>>> = Vec::new();
        let mut values: Vec<usize> = Vec::new();
        // The ground, seen from below: clockwise from above.
        boundaries.push(vec![
            ring.iter()
                .rev()
                .map(|q| vertex([q[0], q[1], r.ground]))
                .collect(),
        ]);
        values.push(0);
        for (i, a) in ring.iter().enumerate() {
            let b = ring[(i + 1) % ring.len()];
            let mut wall = vec![
                vertex([a[0], a[1], r.ground]),
                vertex([b[0], b[1], r.ground]),
            ];
            wall.push(vertex([b[0], b[1], r.height(b[0], b[1])]));
            if let Some(m) = r.ridge_crossing(*a, b) {
                wall.push(vertex([m[0], m[1], r.height(m[0], m[1])]));
            }
            wall.push(vertex([a[0], a[1], r.height(a[0], a[1])]));
            boundaries.push(vec![wall]);
            values.push(1);
        }
        for part in &r.parts {
            surfaces.push(json!({
                "type": "RoofSurface",
                "b3_azimut": part.azimuth_deg,
                "b3_hellingshoek": part.slope_deg,
                "b3_h_dak_70p": mm(part.h70),
            }));
            for polygon in &part.polygons {
                boundaries.push(
                    polygon
                        .iter()
                        .map(|ring| ring.iter().map(|&v| vertex(v)).collect())
                        .collect(),
                );
                values.push(surfaces.len() - 1);
            }
        }
        let part_id = format!("{nl_id}-0");
        let heights: Vec<f64> = r
            .parts
            .iter()
            .flat_map(|p| p.polygons.iter().flatten().flatten().map(|v| v[2]))
            .collect();
        let max = heights.iter().copied().fold(f64::MIN, f64::max);
        let min = heights.iter().copied().fold(f64::MAX, f64::min);
        let mut objects = serde_json::Map::new();
        objects.insert(
            nl_id.to_owned(),
            json!({
                    "type": "Building",
                    "attributes": {
                        "identificatie": nl_id,
                        "status": p.status,
                        "oorspronkelijkbouwjaar": p.bouwjaar,
                        "b3_dak_type": r.roof_type(),
                        "b3_h_maaiveld": mm(r.ground),
                        "b3_h_dak_70p": h70,
                        "b3_h_dak_max": mm(max),
                        "b3_h_dak_min": mm(min),
                        "b3_opp_dak_plat": flat,
                        "b3_opp_dak_schuin": sloped,
                    },
                    "children": [part_id],
                    "geometry": [],
            }),
        );
        objects.insert(
            part_id,
            json!({
                "type": "BuildingPart",
                "parents": [nl_id],
                "geometry": [{
                    "type": "Solid",
                    "lod": "2.2",
                    "boundaries": [boundaries],
                    "semantics": { "surfaces": surfaces, "values": [values] },
                }],
            }),
        );
        json!({
            "type": "CityJSONFeature",
            "id": nl_id,
            "CityObjects": objects,
            "vertices": vertices,
        })
    }

    pub(crate) fn finish(mut self) -> Result<(PathBuf, PathBuf), Error> {
        self.jsonl.flush().map_err(io(&self.jsonl_path))?;
        let gpkg = self.gpkg.path().to_path_buf();
        self.gpkg.finish()?;
        Ok((self.jsonl_path, gpkg))
    }
}
