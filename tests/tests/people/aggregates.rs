//! k-anonymity through the API: a buurt with enough households is shown rounded, a buurt with one
//! is suppressed and left out of totals, and overlapping areas never differ by one record.

use serde_json::Value;
use tests::{Client, Sandbox};

use super::{BUURT, GEMEENTE, OTHER_BUURT, WIJK, addresses_in, now, observation_about};

fn get(c: &mut Client, query: &str) -> Value {
    let r = c.get(&format!("/api/aggregates/observations?{query}"));
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    r.json()
}

/// Released cells must be rounded, suppressed ones must carry nothing but their key and state.
fn check_cells(v: &Value) {
    let round = v["round_to"].as_u64().unwrap();
    for cell in v["cells"].as_array().unwrap() {
        match cell["state"].as_str().unwrap() {
            "shown" => {
                for k in ["records", "addresses"] {
                    let n = cell[k].as_u64().unwrap();
                    assert!(n >= round && n % round == 0, "{k} not rounded: {cell}");
                }
                // Split by answer: every answer itself released and rounded, or no split.
                if let Some(split) = cell.get("answers").and_then(Value::as_object) {
                    for (answer, a) in split {
                        assert_eq!(a["state"], "shown", "{answer} withheld in a split: {cell}");
                        for k in ["records", "addresses"] {
                            let n = a[k].as_u64().unwrap();
                            assert!(
                                n >= round && n % round == 0,
                                "{answer} {k} not rounded: {cell}"
                            );
                        }
                    }
                }
            }
            "suppressed" => {
                let keys: Vec<&String> = cell.as_object().unwrap().keys().collect();
                for k in &keys {
                    assert!(
                        ["state", "buurt", "cell", "bbox"].contains(&k.as_str()),
                        "a suppressed cell says {k}: {cell}"
                    );
                }
            }
            s => panic!("unknown state {s}"),
        }
    }
}

#[test]
fn small_cells_are_suppressed_and_areas_cannot_be_differenced() {
    let sb = Sandbox::new();
    let store = store::SqliteStore::open(&sb.db).unwrap();
    // Reporters with an account (device sessions do not count towards k); the reports are in the
    // store before the server starts, so its live index holds them.
    let mut accounts = 0;
    let mut account = || {
        accounts += 1;
        let roles = [("resident".to_owned(), "all".to_owned())];
        let id = store
            .create_user(
                &format!("agg-{accounts}@people.test"),
                "",
                None,
                &roles,
                now(),
            )
            .unwrap();
        store.reporter_for_user(id, now()).unwrap()
    };
    // Every household of the buurt in WK01 reports solar panels (each its own reporter); one
    // household in the buurt of WK02 does too, and a second report about that one household
    // by a second reporter (still one address).
    let many = addresses_in(&sb, BUURT);
    assert!(many.len() > 50, "{}", many.len());
    for a in &many {
        let r = account();
        store
            .insert_observation(&observation_about(a, "solar_panels", r), now())
            .unwrap();
    }
    let lonely = addresses_in(&sb, OTHER_BUURT)[7].clone();
    for _ in 0..2 {
        let r = account();
        store
            .insert_observation(&observation_about(&lonely, "solar_panels", r), now())
            .unwrap();
    }
    // Six households with the same reporter: fewer than k reporters.
    let one = account();
    for a in addresses_in(&sb, "BU19990300").iter().take(6) {
        store
            .insert_observation(&observation_about(a, "solar_panels", one), now())
            .unwrap();
    }
    // Six more households there reported from device sessions: still fewer than k reporters.
    for a in addresses_in(&sb, "BU19990300").iter().skip(6).take(6) {
        let r = store.new_device_reporter(now()).unwrap();
        store
            .insert_observation(&observation_about(a, "solar_panels", r), now())
            .unwrap();
    }
    let s = sb.serve(&[]);
    let mut c = Client::new(s.addr);

    let v = get(&mut c, "type=solar_panels&level=buurt");
    check_cells(&v);
    assert_eq!(v["k"], 5);
    let cells = v["cells"].as_array().unwrap();
    let cell = |b: &str| {
        cells
            .iter()
            .find(|c| c["buurt"] == b)
            .unwrap_or_else(|| panic!("no cell {b}: {v}"))
            .clone()
    };
    let shown = cell(BUURT);
    assert_eq!(shown["state"], "shown", "{shown}");
    let n = many.len() as u64;
    let round = |n: u64| (n + 2) / 5 * 5;
    assert_eq!(shown["records"].as_u64().unwrap(), round(n), "{shown}");
    assert_eq!(shown["addresses"].as_u64().unwrap(), round(n), "{shown}");
    let hidden = cell(OTHER_BUURT);
    assert_eq!(hidden["state"], "suppressed", "{hidden}");
    assert_eq!(cell("BU19990300")["state"], "suppressed", "one reporter");
    assert_eq!(v["total"]["records"].as_u64().unwrap(), round(n), "{v}");
    assert_eq!(v["total"]["cells_suppressed"], 2, "{v}");
    // The total of the gemeente minus the wijk holding the big buurt is zero, not two.
    let gm = get(
        &mut c,
        &format!("type=solar_panels&level=buurt&area={GEMEENTE}"),
    );
    let wk = get(
        &mut c,
        &format!("type=solar_panels&level=buurt&area={WIJK}"),
    );
    assert_eq!(gm["total"]["records"], wk["total"]["records"], "{gm}\n{wk}");
    let other = get(
        &mut c,
        &format!("type=solar_panels&level=buurt&area={}", super::OTHER_WIJK),
    );
    assert_eq!(other["total"]["records"], 0, "{other}");
    // Anonymous and a type nobody reported.
    let none = get(&mut c, "type=gas_free&level=buurt");
    assert_eq!(none["total"]["records"], 0);

    // The grid: for several cell sizes, the totals of the wijk and the gemeente differ by whole
    // released cells (k households, rounded), never by one record.
    let mut any_shown = false;
    for cell_m in [100, 250, 500, 1000, 2000] {
        let mut totals = Vec::new();
        for area in [
            Some(WIJK),
            Some(GEMEENTE),
            Some(BUURT),
            Some(OTHER_BUURT),
            None,
        ] {
            let q = match area {
                Some(a) => format!("type=solar_panels&level=grid&cell_m={cell_m}&area={a}"),
                None => format!("type=solar_panels&level=grid&cell_m={cell_m}"),
            };
            let v = get(&mut c, &q);
            check_cells(&v);
            any_shown |= v["cells"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["state"] == "shown");
            totals.push((
                v["total"]["records"].as_u64().unwrap(),
                v["total"]["addresses"].as_u64().unwrap(),
            ));
        }
        for a in &totals {
            for b in &totals {
                assert_ne!(a.0.abs_diff(b.0), 1, "cell_m={cell_m}: {totals:?}");
                assert_ne!(a.1.abs_diff(b.1), 1, "cell_m={cell_m}: {totals:?}");
                assert_eq!(a.0.abs_diff(b.0) % 5, 0, "cell_m={cell_m}: {totals:?}");
            }
        }
    }
    assert!(any_shown, "some grid cell was released (the test has data)");
    super::assert_no_warnings(&s);
}
