//! `buildings`: BAG panden. Footprints from z14; below, buildings merge into blocks coloured by era.

use domain::{Model, WorldPoint};
use rustc_hash::FxHashMap;

use super::{BUFFER, EXTENT, Field, Layer};
use crate::clip::ClipRect;
use crate::encode::{GeomType, LayerBuilder, Value};
use crate::polygon::{PolygonWriter, RingOptions};
use crate::{TileCoord, TileTransform};

/// From this zoom on, buildings are drawn one by one.
pub const BUILDING_FOOTPRINT_MIN_ZOOM: u8 = 14;
/// Below this zoom there are no buildings at all (a town is a few pixels).
const MIN_ZOOM: u8 = 10;
/// From this zoom on, features carry the 16-digit `identificatie` as text (below: the feature id only).
const IDENTIFICATIE_MIN_ZOOM: u8 = 15;

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
        description: "String: BAG pand identificatie, 16 digits (z15+; the feature id holds it as a number at every zoom)",
    },
    Field {
        name: "bouwjaar",
        description: "Number: construction year as BAG registers it (9999 = unknown); on blocks (z10-13) the mean known year",
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
        description: "String: 'block' for merged buildings at z10-13",
    },
    Field {
        name: "count",
        description: "Number: buildings merged into a block (z10-13)",
    },
];

impl Layer for BuildingsLayer {
    fn name(&self) -> &'static str {
        "buildings"
    }

    fn description(&self) -> &'static str {
        "BAG panden that stand or are being built; blocks of buildings below z14"
    }

    fn min_zoom(&self) -> u8 {
        MIN_ZOOM
    }

    fn max_zoom(&self) -> u8 {
        16
    }

    fn fields(&self) -> &'static [Field] {
        FIELDS
    }

    fn render(&self, model: &Model, tile: TileCoord, out: &mut Vec<u8>) {
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
    bouwjaar: FxHashMap<u16, u32>,
    status: [Option<u32>; 16],
    usage: FxHashMap<u16, u32>,
    units: FxHashMap<u32, u32>,
    buurt: FxHashMap<domain::AreaCode, u32>,
}

fn render_footprints(model: &Model, tile: TileCoord, out: &mut Vec<u8>) {
    let tr = TileTransform::new(tile, EXTENT);
    let clip = ClipRect::buffered(EXTENT, BUFFER);
    let (lo, hi) = tile.bounds_world(f64::from(BUFFER) / f64::from(EXTENT));
    let mut layer = LayerBuilder::new("buildings", EXTENT);
    let with_id_text = tile.z() >= IDENTIFICATIE_MIN_ZOOM;
    let k_id = with_id_text.then(|| layer.key("identificatie"));
    let k_year = layer.key("bouwjaar");
    let k_status = layer.key("status");
    let k_usage = layer.key("gebruiksdoel");
    let k_units = layer.key("aantal_verblijfsobjecten");
    let k_buurt = layer.key("buurtcode");
    let mut cache = ValueCache::default();
    let mut poly = PolygonWriter::default();
    let mut tags: Vec<(u32, u32)> = Vec::with_capacity(6);
    // Sub-pixel buildings at z14 (smaller than a quarter of a 512-px screen pixel) are not drawn.
    let min_area2 = if tile.z() <= BUILDING_FOOTPRINT_MIN_ZOOM {
        8
    } else {
        0
    };
    let mut id_text = [0u8; 16];

    let mut hits: Vec<(u32, [WorldPoint; 2])> = model.buildings_in(lo, hi).collect();
    // Id order makes the tile bytes independent of the R-tree's internal order.
    hits.sort_unstable_by_key(|h| h.0);
    for (row, [blo, bhi]) in hits {
        let b = model.building(row);
        let inside = clip.contains_box(tr.apply(blo), tr.apply(bhi));
        let opts = RingOptions {
            clip: (!inside).then_some(clip),
            tolerance: 0.0,
            min_area2,
        };
        if !poly.write(b.rings().map(|r| r.0), &tr, opts, &mut layer.geometry) {
            layer.geometry.clear();
            continue;
        }
        tags.clear();
        if let Some(k) = k_id {
            let v = layer.push_value(&Value::Str(bag_id_text(b.id().get(), &mut id_text)));
            tags.push((k, v));
        }
        let year = b.bouwjaar();
        let v = *cache
            .bouwjaar
            .entry(year)
            .or_insert_with(|| layer.push_value(&Value::Uint(u64::from(year))));
        tags.push((k_year, v));
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
        let units = b.units();
        let v = *cache
            .units
            .entry(units)
            .or_insert_with(|| layer.push_value(&Value::Uint(u64::from(units))));
        tags.push((k_units, v));
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

/// Merges buildings into a grid of cells (a block is a run of occupied cells of one era in a row),
/// so a tile's size is bounded by its grid, not by how many buildings it covers.
fn render_blocks(model: &Model, tile: TileCoord, out: &mut Vec<u8>) {
    let grid: u32 = if tile.z() >= 13 { 128 } else { 64 };
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
        for cy in cell(a[1])..=cell(b[1]) {
            for cx in cell(a[0])..=cell(b[0]) {
                let c = &mut cells[(cy * grid + cx) as usize];
                c.count += 1;
                if year != domain::UNKNOWN_BOUWJAAR {
                    c.known += 1;
                    c.year_sum += u64::from(year);
                }
                any = true;
            }
        }
    }
    if !any {
        return;
    }
    let mut layer = LayerBuilder::new("buildings", EXTENT);
    let k_kind = layer.key("kind");
    let k_year = layer.key("bouwjaar");
    let k_count = layer.key("count");
    let v_block = layer.value(&Value::Str("block"));
    let mean = |c: &Cell| {
        if c.known == 0 {
            domain::UNKNOWN_BOUWJAAR
        } else {
            (c.year_sum / u64::from(c.known)) as u16
        }
    };
    for cy in 0..grid {
        let mut cx = 0;
        while cx < grid {
            let c = cells[(cy * grid + cx) as usize];
            if c.count == 0 {
                cx += 1;
                continue;
            }
            let class = bouwjaar_class(mean(&c));
            let mut run = c;
            let start = cx;
            cx += 1;
            while cx < grid {
                let n = cells[(cy * grid + cx) as usize];
                if n.count == 0 || bouwjaar_class(mean(&n)) != class {
                    break;
                }
                run.count += n.count;
                run.known += n.known;
                run.year_sum += n.year_sum;
                cx += 1;
            }
            let (x0, x1) = ((start * cell_units) as i32, (cx * cell_units) as i32);
            let (y0, y1) = ((cy * cell_units) as i32, ((cy + 1) * cell_units) as i32);
            layer
                .geometry
                .ring(&[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]);
            let year = mean(&run);
            let tags = [
                (k_kind, v_block),
                (k_year, layer.value(&Value::Uint(u64::from(year)))),
                (k_count, layer.value(&Value::Uint(u64::from(run.count)))),
            ];
            layer.feature(None, GeomType::Polygon, &tags);
        }
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
