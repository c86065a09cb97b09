//! Responses that several operations give (`#/components/responses/…`): `response = Name` in
//! `#[utoipa::path]` refers to one.

use utoipa::openapi::{RefOr, Response};

/// Declares the shared responses: a type for each, and the list for `components.responses`.
macro_rules! responses {
    ($($(#[doc = $doc:literal])* $name:ident = $json:literal,)*) => {
        $(
            $(#[doc = $doc])*
            pub(crate) struct $name;
            impl<'r> utoipa::ToResponse<'r> for $name {
                fn response() -> (&'r str, RefOr<Response>) {
                    (stringify!($name), crate::openapi::response($json))
                }
            }
        )*
        /// The shared responses, for the document's `components.responses`.
        pub(crate) fn components() -> Vec<(&'static str, &'static str)> {
            vec![$((stringify!($name), $json)),*]
        }
    };
}

responses! {
    /// A parameter is missing or invalid; `description` says which and why.
    BadRequest = r##"{
  "description": "A parameter is missing or invalid; `description` says which and why.",
  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
}"##,
    /// No such resource (collection, feature, tile layer, account, …); `description` says what.
    NotFound = r##"{
  "description": "No such resource (collection, feature, tile layer, account, …); `description` says what.",
  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
}"##,
    /// The body is not well-formed JSON (`BadRequest`).
    MalformedBody = r##"{
  "description": "The body is not well-formed JSON (`BadRequest`).",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "BadRequest"}}}
        ]
      }
    }
  }
}"##,
    /// The body is not well-formed JSON (`BadRequest`), or a value in it is malformed …
    BadBody = r##"{
  "description": "The body is not well-formed JSON (`BadRequest`), or a value in it is malformed (`InvalidParameterValue`, naming it).",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {
            "type": "object",
            "properties": {"code": {"enum": ["BadRequest", "InvalidParameterValue"]}}
          }
        ]
      }
    }
  }
}"##,
    /// Not signed in (no session, a device session, or an ended one): `SignInRequired`.
    SignInRequired = r##"{
  "description": "Not signed in (no session, a device session, or an ended one): `SignInRequired`.",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "SignInRequired"}}}
        ]
      }
    }
  }
}"##,
    /// Signed in, but the caller's roles and scopes do not allow this: `Forbidden`.
    Forbidden = r##"{
  "description": "Signed in, but the caller's roles and scopes do not allow this: `Forbidden`.",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "Forbidden"}}}
        ]
      }
    }
  }
}"##,
    /// Refused before the handler: a cross-site request, or a request with a session cookie …
    CsrfRejected = r##"{
  "description": "Refused before the handler: a cross-site request, or a request with a session cookie but without its `X-CSRF-Token` (`CsrfRejected`).",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "CsrfRejected"}}}
        ]
      }
    }
  }
}"##,
    /// `CsrfRejected`: a cross-site request, or a session cookie without its `X-CSRF-Token`; …
    ForbiddenOrCsrfRejected = r##"{
  "description": "`CsrfRejected`: a cross-site request, or a session cookie without its `X-CSRF-Token`; `Forbidden`: the caller's roles and scopes do not allow this.",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"enum": ["CsrfRejected", "Forbidden"]}}}
        ]
      }
    }
  }
}"##,
    /// The request conflicts with the current state: `Conflict`.
    Conflict = r##"{
  "description": "The request conflicts with the current state: `Conflict`.",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "Conflict"}}}
        ]
      }
    }
  }
}"##,
    /// The body is larger than 64 KiB: `PayloadTooLarge`.
    PayloadTooLarge = r##"{
  "description": "The body is larger than 64 KiB: `PayloadTooLarge`.",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "PayloadTooLarge"}}}
        ]
      }
    }
  }
}"##,
    /// The body is not sent as `application/json`: `UnsupportedMediaType`.
    UnsupportedMediaType = r##"{
  "description": "The body is not sent as `application/json`: `UnsupportedMediaType`.",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "UnsupportedMediaType"}}}
        ]
      }
    }
  }
}"##,
    /// Well-formed JSON with unknown fields, missing fields, values of the wrong type, or …
    Unprocessable = r##"{
  "description": "Well-formed JSON with unknown fields, missing fields, values of the wrong type, or values the server does not accept: `Unprocessable`; `description` names the field.",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "Unprocessable"}}}
        ]
      }
    }
  }
}"##,
    /// Rate limited: sign-in per client address, wrong passwords per account and client …
    TooManyRequests = r##"{
  "description": "Rate limited: sign-in per client address, wrong passwords per account and client address, sign-in mails per address, wrong TOTP codes per account (a mailed code is never refused); letter codes per account; exports and letters per account; reports per client address; photo uploads per client address and per reporter: `TooManyRequests`.",
  "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}},
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "TooManyRequests"}}}
        ]
      }
    }
  }
}"##,
    /// No session: sign in, or start a device session (`POST /api/auth/device`): …
    SessionRequired = r##"{
  "description": "No session: sign in, or start a device session (`POST /api/auth/device`): `SignInRequired`.",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "SignInRequired"}}}
        ]
      }
    }
  }
}"##,
    /// Values the server does not accept: `Unprocessable`. When the handler checked the …
    InvalidValues = r##"{
  "description": "Values the server does not accept: `Unprocessable`. When the handler checked the values, `errors` lists every failing field; unknown fields, missing fields and values of the wrong JSON type (refused while the body is read) come without `errors`.",
  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationError"}}}
}"##,
    /// Too many reports are waiting to be written (back-pressure): `Busy`; try again in a …
    Busy = r##"{
  "description": "Too many reports are waiting to be written (back-pressure): `Busy`; try again in a moment. As in every 5xx body, `description` says only \"internal error\".",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "Busy"}}}
        ]
      }
    }
  }
}"##,
    /// No such report, or one the caller may not see (whether a report about a home exists is …
    NotFoundReport = r##"{
  "description": "No such report, or one the caller may not see (whether a report about a home exists is private): `NotFound`.",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "NotFound"}}}
        ]
      }
    }
  }
}"##,
    /// `CsrfRejected`: a cross-site request, or a session cookie without its `X-CSRF-Token`; …
    ModeratorOnly = r##"{
  "description": "`CsrfRejected`: a cross-site request, or a session cookie without its `X-CSRF-Token`; `Forbidden`: the caller is not a communitybuilder, wijkondernemer or admin whose scope contains the report (a device session included).",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"enum": ["CsrfRejected", "Forbidden"]}}}
        ]
      }
    }
  }
}"##,
    /// No session at all: `SignInRequired`. (A device session is refused with 403.)
    NoSession = r##"{
  "description": "No session at all: `SignInRequired`. (A device session is refused with 403.)",
  "content": {
    "application/json": {
      "schema": {
        "allOf": [
          {"$ref": "#/components/schemas/Error"},
          {"type": "object", "properties": {"code": {"const": "SignInRequired"}}}
        ]
      }
    }
  }
}"##,
}
