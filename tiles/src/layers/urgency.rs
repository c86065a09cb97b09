//! `urgency_<level>`: the urgency indicators as released at one level (gemeente, wijk, buurt, CBS
//! 100 m square, H3 resolution 8–10), one polygon per listed cell carrying every indicator — its
//! value, its quantile class and whether it is withheld — so a style picks the indicator. Only
//! what [`urgency::LevelRelease`] releases is drawn: a withheld cell carries its flag and nothing
//! else. Not part of the composite: each level is its own tileset, public like every aggregate.
//!
//! The fields follow the indicator file, so the layer's [`LayerMeta`] is made once when the tile
//! set is built (`--indicators FILE` is read at start) and lives as long as the process.

use urgency::{IndicatorSet, Level};

use super::{BUFFER, Change, Draw, EXTENT, Field, Layer, LayerMeta, Source};
use crate::TileTransform;
use crate::clip::ClipRect;
use crate::encode::{GeomType, LayerBuilder, Value};
use crate::polygon::{PolygonWriter, RingOptions};

/// One level's urgency layer.
#[derive(Debug, Clone, Copy)]
pub struct UrgencyLayer {
    level: Level,
    meta: &'static LayerMeta,
}

/// The zooms a level is drawn at: from where its cells are a few pixels wide to where one cell
/// fills the screen (clients over-zoom beyond, so no tile is asked for past the last).
pub fn zooms(level: Level) -> (u8, u8) {
    match level {
        Level::Gemeente => (6, 12),
        Level::Wijk => (8, 13),
        Level::H3r8 => (9, 14),
        Level::Buurt | Level::H3r9 => (10, 15),
        Level::Grid100 | Level::H3r10 => (12, 16),
    }
}

/// The layer (and tileset) name of a level: `urgency_buurt`, `urgency_h3_9`, …
pub fn layer_name(level: Level) -> String {
    format!("urgency_{}", level.as_str().replace('-', "_"))
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

impl UrgencyLayer {
    /// The layer of `level` for the indicators of `set`.
    pub fn new(level: Level, set: &IndicatorSet) -> Self {
        let mut fields = vec![
            Field {
                name: "code",
                description: "String: the cell's code (CBS code, CBS 100 m square E####N####, or H3 index)",
            },
            Field {
                name: "name",
                description: "String: the name of a CBS area (gemeente, wijk, buurt levels)",
            },
        ];
        for i in &set.indicators {
            fields.push(Field {
                name: leak(i.name.clone()),
                description: leak(format!(
                    "Number: {} ({}); absent when withheld or without data",
                    i.title.en,
                    i.measure.as_str()
                )),
            });
            fields.push(Field {
                name: leak(format!("{}_klasse", i.name)),
                description: "Number: quantile class among the level's released cells, 0 (least urgent) to 4 (most urgent)",
            });
            fields.push(Field {
                name: leak(format!("{}_onderdrukt", i.name)),
                description: "Boolean: withheld, too few households or reporters behind a count",
            });
        }
        let (min_zoom, max_zoom) = zooms(level);
        let meta = Box::leak(Box::new(LayerMeta {
            name: leak(layer_name(level)),
            aliases: &[],
            description: leak(format!(
                "Urgency indicators per {}, k-anonymous: value, quantile class and withheld flag per indicator",
                level.as_str()
            )),
            min_zoom,
            max_zoom,
            fields: Box::leak(fields.into_boxed_slice()),
        }));
        Self { level, meta }
    }

    /// The level drawn.
    pub fn level(&self) -> Level {
        self.level
    }
}

impl Layer for UrgencyLayer {
    fn meta(&self) -> &'static LayerMeta {
        self.meta
    }

    fn reads(&self) -> &'static [Source] {
        &[Source::Urgency]
    }

    fn in_composite(&self) -> bool {
        false
    }

    fn urgency_level(&self) -> Option<Level> {
        Some(self.level)
    }

    /// Stale tiles are named by comparing releases ([`urgency::LevelRelease::stale`]): a report
    /// may change a wijk's sum, a suppression or a class break far from where it was made, which a
    /// change's point cannot tell.
    fn stale(&self, _change: &Change, _model: &domain::Model) -> Option<[domain::WorldPoint; 2]> {
        None
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        let tile = draw.tile;
        let Some(release) = draw.sources.urgency.filter(|r| r.level == self.level) else {
            return;
        };
        if tile.z() < self.min_zoom() || tile.z() > self.max_zoom() {
            return;
        }
        let tr = TileTransform::new(tile, EXTENT);
        let clip = ClipRect::buffered(EXTENT, BUFFER);
        let (lo, hi) = tile.bounds_world(f64::from(BUFFER) / f64::from(EXTENT));
        let mut layer = LayerBuilder::new(self.name(), EXTENT);
        let (k_code, k_name) = (layer.key("code"), layer.key("name"));
        let keys: Vec<[u32; 3]> = release
            .set
            .indicators
            .iter()
            .map(|i| {
                [
                    layer.key(&i.name),
                    layer.key(&format!("{}_klasse", i.name)),
                    layer.key(&format!("{}_onderdrukt", i.name)),
                ]
            })
            .collect();
        let v_true = layer.value(&Value::Bool(true));
        let mut poly = PolygonWriter::default();
        let tolerance = if tile.z() >= 12 { 1.0 } else { 2.0 };
        let mut tags: Vec<(u32, u32)> = Vec::new();
        for cell in release.cells_in(lo, hi) {
            let opts = RingOptions {
                clip: Some(clip),
                tolerance,
                min_area2: 0,
            };
            if !poly.write(
                cell.shape.rings.iter().map(Vec::as_slice),
                &tr,
                opts,
                &mut layer.geometry,
            ) {
                layer.geometry.clear();
                continue;
            }
            tags.clear();
            tags.push((k_code, layer.value(&Value::Str(&cell.shape.code))));
            if let Some(name) = &cell.shape.name {
                tags.push((k_name, layer.value(&Value::Str(name))));
            }
            for ((v, class), [k_v, k_class, k_sup]) in
                cell.values.iter().zip(&cell.classes).zip(&keys)
            {
                let Some(v) = v else { continue };
                if v.suppressed {
                    tags.push((*k_sup, v_true));
                    continue;
                }
                if let Some(x) = v.value {
                    tags.push((*k_v, layer.value(&Value::Double(x))));
                }
                if let Some(c) = class {
                    tags.push((*k_class, layer.value(&Value::Uint(u64::from(*c)))));
                }
            }
            layer.feature(None, GeomType::Polygon, &tags);
        }
        if !layer.is_empty() {
            layer.finish(out);
        }
    }
}
