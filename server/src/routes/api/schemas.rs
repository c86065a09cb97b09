//! The schemas and parameters of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::{parameter, schema};

schema! {
    /// Health
    Health = r#"{
  "type": "object",
  "required": ["status", "buildings", "addresses", "areas"],
  "properties": {
    "status": {"type": "string", "const": "ok"},
    "buildings": {
      "type": "integer",
      "minimum": 0,
      "description": "Buildings (panden) in the serving model."
    },
    "addresses": {"type": "integer", "minimum": 0},
    "areas": {
      "type": "integer",
      "minimum": 0,
      "description": "CBS areas (buurten, wijken, gemeenten)."
    }
  }
}"#
}

schema! {
    /// SearchResponse
    SearchResponse [SearchResult] = r##"{
  "type": "object",
  "required": ["results"],
  "properties": {
    "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchResult"}}
  }
}"##
}

schema! {
    /// SearchResult
    SearchResult [crate::openapi::shared::BagId] = r##"{
  "type": "object",
  "required": ["identificatie", "label", "pand_identificatie", "lon", "lat"],
  "properties": {
    "identificatie": {"$ref": "#/components/schemas/BagId"},
    "label": {
      "type": "string",
      "description": "The address on one line: `Dorpsstraat 12A-2, 1234AB Plaats`.",
      "examples": ["Dorpsstraat 12A-2, 1234AB Plaats"]
    },
    "pand_identificatie": {
      "description": "The building the address lies in (the first if several); null when none.",
      "oneOf": [{"$ref": "#/components/schemas/BagId"}, {"type": "null"}]
    },
    "lon": {"type": "number", "minimum": -180, "maximum": 180},
    "lat": {"type": "number", "minimum": -90, "maximum": 90}
  }
}"##
}

schema! {
    /// The body of `openapi` (200, `application/vnd.oai.openapi+json;version=3.1`).
    Openapi200 = r#"{
  "type": "object",
  "required": ["openapi", "info", "paths"],
  "properties": {
    "openapi": {"type": "string"},
    "info": {"type": "object"},
    "paths": {"type": "object"}
  }
}"#
}

parameter! {
    /// The parameter `q` of `searchAddresses`.
    SearchAddressesQParam = r#"{
  "name": "q",
  "in": "query",
  "required": true,
  "description": "The text to search for, e.g. `Dorpsstraat 12` or `1234AB`.",
  "schema": {"type": "string", "maxLength": 200}
}"#
}

parameter! {
    /// The parameter `limit` of `searchAddresses`.
    SearchAddressesLimitParam = r#"{
  "name": "limit",
  "in": "query",
  "required": false,
  "description": "The most results to return (1 to 50).",
  "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}
}"#
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<Health>(out);
    crate::openapi::collect::<SearchResponse>(out);
    crate::openapi::collect::<SearchResult>(out);
}
