//! The compiled form of a condition and its evaluation: three-valued, as in SQL.

use crate::schema::FieldId;

/// What a condition is evaluated against: values by slot; `None` when a row has no value.
pub trait Row {
    /// A number field.
    fn number(&self, field: FieldId) -> Option<f64>;
    /// A text field.
    fn text(&self, field: FieldId) -> Option<&str>;
    /// A yes/no field.
    fn boolean(&self, field: FieldId) -> Option<bool>;
}

/// A numeric expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Num {
    Field(FieldId),
    Const(f64),
    Add(Box<Num>, Box<Num>),
    Sub(Box<Num>, Box<Num>),
    Mul(Box<Num>, Box<Num>),
    Div(Box<Num>, Box<Num>),
}

impl Num {
    fn eval(&self, row: &dyn Row) -> Option<f64> {
        let both = |a: &Num, b: &Num| Some((a.eval(row)?, b.eval(row)?));
        match self {
            Self::Field(f) => row.number(*f),
            Self::Const(v) => Some(*v),
            Self::Add(a, b) => both(a, b).map(|(a, b)| a + b),
            Self::Sub(a, b) => both(a, b).map(|(a, b)| a - b),
            Self::Mul(a, b) => both(a, b).map(|(a, b)| a * b),
            // Division by zero is unknown, like a missing value.
            Self::Div(a, b) => both(a, b).and_then(|(a, b)| (b != 0.0).then(|| a / b)),
        }
    }

    fn fields(&self, out: &mut Vec<FieldId>) {
        match self {
            Self::Field(f) => out.push(*f),
            Self::Const(_) => {}
            Self::Add(a, b) | Self::Sub(a, b) | Self::Mul(a, b) | Self::Div(a, b) => {
                a.fields(out);
                b.fields(out);
            }
        }
    }
}

/// A text operand.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Text {
    Field(FieldId),
    Const(String),
}

impl Text {
    fn eval<'a>(&'a self, row: &'a dyn Row) -> Option<&'a str> {
        match self {
            Self::Field(f) => row.text(*f),
            Self::Const(s) => Some(s),
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Self::Eq => ord == Equal,
            Self::Ne => ord != Equal,
            Self::Lt => ord == Less,
            Self::Le => ord != Greater,
            Self::Gt => ord == Greater,
            Self::Ge => ord != Less,
        }
    }
}

/// A node of a compiled condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Const(bool),
    Flag(FieldId),
    CmpNum(Cmp, Num, Num),
    CmpText(Cmp, Text, Text),
    CmpBool(Cmp, FieldId, bool),
    InNum(Num, Vec<f64>),
    InText(Text, Vec<String>),
    Between(Num, Num, Num),
    IsNull(FieldId, crate::schema::FieldType),
    Like(Text, Vec<LikePart>),
}

/// A piece of a `LIKE` pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LikePart {
    Chars(String),
    One,
    Any,
}

fn like(s: &str, pattern: &[LikePart]) -> bool {
    match pattern.split_first() {
        None => s.is_empty(),
        Some((LikePart::Chars(c), rest)) => {
            s.strip_prefix(c.as_str()).is_some_and(|t| like(t, rest))
        }
        Some((LikePart::One, rest)) => {
            let mut it = s.chars();
            it.next().is_some() && like(it.as_str(), rest)
        }
        Some((LikePart::Any, rest)) => {
            let mut t = s;
            loop {
                if like(t, rest) {
                    return true;
                }
                let mut it = t.chars();
                if it.next().is_none() {
                    return false;
                }
                t = it.as_str();
            }
        }
    }
}

impl Node {
    /// True, false, or unknown (`None`).
    fn eval(&self, row: &dyn Row) -> Option<bool> {
        match self {
            Self::And(parts) => {
                let mut unknown = false;
                for p in parts {
                    match p.eval(row) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                (!unknown).then_some(true)
            }
            Self::Or(parts) => {
                let mut unknown = false;
                for p in parts {
                    match p.eval(row) {
                        Some(true) => return Some(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                (!unknown).then_some(false)
            }
            Self::Not(n) => n.eval(row).map(|b| !b),
            Self::Const(b) => Some(*b),
            Self::Flag(f) => row.boolean(*f),
            Self::CmpNum(op, a, b) => {
                let (a, b) = (a.eval(row)?, b.eval(row)?);
                a.partial_cmp(&b).map(|o| op.holds(o))
            }
            Self::CmpText(op, a, b) => Some(op.holds(a.eval(row)?.cmp(b.eval(row)?))),
            Self::CmpBool(op, f, v) => Some(op.holds(row.boolean(*f)?.cmp(v))),
            Self::InNum(a, list) => {
                let a = a.eval(row)?;
                Some(
                    list.iter()
                        .any(|v| v.partial_cmp(&a) == Some(std::cmp::Ordering::Equal)),
                )
            }
            Self::InText(a, list) => {
                let a = a.eval(row)?;
                Some(list.iter().any(|v| v == a))
            }
            Self::Between(a, lo, hi) => {
                let (a, lo, hi) = (a.eval(row)?, lo.eval(row)?, hi.eval(row)?);
                Some(lo <= a && a <= hi)
            }
            Self::IsNull(f, kind) => Some(match kind {
                crate::schema::FieldType::Number => row.number(*f).is_none(),
                crate::schema::FieldType::Text => row.text(*f).is_none(),
                crate::schema::FieldType::Bool => row.boolean(*f).is_none(),
            }),
            Self::Like(a, pattern) => Some(like(a.eval(row)?, pattern)),
        }
    }

    fn fields(&self, out: &mut Vec<FieldId>) {
        match self {
            Self::And(ps) | Self::Or(ps) => ps.iter().for_each(|p| p.fields(out)),
            Self::Not(n) => n.fields(out),
            Self::Const(_) => {}
            Self::Flag(f) | Self::CmpBool(_, f, _) | Self::IsNull(f, _) => out.push(*f),
            Self::CmpNum(_, a, b) => {
                a.fields(out);
                b.fields(out);
            }
            Self::Between(a, b, c) => {
                a.fields(out);
                b.fields(out);
                c.fields(out);
            }
            Self::InNum(a, _) => a.fields(out),
            Self::CmpText(_, a, b) => {
                for t in [a, b] {
                    if let Text::Field(f) = t {
                        out.push(*f);
                    }
                }
            }
            Self::InText(a, _) | Self::Like(a, _) => {
                if let Text::Field(f) = a {
                    out.push(*f);
                }
            }
        }
    }
}

/// A compiled condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Predicate {
    pub(crate) root: Node,
    /// The condition as written.
    pub(crate) text: String,
}

impl Predicate {
    /// Does the condition hold for `row`? Unknown (a missing value decided it) is false.
    pub fn matches(&self, row: &dyn Row) -> bool {
        self.root.eval(row) == Some(true)
    }

    /// The condition's text, as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The fields the condition reads (each once, in slot order): what a change must touch for the
    /// condition's answer to change.
    pub fn fields(&self) -> Vec<FieldId> {
        let mut v = Vec::new();
        self.root.fields(&mut v);
        v.sort_unstable();
        v.dedup();
        v
    }

    /// A condition that always holds.
    pub fn always() -> Self {
        Self {
            root: Node::Const(true),
            text: "TRUE".into(),
        }
    }
}
