//! Services: one per current public-space observation type, and its attributes, derived from the
//! type's JSON Schema.

use std::sync::Arc;

use serde_json::Value;

use super::wire::{Field, Record};
use crate::error::{ApiError, ApiResult};
use crate::observations::{ObservationType, TypeDefinition, read};
use crate::state::AppState;

/// Answers of this name come from the request's `description`.
pub(super) const NOTE: &str = "note";

/// The current public-space types, by name.
pub(super) fn public_types(state: &AppState) -> Vec<Arc<ObservationType>> {
    read(&state.observations.types)
        .all_current()
        .into_iter()
        .filter(|t| t.def.public_space)
        .collect()
}

pub(super) fn public_type(state: &AppState, code: &str) -> ApiResult<Arc<ObservationType>> {
    read(&state.observations.types)
        .current(code)
        .filter(|t| t.def.public_space)
        .ok_or_else(|| {
            let codes: Vec<String> = public_types(state)
                .iter()
                .map(|t| t.def.name.clone())
                .collect();
            ApiError::NotFound(format!(
                "no service_code {:?}; services are {}",
                code.chars().take(48).collect::<String>(),
                codes.join(", ")
            ))
        })
}

pub(super) fn service_record(def: &TypeDefinition) -> Record {
    let keywords = [
        def.title.nl.to_lowercase(),
        def.title.en.to_lowercase(),
        def.name.replace('_', " "),
        "openbare ruimte".to_owned(),
        "public space".to_owned(),
    ];
    Record::default()
        .text("service_code", &def.name)
        .text("service_name", &def.title.nl)
        .text(
            "description",
            format!(
                "{} / {}: {}",
                def.question.nl, def.title.en, def.question.en
            ),
        )
        .with("metadata", Field::Bool(!attributes(def).is_empty()))
        .text("type", "realtime")
        .text("keywords", keywords.join(", "))
        .text("group", "openbare ruimte")
}

/// How an attribute is entered (the spec's `datatype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Datatype {
    String,
    Text,
    Number,
    SingleValueList,
    MultiValueList,
}

impl Datatype {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Text => "text",
            Self::Number => "number",
            Self::SingleValueList => "singlevaluelist",
            Self::MultiValueList => "multivaluelist",
        }
    }
}

/// One attribute of a service, derived from a property of the type's answers schema.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Attribute {
    pub(super) code: String,
    pub(super) datatype: Datatype,
    pub(super) required: bool,
    pub(super) order: u32,
    pub(super) description: String,
    pub(super) datatype_description: String,
    /// (key, name) of each option of a list.
    pub(super) values: Vec<(String, String)>,
    /// JSON type of the answer (of each item of a list): `string`, `integer`, `number` or
    /// `boolean`.
    json_type: &'static str,
}

impl Attribute {
    /// A form value as the answer's JSON type; a value that is not one stays text, for the schema
    /// to name it.
    pub(super) fn answer(&self, raw: &str) -> Value {
        let text = || Value::String(raw.to_owned());
        match self.json_type {
            "integer" => raw.parse::<i64>().map_or_else(|_| text(), Value::from),
            "number" => raw
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| raw.parse::<f64>().map(Value::from))
                .unwrap_or_else(|_| text()),
            "boolean" => match raw {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => text(),
            },
            _ => text(),
        }
    }
}

/// The JSON type of a property's values: its `type`, or that of its first `enum` value.
fn json_type(schema: &Value) -> &'static str {
    let named = schema.get("type").and_then(Value::as_str);
    let first = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first());
    match (named, first) {
        (Some("integer"), _) => "integer",
        (Some("number"), _) | (None, Some(Value::Number(_))) => "number",
        (Some("boolean"), _) | (None, Some(Value::Bool(_))) => "boolean",
        _ => "string",
    }
}

/// Options of an `enum`, or of a `oneOf`/`anyOf` of `{const, title}`.
fn options(schema: &Value) -> Option<Vec<(String, String)>> {
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        return Some(e.iter().map(|v| (text(v), option_name(&text(v)))).collect());
    }
    let alts = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)?;
    alts.iter()
        .map(|a| {
            let key = text(a.get("const")?);
            let name = a
                .get("title")
                .and_then(Value::as_str)
                .map_or_else(|| option_name(&key), str::to_owned);
            Some((key, name))
        })
        .collect()
}

/// A readable name for an option key without a title.
fn option_name(key: &str) -> String {
    match key {
        "cant_tell" => "kan ik niet zien / can't tell".to_owned(),
        "unknown" => "onbekend / unknown".to_owned(),
        k => k.replace('_', " "),
    }
}

/// The attributes of a type: every answer but `note` (that is the request's `description`), the
/// required ones first in the schema's `required` order, then the others by name (the schema's
/// own property order is not kept once parsed).
pub(super) fn attributes(def: &TypeDefinition) -> Vec<Attribute> {
    let Some(props) = def.schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    let required: Vec<&str> = def
        .schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut codes: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| props.contains_key(*c))
        .collect();
    codes.extend(
        props
            .keys()
            .map(String::as_str)
            .filter(|c| !required.contains(c)),
    );
    codes
        .into_iter()
        .filter(|c| *c != NOTE)
        .enumerate()
        .map(|(i, code)| attribute(code, &props[code], required.contains(&code), i as u32 + 1))
        .collect()
}

fn attribute(code: &str, schema: &Value, required: bool, order: u32) -> Attribute {
    let kind = schema.get("type").and_then(Value::as_str).unwrap_or("");
    let max_len = schema.get("maxLength").and_then(Value::as_u64);
    let items = schema.get("items").filter(|_| kind == "array");
    let (datatype, values, dd) = if let Some(values) = options(schema) {
        let dd = "Kies één waarde / Choose one value".to_owned();
        (Datatype::SingleValueList, values, dd)
    } else if let Some(values) = items.and_then(options) {
        let dd = format!(
            "Kies een of meer waarden: attribute[{code}][]=… per waarde / Choose one or more values: attribute[{code}][]=… for each"
        );
        (Datatype::MultiValueList, values, dd)
    } else if kind == "boolean" {
        let values = vec![
            ("true".to_owned(), "ja / yes".to_owned()),
            ("false".to_owned(), "nee / no".to_owned()),
        ];
        (
            Datatype::SingleValueList,
            values,
            "Ja of nee / Yes or no".to_owned(),
        )
    } else if kind == "integer" || kind == "number" {
        let dd = if kind == "integer" {
            "Een geheel getal / A whole number"
        } else {
            "Een getal / A number"
        };
        (Datatype::Number, Vec::new(), dd.to_owned())
    } else {
        let datatype = if max_len.is_some_and(|n| n <= 200) {
            Datatype::String
        } else {
            Datatype::Text
        };
        let dd = match (datatype, max_len) {
            (Datatype::String, Some(n)) => {
                format!(
                    "Tekst op één regel, ten hoogste {n} tekens / One line of text, at most {n} characters"
                )
            }
            (_, Some(n)) => format!("Tekst, ten hoogste {n} tekens / Text, at most {n} characters"),
            _ => "Tekst / Text".to_owned(),
        };
        (datatype, Vec::new(), dd)
    };
    let description = [schema.get("title"), schema.get("description")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(". ");
    Attribute {
        code: code.to_owned(),
        datatype,
        required,
        order,
        description: if description.is_empty() {
            code.replace('_', " ")
        } else {
            description
        },
        datatype_description: dd,
        values,
        json_type: json_type(items.unwrap_or(schema)),
    }
}

pub(super) fn attribute_record(a: &Attribute) -> Record {
    let mut r = Record::default()
        .with("variable", Field::Bool(true))
        .text("code", &a.code)
        .text("datatype", a.datatype.as_str())
        .with("required", Field::Bool(a.required))
        .text("datatype_description", &a.datatype_description)
        .with("order", Field::Int(i64::from(a.order)))
        .text("description", &a.description);
    if !a.values.is_empty() {
        let values = a
            .values
            .iter()
            .map(|(k, n)| Record::default().text("key", k).text("name", n))
            .collect();
        r = r.with("values", Field::List("value", values));
    }
    r
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::observations::TypeRegistry;

    fn def(name: &str) -> TypeDefinition {
        TypeRegistry::load(&[]).current(name).unwrap().def.clone()
    }

    #[test]
    fn greenery_attributes_come_from_its_schema() {
        let attrs = attributes(&def("greenery_distress"));
        let codes: Vec<&str> = attrs.iter().map(|a| a.code.as_str()).collect();
        // Required first in the schema's order, then the rest; the note is the description.
        assert_eq!(codes, ["object", "severity", "cause", "tree_id"]);
        let orders: Vec<u32> = attrs.iter().map(|a| a.order).collect();
        assert_eq!(orders, [1, 2, 3, 4]);
        let severity = &attrs[1];
        assert_eq!(severity.datatype, Datatype::SingleValueList);
        assert!(severity.required);
        assert_eq!(severity.description, "Hoe erg / How bad");
        assert!(
            severity
                .values
                .contains(&("dying".to_owned(), "dying".to_owned()))
        );
        assert!(severity.values.contains(&(
            "cant_tell".to_owned(),
            "kan ik niet zien / can't tell".to_owned()
        )));
        assert!(!attrs[2].required, "cause is optional");
        let tree = &attrs[3];
        assert_eq!(tree.datatype, Datatype::String, "64 characters: one line");
        assert!(tree.values.is_empty());
        assert!(tree.datatype_description.contains("64"));
    }

    #[test]
    fn arrays_of_enums_are_multivaluelists_and_types_are_kept() {
        let attrs = attributes(&def("gas_readiness"));
        let insulation = attrs.iter().find(|a| a.code == "insulation").unwrap();
        assert_eq!(insulation.datatype, Datatype::MultiValueList);
        assert!(!insulation.required);
        assert_eq!(insulation.values.len(), 6);
        assert_eq!(insulation.answer("roof"), json!("roof"));

        let count = attribute(
            "count",
            &json!({"type": "integer", "title": "Aantal"}),
            false,
            1,
        );
        assert_eq!(count.datatype, Datatype::Number);
        assert_eq!(count.answer("12"), json!(12));
        assert_eq!(
            count.answer("1.5"),
            json!("1.5"),
            "left for the schema to refuse"
        );
        let ok = attribute("ok", &json!({"type": "boolean"}), true, 2);
        assert_eq!(ok.datatype, Datatype::SingleValueList);
        assert_eq!(ok.answer("false"), json!(false));
        let level = attribute(
            "level",
            &json!({"oneOf": [{"const": 1, "title": "Laag / Low"}, {"const": 2, "title": "Hoog / High"}]}),
            false,
            3,
        );
        assert_eq!(level.values[1], ("2".to_owned(), "Hoog / High".to_owned()));
        let note = attribute("text", &json!({"type": "string"}), false, 4);
        assert_eq!(
            note.datatype,
            Datatype::Text,
            "no limit: may hold line breaks"
        );
    }

    #[test]
    fn a_service_definition_record_has_the_spec_fields() {
        let a = &attributes(&def("greenery_distress"))[0];
        let v = attribute_record(a).to_json();
        for k in [
            "variable",
            "code",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
            "values",
        ] {
            assert!(v.get(k).is_some(), "{k} in {v}");
        }
        assert_eq!(v["values"][0]["key"], "tree");
        let s = service_record(&def("greenery_distress")).to_json();
        assert_eq!(s["service_code"], "greenery_distress");
        assert_eq!(s["service_name"], "Groen in nood");
        assert_eq!(s["metadata"], true);
        assert_eq!(s["type"], "realtime");
    }
}
