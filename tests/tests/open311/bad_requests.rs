//! Open311 refuses bad requests in the spec's error shape, never with a 5xx.

#[allow(
    clippy::wildcard_imports,
    reason = "the tests share the module's request helpers"
)]
use super::*;

#[test]
fn bad_requests_get_the_spec_error_shape_and_never_a_5xx() {
    let sb = Sandbox::new();
    let s = sb.serve(&["--open311-anonymous"]);
    let (lon, lat) = point_in_buurt(&sb);
    let post = |path: &str, body: &str| post_form(&s, path, body, &[]);

    // Invalid values: 422, one error per failing attribute.
    let body = format!(
        "service_code=greenery_distress&lat={lat}&long={lon}&attribute[object]=tree\
         &attribute[severity]=awful&attribute[colour]=red&description={}",
        "x".repeat(501)
    );
    let r = post("/open311/v2/requests.json", &body);
    let d = errors(&r, 422);
    assert_eq!(d.len(), 3, "{d:?}");
    for field in ["attribute[severity]", "attribute[colour]", "description"] {
        assert!(d.iter().any(|e| e.starts_with(field)), "{field} in {d:?}");
    }
    // A missing required attribute, in XML.
    let body =
        format!("service_code=greenery_distress&lat={lat}&long={lon}&attribute[object]=tree");
    let r = post("/open311/v2/requests.xml", &body);
    assert_eq!(r.status, 422);
    let xml = parse_xml(&r.body);
    assert_eq!(xml["tag"], "errors");
    assert_eq!(xml["body"][0]["code"], "422");
    assert!(
        xml["body"][0]["description"]
            .as_str()
            .unwrap()
            .starts_with("attribute[severity]: required"),
        "{xml}"
    );

    // Unknown services: 404, also for a type that is not about public space.
    let r = post(
        "/open311/v2/requests.json",
        &greenery_form(lon, lat, "").replace("greenery_distress", "potholes"),
    );
    assert!(
        errors(&r, 404)[0].contains("greenery_distress"),
        "names the services"
    );
    let r = post(
        "/open311/v2/requests.json",
        &greenery_form(lon, lat, "").replace("greenery_distress", "solar_panels"),
    );
    errors(&r, 404);
    errors(&get(s.addr, "/open311/v2/services/potholes.json"), 404);
    errors(&get(s.addr, "/open311/v2/services/gas_readiness.json"), 404);
    let r = get(s.addr, "/open311/v2/services/potholes.xml");
    assert_eq!(r.status, 404);
    assert_eq!(parse_xml(&r.body)["body"][0]["code"], "404");

    // Malformed: 400 with a reason.
    let no_point = "service_code=greenery_distress&address_string=Dorpsstraat+1&attribute[object]=tree&attribute[severity]=dying";
    assert!(errors(&post("/open311/v2/requests.json", no_point), 400)[0].contains("give lat/long"));
    let json_body = json!({ "service_code": "greenery_distress" }).to_string();
    let r = request(
        s.addr,
        "POST",
        "/open311/v2/requests.json",
        &[("Content-Type", "application/json")],
        Some(json_body.as_bytes()),
    );
    assert!(errors(&r, 400)[0].contains("x-www-form-urlencoded"));
    for body in [
        "service_code=greenery_distress&lat=95&long=5",
        "service_code=greenery_distress&lat=abc&long=5",
        "service_code=greenery_distress&lat=52&lat=53&long=5",
        "service_code=%zz",
        "service_code=%ff%fe",
        "lat=52&long=5",
    ] {
        errors(&post("/open311/v2/requests.json", body), 400);
    }
    for query in [
        "start_date=yesterday",
        "status=pending",
        "service_code=potholes",
        "service_request_id=1,x",
        "start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z",
    ] {
        errors(
            &get(s.addr, &format!("/open311/v2/requests.json?{query}")),
            400,
        );
    }

    // Over the body limit: 413, in the same shape.
    let huge = format!(
        "service_code=greenery_distress&description={}",
        "x".repeat(70 * 1024)
    );
    errors(&post("/open311/v2/requests.json", &huge), 413);

    // Unknown formats, resources and requests: 404.
    for path in [
        "/open311/v2/services.csv",
        "/open311/v2/services",
        "/open311/v2/discovery.json",
        "/open311/v2/requests/1.html",
        "/open311/v2/requests/999999.json",
        "/open311/v2/requests/abc.json",
        "/open311/v2/services/greenery_distress.yaml",
    ] {
        let r = get(s.addr, path);
        assert_eq!(r.status, 404, "{path}: {}", r.text());
        assert!(r.json()[0]["code"] == 404, "{path}: {}", r.text());
    }

    // A request about a home is no service request.
    let mut resident = Client::new(s.addr);
    assert_eq!(
        resident.send("POST", "/api/auth/device", &[], None).status,
        200
    );
    let home = {
        use store::Store as _;
        let st = store::SqliteStore::open(&sb.db).unwrap();
        let mut b = None;
        st.for_each_building(&mut |x| {
            b.get_or_insert(x.id.get());
        })
        .unwrap();
        b.unwrap()
    };
    let r = resident.post_json(
        "/api/observations",
        &json!({ "type": "solar_panels", "target": { "building": format!("{home:016}") }, "answers": { "panels": "cant_tell" } }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let private = r.json()["id"].as_u64().unwrap();
    errors(
        &get(s.addr, &format!("/open311/v2/requests/{private}.json")),
        404,
    );
    let r = get(
        s.addr,
        &format!("/open311/v2/requests.json?service_request_id={private}"),
    );
    assert_eq!(r.json(), json!([]), "not listed either");

    // Anonymous requests are rate-limited per client IP, in the spec's shape.
    let limited = (0..80)
        .map(|_| {
            post(
                "/open311/v2/requests.json",
                &format!("service_code=greenery_distress&lat={lat}&long={lon}"),
            )
        })
        .find(|r| r.status == 429)
        .expect("the burst of reports per IP runs out");
    assert!(limited.header("retry-after").is_some());
    errors(&limited, 429);
    assert_no_warnings(&s);
}
