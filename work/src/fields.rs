//! What a rule may name, per target kind, and where each value comes from.
//!
//! Register fields (`bouwjaar`, `aantal_verblijfsobjecten`, `woonfunctie`, `buurtcode`, …) and,
//! per observation type `T`, the newest open observation about the target: `T.status_class`
//! (`none` when there is none), `T.reports`, `T.confirmations`, `T.age_days`; for spots in public
//! space also `T.nearby_30d`, for register trees (`boomnummer`, `boomsoort`, `plantjaar`,
//! `leeftijd`) `T.reports_30d`. Values are looked up by slot, never by name, while rules run.

use std::cell::OnceCell;

use domain::observations::LiveObservation;
use domain::{AddressRow, AreaRefs, BuildingRow, TreeRow, Usage};
use domain::{EnergyClass, RoofType};
use rules::{FieldId, FieldType, Row, Schema};
use serde::Serialize;

use crate::TargetKind;

/// The status class of a type without an open observation about the target.
pub const NONE: &str = "none";

/// An observation type as rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservationTypeInfo {
    /// Its name, e.g. `solar_panels`.
    pub name: String,
    /// The status classes its answers map to.
    pub status_classes: Vec<String>,
    /// About public space (else about homes).
    pub public_space: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObsField {
    StatusClass,
    Reports,
    Confirmations,
    AgeDays,
    Nearby30d,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Bouwjaar,
    Units,
    BuildingStatus,
    Usage(Usage),
    Buurt,
    Wijk,
    Gemeente,
    Postcode,
    Street,
    FloorArea,
    Roof(RoofField),
    EnergyClass,
    EnergyIndex,
    TreeNumber,
    TreeSpecies,
    PlantingYear,
    TreeAge,
    Obs { ty: usize, what: ObsField },
}

/// 3DBAG's facts about the pand's roof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoofField {
    Type,
    FlatM2,
    SlopedM2,
    SolarM2,
    GroundM,
    Roof70pM,
}

/// The fields of one target kind: the schema rules compile against and the source of each slot.
#[derive(Debug, Clone)]
pub struct KindFields {
    pub(crate) schema: Schema,
    pub(crate) sources: Vec<Source>,
}

impl KindFields {
    fn new() -> Self {
        Self {
            schema: Schema::new(),
            sources: Vec::new(),
        }
    }

    fn add(&mut self, id: FieldId, source: Source) {
        debug_assert_eq!(usize::from(id.0), self.sources.len());
        self.sources.push(source);
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }
}

/// The fields of every target kind, for the observation types in use.
#[derive(Debug, Clone)]
pub struct Fields {
    pub(crate) types: Vec<ObservationTypeInfo>,
    pub(crate) kinds: [KindFields; 4],
}

impl Fields {
    /// Declares the fields for `types`.
    pub fn new(types: Vec<ObservationTypeInfo>) -> Self {
        let mut kinds = [
            KindFields::new(),
            KindFields::new(),
            KindFields::new(),
            KindFields::new(),
        ];
        for (k, f) in TargetKind::ALL.into_iter().zip(kinds.iter_mut()) {
            if k == TargetKind::Tree {
                let id = f
                    .schema
                    .text("boomnummer", "the tree's number in its register");
                f.add(id, Source::TreeNumber);
                let id = f.schema.text(
                    "boomsoort",
                    "species as the register writes it (often Latin, e.g. Tilia europaea); empty when unknown",
                );
                f.add(id, Source::TreeSpecies);
                let id = f
                    .schema
                    .number("plantjaar", "year planted (register); empty when unknown");
                f.add(id, Source::PlantingYear);
                let id = f.schema.number(
                    "leeftijd",
                    "years since planting, this year; empty when the planting year is unknown",
                );
                f.add(id, Source::TreeAge);
            }
            if matches!(k, TargetKind::Pand | TargetKind::Verblijfsobject) {
                let id = f.schema.number(
                    "bouwjaar",
                    "construction year of the pand (BAG); empty when unknown",
                );
                f.add(id, Source::Bouwjaar);
                let id = f.schema.number(
                    "aantal_verblijfsobjecten",
                    "number of verblijfsobjecten in the pand (BAG)",
                );
                f.add(id, Source::Units);
                let statuses: Vec<&str> = domain::BuildingStatus::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .collect();
                let id = f.schema.enumeration(
                    "pand_status",
                    &statuses,
                    "life-cycle status of the pand (BAG)",
                );
                f.add(id, Source::BuildingStatus);
                for u in Usage::ALL {
                    let id = f.schema.boolean(
                        u.as_str(),
                        "the pand (or, for a verblijfsobject, the address) has this gebruiksdoel (BAG)",
                    );
                    f.add(id, Source::Usage(u));
                }
                let roof_types: Vec<&str> = RoofType::ALL.iter().map(|t| t.as_str()).collect();
                let id = f.schema.enumeration(
                    "b3_dak_type",
                    &roof_types,
                    "roof type of the pand (3DBAG); empty without 3DBAG data",
                );
                f.add(id, Source::Roof(RoofField::Type));
                for (name, field, what) in [
                    (
                        "b3_opp_dak_plat",
                        RoofField::FlatM2,
                        "flat roof area of the pand in m² (3DBAG)",
                    ),
                    (
                        "b3_opp_dak_schuin",
                        RoofField::SlopedM2,
                        "sloped roof area of the pand in m² (3DBAG)",
                    ),
                    (
                        "opp_dak_geschikt_zon",
                        RoofField::SolarM2,
                        "roof area suitable for solar panels in m²: flat parts, and sloped parts facing south-east to south-west at most 60° steep (3DBAG roof parts)",
                    ),
                    (
                        "b3_h_maaiveld",
                        RoofField::GroundM,
                        "ground level at the pand in m above NAP (3DBAG)",
                    ),
                    (
                        "b3_h_dak_70p",
                        RoofField::Roof70pM,
                        "roof height (70th percentile) in m above NAP (3DBAG)",
                    ),
                ] {
                    let id = f.schema.number(name, what);
                    f.add(id, Source::Roof(field));
                }
            }
            if k == TargetKind::Verblijfsobject {
                let id = f.schema.text("postcode", "postcode of the address (BAG)");
                f.add(id, Source::Postcode);
                let id = f
                    .schema
                    .text("straat", "street name of the address (BAG openbare ruimte)");
                f.add(id, Source::Street);
                let id = f.schema.number(
                    "oppervlakte",
                    "floor area of the verblijfsobject in m² (BAG)",
                );
                f.add(id, Source::FloorArea);
                let classes: Vec<&str> = EnergyClass::ALL.iter().map(|c| c.as_str()).collect();
                let id = f.schema.enumeration(
                    "energieklasse",
                    &classes,
                    "energy label class of the address, A+++++ to G (EP-Online, the newest registered); empty without a label",
                );
                f.add(id, Source::EnergyClass);
                let id = f.schema.number(
                    "energieindex",
                    "energy index of the newest label (EP-Online); empty when the label has none",
                );
                f.add(id, Source::EnergyIndex);
            }
            for (name, source, what) in [
                (
                    "buurtcode",
                    Source::Buurt,
                    "CBS buurt code, e.g. BU02210101",
                ),
                ("wijkcode", Source::Wijk, "CBS wijk code, e.g. WK022101"),
                (
                    "gemeentecode",
                    Source::Gemeente,
                    "CBS gemeente code, e.g. GM0221",
                ),
            ] {
                let id = f.schema.text(name, what);
                f.add(id, source);
            }
            for (ty, t) in types.iter().enumerate() {
                // Rules about homes read home observations; rules about public space and trees
                // read public-space observations.
                if t.public_space != matches!(k, TargetKind::PublicSpace | TargetKind::Tree) {
                    continue;
                }
                let mut classes: Vec<&str> = t.status_classes.iter().map(String::as_str).collect();
                classes.push(NONE);
                classes.sort_unstable();
                classes.dedup();
                let n = &t.name;
                let id = f.schema.enumeration(
                    &format!("{n}.status_class"),
                    &classes,
                    "status class of the newest open observation of this type about the target; none without one",
                );
                f.add(
                    id,
                    Source::Obs {
                        ty,
                        what: ObsField::StatusClass,
                    },
                );
                let id = f.schema.number(
                    &format!("{n}.reports"),
                    "open observations of this type about the target",
                );
                f.add(
                    id,
                    Source::Obs {
                        ty,
                        what: ObsField::Reports,
                    },
                );
                let id = f.schema.number(
                    &format!("{n}.confirmations"),
                    "confirmations of the open observations of this type about the target",
                );
                f.add(
                    id,
                    Source::Obs {
                        ty,
                        what: ObsField::Confirmations,
                    },
                );
                let id = f.schema.number(
                    &format!("{n}.age_days"),
                    "days since the newest open observation of this type; empty without one",
                );
                f.add(
                    id,
                    Source::Obs {
                        ty,
                        what: ObsField::AgeDays,
                    },
                );
                let recent = match k {
                    TargetKind::PublicSpace => Some((
                        "nearby_30d",
                        "observations of this type within 25 m reported in the last 30 days (this one included)",
                    )),
                    TargetKind::Tree => Some((
                        "reports_30d",
                        "open observations of this type naming the tree, reported in the last 30 days",
                    )),
                    _ => None,
                };
                if let Some((name, what)) = recent {
                    let id = f.schema.number(&format!("{n}.{name}"), what);
                    f.add(
                        id,
                        Source::Obs {
                            ty,
                            what: ObsField::Nearby30d,
                        },
                    );
                }
            }
        }
        Self { types, kinds }
    }

    /// The fields of a target kind.
    pub fn of(&self, kind: TargetKind) -> &KindFields {
        &self.kinds[kind as usize]
    }

    /// The observation types.
    pub fn types(&self) -> &[ObservationTypeInfo] {
        &self.types
    }

    /// The index of an observation type.
    pub(crate) fn type_index(&self, name: &str) -> Option<usize> {
        self.types.iter().position(|t| t.name == name)
    }
}

/// What the open observations of one type say about one target.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ObsSummary<'a> {
    pub(crate) class: Option<&'a str>,
    pub(crate) newest_at: i64,
    newest_id: i64,
    pub(crate) reports: u32,
    pub(crate) confirmations: u32,
    pub(crate) nearby_30d: u32,
}

impl<'a> ObsSummary<'a> {
    pub(crate) fn add(&mut self, o: &'a LiveObservation) {
        // The newest by time, then by id: the same one the map draws, whatever the order of
        // adding.
        if self.reports == 0 || (o.observed_at, o.id) > (self.newest_at, self.newest_id) {
            self.class = Some(o.status_class.as_str());
            self.newest_at = o.observed_at;
            self.newest_id = o.id;
        }
        self.reports += 1;
        self.confirmations += o.confirmations;
    }
}

/// One target as rules read it.
pub(crate) struct TargetRow<'a> {
    pub(crate) sources: &'a [Source],
    pub(crate) pand: Option<BuildingRow<'a>>,
    pub(crate) tree: Option<TreeRow<'a>>,
    pub(crate) address: Option<AddressRow<'a>>,
    pub(crate) areas: AreaRefs,
    pub(crate) obs: &'a [ObsSummary<'a>],
    pub(crate) now: i64,
    codes: OnceCell<[Option<String>; 3]>,
}

impl<'a> TargetRow<'a> {
    pub(crate) fn new(
        sources: &'a [Source],
        pand: Option<BuildingRow<'a>>,
        address: Option<AddressRow<'a>>,
        areas: AreaRefs,
        obs: &'a [ObsSummary<'a>],
        now: i64,
    ) -> Self {
        Self {
            sources,
            pand,
            tree: None,
            address,
            areas,
            obs,
            now,
            codes: OnceCell::new(),
        }
    }

    /// The same row about register tree `tree`.
    pub(crate) fn with_tree(mut self, tree: Option<TreeRow<'a>>) -> Self {
        self.tree = tree;
        self
    }

    fn source(&self, f: FieldId) -> Option<Source> {
        self.sources.get(usize::from(f.0)).copied()
    }

    fn obs(&self, ty: usize) -> ObsSummary<'a> {
        self.obs.get(ty).copied().unwrap_or_default()
    }

    fn codes(&self) -> &[Option<String>; 3] {
        self.codes.get_or_init(|| {
            [
                self.areas.buurt.map(|c| c.to_string()),
                self.areas.wijk.map(|c| c.to_string()),
                self.areas.gemeente.map(|c| c.to_string()),
            ]
        })
    }
}

impl Row for TargetRow<'_> {
    fn number(&self, f: FieldId) -> Option<f64> {
        match self.source(f)? {
            Source::Bouwjaar => self
                .pand
                .map(|p| p.bouwjaar())
                .filter(|y| *y != domain::UNKNOWN_BOUWJAAR)
                .map(f64::from),
            Source::Units => self.pand.map(|p| f64::from(p.units())),
            Source::FloorArea => self.address?.floor_area_m2().map(f64::from),
            Source::EnergyIndex => self.address?.energy_label()?.energy_index,
            Source::PlantingYear => self.tree?.planting_year().map(f64::from),
            Source::TreeAge => {
                let planted = self.tree?.planting_year()?;
                let now = u64::try_from(self.now).ok()?;
                let year = domain::rfc3339_utc(now).get(..4)?.parse::<i32>().ok()?;
                Some(f64::from((year - i32::from(planted)).max(0)))
            }
            Source::Roof(field) => {
                let r = self.pand?.roof()?;
                match field {
                    RoofField::FlatM2 => r.flat_m2,
                    RoofField::SlopedM2 => r.sloped_m2,
                    RoofField::SolarM2 => Some(r.solar_m2),
                    RoofField::GroundM => r.ground_m,
                    RoofField::Roof70pM => r.roof_70p_m,
                    RoofField::Type => None,
                }
            }
            Source::Obs { ty, what } => {
                let o = self.obs(ty);
                match what {
                    ObsField::Reports => Some(f64::from(o.reports)),
                    ObsField::Confirmations => Some(f64::from(o.confirmations)),
                    ObsField::Nearby30d => Some(f64::from(o.nearby_30d)),
                    ObsField::AgeDays => {
                        (o.reports > 0).then(|| ((self.now - o.newest_at).max(0) / 86_400) as f64)
                    }
                    ObsField::StatusClass => None,
                }
            }
            _ => None,
        }
    }

    fn text(&self, f: FieldId) -> Option<&str> {
        match self.source(f)? {
            Source::BuildingStatus => self.pand.map(|p| p.status().as_str()),
            Source::Buurt => self.codes()[0].as_deref(),
            Source::Wijk => self.codes()[1].as_deref(),
            Source::Gemeente => self.codes()[2].as_deref(),
            Source::Postcode => self.address?.postcode(),
            Source::Street => self.address.map(|a| a.street()),
            Source::TreeNumber => self.tree.map(|t| t.number()),
            Source::TreeSpecies => self.tree?.species(),
            Source::EnergyClass => Some(self.address?.energy_label()?.class.as_str()),
            Source::Roof(RoofField::Type) => Some(self.pand?.roof()?.roof_type?.as_str()),
            Source::Obs {
                ty,
                what: ObsField::StatusClass,
            } => Some(self.obs(ty).class.unwrap_or(NONE)),
            _ => None,
        }
    }

    fn boolean(&self, f: FieldId) -> Option<bool> {
        match self.source(f)? {
            Source::Usage(u) => match (self.address, self.pand) {
                (Some(a), _) => Some(a.usage().contains(u)),
                (None, Some(p)) => Some(p.usage().contains(u)),
                (None, None) => None,
            },
            _ => None,
        }
    }
}

/// One value an item's rule read, as evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum EvidenceValue {
    /// A number.
    Number(f64),
    /// A text.
    Text(String),
    /// Yes or no.
    Bool(bool),
    /// No value.
    Missing,
}

/// Why an item exists: the values its rule read and the observations behind them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Field name → value, in the order of the schema's slots.
    pub facts: Vec<(String, EvidenceValue)>,
    /// The open observations the rule read (ids).
    pub observations: Vec<i64>,
}

pub(crate) fn evidence_of(
    row: &TargetRow<'_>,
    schema: &Schema,
    slots: &[FieldId],
) -> Vec<(String, EvidenceValue)> {
    slots
        .iter()
        .filter_map(|id| {
            let (name, kind) = schema.by_id(*id)?;
            let v = match kind {
                FieldType::Number => row.number(*id).map(EvidenceValue::Number),
                FieldType::Text => row.text(*id).map(|s| EvidenceValue::Text(s.to_owned())),
                FieldType::Bool => row.boolean(*id).map(EvidenceValue::Bool),
            };
            Some((name.to_owned(), v.unwrap_or(EvidenceValue::Missing)))
        })
        .collect()
}
