//! The schemas and parameters of the capacity-and-talent operations in the OpenAPI document.

use crate::openapi::{parameter, schema};
use crate::routes::work_items::schemas::{WorkAbout, WorkItem};

schema! {
    /// A skill key.
    Skill = r#"{
  "type": "string",
  "description": "Something a resident can do for the wijk.",
  "enum": ["knocking_doors", "watering", "gardening", "small_repairs", "energy_advice", "solar_installer", "insulation", "language", "cooking", "organising", "digital", "transport"]
}"#
}

schema! {
    /// A part of the week.
    DayPart = r#"{
  "type": "string",
  "description": "A part of the week.",
  "enum": ["weekday_morning", "weekday_afternoon", "weekday_evening", "weekend"]
}"#
}

schema! {
    /// An offer as stored.
    TalentOffer [Skill, DayPart, crate::openapi::shared::AreaCode] = r##"{
  "type": "object",
  "description": "What a resident offers to do, when and where.",
  "required": ["skills", "other", "hours_per_week", "day_parts", "area", "area_name", "available_until", "given_at", "updated_at"],
  "properties": {
    "skills": {"type": "array", "items": {"$ref": "#/components/schemas/Skill"}},
    "other": {"type": "string", "description": "Anything else, in their words."},
    "hours_per_week": {"type": "integer", "minimum": 1, "maximum": 40},
    "day_parts": {"type": "array", "items": {"$ref": "#/components/schemas/DayPart"}},
    "area": {"$ref": "#/components/schemas/AreaCode"},
    "area_name": {"type": ["string", "null"]},
    "available_until": {"type": ["string", "null"], "format": "date"},
    "given_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `getMyOffer` and `putMyOffer` (200).
    MyOffer [TalentOffer, Skill, DayPart] = r##"{
  "type": "object",
  "required": ["offer", "skills", "day_parts"],
  "properties": {
    "offer": {"oneOf": [{"$ref": "#/components/schemas/TalentOffer"}, {"type": "null"}]},
    "skills": {"type": "array", "items": {"$ref": "#/components/schemas/Skill"}, "description": "Every skill, in display order."},
    "day_parts": {"type": "array", "items": {"$ref": "#/components/schemas/DayPart"}, "description": "Every part of the week, in display order."}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// Where an invitation stands.
    InvitationStatus = r#"{
  "type": "string",
  "description": "Invited (waiting for the resident); accepted; declined; withdrawn (by the team, or with the offer); done.",
  "enum": ["invited", "accepted", "declined", "withdrawn", "done"]
}"#
}

schema! {
    /// An invitation to work.
    Invitation [InvitationStatus, WorkAbout] = r##"{
  "type": "object",
  "description": "An invitation to a resident who offered help: the work (a kind at an address, and/or an assignment) and the hours logged. `resident` only for the team.",
  "required": ["id", "status", "note", "invited_at", "answered_at", "hours_paid", "hours_volunteered", "kind", "about", "lon", "lat", "assignment"],
  "properties": {
    "id": {"type": "integer"},
    "status": {"$ref": "#/components/schemas/InvitationStatus"},
    "note": {"type": "string"},
    "invited_at": {"type": "string", "format": "date-time"},
    "answered_at": {"type": ["string", "null"], "format": "date-time"},
    "hours_paid": {"type": "number", "minimum": 0},
    "hours_volunteered": {"type": "number", "minimum": 0},
    "kind": {"type": ["string", "null"], "description": "The work kind."},
    "about": {"oneOf": [{"$ref": "#/components/schemas/WorkAbout"}, {"type": "null"}]},
    "lon": {"type": ["number", "null"]},
    "lat": {"type": ["number", "null"]},
    "assignment": {
      "oneOf": [
        {
          "type": "object",
          "required": ["title", "organisation", "delivered_when", "deadline", "area_name", "helpers_paid"],
          "properties": {
            "title": {"type": "string"},
            "organisation": {"type": "string"},
            "delivered_when": {"type": "string"},
            "deadline": {"type": "string", "format": "date"},
            "area_name": {"type": ["string", "null"]},
            "helpers_paid": {"type": "boolean"}
          },
          "additionalProperties": false
        },
        {"type": "null"}
      ]
    },
    "resident": {
      "type": "object",
      "required": ["offer", "name"],
      "properties": {
        "offer": {"type": "integer"},
        "name": {"type": "string", "description": "The name the resident gave; may be empty."}
      },
      "additionalProperties": false
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// One day's hours.
    HoursEntry = r#"{
  "type": "object",
  "required": ["invitation", "day", "hours", "paid"],
  "properties": {
    "invitation": {"type": "integer"},
    "day": {"type": "string", "format": "date"},
    "hours": {"type": "number", "minimum": 0.25, "maximum": 24},
    "paid": {"type": "boolean", "description": "Paid from the assignment's fee; else volunteered."}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `myWork` (200).
    MyWork [Invitation, HoursEntry] = r##"{
  "type": "object",
  "required": ["invitations", "hours"],
  "properties": {
    "invitations": {"type": "array", "items": {"$ref": "#/components/schemas/Invitation"}},
    "hours": {"type": "array", "items": {"$ref": "#/components/schemas/HoursEntry"}}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `listInvitations` (200).
    InvitationList [Invitation] = r##"{
  "type": "object",
  "required": ["invitations"],
  "properties": {
    "invitations": {"type": "array", "items": {"$ref": "#/components/schemas/Invitation"}}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// Open work of one kind that fits an offer.
    TalentKindMatch [Skill, WorkItem] = r##"{
  "type": "object",
  "required": ["kind", "skills", "items", "open_size", "largest"],
  "properties": {
    "kind": {"type": "string"},
    "skills": {"type": "array", "items": {"$ref": "#/components/schemas/Skill"}, "description": "The offer's skills this kind asks for."},
    "items": {"type": "integer", "minimum": 0, "description": "Open items of the kind in the offer's area."},
    "open_size": {"type": "number", "minimum": 0},
    "largest": {"type": "array", "items": {"$ref": "#/components/schemas/WorkItem"}, "description": "The largest of them (at most five), largest first."}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `matchTalent` (200).
    TalentMatches [TalentKindMatch, Skill, DayPart, crate::openapi::shared::AreaCode] = r##"{
  "type": "object",
  "required": ["offers", "expired"],
  "properties": {
    "offers": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["id", "name", "skills", "other", "hours_per_week", "day_parts", "area", "area_name", "available_until", "given_at", "updated_at", "live_invitations", "open_items", "matches"],
        "properties": {
          "id": {"type": "integer", "description": "The offer (to invite)."},
          "name": {"type": "string", "description": "The name the resident gave; may be empty."},
          "skills": {"type": "array", "items": {"$ref": "#/components/schemas/Skill"}},
          "other": {"type": "string"},
          "hours_per_week": {"type": "integer"},
          "day_parts": {"type": "array", "items": {"$ref": "#/components/schemas/DayPart"}},
          "area": {"$ref": "#/components/schemas/AreaCode"},
          "area_name": {"type": ["string", "null"]},
          "available_until": {"type": ["string", "null"], "format": "date"},
          "given_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"},
          "live_invitations": {"type": "integer", "minimum": 0},
          "open_items": {"type": "integer", "minimum": 0},
          "matches": {"type": "array", "items": {"$ref": "#/components/schemas/TalentKindMatch"}}
        },
        "additionalProperties": false
      }
    },
    "expired": {"type": "integer", "minimum": 0, "description": "Offers in scope past their end date (not listed)."}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `setAssignmentHelpers` (200).
    Helpers = r#"{
  "type": "object",
  "required": ["assignment", "paid"],
  "properties": {
    "assignment": {"type": "integer"},
    "paid": {"type": "boolean"}
  },
  "additionalProperties": false
}"#
}

parameter! {
    /// The path parameter `id` of an invitation.
    InvitationIdParam = r#"{
  "name": "id",
  "in": "path",
  "required": true,
  "description": "The invitation's id; not a positive whole number is 400.",
  "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"}
}"#
}

parameter! {
    /// The parameter `area` of `matchTalent`.
    MatchArea = r##"{
  "name": "area",
  "in": "query",
  "required": false,
  "description": "Only offers whose area lies in this CBS area (malformed is 400, unknown 422).",
  "schema": {"$ref": "#/components/schemas/AreaCode"}
}"##
}

parameter! {
    /// The parameter `kind` of `matchTalent`.
    MatchKind = r#"{
  "name": "kind",
  "in": "query",
  "required": false,
  "description": "Only matches of this work kind (see `listWorkKinds`); an unknown kind is 400.",
  "schema": {"type": "string"}
}"#
}
