//! The policy itself: (who, purpose, resource) → allow, aggregate only, or deny; and the decisions
//! derived from it (a pand's observations, who may claim an observation's source).

use std::str::FromStr;

use super::{DataClass, Decision, Place, Principal, Purpose, Resource, Role};

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
                // A partner reaches its own organisation's assignments only.
                if resource.class == D::Assignments
                    && g.role == Role::Partner
                    && !resource.offered_by_caller
                {
                    d = Decision::Deny;
                }
                // A volunteer reaches the turfs they hold, and nothing else of a campaign.
                if resource.class == D::Campaigns
                    && g.role == Role::Volunteer
                    && !resource.held_by_caller
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

/// A step in an assignment's life that only one side takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssignmentStep {
    /// Change the terms (the offering partner, while offered or changes proposed).
    Revise,
    /// Withdraw the offer (the offering partner).
    Withdraw,
    /// Accept or reject a delivered unit (the offering partner).
    DecideUnit,
    /// Accept, decline or propose changes (the wijkbedrijf, never the partner that offered it).
    Answer,
    /// See the wijkbedrijf's income across assignments (the wijkbedrijf, not a partner).
    Income,
}

/// May `who` take `step` on the assignment at `resource` (with
/// [`Resource::offered_by_caller`] set when it is the caller's organisation's)? The partner's
/// steps need a partner grant in scope and its own organisation's assignment; the wijkbedrijf's
/// steps need a grant other than partner that may administer assignments there.
pub fn decide_assignment_step(who: &Principal, step: AssignmentStep, resource: &Resource) -> bool {
    let Principal::User { grants, .. } = who else {
        return false;
    };
    let in_scope = |g: &&super::Grant| g.scope.contains(&resource.place);
    match step {
        AssignmentStep::Revise | AssignmentStep::Withdraw | AssignmentStep::DecideUnit => {
            resource.offered_by_caller
                && grants
                    .iter()
                    .filter(in_scope)
                    .any(|g| g.role == Role::Partner)
        }
        AssignmentStep::Answer | AssignmentStep::Income => {
            grants.iter().filter(in_scope).any(|g| {
                g.role != Role::Partner
                    && decide_role(
                        g.role,
                        Purpose::Administration,
                        DataClass::Assignments,
                        true,
                    ) == Decision::Allow
            })
        }
    }
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
pub(super) fn decide_public(purpose: Purpose, class: DataClass) -> Decision {
    use DataClass as D;
    match (class, purpose) {
        // Registers are open data: any purpose. Public-space reports are public on the map, in
        // Open311 and for research; a bulk export of reports (every field, in a file) is a staff
        // tool (the wijkondernemer in scope and admins).
        (D::Registers, _)
        | (D::PublicSpaceObservations, Purpose::Map | Purpose::Research)
        | (D::Aggregates, Purpose::Map | Purpose::Export | Purpose::Research) => Decision::Allow,
        (D::HouseholdObservations | D::WorkItems, Purpose::Map | Purpose::Research) => {
            Decision::AggregateOnly
        }
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
        // The work: those who run it in an area see and plan the items; the wijkondernemer also
        // keeps the rules and exports.
        (R::Wijkondernemer, D::WorkItems) => match purpose {
            P::Map | P::Canvassing | P::Export | P::Administration => Allow,
            _ => AggregateOnly,
        },
        (R::Communitybuilder, D::WorkItems) => match purpose {
            P::Map | P::Canvassing => Allow,
            _ => AggregateOnly,
        },
        (R::Gemeente, D::HouseholdObservations | D::WorkItems)
        | (R::Volunteer | R::Partner, D::WorkItems) => AggregateOnly,
        // Assignments: the partner offers its own (`decide` checks the organisation) and reads
        // what was delivered on them; the wijkondernemer accepts, declines or answers them and
        // keeps the statements; communitybuilders see them and record deliveries (`Canvassing`:
        // doing the work at the door).
        (R::Partner, D::Assignments) => match purpose {
            P::Map | P::Export | P::Administration => Allow,
            _ => Deny,
        },
        // The wijkondernemer also decides whether the hours residents work on an assignment
        // are paid from its fee (`Talent`).
        (R::Wijkondernemer, D::Assignments) => match purpose {
            P::Map | P::Canvassing | P::Export | P::Administration | P::Talent => Allow,
            _ => Deny,
        },
        (R::Communitybuilder, D::Assignments) => match purpose {
            P::Map | P::Canvassing => Allow,
            _ => Deny,
        },
        // Offers of time and talent: those who organise the work in an area match them to work
        // and invite; nobody else, for no other purpose (no map, no export, no statistics).
        (R::Wijkondernemer | R::Communitybuilder, D::Talent) => match purpose {
            P::Talent => Allow,
            _ => Deny,
        },
        // Campaigns: those who organise the work in an area plan them, cut and hand out turfs,
        // and follow the progress (the wijkondernemer also exports); a volunteer walks the turfs
        // they hold (`decide` checks it); the gemeente sees k-anonymous counts only.
        (R::Wijkondernemer, D::Campaigns) => match purpose {
            P::Map | P::Canvassing | P::Administration | P::Export => Allow,
            _ => Deny,
        },
        (R::Communitybuilder, D::Campaigns) => match purpose {
            P::Map | P::Canvassing | P::Administration => Allow,
            _ => Deny,
        },
        (R::Volunteer, D::Campaigns) => match purpose {
            P::Map | P::Canvassing => Allow,
            _ => Deny,
        },
        (R::Gemeente, D::Campaigns) => match purpose {
            P::Research => AggregateOnly,
            _ => Deny,
        },
        _ => public,
    };
    if d.rank() >= public.rank() { d } else { public }
}
