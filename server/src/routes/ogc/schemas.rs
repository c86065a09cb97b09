//! The schemas, headers and parameters of these operations in the OpenAPI document (`/api/openapi.json`).

use crate::openapi::{header, parameter, schema};

schema! {
    /// Link
    Link = r#"{
  "type": "object",
  "required": ["href", "rel"],
  "properties": {
    "href": {"type": "string"},
    "rel": {"type": "string"},
    "type": {"type": "string"},
    "title": {"type": "string"}
  }
}"#
}

schema! {
    /// LandingPage
    LandingPage [Link] = r##"{
  "type": "object",
  "required": ["links"],
  "properties": {
    "title": {"type": "string"},
    "description": {"type": "string"},
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}
  }
}"##
}

schema! {
    /// Conformance
    Conformance = r#"{
  "type": "object",
  "required": ["conformsTo"],
  "properties": {
    "conformsTo": {
      "type": "array",
      "items": {"type": "string"},
      "examples": [
        [
          "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
          "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
        ]
      ]
    }
  }
}"#
}

schema! {
    /// Collections
    Collections [Collection, Link] = r##"{
  "type": "object",
  "required": ["links", "collections"],
  "properties": {
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}},
    "collections": {"type": "array", "items": {"$ref": "#/components/schemas/Collection"}}
  }
}"##
}

schema! {
    /// Collection
    Collection [crate::routes::staff::schemas::Bbox, crate::openapi::shared::CollectionId, Link] = r##"{
  "type": "object",
  "required": ["id", "links"],
  "properties": {
    "id": {"$ref": "#/components/schemas/CollectionId"},
    "title": {"type": "string"},
    "description": {"type": "string"},
    "itemType": {"type": "string", "const": "feature"},
    "crs": {"type": "array", "items": {"type": "string"}},
    "extent": {
      "type": "object",
      "properties": {
        "spatial": {
          "type": "object",
          "required": ["bbox"],
          "properties": {
            "bbox": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Bbox"}},
            "crs": {"type": "string"}
          }
        }
      }
    },
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}},
    "storageCrs": {"type": "string"}
  }
}"##
}

schema! {
    /// A footprint or boundary.
    Areal [crate::routes::admin::schemas::MultiPolygon, crate::routes::admin::schemas::Polygon] = r##"{
  "description": "A footprint or boundary.",
  "oneOf": [{"$ref": "#/components/schemas/Polygon"}, {"$ref": "#/components/schemas/MultiPolygon"}]
}"##
}

schema! {
    /// A GeoJSON Feature of one of the collections.
    Feature [AddressFeature, AreaFeature, BuildingFeature, WorkFeature, UrgencyFeature] = r##"{
  "description": "A GeoJSON Feature of one of the collections.",
  "oneOf": [
    {"$ref": "#/components/schemas/BuildingFeature"},
    {"$ref": "#/components/schemas/AddressFeature"},
    {"$ref": "#/components/schemas/AreaFeature"},
    {"$ref": "#/components/schemas/WorkFeature"},
    {"$ref": "#/components/schemas/UrgencyFeature"}
  ]
}"##
}

schema! {
    /// One cell of an urgency collection with flat properties per indicator.
    UrgencyFeature [Link, crate::routes::admin::schemas::MultiPolygon] = r##"{
  "type": "object",
  "description": "One cell of an urgency collection (`urgency-buurt`, `urgency-wijk`, `urgency-grid100`, `urgency-h3-9`): its outline and, per indicator `<name>`, the released value, `<name>_teller`, `<name>_noemer` (rounded) and `<name>_onderdrukt` (withheld: then the others are null).",
  "required": ["type", "id", "geometry", "properties"],
  "properties": {
    "type": {"type": "string", "const": "Feature"},
    "id": {"type": "string", "description": "The cell's code: CBS code, CBS square `E…N…` or H3 index.", "pattern": "^(BU[0-9]{8}|WK[0-9]{6}|E[0-9]{4}N[0-9]{4}|[0-9a-f]{15})$"},
    "geometry": {"$ref": "#/components/schemas/MultiPolygon"},
    "properties": {
      "type": "object",
      "required": ["code", "naam"],
      "properties": {
        "code": {"type": "string"},
        "naam": {"type": ["string", "null"], "description": "The CBS name (buurt, wijk); null for squares and hexagons."}
      },
      "additionalProperties": {"type": ["number", "integer", "boolean", "null"]}
    },
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}
  }
}"##
}

schema! {
    /// A work item as a point with flat properties (the `work` collection).
    WorkFeature [Link, crate::routes::observations::schemas::Point] = r##"{
  "type": "object",
  "description": "A work item as a point with flat properties (the `work` collection).",
  "required": ["type", "id", "geometry", "properties"],
  "properties": {
    "type": {"type": "string", "const": "Feature"},
    "id": {"type": "string", "pattern": "^[a-z_]+:(pand|verblijfsobject|public_space):[0-9]+$", "description": "`kind:target_kind:id`.", "examples": ["solar:pand:0599100000012345"]},
    "geometry": {"$ref": "#/components/schemas/Point"},
    "properties": {
      "type": "object",
      "required": ["kind", "kind_title", "status", "size", "unit", "target", "target_kind"],
      "properties": {
        "kind": {"type": "string", "description": "The work kind (the rule's name)."},
        "kind_title": {"type": "string", "description": "What the work is (Dutch)."},
        "status": {"type": "string", "enum": ["open", "planned", "in_progress", "done", "not_wanted", "not_applicable"]},
        "status_at": {"type": ["string", "null"], "format": "date-time", "description": "When the status was set; null while open without a record."},
        "size": {"type": "number", "description": "How much work, in `unit`."},
        "unit": {"type": "string", "description": "What the size counts (Dutch)."},
        "address": {"type": ["string", "null"], "description": "The address of the target (for a pand, its first address; for a spot in public space, `bij` the nearest address)."},
        "place": {"type": ["string", "null"], "description": "The woonplaats of that address."},
        "target": {"type": "string", "description": "The target as the work API names it, e.g. `pand/0599100000012345`."},
        "target_kind": {"type": "string", "enum": ["pand", "verblijfsobject", "public_space"]},
        "buurtcode": {"type": ["string", "null"], "description": "CBS buurt code."},
        "rule_holds": {"type": "boolean", "description": "The rule still holds (an item with a status stays listed when it no longer does)."}
      },
      "additionalProperties": false
    },
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}
  }
}"##
}

schema! {
    /// FeatureCollection
    FeatureCollection [Feature, Link] = r##"{
  "type": "object",
  "required": ["type", "features", "numberReturned", "links"],
  "properties": {
    "type": {"type": "string", "const": "FeatureCollection"},
    "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
    "numberReturned": {"type": "integer", "minimum": 0},
    "numberMatched": {"type": "integer", "minimum": 0},
    "timeStamp": {"type": "string", "format": "date-time"},
    "links": {
      "type": "array",
      "description": "`self`, and `next` when more features match.",
      "items": {"$ref": "#/components/schemas/Link"}
    }
  }
}"##
}

schema! {
    /// What `/ogc/collections/buildings/items` returns.
    BuildingFeatureCollection [BuildingFeature, FeatureCollection] = r##"{
  "description": "What `/ogc/collections/buildings/items` returns.",
  "allOf": [
    {"$ref": "#/components/schemas/FeatureCollection"},
    {
      "type": "object",
      "required": ["features"],
      "properties": {
        "features": {"type": "array", "items": {"$ref": "#/components/schemas/BuildingFeature"}}
      }
    }
  ]
}"##
}

schema! {
    /// A building (BAG pand) with its addresses.
    BuildingFeature [Areal, crate::openapi::shared::BagId, crate::routes::account::schemas::BuildingProperties, Link] = r##"{
  "type": "object",
  "description": "A building (BAG pand) with its addresses.",
  "required": ["type", "id", "geometry", "properties"],
  "properties": {
    "type": {"type": "string", "const": "Feature"},
    "id": {"$ref": "#/components/schemas/BagId"},
    "geometry": {"$ref": "#/components/schemas/Areal"},
    "properties": {"$ref": "#/components/schemas/BuildingProperties"},
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}
  }
}"##
}

schema! {
    /// An address (verblijfsobject) as a point.
    AddressFeature [crate::routes::account::schemas::Address, crate::openapi::shared::BagId, Link, crate::routes::observations::schemas::Point] = r##"{
  "type": "object",
  "description": "An address (verblijfsobject) as a point.",
  "required": ["type", "id", "geometry", "properties"],
  "properties": {
    "type": {"type": "string", "const": "Feature"},
    "id": {"$ref": "#/components/schemas/BagId"},
    "geometry": {"$ref": "#/components/schemas/Point"},
    "properties": {"$ref": "#/components/schemas/Address"},
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}
  }
}"##
}

schema! {
    /// A CBS area (buurt, wijk or gemeente).
    AreaFeature [crate::routes::staff::schemas::AreaKind, Areal, Link, crate::routes::account::schemas::NullableString, crate::routes::observations::schemas::Position] = r##"{
  "type": "object",
  "description": "A CBS area (buurt, wijk or gemeente).",
  "required": ["type", "id", "geometry", "properties"],
  "properties": {
    "type": {"type": "string", "const": "Feature"},
    "id": {
      "type": "string",
      "description": "CBS code.",
      "pattern": "^(BU[0-9]{8}|WK[0-9]{6}|GM[0-9]{4})$"
    },
    "geometry": {"$ref": "#/components/schemas/Areal"},
    "properties": {
      "type": "object",
      "required": ["kind", "code", "naam"],
      "properties": {
        "kind": {"$ref": "#/components/schemas/AreaKind"},
        "code": {"type": "string", "description": "CBS code (`BUggggwwbb`, `WKggggww`, `GMgggg`)."},
        "naam": {"type": "string"},
        "wijkcode": {
          "$ref": "#/components/schemas/NullableString",
          "description": "The wijk of a buurt; null for a wijk or gemeente."
        },
        "gemeentecode": {
          "$ref": "#/components/schemas/NullableString",
          "description": "The gemeente of a buurt or wijk; null for a gemeente."
        },
        "gemeentenaam": {"$ref": "#/components/schemas/NullableString"},
        "aantal_inwoners": {
          "type": ["integer", "null"],
          "description": "Residents; null when unknown or suppressed by CBS."
        },
        "aantal_huishoudens": {
          "type": ["integer", "null"],
          "description": "Households; null when unknown or suppressed by CBS."
        },
        "percentage_personen_65_jaar_en_ouder": {
          "type": ["integer", "null"],
          "minimum": 0,
          "maximum": 100,
          "description": "Share of residents aged 65 and older, whole percent; null when unknown or suppressed by CBS."
        },
        "bevolkingsdichtheid_inwoners_per_km2": {
          "type": ["integer", "null"],
          "minimum": 0,
          "description": "Residents per km² of land; null when unknown or suppressed by CBS."
        },
        "label_point": {
          "$ref": "#/components/schemas/Position",
          "description": "Where the name is placed, `[lon, lat]`."
        }
      }
    },
    "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}
  }
}"##
}

header! {
    /// The `Cache-Control` header of `ogcCollection` (200).
    OgcCollection200CacheControl = r#"{"description": "`private, no-store` for `do-not-knock`.", "schema": {"type": "string"}}"#
}

parameter! {
    /// The parameter `bbox` of `ogcItems`.
    OgcItemsBboxParam = r#"{
  "name": "bbox",
  "in": "query",
  "required": false,
  "description": "Only features whose geometry intersects this box: `minLon,minLat,maxLon,maxLat` in WGS84 (CRS84). Six numbers (with heights) are accepted; the heights are ignored. Boxes across the antimeridian are not supported (400).",
  "style": "form",
  "explode": false,
  "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}
}"#
}

parameter! {
    /// The parameter `limit` of `ogcItems`.
    OgcItemsLimitParam = r#"{
  "name": "limit",
  "in": "query",
  "required": false,
  "description": "The most features in one page. Following OGC API Features, a larger limit is reduced to 1000 rather than refused.",
  "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}
}"#
}

parameter! {
    /// The parameter `offset` of `ogcItems`.
    OgcItemsOffsetParam = r#"{
  "name": "offset",
  "in": "query",
  "required": false,
  "description": "How many matching features to skip.",
  "schema": {"type": "integer", "minimum": 0, "default": 0}
}"#
}

parameter! {
    /// The parameter `bbox-crs` of `ogcItems`.
    OgcItemsBboxCrsParam = r#"{
  "name": "bbox-crs",
  "in": "query",
  "required": false,
  "description": "The CRS of `bbox`; only CRS84 is supported.",
  "schema": {"type": "string", "enum": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]}
}"#
}

parameter! {
    /// The parameter `f` of `ogcItems`.
    OgcItemsFParam = r#"{
  "name": "f",
  "in": "query",
  "required": false,
  "description": "Output format; only GeoJSON is served.",
  "schema": {"type": "string", "enum": ["json", "geojson"]}
}"#
}

parameter! {
    /// The parameter `filter` of `ogcItems`.
    OgcItemsFilterParam = r#"{
  "name": "filter",
  "in": "query",
  "required": false,
  "description": "A condition in CQL2 text (OGC API Features Part 3) over the collection's queryables (`/ogc/collections/{collectionId}/queryables`), e.g. `bouwjaar < 1975 AND woonfunctie`. For `buildings`, `addresses` and `work`; other collections answer 400. Operators: `AND`, `OR`, `NOT`, `=`, `<>`, `<`, `<=`, `>`, `>=`, `BETWEEN`, `IN`, `IS [NOT] NULL`, `LIKE`, arithmetic. A comparison with a missing value is not true. An unknown field or a type mismatch is 400 with `field` naming it; at most 4096 bytes.",
  "schema": {"type": "string", "maxLength": 4096},
  "example": "bouwjaar < 1975 AND woonfunctie"
}"#
}

parameter! {
    /// The parameter `filter-lang` of `ogcItems`.
    OgcItemsFilterLangParam = r#"{
  "name": "filter-lang",
  "in": "query",
  "required": false,
  "description": "The language of `filter`; only `cql2-text` (the default). Anything else is 400.",
  "schema": {"type": "string", "enum": ["cql2-text"]}
}"#
}

parameter! {
    /// The parameter `filter-crs` of `ogcItems`.
    OgcItemsFilterCrsParam = r#"{
  "name": "filter-crs",
  "in": "query",
  "required": false,
  "description": "The CRS of coordinates in `filter`; only CRS84 (filters have no spatial operators yet).",
  "schema": {"type": "string", "enum": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]}
}"#
}

schema! {
    /// Queryables
    Queryables = r#"{
  "type": "object",
  "description": "A JSON Schema (2020-12) of the properties a filter may name.",
  "required": ["$schema", "type", "properties"],
  "properties": {
    "$schema": {"type": "string", "const": "https://json-schema.org/draft/2020-12/schema"},
    "$id": {"type": "string"},
    "type": {"type": "string", "const": "object"},
    "title": {"type": "string"},
    "description": {"type": "string"},
    "properties": {
      "type": "object",
      "additionalProperties": {
        "type": "object",
        "required": ["type"],
        "properties": {
          "title": {"type": "string"},
          "description": {"type": "string"},
          "type": {"type": "string", "enum": ["number", "string", "boolean"]},
          "enum": {"type": "array", "items": {"type": "string"}}
        }
      }
    },
    "additionalProperties": {"type": "boolean"}
  }
}"#
}

header! {
    /// The `Cache-Control` header of `ogcItems` (200).
    OgcItems200CacheControl = r#"{"description": "`private, no-store` for `do-not-knock` and `work`.", "schema": {"type": "string"}}"#
}

parameter! {
    /// The parameter `featureId` of `ogcItem`.
    OgcItemFeatureIdParam = r#"{
  "name": "featureId",
  "in": "path",
  "required": true,
  "description": "The 16-digit BAG identificatie with its leading zeros, a CBS code such as `BU03630000`, or for `work` `kind:target_kind:id` (e.g. `zonnepanelen:pand:0599100000012345`).",
  "schema": {"type": "string"}
}"#
}

header! {
    /// The `Cache-Control` header of `ogcItem` (200).
    OgcItem200CacheControl = r#"{"description": "`private, no-store` for `do-not-knock` and `work`.", "schema": {"type": "string"}}"#
}

/// Every schema component defined here, for the document's `components`.
pub(crate) fn all(
    out: &mut Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) {
    crate::openapi::collect::<Link>(out);
    crate::openapi::collect::<LandingPage>(out);
    crate::openapi::collect::<Conformance>(out);
    crate::openapi::collect::<Queryables>(out);
    crate::openapi::collect::<Collections>(out);
    crate::openapi::collect::<Collection>(out);
    crate::openapi::collect::<Areal>(out);
    crate::openapi::collect::<Feature>(out);
    crate::openapi::collect::<FeatureCollection>(out);
    crate::openapi::collect::<BuildingFeatureCollection>(out);
    crate::openapi::collect::<BuildingFeature>(out);
    crate::openapi::collect::<AddressFeature>(out);
    crate::openapi::collect::<AreaFeature>(out);
    crate::openapi::collect::<WorkFeature>(out);
    crate::openapi::collect::<UrgencyFeature>(out);
}
