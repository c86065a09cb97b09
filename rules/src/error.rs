//! Why a condition is refused: the field (when one is to blame), where in the text, and what is wrong.

use std::fmt;

/// A condition that cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The field the error is about, when there is one.
    pub field: Option<String>,
    /// 1-based line and column in the condition's text, when known.
    pub position: Option<(usize, usize)>,
    /// What is wrong, in words.
    pub message: String,
}

impl RuleError {
    pub(crate) fn at(text: &str, field: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            field: field.map(str::to_owned),
            position: field.and_then(|f| position_of(text, f)),
            message: message.into(),
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, col)) = self.position {
            write!(f, "line {line}, column {col}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuleError {}

/// Where `name` first stands as a whole word (or quoted) in `text`: 1-based line and column.
fn position_of(text: &str, name: &str) -> Option<(usize, usize)> {
    let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | ':');
    let mut from = 0;
    while let Some(i) = text[from..].find(name).map(|i| i + from) {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        if !before.is_some_and(word) && !after.is_some_and(word) {
            let line = text[..i].matches('\n').count() + 1;
            let col = text[..i]
                .rsplit('\n')
                .next()
                .map_or(0, |l| l.chars().count())
                + 1;
            return Some((line, col));
        }
        from = i + name.len();
    }
    None
}
