//! Importing the real Doesburg BAG 2.0 extract (read in place) through `ingest::import`: one
//! transaction, counts per status, idempotent re-import, join to areas.

mod support;

use domain::BuildingStatus;
use ingest::{ImportOptions, NoProgress, SourceFormat, detect, import};
use store::Store;
use support::*;

#[test]
fn the_doesburg_panden_zip_gives_7797_current_panden_once() {
    let Some(zip) = real_sample("bag-lv-extract-xml/0221PND15092020.zip") else {
        return;
    };
    assert_eq!(detect(&zip).unwrap(), SourceFormat::BagXml);
    let (_d, store) = temp_store();
    let report = import(&zip, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!((report.buildings, report.addresses), (7_797, 0));
    assert_eq!(report.source_key, "bag-xml:0221PND15092020.zip");
    assert_eq!(report.building_status_counts[&BuildingStatus::InUse], 7_204);
    assert_eq!(
        report.building_status_counts[&BuildingStatus::Demolished],
        389
    );
    assert_eq!(
        report.building_status_counts[&BuildingStatus::NotRealised],
        12
    );

    let before = snapshot(&store);
    assert_eq!(before.0.buildings, 7_797);
    import(&zip, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(snapshot(&store), before);
}

#[test]
fn the_small_doesburg_folder_gives_panden_and_addresses() {
    let Some(folder) = real_sample("bag-lv-extract-xml/doesburg-0221-small") else {
        return;
    };
    let (_d, store) = temp_store();
    let report = import(&folder, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!((report.buildings, report.addresses), (2, 6));
    assert_eq!(report.source_key, "bag-xml:doesburg-0221-small");
    assert_eq!(
        (
            store.counts().unwrap().buildings,
            store.counts().unwrap().addresses
        ),
        (2, 6)
    );
}
