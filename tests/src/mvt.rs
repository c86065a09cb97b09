//! A minimal reader of Mapbox Vector Tiles (spec 2.1) for the tests: layer names and feature ids,
//! enough to check what a tile holds without our own encoder's help. Values and geometry are
//! checked with independent decoders (Python's mapbox-vector-tile, GDAL, MapLibre).

/// The tile (x, y) holding lon/lat at zoom `z` (Web Mercator, XYZ).
pub fn tile_of(lon: f64, lat: f64, z: u32) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor();
    let r = lat.to_radians();
    let y = ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor();
    (x as u32, y as u32)
}

/// Reads a protobuf varint at `*i`.
fn varint(b: &[u8], i: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let byte = b[*i];
        *i += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return v;
        }
        shift += 7;
    }
}

/// The fields of a protobuf message: (field number, varint value, bytes of a length-delimited
/// field; empty otherwise).
fn fields(b: &[u8]) -> Vec<(u64, u64, &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let key = varint(b, &mut i);
        match key & 7 {
            0 => out.push((key >> 3, varint(b, &mut i), &b[0..0])),
            1 => i += 8,
            2 => {
                let n = varint(b, &mut i) as usize;
                out.push((key >> 3, 0, &b[i..i + n]));
                i += n;
            }
            5 => i += 4,
            w => panic!("unexpected protobuf wire type {w}"),
        }
    }
    out
}

/// The layers of an uncompressed tile (`Tile.layers` = 3, `Layer.name` = 1, `Layer.features` = 2,
/// `Feature.id` = 1) as (name, feature ids).
pub fn layers(tile: &[u8]) -> Vec<(String, Vec<u64>)> {
    fields(tile)
        .into_iter()
        .filter(|(n, _, _)| *n == 3)
        .map(|(_, _, layer)| {
            let mut name = String::new();
            let mut ids = Vec::new();
            for (n, _, bytes) in fields(layer) {
                match n {
                    1 => name = String::from_utf8_lossy(bytes).into_owned(),
                    2 => ids.extend(
                        fields(bytes)
                            .into_iter()
                            .filter(|(k, _, _)| *k == 1)
                            .map(|(_, v, _)| v),
                    ),
                    _ => {}
                }
            }
            (name, ids)
        })
        .collect()
}

/// Decodes a tile with Python's mapbox-vector-tile (an independent implementation) and returns its
/// JSON dump.
pub fn python_decode(tile: &[u8]) -> String {
    python_decode_all(&[tile.to_vec()]).remove(0).to_string()
}

/// Decodes tiles with Python's mapbox-vector-tile in one run: per tile, its layers by name.
pub fn python_decode_all(tiles: &[Vec<u8>]) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = crate::python();
    cmd.args([
        "-c",
        "import json,sys,mapbox_vector_tile as m\n\
         print(json.dumps([m.decode(open(f,'rb').read()) for f in sys.argv[1:]], sort_keys=True))",
    ]);
    for (i, t) in tiles.iter().enumerate() {
        let f = dir.path().join(format!("{i}.mvt"));
        std::fs::write(&f, t).expect("write a tile");
        cmd.arg(f);
    }
    let out = cmd
        .output()
        .expect("run Python (WIJKWERK_PYTHON, .venv or python3)");
    assert!(
        out.status.success(),
        "mapbox-vector-tile failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout).expect("mapbox-vector-tile's JSON") {
        serde_json::Value::Array(v) => v,
        other => panic!("mapbox-vector-tile gave {other}"),
    }
}

/// The names of the layers of an uncompressed tile, in order.
pub fn layer_names(tile: &[u8]) -> Vec<String> {
    layers(tile).into_iter().map(|(name, _)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mvt_reader_finds_layer_names_and_feature_ids() {
        // Tile { layers: [Layer { name: "a", features: [Feature { id: 300 }] }] }
        let feature = [0x08, 0xac, 0x02];
        let mut layer = vec![0x0a, 0x01, b'a', 0x12, feature.len() as u8];
        layer.extend_from_slice(&feature);
        let mut tile = vec![0x1a, layer.len() as u8];
        tile.extend_from_slice(&layer);
        assert_eq!(layers(&tile), [("a".to_owned(), vec![300])]);
    }
}
