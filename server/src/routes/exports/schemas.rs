//! The schemas of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::schema;

schema! {
    /// ExportFeature
    ExportFeature [crate::openapi::shared::BagId, crate::routes::auth::schemas::DateTime, crate::routes::observations::schemas::Point, crate::routes::observations::schemas::ReportSource] = r##"{
  "type": "object",
  "required": ["type", "id", "geometry", "properties"],
  "properties": {
    "type": {"const": "Feature"},
    "id": {"type": "integer", "description": "The report id."},
    "geometry": {"$ref": "#/components/schemas/Point"},
    "properties": {
      "type": "object",
      "required": [
        "id",
        "type",
        "type_version",
        "status",
        "status_class",
        "observed_at",
        "created_at",
        "source",
        "pand",
        "verblijfsobject",
        "straat",
        "huisnummer",
        "postcode",
        "woonplaats",
        "buurt",
        "confirmations",
        "answers"
      ],
      "properties": {
        "id": {"type": "integer"},
        "type": {"type": "string"},
        "type_version": {"type": "integer", "minimum": 1},
        "status": {"type": "string", "enum": ["new", "confirmed", "resolved", "rejected"]},
        "status_class": {"type": "string"},
        "observed_at": {"$ref": "#/components/schemas/DateTime"},
        "created_at": {"$ref": "#/components/schemas/DateTime"},
        "source": {"$ref": "#/components/schemas/ReportSource"},
        "pand": {"oneOf": [{"$ref": "#/components/schemas/BagId"}, {"type": "null"}]},
        "verblijfsobject": {"oneOf": [{"$ref": "#/components/schemas/BagId"}, {"type": "null"}]},
        "straat": {
          "type": ["string", "null"],
          "description": "The street of the address the report is about (for a report about a building, its first address); null for a spot."
        },
        "huisnummer": {
          "type": ["string", "null"],
          "description": "The house number with its letter and addition, as on the door (`12A-2`); null for a spot."
        },
        "postcode": {
          "type": ["string", "null"],
          "description": "The postcode of that address (`1234AB`); null for a spot or an address without one."
        },
        "woonplaats": {
          "type": ["string", "null"],
          "description": "The place (woonplaats) of that address; null for a spot."
        },
        "buurt": {"type": ["string", "null"]},
        "confirmations": {"type": "integer", "minimum": 0},
        "answers": {"description": "The answers (JSON)."},
        "name": {"type": ["string", "null"]},
        "email": {"type": ["string", "null"]},
        "phone": {"type": ["string", "null"]}
      },
      "additionalProperties": false
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// ExportFeatureCollection
    ExportFeatureCollection [ExportFeature] = r##"{
  "type": "object",
  "required": ["type", "features"],
  "properties": {
    "type": {"const": "FeatureCollection"},
    "features": {"type": "array", "items": {"$ref": "#/components/schemas/ExportFeature"}}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `exportReportsCsv` (200, `text/csv`).
    ExportReportsCsv200 = r#"{
  "type": "string",
  "description": "RFC 4180 with a UTF-8 byte order mark and CRLF line ends; columns `id,type,type_version,status,status_class,observed_at,created_at,source,pand,verblijfsobject,straat,huisnummer,postcode,woonplaats,buurt,lon,lat,confirmations,answers` (`straat`, `huisnummer` with its letter and addition such as `12A-2`, `postcode` and `woonplaats` name the address the report is about — for a report about a building its first address — and are empty for a spot; `answers` as JSON), then `name,email,phone` with `contact=true`. Text starting with `= + - @`, a tab or a CR is prefixed with `'` (no spreadsheet formulas)."
}"#
}

schema! {
    /// The body of `exportReportsGpkg` (200, `application/geopackage+sqlite3`).
    ExportReportsGpkg200 = r#"{
  "type": "string",
  "format": "binary",
  "description": "A GeoPackage with the layer `meldingen`: EPSG:4326 points and the columns of the CSV but `lon`/`lat`."
}"#
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<ExportFeature>(out);
    crate::openapi::collect::<ExportFeatureCollection>(out);
}
