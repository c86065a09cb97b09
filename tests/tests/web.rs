//! The web map in a real browser: headless Chromium (Debian package) driven by playwright-core,
//! against the real binary. The browser script lives with the front end:
//! `web/tests/browser/map.e2e.mjs`.

use std::process::Command;

use tests::{sample_server, workspace_root};

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
