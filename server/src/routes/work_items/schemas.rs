//! The schemas and parameters of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::{parameter, schema};

schema! {
    /// Where an item stands.
    WorkStatus = r#"{
  "type": "string",
  "description": "Where an item stands: `open` until someone sets another status.",
  "enum": ["open", "planned", "in_progress", "done", "not_wanted", "not_applicable"]
}"#
}

schema! {
    /// What a rule applies to.
    WorkTargetKind = r#"{
  "type": "string",
  "description": "What a rule applies to: a BAG pand, a BAG verblijfsobject (an address), a spot in public space (an observation that names no register tree), or a tree of a municipal tree register (with the reports that name it).",
  "enum": ["pand", "verblijfsobject", "public_space", "tree"]
}"#
}

schema! {
    /// An item's target as `{target_kind}/{id}`.
    WorkTarget = r#"{
  "type": "string",
  "description": "`pand/{16 digits}`, `verblijfsobject/{16 digits}`, `public_space/{observation id}` or `tree/{wijkwerk's tree id}`.",
  "pattern": "^((pand|verblijfsobject)/[0-9]{16}|(public_space|tree)/[0-9]{1,20})$",
  "examples": ["pand/1999100000000001"]
}"#
}

schema! {
    /// A text in Dutch and English.
    WorkText = r#"{
  "type": "object",
  "description": "A text in Dutch and English.",
  "required": ["nl", "en"],
  "properties": {"nl": {"type": "string"}, "en": {"type": "string"}},
  "additionalProperties": false
}"#
}

schema! {
    /// A work kind: one rule of the rule file.
    WorkRule [WorkText, WorkTargetKind] = r##"{
  "type": "object",
  "description": "A work kind: one rule of the rule file.",
  "required": ["kind", "title", "unit", "target", "when", "size", "skills"],
  "properties": {
    "kind": {"type": "string", "pattern": "^[a-z_]{1,48}$"},
    "title": {"$ref": "#/components/schemas/WorkText"},
    "unit": {"$ref": "#/components/schemas/WorkText", "description": "What an item's size counts."},
    "target": {"$ref": "#/components/schemas/WorkTargetKind"},
    "when": {"type": "string", "description": "The CQL2 text predicate that makes a target an item."},
    "size": {"type": "string", "description": "The CQL2 number expression of an item's size."},
    "skills": {"type": "array", "items": {"type": "string"}, "description": "The skills the work asks for of residents who offer their time (matched by `matchTalent`)."}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// A field rules may read.
    WorkField = r#"{
  "type": "object",
  "description": "A field rules may read about a target.",
  "required": ["name", "type", "values", "description"],
  "properties": {
    "name": {"type": "string"},
    "type": {"type": "string", "enum": ["a number", "a text", "yes/no"]},
    "values": {
      "description": "The values a text field takes, when they are a closed list.",
      "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]
    },
    "description": {"type": "string"}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `listWorkKinds` (200).
    WorkKinds [WorkRule, WorkField] = r##"{
  "type": "object",
  "required": ["kinds", "fields", "list_roles", "assignment_roles", "talent_roles", "campaign_roles", "campaign_export_roles"],
  "properties": {
    "kinds": {"type": "array", "items": {"$ref": "#/components/schemas/WorkRule"}},
    "list_roles": {"type": "array", "items": {"type": "string"}, "description": "The roles that may list work items by address (`listWorkItems`) in their scope, as the access policy says."},
    "assignment_roles": {"type": "array", "items": {"type": "string"}, "description": "The roles that may see assignments (`listAssignments`) in their scope, as the access policy says (a partner: its own organisation's)."},
    "campaign_export_roles": {"type": "array", "items": {"type": "string"}, "description": "The roles that may export a campaign's results (`exportCampaign`) in their scope, as the access policy says."},
    "campaign_roles": {"type": "array", "items": {"type": "string"}, "description": "The roles that may plan door-to-door campaigns (`listCampaigns`) in their scope, as the access policy says."},
    "talent_roles": {"type": "array", "items": {"type": "string"}, "description": "The roles that may match residents' offers of time and talent to work and invite them (`matchTalent`) in their scope, as the access policy says."},
    "fields": {
      "type": "object",
      "description": "The fields rules may read, per target kind.",
      "required": ["pand", "verblijfsobject", "public_space", "tree"],
      "properties": {
        "pand": {"type": "array", "items": {"$ref": "#/components/schemas/WorkField"}},
        "verblijfsobject": {"type": "array", "items": {"$ref": "#/components/schemas/WorkField"}},
        "public_space": {"type": "array", "items": {"$ref": "#/components/schemas/WorkField"}},
        "tree": {"type": "array", "items": {"$ref": "#/components/schemas/WorkField"}}
      },
      "additionalProperties": false
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// How people recognise a target: by an address, never by an id.
    WorkAbout = r#"{
  "description": "How people recognise a target: by an address, never by an id. A pand by its first address (and how many it has), a verblijfsobject by its address, a spot in public space by the nearest address within about 150 m, a register tree by its number in the register, its species and the nearest address.",
  "oneOf": [
    {
      "type": "object",
      "required": ["kind", "address", "place", "addresses"],
      "properties": {
        "kind": {"type": "string", "enum": ["pand", "verblijfsobject"]},
        "address": {"type": ["string", "null"], "description": "Street and house number."},
        "place": {"type": ["string", "null"]},
        "addresses": {"type": "integer", "minimum": 0}
      },
      "additionalProperties": false
    },
    {
      "type": "object",
      "required": ["kind", "near", "place", "addresses"],
      "properties": {
        "kind": {"type": "string", "const": "public_space"},
        "near": {"type": ["string", "null"], "description": "The nearest address (street and house number)."},
        "place": {"type": ["string", "null"]},
        "addresses": {"type": "integer", "const": 0}
      },
      "additionalProperties": false
    },
    {
      "type": "object",
      "required": ["kind", "tree", "species", "near", "place", "addresses"],
      "properties": {
        "kind": {"type": "string", "const": "tree"},
        "tree": {"type": ["string", "null"], "description": "The tree's number in its register."},
        "species": {"type": ["string", "null"], "description": "Species, as the register writes it."},
        "near": {"type": ["string", "null"], "description": "The nearest address (street and house number)."},
        "place": {"type": ["string", "null"]},
        "addresses": {"type": "integer", "const": 0}
      },
      "additionalProperties": false
    }
  ]
}"#
}

schema! {
    /// One work item.
    WorkItem [WorkTarget, WorkAbout, WorkStatus, crate::openapi::shared::AreaCode] = r##"{
  "type": "object",
  "description": "One work item: a kind of work at a target.",
  "required": ["kind", "target", "about", "status", "status_at", "size", "rule_holds", "buurt", "lon", "lat"],
  "properties": {
    "kind": {"type": "string"},
    "target": {"$ref": "#/components/schemas/WorkTarget"},
    "about": {"$ref": "#/components/schemas/WorkAbout"},
    "status": {"$ref": "#/components/schemas/WorkStatus"},
    "status_at": {"type": ["string", "null"], "format": "date-time", "description": "When the status was set; null while `open` was never changed."},
    "size": {"type": "number", "description": "How much work, in the kind's unit, to one decimal."},
    "rule_holds": {"type": "boolean", "description": "Whether the rule still holds (an item with a status stays after its rule stops holding)."},
    "buurt": {"oneOf": [{"$ref": "#/components/schemas/AreaCode"}, {"type": "null"}]},
    "lon": {"type": "number"},
    "lat": {"type": "number"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `listWorkItems` (200).
    WorkItemList [WorkItem] = r##"{
  "type": "object",
  "required": ["total", "offset", "items"],
  "properties": {
    "total": {"type": "integer", "minimum": 0, "description": "Items that match, over all pages."},
    "offset": {"type": "integer", "minimum": 0},
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/WorkItem"}}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The totals of one kind in one area.
    WorkSummaryArea [WorkStatus, WorkText, crate::openapi::shared::AreaCode] = r##"{
  "description": "The totals of one kind in one area: exact where the caller may see the items, else the k-anonymous release (rounded counts, or `suppressed`).",
  "oneOf": [
    {
      "type": "object",
      "required": ["area", "name", "kind", "unit", "exact", "items", "households", "open_size", "by_status"],
      "properties": {
        "area": {"$ref": "#/components/schemas/AreaCode"},
        "name": {"type": ["string", "null"]},
        "kind": {"type": "string"},
        "unit": {"oneOf": [{"$ref": "#/components/schemas/WorkText"}, {"type": "null"}]},
        "exact": {"type": "boolean", "const": true},
        "items": {"type": "integer", "minimum": 0},
        "households": {"type": "integer", "minimum": 0},
        "open_size": {"type": "number", "minimum": 0},
        "by_status": {
          "type": "object",
          "propertyNames": {"$ref": "#/components/schemas/WorkStatus"},
          "additionalProperties": {"type": "integer", "minimum": 0}
        }
      },
      "additionalProperties": false
    },
    {
      "type": "object",
      "required": ["area", "name", "kind", "unit", "exact", "items", "households"],
      "properties": {
        "area": {"$ref": "#/components/schemas/AreaCode"},
        "name": {"type": ["string", "null"]},
        "kind": {"type": "string"},
        "unit": {"oneOf": [{"$ref": "#/components/schemas/WorkText"}, {"type": "null"}]},
        "exact": {"type": "boolean", "const": false},
        "items": {"type": "integer", "minimum": 0},
        "households": {"type": "integer", "minimum": 0}
      },
      "additionalProperties": false
    },
    {
      "type": "object",
      "required": ["area", "name", "kind", "unit", "exact", "suppressed"],
      "properties": {
        "area": {"$ref": "#/components/schemas/AreaCode"},
        "name": {"type": ["string", "null"]},
        "kind": {"type": "string"},
        "unit": {"oneOf": [{"$ref": "#/components/schemas/WorkText"}, {"type": "null"}]},
        "exact": {"type": "boolean", "const": false},
        "suppressed": {"type": "boolean", "const": true}
      },
      "additionalProperties": false
    }
  ]
}"##
}

schema! {
    /// The body of `workSummary` (200).
    WorkSummary [WorkSummaryArea] = r##"{
  "type": "object",
  "required": ["level", "k", "round_to", "areas"],
  "properties": {
    "level": {"type": "string", "enum": ["buurt", "wijk", "gemeente"]},
    "k": {"type": "integer", "minimum": 1, "description": "Minimum distinct households behind a released count."},
    "round_to": {"type": "integer", "minimum": 1},
    "areas": {"type": "array", "items": {"$ref": "#/components/schemas/WorkSummaryArea"}}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// Why an item exists.
    WorkEvidence = r#"{
  "type": "object",
  "description": "Why an item exists: the facts its rule read (`[field, value]`, value null when unknown) and the open observations behind them.",
  "required": ["facts", "observations"],
  "properties": {
    "facts": {
      "type": "array",
      "items": {
        "type": "array",
        "prefixItems": [{"type": "string"}, {"type": ["number", "string", "boolean", "null"]}],
        "minItems": 2,
        "maxItems": 2
      }
    },
    "observations": {"type": "array", "items": {"type": "integer"}}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// One status change of an item.
    WorkHistoryEntry [WorkStatus] = r##"{
  "type": "object",
  "description": "One status change: what, when, whether the caller made it, and the note.",
  "required": ["status", "at", "by_you", "note"],
  "properties": {
    "status": {"$ref": "#/components/schemas/WorkStatus"},
    "at": {"type": "string", "format": "date-time"},
    "by_you": {"type": "boolean"},
    "note": {"type": "string"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `getWorkItem` (200).
    WorkItemDetail [WorkTarget, WorkAbout, WorkStatus, WorkRule, WorkEvidence, WorkHistoryEntry, crate::openapi::shared::AreaCode] = r##"{
  "type": "object",
  "description": "A work item (as in `listWorkItems`) with its rule, its evidence and its status history, oldest first.",
  "required": ["kind", "target", "about", "status", "status_at", "size", "rule_holds", "buurt", "lon", "lat", "rule", "evidence", "history"],
  "properties": {
    "kind": {"type": "string"},
    "target": {"$ref": "#/components/schemas/WorkTarget"},
    "about": {"$ref": "#/components/schemas/WorkAbout"},
    "status": {"$ref": "#/components/schemas/WorkStatus"},
    "status_at": {"type": ["string", "null"], "format": "date-time"},
    "size": {"type": "number"},
    "rule_holds": {"type": "boolean"},
    "buurt": {"oneOf": [{"$ref": "#/components/schemas/AreaCode"}, {"type": "null"}]},
    "lon": {"type": "number"},
    "lat": {"type": "number"},
    "rule": {"$ref": "#/components/schemas/WorkRule"},
    "evidence": {"$ref": "#/components/schemas/WorkEvidence"},
    "history": {"type": "array", "items": {"$ref": "#/components/schemas/WorkHistoryEntry"}}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `setWorkItemStatus`.
    WorkStatusRequest [WorkStatus] = r##"{
  "type": "object",
  "required": ["status"],
  "properties": {
    "status": {"$ref": "#/components/schemas/WorkStatus"},
    "note": {"type": "string", "maxLength": 500, "default": "", "description": "Why, for the history (at most 500 characters)."}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `setWorkItemStatus` (200).
    WorkStatusChanged [WorkTarget, WorkStatus] = r##"{
  "type": "object",
  "required": ["kind", "target", "status", "previous"],
  "properties": {
    "kind": {"type": "string"},
    "target": {"$ref": "#/components/schemas/WorkTarget"},
    "status": {"$ref": "#/components/schemas/WorkStatus"},
    "previous": {"$ref": "#/components/schemas/WorkStatus"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `setWorkRules` (200).
    WorkRulesSaved = r#"{
  "type": "object",
  "required": ["rules"],
  "properties": {"rules": {"type": "integer", "minimum": 0, "description": "Rules in the file now in use."}},
  "additionalProperties": false
}"#
}

schema! {
    /// A rule file (TOML).
    WorkRuleFile = r#"{
  "type": "string",
  "description": "A rule file (TOML, UTF-8): `[[rule]]` tables with `kind`, `title`, `unit`, `target`, `when` (CQL2 text) and `size`; see docs/work.md."
}"#
}

parameter! {
    /// The parameter `area` of `listWorkItems`.
    ListWorkItemsAreaParam = r##"{
  "name": "area",
  "in": "query",
  "required": false,
  "description": "Only items in this CBS area (malformed is 400, unknown 422); without it, every item the caller may see.",
  "schema": {"$ref": "#/components/schemas/AreaCode"}
}"##
}

parameter! {
    /// The parameter `kind` of `listWorkItems`.
    ListWorkItemsKindParam = r#"{
  "name": "kind",
  "in": "query",
  "required": false,
  "description": "Only this work kind (see `listWorkKinds`); an unknown kind is 400.",
  "schema": {"type": "string"}
}"#
}

parameter! {
    /// The parameter `status` of `listWorkItems`.
    ListWorkItemsStatusParam = r##"{
  "name": "status",
  "in": "query",
  "required": false,
  "description": "Only items with this status.",
  "schema": {"$ref": "#/components/schemas/WorkStatus"}
}"##
}

parameter! {
    /// The parameter `limit` of `listWorkItems`.
    ListWorkItemsLimitParam = r#"{
  "name": "limit",
  "in": "query",
  "required": false,
  "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 200}
}"#
}

parameter! {
    /// The parameter `offset` of `listWorkItems`.
    ListWorkItemsOffsetParam = r#"{
  "name": "offset",
  "in": "query",
  "required": false,
  "schema": {"type": "integer", "minimum": 0, "default": 0}
}"#
}

parameter! {
    /// The parameter `level` of `workSummary`.
    WorkSummaryLevelParam = r#"{
  "name": "level",
  "in": "query",
  "required": false,
  "schema": {"type": "string", "enum": ["buurt", "wijk", "gemeente"], "default": "buurt"}
}"#
}

parameter! {
    /// The parameter `area` of `workSummary`.
    WorkSummaryAreaParam = r##"{
  "name": "area",
  "in": "query",
  "required": false,
  "description": "Only areas within this CBS area (malformed is 400, unknown 422).",
  "schema": {"$ref": "#/components/schemas/AreaCode"}
}"##
}

parameter! {
    /// The path parameter `kind` of a work item.
    WorkItemKindParam = r#"{
  "name": "kind",
  "in": "path",
  "required": true,
  "description": "The work kind.",
  "schema": {"type": "string"}
}"#
}

parameter! {
    /// The path parameter `target_kind` of a work item.
    WorkItemTargetKindParam = r##"{
  "name": "target_kind",
  "in": "path",
  "required": true,
  "description": "What the item is about; another value is 400.",
  "schema": {"$ref": "#/components/schemas/WorkTargetKind"}
}"##
}

parameter! {
    /// The path parameter `id` of a work item.
    WorkItemIdParam = r#"{
  "name": "id",
  "in": "path",
  "required": true,
  "description": "The target's id: 16 digits for a pand or verblijfsobject (its BAG id), an observation id for a spot in public space; not digits is 400.",
  "schema": {"type": "string", "pattern": "^[0-9]{1,20}$"}
}"#
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<WorkStatus>(out);
    crate::openapi::collect::<WorkTargetKind>(out);
    crate::openapi::collect::<WorkTarget>(out);
    crate::openapi::collect::<WorkText>(out);
    crate::openapi::collect::<WorkRule>(out);
    crate::openapi::collect::<WorkField>(out);
    crate::openapi::collect::<WorkKinds>(out);
    crate::openapi::collect::<WorkAbout>(out);
    crate::openapi::collect::<WorkItem>(out);
    crate::openapi::collect::<WorkItemList>(out);
    crate::openapi::collect::<WorkSummaryArea>(out);
    crate::openapi::collect::<WorkSummary>(out);
    crate::openapi::collect::<WorkEvidence>(out);
    crate::openapi::collect::<WorkHistoryEntry>(out);
    crate::openapi::collect::<WorkItemDetail>(out);
    crate::openapi::collect::<WorkStatusRequest>(out);
    crate::openapi::collect::<WorkStatusChanged>(out);
    crate::openapi::collect::<WorkRulesSaved>(out);
    crate::openapi::collect::<WorkRuleFile>(out);
}
