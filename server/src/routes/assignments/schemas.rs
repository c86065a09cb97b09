//! The schemas and parameters of the assignment operations in the OpenAPI document.

use crate::openapi::{parameter, schema};

schema! {
    /// Where an assignment stands.
    AssignmentStatus = r#"{
  "type": "string",
  "description": "Where an assignment stands: offered by the partner; changes proposed by the wijkbedrijf; accepted (its work items planned); declined; withdrawn by the partner; completed.",
  "enum": ["offered", "changes_proposed", "accepted", "declined", "withdrawn", "completed"]
}"#
}

schema! {
    /// An assignment as it stands.
    Assignment [AssignmentStatus] = r##"{
  "type": "object",
  "description": "An assignment (opdracht) a partner offered: its terms, status and units. Amounts in euro.",
  "required": ["id", "organisation", "title", "kind", "area", "area_name", "criteria", "units", "fee_per_unit", "budget", "deadline", "delivered_when", "status", "offered_at", "updated_at", "helpers_paid", "planned", "delivered", "accepted", "rejected", "earned"],
  "properties": {
    "id": {"type": "integer"},
    "organisation": {"type": "string", "description": "The partner's organisation."},
    "title": {"type": "string"},
    "kind": {"type": "string", "description": "A work kind (`listWorkKinds`)."},
    "area": {"type": "string", "description": "CBS code."},
    "area_name": {"type": ["string", "null"]},
    "criteria": {"type": "string", "description": "CQL2 text over open-data fields; empty for all."},
    "units": {"type": "integer", "minimum": 1},
    "fee_per_unit": {"type": "number", "minimum": 0},
    "budget": {"type": ["number", "null"], "minimum": 0},
    "deadline": {"type": "string", "format": "date"},
    "delivered_when": {"type": "string"},
    "status": {"$ref": "#/components/schemas/AssignmentStatus"},
    "offered_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"},
    "helpers_paid": {"type": "boolean", "description": "Residents' hours on it are paid from its fee (else volunteered), as the wijkondernemer decided."},
    "planned": {"type": "integer", "minimum": 0},
    "delivered": {"type": "integer", "minimum": 0},
    "accepted": {"type": "integer", "minimum": 0},
    "rejected": {"type": "integer", "minimum": 0},
    "earned": {"type": "number", "minimum": 0, "description": "Accepted units × fee, capped by the budget."}
  }
}"##
}

schema! {
    /// The body of `listAssignments` (200).
    AssignmentList [Assignment, AssignmentStatus] = r##"{
  "type": "object",
  "required": ["assignments", "statuses"],
  "properties": {
    "assignments": {"type": "array", "items": {"$ref": "#/components/schemas/Assignment"}},
    "statuses": {"type": "array", "items": {"$ref": "#/components/schemas/AssignmentStatus"}}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `previewAssignment` (200).
    AssignmentPreview = r#"{
  "type": "object",
  "description": "What a selection holds now, and where. `targets`: buildings or addresses in the area whose open data meet the criteria (null for work in public space). With `exact`: the work items of the selection, open, left out because the household opted out, and the open size; `map` has a point per open item. Without: the work items of the kind in the whole area, k-anonymous and rounded (`area_work`); `map` has the open-data selection in k-anonymous cells.",
  "required": ["exact", "targets", "map"],
  "properties": {
    "exact": {"type": "boolean"},
    "targets": {"type": ["integer", "null"], "minimum": 0},
    "items": {"type": "integer", "minimum": 0},
    "open": {"type": "integer", "minimum": 0},
    "opted_out": {"type": "integer", "minimum": 0},
    "open_size": {"type": "number"},
    "area_work": {
      "type": "object",
      "required": ["suppressed"],
      "properties": {"suppressed": {"type": "boolean"}, "items": {"type": "integer", "minimum": 0}},
      "additionalProperties": false
    },
    "map": {
      "description": "Where the selection lies, for the map beside the offer form: points for those who may see the work items (`exact`), cells for everyone else.",
      "oneOf": [
        {
          "type": "object",
          "title": "AssignmentPreviewPoints",
          "required": ["kind", "points"],
          "properties": {
            "kind": {"type": "string", "const": "points"},
            "points": {"type": "array", "maxItems": 20000, "description": "Where the open work items of the selection are, WGS84 [lon, lat], in the order an acceptance plans them (the first 20,000).", "items": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}}
          },
          "additionalProperties": false
        },
        {
          "type": "object",
          "title": "AssignmentPreviewCells",
          "required": ["kind", "level", "k", "round_to", "cells"],
          "properties": {
            "kind": {"type": "string", "const": "cells"},
            "level": {"type": "string", "enum": ["grid100", "h3-9", "h3-8"], "description": "The fixed partition, chosen by the kind of area alone: CBS 100 m squares in a buurt, H3 resolution 9 in a wijk, 8 in a gemeente (the urgency map's levels)."},
            "k": {"type": "integer", "minimum": 1, "description": "A cell is listed only with at least this many households behind its targets (a tree counts as one)."},
            "round_to": {"type": "integer", "minimum": 1, "description": "Counts are rounded to the nearest multiple of this, never below it."},
            "cells": {"type": "array", "description": "The listed cells; a cell under k is left out without a trace.", "items": {
              "type": "object",
              "required": ["count", "outline"],
              "properties": {
                "count": {"type": "integer", "minimum": 1, "description": "The buildings, addresses or trees of the selection in the cell, rounded."},
                "outline": {"type": "array", "minItems": 4, "description": "The cell's outline, a closed ring of WGS84 [lon, lat].", "items": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}}
              },
              "additionalProperties": false
            }}
          },
          "additionalProperties": false
        }
      ]
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// A delivered unit as the partner sees it: per buurt, no address.
    DeliverySummary = r#"{
  "type": "object",
  "required": ["id", "buurt", "buurt_name", "at", "evidence", "status"],
  "properties": {
    "id": {"type": "integer"},
    "buurt": {"type": "string"},
    "buurt_name": {"type": ["string", "null"]},
    "at": {"type": "string", "format": "date-time"},
    "evidence": {"type": "string", "enum": ["report", "confirmation", "visit", "photo", "note"]},
    "status": {"type": "string", "enum": ["delivered", "accepted", "rejected"]}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `getAssignment` (200).
    AssignmentDetail [Assignment, AssignmentStatus, DeliverySummary] = r##"{
  "description": "An assignment with what happened to it (`events`), its deliveries per buurt and, for the wijkbedrijf, its planned work items by address (null for the partner).",
  "allOf": [
    {"$ref": "#/components/schemas/Assignment"},
    {
      "type": "object",
      "required": ["events", "deliveries", "items"],
      "properties": {
        "events": {"type": "array", "items": {
          "type": "object",
          "required": ["action", "at", "by_you", "note"],
          "properties": {
            "action": {"type": "string", "enum": ["offered", "revised", "changes_proposed", "accepted", "declined", "withdrawn", "completed"]},
            "at": {"type": "string", "format": "date-time"},
            "by_you": {"type": "boolean"},
            "note": {"type": "string"}
          },
          "additionalProperties": false
        }},
        "deliveries": {"type": "array", "items": {"$ref": "#/components/schemas/DeliverySummary"}},
        "items": {"type": ["array", "null"], "items": {"type": "object", "required": ["target", "about", "delivery"]}},
        "campaigns": {"type": "array", "description": "Door-to-door campaigns run for this assignment: per buurt the doors, knocked, talked and signed up, rounded; a buurt with fewer than k doors withheld.", "items": {
          "type": "object",
          "required": ["title", "ends_on", "buurten"],
          "properties": {
            "title": {"type": "string"},
            "ends_on": {"type": "string"},
            "buurten": {"type": "array", "items": {
              "type": "object",
              "required": ["buurt", "name", "suppressed"],
              "properties": {
                "buurt": {"type": "string"},
                "name": {"type": ["string", "null"]},
                "suppressed": {"type": "boolean"},
                "doors": {"type": "integer"},
                "visited": {"type": "integer"},
                "talked": {"type": "integer"},
                "signed_up": {"type": "integer"}
              },
              "additionalProperties": false
            }}
          },
          "additionalProperties": false
        }}
      }
    }
  ]
}"##
}

schema! {
    /// The body of `recordDelivery` (201) and `decideDelivery` (200).
    Delivery = r#"{
  "type": "object",
  "required": ["id", "assignment", "at", "evidence", "status"],
  "properties": {
    "id": {"type": "integer"},
    "assignment": {"type": "integer"},
    "target": {"type": "string", "description": "The work item's target (for the wijkbedrijf only)."},
    "buurt": {"type": "string"},
    "at": {"type": "string", "format": "date-time"},
    "evidence": {"type": "string", "enum": ["report", "confirmation", "visit", "photo", "note"]},
    "status": {"type": "string", "enum": ["delivered", "accepted", "rejected"]}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// A line of a statement.
    StatementLine = r#"{
  "type": "object",
  "required": ["planned", "delivered", "accepted", "rejected", "earned"],
  "properties": {
    "buurt": {"type": "string"},
    "name": {"type": "string"},
    "planned": {"type": "integer", "minimum": 0},
    "delivered": {"type": "integer", "minimum": 0},
    "accepted": {"type": "integer", "minimum": 0},
    "rejected": {"type": "integer", "minimum": 0},
    "earned": {"type": "number", "minimum": 0}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `getAssignmentStatement` (200, JSON).
    Statement [StatementLine] = r##"{
  "type": "object",
  "required": ["assignment", "title", "organisation", "fee_per_unit", "budget", "units", "made_at", "per_buurt", "total"],
  "properties": {
    "assignment": {"type": "integer"},
    "title": {"type": "string"},
    "organisation": {"type": "string"},
    "fee_per_unit": {"type": "number"},
    "budget": {"type": ["number", "null"]},
    "units": {"type": "integer"},
    "made_at": {"type": "string", "format": "date-time"},
    "per_buurt": {"type": "array", "items": {"$ref": "#/components/schemas/StatementLine"}},
    "total": {"$ref": "#/components/schemas/StatementLine"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The CSV statement.
    StatementCsv = r#"{"type": "string", "description": "UTF-8 with a byte-order mark, CRLF: `buurtcode,buurt,gepland,geleverd,geaccepteerd,afgewezen,verdiend_eur`, then a line `totaal`."}"#
}

schema! {
    /// The PDF werkbon.
    StatementPdf = r#"{"type": "string", "format": "binary"}"#
}

schema! {
    /// The body of `assignmentIncome` (200).
    Income = r#"{
  "type": "object",
  "required": ["earned", "awaiting_decision", "still_to_deliver", "per_organisation", "assignments"],
  "properties": {
    "earned": {"type": "number"},
    "awaiting_decision": {"type": "number"},
    "still_to_deliver": {"type": "number"},
    "per_organisation": {"type": "array", "items": {
      "type": "object", "required": ["organisation", "earned"],
      "properties": {"organisation": {"type": "string"}, "earned": {"type": "number"}},
      "additionalProperties": false
    }},
    "assignments": {"type": "array", "items": {
      "type": "object",
      "required": ["id", "title", "organisation", "units", "delivered", "accepted", "earned", "awaiting_decision", "still_to_deliver"],
      "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "organisation": {"type": "string"},
        "units": {"type": "integer"}, "delivered": {"type": "integer"}, "accepted": {"type": "integer"},
        "earned": {"type": "number"}, "awaiting_decision": {"type": "number"}, "still_to_deliver": {"type": "number"}
      },
      "additionalProperties": false
    }}
  },
  "additionalProperties": false
}"#
}

parameter! {
    /// The path parameter `id` of an assignment.
    AssignmentIdParam = r#"{
  "name": "id",
  "in": "path",
  "required": true,
  "description": "The assignment's id; not a positive whole number is 400.",
  "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"}
}"#
}

parameter! {
    /// The path parameter `delivery` of a delivery.
    DeliveryIdParam = r#"{
  "name": "delivery",
  "in": "path",
  "required": true,
  "description": "The delivery's id; not a positive whole number is 400.",
  "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"}
}"#
}

parameter! {
    /// The parameter `format` of `getAssignmentStatement`.
    StatementFormatParam = r#"{
  "name": "format",
  "in": "query",
  "required": false,
  "description": "`json` (default), `csv` or `pdf`; another value is 400.",
  "schema": {"type": "string", "enum": ["json", "csv", "pdf"]}
}"#
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<AssignmentStatus>(out);
    crate::openapi::collect::<Assignment>(out);
    crate::openapi::collect::<AssignmentList>(out);
    crate::openapi::collect::<AssignmentPreview>(out);
    crate::openapi::collect::<DeliverySummary>(out);
    crate::openapi::collect::<AssignmentDetail>(out);
    crate::openapi::collect::<Delivery>(out);
    crate::openapi::collect::<StatementLine>(out);
    crate::openapi::collect::<Statement>(out);
    crate::openapi::collect::<StatementCsv>(out);
    crate::openapi::collect::<StatementPdf>(out);
    crate::openapi::collect::<Income>(out);
}
