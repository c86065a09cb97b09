//! What the document says that no handler does: its info (the API's introduction), servers and
//! tags. `info.version` is the crate's.

pub(super) const HEAD: &str = r#"{
  "openapi": "3.1.0",
  "info": {
    "title": "wijkwerk",
    "summary": "Dutch building (BAG) and neighbourhood (CBS) data as vector tiles, OGC API Features and a search API; accounts, roles and the privacy registers of the neighbourhood.",
    "description": "The JSON API of the `wijkwerk` binary. Coordinates are WGS84 longitude/latitude (RFC 7946). Data names keep the register's Dutch terms: *pand* (building), *verblijfsobject* (address unit), *bouwjaar* (construction year; 9999 means unknown), *buurt*, *wijk*, *gemeente*. Every 4xx and 5xx response with a body carries an `Error` object; 500 bodies say no more than \"internal error\".\n\n**Sessions.** Signing in (`/api/auth/*`) sets the cookie `wijkwerk_session` (HttpOnly, SameSite=Strict; see the `cookieAuth` scheme). Anonymous visitors get no cookie. A cookie of a session that ended is cleared with `Set-Cookie: wijkwerk_session=; Max-Age=0`.\n\n**CSRF.** Every POST, PUT, PATCH and DELETE made with a session cookie must send the session's token in `X-CSRF-Token` (from `GET /api/session` or the sign-in answer), and every state-changing request must be same-origin: an `Origin` or `Sec-Fetch-Site` naming another site is refused. Both give 403 `CsrfRejected`, before the request reaches its handler.\n\n**Roles.** Who may call what follows one policy (`domain/src/access.rs`, tables in `docs/privacy.md`): roles `resident`, `volunteer`, `communitybuilder`, `wijkondernemer`, `gemeente` and `admin`, each in a scope (`all`, a CBS code or `polygon:{id}`). Not signed in and refused gives 401 `SignInRequired`; signed in and refused gives 403 `Forbidden`.\n\n**Bodies.** Request bodies are JSON (`Content-Type: application/json`, at most 64 KiB): malformed JSON is 400 `BadRequest`, another content type 415 `UnsupportedMediaType`, a larger body 413 `PayloadTooLarge`, unknown fields or values of the wrong type 422 `Unprocessable`. Where a handler checks the values itself (reports, observation types, moderation), its 422 lists every failing field in `errors: [{field, message}]` (`field` is a JSON pointer such as `/answers/panels`).\n\n**Reports** are acknowledged only once durable (a group commit); when too many wait to be written, or the store is busy, the answer is 503 `Busy` with `Retry-After` (nothing was stored; try again).\n\n**CORS.** Closed unless origins are configured (`--cors-origin`); a preflight (`OPTIONS` with `Access-Control-Request-Method`) from another origin is 403 `CorsRejected`.",
    "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"}
  },
  "servers": [{"url": "/"}],
  "tags": [
    {"name": "service", "description": "Health and this description."},
    {"name": "search", "description": "Address search."},
    {"name": "features", "description": "OGC API - Features - Part 1: Core, GeoJSON encoding."},
    {
      "name": "tiles",
      "description": "Mapbox Vector Tiles 2.1, TileJSON 3.0.0 and the MapLibre style."
    },
    {
      "name": "auth",
      "description": "Sessions: e-mail codes for residents, passwords (and TOTP) for staff, pseudonymous device sessions."
    },
    {"name": "account", "description": "The signed-in account: sessions, consents, TOTP, password."},
    {
      "name": "my-address",
      "description": "A resident's own addresses, proven with the code of a letter: what is known about them, opt-outs, contests."
    },
    {
      "name": "staff",
      "description": "Work over household data behind the policy: letters, the opt-out register, k-anonymous aggregates, reporter identity."
    },
    {
      "name": "reports",
      "description": "Resident reports (*meldingen*) about a pand, a verblijfsobject or a point in public space: observation types, reports, confirmations, abuse flags, photos and the building timeline. Writes need a session: an account or a device session."
    },
    {
      "name": "moderation",
      "description": "The moderation queue, hide/unhide/resolve/reject, merge and split: communitybuilder, wijkondernemer and admin, in their scope."
    },
    {
      "name": "open311",
      "description": "Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over the public-space observation types: services from their JSON Schemas, service requests read back as JSON or XML, and new requests as `application/x-www-form-urlencoded` forms. Errors take the spec's shape (a list of `{code, description}`, `<errors><error>…`), in the format the path asks for."
    },
    {
      "name": "exports",
      "description": "Reports out of wijkwerk as CSV, GeoJSON or GeoPackage, behind the policy and the opt-out register; every export is audited."
    },
    {
      "name": "work",
      "description": "The work to be done (docs/work.md): kinds from a rule file of CQL2 predicates, the items per pand, address or spot for those who run the work in an area, k-anonymous totals per area for everyone else, an item's evidence and status history, and status changes."
    },
    {
      "name": "assignments",
      "description": "Assignments (opdrachten) from system partners (docs/work.md): offered by a partner for an area, answered by the wijkondernemer, their work items planned, units delivered with evidence and accepted by the partner, a statement per assignment (JSON, CSV, PDF) and the wijkbedrijf's income. A partner sees units per buurt, never an address."
    },
    {
      "name": "urgency",
      "description": "Urgency indicators for the gemeente (docs/urgency.md): per gemeente, wijk, buurt and CBS 100 m square, k-anonymous sums of released cells."
    },
    {
      "name": "campaigns",
      "description": "Door-to-door campaigns (docs/campaigns.md): a selection of addresses by CQL2 criteria with a live count, cut into turfs in walking order, turfs handed to volunteers, walk lists (JSON and a PDF with a map), visits sent as an operation log with idempotency keys, and the progress per turf and buurt. Outcomes are kept per address only with consent; sensitive answers only as counts."
    },
    {
      "name": "talent",
      "description": "Capacity and talent (docs/work.md): a resident offers what they can do, when and where (with consent to `talent`, withdrawn in one request); the wijkondernemer and communitybuilders of the area see the offers matched to open work nearby and invite; the resident accepts or declines, sees the work under Mijn werk and logs hours, paid or volunteered as the wijkondernemer decides per assignment."
    },
    {
      "name": "admin",
      "description": "Accounts, roles and scopes, custom areas, the audit log and retention. Admins only."
    },
    {
      "name": "web",
      "description": "Pages of the web app (HTML). Its other static files are served under their own paths and are not listed here."
    }
  ]
}"#;
