//! The schemas, headers and parameters of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::{header, parameter, schema};

schema! {
    /// Open311Error
    Open311Error = r#"{
  "type": "object",
  "required": ["code", "description"],
  "properties": {
    "code": {"type": "integer", "description": "The HTTP status."},
    "description": {"type": "string"}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// GeoReport v2 errors: one per problem (a 422 lists one per failing attribute, …
    Open311Errors [Open311Error] = r##"{
  "type": "array",
  "minItems": 1,
  "items": {"$ref": "#/components/schemas/Open311Error"},
  "description": "GeoReport v2 errors: one per problem (a 422 lists one per failing attribute, `attribute[severity]: …`)."
}"##
}

schema! {
    /// Open311Service
    Open311Service = r#"{
  "type": "object",
  "required": [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group"
  ],
  "properties": {
    "service_code": {
      "type": "string",
      "description": "The observation type's name.",
      "examples": ["greenery_distress"]
    },
    "service_name": {"type": "string", "description": "Its Dutch title."},
    "description": {"type": "string"},
    "metadata": {"type": "boolean", "description": "It has attributes (`services/{service_code}`)."},
    "type": {"type": "string", "const": "realtime"},
    "keywords": {"type": "string", "description": "Comma-separated."},
    "group": {"type": "string", "const": "openbare ruimte"}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// Open311Attribute
    Open311Attribute = r#"{
  "type": "object",
  "required": [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description"
  ],
  "properties": {
    "variable": {"type": "boolean", "const": true},
    "code": {
      "type": "string",
      "description": "Sent as `attribute[{code}]` (`attribute[{code}][]` per value of a `multivaluelist`)."
    },
    "datatype": {
      "type": "string",
      "enum": ["string", "text", "number", "singlevaluelist", "multivaluelist"]
    },
    "required": {"type": "boolean"},
    "datatype_description": {"type": "string"},
    "order": {"type": "integer", "minimum": 1},
    "description": {"type": "string"},
    "values": {
      "type": "array",
      "description": "The options of a list.",
      "items": {
        "type": "object",
        "required": ["key", "name"],
        "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
        "additionalProperties": false
      }
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// Open311ServiceDefinition
    Open311ServiceDefinition [Open311Attribute] = r##"{
  "type": "object",
  "required": ["service_code", "attributes"],
  "properties": {
    "service_code": {"type": "string"},
    "attributes": {
      "type": "array",
      "items": {"$ref": "#/components/schemas/Open311Attribute"},
      "description": "Every answer of the type's schema but `note` (that is the request's `description`), the required ones first."
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// Open311ServiceRequest
    Open311ServiceRequest [crate::routes::auth::schemas::DateTime] = r##"{
  "type": "object",
  "required": [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "requested_datetime",
    "updated_datetime",
    "address",
    "lat",
    "long",
    "media_url"
  ],
  "properties": {
    "service_request_id": {"type": "string", "pattern": "^[0-9]+$", "description": "The report id."},
    "status": {
      "type": "string",
      "enum": ["open", "closed"],
      "description": "`open`: new or confirmed; `closed`: resolved, rejected or merged. Hidden and withdrawn reports are not listed."
    },
    "status_notes": {"type": ["string", "null"]},
    "service_name": {"type": "string"},
    "service_code": {"type": "string"},
    "description": {
      "type": ["string", "null"],
      "description": "The note; null while a moderator has not looked at a note that seems to hold personal data."
    },
    "agency_responsible": {
      "type": ["string", "null"],
      "description": "`Gemeente {name}` of the buurt it lies in."
    },
    "requested_datetime": {"$ref": "#/components/schemas/DateTime"},
    "updated_datetime": {"$ref": "#/components/schemas/DateTime"},
    "address": {"type": "null", "description": "Addresses are not given."},
    "lat": {"type": "number", "minimum": -90, "maximum": 90},
    "long": {"type": "number", "minimum": -180, "maximum": 180},
    "media_url": {"type": ["string", "null"], "description": "The absolute URL of its first photo."}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// Open311RequestCreated
    Open311RequestCreated = r#"{
  "type": "object",
  "required": ["service_request_id", "service_notice", "account_id"],
  "properties": {
    "service_request_id": {"type": "string", "pattern": "^[0-9]+$"},
    "service_notice": {"type": "string"},
    "account_id": {"type": "null"}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// GeoReport v2 `POST requests`. Empty parameters count as not given; a parameter given …
    Open311RequestForm = r#"{
  "type": "object",
  "required": ["service_code", "lat", "long"],
  "description": "GeoReport v2 `POST requests`. Empty parameters count as not given; a parameter given twice is 400. `address_string`, `address_id` (not looked up: give `lat`/`long`), `media_url` (not fetched; the notice says so), `api_key`, `jurisdiction_id`, `device_id`, `account_id` and any other parameter are ignored.",
  "properties": {
    "service_code": {"type": "string", "description": "A service of `services`; unknown is 404."},
    "lat": {
      "type": "number",
      "minimum": -90,
      "maximum": 90,
      "description": "WGS84 degrees; missing or out of range is 400."
    },
    "long": {"type": "number", "minimum": -180, "maximum": 180},
    "description": {"type": "string", "description": "Becomes the report's note."},
    "email": {
      "type": "string",
      "maxLength": 254,
      "description": "Contact details (`email`, `first_name`, `last_name`, `phone`) are kept apart from the report and never published; with a signed-in session they are not kept (the account has them)."
    },
    "first_name": {"type": "string", "maxLength": 100},
    "last_name": {"type": "string", "maxLength": 100},
    "phone": {
      "type": "string",
      "maxLength": 32,
      "description": "Digits, spaces and `+ - ( ) .`, at least 6 digits."
    }
  },
  "patternProperties": {
    "^attribute\\[[^\\]]+\\](\\[\\])?$": {
      "type": "string",
      "description": "An attribute of the service definition: `attribute[code]=value`, or `attribute[code][]=value` once per value of a `multivaluelist`."
    }
  }
}"#
}

schema! {
    /// The body of `open311Services` (200, `text/xml`).
    Open311Services200Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

header! {
    /// The `Cache-Control` header of `open311Services` (200).
    Open311Services200CacheControl = r#"{
  "description": "`public, max-age=300`.",
  "required": true,
  "schema": {"type": "string", "const": "public, max-age=300"}
}"#
}

parameter! {
    /// The parameter `service_code` of `open311ServiceDefinition`.
    Open311ServiceDefinitionServiceCodeParam = r#"{
  "name": "service_code",
  "in": "path",
  "required": true,
  "description": "A service; any other is 404.",
  "schema": {"type": "string"}
}"#
}

schema! {
    /// The body of `open311ServiceDefinition` (200, `text/xml`).
    Open311ServiceDefinition200Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

header! {
    /// The `Cache-Control` header of `open311ServiceDefinition` (200).
    Open311ServiceDefinition200CacheControl = r#"{
  "description": "`public, max-age=300`.",
  "required": true,
  "schema": {"type": "string", "const": "public, max-age=300"}
}"#
}

schema! {
    /// The body of `open311ServiceDefinition` (404, `text/xml`).
    Open311ServiceDefinition404Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

parameter! {
    /// The parameter `service_request_id` of `open311Requests`.
    Open311RequestsServiceRequestIdParam = r#"{
  "name": "service_request_id",
  "in": "query",
  "required": false,
  "description": "Comma-separated ids (up to 1000); overrides every other filter. Ids of reports that are not shown are left out.",
  "schema": {"type": "string", "pattern": "^[0-9]+(,[0-9]+)*$"}
}"#
}

parameter! {
    /// The parameter `service_code` of `open311Requests`.
    Open311RequestsServiceCodeParam = r#"{
  "name": "service_code",
  "in": "query",
  "required": false,
  "description": "Comma-separated services; an unknown one is 400.",
  "schema": {"type": "string"}
}"#
}

parameter! {
    /// The parameter `start_date` of `open311Requests`.
    Open311RequestsStartDateParam = r#"{
  "name": "start_date",
  "in": "query",
  "required": false,
  "description": "W3C date-time with a time zone.",
  "schema": {"type": "string", "format": "date-time"}
}"#
}

parameter! {
    /// The parameter `end_date` of `open311Requests`.
    Open311RequestsEndDateParam = r#"{
  "name": "end_date",
  "in": "query",
  "required": false,
  "description": "W3C date-time with a time zone; not before `start_date`.",
  "schema": {"type": "string", "format": "date-time"}
}"#
}

parameter! {
    /// The parameter `status` of `open311Requests`.
    Open311RequestsStatusParam = r#"{
  "name": "status",
  "in": "query",
  "required": false,
  "description": "Comma-separated `open`, `closed`.",
  "schema": {"type": "string", "pattern": "^(open|closed)(,(open|closed))*$"}
}"#
}

schema! {
    /// The body of `open311Requests` (200, `text/xml`).
    Open311Requests200Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

header! {
    /// The `Cache-Control` header of `open311Requests` (200).
    Open311Requests200CacheControl = r#"{"description": "`no-cache`.", "required": true, "schema": {"type": "string", "const": "no-cache"}}"#
}

schema! {
    /// The body of `open311Requests` (400, `text/xml`).
    Open311Requests400Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

schema! {
    /// The body of `open311CreateRequest` (200, `application/json`).
    Open311CreateRequest200Json [Open311RequestCreated] = r##"{
  "type": "array",
  "minItems": 1,
  "maxItems": 1,
  "items": {"$ref": "#/components/schemas/Open311RequestCreated"}
}"##
}

schema! {
    /// The body of `open311CreateRequest` (200, `text/xml`).
    Open311CreateRequest200Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

header! {
    /// The `Cache-Control` header of `open311CreateRequest` (200).
    Open311CreateRequest200CacheControl = r#"{"description": "`no-store`.", "required": true, "schema": {"type": "string", "const": "no-store"}}"#
}

schema! {
    /// The body of `open311CreateRequest` (201, `application/json`).
    Open311CreateRequest201Json [Open311RequestCreated] = r##"{
  "type": "array",
  "minItems": 1,
  "maxItems": 1,
  "items": {"$ref": "#/components/schemas/Open311RequestCreated"}
}"##
}

schema! {
    /// The body of `open311CreateRequest` (201, `text/xml`).
    Open311CreateRequest201Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

header! {
    /// The `Cache-Control` header of `open311CreateRequest` (201).
    Open311CreateRequest201CacheControl = r#"{"description": "`no-store`.", "required": true, "schema": {"type": "string", "const": "no-store"}}"#
}

schema! {
    /// The body of `open311CreateRequest` (400, `text/xml`).
    Open311CreateRequest400Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

schema! {
    /// The body of `open311CreateRequest` (401, `text/xml`).
    Open311CreateRequest401Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

schema! {
    /// The body of `open311CreateRequest` (404, `text/xml`).
    Open311CreateRequest404Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

schema! {
    /// The body of `open311CreateRequest` (413, `text/xml`).
    Open311CreateRequest413Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

schema! {
    /// The body of `open311CreateRequest` (422, `text/xml`).
    Open311CreateRequest422Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

schema! {
    /// The body of `open311CreateRequest` (429, `text/xml`).
    Open311CreateRequest429Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

schema! {
    /// The body of `open311CreateRequest` (503, `text/xml`).
    Open311CreateRequest503Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

parameter! {
    /// The parameter `service_request_id` of `open311Request`.
    Open311RequestServiceRequestIdParam = r#"{
  "name": "service_request_id",
  "in": "path",
  "required": true,
  "description": "A report id; not a number, no such report, or one that is not a shown public-space report is 404.",
  "schema": {"type": "integer"}
}"#
}

schema! {
    /// The body of `open311Request` (200, `application/json`).
    Open311Request200Json [Open311ServiceRequest] = r##"{
  "type": "array",
  "minItems": 1,
  "maxItems": 1,
  "items": {"$ref": "#/components/schemas/Open311ServiceRequest"}
}"##
}

schema! {
    /// The body of `open311Request` (200, `text/xml`).
    Open311Request200Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

header! {
    /// The `Cache-Control` header of `open311Request` (200).
    Open311Request200CacheControl = r#"{"description": "`no-cache`.", "required": true, "schema": {"type": "string", "const": "no-cache"}}"#
}

schema! {
    /// The body of `open311Request` (404, `text/xml`).
    Open311Request404Xml = r#"{
  "type": "string",
  "description": "The same content as XML (UTF-8, no namespace), elements in the spec's order."
}"#
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<Open311Error>(out);
    crate::openapi::collect::<Open311Errors>(out);
    crate::openapi::collect::<Open311Service>(out);
    crate::openapi::collect::<Open311Attribute>(out);
    crate::openapi::collect::<Open311ServiceDefinition>(out);
    crate::openapi::collect::<Open311ServiceRequest>(out);
    crate::openapi::collect::<Open311RequestCreated>(out);
    crate::openapi::collect::<Open311RequestForm>(out);
}
