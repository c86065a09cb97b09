//! Mapbox Vector Tile 2.1 encoding (protobuf written by hand: the schema is small and fixed, and
//! writing straight into one buffer avoids building message structs per feature).
//!
//! A tile is a sequence of `Layer` messages (field 3), so tiles of several layers are concatenations
//! of single-layer tiles: [`LayerBuilder::finish`] returns exactly such a message.

use rustc_hash::FxHashMap;

/// Geometry types of MVT features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeomType {
    /// Points.
    Point = 1,
    /// Lines.
    LineString = 2,
    /// Polygons.
    Polygon = 3,
}

/// A property value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Text.
    Str(&'a str),
    /// Non-negative integer.
    Uint(u64),
    /// Signed integer.
    Int(i64),
    /// Floating point.
    Double(f64),
    /// Boolean.
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ValueKey {
    Str(Box<str>),
    Uint(u64),
    Int(i64),
    Double(u64),
    Bool(bool),
}

impl From<&Value<'_>> for ValueKey {
    fn from(v: &Value<'_>) -> Self {
        match v {
            Value::Str(s) => Self::Str((*s).into()),
            Value::Uint(u) => Self::Uint(*u),
            Value::Int(i) => Self::Int(*i),
            Value::Double(d) => Self::Double(d.to_bits()),
            Value::Bool(b) => Self::Bool(*b),
        }
    }
}

#[inline]
fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline]
fn key(out: &mut Vec<u8>, field: u32, wire: u32) {
    varint(out, u64::from((field << 3) | wire));
}

/// Bytes [`varint`] writes for `v`.
#[inline]
fn varint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
}

/// Bytes [`bytes_field`] writes for `len` bytes of data, with a one-byte key (fields below 16).
#[inline]
fn bytes_field_len(len: usize) -> usize {
    1 + varint_len(len as u64) + len
}

fn bytes_field(out: &mut Vec<u8>, field: u32, data: &[u8]) {
    key(out, field, 2);
    varint(out, data.len() as u64);
    out.extend_from_slice(data);
}

#[inline]
fn zigzag(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

fn command(id: u32, count: usize) -> u32 {
    (id & 7) | ((count as u32) << 3)
}

/// Builds the geometry commands of one feature, packed as the varints they are sent as (every
/// command knows its count before its parameters, so nothing is packed twice).
#[derive(Debug, Default)]
pub struct GeometryWriter {
    packed: Vec<u8>,
    cursor: [i32; 2],
}

impl GeometryWriter {
    /// Clears for the next feature.
    pub fn clear(&mut self) {
        self.packed.clear();
        self.cursor = [0, 0];
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }

    #[inline]
    fn command(&mut self, id: u32, count: usize) {
        varint(&mut self.packed, u64::from(command(id, count)));
    }

    /// Adds one point (for point features; call once per point, or use [`points`](Self::points)).
    pub fn point(&mut self, p: [i32; 2]) {
        self.points(&[p]);
    }

    /// Adds a multi-point.
    pub fn points(&mut self, ps: &[[i32; 2]]) {
        if ps.is_empty() {
            return;
        }
        self.command(1, ps.len());
        for p in ps {
            self.delta(*p);
        }
    }

    #[inline]
    fn delta(&mut self, p: [i32; 2]) {
        let dx = zigzag(p[0].wrapping_sub(self.cursor[0]));
        let dy = zigzag(p[1].wrapping_sub(self.cursor[1]));
        // Most deltas of a footprint fit one byte each.
        if (dx | dy) < 0x80 {
            self.packed.extend_from_slice(&[dx as u8, dy as u8]);
        } else {
            varint(&mut self.packed, u64::from(dx));
            varint(&mut self.packed, u64::from(dy));
        }
        self.cursor = p;
    }

    /// Adds a closed ring (not repeating the first vertex), already oriented and with at least 3
    /// vertices.
    pub fn ring(&mut self, ring: &[[i32; 2]]) {
        debug_assert!(ring.len() >= 3);
        // MoveTo, LineTo and ClosePath headers plus two varints of up to 5 bytes per vertex.
        self.packed.reserve(3 + 10 * ring.len());
        self.command(1, 1);
        self.delta(ring[0]);
        self.command(2, ring.len() - 1);
        for p in &ring[1..] {
            self.delta(*p);
        }
        self.command(7, 1);
    }

    /// Adds an open line.
    pub fn line(&mut self, line: &[[i32; 2]]) {
        if line.len() < 2 {
            return;
        }
        self.command(1, 1);
        self.delta(line[0]);
        self.command(2, line.len() - 1);
        for p in &line[1..] {
            self.delta(*p);
        }
    }
}

/// Accumulates the features of one layer and encodes them.
#[derive(Debug)]
pub struct LayerBuilder {
    name: String,
    extent: u32,
    keys: Vec<String>,
    values: Vec<u8>,
    value_count: u32,
    value_lookup: FxHashMap<ValueKey, u32>,
    features: Vec<u8>,
    feature_count: usize,
    scratch: Vec<u8>,
    packed: Vec<u8>,
    /// Geometry of the feature being built.
    pub geometry: GeometryWriter,
}

impl LayerBuilder {
    /// A builder for layer `name` with tile `extent`.
    pub fn new(name: &str, extent: u32) -> Self {
        Self {
            name: name.to_owned(),
            extent,
            keys: Vec::new(),
            values: Vec::new(),
            value_count: 0,
            value_lookup: FxHashMap::default(),
            features: Vec::new(),
            feature_count: 0,
            scratch: Vec::new(),
            packed: Vec::new(),
            geometry: GeometryWriter::default(),
        }
    }

    /// Registers a key; returns its index. Register keys once, before adding features.
    pub fn key(&mut self, name: &str) -> u32 {
        if let Some(i) = self.keys.iter().position(|k| k == name) {
            return i as u32;
        }
        self.keys.push(name.to_owned());
        self.keys.len() as u32 - 1
    }

    /// Makes room for about `features` more features of `feature_bytes` each and `values` more
    /// values of `value_bytes` each, so that the buffers grow once instead of doubling (and
    /// copying) their way up.
    pub fn reserve(
        &mut self,
        features: usize,
        feature_bytes: usize,
        values: usize,
        value_bytes: usize,
    ) {
        self.features.reserve(features * feature_bytes);
        self.values.reserve(values * value_bytes);
    }

    /// Appends a value without looking for an equal one; callers that keep their own cache of
    /// indices (per attribute) use this to avoid hashing strings.
    pub fn push_value(&mut self, v: &Value<'_>) -> u32 {
        self.scratch.clear();
        match v {
            Value::Str(s) => {
                // Written in place: a value per feature (an id) is common.
                key(&mut self.values, 4, 2);
                varint(&mut self.values, bytes_field_len(s.len()) as u64);
                bytes_field(&mut self.values, 1, s.as_bytes());
                self.value_count += 1;
                return self.value_count - 1;
            }
            Value::Double(d) => {
                key(&mut self.scratch, 3, 1);
                self.scratch.extend_from_slice(&d.to_le_bytes());
            }
            Value::Int(i) if *i < 0 => {
                key(&mut self.scratch, 6, 0);
                varint(&mut self.scratch, ((i << 1) ^ (i >> 63)) as u64);
            }
            Value::Int(i) => {
                key(&mut self.scratch, 5, 0);
                varint(&mut self.scratch, *i as u64);
            }
            Value::Uint(u) => {
                key(&mut self.scratch, 5, 0);
                varint(&mut self.scratch, *u);
            }
            Value::Bool(b) => {
                key(&mut self.scratch, 7, 0);
                varint(&mut self.scratch, u64::from(*b));
            }
        }
        bytes_field(&mut self.values, 4, &self.scratch);
        self.value_count += 1;
        self.value_count - 1
    }

    /// Index of a value, adding it once.
    pub fn value(&mut self, v: &Value<'_>) -> u32 {
        let k = ValueKey::from(v);
        if let Some(&i) = self.value_lookup.get(&k) {
            return i;
        }
        let i = self.push_value(v);
        self.value_lookup.insert(k, i);
        i
    }

    /// Writes a feature with the geometry in [`geometry`](Self::geometry) and `tags` as
    /// (key index, value index) pairs, then clears the geometry. Features without geometry are
    /// dropped.
    pub fn feature(&mut self, id: Option<u64>, kind: GeomType, tags: &[(u32, u32)]) {
        if self.geometry.is_empty() {
            return;
        }
        // Pack tags and geometry, size the feature message, then write it straight into
        // `features` (no intermediate copy of the whole message).
        self.packed.clear();
        for &(k, v) in tags {
            varint(&mut self.packed, u64::from(k));
            varint(&mut self.packed, u64::from(v));
        }
        let id_len = id.map_or(0, |id| 1 + varint_len(id));
        let tags_len = if tags.is_empty() {
            0
        } else {
            bytes_field_len(self.packed.len())
        };
        let len = id_len + tags_len + 2 + bytes_field_len(self.geometry.packed.len());
        self.features.reserve(bytes_field_len(len));
        key(&mut self.features, 2, 2);
        varint(&mut self.features, len as u64);
        if let Some(id) = id {
            key(&mut self.features, 1, 0);
            varint(&mut self.features, id);
        }
        if !tags.is_empty() {
            bytes_field(&mut self.features, 2, &self.packed);
        }
        key(&mut self.features, 3, 0);
        varint(&mut self.features, kind as u64);
        bytes_field(&mut self.features, 4, &self.geometry.packed);
        self.feature_count += 1;
        self.geometry.clear();
    }

    /// Number of features written.
    pub fn len(&self) -> usize {
        self.feature_count
    }

    /// Whether no feature was written.
    pub fn is_empty(&self) -> bool {
        self.feature_count == 0
    }

    /// Encodes the layer as a tile of one layer (`Tile.layers` field), appended to `out`.
    /// Writes nothing for an empty layer.
    pub fn finish(self, out: &mut Vec<u8>) {
        if self.feature_count == 0 {
            return;
        }
        // Sized first and written straight into `out`: the features are copied once, and `out`
        // grows once.
        let len = 2
            + bytes_field_len(self.name.len())
            + self.features.len()
            + self
                .keys
                .iter()
                .map(|k| bytes_field_len(k.len()))
                .sum::<usize>()
            + self.values.len()
            + 1
            + varint_len(u64::from(self.extent));
        out.reserve(bytes_field_len(len));
        key(out, 3, 2);
        varint(out, len as u64);
        let start = out.len();
        key(out, 15, 0);
        varint(out, 2);
        bytes_field(out, 1, self.name.as_bytes());
        out.extend_from_slice(&self.features);
        for k in &self.keys {
            bytes_field(out, 3, k.as_bytes());
        }
        out.extend_from_slice(&self.values);
        key(out, 5, 0);
        varint(out, u64::from(self.extent));
        debug_assert_eq!(out.len() - start, len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_matches_the_spec() {
        assert_eq!(zigzag(0), 0);
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
        assert_eq!(zigzag(-2), 3);
    }

    #[test]
    fn the_spec_example_point_encodes_as_documented() {
        // MVT 2.1 spec §4.3.5.1: a point at (25, 17) is [9, 50, 34].
        let mut g = GeometryWriter::default();
        g.point([25, 17]);
        assert_eq!(g.packed, vec![9, 50, 34]);
    }

    #[test]
    fn varint_len_matches_varint() {
        for v in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = Vec::new();
            varint(&mut out, v);
            assert_eq!(varint_len(v), out.len(), "{v}");
        }
    }

    #[test]
    fn empty_layer_writes_nothing() {
        let mut out = Vec::new();
        LayerBuilder::new("x", 4096).finish(&mut out);
        assert!(out.is_empty());
    }
}
