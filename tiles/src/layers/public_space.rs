//! `public_space`: observations about public space (a dying tree, a parched plantsoen), one point
//! each, for everyone.

use super::observations::{MIN_ZOOM, POINT_FIELDS, draw_observations};
use super::{Draw, Layer, LayerMeta, Source};

/// The `public_space` layer (named `openbare_ruimte` before).
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicSpaceLayer;

const META: LayerMeta = LayerMeta {
    name: "public_space",
    aliases: &["openbare_ruimte"],
    description: "Observations about public space (greenery in distress), one point each",
    min_zoom: MIN_ZOOM,
    max_zoom: 16,
    fields: &POINT_FIELDS,
};

impl Layer for PublicSpaceLayer {
    fn meta(&self) -> &'static LayerMeta {
        &META
    }

    fn reads(&self) -> &'static [Source] {
        &[Source::Observations]
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        draw_observations(self.name(), draw, out, &|o| o.public_space);
    }
}
