//! The schemas of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::schema;

schema! {
    /// The body of every error response (OGC API style).
    Error [FieldError] = r##"{
  "type": "object",
  "description": "The body of every error response (OGC API style).",
  "required": ["code", "description"],
  "properties": {
    "code": {
      "type": "string",
      "description": "Machine-readable code: `InvalidParameterValue`, `BadRequest`, `NotFound`, `SignInRequired`, `Forbidden`, `CsrfRejected`, `CorsRejected`, `InvalidCredentials`, `TotpRequired`, `InvalidToken`, `InvalidCode`, `Conflict`, `PayloadTooLarge`, `UnsupportedMediaType`, `Unprocessable`, `TooManyRequests`, `Busy`, `InternalError`.",
      "examples": ["InvalidParameterValue"]
    },
    "description": {
      "type": "string",
      "description": "Human-readable explanation.",
      "examples": ["limit must be between 1 and 1000"]
    },
    "errors": {
      "type": "array",
      "description": "Only on a 422 from a handler that checks values itself: every failing field.",
      "items": {"$ref": "#/components/schemas/FieldError"}
    },
    "parameter": {"type": "string", "description": "Only on a 400 for an OGC `filter` that does not compile: `filter`.", "const": "filter"},
    "field": {"type": ["string", "null"], "description": "Only on a 400 for an OGC `filter`: the field the filter names wrongly (unknown, or compared with a value of another type); null when no field is to blame (a syntax error)."},
    "position": {
      "type": "object",
      "description": "Only on a 400 for an OGC `filter`: where in its text, 1-based.",
      "required": ["line", "column"],
      "properties": {"line": {"type": "integer", "minimum": 1}, "column": {"type": "integer", "minimum": 1}}
    }
  }
}"##
}

schema! {
    /// BAG identificatie: 16 digits, leading zeros kept.
    BagId = r#"{
  "type": "string",
  "description": "BAG identificatie: 16 digits, leading zeros kept.",
  "pattern": "^[0-9]{16}$",
  "examples": ["0363100012345678"]
}"#
}

schema! {
    /// `buildings`, `addresses` and `areas` are open register data. `do-not-knock` (the …
    CollectionId = r#"{
  "type": "string",
  "enum": ["buildings", "addresses", "areas", "do-not-knock", "work", "urgency-buurt", "urgency-wijk", "urgency-grid100", "urgency-h3-9"],
  "description": "`buildings`, `addresses` and `areas` are open register data; `urgency-buurt`, `urgency-wijk`, `urgency-grid100` and `urgency-h3-9` are the urgency indicators per cell (aggregates, everyone). `work` (one point per work item) is only listed for, and only answers, those who may see work items (admin; wijkondernemer and communitybuilder, with only the items inside their scope, opted-out households left out). `do-not-knock` (the do-not-knock register: addresses whose household opted out of canvassing, as `AddressFeature`s) is only listed for, and only answers, staff who may plan canvassing (admin; wijkondernemer and communitybuilder, with only the features inside their scope); others get 401 or 403."
}"#
}

schema! {
    /// A tileset: the register layers `buildings`, `addresses`, `areas`; the overlays …
    TileLayer = r#"{
  "type": "string",
  "description": "A tileset: the register layers `buildings`, `addresses`, `areas`; the overlays `observations_per_buurt` (k-anonymous report counts per buurt and type, from zoom 10), `public_space` (reports about public space, from zoom 12), `observations` (reports about homes, from zoom 12; staff with household rights in their scope) and `do_not_knock` (the do-not-knock register, address points from zoom 14; admin, wijkondernemer and communitybuilder in their scope); `trees` (the tree register, from zoom 15); `street_names` (one line per stretch of a street along its addresses, from zoom 15, for labels); `work` (one point per work item; staff who may see work items, in their scope); the urgency indicators, one tileset per level, not in `all`: `urgency_gemeente`, `urgency_wijk`, `urgency_buurt`, `urgency_grid100`, `urgency_h3_8`, `urgency_h3_9`, `urgency_h3_10` (every indicator per released cell: its value, `<indicator>_klasse` 0–4 and `<indicator>_onderdrukt`; aggregates, everyone; see `/api/urgency/style`); and `all`, the composite of the register layers and the overlays the caller may see. Earlier names, answered for one release: `meldingen_per_buurt`, `openbare_ruimte`, `meldingen`, `niet_aanbellen`.",
  "enum": [
    "all",
    "buildings",
    "addresses",
    "areas",
    "observations_per_buurt",
    "public_space",
    "observations",
    "do_not_knock",
    "trees",
    "street_names",
    "work",
    "urgency_gemeente",
    "urgency_wijk",
    "urgency_buurt",
    "urgency_grid100",
    "urgency_h3_8",
    "urgency_h3_9",
    "urgency_h3_10",
    "meldingen_per_buurt",
    "openbare_ruimte",
    "meldingen",
    "niet_aanbellen"
  ]
}"#
}

schema! {
    /// A tileset (see `TileLayer`).
    TileSet [TileLayer] = r##"{"$ref": "#/components/schemas/TileLayer", "description": "A tileset (see `TileLayer`)."}"##
}

schema! {
    /// CBS code of a gemeente (`GMgggg`), wijk (`WKggggww`) or buurt (`BUggggwwbb`).
    AreaCode = r#"{
  "type": "string",
  "description": "CBS code of a gemeente (`GMgggg`), wijk (`WKggggww`) or buurt (`BUggggwwbb`).",
  "pattern": "^(GM[0-9]{4}|WK[0-9]{6}|BU[0-9]{8})$",
  "examples": ["BU19990102"]
}"#
}

schema! {
    /// Purposes a resident can opt out of for their address.
    OptOutPurpose = r#"{
  "type": "string",
  "description": "Purposes a resident can opt out of for their address.",
  "enum": ["canvassing", "contact", "research"]
}"#
}

schema! {
    /// Purposes an account can consent to (the consent ledger).
    ConsentPurpose = r#"{
  "type": "string",
  "description": "Purposes an account can consent to: those of the address register, and `talent` (matching the account's offer of time and talent to work; withdrawing it deletes the offer).",
  "enum": ["canvassing", "contact", "research", "talent"]
}"#
}

schema! {
    /// One failing field.
    FieldError = r#"{
  "type": "object",
  "description": "One failing field.",
  "required": ["field", "message"],
  "properties": {
    "field": {
      "type": "string",
      "description": "JSON pointer into the request body (`/answers/panels`, `/target/building`); empty for the body as a whole.",
      "examples": ["/answers/panels"]
    },
    "message": {"type": "string", "description": "What is wrong."}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// A 422 body: `Error` with `code` `Unprocessable` and, when the handler checked the …
    ValidationError [Error, FieldError] = r##"{
  "description": "A 422 body: `Error` with `code` `Unprocessable` and, when the handler checked the values, `errors`.",
  "allOf": [
    {"$ref": "#/components/schemas/Error"},
    {
      "type": "object",
      "properties": {
        "code": {"const": "Unprocessable"},
        "errors": {
          "type": "array",
          "minItems": 1,
          "items": {"$ref": "#/components/schemas/FieldError"}
        }
      }
    }
  ]
}"##
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<Error>(out);
    crate::openapi::collect::<BagId>(out);
    crate::openapi::collect::<CollectionId>(out);
    crate::openapi::collect::<TileLayer>(out);
    crate::openapi::collect::<TileSet>(out);
    crate::openapi::collect::<AreaCode>(out);
    crate::openapi::collect::<OptOutPurpose>(out);
    crate::openapi::collect::<ConsentPurpose>(out);
    crate::openapi::collect::<FieldError>(out);
    crate::openapi::collect::<ValidationError>(out);
}
