//! The role × endpoint matrix: every route, called by every kind of caller, answers with the class
//! the policy says (allow, public, aggregate, empty, deny, hidden).
//!
//! The table below has a row for every route of `server/src/routes/` and every path of
//! `docs/accounts-api.md`; a route added without a row fails the test. On success the observed
//! matrix is written to `target/role-matrix.md`; on failure it is printed with the differences.

mod assignment_rows;
mod campaign_rows;
mod people_rows;
mod public_rows;
mod reports;
mod setup;
mod talent_rows;
mod work_rows;

use setup::{routes_in_docs, routes_in_source, setup};

use std::collections::{BTreeSet, HashMap};

use tests::{Client, Response, Sandbox, Server, workspace_root};

use super::{
    GEMEENTE, OTHER_WIJK, PASSWORD, WIJK, device, layer_names, letters_csv, parse_letters,
    sign_in_email, sign_in_password, tile_of, totp,
};

/// The callers, in column order. The last is an admin limited to a buurt, stored before such a
/// grant was refused (issue 9): it grants nothing, so it answers as a resident without a letter
/// does, unless a row says otherwise.
const CALLERS: [&str; 12] = [
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
    "partner GM1999",
    "admin BU (scoped, stored)",
];
/// A partner of the gemeente, of the organisation that offered the matrix's assignments. It
/// answers as a resident without a letter does (it sees homes and work only as the public does),
/// unless a row says otherwise.
const PARTNER: usize = 10;
const SCOPED_ADMIN: usize = 11;
/// The organisation of the matrix's partners.
const ORGANISATION: &str = "Energiecoöperatie Matrix";
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
        PARTNER => "partner",
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
    /// A work item in the buurt of WK01 (`{kind}/{target_kind}/{id}`), and how many status
    /// changes the rows made to it.
    work_item: String,
    work_steps: usize,
    /// A partner of GM1999, its assignment offered in WK01, its accepted one with the planned
    /// items not delivered yet, and a delivery on it.
    partner: Client,
    offered: i64,
    accepted: i64,
    planned: Vec<String>,
    delivery: i64,
    /// A resident's offer of help in WK01, and an invitation of it to a planned item.
    helper_offer: i64,
    invitation: i64,
    /// A campaign in WK01, its first turf (held by the volunteer column's account), a door of
    /// that turf, and the volunteer's account id.
    campaign: i64,
    turf: i64,
    turf_door: String,
    volunteer: i64,
    /// A turf of that campaign nobody holds or visits (the rows split and merge it).
    free_turf: i64,
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
    expect: [&'static str; 12],
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
    let mut all = [expect[RESIDENT]; 12];
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
    /// What the partner gets where it differs from a resident without a letter.
    fn partner(mut self, cell: &'static str) -> Self {
        self.expect[PARTNER] = cell;
        self
    }

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
    let mut rows = people_rows::rows();
    rows.extend(public_rows::rows());
    rows.extend(reports::rows());
    rows.extend(work_rows::rows());
    rows.extend(assignment_rows::rows());
    rows.extend(talent_rows::rows());
    rows.extend(campaign_rows::rows());
    rows.extend(people_rows::last_rows());
    rows
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
