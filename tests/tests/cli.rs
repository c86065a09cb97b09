//! The command line: help everywhere, bad imports fail cleanly and change nothing, configuration
//! from defaults, file, environment and flags in that order of precedence.

use std::process::Command;

use tests::{get, run_wijkwerk, sample_db, wijkwerk_binary};

#[test]
fn help_is_there_for_every_command() {
    for args in [
        vec!["--help"],
        vec!["demo", "--help"],
        vec!["serve", "--help"],
        vec!["import", "--help"],
        vec!["sample", "--help"],
    ] {
        let out = run_wijkwerk(&args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Usage:"), "{args:?}: {text}");
    }
}

/// Everything the store holds, read through the `store` crate: row counts, buildings per status,
/// the sources with what each brought, and a SHA-256 over every building, address and area as
/// read back. Any failure to read the store fails the test (there is no fallback).
fn contents(db: &std::path::Path) -> String {
    use sha2::{Digest, Sha256};
    use store::Store as _;
    let s = store::SqliteStore::open(db).unwrap_or_else(|e| panic!("open {}: {e}", db.display()));
    let mut rows = Sha256::new();
    s.for_each_building(&mut |b| rows.update(format!("{b:?}\n")))
        .unwrap();
    s.for_each_address(&mut |a| rows.update(format!("{a:?}\n")))
        .unwrap();
    for a in s.areas().unwrap() {
        rows.update(format!("{a:?}\n"));
    }
    // `imported_at` changes with every import of a source; what it brought must not.
    let sources: Vec<String> = s
        .sources()
        .unwrap()
        .into_iter()
        .map(|r| {
            format!(
                "{} {:?} {} {} {:?}",
                r.info.key, r.info.kind, r.info.format, r.info.location, r.counts
            )
        })
        .collect();
    let counts = s.counts().unwrap();
    assert!(
        counts.buildings > 0 && counts.addresses > 0 && counts.areas > 0,
        "the sample store holds data: {counts:?}"
    );
    format!(
        "{counts:?}\n{:?}\n{sources:#?}\nrows sha256 {}",
        s.building_status_counts().unwrap(),
        data_encoding::HEXLOWER.encode(&rows.finalize())
    )
}

#[test]
fn a_bad_import_exits_non_zero_names_the_file_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    std::fs::copy(sample_db(), &db).unwrap();
    let before = contents(&db);
    let bogus = dir.path().join("panden.gpkg");
    std::fs::write(&bogus, b"this is not a geopackage").unwrap();
    let truncated = dir.path().join("truncated.gpkg");
    let real = std::fs::read(sample_db().parent().unwrap().join("bag-light.gpkg")).unwrap();
    std::fs::write(&truncated, &real[..real.len() / 3]).unwrap();
    for file in [&bogus, &truncated] {
        let out = Command::new(wijkwerk_binary())
            .arg("import")
            .arg("--db")
            .arg(&db)
            .arg(file)
            .output()
            .unwrap();
        assert!(
            !out.status.success(),
            "importing {} succeeded",
            file.display()
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(file.file_name().unwrap().to_str().unwrap()),
            "error names the file: {err}"
        );
        assert_eq!(
            contents(&db),
            before,
            "store unchanged after {}",
            file.display()
        );
    }
}

#[test]
fn reimporting_the_same_source_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    std::fs::copy(sample_db(), &db).unwrap();
    let before = contents(&db);
    let bag = sample_db().parent().unwrap().join("bag-light.gpkg");
    run_wijkwerk(&[
        "import",
        "--db",
        db.to_str().unwrap(),
        bag.to_str().unwrap(),
    ]);
    assert_eq!(contents(&db), before);
}

/// Starts `wijkwerk serve` with exactly `args` and `env` (every other `WIJKWERK_*` variable
/// removed), waits for the address it announces and returns it with the process; `None` with the
/// log when it exits first.
fn serve_with(
    args: &[&str],
    env: &[(&str, &str)],
) -> Result<(std::net::SocketAddr, std::process::Child), String> {
    use std::io::BufRead as _;
    let mut cmd = Command::new(wijkwerk_binary());
    cmd.arg("serve").args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("WIJKWERK_") {
            cmd.env_remove(k);
        }
    }
    let mut child = cmd
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut log = Vec::new();
    // The server announces its address or exits: either ends this loop.
    for line in std::io::BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
    {
        if let Some(rest) = line.split("listening on http://").nth(1) {
            let addr = rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('/');
            return Ok((addr.parse().unwrap(), child));
        }
        log.push(line);
    }
    let status = child.wait().unwrap();
    Err(format!("exited with {status}: {}", log.join("\n")))
}

/// The base of the tile URLs the server writes into TileJSON: its public URL setting, or the
/// request's Host when it has none.
fn tile_url_base(addr: std::net::SocketAddr) -> String {
    let tj = get(addr, "/tiles/buildings.json").json();
    let url = tj["tiles"][0].as_str().unwrap();
    url.strip_suffix("/tiles/buildings/{z}/{x}/{y}.mvt")
        .unwrap_or_else(|| panic!("unexpected tile URL {url}"))
        .to_owned()
}

/// Every option comes from its default, then the TOML file (`--config`), then `WIJKWERK_*`, then
/// the command line, each level overriding the one below. Observed on the real binary through
/// `--public-url` (the base of TileJSON's tile URLs), `--listen` (a level below that holds an
/// address the server cannot listen on is overridden, or the server would not start) and
/// `--config` itself (a file named in `WIJKWERK_CONFIG` that the server would refuse is not read
/// when `--config` names another).
#[test]
fn each_configuration_level_overrides_the_one_below() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db().to_str().unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let good = file(
        "good.toml",
        &format!(
            "[serve]\ndb = {db:?}\ntile_cache_mb = 0\nlisten = \"127.0.0.1:0\"\n\
             public_url = \"https://file.example\"\n"
        ),
    );
    // The same, but with a listen address that cannot be used: only a higher level can save it.
    let bad_listen = file(
        "bad-listen.toml",
        &format!(
            "[serve]\ndb = {db:?}\ntile_cache_mb = 0\nlisten = \"not-an-address\"\n\
             public_url = \"https://file.example\"\n"
        ),
    );
    // A file the server refuses to start with: `--config` must keep it from being read.
    let unknown_key = file("unknown-key.toml", "[serve]\nlisten_on = \"x\"\n");
    let check = |what: &str, args: &[&str], env: &[(&str, &str)], expected: Option<&str>| {
        let (addr, mut child) =
            serve_with(args, env).unwrap_or_else(|log| panic!("{what}: the server {log}"));
        let health = get(addr, "/health").json();
        let base = tile_url_base(addr);
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            health["buildings"].as_u64().unwrap() > 0,
            "{what}: served the sample store: {health}"
        );
        let expected = expected.map_or_else(|| format!("http://{addr}"), str::to_owned);
        assert_eq!(base, expected, "{what}");
    };

    // 1. Defaults: no public URL, so the request's Host.
    check(
        "default",
        &["--db", db, "--listen", "127.0.0.1:0"],
        &[],
        None,
    );
    // 2. The file beats the defaults (db, listen and public_url all come from it).
    check(
        "file",
        &["--config", &good],
        &[],
        Some("https://file.example"),
    );
    // The file's listen address is really read: an unusable one stops the server.
    match serve_with(&["--config", &bad_listen], &[]) {
        Ok((addr, mut child)) => {
            child.kill().unwrap();
            panic!("the file's listen address was not used: the server listens on {addr}");
        }
        Err(log) => assert!(log.contains("not-an-address"), "{log}"),
    }
    // 3. The environment beats the file.
    check(
        "environment",
        &["--config", &bad_listen],
        &[
            ("WIJKWERK_LISTEN", "127.0.0.1:0"),
            ("WIJKWERK_PUBLIC_URL", "https://env.example"),
        ],
        Some("https://env.example"),
    );
    // The file named in the environment is read like the one named on the command line.
    check(
        "file from WIJKWERK_CONFIG",
        &[],
        &[("WIJKWERK_CONFIG", &good)],
        Some("https://file.example"),
    );
    // 4. The command line beats the environment (and `--config` beats `WIJKWERK_CONFIG`).
    check(
        "command line",
        &[
            "--config",
            &good,
            "--listen",
            "127.0.0.1:0",
            "--public-url",
            "https://flag.example",
        ],
        &[
            ("WIJKWERK_CONFIG", &unknown_key),
            ("WIJKWERK_LISTEN", "also-not-an-address"),
            ("WIJKWERK_PUBLIC_URL", "https://env.example"),
        ],
        Some("https://flag.example"),
    );
}

#[test]
fn a_config_file_with_an_unknown_key_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("wijkwerk.toml");
    std::fs::write(&cfg, "[serve]\nlisten_on = \"x\"\n").unwrap();
    let out = Command::new(wijkwerk_binary())
        .args(["serve", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("listen_on"));
}

/// A zip of 100 KB whose BAG XML holds an identificatie of 100 MB of `A`: the import used to
/// print a 200 MB error after using 626 MB of memory. It fails with a short message that names
/// the file and the field, and the store stays as it was; a zip cut in half is named damaged.
#[test]
fn a_hostile_or_truncated_bag_zip_fails_with_a_short_message_and_changes_nothing() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    std::fs::copy(sample_db(), &db).unwrap();
    let before = contents(&db);
    let hostile = dir.path().join("lvbag-extract-nl.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&hostile).unwrap());
    z.start_file(
        "9999PND08092024-000001.xml",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    z.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?>
<sl-bag-extract:bagStand xmlns:Objecten="www.kadaster.nl/schemas/lvbag/imbag/objecten/v20200601"
    xmlns:sl-bag-extract="http://www.kadaster.nl/schemas/lvbag/extract-deelbestand-lvc/v20200601"
    xmlns:sl="http://www.kadaster.nl/schemas/standlevering-generiek/1.0">
<sl:standBestand><sl:stand><sl-bag-extract:bagObject><Objecten:Pand>
<Objecten:identificatie domein="NL.IMBAG.Pand">"#,
    )
    .unwrap();
    let a = vec![b'A'; 1 << 20];
    for _ in 0..100 {
        z.write_all(&a).unwrap();
    }
    z.write_all(
        b"</Objecten:identificatie></Objecten:Pand></sl-bag-extract:bagObject></sl:stand>\
          </sl:standBestand></sl-bag-extract:bagStand>\n",
    )
    .unwrap();
    z.finish().unwrap();
    let bytes = std::fs::read(&hostile).unwrap();
    assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
    let truncated = dir.path().join("cut-in-half.zip");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();

    for (file, says) in [
        (&hostile, "identificatie"),
        (&truncated, "the zip file is damaged or truncated"),
    ] {
        let out = Command::new(wijkwerk_binary())
            .arg("import")
            .arg("--db")
            .arg(&db)
            .arg(file)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            !out.status.success(),
            "importing {} succeeded",
            file.display()
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.len() < 2_000,
            "{} bytes of error output: {}",
            err.len(),
            err.chars().take(2_000).collect::<String>()
        );
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(err.contains(name) && err.contains(says), "{err}");
        assert_eq!(contents(&db), before, "store unchanged after {name}");
    }
}
