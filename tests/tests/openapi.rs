//! The OpenAPI document stays true: every documented path is requested from the real server (good
//! and bad requests), and each response's status, media type and JSON body are checked against what
//! the document says, by an independent validator (Python `jsonschema`, JSON Schema 2020-12 as
//! OpenAPI 3.1 uses).

use std::process::Command;

use serde_json::{Value, json};
use tests::{get, get_with, sample_server, workspace_root};

/// A request to make: the documented path template, the URL, and extra headers.
type Probe<'a> = (&'a str, String, Vec<(&'a str, String)>);

#[test]
fn every_documented_path_answers_as_documented() {
    let s = sample_server();
    let doc_path = workspace_root().join("server/openapi.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&doc_path).unwrap()).unwrap();
    let served = get(s.addr, "/api/openapi.json");
    assert_eq!(served.status, 200);
    assert_eq!(
        served.json(),
        file,
        "the server serves the document in the repository"
    );

    // Real ids to ask for.
    let b = get(s.addr, "/ogc/collections/buildings/items?limit=1").json();
    let building = b["features"][0]["id"].as_str().unwrap().to_owned();
    let a = get(s.addr, "/ogc/collections/addresses/items?limit=1").json();
    let address = a["features"][0]["id"].as_str().unwrap().to_owned();
    let ar = get(s.addr, "/ogc/collections/areas/items?limit=1").json();
    let area = ar["features"][0]["id"].as_str().unwrap().to_owned();
    let tj = get(s.addr, "/tiles/all.json").json();
    let (lon, lat) = (
        tj["center"][0].as_f64().unwrap(),
        tj["center"][1].as_f64().unwrap(),
    );
    let n = f64::from(1u32 << 16);
    let x = ((lon + 180.0) / 360.0 * n) as u32;
    let y = ((1.0
        - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / std::f64::consts::PI)
        / 2.0
        * n) as u32;
    let tile = format!("/tiles/all/16/{x}/{y}.mvt");
    let etag = get(s.addr, &tile)
        .header("etag")
        .unwrap_or_default()
        .to_owned();

    let t_items = "/ogc/collections/{collectionId}/items";
    let t_item = "/ogc/collections/{collectionId}/items/{featureId}";
    let t_tile = "/tiles/{layer}/{z}/{x}/{y}.mvt";
    let mut requests: Vec<Probe<'_>> = vec![
        ("/health", "/health".into(), vec![]),
        ("/api/openapi.json", "/api/openapi.json".into(), vec![]),
        ("/api/search", "/api/search?q=1".into(), vec![]),
        ("/api/search", "/api/search?limit=5".into(), vec![]),
        ("/ogc", "/ogc".into(), vec![]),
        ("/ogc/conformance", "/ogc/conformance".into(), vec![]),
        ("/ogc/collections", "/ogc/collections".into(), vec![]),
        ("/style.json", "/style.json".into(), vec![]),
        (
            "/tiles/{layer}.json",
            "/tiles/buildings.json".into(),
            vec![],
        ),
        ("/tiles/{layer}.json", "/tiles/nothing.json".into(), vec![]),
        (t_tile, tile.clone(), vec![]),
        (
            t_tile,
            tile.clone(),
            vec![("Accept-Encoding", "gzip".into())],
        ),
        (t_tile, tile.clone(), vec![("If-None-Match", etag)]),
        (t_tile, "/tiles/all/16/0/0.mvt".into(), vec![]),
        (t_tile, "/tiles/all/30/0/0.mvt".into(), vec![]),
        (t_tile, "/tiles/nothing/1/0/0.mvt".into(), vec![]),
        (
            "/ogc/collections/{collectionId}",
            "/ogc/collections/nothing".into(),
            vec![],
        ),
        (
            t_items,
            "/ogc/collections/buildings/items?limit=x".into(),
            vec![],
        ),
        (t_items, "/ogc/collections/nothing/items".into(), vec![]),
        (
            t_item,
            "/ogc/collections/buildings/items/0000000000000000".into(),
            vec![],
        ),
        (
            t_item,
            "/ogc/collections/buildings/items/notanid".into(),
            vec![],
        ),
    ];
    for c in ["buildings", "addresses", "areas"] {
        requests.push((
            "/ogc/collections/{collectionId}",
            format!("/ogc/collections/{c}"),
            vec![],
        ));
        requests.push((
            t_items,
            format!("/ogc/collections/{c}/items?limit=3"),
            vec![],
        ));
        requests.push((
            t_items,
            format!(
                "/ogc/collections/{c}/items?limit=2&offset=1&bbox={},{},{},{}",
                lon - 0.01,
                lat - 0.01,
                lon + 0.01,
                lat + 0.01
            ),
            vec![],
        ));
    }
    requests.push((
        t_item,
        format!("/ogc/collections/buildings/items/{building}"),
        vec![],
    ));
    requests.push((
        t_item,
        format!("/ogc/collections/addresses/items/{address}"),
        vec![],
    ));
    requests.push((
        t_item,
        format!("/ogc/collections/areas/items/{area}"),
        vec![],
    ));

    let mut cases = Vec::new();
    for (template, url, headers) in &requests {
        let hs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = get_with(s.addr, url, &hs);
        assert!(r.status < 500, "{url}: {}", r.status);
        let ctype = r.header("content-type").map(str::to_owned);
        let is_json = ctype.as_deref().is_some_and(|c| c.contains("json"));
        let body = if r.body.is_empty() {
            Value::Null
        } else if is_json {
            r.json()
        } else {
            Value::String(String::new())
        };
        cases.push(
            json!({ "template": template, "url": url, "status": r.status, "content_type": ctype,
                           "body": if is_json { body } else { Value::Null } }),
        );
    }
    // Every documented path was exercised.
    for path in file["paths"].as_object().unwrap().keys() {
        assert!(
            requests.iter().any(|(t, _, _)| t == path),
            "documented path {path} is not exercised"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let cases_file = dir.path().join("cases.json");
    std::fs::write(&cases_file, serde_json::to_vec(&cases).unwrap()).unwrap();
    let out = Command::new("python3")
        .arg(workspace_root().join("tests/python/openapi_check.py"))
        .arg(&doc_path)
        .arg(&cases_file)
        .output()
        .expect("python3 with jsonschema");
    assert!(
        out.status.success(),
        "validator failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["checked"].as_u64(), Some(cases.len() as u64));
    assert_eq!(
        verdict["problems"],
        json!([]),
        "responses differ from the OpenAPI document"
    );
}
