//! Support for the end-to-end tests: the real `wijkwerk` binary on a free port with a generated
//! sample wijk, a minimal HTTP/1.1 client, and helpers to run independent clients (Python, GDAL,
//! Node).

pub mod http;
pub mod images;
pub mod mvt;
pub mod server;

pub use http::{Client, Response, get, get_with, request, request_from};
pub use server::{
    Sandbox, Server, run_wijkwerk, sample_db, sample_server, wijkwerk_binary, wijkwerk_gdal_binary,
    workspace_root,
};

/// The output of the `sqlite3` command (CI installs it) running `sql` on the store at `db`: to read
/// what a test's server wrote, through a client of its own.
pub fn sqlite(db: &std::path::Path, sql: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("the sqlite3 command (CI installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A command running the Python interpreter of the independent clients (mapbox-vector-tile,
/// OWSLib, jsonschema; `.ci/requirements.txt`): `WIJKWERK_PYTHON` when set (`.ci/run` sets it to
/// the virtual environment it makes), else that environment (`.venv/` at the repository root)
/// when it exists, else `python3`.
pub fn python() -> std::process::Command {
    let venv = workspace_root().join(".venv/bin/python");
    let interpreter = std::env::var_os("WIJKWERK_PYTHON").unwrap_or_else(|| {
        if venv.exists() {
            venv.into_os_string()
        } else {
            "python3".into()
        }
    });
    std::process::Command::new(interpreter)
}
