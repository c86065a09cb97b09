//! Urgency indicators for the gemeente (issue 14): declared in a file ([`IndicatorSet`]), tallied
//! per CBS gemeente, wijk and buurt, per CBS 100 m square and per H3 hexagon ([`Level`]), released
//! only where at least k households — and, for counts from reports or visits, k reporters —
//! stand behind every count, rounded; kept current unit by unit ([`Engine::update`]).

mod engine;
mod file;
mod index;
mod level;
mod raster;
mod release;

pub use engine::{
    CellValue, DoorState, Engine, Inputs, Placement, Privacy, Unit, perturb, perturb_mean,
    perturb_sum,
};
pub use file::{
    DEFAULT_INDICATORS, Indicator, IndicatorFileError, IndicatorSet, MAX_INDICATORS, Measure, Over,
    Schemas, Sum,
};
pub use index::{IndexValue, MAX_WEIGHT, Weighted, combine};
pub use level::{Cell, LEVELS, Level};
pub use raster::{MAX_PIXELS, RD_NEW, Raster, RasterError, write_geotiff};
pub use release::{
    CLASSES, CellShape, LevelRelease, ReleasedCell, Shapes, class_of, quantile_breaks, round3,
};

#[cfg(test)]
mod tests;
