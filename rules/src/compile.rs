//! From CQL2 text to a [`Predicate`]: parse with the `cql2` crate, then check every field and type
//! against the [`Schema`] and build the evaluation tree.

use cql2::Expr;

use crate::error::RuleError;
use crate::eval::{Cmp, LikePart, Node, Num, NumberExpr, Predicate, Text};
use crate::schema::{FieldType, Schema};

/// Longest condition accepted, in bytes (a condition is a line or a few, not a document).
pub const MAX_LEN: usize = 4096;
/// Deepest nesting accepted (the parser recurses).
const MAX_DEPTH: usize = 64;

/// Compiles CQL2 text against `schema`.
pub fn compile(text: &str, schema: &Schema) -> Result<Predicate, RuleError> {
    let expr = parse(text)?;
    let c = Compiler { schema, text };
    let root = c.boolean(&expr, 0)?;
    Ok(Predicate {
        root,
        text: text.to_owned(),
    })
}

/// Compiles a CQL2 arithmetic expression (numbers, number fields, `+ - * /`) against `schema`:
/// how much work one item is, e.g. `(b3_opp_dak_schuin + b3_opp_dak_plat) * 0.15`.
pub fn compile_number(text: &str, schema: &Schema) -> Result<NumberExpr, RuleError> {
    let expr = parse(text)?;
    let c = Compiler { schema, text };
    let root = c.number(&expr)?;
    Ok(NumberExpr {
        root,
        text: text.to_owned(),
    })
}

fn parse(text: &str) -> Result<Expr, RuleError> {
    if text.len() > MAX_LEN {
        return Err(RuleError {
            field: None,
            position: None,
            message: format!(
                "the condition is {} bytes long; the limit is {MAX_LEN}",
                text.len()
            ),
        });
    }
    let depth = text
        .chars()
        .fold((0_usize, 0_usize), |(d, max), c| match c {
            '(' => (d + 1, max.max(d + 1)),
            ')' => (d.saturating_sub(1), max),
            _ => (d, max),
        });
    if depth.1 > MAX_DEPTH {
        return Err(RuleError {
            field: None,
            position: None,
            message: format!("the condition nests deeper than {MAX_DEPTH} brackets"),
        });
    }
    cql2::parse_text(text).map_err(|e| parse_error(text, &e))
}

fn parse_error(text: &str, e: &cql2::Error) -> RuleError {
    // The parser's message starts with ` --> line:column`.
    let shown = e.to_string();
    let position = shown.split("-->").nth(1).and_then(|rest| {
        let mut it = rest.split_whitespace().next()?.split(':');
        Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
    });
    match position {
        Some((line, col)) => RuleError {
            field: None,
            position: Some((line, col)),
            message: format!(
                "not valid CQL2 text at line {line}, column {col} (near {:?})",
                near(text, line, col)
            ),
        },
        None => RuleError {
            field: None,
            position: None,
            message: format!(
                "not valid CQL2 text: {}",
                shown.lines().next().unwrap_or("")
            ),
        },
    }
}

/// A few characters of `text` from a 1-based line and column.
fn near(text: &str, line: usize, col: usize) -> String {
    text.lines()
        .nth(line.saturating_sub(1))
        .map(|l| l.chars().skip(col.saturating_sub(1)).take(20).collect())
        .unwrap_or_default()
}

struct Compiler<'a> {
    schema: &'a Schema,
    text: &'a str,
}

/// The name of an operation as a person reads it.
fn op_name(op: &str) -> String {
    match op {
        "isNull" => "IS NULL".into(),
        other => other.to_uppercase(),
    }
}

impl Compiler<'_> {
    fn err(&self, field: Option<&str>, message: impl Into<String>) -> RuleError {
        RuleError::at(self.text, field, message)
    }

    fn unknown_field(&self, name: &str) -> RuleError {
        let hint = self.schema.suggest(name);
        let hint = if hint.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", hint.join(", "))
        };
        self.err(Some(name), format!("unknown field {name:?}{hint}"))
    }

    fn boolean(&self, e: &Expr, depth: usize) -> Result<Node, RuleError> {
        if depth > MAX_DEPTH {
            return Err(self.err(None, format!("the condition nests deeper than {MAX_DEPTH}")));
        }
        match e {
            Expr::Bool(b) => Ok(Node::Const(*b)),
            Expr::Property { property } => match self.schema.get(property) {
                Some((id, FieldType::Bool)) => Ok(Node::Flag(id)),
                Some((_, kind)) => Err(self.err(
                    Some(property),
                    format!(
                        "{property} is {}, not a condition; compare it, e.g. {property} = …",
                        kind.as_str()
                    ),
                )),
                None => Err(self.unknown_field(property)),
            },
            Expr::Operation { op, args } => self.operation(op, args, depth),
            other => Err(self.err(None, format!("{} is not a condition", describe(other)))),
        }
    }

    fn operation(&self, op: &str, args: &[Box<Expr>], depth: usize) -> Result<Node, RuleError> {
        let arity = |n: usize| -> Result<(), RuleError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(self.err(None, format!("{} takes {n} operands", op_name(op))))
            }
        };
        match op {
            "and" | "or" => {
                let parts = args
                    .iter()
                    .map(|a| self.boolean(a, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if op == "and" {
                    Node::And(parts)
                } else {
                    Node::Or(parts)
                })
            }
            "not" => {
                arity(1)?;
                Ok(Node::Not(Box::new(self.boolean(&args[0], depth + 1)?)))
            }
            "=" | "<>" | "<" | "<=" | ">" | ">=" => {
                arity(2)?;
                let cmp = match op {
                    "=" => Cmp::Eq,
                    "<>" => Cmp::Ne,
                    "<" => Cmp::Lt,
                    "<=" => Cmp::Le,
                    ">" => Cmp::Gt,
                    _ => Cmp::Ge,
                };
                self.comparison(cmp, &args[0], &args[1])
            }
            "between" => {
                arity(3)?;
                Ok(Node::Between(
                    self.number(&args[0])?,
                    self.number(&args[1])?,
                    self.number(&args[2])?,
                ))
            }
            "in" => {
                arity(2)?;
                let Expr::Array(items) = &*args[1] else {
                    return Err(self.err(None, "IN takes a list in brackets, e.g. x IN ('A', 'B')"));
                };
                match self.kind_of(&args[0])? {
                    FieldType::Number => Ok(Node::InNum(
                        self.number(&args[0])?,
                        items
                            .iter()
                            .map(|i| match &**i {
                                Expr::Float(v) => Ok(*v),
                                other => Err(self.err(
                                    field_of(&args[0]),
                                    format!("{} is not a number", describe(other)),
                                )),
                            })
                            .collect::<Result<_, _>>()?,
                    )),
                    FieldType::Text => {
                        let values = items
                            .iter()
                            .map(|i| match &**i {
                                Expr::Literal(s) => Ok(s.clone()),
                                other => Err(self.err(
                                    field_of(&args[0]),
                                    format!("{} is not a text in quotes", describe(other)),
                                )),
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        if let Some(f) = field_of(&args[0]) {
                            for v in &values {
                                self.check_value(f, v)?;
                            }
                        }
                        Ok(Node::InText(self.text_operand(&args[0])?, values))
                    }
                    FieldType::Bool => Err(self.err(field_of(&args[0]), "IN is for numbers and texts")),
                }
            }
            "isNull" => {
                arity(1)?;
                let Expr::Property { property } = &*args[0] else {
                    return Err(self.err(None, "IS NULL is asked of a field"));
                };
                let (id, kind) = self
                    .schema
                    .get(property)
                    .ok_or_else(|| self.unknown_field(property))?;
                Ok(Node::IsNull(id, kind))
            }
            "like" => {
                arity(2)?;
                let Expr::Literal(pattern) = &*args[1] else {
                    return Err(self.err(None, "LIKE takes a pattern in quotes, e.g. naam LIKE 'Kerk%'"));
                };
                if self.kind_of(&args[0])? != FieldType::Text {
                    return Err(self.err(field_of(&args[0]), "LIKE is for texts"));
                }
                Ok(Node::Like(self.text_operand(&args[0])?, like_pattern(pattern)))
            }
            other => Err(self.err(
                None,
                format!(
                    "{} is not supported here; use AND, OR, NOT, comparisons, BETWEEN, IN, IS NULL, LIKE and + - * /",
                    op_name(other)
                ),
            )),
        }
    }

    fn comparison(&self, cmp: Cmp, a: &Expr, b: &Expr) -> Result<Node, RuleError> {
        let (ka, kb) = (self.kind_of(a)?, self.kind_of(b)?);
        if ka != kb {
            let field = field_of(a).or_else(|| field_of(b));
            return Err(self.err(
                field,
                format!(
                    "cannot compare {} with {}{}",
                    ka.as_str(),
                    kb.as_str(),
                    field.map_or(String::new(), |f| format!(" ({f})"))
                ),
            ));
        }
        match ka {
            FieldType::Number => Ok(Node::CmpNum(cmp, self.number(a)?, self.number(b)?)),
            FieldType::Text => {
                for (x, y) in [(a, b), (b, a)] {
                    if let (Some(f), Expr::Literal(v)) = (field_of(x), y) {
                        self.check_value(f, v)?;
                    }
                }
                Ok(Node::CmpText(
                    cmp,
                    self.text_operand(a)?,
                    self.text_operand(b)?,
                ))
            }
            FieldType::Bool => {
                if !matches!(cmp, Cmp::Eq | Cmp::Ne) {
                    return Err(self.err(
                        field_of(a).or_else(|| field_of(b)),
                        "yes/no fields compare with = or <> only",
                    ));
                }
                match (a, b) {
                    (Expr::Property { property }, Expr::Bool(v))
                    | (Expr::Bool(v), Expr::Property { property }) => {
                        let (id, _) = self
                            .schema
                            .get(property)
                            .ok_or_else(|| self.unknown_field(property))?;
                        Ok(Node::CmpBool(cmp, id, *v))
                    }
                    _ => Err(self.err(None, "compare a yes/no field with TRUE or FALSE")),
                }
            }
        }
    }

    /// An enumerated text field only takes its values: a typo is an error, not an empty selection.
    fn check_value(&self, field: &str, value: &str) -> Result<(), RuleError> {
        match self.schema.values(field) {
            Some(values) if !values.iter().any(|v| v == value) => Err(self.err(
                Some(field),
                format!(
                    "{field} is never {value:?}; it is one of {}",
                    values.join(", ")
                ),
            )),
            _ => Ok(()),
        }
    }

    /// The type an operand evaluates to.
    fn kind_of(&self, e: &Expr) -> Result<FieldType, RuleError> {
        match e {
            Expr::Float(_) => Ok(FieldType::Number),
            Expr::Literal(_) => Ok(FieldType::Text),
            Expr::Bool(_) => Ok(FieldType::Bool),
            Expr::Property { property } => self
                .schema
                .get(property)
                .map(|(_, k)| k)
                .ok_or_else(|| self.unknown_field(property)),
            Expr::Operation { op, .. } if matches!(op.as_str(), "+" | "-" | "*" | "/") => {
                Ok(FieldType::Number)
            }
            other => Err(self.err(None, format!("{} is not a value here", describe(other)))),
        }
    }

    fn number(&self, e: &Expr) -> Result<Num, RuleError> {
        match e {
            Expr::Float(v) => Ok(Num::Const(*v)),
            Expr::Property { property } => match self.schema.get(property) {
                Some((id, FieldType::Number)) => Ok(Num::Field(id)),
                Some((_, kind)) => Err(self.err(
                    Some(property),
                    format!("{property} is {}, not a number", kind.as_str()),
                )),
                None => Err(self.unknown_field(property)),
            },
            Expr::Operation { op, args } if args.len() == 2 => {
                let (a, b) = (
                    Box::new(self.number(&args[0])?),
                    Box::new(self.number(&args[1])?),
                );
                match op.as_str() {
                    "+" => Ok(Num::Add(a, b)),
                    "-" => Ok(Num::Sub(a, b)),
                    "*" => Ok(Num::Mul(a, b)),
                    "/" => Ok(Num::Div(a, b)),
                    other => Err(self.err(None, format!("{} is not arithmetic", op_name(other)))),
                }
            }
            other => Err(self.err(
                field_of(other),
                format!("{} is not a number", describe(other)),
            )),
        }
    }

    fn text_operand(&self, e: &Expr) -> Result<Text, RuleError> {
        match e {
            Expr::Literal(s) => Ok(Text::Const(s.clone())),
            Expr::Property { property } => match self.schema.get(property) {
                Some((id, FieldType::Text)) => Ok(Text::Field(id)),
                Some((_, kind)) => Err(self.err(
                    Some(property),
                    format!("{property} is {}, not a text", kind.as_str()),
                )),
                None => Err(self.unknown_field(property)),
            },
            other => Err(self.err(None, format!("{} is not a text", describe(other)))),
        }
    }
}

fn field_of(e: &Expr) -> Option<&str> {
    match e {
        Expr::Property { property } => Some(property),
        _ => None,
    }
}

fn describe(e: &Expr) -> String {
    match e {
        Expr::Float(v) => format!("the number {v}"),
        Expr::Literal(s) => format!("the text {s:?}"),
        Expr::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_owned(),
        Expr::Property { property } => format!("the field {property}"),
        Expr::Null => "NULL".into(),
        Expr::Geometry(_) | Expr::BBox { .. } => "a geometry".into(),
        Expr::Timestamp { .. } | Expr::Date { .. } | Expr::Interval { .. } => "a time".into(),
        Expr::Array(_) => "a list".into(),
        Expr::Operation { op, .. } => format!("the operation {}", op_name(op)),
    }
}

fn like_pattern(p: &str) -> Vec<LikePart> {
    let mut parts = Vec::new();
    let mut chars = String::new();
    for c in p.chars() {
        match c {
            '%' | '_' => {
                if !chars.is_empty() {
                    parts.push(LikePart::Chars(std::mem::take(&mut chars)));
                }
                parts.push(if c == '%' {
                    LikePart::Any
                } else {
                    LikePart::One
                });
            }
            _ => chars.push(c),
        }
    }
    if !chars.is_empty() {
        parts.push(LikePart::Chars(chars));
    }
    parts
}
