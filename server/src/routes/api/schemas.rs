//! The schemas and parameters of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::{parameter, schema};

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
