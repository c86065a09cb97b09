//! Tests of the policy.
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

#[test]
fn a_partner_reaches_its_own_assignments_in_its_scope_and_never_a_household() {
    let partner = user(Role::Partner, Scope::Area("GM1999".parse().unwrap()));
    let mut theirs = Resource::new(
        DataClass::Assignments,
        Place::Area("WK199901".parse().unwrap()),
    );
    theirs.offered_by_caller = true;
    let others = Resource::new(
        DataClass::Assignments,
        Place::Area("WK199901".parse().unwrap()),
    );
    for p in [Purpose::Map, Purpose::Export, Purpose::Administration] {
        assert_eq!(decide(&partner, p, &theirs), Decision::Allow, "{p}");
        assert_eq!(decide(&partner, p, &others), Decision::Deny, "{p}");
    }
    // Recording deliveries is the wijkbedrijf's work, not the partner's.
    assert_eq!(
        decide(&partner, Purpose::Canvassing, &theirs),
        Decision::Deny
    );
    // Outside its scope, not even its own.
    let mut far = theirs.clone();
    far.place = Place::Area("GM2000".parse().unwrap());
    assert_eq!(decide(&partner, Purpose::Map, &far), Decision::Deny);
    // Households and reporters: what the public gets.
    for class in [DataClass::HouseholdObservations, DataClass::WorkItems] {
        let r = Resource::new(class, at("BU19990102"));
        assert_eq!(decide(&partner, Purpose::Map, &r), Decision::AggregateOnly);
        assert_ne!(decide(&partner, Purpose::Export, &r), Decision::Allow);
    }
    let r = Resource::new(DataClass::ReporterIdentity, at("BU19990102"));
    assert_eq!(decide(&partner, Purpose::Contact, &r), Decision::Deny);
    // The wijkondernemer in scope answers every partner's assignment; a resident none.
    let wo = user(
        Role::Wijkondernemer,
        Scope::Area("WK199901".parse().unwrap()),
    );
    assert_eq!(
        decide(&wo, Purpose::Administration, &others),
        Decision::Allow
    );
    let resident = user(Role::Resident, Scope::All);
    assert_eq!(decide(&resident, Purpose::Map, &others), Decision::Deny);
}

#[test]
fn only_the_offering_partner_revises_withdraws_and_decides_units_and_only_the_wijkbedrijf_answers()
{
    let wijk: AreaCode = "WK199901".parse().unwrap();
    let gm: AreaCode = "GM1999".parse().unwrap();
    let mut own = Resource::new(DataClass::Assignments, Place::Area(wijk));
    own.offered_by_caller = true;
    let other = Resource::new(DataClass::Assignments, Place::Area(wijk));
    let partner = user(Role::Partner, Scope::Area(gm));
    let wo = user(Role::Wijkondernemer, Scope::Area(gm));
    let cb = user(Role::Communitybuilder, Scope::Area(gm));
    let admin = user(Role::Admin, Scope::All);
    let elsewhere = user(Role::Partner, Scope::Area("GM1998".parse().unwrap()));
    for step in [
        AssignmentStep::Revise,
        AssignmentStep::Withdraw,
        AssignmentStep::DecideUnit,
    ] {
        assert!(decide_assignment_step(&partner, step, &own), "{step:?}");
        assert!(!decide_assignment_step(&partner, step, &other), "{step:?}");
        assert!(!decide_assignment_step(&elsewhere, step, &own), "{step:?}");
        for who in [&wo, &cb, &admin, &Principal::Anonymous] {
            assert!(!decide_assignment_step(who, step, &own), "{step:?} {who:?}");
        }
    }
    for step in [AssignmentStep::Answer, AssignmentStep::Income] {
        assert!(!decide_assignment_step(&partner, step, &own), "{step:?}");
        assert!(decide_assignment_step(&wo, step, &own), "{step:?}");
        assert!(decide_assignment_step(&admin, step, &other), "{step:?}");
        assert!(!decide_assignment_step(&cb, step, &own), "{step:?}");
    }
}
