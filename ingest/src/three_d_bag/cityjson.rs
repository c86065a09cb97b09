//! 3DBAG as CityJSONSeq (`.city.jsonl`): a first line with the CityJSON header (transform,
//! metadata), then one `CityJSONFeature` per line: the Building (attributes `b3_*`) and its
//! BuildingParts (geometry in LoD 1.2, 1.3 and 2.2, with semantic surfaces).
//!
//! Each line is read under a length limit and parsed on its own; a bad line refuses the import
//! with the file and line number.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use domain::{Building3d, RoofPart};
use serde::Deserialize;
use serde_json::value::RawValue;
use store::ImportTx;

use super::surfaces::measure;
use super::{Writer, pand_id, roof_type};
use crate::lines::{LineError, Lines};
use crate::{Error, ImportReport, Progress, Result};

/// The longest line accepted: one building with all its LoDs (real ones are 3–300 KB).
const MAX_LINE: usize = 32 << 20;
/// The longest first line looked at when detecting.
const MAX_HEADER: usize = 1 << 20;
/// Characters of a parser message kept.
const MAX_MESSAGE: usize = 200;

#[derive(Deserialize)]
struct Header {
    #[serde(rename = "type")]
    kind: String,
    transform: Option<Transform>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize, Clone, Copy)]
struct Transform {
    scale: [f64; 3],
    translate: [f64; 3],
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(rename = "referenceSystem")]
    reference_system: Option<String>,
}

#[derive(Deserialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "CityObjects", borrow)]
    objects: HashMap<String, CityObject<'a>>,
    #[serde(default)]
    vertices: Vec<[f64; 3]>,
}

#[derive(Deserialize)]
struct CityObject<'a> {
    #[serde(rename = "type")]
    kind: String,
    attributes: Option<Attributes>,
    #[serde(default, borrow)]
    geometry: Vec<Geometry<'a>>,
    #[serde(default)]
    children: Vec<String>,
}

#[derive(Deserialize, Default)]
#[expect(
    clippy::struct_field_names,
    reason = "3DBAG's own attribute names, read by serde"
)]
struct Attributes {
    b3_dak_type: Option<String>,
    b3_opp_dak_plat: Option<f64>,
    b3_opp_dak_schuin: Option<f64>,
    b3_h_maaiveld: Option<f64>,
    b3_h_dak_70p: Option<f64>,
}

#[derive(Deserialize)]
struct Geometry<'a> {
    #[serde(rename = "type")]
    kind: String,
    lod: Option<serde_json::Value>,
    #[serde(borrow)]
    boundaries: &'a RawValue,
    #[serde(borrow)]
    semantics: Option<Semantics<'a>>,
}

#[derive(Deserialize)]
struct Semantics<'a> {
    surfaces: Vec<Surface>,
    #[serde(borrow)]
    values: &'a RawValue,
}

#[derive(Deserialize)]
struct Surface {
    #[serde(rename = "type")]
    kind: String,
    b3_azimut: Option<f64>,
    b3_hellingshoek: Option<f64>,
}

/// Whether the file at `path` starts with a CityJSON header line (a CityJSONSeq).
pub(crate) fn looks_like(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut lines = Lines::new(BufReader::new(file.take(MAX_HEADER as u64 + 2)), MAX_HEADER);
    match lines.next_line() {
        Ok(Some((_, _, line))) => {
            serde_json::from_slice::<Header>(line).is_ok_and(|h| h.kind == "CityJSON")
        }
        _ => false,
    }
}

fn cut(message: &str) -> String {
    match message.char_indices().nth(MAX_MESSAGE) {
        None => message.to_owned(),
        Some((end, _)) => format!("{}…", &message[..end]),
    }
}

/// Imports the CityJSONSeq at `path`.
pub(crate) fn import(
    path: &Path,
    tx: &mut dyn ImportTx,
    report: &mut ImportReport,
    progress: &dyn Progress,
) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    progress.phase("3DBAG", file.metadata().ok().map(|m| m.len()));
    let invalid = |line: u64, reason: String| Error::InvalidLine {
        path: path.to_owned(),
        entry: String::new(),
        line,
        reason,
    };
    let read_error = |e: LineError| match e {
        LineError::Io(source) => Error::Io {
            path: path.to_owned(),
            source,
        },
        LineError::TooLong { line, limit } => invalid(
            line,
            format!("the line is longer than {limit} bytes; no 3DBAG building is that large"),
        ),
    };
    let mut lines = Lines::new(BufReader::with_capacity(1 << 20, file), MAX_LINE);
    let (_, _, first) = lines
        .next_line()
        .map_err(read_error)?
        .ok_or_else(|| invalid(1, "the file is empty".into()))?;
    let header: Header = serde_json::from_slice(first)
        .map_err(|e| invalid(1, format!("not a CityJSON header: {}", cut(&e.to_string()))))?;
    if header.kind != "CityJSON" {
        return Err(invalid(
            1,
            format!(
                "type {:?} where CityJSON was expected",
                domain::excerpt(&header.kind)
            ),
        ));
    }
    if let Some(crs) = header.metadata.and_then(|m| m.reference_system)
        && !(crs.ends_with("/7415") || crs.ends_with("/28992") || crs.ends_with(":7415"))
    {
        return Err(Error::UnsupportedCrs {
            path: path.to_owned(),
            layer: "CityJSON header".into(),
            srs: domain::excerpt(&crs),
        });
    }
    let transform = header.transform.unwrap_or(Transform {
        scale: [1.0; 3],
        translate: [0.0; 3],
    });
    let mut writer = Writer::new(tx, report)?;
    let mut reported = 0;
    while let Some((number, bytes, line)) = lines.next_line().map_err(read_error)? {
        if line.trim_ascii().is_empty() {
            continue;
        }
        let feature: Feature<'_> = serde_json::from_slice(line).map_err(|e| {
            invalid(
                number,
                format!("not a CityJSONFeature: {}", cut(&e.to_string())),
            )
        })?;
        if feature.kind != "CityJSONFeature" {
            return Err(invalid(
                number,
                format!(
                    "type {:?} where CityJSONFeature was expected",
                    domain::excerpt(&feature.kind)
                ),
            ));
        }
        let vertices: Vec<[f64; 3]> = feature
            .vertices
            .iter()
            .map(|v| {
                [
                    v[0] * transform.scale[0] + transform.translate[0],
                    v[1] * transform.scale[1] + transform.translate[1],
                    v[2] * transform.scale[2] + transform.translate[2],
                ]
            })
            .collect();
        for (id, object) in &feature.objects {
            if object.kind != "Building" {
                continue;
            }
            let pand = pand_id(id).ok_or_else(|| {
                invalid(
                    number,
                    format!(
                        "Building {:?} is not NL.IMBAG.Pand.<16 digits>",
                        domain::excerpt(id)
                    ),
                )
            })?;
            let attributes = object.attributes.as_ref();
            let attr = |f: fn(&Attributes) -> Option<f64>| attributes.and_then(f);
            let mut parts = Vec::new();
            let children = object
                .children
                .iter()
                .filter_map(|c| feature.objects.get(c));
            for part in std::iter::once(object).chain(children) {
                roof_parts(part, &vertices, &mut parts)
                    .map_err(|reason| invalid(number, format!("{id}: {reason}")))?;
            }
            let dak_type = attributes.and_then(|a| a.b3_dak_type.as_deref());
            let building = Building3d {
                id: pand,
                roof_type: roof_type(dak_type, writer.report(), || {
                    format!("{}, line {number}", path.display())
                }),
                roof_flat_m2: attr(|a| a.b3_opp_dak_plat),
                roof_sloped_m2: attr(|a| a.b3_opp_dak_schuin),
                ground_m: attr(|a| a.b3_h_maaiveld),
                roof_70p_m: attr(|a| a.b3_h_dak_70p),
                parts,
            };
            writer.put(&building)?;
        }
        if bytes - reported >= 1 << 20 {
            progress.advance(bytes - reported);
            reported = bytes;
        }
    }
    progress.advance(lines.bytes() - reported);
    Ok(())
}

fn is_lod22(lod: Option<&serde_json::Value>) -> bool {
    match lod {
        Some(serde_json::Value::String(s)) => s == "2.2",
        Some(serde_json::Value::Number(n)) => n.as_f64().is_some_and(|v| (v - 2.2).abs() < 1e-9),
        _ => false,
    }
}

/// A surface: its rings of vertex indices and its semantic object.
type Polygon = (Vec<Vec<u32>>, Option<u32>);

/// The surfaces of a geometry, with their semantic indices.
fn polygons(g: &Geometry<'_>) -> Result<Vec<Polygon>, String> {
    let parse_err = |e: serde_json::Error| format!("LoD 2.2 {}: {}", g.kind, cut(&e.to_string()));
    let values = g.semantics.as_ref().map(|s| s.values.get());
    let mut out = Vec::new();
    match g.kind.as_str() {
        "MultiSurface" | "CompositeSurface" => {
            let b: Vec<Vec<Vec<u32>>> =
                serde_json::from_str(g.boundaries.get()).map_err(parse_err)?;
            let v: Vec<Option<u32>> = values
                .map(serde_json::from_str)
                .transpose()
                .map_err(parse_err)?
                .unwrap_or_default();
            for (i, rings) in b.into_iter().enumerate() {
                out.push((rings, v.get(i).copied().flatten()));
            }
        }
        "Solid" => {
            let b: Vec<Vec<Vec<Vec<u32>>>> =
                serde_json::from_str(g.boundaries.get()).map_err(parse_err)?;
            let v: Vec<Vec<Option<u32>>> = values
                .map(serde_json::from_str)
                .transpose()
                .map_err(parse_err)?
                .unwrap_or_default();
            for (s, shell) in b.into_iter().enumerate() {
                for (i, rings) in shell.into_iter().enumerate() {
                    out.push((rings, v.get(s).and_then(|v| v.get(i)).copied().flatten()));
                }
            }
        }
        "MultiSolid" | "CompositeSolid" => {
            let b: Vec<Vec<Vec<Vec<Vec<u32>>>>> =
                serde_json::from_str(g.boundaries.get()).map_err(parse_err)?;
            let v: Vec<Vec<Vec<Option<u32>>>> = values
                .map(serde_json::from_str)
                .transpose()
                .map_err(parse_err)?
                .unwrap_or_default();
            for (d, solid) in b.into_iter().enumerate() {
                for (s, shell) in solid.into_iter().enumerate() {
                    for (i, rings) in shell.into_iter().enumerate() {
                        let sem = v.get(d).and_then(|v| v.get(s)).and_then(|v| v.get(i));
                        out.push((rings, sem.copied().flatten()));
                    }
                }
            }
        }
        _ => {}
    }
    Ok(out)
}

/// Appends the LoD2.2 roof parts of `object`: one per RoofSurface object that carries 3DBAG's
/// `b3_azimut`/`b3_hellingshoek` (its polygons' areas summed), else one per roof polygon,
/// measured from its vertices.
fn roof_parts(
    object: &CityObject<'_>,
    vertices: &[[f64; 3]],
    parts: &mut Vec<RoofPart>,
) -> Result<(), String> {
    for g in object.geometry.iter().filter(|g| is_lod22(g.lod.as_ref())) {
        let Some(semantics) = &g.semantics else {
            continue;
        };
        let mut grouped: Vec<(u32, RoofPart)> = Vec::new();
        for (rings, sem) in polygons(g)? {
            let Some(surface) = sem.and_then(|s| semantics.surfaces.get(s as usize)) else {
                continue;
            };
            if surface.kind != "RoofSurface" {
                continue;
            }
            let coords = rings
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|&i| {
                            vertices.get(i as usize).copied().ok_or_else(|| {
                                format!(
                                    "vertex {i} of a roof surface is not among the {} vertices",
                                    vertices.len()
                                )
                            })
                        })
                        .collect::<Result<Vec<_>, String>>()
                })
                .collect::<Result<Vec<_>, String>>()?;
            let Some(m) = measure(&coords) else {
                continue;
            };
            let sem = sem.unwrap_or_default();
            if surface.b3_azimut.is_some() || surface.b3_hellingshoek.is_some() {
                match grouped.iter_mut().find(|(s, _)| *s == sem) {
                    Some((_, p)) => p.area_m2 += m.area_m2,
                    None => grouped.push((
                        sem,
                        RoofPart {
                            azimuth_deg: surface.b3_azimut,
                            slope_deg: surface.b3_hellingshoek,
                            area_m2: m.area_m2,
                        },
                    )),
                }
            } else {
                parts.push(RoofPart {
                    azimuth_deg: m.azimuth_deg,
                    slope_deg: Some(m.slope_deg),
                    area_m2: m.area_m2,
                });
            }
        }
        parts.extend(grouped.into_iter().map(|(_, p)| p));
    }
    Ok(())
}
