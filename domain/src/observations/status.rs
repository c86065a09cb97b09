//! The life of an observation: its status, typed.

use std::fmt;
use std::str::FromStr;

/// Where an observation is in its life. Stored and sent as its [`as_str`](Self::as_str) name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObservationStatus {
    /// Reported, nobody confirmed it yet.
    New,
    /// Another reporter saw the same.
    Confirmed,
    /// Dealt with (a moderator closed it as done).
    Resolved,
    /// Not accepted by a moderator.
    Rejected,
    /// Taken off the map by a moderator or by abuse flags; can be put back.
    Hidden,
    /// Withdrawn by its reporter; stays withdrawn.
    Withdrawn,
    /// Merged into another observation (its reporter became a confirmation there).
    Merged,
}

impl ObservationStatus {
    /// Every status.
    pub const ALL: [Self; 7] = [
        Self::New,
        Self::Confirmed,
        Self::Resolved,
        Self::Rejected,
        Self::Hidden,
        Self::Withdrawn,
        Self::Merged,
    ];
    /// Open: on the map and open to confirmations, changes and moderation.
    pub const OPEN: [Self; 2] = [Self::New, Self::Confirmed];
    /// Statuses that end an observation's life (it gets a `closed_at`).
    pub const CLOSED: [Self; 4] = [
        Self::Resolved,
        Self::Rejected,
        Self::Withdrawn,
        Self::Merged,
    ];

    /// Name as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Confirmed => "confirmed",
            Self::Resolved => "resolved",
            Self::Rejected => "rejected",
            Self::Hidden => "hidden",
            Self::Withdrawn => "withdrawn",
            Self::Merged => "merged",
        }
    }

    /// New or confirmed.
    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// Resolved, rejected, withdrawn or merged.
    pub fn is_closed(self) -> bool {
        Self::CLOSED.contains(&self)
    }

    /// Drawn on the map and counted in aggregates: open ones only (not hidden, not closed).
    pub fn is_on_map(self) -> bool {
        self.is_open()
    }
}

impl fmt::Display for ObservationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ObservationStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl FromStr for ObservationStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown observation status {:?}",
                    s.chars().take(24).collect::<String>()
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_classes_partition() {
        for s in ObservationStatus::ALL {
            assert_eq!(s.as_str().parse::<ObservationStatus>(), Ok(s));
            let classes = [s.is_open(), s.is_closed(), s == ObservationStatus::Hidden];
            assert_eq!(classes.iter().filter(|c| **c).count(), 1, "{s}");
        }
        assert!("gone".parse::<ObservationStatus>().is_err());
    }
}
