//! Reporter identity: the admin may read who reported an observation (audited); the
//! wijkondernemer in scope only after the reporter consented to `contact`; the gemeente never.
//! A resident's view of their address never names a reporter.

use serde_json::json;
use tests::{Client, Sandbox};

use super::{
    BUURT, GEMEENTE, OTHER_WIJK, PASSWORD, WIJK, audit, letters_csv, now, observation_about,
    sign_in_email, sign_in_password, user_id,
};

#[test]
fn reporter_identity_needs_admin_or_consent_and_is_audited() {
    let sb = Sandbox::new();
    sb.add_user("admin@people.test", "admin", "all", Some(PASSWORD));
    sb.add_user("wo@people.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user(
        "wo-out@people.test",
        "wijkondernemer",
        OTHER_WIJK,
        Some(PASSWORD),
    );
    sb.add_user("cb@people.test", "communitybuilder", WIJK, Some(PASSWORD));
    sb.add_user("gemeente@people.test", "gemeente", GEMEENTE, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut admin = sign_in_password(&s, "admin@people.test");
    let mut wo = sign_in_password(&s, "wo@people.test");
    let mut wo_out = sign_in_password(&s, "wo-out@people.test");
    let mut cb = sign_in_password(&s, "cb@people.test");
    let mut gemeente = sign_in_password(&s, "gemeente@people.test");

    // The reporter is a resident with an account; the household of the home is another one.
    let mut reporter = sign_in_email(&sb, &s, "melder@people.test");
    let reporter_user = user_id(&mut reporter);
    let codes = letters_csv(&mut wo, BUURT);
    let mut household = sign_in_email(&sb, &s, "huishouden@people.test");
    let r = household.post_json("/api/my/addresses", &json!({ "code": codes[3].1 }));
    assert_eq!(r.status, 201, "{}", r.text());
    let home: u64 = r.json()["address_id"].as_str().unwrap().parse().unwrap();
    let a = super::address(&sb, home);

    let store = store::SqliteStore::open(&sb.db).unwrap();
    let rid = store.reporter_for_user(reporter_user, now()).unwrap();
    store
        .set_reporter_contact(
            rid,
            &store::people::ReporterContact {
                name: Some("Meta Melder".into()),
                email: Some("melder@people.test".into()),
                phone: Some("0611223344".into()),
            },
            now(),
        )
        .unwrap();
    let oid = store
        .insert_observation(&observation_about(&a, "solar_panels", rid), now())
        .unwrap();
    let path = format!("/api/observations/{oid}/reporter");

    // Admin: yes, and the read is audited.
    let r = admin.get(&path);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let v = r.json();
    assert_eq!(v["email"], "melder@people.test");
    assert_eq!(v["name"], "Meta Melder");
    assert_eq!(v["consented_to_contact"], false);
    let read = audit(&mut admin)
        .into_iter()
        .find(|e| e["action"] == "read_reporter_identity")
        .expect("the read is audited");
    assert_eq!(read["target"], format!("observation:{oid}"));
    assert!(
        !read.to_string().contains("melder@people.test"),
        "the audit log names the observation, not the contact: {read}"
    );

    // Without consent: 403 for the wijkondernemer in scope, the gemeente, everyone but admin.
    let mut anon = Client::new(s.addr);
    assert_eq!(anon.get(&path).status, 401);
    for (who, c) in [
        ("wijkondernemer in scope", &mut wo),
        ("wijkondernemer out of scope", &mut wo_out),
        ("communitybuilder", &mut cb),
        ("gemeente", &mut gemeente),
        ("the household", &mut household),
        ("the reporter", &mut reporter),
    ] {
        let r = c.get(&path);
        assert_eq!(r.status, 403, "{who}: {}", r.text());
        assert!(!r.text().contains("melder@"), "{who}: {}", r.text());
    }

    // The reporter consents to contact: the wijkondernemer in scope may read it, audited.
    let r = reporter.post_json(
        "/api/account/consents",
        &json!({ "purpose": "contact", "given": true }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let before = audit(&mut admin)
        .iter()
        .filter(|e| e["action"] == "read_reporter_identity")
        .count();
    let r = wo.get(&path);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["email"], "melder@people.test");
    assert_eq!(r.json()["consented_to_contact"], true);
    let events = audit(&mut admin);
    let reads: Vec<_> = events
        .iter()
        .filter(|e| e["action"] == "read_reporter_identity")
        .collect();
    assert_eq!(
        reads.len(),
        before + 1,
        "the wijkondernemer's read is audited"
    );
    assert_eq!(
        reads[0]["actor"],
        format!("user:{}", user_id(&mut wo)),
        "{:?}",
        reads[0]
    );
    for (who, c) in [
        ("wijkondernemer out of scope", &mut wo_out),
        ("communitybuilder", &mut cb),
        ("gemeente", &mut gemeente),
    ] {
        let r = c.get(&path);
        assert_eq!(r.status, 403, "{who} after consent: {}", r.text());
    }
    // Withdrawn: back to 403.
    let r = reporter.post_json(
        "/api/account/consents",
        &json!({ "purpose": "contact", "given": false }),
    );
    assert_eq!(r.status, 201);
    assert_eq!(wo.get(&path).status, 403);
    let history = reporter.get("/api/account/consents/history").json();
    assert_eq!(history.as_array().unwrap().len(), 2, "{history}");

    // The household sees the observation about its home, without who reported it.
    let r = household.get(&format!("/api/my/addresses/{home:016}"));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let observations = v["observations"].as_array().unwrap();
    assert_eq!(observations.len(), 1, "{v}");
    assert_eq!(observations[0]["id"], oid);
    let text = r.text();
    for leak in ["reporter", "melder", "Meta", "0611223344"] {
        assert!(
            !text.contains(leak),
            "{leak} in the resident's view: {text}"
        );
    }
    for key in observations[0].as_object().unwrap().keys() {
        assert!(!key.contains("reporter"), "{key}");
    }
    // Contesting it: about this home only.
    let r = household.post_json(
        &format!("/api/my/addresses/{home:016}/contests"),
        &json!({ "observation_id": oid, "reason": "Geen panelen." }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = household.post_json(
        &format!("/api/my/addresses/{home:016}/contests"),
        &json!({ "observation_id": oid + 1000, "reason": "Geen panelen." }),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    super::assert_no_warnings(&s);
}
