//! The schemas and parameters of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::{parameter, schema};

schema! {
    /// `\[minLon, minLat, maxLon, maxLat\]`, WGS84.
    Bbox = r#"{
  "type": "array",
  "description": "`[minLon, minLat, maxLon, maxLat]`, WGS84.",
  "minItems": 4,
  "maxItems": 4,
  "items": {"type": "number"}
}"#
}

schema! {
    /// AreaKind
    AreaKind = r#"{"type": "string", "enum": ["buurt", "wijk", "gemeente"]}"#
}

schema! {
    /// Why data is processed (AVG/GDPR purpose limitation).
    Purpose = r#"{
  "type": "string",
  "description": "Why data is processed (AVG/GDPR purpose limitation).",
  "enum": ["map", "canvassing", "contact", "export", "research", "self_service", "administration"]
}"#
}

schema! {
    /// A CBS area for pickers.
    AreaSummary [crate::openapi::shared::AreaCode, AreaKind] = r##"{
  "type": "object",
  "description": "A CBS area for pickers.",
  "required": ["code", "name", "kind"],
  "properties": {
    "code": {"$ref": "#/components/schemas/AreaCode"},
    "name": {"type": "string"},
    "kind": {"$ref": "#/components/schemas/AreaKind"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// OptOutList
    OptOutList [crate::openapi::shared::AreaCode, crate::openapi::shared::BagId, Purpose] = r##"{
  "type": "object",
  "required": ["area", "purpose", "addresses"],
  "properties": {
    "area": {"$ref": "#/components/schemas/AreaCode"},
    "purpose": {"$ref": "#/components/schemas/Purpose"},
    "addresses": {
      "type": "array",
      "description": "Ids of the opted-out addresses in the area, ascending.",
      "items": {"$ref": "#/components/schemas/BagId"}
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// A released cell: counts rounded to `round_to`, or `suppressed` (fewer than k addresses …
    AggregateCell = r#"{
  "description": "A released cell: counts rounded to `round_to`, or `suppressed` (fewer than k addresses or reporters) with no counts.",
  "oneOf": [
    {
      "type": "object",
      "required": ["state", "records", "addresses"],
      "properties": {
        "state": {"type": "string", "const": "shown"},
        "records": {"type": "integer", "minimum": 0},
        "addresses": {"type": "integer", "minimum": 0}
      }
    },
    {
      "type": "object",
      "required": ["state"],
      "properties": {"state": {"type": "string", "const": "suppressed"}},
      "not": {"anyOf": [{"required": ["records"]}, {"required": ["addresses"]}]}
    }
  ]
}"#
}

schema! {
    /// Sums of the released cells; suppressed cells add nothing.
    AggregateTotal = r#"{
  "type": "object",
  "description": "Sums of the released cells; suppressed cells add nothing.",
  "required": ["records", "addresses", "cells_shown", "cells_suppressed"],
  "properties": {
    "records": {"type": "integer", "minimum": 0},
    "addresses": {"type": "integer", "minimum": 0},
    "cells_shown": {"type": "integer", "minimum": 0},
    "cells_suppressed": {"type": "integer", "minimum": 0}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// BuurtAggregates
    BuurtAggregates [AggregateCell, AggregateTotal, crate::openapi::shared::AreaCode] = r##"{
  "type": "object",
  "required": ["type", "level", "k", "round_to", "area", "cells", "total"],
  "properties": {
    "type": {"type": "string", "description": "The observation type asked for."},
    "level": {"type": "string", "const": "buurt"},
    "k": {
      "type": "integer",
      "minimum": 1,
      "description": "Minimum distinct addresses and reporters per released cell."
    },
    "round_to": {"type": "integer", "minimum": 1},
    "area": {"oneOf": [{"$ref": "#/components/schemas/AreaCode"}, {"type": "null"}]},
    "cells": {
      "type": "array",
      "items": {
        "allOf": [
          {"$ref": "#/components/schemas/AggregateCell"},
          {
            "type": "object",
            "required": ["buurt"],
            "properties": {
              "buurt": {"type": "string", "description": "CBS buurt code."},
              "answers": {
                "description": "On a shown cell: its counts split by answer (status class, e.g. `panels_seen`, `no_panels`, `unknown`), when every answer given in it has k addresses and k reporters behind it (else a withheld answer would follow from the total minus the others); null otherwise. A suppressed cell has none.",
                "oneOf": [
                  {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/AggregateCell"}},
                  {"type": "null"}
                ]
              }
            }
          }
        ]
      }
    },
    "total": {"$ref": "#/components/schemas/AggregateTotal"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// GridAggregates
    GridAggregates [AggregateCell, AggregateTotal, crate::openapi::shared::AreaCode, Bbox] = r##"{
  "type": "object",
  "required": ["type", "level", "cell_m", "k", "round_to", "area", "cells", "total"],
  "properties": {
    "type": {"type": "string", "description": "The observation type asked for."},
    "level": {"type": "string", "const": "grid"},
    "cell_m": {
      "type": "integer",
      "minimum": 1,
      "description": "The actual cell size in metres on the ground (Web Mercator cells near the asked size)."
    },
    "k": {
      "type": "integer",
      "minimum": 1,
      "description": "Minimum distinct addresses and reporters per released cell."
    },
    "round_to": {"type": "integer", "minimum": 1},
    "area": {"oneOf": [{"$ref": "#/components/schemas/AreaCode"}, {"type": "null"}]},
    "cells": {
      "type": "array",
      "items": {
        "allOf": [
          {"$ref": "#/components/schemas/AggregateCell"},
          {
            "type": "object",
            "required": ["cell", "bbox"],
            "properties": {
              "cell": {
                "type": "string",
                "description": "`{cell_m}_{column}_{row}`.",
                "pattern": "^[0-9]+_-?[0-9]+_-?[0-9]+$"
              },
              "bbox": {"$ref": "#/components/schemas/Bbox"}
            }
          }
        ]
      }
    },
    "total": {"$ref": "#/components/schemas/AggregateTotal"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// Who reported an observation and how to reach them.
    ReporterContact = r#"{
  "type": "object",
  "description": "Who reported an observation and how to reach them.",
  "required": ["observation_id", "reporter", "consented_to_contact", "name", "email", "phone"],
  "properties": {
    "observation_id": {"type": "integer"},
    "reporter": {"type": "integer", "description": "Pseudonymous reporter id."},
    "consented_to_contact": {"type": "boolean"},
    "name": {"type": ["string", "null"]},
    "email": {"type": ["string", "null"]},
    "phone": {"type": ["string", "null"]}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// LettersRequest
    LettersRequest = r#"{
  "type": "object",
  "required": ["area", "format"],
  "properties": {
    "area": {
      "type": "string",
      "description": "CBS code of an area in the data; malformed is 400, unknown or without addresses 422."
    },
    "format": {"type": "string", "enum": ["pdf", "csv"], "description": "Another value is 400."}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `makeLetters` (200, `application/pdf`).
    MakeLetters200Pdf = r#"{"type": "string", "format": "binary"}"#
}

parameter! {
    /// The parameter `purpose` of `listOptOuts`.
    ListOptOutsPurposeParam = r##"{
  "name": "purpose",
  "in": "query",
  "required": false,
  "description": "The purpose opted out of.",
  "schema": {"allOf": [{"$ref": "#/components/schemas/Purpose"}], "default": "canvassing"}
}"##
}

parameter! {
    /// The parameter `type` of `aggregateObservations`.
    AggregateObservationsTypeParam = r#"{
  "name": "type",
  "in": "query",
  "required": true,
  "description": "Observation type: lower-case letters and `_`, up to 64.",
  "schema": {"type": "string", "pattern": "^[a-z_]{1,64}$"}
}"#
}

parameter! {
    /// The parameter `level` of `aggregateObservations`.
    AggregateObservationsLevelParam = r#"{
  "name": "level",
  "in": "query",
  "required": false,
  "schema": {"type": "string", "enum": ["buurt", "grid"], "default": "buurt"}
}"#
}

parameter! {
    /// The parameter `area` of `aggregateObservations`.
    AggregateObservationsAreaParam = r##"{
  "name": "area",
  "in": "query",
  "required": false,
  "description": "Only cells in this CBS area.",
  "schema": {"$ref": "#/components/schemas/AreaCode"}
}"##
}

parameter! {
    /// The parameter `cell_m` of `aggregateObservations`.
    AggregateObservationsCellMParam = r#"{
  "name": "cell_m",
  "in": "query",
  "required": false,
  "description": "Grid cell size in metres (level `grid`).",
  "schema": {"type": "integer", "minimum": 100, "maximum": 5000, "default": 250}
}"#
}

schema! {
    /// The body of `aggregateObservations` (200, `application/json`).
    AggregateObservations200 [BuurtAggregates, GridAggregates] = r##"{
  "oneOf": [
    {"$ref": "#/components/schemas/BuurtAggregates"},
    {"$ref": "#/components/schemas/GridAggregates"}
  ]
}"##
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<Bbox>(out);
    crate::openapi::collect::<AreaKind>(out);
    crate::openapi::collect::<Purpose>(out);
    crate::openapi::collect::<AreaSummary>(out);
    crate::openapi::collect::<OptOutList>(out);
    crate::openapi::collect::<AggregateCell>(out);
    crate::openapi::collect::<AggregateTotal>(out);
    crate::openapi::collect::<BuurtAggregates>(out);
    crate::openapi::collect::<GridAggregates>(out);
    crate::openapi::collect::<ReporterContact>(out);
    crate::openapi::collect::<LettersRequest>(out);
}
