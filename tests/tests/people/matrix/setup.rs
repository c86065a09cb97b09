//! The accounts, sessions and data the matrix rows need, and the routes it must cover (from the
//! source and from `docs/accounts-api.md`).

use std::collections::HashMap;

use serde_json::json;
use tests::{Client, Sandbox, workspace_root};

#[allow(
    clippy::wildcard_imports,
    reason = "the rows use the table's helpers and callers"
)]
use super::*;

/// Sets up the accounts and data the rows need and starts the server.
pub(super) fn setup() -> (Ctx, Vec<Client>) {
    let sb = Sandbox::new();
    for twin in [false, true] {
        for (who, role, scope) in STAFF {
            sb.add_user(&email(who, twin), role, scope, Some(PASSWORD));
        }
    }
    // The scoped admin: made as a wijkondernemer of the buurt, then turned into admin@buurt in
    // the store, as a store from before the rule may hold it.
    {
        let s = store::SqliteStore::open(&sb.db).unwrap();
        for twin in [false, true] {
            sb.add_user(
                &email(SCOPED_ADMIN, twin),
                "wijkondernemer",
                super::super::BUURT,
                Some(PASSWORD),
            );
            let u = s
                .user_by_email(&email(SCOPED_ADMIN, twin))
                .unwrap()
                .unwrap();
            s.set_roles(
                u.id,
                &[("admin".to_owned(), super::super::BUURT.to_owned())],
            )
            .unwrap();
        }
    }
    for twin in [false, true] {
        sb.add_partner(&email(PARTNER, twin), GEMEENTE, ORGANISATION, PASSWORD);
    }
    sb.add_user(SPARE, "volunteer", WIJK, Some(PASSWORD));
    sb.add_user(DUMMY, "volunteer", WIJK, Some(PASSWORD));
    let server = sb.serve(&["--sign-in-burst", "10000", "--report-burst", "10000"]);
    let mut clients = vec![Client::new(server.addr), device(&server)];
    for who in [RESIDENT, VERIFIED] {
        clients.push(sign_in_email(&sb, &server, &email(who, false)));
    }
    for (who, _, _) in STAFF {
        assert_eq!(clients.len(), who);
        clients.push(sign_in_password(&server, &email(who, false)));
    }
    clients.push(sign_in_password(&server, &email(PARTNER, false)));
    clients.push(sign_in_password(&server, &email(SCOPED_ADMIN, false)));
    // The verified resident (and the twin) redeem the letter of one home in WK01 and opt out of
    // canvassing.
    let codes = letters_csv(&mut clients[9], super::super::BUURT);
    let mut twin = sign_in_email(&sb, &server, &email(VERIFIED, true));
    let mut home = String::new();
    for c in [&mut clients[VERIFIED], &mut twin] {
        let r = c.post_json("/api/my/addresses", &json!({ "code": codes[0].1 }));
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["address_id"]
            .as_str()
            .unwrap()
            .clone_into(&mut home);
    }
    let r = clients[VERIFIED].put(
        &format!("/api/my/addresses/{home}/opt-outs/canvassing"),
        None,
    );
    assert_eq!(r.status, 204, "{}", r.text());
    let a = super::super::address(&sb, home.parse().unwrap());
    // Two observations about the home: one by a device reporter, one by a resident who
    // consented to being contacted.
    let mut consenter = sign_in_email(&sb, &server, "consenter@matrix.test");
    let r = consenter.post_json(
        "/api/account/consents",
        &json!({ "purpose": "contact", "given": true }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let consenter_id = super::super::user_id(&mut consenter);
    let s = store::SqliteStore::open(&sb.db).unwrap();
    let anon_reporter = super::super::reporter_with_contact(&s, "Anna", "anna@matrix.test");
    let obs_private = s
        .insert_observation(
            &super::super::observation_about(&a, "solar_panels", anon_reporter),
            super::super::now(),
        )
        .unwrap();
    let consenting = s
        .reporter_for_user(consenter_id, super::super::now())
        .unwrap();
    s.set_reporter_contact(
        consenting,
        &store::people::ReporterContact {
            name: Some("Cor".into()),
            email: Some("consenter@matrix.test".into()),
            phone: None,
        },
        super::super::now(),
    )
    .unwrap();
    let obs_consented = s
        .insert_observation(
            &super::super::observation_about(&a, "solar_panels", consenting),
            super::super::now(),
        )
        .unwrap();
    let users = clients[9].get("/api/admin/users").json();
    let dummy = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == DUMMY)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (tx, ty) = tile_of(a.lon, a.lat, 16);
    let building = format!("{:016}", a.buildings[0]);
    let mut reporter = device(&server);
    let (tree, tree_photo, home_photo) = reports::setup(&mut reporter, &building, [a.lon, a.lat]);
    // A partner's assignments in WK01: one offered, one accepted by the wijkondernemer with a
    // unit delivered.
    sb.add_partner(
        "offering-partner@matrix.test",
        GEMEENTE,
        ORGANISATION,
        PASSWORD,
    );
    let mut partner = sign_in_password(&server, "offering-partner@matrix.test");
    let offer = |partner: &mut Client, units: i64| -> i64 {
        let r = partner.post_json("/api/assignments", &crate::assignments::terms(units));
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["id"].as_i64().unwrap()
    };
    let offered = offer(&mut partner, 2);
    let accepted = offer(&mut partner, 6);
    let r = clients[6].post_json(
        &format!("/api/assignments/{accepted}/answer"),
        &json!({ "answer": "accept" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let detail = clients[6]
        .get(&format!("/api/assignments/{accepted}"))
        .json();
    let mut planned: Vec<String> = detail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["target"].as_str().unwrap().to_owned())
        .collect();
    assert!(planned.len() >= 4, "{detail}");
    let r = clients[9].post_json(
        &format!("/api/assignments/{accepted}/deliveries"),
        &json!({ "target": planned.pop().unwrap(), "evidence": "visit" }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let delivery = r.json()["id"].as_i64().unwrap();
    // An open work item in the buurt of the home (not the home's: that household opted out; not
    // one planned under the assignment above).
    let work = clients[9].get(&format!(
        "/api/work/items?area={}&status=open&limit=1",
        super::super::BUURT
    ));
    assert_eq!(work.status, 200, "{}", work.text());
    let first = &work.json()["items"][0];
    let work_item = format!(
        "{}/{}",
        first["kind"].as_str().expect("the buurt has work"),
        first["target"].as_str().unwrap()
    );
    // A resident who offered help in WK01, invited by the admin to a planned item (the rows
    // invite to another).
    let mut helper = sign_in_email(&sb, &server, "helper@matrix.test");
    let r = helper.put(
        "/api/account/offer",
        Some(&json!({
            "skills": ["knocking_doors", "watering", "gardening"], "hours_per_week": 4,
            "day_parts": ["weekend"], "area": WIJK, "consent": true,
        })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let offers = clients[9].get("/api/talent/offers").json();
    let helper_offer = offers["offers"][0]["id"]
        .as_i64()
        .expect("the helper's offer");
    let r = clients[9].post_json(
        "/api/talent/invitations",
        &json!({ "offer": helper_offer, "kind": "solar", "target": planned[1] }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let invitation = r.json()["id"].as_i64().unwrap();
    // A campaign in WK01, its first turf walked by the volunteer column's account.
    let r = clients[6].post_json("/api/campaigns", &crate::campaigns::campaign(5));
    assert_eq!(r.status, 201, "{}", r.text());
    let c = r.json();
    let campaign = c["id"].as_i64().unwrap();
    let turf = c["turfs"][0]["id"].as_i64().unwrap();
    let free_turf = c["turfs"][1]["id"].as_i64().unwrap();
    let volunteer = c["walkers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == email(4, false).as_str())
        .expect("the volunteer may walk in WK01")["id"]
        .as_i64()
        .unwrap();
    let r = clients[6].put(
        &format!("/api/campaigns/{campaign}/turfs/{turf}/holder"),
        Some(&json!({ "holder": volunteer, "expected": null })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let walk = clients[4].get(&format!("/api/campaigns/{campaign}/turfs/{turf}"));
    assert_eq!(walk.status, 200, "{}", walk.text());
    let turf_door = walk.json()["doors"][0]["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let ctx = Ctx {
        free_turf,
        campaign,
        turf,
        turf_door,
        volunteer,
        helper_offer,
        invitation,
        partner,
        offered,
        accepted,
        planned,
        delivery,
        work_item,
        work_steps: 0,
        lonlat: [a.lon, a.lat],
        reporter,
        tree,
        tree_photo,
        home_photo,
        home,
        building,
        obs_private,
        obs_consented,
        tile: (16, tx, ty),
        codes: codes[1..].iter().map(|(_, c)| c.clone()).collect(),
        dummy,
        totp: HashMap::new(),
        n: 0,
        sb,
        server,
    };
    (ctx, clients)
}

/// The text after `open` up to the bracket that closes it.
fn call_text(rest: &str) -> &str {
    let mut depth = 1;
    let end = rest
        .char_indices()
        .find(|&(_, ch)| {
            match ch {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            depth == 0
        })
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

/// The HTTP methods whose routing functions (`get(…)`, `post(…)`, …) `call` names.
fn methods_called(call: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut ident = String::new();
    for ch in call.chars() {
        if ch.is_alphanumeric() || ch == '_' {
            ident.push(ch);
            continue;
        }
        if ch == '(' && ["get", "post", "put", "patch", "delete"].contains(&ident.as_str()) {
            out.push(ident.to_uppercase());
        }
        ident.clear();
    }
    out
}

/// (method, path) of every route in `server/src/routes/`, as axum routes it: a handler added with
/// `routes!(handler)` at the method and path of its `#[utoipa::path(method, path = "…")]`; one
/// added with `.routes_at("…", routes!(handler))` at that path with its documented method; and
/// `.route("…", get(…))` / `.route_documented("…", get(…).post(…), …)` as they say.
pub(super) fn routes_in_source() -> BTreeSet<(String, String)> {
    // Every Rust file under the routes folder, subfolders included.
    let mut files = Vec::new();
    let mut dirs = vec![workspace_root().join("server/src/routes")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let sources: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    // Handler name → (METHOD, documented path), from the attributes.
    let mut documented: HashMap<String, (String, String)> = HashMap::new();
    for src in &sources {
        for (start, _) in src.match_indices("#[utoipa::path(") {
            let rest = &src[start + "#[utoipa::path(".len()..];
            let attr = call_text(rest);
            let method = attr.split(',').next().unwrap().trim().to_uppercase();
            let path = attr.split("path = \"").nth(1).unwrap();
            let path = path[..path.find('"').unwrap()].to_owned();
            let after = &rest[attr.len()..];
            let name: String = after[after.find("fn ").unwrap() + 3..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let old = documented.insert(name.clone(), (method, path));
            assert!(old.is_none(), "two documented handlers named {name}");
        }
    }
    // (A name without an attribute is no handler: `routes!(handler)` in a comment, the macro's
    // own arms. A real handler without one does not compile.)
    let handler = |h: &str| documented.get(h.trim().rsplit("::").next()?).cloned();
    let mut out = BTreeSet::new();
    for src in &sources {
        for call in [".route(", ".route_documented(", ".routes_at("] {
            for (start, _) in src.match_indices(call) {
                let text = call_text(&src[start + call.len()..]);
                let Some(route) = text.split('"').nth(1) else {
                    continue;
                };
                if call == ".routes_at(" {
                    let inner = text.split("routes!(").nth(1).unwrap();
                    for (method, _) in call_text(inner).split(',').filter_map(handler) {
                        out.insert((method, route.to_owned()));
                    }
                } else {
                    let methods = text.split("documented!").next().unwrap();
                    for m in methods_called(methods) {
                        out.insert((m, route.to_owned()));
                    }
                }
            }
        }
        for (start, _) in src.match_indices("routes!(") {
            if src[..start].trim_end().ends_with(',') {
                // The second argument of `.routes_at("…", routes!(…))`: routed at that path.
                continue;
            }
            out.extend(
                call_text(&src[start + "routes!(".len()..])
                    .split(',')
                    .filter_map(handler),
            );
        }
    }
    assert!(out.len() > 40, "found only {} routes: {out:?}", out.len());
    out
}

/// (method, path) of every row of the tables in `docs/accounts-api.md`.
pub(super) fn routes_in_docs() -> BTreeSet<(String, String)> {
    let doc = std::fs::read_to_string(workspace_root().join("docs/accounts-api.md")).unwrap();
    let out: BTreeSet<(String, String)> = doc
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let method = *cells.get(1)?;
            ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .contains(&method)
                .then(|| {
                    let path = cells[2].split('?').next().unwrap_or_default();
                    (method.to_owned(), path.to_owned())
                })
        })
        .collect();
    assert!(out.len() > 30, "found only {} documented routes", out.len());
    out
}
