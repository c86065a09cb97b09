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
    /// Manages users, roles, areas, observation types and retention.
    Admin,
}

impl Role {
    /// Every role, least to most privileged.
    pub const ALL: [Self; 6] = [
        Self::Resident,
        Self::Volunteer,
        Self::Communitybuilder,
        Self::Wijkondernemer,
        Self::Gemeente,
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
                    "unknown role {:?}; expected one of resident, volunteer, communitybuilder, wijkondernemer, gemeente, admin",
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
}

impl Purpose {
    /// Every purpose.
    pub const ALL: [Self; 8] = [
        Self::Map,
        Self::Canvassing,
        Self::Contact,
        Self::Export,
        Self::Research,
        Self::SelfService,
        Self::Administration,
        Self::Moderation,
    ];

    /// Purposes a resident can opt out of for their address, or consent to.
    pub const OPT_OUTABLE: [Self; 3] = [Self::Canvassing, Self::Contact, Self::Research];

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
                    "unknown purpose {:?}; expected one of map, canvassing, contact, export, research, self_service, administration, moderation",
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
}

impl DataClass {
    /// Every class.
    pub const ALL: [Self; 12] = [
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
}

impl Resource {
    /// A resource of `class` at `place`.
    pub fn new(class: DataClass, place: Place) -> Self {
        Self {
            class,
            place,
            address: None,
            reporter_consented: false,
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

/// The policy: may `who` process `resource` for `purpose`?
///
/// A user with several grants gets the most permissive answer among the grants whose scope
/// contains the resource. Staff grants whose scope does not contain the resource give what
/// the public gets.
pub fn decide(who: &Principal, purpose: Purpose, resource: &Resource) -> Decision {
    use DataClass as D;
    let public = decide_public(purpose, resource.class);
    match who {
        Principal::Anonymous | Principal::Device { .. } => public,
        Principal::User {
            grants,
            verified_addresses,
            ..
        } => {
            let mut best = public;
            match resource.class {
                D::OwnAccount => return Decision::Allow,
                D::OwnAddress => {
                    return if resource
                        .address
                        .is_some_and(|a| verified_addresses.contains(&a))
                    {
                        Decision::Allow
                    } else {
                        Decision::Deny
                    };
                }
                _ => {}
            }
            for g in grants {
                // Unlocated data (accounts, audit log) only for grants that hold everywhere; a
                // grant limited to an area never reaches it.
                if !g.scope.contains(&resource.place) {
                    continue;
                }
                let mut d = decide_role(g.role, purpose, resource.class, true);
                if resource.class == D::ReporterIdentity
                    && g.role == Role::Wijkondernemer
                    && !resource.reporter_consented
                {
                    d = Decision::Deny;
                }
                if d.rank() > best.rank() {
                    best = d;
                }
            }
            // A resident sees household facts about an address they verified.
            if resource.class == D::HouseholdObservations
                && resource
                    .address
                    .is_some_and(|a| who.is_verified_resident_of(a))
            {
                best = Decision::Allow;
            }
            best
        }
    }
}

/// May `who` see household data at `resource` for `purpose` about a **pand** whose
/// verblijfsobjecten are `pand_addresses`: by their role, or as the verified resident of one of
/// those addresses (data about the roof is about their home). For data about one address, give
/// the address in the resource and no `pand_addresses`: a neighbour in the same pand never sees it.
pub fn decide_about_pand(
    who: &Principal,
    purpose: Purpose,
    resource: &Resource,
    pand_addresses: &[crate::AddressId],
) -> Decision {
    let by_role = decide(who, purpose, resource);
    if by_role == Decision::Allow {
        return by_role;
    }
    let mut r = resource.clone();
    for a in pand_addresses {
        r.address = Some(*a);
        if decide(who, purpose, &r) == Decision::Allow {
            return Decision::Allow;
        }
    }
    by_role
}

/// Who an observation says saw it (`source`), as far as the caller may claim it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObservationSource {
    /// A resident (anyone may report as a resident).
    Resident,
    /// A volunteer at the door: staff who work door to door where the observation lies.
    Volunteer,
    /// Imported in bulk from another system: administrators.
    Import,
}

impl ObservationSource {
    /// Name as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resident => "resident",
            Self::Volunteer => "volunteer",
            Self::Import => "import",
        }
    }
}

impl FromStr for ObservationSource {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "resident" => Ok(Self::Resident),
            "volunteer" => Ok(Self::Volunteer),
            "import" => Ok(Self::Import),
            _ => Err("resident, volunteer or import".into()),
        }
    }
}

/// May `who` report an observation at `place` as coming from `source`? Everyone as a resident;
/// as a volunteer those who may canvass household data there; as an import those who administer
/// everywhere.
pub fn may_report_as(who: &Principal, source: ObservationSource, place: &Place) -> bool {
    match source {
        ObservationSource::Resident => true,
        ObservationSource::Volunteer => {
            let r = Resource::new(DataClass::HouseholdObservations, place.clone());
            decide(who, Purpose::Canvassing, &r) == Decision::Allow
        }
        ObservationSource::Import => {
            let r = Resource::new(DataClass::Accounts, Place::Nowhere);
            decide(who, Purpose::Administration, &r) == Decision::Allow
        }
    }
}

/// The source an observation gets when the caller names none: volunteer for those who may report
/// as one there, resident for everyone else.
pub fn default_source(who: &Principal, place: &Place) -> ObservationSource {
    if may_report_as(who, ObservationSource::Volunteer, place) {
        ObservationSource::Volunteer
    } else {
        ObservationSource::Resident
    }
}

/// What everyone gets, signed in or not.
fn decide_public(purpose: Purpose, class: DataClass) -> Decision {
    use DataClass as D;
    match (class, purpose) {
        // Registers are open data: any purpose. Public-space reports are public on the map, in
        // Open311 and for research; a bulk export of reports (every field, in a file) is a staff
        // tool (the wijkondernemer in scope and admins).
        (D::Registers, _)
        | (D::PublicSpaceObservations, Purpose::Map | Purpose::Research)
        | (D::Aggregates, Purpose::Map | Purpose::Export | Purpose::Research) => Decision::Allow,
        (D::HouseholdObservations, Purpose::Map | Purpose::Research) => Decision::AggregateOnly,
        _ => Decision::Deny,
    }
}

/// What `role` may do with `class` for `purpose` inside its scope (`in_scope`).
pub fn decide_role(role: Role, purpose: Purpose, class: DataClass, in_scope: bool) -> Decision {
    use DataClass as D;
    use Decision::{AggregateOnly, Allow, Deny};
    use Purpose as P;
    use Role as R;
    if !in_scope {
        return decide_public(purpose, class);
    }
    let public = decide_public(purpose, class);
    let d = match (role, class) {
        // Moderation of reports: those who run the work in an area, and admins.
        (
            R::Admin | R::Wijkondernemer | R::Communitybuilder,
            D::HouseholdObservations | D::PublicSpaceObservations,
        ) if purpose == P::Moderation => Allow,
        (R::Admin, D::OwnAddress) => Deny,
        (R::Admin, _) => match purpose {
            P::SelfService => Deny,
            _ => Allow,
        },
        (R::Wijkondernemer, D::HouseholdObservations) => match purpose {
            P::Map | P::Canvassing | P::Export => Allow,
            _ => AggregateOnly,
        },
        (R::Wijkondernemer, D::PublicSpaceObservations) if purpose == P::Export => Allow,
        (R::Communitybuilder | R::Volunteer, D::HouseholdObservations) => match purpose {
            P::Map | P::Canvassing => Allow,
            _ => AggregateOnly,
        },
        // Only with the reporter's consent; `decide` checks it.
        (R::Wijkondernemer, D::ReporterIdentity) => match purpose {
            P::Contact => Allow,
            _ => Deny,
        },
        (R::Wijkondernemer | R::Communitybuilder, D::OptOutRegister) => match purpose {
            P::Map | P::Canvassing => Allow,
            _ => Deny,
        },
        (R::Wijkondernemer, D::VerificationLetters) => match purpose {
            P::Export => Allow,
            _ => Deny,
        },
        (R::Gemeente, D::HouseholdObservations) => AggregateOnly,
        _ => public,
    };
    if d.rank() >= public.rank() { d } else { public }
}

/// The role × data class table for one purpose (for `docs/privacy.md` and the matrix test):
/// rows are data classes, columns are anonymous then each role, decided in scope.
pub fn matrix(purpose: Purpose) -> Vec<(DataClass, Vec<Decision>)> {
    DataClass::ALL
        .into_iter()
        .map(|class| {
            let mut row = vec![decide_public(purpose, class)];
            for role in Role::ALL {
                let d = match class {
                    DataClass::OwnAccount => Decision::Allow,
                    DataClass::OwnAddress => Decision::Deny,
                    _ => decide_role(role, purpose, class, true),
                };
                row.push(d);
            }
            (class, row)
        })
        .collect()
}

/// The role × data class tables of every purpose as Markdown (for `docs/privacy.md`).
pub fn matrix_markdown() -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Cells: **allow**, **aggregate** (only as k-anonymous aggregates) or **deny**, for a \
         caller whose scope contains the data. Outside their scope staff get what the public gets. \
         `own_account` is the caller's own account; `own_address` is allowed only for an address the \
         caller verified with a letter code (see `decide`). `reporter_identity` for the wijkondernemer \
         is allowed only when the reporter consented to `contact` (consent ledger)."
    );
    for purpose in Purpose::ALL {
        let _ = writeln!(out, "\n### Purpose `{}`\n", purpose.as_str());
        out.push_str("| data | public |");
        for r in Role::ALL {
            let _ = write!(out, " {} |", r.as_str());
        }
        out.push_str("\n|---|---|");
        for _ in Role::ALL {
            out.push_str("---|");
        }
        out.push('\n');
        for (class, row) in matrix(purpose) {
            let _ = write!(out, "| {} |", class.as_str());
            for d in row {
                let _ = write!(out, " {} |", d.as_str());
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use crate::BagId;

    fn user(role: Role, scope: Scope) -> Principal {
        Principal::User {
            id: 1,
            grants: vec![Grant { role, scope }],
            verified_addresses: vec![],
        }
    }

    fn at(buurt: &str) -> Place {
        Place::Located {
            lonlat: [5.0, 52.0],
            areas: AreaRefs::from_code(buurt.parse().unwrap()),
        }
    }

    #[test]
    fn codes_nest() {
        let bu: AreaCode = "BU19990102".parse().unwrap();
        assert!(code_within(bu, "WK199901".parse().unwrap()));
        assert!(code_within(bu, "GM1999".parse().unwrap()));
        assert!(!code_within(bu, "WK199902".parse().unwrap()));
        assert!(!code_within(
            "WK199901".parse().unwrap(),
            "BU19990102".parse().unwrap()
        ));
        assert!(!code_within(
            "GM1999".parse().unwrap(),
            "WK199901".parse().unwrap()
        ));
    }

    #[test]
    fn household_data_follows_scope() {
        let r = Resource::new(DataClass::HouseholdObservations, at("BU19990102"));
        let in_scope = user(
            Role::Wijkondernemer,
            Scope::Area("WK199901".parse().unwrap()),
        );
        let out_of_scope = user(
            Role::Wijkondernemer,
            Scope::Area("WK199902".parse().unwrap()),
        );
        assert_eq!(decide(&in_scope, Purpose::Map, &r), Decision::Allow);
        assert_eq!(
            decide(&out_of_scope, Purpose::Map, &r),
            Decision::AggregateOnly
        );
        assert_eq!(
            decide(&Principal::Anonymous, Purpose::Map, &r),
            Decision::AggregateOnly
        );
        let gemeente = user(Role::Gemeente, Scope::Area("GM1999".parse().unwrap()));
        assert_eq!(decide(&gemeente, Purpose::Map, &r), Decision::AggregateOnly);
        assert_eq!(
            decide(&Principal::Anonymous, Purpose::Canvassing, &r),
            Decision::Deny
        );
    }

    #[test]
    fn reporter_identity_needs_consent_for_wijkondernemer() {
        let w = user(Role::Wijkondernemer, Scope::All);
        let mut r = Resource::new(DataClass::ReporterIdentity, at("BU19990102"));
        assert_eq!(decide(&w, Purpose::Contact, &r), Decision::Deny);
        r.reporter_consented = true;
        assert_eq!(decide(&w, Purpose::Contact, &r), Decision::Allow);
        assert_eq!(decide(&w, Purpose::Map, &r), Decision::Deny);
        let admin = user(Role::Admin, Scope::All);
        r.reporter_consented = false;
        assert_eq!(decide(&admin, Purpose::Contact, &r), Decision::Allow);
        for role in [
            Role::Resident,
            Role::Volunteer,
            Role::Communitybuilder,
            Role::Gemeente,
        ] {
            r.reporter_consented = true;
            assert_eq!(
                decide(&user(role, Scope::All), Purpose::Contact, &r),
                Decision::Deny
            );
        }
    }

    #[test]
    fn own_address_only_when_verified() {
        let a = BagId::new(1_999_010_000_000_001).unwrap();
        let mut r = Resource::new(DataClass::OwnAddress, at("BU19990102"));
        r.address = Some(a);
        let resident = Principal::User {
            id: 2,
            grants: vec![Grant {
                role: Role::Resident,
                scope: Scope::All,
            }],
            verified_addresses: vec![a],
        };
        assert_eq!(decide(&resident, Purpose::SelfService, &r), Decision::Allow);
        let other = user(Role::Resident, Scope::All);
        assert_eq!(decide(&other, Purpose::SelfService, &r), Decision::Deny);
        assert_eq!(
            decide(&user(Role::Admin, Scope::All), Purpose::SelfService, &r),
            Decision::Deny
        );
    }

    #[test]
    fn by_role_only_forgets_ones_own_home() {
        // A communitybuilder of WK199902 who lives in WK199901.
        let a = crate::BagId::new(1_999_010_000_000_001).unwrap();
        let mut r = Resource::new(DataClass::HouseholdObservations, at("BU19990102"));
        r.address = Some(a);
        let staff = Principal::User {
            id: 3,
            grants: vec![Grant {
                role: Role::Communitybuilder,
                scope: Scope::Area("WK199902".parse().unwrap()),
            }],
            verified_addresses: vec![a],
        };
        assert_eq!(decide(&staff, Purpose::Map, &r), Decision::Allow);
        let shared = staff.by_role_only();
        assert_ne!(decide(&shared, Purpose::Map, &r), Decision::Allow);
        assert_eq!(shared.visibility(), staff.visibility());
    }

    #[test]
    fn polygon_scope_by_location() {
        let square = geo::MultiPolygon(vec![geo::Polygon::new(
            geo::LineString::from(vec![(4.0, 51.0), (6.0, 51.0), (6.0, 53.0), (4.0, 53.0)]),
            vec![],
        )]);
        let s = Scope::Polygon {
            id: 7,
            boundary: square,
        };
        assert!(s.contains(&at("BU19990102")));
        assert!(!s.contains(&Place::Located {
            lonlat: [7.0, 52.0],
            areas: AreaRefs::default()
        }));
        assert!(!s.contains(&Place::Everywhere));
    }

    #[test]
    fn visibility_classes_separate_staff_from_public() {
        assert_eq!(Principal::Anonymous.visibility(), Visibility::Public);
        assert_eq!(
            user(Role::Resident, Scope::All).visibility(),
            Visibility::Public
        );
        assert_eq!(
            user(Role::Gemeente, Scope::All).visibility(),
            Visibility::Public
        );
        let w = user(
            Role::Wijkondernemer,
            Scope::Area("WK199901".parse().unwrap()),
        );
        assert_eq!(
            w.visibility(),
            Visibility::Scoped("wijkondernemer@WK199901".into())
        );
        let v = user(Role::Volunteer, Scope::Area("WK199901".parse().unwrap()));
        assert_ne!(
            v.visibility(),
            w.visibility(),
            "same scope, different rights"
        );
    }

    #[test]
    fn a_pand_is_seen_by_its_verified_residents_and_one_flat_only_by_its_own() {
        let a = BagId::new(1_999_010_000_000_001).unwrap();
        let b = BagId::new(1_999_010_000_000_002).unwrap();
        let resident = Principal::User {
            id: 2,
            grants: vec![Grant {
                role: Role::Resident,
                scope: Scope::All,
            }],
            verified_addresses: vec![a],
        };
        let pand = Resource::new(DataClass::HouseholdObservations, at("BU19990102"));
        assert_eq!(
            decide_about_pand(&resident, Purpose::Map, &pand, &[a, b]),
            Decision::Allow
        );
        assert_ne!(
            decide_about_pand(&resident, Purpose::Map, &pand, &[b]),
            Decision::Allow
        );
        let mut neighbours_flat = pand.clone();
        neighbours_flat.address = Some(b);
        assert_ne!(
            decide_about_pand(&resident, Purpose::Map, &neighbours_flat, &[]),
            Decision::Allow
        );
    }

    #[test]
    fn who_may_report_as_volunteer_or_import() {
        let here = at("BU19990102");
        let vol = user(Role::Volunteer, Scope::Area("WK199901".parse().unwrap()));
        let elsewhere = user(Role::Volunteer, Scope::Area("WK199902".parse().unwrap()));
        let gemeente = user(Role::Gemeente, Scope::All);
        let admin = user(Role::Admin, Scope::All);
        assert_eq!(default_source(&vol, &here), ObservationSource::Volunteer);
        assert_eq!(
            default_source(&elsewhere, &here),
            ObservationSource::Resident
        );
        assert_eq!(
            default_source(&gemeente, &here),
            ObservationSource::Resident
        );
        assert!(!may_report_as(&vol, ObservationSource::Import, &here));
        assert!(may_report_as(&admin, ObservationSource::Import, &here));
        assert!(may_report_as(
            &Principal::Anonymous,
            ObservationSource::Resident,
            &here
        ));
    }

    #[test]
    fn matrix_has_a_row_per_class_and_admin_never_self_serves() {
        let m = matrix(Purpose::Map);
        assert_eq!(m.len(), DataClass::ALL.len());
        assert!(m.iter().all(|(_, row)| row.len() == Role::ALL.len() + 1));
        assert!(
            matrix(Purpose::SelfService)
                .iter()
                .any(|(c, row)| *c == DataClass::OwnAddress && row[6] == Decision::Deny)
        );
    }
}
