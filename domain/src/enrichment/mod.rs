//! Enrichment of the registers: facts other sources add to a pand, an address or the public space.
//!
//! - [`Building3d`]: 3DBAG's roof and height attributes of a pand, with its LoD2.2 roof parts;
//! - [`EnergyLabel`]: EP-Online's energy label of a verblijfsobject (the newest one registered);
//! - [`Tree`]: a tree from a municipal tree register (there is no national one).
//!
//! The names of the sources' own attributes (`b3_dak_type`, `Pand_energieklasse`, …) are kept where
//! they are stored and shown; the Rust names say what they mean.

mod label;
mod roof;
mod tree;

pub use label::{EnergyClass, EnergyLabel, LabelDate};
pub use roof::{
    Building3d, FLAT_SLOPE_DEG, RoofPart, RoofType, SOLAR_AZIMUTH_DEG, SOLAR_MAX_SLOPE_DEG,
};
pub use tree::{Tree, TreeId};
