//! `public_space`: observations about public space (a dying tree, a parched plantsoen), one point
//! each, for everyone.

use super::observations::{MIN_ZOOM, draw_observations};
use super::{Draw, Field, Layer, Source};

/// The `public_space` layer (named `openbare_ruimte` before).
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicSpaceLayer;

const FIELDS: &[Field] = &[
    Field {
        name: "type",
        description: "String: observation type",
    },
    Field {
        name: "status_class",
        description: "String: class of the answer the map colours by",
    },
    Field {
        name: "confirmations",
        description: "Number: other residents who confirmed it",
    },
    Field {
        name: "weight",
        description: "Number: freshness × (1 + confirmations)",
    },
];

impl Layer for PublicSpaceLayer {
    fn name(&self) -> &'static str {
        "public_space"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["openbare_ruimte"]
    }

    fn description(&self) -> &'static str {
        "Observations about public space (greenery in distress), one point each"
    }

    fn min_zoom(&self) -> u8 {
        MIN_ZOOM
    }

    fn fields(&self) -> &'static [Field] {
        FIELDS
    }

    fn reads(&self) -> &'static [Source] {
        &[Source::Observations]
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        draw_observations(self.name(), draw, out, &|o| o.public_space);
    }
}
