//! The real binary, started on a free port over a generated sample wijk.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lies in the workspace")
        .to_path_buf()
}

/// Builds (once) and returns the `wijkwerk` binary of this workspace.
pub fn wijkwerk_binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "-p", "server", "--bin", "wijkwerk"])
            .current_dir(workspace_root());
        let status = cmd.status().expect("run cargo build");
        assert!(status.success(), "building wijkwerk failed");
        let target = std::env::var("CARGO_TARGET_DIR")
            .map_or_else(|_| workspace_root().join("target"), PathBuf::from);
        target.join("debug").join("wijkwerk")
    })
    .clone()
}

/// Runs `wijkwerk` with `args` to completion; panics with its output if it fails.
pub fn run_wijkwerk(args: &[&str]) -> std::process::Output {
    let out = Command::new(wijkwerk_binary())
        .args(args)
        .output()
        .expect("run wijkwerk");
    assert!(
        out.status.success(),
        "wijkwerk {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A running `wijkwerk serve`; killed on drop.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Every log line it printed.
    pub log: Arc<Mutex<Vec<String>>>,
    /// The data folder (kept alive with the server).
    pub dir: PathBuf,
}

impl Server {
    /// Starts `wijkwerk serve --db DB --listen 127.0.0.1:0 EXTRA…` and waits until it listens.
    pub fn start(db: &Path, extra: &[&str]) -> Self {
        let mut child = Command::new(wijkwerk_binary())
            .args(["serve", "--db"])
            .arg(db)
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start wijkwerk serve");
        let stderr = child.stderr.take().expect("piped stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let log2 = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr = rest
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .trim_end_matches('/')
                        .to_owned();
                    let _ = tx.send(addr);
                }
                log2.lock().expect("log lock").push(line);
            }
        });
        let started = Instant::now();
        let addr = loop {
            if let Ok(a) = rx.recv_timeout(Duration::from_millis(200)) {
                match a.parse::<SocketAddr>() {
                    Ok(addr) => break addr,
                    Err(e) => {
                        let _ = child.kill();
                        panic!("bad address {a:?}: {e}");
                    }
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "wijkwerk serve exited with {status}: {:?}",
                    log.lock().expect("log lock")
                );
            }
            if started.elapsed() > Duration::from_mins(2) {
                let _ = child.kill();
                panic!(
                    "wijkwerk serve did not start: {:?}",
                    log.lock().expect("log lock")
                );
            }
        };
        Self {
            child,
            addr,
            log,
            dir: db.parent().map(Path::to_path_buf).unwrap_or_default(),
        }
    }

    /// Log lines at WARN or ERROR level.
    pub fn warnings(&self) -> Vec<String> {
        self.log
            .lock()
            .expect("log lock")
            .iter()
            .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
            .cloned()
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The sample wijk every test shares (generated and imported through the CLI once per test run);
/// each test starts its own server over it, killed when the test ends.
pub fn sample_db() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("wijkwerk-e2e-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let d = dir.to_string_lossy().into_owned();
        run_wijkwerk(&["sample", "--buildings", "1500", "--seed", "7", "--out", &d]);
        let db = dir.join("wijkwerk.sqlite");
        let dbs = db.to_string_lossy().into_owned();
        run_wijkwerk(&[
            "import",
            "--db",
            &dbs,
            &format!("{d}/wijkenbuurten.gpkg"),
            &format!("{d}/bag-light.gpkg"),
        ]);
        db
    })
}

/// A server over the shared sample wijk.
pub fn sample_server() -> Server {
    Server::start(sample_db(), &[])
}
