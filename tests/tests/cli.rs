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

/// A zip of 100 KB whose BAG XML holds an identificatie of 100 MB of `A`: the import used to
/// print a 200 MB error after using 626 MB of memory. It fails with a short message that names
/// the file and the field, and the store stays as it was; a zip cut in half is named damaged.
#[test]
fn a_hostile_or_truncated_bag_zip_fails_with_a_short_message_and_changes_nothing() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    std::fs::copy(sample_db(), &db).unwrap();
    let before = counts(&db);
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
        assert_eq!(counts(&db), before, "store unchanged after {name}");
    }
}
