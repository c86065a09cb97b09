//! Rows of the matrix for the public surface: the API basics, tiles, the OGC API and the web pages.

#[allow(
    clippy::wildcard_imports,
    reason = "the rows use the table's helpers and callers"
)]
use super::*;

pub(super) fn rows() -> Vec<Row> {
    vec![
        // ----- api.rs, tiles.rs, ogc.rs, web.rs
        row("GET", "/health", "", all("allow 200"), |_, c| {
            c.get("/health")
        }),
        row("GET", "/api/search", "", all("allow 200"), |_, c| {
            c.get("/api/search?q=1")
        }),
        row("GET", "/api/openapi.json", "", all("allow 200"), |_, c| {
            c.get("/api/openapi.json")
        }),
        row("GET", "/style.json", "", all("allow 200"), |_, c| {
            c.get("/style.json")
        }),
        row(
            "GET",
            "/tiles/{file}",
            "all.json",
            all("allow 200"),
            |_, c| c.get("/tiles/all.json"),
        ),
        row(
            "GET",
            "/tiles/{layer}/{z}/{x}/{file}",
            "all, z16 over the opted-out home",
            staff(
                "public 200",
                [
                    "public 200",
                    "allow 200",
                    "allow 200",
                    "public 200",
                    "public 200",
                    "allow 200",
                ],
            ),
            |x, c| {
                let (z, tx, ty) = x.tile;
                c.get(&format!("/tiles/all/{z}/{tx}/{ty}.mvt"))
            },
        )
        .classify(tile),
        row(
            "GET",
            "/tiles/{layer}/{z}/{x}/{file}",
            "do_not_knock, same tile",
            staff(
                D,
                [D, "allow 200", "allow 200", "empty 204", D, "allow 200"],
            ),
            |x, c| {
                let (z, tx, ty) = x.tile;
                c.get(&format!("/tiles/do_not_knock/{z}/{tx}/{ty}.mvt"))
            },
        )
        .classify(tile),
        row("GET", "/ogc", "", all("allow 200"), |_, c| c.get("/ogc")),
        row("GET", "/ogc/", "", all("allow 200"), |_, c| c.get("/ogc/")),
        row("GET", "/ogc/conformance", "", all("allow 200"), |_, c| {
            c.get("/ogc/conformance")
        }),
        row(
            "GET",
            "/ogc/collections",
            "lists do-not-knock?",
            staff(
                "public 200",
                [
                    "public 200",
                    "allow 200",
                    "allow 200",
                    "allow 200",
                    "public 200",
                    "allow 200",
                ],
            ),
            |_, c| c.get("/ogc/collections"),
        )
        .classify(collections),
        row(
            "GET",
            "/ogc/collections/{collectionId}",
            "buildings",
            all("allow 200"),
            |_, c| c.get("/ogc/collections/buildings"),
        ),
        row(
            "GET",
            "/ogc/collections/{collectionId}",
            "do-not-knock",
            staff(
                D,
                [D, "allow 200", "allow 200", "allow 200", D, "allow 200"],
            ),
            |_, c| c.get("/ogc/collections/do-not-knock"),
        ),
        row(
            "GET",
            "/ogc/collections/{collectionId}/items",
            "buildings",
            all("allow 200"),
            |_, c| c.get("/ogc/collections/buildings/items?limit=2"),
        )
        .classify(features),
        row(
            "GET",
            "/ogc/collections/{collectionId}/items",
            "do-not-knock",
            staff(
                D,
                [D, "allow 200", "allow 200", "empty 200", D, "allow 200"],
            ),
            |_, c| c.get("/ogc/collections/do-not-knock/items"),
        )
        .classify(features),
        row(
            "GET",
            "/ogc/collections/{collectionId}/items/{featureId}",
            "buildings: a building of the home",
            all("allow 200"),
            |x, c| c.get(&format!("/ogc/collections/buildings/items/{}", x.building)),
        ),
        row(
            "GET",
            "/ogc/collections/{collectionId}/items/{featureId}",
            "do-not-knock: the opted-out home",
            staff(
                D,
                [D, "allow 200", "allow 200", "hidden 404", D, "allow 200"],
            ),
            |x, c| c.get(&format!("/ogc/collections/do-not-knock/items/{}", x.home)),
        ),
        row(
            "GET",
            "/ogc/collections/{collectionId}/queryables",
            "buildings",
            all("allow 200"),
            |_, c| c.get("/ogc/collections/buildings/queryables"),
        ),
        row("GET", "/", "", all("allow 200"), |_, c| c.get("/")),
        row("GET", "/aanmelden", "", all("allow 200"), |_, c| {
            c.get("/aanmelden")
        }),
        row("GET", "/account", "", all("allow 200"), |_, c| {
            c.get("/account")
        }),
        row("GET", "/beheer", "", all("allow 200"), |_, c| {
            c.get("/beheer")
        }),
        row("GET", "/werk", "", all("allow 200"), |_, c| c.get("/werk")),
        row(
            "GET",
            "/api/urgency",
            "aggregates, everyone",
            all("allow 200"),
            |_, c| c.get("/api/urgency?level=buurt&indicator=gas_free"),
        ),
        row(
            "GET",
            "/api/urgency/style",
            "aggregates, everyone",
            all("allow 200"),
            |_, c| c.get("/api/urgency/style?level=h3-9&indicator=work_done"),
        ),
        row(
            "GET",
            "/tiles/{layer}/{z}/{x}/{file}",
            "urgency_buurt, aggregates, everyone",
            all("allow 200"),
            |x, c| {
                let (_, tx, ty) = x.tile;
                // The z16 tile's parent at z13, inside the buurt level's zooms.
                c.get(&format!(
                    "/tiles/urgency_buurt/13/{}/{}.mvt",
                    tx >> 3,
                    ty >> 3
                ))
            },
        ),
        row(
            "GET",
            "/api/urgency/indicators",
            "the declared indicators, everyone",
            all("allow 200"),
            |_, c| c.get("/api/urgency/indicators"),
        ),
        row(
            "GET",
            "/api/urgency/series",
            "aggregates, everyone",
            all("allow 200"),
            |_, c| c.get("/api/urgency/series?level=buurt&indicator=gas_free&cell=BU19990101"),
        ),
        row(
            "GET",
            "/api/urgency/index",
            "built from released aggregates, everyone",
            all("allow 200"),
            |_, c| c.get("/api/urgency/index?level=buurt&weights=solar_gap:2,gas_free:1"),
        ),
        row(
            "GET",
            "/api/urgency/weights",
            "the caller's own preference",
            account("allow 200"),
            |_, c| c.get("/api/urgency/weights"),
        ),
        row(
            "PUT",
            "/api/urgency/weights",
            "the caller's own preference",
            account("allow 200"),
            |_, c| {
                c.put(
                    "/api/urgency/weights",
                    Some(&serde_json::json!({ "weights": { "solar_gap": 2, "gas_free": 1 } })),
                )
            },
        ),
        row("GET", "/lopen", "", all("allow 200"), |_, c| {
            c.get("/lopen")
        }),
        row("GET", "/urgentie", "", all("allow 200"), |_, c| {
            c.get("/urgentie")
        }),
        row("GET", "/{*path}", "index.html", all("allow 200"), |_, c| {
            c.get("/index.html")
        }),
    ]
}
