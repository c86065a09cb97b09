//! The status of a work item and its history.

use serde::{Deserialize, Serialize};

/// Where a work item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    /// Found by a rule, nobody has taken it on.
    Open,
    /// In an assignment or a campaign.
    Planned,
    /// Somebody is working on it.
    InProgress,
    /// Done.
    Done,
    /// The household or owner does not want it.
    NotWanted,
    /// It turned out not to apply (the rule was wrong for this target).
    NotApplicable,
}

impl WorkStatus {
    /// Every status, in the order of the work.
    pub const ALL: [Self; 6] = [
        Self::Open,
        Self::Planned,
        Self::InProgress,
        Self::Done,
        Self::NotWanted,
        Self::NotApplicable,
    ];

    /// The name in the API and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Planned => "planned",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::NotWanted => "not_wanted",
            Self::NotApplicable => "not_applicable",
        }
    }

    /// From its name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The work is finished one way or another (done, not wanted, not applicable).
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Done | Self::NotWanted | Self::NotApplicable)
    }
}

/// The newest entry of an item's status history (the store keeps every entry).
#[derive(Debug, Clone, PartialEq)]
pub struct StatusRecord {
    /// The status.
    pub status: WorkStatus,
    /// When it was set, Unix seconds.
    pub at: i64,
    /// Who set it (an account id; `None` for the system).
    pub by: Option<i64>,
}
