//! The schemas, headers and parameters of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::schema;

mod more;
pub(crate) use more::*;

schema! {
    /// `\[lon, lat\]`, WGS84.
    Position = r#"{
  "type": "array",
  "description": "`[lon, lat]`, WGS84.",
  "minItems": 2,
  "maxItems": 3,
  "items": {"type": "number"}
}"#
}

schema! {
    /// Point
    Point [Position] = r##"{
  "type": "object",
  "required": ["type", "coordinates"],
  "properties": {
    "type": {"type": "string", "const": "Point"},
    "coordinates": {"$ref": "#/components/schemas/Position"}
  }
}"##
}

schema! {
    /// Dutch and English text.
    LocalizedText = r#"{
  "type": "object",
  "description": "Dutch and English text.",
  "required": ["nl", "en"],
  "properties": {"nl": {"type": "string"}, "en": {"type": "string"}},
  "additionalProperties": false
}"#
}

schema! {
    /// What a report is about: a BAG pand, a BAG verblijfsobject, a point in public space, or …
    TargetKind = r#"{
  "type": "string",
  "description": "What a report is about: a BAG pand, a BAG verblijfsobject, a point in public space, or a tree of a tree register (with its point).",
  "enum": ["building", "address", "point", "tree"]
}"#
}

schema! {
    /// A versioned, declarative observation type. The newest version of a name is the current …
    ObservationType [LocalizedText, TargetKind, Audience] = r##"{
  "type": "object",
  "description": "A versioned, declarative observation type. The newest version of a name is the current one; reports keep the version they were made with.",
  "required": [
    "name",
    "version",
    "title",
    "question",
    "targets",
    "public_space",
    "own_home_only",
    "visible_from_street",
    "status_field",
    "status_classes",
    "schema"
  ],
  "properties": {
    "name": {"type": "string", "pattern": "^[a-z_]{1,48}$", "examples": ["solar_panels"]},
    "version": {"type": "integer", "minimum": 1},
    "title": {"$ref": "#/components/schemas/LocalizedText"},
    "question": {"$ref": "#/components/schemas/LocalizedText"},
    "targets": {
      "type": "array",
      "minItems": 1,
      "items": {"$ref": "#/components/schemas/TargetKind"}
    },
    "public_space": {
      "type": "boolean",
      "description": "About public space: on the public map, readable by everyone, and open to Open311."
    },
    "own_home_only": {
      "type": "boolean",
      "description": "Only a resident who verified the address (letter code) may report it; targets `[\"address\"]` only."
    },
    "visible_from_street": {
      "type": "boolean",
      "description": "Everything it asks is visible from the street: it may be asked about another's home, and is offered for confirming (`/api/observations/similar`)."
    },
    "status_field": {
      "type": "string",
      "description": "The answer (a property of `schema`) that gives the map's status class."
    },
    "status_classes": {
      "type": "object",
      "description": "Value of `status_field` → status class.",
      "additionalProperties": {"type": "string"}
    },
    "schema": {
      "type": "object",
      "description": "JSON Schema (2020-12) of the answers; its `type` is `object`."
    },
    "audience": {"$ref": "#/components/schemas/Audience"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// Who may read the reports of the type on the map, derived from the access policy.
    Audience [AudienceDecision, TargetKind] = r##"{
  "type": "object",
  "readOnly": true,
  "description": "Who may read the reports of the type on the map, derived from the access policy (`domain::access`) when the type is loaded; given in a definition it is ignored. The reporter always reads their own reports besides. The report form's privacy note (\"Wie ziet deze melding?\") is written from it.",
  "required": [
    "public",
    "roles",
    "residents"
  ],
  "properties": {
    "public": {
      "$ref": "#/components/schemas/AudienceDecision"
    },
    "roles": {
      "type": "object",
      "description": "Per staff role, within its own scope (an admin's scope is always everywhere).",
      "additionalProperties": {
        "$ref": "#/components/schemas/AudienceDecision"
      }
    },
    "residents": {
      "type": "array",
      "description": "The residents who verified the address a report is about (`address`), or an address in the building it is about (`building`), read each report (empty when everyone does).",
      "items": {
        "$ref": "#/components/schemas/TargetKind"
      }
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// `allow`: each report; `aggregate`: only k-anonymous counts; `deny`: nothing.
    AudienceDecision = r#"{
  "type": "string",
  "enum": [
    "allow",
    "aggregate",
    "deny"
  ],
  "description": "`allow`: each report; `aggregate`: only k-anonymous counts; `deny`: nothing."
}"#
}

schema! {
    /// What the report is about: `building` (a pand), else `address` (a verblijfsobject), else …
    ReportTarget [crate::openapi::shared::BagId, Point] = r##"{
  "type": "object",
  "description": "What the report is about: `building` (a pand), else `address` (a verblijfsobject), else `point` (a GeoJSON Point, WGS84) with an optional `tree` register id. A pand or verblijfsobject not in the registers is 422; a `point` that is not a GeoJSON Point within [-180, 180] × [-90, 90] is 400.",
  "properties": {
    "building": {"oneOf": [{"$ref": "#/components/schemas/BagId"}, {"type": "null"}]},
    "address": {"oneOf": [{"$ref": "#/components/schemas/BagId"}, {"type": "null"}]},
    "point": {"$ref": "#/components/schemas/Point"},
    "tree": {
      "type": ["string", "null"],
      "minLength": 1,
      "maxLength": 64,
      "description": "A tree register id (with `point`)."
    }
  },
  "additionalProperties": false,
  "examples": [
    {"building": "0363100012345678"},
    {"point": {"type": "Point", "coordinates": [4.9, 52.37]}, "tree": "B-1234"}
  ]
}"##
}

schema! {
    /// Who made the report: `resident`, `volunteer` (staff roles only) or `import` (admin only).
    ReportSource = r#"{
  "type": "string",
  "description": "Who made the report: `resident`, `volunteer` (staff roles only) or `import` (admin only).",
  "enum": ["resident", "volunteer", "import"]
}"#
}

schema! {
    /// `new`; `confirmed` (another reporter confirmed it); `hidden` (by a moderator, or after …
    ReportStatus = r#"{
  "type": "string",
  "description": "`new`; `confirmed` (another reporter confirmed it); `hidden` (by a moderator, or after 3 abuse flags); closed: `resolved`, `rejected`, `withdrawn` (by its reporter), `merged` (into another report).",
  "enum": ["new", "confirmed", "hidden", "resolved", "rejected", "withdrawn", "merged"]
}"#
}

schema! {
    /// NewReport
    NewReport [ReportSource, ReportTarget] = r##"{
  "type": "object",
  "required": ["type", "target", "answers"],
  "properties": {
    "type": {
      "type": "string",
      "description": "Name of a current observation type; another is 422.",
      "examples": ["solar_panels"]
    },
    "target": {"$ref": "#/components/schemas/ReportTarget"},
    "observed_at": {
      "type": ["string", "null"],
      "format": "date-time",
      "description": "When it was seen (RFC 3339); default now. Not in the future (5 minutes of slack), not more than five years ago."
    },
    "source": {
      "oneOf": [{"$ref": "#/components/schemas/ReportSource"}, {"type": "null"}],
      "description": "Default `volunteer` for staff roles, else `resident`."
    },
    "answers": {
      "type": "object",
      "description": "Valid against the type's `schema`; each failing answer is listed in the 422's `errors`."
    }
  },
  "additionalProperties": false,
  "examples": [
    {
      "type": "solar_panels",
      "target": {"building": "0363100012345678"},
      "answers": {"panels": "yes", "count": "5-10"}
    }
  ]
}"##
}

schema! {
    /// ReportPatch
    ReportPatch = r#"{
  "type": "object",
  "properties": {
    "answers": {
      "type": ["object", "null"],
      "description": "New answers, valid against the schema of the report's type version."
    },
    "observed_at": {
      "type": ["string", "null"],
      "format": "date-time",
      "description": "RFC 3339, not in the future."
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The properties of a report as every answer gives them. Who reported it is never included.
    ReportFields [crate::openapi::shared::BagId, crate::routes::auth::schemas::DateTime, Point, ReportSource, ReportStatus] = r##"{
  "type": "object",
  "description": "The properties of a report as every answer gives them. Who reported it is never included.",
  "required": [
    "id",
    "type",
    "type_version",
    "target",
    "buurt",
    "observed_at",
    "created_at",
    "source",
    "status",
    "status_class",
    "answers",
    "confirmations",
    "photos",
    "mine",
    "free_text_in_review",
    "withheld"
  ],
  "properties": {
    "id": {"type": "integer"},
    "type": {"type": "string", "description": "Observation type."},
    "type_version": {"type": "integer", "minimum": 1},
    "target": {
      "type": "object",
      "required": ["building", "address", "tree", "point"],
      "properties": {
        "building": {"oneOf": [{"$ref": "#/components/schemas/BagId"}, {"type": "null"}]},
        "address": {"oneOf": [{"$ref": "#/components/schemas/BagId"}, {"type": "null"}]},
        "tree": {"type": ["string", "null"]},
        "point": {
          "allOf": [{"$ref": "#/components/schemas/Point"}],
          "description": "Where it is drawn: the middle of the pand's footprint, the verblijfsobject, or the point given."
        }
      },
      "additionalProperties": false
    },
    "buurt": {"type": ["string", "null"], "description": "CBS code of the buurt it lies in."},
    "observed_at": {"$ref": "#/components/schemas/DateTime"},
    "created_at": {"$ref": "#/components/schemas/DateTime"},
    "source": {"$ref": "#/components/schemas/ReportSource"},
    "status": {"$ref": "#/components/schemas/ReportStatus"},
    "status_class": {
      "type": "string",
      "description": "Class of the `status_field` answer the map colours by (`unknown` without one)."
    },
    "answers": {"description": "The answers (JSON)."},
    "confirmations": {
      "type": "integer",
      "minimum": 0,
      "description": "Other reporters who confirmed it."
    },
    "photos": {
      "type": "array",
      "maxItems": 3,
      "items": {"type": "string", "pattern": "^/api/photos/[0-9]+\\.jpg$"}
    },
    "mine": {"type": "boolean", "description": "The caller reported it."},
    "free_text_in_review": {
      "type": "boolean",
      "description": "Free text of this report looked like personal data (a phone number, an e-mail address) and waits for a moderator to release it."
    },
    "withheld": {
      "type": "array",
      "items": {"type": "string"},
      "description": "Free-text answers left out of `answers` for this caller until a moderator releases them (empty for the reporter and moderators)."
    }
  }
}"##
}

schema! {
    /// A report.
    Report [ReportFields] = r##"{
  "description": "A report.",
  "allOf": [{"$ref": "#/components/schemas/ReportFields"}],
  "unevaluatedProperties": false
}"##
}

schema! {
    /// A report in a building's timeline, with its weight.
    TimelineEntry [ReportFields] = r##"{
  "description": "A report in a building's timeline, with its weight.",
  "allOf": [
    {"$ref": "#/components/schemas/ReportFields"},
    {
      "type": "object",
      "required": ["weight"],
      "properties": {
        "weight": {
          "type": "number",
          "minimum": 0,
          "description": "Freshness × (1 + confirmations); freshness halves every 180 days."
        }
      }
    }
  ],
  "unevaluatedProperties": false
}"##
}

schema! {
    /// BuildingTimeline
    BuildingTimeline [crate::openapi::shared::BagId, TimelineEntry] = r##"{
  "type": "object",
  "required": ["building", "entries"],
  "properties": {
    "building": {"$ref": "#/components/schemas/BagId"},
    "entries": {
      "type": "array",
      "items": {"$ref": "#/components/schemas/TimelineEntry"},
      "description": "Reports on the pand and on its verblijfsobjecten, withdrawn and merged ones left out."
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// A report in the moderation queue.
    ModerationItem [ReportFields] = r##"{
  "description": "A report in the moderation queue.",
  "allOf": [
    {"$ref": "#/components/schemas/ReportFields"},
    {
      "type": "object",
      "required": ["flags", "pii_suspected"],
      "properties": {
        "flags": {"type": "integer", "minimum": 0, "description": "Abuse flags."},
        "pii_suspected": {
          "type": "boolean",
          "description": "The note looks like it holds personal data (a phone number, an e-mail address)."
        }
      }
    }
  ],
  "unevaluatedProperties": false
}"##
}

schema! {
    /// ReportConfirmation
    ReportConfirmation = r#"{
  "type": "object",
  "required": ["id", "confirmations"],
  "properties": {"id": {"type": "integer"}, "confirmations": {"type": "integer", "minimum": 0}},
  "additionalProperties": false
}"#
}

schema! {
    /// FlagRequest
    FlagRequest = r#"{
  "type": "object",
  "required": ["reason"],
  "properties": {
    "reason": {
      "type": "string",
      "minLength": 1,
      "maxLength": 500,
      "description": "1 to 500 characters after trimming; else 422."
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// ReportFlag
    ReportFlag = r#"{
  "type": "object",
  "required": ["id", "flags", "hidden"],
  "properties": {
    "id": {"type": "integer"},
    "flags": {
      "type": "integer",
      "minimum": 1,
      "description": "Flags on the report (one per reporter)."
    },
    "hidden": {"type": "boolean", "description": "The report is hidden now."}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// SimilarReport
    SimilarReport [crate::routes::auth::schemas::DateTime] = r##"{
  "type": "object",
  "required": ["existing"],
  "properties": {
    "existing": {
      "oneOf": [
        {"type": "null"},
        {
          "type": "object",
          "required": ["id", "status_class", "confirmations", "observed_at"],
          "properties": {
            "id": {"type": "integer"},
            "status_class": {"type": "string"},
            "confirmations": {"type": "integer", "minimum": 0},
            "observed_at": {"$ref": "#/components/schemas/DateTime"}
          },
          "additionalProperties": false
        }
      ],
      "description": "The open report of this type with the most confirmations, or null."
    }
  },
  "additionalProperties": false
}"##
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<Position>(out);
    crate::openapi::collect::<Point>(out);
    crate::openapi::collect::<LocalizedText>(out);
    crate::openapi::collect::<TargetKind>(out);
    crate::openapi::collect::<ObservationType>(out);
    crate::openapi::collect::<ReportTarget>(out);
    crate::openapi::collect::<ReportSource>(out);
    crate::openapi::collect::<ReportStatus>(out);
    crate::openapi::collect::<NewReport>(out);
    crate::openapi::collect::<ReportPatch>(out);
    crate::openapi::collect::<ReportFields>(out);
    crate::openapi::collect::<Report>(out);
    crate::openapi::collect::<TimelineEntry>(out);
    crate::openapi::collect::<BuildingTimeline>(out);
    crate::openapi::collect::<ModerationItem>(out);
    crate::openapi::collect::<ReportConfirmation>(out);
    crate::openapi::collect::<FlagRequest>(out);
    crate::openapi::collect::<ReportFlag>(out);
    crate::openapi::collect::<SimilarReport>(out);
    crate::openapi::collect::<more::PhotoCreated>(out);
    crate::openapi::collect::<more::ModerationRequest>(out);
    crate::openapi::collect::<more::MergeRequest>(out);
    crate::openapi::collect::<more::SplitRequest>(out);
    crate::openapi::collect::<more::CreatedReport>(out);
    crate::openapi::collect::<more::ConfirmedInstead>(out);
}
