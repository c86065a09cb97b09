//! The OpenAPI document stays true: every documented operation is requested from the real server
//! (good and bad requests, anonymous and signed in), and each response's status, media type,
//! headers and JSON body are checked against what the document says, by an independent validator
//! (Python `jsonschema`, JSON Schema 2020-12 as OpenAPI 3.1 uses). Drift is caught both ways: a
//! probe of an undocumented operation fails the validator, a documented operation nobody probes
//! fails here, and so does a route in `server/src/routes/` that the document lacks.
//!
//! The document is generated from the handlers' `#[utoipa::path]` attributes (`server::openapi`):
//! a handler added with `routes!(…)` cannot lack its documentation (it does not compile), so the
//! scan below looks for the ways around it — a plain `.route(…)`, a route at another path than
//! its documented template, an axum `Router` — and fails on any that is not listed here.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tests::images::{tiny_jpeg, tiny_png};
use tests::mvt::tile_of;
use tests::{Client, Response, Sandbox, get, workspace_root};

/// The administrator the test creates with `wijkwerk users add`.
const ADMIN: &str = "beheer@example.org";
const ADMIN_PASSWORD: &str = "openapi-admin-password";
/// A resident who signs in with the code mailed to the outbox.
const RESIDENT: &str = "bewoner@example.org";

/// Documented operations (method, path) that no probe reaches, each with the reason. Keep it
/// empty unless a response truly cannot be provoked from a test.
const NOT_PROBED: &[(&str, &str)] = &[];

/// Routes added in `server/src/routes/` with a path other than a documented template — with
/// `.route(…)` (no documentation of its own), `.routes_at(…)` or `.route_documented(…)` (the
/// documentation of their handlers, under other templates) — and the templates the document holds
/// them under (each method of a `.route(…)` on at least one of them), or (empty) none at all.
const ROUTES_ELSEWHERE: &[(&str, &[&str])] = &[
    // The handler strips `.json` from the last segment itself.
    ("/tiles/{file}", &["/tiles/{layer}.json"]),
    // The handler strips `.mvt` (or `.pbf`) from the last segment itself.
    (
        "/tiles/{layer}/{z}/{x}/{file}",
        &["/tiles/{layer}/{z}/{x}/{y}.mvt"],
    ),
    // The handler strips `.jpg` itself.
    ("/api/photos/{file}", &["/api/photos/{id}.jpg"]),
    // Open311 resources end in `.json` or `.xml`, which the handlers split off.
    (
        "/open311/v2/{file}",
        &[
            "/open311/v2/services.{format}",
            "/open311/v2/requests.{format}",
        ],
    ),
    (
        "/open311/v2/services/{file}",
        &["/open311/v2/services/{service_code}.{format}"],
    ),
    (
        "/open311/v2/requests/{file}",
        &["/open311/v2/requests/{service_request_id}.{format}"],
    ),
    // The landing page with a trailing slash.
    ("/ogc/", &["/ogc"]),
    // Static files of the web build under their own paths (OpenAPI cannot template a path of
    // several segments).
    ("/{*path}", &[]),
];

/// One request to make: the documented operation it exercises and what to send.
struct Req {
    method: &'static str,
    template: &'static str,
    url: String,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    /// The statuses it may get (usually one); every probe names them.
    expect: Vec<u16>,
}

impl Req {
    /// `method` on `template`, which is also the URL until [`url`](Self::url) says otherwise.
    fn new(method: &'static str, template: &'static str) -> Self {
        Self {
            method,
            template,
            url: template.to_owned(),
            headers: Vec::new(),
            body: None,
            expect: Vec::new(),
        }
    }

    fn get(template: &'static str) -> Self {
        Self::new("GET", template)
    }

    fn post(template: &'static str) -> Self {
        Self::new("POST", template)
    }

    fn patch(template: &'static str) -> Self {
        Self::new("PATCH", template)
    }

    fn delete(template: &'static str) -> Self {
        Self::new("DELETE", template)
    }

    fn url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// A JSON body with its content type.
    fn json(self, body: &Value) -> Self {
        self.header("Content-Type", "application/json")
            .raw(body.to_string().into_bytes())
    }

    /// A form body (`application/x-www-form-urlencoded`), written out already encoded.
    fn form(self, body: &str) -> Self {
        self.header("Content-Type", "application/x-www-form-urlencoded")
            .raw(body.as_bytes().to_vec())
    }

    /// Bytes with their content type.
    fn bytes(self, content_type: &str, body: Vec<u8>) -> Self {
        self.header("Content-Type", content_type.to_owned())
            .raw(body)
    }

    /// A body as is (no content type added).
    fn raw(mut self, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self
    }

    fn expect(mut self, status: u16) -> Self {
        self.expect = vec![status];
        self
    }

    /// For a probe whose answer depends on a limit reached (e.g. 400 until a rate limit, 429 after).
    fn expect_one_of(mut self, statuses: &[u16]) -> Self {
        self.expect = statuses.to_vec();
        self
    }
}

/// The requests made and what came back, for the validator.
#[derive(Default)]
struct Probes {
    cases: Vec<Value>,
    operations: BTreeSet<(String, String)>,
}

impl Probes {
    /// Sends `r` as `who` (with its session cookie and CSRF token, if any) and records the answer.
    fn send(&mut self, who: &mut Client, r: Req) -> Response {
        let Req {
            method,
            template,
            url,
            headers,
            body,
            expect,
        } = r;
        let hs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = who.send(method, &url, &hs, body.as_deref());
        let what = format!("{method} {url}");
        assert!(
            !expect.is_empty(),
            "{what}: the probe names no expected status"
        );
        assert!(
            expect.contains(&res.status),
            "{what}: {} where {expect:?} was expected: {}",
            res.status,
            res.text()
        );
        let ctype = res.header("content-type").map(str::to_owned);
        let is_json = ctype.as_deref().is_some_and(|c| c.contains("json"));
        let json_body = if is_json && !res.body.is_empty() {
            res.json()
        } else {
            Value::Null
        };
        let mut got_headers = serde_json::Map::new();
        for (k, v) in &res.headers {
            got_headers.entry(k.clone()).or_insert_with(|| json!(v));
        }
        self.cases.push(json!({
            "method": method, "template": template, "url": url, "status": res.status,
            "content_type": ctype, "headers": got_headers, "body": json_body,
        }));
        self.operations
            .insert((method.to_ascii_lowercase(), template.to_owned()));
        res
    }

    fn send_all(&mut self, who: &mut Client, requests: Vec<Req>) {
        for r in requests {
            self.send(who, r);
        }
    }
}

const T_ITEMS: &str = "/ogc/collections/{collectionId}/items";
const T_ITEM: &str = "/ogc/collections/{collectionId}/items/{featureId}";
const T_COLLECTION: &str = "/ogc/collections/{collectionId}";
const T_QUERYABLES: &str = "/ogc/collections/{collectionId}/queryables";
const T_TILE: &str = "/tiles/{layer}/{z}/{x}/{y}.mvt";
const T_MY_ADDRESS: &str = "/api/my/addresses/{id}";
const T_OPT_OUT: &str = "/api/my/addresses/{id}/opt-outs/{purpose}";
const T_CONTESTS: &str = "/api/my/addresses/{id}/contests";
const T_REPORTER: &str = "/api/observations/{id}/reporter";
const T_USER: &str = "/api/admin/users/{id}";
const T_ROLES: &str = "/api/admin/users/{id}/roles";
const T_PASSWORD_LINK: &str = "/api/admin/users/{id}/password-link";
const T_TILEJSON: &str = "/tiles/{layer}.json";
const T_TYPE: &str = "/api/observation-types/{name}";
const T_NEW_TYPE: &str = "/api/admin/observation-types";
const T_REPORTS: &str = "/api/observations";
const T_REPORT: &str = "/api/observations/{id}";
const T_SIMILAR: &str = "/api/observations/similar";
const T_CONFIRM: &str = "/api/observations/{id}/confirmations";
const T_FLAGS: &str = "/api/observations/{id}/flags";
const T_PHOTOS: &str = "/api/observations/{id}/photos";
const T_PHOTO: &str = "/api/photos/{id}.jpg";
const T_MINE: &str = "/api/my/observations";
const T_TIMELINE: &str = "/api/buildings/{id}/timeline";
const T_QUEUE: &str = "/api/moderation";
const T_MODERATE: &str = "/api/observations/{id}/moderation";
const T_MERGE: &str = "/api/observations/{id}/merge";
const T_SPLIT: &str = "/api/observations/{id}/split";
const T_O311_SERVICES: &str = "/open311/v2/services.{format}";
const T_O311_SERVICE: &str = "/open311/v2/services/{service_code}.{format}";
const T_O311_REQUESTS: &str = "/open311/v2/requests.{format}";
const T_O311_REQUEST: &str = "/open311/v2/requests/{service_request_id}.{format}";
const T_CSV: &str = "/api/exports/observations.csv";
const T_GEOJSON: &str = "/api/exports/observations.geojson";
const T_GPKG: &str = "/api/exports/observations.gpkg";
const T_WORK_RULES: &str = "/api/work/rules";
const T_WORK_ITEMS: &str = "/api/work/items";
const T_WORK_SUMMARY: &str = "/api/work/summary";
const T_WORK_ITEM: &str = "/api/work/items/{kind}/{target_kind}/{id}";
const T_WORK_STATUS: &str = "/api/work/items/{kind}/{target_kind}/{id}/status";

/// Real ids of the sample data to ask for.
struct Ids {
    building: String,
    address: String,
    area: String,
    /// The buurt of `address`.
    buurt: String,
    /// A wijk in the data.
    wijk: String,
    /// Centre of the data, WGS84.
    lon: f64,
    lat: f64,
}

fn ids(addr: std::net::SocketAddr) -> Ids {
    let b = get(addr, "/ogc/collections/buildings/items?limit=1").json();
    let a = get(addr, "/ogc/collections/addresses/items?limit=1").json();
    let ar = get(addr, "/ogc/collections/areas/items?limit=1").json();
    let areas = get(addr, "/api/areas").json();
    let tj = get(addr, "/tiles/all.json").json();
    Ids {
        building: b["features"][0]["id"].as_str().unwrap().to_owned(),
        address: a["features"][0]["id"].as_str().unwrap().to_owned(),
        area: ar["features"][0]["id"].as_str().unwrap().to_owned(),
        buurt: a["features"][0]["properties"]["buurtcode"]
            .as_str()
            .unwrap()
            .to_owned(),
        wijk: areas
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["kind"] == "wijk")
            .and_then(|a| a["code"].as_str())
            .unwrap()
            .to_owned(),
        lon: tj["center"][0].as_f64().unwrap(),
        lat: tj["center"][1].as_f64().unwrap(),
    }
}

/// The register data, tiles and the service: what every visitor gets.
fn public_probes(addr: std::net::SocketAddr, ids: &Ids) -> Vec<Req> {
    let (x, y) = tile_of(ids.lon, ids.lat, 16);
    let tile = format!("/tiles/all/16/{x}/{y}.mvt");
    let etag = get(addr, &tile)
        .header("etag")
        .unwrap_or_default()
        .to_owned();
    let (lon, lat) = (ids.lon, ids.lat);
    let mut requests = vec![
        Req::get("/health").expect(200),
        Req::get("/api/openapi.json").expect(200),
        Req::get("/api/search").url("/api/search?q=1").expect(200),
        Req::get("/api/search")
            .url("/api/search?limit=5")
            .expect(400),
        Req::get("/ogc").expect(200),
        Req::get("/ogc/conformance").expect(200),
        Req::get("/ogc/collections").expect(200),
        Req::get("/style.json").expect(200),
        Req::get("/tiles/{layer}.json")
            .url("/tiles/buildings.json")
            .expect(200),
        Req::get("/tiles/{layer}.json")
            .url("/tiles/nothing.json")
            .expect(404),
        Req::get(T_TILE).url(tile.clone()).expect(200),
        Req::get(T_TILE)
            .url(tile.clone())
            .header("Accept-Encoding", "gzip")
            .expect(200),
        Req::get(T_TILE)
            .url(tile)
            .header("If-None-Match", etag)
            .expect(304),
        Req::get(T_TILE)
            .url(format!("/tiles/urgency_buurt/13/{}/{}.mvt", x >> 3, y >> 3))
            .expect(200),
        Req::get("/tiles/{layer}.json")
            .url("/tiles/urgency_h3_9.json")
            .expect(200),
        // Far from the data: an empty tile.
        Req::get(T_TILE).url("/tiles/all/16/0/0.mvt").expect(204),
        Req::get(T_TILE).url("/tiles/all/30/0/0.mvt").expect(400),
        Req::get(T_TILE).url("/tiles/nothing/1/0/0.mvt").expect(404),
        Req::get(T_COLLECTION)
            .url("/ogc/collections/nothing")
            .expect(404),
        Req::get(T_ITEMS)
            .url("/ogc/collections/buildings/items?limit=x")
            .expect(400),
        Req::get(T_ITEMS)
            .url("/ogc/collections/nothing/items")
            .expect(404),
        Req::get(T_ITEM)
            .url("/ogc/collections/buildings/items/0000000000000000")
            .expect(404),
        Req::get(T_ITEM)
            .url("/ogc/collections/buildings/items/notanid")
            .expect(404),
        // Part 3: queryables and filters on the register collections.
        Req::get(T_QUERYABLES)
            .url("/ogc/collections/buildings/queryables")
            .expect(200),
        Req::get(T_QUERYABLES)
            .url("/ogc/collections/addresses/queryables")
            .expect(200),
        Req::get(T_QUERYABLES)
            .url("/ogc/collections/areas/queryables")
            .expect(404),
        Req::get(T_QUERYABLES)
            .url("/ogc/collections/nothing/queryables")
            .expect(404),
        Req::get(T_ITEMS)
            .url("/ogc/collections/buildings/items?limit=2&filter-lang=cql2-text&filter=bouwjaar%20%3C%201975%20AND%20woonfunctie")
            .expect(200),
        Req::get(T_ITEMS)
            .url("/ogc/collections/addresses/items?limit=2&filter=energieklasse%20IN%20(%27E%27%2C%27F%27%2C%27G%27)")
            .expect(200),
        Req::get(T_ITEMS)
            .url("/ogc/collections/buildings/items?filter=bouwjar%20%3C%201975")
            .expect(400),
        Req::get(T_ITEMS)
            .url("/ogc/collections/buildings/items?filter=woonfunctie&filter-lang=cql2-json")
            .expect(400),
    ];
    for c in ["buildings", "addresses", "areas"] {
        requests.push(
            Req::get(T_COLLECTION)
                .url(format!("/ogc/collections/{c}"))
                .expect(200),
        );
        requests.push(
            Req::get(T_ITEMS)
                .url(format!("/ogc/collections/{c}/items?limit=3"))
                .expect(200),
        );
        requests.push(
            Req::get(T_ITEMS)
                .url(format!(
                    "/ogc/collections/{c}/items?limit=2&offset=1&bbox={},{},{},{}",
                    lon - 0.01,
                    lat - 0.01,
                    lon + 0.01,
                    lat + 0.01
                ))
                .expect(200),
        );
    }
    requests.extend([
        Req::get(T_ITEM)
            .url(format!("/ogc/collections/buildings/items/{}", ids.building))
            .expect(200),
        Req::get(T_ITEM)
            .url(format!("/ogc/collections/addresses/items/{}", ids.address))
            .expect(200),
        Req::get(T_ITEM)
            .url(format!("/ogc/collections/areas/items/{}", ids.area))
            .expect(200),
        // Accounts and privacy, open to everyone.
        Req::get("/api/session").expect(200),
        Req::get("/api/areas").expect(200),
        Req::get("/api/aggregates/observations")
            .url("/api/aggregates/observations?type=solar_panels")
            .expect(200),
        Req::get("/api/aggregates/observations")
            .url(format!(
                "/api/aggregates/observations?type=solar_panels&level=grid&cell_m=500&area={}",
                ids.buurt
            ))
            .expect(200),
        Req::get("/api/aggregates/observations")
            .url("/api/aggregates/observations?level=buurt")
            .expect(400),
        Req::get("/api/aggregates/observations")
            .url("/api/aggregates/observations?type=solar_panels&area=BU99999999")
            .expect(422),
        Req::post("/api/auth/logout").expect(204),
        Req::get("/").expect(200),
        Req::get("/aanmelden").expect(200),
        Req::get("/account").expect(200),
        Req::get("/beheer").expect(200),
        Req::get("/werk").expect(200),
        Req::get("/lopen").expect(200),
        Req::get("/urgentie").expect(200),
        Req::get("/api/urgency")
            .url("/api/urgency?level=grid100&indicator=gas_free")
            .expect(200),
        Req::get("/api/urgency").expect(200),
        Req::get("/api/urgency")
            .url("/api/urgency?level=h3-9&format=geojson")
            .expect(200),
        Req::get("/api/urgency")
            .url("/api/urgency?level=buurt&format=csv")
            .expect(200),
        Req::get("/api/urgency")
            .url("/api/urgency?level=grid100&format=gpkg")
            .expect(200),
        Req::get("/api/urgency")
            .url("/api/urgency?level=h3-20")
            .expect(404),
        Req::get("/api/urgency")
            .url("/api/urgency?format=xls")
            .expect(400),
        Req::get("/api/urgency/indicators").expect(200),
        Req::get("/api/urgency/style")
            .url("/api/urgency/style?level=grid100&indicator=solar_gap")
            .expect(200),
        Req::get("/api/urgency/style")
            .url("/api/urgency/style?level=h3-11")
            .expect(404),
        Req::get("/api/urgency/style")
            .url("/api/urgency/style?colour=red")
            .expect(400),
        Req::get(T_ITEMS)
            .url("/ogc/collections/urgency-buurt/items?filter=gas_free%20%3E%200")
            .expect(200),
        Req::get(T_ITEM)
            .url("/ogc/collections/urgency-h3-9/items/nothex")
            .expect(404),
        Req::get(T_QUERYABLES)
            .url("/ogc/collections/urgency-wijk/queryables")
            .expect(200),
        Req::get("/api/urgency/index").expect(200),
        Req::get("/api/urgency/index")
            .url("/api/urgency/index?level=h3-9&weights=solar_gap:2,gas_free:0.5&format=geojson")
            .expect(200),
        Req::get("/api/urgency/index")
            .url("/api/urgency/index?weights=solar_gap:11")
            .expect(422),
        Req::get("/api/urgency/index")
            .url("/api/urgency/index?weights=fun:1")
            .expect(422),
        Req::get("/api/urgency/index")
            .url("/api/urgency/index?format=pdf")
            .expect(400),
        Req::get("/api/urgency/series")
            .url(format!(
                "/api/urgency/series?level=buurt&indicator=gas_free&cell={}",
                ids.buurt
            ))
            .expect(200),
        Req::get("/api/urgency/series")
            .url(format!(
                "/api/urgency/series?level=buurt&indicator=gas_free&cell={}&format=csv",
                ids.buurt
            ))
            .expect(200),
        Req::get("/api/urgency/series")
            .url(format!(
                "/api/urgency/series?level=buurt&cell={}&format=pdf",
                ids.buurt
            ))
            .expect(400),
        Req::get("/api/urgency/series")
            .url("/api/urgency/series?level=grid100&cell=E1550N4630")
            .expect(404),
        Req::get("/api/urgency/series")
            .url("/api/urgency/series?level=buurt")
            .expect(400),
        // The work: its kinds and k-anonymous totals are everyone's.
        Req::get("/api/work/kinds").expect(200),
        Req::get(T_WORK_SUMMARY).expect(200),
        Req::get(T_WORK_SUMMARY)
            .url(format!("/api/work/summary?level=wijk&area={}", ids.wijk))
            .expect(200),
        Req::get(T_WORK_SUMMARY)
            .url("/api/work/summary?level=straat")
            .expect(400),
        Req::get(T_WORK_SUMMARY)
            .url("/api/work/summary?area=nowhere")
            .expect(400),
        Req::get(T_WORK_SUMMARY)
            .url("/api/work/summary?area=BU99999999")
            .expect(422),
    ]);
    requests
}

/// What a visitor without a session is refused: sign-in first (401), cross-site (403), and bodies
/// that are not what the operation takes (400, 413, 415, 422).
fn anonymous_refusals(ids: &Ids) -> Vec<Req> {
    let (x, y) = tile_of(ids.lon, ids.lat, 16);
    let address = &ids.address;
    let mut requests: Vec<Req> = [
        "/api/account",
        "/api/account/consents/history",
        "/api/my/addresses",
        "/api/admin/users",
        "/api/admin/custom-areas",
        "/api/admin/audit",
        "/api/admin/retention",
    ]
    .into_iter()
    .map(|t| Req::get(t).expect(401))
    .collect();
    requests.extend([
        Req::get(T_MY_ADDRESS)
            .url(format!("/api/my/addresses/{address}"))
            .expect(401),
        Req::get("/api/opt-outs")
            .url(format!("/api/opt-outs?area={}", ids.buurt))
            .expect(401),
        Req::get(T_REPORTER)
            .url("/api/observations/1/reporter")
            .expect(401),
        Req::get(T_REPORTER)
            .url("/api/observations/x/reporter")
            .expect(400),
        Req::get(T_COLLECTION)
            .url("/ogc/collections/do-not-knock")
            .expect(401),
        Req::get(T_ITEMS)
            .url("/ogc/collections/do-not-knock/items")
            .expect(401),
        Req::get(T_COLLECTION)
            .url("/ogc/collections/work")
            .expect(401),
        Req::get(T_ITEMS)
            .url("/ogc/collections/work/items?filter=kind%20%3D%20%27solar%27")
            .expect(401),
        Req::get(T_ITEM)
            .url(format!(
                "/ogc/collections/work/items/solar:pand:{}",
                ids.building
            ))
            .expect(401),
        Req::get(T_QUERYABLES)
            .url("/ogc/collections/work/queryables")
            .expect(401),
        Req::get(T_ITEM)
            .url(format!("/ogc/collections/do-not-knock/items/{address}"))
            .expect(401),
        Req::get(T_TILE)
            .url(format!("/tiles/do_not_knock/16/{x}/{y}.mvt"))
            .expect(401),
        // State-changing requests with a valid body (or none): sign in first.
        Req::post("/api/auth/logout-all").expect(401),
        Req::post("/api/account/consents")
            .json(&json!({ "purpose": "contact", "given": true }))
            .expect(401),
        Req::post("/api/account/totp").expect(401),
        Req::post("/api/account/totp/confirm")
            .json(&json!({ "code": "123456" }))
            .expect(401),
        Req::post("/api/account/password")
            .json(&json!({ "current": "a", "new": "long enough password" }))
            .expect(401),
        Req::post("/api/my/addresses")
            .json(&json!({ "code": "AAAA-BBBB-CCCC" }))
            .expect(401),
        Req::new("PUT", T_OPT_OUT)
            .url(format!("/api/my/addresses/{address}/opt-outs/canvassing"))
            .expect(401),
        Req::new("DELETE", T_OPT_OUT)
            .url(format!("/api/my/addresses/{address}/opt-outs/canvassing"))
            .expect(401),
        Req::post(T_CONTESTS)
            .url(format!("/api/my/addresses/{address}/contests"))
            .json(&json!({ "observation_id": 1, "reason": "not so" }))
            .expect(401),
        Req::post("/api/letters")
            .json(&json!({ "area": ids.buurt, "format": "csv" }))
            .expect(401),
        Req::post("/api/admin/users")
            .json(&json!({ "email": "x@example.org", "role": "volunteer" }))
            .expect(401),
        Req::new("PATCH", T_USER)
            .url("/api/admin/users/1")
            .json(&json!({ "disabled": false }))
            .expect(401),
        Req::new("PUT", T_ROLES)
            .url("/api/admin/users/1/roles")
            .json(&json!([{ "role": "admin" }]))
            .expect(401),
        Req::post("/api/admin/custom-areas")
            .json(&json!({ "name": "x", "geometry": square(ids.lon, ids.lat) }))
            .expect(401),
        Req::post("/api/admin/retention/run").expect(401),
        Req::get(T_WORK_RULES).expect(401),
        Req::new("PUT", T_WORK_RULES)
            .bytes("application/toml", b"# no rules".to_vec())
            .expect(401),
        Req::get(T_WORK_ITEMS).expect(401),
        Req::get(T_WORK_ITEM)
            .url("/api/work/items/solar/pand/0000000000000001")
            .expect(401),
        Req::post(T_WORK_STATUS)
            .url("/api/work/items/solar/pand/0000000000000001/status")
            .json(&json!({ "status": "planned" }))
            .expect(401),
        Req::post(T_WORK_STATUS)
            .url("/api/work/items/solar/pand/0000000000000001/status")
            .json(&json!({ "status": "planned" }))
            .header("Origin", "https://elsewhere.example")
            .expect(403),
        // Bodies the JSON extractor refuses, before anything else.
        Req::post("/api/auth/email")
            .raw(br#"{"email":"a@example.org"}"#.to_vec())
            .expect(415),
        Req::post("/api/auth/email")
            .header("Content-Type", "application/json")
            .raw(br#"{"email":"#.to_vec())
            .expect(400),
        Req::post("/api/auth/email")
            .json(&json!({ "email": "a@example.org", "name": "A" }))
            .expect(422),
        Req::post("/api/auth/email")
            .header("Content-Type", "application/json")
            .raw(vec![b' '; 70 * 1024])
            .expect(413),
        Req::post("/api/auth/email")
            .json(&json!({ "email": "not an address" }))
            .expect(422),
        Req::post("/api/auth/email")
            .json(&json!({ "email": "a@example.org" }))
            .header("Origin", "https://elsewhere.example")
            .expect(403),
        Req::post("/api/letters")
            .json(&json!({ "area": ids.buurt, "format": "csv" }))
            .header("Origin", "https://elsewhere.example")
            .expect(403),
        Req::post("/api/admin/users")
            .header("Content-Type", "application/json")
            .raw(b"[".to_vec())
            .expect(400),
        Req::post("/api/account/consents")
            .raw(br#"{"purpose":"contact","given":true}"#.to_vec())
            .expect(415),
        Req::post("/api/auth/email/verify")
            .json(&json!({ "token": "no-such-token" }))
            .expect(400),
        Req::post("/api/auth/email/verify")
            .json(&json!({ "token": "a", "email": "a@example.org" }))
            .expect(422),
        Req::post("/api/auth/password")
            .json(&json!({ "email": "nobody@example.org", "password": "not the password" }))
            .expect(401),
    ]);
    requests
}

/// A small square polygon around a point (GeoJSON).
fn square(lon: f64, lat: f64) -> Value {
    let d = 0.002;
    json!({ "type": "Polygon", "coordinates": [[
        [lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]
    ]] })
}

/// A pseudonymous device session: started, refused a second time, not an account, ended.
fn device_probes(p: &mut Probes, addr: std::net::SocketAddr) {
    let mut device = Client::new(addr);
    p.send(&mut device, Req::post("/api/auth/device").expect(200));
    assert!(device.cookie.is_some() && device.csrf.is_some());
    p.send(&mut device, Req::post("/api/auth/device").expect(409));
    p.send(&mut device, Req::get("/api/session").expect(200));
    p.send(&mut device, Req::post("/api/account/totp").expect(401));
    p.send(&mut device, Req::post("/api/auth/logout").expect(204));
    assert!(device.cookie.is_none(), "logout clears the cookie");
}

/// The admin's work: accounts, roles, areas, the audit log, retention, letters. Returns the
/// letter codes of the buurt (CSV rows: `adres,postcode_plaats,code,geldig_tot`).
fn admin_probes(p: &mut Probes, admin: &mut Client, sandbox: &Sandbox, ids: &Ids) -> Vec<String> {
    let me = p.send(
        admin,
        Req::post("/api/auth/password")
            .json(&json!({ "email": ADMIN, "password": ADMIN_PASSWORD }))
            .expect(200),
    );
    let admin_id = me.json()["user"]["id"].as_i64().unwrap();
    p.send(admin, Req::get("/api/session").expect(200));
    p.send(admin, Req::get("/api/account").expect(200));
    // The admin as an analyst: the weights of the urgency index.
    p.send(admin, Req::get("/api/urgency/weights").expect(200));
    p.send(
        admin,
        Req::new("PUT", "/api/urgency/weights")
            .json(&json!({ "weights": { "solar_gap": 3, "work_done": 1 } }))
            .expect(200),
    );
    p.send(
        admin,
        Req::new("PUT", "/api/urgency/weights")
            .json(&json!({ "weights": { "solar_gap": 0 } }))
            .expect(422),
    );
    p.send(
        admin,
        Req::new("PUT", "/api/urgency/weights")
            .json(&json!({ "wrong": {} }))
            .expect(422),
    );
    for (body, status) in [
        (json!({ "current": "whatever", "new": "short" }), 422),
        (
            json!({ "current": "not the password", "new": "a new long password" }),
            401,
        ),
        (
            json!({ "current": ADMIN_PASSWORD, "new": "another long password" }),
            204,
        ),
    ] {
        p.send(
            admin,
            Req::post("/api/account/password")
                .json(&body)
                .expect(status),
        );
    }
    // An authenticator needs the password besides the session (left pending: not confirmed).
    for (body, status) in [
        (json!({}), 422),
        (json!({ "password": "not the password" }), 401),
        (json!({ "password": "another long password" }), 200),
    ] {
        p.send(
            admin,
            Req::post("/api/account/totp").json(&body).expect(status),
        );
    }

    // Accounts and roles.
    p.send(admin, Req::get("/api/admin/users").expect(200));
    let staff = json!({ "email": "wijk@example.org", "display_name": "Wijk", "role": "wijkondernemer",
                        "scope": ids.wijk, "password": "a long staff password" });
    let created = p.send(
        admin,
        Req::post("/api/admin/users").json(&staff).expect(201),
    );
    let staff_id = created.json()["id"].as_i64().unwrap();
    p.send(
        admin,
        Req::post("/api/admin/users").json(&staff).expect(409),
    );
    p.send(
        admin,
        Req::post("/api/admin/users")
            .json(&json!({ "email": "king@example.org", "role": "king" }))
            .expect(422),
    );
    let mut no_csrf = admin.clone();
    no_csrf.csrf = None;
    p.send(
        &mut no_csrf,
        Req::post("/api/admin/users")
            .json(&json!({ "email": "x@example.org", "role": "volunteer" }))
            .expect(403),
    );
    for (id, body, status) in [
        (staff_id.to_string(), json!({ "disabled": true }), 200),
        (staff_id.to_string(), json!({ "disabled": false }), 200),
        (admin_id.to_string(), json!({ "disabled": true }), 422),
        ("999999".to_owned(), json!({ "disabled": true }), 404),
        ("abc".to_owned(), json!({ "disabled": true }), 400),
    ] {
        p.send(
            admin,
            Req::new("PATCH", T_USER)
                .url(format!("/api/admin/users/{id}"))
                .json(&body)
                .expect(status),
        );
    }
    for (id, body, status) in [
        (
            staff_id,
            json!([{ "role": "communitybuilder", "scope": ids.wijk }]),
            200,
        ),
        (staff_id, json!([]), 422),
        (999_999, json!([{ "role": "admin" }]), 404),
    ] {
        p.send(
            admin,
            Req::new("PUT", T_ROLES)
                .url(format!("/api/admin/users/{id}/roles"))
                .json(&body)
                .expect(status),
        );
    }

    // A password link for the staff account, used once.
    for (id, status) in [
        (staff_id.to_string(), 202),
        ("999999".to_owned(), 404),
        ("abc".to_owned(), 400),
    ] {
        p.send(
            admin,
            Req::new("POST", T_PASSWORD_LINK)
                .url(format!("/api/admin/users/{id}/password-link"))
                .expect(status),
        );
    }
    let mail = sandbox
        .last_mail("wijk@example.org")
        .expect("a password link");
    let token = mail["link"]
        .as_str()
        .unwrap()
        .split("#wachtwoord=")
        .nth(1)
        .unwrap()
        .to_owned();
    for (password, status) in [("short", 422), ("a long staff password", 204)] {
        p.send(
            &mut Client::new(admin.addr),
            Req::post("/api/auth/password-link")
                .json(&json!({ "token": token, "password": password }))
                .expect(status),
        );
    }
    p.send(
        &mut Client::new(admin.addr),
        Req::post("/api/auth/password-link")
            .json(&json!({ "token": token, "password": "a long staff password" }))
            .expect(400),
    );

    // Custom areas, the audit log, retention.
    for (geometry, status) in [
        (square(ids.lon, ids.lat), 201),
        (
            json!({ "type": "Point", "coordinates": [ids.lon, ids.lat] }),
            422,
        ),
        (json!({ "type": "Nonsense" }), 400),
    ] {
        p.send(
            admin,
            Req::post("/api/admin/custom-areas")
                .json(&json!({ "name": "Rond het midden", "geometry": geometry }))
                .expect(status),
        );
    }
    p.send(admin, Req::get("/api/admin/custom-areas").expect(200));
    p.send(
        admin,
        Req::get("/api/admin/audit")
            .url("/api/admin/audit?limit=5")
            .expect(200),
    );
    p.send(
        admin,
        Req::get("/api/admin/audit")
            .url("/api/admin/audit?limit=0")
            .expect(400),
    );
    p.send(admin, Req::get("/api/admin/retention").expect(200));
    p.send(admin, Req::post("/api/admin/retention/run").expect(200));

    // Staff work. The PDF first: every letter run gives the addresses new codes.
    for (body, status) in [
        (json!({ "area": "nowhere", "format": "csv" }), 400),
        (json!({ "area": "BU99999999", "format": "csv" }), 422),
        (json!({ "area": ids.buurt, "format": "doc" }), 400),
        (json!({ "area": ids.buurt, "format": "pdf" }), 200),
    ] {
        p.send(admin, Req::post("/api/letters").json(&body).expect(status));
    }
    let csv = p.send(
        admin,
        Req::post("/api/letters")
            .json(&json!({ "area": ids.buurt, "format": "csv" }))
            .expect(200),
    );
    p.send(
        admin,
        Req::get(T_REPORTER)
            .url("/api/observations/1/reporter")
            .expect(404),
    );
    p.send(
        admin,
        Req::get("/api/opt-outs")
            .url("/api/opt-outs?purpose=canvassing")
            .expect(400),
    );
    p.send(
        admin,
        Req::get("/api/opt-outs")
            .url("/api/opt-outs?area=BU99999999")
            .expect(422),
    );
    csv.text()
        .lines()
        .skip(1)
        .filter_map(|row| row.rsplit(',').nth(1).map(str::to_owned))
        .collect()
}

/// A resident: signs in through the outbox, consents, verifies an address with a letter code,
/// opts out of canvassing; and is refused the staff and admin routes. Returns the address.
fn resident_probes(
    p: &mut Probes,
    resident: &mut Client,
    sandbox: &Sandbox,
    codes: &[String],
    ids: &Ids,
) -> String {
    p.send(
        resident,
        Req::post("/api/auth/email")
            .json(&json!({ "email": RESIDENT }))
            .expect(202),
    );
    let mail = sandbox.last_mail(RESIDENT).expect("a sign-in mail");
    p.send(
        resident,
        Req::post("/api/auth/email/verify")
            .json(&json!({ "email": RESIDENT, "code": mail["code"] }))
            .expect(200),
    );
    p.send(
        resident,
        Req::get("/api/account/consents/history").expect(200),
    );
    p.send(
        resident,
        Req::post("/api/account/consents")
            .json(&json!({ "purpose": "contact", "given": true }))
            .expect(201),
    );
    p.send(
        resident,
        Req::post("/api/account/consents")
            .json(&json!({ "purpose": "map", "given": true }))
            .expect(422),
    );
    p.send(resident, Req::post("/api/account/totp").expect(200));
    p.send(
        resident,
        Req::post("/api/account/totp/confirm")
            .json(&json!({ "code": "abcdef" }))
            .expect(422),
    );

    // The letter code proves the address.
    let verified = p.send(
        resident,
        Req::post("/api/my/addresses")
            .json(&json!({ "code": codes[0] }))
            .expect(201),
    );
    let home = verified.json()["address_id"].as_str().unwrap().to_owned();
    p.send(resident, Req::get("/api/my/addresses").expect(200));
    p.send(
        resident,
        Req::get(T_MY_ADDRESS)
            .url(format!("/api/my/addresses/{home}"))
            .expect(200),
    );
    p.send(
        resident,
        Req::get(T_MY_ADDRESS)
            .url("/api/my/addresses/0000000000000000")
            .expect(404),
    );
    let opt_out = |purpose: &str| format!("/api/my/addresses/{home}/opt-outs/{purpose}");
    p.send(
        resident,
        Req::new("PUT", T_OPT_OUT)
            .url(opt_out("canvassing"))
            .expect(204),
    );
    p.send(
        resident,
        Req::new("PUT", T_OPT_OUT).url(opt_out("map")).expect(400),
    );
    p.send(
        resident,
        Req::new("DELETE", T_OPT_OUT)
            .url(opt_out("contact"))
            .expect(204),
    );
    let mut no_csrf = resident.clone();
    no_csrf.csrf = None;
    p.send(
        &mut no_csrf,
        Req::new("PUT", T_OPT_OUT)
            .url(opt_out("research"))
            .expect(403),
    );
    for (body, status) in [
        (json!({ "observation_id": 1, "reason": "not so" }), 422),
        (json!({ "observation_id": 1, "reason": "  " }), 422),
    ] {
        p.send(
            resident,
            Req::post(T_CONTESTS)
                .url(format!("/api/my/addresses/{home}/contests"))
                .json(&body)
                .expect(status),
        );
    }
    // Wrong letter codes: refused, then rate limited (5 a burst per account, the good one
    // included).
    let mut limited = false;
    for _ in 0..12 {
        let r = p.send(
            resident,
            Req::post("/api/my/addresses")
                .json(&json!({ "code": "AAAA-BBBB-CCCC" }))
                .expect_one_of(&[400, 429]),
        );
        if r.status == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "wrong letter codes are rate limited");

    // Not for residents.
    let (x, y) = tile_of(ids.lon, ids.lat, 16);
    let refused = [
        Req::get("/api/admin/users"),
        Req::get("/api/admin/audit"),
        Req::get("/api/opt-outs").url(format!("/api/opt-outs?area={}", ids.buurt)),
        Req::get(T_REPORTER).url("/api/observations/1/reporter"),
        Req::post("/api/letters").json(&json!({ "area": ids.buurt, "format": "csv" })),
        Req::post("/api/admin/retention/run"),
        Req::get(T_COLLECTION).url("/ogc/collections/do-not-knock"),
        Req::get(T_TILE).url(format!("/tiles/do_not_knock/16/{x}/{y}.mvt")),
        Req::get(T_COLLECTION).url("/ogc/collections/work"),
        Req::get(T_ITEMS).url("/ogc/collections/work/items"),
        Req::get(T_QUERYABLES).url("/ogc/collections/work/queryables"),
    ];
    for r in refused {
        p.send(resident, r.expect(403));
    }
    home
}

/// The do-not-knock register as staff see it, with the resident's opt-out in it.
fn register_probes(p: &mut Probes, admin: &mut Client, ids: &Ids, home: &str) {
    let cols = p.send(admin, Req::get("/ogc/collections").expect(200));
    assert!(
        cols.json()["collections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "do-not-knock"),
        "staff see the do-not-knock collection"
    );
    p.send(
        admin,
        Req::get(T_COLLECTION)
            .url("/ogc/collections/do-not-knock")
            .expect(200),
    );
    let items = p.send(
        admin,
        Req::get(T_ITEMS)
            .url("/ogc/collections/do-not-knock/items")
            .expect(200),
    );
    assert_eq!(items.json()["numberMatched"], 1, "{}", items.text());
    let item = p.send(
        admin,
        Req::get(T_ITEM)
            .url(format!("/ogc/collections/do-not-knock/items/{home}"))
            .expect(200),
    );
    let at = &item.json()["geometry"]["coordinates"];
    let (x, y) = tile_of(at[0].as_f64().unwrap(), at[1].as_f64().unwrap(), 16);
    p.send(
        admin,
        Req::get(T_TILE)
            .url(format!("/tiles/do_not_knock/16/{x}/{y}.mvt"))
            .expect(200),
    );
    p.send(
        admin,
        Req::get(T_TILE)
            .url(format!("/tiles/all/16/{x}/{y}.mvt"))
            .expect(200),
    );
    let list = p.send(
        admin,
        Req::get("/api/opt-outs")
            .url(format!("/api/opt-outs?area={}", ids.buurt))
            .expect(200),
    );
    assert_eq!(list.json()["addresses"], json!([home]));
    // Only the resident who verified it may act on the address.
    p.send(
        admin,
        Req::new("PUT", T_OPT_OUT)
            .url(format!("/api/my/addresses/{home}/opt-outs/canvassing"))
            .expect(404),
    );
}

/// A `solar_panels` report about a pand.
fn solar(building: &str, panels: &str) -> Value {
    json!({ "type": "solar_panels", "target": { "building": building },
            "answers": { "panels": panels, "count": "5-10" } })
}

/// A dying tree at a point, with its tree register id.
fn dying_tree(lon: f64, lat: f64) -> Value {
    json!({ "type": "greenery_distress",
            "target": { "point": { "type": "Point", "coordinates": [lon, lat] }, "tree": "B-0042" },
            "answers": { "object": "tree", "severity": "dying", "cause": "drought" } })
}

/// A public-space observation type an admin adds (`version` of it).
fn bench_type(version: u32) -> Value {
    json!({
        "name": "bench_state", "version": version,
        "title": { "nl": "Bankje", "en": "Bench" },
        "question": { "nl": "Hoe is het bankje?", "en": "How is the bench?" },
        "targets": ["point"], "public_space": true, "own_home_only": false,
        "visible_from_street": true, "status_field": "state",
        "status_classes": { "ok": "ok", "broken": "broken" },
        "schema": { "type": "object", "additionalProperties": false, "required": ["state"],
                    "properties": { "state": { "enum": ["ok", "broken"] } } }
    })
}

/// The `field`s of a 422's `errors[]` (none when it has no `errors`).
fn error_fields(r: &Response) -> Vec<String> {
    assert_eq!(r.status, 422, "{}", r.text());
    r.json()["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|f| f["field"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// An Open311 form for a dying tree at a point.
fn tree_form(lon: f64, lat: f64) -> String {
    format!(
        "service_code=greenery_distress&lat={lat}&long={lon}&attribute%5Bobject%5D=tree\
         &attribute%5Bseverity%5D=dying&description=Droog"
    )
}

/// What every visitor gets of reports, and what a visitor without a session is refused.
fn anonymous_report_probes(ids: &Ids) -> Vec<Req> {
    let b = &ids.building;
    let none = "/api/observations/999999";
    let mut requests = vec![
        Req::get("/api/observation-types").expect(200),
        Req::get(T_TYPE)
            .url("/api/observation-types/solar_panels")
            .expect(200),
        Req::get(T_TYPE)
            .url("/api/observation-types/nothing")
            .expect(404),
        Req::post(T_REPORTS).json(&solar(b, "yes")).expect(401),
        Req::post(T_REPORTS)
            .raw(solar(b, "yes").to_string().into_bytes())
            .expect(415),
        // Unknown fields are refused while the body is read: 422 without `errors`.
        Req::post(T_REPORTS)
            .json(&json!({ "type": "solar_panels", "target": { "building": b }, "answers": {}, "colour": "red" }))
            .expect(422),
        Req::get(T_SIMILAR)
            .url(format!("/api/observations/similar?type=solar_panels&building={b}"))
            .expect(401),
        // An unknown parameter is refused before the session is looked at.
        Req::get(T_SIMILAR)
            .url("/api/observations/similar?colour=red")
            .expect(400),
        Req::get(T_MINE).expect(401),
        // Signed out: sign in (a verified resident or staff in scope may see it).
        Req::get(T_TIMELINE)
            .url(format!("/api/buildings/{b}/timeline"))
            .expect(401),
        Req::get(T_TIMELINE)
            .url("/api/buildings/notapand/timeline")
            .expect(404),
        Req::get(T_REPORT).url(none).expect(404),
        Req::get(T_REPORT).url("/api/observations/abc").expect(404),
        Req::patch(T_REPORT).url(none).json(&json!({})).expect(401),
        Req::delete(T_REPORT).url(none).expect(401),
        Req::post(T_CONFIRM)
            .url(format!("{none}/confirmations"))
            .expect(401),
        Req::post(T_FLAGS)
            .url(format!("{none}/flags"))
            .json(&json!({ "reason": "spam" }))
            .expect(401),
        Req::post(T_PHOTOS)
            .url(format!("{none}/photos"))
            .bytes("image/jpeg", tiny_jpeg())
            .expect(401),
        Req::get(T_PHOTO).url("/api/photos/999999.jpg").expect(404),
        Req::get(T_QUEUE).expect(401),
        // Moderation asks who the caller is before it looks the report up.
        Req::post(T_MODERATE)
            .url(format!("{none}/moderation"))
            .json(&json!({ "action": "hide" }))
            .expect(401),
        Req::post(T_MERGE)
            .url(format!("{none}/merge"))
            .json(&json!({ "into": 1 }))
            .expect(401),
        Req::post(T_SPLIT)
            .url(format!("{none}/split"))
            .json(&json!({ "answers": {} }))
            .expect(401),
        Req::post(T_NEW_TYPE).json(&bench_type(1)).expect(401),
        // Observation layers of the map.
        Req::get(T_TILEJSON)
            .url("/tiles/public_space.json")
            .expect(200),
        Req::get(T_TILEJSON)
            .url("/tiles/observations_per_buurt.json")
            .expect(200),
        Req::get(T_TILEJSON).url("/tiles/observations.json").expect(401),
        Req::get(T_TILEJSON)
            .url("/tiles/do_not_knock.json")
            .expect(401),
    ];
    // Open311, read by everyone; writing needs a session on this server.
    for f in ["json", "xml"] {
        requests.extend([
            Req::get(T_O311_SERVICES)
                .url(format!("/open311/v2/services.{f}"))
                .expect(200),
            Req::get(T_O311_SERVICE)
                .url(format!("/open311/v2/services/greenery_distress.{f}"))
                .expect(200),
            Req::get(T_O311_SERVICE)
                .url(format!("/open311/v2/services/solar_panels.{f}"))
                .expect(404),
            Req::get(T_O311_REQUESTS)
                .url(format!("/open311/v2/requests.{f}"))
                .expect(200),
            Req::get(T_O311_REQUESTS)
                .url(format!("/open311/v2/requests.{f}?status=pending"))
                .expect(400),
            Req::get(T_O311_REQUEST)
                .url(format!("/open311/v2/requests/999999.{f}"))
                .expect(404),
            Req::post(T_O311_REQUESTS)
                .url(format!("/open311/v2/requests.{f}"))
                .form(&tree_form(ids.lon, ids.lat))
                .expect(401),
        ]);
    }
    requests
}

/// Observations made in the probes, by whom.
struct Reported {
    /// The device session that reported both.
    reporter: Client,
    /// Solar panels on `Ids::building`, and where the map draws it (lon, lat).
    solar: i64,
    solar_at: (f64, f64),
    /// The buurt of the solar panels.
    buurt: String,
    /// A dying tree at the centre.
    tree: i64,
    /// A photo of each.
    solar_photo: String,
    tree_photo: String,
}

/// A device session reports solar panels on a real pand and a dying tree at a point, with photos;
/// and gets its mistakes back as 4xx.
fn device_report_probes(p: &mut Probes, addr: std::net::SocketAddr, ids: &Ids) -> Reported {
    let b = &ids.building;
    let mut a = Client::new(addr);
    p.send(&mut a, Req::post("/api/auth/device").expect(200));
    let first = p.send(
        &mut a,
        Req::post(T_REPORTS)
            .json(&solar(b, "yes"))
            .header("Idempotency-Key", "openapi-solar-1")
            .expect(201),
    );
    let report = first.json();
    let solar_id = report["id"].as_i64().unwrap();
    assert_eq!(
        first.header("location"),
        Some(format!("/api/observations/{solar_id}").as_str())
    );
    assert_eq!(report["mine"], true);
    let retry = p.send(
        &mut a,
        Req::post(T_REPORTS)
            .json(&solar(b, "yes"))
            .header("Idempotency-Key", "openapi-solar-1")
            .expect(200),
    );
    assert_eq!(retry.json()["id"], solar_id, "a retry is the same report");
    p.send(
        &mut a,
        Req::post(T_REPORTS)
            .json(&solar(b, "yes"))
            .header("Idempotency-Key", "k".repeat(129))
            .expect(400),
    );
    let tree = p.send(
        &mut a,
        Req::post(T_REPORTS)
            .json(&dying_tree(ids.lon, ids.lat))
            .expect(201),
    );
    let tree_id = tree.json()["id"].as_i64().unwrap();

    // Every failing field at once.
    let bad = p.send(
        &mut a,
        Req::post(T_REPORTS)
            .json(&json!({ "type": "solar_panels", "target": { "building": b },
                           "observed_at": "yesterday", "answers": { "panels": "maybe", "colour": "red" } }))
            .expect(422),
    );
    let fields = error_fields(&bad);
    assert!(
        fields.len() >= 2 && fields.iter().any(|f| f == "/observed_at"),
        "{fields:?}"
    );
    let unknown = p.send(
        &mut a,
        Req::post(T_REPORTS)
            .json(&solar("0000100000000001", "yes"))
            .expect(422),
    );
    assert_eq!(error_fields(&unknown), ["/target/building"]);
    let line = json!({ "type": "LineString", "coordinates": [[ids.lon, ids.lat], [ids.lon, ids.lat + 0.001]] });
    p.send(
        &mut a,
        Req::post(T_REPORTS)
            .json(
                &json!({ "type": "greenery_distress", "target": { "point": line },
                           "answers": { "object": "tree", "severity": "dying" } }),
            )
            .expect(400),
    );
    p.send(
        &mut a,
        Req::post(T_REPORTS)
            .json(&json!({ "type": "gas_readiness", "target": { "address": ids.address },
                           "answers": { "heating": "gas_boiler", "cooking": "gas", "interest": "yes" } }))
            .expect(403),
    );

    let own = format!("/api/observations/{solar_id}");
    p.send(&mut a, Req::get(T_REPORT).url(own.clone()).expect(200));
    p.send(
        &mut a,
        Req::patch(T_REPORT)
            .url(own.clone())
            .json(&json!({ "answers": { "panels": "no" } }))
            .expect(200),
    );
    let bad = p.send(
        &mut a,
        Req::patch(T_REPORT)
            .url(own.clone())
            .json(&json!({ "answers": { "panels": 3 } }))
            .expect(422),
    );
    assert!(!error_fields(&bad).is_empty());
    // Whether a home has reports is for those who may see them: a device is refused.
    p.send(
        &mut a,
        Req::get(T_SIMILAR)
            .url(format!(
                "/api/observations/similar?type=solar_panels&building={b}"
            ))
            .expect(403),
    );
    p.send(
        &mut a,
        Req::get(T_SIMILAR)
            .url(format!(
                "/api/observations/similar?type=gas_readiness&address={}",
                ids.address
            ))
            .expect(400),
    );
    let mine = p.send(&mut a, Req::get(T_MINE).expect(200));
    assert_eq!(mine.json().as_array().unwrap().len(), 2);
    p.send(
        &mut a,
        Req::post(T_CONFIRM)
            .url(format!("{own}/confirmations"))
            .expect(409),
    );

    // Photos: JPEG and PNG, whatever the declared type; three at most.
    let photos = format!("{own}/photos");
    let upload =
        |ctype: &str, bytes: Vec<u8>| Req::post(T_PHOTOS).url(photos.clone()).bytes(ctype, bytes);
    let jpeg = p.send(&mut a, upload("image/jpeg", tiny_jpeg()).expect(201));
    let solar_photo = jpeg.json()["url"].as_str().unwrap().to_owned();
    p.send(&mut a, upload("image/png", tiny_png()).expect(201));
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    p.send(&mut a, upload("image/jpeg", gif.to_vec()).expect(415));
    let mut cut = tiny_jpeg();
    cut.truncate(cut.len() - 2);
    let r = p.send(&mut a, upload("image/jpeg", cut).expect(422));
    assert!(error_fields(&r).is_empty(), "a damaged photo: {}", r.text());
    p.send(&mut a, upload("image/jpeg", tiny_jpeg()).expect(201));
    let full = p.send(&mut a, upload("image/jpeg", tiny_jpeg()).expect(422));
    assert_eq!(error_fields(&full), ["/photos"]);
    let mut big = tiny_jpeg();
    big.resize(10 * 1024 * 1024 + 1, 0);
    p.send(&mut a, upload("image/jpeg", big).expect(413));
    let tree_photo = p.send(
        &mut a,
        Req::post(T_PHOTOS)
            .url(format!("/api/observations/{tree_id}/photos"))
            .bytes("image/jpeg", tiny_jpeg())
            .expect(201),
    );
    let tree_photo = tree_photo.json()["url"].as_str().unwrap().to_owned();
    let got = p.send(
        &mut a,
        Req::get(T_PHOTO).url(solar_photo.clone()).expect(200),
    );
    assert!(got.body.starts_with(&[0xFF, 0xD8, 0xFF]), "a JPEG");
    p.send(
        &mut a,
        Req::get(T_PHOTO).url("/api/photos/abc.jpg").expect(404),
    );

    // Not for a device session.
    for r in [
        Req::get(T_TIMELINE).url(format!("/api/buildings/{b}/timeline")),
        Req::post(T_NEW_TYPE).json(&bench_type(1)),
        Req::get(T_QUEUE),
    ] {
        p.send(&mut a, r.expect(403));
    }
    let at = &report["target"]["point"]["coordinates"];
    Reported {
        reporter: a,
        solar: solar_id,
        solar_at: (at[0].as_f64().unwrap(), at[1].as_f64().unwrap()),
        buurt: report["buurt"].as_str().unwrap().to_owned(),
        tree: tree_id,
        solar_photo,
        tree_photo,
    }
}

/// Another device: reporting what the first saw on the building counts as a confirmation; it
/// confirms and flags the tree (public) but may not read, confirm or flag the report about a home,
/// change another's report or moderate.
fn other_device_probes(p: &mut Probes, addr: std::net::SocketAddr, r: &Reported, building: &str) {
    let mut b = Client::new(addr);
    p.send(&mut b, Req::post("/api/auth/device").expect(200));
    let solar = format!("/api/observations/{}", r.solar);
    let tree = format!("/api/observations/{}", r.tree);
    // The first reporter changed their report to "no panels": the same is a confirmation.
    let same = p.send(
        &mut b,
        Req::post(T_REPORTS)
            .json(
                &json!({ "type": "solar_panels", "target": { "building": building },
                           "answers": { "panels": "no" } }),
            )
            .expect(200),
    );
    assert_eq!(same.json()["outcome"], "confirmed", "{}", same.text());
    assert_eq!(same.json()["id"], r.solar);
    for (url, status) in [
        (format!("{solar}/confirmations"), 404),
        (format!("{tree}/confirmations"), 201),
        (format!("{tree}/confirmations"), 200),
    ] {
        p.send(&mut b, Req::post(T_CONFIRM).url(url).expect(status));
    }
    for (url, status) in [
        (format!("{solar}/flags"), 404),
        (format!("{tree}/flags"), 201),
    ] {
        p.send(
            &mut b,
            Req::post(T_FLAGS)
                .url(url)
                .json(&json!({ "reason": "Dit klopt niet" }))
                .expect(status),
        );
    }
    let empty = p.send(
        &mut b,
        Req::post(T_FLAGS)
            .url(format!("{tree}/flags"))
            .json(&json!({ "reason": "   " }))
            .expect(422),
    );
    assert_eq!(error_fields(&empty), ["/reason"]);
    p.send(&mut b, Req::get(T_REPORT).url(solar.clone()).expect(404));
    p.send(&mut b, Req::get(T_REPORT).url(tree.clone()).expect(200));
    p.send(
        &mut b,
        Req::patch(T_REPORT)
            .url(solar.clone())
            .json(&json!({ "answers": { "panels": "no" } }))
            .expect(404),
    );
    p.send(&mut b, Req::delete(T_REPORT).url(tree).expect(403));
    p.send(
        &mut b,
        Req::get(T_PHOTO).url(r.solar_photo.clone()).expect(404),
    );
    let public = p.send(
        &mut b,
        Req::get(T_PHOTO).url(r.tree_photo.clone()).expect(200),
    );
    assert_eq!(public.header("cache-control"), Some("public, max-age=3600"));
    p.send(
        &mut b,
        Req::get(T_TILEJSON)
            .url("/tiles/observations.json")
            .expect(403),
    );
    p.send(
        &mut b,
        Req::post(T_MODERATE)
            .url(format!("{solar}/moderation"))
            .json(&json!({ "action": "hide" }))
            .expect(403),
    );
}

/// The admin: adds an observation type, works the moderation queue (hide, unhide, merge, split)
/// and sees reports about homes on the timeline and the map.
fn moderation_probes(p: &mut Probes, admin: &mut Client, ids: &Ids, r: &Reported) {
    let b = &ids.building;
    p.send(
        admin,
        Req::post(T_NEW_TYPE).json(&bench_type(1)).expect(201),
    );
    let again = p.send(
        admin,
        Req::post(T_NEW_TYPE).json(&bench_type(1)).expect(422),
    );
    assert_eq!(error_fields(&again), ["/version"]);
    let mut extra = bench_type(2);
    extra["colour"] = json!("red");
    let extra = p.send(admin, Req::post(T_NEW_TYPE).json(&extra).expect(422));
    assert_eq!(error_fields(&extra), [""]);

    let queue = p.send(admin, Req::get(T_QUEUE).expect(200));
    assert!(
        queue
            .json()
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["id"] == r.tree && q["flags"] == 1),
        "the flagged report is queued: {}",
        queue.text()
    );
    let timeline = p.send(
        admin,
        Req::get(T_TIMELINE)
            .url(format!("/api/buildings/{b}/timeline"))
            .expect(200),
    );
    assert!(timeline.json()["entries"][0]["weight"].is_number());
    let own = format!("/api/observations/{}", r.solar);
    p.send(admin, Req::get(T_REPORT).url(own.clone()).expect(200));

    // A duplicate, merged into the first; a report split in two.
    let dup = p.send(
        admin,
        Req::post(T_REPORTS).json(&solar(b, "yes")).expect(201),
    );
    assert_eq!(dup.json()["source"], "volunteer");
    let dup = dup.json()["id"].as_i64().unwrap();
    for (id, into, status) in [
        (dup, r.solar, 200),
        (r.solar, r.solar, 422),
        (r.solar, 999_999, 404),
    ] {
        p.send(
            admin,
            Req::post(T_MERGE)
                .url(format!("/api/observations/{id}/merge"))
                .json(&json!({ "into": into }))
                .expect(status),
        );
    }
    for (panels, status) in [("yes", 201), ("maybe", 422)] {
        p.send(
            admin,
            Req::post(T_SPLIT)
                .url(format!("{own}/split"))
                .json(&json!({ "answers": { "panels": panels } }))
                .expect(status),
        );
    }
    for (action, status) in [("hide", 200), ("unhide", 200), ("delete", 422)] {
        p.send(
            admin,
            Req::post(T_MODERATE)
                .url(format!("{own}/moderation"))
                .json(&json!({ "action": action }))
                .expect(status),
        );
    }
    p.send(
        admin,
        Req::post(T_MODERATE)
            .url("/api/observations/999999/moderation")
            .json(&json!({ "action": "hide" }))
            .expect(404),
    );
    p.send(
        admin,
        Req::post(T_SPLIT)
            .url("/api/observations/999999/split")
            .json(&json!({ "answers": {} }))
            .expect(404),
    );

    // The report layers as staff see them.
    p.send(
        admin,
        Req::get(T_TILEJSON)
            .url("/tiles/observations.json")
            .expect(200),
    );
    // `observations` on its own holds the report about a home that `all` shows.
    let (x, y) = tile_of(r.solar_at.0, r.solar_at.1, 16);
    p.send(
        admin,
        Req::get(T_TILE)
            .url(format!("/tiles/observations/16/{x}/{y}.mvt"))
            .expect(200),
    );
    let all = p.send(
        admin,
        Req::get(T_TILE)
            .url(format!("/tiles/all/16/{x}/{y}.mvt"))
            .expect(200),
    );
    // An MVT layer message starts with its name: field 1, length 12, `observations`.
    let layer = [&[0x0A, 0x0C][..], b"observations"].concat();
    assert!(
        all.body.windows(layer.len()).any(|w| w == layer),
        "staff see the report about a home in `all`"
    );
    let (x, y) = tile_of(ids.lon, ids.lat, 16);
    p.send(
        admin,
        Req::get(T_TILE)
            .url(format!("/tiles/public_space/16/{x}/{y}.mvt"))
            .expect(200),
    );
}

/// Open311 with a device session: form-encoded requests in JSON and XML, read back.
fn open311_probes(p: &mut Probes, r: &mut Reported, ids: &Ids) {
    let form = tree_form(ids.lon, ids.lat);
    let made = p.send(
        &mut r.reporter,
        Req::post(T_O311_REQUESTS)
            .url("/open311/v2/requests.json")
            .form(&form)
            .header("Idempotency-Key", "openapi-311-1")
            .expect(201),
    );
    let id = made.json()[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    p.send(
        &mut r.reporter,
        Req::post(T_O311_REQUESTS)
            .url("/open311/v2/requests.json")
            .form(&form)
            .header("Idempotency-Key", "openapi-311-1")
            .expect(200),
    );
    p.send(
        &mut r.reporter,
        Req::post(T_O311_REQUESTS)
            .url("/open311/v2/requests.xml")
            .form(&form)
            .expect(201),
    );
    for (body, status) in [
        (form.replace("dying", "awful"), 422),
        (form.replace("greenery_distress", "nothing"), 404),
        ("service_code=greenery_distress".to_owned(), 400),
        (format!("{form}&description={}", "x".repeat(70 * 1024)), 413),
    ] {
        p.send(
            &mut r.reporter,
            Req::post(T_O311_REQUESTS)
                .url("/open311/v2/requests.json")
                .form(&body)
                .expect(status),
        );
    }
    p.send(
        &mut r.reporter,
        Req::post(T_O311_REQUESTS)
            .url("/open311/v2/requests.json")
            .json(&json!({ "service_code": "greenery_distress" }))
            .expect(400),
    );
    let mut no_csrf = r.reporter.clone();
    no_csrf.csrf = None;
    p.send(
        &mut no_csrf,
        Req::post(T_O311_REQUESTS)
            .url("/open311/v2/requests.xml")
            .form(&form)
            .expect(403),
    );
    for f in ["json", "xml"] {
        p.send(
            &mut r.reporter,
            Req::get(T_O311_REQUEST)
                .url(format!("/open311/v2/requests/{id}.{f}"))
                .expect(200),
        );
    }
    let listed = p.send(
        &mut r.reporter,
        Req::get(T_O311_REQUESTS)
            .url(format!("/open311/v2/requests.json?service_request_id={id}"))
            .expect(200),
    );
    assert_eq!(listed.json()[0]["service_request_id"], id.as_str());
}

/// Exports: for the admin (and the wijkondernemer in scope), public-space reports too; the
/// refusals.
fn export_probes(p: &mut Probes, addr: std::net::SocketAddr, admin: &mut Client, r: &mut Reported) {
    let area = &r.buurt;
    let q = |kind: &str| format!("?area={area}&type={kind}");
    let mut anonymous = Client::new(addr);
    for req in [
        Req::get(T_CSV)
            .url(format!("{T_CSV}{}", q("greenery_distress")))
            .expect(401),
        Req::get(T_CSV)
            .url(format!("{T_CSV}{}", q("solar_panels")))
            .expect(401),
        Req::get(T_GEOJSON)
            .url(format!("{T_GEOJSON}?area=nowhere&type=solar_panels"))
            .expect(400),
        Req::get(T_GPKG)
            .url(format!("{T_GPKG}?area=BU99999999&type=solar_panels"))
            .expect(422),
        Req::get(T_CSV)
            .url(format!("{T_CSV}{}", q("nothing")))
            .expect(400),
        Req::get(T_CSV)
            .url(format!("{T_CSV}{}&format=xls", q("solar_panels")))
            .expect(400),
    ] {
        p.send(&mut anonymous, req);
    }
    p.send(
        &mut r.reporter,
        Req::get(T_CSV)
            .url(format!("{T_CSV}{}", q("solar_panels")))
            .expect(403),
    );
    let csv = p.send(
        admin,
        Req::get(T_CSV)
            .url(format!("{T_CSV}{}&contact=true", q("solar_panels")))
            .expect(200),
    );
    assert!(
        csv.text()
            .lines()
            .next()
            .unwrap()
            .ends_with(",name,email,phone"),
        "{}",
        csv.text()
    );
    p.send(
        admin,
        Req::get(T_CSV)
            .url(format!("{T_CSV}{}&contact=maybe", q("solar_panels")))
            .expect(400),
    );
    // The solar panels may be left out by the resident's opt-out (a pand whose every address
    // opted out of canvassing); the tree, in public space, is in its gemeente's export.
    let gemeente = format!("GM{}", &area[2..6]);
    let geojson = p.send(
        admin,
        Req::get(T_GEOJSON)
            .url(format!(
                "{T_GEOJSON}?area={gemeente}&type=greenery_distress"
            ))
            .expect(200),
    );
    assert!(
        geojson.json()["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == r.tree),
        "{}",
        geojson.text()
    );
    let gpkg = p.send(
        admin,
        Req::get(T_GPKG)
            .url(format!("{T_GPKG}{}", q("solar_panels")))
            .expect(200),
    );
    assert!(gpkg.body.starts_with(b"SQLite format 3\0"), "a GeoPackage");
    // Exports are limited per caller (per account, shared with the letters).
    let mut limited = false;
    for _ in 0..12 {
        let res = p.send(
            admin,
            Req::get(T_GEOJSON)
                .url(format!("{T_GEOJSON}{}", q("greenery_distress")))
                .expect_one_of(&[200, 429]),
        );
        if res.status == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "exports are rate limited");
}

/// A resident reports about their own verified home; the device withdraws its report, which then
/// cannot change.
fn report_endings(p: &mut Probes, resident: &mut Client, home: &str, r: &mut Reported) {
    p.send(
        resident,
        Req::post(T_REPORTS)
            .json(&json!({ "type": "gas_readiness", "target": { "address": home },
                           "answers": { "heating": "gas_boiler", "cooking": "induction", "interest": "maybe" } }))
            .expect(201),
    );
    let solar = format!("/api/observations/{}", r.solar);
    p.send(
        &mut r.reporter,
        Req::delete(T_REPORT).url(solar.clone()).expect(204),
    );
    p.send(
        &mut r.reporter,
        Req::patch(T_REPORT)
            .url(solar)
            .json(&json!({ "answers": { "panels": "yes" } }))
            .expect(409),
    );
}

#[test]
fn every_documented_path_answers_as_documented() {
    let sandbox = Sandbox::new();
    sandbox.add_user(ADMIN, "admin", "all", Some(ADMIN_PASSWORD));
    let s = sandbox.serve(&[]);
    let doc_path = workspace_root().join("server/openapi.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&doc_path).unwrap()).unwrap();
    let served = get(s.addr, "/api/openapi.json");
    assert_eq!(served.status, 200);
    assert_eq!(
        served.json(),
        file,
        "the server serves the document in the repository"
    );

    let ids = ids(s.addr);
    let mut p = Probes::default();
    let mut anonymous = Client::new(s.addr);
    p.send_all(&mut anonymous, public_probes(s.addr, &ids));
    p.send_all(&mut anonymous, anonymous_refusals(&ids));
    assert!(
        anonymous.cookie.is_none(),
        "anonymous visitors get no cookie"
    );
    device_probes(&mut p, s.addr);
    let mut admin = Client::new(s.addr);
    let codes = admin_probes(&mut p, &mut admin, &sandbox, &ids);
    let mut resident = Client::new(s.addr);
    let home = resident_probes(&mut p, &mut resident, &sandbox, &codes, &ids);
    register_probes(&mut p, &mut admin, &ids, &home);
    work_probes(&mut p, &mut admin, &mut resident, &ids);
    let accepted = assignment_probes(&mut p, &s, &mut admin, &ids);
    talent_probes(&mut p, &mut admin, &mut resident, &ids, accepted);
    campaign_probes(&mut p, &mut admin, &mut resident, &ids);
    // Observations, moderation and Open311 (after the checks that expect no reports yet).
    p.send_all(&mut anonymous, anonymous_report_probes(&ids));
    let mut reported = device_report_probes(&mut p, s.addr, &ids);
    other_device_probes(&mut p, s.addr, &reported, &ids.building);
    moderation_probes(&mut p, &mut admin, &ids, &reported);
    open311_probes(&mut p, &mut reported, &ids);
    export_probes(&mut p, s.addr, &mut admin, &mut reported);
    report_endings(&mut p, &mut resident, &home, &mut reported);
    p.send(&mut resident, Req::post("/api/auth/logout-all").expect(204));
    p.send(&mut admin, Req::post("/api/auth/logout").expect(204));

    // Every documented operation was exercised.
    for (path, item) in file["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let op = (method.clone(), path.clone());
            let excepted = NOT_PROBED
                .iter()
                .any(|(m, t)| m.eq_ignore_ascii_case(method) && t == path);
            assert!(
                p.operations.contains(&op) || excepted,
                "documented operation {} {path} is not exercised",
                method.to_uppercase()
            );
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let cases_file = dir.path().join("cases.json");
    std::fs::write(&cases_file, serde_json::to_vec(&p.cases).unwrap()).unwrap();
    let out = tests::python()
        .arg(workspace_root().join("tests/python/openapi_check.py"))
        .arg(&doc_path)
        .arg(&cases_file)
        .output()
        .expect("run Python with jsonschema (WIJKWERK_PYTHON, .venv or python3)");
    assert!(
        out.status.success(),
        "validator failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["checked"].as_u64(), Some(p.cases.len() as u64));
    assert_eq!(
        verdict["problems"],
        json!([]),
        "responses differ from the OpenAPI document"
    );
}

/// The work: the rule file (read, refused, loaded), the items of an area, one item, its status;
/// a resident sees none of it.
fn work_probes(p: &mut Probes, admin: &mut Client, resident: &mut Client, ids: &Ids) {
    let rules = p.send(admin, Req::get(T_WORK_RULES).expect(200)).body;
    let bad = String::from_utf8(rules.clone())
        .unwrap()
        .replace("bouwjaar < 1975", "bouwjaar < 'oud'");
    for (body, status) in [
        (bad.into_bytes(), 422),
        (vec![0xff, 0xfe, b'#'], 400),
        (vec![b'#'; 70 * 1024], 413),
        (rules.clone(), 200),
    ] {
        p.send(
            admin,
            Req::new("PUT", T_WORK_RULES)
                .bytes("application/toml", body)
                .expect(status),
        );
    }
    let mut no_csrf = admin.clone();
    no_csrf.csrf = None;
    p.send(
        &mut no_csrf,
        Req::new("PUT", T_WORK_RULES)
            .bytes("application/toml", rules)
            .expect(403),
    );

    let list = p.send(
        admin,
        Req::get(T_WORK_ITEMS)
            .url(format!("/api/work/items?area={}&limit=5", ids.wijk))
            .expect(200),
    );
    let first = list.json()["items"][0].clone();
    let item = format!(
        "/api/work/items/{}/{}",
        first["kind"].as_str().expect("the wijk has work"),
        first["target"].as_str().unwrap()
    );
    for (query, status) in [
        ("status=open&offset=1&limit=2".to_owned(), 200),
        (format!("kind={}", first["kind"].as_str().unwrap()), 200),
        ("limit=0".to_owned(), 400),
        ("kind=nothing".to_owned(), 400),
        ("status=finished".to_owned(), 400),
        ("colour=red".to_owned(), 400),
        ("area=nowhere".to_owned(), 400),
        ("area=BU99999999".to_owned(), 422),
    ] {
        p.send(
            admin,
            Req::get(T_WORK_ITEMS)
                .url(format!("/api/work/items?{query}"))
                .expect(status),
        );
    }
    p.send(
        admin,
        Req::get(T_WORK_SUMMARY)
            .url(format!("/api/work/summary?area={}", ids.wijk))
            .expect(200),
    );
    for (url, status) in [
        (item.clone(), 200),
        (
            "/api/work/items/solar/pand/0000000000000001".to_owned(),
            404,
        ),
        ("/api/work/items/solar/dak/0000000000000001".to_owned(), 400),
        ("/api/work/items/solar/pand/x".to_owned(), 400),
    ] {
        p.send(admin, Req::get(T_WORK_ITEM).url(url).expect(status));
    }
    let status = format!("{item}/status");
    for (body, code) in [
        (json!({ "status": "planned", "note": "in mei" }), 200),
        (json!({ "status": "planned" }), 409),
        (json!({ "status": "finished" }), 400),
        (json!({ "status": "done", "note": "x".repeat(501) }), 400),
        (json!({ "status": "done", "by": "me" }), 422),
        (json!({ "status": 3 }), 422),
        (json!({ "status": "open" }), 200),
    ] {
        p.send(
            admin,
            Req::post(T_WORK_STATUS)
                .url(status.clone())
                .json(&body)
                .expect(code),
        );
    }
    for (req, code) in [
        (
            Req::post(T_WORK_STATUS)
                .url("/api/work/items/solar/pand/0000000000000001/status")
                .json(&json!({ "status": "planned" })),
            404,
        ),
        (
            Req::post(T_WORK_STATUS)
                .url(status.clone())
                .header("Content-Type", "application/json")
                .raw(b"{".to_vec()),
            400,
        ),
        (
            Req::post(T_WORK_STATUS)
                .url(status.clone())
                .raw(br#"{"status":"planned"}"#.to_vec()),
            415,
        ),
        (
            Req::post(T_WORK_STATUS)
                .url(status.clone())
                .header("Content-Type", "application/json")
                .raw(vec![b' '; 70 * 1024]),
            413,
        ),
    ] {
        p.send(admin, req.expect(code));
    }
    let detail = p.send(admin, Req::get(T_WORK_ITEM).url(item.clone()).expect(200));
    assert_eq!(detail.json()["history"].as_array().map(Vec::len), Some(2));

    // The work as an OGC collection, with filters over kind, status and the target's fields.
    p.send(
        admin,
        Req::get(T_COLLECTION)
            .url("/ogc/collections/work")
            .expect(200),
    );
    p.send(
        admin,
        Req::get(T_QUERYABLES)
            .url("/ogc/collections/work/queryables")
            .expect(200),
    );
    let kind = first["kind"].as_str().unwrap();
    let fc = p.send(
        admin,
        Req::get(T_ITEMS)
            .url(format!(
                "/ogc/collections/work/items?limit=2&filter=kind%20%3D%20%27{kind}%27%20AND%20status%20%3C%3E%20%27done%27"
            ))
            .expect(200),
    );
    let fid = fc.json()["features"][0]["id"]
        .as_str()
        .expect("a work feature")
        .to_owned();
    p.send(
        admin,
        Req::get(T_ITEM)
            .url(format!("/ogc/collections/work/items/{fid}"))
            .expect(200),
    );
    p.send(
        admin,
        Req::get(T_ITEM)
            .url("/ogc/collections/work/items/solar:pand:x")
            .expect(404),
    );
    p.send(
        admin,
        Req::get(T_ITEMS)
            .url("/ogc/collections/work/items?filter=status%20%3D%203")
            .expect(400),
    );

    // A resident: no items, no rules; the item does not exist for them.
    p.send(resident, Req::get(T_WORK_RULES).expect(403));
    p.send(
        resident,
        Req::new("PUT", T_WORK_RULES)
            .bytes("application/toml", b"# no rules".to_vec())
            .expect(403),
    );
    p.send(resident, Req::get(T_WORK_ITEMS).expect(403));
    p.send(
        resident,
        Req::get(T_WORK_ITEM).url(item.clone()).expect(404),
    );
    p.send(
        resident,
        Req::post(T_WORK_STATUS)
            .url(status)
            .json(&json!({ "status": "done" }))
            .expect(404),
    );
    p.send(resident, Req::get(T_WORK_SUMMARY).expect(200));
}

/// `{name}` → `{}`: templates compare without their parameter names.
fn shape(template: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for ch in template.chars() {
        match ch {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if !in_param => out.push(ch),
            _ => {}
        }
    }
    out
}

/// The HTTP methods whose routing functions (`get(…)`, `post(…)`, …) `text` calls.
fn methods_in(text: &str) -> Vec<String> {
    ["get", "post", "put", "patch", "delete"]
        .into_iter()
        .filter(|m| {
            text.match_indices(&format!("{m}(")).any(|(i, _)| {
                !text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
        .map(str::to_owned)
        .collect()
}

/// The text up to the bracket that closes the one opened just before it.
fn balanced(text: &str) -> String {
    let mut depth = 1;
    text.chars()
        .take_while(|c| {
            match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => depth -= 1,
                _ => {}
            }
            depth > 0
        })
        .collect()
}

/// `(call, path, methods)` of every `.route("…", get(…).post(…))`, `.routes_at("…", routes!(…))`
/// and `.route_documented("…", get(…), documented!(…))` in a routes module (the methods of a
/// `.route(…)` and of a `.route_documented(…)`; none for `.routes_at(…)`, whose handlers are
/// documented).
fn routes_in(source: &str) -> Vec<(&'static str, String, Vec<String>)> {
    let mut found = Vec::new();
    for call in [".route(", ".routes_at(", ".route_documented("] {
        for (start, _) in source.match_indices(call) {
            let rest = source[start + call.len()..].trim_start();
            let Some(rest) = rest.strip_prefix('"') else {
                continue;
            };
            let Some(end) = rest.find('"') else { continue };
            let path = rest[..end].to_owned();
            // The arguments run to the parenthesis that closes the call; `documented!(…)` names
            // handlers, not methods.
            let args = balanced(&rest[end + 1..]);
            let args = args.split("documented!").next().unwrap_or_default();
            let methods = if call == ".routes_at(" {
                Vec::new()
            } else {
                methods_in(args)
            };
            found.push((call, path, methods));
        }
    }
    found
}

/// The `.rs` files under `dir`, submodule folders included.
fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

#[test]
fn every_route_of_the_server_is_documented() {
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("server/openapi.json")).unwrap(),
    )
    .unwrap();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), shape(path)))
        })
        .collect();
    let mut handlers = 0;
    for path in rust_files(&workspace_root().join("server/src/routes")) {
        let source = std::fs::read_to_string(&path).unwrap();
        let file = path.display();
        // Only `utoipa_axum` routers: an axum `Router` would route without documentation.
        for bypass in [
            "axum::Router",
            " Router::new(",
            "(Router::new(",
            ".route_service(",
            ".nest_service(",
            ".fallback(",
            ".fallback_service(",
        ] {
            assert!(
                !source.contains(bypass),
                "{file}: `{bypass}` routes around the documentation; add handlers with routes!(…)"
            );
        }
        for (at, _) in source.match_indices("routes!(") {
            handlers += balanced(&source[at + "routes!(".len()..])
                .split(',')
                .count();
        }
        for (call, route, methods) in routes_in(&source) {
            let Some((_, elsewhere)) = ROUTES_ELSEWHERE.iter().find(|(r, _)| *r == route) else {
                panic!(
                    "{file}: {call}\"{route}\"…) adds a route that is not documented under its \
                     own path: add its handler with routes!(…) and a #[utoipa::path], or list it \
                     in ROUTES_ELSEWHERE with the reason"
                );
            };
            let templates: Vec<String> = elsewhere.iter().map(|t| shape(t)).collect();
            for t in &templates {
                assert!(
                    documented.iter().any(|(_, d)| d == t),
                    "{file}: {route} is documented as {t}, which server/openapi.json lacks"
                );
            }
            if call == ".route(" && !templates.is_empty() {
                assert!(!methods.is_empty(), "{file}: no methods for {route}");
            }
            for m in methods.iter().filter(|_| !templates.is_empty()) {
                assert!(
                    templates
                        .iter()
                        .any(|t| documented.contains(&(m.clone(), t.clone()))),
                    "{file}: {} {route} is not in server/openapi.json",
                    m.to_uppercase()
                );
            }
        }
    }
    assert!(
        handlers > 60,
        "only {handlers} handlers found in routes!(…): is the scan still right?"
    );
    assert_eq!(
        documented.len(),
        doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|i| i.as_object().unwrap().len())
            .sum::<usize>(),
        "two documented templates differ only in their parameter names"
    );
}

const T_ASSIGNMENTS: &str = "/api/assignments";
const T_ASSIGNMENT: &str = "/api/assignments/{id}";
const T_ASSIGNMENT_PREVIEW: &str = "/api/assignments/preview";
const T_ASSIGNMENT_INCOME: &str = "/api/assignments/income";
const T_ASSIGNMENT_ANSWER: &str = "/api/assignments/{id}/answer";
const T_ASSIGNMENT_WITHDRAW: &str = "/api/assignments/{id}/withdraw";
const T_DELIVERIES: &str = "/api/assignments/{id}/deliveries";
const T_DELIVERY_DECISION: &str = "/api/assignments/{id}/deliveries/{delivery}/decision";
const T_STATEMENT: &str = "/api/assignments/{id}/statement";

/// Assignments: a partner offers, the admin answers and delivers, the partner decides; the
/// statement in its three formats; the income.
fn assignment_probes(p: &mut Probes, s: &tests::Server, admin: &mut Client, ids: &Ids) -> i64 {
    // The admin makes the partner account (a partner names its organisation; others do not).
    let partner_password = "a partner's long password";
    let new_partner = |org: &str| {
        json!({
            "email": "partner@example.org", "role": "partner", "scope": ids.area,
            "organisation": org, "password": partner_password,
        })
    };
    p.send(
        admin,
        Req::post("/api/admin/users")
            .json(&new_partner(""))
            .expect(422),
    );
    p.send(
        admin,
        Req::post("/api/admin/users")
            .json(&new_partner("Energiecoöperatie Proef"))
            .expect(201),
    );
    // From an address of its own: the probes before tried wrong passwords from 127.0.0.1.
    let mut partner = Client::from_ip(s.addr, [127, 0, 0, 42]);
    let r = partner.post_json(
        "/api/auth/password",
        &json!({ "email": "partner@example.org", "password": partner_password }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let mut anonymous = Client::new(s.addr);
    let mut terms = crate::assignments::terms(3);
    terms["area"] = json!(ids.wijk);
    terms["criteria"] = json!("bouwjaar > 0");
    let mut unknown = terms.clone();
    unknown["criteria"] = json!("bouwjar < 1975");
    let mut zero = terms.clone();
    zero["units"] = json!(0);
    p.send(
        &mut anonymous,
        Req::post(T_ASSIGNMENTS).json(&terms).expect(401),
    );
    p.send(admin, Req::post(T_ASSIGNMENTS).json(&terms).expect(403));
    p.send(
        &mut partner,
        Req::post(T_ASSIGNMENTS).json(&unknown).expect(422),
    );
    p.send(
        &mut partner,
        Req::post(T_ASSIGNMENTS).json(&zero).expect(400),
    );
    let a = p.send(
        &mut partner,
        Req::post(T_ASSIGNMENTS).json(&terms).expect(201),
    );
    let id = a.json()["id"].as_i64().unwrap();
    let b = p.send(
        &mut partner,
        Req::post(T_ASSIGNMENTS).json(&terms).expect(201),
    );
    let other = b.json()["id"].as_i64().unwrap();
    let preview = json!({ "kind": "solar", "area": ids.wijk, "criteria": "bouwjaar > 0" });
    p.send(
        &mut partner,
        Req::post(T_ASSIGNMENT_PREVIEW).json(&preview).expect(200),
    );
    p.send(
        admin,
        Req::post(T_ASSIGNMENT_PREVIEW).json(&preview).expect(200),
    );
    p.send(
        admin,
        Req::post(T_ASSIGNMENT_PREVIEW)
            .json(&json!({ "kind": "solar", "area": ids.wijk, "criteria": "solar_panels.reports > 0" }))
            .expect(422),
    );
    p.send(&mut partner, Req::get(T_ASSIGNMENTS).expect(200));
    p.send(&mut anonymous, Req::get(T_ASSIGNMENTS).expect(401));
    let path = format!("/api/assignments/{id}");
    p.send(admin, Req::get(T_ASSIGNMENT).url(&path).expect(200));
    p.send(&mut partner, Req::get(T_ASSIGNMENT).url(&path).expect(200));
    p.send(
        admin,
        Req::get(T_ASSIGNMENT)
            .url("/api/assignments/999999")
            .expect(404),
    );
    p.send(
        admin,
        Req::get(T_ASSIGNMENT).url("/api/assignments/x").expect(400),
    );
    p.send(
        admin,
        Req::new("PUT", T_ASSIGNMENT)
            .url(&path)
            .json(&terms)
            .expect(403),
    );
    let answer = |a: &str, note: &str| json!({ "answer": a, "note": note });
    p.send(
        admin,
        Req::post(T_ASSIGNMENT_ANSWER)
            .url(format!("{path}/answer"))
            .json(&answer("propose_changes", ""))
            .expect(400),
    );
    p.send(
        admin,
        Req::post(T_ASSIGNMENT_ANSWER)
            .url(format!("{path}/answer"))
            .json(&answer("propose_changes", "Meer daken"))
            .expect(200),
    );
    p.send(
        &mut partner,
        Req::new("PUT", T_ASSIGNMENT)
            .url(&path)
            .json(&terms)
            .expect(200),
    );
    p.send(
        admin,
        Req::post(T_ASSIGNMENT_ANSWER)
            .url(format!("{path}/answer"))
            .json(&answer("accept", ""))
            .expect(200),
    );
    p.send(
        admin,
        Req::post(T_ASSIGNMENT_ANSWER)
            .url(format!("{path}/answer"))
            .json(&answer("accept", ""))
            .expect(409),
    );
    p.send(
        &mut partner,
        Req::post(T_ASSIGNMENT_WITHDRAW)
            .url(format!("/api/assignments/{other}/withdraw"))
            .expect(200),
    );
    p.send(
        &mut partner,
        Req::post(T_ASSIGNMENT_WITHDRAW)
            .url(format!("/api/assignments/{other}/withdraw"))
            .expect(409),
    );
    let detail = admin.get(&path).json();
    let target = detail["items"][0]["target"]
        .as_str()
        .expect("planned items")
        .to_owned();
    let deliveries = format!("{path}/deliveries");
    let delivered = p.send(
        admin,
        Req::post(T_DELIVERIES)
            .url(&deliveries)
            .json(&json!({ "target": target, "evidence": "visit" }))
            .expect(201),
    );
    let delivery = delivered.json()["id"].as_i64().unwrap();
    p.send(
        admin,
        Req::post(T_DELIVERIES)
            .url(&deliveries)
            .json(&json!({ "target": target, "evidence": "visit" }))
            .expect(409),
    );
    p.send(
        admin,
        Req::post(T_DELIVERIES)
            .url(&deliveries)
            .json(&json!({ "target": "pand/1999100000000001", "evidence": "visit" }))
            .expect(422),
    );
    p.send(
        admin,
        Req::post(T_DELIVERIES)
            .url(&deliveries)
            .json(&json!({ "target": target, "evidence": "smile" }))
            .expect(400),
    );
    let decision = format!("{deliveries}/{delivery}/decision");
    p.send(
        &mut partner,
        Req::post(T_DELIVERY_DECISION)
            .url(&decision)
            .json(&json!({ "decision": "accept" }))
            .expect(200),
    );
    p.send(
        &mut partner,
        Req::post(T_DELIVERY_DECISION)
            .url(&decision)
            .json(&json!({ "decision": "accept" }))
            .expect(409),
    );
    p.send(
        admin,
        Req::post(T_DELIVERY_DECISION)
            .url(&decision)
            .json(&json!({ "decision": "accept" }))
            .expect(403),
    );
    for (format, status) in [("json", 200), ("csv", 200), ("pdf", 200), ("xls", 400)] {
        p.send(
            &mut partner,
            Req::get(T_STATEMENT)
                .url(format!("{path}/statement?format={format}"))
                .expect(status),
        );
    }
    p.send(admin, Req::get(T_ASSIGNMENT_INCOME).expect(200));
    p.send(&mut partner, Req::get(T_ASSIGNMENT_INCOME).expect(403));
    id
}

const T_MY_OFFER: &str = "/api/account/offer";
const T_MY_WORK: &str = "/api/account/work";
const T_INVITATION_ANSWER: &str = "/api/account/work/{id}/answer";
const T_HOURS: &str = "/api/account/work/{id}/hours";
const T_TALENT_OFFERS: &str = "/api/talent/offers";
const T_INVITATIONS: &str = "/api/talent/invitations";
const T_INVITATION_WITHDRAW: &str = "/api/talent/invitations/{id}/withdraw";
const T_HELPERS: &str = "/api/assignments/{id}/helpers";

/// Capacity and talent: the resident's offer, matching, an invitation, its answer and hours, a
/// withdrawal, the helpers decision of an accepted assignment, and the offer withdrawn.
fn talent_probes(
    p: &mut Probes,
    admin: &mut Client,
    resident: &mut Client,
    ids: &Ids,
    accepted: i64,
) {
    let mut anonymous = Client::new(admin.addr);
    p.send(&mut anonymous, Req::get(T_MY_OFFER).expect(401));
    p.send(resident, Req::get(T_MY_OFFER).expect(200));
    let offer = |skills: Value, consent: bool| {
        json!({
            "skills": skills, "other": "", "hours_per_week": 4,
            "day_parts": ["weekend"], "area": ids.wijk, "consent": consent,
        })
    };
    for (body, status) in [
        (offer(json!(["knocking_doors"]), false), 422),
        (offer(json!(["juggling"]), true), 400),
        (offer(json!(["knocking_doors", "energy_advice"]), true), 200),
    ] {
        p.send(
            resident,
            Req::new("PUT", T_MY_OFFER).json(&body).expect(status),
        );
    }
    p.send(resident, Req::get(T_TALENT_OFFERS).expect(403));
    p.send(
        admin,
        Req::get(T_TALENT_OFFERS)
            .url("/api/talent/offers?area=XX")
            .expect(400),
    );
    let offers = p.send(
        admin,
        Req::get(T_TALENT_OFFERS)
            .url(format!("/api/talent/offers?area={}", ids.wijk))
            .expect(200),
    );
    let offer_id = offers.json()["offers"][0]["id"].as_i64().expect("an offer");
    let items = admin
        .get(&format!(
            "/api/work/items?kind=solar&status=open&area={}&limit=1",
            ids.wijk
        ))
        .json();
    let target = items["items"][0]["target"]
        .as_str()
        .expect("an open solar item")
        .to_owned();
    let invite =
        json!({ "offer": offer_id, "kind": "solar", "target": target, "note": "Zaterdag?" });
    let inv = p.send(admin, Req::post(T_INVITATIONS).json(&invite).expect(201));
    let inv = inv.json()["id"].as_i64().unwrap();
    p.send(admin, Req::post(T_INVITATIONS).json(&invite).expect(409));
    p.send(
        admin,
        Req::post(T_INVITATIONS)
            .json(&json!({ "offer": 999_999, "assignment": accepted }))
            .expect(404),
    );
    p.send(
        admin,
        Req::post(T_INVITATIONS)
            .json(&json!({ "offer": offer_id }))
            .expect(422),
    );
    p.send(admin, Req::get(T_INVITATIONS).expect(200));
    p.send(resident, Req::get(T_INVITATIONS).expect(403));
    p.send(resident, Req::get(T_MY_WORK).expect(200));
    let hours = format!("/api/account/work/{inv}/hours");
    let answer = format!("/api/account/work/{inv}/answer");
    p.send(
        resident,
        Req::post(T_HOURS)
            .url(&hours)
            .json(&json!({ "day": "2026-01-05", "hours": 2 }))
            .expect(409),
    );
    p.send(
        resident,
        Req::post(T_INVITATION_ANSWER)
            .url(&answer)
            .json(&json!({ "answer": "maybe" }))
            .expect(400),
    );
    p.send(
        resident,
        Req::post(T_INVITATION_ANSWER)
            .url(&answer)
            .json(&json!({ "answer": "accept" }))
            .expect(200),
    );
    p.send(
        resident,
        Req::post(T_INVITATION_ANSWER)
            .url("/api/account/work/999999/answer")
            .json(&json!({ "answer": "accept" }))
            .expect(404),
    );
    p.send(
        resident,
        Req::post(T_HOURS)
            .url(&hours)
            .json(&json!({ "day": "2026-01-05", "hours": 1.5 }))
            .expect(201),
    );
    p.send(
        resident,
        Req::post(T_HOURS)
            .url(&hours)
            .json(&json!({ "day": "2026-01-05", "hours": 0.1 }))
            .expect(400),
    );
    let withdraw = format!("/api/talent/invitations/{inv}/withdraw");
    p.send(
        admin,
        Req::post(T_INVITATION_WITHDRAW).url(&withdraw).expect(200),
    );
    p.send(
        admin,
        Req::post(T_INVITATION_WITHDRAW).url(&withdraw).expect(409),
    );
    p.send(
        admin,
        Req::post(T_INVITATION_WITHDRAW)
            .url("/api/talent/invitations/x/withdraw")
            .expect(400),
    );
    let helpers = format!("/api/assignments/{accepted}/helpers");
    p.send(
        admin,
        Req::new("PUT", T_HELPERS)
            .url(&helpers)
            .json(&json!({ "paid": true }))
            .expect(200),
    );
    p.send(
        admin,
        Req::new("PUT", T_HELPERS)
            .url(&helpers)
            .json(&json!({ "paid": "yes" }))
            .expect(422),
    );
    p.send(
        resident,
        Req::new("PUT", T_HELPERS)
            .url(&helpers)
            .json(&json!({ "paid": true }))
            .expect(404),
    );
    p.send(resident, Req::new("DELETE", T_MY_OFFER).expect(204));
}

const T_CAMPAIGNS: &str = "/api/campaigns";
const T_CAMPAIGN_PREVIEW: &str = "/api/campaigns/preview";
const T_CAMPAIGN: &str = "/api/campaigns/{id}";
const T_TURF_HOLDER: &str = "/api/campaigns/{id}/turfs/{turf}/holder";
const T_WALK_LIST: &str = "/api/campaigns/{id}/turfs/{turf}";
const T_VISITS: &str = "/api/campaigns/{id}/turfs/{turf}/visits";
const T_MY_TURFS: &str = "/api/my/turfs";

/// Campaigns: the live count, a campaign cut into turfs, a turf taken by the admin, its walk list
/// (JSON and PDF), visits, and the caller's turfs.
fn campaign_probes(p: &mut Probes, admin: &mut Client, resident: &mut Client, ids: &Ids) {
    let mut anonymous = Client::new(admin.addr);
    p.send(&mut anonymous, Req::get(T_CAMPAIGNS).expect(401));
    p.send(resident, Req::get(T_CAMPAIGNS).expect(403));
    let sel = json!({ "area": ids.wijk, "criteria": "bouwjaar < 2030" });
    p.send(admin, Req::post(T_CAMPAIGN_PREVIEW).json(&sel).expect(200));
    p.send(
        admin,
        Req::post(T_CAMPAIGN_PREVIEW)
            .json(&json!({ "area": ids.wijk, "criteria": "bouwjar < 1975" }))
            .expect(422),
    );
    let mut body = crate::campaigns::campaign(5);
    body["area"] = json!(ids.wijk);
    let mut zero = body.clone();
    zero["turf_size"] = json!(0);
    p.send(admin, Req::post(T_CAMPAIGNS).json(&zero).expect(422));
    let mut bad = body.clone();
    bad["questions"][0]["type"] = json!("essay");
    p.send(admin, Req::post(T_CAMPAIGNS).json(&bad).expect(400));
    let c = p
        .send(admin, Req::post(T_CAMPAIGNS).json(&body).expect(201))
        .json();
    let id = c["id"].as_i64().unwrap();
    let turf = c["turfs"][0]["id"].as_i64().unwrap();
    p.send(admin, Req::get(T_CAMPAIGNS).expect(200));
    let path = format!("/api/campaigns/{id}");
    p.send(admin, Req::get(T_CAMPAIGN).url(&path).expect(200));
    p.send(resident, Req::get(T_CAMPAIGN).url(&path).expect(404));
    p.send(
        admin,
        Req::get(T_CAMPAIGN).url("/api/campaigns/x").expect(400),
    );
    let me = admin.get("/api/account").json()["user"]["id"]
        .as_i64()
        .unwrap();
    let holder = format!("{path}/turfs/{turf}/holder");
    p.send(
        admin,
        Req::new("PUT", T_TURF_HOLDER)
            .url(&holder)
            .json(&json!({ "holder": me, "expected": null }))
            .expect(200),
    );
    p.send(
        admin,
        Req::new("PUT", T_TURF_HOLDER)
            .url(&holder)
            .json(&json!({ "holder": me, "expected": null }))
            .expect(409),
    );
    p.send(
        admin,
        Req::new("PUT", T_TURF_HOLDER)
            .url(&holder)
            .json(&json!({ "holder": 999_999, "expected": me }))
            .expect(422),
    );
    let walk = format!("{path}/turfs/{turf}");
    let list = p
        .send(admin, Req::get(T_WALK_LIST).url(&walk).expect(200))
        .json();
    p.send(
        admin,
        Req::get(T_WALK_LIST)
            .url(format!("{walk}?format=pdf"))
            .expect(200),
    );
    p.send(
        admin,
        Req::get(T_WALK_LIST)
            .url(format!("{walk}?format=xls"))
            .expect(400),
    );
    p.send(
        admin,
        Req::get(T_WALK_LIST)
            .url(format!("{path}/turfs/999999"))
            .expect(404),
    );
    let door = list["doors"][0]["address"].as_str().unwrap().to_owned();
    let visits = format!("{walk}/visits");
    let visit = |key: &str, outcome: &str| json!({ "visits": [{ "key": key, "address": door, "outcome": outcome, "consent": true, "answers": { "interest": "maybe" } }] });
    p.send(
        admin,
        Req::post(T_VISITS)
            .url(&visits)
            .json(&visit("probe-visit-1", "interested"))
            .expect(200),
    );
    p.send(
        admin,
        Req::post(T_VISITS)
            .url(&visits)
            .json(&visit("probe-visit-2", "later"))
            .expect(422),
    );
    p.send(
        resident,
        Req::post(T_VISITS)
            .url(&visits)
            .json(&visit("probe-visit-3", "interested"))
            .expect(404),
    );
    p.send(admin, Req::get(T_MY_TURFS).expect(200));
    let free = c["turfs"][1]["id"].as_i64().unwrap();
    let split = format!("{path}/turfs/{free}/split");
    let reshaped = p
        .send(
            admin,
            Req::post("/api/campaigns/{id}/turfs/{turf}/split")
                .url(&split)
                .json(&json!({ "after": 1 }))
                .expect(200),
        )
        .json();
    let new = reshaped["turfs"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|t| t["number"].as_i64().unwrap())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    p.send(
        admin,
        Req::post("/api/campaigns/{id}/turfs/{turf}/split")
            .url(format!("{path}/turfs/{turf}/split"))
            .json(&json!({ "after": 1 }))
            .expect(409),
    );
    p.send(
        admin,
        Req::post("/api/campaigns/{id}/turfs/{turf}/split")
            .url(&split)
            .json(&json!({ "after": 0 }))
            .expect(422),
    );
    let merge = format!("{path}/turfs/{free}/merge");
    p.send(
        admin,
        Req::post("/api/campaigns/{id}/turfs/{turf}/merge")
            .url(&merge)
            .json(&json!({ "with": new }))
            .expect(200),
    );
    p.send(
        admin,
        Req::post("/api/campaigns/{id}/turfs/{turf}/merge")
            .url(&merge)
            .json(&json!({ "with": free }))
            .expect(409),
    );
    // The routes on a map, and redrawing them: a door of another free route moved in and back.
    let map = p
        .send(
            admin,
            Req::get("/api/campaigns/{id}/map")
                .url(format!("{path}/map"))
                .expect(200),
        )
        .json();
    let door_of = |route: i64| {
        map["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["kind"] == "door" && f["properties"]["route"] == route)
            .map(|f| f["properties"]["address"].as_str().unwrap().to_owned())
    };
    if let Some((free2, door)) = c["turfs"][2]["id"]
        .as_i64()
        .and_then(|t| Some((t, door_of(t)?)))
    {
        p.send(
            admin,
            Req::post("/api/campaigns/{id}/turfs/{turf}/doors")
                .url(format!("{path}/turfs/{free}/doors"))
                .json(&json!({ "addresses": [door] }))
                .expect(200),
        );
        p.send(
            admin,
            Req::post("/api/campaigns/{id}/turfs/{turf}/doors")
                .url(format!("{path}/turfs/{free2}/doors"))
                .json(&json!({ "addresses": [door] }))
                .expect(200),
        );
    }
    p.send(
        admin,
        Req::post("/api/campaigns/{id}/turfs/{turf}/doors")
            .url(format!("{path}/turfs/{free}/doors"))
            .json(&json!({ "addresses": ["0000000000000001"] }))
            .expect(409),
    );
    p.send(
        admin,
        Req::post("/api/campaigns/{id}/turfs/{turf}/doors")
            .url(format!("{path}/turfs/{free}/doors"))
            .json(&json!({ "addresses": ["not-an-id"] }))
            .expect(422),
    );
    p.send(
        admin,
        Req::post("/api/campaigns/{id}/turfs/{turf}/doors")
            .url(format!("{path}/turfs/{turf}/doors"))
            .json(&json!({ "addresses": [door_of(free).unwrap_or_default()] }))
            .expect(409),
    );
    for (q, status) in [
        ("", 200),
        ("?format=gpkg&level=address", 200),
        ("?level=street", 400),
    ] {
        p.send(
            admin,
            Req::get("/api/campaigns/{id}/export")
                .url(format!("{path}/export{q}"))
                .expect(status),
        );
    }
    p.send(&mut anonymous, Req::get(T_MY_TURFS).expect(401));
}
