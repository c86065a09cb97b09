//! The schemas and parameters of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::{parameter, schema};

schema! {
    /// Polygon
    Polygon [crate::routes::observations::schemas::Position] = r##"{
  "type": "object",
  "required": ["type", "coordinates"],
  "properties": {
    "type": {"type": "string", "const": "Polygon"},
    "coordinates": {
      "type": "array",
      "items": {"type": "array", "minItems": 4, "items": {"$ref": "#/components/schemas/Position"}}
    }
  }
}"##
}

schema! {
    /// MultiPolygon
    MultiPolygon [crate::routes::observations::schemas::Position] = r##"{
  "type": "object",
  "required": ["type", "coordinates"],
  "properties": {
    "type": {"type": "string", "const": "MultiPolygon"},
    "coordinates": {
      "type": "array",
      "items": {
        "type": "array",
        "items": {
          "type": "array",
          "minItems": 4,
          "items": {"$ref": "#/components/schemas/Position"}
        }
      }
    }
  }
}"##
}

schema! {
    /// A password link was mailed.
    PasswordLinkSent = r#"{
  "type": "object",
  "required": ["sent_to", "expires_at"],
  "properties": {
    "sent_to": {"type": "string", "description": "The account's address, where the link went."},
    "expires_at": {"type": "string", "format": "date-time", "description": "The link works until then, once."}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// A role to grant (unknown roles and scopes are 422).
    RoleGrantInput [crate::routes::auth::schemas::Role] = r##"{
  "type": "object",
  "description": "A role to grant (unknown roles and scopes are 422).",
  "required": ["role"],
  "properties": {
    "role": {"$ref": "#/components/schemas/Role"},
    "scope": {
      "type": "string",
      "description": "`all` (the default), a CBS code of an area in the data, or `polygon:{id}` of a custom area; residents hold `all`. Anything else is 422.",
      "default": "all"
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// An area drawn by an admin (WGS84).
    CustomArea [MultiPolygon] = r##"{
  "type": "object",
  "description": "An area drawn by an admin (WGS84).",
  "required": ["id", "name", "scope", "geometry"],
  "properties": {
    "id": {"type": "integer"},
    "name": {"type": "string"},
    "scope": {
      "type": "string",
      "description": "`polygon:{id}`, to use as a scope.",
      "pattern": "^polygon:[0-9]+$"
    },
    "geometry": {"oneOf": [{"$ref": "#/components/schemas/MultiPolygon"}, {"type": "null"}]}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// CustomAreaCreated
    CustomAreaCreated = r#"{
  "type": "object",
  "required": ["id", "name", "scope"],
  "properties": {
    "id": {"type": "integer"},
    "name": {"type": "string"},
    "scope": {"type": "string", "pattern": "^polygon:[0-9]+$"}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// AuditEvent
    AuditEvent [crate::routes::auth::schemas::DateTime] = r##"{
  "type": "object",
  "required": ["id", "at", "actor", "action", "target", "detail", "actor_email", "target_email"],
  "properties": {
    "id": {
      "type": "integer",
      "description": "Ascending in time; pass as `before` for the next page."
    },
    "at": {"$ref": "#/components/schemas/DateTime"},
    "actor": {
      "type": "string",
      "description": "`user:{id}`, `device:{id}`, `anonymous@{ip}`, `cli` or `system`."
    },
    "action": {
      "type": "string",
      "description": "`sign_in`, `role_change`, `export`, `read_reporter_identity`, `moderation` (target `observation:{id}`, detail `hide`, `unhide`, `resolve`, `reject`, `release`, `merge into observation:{id}` or `split into observation:{id}`), …"
    },
    "target": {"type": "string"},
    "detail": {"type": "string", "description": "More, never a secret."},
    "actor_email": {
      "type": ["string", "null"],
      "description": "The e-mail address of the account when `actor` is `user:{id}` and the account still exists; else null."
    },
    "target_email": {
      "type": ["string", "null"],
      "description": "The e-mail address of the account when `target` is `user:{id}` and the account still exists; else null."
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// `closed_reports`: reports closed (resolved, rejected, withdrawn or merged) that long …
    RetentionKind = r#"{
  "type": "string",
  "enum": [
    "sessions",
    "login_tokens",
    "address_codes",
    "reporter_contacts",
    "device_reporters",
    "audit_log",
    "talent_offers",
    "talent_invitations",
    "campaign_visits",
    "work_status",
    "closed_reports"
  ],
  "description": "`closed_reports`: reports closed (resolved, rejected, withdrawn or merged) that long ago, with their photos. `talent_offers`: offers of time and talent not changed that long. `talent_invitations`: invitations to work (with the hours logged on them) that ended that long ago. `campaign_visits`: the doors knocked on and the outcomes kept per address, of campaigns that ended that long ago (the counts per route stay). `work_status`: the status history of work items closed (done, not wanted, not applicable) that long ago, thinned to the last status without who set it, the note or the evidence."
}"#
}

schema! {
    /// RetentionStatus
    RetentionStatus [crate::routes::auth::schemas::DateTime, RetentionKind] = r##"{
  "type": "object",
  "required": ["rules", "every_seconds", "last_runs"],
  "properties": {
    "rules": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["kind", "keep_days"],
        "properties": {
          "kind": {"$ref": "#/components/schemas/RetentionKind"},
          "keep_days": {
            "type": ["integer", "null"],
            "description": "Days kept; null keeps forever."
          }
        },
        "additionalProperties": false
      }
    },
    "every_seconds": {
      "type": "integer",
      "minimum": 1,
      "description": "How often retention runs by itself."
    },
    "last_runs": {
      "type": "array",
      "description": "The last run of each rule.",
      "items": {
        "type": "object",
        "required": ["kind", "at", "cutoff", "removed"],
        "properties": {
          "kind": {"$ref": "#/components/schemas/RetentionKind"},
          "at": {"$ref": "#/components/schemas/DateTime"},
          "cutoff": {"$ref": "#/components/schemas/DateTime"},
          "removed": {"type": "integer", "minimum": 0}
        },
        "additionalProperties": false
      }
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// RetentionRun
    RetentionRun [crate::routes::auth::schemas::DateTime, RetentionKind] = r##"{
  "type": "object",
  "required": ["removed"],
  "properties": {
    "removed": {
      "type": "array",
      "description": "Per rule that keeps data for a limited time: how many rows older than `cutoff` were removed.",
      "items": {
        "type": "object",
        "required": ["kind", "removed", "cutoff"],
        "properties": {
          "kind": {"$ref": "#/components/schemas/RetentionKind"},
          "removed": {"type": "integer", "minimum": 0},
          "cutoff": {"$ref": "#/components/schemas/DateTime"}
        },
        "additionalProperties": false
      }
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// NewUser
    NewUser [crate::routes::auth::schemas::Role] = r##"{
  "type": "object",
  "required": ["email", "role"],
  "properties": {
    "email": {
      "type": "string",
      "description": "Not a valid e-mail address is 422; an existing one 409."
    },
    "display_name": {"type": "string", "default": "", "description": "Kept to 120 characters."},
    "role": {"$ref": "#/components/schemas/Role"},
    "scope": {"type": "string", "default": "all", "description": "As in `RoleGrantInput`."},
    "organisation": {"type": "string", "default": "", "maxLength": 120, "description": "The organisation a partner acts for (a housing corporation, an energy cooperative, …): required for role `partner` (else 422), empty for everyone else."},
    "password": {
      "type": ["string", "null"],
      "minLength": 12,
      "maxLength": 1024,
      "description": "For staff: at least 12 characters (else 422). Without one the account can sign in only by e-mail code."
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// UserPatch
    UserPatch = r#"{
  "type": "object",
  "required": ["disabled"],
  "properties": {
    "disabled": {
      "type": "boolean",
      "description": "Disabling ends the account's sessions; disabling yourself is 422."
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// NewCustomArea
    NewCustomArea [MultiPolygon, Polygon] = r##"{
  "type": "object",
  "required": ["name", "geometry"],
  "properties": {
    "name": {
      "type": "string",
      "minLength": 1,
      "maxLength": 120,
      "description": "1 to 120 characters after trimming (else 422)."
    },
    "geometry": {
      "description": "GeoJSON Polygon or MultiPolygon in WGS84 lon/lat, rings of at least 4 positions. Not GeoJSON is 400; another geometry type or bad rings 422.",
      "oneOf": [
        {"$ref": "#/components/schemas/Polygon"},
        {"$ref": "#/components/schemas/MultiPolygon"}
      ]
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The body of `setUserRoles` (request, `application/json`).
    SetUserRolesBody [RoleGrantInput] = r##"{"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/RoleGrantInput"}}"##
}

parameter! {
    /// The parameter `limit` of `auditLog`.
    AuditLogLimitParam = r#"{
  "name": "limit",
  "in": "query",
  "required": false,
  "description": "The most events (1 to 1000).",
  "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}
}"#
}

parameter! {
    /// The parameter `before` of `auditLog`.
    AuditLogBeforeParam = r#"{
  "name": "before",
  "in": "query",
  "required": false,
  "description": "Only events with a smaller id (the next page).",
  "schema": {"type": "integer"}
}"#
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<Polygon>(out);
    crate::openapi::collect::<MultiPolygon>(out);
    crate::openapi::collect::<RoleGrantInput>(out);
    crate::openapi::collect::<CustomArea>(out);
    crate::openapi::collect::<CustomAreaCreated>(out);
    crate::openapi::collect::<AuditEvent>(out);
    crate::openapi::collect::<RetentionKind>(out);
    crate::openapi::collect::<RetentionStatus>(out);
    crate::openapi::collect::<RetentionRun>(out);
    crate::openapi::collect::<NewUser>(out);
    crate::openapi::collect::<UserPatch>(out);
    crate::openapi::collect::<NewCustomArea>(out);
}
