//! The web map in a real browser: headless Chromium (Debian package) driven by playwright-core,
//! against the real binary. The browser scripts live with the front end:
//! `web/tests/browser/{map,report,moderation,signin}.e2e.mjs`, and for issue 11
//! `{words,addresses,return,privacy,staffmap,staffpassword,staffscreens}.e2e.mjs`, for issue 12 `assignments.e2e.mjs`, `talent.e2e.mjs` and
//! `campaigns.e2e.mjs`, for issue 14 `urgency.e2e.mjs`, for issue 11 §9 `a11y.e2e.mjs` (with
//! `support.mjs`).

use std::process::Command;

use tests::{Sandbox, Server, sample_server, workspace_root};

/// The number of checks `script` declares (`const EXPECTED_CHECKS = N;`).
fn expected_checks(script: &std::path::Path) -> usize {
    let text = std::fs::read_to_string(script).unwrap();
    let declared: Vec<usize> = text
        .lines()
        .filter_map(|l| l.strip_prefix("const EXPECTED_CHECKS = "))
        .map(|n| n.trim_end_matches(';').parse().unwrap())
        .collect();
    assert_eq!(
        declared.len(),
        1,
        "{} declares EXPECTED_CHECKS once",
        script.display()
    );
    assert!(declared[0] > 0);
    declared[0]
}

/// Runs `web/tests/browser/{script}` against `server` with `args` after the screenshot folder
/// (`target/browser-screenshots-{shots}`) and `env`; fails on a failed check, on a run with
/// another number of passed checks than the script declares, or on an error the server logged.
fn run_browser_test(
    server: &Server,
    script: &str,
    shots: &str,
    args: &[String],
    env: &[(&str, &str)],
) {
    let web = workspace_root().join("web");
    let shots = workspace_root()
        .join("target")
        .join(format!("browser-screenshots-{shots}"));
    std::fs::create_dir_all(&shots).unwrap();
    let script = web.join("tests/browser").join(script);
    let expected = expected_checks(&script);
    let out = Command::new("node")
        .arg(&script)
        .args(args)
        .arg(&shots)
        .envs(env.iter().copied())
        .current_dir(&web)
        .output()
        .expect("node must be installed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser test failed (screenshots in {}):\n{stdout}\n{stderr}",
        shots.display()
    );
    assert!(
        stdout.contains(&format!("\nchecks passed: {expected} of {expected}\n"))
            && stdout.contains(&format!("\n{expected} passed, 0 failed")),
        "not all {expected} checks of {} passed:\n{stdout}",
        script.display()
    );
    assert!(
        server.warnings().iter().all(|w| !w.contains("ERROR")),
        "{:?}",
        server.warnings()
    );
}

#[test]
fn the_map_draws_buildings_and_a_click_shows_the_details_panel() {
    let s = sample_server();
    run_browser_test(
        &s,
        "map.e2e.mjs",
        "map",
        &[format!("http://{}", s.addr)],
        &[],
    );
}

#[test]
fn a_phone_reports_confirms_and_sees_a_tree_on_the_public_layer() {
    // Observations are written: a private copy of the store, so no other test sees them.
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    run_browser_test(
        &s,
        "report.e2e.mjs",
        "report",
        &[format!("http://{}", s.addr)],
        &[],
    );
}

#[test]
fn a_wijkondernemer_works_the_moderation_queue_on_a_phone() {
    let sb = Sandbox::new();
    let email = "wo@moderation.test";
    sb.add_user(
        email,
        "wijkondernemer",
        crate::reports::WIJK,
        Some(crate::reports::PASSWORD),
    );
    let admin = "admin@moderation.test";
    sb.add_user(admin, "admin", "all", Some(crate::reports::PASSWORD));
    let s = sb.serve(&[]);
    let building = crate::reports::homes(&sb, crate::reports::BUURT)[4]
        .building
        .clone();
    let url = format!("http://{}", s.addr);
    run_browser_test(
        &s,
        "moderation.e2e.mjs",
        "moderation",
        &[],
        &[
            ("WIJKWERK_URL", &url),
            ("WIJKWERK_STAFF", email),
            ("WIJKWERK_ADMIN", admin),
            ("WIJKWERK_PASSWORD", crate::reports::PASSWORD),
            ("WIJKWERK_BUILDING", &building),
        ],
    );
}

#[test]
fn a_resident_signs_in_with_the_mailed_code_and_link() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let url = format!("http://{}", s.addr);
    let outbox = sb.outbox.to_string_lossy().into_owned();
    run_browser_test(
        &s,
        "signin.e2e.mjs",
        "signin",
        &[],
        &[("WIJKWERK_URL", &url), ("WIJKWERK_OUTBOX", &outbox)],
    );
}

/// A sandbox with the staff the issue-11 scripts sign in as (an admin, a wijkondernemer of
/// [`crate::reports::WIJK`], a gemeente analyst), and the environment that names them.
fn words_sandbox() -> (Sandbox, Vec<(&'static str, String)>) {
    let sb = Sandbox::new();
    let password = crate::reports::PASSWORD;
    sb.add_user("beheer@wijk.test", "admin", "all", Some(password));
    sb.add_user(
        "ondernemer@wijk.test",
        "wijkondernemer",
        crate::reports::WIJK,
        Some(password),
    );
    sb.add_user(
        "gemeente@wijk.test",
        "gemeente",
        crate::reports::GEMEENTE,
        Some(password),
    );
    let env = vec![
        ("WIJKWERK_OUTBOX", sb.outbox.to_string_lossy().into_owned()),
        ("WIJKWERK_PASSWORD", password.to_owned()),
        ("WIJKWERK_ADMIN", "beheer@wijk.test".to_owned()),
        ("WIJKWERK_WIJKONDERNEMER", "ondernemer@wijk.test".to_owned()),
        ("WIJKWERK_GEMEENTE", "gemeente@wijk.test".to_owned()),
        ("WIJKWERK_WIJK", crate::reports::WIJK.to_owned()),
    ];
    (sb, env)
}

/// Runs an issue-11 script on its own sandbox with its staff.
fn run_words_script(script: &str, shots: &str) {
    let (sb, mut env) = words_sandbox();
    let s = sb.serve(&[]);
    env.push(("WIJKWERK_URL", format!("http://{}", s.addr)));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run_browser_test(&s, script, shots, &[], &env);
}

#[test]
fn every_screen_speaks_words_not_keys_in_dutch_and_english() {
    run_words_script("words.e2e.mjs", "words");
}

#[test]
fn a_building_is_named_by_its_address_and_its_reports_asked_only_by_who_may_see_them() {
    run_words_script("addresses.e2e.mjs", "addresses");
}

#[test]
fn signing_in_comes_back_to_the_building_and_the_half_written_report() {
    run_words_script("return.e2e.mjs", "return");
}

#[test]
fn every_report_form_says_who_will_see_the_report() {
    run_words_script("privacy.e2e.mjs", "privacy");
}

#[test]
fn the_staff_map_draws_the_addresses_that_said_no_to_visits() {
    run_words_script("staffmap.e2e.mjs", "staffmap");
}

#[test]
fn an_admin_makes_a_resident_staff_and_the_password_link_lets_them_sign_in() {
    run_words_script("staffpassword.e2e.mjs", "staffpassword");
}

#[test]
fn staff_download_reports_draw_an_area_and_the_screens_fit() {
    run_words_script("staffscreens.e2e.mjs", "staffscreens");
}

#[test]
fn a_partner_offers_the_wijkondernemer_accepts_and_the_statement_shows_the_delivered_unit() {
    let sb = Sandbox::new();
    let password = crate::reports::PASSWORD;
    sb.add_partner(
        "partner@wijk.test",
        crate::reports::GEMEENTE,
        "Energiecoöperatie Wijkdorp",
        password,
    );
    sb.add_user(
        "ondernemer@wijk.test",
        "wijkondernemer",
        crate::reports::GEMEENTE,
        Some(password),
    );
    let s = sb.serve(&[]);
    let url = format!("http://{}", s.addr);
    run_browser_test(
        &s,
        "assignments.e2e.mjs",
        "assignments",
        &[],
        &[
            ("WIJKWERK_URL", url.as_str()),
            ("WIJKWERK_PASSWORD", password),
            ("WIJKWERK_PARTNER", "partner@wijk.test"),
            ("WIJKWERK_WIJKONDERNEMER", "ondernemer@wijk.test"),
        ],
    );
}

#[test]
fn a_resident_offers_help_is_invited_and_accepts_in_the_browser() {
    let sb = Sandbox::new();
    let password = crate::reports::PASSWORD;
    sb.add_user(
        "buurtbouwer@wijk.test",
        "communitybuilder",
        crate::reports::WIJK,
        Some(password),
    );
    let s = sb.serve(&[]);
    let url = format!("http://{}", s.addr);
    let outbox = sb.outbox.to_string_lossy().into_owned();
    run_browser_test(
        &s,
        "talent.e2e.mjs",
        "talent",
        &[],
        &[
            ("WIJKWERK_URL", url.as_str()),
            ("WIJKWERK_OUTBOX", outbox.as_str()),
            ("WIJKWERK_PASSWORD", password),
            ("WIJKWERK_COMMUNITYBUILDER", "buurtbouwer@wijk.test"),
            ("WIJKWERK_BUURT", crate::reports::BUURT),
        ],
    );
}

#[test]
fn a_campaign_is_planned_and_walked_without_a_connection_in_the_browser() {
    let sb = Sandbox::new();
    let password = crate::reports::PASSWORD;
    sb.add_user(
        "ondernemer@wijk.test",
        "wijkondernemer",
        crate::reports::WIJK,
        Some(password),
    );
    sb.add_user(
        "loper@wijk.test",
        "volunteer",
        crate::reports::WIJK,
        Some(password),
    );
    let s = sb.serve(&[]);
    let url = format!("http://{}", s.addr);
    run_browser_test(
        &s,
        "campaigns.e2e.mjs",
        "campaigns",
        &[],
        &[
            ("WIJKWERK_URL", url.as_str()),
            ("WIJKWERK_PASSWORD", password),
            ("WIJKWERK_WIJKONDERNEMER", "ondernemer@wijk.test"),
            ("WIJKWERK_VOLUNTEER", "loper@wijk.test"),
            ("WIJKWERK_WIJK", crate::reports::WIJK),
        ],
    );
}

/// The app's pages and code are sent gzip-compressed to a browser that takes it (issue 11 item 8),
/// byte for byte the same once unpacked, and as they are to one that does not.
#[test]
fn the_app_is_sent_compressed_at_build_time_brotli_or_gzip_as_the_browser_takes() {
    use std::io::Read as _;
    let s = sample_server();
    let page = tests::get(s.addr, "/");
    assert_eq!(page.status, 200);
    assert!(page.header("content-encoding").is_none());
    let html = page.text();
    let script = html
        .split("src=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .find(|src| src.starts_with("/assets/") && src.rsplit('.').next() == Some("js"))
        .expect("the page loads its script from /assets/")
        .to_owned();
    let raw = tests::get(s.addr, &script);
    assert_eq!(raw.status, 200);
    assert!(raw.header("content-encoding").is_none());
    // Brotli when the browser takes it (every current browser does, over HTTPS or localhost):
    // the copy made at build time, unpacked here by Node's own zlib.
    let br = tests::get_with(s.addr, &script, &[("Accept-Encoding", "gzip, deflate, br")]);
    assert_eq!(br.status, 200);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.header("vary"), Some("accept-encoding"));
    let dir = tempfile::tempdir().unwrap();
    let packed = dir.path().join("script.js.br");
    std::fs::write(&packed, &br.body).unwrap();
    let out = std::process::Command::new("node")
        .args([
            "-e",
            "process.stdout.write(require('zlib').brotliDecompressSync(require('fs').readFileSync(process.argv[1])))",
        ])
        .arg(&packed)
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.stdout, raw.body,
        "the same script, unpacked from Brotli"
    );
    let gz = tests::get_with(
        s.addr,
        &script,
        &[("Accept-Encoding", "br;q=0, gzip;q=0.8")],
    );
    assert_eq!(gz.status, 200);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(gz.header("vary"), Some("accept-encoding"));
    assert_eq!(gz.header("content-type"), raw.header("content-type"));
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_end(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, raw.body, "the same script, unpacked");
    assert!(
        gz.body.len() * 3 < raw.body.len(),
        "{} bytes compressed of {}",
        gz.body.len(),
        raw.body.len()
    );
    assert!(
        br.body.len() < gz.body.len(),
        "Brotli {} bytes, gzip {}",
        br.body.len(),
        gz.body.len()
    );
    // A client that refuses gzip gets the bytes as they are; pages are compressed too.
    let refused = tests::get_with(s.addr, &script, &[("Accept-Encoding", "gzip;q=0")]);
    assert!(refused.header("content-encoding").is_none());
    assert_eq!(refused.body, raw.body);
    let page = tests::get_with(s.addr, "/werk", &[("Accept-Encoding", "gzip")]);
    assert_eq!(page.header("content-encoding"), Some("gzip"));
}

#[test]
fn the_urgency_map_its_legend_and_table_agree_in_the_browser() {
    // With the sample's indicator file: the shipped indicators and one over its heat map.
    let indicators = tests::sample_db().with_file_name("indicators.toml");
    let s = tests::Server::start(
        tests::sample_db(),
        &["--indicators", indicators.to_str().unwrap()],
    );
    let url = format!("http://{}", s.addr);
    run_browser_test(
        &s,
        "urgency.e2e.mjs",
        "urgency",
        &[],
        &[("WIJKWERK_URL", url.as_str())],
    );
}

#[test]
fn axe_core_finds_no_serious_violation_on_any_page() {
    let sb = Sandbox::new();
    let password = crate::reports::PASSWORD;
    sb.add_user("beheer@wijk.test", "admin", "all", Some(password));
    let s = sb.serve(&[]);
    let url = format!("http://{}", s.addr);
    run_browser_test(
        &s,
        "a11y.e2e.mjs",
        "a11y",
        &[],
        &[
            ("WIJKWERK_URL", url.as_str()),
            ("WIJKWERK_PASSWORD", password),
            ("WIJKWERK_ADMIN", "beheer@wijk.test"),
        ],
    );
}
