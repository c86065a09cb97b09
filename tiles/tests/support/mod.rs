//! A small MVT decoder for tests: layers, features, tags and geometry commands.

#![allow(dead_code)]

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Str(String),
    Num(f64),
    Bool(bool),
}

#[derive(Debug, Default)]
pub struct Feature {
    pub id: Option<u64>,
    pub kind: u64,
    pub props: BTreeMap<String, Val>,
    pub geometry: Vec<u32>,
}

impl Feature {
    /// Rings (or point lists) as absolute coordinates.
    pub fn parts(&self) -> Vec<Vec<[i32; 2]>> {
        let (mut parts, mut cur, mut cursor) = (Vec::new(), Vec::new(), [0i32, 0i32]);
        let mut i = 0;
        while i < self.geometry.len() {
            let (id, count) = (self.geometry[i] & 7, self.geometry[i] >> 3);
            i += 1;
            if id == 7 {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            if id == 1 && !cur.is_empty() && self.kind != 1 {
                parts.push(std::mem::take(&mut cur));
            }
            for _ in 0..count {
                let dz = |v: u32| ((v >> 1) as i32) ^ -((v & 1) as i32);
                cursor = [
                    cursor[0] + dz(self.geometry[i]),
                    cursor[1] + dz(self.geometry[i + 1]),
                ];
                i += 2;
                cur.push(cursor);
            }
        }
        if !cur.is_empty() {
            parts.push(cur);
        }
        parts
    }
}

#[derive(Debug, Default)]
pub struct Layer {
    pub name: String,
    pub extent: u64,
    pub version: u64,
    pub features: Vec<Feature>,
}

struct R<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> R<'a> {
    fn varint(&mut self) -> u64 {
        let (mut v, mut s) = (0u64, 0);
        loop {
            let byte = self.b[self.p];
            self.p += 1;
            v |= u64::from(byte & 0x7f) << s;
            if byte < 0x80 {
                return v;
            }
            s += 7;
        }
    }
    fn bytes(&mut self) -> &'a [u8] {
        let n = self.varint() as usize;
        let out = &self.b[self.p..self.p + n];
        self.p += n;
        out
    }
    fn done(&self) -> bool {
        self.p >= self.b.len()
    }
    fn skip(&mut self, wire: u64) {
        match wire {
            0 => {
                self.varint();
            }
            1 => self.p += 8,
            2 => {
                self.bytes();
            }
            5 => self.p += 4,
            _ => panic!("bad wire type {wire}"),
        }
    }
}

fn packed(b: &[u8]) -> Vec<u32> {
    let mut r = R { b, p: 0 };
    let mut out = Vec::new();
    while !r.done() {
        out.push(r.varint() as u32);
    }
    out
}

fn value(b: &[u8]) -> Val {
    let mut r = R { b, p: 0 };
    let k = r.varint();
    match (k >> 3, k & 7) {
        (1, 2) => Val::Str(String::from_utf8(r.bytes().to_vec()).unwrap()),
        (3, 1) => Val::Num(f64::from_le_bytes(b[r.p..r.p + 8].try_into().unwrap())),
        (4 | 5, 0) => Val::Num(r.varint() as f64),
        (6, 0) => {
            let v = r.varint();
            Val::Num(((v >> 1) as i64 ^ -((v & 1) as i64)) as f64)
        }
        (7, 0) => Val::Bool(r.varint() != 0),
        other => panic!("unexpected value field {other:?}"),
    }
}

pub fn decode(tile: &[u8]) -> Vec<Layer> {
    let mut r = R { b: tile, p: 0 };
    let mut layers = Vec::new();
    while !r.done() {
        let k = r.varint();
        assert_eq!(k, (3 << 3) | 2, "tile holds only layers");
        let lb = r.bytes();
        let mut lr = R { b: lb, p: 0 };
        let (mut layer, mut keys, mut vals, mut raw) =
            (Layer::default(), Vec::new(), Vec::new(), Vec::new());
        while !lr.done() {
            let k = lr.varint();
            match (k >> 3, k & 7) {
                (15, 0) => layer.version = lr.varint(),
                (1, 2) => layer.name = String::from_utf8(lr.bytes().to_vec()).unwrap(),
                (2, 2) => raw.push(lr.bytes()),
                (3, 2) => keys.push(String::from_utf8(lr.bytes().to_vec()).unwrap()),
                (4, 2) => vals.push(value(lr.bytes())),
                (5, 0) => layer.extent = lr.varint(),
                (_, w) => lr.skip(w),
            }
        }
        for fb in raw {
            let mut fr = R { b: fb, p: 0 };
            let mut f = Feature::default();
            while !fr.done() {
                let k = fr.varint();
                match (k >> 3, k & 7) {
                    (1, 0) => f.id = Some(fr.varint()),
                    (2, 2) => {
                        let tags = packed(fr.bytes());
                        for kv in tags.chunks(2) {
                            f.props
                                .insert(keys[kv[0] as usize].clone(), vals[kv[1] as usize].clone());
                        }
                    }
                    (3, 0) => f.kind = fr.varint(),
                    (4, 2) => f.geometry = packed(fr.bytes()),
                    (_, w) => fr.skip(w),
                }
            }
            layer.features.push(f);
        }
        layers.push(layer);
    }
    layers
}
