//! Filters for APIs (OGC API Features Part 3 `filter=`), read through the same [`Fields`] the
//! rules use: on the open registers the register facts of a target only ([`Fields::registers`]:
//! observation fields are household data, and a filter over them would tell anyone per building
//! what only staff may see); on work items also the item's `kind` and `status` and what the
//! observations say ([`ItemFields`]), for callers the policy lets see them.

use domain::observations::ObservationIndex;
use domain::{AddressRow, AreaRefs, BuildingRow, Model};
use rules::{FieldId, FieldType, Predicate, Row, Schema};

use crate::fields::{Fields, Source, TargetRow};
use crate::index::{ItemRef, Observed, Sources, target_summaries};
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
    /// Does slot `field` of this kind's schema read what observations say?
    pub fn is_observed(&self, field: FieldId) -> bool {
        matches!(
            self.sources.get(usize::from(field.0)),
            Some(Source::Obs { .. })
        )
    }

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

/// The fields a filter over work items may name: `kind`, `status` and the fields the rules read
/// about the item's target (register fields, and per observation type what the open observations
/// say); a field a target kind lacks is missing for its items.
#[derive(Debug, Clone)]
pub struct ItemFields {
    fields: Fields,
    schema: Schema,
    kind: FieldId,
    status: FieldId,
    /// Per target kind: the slot in the target kind's schema of each slot of `schema`.
    map: [Vec<Option<FieldId>>; 4],
    /// The slots of `schema` that read observations.
    observed: Vec<bool>,
}

impl ItemFields {
    /// The fields for the work kinds of `rules` over `fields` (those of the work index; with
    /// [`Fields::registers`] only the register fields).
    pub fn new(rules: &RuleSet, fields: &Fields) -> Self {
        Self::with_kinds(rules, &[], fields)
    }

    /// As [`Self::new`], with `kind` also taking the values of `also` (the shipped kinds, for
    /// the shipped urgency indicators: a kind the rules in use lack counts nothing there).
    pub fn with_kinds(rules: &RuleSet, also: &[String], fields: &Fields) -> Self {
        let fields = fields.clone();
        let mut schema = Schema::new();
        let mut kinds: Vec<&str> = rules.rules.iter().map(|r| r.kind.as_str()).collect();
        for k in also {
            if !kinds.contains(&k.as_str()) {
                kinds.push(k);
            }
        }
        let kind = schema.enumeration("kind", &kinds, "the work kind (the rule's name)");
        let statuses: Vec<&str> = WorkStatus::ALL.iter().map(|s| s.as_str()).collect();
        let status = schema.enumeration("status", &statuses, "the status of the item");
        for k in TargetKind::ALL {
            for (name, t, values, description) in fields.of(k).schema().describe() {
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
        let slots = || (0..schema.len()).map(|i| FieldId(u16::try_from(i).unwrap_or(u16::MAX)));
        let mut map: [Vec<Option<FieldId>>; 4] = Default::default();
        let mut observed = vec![false; schema.len()];
        for k in TargetKind::ALL {
            let own = fields.of(k);
            map[k as usize] = slots()
                .map(|id| {
                    let (name, t) = schema.by_id(id)?;
                    let (oid, _) = own.schema().get(name).filter(|(_, ot)| *ot == t)?;
                    if matches!(
                        own.sources.get(usize::from(oid.0)),
                        Some(Source::Obs { .. })
                    ) {
                        observed[usize::from(id.0)] = true;
                    }
                    Some(oid)
                })
                .collect();
        }
        Self {
            fields,
            schema,
            kind,
            status,
            map,
            observed,
        }
    }

    /// The schema filters compile against.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Does any of `fields` (slots of [`Self::schema`]) read what observations say?
    pub fn reads_fields_observed(&self, fields: &[FieldId]) -> bool {
        fields.iter().any(|f| {
            self.observed
                .get(usize::from(f.0))
                .copied()
                .unwrap_or(false)
        })
    }

    /// Does `p` read what observations say (so that the caller must be allowed to see them)?
    pub fn reads_observations(&self, p: &Predicate) -> bool {
        p.fields().iter().any(|f| {
            self.observed
                .get(usize::from(f.0))
                .copied()
                .unwrap_or(false)
        })
    }

    /// Does item `it` match `p`? `observations` (the open observations, and now) are read only
    /// when `p` reads them; without them, observation fields are as if nobody observed anything.
    pub fn matches(
        &self,
        p: &Predicate,
        model: &Model,
        observations: Option<(&ObservationIndex, i64)>,
        it: &ItemRef<'_>,
    ) -> bool {
        let observations = observations.filter(|_| self.reads_observations(p));
        self.with_item_row(model, observations, it, |row| p.matches(row))
    }

    /// Gathers what the open observations of `index` say about every pand and address, by
    /// these fields' observation types: for [`Self::with_item_row_at`].
    pub fn observed<'a>(&self, index: &'a ObservationIndex) -> Observed<'a> {
        Observed::new(&self.fields, index)
    }

    /// [`Self::with_item_row`] in a pass over every item: the item's pand and address rows
    /// already found (`rows`), and what the open observations say gathered once (`observed`,
    /// made by [`Self::observed`] from `src`'s observations; `None`: as if nobody observed
    /// anything).
    pub fn with_item_row_at<R>(
        &self,
        src: &Sources<'_>,
        observed: Option<&Observed<'_>>,
        rows: (Option<BuildingRow<'_>>, Option<AddressRow<'_>>),
        it: &ItemRef<'_>,
        f: impl FnOnce(&dyn Row) -> R,
    ) -> R {
        let tk = it.item.target.kind();
        let owned;
        let obs = match (observed, it.item.target) {
            (None, _) => &[][..],
            (Some(o), Target::Pand(id)) => o.about(&domain::observations::Subject::Building(id)),
            (Some(o), Target::Verblijfsobject(id)) => {
                o.about(&domain::observations::Subject::Address(id))
            }
            (Some(_), target) => {
                owned =
                    target_summaries(&self.fields, src.model, src.observations, src.now, target);
                &owned[..]
            }
        };
        let now = if observed.is_some() { src.now } else { 0 };
        let sources = &self.fields.of(tk).sources;
        let (pand, address) = rows;
        let target = match it.item.target {
            Target::Pand(_) => TargetRow::new(sources, pand, None, it.item.areas, obs, now),
            Target::Verblijfsobject(_) => {
                TargetRow::new(sources, pand, address, it.item.areas, obs, now)
            }
            Target::PublicSpace(_) => TargetRow::new(sources, None, None, it.item.areas, obs, now),
            Target::Tree(id) => TargetRow::new(sources, None, None, it.item.areas, obs, now)
                .with_tree(src.model.find_tree(domain::TreeId(id))),
        };
        f(&ItemRow {
            kind: (self.kind, it.rule.kind.as_str()),
            status: (self.status, it.status.as_str()),
            map: &self.map[tk as usize],
            target,
        })
    }

    /// Runs `f` over item `it` as conditions over [`Self::schema`] read it. What the open
    /// observations say is read only when `observations` (and now) are given; without them,
    /// observation fields are as if nobody observed anything.
    pub fn with_item_row<R>(
        &self,
        model: &Model,
        observations: Option<(&ObservationIndex, i64)>,
        it: &ItemRef<'_>,
        f: impl FnOnce(&dyn Row) -> R,
    ) -> R {
        let tk = it.item.target.kind();
        let obs = match observations {
            Some((index, now)) => target_summaries(&self.fields, model, index, now, it.item.target),
            None => Vec::new(),
        };
        let now = observations.map_or(0, |(_, now)| now);
        let sources = &self.fields.of(tk).sources;
        let target = match it.item.target {
            Target::Pand(id) => {
                let p = domain::BagId::new(id).and_then(|b| model.find_building(b));
                TargetRow::new(sources, p, None, it.item.areas, &obs, now)
            }
            Target::Verblijfsobject(id) => {
                let a = domain::BagId::new(id).and_then(|b| model.find_address(b));
                let pand = a.and_then(|a| a.building_rows().first().map(|i| model.building(*i)));
                TargetRow::new(sources, pand, a, it.item.areas, &obs, now)
            }
            Target::PublicSpace(_) => TargetRow::new(sources, None, None, it.item.areas, &obs, now),
            Target::Tree(id) => TargetRow::new(sources, None, None, it.item.areas, &obs, now)
                .with_tree(model.find_tree(domain::TreeId(id))),
        };
        f(&ItemRow {
            kind: (self.kind, it.rule.kind.as_str()),
            status: (self.status, it.status.as_str()),
            map: &self.map[tk as usize],
            target,
        })
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
