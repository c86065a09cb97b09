//! Durability: every acknowledged report survives `kill -9` of the server mid-stream.
//!
//! Four threads, each its own device session, stream reports with unique idempotency keys and
//! record every id the server acknowledged (201). The server is killed with SIGKILL while they
//! run, restarted on the same store, and each session must find every one of its acknowledged
//! reports. (A process kill leaves the OS page cache intact, so this proves "acknowledged only
//! after commit"; that the commit reached the disk, `synchronous = FULL`, needs a power cut.)

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tests::{Client, Sandbox};

use super::{BUURT, device, homes, solar};

/// POST a report; `None` when the connection failed or the answer was cut off (the server died).
fn try_post(
    addr: SocketAddr,
    cookie: &str,
    csrf: &str,
    key: &str,
    body: &[u8],
) -> Option<(u16, Value)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let head = format!(
        "POST /api/observations HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Cookie: wijkwerk_session={cookie}\r\nX-CSRF-Token: {csrf}\r\nIdempotency-Key: {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let status: u16 = String::from_utf8_lossy(&raw[..end])
        .split(' ')
        .nth(1)?
        .parse()
        .ok()?;
    let json = serde_json::from_slice(&raw[end + 4..]).ok()?;
    Some((status, json))
}

#[test]
fn every_acknowledged_report_survives_kill_9() {
    let sb = Sandbox::new();
    let server = sb.serve(&["--sign-in-burst", "100"]);
    let addr = server.addr;
    let buildings: Vec<String> = homes(&sb, BUURT).into_iter().map(|h| h.building).collect();
    let sessions: Vec<Client> = (0..4).map(|_| device(&server)).collect();
    let acked: Arc<Mutex<Vec<(usize, i64)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = sessions
        .iter()
        .enumerate()
        .map(|(t, c)| {
            let (cookie, csrf) = (c.cookie.clone().unwrap(), c.csrf.clone().unwrap());
            let (acked, stop, count) = (Arc::clone(&acked), Arc::clone(&stop), Arc::clone(&count));
            let buildings = buildings.clone();
            std::thread::spawn(move || {
                let mut refused = 0;
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let body = solar(&buildings[(t * 31 + i) % buildings.len()]).to_string();
                    match try_post(addr, &cookie, &csrf, &format!("t{t}-{i}"), body.as_bytes()) {
                        Some((201, v)) => {
                            acked.lock().unwrap().push((t, v["id"].as_i64().unwrap()));
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                        // The per-IP report limit: the stream simply pauses.
                        Some((429, _)) => {
                            refused += 1;
                            std::thread::sleep(Duration::from_millis(20));
                        }
                        Some((status, v)) => panic!("thread {t}: {status} {v}"),
                        None => break,
                    }
                }
                refused
            })
        })
        .collect();
    // Kill mid-stream: once some reports are acknowledged, with more in flight.
    while count.load(Ordering::Relaxed) < 30 {
        std::thread::sleep(Duration::from_millis(1));
    }
    drop(server); // SIGKILL (std's Child::kill), then wait.
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 30, "{} acknowledged", acked.len());

    let again = sb.serve(&[]);
    for (t, c) in sessions.into_iter().enumerate() {
        let mut c = Client {
            addr: again.addr,
            ..c
        };
        let r = c.get("/api/my/observations");
        assert_eq!(r.status, 200, "session {t} survives too: {}", r.text());
        let have: Vec<i64> = r
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_i64().unwrap())
            .collect();
        for (_, id) in acked.iter().filter(|(owner, _)| *owner == t) {
            assert!(
                have.contains(id),
                "session {t}: acknowledged report {id} is gone after kill -9: {have:?}"
            );
        }
    }
    let store = store::SqliteStore::open(&sb.db).unwrap();
    let missing: Vec<i64> = acked
        .iter()
        .filter(|(_, id)| store.report(*id).unwrap().is_none())
        .map(|(_, id)| *id)
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not in the store: {missing:?}"
    );
}

/// The report writer shares the store file with the server's other connection (sessions, sign-in,
/// confirmations, flags, moderation, the audit log) and with `wijkwerk import`. A report that
/// arrives while another connection holds the write lock must wait for it (the writer's busy
/// timeout is 10 s), not fail: here an import transaction holds the lock for 300 ms and commits.
#[test]
fn a_report_waits_for_another_writer_of_the_store_instead_of_failing() {
    use store::Store as _;
    let sb = Sandbox::new();
    let server = sb.serve(&[]);
    let building = homes(&sb, BUURT)[0].building.clone();
    let store = store::SqliteStore::open(&sb.db).unwrap();
    for (key, with_key) in [("first", false), ("second", true)] {
        let mut c = device(&server);
        let source = store::SourceInfo {
            key: format!("e2e:lock-{key}"),
            kind: store::SourceKind::Cbs,
            format: "none".into(),
            location: "the e2e test".into(),
        };
        let tx = store.begin_import(&source).unwrap();
        // Two different reports (the same twice would make the second a confirmation).
        let mut body = solar(&building);
        if with_key {
            body["answers"] = serde_json::json!({ "panels": "no" });
        }
        let reporter = std::thread::spawn(move || {
            let key = with_key.then_some("3c1b0a56-lock");
            super::post_report(&mut c, &body, key)
        });
        std::thread::sleep(Duration::from_millis(300));
        tx.commit().unwrap();
        let r = reporter.join().unwrap();
        assert_eq!(
            r.status,
            201,
            "a report {} an Idempotency-Key, made while another connection held the write lock: {}",
            if with_key { "with" } else { "without" },
            r.text()
        );
    }
}

/// Reports are limited per client IP (`--report-burst`): over the burst the answer is 429 with
/// `Retry-After`, and nothing is stored.
#[test]
fn reports_over_the_configured_burst_are_refused_with_retry_after() {
    let sb = Sandbox::new();
    let s = sb.serve(&["--report-burst", "3"]);
    let home = &homes(&sb, BUURT)[2];
    let mut c = device(&s);
    for n in 1..=3 {
        let r = c.post_json("/api/observations", &solar(&home.building));
        assert_eq!(r.status, 201, "report {n}: {}", r.text());
    }
    let r = c.post_json("/api/observations", &solar(&home.building));
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(
        r.header("retry-after")
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|s| s >= 1),
        "Retry-After: {:?}",
        r.header("retry-after")
    );
    assert_eq!(r.json()["code"], "TooManyRequests");
    let mine = c.get("/api/my/observations").json();
    assert_eq!(mine.as_array().unwrap().len(), 3, "{mine}");
}
