//! The OpenAPI 3.1 document of the HTTP API, generated from the code: every operation comes from
//! the `#[utoipa::path]` attribute of the handler that serves it (the routers are built with
//! `utoipa_axum`'s `routes!`, so a route cannot be added without its documentation), and every
//! schema, response, header and parameter is a Rust item beside the code that produces it.
//!
//! utoipa's attribute language cannot say everything the document says (JSON Schema's `const`,
//! `unevaluatedProperties`, `patternProperties`, required response headers with a pattern, shared
//! parameters and headers by reference), so schemas may be written as JSON Schema in Rust
//! (`schema!`), and headers and parameters are markers (`header!`, `parameter!`) that
//! [`document`] splices into their place when it assembles the document. See
//! docs/adr/0013-openapi-from-the-code.md.

pub(crate) mod errors;
mod head;
pub(crate) mod headers;
pub(crate) mod params;
pub(crate) mod responses;
pub(crate) mod shared;

use std::sync::OnceLock;

use serde_json::{Map, Value};
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::path::{Parameter, ParameterBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType};
use utoipa::openapi::{RefOr, Response, ResponseBuilder};

/// The media type `/api/openapi.json` is served with.
pub const MEDIA_TYPE: &str = "application/vnd.oai.openapi+json;version=3.1";

/// The document as served at `/api/openapi.json` and kept in `server/openapi.json`: built once,
/// pretty-printed with sorted keys, ending in a newline.
pub fn document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut text = serde_json::to_string_pretty(&document_value())
            .expect("the OpenAPI document serialises");
        text.push('\n');
        text
    })
}

/// The document as JSON.
pub fn document_value() -> Value {
    let (_, mut api) = crate::routes::router().split_for_parts();
    // The schemas the handlers name come with them; the rest (those only parameters or shared
    // responses name, and any kept for clients) from the modules that define them.
    let mut schemas = Vec::new();
    crate::routes::schemas(&mut schemas);
    api.components
        .get_or_insert_with(utoipa::openapi::Components::new)
        .schemas
        .extend(schemas);
    let mut doc = serde_json::to_value(&api).expect("the OpenAPI document serialises");
    let head: Value = serde_json::from_str(head::HEAD).expect("HEAD is JSON");
    for (k, v) in head.as_object().expect("HEAD is an object") {
        doc[k.as_str()] = v.clone();
    }
    doc["info"]["version"] = Value::from(env!("CARGO_PKG_VERSION"));
    splice(&mut doc["paths"]);
    let components = &mut doc["components"];
    for (section, entries) in [
        ("responses", responses::components()),
        ("headers", headers::components()),
        ("parameters", params::components()),
    ] {
        for (name, json) in entries {
            components[section][name] = parse(json);
        }
    }
    components["securitySchemes"] =
        serde_json::from_str(SECURITY_SCHEMES).expect("SECURITY_SCHEMES is JSON");
    sorted(doc)
}

/// How a caller proves who they are.
const SECURITY_SCHEMES: &str = r#"{
  "cookieAuth": {
    "type": "apiKey",
    "in": "cookie",
    "name": "wijkwerk_session",
    "description": "The session cookie set by a sign-in. State-changing requests with it must also send `X-CSRF-Token` (parameter `csrfToken`)."
  }
}"#;

fn parse(json: &str) -> Value {
    serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("a schema literal is not JSON ({e}): {json}"))
}

/// A JSON Schema written out as JSON, kept as it is (every keyword of JSON Schema 2020-12, not
/// only those utoipa's model knows). `{"$ref": …}` stays a reference.
pub(crate) fn literal(json: &str) -> RefOr<Schema> {
    literal_value(parse(json))
}

fn literal_value(value: Value) -> RefOr<Schema> {
    let Value::Object(map) = value else {
        panic!("a schema literal is an object: {value}");
    };
    if map.len() == 1
        && let Some(Value::String(r)) = map.get("$ref")
    {
        return RefOr::Ref(utoipa::openapi::Ref::new(r.clone()));
    }
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::AnyValue)
            .extensions(Some(extensions(map)))
            .build(),
    ))
}

/// utoipa's extensions are written out flat, whatever their names: the carrier of keywords its
/// model lacks.
fn extensions(map: Map<String, Value>) -> Extensions {
    let mut ext = Extensions::default();
    ext.extend(map);
    ext
}

/// A schema that stands for a header or a parameter until [`splice`] puts `json` in its place.
pub(crate) fn marker(kind: &str, json: &str) -> RefOr<Schema> {
    let mut map = Map::new();
    map.insert(kind.to_owned(), parse(json));
    literal_value(Value::Object(map))
}

/// A parameter that [`splice`] replaces by `json` (a parameter object or a `$ref` to one).
pub(crate) fn parameter_marker(json: &str) -> Parameter {
    let value = parse(json);
    let name = value["name"]
        .as_str()
        .or_else(|| value["$ref"].as_str())
        .unwrap_or_default()
        .to_owned();
    ParameterBuilder::new()
        .name(name)
        .schema(Some(marker(MARK_PARAMETER, json)))
        .build()
}

/// A response given as JSON (a response object).
pub(crate) fn response(json: &str) -> RefOr<Response> {
    let Value::Object(map) = parse(json) else {
        panic!("a response literal is an object: {json}");
    };
    RefOr::T(
        ResponseBuilder::new()
            .extensions(Some(extensions(map)))
            .build(),
    )
}

const MARK_HEADER: &str = "x-wijkwerk-header";
const MARK_PARAMETER: &str = "x-wijkwerk-parameter";

/// Puts headers and parameters in the place of their markers.
fn splice(paths: &mut Value) {
    let Some(paths) = paths.as_object_mut() else {
        return;
    };
    for item in paths.values_mut() {
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|i| i.values_mut())
        {
            for p in op
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(real) = p["schema"].get(MARK_PARAMETER) {
                    *p = real.clone();
                }
            }
            if let Some(body) = op.get_mut("requestBody") {
                optional_body(body);
            }
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            for r in responses.values_mut() {
                let Some(headers) = r.get_mut("headers").and_then(Value::as_object_mut) else {
                    continue;
                };
                for h in headers.values_mut() {
                    if let Some(real) = h["schema"].get(MARK_HEADER) {
                        *h = real.clone();
                    }
                }
            }
        }
    }
}

/// An optional request body (`Option<T>` in `request_body`) is one that may be left out, not one
/// that may be `null`: utoipa writes its schema as `oneOf: [T, null]`, this makes it `T` again and
/// says `required: false`.
fn optional_body(body: &mut Value) {
    if body.get("required").and_then(Value::as_bool) == Some(true) {
        return;
    }
    body["required"] = Value::Bool(false);
    for media in body
        .get_mut("content")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|c| c.values_mut())
    {
        let inner = media["schema"]["oneOf"]
            .as_array()
            .filter(|items| items.len() == 2 && items[1] == serde_json::json!({"type": "null"}))
            .map(|items| items[0].clone());
        if let Some(inner) = inner {
            media["schema"] = inner;
        }
    }
}

/// `value` with the keys of every object in order: the same document on every build.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// Adds `T` and what it refers to, once each.
pub(crate) fn collect<T: utoipa::ToSchema>(out: &mut Vec<(String, RefOr<Schema>)>) {
    let name = T::name().into_owned();
    if out.iter().any(|(n, _)| *n == name) {
        return;
    }
    out.push((name, T::schema()));
    T::schemas(out);
}

/// A schema component: a unit type named like the component, whose schema is the JSON Schema
/// given (in a raw string), and the components it refers to in brackets.
macro_rules! schema {
    ($(#[doc = $doc:literal])* $name:ident $([$($dep:path),* $(,)?])? = $json:literal) => {
        $(#[doc = $doc])*
        pub(crate) struct $name;
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::openapi::literal($json)
            }
        }
        impl utoipa::ToSchema for $name {
            fn schemas(
                _out: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>,
            ) {
                $($( $crate::openapi::collect::<$dep>(_out); )*)?
            }
        }
    };
}
pub(crate) use schema;

/// A response header, for `headers(("Name" = inline(Type)))` in `#[utoipa::path]`: the header
/// object given (or a `$ref` to a shared one) takes the place of the marker.
macro_rules! header {
    ($(#[doc = $doc:literal])* $name:ident = $json:literal) => {
        $(#[doc = $doc])*
        pub(crate) struct $name;
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::openapi::marker("x-wijkwerk-header", $json)
            }
        }
        impl utoipa::ToSchema for $name {}
    };
}
pub(crate) use header;

/// A parameter, for `params(Type)` in `#[utoipa::path]`: the parameter object given (or a `$ref`
/// to a shared one) takes the place of the marker. Schemas it refers to follow in brackets.
macro_rules! parameter {
    ($(#[doc = $doc:literal])* $name:ident $([$($dep:path),* $(,)?])? = $json:literal) => {
        $(#[doc = $doc])*
        pub(crate) struct $name;
        impl utoipa::IntoParams for $name {
            fn into_params(
                _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
            ) -> Vec<utoipa::openapi::path::Parameter> {
                vec![$crate::openapi::parameter_marker($json)]
            }
        }
    };
}
pub(crate) use parameter;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` of the document points at something in it.
    #[test]
    fn every_reference_resolves() {
        fn walk(doc: &Value, v: &Value, bad: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref")
                        && doc.pointer(r.trim_start_matches('#')).is_none()
                    {
                        bad.push(r.clone());
                    }
                    m.values().for_each(|x| walk(doc, x, bad));
                }
                Value::Array(a) => a.iter().for_each(|x| walk(doc, x, bad)),
                _ => {}
            }
        }
        let doc = document_value();
        let mut bad = Vec::new();
        walk(&doc, &doc, &mut bad);
        assert!(bad.is_empty(), "unresolved references: {bad:?}");
        let text = document();
        assert!(
            !text.contains("x-wijkwerk-"),
            "a marker was left in the document"
        );
    }
}
