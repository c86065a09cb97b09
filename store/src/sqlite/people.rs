//! The people side of [`SqliteStore`]: the row helpers its table groups share, and their tests.
//! The table groups live beside this file: `accounts.rs`, `sessions.rs`, `reporters.rs`,
//! `households.rs` (letters, opt-outs, consents), `observation_records.rs` and `audit.rs` (audit
//! log and retention).

use rusqlite::Row;

use crate::people::{NewObservation, ObservationRecord, UserRecord};

/// Wrong codes allowed per sign-in mail before it is void.
pub const MAX_CODE_ATTEMPTS: i64 = 5;

pub(super) fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

pub(super) const USER_COLUMNS: &str = "id, email, display_name, password_hash, totp_secret, totp_pending, \
                            totp_last_step, disabled, created_at, organisation";

pub(super) fn user_row(r: &Row<'_>) -> rusqlite::Result<UserRecord> {
    Ok(UserRecord {
        id: r.get(0)?,
        email: r.get(1)?,
        display_name: r.get(2)?,
        password_hash: r.get(3)?,
        totp_secret: r.get(4)?,
        totp_pending: r.get(5)?,
        totp_last_step: r.get(6)?,
        disabled: r.get(7)?,
        created_at: r.get(8)?,
        organisation: r.get(9)?,
        roles: Vec::new(),
    })
}

/// An observation's status from column `idx`; an unknown name is a conversion error.
pub(super) fn status_at(
    r: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<domain::observations::ObservationStatus> {
    let text: String = r.get(idx)?;
    text.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.into())
    })
}

pub(super) const OBSERVATION_COLUMNS: &str = "id, type, building_id, address_id, lon, lat, buurtcode, \
     observed_at, created_at, source, reporter_id, status, closed_at, answers";

pub(super) fn observation_row(r: &Row<'_>) -> rusqlite::Result<ObservationRecord> {
    Ok(ObservationRecord {
        id: r.get(0)?,
        observation: NewObservation {
            kind: r.get(1)?,
            building_id: r.get(2)?,
            address_id: r.get(3)?,
            lonlat: [r.get(4)?, r.get(5)?],
            buurtcode: r.get(6)?,
            observed_at: r.get(7)?,
            source: r.get(9)?,
            reporter_id: r.get(10)?,
            answers: r.get(13)?,
        },
        created_at: r.get(8)?,
        status: status_at(r, 11)?,
        closed_at: r.get(12)?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use crate::Error;
    use crate::people::{Redeemed, ReporterContact, RetentionRules, SessionRecord};
    use crate::sqlite::SqliteStore;
    use domain::observations::ObservationStatus;

    const DAY: i64 = 86_400;

    fn store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(dir.path().join("s.sqlite")).unwrap();
        (dir, s)
    }

    fn obs(reporter_id: i64) -> NewObservation {
        NewObservation {
            kind: "solar_panels".into(),
            building_id: Some(1),
            address_id: Some(2),
            lonlat: [5.0, 52.0],
            buurtcode: Some("BU19990101".into()),
            observed_at: 0,
            source: "resident".into(),
            reporter_id,
            answers: "{}".into(),
        }
    }

    #[test]
    fn users_are_unique_by_email_case_insensitively() {
        let (_d, s) = store();
        let id = s
            .create_user("A@x.nl", "A", None, &[("resident".into(), "all".into())], 1)
            .unwrap();
        assert!(matches!(
            s.create_user("a@X.nl", "B", None, &[], 1),
            Err(Error::Conflict(_))
        ));
        let u = s.user_by_email("a@x.NL").unwrap().unwrap();
        assert_eq!(u.id, id);
        assert_eq!(u.roles, vec![("resident".to_owned(), "all".to_owned())]);
    }

    #[test]
    fn login_codes_are_single_use_expire_and_lock_after_attempts() {
        let (_d, s) = store();
        s.add_login_token("r@x.nl", b"link", b"code", 100, 200)
            .unwrap();
        assert_eq!(
            s.redeem_login_code("r@x.nl", b"code", 250).unwrap(),
            Redeemed::Invalid
        );
        s.add_login_token("r@x.nl", b"link2", b"code2", 300, 400)
            .unwrap();
        assert_eq!(
            s.redeem_login_code("r@x.nl", b"code2", 350).unwrap(),
            Redeemed::Email("r@x.nl".into())
        );
        assert_eq!(
            s.redeem_login_code("r@x.nl", b"code2", 351).unwrap(),
            Redeemed::Invalid
        );
        assert_eq!(
            s.redeem_login_link(b"link2", 351).unwrap(),
            Redeemed::Invalid
        );
        s.add_login_token("r@x.nl", b"link3", b"code3", 400, 500)
            .unwrap();
        for _ in 0..MAX_CODE_ATTEMPTS {
            assert_eq!(
                s.redeem_login_code("r@x.nl", b"nope", 401).unwrap(),
                Redeemed::Invalid
            );
        }
        assert_eq!(
            s.redeem_login_code("r@x.nl", b"code3", 402).unwrap(),
            Redeemed::Invalid
        );
        assert_eq!(
            s.redeem_login_link(b"link3", 402).unwrap(),
            Redeemed::Invalid
        );
    }

    #[test]
    fn audit_log_is_append_only_except_for_retention() {
        let (_d, s) = store();
        s.audit(10, "user:1", "sign_in", "", "").unwrap();
        assert!(s.lock().execute("DELETE FROM audit_log", []).is_err());
        assert!(
            s.lock()
                .execute("UPDATE audit_log SET actor = 'x'", [])
                .is_err()
        );
        let rules = RetentionRules {
            audit_log: Some(5),
            ..RetentionRules::default()
        };
        let out = s.run_retention(&rules, 100).unwrap();
        assert!(out.iter().any(|o| o.kind == "audit_log" && o.removed == 1));
        assert!(s.audit_events(10, None).unwrap().is_empty());
        assert!(
            s.lock().execute("DELETE FROM audit_log", []).is_ok(),
            "gate closed again, table empty"
        );
        s.audit(10, "user:1", "sign_in", "", "").unwrap();
        assert!(s.lock().execute("DELETE FROM audit_log", []).is_err());
    }

    #[test]
    fn consent_ledger_keeps_history_and_newest_wins() {
        let (_d, s) = store();
        let u = s.create_user("c@x.nl", "", None, &[], 0).unwrap();
        let rep = s.reporter_for_user(u, 0).unwrap();
        assert!(!s.reporter_consents(rep, "contact").unwrap());
        s.add_consent(u, "contact", true, 1).unwrap();
        assert!(s.reporter_consents(rep, "contact").unwrap());
        s.add_consent(u, "contact", false, 2).unwrap();
        assert!(!s.reporter_consents(rep, "contact").unwrap());
        assert_eq!(s.consent_history(u).unwrap().len(), 2);
        assert!(
            s.lock()
                .execute("UPDATE consents SET given = 1", [])
                .is_err()
        );
    }

    #[test]
    fn retention_anonymises_contacts_365_days_after_the_last_report_closed() {
        let (_d, s) = store();
        let closed = s.new_device_reporter(0).unwrap();
        let open = s.new_device_reporter(0).unwrap();
        let contact = ReporterContact {
            email: Some("me@x.nl".into()),
            ..ReporterContact::default()
        };
        s.set_reporter_contact(closed, &contact, 0).unwrap();
        s.set_reporter_contact(open, &contact, 0).unwrap();
        let a = s.insert_observation(&obs(closed), 0).unwrap();
        s.insert_observation(&obs(open), 0).unwrap();
        s.close_observation(a, ObservationStatus::Resolved, 10 * DAY)
            .unwrap();
        let rules = RetentionRules::default();
        // 364 days after closing: kept.
        s.run_retention(&rules, 374 * DAY).unwrap();
        assert!(s.reporter_contact(closed).unwrap().is_some());
        // 365 days after closing: gone; the open reporter's contact stays; the report stays.
        let out = s.run_retention(&rules, 375 * DAY).unwrap();
        assert!(s.reporter_contact(closed).unwrap().is_none());
        assert!(s.reporter_contact(open).unwrap().is_some());
        assert!(s.observation_record(a).unwrap().is_some());
        let c = out.iter().find(|o| o.kind == "reporter_contacts").unwrap();
        assert_eq!(c.removed, 1);
        assert_eq!(s.last_retention_runs().unwrap().len(), 11);
    }

    #[test]
    fn retention_removes_idle_device_reporters_and_expired_sessions() {
        let (_d, s) = store();
        let idle = s.new_device_reporter(0).unwrap();
        let active = s.new_device_reporter(0).unwrap();
        s.insert_observation(&obs(active), 0).unwrap();
        s.create_session(&SessionRecord {
            token_hash: vec![1],
            user_id: None,
            reporter_id: Some(idle),
            csrf: "c".into(),
            created_at: 0,
            last_seen_at: 0,
            expires_at: DAY,
        })
        .unwrap();
        s.run_retention(&RetentionRules::default(), 91 * DAY)
            .unwrap();
        assert!(s.session(&[1], 0).unwrap().is_none());
        let left: Vec<i64> = s
            .lock()
            .prepare("SELECT id FROM reporters")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(left, vec![active]);
    }

    #[test]
    fn letter_codes_verify_residents_until_they_expire() {
        let (_d, s) = store();
        let u = s.create_user("v@x.nl", "", None, &[], 0).unwrap();
        s.set_address_code(42, b"h", 0, 100).unwrap();
        assert_eq!(s.redeem_address_code(b"h", u, 101).unwrap(), None);
        s.set_address_code(42, b"h2", 200, 300).unwrap();
        assert_eq!(
            s.redeem_address_code(b"h", u, 201).unwrap(),
            None,
            "replaced"
        );
        assert_eq!(s.redeem_address_code(b"h2", u, 201).unwrap(), Some(42));
        assert_eq!(s.verified_addresses(u).unwrap(), vec![42]);
    }
}
