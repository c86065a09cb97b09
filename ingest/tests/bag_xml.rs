//! The BAG 2.0 extract reader on Kadaster's real Doesburg (gemeente 0221) files, read in place from
//! `../shared/sample-data-real/bag-lv-extract-xml/` (see SOURCE.md there; skipped without them).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use domain::{Address, AddressStatus, Building, BuildingStatus, Usage, UsageSet};
use geo::Contains;
use ingest::{
    BagSink, BagXmlError, BagXmlSummary, NoProgress, Progress, RdToWgs84, looks_like_bag_xml,
    read_bag_xml,
};

mod support;

/// The folder of Kadaster's Doesburg files; `None` (the test is skipped) without the real samples.
fn doesburg() -> Option<PathBuf> {
    support::real_sample("bag-lv-extract-xml")
}

const PANDEN_ZIP: &str = "0221PND15092020.zip";
const SMALL: &str = "doesburg-0221-small";

#[derive(Default)]
struct Collect {
    buildings: Vec<Building>,
    addresses: Vec<Address>,
}

impl BagSink for Collect {
    fn building(&mut self, b: Building) -> ingest::Result<()> {
        self.buildings.push(b);
        Ok(())
    }
    fn address(&mut self, a: Address) -> ingest::Result<()> {
        self.addresses.push(a);
        Ok(())
    }
}

fn read(path: &Path) -> ingest::Result<(BagXmlSummary, Collect)> {
    let rd = RdToWgs84::new()?;
    let mut sink = Collect::default();
    let summary = read_bag_xml(path, &rd, &NoProgress, &mut sink)?;
    Ok((summary, sink))
}

fn bag_error(path: &Path) -> BagXmlError {
    match read(path) {
        Err(ingest::Error::BagXml(e)) => e,
        Err(other) => panic!("expected a BAG XML error, got {other}"),
        Ok((summary, _)) => panic!("expected an error, got {summary:?}"),
    }
}

/// Current panden per status in the panden zip. Obtained independently of this crate with awk
/// over the unzipped XML (`unzip -p 0221PND15092020.zip | awk 'BEGIN{RS="</Objecten:Pand>"}
/// /<Objecten:Pand>/ && !/eindGeldigheid/ {…print the status…}' | sort | uniq -c`), and again
/// with Python's ElementTree (versions grouped by identificatie, current = no
/// `Historie:eindGeldigheid`, highest voorkomenidentificatie). Both give 7,797 current panden,
/// one per object. `grep -c '<Objecten:Pand>'` gives 10,000 + 3,098 = 13,098 versions and
/// `grep -o` of the distinct pand identificaties 7,797; 13,098 − 5,301 versions with an
/// eindGeldigheid = 7,797. The files have no tijdstipInactief / NietBag marks.
const PANDEN_PER_STATUS: [(&str, u64); 8] = [
    ("Bouwvergunning verleend", 168),
    ("Niet gerealiseerd pand", 12),
    ("Pand gesloopt", 389),
    ("Pand in gebruik", 7204),
    ("Pand in gebruik (niet ingemeten)", 3),
    ("Pand ten onrechte opgevoerd", 1),
    ("Sloopvergunning verleend", 6),
    ("Verbouwing pand", 14),
];

fn expected_status_counts() -> BTreeMap<String, u64> {
    PANDEN_PER_STATUS
        .iter()
        .map(|&(s, n)| (s.to_owned(), n))
        .collect()
}

fn assert_doesburg_panden(summary: &BagXmlSummary, sink: &Collect) {
    assert_eq!(summary.pand_versions, 13_098);
    assert_eq!(summary.pand_objects, 7_797);
    assert_eq!(summary.panden, 7_797);
    assert_eq!(summary.pand_status_counts, expected_status_counts());
    assert_eq!(sink.buildings.len(), 7_797);
}

#[test]
fn panden_zip_reduces_13098_versions_to_7797_current_panden() {
    let Some(d) = doesburg() else { return };
    let (summary, sink) = read(&d.join(PANDEN_ZIP)).unwrap();
    assert_doesburg_panden(&summary, &sink);
    assert_eq!(
        summary.files,
        ["0221PND15092020-000001.xml", "0221PND15092020-000002.xml"]
    );
    assert_eq!(summary.gemeente.as_deref(), Some("0221"));
    assert_eq!((summary.addresses, summary.skipped_addresses), (0, 0));
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);

    // awk: 20 current panden with oorspronkelijkBouwjaar 9999; 5 with interior rings (6 rings).
    assert_eq!(
        sink.buildings
            .iter()
            .filter(|b| b.construction_year().is_none())
            .count(),
        20
    );
    let holes: Vec<usize> = sink
        .buildings
        .iter()
        .map(|b| {
            b.footprint_wgs84
                .0
                .iter()
                .map(|p| p.interiors().len())
                .sum()
        })
        .filter(|&n| n > 0)
        .collect();
    assert_eq!((holes.len(), holes.iter().sum::<usize>()), (5, 6));

    // Without VBO parts, panden carry no units; every footprint lies in and around Doesburg.
    assert!(
        sink.buildings
            .iter()
            .all(|b| b.units == 0 && b.usage.is_empty())
    );
    for b in &sink.buildings {
        for c in b
            .footprint_wgs84
            .0
            .iter()
            .flat_map(|p| p.exterior().0.iter())
        {
            assert!(
                (5.9..6.4).contains(&c.x) && (51.9..52.1).contains(&c.y),
                "{} at {c:?}",
                b.id
            );
        }
    }
    // The object whose versions straddle the two parts is emitted once.
    let straddling = sink
        .buildings
        .iter()
        .filter(|b| b.id.to_string() == "0221100000317614")
        .count();
    assert_eq!(straddling, 1);
    assert!(
        sink.buildings.windows(2).all(|w| w[0].id < w[1].id),
        "ids are unique and sorted"
    );
}

#[test]
fn first_pand_converts_its_rd_polygon_to_wgs84() {
    let Some(d) = doesburg() else { return };
    let (_, sink) = read(&d.join(PANDEN_ZIP)).unwrap();
    let b = sink
        .buildings
        .iter()
        .find(|b| b.id.to_string() == "0221100000312938")
        .unwrap();
    let rd = RdToWgs84::new().unwrap();
    // Its current version is voorkomen 4 (versions 1–3 have an eindGeldigheid); the first
    // position of that polygon is 206329.214 447536.435 0.0 (version 1 starts at 206341.621).
    let (lon, lat) = rd.lonlat(206_329.214, 447_536.435).unwrap();
    let ring = &b.footprint_wgs84.0[0].exterior().0;
    assert!(
        (ring[0].x - lon).abs() < 1e-12 && (ring[0].y - lat).abs() < 1e-12,
        "{:?}",
        ring[0]
    );
    assert_eq!(ring.len(), 14, "posList count=\"14\"");
    assert_eq!((b.status, b.bouwjaar), (BuildingStatus::InUse, 1585));
}

#[test]
fn small_folder_reads_all_seven_object_types_and_joins_addresses() {
    let Some(d) = doesburg() else { return };
    let (summary, sink) = read(&d.join(SMALL)).unwrap();
    // Versions per type: SOURCE.md; current objects: Python ElementTree over each file (no
    // eindGeldigheid, highest voorkomenidentificatie).
    let versions: BTreeMap<String, u64> = [
        ("LIG", 2),
        ("NUM", 15),
        ("OPR", 201),
        ("PND", 6),
        ("STA", 2),
        ("VBO", 5),
        ("WPL", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    let current: BTreeMap<String, u64> = [
        ("LIG", 2),
        ("NUM", 9),
        ("OPR", 198),
        ("PND", 2),
        ("STA", 2),
        ("VBO", 2),
        ("WPL", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(summary.versions, versions);
    assert_eq!(summary.current, current);
    assert_eq!(
        summary.files.len(),
        7,
        "the Leveringsdocument holds no objects: {:?}",
        summary.files
    );
    assert_eq!(summary.gemeente.as_deref(), Some("0221"));
    assert_eq!((summary.addresses, summary.skipped_addresses), (6, 0));
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);

    let labels: Vec<(String, String)> = sink
        .addresses
        .iter()
        .map(|a| (a.id.to_string(), a.label()))
        .collect();
    assert_eq!(
        labels,
        [
            ("0221010000330226", "Kosterstraat 4, 6981CH Doesburg"),
            (
                "0221010000330999",
                "Schout bij Nacht Doormansingel 9l, Doesburg"
            ),
            ("0221020000330152", "Koppenberch 2, 6982CZ Doesburg"),
            ("0221020000330154", "Koppenberch 20, 6982CZ Doesburg"),
            ("0221030000330172", "Het Hoornwerck 1, 6981ED Doesburg"),
            ("0221030000330174", "Het Hoornwerck 4, 6981ED Doesburg"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );

    let vbo = &sink.addresses[0];
    assert_eq!(vbo.street, "Kosterstraat");
    assert_eq!(
        (
            vbo.house_number,
            vbo.house_letter.as_deref(),
            vbo.addition.as_deref()
        ),
        (4, None, None)
    );
    assert_eq!(
        vbo.status,
        AddressStatus::Renovation,
        "voorkomen 4 (Verbouwing verblijfsobject) is current"
    );
    assert_eq!(vbo.floor_area_m2, Some(223));
    assert_eq!(vbo.usage, "woonfunctie".parse::<UsageSet>().unwrap());
    assert_eq!(
        vbo.building_ids
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["0221100000312938"]
    );
    let rd = RdToWgs84::new().unwrap();
    let (lon, lat) = rd.lonlat(206_335.699, 447_529.842).unwrap();
    assert!(
        (vbo.location_wgs84.x() - lon).abs() < 1e-12
            && (vbo.location_wgs84.y() - lat).abs() < 1e-12
    );

    let other = &sink.addresses[1];
    assert_eq!(
        (other.house_letter.as_deref(), other.postcode.as_deref()),
        (Some("l"), None)
    );
    assert!(other.usage.contains(Usage::OverigeGebruiksfunctie));

    // A ligplaats lies at the centroid of its (parallelogram) polygon: the mean of its corners.
    let lig = &sink.addresses[2];
    assert_eq!(lig.status, AddressStatus::PlaceAssigned);
    assert!(lig.building_ids.is_empty() && lig.usage.is_empty() && lig.floor_area_m2.is_none());
    let (lon, lat) = rd.lonlat(207_439.694, 446_264.643).unwrap();
    assert!(
        (lig.location_wgs84.x() - lon).abs() < 1e-9 && (lig.location_wgs84.y() - lat).abs() < 1e-9
    );

    // Panden carry their current verblijfsobjecten (in file order: this subset is not sorted).
    let units: Vec<(String, u32, String)> = sink
        .buildings
        .iter()
        .map(|b| (b.id.to_string(), b.units, b.usage.to_string()))
        .collect();
    assert_eq!(
        units,
        [
            ("0221100000312938".to_owned(), 1, "woonfunctie".to_owned()),
            (
                "0221100000311191".to_owned(),
                1,
                "overige gebruiksfunctie".to_owned()
            ),
        ]
    );
    let pand = &sink.buildings[0];
    assert!(
        pand.footprint_wgs84.contains(&vbo.location_wgs84),
        "the verblijfsobject lies in its pand"
    );
}

#[test]
fn single_xml_file_is_read() {
    let Some(d) = doesburg() else { return };
    let (summary, sink) = read(&d.join(format!("{SMALL}/0221PND15092020-000001.xml"))).unwrap();
    assert_eq!(
        (summary.pand_versions, summary.pand_objects, summary.panden),
        (6, 2, 2)
    );
    assert_eq!(summary.files, ["0221PND15092020-000001.xml"]);
    assert_eq!(sink.buildings.len(), 2);
    assert!(sink.addresses.is_empty());
}

#[test]
fn folder_with_zip_and_relation_file_reads_the_zip() {
    let Some(d) = doesburg() else { return };
    // The folder holds the panden zip, the gemeente–woonplaats relation XML and SOURCE.md;
    // sub-folders are not entered.
    let (summary, sink) = read(&d).unwrap();
    assert_doesburg_panden(&summary, &sink);
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
}

fn write_zip(path: &Path, entries: &[(&str, &[u8], zip::CompressionMethod)]) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).expect("create zip"));
    for (name, bytes, method) in entries {
        let options = zip::write::SimpleFileOptions::default().compression_method(*method);
        zip.start_file(*name, options).expect("start entry");
        zip.write_all(bytes).expect("write entry");
    }
    zip.finish().expect("finish zip");
}

#[test]
fn zips_nested_in_a_zip_are_read_stored_or_deflated() {
    let Some(d) = doesburg() else { return };
    let dir = tempfile::tempdir().unwrap();
    let inner = fs::read(d.join(PANDEN_ZIP)).unwrap();
    for method in [
        zip::CompressionMethod::Stored,
        zip::CompressionMethod::Deflated,
    ] {
        let outer = dir.path().join(format!("lvbag-extract-{method:?}.zip"));
        let leverings =
            fs::read(d.join(format!("{SMALL}/Leveringsdocument-BAG-Extract.xml"))).unwrap();
        write_zip(
            &outer,
            &[
                ("Leveringsdocument-BAG-Extract.xml", &leverings, method),
                ("0221PND15092020.zip", &inner, method),
            ],
        );
        assert!(looks_like_bag_xml(&outer));
        let (summary, sink) = read(&outer).unwrap();
        assert_doesburg_panden(&summary, &sink);
        assert_eq!(
            summary.files[1],
            "0221PND15092020.zip!0221PND15092020-000002.xml"
        );
    }
}

#[derive(Default)]
struct Recorder {
    phases: Mutex<Vec<(String, Option<u64>)>>,
    advanced: AtomicU64,
}

impl Progress for Recorder {
    fn phase(&self, name: &str, len: Option<u64>) {
        self.phases
            .lock()
            .expect("not poisoned")
            .push((name.to_owned(), len));
    }
    fn advance(&self, n: u64) {
        self.advanced.fetch_add(n, Ordering::Relaxed);
    }
}

#[test]
fn progress_counts_uncompressed_bytes() {
    let Some(d) = doesburg() else { return };
    let progress = Recorder::default();
    let rd = RdToWgs84::new().unwrap();
    read_bag_xml(&d.join(PANDEN_ZIP), &rd, &progress, &mut Collect::default()).unwrap();
    // `unzip -l`: 14,886,035 + 4,644,365 bytes.
    assert_eq!(
        *progress.phases.lock().unwrap(),
        [("BAG Pand (PND)".to_owned(), Some(19_530_400))]
    );
    assert_eq!(progress.advanced.load(Ordering::Relaxed), 19_530_400);
}

#[test]
fn truncated_xml_is_an_error_naming_the_file() {
    let Some(d) = doesburg() else { return };
    let dir = tempfile::tempdir().unwrap();
    let xml = fs::read(d.join(format!("{SMALL}/0221PND15092020-000001.xml"))).unwrap();
    assert_eq!(xml.len() / 2, 8701);
    for cut in [xml.len() / 2, xml.len() - 40, 100] {
        let path = dir.path().join(format!("0221PND-cut-{cut}.xml"));
        fs::write(&path, &xml[..cut]).unwrap();
        let err = bag_error(&path);
        let message = err.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        match cut {
            // Cut between two elements inside the first pand: the reader sees the end of input.
            8701 => assert!(
                matches!(&err, BagXmlError::Truncated { inside, .. } if inside == "Pand 0221100000312938"),
                "{message}"
            ),
            // Cut inside a tag: quick-xml's syntax error.
            _ => assert!(matches!(err, BagXmlError::Xml { .. }), "{message}"),
        }
    }
}

#[test]
fn corrupt_zips_are_errors_naming_file_and_entry() {
    let Some(d) = doesburg() else { return };
    let dir = tempfile::tempdir().unwrap();
    let bytes = fs::read(d.join(PANDEN_ZIP)).unwrap();
    let cut = dir.path().join("cut.zip");
    fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = bag_error(&cut);
    assert!(
        matches!(err, BagXmlError::Zip { .. }) && err.to_string().contains("cut.zip"),
        "{err}"
    );

    // Damage the deflate stream of the first part but keep the directory intact.
    let mut damaged = bytes.clone();
    damaged[300_000..301_000].fill(0x5a);
    let path = dir.path().join("damaged.zip");
    fs::write(&path, &damaged).unwrap();
    let err = bag_error(&path);
    assert!(
        err.to_string()
            .contains("damaged.zip!0221PND15092020-000001.xml"),
        "{err}"
    );
}

#[test]
fn non_bag_xml_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("route.xml");
    fs::write(
        &path,
        "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\"><trk><name>x</name></trk></gpx>\n",
    )
    .unwrap();
    assert!(!looks_like_bag_xml(&path));
    let err = bag_error(&path);
    assert_eq!(
        err.to_string(),
        format!(
            "{}: not a BAG 2.0 extract XML: root element <gpx>, expected a BAG extract part (bagStand)",
            path.display()
        )
    );
}

#[test]
fn bag_side_files_hold_no_objects() {
    let Some(d) = doesburg() else { return };
    let relation = d.join("GEM-WPL-RELATIE-15092020-000001.xml");
    assert!(!looks_like_bag_xml(&relation));
    assert!(matches!(
        bag_error(&relation),
        BagXmlError::NoObjects { .. }
    ));
}

#[test]
fn looks_like_accepts_the_real_inputs() {
    let Some(d) = doesburg() else { return };
    assert!(looks_like_bag_xml(&d.join(PANDEN_ZIP)));
    assert!(looks_like_bag_xml(&d.join(SMALL)));
    assert!(looks_like_bag_xml(
        &d.join(format!("{SMALL}/0221VBO15092020-000001.xml"))
    ));
    assert!(!looks_like_bag_xml(&d.join("SOURCE.md")));
    assert!(!looks_like_bag_xml(&d.join("does-not-exist.zip")));
}
