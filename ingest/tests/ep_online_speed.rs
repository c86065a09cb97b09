//! EP-Online import speed on a generated national-scale file (ignored by default; run in release):
//!
//! ```text
//! cargo test --release -p ingest --test ep_online_speed -- --ignored --nocapture
//! WIJKWERK_SPEED_ADDRESSES=200000 cargo test --release -p ingest --test ep_online_speed -- --ignored --nocapture
//! ```
//!
//! A store with N verblijfsobjecten (a bag-light file of N panden, one each), then RVO's zip with
//! the preamble and 2 N rows of ~300 bytes: a label for every address, an older one for half of
//! them, and 0.5 N rows of unknown verblijfsobjecten. Prints rows per second of the EP-Online import
//! (inflate, parse, keep the newest, write) and the process's peak memory, and checks the counts.

#![expect(clippy::unwrap_used, reason = "fixture helpers fail the test loudly")]

mod support;

use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::time::Instant;

use ingest::{ImportOptions, NoProgress, import};
use support::*;

fn size() -> u64 {
    std::env::var("WIJKWERK_SPEED_ADDRESSES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000)
}

/// The process's peak resident memory (VmHWM), MiB.
fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib / 1024)
}

fn ep_online_zip(path: &Path, n: u64) -> u64 {
    let file = BufWriter::new(std::fs::File::create(path).unwrap());
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("v20240101_v2_csv.csv", options).unwrap();
    writeln!(zip, "PublicatieDatum;01-01-2024").unwrap();
    writeln!(zip, "LaatstVerwerkteMutatievolgnummer;18412057").unwrap();
    writeln!(
        zip,
        "Pand_opnamedatum;Pand_opnametype;Pand_status;Pand_berekeningstype;Pand_energieindex;\
         Pand_energieklasse;Pand_energielabel_is_prive;Pand_is_op_basis_van_referentie_gebouw;\
         Pand_gebouwklasse;Meting_geldig_tot;Pand_registratiedatum;Pand_postcode;Pand_huisnummer;\
         Pand_huisnummer_toev;Pand_detailaanduiding;Pand_bagverblijfsobjectid;Pand_bagligplaatsid;\
         Pand_bagstandplaatsid;Pand_bagpandid;Pand_gebouwtype;Pand_gebouwsubtype;Pand_projectnaam;\
         Pand_projectobject;Pand_SBIcode;Pand_gebruiksoppervlakte_thermische_zone;\
         Pand_energiebehoefte;Pand_eis_energiebehoefte;Pand_primaire_fossiele_energie"
    )
    .unwrap();
    let classes = ["A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G"];
    let mut rows = 0;
    let mut row = |zip: &mut zip::ZipWriter<_>, vbo: &str, pand: &str, k: u64, date: &str| {
        let class = classes[(k % 10) as usize];
        writeln!(
            zip,
            "{date};Basisopname;Bestaand;NTA 8800:2023 (detailopname);;{class};false;false;W;\
             20341231;{date};9999AA;{};;;{vbo};;;{pand};Rijwoning tussen;;;;;84,3;123,45;\
             150,00;98,76",
            k % 300 + 1
        )
        .unwrap();
        rows += 1;
    };
    for k in 0..n {
        let (vbo, pand) = (vbo_id(k), pand_id(k));
        if k % 2 == 0 {
            row(&mut zip, &vbo, &pand, k + 3, "2012-05-01");
        }
        row(&mut zip, &vbo, &pand, k, "2023-10-15");
        if k % 2 == 0 {
            // An unknown verblijfsobject.
            row(&mut zip, &format!("0999{k:012}"), &pand, k, "2020-01-01");
        }
    }
    zip.finish().unwrap().flush().unwrap();
    rows
}

#[test]
#[ignore = "generates a large file; run in release with --ignored"]
fn ep_online_import_speed() {
    let n = size();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let bag = dir.join(format!("ep-speed-bag-light-{n}_epsg28992.gpkg"));
    let bag: PathBuf = if bag.exists() {
        bag
    } else {
        bag_light(&bag, n, n, 120_000.0, 450_000.0)
    };
    let labels = dir.join(format!("ep-speed-{n}.zip"));
    let started = Instant::now();
    let rows = ep_online_zip(&labels, n);
    let zip_mb = std::fs::metadata(&labels).unwrap().len() as f64 / 1e6;
    eprintln!(
        "wrote {rows} rows ({zip_mb:.0} MB zipped) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (_d, store) = temp_store();
    import(&bag, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let before = peak_rss_mib();
    let started = Instant::now();
    let report = import(&labels, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "EP-Online: {rows} rows in {secs:.2} s = {:.0} rows/s; {} labels kept, {} superseded, \
         {} unknown; peak RSS {before} MiB before, {} MiB after",
        rows as f64 / secs,
        report.energy_labels,
        report.labels_superseded,
        report.labels_unknown_address,
        peak_rss_mib()
    );
    assert_eq!(report.label_rows, rows);
    assert_eq!(report.energy_labels, n);
    assert_eq!(report.labels_superseded, n.div_ceil(2));
    assert_eq!(report.labels_unknown_address, n.div_ceil(2));
}
