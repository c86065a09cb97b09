//! The schemas of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::schema;

schema! {
    /// RFC 3339, UTC, whole seconds.
    DateTime = r#"{
  "type": "string",
  "format": "date-time",
  "description": "RFC 3339, UTC, whole seconds.",
  "examples": ["2026-11-26T12:00:00Z"]
}"#
}

schema! {
    /// `resident` acts on their own account and verified addresses; the others are staff …
    Role = r#"{
  "type": "string",
  "description": "`resident` acts on their own account and verified addresses; the others are staff roles, each held in a scope.",
  "enum": ["resident", "volunteer", "communitybuilder", "wijkondernemer", "gemeente", "partner", "admin"]
}"#
}

schema! {
    /// Where a role applies: `all`, a CBS code (the area and everything in it) or …
    Scope = r#"{
  "type": "string",
  "description": "Where a role applies: `all`, a CBS code (the area and everything in it) or `polygon:{id}` (a custom area).",
  "pattern": "^(all|GM[0-9]{4}|WK[0-9]{6}|BU[0-9]{8}|polygon:[0-9]+)$",
  "examples": ["WK199901"]
}"#
}

schema! {
    /// A role held in a scope.
    RoleGrant [Role, Scope] = r##"{
  "type": "object",
  "description": "A role held in a scope.",
  "required": ["role", "scope"],
  "properties": {
    "role": {"$ref": "#/components/schemas/Role"},
    "scope": {"$ref": "#/components/schemas/Scope"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// An account (never its secrets).
    User [crate::openapi::shared::BagId, DateTime, RoleGrant] = r##"{
  "type": "object",
  "description": "An account (never its secrets).",
  "required": [
    "id",
    "email",
    "display_name",
    "roles",
    "totp_enabled",
    "has_password",
    "disabled",
    "created_at",
    "verified_addresses"
  ],
  "properties": {
    "id": {"type": "integer"},
    "email": {"type": "string", "description": "The sign-in name, lower case."},
    "display_name": {"type": "string", "description": "May be empty."},
    "organisation": {"type": "string", "description": "The organisation a partner acts for; empty for everyone else."},
    "roles": {"type": "array", "items": {"$ref": "#/components/schemas/RoleGrant"}},
    "totp_enabled": {
      "type": "boolean",
      "description": "Signing in with a password also needs a TOTP code."
    },
    "has_password": {
      "type": "boolean",
      "description": "The account signs in with a password. Staff accounts without one cannot sign in until they set one through a password link (`sendPasswordLink`)."
    },
    "disabled": {
      "type": "boolean",
      "description": "A disabled account cannot sign in and has no sessions."
    },
    "created_at": {"$ref": "#/components/schemas/DateTime"},
    "verified_addresses": {
      "type": "array",
      "description": "Addresses the account proved with a letter code (always empty in admin lists).",
      "items": {"$ref": "#/components/schemas/BagId"}
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The caller's session.
    Session [User] = r##"{
  "type": "object",
  "description": "The caller's session.",
  "required": ["signed_in", "device", "csrf", "user"],
  "properties": {
    "signed_in": {"type": "boolean", "description": "An account is signed in."},
    "device": {
      "type": "boolean",
      "description": "A pseudonymous device session (a reporter without an account)."
    },
    "csrf": {
      "type": ["string", "null"],
      "description": "The token to send as `X-CSRF-Token`; null without a session."
    },
    "user": {"oneOf": [{"$ref": "#/components/schemas/User"}, {"type": "null"}]}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// EmailSignInRequest
    EmailSignInRequest = r#"{
  "type": "object",
  "required": ["email"],
  "properties": {"email": {"type": "string", "description": "Not a valid e-mail address is 422."}},
  "additionalProperties": false
}"#
}

schema! {
    /// The token of the mailed link, or the address and the six-digit code; anything else is 422.
    EmailVerifyRequest = r#"{
  "description": "The token of the mailed link, or the address and the six-digit code; anything else is 422.",
  "oneOf": [
    {
      "type": "object",
      "required": ["token"],
      "properties": {"token": {"type": "string"}},
      "additionalProperties": false
    },
    {
      "type": "object",
      "required": ["email", "code"],
      "properties": {
        "email": {"type": "string"},
        "code": {"type": "string", "description": "The six-digit code of the mail."}
      },
      "additionalProperties": false
    }
  ]
}"#
}

schema! {
    /// PasswordSignInRequest
    PasswordSignInRequest = r#"{
  "type": "object",
  "required": ["email", "password"],
  "properties": {
    "email": {"type": "string"},
    "password": {"type": "string"},
    "totp": {
      "type": ["string", "null"],
      "description": "The six-digit code of the authenticator app, for accounts with TOTP."
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `setPasswordWithLink`.
    PasswordLinkRequest = r#"{
  "type": "object",
  "required": ["token", "password"],
  "properties": {
    "token": {"type": "string", "description": "The token of the mailed link (after `#wachtwoord=`)."},
    "password": {"type": "string", "description": "The new password: at least 12 characters (422 otherwise, and the link stays valid)."}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `requestEmailSignIn` (202, `application/json`).
    RequestEmailSignIn202 = r#"{
  "type": "object",
  "required": ["sent"],
  "properties": {"sent": {"type": "boolean", "const": true}},
  "additionalProperties": false
}"#
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<DateTime>(out);
    crate::openapi::collect::<Role>(out);
    crate::openapi::collect::<Scope>(out);
    crate::openapi::collect::<RoleGrant>(out);
    crate::openapi::collect::<User>(out);
    crate::openapi::collect::<Session>(out);
    crate::openapi::collect::<EmailSignInRequest>(out);
    crate::openapi::collect::<EmailVerifyRequest>(out);
    crate::openapi::collect::<PasswordSignInRequest>(out);
    crate::openapi::collect::<PasswordLinkRequest>(out);
}
