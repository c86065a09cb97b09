//! The rule file: work kinds, what they apply to, when, and how much work one item is.
//!
//! ```toml
//! [[rule]]
//! kind = "solar"
//! title = { nl = "Zonnepanelen op een geschikt dak", en = "Solar panels on a suitable roof" }
//! target = "pand"
//! when = "roof_suitability.status_class = 'suitable' AND NOT solar_panels.status_class = 'panels_seen'"
//! size = "aantal_verblijfsobjecten"
//! unit = { nl = "woningen", en = "homes" }
//! skills = ["knocking_doors", "energy_advice"]
//! ```
//!
//! A file is checked whole when it is loaded: every error names its line and reason, and a file
//! with an error is refused as a whole (the caller keeps the rules it had).

use serde::Deserialize;
use toml::Spanned;

use crate::TargetKind;
use crate::fields::Fields;

/// The rules shipped with wijkwerk.
pub const DEFAULT_RULES: &str = include_str!("../default-rules.toml");

/// The work kinds of [`DEFAULT_RULES`], in file order.
pub fn shipped_kinds() -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Doc {
        rule: Vec<KindOnly>,
    }
    #[derive(serde::Deserialize)]
    struct KindOnly {
        kind: String,
    }
    toml::from_str::<Doc>(DEFAULT_RULES)
        .map(|d| d.rule.into_iter().map(|r| r.kind).collect())
        .unwrap_or_default()
}

/// Longest rule file accepted.
const MAX_FILE: usize = 256 * 1024;
/// Most rules in a file.
const MAX_RULES: usize = 200;

/// A text in Dutch and English.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

/// One rule, compiled.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The work kind, `[a-z_]{1,48}`, unique in the file.
    pub kind: String,
    /// What the work is, for people.
    pub title: Text,
    /// What the size counts, for people (e.g. kWp, doors, m²).
    pub unit: Text,
    /// What it applies to.
    pub target: TargetKind,
    /// When a target has this work.
    pub when: rules::Predicate,
    /// How much work one item is.
    pub size: rules::NumberExpr,
    /// The skills the work asks for (matched to residents' offers; empty for none).
    pub skills: crate::talent::Bits,
    /// The line of the rule in its file.
    pub line: usize,
}

/// Why a rule file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct RuleFileError {
    /// 1-based line in the file.
    pub line: usize,
    /// The field of a condition the error is about, when there is one.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// A checked rule file.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// The rules, in file order.
    pub rules: Vec<Rule>,
    /// The file's text, as loaded.
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    rule: Vec<Spanned<RuleDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDoc {
    kind: Spanned<String>,
    title: Text,
    target: Spanned<String>,
    when: Spanned<String>,
    #[serde(default)]
    size: Option<Spanned<String>>,
    unit: Text,
    #[serde(default)]
    skills: Vec<Spanned<String>>,
}

/// The 1-based line of byte `byte` in `text`.
pub fn line_of(text: &str, byte: usize) -> usize {
    text.get(..byte.min(text.len()))
        .map_or(0, |t| t.matches('\n').count())
        + 1
}

/// The line in the file where line `cql_line` of a string value starting at `start` stands.
pub fn value_line(text: &str, start: usize, cql_line: usize) -> usize {
    let first = line_of(text, start);
    // A multi-line string (`"""`) that starts with a newline begins on the next line.
    let rest = &text[start.min(text.len())..];
    let skip = usize::from(
        rest.starts_with("\"\"\"\n") || rest.starts_with("'''\n") || rest.starts_with("\"\"\"\r\n"),
    );
    first + skip + cql_line.saturating_sub(1)
}

impl RuleSet {
    /// Parses and checks a rule file against `fields`.
    pub fn parse(text: &str, fields: &Fields) -> Result<Self, RuleFileError> {
        if text.len() > MAX_FILE {
            return Err(RuleFileError {
                line: 1,
                field: None,
                message: format!("the file is {} bytes; the limit is {MAX_FILE}", text.len()),
            });
        }
        let doc: FileDoc = toml::from_str(text).map_err(|e| RuleFileError {
            line: e.span().map_or(1, |s| line_of(text, s.start)),
            field: None,
            message: e.message().to_owned(),
        })?;
        if doc.rule.len() > MAX_RULES {
            return Err(RuleFileError {
                line: 1,
                field: None,
                message: format!("{} rules; at most {MAX_RULES}", doc.rule.len()),
            });
        }
        let mut rules: Vec<Rule> = Vec::with_capacity(doc.rule.len());
        for spanned in doc.rule {
            let rule_line = line_of(text, spanned.span().start);
            let r = spanned.into_inner();
            let at = |s: &Spanned<String>| line_of(text, s.span().start);
            let kind = r.kind.get_ref();
            if kind.is_empty()
                || kind.len() > 48
                || !kind
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(RuleFileError {
                    line: at(&r.kind),
                    field: None,
                    message: format!("kind {kind:?} must be 1–48 of a–z, 0–9 and _"),
                });
            }
            if let Some(first) = rules.iter().find(|x| &x.kind == kind) {
                return Err(RuleFileError {
                    line: at(&r.kind),
                    field: None,
                    message: format!("kind {kind:?} is already the rule on line {}", first.line),
                });
            }
            for (t, what) in [(&r.title, "title"), (&r.unit, "unit")] {
                if t.nl.trim().is_empty() || t.en.trim().is_empty() {
                    return Err(RuleFileError {
                        line: rule_line,
                        field: None,
                        message: format!("the rule {kind:?} needs a {what} in Dutch and English"),
                    });
                }
            }
            let Some(target) = TargetKind::parse(r.target.get_ref()) else {
                return Err(RuleFileError {
                    line: at(&r.target),
                    field: None,
                    message: format!(
                        "target {:?} is not one of {}",
                        r.target.get_ref(),
                        TargetKind::ALL.map(TargetKind::as_str).join(", ")
                    ),
                });
            };
            let schema = fields.of(target).schema();
            let compile_err =
                |what: &str, s: &Spanned<String>, e: rules::RuleError| RuleFileError {
                    line: value_line(text, s.span().start, e.position.map_or(1, |p| p.0)),
                    field: e.field.clone(),
                    message: format!("{what} ({kind}): {}", e.message),
                };
            let when = rules::compile(r.when.get_ref(), schema)
                .map_err(|e| compile_err("when", &r.when, e))?;
            let size = match &r.size {
                Some(s) => rules::compile_number(s.get_ref(), schema)
                    .map_err(|e| compile_err("size", s, e))?,
                None => rules::NumberExpr::constant(1.0),
            };
            let mut skills = crate::talent::Bits::default();
            for s in &r.skills {
                let one = crate::talent::Bits::skills([s.get_ref().as_str()]).map_err(|name| {
                    RuleFileError {
                        line: at(s),
                        field: None,
                        message: format!(
                            "skill {:?} is not one of {}",
                            name.chars().take(48).collect::<String>(),
                            crate::talent::Skill::keys()
                        ),
                    }
                })?;
                skills = skills.or(one);
            }
            rules.push(Rule {
                kind: kind.clone(),
                title: r.title,
                unit: r.unit,
                target,
                when,
                size,
                skills,
                line: rule_line,
            });
        }
        Ok(Self {
            rules,
            text: text.to_owned(),
        })
    }

    /// A rule by its kind.
    pub fn by_kind(&self, kind: &str) -> Option<(usize, &Rule)> {
        self.rules.iter().enumerate().find(|(_, r)| r.kind == kind)
    }
}
