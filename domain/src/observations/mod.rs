//! Observations residents and volunteers report (a *melding*): their vocabulary and the live
//! index the map and the aggregates read.
//!
//! One word for one thing: an **observation** is what a reporter saw about a building, an address or
//! a spot in public space; *reporting* is the act of making one; the **reporter** is who made it
//! (pseudonymous). The API speaks of observations (`/api/observations`) and so does the code.

mod index;
mod status;

pub use index::{
    Feature, LiveObservation, ObservationIndex, Subject, freshness, household, record, weight,
};
pub use status::ObservationStatus;

use crate::access::{DataClass, Place, Resource};
use crate::{AreaRefs, BagId};

/// The policy resource of an observation: observations about public space are public-space data;
/// the rest are household observations at their place, with the address, so its verified
/// residents see it.
pub fn resource_of(
    public_space: bool,
    lonlat: [f64; 2],
    areas: AreaRefs,
    address: Option<u64>,
) -> Resource {
    let class = if public_space {
        DataClass::PublicSpaceObservations
    } else {
        DataClass::HouseholdObservations
    };
    let mut r = Resource::new(class, Place::Located { lonlat, areas });
    r.address = address.and_then(BagId::new);
    r
}

impl LiveObservation {
    /// Its policy resource (see [`resource_of`]).
    pub fn resource(&self) -> Resource {
        resource_of(self.public_space, self.lonlat, self.areas, self.address)
    }
}
