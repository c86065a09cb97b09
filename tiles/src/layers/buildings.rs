//! `buildings`: BAG panden. Footprints from z14; below, buildings merge into blocks coloured by era.

use domain::{Model, WorldPoint};
use rustc_hash::FxHashMap;

use super::{BUFFER, Draw, EXTENT, Field, Layer, LayerMeta};
use crate::clip::ClipRect;
use crate::encode::{GeomType, LayerBuilder, Value};
use crate::polygon::{PolygonWriter, RingOptions};
use crate::{TileCoord, TileTransform};

/// From this zoom on, buildings are drawn one by one.
pub const BUILDING_FOOTPRINT_MIN_ZOOM: u8 = 15;
/// Below this zoom there are no buildings at all (a town is a few pixels).
const MIN_ZOOM: u8 = 10;

/// The bouwjaar classes of the map legend, as (first year of the class, label). The last class holds
/// everything from its year on; 9999 (unknown) is its own class.
pub const BOUWJAAR_CLASSES: [u16; 6] = [0, 1920, 1946, 1971, 1991, 2011];

/// The legend class of a bouwjaar: 0..=5 per [`BOUWJAAR_CLASSES`], 6 for unknown (9999).
pub fn bouwjaar_class(bouwjaar: u16) -> u8 {
    if bouwjaar == domain::UNKNOWN_BOUWJAAR {
        return 6;
    }
    BOUWJAAR_CLASSES
        .iter()
        .rposition(|&start| bouwjaar >= start)
        .unwrap_or(0) as u8
}

/// The `buildings` layer.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildingsLayer;

const FIELDS: &[Field] = &[
    Field {
        name: "identificatie",
        description: "String: BAG pand identificatie, 16 digits (also the feature id, as a number)",
    },
    Field {
        name: "bouwjaar",
        description: "Number: construction year as BAG registers it (9999 = unknown); on blocks (z10-14) the mean known year",
    },
    Field {
        name: "bouwjaar_klasse",
        description: "Number: the legend's bouwjaar class, 0 (< 1920), 1 (1920-1945), 2 (1946-1970), 3 (1971-1990), 4 (1991-2010), 5 (>= 2011), 6 (unknown); on blocks the class of the mean year (a style needs only a match on it)",
    },
    Field {
        name: "status",
        description: "String: BAG status, e.g. 'Pand in gebruik'",
    },
    Field {
        name: "gebruiksdoel",
        description: "String: gebruiksdoelen of its verblijfsobjecten, comma separated",
    },
    Field {
        name: "aantal_verblijfsobjecten",
        description: "Number: verblijfsobjecten in the pand",
    },
    Field {
        name: "buurtcode",
        description: "String: CBS buurt code (BUggggwwbb)",
    },
    Field {
        name: "kind",
        description: "String: 'block' for merged buildings at z10-14",
    },
    Field {
        name: "count",
        description: "Number: buildings merged into a block (z10-14)",
    },
];

const META: LayerMeta = LayerMeta {
    name: "buildings",
    aliases: &[],
    description: "BAG panden that stand or are being built; blocks of buildings below z15",
    min_zoom: MIN_ZOOM,
    max_zoom: 16,
    fields: FIELDS,
};

impl Layer for BuildingsLayer {
    fn meta(&self) -> &'static LayerMeta {
        &META
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        let (model, tile) = (draw.sources.model, draw.tile);
        if tile.z() < MIN_ZOOM {
            return;
        }
        if tile.z() < BUILDING_FOOTPRINT_MIN_ZOOM {
            render_blocks(model, tile, out);
        } else {
            render_footprints(model, tile, out);
        }
    }
}

/// Per-attribute caches of value indices, so a tile hashes no strings per feature.
#[derive(Default)]
struct ValueCache {
    /// Per bouwjaar: its value and its class's.
    bouwjaar: FxHashMap<u16, [u32; 2]>,
    class: [Option<u32>; 8],
    status: [Option<u32>; 16],
    usage: FxHashMap<u16, u32>,
    units: FxHashMap<u32, u32>,
    buurt: FxHashMap<domain::AreaCode, u32>,
}

/// Interleaves the bits of two 16-bit numbers (Z-order), for a spatial order of features.
fn morton(x: u32, y: u32) -> u32 {
    fn spread(mut v: u32) -> u32 {
        v &= 0xffff;
        v = (v | (v << 8)) & 0x00ff_00ff;
        v = (v | (v << 4)) & 0x0f0f_0f0f;
        v = (v | (v << 2)) & 0x3333_3333;
        (v | (v << 1)) & 0x5555_5555
    }
    spread(x) | (spread(y) << 1)
}

fn render_footprints(model: &Model, tile: TileCoord, out: &mut Vec<u8>) {
    let extent = EXTENT;
    let tr = TileTransform::new(tile, extent);
    let clip = ClipRect::buffered(extent, BUFFER);
    let (lo, hi) = tile.bounds_world(f64::from(BUFFER) / f64::from(EXTENT));
    let mut layer = LayerBuilder::new("buildings", extent);
    let k_id = layer.key("identificatie");
    let k_year = layer.key("bouwjaar");
    let k_class = layer.key("bouwjaar_klasse");
    let k_status = layer.key("status");
    let k_usage = layer.key("gebruiksdoel");
    let k_units = layer.key("aantal_verblijfsobjecten");
    let k_buurt = layer.key("buurtcode");
    let mut cache = ValueCache::default();
    let mut poly = PolygonWriter::default();
    let mut tags: Vec<(u32, u32)> = Vec::with_capacity(6);
    let mut id_text = [0u8; 16];

    // Z-order of the buildings' corners (ties by id) keeps the geometry cursor's jumps between
    // features short, and makes the tile bytes independent of the R-tree's internal order.
    let mut hits: Vec<(u32, u32, [WorldPoint; 2])> = model
        .buildings_in(lo, hi)
        .map(|(row, b)| {
            let p = tr.apply(b[0]);
            let cell = |v: i32| (v.clamp(0, extent as i32) as u32) >> 3;
            (morton(cell(p[0]), cell(p[1])), row, b)
        })
        .collect();
    hits.sort_unstable_by_key(|h| (h.0, h.1));
    // About 45 bytes per footprint and 20 for its identificatie.
    layer.reserve(hits.len(), 48, hits.len(), 20);
    for (_, row, [blo, bhi]) in hits {
        let b = model.building(row);
        let inside = clip.contains_box(tr.apply(blo), tr.apply(bhi));
        let opts = RingOptions {
            clip: (!inside).then_some(clip),
            tolerance: 0.0,
            min_area2: 0,
        };
        if !poly.write(b.rings().map(|r| r.0), &tr, opts, &mut layer.geometry) {
            layer.geometry.clear();
            continue;
        }
        tags.clear();
        let v = layer.push_value(&Value::Str(bag_id_text(b.id().get(), &mut id_text)));
        tags.push((k_id, v));
        let year = b.bouwjaar();
        // One lookup gives the year's value and its class's.
        let classes = &mut cache.class;
        let [v_year, v_class] = *cache.bouwjaar.entry(year).or_insert_with(|| {
            let class = bouwjaar_class(year);
            let v_year = layer.push_value(&Value::Uint(u64::from(year)));
            let v_class = *classes[usize::from(class)]
                .get_or_insert_with(|| layer.push_value(&Value::Uint(u64::from(class))));
            [v_year, v_class]
        });
        tags.push((k_year, v_year));
        tags.push((k_class, v_class));
        let status = b.status();
        let slot = &mut cache.status[status.code() as usize & 15];
        let v = *slot.get_or_insert_with(|| layer.push_value(&Value::Str(status.as_str())));
        tags.push((k_status, v));
        let usage = b.usage();
        if !usage.is_empty() {
            let v = *cache
                .usage
                .entry(usage.bits())
                .or_insert_with(|| layer.push_value(&Value::Str(&usage.to_string())));
            tags.push((k_usage, v));
        }
        {
            let units = b.units();
            let v = *cache
                .units
                .entry(units)
                .or_insert_with(|| layer.push_value(&Value::Uint(u64::from(units))));
            tags.push((k_units, v));
        }
        if let Some(buurt) = b.areas().buurt {
            let v = *cache
                .buurt
                .entry(buurt)
                .or_insert_with(|| layer.push_value(&Value::Str(&buurt.to_string())));
            tags.push((k_buurt, v));
        }
        layer.feature(Some(b.id().get()), GeomType::Polygon, &tags);
    }
    layer.finish(out);
}

/// `id` as the 16 digits of a BAG identificatie, leading zeros kept (what `BagId`'s `Display`
/// writes; ids never have more than 16 digits). Written by hand: `format!` was a quarter of the
/// instructions of a z16 tile.
fn bag_id_text(mut id: u64, buf: &mut [u8; 16]) -> &str {
    for digit in buf.iter_mut().rev() {
        *digit = b'0' + (id % 10) as u8;
        id /= 10;
    }
    std::str::from_utf8(buf).unwrap_or_default()
}

#[derive(Clone, Copy, Default)]
struct Cell {
    count: u32,
    known: u32,
    year_sum: u64,
}

impl Cell {
    fn add(&mut self, other: Cell) {
        self.count += other.count;
        self.known += other.known;
        self.year_sum += other.year_sum;
    }

    fn mean_year(&self) -> u16 {
        if self.known == 0 {
            domain::UNKNOWN_BOUWJAAR
        } else {
            (self.year_sum / u64::from(self.known)) as u16
        }
    }
}

/// A rectangle of occupied grid cells (cell units, end exclusive).
#[derive(Clone, Copy)]
struct Block {
    x0: u32,
    x1: u32,
    y0: u32,
    y1: u32,
    cells: Cell,
}

/// Grid cells per tile side at a blocks zoom: a cell is about two screen pixels.
fn grid_for(z: u8) -> u32 {
    match z {
        0..=12 => 64,
        13 => 128,
        _ => 256,
    }
}

/// Merges buildings into a grid of cells: runs of occupied cells of one era in a row (bridging
/// one-cell gaps), and such runs with the same columns in consecutive rows, become one rectangle
/// coloured by the mean known bouwjaar of its buildings. A tile's size is bounded by its grid, not by how many buildings
/// it covers.
fn render_blocks(model: &Model, tile: TileCoord, out: &mut Vec<u8>) {
    let grid = grid_for(tile.z());
    // Up to z13 blocks are split by bouwjaar class, so the town shows its eras; at z14 (the densest
    // grid) they are not, to keep the tile small; a block is then coloured by its mean year.
    let split_by_era = tile.z() <= 13;
    let era_of = |c: &Cell| {
        if split_by_era {
            bouwjaar_class(c.mean_year())
        } else {
            0
        }
    };
    let cell_units = EXTENT / grid;
    let tr = TileTransform::new(tile, EXTENT);
    let (lo, hi) = tile.bounds_world(0.0);
    let mut cells = vec![Cell::default(); (grid * grid) as usize];
    let mut any = false;
    for (row, [blo, bhi]) in model.buildings_in(lo, hi) {
        let (a, b) = (tr.apply(blo), tr.apply(bhi));
        let cell = |v: i32| (v.max(0) as u32 / cell_units).min(grid - 1);
        if b[0] < 0 || b[1] < 0 || a[0] >= EXTENT as i32 || a[1] >= EXTENT as i32 {
            continue;
        }
        let year = model.building(row).bouwjaar();
        let known = u32::from(year != domain::UNKNOWN_BOUWJAAR);
        let add = Cell {
            count: 1,
            known,
            year_sum: u64::from(year) * u64::from(known),
        };
        for cy in cell(a[1])..=cell(b[1]) {
            for cx in cell(a[0])..=cell(b[0]) {
                cells[(cy * grid + cx) as usize].add(add);
                any = true;
            }
        }
    }
    if !any {
        return;
    }
    let mut blocks: Vec<Block> = Vec::new();
    let mut open: Vec<Block> = Vec::new();
    let mut next_open: Vec<Block> = Vec::new();
    for cy in 0..grid {
        let row = &cells[(cy * grid) as usize..((cy + 1) * grid) as usize];
        let mut cx = 0;
        let mut o = 0;
        while cx < grid {
            let c = row[cx as usize];
            if c.count == 0 {
                cx += 1;
                continue;
            }
            let (start, mut run) = (cx, c);
            let era = era_of(&c);
            cx += 1;
            while cx < grid {
                let n = row[cx as usize];
                // A one-cell gap (about two screen pixels) between buildings is bridged.
                let next = row.get(cx as usize + 1).copied().unwrap_or_default();
                let bridge = n.count == 0 && next.count > 0 && era_of(&next) == era;
                if (n.count == 0 && !bridge) || (n.count > 0 && era_of(&n) != era) {
                    break;
                }
                run.add(n);
                cx += 1;
            }
            // Open blocks are in column order, as runs are: close those that end left of this run.
            while o < open.len() && open[o].x0 < start {
                blocks.push(open[o]);
                o += 1;
            }
            if o < open.len()
                && open[o].x0 == start
                && open[o].x1 == cx
                && era_of(&open[o].cells) == era
            {
                let mut b = open[o];
                b.y1 = cy + 1;
                b.cells.add(run);
                next_open.push(b);
                o += 1;
            } else {
                next_open.push(Block {
                    x0: start,
                    x1: cx,
                    y0: cy,
                    y1: cy + 1,
                    cells: run,
                });
            }
        }
        blocks.extend_from_slice(&open[o..]);
        std::mem::swap(&mut open, &mut next_open);
        next_open.clear();
    }
    blocks.append(&mut open);

    let mut layer = LayerBuilder::new("buildings", EXTENT);
    let k_kind = layer.key("kind");
    let k_year = layer.key("bouwjaar");
    let k_class = layer.key("bouwjaar_klasse");
    let k_count = layer.key("count");
    let v_block = layer.value(&Value::Str("block"));
    let mut classes: [Option<u32>; 8] = [None; 8];
    for b in blocks {
        let u = cell_units as i32;
        let (x0, x1, y0, y1) = (
            b.x0 as i32 * u,
            b.x1 as i32 * u,
            b.y0 as i32 * u,
            b.y1 as i32 * u,
        );
        layer
            .geometry
            .ring(&[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]);
        let year = b.cells.mean_year();
        let class = bouwjaar_class(year);
        let v_class = *classes[usize::from(class)]
            .get_or_insert_with(|| layer.value(&Value::Uint(u64::from(class))));
        let tags = [
            (k_kind, v_block),
            (k_year, layer.value(&Value::Uint(u64::from(year)))),
            (k_class, v_class),
            (k_count, layer.value(&Value::Uint(u64::from(b.cells.count)))),
        ];
        layer.feature(None, GeomType::Polygon, &tags);
    }
    layer.finish(out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identificatie_text_is_sixteen_digits_like_bag_id() {
        let mut buf = [0u8; 16];
        for id in [0, 7, 221_100_000_012_345, 9_999_999_999_999_999] {
            let expected = domain::BagId::new(id).unwrap().to_string();
            assert_eq!(bag_id_text(id, &mut buf), expected);
        }
    }

    #[test]
    fn bouwjaar_classes_match_the_legend() {
        assert_eq!(bouwjaar_class(1890), 0);
        assert_eq!(bouwjaar_class(1920), 1);
        assert_eq!(bouwjaar_class(1945), 1);
        assert_eq!(bouwjaar_class(1946), 2);
        assert_eq!(bouwjaar_class(2024), 5);
        assert_eq!(bouwjaar_class(9999), 6);
    }
}
