//! The indicator file: what each urgency indicator counts, over what, and how it reads.
//!
//! ```toml
//! [[indicator]]
//! name = "solar_gap"
//! title = { nl = "Zonnepanelen nog te doen", en = "Solar panels still to do" }
//! description = { nl = "…", en = "…" }
//! over = "work"
//! measure = "share"
//! denominator = "kind = 'solar'"
//! numerator = "status IN ('open', 'planned', 'in_progress')"
//! sum = "size"
//! sum_unit = { nl = "kWp open", en = "kWp open" }
//! source = { nl = "3DBAG, meldingen", en = "3DBAG, reports" }
//! freshness = { nl = "direct bijgewerkt", en = "updated live" }
//! higher_is_more_urgent = true
//! ```
//!
//! A raster indicator reads one band of a GeoTIFF in RD New and gives its zonal mean per cell:
//!
//! ```toml
//! [[indicator]]
//! name = "heat"
//! over = "raster"
//! measure = "mean"
//! raster = "hitte-eiland.tif"   # relative to the indicator file's folder
//! value_unit = { nl = "°C", en = "°C" }
//! …
//! ```
//!
//! A file is checked whole when it is loaded, against the same fields the rules read: every error
//! names its line and reason, and a file with an error is refused as a whole (the caller keeps the
//! indicators it had).

use std::path::Path;
use std::sync::Arc;

use rules::{NumberExpr, Predicate, Schema};
use serde::Deserialize;
use toml::Spanned;
use work::{Fields, ItemFields, RuleSet, TargetKind, Text, line_of, value_line};

use crate::raster::Raster;

/// The indicators shipped with wijkwerk.
pub const DEFAULT_INDICATORS: &str = include_str!("../default-indicators.toml");

/// Longest indicator file accepted.
const MAX_FILE: usize = 128 * 1024;
/// Most indicators in a file (each is tallied at every level).
pub const MAX_INDICATORS: usize = 32;

/// What an indicator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Over {
    /// BAG panden, with the register fields and what residents reported about them.
    Pand,
    /// BAG verblijfsobjecten (addresses), likewise.
    Verblijfsobject,
    /// Work items: `kind`, `status` and their target's fields.
    Work,
    /// Residents' reports: `type`, `status_class`, `confirmations`, `age_days`, `public_space`.
    Report,
    /// Addresses on a campaign route: `visited`, `answered`, `signed_up`.
    Door,
    /// The pixels of a GeoTIFF (`raster`): no conditions, the mean of their values per cell.
    Raster,
}

impl Over {
    /// Every kind, in the file's spelling.
    pub const ALL: [Self; 6] = [
        Self::Pand,
        Self::Verblijfsobject,
        Self::Work,
        Self::Report,
        Self::Door,
        Self::Raster,
    ];

    /// The file's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pand => "pand",
            Self::Verblijfsobject => "verblijfsobject",
            Self::Work => "work",
            Self::Report => "report",
            Self::Door => "door",
            Self::Raster => "raster",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// How an indicator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Numerator ÷ denominator.
    Share,
    /// Numerator per km² of the cell.
    Density,
    /// The mean of `value` over the denominator.
    Mean,
    /// Numerator per 1,000 inhabitants of the cell, as CBS counts them (wijk- en buurtkaart): at
    /// the CBS levels only; a cell without a CBS count has no value.
    PerThousandInhabitants,
}

impl Measure {
    /// Every measure, in the file's spelling.
    pub const ALL: [Self; 4] = [
        Self::Share,
        Self::Density,
        Self::Mean,
        Self::PerThousandInhabitants,
    ];

    /// The file's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Share => "share",
            Self::Density => "density",
            Self::Mean => "mean",
            Self::PerThousandInhabitants => "per_1000_inhabitants",
        }
    }

    /// A count per something of the cell itself (km², inhabitants): no denominator.
    pub fn per_cell(self) -> bool {
        matches!(self, Self::Density | Self::PerThousandInhabitants)
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// What is summed over the numerator, shown beside the indicator.
#[derive(Debug, Clone)]
pub enum Sum {
    /// A work item's size (in its rule's unit).
    Size,
    /// Arithmetic over the unit's number fields.
    Expr(NumberExpr),
}

/// One indicator, compiled.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// `[a-z0-9_]{1,48}`, unique in the file.
    pub name: String,
    /// For people.
    pub title: Text,
    /// What it measures, for the legend.
    pub description: Text,
    /// What is counted.
    pub over: Over,
    /// How it reads.
    pub measure: Measure,
    /// Which units count at all (`None`: every unit; always `None` for a density).
    pub denominator: Option<Predicate>,
    /// Which of those count on top (`None` for a mean).
    pub numerator: Option<Predicate>,
    /// The value averaged (a mean only).
    pub value: Option<NumberExpr>,
    /// Summed over the numerator and shown beside.
    pub sum: Option<Sum>,
    /// What the sum counts.
    pub sum_unit: Option<Text>,
    /// Counted like the numerator and shown beside (the same weeks last year).
    pub baseline: Option<Predicate>,
    /// The grid a raster indicator averages.
    pub raster: Option<Arc<Raster>>,
    /// What a mean's value counts (e.g. °C), shown beside it.
    pub value_unit: Option<Text>,
    /// Where the numbers come from.
    pub source: Text,
    /// How fresh they are.
    pub freshness: Text,
    /// Direction: does a higher value mean more urgent work?
    pub higher_is_more_urgent: bool,
    /// Its counts come from what residents reported or volunteers recorded, so that at least k
    /// distinct reporters must stand behind each of them (or none at all).
    pub from_reports: bool,
    /// Line in the file.
    pub line: usize,
}

/// Why an indicator file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct IndicatorFileError {
    /// 1-based line.
    pub line: usize,
    /// The field of a condition the error is about, when there is one.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// The fields each kind of unit offers, for compiling and evaluating.
#[derive(Debug, Clone)]
pub struct Schemas {
    /// Pand and verblijfsobject fields (those of the work index).
    pub fields: Fields,
    /// Work-item fields.
    pub items: ItemFields,
    /// Report fields.
    pub report: Schema,
    /// Door fields.
    pub door: Schema,
    /// No fields (a raster's pixels).
    pub none: Schema,
}

/// Slots of the report schema, in order.
pub(crate) mod report_slot {
    use rules::FieldId;
    pub const TYPE: FieldId = FieldId(0);
    pub const STATUS_CLASS: FieldId = FieldId(1);
    pub const CONFIRMATIONS: FieldId = FieldId(2);
    pub const AGE_DAYS: FieldId = FieldId(3);
    pub const PUBLIC_SPACE: FieldId = FieldId(4);
}

/// Slots of the door schema, in order.
pub(crate) mod door_slot {
    use rules::FieldId;
    pub const VISITED: FieldId = FieldId(0);
    pub const ANSWERED: FieldId = FieldId(1);
    pub const SIGNED_UP: FieldId = FieldId(2);
}

impl Schemas {
    /// The schemas over the work index's `fields` and `rules`.
    pub fn new(fields: &Fields, rules: &RuleSet) -> Self {
        let mut report = Schema::new();
        let types: Vec<&str> = fields.types().iter().map(|t| t.name.as_str()).collect();
        report.enumeration("type", &types, "the observation type");
        report.text(
            "status_class",
            "what the report says, as the map classes it",
        );
        report.number("confirmations", "how many other residents confirmed it");
        report.number("age_days", "days since it was observed");
        report.boolean("public_space", "about public space (not a home)");
        let mut door = Schema::new();
        door.boolean("visited", "knocked on in a campaign");
        door.boolean("answered", "someone answered the door");
        door.boolean("signed_up", "the household signed up at the door");
        Self {
            fields: fields.clone(),
            // The shipped indicators name the shipped work kinds; with other rules in use those
            // count nothing rather than refuse the file.
            items: ItemFields::with_kinds(rules, &work::shipped_kinds(), fields),
            report,
            door,
            none: Schema::new(),
        }
    }

    /// The schema conditions over `over` compile against.
    pub fn of(&self, over: Over) -> &Schema {
        match over {
            Over::Pand => self.fields.of(TargetKind::Pand).schema(),
            Over::Verblijfsobject => self.fields.of(TargetKind::Verblijfsobject).schema(),
            Over::Work => self.items.schema(),
            Over::Report => &self.report,
            Over::Door => &self.door,
            Over::Raster => &self.none,
        }
    }

    /// Does `p` (compiled for `over`) read what residents reported?
    fn reads_observations(&self, over: Over, fields: &[rules::FieldId]) -> bool {
        match over {
            Over::Report | Over::Door => true,
            Over::Raster => false,
            Over::Work => {
                let p = fields.to_vec();
                self.items.reads_fields_observed(&p)
            }
            Over::Pand | Over::Verblijfsobject => {
                let kind = if over == Over::Pand {
                    TargetKind::Pand
                } else {
                    TargetKind::Verblijfsobject
                };
                fields.iter().any(|f| self.fields.of(kind).is_observed(*f))
            }
        }
    }
}

/// A checked indicator file.
#[derive(Debug, Clone)]
pub struct IndicatorSet {
    /// The indicators, in file order.
    pub indicators: Vec<Indicator>,
    /// The file's text, as loaded.
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    indicator: Vec<Spanned<IndicatorDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorDoc {
    name: Spanned<String>,
    title: Text,
    description: Text,
    over: Spanned<String>,
    measure: Spanned<String>,
    #[serde(default)]
    denominator: Option<Spanned<String>>,
    #[serde(default)]
    numerator: Option<Spanned<String>>,
    #[serde(default)]
    value: Option<Spanned<String>>,
    #[serde(default)]
    sum: Option<Spanned<String>>,
    #[serde(default)]
    sum_unit: Option<Text>,
    #[serde(default)]
    baseline: Option<Spanned<String>>,
    #[serde(default)]
    raster: Option<Spanned<String>>,
    #[serde(default)]
    value_unit: Option<Text>,
    source: Text,
    freshness: Text,
    higher_is_more_urgent: bool,
}

impl IndicatorSet {
    /// Parses and checks an indicator file against `schemas` (a raster's path is taken as it
    /// is: relative to the working directory).
    pub fn parse(text: &str, schemas: &Schemas) -> Result<Self, IndicatorFileError> {
        Self::parse_in(text, schemas, Path::new(""))
    }

    /// Parses and checks the indicator file `text` that lies in folder `dir` (a raster's
    /// relative path is taken from there); every raster is read and checked.
    pub fn parse_in(text: &str, schemas: &Schemas, dir: &Path) -> Result<Self, IndicatorFileError> {
        let err = |line: usize, message: String| IndicatorFileError {
            line,
            field: None,
            message,
        };
        if text.len() > MAX_FILE {
            return Err(err(
                1,
                format!("the file is {} bytes; the limit is {MAX_FILE}", text.len()),
            ));
        }
        let doc: FileDoc = toml::from_str(text).map_err(|e| {
            err(
                e.span().map_or(1, |s| line_of(text, s.start)),
                e.message().to_owned(),
            )
        })?;
        if doc.indicator.len() > MAX_INDICATORS {
            return Err(err(
                1,
                format!(
                    "{} indicators; at most {MAX_INDICATORS}",
                    doc.indicator.len()
                ),
            ));
        }
        let mut out: Vec<Indicator> = Vec::with_capacity(doc.indicator.len());
        for spanned in doc.indicator {
            let line = line_of(text, spanned.span().start);
            let d = spanned.into_inner();
            let at = |s: &Spanned<String>| line_of(text, s.span().start);
            let name = d.name.get_ref().clone();
            if name.is_empty()
                || name.len() > 48
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(err(
                    at(&d.name),
                    format!("name {name:?} must be 1–48 of a–z, 0–9 and _"),
                ));
            }
            if let Some(first) = out.iter().find(|x| x.name == name) {
                return Err(err(
                    at(&d.name),
                    format!(
                        "name {name:?} is already the indicator on line {}",
                        first.line
                    ),
                ));
            }
            let texts = [
                (Some(&d.title), "title"),
                (Some(&d.description), "description"),
                (Some(&d.source), "source"),
                (Some(&d.freshness), "freshness"),
                (d.sum_unit.as_ref(), "sum_unit"),
                (d.value_unit.as_ref(), "value_unit"),
            ];
            for (t, what) in texts {
                if let Some(t) = t
                    && (t.nl.trim().is_empty() || t.en.trim().is_empty())
                {
                    return Err(err(
                        line,
                        format!("the indicator {name:?} needs a {what} in Dutch and English"),
                    ));
                }
            }
            let Some(over) = Over::parse(d.over.get_ref()) else {
                return Err(err(
                    at(&d.over),
                    format!(
                        "over {:?} is not one of {}",
                        d.over.get_ref(),
                        Over::ALL.map(Over::as_str).join(", ")
                    ),
                ));
            };
            let Some(measure) = Measure::parse(d.measure.get_ref()) else {
                return Err(err(
                    at(&d.measure),
                    format!(
                        "measure {:?} is not one of {}",
                        d.measure.get_ref(),
                        Measure::ALL.map(Measure::as_str).join(", ")
                    ),
                ));
            };
            if over == Over::Raster {
                for (present, key) in [
                    (d.denominator.is_some(), "denominator"),
                    (d.numerator.is_some(), "numerator"),
                    (d.value.is_some(), "value"),
                    (d.sum.is_some(), "sum"),
                    (d.baseline.is_some(), "baseline"),
                ] {
                    if present {
                        return Err(err(
                            line,
                            format!(
                                "the indicator {name:?} reads a raster: it has no {key} (the pixels' values are averaged)"
                            ),
                        ));
                    }
                }
            }
            let schema = schemas.of(over);
            let compile_err =
                |what: &str, s: &Spanned<String>, e: rules::RuleError| IndicatorFileError {
                    line: value_line(text, s.span().start, e.position.map_or(1, |p| p.0)),
                    field: e.field.clone(),
                    message: format!("{what} ({name}): {}", e.message),
                };
            let condition = |s: &Option<Spanned<String>>, what: &str| {
                s.as_ref()
                    .map(|s| {
                        rules::compile(s.get_ref(), schema).map_err(|e| compile_err(what, s, e))
                    })
                    .transpose()
            };
            let denominator = condition(&d.denominator, "denominator")?;
            let numerator = condition(&d.numerator, "numerator")?;
            let baseline = condition(&d.baseline, "baseline")?;
            let value = d
                .value
                .as_ref()
                .map(|s| {
                    rules::compile_number(s.get_ref(), schema)
                        .map_err(|e| compile_err("value", s, e))
                })
                .transpose()?;
            let sum = match &d.sum {
                None => None,
                Some(s) if over == Over::Work && s.get_ref().trim() == "size" => Some(Sum::Size),
                Some(s) => Some(Sum::Expr(
                    rules::compile_number(s.get_ref(), schema)
                        .map_err(|e| compile_err("sum", s, e))?,
                )),
            };
            let needs = |ok: bool, what: &str| {
                if ok {
                    Ok(())
                } else {
                    Err(err(
                        line,
                        format!("the indicator {name:?} ({}) {what}", measure.as_str()),
                    ))
                }
            };
            if over == Over::Raster {
                needs(
                    measure == Measure::Mean,
                    "reads a raster: its measure is mean",
                )?;
            }
            match measure {
                Measure::Share => needs(numerator.is_some(), "needs a numerator")?,
                Measure::Density | Measure::PerThousandInhabitants => {
                    needs(numerator.is_some(), "needs a numerator")?;
                    needs(
                        denominator.is_none(),
                        if measure == Measure::Density {
                            "has no denominator: the cell's km² is"
                        } else {
                            "has no denominator: the cell's inhabitants (CBS) are"
                        },
                    )?;
                    needs(sum.is_none(), "has no sum")?;
                }
                Measure::Mean if over == Over::Raster => {}
                Measure::Mean => {
                    needs(value.is_some(), "needs a value")?;
                    needs(numerator.is_none(), "has no numerator")?;
                }
            }
            if d.value_unit.is_some() {
                needs(
                    measure == Measure::Mean,
                    "has no value_unit: only a mean has one",
                )?;
            }
            let raster = match (&d.raster, over) {
                (None, Over::Raster) => {
                    return Err(err(
                        at(&d.over),
                        format!(
                            "the indicator {name:?} is over a raster: it needs raster = \"FILE.tif\""
                        ),
                    ));
                }
                (None, _) => None,
                (Some(r), Over::Raster) => {
                    let path = dir.join(r.get_ref());
                    let raster = Raster::read(&path)
                        .map_err(|e| err(at(r), format!("raster ({name}): {e}")))?;
                    Some(Arc::new(raster))
                }
                (Some(r), _) => {
                    return Err(err(
                        at(r),
                        format!(
                            "the indicator {name:?} is over {}: only an indicator over raster has a raster",
                            over.as_str()
                        ),
                    ));
                }
            };
            if d.sum_unit.is_some() != sum.is_some() {
                return Err(err(
                    line,
                    format!("the indicator {name:?} needs both sum and sum_unit, or neither"),
                ));
            }
            let mut read: Vec<rules::FieldId> = Vec::new();
            for p in [&denominator, &numerator, &baseline].into_iter().flatten() {
                read.extend(p.fields());
            }
            if let Some(v) = &value {
                read.extend(v.fields());
            }
            if let Some(Sum::Expr(e)) = &sum {
                read.extend(e.fields());
            }
            let from_reports = schemas.reads_observations(over, &read);
            out.push(Indicator {
                name,
                title: d.title,
                description: d.description,
                over,
                measure,
                denominator,
                numerator,
                value,
                sum,
                sum_unit: d.sum_unit,
                baseline,
                raster,
                value_unit: d.value_unit,
                source: d.source,
                freshness: d.freshness,
                higher_is_more_urgent: d.higher_is_more_urgent,
                from_reports,
                line,
            });
        }
        if out.is_empty() {
            return Err(err(1, "the file declares no [[indicator]]".into()));
        }
        Ok(Self {
            indicators: out,
            text: text.to_owned(),
        })
    }

    /// An indicator by its name.
    pub fn by_name(&self, name: &str) -> Option<(usize, &Indicator)> {
        self.indicators
            .iter()
            .enumerate()
            .find(|(_, i)| i.name == name)
    }

    /// The names, comma-separated (for an error listing the valid ones).
    pub fn names(&self) -> String {
        self.indicators
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
