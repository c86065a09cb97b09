//! Tests of `observations.rs`.

#![allow(clippy::unwrap_used, reason = "tests")]
use super::*;
use crate::sqlite::observation_writer::{ObservationWriter, PendingObservation};

fn pending(reporter_id: i64, key: Option<&str>) -> PendingObservation {
    PendingObservation {
        observation: NewObservation {
            kind: "solar_panels".into(),
            building_id: Some(7),
            address_id: None,
            lonlat: [5.0, 52.0],
            buurtcode: Some("BU19990101".into()),
            observed_at: 1,
            source: "resident".into(),
            reporter_id,
            answers: r#"{"panels":"yes"}"#.into(),
        },
        type_version: 1,
        tree_id: None,
        pii_suspected: false,
        idempotency_key: key.map(str::to_owned),
    }
}

#[test]
fn batches_write_with_idempotency_and_isolate_failures() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let s = SqliteStore::open(&path).unwrap();
    let r = s.new_device_reporter(0).unwrap();
    let mut w = ObservationWriter::open(&path).unwrap();
    let out = w
        .write_batch(
            &[
                pending(r, Some("a")),
                pending(999, None),
                pending(r, Some("a")),
            ],
            5,
        )
        .unwrap();
    let first = out[0].as_ref().unwrap();
    assert!(!first.replayed);
    assert!(out[1].is_err(), "unknown reporter fails alone");
    let again = out[2].as_ref().unwrap();
    assert!(again.replayed);
    assert_eq!(again.id, first.id);
    assert_eq!(s.live_observations().unwrap().len(), 1);
}

#[test]
fn confirmations_flags_merge_and_split() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let s = SqliteStore::open(&path).unwrap();
    let (a, b, c) = (
        s.new_device_reporter(0).unwrap(),
        s.new_device_reporter(0).unwrap(),
        s.new_device_reporter(0).unwrap(),
    );
    let mut w = ObservationWriter::open(&path).unwrap();
    let ids: Vec<i64> = w
        .write_batch(&[pending(a, None), pending(b, None)], 5)
        .unwrap()
        .into_iter()
        .map(|r| r.unwrap().id)
        .collect();
    assert!(!s.add_confirmation(ids[0], a, 6).unwrap(), "not one's own");
    assert!(s.add_confirmation(ids[0], c, 6).unwrap());
    assert!(!s.add_confirmation(ids[0], c, 7).unwrap(), "once");
    let r = s.observation(ids[0]).unwrap().unwrap();
    assert_eq!(
        (r.confirmations, r.status),
        (1, ObservationStatus::Confirmed)
    );
    assert!(s.merge_observations(ids[1], ids[0], "user:1", 8).unwrap());
    let r = s.observation(ids[0]).unwrap().unwrap();
    assert_eq!(r.confirmations, 2, "b's report became a confirmation");
    assert_eq!(
        s.observation(ids[1]).unwrap().unwrap().merged_into,
        Some(ids[0])
    );
    let split = s
        .split_observation(ids[0], r#"{"panels":"no"}"#, "user:1", 9)
        .unwrap()
        .unwrap();
    assert_eq!(
        s.observation(split).unwrap().unwrap().split_from,
        Some(ids[0])
    );
    // Flags from device sessions are counted but hide nothing; flags from accounts hide.
    for (i, who) in [a, b, c].into_iter().enumerate() {
        assert_eq!(s.add_flag(split, who, "spam", 3, 10).unwrap(), i as u32 + 1);
    }
    assert_eq!(
        s.observation(split).unwrap().unwrap().status,
        ObservationStatus::New
    );
    assert!(!s.observation(split).unwrap().unwrap().accountable);
    let roles = [("resident".to_owned(), "all".to_owned())];
    for (i, email) in ["x@t.nl", "y@t.nl", "z@t.nl"].iter().enumerate() {
        let user = s.create_user(email, "", None, &roles, 10).unwrap();
        let who = s.reporter_for_user(user, 10).unwrap();
        assert_eq!(s.add_flag(split, who, "spam", 3, 10).unwrap(), i as u32 + 4);
    }
    assert_eq!(
        s.observation(split).unwrap().unwrap().status,
        ObservationStatus::Hidden
    );
    assert!(s.moderation_queue().unwrap().iter().any(|r| r.id == split));
    assert!(
        !s.set_observation_status(
            ids[0],
            &[ObservationStatus::Hidden],
            ObservationStatus::New,
            "user:1",
            11
        )
        .unwrap(),
        "not hidden"
    );
    assert!(
        s.set_observation_status(
            ids[0],
            &[ObservationStatus::New, ObservationStatus::Confirmed],
            ObservationStatus::Hidden,
            "user:1",
            11
        )
        .unwrap()
    );
    assert!(
        s.set_observation_status(
            ids[0],
            &[ObservationStatus::Hidden],
            ObservationStatus::New,
            "user:1",
            12
        )
        .unwrap()
    );
    let r = s.observation(ids[0]).unwrap().unwrap();
    assert_eq!(
        r.status,
        ObservationStatus::Confirmed,
        "unhiding keeps the confirmations' status"
    );
    assert_eq!(s.observation(split).unwrap().unwrap().confirmations, 0);
    assert!(
        s.set_observation_status(
            split,
            &[ObservationStatus::Hidden],
            ObservationStatus::New,
            "user:1",
            12
        )
        .unwrap()
    );
    assert_eq!(
        s.observation(split).unwrap().unwrap().status,
        ObservationStatus::New
    );
}

#[test]
fn closed_reports_and_their_photos_go_after_the_retention_period() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let s = SqliteStore::open(&path).unwrap();
    let a = s.new_device_reporter(0).unwrap();
    let ids: Vec<i64> = ObservationWriter::open(&path)
        .unwrap()
        .write_batch(&[pending(a, None), pending(a, None), pending(a, None)], 1)
        .unwrap()
        .into_iter()
        .map(|r| r.unwrap().id)
        .collect();
    s.add_photo(ids[0], b"jpeg", 1, 1, 3, 2).unwrap();
    s.merge_observations(ids[0], ids[1], "user:1", 10).unwrap();
    let day = 86_400;
    let rules = crate::people::RetentionRules::default();
    s.run_retention(&rules, 10 + 729 * day).unwrap();
    assert!(
        s.observation(ids[0]).unwrap().is_some(),
        "kept until 730 days"
    );
    let out = s.run_retention(&rules, 10 + 730 * day).unwrap();
    assert!(s.observation(ids[0]).unwrap().is_none());
    assert!(s.photo(1).unwrap().is_none(), "photos go with the report");
    assert_eq!(s.observation(ids[1]).unwrap().unwrap().merged_into, None);
    assert!(
        s.observation(ids[2]).unwrap().is_some(),
        "open reports stay"
    );
    assert!(
        out.iter()
            .any(|o| o.kind == "closed_reports" && o.removed == 1)
    );
}

#[test]
fn photos_are_capped_per_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let s = SqliteStore::open(&path).unwrap();
    let a = s.new_device_reporter(0).unwrap();
    let id = ObservationWriter::open(&path)
        .unwrap()
        .write_batch(&[pending(a, None)], 1)
        .unwrap()[0]
        .as_ref()
        .unwrap()
        .id;
    for _ in 0..3 {
        assert!(s.add_photo(id, b"jpeg", 1, 1, 3, 2).unwrap().is_some());
    }
    assert!(s.add_photo(id, b"jpeg", 1, 1, 3, 2).unwrap().is_none());
    assert_eq!(s.observation(id).unwrap().unwrap().photos.len(), 3);
}

#[test]
fn the_group_commit_writer_confirms_in_the_same_batch_as_reports() {
    use crate::{PendingWrite, WriteOutcome};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let s = SqliteStore::open(&path).unwrap();
    let (a, b, c) = (
        s.new_device_reporter(0).unwrap(),
        s.new_device_reporter(0).unwrap(),
        s.new_device_reporter(0).unwrap(),
    );
    let mut w = ObservationWriter::open(&path).unwrap();
    let first = w.write_batch(&[pending(a, None)], 5).unwrap()[0]
        .as_ref()
        .unwrap()
        .id;
    // One batch: a new report, a confirmation by another reporter, the same one again, one of
    // one's own report, and one of a report that does not exist.
    let out = w
        .write_mixed(
            &[
                PendingWrite::Report(pending(b, None)),
                PendingWrite::Confirmation {
                    id: first,
                    reporter_id: c,
                },
                PendingWrite::Confirmation {
                    id: first,
                    reporter_id: c,
                },
                PendingWrite::Confirmation {
                    id: first,
                    reporter_id: a,
                },
                PendingWrite::Confirmation {
                    id: 999_999,
                    reporter_id: c,
                },
            ],
            6,
        )
        .unwrap();
    assert!(matches!(out[0], Ok(WriteOutcome::Report(_))));
    assert_eq!(out[1].as_ref().unwrap(), &WriteOutcome::Confirmed(true));
    assert_eq!(
        out[2].as_ref().unwrap(),
        &WriteOutcome::Confirmed(false),
        "once"
    );
    assert_eq!(
        out[3].as_ref().unwrap(),
        &WriteOutcome::Confirmed(false),
        "not one's own"
    );
    assert_eq!(
        out[4].as_ref().unwrap(),
        &WriteOutcome::Confirmed(false),
        "no such report"
    );
    // Durable on the store's own connection.
    let r = s.observation(first).unwrap().unwrap();
    assert_eq!(
        (r.confirmations, r.status),
        (1, ObservationStatus::Confirmed)
    );
}
