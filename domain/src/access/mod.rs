//! Who may see what: roles, area scopes and the one policy that decides every access.
//!
//! Every handler that touches data asks [`decide`] with the caller ([`Principal`]), the purpose of
//! the processing ([`Purpose`], the AVG/GDPR purpose limitation) and the resource ([`Resource`]:
//! a class of data and where it lies). The answer is [`Decision::Allow`], [`Decision::Deny`] or
//! [`Decision::AggregateOnly`] (the caller may see the data only as k-anonymous aggregates, see
//! [`crate::privacy`]). No handler makes its own access decision; the table in `docs/privacy.md` is
//! generated from the same rules by [`matrix`].

use std::fmt;
use std::str::FromStr;

use geo::{Contains, MultiPolygon, Point};

use crate::{AreaCode, AreaRefs};

mod matrix;
mod policy;
#[cfg(test)]
mod tests;

pub use matrix::{matrix, matrix_markdown};
pub use policy::{
    AssignmentStep, ObservationSource, decide, decide_about_pand, decide_assignment_step,
    decide_role, default_source, may_report_as,
};

/// A role. Staff roles hold a [`Scope`]; residents act on their own account and verified addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A resident (*bewoner*) with an account.
    Resident,
    /// A volunteer who walks walk lists in an area.
    Volunteer,
    /// A communitybuilder / informatieverzamelaar.
    Communitybuilder,
    /// Runs the wijkbedrijf: plans campaigns.
    Wijkondernemer,
    /// Municipal analyst: aggregates only.
    Gemeente,
    /// A system partner (a gemeente department, a housing corporation, an energy cooperative, a
    /// grid operator) that offers assignments to the wijkbedrijf and sees what was delivered on
    /// them: units and counts, never a resident.
    Partner,
    /// Manages users, roles, areas, observation types and retention.
    Admin,
}

impl Role {
    /// Every role, least to most privileged.
    pub const ALL: [Self; 7] = [
        Self::Resident,
        Self::Volunteer,
        Self::Communitybuilder,
        Self::Wijkondernemer,
        Self::Gemeente,
        Self::Partner,
        Self::Admin,
    ];

    /// Name as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resident => "resident",
            Self::Volunteer => "volunteer",
            Self::Communitybuilder => "communitybuilder",
            Self::Wijkondernemer => "wijkondernemer",
            Self::Gemeente => "gemeente",
            Self::Partner => "partner",
            Self::Admin => "admin",
        }
    }

    /// Staff roles sign in with a password (and optionally TOTP) and must hold a scope.
    pub fn is_staff(self) -> bool {
        !matches!(self, Self::Resident)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown role {:?}; expected one of resident, volunteer, communitybuilder, wijkondernemer, gemeente, partner, admin",
                    s.chars().take(40).collect::<String>()
                )
            })
    }
}

/// The area a staff role holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// Everywhere (only sensible for admin and for a gemeente holding several municipalities).
    All,
    /// A CBS area (gemeente, wijk or buurt) and everything in it.
    Area(AreaCode),
    /// A polygon drawn by an admin, WGS84 lon/lat, with its stored id.
    Polygon {
        /// Id of the custom area.
        id: i64,
        /// Its boundary.
        boundary: MultiPolygon<f64>,
    },
}

impl Scope {
    /// Does this scope contain a place?
    pub fn contains(&self, place: &Place) -> bool {
        match (self, place) {
            (Self::All, _) | (_, Place::Somewhere) => true,
            // A CBS area is within a polygon scope only if the caller proved it (not decidable
            // from codes); polygon scopes are asked by location.
            (_, Place::Nowhere | Place::Everywhere) | (Self::Polygon { .. }, Place::Area(_)) => {
                false
            }
            (Self::Area(scope), Place::Area(code)) => code_within(*code, *scope),
            (Self::Area(scope), Place::Located { areas, .. }) => {
                [areas.buurt, areas.wijk, areas.gemeente]
                    .into_iter()
                    .flatten()
                    .any(|c| code_within(c, *scope))
            }
            (Self::Polygon { boundary, .. }, Place::Located { lonlat, .. }) => {
                boundary.contains(&Point::new(lonlat[0], lonlat[1]))
            }
        }
    }

    /// Short text for lists and logs: `all`, the area code, or `polygon:{id}`.
    pub fn label(&self) -> String {
        match self {
            Self::All => "all".into(),
            Self::Area(c) => c.to_string(),
            Self::Polygon { id, .. } => format!("polygon:{id}"),
        }
    }
}

/// `inner` lies in (or is) `outer`.
pub fn code_within(inner: AreaCode, outer: AreaCode) -> bool {
    use crate::AreaKind::{Buurt, Gemeente, Wijk};
    match outer.kind() {
        Gemeente => inner.gemeente() == outer,
        Wijk => inner.kind() != Gemeente && inner.wijk() == Some(outer),
        Buurt => inner == outer,
    }
}

/// A role held in a scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// Where it applies (residents hold [`Scope::All`]: their rights come from verified addresses).
    pub scope: Scope,
}

impl Grant {
    /// A grant that may exist: every staff role may be limited to an area, except admin. An admin
    /// manages accounts, roles, the audit log and retention, which lie nowhere in particular, so
    /// an admin limited to an area would either be a full admin (the scope ignored) or not an
    /// admin at all; wijkwerk has no scoped admin (ADR 10). Residents hold `all` (their rights
    /// come from the addresses they verified).
    pub fn new(role: Role, scope: Scope) -> Result<Self, String> {
        match (role, &scope) {
            (Role::Admin | Role::Resident, Scope::All) => Ok(Self { role, scope }),
            (Role::Admin, _) => Err(format!(
                "an admin holds scope all, not {}: admins manage accounts, roles and the audit \
                 log, which belong to no area",
                scope.label()
            )),
            (Role::Resident, _) => Err(format!(
                "a resident holds scope all, not {}: a resident's rights come from the \
                 addresses they verified",
                scope.label()
            )),
            _ => Ok(Self { role, scope }),
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Principal {
    /// No session.
    #[default]
    Anonymous,
    /// A pseudonymous device session: may report, has no account.
    Device {
        /// Pseudonymous reporter id.
        reporter: i64,
    },
    /// A signed-in account.
    User {
        /// Account id.
        id: i64,
        /// Its roles.
        grants: Vec<Grant>,
        /// Addresses the user proved to live at (letter code).
        verified_addresses: Vec<crate::AddressId>,
    },
}

impl Principal {
    /// The account id, if signed in.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Self::User { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// The same caller with its roles only, without the addresses it verified: what a shared
    /// output keyed by [`Visibility`] (a cached tile) may be rendered for. Another caller with the
    /// same grants gets the same bytes, so nothing may depend on one's own home.
    #[must_use]
    pub fn by_role_only(&self) -> Self {
        match self {
            Self::User { id, grants, .. } => Self::User {
                id: *id,
                grants: grants.clone(),
                verified_addresses: Vec::new(),
            },
            other => other.clone(),
        }
    }

    /// Holds `role` anywhere?
    pub fn has_role(&self, role: Role) -> bool {
        matches!(self, Self::User { grants, .. } if grants.iter().any(|g| g.role == role))
    }

    /// Holds `role` in a scope that contains `place`?
    pub fn has_role_at(&self, role: Role, place: &Place) -> bool {
        matches!(self, Self::User { grants, .. }
            if grants.iter().any(|g| g.role == role && g.scope.contains(place)))
    }

    fn is_verified_resident_of(&self, address: crate::AddressId) -> bool {
        matches!(self, Self::User { verified_addresses, .. } if verified_addresses.contains(&address))
    }

    /// Tile and collection visibility class of this caller (see [`Visibility`]): the public, or
    /// the exact set of staff grants (role in scope) that give any per-household right. Two callers
    /// share a class only when they hold the same such grants, so they may see the same features.
    pub fn visibility(&self) -> Visibility {
        match self {
            Self::User { grants, .. } => {
                let mut staff: Vec<String> = grants
                    .iter()
                    .filter(|g| {
                        [
                            (Purpose::Map, DataClass::HouseholdObservations),
                            (Purpose::Canvassing, DataClass::OptOutRegister),
                        ]
                        .into_iter()
                        .any(|(p, c)| decide_role(g.role, p, c, true) == Decision::Allow)
                    })
                    .map(|g| format!("{}@{}", g.role.as_str(), g.scope.label()))
                    .collect();
                if staff.is_empty() {
                    Visibility::Public
                } else {
                    staff.sort();
                    staff.dedup();
                    Visibility::Scoped(staff.join(","))
                }
            }
            _ => Visibility::Public,
        }
    }
}

/// What a rendered tile or collection page may contain. Cached outputs are keyed by it, so one
/// class never receives another's tile.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Visibility {
    /// Registers and public-space data only: the anonymous map.
    Public,
    /// Per-household data for exactly these grants (sorted `role@scope`, comma-separated).
    Scoped(String),
}

/// Why data is processed (AVG/GDPR purpose limitation). Opt-outs and consents are per purpose too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Purpose {
    /// Showing data on the map or in a list.
    Map,
    /// Planning campaigns and walk lists (door-to-door visits).
    Canvassing,
    /// Contacting a person (a reporter, a resident).
    Contact,
    /// Exporting data out of wijkwerk.
    Export,
    /// Municipal statistics and research.
    Research,
    /// A person acting on their own account or address.
    SelfService,
    /// Managing users, roles, areas and retention.
    Administration,
    /// Moderating reports: the queue, reading flagged free text, hiding, putting back, resolving,
    /// rejecting, merging and splitting another person's report.
    Moderation,
    /// Matching residents' offers of time and talent to the work, inviting them, and keeping the
    /// hours they worked. A resident's offer is processed for this purpose only, and only while
    /// they consent to it.
    Talent,
}

impl Purpose {
    /// Every purpose.
    pub const ALL: [Self; 9] = [
        Self::Map,
        Self::Canvassing,
        Self::Contact,
        Self::Export,
        Self::Research,
        Self::SelfService,
        Self::Administration,
        Self::Moderation,
        Self::Talent,
    ];

    /// Purposes a resident can opt out of for their address.
    pub const OPT_OUTABLE: [Self; 3] = [Self::Canvassing, Self::Contact, Self::Research];

    /// Purposes an account can consent to (the consent ledger): those of the address register,
    /// and `talent`, which is about the person (an offer of time and talent), not an address.
    pub const CONSENTABLE: [Self; 4] = [
        Self::Canvassing,
        Self::Contact,
        Self::Research,
        Self::Talent,
    ];

    /// Name as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Map => "map",
            Self::Canvassing => "canvassing",
            Self::Contact => "contact",
            Self::Export => "export",
            Self::Research => "research",
            Self::SelfService => "self_service",
            Self::Administration => "administration",
            Self::Moderation => "moderation",
            Self::Talent => "talent",
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Purpose {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown purpose {:?}; expected one of map, canvassing, contact, export, research, self_service, administration, moderation, talent",
                    s.chars().take(40).collect::<String>()
                )
            })
    }
}

/// Classes of data, from open registers to the most personal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataClass {
    /// Open registers: BAG buildings and addresses, CBS areas.
    Registers,
    /// Observations about public space (a tree, a plantsoen).
    PublicSpaceObservations,
    /// Observations about a home (panels on a roof, gas readiness), per building or address.
    HouseholdObservations,
    /// Who reported and how to contact them.
    ReporterIdentity,
    /// The opt-out / do-not-knock register.
    OptOutRegister,
    /// Address-verification letters (name the address and carry a secret code).
    VerificationLetters,
    /// k-anonymous aggregates per buurt or grid cell.
    Aggregates,
    /// Accounts, roles and custom areas.
    Accounts,
    /// The audit log.
    AuditLog,
    /// Retention settings and runs.
    Retention,
    /// The caller's own account, consents and sessions.
    OwnAccount,
    /// What is known about an address the caller verified.
    OwnAddress,
    /// Work items per pand, address or spot (derived from registers and observations) and their
    /// status history.
    WorkItems,
    /// Assignments (*opdrachten*) partners offer, the work planned under them, their deliveries
    /// and statements. A partner reaches only its own organisation's (see
    /// [`Resource::offered_by_caller`]).
    Assignments,
    /// Residents' offers of time and talent, the invitations to work they get and the hours they
    /// log: personal data, processed for [`Purpose::Talent`] with the resident's consent.
    Talent,
    /// Door-to-door campaigns: their selection, turfs and walk lists, and the visits' outcomes
    /// (per address only with consent). A volunteer reaches only the turfs they hold (see
    /// [`Resource::held_by_caller`]).
    Campaigns,
}

impl DataClass {
    /// Every class.
    pub const ALL: [Self; 16] = [
        Self::Registers,
        Self::PublicSpaceObservations,
        Self::HouseholdObservations,
        Self::ReporterIdentity,
        Self::OptOutRegister,
        Self::VerificationLetters,
        Self::Aggregates,
        Self::Accounts,
        Self::AuditLog,
        Self::Retention,
        Self::OwnAccount,
        Self::OwnAddress,
        Self::WorkItems,
        Self::Assignments,
        Self::Talent,
        Self::Campaigns,
    ];

    /// Name in docs and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registers => "registers",
            Self::PublicSpaceObservations => "public_space_observations",
            Self::HouseholdObservations => "household_observations",
            Self::ReporterIdentity => "reporter_identity",
            Self::OptOutRegister => "opt_out_register",
            Self::VerificationLetters => "verification_letters",
            Self::Aggregates => "aggregates",
            Self::Accounts => "accounts",
            Self::AuditLog => "audit_log",
            Self::Retention => "retention",
            Self::OwnAccount => "own_account",
            Self::OwnAddress => "own_address",
            Self::WorkItems => "work_items",
            Self::Assignments => "assignments",
            Self::Talent => "talent",
            Self::Campaigns => "campaigns",
        }
    }

    /// Reads of this class are written to the audit log.
    pub fn is_audited(self) -> bool {
        matches!(
            self,
            Self::ReporterIdentity
                | Self::OptOutRegister
                | Self::VerificationLetters
                | Self::AuditLog
        )
    }
}

/// Where data lies, as far as access is concerned.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// Not tied to a place (accounts, the audit log, retention): only grants that hold everywhere
    /// ([`Scope::All`]) apply.
    Nowhere,
    /// Everything (a whole-map request, e.g. a tile or a list without an area filter).
    Everywhere,
    /// Somewhere in the caller's scope: asks whether the caller may see such data anywhere at
    /// all (does a layer or collection exist for them?). Every grant applies; the data itself is
    /// then filtered feature by feature at its own place.
    Somewhere,
    /// A CBS area.
    Area(AreaCode),
    /// A located object (building, address, point) with the areas it lies in.
    Located {
        /// WGS84 lon/lat.
        lonlat: [f64; 2],
        /// Its gemeente, wijk and buurt.
        areas: AreaRefs,
    },
}

/// What is asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The class of data.
    pub class: DataClass,
    /// Where it lies.
    pub place: Place,
    /// For [`DataClass::OwnAddress`]: the address.
    pub address: Option<crate::AddressId>,
    /// For [`DataClass::ReporterIdentity`]: the reporter consented to being contacted.
    pub reporter_consented: bool,
    /// For [`DataClass::Assignments`]: the assignment is (or, when offering, will be) the
    /// caller's organisation's. A partner reaches no other.
    pub offered_by_caller: bool,
    /// For [`DataClass::Campaigns`]: the turf is held by the caller (a volunteer walks only the
    /// turfs given to them).
    pub held_by_caller: bool,
}

impl Resource {
    /// A resource of `class` at `place`.
    pub fn new(class: DataClass, place: Place) -> Self {
        Self {
            class,
            place,
            address: None,
            reporter_consented: false,
            offered_by_caller: false,
            held_by_caller: false,
        }
    }
}

/// The answer of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// The caller may see (or do) it.
    Allow,
    /// The caller may see it only as k-anonymous aggregates.
    AggregateOnly,
    /// No.
    Deny,
}

impl Decision {
    /// Name in docs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::AggregateOnly => "aggregate",
            Self::Deny => "deny",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Self::Deny => 0,
            Self::AggregateOnly => 1,
            Self::Allow => 2,
        }
    }
}
