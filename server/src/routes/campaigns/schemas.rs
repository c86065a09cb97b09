//! The schemas and parameters of the campaign operations in the OpenAPI document.

use crate::openapi::{parameter, schema};

schema! {
    /// Progress of a set of doors.
    CampaignProgress = r#"{
  "type": "object",
  "description": "Doors, and the visits by outcome (each door counted once, by its last outcome).",
  "required": ["doors", "visited", "talked", "not_home", "interested", "not_interested", "signed_up", "do_not_knock"],
  "properties": {
    "doors": {"type": "integer", "minimum": 0},
    "visited": {"type": "integer", "minimum": 0},
    "talked": {"type": "integer", "minimum": 0, "description": "interested + not interested + signed up."},
    "not_home": {"type": "integer", "minimum": 0},
    "interested": {"type": "integer", "minimum": 0},
    "not_interested": {"type": "integer", "minimum": 0},
    "signed_up": {"type": "integer", "minimum": 0},
    "do_not_knock": {"type": "integer", "minimum": 0}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// A campaign's terms.
    CampaignTerms [crate::openapi::shared::AreaCode] = r##"{
  "type": "object",
  "required": ["id", "title", "topic", "area", "area_name", "criteria", "work_kind", "assignment", "questions", "turf_size", "starts_on", "ends_on", "created_at", "opted_out"],
  "properties": {
    "id": {"type": "integer"},
    "title": {"type": "string"},
    "topic": {"type": "string"},
    "area": {"$ref": "#/components/schemas/AreaCode"},
    "area_name": {"type": ["string", "null"]},
    "criteria": {"type": "string"},
    "work_kind": {"type": ["string", "null"]},
    "assignment": {"type": ["integer", "null"]},
    "questions": {"type": "array", "items": {"type": "object"}},
    "turf_size": {"type": "integer", "minimum": 1},
    "starts_on": {"type": "string", "format": "date"},
    "ends_on": {"type": "string", "format": "date"},
    "created_at": {"type": "string", "format": "date-time"},
    "opted_out": {"type": "integer", "minimum": 0, "description": "Households left out at creation because they opted out of canvassing."}
  }
}"##
}

schema! {
    /// A campaign as its organisers see it.
    Campaign [CampaignTerms, CampaignProgress] = r##"{
  "description": "A campaign with its turfs, progress per buurt, the answers as k-anonymous counts, and who may walk its turfs.",
  "allOf": [
    {"$ref": "#/components/schemas/CampaignTerms"},
    {
      "type": "object",
      "required": ["turfs", "buurten", "progress", "answers", "walkers"],
      "properties": {
        "turfs": {
          "type": "array",
          "items": {
            "type": "object",
            "required": ["id", "number", "buurt", "buurt_name", "holder", "held_since", "progress"],
            "properties": {
              "id": {"type": "integer"},
              "number": {"type": "integer"},
              "buurt": {"type": "string"},
              "buurt_name": {"type": ["string", "null"]},
              "holder": {"oneOf": [{"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}, {"type": "null"}]},
              "held_since": {"type": ["string", "null"], "format": "date-time"},
              "progress": {"$ref": "#/components/schemas/CampaignProgress"}
            }
          }
        },
        "buurten": {"type": "array", "items": {"type": "object", "required": ["buurt", "name", "progress"], "properties": {"buurt": {"type": "string"}, "name": {"type": ["string", "null"]}, "progress": {"$ref": "#/components/schemas/CampaignProgress"}}}},
        "progress": {"$ref": "#/components/schemas/CampaignProgress"},
        "answers": {
          "type": "array",
          "items": {
            "type": "object",
            "required": ["question", "suppressed", "counts"],
            "properties": {
              "question": {"type": "string"},
              "suppressed": {"type": "boolean", "description": "Fewer than k doors answered: no counts."},
              "counts": {"type": "array", "items": {"type": "object", "required": ["value", "count"], "properties": {"value": {"type": "string"}, "count": {"type": "integer", "minimum": 0}}}}
            }
          }
        },
        "walkers": {"type": "array", "items": {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}}
      }
    }
  ]
}"##
}

schema! {
    /// The body of `listCampaigns` (200).
    CampaignList [CampaignTerms, CampaignProgress] = r##"{
  "type": "object",
  "required": ["campaigns"],
  "properties": {
    "campaigns": {
      "type": "array",
      "items": {
        "allOf": [
          {"$ref": "#/components/schemas/CampaignTerms"},
          {"type": "object", "required": ["turfs", "progress"], "properties": {"turfs": {"type": "integer"}, "progress": {"$ref": "#/components/schemas/CampaignProgress"}}}
        ]
      }
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `previewCampaign` (200).
    CampaignPreview = r#"{
  "type": "object",
  "required": ["addresses", "buildings", "opted_out", "points"],
  "properties": {
    "addresses": {"type": "integer", "minimum": 0},
    "buildings": {"type": "integer", "minimum": 0},
    "opted_out": {"type": "integer", "minimum": 0, "description": "Households left out: they opted out of canvassing."},
    "points": {"type": "array", "maxItems": 20000, "description": "Where the selected doors are, WGS84 [lon, lat] (the first 20,000), for the map beside the criteria.", "items": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `assignTurf` (200).
    TurfHolder = r#"{
  "type": "object",
  "required": ["turf", "holder"],
  "properties": {
    "turf": {"type": "integer"},
    "holder": {"oneOf": [{"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}, "additionalProperties": false}, {"type": "null"}]}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `walkList` (200, JSON).
    WalkList = r#"{
  "type": "object",
  "required": ["campaign", "turf", "questions", "outcomes", "doors"],
  "properties": {
    "campaign": {"type": "object", "required": ["id", "title", "topic", "ends_on"]},
    "turf": {"type": "object", "required": ["id", "number", "buurt_name", "yours"]},
    "questions": {"type": "array", "items": {"type": "object"}},
    "outcomes": {"type": "array", "items": {"type": "string", "enum": ["not_home", "interested", "not_interested", "signed_up", "do_not_knock"]}},
    "doors": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["address", "label", "bouwjaar", "energieklasse", "roof_m2", "visited", "earlier", "lon", "lat"],
        "properties": {
          "address": {"type": "string", "description": "The verblijfsobject (for `syncVisits`); not for people to read."},
          "label": {"type": "string", "description": "Street and house number."},
          "bouwjaar": {"type": ["integer", "null"]},
          "energieklasse": {"type": ["string", "null"]},
          "roof_m2": {"type": ["number", "null"], "description": "Roof suitable for solar panels (3DBAG)."},
          "visited": {"type": ["string", "null"], "enum": ["answered", "not_home", null]},
          "earlier": {"type": ["string", "null"], "description": "This campaign's outcome, where the household consented to keeping it."},
          "lon": {"type": "number"},
          "lat": {"type": "number"}
        },
        "additionalProperties": false
      }
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `syncVisits` (200).
    VisitResults = r#"{
  "type": "object",
  "required": ["results"],
  "properties": {
    "results": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["key", "status"],
        "properties": {
          "key": {"type": "string"},
          "status": {"type": "string", "enum": ["recorded", "conflict", "not_in_turf", "not_holder"], "description": "`recorded`; `conflict`: the door was answered before (kept in the log, not counted twice); refused without writing: `not_in_turf`, `not_holder`."}
        },
        "additionalProperties": false
      }
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `myTurfs` (200).
    MyTurfs [CampaignProgress] = r##"{
  "type": "object",
  "required": ["turfs"],
  "properties": {
    "turfs": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["campaign", "turf", "progress"],
        "properties": {
          "campaign": {"type": "object", "required": ["id", "title", "topic", "ends_on"]},
          "turf": {"type": "object", "required": ["id", "number", "buurt_name"]},
          "progress": {"$ref": "#/components/schemas/CampaignProgress"}
        }
      }
    }
  },
  "additionalProperties": false
}"##
}

parameter! {
    /// The path parameter `id` of a campaign.
    CampaignIdParam = r#"{
  "name": "id",
  "in": "path",
  "required": true,
  "description": "The campaign's id; not a positive whole number is 400.",
  "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"}
}"#
}

parameter! {
    /// The path parameter `turf`.
    TurfIdParam = r#"{
  "name": "turf",
  "in": "path",
  "required": true,
  "description": "The turf's id; not a positive whole number is 400.",
  "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"}
}"#
}

parameter! {
    /// `?format=` of `walkList`.
    WalkListFormat = r#"{
  "name": "format",
  "in": "query",
  "required": false,
  "description": "`json` (default) or `pdf` (the paper walk list with a map).",
  "schema": {"type": "string", "enum": ["json", "pdf"]}
}"#
}

parameter! {
    /// `?format=` of `exportCampaign`.
    ExportFormat = r#"{
  "name": "format",
  "in": "query",
  "required": false,
  "description": "`csv` (default; UTF-8 with a byte-order mark) or `gpkg` (GeoPackage, points in WGS84).",
  "schema": {"type": "string", "enum": ["csv", "gpkg"]}
}"#
}

parameter! {
    /// `?level=` of `exportCampaign`.
    ExportLevel = r#"{
  "name": "level",
  "in": "query",
  "required": false,
  "description": "`turf` (default: counts per route) or `address` (outcomes kept with consent).",
  "schema": {"type": "string", "enum": ["turf", "address"]}
}"#
}
