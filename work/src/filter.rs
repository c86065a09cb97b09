//! Filters for APIs (OGC API Features Part 3 `filter=`): the register facts of a target, read
//! through the same [`Fields`] the rules use, and, for work items, the item's `kind` and `status`.
//!
//! Only register fields (BAG, 3DBAG, EP-Online, CBS codes) are offered: the observation fields
//! (`T.status_class`, …) are household data of another class, and a filter over them would tell
//! a caller per building what it may only see in aggregate.

use domain::{AddressRow, AreaRefs, BuildingRow, Model};
use rules::{FieldId, FieldType, Row, Schema};

use crate::fields::{Fields, TargetRow};
use crate::index::ItemRef;
use crate::rule_file::RuleSet;
use crate::status::WorkStatus;
use crate::target::{Target, TargetKind};

impl Fields {
    /// The fields of the registers only: the same declarations as the rules use, without any
    /// observation type.
    pub fn registers() -> Self {
        Self::new(Vec::new())
    }
}

impl crate::fields::KindFields {
    /// A target as a filter reads it: `pand` (for a verblijfsobject, the first pand it lies in),
    /// `address` (for a verblijfsobject) and its areas. Observation fields, if the schema has
    /// them, read as if there were no observation: use with [`Fields::registers`].
    pub fn register_row<'a>(
        &'a self,
        pand: Option<BuildingRow<'a>>,
        address: Option<AddressRow<'a>>,
        areas: AreaRefs,
    ) -> impl Row + 'a {
        TargetRow::new(&self.sources, pand, address, areas, &[], 0)
    }
}

/// The fields a filter over work items may name: `kind`, `status` and the register fields of
/// every target kind (a field a target kind lacks is missing for its items).
#[derive(Debug, Clone)]
pub struct ItemFields {
    registers: Fields,
    schema: Schema,
    kind: FieldId,
    status: FieldId,
    /// Per target kind: the slot in the target kind's schema of each slot of `schema`.
    map: [Vec<Option<FieldId>>; 3],
}

impl ItemFields {
    /// The fields for the work kinds of `rules`.
    pub fn new(rules: &RuleSet) -> Self {
        let registers = Fields::registers();
        let mut schema = Schema::new();
        let kinds: Vec<&str> = rules.rules.iter().map(|r| r.kind.as_str()).collect();
        let kind = schema.enumeration("kind", &kinds, "the work kind (the rule's name)");
        let statuses: Vec<&str> = WorkStatus::ALL.iter().map(|s| s.as_str()).collect();
        let status = schema.enumeration("status", &statuses, "the status of the item");
        for k in TargetKind::ALL {
            for (name, t, values, description) in registers.of(k).schema().describe() {
                if schema.get(name).is_some() {
                    continue;
                }
                match (t, values) {
                    (FieldType::Text, Some(v)) => {
                        let v: Vec<&str> = v.iter().map(String::as_str).collect();
                        schema.enumeration(name, &v, description)
                    }
                    (FieldType::Text, None) => schema.text(name, description),
                    (FieldType::Number, _) => schema.number(name, description),
                    (FieldType::Bool, _) => schema.boolean(name, description),
                };
            }
        }
        let mut map: [Vec<Option<FieldId>>; 3] = Default::default();
        for k in TargetKind::ALL {
            let own = registers.of(k).schema();
            map[k as usize] = (0..schema.len())
                .map(|i| {
                    let id = FieldId(u16::try_from(i).unwrap_or(u16::MAX));
                    let (name, t) = schema.by_id(id)?;
                    own.get(name).filter(|(_, ot)| *ot == t).map(|(oid, _)| oid)
                })
                .collect();
        }
        Self {
            registers,
            schema,
            kind,
            status,
            map,
        }
    }

    /// The schema filters compile against.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// An item as a filter reads it.
    pub fn row<'a>(&'a self, model: &'a Model, it: &ItemRef<'a>) -> impl Row + 'a {
        let tk = it.item.target.kind();
        let sources = &self.registers.of(tk).sources;
        let target = match it.item.target {
            Target::Pand(id) => {
                let p = domain::BagId::new(id).and_then(|b| model.find_building(b));
                TargetRow::new(sources, p, None, it.item.areas, &[], 0)
            }
            Target::Verblijfsobject(id) => {
                let a = domain::BagId::new(id).and_then(|b| model.find_address(b));
                let pand = a.and_then(|a| a.building_rows().first().map(|i| model.building(*i)));
                TargetRow::new(sources, pand, a, it.item.areas, &[], 0)
            }
            Target::PublicSpace(_) => TargetRow::new(sources, None, None, it.item.areas, &[], 0),
        };
        ItemRow {
            kind: (self.kind, it.rule.kind.as_str()),
            status: (self.status, it.status.as_str()),
            map: &self.map[tk as usize],
            target,
        }
    }
}

struct ItemRow<'a> {
    kind: (FieldId, &'a str),
    status: (FieldId, &'a str),
    map: &'a [Option<FieldId>],
    target: TargetRow<'a>,
}

impl ItemRow<'_> {
    fn own(&self, f: FieldId) -> Option<FieldId> {
        self.map.get(usize::from(f.0)).copied().flatten()
    }
}

impl Row for ItemRow<'_> {
    fn number(&self, f: FieldId) -> Option<f64> {
        self.target.number(self.own(f)?)
    }

    fn text(&self, f: FieldId) -> Option<&str> {
        if f == self.kind.0 {
            return Some(self.kind.1);
        }
        if f == self.status.0 {
            return Some(self.status.1);
        }
        self.target.text(self.own(f)?)
    }

    fn boolean(&self, f: FieldId) -> Option<bool> {
        self.target.boolean(self.own(f)?)
    }
}
