//! Where converted records go: the spatial join (in parallel, per batch), then the store
//! transaction (sequentially), counting as they pass.

use domain::{Address, Area, Building};
use rayon::prelude::*;
use store::ImportTx;

use crate::bag_xml::BagSink;
use crate::{AreaIndex, ImportReport, Result};

/// Records per batch: large enough to keep both cores busy, small enough to stay in cache-sized
/// memory (10 k panden ≈ 5 MB).
pub(crate) const BATCH: usize = 10_000;

/// Joins records to their areas and writes them into one import transaction.
pub(crate) struct StoreSink<'s, 'tx> {
    tx: &'s mut (dyn ImportTx + 'tx),
    areas: &'s AreaIndex,
    report: &'s mut ImportReport,
    buildings: Vec<Building>,
    addresses: Vec<Address>,
}

impl<'s, 'tx> StoreSink<'s, 'tx> {
    pub(crate) fn new(
        tx: &'s mut (dyn ImportTx + 'tx),
        areas: &'s AreaIndex,
        report: &'s mut ImportReport,
    ) -> Self {
        Self {
            tx,
            areas,
            report,
            buildings: Vec::new(),
            addresses: Vec::new(),
        }
    }

    /// The report being filled (for warnings).
    pub(crate) fn report(&mut self) -> &mut ImportReport {
        self.report
    }

    /// The areas records are joined against. Pipelines join in their parallel stage and then
    /// call the `write_*` methods, so that the writing thread only writes.
    pub(crate) fn areas(&self) -> &'s AreaIndex {
        self.areas
    }

    /// Joins and writes a batch of buildings whose area references are still to be found.
    pub(crate) fn put_buildings(&mut self, mut batch: Vec<Building>) -> Result<()> {
        if !self.areas.is_empty() {
            let areas = self.areas;
            batch
                .par_iter_mut()
                .for_each(|b| b.areas = areas.building_refs(b));
        }
        self.write_buildings(&batch)
    }

    /// Writes buildings as they are (already joined).
    pub(crate) fn write_buildings(&mut self, batch: &[Building]) -> Result<()> {
        for b in batch {
            self.tx.put_building(b)?;
            self.report.count_building(b);
        }
        Ok(())
    }

    /// Joins and writes a batch of addresses.
    pub(crate) fn put_addresses(&mut self, mut batch: Vec<Address>) -> Result<()> {
        if !self.areas.is_empty() {
            let areas = self.areas;
            batch
                .par_iter_mut()
                .for_each(|a| a.areas = areas.address_refs(a));
        }
        self.write_addresses(&batch)
    }

    /// Writes addresses as they are (already joined).
    pub(crate) fn write_addresses(&mut self, batch: &[Address]) -> Result<()> {
        for a in batch {
            self.tx.put_address(a)?;
        }
        self.report.addresses += batch.len() as u64;
        Ok(())
    }

    /// Writes areas (their own references are not needed: an area is its code).
    pub(crate) fn put_areas(&mut self, batch: &[Area]) -> Result<()> {
        for a in batch {
            self.tx.put_area(a)?;
        }
        self.report.areas += batch.len() as u64;
        Ok(())
    }

    /// Writes what is still buffered from [`BagSink`] calls.
    pub(crate) fn finish(mut self) -> Result<()> {
        let b = std::mem::take(&mut self.buildings);
        self.put_buildings(b)?;
        let a = std::mem::take(&mut self.addresses);
        self.put_addresses(a)
    }
}

impl BagSink for StoreSink<'_, '_> {
    fn building(&mut self, b: Building) -> Result<()> {
        self.buildings.push(b);
        if self.buildings.len() >= BATCH {
            let batch = std::mem::replace(&mut self.buildings, Vec::with_capacity(BATCH));
            self.put_buildings(batch)?;
        }
        Ok(())
    }

    fn address(&mut self, a: Address) -> Result<()> {
        self.addresses.push(a);
        if self.addresses.len() >= BATCH {
            let batch = std::mem::replace(&mut self.addresses, Vec::with_capacity(BATCH));
            self.put_addresses(batch)?;
        }
        Ok(())
    }
}
