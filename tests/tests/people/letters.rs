//! Letters → "my address" → opt-out → the do-not-knock register, in lists and tiles.

use serde_json::{Value, json};
use tests::{Client, Response, Sandbox};

use super::{
    BUURT, OTHER_BUURT, OTHER_WIJK, PASSWORD, Secrets, WIJK, address, audit, layer_names,
    letters_csv, sign_in_email, sign_in_password, tile_of,
};

/// A tile fetched by `c`: its layer names, answered as `Cache-Control`.
fn tile(c: &mut Client, path: &str) -> (Response, Vec<String>) {
    let r = c.get(path);
    assert!(
        r.status == 200 || r.status == 204,
        "{path}: {} {}",
        r.status,
        r.text()
    );
    assert!(
        r.header("content-encoding").is_none(),
        "asked without Accept-Encoding"
    );
    let names = layer_names(&r.body);
    (r, names)
}

fn opted_out(c: &mut Client, area: &str) -> Vec<Value> {
    let r = c.get(&format!("/api/opt-outs?area={area}"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    r.json()["addresses"].as_array().unwrap().clone()
}

#[test]
fn a_letter_code_opens_my_address_and_the_opt_out_reaches_staff_in_scope_only() {
    let sb = Sandbox::new();
    sb.add_user("admin@people.test", "admin", "all", Some(PASSWORD));
    sb.add_user("wo@people.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user(
        "wo-out@people.test",
        "wijkondernemer",
        OTHER_WIJK,
        Some(PASSWORD),
    );
    sb.add_user(
        "gemeente@people.test",
        "gemeente",
        super::GEMEENTE,
        Some(PASSWORD),
    );
    let s = sb.serve(&[]);
    let mut secrets = Secrets::default();
    let mut admin = sign_in_password(&s, "admin@people.test");
    let mut wo = sign_in_password(&s, "wo@people.test");
    let mut wo_out = sign_in_password(&s, "wo-out@people.test");
    let mut gemeente = sign_in_password(&s, "gemeente@people.test");
    let mut anon = Client::new(s.addr);

    // The wijkondernemer in scope downloads the letters of the buurt; out of scope cannot.
    let r = wo_out.post_json("/api/letters", &json!({ "area": BUURT, "format": "csv" }));
    assert_eq!(r.status, 403, "{}", r.text());
    let r = wo.post_json(
        "/api/letters",
        &json!({ "area": OTHER_BUURT, "format": "csv" }),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    let letters = letters_csv(&mut wo, BUURT);
    let expected = super::addresses_in(&sb, BUURT).len();
    assert!(
        letters.len() >= expected * 9 / 10 && letters.len() <= expected,
        "{} letters for {expected} addresses",
        letters.len()
    );
    for (_, code) in &letters {
        secrets.add("letter code", code);
        assert_eq!(code.len(), 14, "{code}");
    }
    let distinct: std::collections::HashSet<_> = letters.iter().map(|(_, c)| c).collect();
    assert_eq!(
        distinct.len(),
        letters.len(),
        "every letter has its own code"
    );
    let events = audit(&mut admin);
    let export = events
        .iter()
        .find(|e| e["action"] == "export")
        .expect("the letters export is audited");
    assert_eq!(export["target"], format!("letters:{BUURT}"));
    assert!(
        export["actor"].as_str().unwrap().starts_with("user:"),
        "{export}"
    );
    assert!(
        !events.iter().any(|e| letters
            .iter()
            .any(|(_, c)| e.to_string().contains(c.as_str()))),
        "no letter code in the audit log"
    );

    // A resident types one code in lower case with spaces.
    let mut resident = sign_in_email(&sb, &s, "bewoner@people.test");
    secrets.client(&resident);
    let (street, code) = letters[letters.len() / 2].clone();
    let typed = format!("  {}  ", code.to_lowercase().replace('-', " "));
    let r = resident.post_json("/api/my/addresses", &json!({ "code": "ABCD-EFGH-JKMN" }));
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(super::error_code(&r), "InvalidCode");
    let r = resident.post_json("/api/my/addresses", &json!({ "code": typed }));
    assert_eq!(r.status, 201, "{}", r.text());
    let home = r.json()["address_id"].as_str().unwrap().to_owned();
    assert!(
        r.json()["label"].as_str().unwrap().starts_with(&street),
        "{} is the address of the letter {street}",
        r.json()
    );
    let mine = resident.get("/api/my/addresses").json();
    assert_eq!(mine[0]["address_id"], home.as_str());
    assert_eq!(
        resident.session()["user"]["verified_addresses"][0],
        home.as_str()
    );
    let facts = resident.get(&format!("/api/my/addresses/{home}"));
    assert_eq!(facts.status, 200, "{}", facts.text());
    assert_eq!(facts.header("cache-control"), Some("no-store"));
    let facts = facts.json();
    assert_eq!(facts["address"]["identificatie"], home.as_str(), "{facts}");
    assert_eq!(facts["address"]["buurtcode"], BUURT, "{facts}");
    assert!(
        !facts["buildings"].as_array().unwrap().is_empty(),
        "{facts}"
    );
    assert_eq!(facts["opt_outs"], json!([]));
    // Another resident, and staff, are told the address does not exist for them.
    let mut neighbour = sign_in_email(&sb, &s, "buurman@people.test");
    for c in [&mut neighbour, &mut wo, &mut admin] {
        assert_eq!(c.get(&format!("/api/my/addresses/{home}")).status, 404);
        let r = c.put(
            &format!("/api/my/addresses/{home}/opt-outs/canvassing"),
            None,
        );
        assert_eq!(r.status, 404, "{}", r.text());
    }

    // The home's z16 tile before the opt-out: no do-not-knock layer for anyone.
    let a = address(&sb, home.parse().unwrap());
    let (x, y) = tile_of(a.lon, a.lat, 16);
    let path = format!("/tiles/all/16/{x}/{y}.mvt");
    let (_, names) = tile(&mut wo, &path);
    assert!(!names.iter().any(|n| n == "do_not_knock"), "{names:?}");

    // Opt out of canvassing.
    let r = resident.put(
        &format!("/api/my/addresses/{home}/opt-outs/canvassing"),
        None,
    );
    assert_eq!(r.status, 204, "{}", r.text());
    let r = resident.put(&format!("/api/my/addresses/{home}/opt-outs/bogus"), None);
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(
        resident.get(&format!("/api/my/addresses/{home}")).json()["opt_outs"],
        json!(["canvassing"])
    );
    // Staff in scope see it in the register; out of scope and the gemeente may not look.
    assert_eq!(opted_out(&mut wo, BUURT), vec![json!(home)]);
    assert_eq!(opted_out(&mut wo, WIJK), vec![json!(home)]);
    assert_eq!(opted_out(&mut admin, super::GEMEENTE), vec![json!(home)]);
    for c in [&mut wo_out, &mut gemeente] {
        let r = c.get(&format!("/api/opt-outs?area={BUURT}"));
        assert_eq!(r.status, 403, "{}", r.text());
    }
    assert!(opted_out(&mut wo_out, OTHER_BUURT).is_empty());
    assert_eq!(anon.get(&format!("/api/opt-outs?area={BUURT}")).status, 401);
    assert!(
        audit(&mut admin)
            .iter()
            .any(|e| e["action"] == "read_opt_out_register"),
        "reading the register is audited"
    );

    // The tile: the layer for the wijkondernemer in scope only; private vs public caching.
    let (r, names) = tile(&mut wo, &path);
    assert!(
        names.iter().any(|n| n == "do_not_knock"),
        "in scope: {names:?}"
    );
    assert!(names.iter().any(|n| n == "buildings"), "{names:?}");
    let cc = r.header("cache-control").unwrap_or_default().to_owned();
    assert!(cc.starts_with("private"), "private tile: {cc}");
    assert!(
        r.header("vary").unwrap_or_default().contains("ookie"),
        "{:?}",
        r.headers
    );
    for (who, c) in [
        ("anonymous", &mut anon),
        ("out of scope", &mut wo_out),
        ("gemeente", &mut gemeente),
        ("resident of the home", &mut resident),
    ] {
        let (r, names) = tile(c, &path);
        assert!(
            !names.iter().any(|n| n == "do_not_knock"),
            "{who}: {names:?}"
        );
        assert!(names.iter().any(|n| n == "buildings"), "{who}: {names:?}");
        if who != "out of scope" {
            let cc = r.header("cache-control").unwrap_or_default();
            assert!(cc.starts_with("public"), "{who}: public tile: {cc}");
        }
    }
    // The layer on its own: staff in scope; the out-of-scope one gets an empty tile.
    let (r, names) = tile(&mut wo, &format!("/tiles/do_not_knock/16/{x}/{y}.mvt"));
    assert_eq!(names, ["do_not_knock"]);
    assert!(
        r.body.windows(16).any(|w| w == home.as_bytes()),
        "the home's id is in the tile"
    );
    let r = wo_out.get(&format!("/tiles/do_not_knock/16/{x}/{y}.mvt"));
    assert_eq!(r.status, 204, "{}", r.text());
    for c in [&mut anon, &mut gemeente] {
        let r = c.get(&format!("/tiles/do_not_knock/16/{x}/{y}.mvt"));
        assert!(r.status == 401 || r.status == 403, "{}", r.status);
    }
    // OGC: the register as features, for staff in scope.
    let fc = wo.get("/ogc/collections/do-not-knock/items");
    assert_eq!(fc.status, 200);
    assert_eq!(fc.header("cache-control"), Some("private, no-store"));
    assert_eq!(fc.json()["features"][0]["id"], home.as_str());
    assert_eq!(
        wo_out.get("/ogc/collections/do-not-knock/items").json()["numberMatched"],
        0
    );

    // Withdrawn: gone from the register and from the private tile (the cache is invalidated).
    let r = resident.delete(&format!("/api/my/addresses/{home}/opt-outs/canvassing"));
    assert_eq!(r.status, 204, "{}", r.text());
    assert!(opted_out(&mut wo, BUURT).is_empty());
    let (_, names) = tile(&mut wo, &path);
    assert!(
        !names.iter().any(|n| n == "do_not_knock"),
        "after withdrawal: {names:?}"
    );
    let r = wo.get(&format!("/tiles/do_not_knock/16/{x}/{y}.mvt"));
    assert_eq!(r.status, 204, "after withdrawal");
    // …and it comes back when the household opts out again.
    let r = resident.put(
        &format!("/api/my/addresses/{home}/opt-outs/canvassing"),
        None,
    );
    assert_eq!(r.status, 204);
    let (_, names) = tile(&mut wo, &path);
    assert!(names.iter().any(|n| n == "do_not_knock"), "{names:?}");

    // A second household member with the same letter; a used letter of a new batch replaces it.
    let mut partner = sign_in_email(&sb, &s, "partner@people.test");
    let r = partner.post_json("/api/my/addresses", &json!({ "code": code }));
    assert_eq!(
        r.status,
        201,
        "the letter works for the household: {}",
        r.text()
    );
    letters_csv(&mut wo, BUURT);
    let mut late = sign_in_email(&sb, &s, "late@people.test");
    let r = late.post_json("/api/my/addresses", &json!({ "code": code }));
    assert_eq!(r.status, 400, "a replaced letter code: {}", r.text());
    secrets.client(&wo);
    secrets.client(&admin);
    secrets.add("password", PASSWORD);
    secrets.assert_not_logged(&s);
    super::assert_no_warnings(&s);
}

/// A volunteer and a wijkondernemer of the same wijk share a scope but not the right to the
/// do-not-knock register: neither may be served the other's cached private tile.
#[test]
fn private_tiles_are_not_shared_between_roles_of_one_scope() {
    let sb = Sandbox::new();
    sb.add_user("wo@people.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user("vol@people.test", "volunteer", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut wo = sign_in_password(&s, "wo@people.test");
    let mut vol = sign_in_password(&s, "vol@people.test");
    let letters = letters_csv(&mut wo, BUURT);
    let mut resident = sign_in_email(&sb, &s, "nee@people.test");
    let r = resident.post_json("/api/my/addresses", &json!({ "code": letters[0].1 }));
    assert_eq!(r.status, 201, "{}", r.text());
    let home = r.json()["address_id"].as_str().unwrap().to_owned();
    let r = resident.put(
        &format!("/api/my/addresses/{home}/opt-outs/canvassing"),
        None,
    );
    assert_eq!(r.status, 204);
    let a = address(&sb, home.parse().unwrap());
    let has_layer = |c: &mut Client, z: u32| {
        let (x, y) = tile_of(a.lon, a.lat, z);
        let (_, names) = tile(c, &format!("/tiles/all/{z}/{x}/{y}.mvt"));
        names.iter().any(|n| n == "do_not_knock")
    };
    // The wijkondernemer first, then the volunteer (z16).
    assert!(has_layer(&mut wo, 16), "wijkondernemer, first");
    assert!(
        !has_layer(&mut vol, 16),
        "the volunteer was served the wijkondernemer's cached tile with the do-not-knock layer"
    );
    // The volunteer first, then the wijkondernemer (z15, another tile).
    assert!(!has_layer(&mut vol, 15), "volunteer, first");
    assert!(
        has_layer(&mut wo, 15),
        "the wijkondernemer was served the volunteer's cached tile without the do-not-knock layer"
    );
}

/// Runs a poppler tool on `pdf`; its stderr (where poppler reports a broken file) must be empty.
fn poppler(tool: &str, pdf: &std::path::Path) -> String {
    let mut cmd = std::process::Command::new(tool);
    if tool == "pdftotext" {
        cmd.args(["-enc", "UTF-8"]).arg(pdf).arg("-");
    } else {
        cmd.arg(pdf);
    }
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("cannot run `{tool}` ({e}): this test needs poppler-utils; it is not skipped")
    });
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "{tool}: {stderr}"
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The PDF is what gets printed and posted: one A4 page per address, the fonts embedded, and the
/// code printed on a page opens the address printed on it.
#[test]
fn a_code_printed_in_the_pdf_opens_the_address_on_its_page() {
    let sb = Sandbox::new();
    sb.add_user("wo@people.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut wo = sign_in_password(&s, "wo@people.test");
    let r = wo.post_json("/api/letters", &json!({ "area": BUURT, "format": "pdf" }));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert_eq!(
        r.header("content-disposition"),
        Some(format!("attachment; filename=\"brieven-{BUURT}.pdf\"").as_str())
    );
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("brieven.pdf");
    std::fs::write(&pdf, &r.body).unwrap();

    let info = poppler("pdfinfo", &pdf);
    assert!(info.contains("A4"), "{info}");
    let fonts = poppler("pdffonts", &pdf);
    let embedded: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| l.contains("LiberationSans") && l.contains(" yes yes yes "))
        .collect();
    assert_eq!(
        embedded.len(),
        2,
        "both faces embedded, subset, mapped:\n{fonts}"
    );
    // Pages as text, white space runs made single spaces; pdftotext ends each with a form feed.
    let pages: Vec<String> = poppler("pdftotext", &pdf)
        .split_terminator('\u{c}')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let expected = super::addresses_in(&sb, BUURT).len();
    assert!(
        pages.len() >= expected * 9 / 10 && pages.len() <= expected,
        "{} pages for {expected} addresses",
        pages.len()
    );
    let codes: Vec<(&str, &str)> = pages
        .iter()
        .map(|p| {
            assert!(p.contains("De bewoners van "), "{p}");
            let code = p
                .split_once("Je code / Your code: ")
                .and_then(|(_, rest)| rest.split(' ').next())
                .unwrap_or_else(|| panic!("no code on {p}"));
            let address = p
                .split_once("Adres / Address: ")
                .and_then(|(_, rest)| rest.split_once(" Er is één code per adres."))
                .map_or_else(|| panic!("no address on {p}"), |(a, _)| a);
            (code, address)
        })
        .collect();
    let (code, address) = codes[codes.len() / 2];
    assert_eq!(code.len(), 14, "{code}");
    let mut resident = sign_in_email(&sb, &s, "pdf@people.test");
    let r = resident.post_json("/api/my/addresses", &json!({ "code": code }));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["label"], address, "{}", r.json());
}
