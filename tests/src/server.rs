//! The real binary, started on a free port over a generated sample wijk.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
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
    BIN.get_or_init(|| build_wijkwerk(&[])).clone()
}

/// Builds (once) and returns the `wijkwerk` binary with the `gdal` feature (any OGR source
/// imports). It takes the place of [`wijkwerk_binary`]'s file: only a test binary that never
/// calls that one may call this (cargo runs test binaries one after another).
pub fn wijkwerk_gdal_binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| build_wijkwerk(&["--features", "gdal"]))
        .clone()
}

fn build_wijkwerk(extra: &[&str]) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "-p", "server", "--bin", "wijkwerk"])
        .args(extra)
        .current_dir(workspace_root());
    let status = cmd.status().expect("run cargo build");
    assert!(status.success(), "building wijkwerk {extra:?} failed");
    let target = std::env::var("CARGO_TARGET_DIR")
        .map_or_else(|_| workspace_root().join("target"), PathBuf::from);
    target.join("debug").join("wijkwerk")
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
    /// Notified after each line is added to `log`.
    logged: Arc<Condvar>,
    /// The data folder (kept alive with the server).
    pub dir: PathBuf,
}

impl Server {
    /// Starts `wijkwerk serve --db DB --listen 127.0.0.1:0 EXTRA…` (or the `--listen` EXTRA gives)
    /// and waits until it listens.
    pub fn start(db: &Path, extra: &[&str]) -> Self {
        Self::start_with_log(db, extra, "info")
    }

    /// Like [`start`](Self::start) with `RUST_LOG` set to `filter` (e.g. `debug` to see every
    /// request the server logs).
    pub fn start_with_log(db: &Path, extra: &[&str], filter: &str) -> Self {
        Self::start_with_env(db, extra, filter, &[])
    }

    /// Like [`start_with_log`](Self::start_with_log) with environment variables `env` set too.
    pub fn start_with_env(db: &Path, extra: &[&str], filter: &str, env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(wijkwerk_binary());
        cmd.args(["serve", "--db"])
            .arg(db)
            .args(if extra.contains(&"--listen") {
                &[][..]
            } else {
                &["--listen", "127.0.0.1:0"][..]
            })
            .args(extra)
            .envs(env.iter().copied())
            .env("RUST_LOG", filter);
        Self::launch(cmd, db.parent().map(Path::to_path_buf).unwrap_or_default())
    }

    /// Starts `wijkwerk demo --dir DIR --listen 127.0.0.1:0 EXTRA…` (it generates the sample
    /// wijk, imports it, writes its accounts and sample activity, and serves) and waits until it
    /// listens.
    pub fn start_demo(dir: &Path, extra: &[&str]) -> Self {
        let mut cmd = Command::new(wijkwerk_binary());
        cmd.args(["demo", "--dir"])
            .arg(dir)
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .env("RUST_LOG", "info");
        Self::launch(cmd, dir.to_path_buf())
    }

    /// Runs `cmd` (a serving command) and waits until it logs where it listens.
    fn launch(mut cmd: Command, dir: PathBuf) -> Self {
        let mut child = cmd
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start wijkwerk");
        let stderr = child.stderr.take().expect("piped stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let logged = Arc::new(Condvar::new());
        let (tx, rx) = std::sync::mpsc::channel();
        let log2 = Arc::clone(&log);
        let logged2 = Arc::clone(&logged);
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
                logged2.notify_all();
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
                    "wijkwerk exited with {status}: {:?}",
                    log.lock().expect("log lock")
                );
            }
            if started.elapsed() > Duration::from_mins(2) {
                let _ = child.kill();
                panic!(
                    "wijkwerk did not start: {:?}",
                    log.lock().expect("log lock")
                );
            }
        };
        Self {
            child,
            addr,
            log,
            logged,
            dir,
        }
    }

    /// How many lines the server has logged so far (a starting point for
    /// [`wait_for_log`](Self::wait_for_log)).
    pub fn log_len(&self) -> usize {
        self.log.lock().expect("log lock").len()
    }

    /// Waits until a log line from number `from` on contains `needle`, and returns it; panics with
    /// the log after `timeout`.
    pub fn wait_for_log(&self, from: usize, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        let mut log = self.log.lock().expect("log lock");
        loop {
            if let Some(line) = log.iter().skip(from).find(|l| l.contains(needle)) {
                return line.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "the server did not log {needle:?} within {timeout:?}; its log from line {from}:\n{}",
                log.iter()
                    .skip(from)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            log = self.logged.wait_timeout(log, left).expect("log lock").0;
        }
    }

    /// The server's peak resident memory so far in KiB (`VmHWM` of `/proc/PID/status`, Linux).
    pub fn peak_rss_kib(&self) -> u64 {
        let pid = self.child.id();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .unwrap_or_else(|e| panic!("reading /proc/{pid}/status: {e}"));
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("no VmHWM in /proc/{pid}/status"))
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
            // The enrichment, after the BAG whose ids it names.
            &format!("{d}/3dbag.city.jsonl"),
            &format!("{d}/ep-online.zip"),
            &format!("{d}/bomen.shp"),
        ]);
        db
    })
}

/// A server over the shared sample wijk.
pub fn sample_server() -> Server {
    Server::start(sample_db(), &[])
}

/// A private copy of the sample store in its own temp folder, for tests that create accounts,
/// sessions or observations: no other test sees them. Mail goes to `outbox`.
pub struct Sandbox {
    dir: tempfile::TempDir,
    /// The store (a copy of [`sample_db`]).
    pub db: PathBuf,
    /// The mail outbox file the servers of this sandbox write to (`--mail-outbox`).
    pub outbox: PathBuf,
}

impl Sandbox {
    /// Copies the sample store into a new temp folder.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("wijkwerk.sqlite");
        std::fs::copy(sample_db(), &db).expect("copy the sample store");
        for ext in ["sqlite-wal", "sqlite-shm"] {
            let side = sample_db().with_extension(ext);
            if side.exists() {
                std::fs::copy(&side, db.with_extension(ext)).expect("copy the sample store");
            }
        }
        let outbox = dir.path().join("outbox.jsonl");
        Self { dir, db, outbox }
    }

    /// The temp folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Starts `wijkwerk serve` on this store with the outbox and `extra` arguments.
    pub fn serve(&self, extra: &[&str]) -> Server {
        self.serve_with_log(extra, "info")
    }

    /// Like [`serve`](Self::serve) with `RUST_LOG` set to `filter`.
    pub fn serve_with_log(&self, extra: &[&str], filter: &str) -> Server {
        self.serve_with_env(extra, filter, &[])
    }

    /// Like [`serve_with_log`](Self::serve_with_log) with environment variables `env` set too
    /// (e.g. `WIJKWERK_TEST_HOOKS`).
    pub fn serve_with_env(&self, extra: &[&str], filter: &str, env: &[(&str, &str)]) -> Server {
        let outbox = self.outbox.to_string_lossy().into_owned();
        let mut args = vec!["--mail-outbox", outbox.as_str()];
        args.extend_from_slice(extra);
        Server::start_with_env(&self.db, &args, filter, env)
    }

    /// Runs `wijkwerk users add` on this store (feeding `password` on stdin when given); panics
    /// with the output when it fails. Call it before the server starts or while it runs.
    pub fn add_user(&self, email: &str, role: &str, scope: &str, password: Option<&str>) {
        let out = self.try_add_user(email, role, scope, password);
        assert!(
            out.status.success(),
            "wijkwerk users add {email} {role}@{scope} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Adds a partner account (role `partner` in `scope`, acting for `organisation`) with a
    /// password, through `wijkwerk users add --organisation`.
    pub fn add_partner(&self, email: &str, scope: &str, organisation: &str, password: &str) {
        use std::io::Write as _;
        let mut child = Command::new(wijkwerk_binary())
            .args(["users", "add", "--db"])
            .arg(&self.db)
            .args(["--email", email, "--role", "partner", "--scope", scope])
            .args(["--organisation", organisation, "--password-stdin"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run wijkwerk users add");
        {
            let mut stdin = child.stdin.take().expect("piped stdin");
            let _ = writeln!(stdin, "{password}");
        }
        let out = child
            .wait_with_output()
            .expect("wait for wijkwerk users add");
        assert!(
            out.status.success(),
            "wijkwerk users add {email} partner@{scope} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Like [`add_user`](Self::add_user), returning the output whether or not it succeeded.
    pub fn try_add_user(
        &self,
        email: &str,
        role: &str,
        scope: &str,
        password: Option<&str>,
    ) -> std::process::Output {
        use std::io::Write as _;
        let mut cmd = Command::new(wijkwerk_binary());
        cmd.args(["users", "add", "--db"])
            .arg(&self.db)
            .args(["--email", email, "--role", role, "--scope", scope])
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if password.is_some() {
            cmd.arg("--password-stdin");
        }
        let mut child = cmd.spawn().expect("run wijkwerk users add");
        {
            let mut stdin = child.stdin.take().expect("piped stdin");
            if let Some(p) = password {
                let _ = writeln!(stdin, "{p}");
            }
        }
        child
            .wait_with_output()
            .expect("wait for wijkwerk users add")
    }

    /// Every message in the outbox, oldest first (JSON Lines: to, subject, body, code, link,
    /// sent_at).
    pub fn mails(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.outbox)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("outbox line is JSON"))
            .collect()
    }

    /// The newest outbox message to `to`, if any.
    pub fn last_mail(&self, to: &str) -> Option<serde_json::Value> {
        self.mails()
            .into_iter()
            .rev()
            .find(|m| m["to"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(to)))
    }
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}
