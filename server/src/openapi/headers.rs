//! Response headers that several operations send (`#/components/headers/…`).

use crate::openapi::header;

header! {
    /// `ETag`: Entity tag of the response body.
    ETag = r##"{"$ref": "#/components/headers/ETag"}"##
}

header! {
    /// `CacheControl`: Caching policy.
    CacheControl = r##"{"$ref": "#/components/headers/CacheControl"}"##
}

header! {
    /// `RetryAfter`: Seconds to wait before trying again.
    RetryAfter = r##"{"$ref": "#/components/headers/RetryAfter"}"##
}

header! {
    /// `SetSessionCookie`: The new session: `wijkwerk_session=…; Path=/; HttpOnly; SameSite=Strict; Max-Age=…` …
    SetSessionCookie = r##"{"$ref": "#/components/headers/SetSessionCookie"}"##
}

header! {
    /// `ClearSessionCookie`: `wijkwerk_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`: the cookie is removed.
    ClearSessionCookie = r##"{"$ref": "#/components/headers/ClearSessionCookie"}"##
}

header! {
    /// `ContentDisposition`: `attachment; filename="brieven-{area}.pdf"` (or `.csv`).
    ContentDisposition = r##"{"$ref": "#/components/headers/ContentDisposition"}"##
}

header! {
    /// `NoStore`: `no-store`: the answer holds personal or session data.
    NoStore = r##"{"$ref": "#/components/headers/NoStore"}"##
}

header! {
    /// `ReportLocation`: `/api/observations/{id}` of the report.
    ReportLocation = r##"{"$ref": "#/components/headers/ReportLocation"}"##
}

header! {
    /// `PhotoCacheControl`: `public, max-age=3600` for a photo of public space; `private, no-store` for one of a …
    PhotoCacheControl = r##"{"$ref": "#/components/headers/PhotoCacheControl"}"##
}

header! {
    /// `Open311Location`: `/open311/v2/requests/{service_request_id}.{format}` of the request.
    Open311Location = r##"{"$ref": "#/components/headers/Open311Location"}"##
}

header! {
    /// `ExportDisposition`: `attachment; filename="meldingen-{type}-{area}.{csv|geojson|gpkg}"`.
    ExportDisposition = r##"{"$ref": "#/components/headers/ExportDisposition"}"##
}

/// The shared headers, for the document's `components.headers`.
pub(crate) fn components() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "ETag",
            r#"{"description": "Entity tag of the response body.", "schema": {"type": "string"}}"#,
        ),
        (
            "CacheControl",
            r#"{"description": "Caching policy.", "schema": {"type": "string"}}"#,
        ),
        (
            "RetryAfter",
            r#"{
  "description": "Seconds to wait before trying again.",
  "required": true,
  "schema": {"type": "integer", "minimum": 1}
}"#,
        ),
        (
            "SetSessionCookie",
            r#"{
  "description": "The new session: `wijkwerk_session=…; Path=/; HttpOnly; SameSite=Strict; Max-Age=…` (with `Secure` unless served over plain HTTP on loopback).",
  "required": true,
  "schema": {"type": "string", "pattern": "^wijkwerk_session=[^;]+;"}
}"#,
        ),
        (
            "ClearSessionCookie",
            r#"{
  "description": "`wijkwerk_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`: the cookie is removed.",
  "required": true,
  "schema": {"type": "string", "pattern": "^wijkwerk_session=;.*Max-Age=0"}
}"#,
        ),
        (
            "ContentDisposition",
            r#"{
  "description": "`attachment; filename=\"brieven-{area}.pdf\"` (or `.csv`).",
  "required": true,
  "schema": {
    "type": "string",
    "pattern": "^attachment; filename=\"brieven-[A-Z0-9]+\\.(pdf|csv)\"$"
  }
}"#,
        ),
        (
            "NoStore",
            r#"{
  "description": "`no-store`: the answer holds personal or session data.",
  "required": true,
  "schema": {"type": "string", "const": "no-store"}
}"#,
        ),
        (
            "ReportLocation",
            r#"{
  "description": "`/api/observations/{id}` of the report.",
  "required": true,
  "schema": {"type": "string", "pattern": "^/api/observations/[0-9]+$"}
}"#,
        ),
        (
            "PhotoCacheControl",
            r#"{
  "description": "`public, max-age=3600` for a photo of public space; `private, no-store` for one of a report about a home.",
  "required": true,
  "schema": {"type": "string", "enum": ["public, max-age=3600", "private, no-store"]}
}"#,
        ),
        (
            "Open311Location",
            r#"{
  "description": "`/open311/v2/requests/{service_request_id}.{format}` of the request.",
  "required": true,
  "schema": {"type": "string", "pattern": "^/open311/v2/requests/[0-9]+\\.(json|xml)$"}
}"#,
        ),
        (
            "ExportDisposition",
            r#"{
  "description": "`attachment; filename=\"meldingen-{type}-{area}.{csv|geojson|gpkg}\"`.",
  "required": true,
  "schema": {
    "type": "string",
    "pattern": "^attachment; filename=\"meldingen-[a-z_]+-[A-Z0-9]+\\.(csv|geojson|gpkg)\"$"
  }
}"#,
        ),
    ]
}
