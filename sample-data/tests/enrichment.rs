//! The sample's enrichment files read back by the importers, in the order `wijkwerk demo` imports
//! them: every 3DBAG pand and every label names a pand or verblijfsobject of `bag-light.gpkg` (but
//! the one odd row per buurt the generator writes on purpose), both 3DBAG files say the same, and
//! the tree register holds what the generator wrote.

#![expect(clippy::unwrap_used, reason = "a failed step fails the test")]

use ingest::{ImportOptions, NoProgress, SourceFormat, detect, import};
use sample_data::{SampleOptions, generate};
use store::{SqliteStore, Store};

fn roofs(store: &SqliteStore) -> Vec<domain::Building3d> {
    let mut all = Vec::new();
    store.for_each_building_3d(&mut |b| all.push(b)).unwrap();
    all
}

#[test]
fn the_demo_wijk_enrichment_imports_with_every_id_known() {
    let dir = tempfile::tempdir().unwrap();
    let s = generate(&SampleOptions::new(600, 3, dir.path()), &mut |_| {}).unwrap();
    let e = &s.enrichment;
    assert_eq!(
        [
            &e.three_d_bag_jsonl,
            &e.three_d_bag_gpkg,
            &e.ep_online,
            &e.trees
        ]
        .map(|p| detect(p).unwrap()),
        [
            SourceFormat::ThreeDBagCityJson,
            SourceFormat::ThreeDBagGpkg,
            SourceFormat::EpOnline,
            SourceFormat::TreeRegister
        ]
    );
    let db = dir.path().join("wijkwerk.sqlite");
    let store = SqliteStore::open(&db).unwrap();
    let opts = ImportOptions::default();
    import(&s.wijkenbuurten, &store, &opts, &NoProgress).unwrap();
    import(&s.bag_light, &store, &opts, &NoProgress).unwrap();

    let jsonl = import(&e.three_d_bag_jsonl, &store, &opts, &NoProgress).unwrap();
    assert_eq!(jsonl.buildings_3d, e.buildings_3d);
    assert!(e.buildings_3d > 0 && e.buildings_3d <= s.panden);
    assert_eq!(jsonl.buildings_3d_unknown, 0, "{:?}", jsonl.skipped);
    assert!(jsonl.roof_parts >= jsonl.buildings_3d);
    let from_jsonl = roofs(&store);

    // The GeoPackage into a store of its own: the same panden, roof types and areas.
    let gpkg_store = SqliteStore::open(dir.path().join("gpkg.sqlite")).unwrap();
    let gpkg = import(&e.three_d_bag_gpkg, &gpkg_store, &opts, &NoProgress).unwrap();
    assert_eq!(gpkg.buildings_3d, e.buildings_3d);
    assert_eq!(gpkg.roof_parts, jsonl.roof_parts);
    let from_gpkg = roofs(&gpkg_store);
    for (a, b) in from_jsonl.iter().zip(&from_gpkg) {
        assert_eq!((a.id, a.roof_type), (b.id, b.roof_type));
        assert_eq!(
            (a.roof_flat_m2, a.roof_sloped_m2),
            (b.roof_flat_m2, b.roof_sloped_m2)
        );
        assert!(
            (a.solar_suitable_m2() - b.solar_suitable_m2()).abs() < 0.5,
            "{a:?} vs {b:?}"
        );
    }

    let labels = import(&e.ep_online, &store, &opts, &NoProgress).unwrap();
    assert_eq!(labels.label_rows, e.label_rows);
    // One row per buurt names a verblijfsobject that does not exist, one a pand alone.
    assert_eq!(labels.labels_unknown_address, s.buurten);
    assert_eq!(labels.labels_without_address, s.buurten);
    assert!(
        labels.labels_superseded > 0,
        "some addresses have an older label"
    );
    assert_eq!(
        labels.energy_labels
            + labels.labels_superseded
            + labels.labels_unknown_address
            + labels.labels_without_address,
        labels.label_rows
    );

    let trees = import(&e.trees, &store, &opts, &NoProgress).unwrap();
    assert_eq!(trees.trees, e.trees_written);
    assert!(trees.skipped.is_empty(), "{:?}", trees.skipped);

    let c = store.counts().unwrap();
    assert_eq!(
        (c.buildings_3d, c.energy_labels, c.trees),
        (e.buildings_3d, labels.energy_labels, e.trees_written)
    );
}
