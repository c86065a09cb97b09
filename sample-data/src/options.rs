//! What to generate, and what was generated.

use std::path::PathBuf;

/// The fictional gemeente code. No real gemeente has it (real codes go up to 1992 at the time of
/// writing), and it differs from those in the project's tests (0221 Doesburg, 0233 Ermelo).
pub const GEMEENTECODE: &str = "1999";
/// The fictional gemeente.
pub const GEMEENTENAAM: &str = "Wijkdorp";
/// The one woonplaats of the sample.
pub const WOONPLAATS: &str = "Wijkdorp";
/// File name of the BAG layers in the output folder.
pub const BAG_LIGHT_FILE: &str = "bag-light.gpkg";
/// File name of the CBS layers in the output folder.
pub const WIJKENBUURTEN_FILE: &str = "wijkenbuurten.gpkg";
/// South-west corner of the area by default (RD New metres): farmland south of Arnhem.
pub const DEFAULT_ORIGIN_RD: (f64, f64) = (187_000.0, 440_000.0);
/// The most buildings [`generate`](crate::generate) accepts.
pub const MAX_BUILDINGS: u64 = 5_000_000;
/// `gpkg_contents.last_change` of the files, fixed so that the same options give the same bytes.
pub(crate) const LAST_CHANGE: &str = "2024-01-01T00:00:00.000Z";

/// The side of the square area for `buildings` when no extent is given: 10 km for 200,000
/// buildings, growing with the square root (the density of a Dutch town), at least 400 m.
///
/// ```
/// assert_eq!(sample_data::default_extent_m(200_000), 10_000.0);
/// assert_eq!(sample_data::default_extent_m(800_000), 20_000.0);
/// ```
pub fn default_extent_m(buildings: u64) -> f64 {
    (10_000.0 * (buildings as f64 / 200_000.0).sqrt()).max(400.0)
}

/// What [`generate`](crate::generate) makes.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleOptions {
    /// Number of panden (buildings, including garages, demolished and planned ones).
    pub buildings: u64,
    /// Seed: the same options give byte-identical files.
    pub seed: u64,
    /// Folder the two GeoPackages are written to (created if missing; files there are replaced).
    pub out_dir: PathBuf,
    /// South-west corner of the area, RD New metres.
    pub origin_rd: (f64, f64),
    /// Side of the square area in metres; `None` for [`default_extent_m`].
    pub extent_m: Option<f64>,
}

impl SampleOptions {
    /// Options for `buildings` buildings with `seed`, written to `out_dir`, at the default place and size.
    pub fn new(buildings: u64, seed: u64, out_dir: impl Into<PathBuf>) -> Self {
        Self {
            buildings,
            seed,
            out_dir: out_dir.into(),
            origin_rd: DEFAULT_ORIGIN_RD,
            extent_m: None,
        }
    }

    /// Checks the options for an area of side `extent` metres.
    pub(crate) fn validate(&self, extent: f64) -> Result<(), crate::Error> {
        /// RD New's area of use (EPSG:28992), metres.
        const RD_BOUNDS: [f64; 4] = [-7_000.0, 289_000.0, 300_000.0, 629_000.0];
        let invalid = |why: String| Err(crate::Error::InvalidOptions(why));
        if self.buildings > MAX_BUILDINGS {
            return invalid(format!(
                "{} buildings; at most {MAX_BUILDINGS}",
                self.buildings
            ));
        }
        if !extent.is_finite() || extent <= 0.0 {
            return invalid(format!(
                "extent {extent} m; it must be a positive number of metres"
            ));
        }
        let (x, y) = self.origin_rd;
        let [x0, y0, x1, y1] = RD_BOUNDS;
        if !(x >= x0 && y >= y0 && x + extent <= x1 && y + extent <= y1) {
            return invalid(format!(
                "area from ({x}, {y}) with side {extent} m leaves RD New's area of use ({x0}..{x1}, {y0}..{y1})"
            ));
        }
        Ok(())
    }

    /// The side of the area that will be used.
    pub fn resolved_extent_m(&self) -> f64 {
        self.extent_m
            .unwrap_or_else(|| default_extent_m(self.buildings))
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleSummary {
    /// `out_dir/bag-light.gpkg`.
    pub bag_light: PathBuf,
    /// `out_dir/wijkenbuurten.gpkg`.
    pub wijkenbuurten: PathBuf,
    /// Rows of layer `pand`.
    pub panden: u64,
    /// Rows of layer `verblijfsobject`.
    pub verblijfsobjecten: u64,
    /// The enrichment files (3DBAG, EP-Online, trees) and what they hold.
    pub enrichment: crate::EnrichmentFiles,
    /// Rows of layer `buurten`.
    pub buurten: u64,
    /// Rows of layer `wijken`.
    pub wijken: u64,
    /// Rows of layer `gemeenten` (always 1).
    pub gemeenten: u64,
    /// The area covered, `[min_x, min_y, max_x, max_y]` in RD New metres.
    pub bounds_rd: [f64; 4],
}
