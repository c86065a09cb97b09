//! Observation types: versioned, declarative definitions with a JSON Schema for the answers.
//!
//! The shipped types live in `server/observation-types/*.json` and are compiled into the binary;
//! an admin can add types or new versions (stored in the database). The newest version of a name is
//! the current one; reports keep the version they were made with. Each type says who may read its
//! reports ([`Audience`]), derived from the access policy when it is loaded: the report form's
//! privacy note is written from it, never by hand.

use std::collections::BTreeMap;
use std::sync::Arc;

use domain::BagId;
use domain::access::{
    DataClass, Decision, Place, Principal, Purpose, Resource, Role, decide, decide_about_pand,
    decide_role,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::error::FieldError;

/// The shipped definitions.
const SHIPPED: [&str; 4] = [
    include_str!("../../observation-types/solar_panels.json"),
    include_str!("../../observation-types/roof_suitability.json"),
    include_str!("../../observation-types/greenery_distress.json"),
    include_str!("../../observation-types/gas_readiness.json"),
];

/// What a report of a type can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// A BAG pand.
    Building,
    /// A BAG verblijfsobject.
    Address,
    /// A public-space point.
    Point,
    /// A tree from a tree register (with its point).
    Tree,
}

/// Dutch and English text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

/// One observation type, as defined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDefinition {
    /// Name, `[a-z_]{1,48}`.
    pub name: String,
    /// Version, from 1.
    pub version: u32,
    /// Title.
    pub title: Text,
    /// The question shown to the reporter.
    pub question: Text,
    /// What a report can be about.
    pub targets: Vec<TargetKind>,
    /// About public space: shown on the public map and open to Open311.
    pub public_space: bool,
    /// Only a verified resident of the address may report it (about one's own home).
    pub own_home_only: bool,
    /// Everything it asks is visible from the street (may be asked about another's home).
    pub visible_from_street: bool,
    /// The answer that gives the map's status class.
    pub status_field: String,
    /// Answer value → status class.
    pub status_classes: BTreeMap<String, String>,
    /// JSON Schema (2020-12) of the answers.
    pub schema: Value,
    /// Who may read its reports, from the access policy ([`Audience::of`]): computed when the
    /// type is loaded, whatever a definition gives.
    #[serde(default)]
    pub audience: Audience,
}

/// Who may read the reports of a type on the map (purpose `map`, where each report is read), as
/// [`domain::access`] decides it. The report form tells the reporter this before they send
/// ("Wie ziet deze melding?"); the reporter always reads their own reports besides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    /// What everyone gets — visitors, device sessions, any account: `allow` (each report),
    /// `aggregate` (only k-anonymous counts) or `deny`.
    pub public: String,
    /// Each staff role within its own scope (an admin's scope is always everywhere): `allow`,
    /// `aggregate` or `deny`.
    pub roles: BTreeMap<String, String>,
    /// The residents who verified (letter code) the address a report is about (`address`), or an
    /// address in the building it is about (`building`), read each report, when not everyone does.
    pub residents: Vec<TargetKind>,
}

impl Audience {
    /// The audience of the reports of `def`.
    pub fn of(def: &TypeDefinition) -> Self {
        let class = if def.public_space {
            DataClass::PublicSpaceObservations
        } else {
            DataClass::HouseholdObservations
        };
        let somewhere = Resource::new(class, Place::Somewhere);
        let public = decide(&Principal::Anonymous, Purpose::Map, &somewhere);
        let roles = Role::ALL
            .into_iter()
            .filter(|r| r.is_staff())
            .map(|r| {
                let d = decide_role(r, Purpose::Map, class, true);
                (r.as_str().to_owned(), d.as_str().to_owned())
            })
            .collect();
        // A resident who verified one home, asked about a report on that home or on its building.
        let mut residents = Vec::new();
        if let (Some(home), false) = (BagId::new(1), public == Decision::Allow) {
            let resident = Principal::User {
                id: 0,
                grants: Vec::new(),
                verified_addresses: vec![home],
            };
            for target in &def.targets {
                let reads = match target {
                    TargetKind::Address => {
                        let mut about_home = somewhere.clone();
                        about_home.address = Some(home);
                        decide(&resident, Purpose::Map, &about_home)
                    }
                    TargetKind::Building => {
                        decide_about_pand(&resident, Purpose::Map, &somewhere, &[home])
                    }
                    TargetKind::Point | TargetKind::Tree => Decision::Deny,
                };
                if reads == Decision::Allow && !residents.contains(target) {
                    residents.push(*target);
                }
            }
        }
        Self {
            public: public.as_str().to_owned(),
            roles,
            residents,
        }
    }
}

/// A type with its compiled validator.
pub struct ObservationType {
    /// The definition.
    pub def: TypeDefinition,
    validator: jsonschema::Validator,
}

impl std::fmt::Debug for ObservationType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObservationType")
            .field("name", &self.def.name)
            .field("version", &self.def.version)
            .finish_non_exhaustive()
    }
}

impl ObservationType {
    /// Checks a definition, derives its [`Audience`] and compiles its schema.
    pub fn new(mut def: TypeDefinition) -> Result<Self, Vec<FieldError>> {
        def.audience = Audience::of(&def);
        let mut errors = Vec::new();
        let err = |field: &str, message: String| FieldError {
            field: field.to_owned(),
            message,
        };
        if def.name.is_empty()
            || def.name.len() > 48
            || !def
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
        {
            errors.push(err("/name", "1 to 48 characters a-z and _".into()));
        }
        if def.version == 0 {
            errors.push(err("/version", "versions start at 1".into()));
        }
        if def.targets.is_empty() {
            errors.push(err("/targets", "give at least one target".into()));
        }
        if def.own_home_only && def.targets != [TargetKind::Address] {
            errors.push(err(
                "/targets",
                "a type about one's own home targets [\"address\"] only".into(),
            ));
        }
        if def.schema.get("type").and_then(Value::as_str) != Some("object") {
            errors.push(err(
                "/schema/type",
                "the answers schema must be of type object".into(),
            ));
        }
        if def
            .schema
            .pointer(&format!("/properties/{}", def.status_field))
            .is_none()
        {
            errors.push(err(
                "/status_field",
                format!("{:?} is not a property of the schema", def.status_field),
            ));
        }
        let validator = match jsonschema::draft202012::new(&def.schema) {
            Ok(v) => Some(v),
            Err(e) => {
                errors.push(err("/schema", format!("not a valid JSON Schema: {e}")));
                None
            }
        };
        match (validator, errors.is_empty()) {
            (Some(validator), true) => Ok(Self { def, validator }),
            _ => Err(errors),
        }
    }

    /// Every way `answers` breaks the schema, as field errors under `/answers`.
    pub fn validate(&self, answers: &Value) -> Vec<FieldError> {
        let mut out: Vec<FieldError> = self
            .validator
            .iter_errors(answers)
            .map(|e| FieldError {
                field: format!("/answers{}", e.instance_path()),
                message: e.to_string(),
            })
            .collect();
        out.sort_by(|a, b| a.field.cmp(&b.field));
        out.dedup();
        out
    }

    /// The answers a person types freely: string properties without a fixed list of values
    /// (`note`, a tree number). Only these can hold personal data the reporter did not mean to
    /// publish; enumerated answers cannot.
    pub fn free_text_fields(&self) -> Vec<&str> {
        self.def
            .schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, p)| {
                p.get("type").and_then(Value::as_str) == Some("string")
                    && p.get("enum").is_none()
                    && p.get("const").is_none()
            })
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// Does any free-text answer look like personal data (a phone number, an e-mail address)?
    pub fn looks_personal(&self, answers: &Value) -> bool {
        self.free_text_fields().into_iter().any(|f| {
            answers
                .get(f)
                .and_then(Value::as_str)
                .is_some_and(super::pii::looks_personal)
        })
    }

    /// `answers` without the free-text ones: what others see of a report whose free text a
    /// moderator has not yet released. Returns the fields left out.
    pub fn withhold_free_text(&self, answers: &mut Value) -> Vec<String> {
        let mut withheld = Vec::new();
        if let Some(map) = answers.as_object_mut() {
            for f in self.free_text_fields() {
                if map.remove(f).is_some() {
                    withheld.push(f.to_owned());
                }
            }
        }
        withheld
    }

    /// The map's status class of a report with `answers`.
    pub fn status_class(&self, answers: &Value) -> String {
        answers
            .get(&self.def.status_field)
            .and_then(Value::as_str)
            .and_then(|v| self.def.status_classes.get(v))
            .cloned()
            .unwrap_or_else(|| "unknown".to_owned())
    }
}

/// Every type, every version.
#[derive(Debug, Default)]
pub struct TypeRegistry {
    by_name: BTreeMap<String, BTreeMap<u32, Arc<ObservationType>>>,
}

impl TypeRegistry {
    /// The shipped types plus `extra` definitions (JSON texts from the store). A stored definition
    /// that no longer compiles is skipped with a warning.
    pub fn load(extra: &[(String, u32, String)]) -> Self {
        let mut r = Self::default();
        for text in SHIPPED {
            let def: TypeDefinition =
                serde_json::from_str(text).expect("shipped observation types are valid JSON");
            let t = ObservationType::new(def).expect("shipped observation types are valid");
            r.insert(t);
        }
        for (name, version, text) in extra {
            match serde_json::from_str::<TypeDefinition>(text)
                .map_err(|e| {
                    vec![FieldError {
                        field: String::new(),
                        message: e.to_string(),
                    }]
                })
                .and_then(ObservationType::new)
            {
                Ok(t) => r.insert(t),
                Err(e) => tracing::warn!(%name, version, ?e, "stored observation type skipped"),
            }
        }
        r
    }

    /// Adds a type (a new version supersedes older ones as the current).
    pub fn insert(&mut self, t: ObservationType) {
        self.by_name
            .entry(t.def.name.clone())
            .or_default()
            .insert(t.def.version, Arc::new(t));
    }

    /// The current version of a type.
    pub fn current(&self, name: &str) -> Option<Arc<ObservationType>> {
        self.by_name
            .get(name)
            .and_then(|v| v.values().next_back())
            .cloned()
    }

    /// A given version of a type.
    pub fn version(&self, name: &str, version: u32) -> Option<Arc<ObservationType>> {
        self.by_name
            .get(name)
            .and_then(|v| v.get(&version))
            .cloned()
    }

    /// The current version of every type, by name.
    pub fn all_current(&self) -> Vec<Arc<ObservationType>> {
        self.by_name
            .values()
            .filter_map(|v| v.values().next_back().cloned())
            .collect()
    }

    /// Names of every type.
    pub fn names(&self) -> Vec<String> {
        self.by_name.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use serde_json::json;

    use super::*;

    #[test]
    fn shipped_types_load_and_validate_their_answers() {
        let r = TypeRegistry::load(&[]);
        assert_eq!(
            r.names(),
            [
                "gas_readiness",
                "greenery_distress",
                "roof_suitability",
                "solar_panels"
            ]
        );
        let solar = r.current("solar_panels").unwrap();
        assert!(
            solar
                .validate(&json!({"panels": "yes", "count": "5-10", "roof_part": "front"}))
                .is_empty()
        );
        assert!(
            solar.validate(&json!({"panels": "cant_tell"})).is_empty(),
            "can't tell is allowed"
        );
        let errors = solar.validate(&json!({"panels": "maybe", "count": 7, "colour": "red"}));
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"/answers/panels"), "{errors:?}");
        assert!(fields.contains(&"/answers/count"), "{errors:?}");
        assert!(
            errors.len() >= 3,
            "every failing field is listed: {errors:?}"
        );
        assert_eq!(solar.status_class(&json!({"panels": "yes"})), "panels_seen");
        let gas = r.current("gas_readiness").unwrap();
        assert!(gas.def.own_home_only);
        assert!(
            !gas.validate(&json!({"heating": "gas_boiler", "cooking": "gas"}))
                .is_empty()
        );
        assert!(gas.validate(&json!({"heating": "gas_boiler", "cooking": "induction", "insulation": ["roof", "glass"], "interest": "maybe"})).is_empty());
        let green = r.current("greenery_distress").unwrap();
        assert!(green.def.public_space);
        assert!(
            green
                .validate(&json!({"object": "tree", "severity": "dying", "cause": "drought"}))
                .is_empty()
        );
        let roof = r.current("roof_suitability").unwrap();
        assert!(
            roof.validate(
                &json!({"shape": "sloped", "orientation": "south", "shade": "cant_tell"})
            )
            .is_empty()
        );
    }

    #[test]
    fn the_audience_of_each_type_comes_from_the_access_policy() {
        let r = TypeRegistry::load(&[]);
        let audience = |name: &str| r.current(name).unwrap().def.audience.clone();
        let staff = |roles: &[(&str, &str)]| -> BTreeMap<String, String> {
            roles
                .iter()
                .map(|(r, d)| ((*r).to_owned(), (*d).to_owned()))
                .collect()
        };
        let homes = staff(&[
            ("volunteer", "allow"),
            ("communitybuilder", "allow"),
            ("wijkondernemer", "allow"),
            ("gemeente", "aggregate"),
            ("partner", "aggregate"),
            ("admin", "allow"),
        ]);
        // About a building: its verified residents, staff in their area, admins; the rest counts.
        let solar = audience("solar_panels");
        assert_eq!(solar.public, "aggregate");
        assert_eq!(solar.roles, homes);
        assert_eq!(solar.residents, [TargetKind::Building]);
        // About one's own home: that address's verified residents only, not the neighbours.
        let gas = audience("gas_readiness");
        assert_eq!(gas.public, "aggregate");
        assert_eq!(gas.roles, homes);
        assert_eq!(gas.residents, [TargetKind::Address]);
        // Public space: everyone.
        let green = audience("greenery_distress");
        assert_eq!(green.public, "allow");
        assert!(green.roles.values().all(|d| d == "allow"), "{green:?}");
        assert!(green.residents.is_empty());
        // Sent with the type, and a definition cannot claim another audience.
        let json = serde_json::to_value(&r.current("solar_panels").unwrap().def).unwrap();
        assert_eq!(
            json["audience"]["residents"],
            serde_json::json!(["building"])
        );
        let mut claimed = r.current("gas_readiness").unwrap().def.clone();
        claimed.audience.public = "allow".into();
        assert_eq!(ObservationType::new(claimed).unwrap().def.audience, gas);
    }

    #[test]
    fn new_versions_supersede_and_bad_definitions_are_refused() {
        let mut def: TypeDefinition = serde_json::from_str(SHIPPED[0]).unwrap();
        def.version = 2;
        let extra = vec![(
            "solar_panels".to_owned(),
            2,
            serde_json::to_string(&def).unwrap(),
        )];
        let r = TypeRegistry::load(&extra);
        assert_eq!(r.current("solar_panels").unwrap().def.version, 2);
        assert!(r.version("solar_panels", 1).is_some());
        def.status_field = "nope".into();
        def.name = "Bad Name".into();
        let errors = ObservationType::new(def).unwrap_err();
        assert!(errors.iter().any(|e| e.field == "/name"));
        assert!(errors.iter().any(|e| e.field == "/status_field"));
    }
}
