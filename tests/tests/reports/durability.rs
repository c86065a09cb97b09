//! Durability: every acknowledged report survives `kill -9` of the server mid-stream.
//!
//! Four threads, each its own device session, stream reports with unique idempotency keys and
//! record every id the server acknowledged (201). The server is killed with SIGKILL while they
//! run, restarted on the same store, and each session must find every one of its acknowledged
//! reports. (A process kill leaves the OS page cache intact, so this proves "acknowledged only
//! after commit"; that the commit reached the disk, `synchronous = FULL`, needs a power cut.)

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::Value;
use tests::{Client, Sandbox};

use super::{BUURT, device, homes, solar};

/// How a POST ended.
#[derive(Debug)]
enum Posted {
    /// A whole answer: status and body.
    Answer(u16, Value),
    /// No connection (the server is gone).
    Refused,
    /// Connected, but the answer never came whole: the request was in flight when the server died.
    CutOff,
}

/// POST a report over a fresh connection.
fn try_post(addr: SocketAddr, cookie: &str, csrf: &str, key: &str, body: &[u8]) -> Posted {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return Posted::Refused;
    };
    let mut answer = || -> Option<(u16, Value)> {
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
    };
    match answer() {
        Some((status, json)) => Posted::Answer(status, json),
        None => Posted::CutOff,
    }
}

#[test]
fn every_acknowledged_report_survives_kill_9() {
    let sb = Sandbox::new();
    // No report limit in the way: the threads post without pause until the server dies.
    let server = sb.serve(&["--sign-in-burst", "100", "--report-burst", "100000"]);
    let addr = server.addr;
    let buildings: Vec<String> = homes(&sb, BUURT).into_iter().map(|h| h.building).collect();
    let sessions: Vec<Client> = (0..4).map(|_| device(&server)).collect();
    let acked: Arc<Mutex<Vec<(usize, i64)>>> = Arc::default();
    // One message per acknowledged report, so the kill can wait for them without polling.
    let (ack_tx, ack_rx) = mpsc::channel::<()>();
    let threads: Vec<_> = sessions
        .iter()
        .enumerate()
        .map(|(t, c)| {
            let (cookie, csrf) = (c.cookie.clone().unwrap(), c.csrf.clone().unwrap());
            let (acked, ack_tx) = (Arc::clone(&acked), ack_tx.clone());
            let buildings = buildings.clone();
            // Posts until a request fails, which only the kill makes happen; returns how.
            std::thread::spawn(move || {
                for i in 0.. {
                    let body = solar(&buildings[(t * 31 + i) % buildings.len()]).to_string();
                    match try_post(addr, &cookie, &csrf, &format!("t{t}-{i}"), body.as_bytes()) {
                        Posted::Answer(201, v) => {
                            acked.lock().unwrap().push((t, v["id"].as_i64().unwrap()));
                            let _ = ack_tx.send(());
                        }
                        Posted::Answer(status, v) => panic!("thread {t}: {status} {v}"),
                        ended => return ended,
                    }
                }
                unreachable!()
            })
        })
        .collect();
    drop(ack_tx);
    // Kill mid-stream: once 30 reports are acknowledged, with the threads still posting.
    let deadline = Instant::now() + Duration::from_mins(2);
    for n in 0..30 {
        let left = deadline.saturating_duration_since(Instant::now());
        if let Err(e) = ack_rx.recv_timeout(left) {
            panic!(
                "only {n} reports acknowledged before the deadline ({e}); a posting thread failed?"
            );
        }
    }
    drop(server); // SIGKILL (std's Child::kill), then wait.
    let endings: Vec<Posted> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 30, "{} acknowledged", acked.len());
    // The kill landed mid-stream: a request was on its way or being written when it came.
    assert!(
        endings.iter().any(|e| matches!(e, Posted::CutOff)),
        "no request was in flight when the server was killed: {endings:?}"
    );

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
        .filter(|(_, id)| store.observation(*id).unwrap().is_none())
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
/// timeout is 10 s), not fail: here an import transaction holds the lock until the server's
/// writer has begun writing the report (its debug log says so), and only then commits.
#[test]
fn a_report_waits_for_another_writer_of_the_store_instead_of_failing() {
    use store::Store as _;
    let sb = Sandbox::new();
    let server = sb.serve_with_log(&[], "info,server::observations::writer=debug");
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
        let from = server.log_len();
        // Two different reports (the same twice would make the second a confirmation).
        let mut body = solar(&building);
        if with_key {
            body["answers"] = serde_json::json!({ "panels": "no" });
        }
        let reporter = std::thread::spawn(move || {
            let key = with_key.then_some("3c1b0a56-lock");
            super::post_report(&mut c, &body, key)
        });
        // The writer has taken the report and is trying to write it, under our lock.
        server.wait_for_log(from, "writing a batch of reports", Duration::from_mins(1));
        assert!(
            !reporter.is_finished(),
            "the report was answered while another connection held the write lock: {:?}",
            reporter.join().map(|r| (r.status, r.text()))
        );
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

/// Observations are limited per client IP (`--report-burst`): over the burst the answer is 429 with
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
