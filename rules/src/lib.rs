//! wijkwerk's rule language: conditions in **CQL2 text** (the OGC Common Query Language), parsed with
//! the `cql2` crate and compiled to a [`Predicate`] over typed fields, so evaluating a condition for
//! a building is a walk over a small tree of numbers and field slots — no JSON, no strings looked up
//! by name in the hot path.
//!
//! The caller declares what a condition may name in a [`Schema`] (each field a number, a text or a
//! yes/no, with the values a text may take when it is an enumeration) and evaluates the predicate
//! against anything that implements [`Row`]. Unknown fields, type mismatches and unsupported
//! operators are refused at compile time with the field and the position ([`RuleError`]).
//!
//! Supported: `AND`, `OR`, `NOT`, `=`, `<>`, `<`, `<=`, `>`, `>=`, `BETWEEN`, `IN`, `IS [NOT] NULL`,
//! `LIKE` (`%` and `_`), arithmetic `+ - * /` on numbers, and boolean fields as conditions. A
//! comparison with a missing value is unknown, and unknown is not true (SQL's three-valued logic):
//! `NOT (x > 5)` does not hold for a building without `x`.

mod compile;
mod error;
mod eval;
mod schema;

pub use compile::{MAX_LEN, compile, compile_number};
pub use error::RuleError;
pub use eval::{NumberExpr, Predicate, Row};
pub use schema::{FieldId, FieldType, Schema};

#[cfg(test)]
mod tests;
