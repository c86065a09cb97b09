//! The role × endpoint matrix: every route, called by every kind of caller, answers with the class
//! the policy says (allow, public, aggregate, empty, deny, hidden).
//!
//! The table below has a row for every route of `server/src/routes/` and every path of
//! `docs/accounts-api.md`; a route added without a row fails the test. On success the observed
//! matrix is written to `target/role-matrix.md`; on failure it is printed with the differences.

mod reports;

use std::collections::{BTreeSet, HashMap};

use serde_json::json;
use tests::{Client, Response, Sandbox, Server, workspace_root};

use super::{
    GEMEENTE, OTHER_WIJK, PASSWORD, WIJK, device, layer_names, letters_csv, parse_letters,
    sign_in_email, sign_in_password, tile_of, totp,
};

/// The callers, in column order. The last is an admin limited to a buurt, stored before such a
/// grant was refused (issue 9): it grants nothing, so it answers as a resident without a letter
/// does, unless a row says otherwise.
const CALLERS: [&str; 11] = [
    "anonymous",
    "device",
    "resident",
    "resident + letter",
    "volunteer WK01",
    "communitybuilder WK01",
    "wijkondernemer WK01",
    "wijkondernemer WK02",
    "gemeente GM1999",
    "admin",
    "admin BU (scoped, stored)",
];
const SCOPED_ADMIN: usize = 10;
const ANON: usize = 0;
const DEVICE: usize = 1;
const RESIDENT: usize = 2;
const VERIFIED: usize = 3;

/// Staff columns: (column, role, scope).
const STAFF: [(usize, &str, &str); 6] = [
    (4, "volunteer", WIJK),
    (5, "communitybuilder", WIJK),
    (6, "wijkondernemer", WIJK),
    (7, "wijkondernemer", OTHER_WIJK),
    (8, "gemeente", GEMEENTE),
    (9, "admin", "all"),
];

/// Account of column `who` (`twin-` for the second account of the same kind, used by rows that
/// sign in or out so the main sessions stay).
fn email(who: usize, twin: bool) -> String {
    let name = match who {
        RESIDENT => "resident",
        VERIFIED => "verified",
        4 => "volunteer",
        5 => "communitybuilder",
        6 => "wijkondernemer",
        7 => "wijkondernemer-out",
        8 => "gemeente",
        9 => "admin",
        SCOPED_ADMIN => "scoped-admin",
        _ => unreachable!("no account for column {who}"),
    };
    format!("{}{name}@matrix.test", if twin { "twin-" } else { "" })
}

const SPARE: &str = "spare-volunteer@matrix.test";
const DUMMY: &str = "dummy@matrix.test";

/// What the rows need besides the caller's client.
struct Ctx {
    sb: Sandbox,
    server: Server,
    /// The verified resident's home (16 digits), opted out of canvassing.
    home: String,
    /// A building of the home.
    building: String,
    /// An observation whose reporter gave no consent, and one whose reporter consented to
    /// `contact`; both in the buurt of the wijk.
    obs_private: i64,
    obs_consented: i64,
    /// z16 tile over the home.
    tile: (u32, u32, u32),
    /// Unused letter codes of the buurt (from the newest letters).
    codes: Vec<String>,
    /// Account id the admin rows change.
    dummy: i64,
    /// TOTP secrets handed out, by session cookie.
    totp: HashMap<String, String>,
    n: u32,
    /// WGS84 of the home.
    lonlat: [f64; 2],
    /// A device session that makes the reports rows work on.
    reporter: Client,
    /// A public-space report by `reporter`, and the URLs of a photo of it and of a photo of a
    /// report about the home.
    tree: i64,
    tree_photo: String,
    home_photo: String,
}

impl Ctx {
    fn new_email(&mut self) -> String {
        self.n += 1;
        format!("new-{}@matrix.test", self.n)
    }

    /// A new session of the kind of column `who` (on its twin account).
    fn fresh(&self, who: usize) -> Client {
        match who {
            ANON => Client::new(self.server.addr),
            DEVICE => device(&self.server),
            RESIDENT | VERIFIED => sign_in_email(&self.sb, &self.server, &email(who, true)),
            _ => sign_in_password(&self.server, &email(who, true)),
        }
    }
}

type Call = fn(&mut Ctx, &mut Client) -> Response;
type Classify = fn(&Response) -> &'static str;

struct Row {
    method: &'static str,
    path: &'static str,
    note: &'static str,
    expect: [&'static str; 11],
    call: Call,
    classify: Classify,
    /// Called on a new session of the caller's kind (the row signs in or out).
    fresh: bool,
}

fn row(
    method: &'static str,
    path: &'static str,
    note: &'static str,
    expect: [&'static str; 10],
    call: Call,
) -> Row {
    let mut all = [expect[RESIDENT]; 11];
    all[..10].copy_from_slice(&expect);
    Row {
        method,
        path,
        note,
        expect: all,
        call,
        classify: by_status,
        fresh: false,
    }
}

impl Row {
    /// What the scoped admin gets where it differs from a resident without a letter.
    fn scoped_admin(mut self, cell: &'static str) -> Self {
        self.expect[SCOPED_ADMIN] = cell;
        self
    }

    fn fresh(mut self) -> Self {
        self.fresh = true;
        self
    }

    fn classify(mut self, f: Classify) -> Self {
        self.classify = f;
        self
    }
}

/// The class of an answer by its status alone.
fn by_status(r: &Response) -> &'static str {
    match r.status {
        200..=299 => "allow",
        401 | 403 => "deny",
        404 => "hidden",
        409 => "conflict",
        400 | 422 => "refused",
        429 => "limited",
        _ => "other",
    }
}

/// The k-anonymity policy the matrix server runs with: the default (README, `--k-anonymity`).
const POLICY_K: u64 = 5;
/// Released counts are rounded to this (the default of `round_to`).
const POLICY_ROUND_TO: u64 = 5;

/// Aggregates: k-anonymous cells for everyone, under exactly the policy's k.
fn aggregate(r: &Response) -> &'static str {
    if r.status == 200 {
        let v = r.json();
        let cells = v["cells"].as_array().expect("aggregates have cells");
        assert!(!cells.is_empty(), "aggregates have cells: {v}");
        assert_eq!(v["k"].as_u64(), Some(POLICY_K), "{v}");
        assert_eq!(v["round_to"].as_u64(), Some(POLICY_ROUND_TO), "{v}");
        "aggregate"
    } else {
        by_status(r)
    }
}

/// Tiles: `allow` with the do-not-knock layer, `public` without it, `empty` for 204.
fn tile(r: &Response) -> &'static str {
    match r.status {
        200 if layer_names(&r.body).iter().any(|l| l == "do_not_knock") => "allow",
        200 => "public",
        204 => "empty",
        _ => by_status(r),
    }
}

/// OGC collections: `allow` when the do-not-knock collection is listed.
fn collections(r: &Response) -> &'static str {
    match r.status {
        200 if r.text().contains("\"do-not-knock\"") => "allow",
        200 => "public",
        _ => by_status(r),
    }
}

/// A feature collection: `allow` with features, `empty` without.
fn features(r: &Response) -> &'static str {
    match r.status {
        200 if r.json()["features"]
            .as_array()
            .is_some_and(|f| !f.is_empty()) =>
        {
            "allow"
        }
        200 => "empty",
        _ => by_status(r),
    }
}

/// Reporter identity: `allow` only when the contact details are in the answer.
fn identity(r: &Response) -> &'static str {
    match r.status {
        200 => {
            assert!(r.json()["email"].is_string(), "{}", r.text());
            "allow"
        }
        _ => by_status(r),
    }
}

fn all(cell: &'static str) -> [&'static str; 10] {
    [cell; 10]
}

/// Signed-in accounts only (a device session has no account).
fn account(cell: &'static str) -> [&'static str; 10] {
    let mut e = [cell; 10];
    e[ANON] = "deny 401";
    e[DEVICE] = "deny 401";
    e
}

/// Admins only.
fn admin_only(cell: &'static str) -> [&'static str; 10] {
    let mut e = ["deny 403"; 10];
    e[ANON] = "deny 401";
    e[9] = cell;
    e
}

/// The verified resident's own address: every other account is told it does not exist (a
/// device session has no account: sign in).
fn own_address(cell: &'static str) -> [&'static str; 10] {
    let mut e = ["hidden 404"; 10];
    e[ANON] = "deny 401";
    e[DEVICE] = "deny 401";
    e[VERIFIED] = cell;
    e
}

/// Staff columns in order: volunteer, communitybuilder, wijkondernemer, wijkondernemer out of
/// scope, gemeente, admin; everyone else (anonymous, device, residents) `rest`, anonymous 401
/// when `rest` is a 403.
fn staff(rest: &'static str, cells: [&'static str; 6]) -> [&'static str; 10] {
    let mut e = [rest; 10];
    if rest == "deny 403" {
        e[ANON] = "deny 401";
    }
    e[4..].copy_from_slice(&cells);
    e
}

/// Refused to a signed-in caller.
const D: &str = "deny 403";

fn rows() -> Vec<Row> {
    let mut rows = vec![
        // ----- auth.rs
        row("GET", "/api/session", "", all("allow 200"), |_, c| {
            c.get("/api/session")
        }),
        row("POST", "/api/auth/email", "", all("allow 202"), |x, c| {
            let e = x.new_email();
            c.post_json("/api/auth/email", &json!({ "email": e }))
        }),
        row(
            "POST",
            "/api/auth/email/verify",
            "code of a new account",
            all("allow 200"),
            |x, c| {
                let e = x.new_email();
                let mail = super::request_mail(&x.sb, c, &e);
                c.post_json(
                    "/api/auth/email/verify",
                    &json!({ "email": e, "code": mail["code"] }),
                )
            },
        )
        .fresh(),
        row(
            "POST",
            "/api/auth/password",
            "a staff account",
            all("allow 200"),
            |_, c| {
                c.post_json(
                    "/api/auth/password",
                    &json!({ "email": SPARE, "password": PASSWORD }),
                )
            },
        )
        .fresh(),
        row(
            "POST",
            "/api/auth/device",
            "",
            {
                let mut e = all("conflict 409");
                e[ANON] = "allow 200";
                e
            },
            |_, c| c.send("POST", "/api/auth/device", &[], None),
        )
        .fresh(),
        row("POST", "/api/auth/logout", "", all("allow 204"), |_, c| {
            c.send("POST", "/api/auth/logout", &[], None)
        })
        .fresh(),
        row(
            "POST",
            "/api/auth/logout-all",
            "",
            account("allow 204"),
            |_, c| c.send("POST", "/api/auth/logout-all", &[], None),
        )
        .fresh(),
        // ----- account.rs
        row("GET", "/api/account", "", account("allow 200"), |_, c| {
            c.get("/api/account")
        }),
        row(
            "POST",
            "/api/account/consents",
            "research",
            account("allow 201"),
            |_, c| {
                c.post_json(
                    "/api/account/consents",
                    &json!({ "purpose": "research", "given": true }),
                )
            },
        ),
        row(
            "GET",
            "/api/account/consents/history",
            "",
            account("allow 200"),
            |_, c| c.get("/api/account/consents/history"),
        ),
        row(
            "POST",
            "/api/account/password",
            "current password (staff)",
            {
                let mut e = account("allow 204");
                e[RESIDENT] = "deny 401";
                e[VERIFIED] = "deny 401";
                e
            },
            |_, c| {
                c.post_json(
                    "/api/account/password",
                    &json!({ "current": PASSWORD, "new": PASSWORD }),
                )
            },
        )
        // An account with a password, though its grant is void.
        .scoped_admin("allow 204"),
        row(
            "GET",
            "/api/my/addresses",
            "",
            account("allow 200"),
            |_, c| c.get("/api/my/addresses"),
        ),
        row(
            "GET",
            "/api/my/addresses/{id}",
            "the resident's verified home",
            own_address("allow 200"),
            |x, c| c.get(&format!("/api/my/addresses/{}", x.home)),
        ),
        row(
            "PUT",
            "/api/my/addresses/{id}/opt-outs/{purpose}",
            "research",
            own_address("allow 204"),
            |x, c| {
                c.put(
                    &format!("/api/my/addresses/{}/opt-outs/research", x.home),
                    None,
                )
            },
        ),
        row(
            "DELETE",
            "/api/my/addresses/{id}/opt-outs/{purpose}",
            "research",
            own_address("allow 204"),
            |x, c| c.delete(&format!("/api/my/addresses/{}/opt-outs/research", x.home)),
        ),
        row(
            "POST",
            "/api/my/addresses/{id}/contests",
            "an observation about the home",
            own_address("allow 201"),
            |x, c| {
                c.post_json(
                    &format!("/api/my/addresses/{}/contests", x.home),
                    &json!({ "observation_id": x.obs_private, "reason": "Er liggen geen panelen op ons dak." }),
                )
            },
        ),
        // ----- staff.rs
        row("GET", "/api/areas", "", all("allow 200"), |_, c| {
            c.get("/api/areas")
        }),
        row(
            "POST",
            "/api/letters",
            "buurt of WK01, csv",
            staff(D, [D, D, "allow 200", D, D, "allow 200"]),
            |x, c| {
                let r = c.post_json(
                    "/api/letters",
                    &json!({ "area": super::BUURT, "format": "csv" }),
                );
                if r.status == 200 {
                    // New letters replace the codes of the old ones.
                    x.codes = parse_letters(&r).into_iter().map(|(_, c)| c).collect();
                }
                r
            },
        ),
        row(
            "GET",
            "/api/opt-outs",
            "buurt of WK01",
            staff(D, [D, "allow 200", "allow 200", D, D, "allow 200"]),
            |_, c| c.get(&format!("/api/opt-outs?area={}", super::BUURT)),
        ),
        row(
            "GET",
            "/api/opt-outs",
            "the whole gemeente (wider than WK01)",
            admin_only("allow 200"),
            |_, c| c.get(&format!("/api/opt-outs?area={GEMEENTE}")),
        ),
        row(
            "GET",
            "/api/aggregates/observations",
            "level=buurt",
            all("aggregate 200"),
            |_, c| c.get("/api/aggregates/observations?type=solar_panels&level=buurt"),
        )
        .classify(aggregate),
        row(
            "GET",
            "/api/aggregates/observations",
            "level=grid, area=WK01",
            all("aggregate 200"),
            |_, c| {
                c.get(&format!(
                    "/api/aggregates/observations?type=solar_panels&level=grid&area={WIJK}"
                ))
            },
        )
        .classify(aggregate),
        row(
            "GET",
            "/api/observations/{id}/reporter",
            "in WK01, no consent",
            admin_only("allow 200"),
            |x, c| c.get(&format!("/api/observations/{}/reporter", x.obs_private)),
        )
        .classify(identity),
        row(
            "GET",
            "/api/observations/{id}/reporter",
            "in WK01, consent to contact",
            staff(D, [D, D, "allow 200", D, D, "allow 200"]),
            |x, c| c.get(&format!("/api/observations/{}/reporter", x.obs_consented)),
        )
        .classify(identity),
        row(
            "GET",
            "/api/observations/{id}/reporter",
            "no such observation",
            admin_only("hidden 404"),
            |_, c| c.get("/api/observations/987654321/reporter"),
        ),
        // ----- admin.rs
        row(
            "GET",
            "/api/admin/users",
            "",
            admin_only("allow 200"),
            |_, c| c.get("/api/admin/users"),
        ),
        row(
            "POST",
            "/api/admin/users",
            "",
            admin_only("allow 201"),
            |x, c| {
                let e = x.new_email();
                c.post_json(
                    "/api/admin/users",
                    &json!({ "email": e, "role": "volunteer", "scope": WIJK, "password": "a long enough password" }),
                )
            },
        ),
        row(
            "PUT",
            "/api/admin/users/{id}/roles",
            "",
            admin_only("allow 200"),
            |x, c| {
                c.put(
                    &format!("/api/admin/users/{}/roles", x.dummy),
                    Some(&json!([{ "role": "volunteer", "scope": WIJK }])),
                )
            },
        ),
        row(
            "PATCH",
            "/api/admin/users/{id}",
            "",
            admin_only("allow 200"),
            |x, c| {
                c.patch_json(
                    &format!("/api/admin/users/{}", x.dummy),
                    &json!({ "disabled": false }),
                )
            },
        ),
        row(
            "GET",
            "/api/admin/custom-areas",
            "",
            admin_only("allow 200"),
            |_, c| c.get("/api/admin/custom-areas"),
        ),
        row(
            "POST",
            "/api/admin/custom-areas",
            "",
            admin_only("allow 201"),
            |x, c| {
                x.n += 1;
                c.post_json(
                    "/api/admin/custom-areas",
                    &json!({ "name": format!("Plein {}", x.n), "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[5.0, 52.0], [5.01, 52.0], [5.01, 52.01], [5.0, 52.0]]]
                    }}),
                )
            },
        ),
        row(
            "GET",
            "/api/admin/audit",
            "",
            admin_only("allow 200"),
            |_, c| c.get("/api/admin/audit?limit=5"),
        ),
        row(
            "GET",
            "/api/admin/retention",
            "",
            admin_only("allow 200"),
            |_, c| c.get("/api/admin/retention"),
        ),
        row(
            "POST",
            "/api/admin/retention/run",
            "",
            admin_only("allow 200"),
            |_, c| c.send("POST", "/api/admin/retention/run", &[], None),
        ),
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
            "/ogc/collections/{collection}",
            "buildings",
            all("allow 200"),
            |_, c| c.get("/ogc/collections/buildings"),
        ),
        row(
            "GET",
            "/ogc/collections/{collection}",
            "do-not-knock",
            staff(
                D,
                [D, "allow 200", "allow 200", "allow 200", D, "allow 200"],
            ),
            |_, c| c.get("/ogc/collections/do-not-knock"),
        ),
        row(
            "GET",
            "/ogc/collections/{collection}/items",
            "buildings",
            all("allow 200"),
            |_, c| c.get("/ogc/collections/buildings/items?limit=2"),
        )
        .classify(features),
        row(
            "GET",
            "/ogc/collections/{collection}/items",
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
            "/ogc/collections/{collection}/items/{id}",
            "buildings: a building of the home",
            all("allow 200"),
            |x, c| c.get(&format!("/ogc/collections/buildings/items/{}", x.building)),
        ),
        row(
            "GET",
            "/ogc/collections/{collection}/items/{id}",
            "do-not-knock: the opted-out home",
            staff(
                D,
                [D, "allow 200", "allow 200", "hidden 404", D, "allow 200"],
            ),
            |x, c| c.get(&format!("/ogc/collections/do-not-knock/items/{}", x.home)),
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
        row("GET", "/{*path}", "index.html", all("allow 200"), |_, c| {
            c.get("/index.html")
        }),
    ];
    // ----- reports.rs, open311.rs
    rows.extend(reports::rows());
    rows.extend([
        // ----- last: these change the callers' accounts (a second address, TOTP on)
        row(
            "POST",
            "/api/my/addresses",
            "an unused letter code",
            account("allow 201"),
            |x, c| {
                let code = x.codes.pop().expect("letter codes left");
                c.post_json("/api/my/addresses", &json!({ "code": code }))
            },
        ),
        row(
            "POST",
            "/api/account/totp",
            "with the password (staff; residents have none)",
            account("allow 200"),
            |x, c| {
                let staff = c.session()["user"]["roles"]
                    .as_array()
                    .is_some_and(|roles| roles.iter().any(|r| r["role"] != "resident"));
                let body = if staff {
                    json!({ "password": PASSWORD })
                } else {
                    json!({})
                };
                let r = c.post_json("/api/account/totp", &body);
                if r.status == 200
                    && let Some(cookie) = c.cookie.clone()
                {
                    let secret = r.json()["secret"].as_str().unwrap().to_owned();
                    x.totp.insert(cookie, secret);
                }
                r
            },
        ),
        row(
            "POST",
            "/api/account/totp/confirm",
            "the current code",
            account("allow 204"),
            |x, c| {
                let secret = c
                    .cookie
                    .as_ref()
                    .and_then(|k| x.totp.get(k))
                    .cloned()
                    .unwrap_or_else(|| "GEZDGNBVGY3TQOJQ".into());
                let code = totp(&secret, super::now() / 30);
                c.post_json("/api/account/totp/confirm", &json!({ "code": code }))
            },
        ),
    ]);
    rows
}

/// Sets up the accounts and data the rows need and starts the server.
fn setup() -> (Ctx, Vec<Client>) {
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
                super::BUURT,
                Some(PASSWORD),
            );
            let u = s
                .user_by_email(&email(SCOPED_ADMIN, twin))
                .unwrap()
                .unwrap();
            s.set_roles(u.id, &[("admin".to_owned(), super::BUURT.to_owned())])
                .unwrap();
        }
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
    clients.push(sign_in_password(&server, &email(SCOPED_ADMIN, false)));
    // The verified resident (and the twin) redeem the letter of one home in WK01 and opt out of
    // canvassing.
    let codes = letters_csv(&mut clients[9], super::BUURT);
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
    let a = super::address(&sb, home.parse().unwrap());
    // Two observations about the home: one by a device reporter, one by a resident who
    // consented to being contacted.
    let mut consenter = sign_in_email(&sb, &server, "consenter@matrix.test");
    let r = consenter.post_json(
        "/api/account/consents",
        &json!({ "purpose": "contact", "given": true }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let consenter_id = super::user_id(&mut consenter);
    let s = store::SqliteStore::open(&sb.db).unwrap();
    let anon_reporter = super::reporter_with_contact(&s, "Anna", "anna@matrix.test");
    let obs_private = s
        .insert_observation(
            &super::observation_about(&a, "solar_panels", anon_reporter),
            super::now(),
        )
        .unwrap();
    let consenting = s.reporter_for_user(consenter_id, super::now()).unwrap();
    s.set_reporter_contact(
        consenting,
        &store::people::ReporterContact {
            name: Some("Cor".into()),
            email: Some("consenter@matrix.test".into()),
            phone: None,
        },
        super::now(),
    )
    .unwrap();
    let obs_consented = s
        .insert_observation(
            &super::observation_about(&a, "solar_panels", consenting),
            super::now(),
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
    let ctx = Ctx {
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

/// (method, path) of every route in `server/src/routes/*.rs`, read from the `.route(…)` calls.
fn routes_in_source() -> BTreeSet<(String, String)> {
    // Every Rust file under the routes folder, subfolders included (the top `mod.rs` only merges).
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
    let mut out = BTreeSet::new();
    for path in files {
        let src = std::fs::read_to_string(&path).unwrap();
        for (start, _) in src.match_indices(".route(") {
            // The call's text up to its closing parenthesis.
            let rest = &src[start + ".route(".len()..];
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
                .map(|(i, _)| i)
                .unwrap();
            let call = &rest[..end];
            let route = call.split('"').nth(1).unwrap().to_owned();
            let mut ident = String::new();
            for ch in call.chars() {
                if ch.is_alphanumeric() || ch == '_' {
                    ident.push(ch);
                    continue;
                }
                if ch == '(' && ["get", "post", "put", "patch", "delete"].contains(&ident.as_str())
                {
                    out.insert((ident.to_uppercase(), route.clone()));
                }
                ident.clear();
            }
        }
    }
    assert!(out.len() > 40, "found only {} routes: {out:?}", out.len());
    out
}

/// (method, path) of every row of the tables in `docs/accounts-api.md`.
fn routes_in_docs() -> BTreeSet<(String, String)> {
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

/// The matrix as a Markdown table.
fn markdown(rows: &[Row], observed: &[Vec<String>], mark_differences: bool) -> String {
    let mut s = String::from("| route | ");
    s.push_str(&CALLERS.join(" | "));
    s.push_str(" |\n|---|");
    s.push_str(&"---|".repeat(CALLERS.len()));
    s.push('\n');
    for (row, cells) in rows.iter().zip(observed) {
        s.push_str("| `");
        s.push_str(row.method);
        s.push(' ');
        s.push_str(row.path);
        s.push('`');
        if !row.note.is_empty() {
            s.push_str(" (");
            s.push_str(row.note);
            s.push(')');
        }
        s.push_str(" |");
        for (cell, expected) in cells.iter().zip(row.expect) {
            s.push(' ');
            s.push_str(cell);
            if mark_differences && cell != expected {
                s.push_str(" **≠ ");
                s.push_str(expected);
                s.push_str("**");
            }
            s.push_str(" |");
        }
        s.push('\n');
    }
    s
}

#[test]
fn every_route_answers_every_caller_as_the_policy_says() {
    let table = rows();
    let covered: BTreeSet<(String, String)> = table
        .iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    let in_source = routes_in_source();
    let missing: Vec<_> = in_source.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the matrix: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&in_source).collect();
    assert!(
        stale.is_empty(),
        "rows for routes that do not exist: {stale:?}"
    );
    let undocumented: Vec<_> = routes_in_docs().difference(&covered).cloned().collect();
    assert!(
        undocumented.is_empty(),
        "paths of docs/accounts-api.md without a row: {undocumented:?}"
    );

    let (mut ctx, mut clients) = setup();
    let mut observed = Vec::new();
    let mut failures = Vec::new();
    for row in &table {
        let mut cells = Vec::new();
        for (who, client) in clients.iter_mut().enumerate() {
            let mut fresh;
            let c = if row.fresh {
                fresh = ctx.fresh(who);
                &mut fresh
            } else {
                client
            };
            let r = (row.call)(&mut ctx, c);
            let cell = format!("{} {}", (row.classify)(&r), r.status);
            if cell != row.expect[who] {
                failures.push(format!(
                    "{} {} ({}) as {}: expected {}, got {cell}: {}",
                    row.method,
                    row.path,
                    row.note,
                    CALLERS[who],
                    row.expect[who],
                    if r.header("content-type").is_some_and(|t| t.contains("json")) {
                        r.text().chars().take(200).collect::<String>()
                    } else {
                        format!("{} bytes of {:?}", r.body.len(), r.header("content-type"))
                    }
                ));
            }
            cells.push(cell);
        }
        observed.push(cells);
    }
    // The main sessions lived through the table (a deny above is not a lost session).
    for (who, c) in clients.iter_mut().enumerate().skip(RESIDENT) {
        assert_eq!(
            c.session()["signed_in"],
            true,
            "{} lost its session",
            CALLERS[who]
        );
    }
    assert!(
        failures.is_empty(),
        "{} cells differ:\n{}\n\nobserved matrix:\n{}",
        failures.len(),
        failures.join("\n"),
        markdown(&table, &observed, true)
    );
    super::assert_no_warnings(&ctx.server);
    let target = std::env::var("CARGO_TARGET_DIR").map_or_else(
        |_| workspace_root().join("target"),
        std::path::PathBuf::from,
    );
    let doc = format!(
        "# Role × endpoint matrix\n\nObserved by `tests/tests/people/matrix.rs` against the real \
         server. Cells: class and status. `allow` = served; `public` = served as to anyone \
         (no per-household data); `aggregate` = k-anonymous cells only; `empty` = allowed, but \
         nothing of the caller's scope is there; `deny` = 401 (sign in) or 403; `hidden` = 404, \
         existence is private; `conflict` = 409. Staff scopes: WK01 = {WIJK}, WK02 = {OTHER_WIJK}.\n\n{}",
        markdown(&table, &observed, false)
    );
    std::fs::write(target.join("role-matrix.md"), doc).unwrap();
}
