//! The schemas, headers and parameters of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::{header, parameter, schema};

schema! {
    /// VectorLayer
    VectorLayer = r#"{
  "type": "object",
  "required": ["id", "fields"],
  "properties": {
    "id": {
      "type": "string",
      "description": "MVT layer name: `buildings`, `addresses`, `areas`, or an overlay: `observations_per_buurt`, `public_space`, `observations`, `do_not_knock`."
    },
    "description": {"type": "string"},
    "minzoom": {"type": "integer", "minimum": 0},
    "maxzoom": {"type": "integer", "minimum": 0},
    "fields": {
      "type": "object",
      "description": "Attribute name → type or description.",
      "additionalProperties": {"type": "string"}
    }
  }
}"#
}

schema! {
    /// TileJson
    TileJson [crate::routes::staff::schemas::Bbox, VectorLayer] = r##"{
  "type": "object",
  "required": ["tilejson", "tiles", "vector_layers"],
  "properties": {
    "tilejson": {"type": "string", "const": "3.0.0"},
    "name": {"type": "string"},
    "description": {"type": "string"},
    "attribution": {"type": "string"},
    "scheme": {"type": "string", "const": "xyz"},
    "tiles": {"type": "array", "minItems": 1, "items": {"type": "string"}},
    "minzoom": {"type": "integer", "minimum": 0},
    "maxzoom": {"type": "integer", "minimum": 0},
    "bounds": {"$ref": "#/components/schemas/Bbox"},
    "center": {
      "type": "array",
      "description": "`[lon, lat, zoom]`.",
      "minItems": 2,
      "maxItems": 3,
      "items": {"type": "number"}
    },
    "vector_layers": {"type": "array", "items": {"$ref": "#/components/schemas/VectorLayer"}}
  }
}"##
}

schema! {
    /// A MapLibre style (https://maplibre.org/maplibre-style-spec/); only the parts wijkwerk …
    Style = r#"{
  "type": "object",
  "description": "A MapLibre style (https://maplibre.org/maplibre-style-spec/); only the parts wijkwerk promises are described.",
  "required": ["version", "sources", "layers"],
  "properties": {
    "version": {"type": "integer", "const": 8},
    "name": {"type": "string"},
    "glyphs": {"type": "string"},
    "sources": {
      "type": "object",
      "required": ["wijkwerk"],
      "properties": {
        "wijkwerk": {
          "type": "object",
          "required": ["type", "url"],
          "properties": {"type": {"type": "string", "const": "vector"}, "url": {"type": "string"}}
        }
      },
      "additionalProperties": {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"type": "string"}}
      }
    },
    "layers": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["id", "type"],
        "properties": {
          "id": {"type": "string"},
          "type": {"type": "string"},
          "source": {"type": "string"},
          "source-layer": {"type": "string"}
        }
      }
    },
    "metadata": {"type": "object"},
    "center": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    "zoom": {"type": "number"}
  }
}"#
}

header! {
    /// The `Cache-Control` header of `tileJson` (200).
    TileJson200CacheControl = r#"{
  "description": "`no-cache`; `private, no-cache` for staff with per-household rights.",
  "required": true,
  "schema": {"type": "string", "enum": ["no-cache", "private, no-cache"]}
}"#
}

parameter! {
    /// The parameter `z` of `tile`.
    TileZParam = r#"{
  "name": "z",
  "in": "path",
  "required": true,
  "schema": {"type": "integer", "minimum": 0, "maximum": 24}
}"#
}

parameter! {
    /// The parameter `x` of `tile`.
    TileXParam = r#"{
  "name": "x",
  "in": "path",
  "required": true,
  "description": "Column, 0 ≤ x < 2^z.",
  "schema": {"type": "integer", "minimum": 0}
}"#
}

parameter! {
    /// The parameter `y` of `tile`.
    TileYParam = r#"{
  "name": "y",
  "in": "path",
  "required": true,
  "description": "Row, 0 ≤ y < 2^z, from the north.",
  "schema": {"type": "integer", "minimum": 0}
}"#
}

parameter! {
    /// The parameter `If-None-Match` of `tile`.
    TileIfNoneMatchParam = r#"{
  "name": "If-None-Match",
  "in": "header",
  "required": false,
  "description": "An `ETag` from an earlier response; a match answers 304.",
  "schema": {"type": "string"}
}"#
}

schema! {
    /// The body of `tile` (200, `application/vnd.mapbox-vector-tile`).
    Tile200 = r#"{"type": "string", "format": "binary"}"#
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<VectorLayer>(out);
    crate::openapi::collect::<TileJson>(out);
    crate::openapi::collect::<Style>(out);
}
