//! The web map in a real browser: headless Chromium (Debian package) driven by playwright-core,
//! against the real binary. The browser scripts live with the front end:
//! `web/tests/browser/map.e2e.mjs`, `report.e2e.mjs` and `moderation.e2e.mjs`.

use std::process::Command;

use tests::{Sandbox, sample_server, workspace_root};

#[test]
fn the_map_draws_buildings_and_a_click_shows_the_details_panel() {
    let s = sample_server();
    let web = workspace_root().join("web");
    let shots = workspace_root().join("target").join("browser-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let out = Command::new("node")
        .arg(web.join("tests/browser/map.e2e.mjs"))
        .arg(format!("http://{}", s.addr))
        .arg(&shots)
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
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    assert!(
        s.warnings().iter().all(|w| !w.contains("ERROR")),
        "{:?}",
        s.warnings()
    );
}

#[test]
fn a_phone_reports_confirms_and_sees_a_tree_on_the_public_layer() {
    // Reports are written: a private copy of the store, so no other test sees them.
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let web = workspace_root().join("web");
    let shots = workspace_root()
        .join("target")
        .join("browser-screenshots-report");
    std::fs::create_dir_all(&shots).unwrap();
    let out = Command::new("node")
        .arg(web.join("tests/browser/report.e2e.mjs"))
        .arg(format!("http://{}", s.addr))
        .arg(&shots)
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
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    assert!(
        s.warnings().iter().all(|w| !w.contains("ERROR")),
        "{:?}",
        s.warnings()
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
    let s = sb.serve(&[]);
    let building = crate::reports::homes(&sb, crate::reports::BUURT)[4]
        .building
        .clone();
    let web = workspace_root().join("web");
    let shots = workspace_root()
        .join("target")
        .join("browser-screenshots-moderation");
    std::fs::create_dir_all(&shots).unwrap();
    let out = Command::new("node")
        .arg(web.join("tests/browser/moderation.e2e.mjs"))
        .arg(&shots)
        .env("WIJKWERK_URL", format!("http://{}", s.addr))
        .env("WIJKWERK_STAFF", email)
        .env("WIJKWERK_PASSWORD", crate::reports::PASSWORD)
        .env("WIJKWERK_BUILDING", &building)
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
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    assert!(
        s.warnings().iter().all(|w| !w.contains("ERROR")),
        "{:?}",
        s.warnings()
    );
}
