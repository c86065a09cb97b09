//! Parameters that several operations take (`#/components/parameters/…`).

use crate::openapi::parameter;

parameter! {
    /// `collectionId` (path): A collection; any other id is 404.
    CollectionId = r##"{"$ref": "#/components/parameters/collectionId"}"##
}

parameter! {
    /// `layer` (path): A tileset. `observations` and `do_not_knock` are for staff with per-household rights …
    Layer = r##"{"$ref": "#/components/parameters/layer"}"##
}

parameter! {
    /// `layer` (path): A tileset. `all` holds the register layers, `observations_per_buurt` and `public_space` …
    Tileset = r##"{"$ref": "#/components/parameters/tileset"}"##
}

parameter! {
    /// `X-CSRF-Token` (header): The session's CSRF token (`csrf` of `GET /api/session` or of the sign-in answer). …
    CsrfToken = r##"{"$ref": "#/components/parameters/csrfToken"}"##
}

parameter! {
    /// `id` (path): Account id; not a number is 400.
    UserId = r##"{"$ref": "#/components/parameters/userId"}"##
}

parameter! {
    /// `id` (path): BAG identificatie of an address the caller verified; any other value is 404 (whether it …
    AddressId = r##"{"$ref": "#/components/parameters/addressId"}"##
}

parameter! {
    /// `purpose` (path): The purpose to opt out of; any other value is 400.
    OptOutPurpose = r##"{"$ref": "#/components/parameters/optOutPurpose"}"##
}

parameter! {
    /// `id` (path): Observation id; not a number is 400.
    ObservationId = r##"{"$ref": "#/components/parameters/observationId"}"##
}

parameter! {
    /// `area` (query): A CBS code (`GMgggg`, `WKggggww`, `BUggggwwbb`) of an area in the data; malformed is …
    AreaCode = r##"{"$ref": "#/components/parameters/areaCode"}"##
}

parameter! {
    /// `id` (path): Report id; not a number, or no such report, is 404.
    ReportId = r##"{"$ref": "#/components/parameters/reportId"}"##
}

parameter! {
    /// `name` (path): Name of an observation type; any other is 404.
    TypeName = r##"{"$ref": "#/components/parameters/typeName"}"##
}

parameter! {
    /// `id` (path): BAG identificatie of a pand; malformed or not in the registers is 404.
    BuildingId = r##"{"$ref": "#/components/parameters/buildingId"}"##
}

parameter! {
    /// `Idempotency-Key` (header): Recommended: a key of the client's choosing (e.g. a UUID) that makes a retry safe. A …
    IdempotencyKey = r##"{"$ref": "#/components/parameters/idempotencyKey"}"##
}

parameter! {
    /// `format` (path): `json` or `xml`: the format of the answer, errors included. Another extension is 404 …
    Open311Format = r##"{"$ref": "#/components/parameters/open311Format"}"##
}

parameter! {
    /// `area` (query): CBS code of the area (`GMgggg`, `WKggggww`, `BUggggwwbb`): reports whose buurt lies in …
    ExportArea = r##"{"$ref": "#/components/parameters/exportArea"}"##
}

parameter! {
    /// `type` (query): An observation type; missing or unknown is 400.
    ExportType = r##"{"$ref": "#/components/parameters/exportType"}"##
}

parameter! {
    /// `contact` (query): `true` adds the columns `name`, `email`, `phone`: filled only where the caller may …
    ExportContact = r##"{"$ref": "#/components/parameters/exportContact"}"##
}

/// The shared parameters, for the document's `components.parameters`.
pub(crate) fn components() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "collectionId",
            r##"{
  "name": "collectionId",
  "in": "path",
  "required": true,
  "description": "A collection; any other id is 404.",
  "schema": {"$ref": "#/components/schemas/CollectionId"}
}"##,
        ),
        (
            "layer",
            r##"{
  "name": "layer",
  "in": "path",
  "required": true,
  "description": "A tileset. `observations` and `do_not_knock` are for staff with per-household rights (401 signed out, 403 for others). Earlier names (`meldingen`, `meldingen_per_buurt`, `openbare_ruimte`, `niet_aanbellen`) are answered for one release. Any other name is 404.",
  "schema": {"$ref": "#/components/schemas/TileLayer"}
}"##,
        ),
        (
            "tileset",
            r##"{
  "name": "layer",
  "in": "path",
  "required": true,
  "description": "A tileset. `all` holds the register layers, `observations_per_buurt` and `public_space` for everyone and, for staff with per-household rights, `observations` and (for those who may plan canvassing) `do_not_knock`, features inside their scope only. `do_not_knock` on its own is for staff only. Earlier names (`meldingen`, `meldingen_per_buurt`, `openbare_ruimte`, `niet_aanbellen`) are answered for one release. Any other name is 404.",
  "schema": {"$ref": "#/components/schemas/TileSet"}
}"##,
        ),
        (
            "csrfToken",
            r#"{
  "name": "X-CSRF-Token",
  "in": "header",
  "required": false,
  "description": "The session's CSRF token (`csrf` of `GET /api/session` or of the sign-in answer). Required when the request carries a session cookie; missing or wrong, the answer is 403 `CsrfRejected`.",
  "schema": {"type": "string"}
}"#,
        ),
        (
            "userId",
            r#"{
  "name": "id",
  "in": "path",
  "required": true,
  "description": "Account id; not a number is 400.",
  "schema": {"type": "integer"}
}"#,
        ),
        (
            "addressId",
            r##"{
  "name": "id",
  "in": "path",
  "required": true,
  "description": "BAG identificatie of an address the caller verified; any other value is 404 (whether it exists is private).",
  "schema": {"$ref": "#/components/schemas/BagId"}
}"##,
        ),
        (
            "optOutPurpose",
            r##"{
  "name": "purpose",
  "in": "path",
  "required": true,
  "description": "The purpose to opt out of; any other value is 400.",
  "schema": {"$ref": "#/components/schemas/OptOutPurpose"}
}"##,
        ),
        (
            "observationId",
            r#"{
  "name": "id",
  "in": "path",
  "required": true,
  "description": "Observation id; not a number is 400.",
  "schema": {"type": "integer"}
}"#,
        ),
        (
            "areaCode",
            r##"{
  "name": "area",
  "in": "query",
  "required": true,
  "description": "A CBS code (`GMgggg`, `WKggggww`, `BUggggwwbb`) of an area in the data; malformed is 400, unknown 422.",
  "schema": {"$ref": "#/components/schemas/AreaCode"}
}"##,
        ),
        (
            "reportId",
            r#"{
  "name": "id",
  "in": "path",
  "required": true,
  "description": "Report id; not a number, or no such report, is 404.",
  "schema": {"type": "integer"}
}"#,
        ),
        (
            "typeName",
            r#"{
  "name": "name",
  "in": "path",
  "required": true,
  "description": "Name of an observation type; any other is 404.",
  "schema": {"type": "string", "examples": ["solar_panels"]}
}"#,
        ),
        (
            "buildingId",
            r##"{
  "name": "id",
  "in": "path",
  "required": true,
  "description": "BAG identificatie of a pand; malformed or not in the registers is 404.",
  "schema": {"$ref": "#/components/schemas/BagId"}
}"##,
        ),
        (
            "idempotencyKey",
            r#"{
  "name": "Idempotency-Key",
  "in": "header",
  "required": false,
  "description": "Recommended: a key of the client's choosing (e.g. a UUID) that makes a retry safe. A report sent again with a key its reporter used before is not written twice: the answer is 200 with the report first written. 1 to 128 visible ASCII characters (surrounding spaces are trimmed); any other value is 400 `InvalidParameterValue`.",
  "schema": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[!-~]+$"}
}"#,
        ),
        (
            "open311Format",
            r#"{
  "name": "format",
  "in": "path",
  "required": true,
  "description": "`json` or `xml`: the format of the answer, errors included. Another extension is 404 (in JSON).",
  "schema": {"type": "string", "enum": ["json", "xml"]}
}"#,
        ),
        (
            "exportArea",
            r##"{
  "name": "area",
  "in": "query",
  "required": true,
  "description": "CBS code of the area (`GMgggg`, `WKggggww`, `BUggggwwbb`): reports whose buurt lies in it. Missing or malformed is 400; not in the data 422.",
  "schema": {"$ref": "#/components/schemas/AreaCode"}
}"##,
        ),
        (
            "exportType",
            r#"{
  "name": "type",
  "in": "query",
  "required": true,
  "description": "An observation type; missing or unknown is 400.",
  "schema": {"type": "string", "examples": ["solar_panels"]}
}"#,
        ),
        (
            "exportContact",
            r#"{
  "name": "contact",
  "in": "query",
  "required": false,
  "description": "`true` adds the columns `name`, `email`, `phone`: filled only where the caller may contact the reporter (admin; a wijkondernemer in scope when the reporter consented to `contact`) and the report's address did not opt out of contact or canvassing; empty otherwise. Another value than `true` or `false` is 400.",
  "schema": {"type": "string", "enum": ["true", "false"], "default": "false"}
}"#,
        ),
    ]
}
