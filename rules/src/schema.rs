//! What a condition may name: fields with a type, looked up by name once, at compile time.

use std::collections::BTreeMap;

/// A field's slot: rows are asked by it, never by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u16);

/// The type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// A number (integers are numbers too).
    Number,
    /// A text.
    Text,
    /// Yes or no.
    Bool,
}

impl FieldType {
    /// Name in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Number => "a number",
            Self::Text => "a text",
            Self::Bool => "yes/no",
        }
    }
}

#[derive(Debug, Clone)]
struct FieldSpec {
    id: FieldId,
    kind: FieldType,
    /// For a text that is an enumeration: the values it may take.
    values: Option<Vec<String>>,
    description: String,
}

/// The fields a condition may name.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    fields: BTreeMap<String, FieldSpec>,
}

impl Schema {
    /// An empty schema.
    pub fn new() -> Self {
        Self::default()
    }

    fn add(
        &mut self,
        name: &str,
        kind: FieldType,
        values: Option<&[&str]>,
        description: &str,
    ) -> FieldId {
        if let Some(existing) = self.fields.get(name) {
            return existing.id;
        }
        let id = FieldId(u16::try_from(self.fields.len()).unwrap_or(u16::MAX));
        self.fields.insert(
            name.to_owned(),
            FieldSpec {
                id,
                kind,
                values: values.map(|v| v.iter().map(|s| (*s).to_owned()).collect()),
                description: description.to_owned(),
            },
        );
        id
    }

    /// Declares a number field; returns its slot.
    pub fn number(&mut self, name: &str, description: &str) -> FieldId {
        self.add(name, FieldType::Number, None, description)
    }

    /// Declares a free text field.
    pub fn text(&mut self, name: &str, description: &str) -> FieldId {
        self.add(name, FieldType::Text, None, description)
    }

    /// Declares a text field that takes one of `values`.
    pub fn enumeration(&mut self, name: &str, values: &[&str], description: &str) -> FieldId {
        self.add(name, FieldType::Text, Some(values), description)
    }

    /// Declares a yes/no field.
    pub fn boolean(&mut self, name: &str, description: &str) -> FieldId {
        self.add(name, FieldType::Bool, None, description)
    }

    /// A field by name: its slot and type.
    pub fn get(&self, name: &str) -> Option<(FieldId, FieldType)> {
        self.fields.get(name).map(|f| (f.id, f.kind))
    }

    /// The values an enumerated text field may take.
    pub fn values(&self, name: &str) -> Option<&[String]> {
        self.fields.get(name).and_then(|f| f.values.as_deref())
    }

    /// Every field: name, type, allowed values, description (for documentation and errors).
    pub fn describe(&self) -> impl Iterator<Item = (&str, FieldType, Option<&[String]>, &str)> {
        self.fields.iter().map(|(name, f)| {
            (
                name.as_str(),
                f.kind,
                f.values.as_deref(),
                f.description.as_str(),
            )
        })
    }

    /// Number of fields (slots run from 0 to this).
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// No fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The names closest to `name` (for "did you mean").
    pub(crate) fn suggest(&self, name: &str) -> Vec<&str> {
        let mut scored: Vec<(usize, &str)> = self
            .fields
            .keys()
            .map(|k| (edit_distance(name, k), k.as_str()))
            .filter(|(d, k)| *d <= 2.max(k.len() / 4))
            .collect();
        scored.sort_unstable();
        scored.into_iter().take(3).map(|(_, k)| k).collect()
    }
}

/// Levenshtein distance of two short names.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
