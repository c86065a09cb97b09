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
