//! Writing polygon rings from world units into a feature: transform, clean, simplify, clip.

use domain::WorldPoint;

use crate::clip::{ClipRect, clip_ring};
use crate::coord::TileTransform;
use crate::encode::GeometryWriter;
use crate::simplify::{clean_ring, ring_area2, simplify_ring};

/// Reusable buffers for turning rings into tile geometry.
#[derive(Debug, Default)]
pub struct PolygonWriter {
    ring: Vec<[i32; 2]>,
    clipped: Vec<[i32; 2]>,
    tmp: Vec<[i32; 2]>,
}

/// How to generalise rings.
#[derive(Debug, Clone, Copy)]
pub struct RingOptions {
    /// Clip to this square (skip when the whole polygon is known to lie inside).
    pub clip: Option<ClipRect>,
    /// Douglas–Peucker tolerance in tile units (0 = none).
    pub tolerance: f64,
    /// Exteriors with twice their area below this (tile units²) are dropped, with their holes.
    pub min_area2: i64,
}

impl PolygonWriter {
    /// Writes `rings` (each exterior followed by its holes, oriented as the model keeps them) into
    /// `g`. Returns whether at least one exterior ring was written.
    pub fn write<'a>(
        &mut self,
        rings: impl Iterator<Item = &'a [WorldPoint]>,
        tr: &TileTransform,
        opts: RingOptions,
        g: &mut GeometryWriter,
    ) -> bool {
        let mut wrote_any = false;
        let mut exterior_kept = false;
        for world in rings {
            self.ring.clear();
            self.ring.extend(world.iter().map(|p| tr.apply(*p)));
            clean_ring(&mut self.ring);
            if opts.tolerance > 0.0 {
                simplify_ring(&mut self.ring, opts.tolerance);
            }
            let ring = if let Some(rect) = opts.clip {
                clip_ring(&self.ring, rect, &mut self.clipped, &mut self.tmp);
                clean_ring(&mut self.clipped);
                &self.clipped
            } else {
                &self.ring
            };
            let area2 = ring_area2(ring);
            // The model orients rings: exteriors positive. Quantisation can flip or flatten a ring
            // no bigger than a few tile units; for those trust the world orientation.
            let is_exterior = if area2.abs() > 64 {
                area2 > 0
            } else {
                domain::Ring(world).is_exterior()
            };
            if is_exterior {
                exterior_kept = ring.len() >= 3 && area2 > 0 && area2 >= opts.min_area2;
                if exterior_kept {
                    g.ring(ring);
                    wrote_any = true;
                }
            } else if exterior_kept && ring.len() >= 3 && area2 < 0 {
                g.ring(ring);
            }
        }
        wrote_any
    }
}
