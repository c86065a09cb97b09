//! Photos through the API: what a phone camera writes (GPS position, make, time) never comes back
//! out; only JPEG and PNG up to 10 MB, three per report; a photo of a home is as private as the
//! report.

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use tests::{Client, Response, Sandbox};

use super::{
    BUURT, OTHER_WIJK, PASSWORD, WIJK, assert_no_warnings, device, greenery, homes, report_ok,
    sign_in_password, solar,
};

/// A 640×480 JPEG made by GDAL with a GPS position, a camera make and a capture time in its EXIF
/// written by exiftool (both must be installed: gdal-bin, libimage-exiftool-perl).
fn jpeg_with_gps(dir: &Path) -> Vec<u8> {
    let path = dir.join("camera.jpg");
    let out = Command::new("gdal_create")
        .args(["-q", "-of", "JPEG", "-outsize", "640", "480", "-bands", "3"])
        .args(["-burn", "90", "-burn", "160", "-burn", "60"])
        .arg(&path)
        .output()
        .expect("gdal_create (gdal-bin) must be installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new("exiftool")
        .args([
            "-q",
            "-overwrite_original",
            "-GPSLatitude=52.0907",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=5.1214",
            "-GPSLongitudeRef=E",
            "-Make=Testcam",
            "-Model=Wijkphone 1",
            "-DateTimeOriginal=2026:05:01 10:00:00",
            "-Artist=Jan Jansen",
        ])
        .arg(&path)
        .output()
        .expect("exiftool (libimage-exiftool-perl) must be installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tags = exif_tags(&path);
    assert!(
        tags.keys().any(|k| k.starts_with("GPS:")),
        "the test photo has GPS: {tags:?}"
    );
    std::fs::read(&path).unwrap()
}

/// Every tag exiftool reads, `group:name` → value.
fn exif_tags(path: &Path) -> serde_json::Map<String, Value> {
    let out = Command::new("exiftool")
        .args(["-json", "-a", "-G1"])
        .arg(path)
        .output()
        .expect("exiftool");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v[0].as_object().unwrap().clone()
}

fn upload(c: &mut Client, report: &Value, ctype: &str, bytes: &[u8]) -> Response {
    c.send(
        "POST",
        &format!("/api/observations/{}/photos", report["id"]),
        &[("Content-Type", ctype)],
        Some(bytes),
    )
}

#[test]
fn exif_is_stripped_and_only_three_jpeg_or_png_photos_up_to_10_mb_are_taken() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let jpeg = jpeg_with_gps(sb.dir());
    let home = &homes(&sb, BUURT)[6];
    let mut c = device(&s);
    let report = report_ok(&mut c, &solar(&home.building));

    let r = upload(&mut c, &report, "image/jpeg", &jpeg);
    assert_eq!(r.status, 201, "{}", r.text());
    let photo = r.json();
    assert_eq!(
        (photo["width"].as_u64(), photo["height"].as_u64()),
        (Some(640), Some(480))
    );
    let url = format!("/api/photos/{}.jpg", photo["id"]);
    let got = c.get(&url);
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(got.header("content-type"), Some("image/jpeg"));
    let out = sb.dir().join("served.jpg");
    std::fs::write(&out, &got.body).unwrap();
    let tags = exif_tags(&out);
    let leaked: Vec<&String> = tags
        .keys()
        .filter(|k| {
            [
                "GPS:",
                "IFD0:",
                "ExifIFD:",
                "IFD1:",
                "XMP",
                "MakerNotes",
                "InteropIFD:",
            ]
            .iter()
            .any(|g| k.starts_with(g))
        })
        .collect();
    assert!(
        leaked.is_empty(),
        "metadata left in the served photo: {leaked:?}\n{tags:?}"
    );
    let text = serde_json::to_string(&tags).unwrap();
    for secret in [
        "Testcam",
        "Wijkphone",
        "Jan Jansen",
        "2026:05:01",
        "52.09",
        "5.12",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert_eq!(tags["File:FileType"], "JPEG");
    // The report lists it.
    let listed = c.get(&format!("/api/observations/{}", report["id"])).json();
    assert_eq!(listed["photos"], serde_json::json!([url]));

    // Not an image type we take: 415, whatever the declared type says.
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    let r = upload(&mut c, &report, "image/jpeg", gif);
    assert_eq!(r.status, 415, "{}", r.text());
    // Over 10 MB: 413.
    let mut big = jpeg.clone();
    big.resize(10 * 1024 * 1024 + 1, 0);
    let r = upload(&mut c, &report, "image/jpeg", &big);
    assert_eq!(r.status, 413, "{}", r.text());
    assert_eq!(
        r.json()["code"],
        "PayloadTooLarge",
        "a JSON error: {}",
        r.text()
    );
    // Three at most.
    for n in 2..=3 {
        let r = upload(&mut c, &report, "image/jpeg", &jpeg);
        assert_eq!(r.status, 201, "photo {n}: {}", r.text());
    }
    let r = upload(&mut c, &report, "image/jpeg", &jpeg);
    assert_eq!(r.status, 422, "a fourth photo: {}", r.text());
    assert_eq!(
        c.get(&format!("/api/observations/{}", report["id"])).json()["photos"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // Only its reporter adds photos.
    let r = upload(&mut device(&s), &report, "image/jpeg", &jpeg);
    assert!(r.status == 403 || r.status == 404, "{}", r.text());
    assert_no_warnings(&s);
}

#[test]
fn a_photo_of_a_home_is_private_and_one_of_public_space_is_public() {
    let sb = Sandbox::new();
    sb.add_user("wo@reports.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user(
        "wo-out@reports.test",
        "wijkondernemer",
        OTHER_WIJK,
        Some(PASSWORD),
    );
    let s = sb.serve(&[]);
    let jpeg = jpeg_with_gps(sb.dir());
    let home = &homes(&sb, BUURT)[7];
    let mut reporter = device(&s);
    let home_report = report_ok(&mut reporter, &solar(&home.building));
    let r = upload(&mut reporter, &home_report, "image/jpeg", &jpeg);
    assert_eq!(r.status, 201, "{}", r.text());
    let home_photo = format!("/api/photos/{}.jpg", r.json()["id"]);
    let tree = report_ok(&mut reporter, &greenery(home.lon, home.lat));
    let r = upload(&mut reporter, &tree, "image/jpeg", &jpeg);
    assert_eq!(r.status, 201, "{}", r.text());
    let tree_photo = format!("/api/photos/{}.jpg", r.json()["id"]);

    let mut anon = Client::new(s.addr);
    let mut stranger = device(&s);
    let mut wo_out = sign_in_password(&s, "wo-out@reports.test");
    for (who, c) in [
        ("anonymous", &mut anon),
        ("another device", &mut stranger),
        ("staff out of scope", &mut wo_out),
    ] {
        let r = c.get(&home_photo);
        assert_eq!(r.status, 404, "{who}: {}", r.text());
        let r = c.get(&tree_photo);
        assert_eq!(r.status, 200, "{who}: {}", r.text());
        assert!(
            r.header("cache-control")
                .is_some_and(|v| v.starts_with("public")),
            "{:?}",
            r.headers
        );
    }
    let mut wo = sign_in_password(&s, "wo@reports.test");
    for (who, c) in [("the reporter", &mut reporter), ("staff in scope", &mut wo)] {
        let r = c.get(&home_photo);
        assert_eq!(r.status, 200, "{who}: {}", r.text());
        assert_eq!(
            r.header("cache-control"),
            Some("private, no-store"),
            "{who}"
        );
    }
    assert_eq!(anon.get("/api/photos/999999.jpg").status, 404);
    assert_eq!(anon.get("/api/photos/nope.jpg").status, 404);
    assert_no_warnings(&s);
}

/// The bomb of the security review: 7071 × 7071 pixels of 16-bit RGBA (50 megapixels, under the
/// pixel limit) in 389 KB that decode to 400 MB; three at once took the server to 1.85 GB.
#[test]
fn photo_bombs_are_refused_from_their_header_and_memory_stays_bounded() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let bomb = tests::images::png_bomb(7071, 7071);
    assert!(bomb.len() < 400_000, "{} bytes", bomb.len());
    let home = &homes(&sb, BUURT)[8];
    let uploads: Vec<(Client, Value)> = (0..3)
        .map(|_| {
            let mut c = device(&s);
            let report = report_ok(&mut c, &greenery(home.lon, home.lat));
            (c, report)
        })
        .collect();
    let before = s.peak_rss_kib();
    let answers: Vec<Response> = std::thread::scope(|scope| {
        let running: Vec<_> = uploads
            .iter()
            .map(|(c, report)| {
                let mut c = c.clone();
                let bomb = &bomb;
                scope.spawn(move || upload(&mut c, report, "image/png", bomb))
            })
            .collect();
        running.into_iter().map(|t| t.join().unwrap()).collect()
    });
    for r in &answers {
        assert_eq!(r.status, 422, "{}", r.text());
        let description = r.json()["description"].as_str().unwrap().to_owned();
        assert!(
            description.contains("7071×7071") && description.contains("MiB"),
            "names the dimensions and the limit: {description}"
        );
    }
    let grown = s.peak_rss_kib().saturating_sub(before);
    assert!(
        grown < 64 * 1024,
        "three bombs grew the server's peak memory by {grown} KiB"
    );
    for (c, report) in &uploads {
        let mut c = c.clone();
        let stored = c.get(&format!("/api/observations/{}", report["id"])).json();
        assert_eq!(stored["photos"], serde_json::json!([]), "nothing stored");
    }
    assert_no_warnings(&s);
}

/// A report with its three photos refuses a fourth before decoding it: the answer is about the
/// count, whatever the upload holds.
#[test]
fn the_photo_count_is_checked_before_decoding() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let home = &homes(&sb, BUURT)[9];
    let mut c = device(&s);
    let report = report_ok(&mut c, &greenery(home.lon, home.lat));
    for n in 1..=3 {
        let r = upload(&mut c, &report, "image/png", &tests::images::tiny_png());
        assert_eq!(r.status, 201, "photo {n}: {}", r.text());
    }
    let before = s.peak_rss_kib();
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00;";
    let bomb = tests::images::png_bomb(7071, 7071);
    for (what, ctype, bytes) in [
        ("a GIF", "image/gif", gif.as_slice()),
        ("a bomb", "image/png", bomb.as_slice()),
    ] {
        let r = upload(&mut c, &report, ctype, bytes);
        assert_eq!(
            super::error_fields(&r),
            ["/photos"],
            "{what} as a fourth photo: {}",
            r.text()
        );
    }
    let grown = s.peak_rss_kib().saturating_sub(before);
    assert!(grown < 32 * 1024, "grew by {grown} KiB");
    assert_no_warnings(&s);
}

/// Uploads per reporter and per client IP are token buckets: 429 with `Retry-After`, and another
/// reporter from another address is not slowed by them.
#[test]
fn photo_uploads_are_rate_limited_per_reporter_and_per_client_ip() {
    let sb = Sandbox::new();
    let s = sb.serve(&["--sign-in-burst", "100"]);
    let home = &homes(&sb, BUURT)[10];
    let png = tests::images::tiny_png();
    let new_reporter = |from: [u8; 4]| {
        let mut c = Client::from_ip(s.addr, from);
        let r = c.send("POST", "/api/auth/device", &[], None);
        assert_eq!(r.status, 200, "{}", r.text());
        let report = report_ok(&mut c, &greenery(home.lon, home.lat));
        (c, report)
    };
    // Until the reporter's bucket is empty (the uploads after the third are refused for their
    // count, and still count).
    let (mut c, report) = new_reporter([127, 0, 0, 2]);
    let mut accepted = 0;
    let limited = (1..=40)
        .map(|_| upload(&mut c, &report, "image/png", &png))
        .inspect(|r| accepted += u32::from(r.status == 201))
        .find(|r| r.status == 429)
        .expect("the reporter is limited");
    assert_eq!(accepted, 3);
    assert_eq!(limited.json()["code"], "TooManyRequests");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    // The same reporter from another address: still limited (per reporter).
    let mut moved = Client {
        from: Some([127, 0, 0, 3].into()),
        ..c.clone()
    };
    assert_eq!(upload(&mut moved, &report, "image/png", &png).status, 429);
    // Another reporter from the first address: not limited yet.
    let (mut other, other_report) = new_reporter([127, 0, 0, 2]);
    assert_eq!(
        upload(&mut other, &other_report, "image/png", &png).status,
        201
    );
    // Many reporters from one address: the address runs out.
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let (mut c, report) = new_reporter([127, 0, 0, 4]);
        for _ in 0..3 {
            statuses.push(upload(&mut c, &report, "image/png", &png).status);
        }
    }
    assert!(statuses.starts_with(&[201; 3]), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    // …and not another address.
    let (mut elsewhere, report) = new_reporter([127, 0, 0, 5]);
    assert_eq!(
        upload(&mut elsewhere, &report, "image/png", &png).status,
        201
    );
    assert_no_warnings(&s);
}

/// Photos are decoded by a fixed number of workers (`--photo-workers`, default the number of
/// cores); an upload that finds them all busy is answered 503 `Busy` with `Retry-After` at once
/// instead of queueing decoded images in memory.
#[test]
fn uploads_beyond_the_decode_workers_are_503_busy() {
    let sb = Sandbox::new();
    let s = sb.serve(&["--photo-workers", "1"]);
    let home = &homes(&sb, BUURT)[11];
    // 6000 × 4000 grey: 94 KB that take a while to decode and scale.
    let jpeg = tests::images::grey_jpeg(6000, 4000);
    let uploads: Vec<(Client, Value)> = (0..4)
        .map(|_| {
            let mut c = device(&s);
            let report = report_ok(&mut c, &greenery(home.lon, home.lat));
            (c, report)
        })
        .collect();
    let answers: Vec<Response> = std::thread::scope(|scope| {
        let running: Vec<_> = uploads
            .iter()
            .map(|(c, report)| {
                let mut c = c.clone();
                let jpeg = &jpeg;
                scope.spawn(move || upload(&mut c, report, "image/jpeg", jpeg))
            })
            .collect();
        running.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    assert!(statuses.contains(&201), "{statuses:?}");
    let busy: Vec<&Response> = answers.iter().filter(|r| r.status == 503).collect();
    assert!(!busy.is_empty(), "{statuses:?}");
    for r in busy {
        assert_eq!(r.json()["code"], "Busy", "{}", r.text());
        assert_eq!(r.header("retry-after"), Some("1"));
    }
    assert!(
        statuses.iter().all(|s| [201, 503].contains(s)),
        "{statuses:?}"
    );
    // Once the worker is free, the same upload goes through.
    let (c, report) = &uploads[statuses.iter().position(|s| *s == 503).unwrap()];
    let r = upload(&mut c.clone(), report, "image/jpeg", &jpeg);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        (r.json()["width"].as_u64(), r.json()["height"].as_u64()),
        (Some(1600), Some(1067))
    );
    // The server logs each 5xx; here only the 503s the test provoked.
    let unexpected: Vec<String> = s
        .warnings()
        .into_iter()
        .filter(|l| !l.contains("no SMTP configured"))
        .filter(|l| !(l.contains("/photos") && l.contains("status=503")))
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}
