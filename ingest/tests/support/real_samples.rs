//! The real third-party samples some tests read in place: `../shared/sample-data-real/` beside the
//! repository (see SOURCES.md there), or the folder `WIJKWERK_REAL_SAMPLES` names. A clone without
//! them skips those tests and says so; CI sets `WIJKWERK_REQUIRE_REAL_SAMPLES=1`, which makes the
//! samples required.
//!
//! One file for the unit tests (included by `src/lib.rs`) and the integration tests (`support`).

use std::io::Write as _;
use std::path::PathBuf;

/// The file or folder `relative` of the real samples, or `None` when the samples folder is absent:
/// the calling test is then skipped (it returns at once), which this says on standard error with
/// the reason and the path. With `WIJKWERK_REQUIRE_REAL_SAMPLES=1` an absent folder fails the test
/// instead.
///
/// ```ignore
/// let Some(file) = real_sample("cbs-wijkenbuurten/ermelo_buurten_2021.gpkg") else { return };
/// ```
pub fn real_sample(relative: &str) -> Option<PathBuf> {
    let root = std::env::var_os("WIJKWERK_REAL_SAMPLES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/sample-data-real"),
        PathBuf::from,
    );
    if root.is_dir() {
        return Some(root.join(relative));
    }
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let reason = format!(
        "the real sample data folder {} is absent (this test reads {relative} in it)",
        root.display()
    );
    assert!(
        std::env::var("WIJKWERK_REQUIRE_REAL_SAMPLES").as_deref() != Ok("1"),
        "{test}: {reason}, and WIJKWERK_REQUIRE_REAL_SAMPLES=1 requires it"
    );
    // Written to the process's standard error itself: the test harness would hide an `eprintln!`
    // of a passing test.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {reason}; set WIJKWERK_REAL_SAMPLES to the folder to run it"
    );
    None
}
