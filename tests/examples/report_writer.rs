//! The durable write path without HTTP: `store::ObservationWriter::write_batch` on a copy of a store,
//! one batch after another, for the benchmark of reports (`bench/reports.sh`).
//!
//! `--batch 1` is the baseline of one transaction (one WAL fsync, `synchronous = FULL`) per
//! report; larger batches are what the server's group commit does under load. Prints one JSON
//! line: reports/s and the p50/p99/max time of one `write_batch` call in ms.
//!
//! ```sh
//! cargo run --release -p tests --example report_writer -- --db COPY.sqlite --batch 1 --reports 2000
//! ```

use std::io::Write as _;
use std::time::Instant;

use store::people::NewObservation;
use store::{ObservationWriter, PendingObservation, SqliteStore, Store as _};

struct Args {
    db: String,
    batch: usize,
    reports: usize,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        db: String::new(),
        batch: 1,
        reports: 2000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--db" => a.db = value,
            "--batch" => a.batch = value.parse().map_err(|e| format!("--batch: {e}"))?,
            "--reports" => a.reports = value.parse().map_err(|e| format!("--reports: {e}"))?,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if a.db.is_empty() || a.batch == 0 {
        return Err("usage: report_writer --db STORE [--batch N] [--reports N]".into());
    }
    Ok(a)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = args()?;
    let store = SqliteStore::open(&a.db)?;
    let mut buildings = Vec::new();
    store.for_each_building(&mut |b| {
        if b.status.as_str() == "Pand in gebruik" {
            buildings.push((b.id.get(), b.areas.buurt.map(|c| c.to_string())));
        }
    })?;
    if buildings.is_empty() {
        return Err("no standing buildings in the store".into());
    }
    let reporters: Vec<i64> = (0..64)
        .map(|_| store.new_device_reporter(now()))
        .collect::<Result<_, _>>()?;
    let mut writer = ObservationWriter::open(&a.db)?;
    let pending = |i: usize| {
        let (building, buurt) = buildings[i * 7919 % buildings.len()].clone();
        PendingObservation {
            observation: NewObservation {
                kind: "solar_panels".into(),
                building_id: Some(building),
                address_id: None,
                lonlat: [5.0, 52.0],
                buurtcode: buurt,
                observed_at: now(),
                source: "resident".into(),
                reporter_id: reporters[i % reporters.len()],
                answers: r#"{"panels":"yes","count":"5-10"}"#.into(),
            },
            type_version: 1,
            tree_id: None,
            pii_suspected: false,
            idempotency_key: Some(format!("writer-{}-{i}", std::process::id())),
        }
    };
    let mut times_ms = Vec::new();
    let started = Instant::now();
    let mut written = 0;
    while written < a.reports {
        let n = a.batch.min(a.reports - written);
        let batch: Vec<PendingObservation> = (written..written + n).map(pending).collect();
        let t = Instant::now();
        for r in writer.write_batch(&batch, now())? {
            r?;
        }
        times_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        written += n;
    }
    let secs = started.elapsed().as_secs_f64();
    times_ms.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        times_ms[((p * times_ms.len() as f64).ceil() as usize).clamp(1, times_ms.len()) - 1]
    };
    writeln!(
        std::io::stdout().lock(),
        "{{\"batch\": {}, \"reports\": {written}, \"seconds\": {secs:.3}, \"reports_per_s\": {:.1}, \
         \"batch_p50_ms\": {:.3}, \"batch_p99_ms\": {:.3}, \"batch_max_ms\": {:.3}}}",
        a.batch,
        written as f64 / secs,
        pct(0.5),
        pct(0.99),
        times_ms[times_ms.len() - 1],
    )?;
    Ok(())
}
