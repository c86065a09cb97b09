//! The schemas of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::schema;

schema! {
    /// BAG pand status, as BAG writes it.
    BuildingStatus = r#"{
  "type": "string",
  "description": "BAG pand status, as BAG writes it.",
  "enum": [
    "Bouwvergunning verleend",
    "Niet gerealiseerd pand",
    "Bouw gestart",
    "Pand in gebruik (niet ingemeten)",
    "Pand in gebruik",
    "Verbouwing pand",
    "Sloopvergunning verleend",
    "Pand gesloopt",
    "Pand buiten gebruik",
    "Pand ten onrechte opgevoerd"
  ]
}"#
}

schema! {
    /// BAG verblijfsobject (or ligplaats/standplaats) status, as BAG writes it.
    AddressStatus = r#"{
  "type": "string",
  "description": "BAG verblijfsobject (or ligplaats/standplaats) status, as BAG writes it.",
  "enum": [
    "Verblijfsobject gevormd",
    "Niet gerealiseerd verblijfsobject",
    "Verblijfsobject in gebruik (niet ingemeten)",
    "Verblijfsobject in gebruik",
    "Verblijfsobject ingetrokken",
    "Verblijfsobject buiten gebruik",
    "Verbouwing verblijfsobject",
    "Verblijfsobject ten onrechte opgevoerd",
    "Plaats aangewezen",
    "Plaats ingetrokken"
  ]
}"#
}

schema! {
    /// BAG gebruiksdoelen, comma separated in BAG's order (e.g. `woonfunctie,winkelfunctie`); …
    Gebruiksdoel = r#"{
  "type": ["string", "null"],
  "description": "BAG gebruiksdoelen, comma separated in BAG's order (e.g. `woonfunctie,winkelfunctie`); null when none.",
  "examples": ["woonfunctie,winkelfunctie"]
}"#
}

schema! {
    /// NullableString
    NullableString = r#"{"type": ["string", "null"]}"#
}

schema! {
    /// BuildingProperties
    BuildingProperties [Address, crate::openapi::shared::BagId, BuildingStatus, Gebruiksdoel, NullableString] = r##"{
  "type": "object",
  "required": [
    "identificatie",
    "bouwjaar",
    "status",
    "gebruiksdoel",
    "aantal_verblijfsobjecten",
    "buurtcode",
    "buurtnaam",
    "wijkcode",
    "wijknaam",
    "gemeentecode",
    "gemeentenaam",
    "b3_dak_type",
    "b3_opp_dak_plat",
    "b3_opp_dak_schuin",
    "b3_h_maaiveld",
    "b3_h_dak_70p",
    "opp_dak_geschikt_zon",
    "bouwjaar_klasse",
    "aantal_adressen",
    "adressen"
  ],
  "properties": {
    "identificatie": {
      "$ref": "#/components/schemas/BagId"
    },
    "bouwjaar": {
      "type": "integer",
      "description": "Construction year; 9999 means unknown.",
      "minimum": 0,
      "maximum": 9999
    },
    "status": {
      "$ref": "#/components/schemas/BuildingStatus"
    },
    "gebruiksdoel": {
      "$ref": "#/components/schemas/Gebruiksdoel"
    },
    "aantal_verblijfsobjecten": {
      "type": "integer",
      "minimum": 0
    },
    "buurtcode": {
      "$ref": "#/components/schemas/NullableString",
      "description": "CBS buurt code `BUggggwwbb`; null outside every buurt."
    },
    "buurtnaam": {
      "$ref": "#/components/schemas/NullableString"
    },
    "wijkcode": {
      "$ref": "#/components/schemas/NullableString",
      "description": "CBS wijk code `WKggggww`."
    },
    "wijknaam": {
      "$ref": "#/components/schemas/NullableString"
    },
    "gemeentecode": {
      "$ref": "#/components/schemas/NullableString",
      "description": "CBS gemeente code `GMgggg`."
    },
    "gemeentenaam": {
      "$ref": "#/components/schemas/NullableString"
    },
    "b3_dak_type": {
      "type": [
        "string",
        "null"
      ],
      "description": "3DBAG's roof type; null without 3DBAG data for the pand.",
      "enum": [
        "slanted",
        "multiple horizontal",
        "single horizontal",
        "horizontal",
        "no points",
        "could not detect",
        null
      ]
    },
    "b3_opp_dak_plat": {
      "type": [
        "number",
        "null"
      ],
      "description": "3DBAG: area of the flat roof parts, m²."
    },
    "b3_opp_dak_schuin": {
      "type": [
        "number",
        "null"
      ],
      "description": "3DBAG: area of the sloped roof parts, m²."
    },
    "b3_h_maaiveld": {
      "type": [
        "number",
        "null"
      ],
      "description": "3DBAG: ground level, m above NAP."
    },
    "b3_h_dak_70p": {
      "type": [
        "number",
        "null"
      ],
      "description": "3DBAG: 70th percentile of the roof height, m above NAP."
    },
    "opp_dak_geschikt_zon": {
      "type": [
        "number",
        "null"
      ],
      "description": "Roof area suitable for solar panels, m², from 3DBAG's LoD2.2 roof parts: flat (≤ 5°) or facing south-east to south-west (azimuth 112.5–247.5°) at ≤ 60° (ADR 14); null without 3DBAG data."
    },
    "bouwjaar_klasse": {
      "type": "integer",
      "minimum": 0,
      "maximum": 6,
      "description": "The map legend's bouwjaar class: 0 (< 1920), 1 (1920–1945), 2 (1946–1970), 3 (1971–1990), 4 (1991–2010), 5 (≥ 2011), 6 (unknown), as the tiles carry it: a style needs only a match."
    },
    "aantal_adressen": {
      "type": "integer",
      "minimum": 0,
      "description": "How many addresses `adressen` holds, flat for clients that read no nested arrays (QGIS); the addresses themselves are the collection `addresses`, linked by `pand_identificatie`."
    },
    "adressen": {
      "type": "array",
      "description": "The addresses (verblijfsobjecten) in the building, in address order.",
      "items": {
        "$ref": "#/components/schemas/Address"
      }
    }
  }
}"##
}

schema! {
    /// A BAG verblijfsobject with its main address.
    Address [AddressStatus, crate::openapi::shared::BagId, Gebruiksdoel, NullableString] = r##"{
  "type": "object",
  "description": "A BAG verblijfsobject with its main address.",
  "required": [
    "identificatie",
    "openbare_ruimte_naam",
    "huisnummer",
    "huisletter",
    "toevoeging",
    "postcode",
    "woonplaats_naam",
    "status",
    "gebruiksdoel",
    "oppervlakte",
    "energieklasse",
    "energieindex",
    "energielabel_registratiedatum"
  ],
  "properties": {
    "identificatie": {
      "$ref": "#/components/schemas/BagId"
    },
    "openbare_ruimte_naam": {
      "type": "string",
      "description": "Street."
    },
    "huisnummer": {
      "type": "integer",
      "minimum": 0
    },
    "huisletter": {
      "$ref": "#/components/schemas/NullableString"
    },
    "toevoeging": {
      "$ref": "#/components/schemas/NullableString",
      "description": "Huisnummertoevoeging."
    },
    "postcode": {
      "$ref": "#/components/schemas/NullableString",
      "description": "`1234AB`."
    },
    "woonplaats_naam": {
      "type": "string"
    },
    "status": {
      "$ref": "#/components/schemas/AddressStatus"
    },
    "gebruiksdoel": {
      "$ref": "#/components/schemas/Gebruiksdoel"
    },
    "oppervlakte": {
      "type": [
        "integer",
        "null"
      ],
      "description": "Floor area in m².",
      "minimum": 0
    },
    "pand_identificatie": {
      "type": [
        "string",
        "null"
      ],
      "description": "The buildings (panden) it lies in: BAG identificaties, comma separated; null when none.",
      "examples": [
        "0221100000000039"
      ]
    },
    "buurtcode": {
      "$ref": "#/components/schemas/NullableString",
      "description": "CBS buurt code."
    },
    "wijkcode": {
      "$ref": "#/components/schemas/NullableString",
      "description": "CBS wijk code."
    },
    "gemeentecode": {
      "$ref": "#/components/schemas/NullableString",
      "description": "CBS gemeente code."
    },
    "energieklasse": {
      "type": [
        "string",
        "null"
      ],
      "description": "EP-Online: the class of the newest energy label (by registratiedatum); null without one.",
      "enum": [
        "A+++++",
        "A++++",
        "A+++",
        "A++",
        "A+",
        "A",
        "B",
        "C",
        "D",
        "E",
        "F",
        "G",
        null
      ]
    },
    "energieindex": {
      "type": [
        "number",
        "null"
      ],
      "description": "EP-Online: the label's energy index (labels of the old method, before 2021); null when none."
    },
    "energielabel_registratiedatum": {
      "type": [
        "string",
        "null"
      ],
      "format": "date",
      "description": "EP-Online: the day the newest label was registered."
    }
  }
}"##
}

schema! {
    /// SessionSummary
    SessionSummary [crate::routes::auth::schemas::DateTime] = r##"{
  "type": "object",
  "required": ["id", "created_at", "last_seen_at", "current"],
  "properties": {
    "id": {
      "type": "string",
      "description": "A short, non-secret handle of the session.",
      "pattern": "^[0-9a-f]{8}$"
    },
    "created_at": {"$ref": "#/components/schemas/DateTime"},
    "last_seen_at": {"$ref": "#/components/schemas/DateTime"},
    "current": {"type": "boolean", "description": "The session of this request."}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// The current state of one consent.
    ConsentState [crate::routes::auth::schemas::DateTime, crate::openapi::shared::ConsentPurpose] = r##"{
  "type": "object",
  "description": "The current state of one consent.",
  "required": ["purpose", "given", "at"],
  "properties": {
    "purpose": {"$ref": "#/components/schemas/ConsentPurpose"},
    "given": {"type": "boolean"},
    "at": {
      "oneOf": [{"$ref": "#/components/schemas/DateTime"}, {"type": "null"}],
      "description": "When it was last given or withdrawn; null if never."
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// One entry of the append-only consent ledger.
    ConsentEntry [crate::routes::auth::schemas::DateTime, crate::openapi::shared::ConsentPurpose] = r##"{
  "type": "object",
  "description": "One entry of the append-only consent ledger.",
  "required": ["purpose", "given", "at"],
  "properties": {
    "purpose": {"$ref": "#/components/schemas/ConsentPurpose"},
    "given": {"type": "boolean"},
    "at": {"$ref": "#/components/schemas/DateTime"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// Account
    Account [ConsentState, SessionSummary, crate::routes::auth::schemas::User] = r##"{
  "type": "object",
  "required": ["user", "sessions", "consents"],
  "properties": {
    "user": {"$ref": "#/components/schemas/User"},
    "sessions": {
      "type": "array",
      "description": "The account's live sessions.",
      "items": {"$ref": "#/components/schemas/SessionSummary"}
    },
    "consents": {
      "type": "array",
      "description": "One per purpose: canvassing, contact, research.",
      "items": {"$ref": "#/components/schemas/ConsentState"}
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// TotpEnrolment
    TotpEnrolment = r#"{
  "type": "object",
  "required": ["secret", "otpauth_uri"],
  "properties": {
    "secret": {
      "type": "string",
      "description": "Base32 secret, pending until confirmed.",
      "pattern": "^[A-Z2-7]+=*$"
    },
    "otpauth_uri": {
      "type": "string",
      "description": "`otpauth://totp/…` for authenticator apps (as a QR code)."
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// VerifiedAddress
    VerifiedAddress [crate::openapi::shared::BagId] = r##"{
  "type": "object",
  "required": ["address_id", "label"],
  "properties": {
    "address_id": {"$ref": "#/components/schemas/BagId"},
    "label": {
      "type": "string",
      "description": "The address on one line (the id when it is no longer in the data)."
    }
  },
  "additionalProperties": false
}"##
}

schema! {
    /// An observation about a home, without who reported it.
    HomeObservation [crate::routes::auth::schemas::DateTime] = r##"{
  "type": "object",
  "description": "An observation about a home, without who reported it.",
  "required": ["id", "type", "about", "observed_at", "source", "status", "answers"],
  "properties": {
    "id": {"type": "integer"},
    "type": {"type": "string", "description": "Observation type, e.g. `solar_panels`."},
    "about": {"type": "string", "enum": ["address", "building"]},
    "observed_at": {"$ref": "#/components/schemas/DateTime"},
    "source": {"type": "string", "enum": ["resident", "volunteer", "import"]},
    "status": {
      "type": "string",
      "description": "`new`, `confirmed`, `rejected`, `resolved` or `hidden`."
    },
    "answers": {"description": "The answers of the observation form (JSON), or null."}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// A resident's objection to an observation about their address.
    Contest [crate::routes::auth::schemas::DateTime] = r##"{
  "type": "object",
  "description": "A resident's objection to an observation about their address.",
  "required": ["id", "observation_id", "reason", "status", "created_at"],
  "properties": {
    "id": {"type": "integer"},
    "observation_id": {"type": "integer"},
    "reason": {"type": "string"},
    "status": {"type": "string", "description": "`open`, `upheld` or `rejected`."},
    "created_at": {"$ref": "#/components/schemas/DateTime"}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// What wijkwerk knows about an address the caller verified.
    MyAddress [Address, crate::openapi::shared::BagId, BuildingProperties, Contest, HomeObservation, crate::openapi::shared::OptOutPurpose] = r##"{
  "type": "object",
  "description": "What wijkwerk knows about an address the caller verified.",
  "required": ["address", "buildings", "observations", "opt_outs", "contests"],
  "properties": {
    "address": {
      "description": "The register facts of the address; only `identificatie` and `label` when it is no longer in the data.",
      "oneOf": [
        {"$ref": "#/components/schemas/Address"},
        {
          "type": "object",
          "required": ["identificatie", "label"],
          "properties": {
            "identificatie": {"$ref": "#/components/schemas/BagId"},
            "label": {"type": "string"}
          },
          "additionalProperties": false
        }
      ]
    },
    "buildings": {
      "type": "array",
      "description": "The buildings (panden) the address lies in.",
      "items": {"$ref": "#/components/schemas/BuildingProperties"}
    },
    "observations": {
      "type": "array",
      "description": "Observations about the address or its buildings.",
      "items": {"$ref": "#/components/schemas/HomeObservation"}
    },
    "opt_outs": {
      "type": "array",
      "description": "Purposes the household opted out of.",
      "items": {"$ref": "#/components/schemas/OptOutPurpose"}
    },
    "contests": {"type": "array", "items": {"$ref": "#/components/schemas/Contest"}}
  },
  "additionalProperties": false
}"##
}

schema! {
    /// TotpConfirmRequest
    TotpConfirmRequest = r#"{
  "type": "object",
  "required": ["code"],
  "properties": {
    "code": {
      "type": "string",
      "description": "The current six-digit code of the new secret; another is 422."
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// LetterCodeRequest
    LetterCodeRequest = r#"{
  "type": "object",
  "required": ["code"],
  "properties": {
    "code": {
      "type": "string",
      "description": "The code printed in the letter (`K7QF-9XMA-2PT4`; case, spaces and dashes do not matter).",
      "examples": ["K7QF-9XMA-2PT4"]
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `contestObservation` (201, `application/json`).
    ContestObservation201 = r#"{
  "type": "object",
  "required": ["id", "status"],
  "properties": {"id": {"type": "integer"}, "status": {"type": "string", "const": "open"}},
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
    crate::openapi::collect::<BuildingStatus>(out);
    crate::openapi::collect::<AddressStatus>(out);
    crate::openapi::collect::<Gebruiksdoel>(out);
    crate::openapi::collect::<NullableString>(out);
    crate::openapi::collect::<BuildingProperties>(out);
    crate::openapi::collect::<Address>(out);
    crate::openapi::collect::<SessionSummary>(out);
    crate::openapi::collect::<ConsentState>(out);
    crate::openapi::collect::<ConsentEntry>(out);
    crate::openapi::collect::<Account>(out);
    crate::openapi::collect::<TotpEnrolment>(out);
    crate::openapi::collect::<VerifiedAddress>(out);
    crate::openapi::collect::<HomeObservation>(out);
    crate::openapi::collect::<Contest>(out);
    crate::openapi::collect::<MyAddress>(out);
    crate::openapi::collect::<TotpConfirmRequest>(out);
    crate::openapi::collect::<LetterCodeRequest>(out);
}
