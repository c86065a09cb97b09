//! The command line: help everywhere, bad imports fail cleanly and change nothing, configuration
//! from file and environment.

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

fn counts(db: &std::path::Path) -> String {
    let out = Command::new("sqlite3").arg(db).arg("SELECT (SELECT count(*) FROM building), (SELECT count(*) FROM address), (SELECT count(*) FROM area), (SELECT group_concat(key) FROM source)").output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => {
            // Without the sqlite3 shell, compare the file bytes instead.
            format!("{:?}", std::fs::read(db).map(|b| b.len()))
        }
    }
}

#[test]
fn a_bad_import_exits_non_zero_names_the_file_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    std::fs::copy(sample_db(), &db).unwrap();
    let before = counts(&db);
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
            counts(&db),
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
    let before = counts(&db);
    let bag = sample_db().parent().unwrap().join("bag-light.gpkg");
    run_wijkwerk(&[
        "import",
        "--db",
        db.to_str().unwrap(),
        bag.to_str().unwrap(),
    ]);
    assert_eq!(counts(&db), before);
}

#[test]
fn configuration_comes_from_file_then_environment_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("wijkwerk.toml");
    std::fs::write(
        &cfg,
        format!(
            "[serve]\ndb = {:?}\ntile_cache_mb = 0\nlisten = \"127.0.0.1:1\"\n",
            sample_db().to_str().unwrap()
        ),
    )
    .unwrap();
    // The file says port 1; the environment overrides it with a free port.
    let mut child = Command::new(wijkwerk_binary())
        .args(["serve"])
        .env("WIJKWERK_CONFIG", &cfg)
        .env("WIJKWERK_LISTEN", "127.0.0.1:0")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let addr = std::io::BufRead::lines(std::io::BufReader::new(stderr))
        .map_while(Result::ok)
        .find_map(|l| {
            l.split("listening on http://")
                .nth(1)
                .and_then(|a| a.split_whitespace().next())
                .map(|a| a.trim_end_matches('/').to_owned())
        })
        .expect("server announces its address");
    let health = get(addr.parse().unwrap(), "/health").json();
    assert!(
        health["buildings"].as_u64().unwrap() > 0,
        "served the db named in the file"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    // A config file with an unknown key is refused with a clear message.
    std::fs::write(&cfg, "[serve]\nlisten_on = \"x\"\n").unwrap();
    let out = Command::new(wijkwerk_binary())
        .args(["serve", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("listen_on"));
}
