//! More of the schemas of these operations (split for length).

use crate::openapi::{header, parameter, schema};

schema! {
    /// PhotoCreated
    PhotoCreated = r#"{
  "type": "object",
  "required": ["id", "url", "width", "height"],
  "properties": {
    "id": {"type": "integer"},
    "url": {"type": "string", "pattern": "^/api/photos/[0-9]+\\.jpg$"},
    "width": {"type": "integer", "minimum": 1, "maximum": 1600},
    "height": {"type": "integer", "minimum": 1, "maximum": 1600}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// ModerationRequest
    ModerationRequest = r#"{
  "type": "object",
  "required": ["action"],
  "properties": {
    "action": {
      "type": "string",
      "enum": ["hide", "unhide", "resolve", "reject", "release"],
      "description": "`hide` → status `hidden`, `unhide` → `new`, `resolve` → `resolved`, `reject` → `rejected`; `release` lets others read free text held for review (409 when none is held); another value is 422."
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// MergeRequest
    MergeRequest = r#"{
  "type": "object",
  "required": ["into"],
  "properties": {
    "into": {
      "type": "integer",
      "description": "Another report of the same type; it absorbs this one (its reporter and confirmers become confirmations)."
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// SplitRequest
    SplitRequest = r#"{
  "type": "object",
  "required": ["answers"],
  "properties": {
    "answers": {
      "type": "object",
      "description": "Answers of the new report, valid against the schema of the report's type version."
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// A new report (or, on a retry with the same `Idempotency-Key`, the report first written).
    CreatedReport [super::ReportFields] = r##"{
  "description": "A new report (or, on a retry with the same `Idempotency-Key`, the report first written).",
  "allOf": [
    {"$ref": "#/components/schemas/ReportFields"},
    {"type": "object", "required": ["outcome"], "properties": {"outcome": {"const": "created"}}}
  ],
  "unevaluatedProperties": false
}"##
}

schema! {
    /// The report repeated an open report of another reporter about the same building or …
    ConfirmedInstead = r#"{
  "type": "object",
  "description": "The report repeated an open report of another reporter about the same building or address (same street-visible type, same answer class, no free text): it was stored as a confirmation of that report. Nothing else of that report is told.",
  "required": ["outcome", "id", "type", "status_class", "confirmations"],
  "properties": {
    "outcome": {"const": "confirmed"},
    "id": {
      "type": "integer",
      "description": "The report confirmed (readable only by those who may see it)."
    },
    "type": {"type": "string"},
    "status_class": {"type": "string"},
    "confirmations": {"type": "integer", "minimum": 0}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `createReport` (200, `application/json`).
    CreateReport200 [ConfirmedInstead, CreatedReport] = r##"{
  "oneOf": [
    {"$ref": "#/components/schemas/CreatedReport"},
    {"$ref": "#/components/schemas/ConfirmedInstead"}
  ]
}"##
}

header! {
    /// The `Location` header of `createReport` (200).
    CreateReport200Location = r#"{
  "description": "For a retry: the path of the report first written. Absent when the report was counted as a confirmation.",
  "required": false,
  "schema": {"type": "string"}
}"#
}

parameter! {
    /// The parameter `type` of `similarReport`.
    SimilarReportTypeParam = r#"{
  "name": "type",
  "in": "query",
  "required": true,
  "description": "A street-visible observation type; missing, unknown or not street-visible is 400.",
  "schema": {"type": "string"}
}"#
}

parameter! {
    /// The parameter `building` of `similarReport`.
    SimilarReportBuildingParam = r##"{
  "name": "building",
  "in": "query",
  "required": false,
  "description": "BAG identificatie of a pand.",
  "schema": {"$ref": "#/components/schemas/BagId"}
}"##
}

parameter! {
    /// The parameter `address` of `similarReport`.
    SimilarReportAddressParam = r##"{
  "name": "address",
  "in": "query",
  "required": false,
  "description": "BAG identificatie of a verblijfsobject.",
  "schema": {"$ref": "#/components/schemas/BagId"}
}"##
}

parameter! {
    /// The parameter `lon` of `similarReport`.
    SimilarReportLonParam = r#"{
  "name": "lon",
  "in": "query",
  "required": false,
  "description": "WGS84 longitude of a public-space point (with `lat`).",
  "schema": {"type": "number", "minimum": -180, "maximum": 180}
}"#
}

parameter! {
    /// The parameter `lat` of `similarReport`.
    SimilarReportLatParam = r#"{
  "name": "lat",
  "in": "query",
  "required": false,
  "description": "WGS84 latitude of a public-space point (with `lon`).",
  "schema": {"type": "number", "minimum": -85, "maximum": 85}
}"#
}

header! {
    /// The `Cache-Control` header of `getReport` (200).
    GetReport200CacheControl = r#"{
  "description": "`no-store` for a report about a home; absent for one about public space.",
  "schema": {"type": "string", "const": "no-store"}
}"#
}

schema! {
    /// The body of `addReportPhoto` (request, `image/jpeg`).
    AddReportPhotoBodyJpeg = r#"{"type": "string", "format": "binary"}"#
}

schema! {
    /// The body of `addReportPhoto` (request, `image/png`).
    AddReportPhotoBodyPng = r#"{"type": "string", "format": "binary"}"#
}

parameter! {
    /// The parameter `id` of `getPhoto`.
    GetPhotoIdParam = r#"{
  "name": "id",
  "in": "path",
  "required": true,
  "description": "Photo id; not a number, no such photo, or a photo of a report the caller may not see is 404.",
  "schema": {"type": "integer"}
}"#
}

schema! {
    /// The body of `getPhoto` (200, `image/jpeg`).
    GetPhoto200 = r#"{"type": "string", "format": "binary"}"#
}

parameter! {
    /// The parameter `area` of `moderationQueue`.
    ModerationQueueAreaParam = r#"{
  "name": "area",
  "in": "query",
  "required": false,
  "description": "A CBS code (GMgggg, WKggggww or BUggggwwbb): only reports in that area. Malformed is 400, unknown 422.",
  "schema": {"type": "string"}
}"#
}
