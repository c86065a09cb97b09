//! What a work item is about.

use serde::{Deserialize, Serialize};

/// The kind of thing a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// A BAG pand.
    Pand,
    /// A BAG verblijfsobject (an address).
    Verblijfsobject,
    /// A spot in public space that residents reported (a plantsoen, a street corner): reports
    /// that name no register tree.
    PublicSpace,
    /// A tree from a municipal tree register, with the reports that name it.
    Tree,
}

impl TargetKind {
    /// Every kind.
    pub const ALL: [Self; 4] = [
        Self::Pand,
        Self::Verblijfsobject,
        Self::PublicSpace,
        Self::Tree,
    ];

    /// The name in rule files, the API and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pand => "pand",
            Self::Verblijfsobject => "verblijfsobject",
            Self::PublicSpace => "public_space",
            Self::Tree => "tree",
        }
    }

    /// From its name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// One thing work is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A pand by its BAG identificatie.
    Pand(u64),
    /// A verblijfsobject by its BAG identificatie.
    Verblijfsobject(u64),
    /// A spot in public space, named by the first observation reported there.
    PublicSpace(i64),
    /// A register tree by its [`domain::TreeId`].
    Tree(u64),
}

impl Target {
    /// Its kind.
    pub fn kind(self) -> TargetKind {
        match self {
            Self::Pand(_) => TargetKind::Pand,
            Self::Verblijfsobject(_) => TargetKind::Verblijfsobject,
            Self::PublicSpace(_) => TargetKind::PublicSpace,
            Self::Tree(_) => TargetKind::Tree,
        }
    }

    /// The id as the store keeps it.
    pub fn id(self) -> i64 {
        match self {
            Self::Pand(id) | Self::Verblijfsobject(id) => i64::try_from(id).unwrap_or(i64::MAX),
            // A tree id uses all 64 bits (source hash, record): kept bit for bit.
            Self::Tree(id) => i64::from_ne_bytes(id.to_ne_bytes()),
            Self::PublicSpace(id) => id,
        }
    }

    /// From the kind and id the store keeps.
    pub fn from_parts(kind: TargetKind, id: i64) -> Option<Self> {
        match kind {
            TargetKind::Pand => u64::try_from(id).ok().map(Self::Pand),
            TargetKind::Verblijfsobject => u64::try_from(id).ok().map(Self::Verblijfsobject),
            TargetKind::PublicSpace => Some(Self::PublicSpace(id)),
            TargetKind::Tree => Some(Self::Tree(u64::from_ne_bytes(id.to_ne_bytes()))),
        }
    }

    /// `pand/0599100000012345` — how the API names a target.
    pub fn key(self) -> String {
        match self {
            Self::Pand(id) | Self::Verblijfsobject(id) => {
                format!("{}/{id:016}", self.kind().as_str())
            }
            Self::PublicSpace(id) => format!("{}/{id}", self.kind().as_str()),
            Self::Tree(id) => format!("{}/{id}", self.kind().as_str()),
        }
    }

    /// From [`Target::key`].
    pub fn parse_key(s: &str) -> Option<Self> {
        let (kind, id) = s.split_once('/')?;
        if id.is_empty() || id.len() > 20 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match TargetKind::parse(kind)? {
            TargetKind::Tree => id.parse().ok().map(Self::Tree),
            kind => Self::from_parts(kind, id.parse().ok()?),
        }
    }
}
