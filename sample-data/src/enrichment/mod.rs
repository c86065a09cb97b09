//! The enrichment files of the sample, consistent with its BAG ids: 3DBAG (CityJSONSeq and
//! GeoPackage), EP-Online (a zip with the preamble) and a tree register (a shapefile), written
//! buurt by buurt beside `bag-light.gpkg`; and a heat map (a GeoTIFF) made from its roofs and
//! trees, with the indicator file that reads it.

mod heat;
mod labels;
mod roof;
mod three_d_bag;
mod trees;

use std::path::{Path, PathBuf};

use domain::{AddressStatus, BuildingStatus, Usage};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::Error;
use crate::bag_light::bag_id;
use crate::build::BuurtOutput;
use crate::street::sections;

/// File name of the 3DBAG CityJSONSeq in the output folder.
pub const THREE_D_BAG_JSONL_FILE: &str = "3dbag.city.jsonl";
/// File name of the 3DBAG GeoPackage.
pub const THREE_D_BAG_GPKG_FILE: &str = "3dbag.gpkg";
/// File name of the EP-Online zip.
pub const EP_ONLINE_FILE: &str = "ep-online.zip";
/// File name of the tree register (with `.shx`, `.dbf`, `.prj`, `.cpg` beside it).
pub const TREES_FILE: &str = "bomen.shp";
pub use heat::{HEAT_FILE, INDICATORS_FILE};

/// Where the enrichment files went and what they hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrichmentFiles {
    /// `3dbag.city.jsonl`.
    pub three_d_bag_jsonl: PathBuf,
    /// `3dbag.gpkg`.
    pub three_d_bag_gpkg: PathBuf,
    /// `ep-online.zip`.
    pub ep_online: PathBuf,
    /// `bomen.shp`.
    pub trees: PathBuf,
    /// `hitte-eiland.tif` and `indicators.toml` (none when nothing was built).
    pub heat: Option<(PathBuf, PathBuf)>,
    /// Panden in both 3DBAG files.
    pub buildings_3d: u64,
    /// Data rows of the EP-Online CSV.
    pub label_rows: u64,
    /// Trees.
    pub trees_written: u64,
}

/// Writes the enrichment files as buurten are generated.
pub(crate) struct EnrichmentWriter {
    three_d_bag: three_d_bag::ThreeDBagWriter,
    labels: labels::LabelWriter,
    trees: trees::TreeWriter,
    heat: heat::HeatWriter,
    dir: PathBuf,
    panden: u64,
    units: u64,
    street_sides: usize,
}

/// What a pand's 3DBAG data can be: it stands (3DBAG is made from point clouds).
fn scanned(status: BuildingStatus) -> bool {
    status.is_drawn()
        && !matches!(
            status,
            BuildingStatus::PermitGranted | BuildingStatus::ConstructionStarted
        )
}

impl EnrichmentWriter {
    pub(crate) fn create(dir: &Path, origin: (f64, f64), last_change: &str) -> Result<Self, Error> {
        Ok(Self {
            three_d_bag: three_d_bag::ThreeDBagWriter::create(
                dir,
                [origin.0, origin.1],
                last_change,
            )?,
            labels: labels::LabelWriter::create(dir)?,
            trees: trees::TreeWriter::create(dir)?,
            heat: heat::HeatWriter::default(),
            dir: dir.to_owned(),
            panden: 0,
            units: 0,
            street_sides: 0,
        })
    }

    /// Writes the enrichment of one buurt (`cell` in RD), in the order `bag-light.gpkg` numbers its
    /// panden and verblijfsobjecten.
    pub(crate) fn write(
        &mut self,
        buurt: &BuurtOutput,
        cell: [f64; 4],
        rng: &mut ChaCha8Rng,
    ) -> Result<(), Error> {
        let first_pand = self.panden + 1;
        let pand_id = |i: u32| bag_id("10", first_pand + u64::from(i));
        let mut units_in = vec![0u32; buurt.panden.len()];
        let mut dwellings = vec![0u32; buurt.panden.len()];
        for u in &buurt.units {
            units_in[u.pand as usize] += 1;
            dwellings[u.pand as usize] += u32::from(u.usage == Usage::Woonfunctie);
        }
        for (i, p) in buurt.panden.iter().enumerate() {
            if !scanned(p.status) {
                continue;
            }
            let id = pand_id(i as u32);
            let area = geo::Area::unsigned_area(&geo::Polygon::new(
                geo::LineString(p.ring.clone()),
                Vec::new(),
            ));
            let house = units_in[i] <= 1 && dwellings[i] == units_in[i] && area < 250.0;
            let storeys = if house {
                rng.random_range(1..=2)
            } else {
                1 + units_in[i].div_ceil(4).min(8)
            };
            let r = roof::roof(&p.ring, p.bbox, house, storeys, rng);
            self.heat.roof(
                f64::midpoint(p.bbox[0], p.bbox[2]),
                f64::midpoint(p.bbox[1], p.bbox[3]),
                area,
            );
            self.three_d_bag.write(&three_d_bag::Pand3d {
                id: &id,
                status: p.status.as_str(),
                bouwjaar: p.bouwjaar,
                ring: &p.ring,
                bbox: p.bbox,
                roof: &r,
            })?;
        }
        for u in &buurt.units {
            self.units += 1;
            let pand = &buurt.panden[u.pand as usize];
            if !matches!(
                u.status,
                AddressStatus::InUse | AddressStatus::InUseNotMeasured
            ) {
                continue;
            }
            let (id, pand_id) = (bag_id("01", self.units), pand_id(u.pand));
            self.labels.unit(
                &labels::Unit {
                    id: &id,
                    pand: &pand_id,
                    postcode: std::str::from_utf8(&u.postcode).unwrap_or_default(),
                    huisnummer: u.huisnummer,
                    dwelling: u.usage == Usage::Woonfunctie,
                    units_in_pand: units_in[u.pand as usize],
                    bouwjaar: pand.bouwjaar,
                },
                rng,
            )?;
        }
        if let Some(first) = buurt.panden.first().map(|_| pand_id(0)) {
            // A verblijfsobject number the BAG never gave out (the sequence holds 7 digits).
            let unknown = format!(
                "{}01{:010}",
                crate::GEMEENTECODE,
                9_000_000_000 + self.panden + 1
            );
            self.labels.odd_rows(&unknown, &first, rng)?;
        }
        self.panden += buurt.panden.len() as u64;
        self.street_trees(buurt, cell, rng)
    }

    /// Trees along the buurt's streets, one species per street side.
    fn street_trees(
        &mut self,
        buurt: &BuurtOutput,
        cell: [f64; 4],
        rng: &mut ChaCha8Rng,
    ) -> Result<(), Error> {
        let built = buurt
            .panden
            .iter()
            .map(|p| p.bouwjaar)
            .filter(|&y| y != 9999)
            .min()
            .unwrap_or(1990);
        let (sections, _) = sections(cell);
        for s in &sections {
            self.street_sides += 1;
            let species =
                trees::TreeWriter::species(self.street_sides * 7 + rng.random_range(0..3));
            let planted = (built + rng.random_range(1..6)).min(2024);
            let mut u = rng.random_range(4.0..10.0);
            while u < s.length - 4.0 {
                if rng.random_bool(0.8) {
                    let c = s.frame.point(u, -3.0);
                    self.trees.tree(c.x, c.y, species, planted)?;
                    self.heat.tree(c.x, c.y);
                }
                u += rng.random_range(12.0..20.0);
            }
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> Result<EnrichmentFiles, Error> {
        let (buildings_3d, label_rows, trees_written) = (
            self.three_d_bag.written(),
            self.labels.rows(),
            self.trees.written(),
        );
        let (three_d_bag_jsonl, three_d_bag_gpkg) = self.three_d_bag.finish()?;
        let heat = self.heat.finish(&self.dir)?;
        Ok(EnrichmentFiles {
            three_d_bag_jsonl,
            three_d_bag_gpkg,
            ep_online: self.labels.finish()?,
            trees: self.trees.finish(),
            heat,
            buildings_3d,
            label_rows,
            trees_written,
        })
    }
}
