//! The router without a socket (`tower::ServiceExt::oneshot`) over a model built in code.

#![allow(clippy::unwrap_used, reason = "test fixtures fail loudly")]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::{AreaRefs, BagId, Building, BuildingStatus, ModelBuilder};
use geo::{MultiPolygon, polygon};
use http_body_util::BodyExt as _;
use server::config::ServeConfig;
use server::{AppState, app};
use tower::ServiceExt as _;

const LON: f64 = 6.1375;
const LAT: f64 = 52.0131;

fn state(cache_mb: u64) -> AppState {
    let mut b = ModelBuilder::default();
    for i in 0..20u64 {
        let x = LON + (i as f64) * 0.0002;
        b.add_building(&Building {
            id: BagId::new(221_100_000_000_000 + i).unwrap(),
            footprint_wgs84: MultiPolygon(vec![polygon![(x: x, y: LAT), (x: x + 0.0001, y: LAT), (x: x + 0.0001, y: LAT + 0.0001), (x: x, y: LAT + 0.0001), (x: x, y: LAT)]]),
            bouwjaar: 1900 + i as u16,
            status: BuildingStatus::InUse,
            usage: "woonfunctie".parse().unwrap(),
            units: 1,
            areas: AreaRefs::default(),
        });
    }
    with_people(
        b.build(),
        cache_mb,
        server::people::PeopleSettings::default(),
    )
}

/// State over `model` with a store in a fresh temporary folder (kept until the process ends).
fn with_people(
    model: domain::Model,
    cache_mb: u64,
    settings: server::people::PeopleSettings,
) -> AppState {
    let dir = tempfile::tempdir().unwrap().keep();
    let db = dir.join("router.sqlite");
    let store = store::SqliteStore::open(&db).unwrap();
    let reports = server::observations::Observations::load(
        &store,
        &db,
        &model,
        server::observations::ObservationSettings::default(),
    )
    .unwrap();
    let people = server::people::People::new(
        std::sync::Arc::new(store),
        server::auth::mail::Mailer::outbox(dir.join("outbox.jsonl")),
        settings,
    )
    .unwrap();
    AppState::new(
        model,
        ServeConfig {
            tile_cache_mb: cache_mb,
            ..ServeConfig::default()
        },
        std::sync::Arc::new(people),
        std::sync::Arc::new(reports),
        // No work items: these tests ask for register tiles only.
        work::WorkIndex::default(),
        urgency::IndicatorSet::parse(
            "[[indicator]]\nname = \"homes\"\ntitle = { nl = \"Woningen\", en = \"Homes\" }\n\
             description = { nl = \"Woningen\", en = \"Homes\" }\nover = \"verblijfsobject\"\n\
             measure = \"share\"\nnumerator = \"woonfunctie\"\n\
             source = { nl = \"BAG\", en = \"BAG\" }\nfreshness = { nl = \"import\", en = \"import\" }\n\
             higher_is_more_urgent = false\n",
            &urgency::Schemas::new(&work::Fields::registers(), &work::RuleSet::parse("", &work::Fields::registers()).unwrap()),
        )
        .unwrap(),
    )
}

fn tile_path(z: u8) -> String {
    let n = f64::from(1u32 << z);
    let x = ((LON + 180.0) / 360.0 * n) as u32;
    let y = ((1.0
        - (LAT.to_radians().tan() + 1.0 / LAT.to_radians().cos()).ln() / std::f64::consts::PI)
        / 2.0
        * n) as u32;
    format!("/tiles/buildings/{z}/{x}/{y}.mvt")
}

async fn send(
    state: &AppState,
    uri: &str,
    headers: &[(header::HeaderName, &str)],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut req = Request::builder().uri(uri);
    for (k, v) in headers {
        req = req.header(k, *v);
    }
    let res = app(state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = res.into_parts();
    (
        parts.status,
        parts.headers,
        body.collect().await.unwrap().to_bytes().to_vec(),
    )
}

#[tokio::test]
async fn a_tile_is_served_cached_and_revalidated() {
    for cache_mb in [0, 16] {
        let s = state(cache_mb);
        let (status, headers, body) = send(&s, &tile_path(16), &[]).await;
        assert_eq!(status, StatusCode::OK, "cache {cache_mb}");
        assert!(!body.is_empty());
        let etag = headers[header::ETAG].to_str().unwrap().to_owned();
        let (status, headers, gz) =
            send(&s, &tile_path(16), &[(header::ACCEPT_ENCODING, "gzip")]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
        assert_eq!(&gz[..2], &[0x1f, 0x8b]);
        let (status, _, body) = send(&s, &tile_path(16), &[(header::IF_NONE_MATCH, &etag)]).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED);
        assert!(body.is_empty());
    }
}

#[tokio::test]
async fn errors_map_to_statuses() {
    let s = state(16);
    for (uri, status) in [
        ("/tiles/buildings/5/0/0.mvt", StatusCode::NO_CONTENT),
        ("/tiles/buildings/23/0/0.mvt", StatusCode::BAD_REQUEST),
        ("/tiles/roofs/5/0/0.mvt", StatusCode::NOT_FOUND),
        (
            "/ogc/collections/buildings/items?limit=-3",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/ogc/collections/buildings/items/0221100000000005",
            StatusCode::OK,
        ),
        (
            "/ogc/collections/buildings/items/0221100000000099",
            StatusCode::NOT_FOUND,
        ),
        ("/health", StatusCode::OK),
    ] {
        let (got, _, body) = send(&s, uri, &[]).await;
        assert_eq!(got, status, "{uri}: {}", String::from_utf8_lossy(&body));
    }
}

#[tokio::test]
async fn odd_input_never_makes_a_5xx() {
    let s = state(0);
    for uri in [
        "/ogc/collections/buildings/items?offset=18446744073709551615",
        "/ogc/collections/buildings/items?offset=99999999999999999999999",
        "/ogc/collections/buildings/items?bbox=-180,-90,180,90&limit=1000",
        "/ogc/collections/buildings/items?bbox=1e308,0,1e308,0",
        "/ogc/collections/addresses/items?limit=1&limit=2",
        "/ogc/collections/areas/items/BU",
        "/ogc/collections/areas/items/%F0%9F%8F%A0",
        "/api/search?q=%F0%9F%8F%A0%20%27s-12a%20%20",
        "/api/search?q=0000%20ab",
        "/tiles/all/22/4194303/4194303.mvt",
        "/tiles/all/0/0/0.mvt",
        "/tiles/all/1/1/1.mvt",
        "/tiles/%ZZ/1/1/1.mvt",
        "/tiles/.json",
        "/assets/../../etc/passwd",
    ] {
        let (status, _, body) = send(&s, uri, &[]).await;
        assert!(
            !status.is_server_error(),
            "{uri}: {status} {}",
            String::from_utf8_lossy(&body)
        );
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let s = state(0);
    for uri in [
        "/",
        "/health",
        "/tiles/all/5/0/0.mvt",
        "/nope",
        "/api/session",
    ] {
        let (_, headers, _) = send(&s, uri, &[]).await;
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{uri}");
        assert!(
            !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            "{uri}: CORS is closed by default"
        );
    }
}

#[tokio::test]
async fn cors_preflight_is_refused_unless_the_origin_is_configured() {
    let s = state(0);
    let preflight = |origin: &'static str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/api/session")
            .header(header::ORIGIN, origin)
            .header("access-control-request-method", "POST")
            .body(Body::empty())
            .unwrap()
    };
    let res = app(s.clone())
        .oneshot(preflight("https://other.example"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        !res.headers()
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
    );

    let settings = server::people::PeopleSettings {
        cors_origins: vec!["https://partner.example".into()],
        ..server::people::PeopleSettings::default()
    };
    let open = with_people(ModelBuilder::default().build(), 0, settings);
    let res = app(open)
        .oneshot(preflight("https://partner.example"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        res.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://partner.example"
    );
}

#[tokio::test]
async fn state_changing_requests_from_another_site_are_refused() {
    let s = state(0);
    let req = Request::builder()
        .method("POST")
        .uri("/api/auth/email")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"email":"a@b.nl"}"#))
        .unwrap();
    let res = app(s).oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("CsrfRejected"));
}
