//! The work to be done in a wijk, derived by rules.
//!
//! A [`RuleSet`] (a TOML file the wijkondernemer can read and change; the shipped defaults are
//! [`DEFAULT_RULES`]) names work kinds. Each rule has a target kind (a pand, a verblijfsobject, a
//! spot in public space somebody reported, or a tree from a municipal register), a condition in CQL2 text and an expression for how
//! much work one item is. [`WorkIndex`] evaluates the rules over the in-memory model and the live
//! observations, keeps the items by target, and re-derives only the targets a change touches.
//! The status of an item (open → planned → in progress → done / not wanted / not applicable) is
//! history kept by the store; the index holds the newest status per item.

mod fields;
mod filter;
mod index;
mod privacy;
mod rule_file;
mod status;
pub mod talent;
mod target;

pub use fields::{Evidence, EvidenceValue, Fields, KindFields, ObservationTypeInfo};
pub use filter::ItemFields;
pub use index::{
    Item, ItemRef, Observed, Refresh, Sources, Summary, SummaryRow, WorkIndex, pand_point,
    tree_reports,
};
pub use privacy::opted_out;
pub use rule_file::{
    DEFAULT_RULES, Rule, RuleFileError, RuleSet, Text, line_of, shipped_kinds, value_line,
};
pub use status::{StatusRecord, WorkStatus};
pub use target::{Target, TargetKind};

#[cfg(test)]
mod tests;
