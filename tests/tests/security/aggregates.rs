//! The review's attacks on aggregates: cheap identities padding a cell over k (3), opted-out
//! panden and withdrawn reports counted (7, 8), nested grid levels differenced (14).

use std::io::Write as _;

use serde_json::{Value, json};
use store::people::NewObservation;
use tests::{Client, Sandbox};

use super::now;
use crate::reports::{
    BUURT, OTHER_BUURT, WIJK, device, homes, report_ok, sign_in_email, single_homes, solar,
};

/// A config file in the sandbox with k and rounding of aggregates, so counts can be checked
/// exactly (`round_to = 1`).
fn privacy_config(sb: &Sandbox, k: u32) -> String {
    let path = sb.dir().join("privacy.toml");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, "[serve.privacy]\nk = {k}\nround_to = 1").unwrap();
    path.to_string_lossy().into_owned()
}

/// `n` resident accounts made in the store (before the server starts), each with its reporter.
fn account_reporters(sb: &Sandbox, prefix: &str, n: usize) -> Vec<i64> {
    let s = store::SqliteStore::open(&sb.db).unwrap();
    (0..n)
        .map(|i| {
            let roles = [("resident".to_owned(), "all".to_owned())];
            let id = s
                .create_user(
                    &format!("{prefix}-{i}@security.test"),
                    "",
                    None,
                    &roles,
                    now(),
                )
                .unwrap();
            s.reporter_for_user(id, now()).unwrap()
        })
        .collect()
}

/// A `solar_panels` observation ("panels seen") about pand `building` (no address), or about
/// `address` in it, written in the store.
fn solar_in_store(
    sb: &Sandbox,
    home: &crate::reports::Home,
    about_address: bool,
    reporter: i64,
) -> i64 {
    let s = store::SqliteStore::open(&sb.db).unwrap();
    s.insert_observation(
        &NewObservation {
            kind: "solar_panels".into(),
            building_id: Some(home.building.parse().unwrap()),
            address_id: about_address.then(|| home.address.parse().unwrap()),
            lonlat: [home.lon, home.lat],
            buurtcode: Some(BUURT.into()),
            observed_at: now() - 3600,
            source: "resident".into(),
            reporter_id: reporter,
            answers: json!({ "panels": "yes" }).to_string(),
        },
        now(),
    )
    .unwrap()
}

/// `GET /api/aggregates/observations?…` (200).
fn aggregates(c: &mut Client, query: &str) -> Value {
    let r = c.get(&format!("/api/aggregates/observations?{query}"));
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    r.json()
}

/// The cell of `buurt` in a buurt-level aggregates answer (suppressed when absent).
fn buurt_cell(v: &Value, buurt: &str) -> Value {
    v["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["buurt"] == buurt)
        .cloned()
        .unwrap_or_else(|| json!({ "state": "suppressed" }))
}

// ----- 3: cheap identities pad a cell over k ------------------------------------------------

/// "Four device sessions each reporting `roof_suitability` on other buildings in a buurt lift a
/// cell with one real report over the k threshold, revealing that report."
#[test]
fn device_sessions_cannot_pad_a_cell_over_k() {
    let sb = Sandbox::new();
    let real = account_reporters(&sb, "echt", 1)[0];
    let singles = single_homes(&sb, BUURT);
    solar_in_store(&sb, &singles[0], false, real);
    let s = sb.serve(&[]);
    for home in &singles[1..5] {
        report_ok(&mut device(&s), &solar(&home.building));
    }
    let mut anyone = Client::new(s.addr);
    let v = aggregates(&mut anyone, &format!("type=solar_panels&area={WIJK}"));
    assert_eq!(buurt_cell(&v, BUURT)["state"], "suppressed", "{v}");
    assert_eq!(v["total"]["records"], 0, "{v}");
    // Nor on the public map.
    let (x, y) = tests::mvt::tile_of(singles[0].lon, singles[0].lat, 12);
    let r = anyone.get(&format!("/tiles/all/12/{x}/{y}.mvt"));
    assert!(
        !tests::mvt::layer_names(&r.body).contains(&"observations_per_buurt".to_owned()),
        "the padded cell is drawn"
    );
}

// ----- 7, 8: aggregates miss opt-outs of a pand and count withdrawn reports ----------------

/// "A `research` opt-out is ignored in `/api/aggregates/observations` for reports about a pand
/// whose only address opted out" and "withdrawn reports still count (the map's aggregate layer
/// drops them: the two must agree, from one function)".
#[test]
fn aggregates_leave_out_opted_out_panden_and_withdrawn_reports_as_the_map_does() {
    let sb = Sandbox::new();
    let config = privacy_config(&sb, 3);
    let reporters = account_reporters(&sb, "buur", 6);
    let singles = single_homes(&sb, BUURT);
    for (i, r) in reporters.iter().enumerate() {
        solar_in_store(&sb, &singles[i], false, *r);
    }
    let s = sb.serve(&["--config", &config]);
    let mut anyone = Client::new(s.addr);
    let query = format!("type=solar_panels&area={WIJK}");
    let count = |c: &mut Client| buurt_cell(&aggregates(c, &query), BUURT)["records"].clone();
    assert_eq!(count(&mut anyone), 6);
    // A withdrawn report no longer counts, in the API as on the map.
    let mut reporter = device(&s);
    let extra = report_ok(&mut reporter, &solar(&singles[7].building));
    let mut acct = sign_in_email(&sb, &s, "nog-een@security.test");
    let extra2 = report_ok(&mut acct, &solar(&singles[8].building));
    assert_eq!(count(&mut anyone), 8, "{extra}");
    let r = acct.delete(&format!("/api/observations/{}", extra2["id"]));
    assert_eq!(r.status, 204);
    assert_eq!(count(&mut anyone), 7, "withdrawn");
    drop(s);
    // The only household of the first pand opts out of research (the register is read at start).
    store::SqliteStore::open(&sb.db)
        .unwrap()
        .set_opt_out(singles[0].address.parse().unwrap(), "research", now())
        .unwrap();
    let s = sb.serve(&["--config", &config]);
    let mut anyone = Client::new(s.addr);
    assert_eq!(count(&mut anyone), 6, "the opted-out pand is left out");
}

// ----- 14: nested grid levels can be differenced --------------------------------------------

/// "The grid levels nest (powers of two), so a coarser released cell minus its released children
/// can give a suppressed child. A released total is the sum of released cells only, at every
/// level."
#[test]
fn a_coarse_grid_cell_is_the_sum_of_its_released_children() {
    let sb = Sandbox::new();
    let config = privacy_config(&sb, 3);
    let all = homes(&sb, BUURT);
    let reporters = account_reporters(&sb, "rooster", all.len());
    for (home, r) in all.iter().zip(&reporters) {
        solar_in_store(&sb, home, true, *r);
    }
    let s = sb.serve(&["--config", &config]);
    let mut anyone = Client::new(s.addr);
    let cells = |c: &mut Client, m: u32| -> Vec<Value> {
        aggregates(c, &format!("type=solar_panels&level=grid&cell_m={m}"))["cells"]
            .as_array()
            .unwrap()
            .clone()
    };
    let key = |cell: &Value| -> (u32, i64, i64) {
        let k: Vec<i64> = cell["cell"]
            .as_str()
            .unwrap()
            .split('_')
            .map(|p| p.parse().unwrap())
            .collect();
        (k[0] as u32, k[1], k[2])
    };
    let mut suppressed_child_of_shown_parent = false;
    let sizes: Vec<u32> = [100, 200, 400, 800, 1600]
        .into_iter()
        .map(|m| key(&cells(&mut anyone, m)[0]).0)
        .collect();
    for pair in [100, 200, 400, 800, 1600].windows(2) {
        let (fine, coarse) = (cells(&mut anyone, pair[0]), cells(&mut anyone, pair[1]));
        let ratio = (f64::from(key(&coarse[0]).0) / f64::from(key(&fine[0]).0)).round() as i64;
        if ratio < 2 {
            continue;
        }
        assert!(ratio.count_ones() == 1, "grid sizes nest: {ratio}");
        for parent in &coarse {
            let (_, px, py) = key(parent);
            let kids: Vec<&Value> = fine
                .iter()
                .filter(|c| {
                    let (_, x, y) = key(c);
                    x.div_euclid(ratio) == px && y.div_euclid(ratio) == py
                })
                .collect();
            let shown: u64 = kids
                .iter()
                .filter(|c| c["state"] == "shown")
                .map(|c| c["records"].as_u64().unwrap())
                .sum();
            let parent_records = parent["records"].as_u64().unwrap_or(0);
            assert_eq!(
                parent_records, shown,
                "parent {parent} vs its children {kids:?}"
            );
            if parent["state"] == "shown" && kids.iter().any(|c| c["state"] == "suppressed") {
                suppressed_child_of_shown_parent = true;
            }
        }
    }
    assert!(
        suppressed_child_of_shown_parent,
        "the data holds the case the review found (grid sizes {sizes:?})"
    );
    // And the same per buurt and area totals: only released cells.
    let v = aggregates(&mut anyone, "type=solar_panels&level=buurt");
    assert_eq!(buurt_cell(&v, OTHER_BUURT)["state"], "suppressed");
}
