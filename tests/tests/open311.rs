//! Open311 GeoReport v2 (`/open311/v2`), end to end: the real binary on a private copy of the
//! sample store; requests posted form-encoded as raw HTTP and by Python's `urllib` (an independent
//! form encoder), XML read back by Python's `xml.etree` (an independent, strict parser), and the
//! public tile layer decoded as it is served.

use std::io::Write as _;
use std::process::Stdio;

use serde_json::{Value, json};
use tests::mvt::layers;
use tests::{Client, Response, Sandbox, Server, get, request};

const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";
/// The buurt the test's point lies in.
const BUURT: &str = "BU19990100";

/// POSTs a form body to `path`, with extra headers.
mod bad_requests;

fn post_form(s: &Server, path: &str, body: &str, extra: &[(&str, &str)]) -> Response {
    let mut h = vec![("Content-Type", FORM)];
    h.extend_from_slice(extra);
    request(s.addr, "POST", path, &h, Some(body.as_bytes()))
}

/// A point in public space of the sample buurt: just beside its first address (lon, lat).
fn point_in_buurt(sb: &Sandbox) -> (f64, f64) {
    use store::Store as _;
    let s = store::SqliteStore::open(&sb.db).unwrap();
    let mut found = Vec::new();
    s.for_each_address(&mut |a| {
        if a.areas.buurt.is_some_and(|c| c.to_string() == BUURT) {
            found.push((a.id.get(), a.location_wgs84.x(), a.location_wgs84.y()));
        }
    })
    .unwrap();
    found.sort_by_key(|a| a.0);
    let (_, lon, lat) = found[0];
    (lon + 0.000_05, lat + 0.000_05)
}

/// A valid greenery form at (lon, lat), with `extra` fields appended.
fn greenery_form(lon: f64, lat: f64, extra: &str) -> String {
    format!(
        "service_code=greenery_distress&lat={lat}&long={lon}&attribute%5Bobject%5D=tree\
         &attribute[severity]=dying&attribute[cause]=drought{extra}"
    )
}

/// Parses XML with Python's `xml.etree` (fails on anything not well-formed) into JSON: the root
/// tag and its content, list containers as arrays, other elements as objects, leaves as text
/// (`null` when empty).
fn parse_xml(body: &[u8]) -> Value {
    const SCRIPT: &str = r#"
import json, sys, xml.etree.ElementTree as ET
raw = sys.stdin.buffer.read()
assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), raw[:60]
root = ET.fromstring(raw)
LISTS = {"services", "service_requests", "errors", "attributes", "values"}
def conv(e):
    if e.tag in LISTS:
        return [conv(c) for c in e]
    if len(e):
        return {c.tag: conv(c) for c in e}
    return e.text
print(json.dumps({"tag": root.tag, "body": conv(root)}))
"#;
    let mut child = tests::python()
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run Python (WIJKWERK_PYTHON, .venv or python3)");
    child.stdin.take().unwrap().write_all(body).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "not well-formed XML ({}): {}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(body)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// POSTs a form with Python's `urllib` (its own form encoding); returns (status, body).
fn python_post(url: &str, fields: &[(&str, &str)]) -> (u16, Vec<u8>) {
    const SCRIPT: &str = r#"
import json, sys, urllib.parse, urllib.request, urllib.error
url, fields = sys.argv[1], json.loads(sys.argv[2])
data = urllib.parse.urlencode([tuple(f) for f in fields]).encode("utf-8")
req = urllib.request.Request(url, data=data, method="POST",
    headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
try:
    with urllib.request.urlopen(req) as r:
        status, body = r.status, r.read()
except urllib.error.HTTPError as e:
    status, body = e.code, e.read()
sys.stdout.write(str(status) + "\n")
sys.stdout.flush()
sys.stdout.buffer.write(body)
"#;
    let fields = serde_json::to_string(fields).unwrap();
    let out = tests::python()
        .args(["-c", SCRIPT, url, &fields])
        .output()
        .expect("run Python (WIJKWERK_PYTHON, .venv or python3)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let nl = out.stdout.iter().position(|b| *b == b'\n').unwrap();
    let status = String::from_utf8_lossy(&out.stdout[..nl]).parse().unwrap();
    (status, out.stdout[nl + 1..].to_vec())
}

/// The `all` tile of zoom 16 holding (lon, lat).
fn tile_path(lon: f64, lat: f64) -> String {
    let n = f64::from(1u32 << 16);
    let x = ((lon + 180.0) / 360.0 * n).floor();
    let r = lat.to_radians();
    let y = ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor();
    format!("/tiles/all/16/{x}/{y}.mvt")
}

/// Ids in the public `public_space` layer of the tile at `path`.
fn public_ids(s: &Server, path: &str) -> Vec<u64> {
    let r = get(s.addr, path);
    assert!(r.status == 200 || r.status == 204, "{path}: {}", r.status);
    assert!(
        r.header("content-encoding").is_none(),
        "asked without Accept-Encoding"
    );
    layers(&r.body)
        .into_iter()
        .filter(|(n, _)| n == "public_space")
        .flat_map(|(_, ids)| ids)
        .collect()
}

/// Panics on WARN/ERROR log lines other than the expected "no SMTP configured" notice.
fn assert_no_warnings(server: &Server) {
    let unexpected: Vec<String> = server
        .warnings()
        .into_iter()
        .filter(|l| !l.contains("no SMTP configured"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "unexpected warnings:\n{}",
        unexpected.join("\n")
    );
}

/// The descriptions of an Open311 JSON error answer, after checking its shape and codes.
fn errors(r: &Response, status: u16) -> Vec<String> {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let v = r.json();
    let list = v.as_array().unwrap_or_else(|| panic!("not an array: {v}"));
    assert!(!list.is_empty());
    list.iter()
        .map(|e| {
            assert_eq!(e["code"], status, "{e}");
            e["description"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn an_anonymous_form_post_reads_back_as_json_and_xml_and_is_on_the_public_map_at_once() {
    let sb = Sandbox::new();
    let s = sb.serve(&["--open311-anonymous"]);
    let (lon, lat) = point_in_buurt(&sb);

    // Services: the public-space types only, in both formats.
    let r = get(s.addr, "/open311/v2/services.json");
    assert_eq!(r.status, 200, "{}", r.text());
    let services = r.json();
    let codes: Vec<&str> = services
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["greenery_distress"]);
    assert_eq!(services[0]["service_name"], "Groen in nood");
    assert_eq!(services[0]["metadata"], true);
    assert_eq!(services[0]["type"], "realtime");
    let r = get(s.addr, "/open311/v2/services.xml");
    assert_eq!(r.header("content-type"), Some("text/xml; charset=utf-8"));
    let xml = parse_xml(&r.body);
    assert_eq!(xml["tag"], "services");
    assert_eq!(xml["body"][0]["service_code"], "greenery_distress");
    assert_eq!(xml["body"][0]["metadata"], "true");

    // The service definition, derived from the type's schema.
    let def = get(s.addr, "/open311/v2/services/greenery_distress.json").json();
    assert_eq!(def["service_code"], "greenery_distress");
    let attrs = def["attributes"].as_array().unwrap();
    let severity = attrs.iter().find(|a| a["code"] == "severity").unwrap();
    assert_eq!(severity["datatype"], "singlevaluelist");
    assert_eq!(severity["required"], true);
    assert!(
        severity["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["key"] == "dying")
    );
    assert!(
        attrs.iter().all(|a| a["code"] != "note"),
        "the note is the description"
    );
    let xml = parse_xml(&get(s.addr, "/open311/v2/services/greenery_distress.xml").body);
    assert_eq!(xml["tag"], "service_definition");
    let xml_attrs = xml["body"]["attributes"].as_array().unwrap();
    assert_eq!(xml_attrs.len(), attrs.len());
    assert_eq!(xml_attrs[0]["code"], attrs[0]["code"]);
    assert_eq!(xml_attrs[0]["order"], "1");
    assert!(
        xml_attrs[0]["values"]
            .as_array()
            .is_some_and(|v| !v.is_empty())
    );

    // The public tile is fetched (and cached) before the request.
    let tile = tile_path(lon, lat);
    assert!(
        public_ids(&s, &tile).is_empty(),
        "the sample has no public-space reports"
    );

    // POST, form-encoded as raw HTTP, anonymously, with contact details and an Idempotency-Key.
    let description = "Boom & <struik> \"verdroogd\" — 'heel' erg\r\nTweede regel";
    let encoded_description =
        "Boom+%26+%3Cstruik%3E+%22verdroogd%22+%E2%80%94+%27heel%27+erg%0D%0ATweede+regel";
    let contact = "&email=melder%40voorbeeld.nl&first_name=Mies&last_name=Melder-Geheim\
                   &phone=0612345678&device_id=phone-42&api_key=ignored&jurisdiction_id=wijkdorp.nl\
                   &media_url=http%3A%2F%2Fexample.org%2Fboom.jpg";
    let body = greenery_form(
        lon,
        lat,
        &format!("&description={encoded_description}{contact}"),
    );
    let key = [("Idempotency-Key", "open311-e2e-1")];
    let r = post_form(&s, "/open311/v2/requests.json", &body, &key);
    assert_eq!(r.status, 201, "{}", r.text());
    let ack = r.json();
    let id = ack[0]["service_request_id"].as_str().unwrap().to_owned();
    assert!(id.parse::<u64>().is_ok(), "{ack}");
    assert_eq!(ack[0]["account_id"], Value::Null);
    assert!(
        ack[0]["service_notice"]
            .as_str()
            .unwrap()
            .contains("media_url"),
        "{ack}"
    );
    assert_eq!(
        r.header("location"),
        Some(format!("/open311/v2/requests/{id}.json").as_str())
    );

    // Acknowledged means durable and on the map: the very next tile has it.
    let on_map = public_ids(&s, &tile);
    assert!(
        on_map.contains(&id.parse().unwrap()),
        "{id} not in {on_map:?}"
    );

    // A retry with the same key is the same request.
    let again = post_form(&s, "/open311/v2/requests.json", &body, &key);
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(again.json()[0]["service_request_id"], id.as_str());

    // Read back as JSON …
    let r = get(s.addr, &format!("/open311/v2/requests/{id}.json"));
    assert_eq!(r.status, 200, "{}", r.text());
    let one = r.json();
    let req = &one[0];
    assert_eq!(req["service_request_id"], id.as_str());
    assert_eq!(req["status"], "open");
    assert_eq!(req["service_code"], "greenery_distress");
    assert_eq!(req["service_name"], "Groen in nood");
    assert_eq!(req["description"], description);
    assert_eq!(req["address"], Value::Null);
    assert_eq!(req["media_url"], Value::Null, "media_url was not taken");
    assert!((req["lat"].as_f64().unwrap() - lat).abs() < 1e-5, "{req}");
    assert!((req["long"].as_f64().unwrap() - lon).abs() < 1e-5, "{req}");
    let requested = req["requested_datetime"].as_str().unwrap();
    assert!(
        requested.len() == 20 && requested.ends_with('Z'),
        "{requested}"
    );
    assert_eq!(req["agency_responsible"], "Gemeente Wijkdorp");

    // … and as XML, read by an independent parser: the same request, the text intact.
    let r = get(s.addr, &format!("/open311/v2/requests/{id}.xml"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/xml; charset=utf-8"));
    let xml = parse_xml(&r.body);
    assert_eq!(xml["tag"], "service_requests");
    let x = &xml["body"][0];
    assert_eq!(x["service_request_id"], id.as_str());
    assert_eq!(x["status"], "open");
    assert_eq!(x["description"], description);
    assert_eq!(x["requested_datetime"], requested);
    assert_eq!(x["address"], Value::Null);
    let xlat: f64 = x["lat"].as_str().unwrap().parse().unwrap();
    assert!((xlat - req["lat"].as_f64().unwrap()).abs() < 1e-12);

    // Lists: the default (last 90 days), by id, by status, by service; in both formats.
    let ids_of = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["service_request_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = get(s.addr, "/open311/v2/requests.json");
    assert_eq!(list.status, 200, "{}", list.text());
    assert_eq!(ids_of(&list.json()), std::slice::from_ref(&id));
    let xml = parse_xml(&get(s.addr, "/open311/v2/requests.xml").body);
    assert_eq!(ids_of(&xml["body"]), std::slice::from_ref(&id));
    for (query, expected) in [
        (format!("service_request_id={id},999999"), vec![id.clone()]),
        (
            "status=open&service_code=greenery_distress".to_owned(),
            vec![id.clone()],
        ),
        ("status=closed".to_owned(), vec![]),
        (
            "start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00%2B01:00".to_owned(),
            vec![],
        ),
    ] {
        let r = get(s.addr, &format!("/open311/v2/requests.json?{query}"));
        assert_eq!(r.status, 200, "{query}: {}", r.text());
        assert_eq!(ids_of(&r.json()), expected, "{query}");
    }

    // An independent form encoder (Python's urllib) posting for the XML answer.
    let url = format!("http://{}/open311/v2/requests.xml", s.addr);
    let (status, body) = python_post(
        &url,
        &[
            ("service_code", "greenery_distress"),
            ("lat", &lat.to_string()),
            ("long", &lon.to_string()),
            ("attribute[object]", "plantsoen"),
            ("attribute[severity]", "serious"),
            ("description", "Plantsoen é ñ 🌳 + 100% droog"),
        ],
    );
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let xml = parse_xml(&body);
    assert_eq!(xml["tag"], "service_requests");
    let second = xml["body"][0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(xml["body"][0]["account_id"], Value::Null);
    let r = get(s.addr, &format!("/open311/v2/requests/{second}.json"));
    assert_eq!(r.json()[0]["description"], "Plantsoen é ñ 🌳 + 100% droog");
    assert!(public_ids(&s, &tile).contains(&second.parse().unwrap()));

    // The contact details were kept, apart from the report, and never come back out.
    let store = store::SqliteStore::open(&sb.db).unwrap();
    let report = store.observation(id.parse().unwrap()).unwrap().unwrap();
    let kept = store
        .reporter_contact(report.observation.reporter_id)
        .unwrap()
        .expect("contact kept on the request's reporter");
    assert_eq!(kept.email.as_deref(), Some("melder@voorbeeld.nl"));
    assert_eq!(kept.name.as_deref(), Some("Mies Melder-Geheim"));
    assert_eq!(kept.phone.as_deref(), Some("0612345678"));
    assert!(
        !report.observation.answers.contains("melder@"),
        "not in the answers"
    );
    let mut seen = Vec::new();
    for path in [
        format!("/open311/v2/requests/{id}.json"),
        format!("/open311/v2/requests/{id}.xml"),
        "/open311/v2/requests.json".to_owned(),
        "/open311/v2/requests.xml".to_owned(),
        format!("/api/observations/{id}"),
    ] {
        let text = get(s.addr, &path).text();
        for secret in [
            "melder@voorbeeld.nl",
            "Melder-Geheim",
            "0612345678",
            "phone-42",
        ] {
            if text.contains(secret) {
                seen.push(format!("{secret} in {path}"));
            }
        }
    }
    assert!(seen.is_empty(), "contact details leaked: {seen:?}");
    let log = s.log.lock().unwrap().join("\n");
    assert!(
        !log.contains("melder@voorbeeld.nl"),
        "contact details in the log"
    );
    assert_no_warnings(&s);
}

#[test]
fn anonymous_requests_need_the_setting_and_sessions_post_as_their_reporter() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let (lon, lat) = point_in_buurt(&sb);
    let body = greenery_form(lon, lat, "&email=anoniem%40voorbeeld.nl");
    let r = post_form(&s, "/open311/v2/requests.json", &body, &[]);
    assert!(
        errors(&r, 401)[0].contains("--open311-anonymous"),
        "{}",
        r.text()
    );
    let r = post_form(&s, "/open311/v2/requests.xml", &body, &[]);
    assert_eq!(r.status, 401);
    assert_eq!(parse_xml(&r.body)["body"][0]["code"], "401");
    assert!(
        get(s.addr, "/open311/v2/requests.json")
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );

    // A device session posts as its own reporter (cookie and CSRF token, like every write).
    let mut device = Client::new(s.addr);
    assert_eq!(
        device.send("POST", "/api/auth/device", &[], None).status,
        200
    );
    let r = device.send(
        "POST",
        "/open311/v2/requests.json",
        &[("Content-Type", FORM)],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let id: u64 = r.json()[0]["service_request_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let mine = device.get("/api/my/observations").json();
    assert!(
        mine.as_array().unwrap().iter().any(|o| o["id"] == id),
        "the report is the device's own: {mine}"
    );
    let store = store::SqliteStore::open(&sb.db).unwrap();
    let report = store.observation(id as i64).unwrap().unwrap();
    assert!(
        store
            .reporter_contact(report.observation.reporter_id)
            .unwrap()
            .is_none(),
        "a session's contact details are not taken from the form"
    );
    // Without its CSRF token the session's post is refused by the guard.
    let mut no_csrf = device.clone();
    no_csrf.csrf = None;
    let r = no_csrf.send(
        "POST",
        "/open311/v2/requests.json",
        &[("Content-Type", FORM)],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 403);
    assert_no_warnings(&s);
}
