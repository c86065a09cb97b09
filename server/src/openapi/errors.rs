//! Error bodies with the `code`s an operation may answer: `inline(errors::Name)` in
//! `#[utoipa::path]` is the `Error` schema with `code` narrowed.

use crate::openapi::schema;

schema! {
    /// An `Error` with `code` `BadRequest` or `InvalidToken`.
    BadRequestOrInvalidToken [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"enum": ["BadRequest", "InvalidToken"]}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `InvalidCredentials` or `TotpRequired`.
    InvalidCredentialsOrTotpRequired [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"enum": ["InvalidCredentials", "TotpRequired"]}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `Conflict`.
    Conflict [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"const": "Conflict"}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `SignInRequired` or `InvalidCredentials`.
    SignInRequiredOrInvalidCredentials [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"enum": ["SignInRequired", "InvalidCredentials"]}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `Unprocessable`.
    Unprocessable [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"const": "Unprocessable"}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `BadRequest` or `InvalidCode`.
    BadRequestOrInvalidCode [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"enum": ["BadRequest", "InvalidCode"]}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `InvalidParameterValue`.
    InvalidParameterValue [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"const": "InvalidParameterValue"}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `CsrfRejected` or `Forbidden`.
    CsrfRejectedOrForbidden [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"enum": ["CsrfRejected", "Forbidden"]}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `BadRequest` or `InvalidParameterValue`.
    BadRequestOrInvalidParameterValue [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"enum": ["BadRequest", "InvalidParameterValue"]}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `PayloadTooLarge`.
    PayloadTooLarge [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"const": "PayloadTooLarge"}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `UnsupportedMediaType`.
    UnsupportedMediaType [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"const": "UnsupportedMediaType"}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `Busy`.
    Busy [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"const": "Busy"}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `Forbidden`.
    Forbidden [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"const": "Forbidden"}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `NotFound`.
    NotFound [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"const": "NotFound"}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `CsrfRejected`.
    CsrfRejected [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"const": "CsrfRejected"}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `SignInRequired`.
    SignInRequired [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"const": "SignInRequired"}}}
  ]
}"##
}

schema! {
    /// An `Error` with `code` `BadRequest`.
    BadRequest [super::shared::Error] = r##"{
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {"type": "object", "properties": {"code": {"const": "BadRequest"}}}
  ]
}"##
}
