//! Tests of photo processing: metadata stripped, orientation, scaling, formats, limits.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::process::Command;

use image::codecs::png::PngEncoder;
use image::{ImageEncoder, RgbaImage};

use std::sync::Arc;

use image::ColorType;

use super::header::{decode_bytes, jpeg_coefficient_bytes, jpeg_frame};
use super::*;

const RED: Rgb<u8> = Rgb([220, 20, 20]);
const GREEN: Rgb<u8> = Rgb([20, 200, 20]);
const BLUE: Rgb<u8> = Rgb([20, 20, 220]);

fn jpeg_of(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 95)
        .encode_image(image)
        .unwrap();
    out
}

fn png_of(image: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
    out
}

fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let ramp = |at: u32, of: u32| u8::try_from(at * 255 / of).unwrap();
        Rgb([ramp(x, width), ramp(y, height), 128])
    })
}

/// 40×20, blue, with a 10×10 red block in the top-left and a green one in the top-right.
fn marked_landscape() -> RgbImage {
    RgbImage::from_fn(40, 20, |x, y| match (x, y) {
        (0..10, 0..10) => RED,
        (30..40, 0..10) => GREEN,
        _ => BLUE,
    })
}

/// Inserts an APP1 Exif segment right after SOI holding only the Orientation tag.
fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec(); // big-endian, IFD0 at offset 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // value padding
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no IFD1
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&u16::try_from(2 + 6 + tiff.len()).unwrap().to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend_from_slice(&tiff);
    [&jpeg[..2], segment.as_slice(), &jpeg[2..]].concat()
}

/// Marker codes of the segments before the first SOS, plus whether the file ends with EOI.
fn header_markers(jpeg: &[u8]) -> (Vec<u8>, bool) {
    let mut markers = vec![jpeg[1]];
    let mut at = 2;
    loop {
        let code = jpeg[at + 1];
        markers.push(code);
        if code == 0xDA {
            return (markers, jpeg.ends_with(&[0xFF, 0xD9]));
        }
        at += 2 + usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
    }
}

fn decode(jpeg: &[u8]) -> RgbImage {
    image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg)
        .unwrap()
        .into_rgb8()
}

fn is_near(actual: Rgb<u8>, expected: Rgb<u8>) -> bool {
    actual
        .0
        .iter()
        .zip(expected.0)
        .all(|(&a, e)| a.abs_diff(e) < 40)
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

fn png_chunk(kind: [u8; 4], data: &[u8]) -> Vec<u8> {
    let body = [kind.as_slice(), data].concat();
    [
        u32::try_from(data.len()).unwrap().to_be_bytes().as_slice(),
        body.as_slice(),
        crc32(&body).to_be_bytes().as_slice(),
    ]
    .concat()
}

/// Runs exiftool, failing the test with an install hint when it is missing.
fn exiftool(args: &[&str], file: &Path) -> String {
    let output = match Command::new("exiftool").args(args).arg(file).output() {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => panic!(
            "exiftool is required by this test and was not found on PATH; install the \
             Debian package libimage-exiftool-perl (apt-get install -y libimage-exiftool-perl)"
        ),
        Err(error) => panic!("running exiftool: {error}"),
    };
    assert!(
        output.status.success(),
        "exiftool {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Tag names ("Group:Tag") that `exiftool -json -a -G1` reports for `file`.
fn exiftool_tags(file: &Path) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&exiftool(&["-json", "-a", "-G1"], file)).unwrap();
    json[0].as_object().unwrap().keys().cloned().collect()
}

#[test]
fn gps_exif_xmp_and_comments_are_stripped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("with-gps.jpg");
    std::fs::write(&input, jpeg_of(&gradient(64, 48))).unwrap();
    exiftool(
        &[
            "-q",
            "-overwrite_original",
            "-GPSLatitude=52.0907",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=5.1214",
            "-GPSLongitudeRef=E",
            "-XMP-exif:GPSLatitude=52.0907",
            "-XMP-exif:GPSLongitude=5.1214",
            "-XMP-dc:Creator=Buurtbewoner",
            "-Comment=Achter de Dom",
        ],
        &input,
    );
    let before = exiftool_tags(&input);
    for tag in ["GPS:GPSLatitude", "XMP-exif:GPSLatitude", "File:Comment"] {
        assert!(
            before.iter().any(|t| t == tag),
            "input lacks {tag}: {before:?}"
        );
    }

    let photo = process(&std::fs::read(&input).unwrap()).unwrap();
    let output = dir.path().join("processed.jpg");
    std::fs::write(&output, &photo.jpeg).unwrap();

    let after = exiftool_tags(&output);
    let allowed = [
        "SourceFile",
        "ExifTool:",
        "System:",
        "File:",
        "JFIF:",
        "Composite:",
    ];
    for tag in &after {
        assert!(
            allowed.iter().any(|group| tag.starts_with(group)),
            "metadata left in the output: {tag} (all: {after:?})"
        );
        assert!(!tag.contains("GPS"), "GPS left in the output: {tag}");
    }
    for tag in ["File:Comment", "File:ExifByteOrder"] {
        assert!(!after.iter().any(|t| t == tag), "{tag} left in the output");
    }
    assert!(matches!(
        exif::Reader::new().read_from_container(&mut Cursor::new(&photo.jpeg)),
        Err(exif::Error::NotFound(_))
    ));
}

#[test]
fn output_is_baseline_jfif_without_metadata_segments() {
    let with_exif = with_orientation(&jpeg_of(&gradient(64, 48)), 1);
    let (markers, ends_with_eoi) = header_markers(&process(&with_exif).unwrap().jpeg);
    // SOI, APP0 (JFIF), then only tables, frame and scan: no APP1–15 (EXIF, XMP, ICC), no COM.
    assert_eq!(markers[..2], [0xD8, 0xE0]);
    assert!(
        markers[2..]
            .iter()
            .all(|m| matches!(m, 0xDB | 0xC4 | 0xC0 | 0xDD | 0xDA)),
        "unexpected markers {markers:x?}"
    );
    assert!(markers.contains(&0xC0), "not baseline (SOF0): {markers:x?}");
    assert!(ends_with_eoi);
}

#[test]
fn orientation_6_turns_landscape_into_portrait() {
    let photo = process(&with_orientation(&jpeg_of(&marked_landscape()), 6)).unwrap();
    assert_eq!((photo.width, photo.height), (20, 40));
    let upright = decode(&photo.jpeg);
    assert_eq!(upright.dimensions(), (20, 40));
    // Rotated 90° clockwise: the stored top row becomes the right column.
    assert!(is_near(*upright.get_pixel(15, 4), RED), "top-right not red");
    assert!(
        is_near(*upright.get_pixel(15, 35), GREEN),
        "bottom-right not green"
    );
    assert!(is_near(*upright.get_pixel(4, 4), BLUE), "top-left not blue");
}

#[test]
fn every_exif_orientation_is_applied() {
    // (orientation, portrait?, corner of the red block, corner of the green block);
    // corners as (right?, bottom?).
    let cases = [
        (1, false, (false, false), (true, false)),
        (2, false, (true, false), (false, false)),
        (3, false, (true, true), (false, true)),
        (4, false, (false, true), (true, true)),
        (5, true, (false, false), (false, true)),
        (6, true, (true, false), (true, true)),
        (7, true, (true, true), (true, false)),
        (8, true, (false, true), (false, false)),
    ];
    let stored = jpeg_of(&marked_landscape());
    for (orientation, portrait, red, green) in cases {
        let upright = decode(
            &process(&with_orientation(&stored, orientation))
                .unwrap()
                .jpeg,
        );
        let (w, h) = upright.dimensions();
        assert_eq!((w, h), if portrait { (20, 40) } else { (40, 20) });
        let corner = |(right, bottom): (bool, bool)| {
            *upright.get_pixel(
                if right { w - 5 } else { 4 },
                if bottom { h - 5 } else { 4 },
            )
        };
        assert!(is_near(corner(red), RED), "orientation {orientation}: red");
        assert!(
            is_near(corner(green), GREEN),
            "orientation {orientation}: green"
        );
    }
}

#[test]
fn out_of_range_orientation_is_ignored() {
    let photo = process(&with_orientation(&jpeg_of(&marked_landscape()), 9)).unwrap();
    assert_eq!((photo.width, photo.height), (40, 20));
}

#[test]
fn large_photo_is_scaled_to_max_side() {
    let photo = process(&jpeg_of(&gradient(4000, 3000))).unwrap();
    assert_eq!((photo.width, photo.height), (1600, 1200));
    assert_eq!(decode(&photo.jpeg).dimensions(), (1600, 1200));
}

#[test]
fn portrait_photo_is_scaled_by_its_height() {
    let photo = process(&jpeg_of(&gradient(1000, 3001))).unwrap();
    assert_eq!((photo.width, photo.height), (533, 1600));
}

#[test]
fn small_photo_is_not_upscaled() {
    let photo = process(&jpeg_of(&gradient(100, 50))).unwrap();
    assert_eq!((photo.width, photo.height), (100, 50));
}

#[test]
fn png_with_alpha_is_flattened_onto_white_as_jpeg() {
    // Left half fully transparent (and black, which must not show), right half opaque red.
    let image = RgbaImage::from_fn(32, 16, |x, _| {
        if x < 16 {
            Rgba([0, 0, 0, 0])
        } else {
            Rgba([220, 20, 20, 255])
        }
    });
    let photo = process(&png_of(&image)).unwrap();
    assert!(photo.jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
    let flat = decode(&photo.jpeg);
    assert_eq!(flat.dimensions(), (32, 16));
    assert!(is_near(*flat.get_pixel(4, 8), Rgb([255, 255, 255])));
    assert!(is_near(*flat.get_pixel(27, 8), RED));
}

#[test]
fn heic_is_refused_with_a_hint_to_send_jpeg() {
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.resize(64, 0);
    let error = process(&heic).unwrap_err();
    assert_eq!(error.status(), 415);
    let PhotoError::UnsupportedType(message) = error else {
        panic!("not UnsupportedType: {error:?}");
    };
    assert!(
        message.contains("HEIC") && message.contains("JPEG"),
        "{message}"
    );
    assert!(message.contains("Most Compatible"), "{message}");
}

#[test]
fn gif_text_and_empty_uploads_are_unsupported() {
    let declared_jpeg_but_text = b"this is not a photo at all";
    let uploads: [&[u8]; 3] = [b"GIF89a\x01\0\x01\0\0\0\0;", declared_jpeg_but_text, b""];
    for bytes in uploads {
        let error = process(bytes).unwrap_err();
        assert!(matches!(error, PhotoError::UnsupportedType(_)), "{error:?}");
        assert_eq!(error.status(), 415);
    }
}

#[test]
fn oversize_upload_is_too_large() {
    let error = process(&vec![0xFF; MAX_UPLOAD_BYTES + 1]).unwrap_err();
    assert!(matches!(
        error,
        PhotoError::TooLarge { bytes, max: MAX_UPLOAD_BYTES } if bytes == MAX_UPLOAD_BYTES + 1
    ));
    assert_eq!(error.status(), 413);
}

#[test]
fn truncated_jpeg_is_undecodable() {
    let jpeg = jpeg_of(&gradient(64, 48));
    let error = process(&jpeg[..jpeg.len() * 2 / 3]).unwrap_err();
    assert!(matches!(error, PhotoError::Undecodable(_)), "{error:?}");
    assert_eq!(error.status(), 422);
}

#[test]
fn data_after_jpeg_end_is_ignored() {
    // Motion photos append a video after EOI.
    let mut jpeg = jpeg_of(&gradient(64, 48));
    jpeg.extend_from_slice(b"\0\0\0\x18ftypmp42 trailing video");
    assert!(process(&jpeg).is_ok());
}

#[test]
fn png_header_claiming_10_gigapixels_is_refused_before_decoding() {
    // Signature, IHDR for 100000×100000 RGBA8 (40 GB decoded), a few bytes of IDAT, IEND.
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let png = [
        b"\x89PNG\r\n\x1a\n".as_slice(),
        png_chunk(*b"IHDR", &ihdr).as_slice(),
        png_chunk(*b"IDAT", &[0x78, 0x9C, 0x03, 0x00]).as_slice(),
        png_chunk(*b"IEND", &[]).as_slice(),
    ]
    .concat();
    let error = process(&png).unwrap_err();
    assert!(
        matches!(
            error,
            PhotoError::TooManyPixels {
                width: 100_000,
                height: 100_000
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), 422);
}

#[test]
fn jpeg_header_claiming_3_gigapixels_is_refused_before_decoding() {
    let mut jpeg = jpeg_of(&gradient(16, 16));
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    // SOF0: marker, length (2), precision (1), height (2), width (2).
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0xEA, 0x60, 0xEA, 0x60]); // 60000 × 60000
    let error = process(&jpeg).unwrap_err();
    assert!(
        matches!(
            error,
            PhotoError::TooManyPixels {
                width: 60_000,
                height: 60_000
            }
        ),
        "{error:?}"
    );
}

#[test]
fn damaged_uploads_never_panic() {
    let jpeg = with_orientation(&jpeg_of(&gradient(24, 16)), 6);
    let png = png_of(&RgbaImage::from_fn(12, 8, |x, y| {
        Rgba([
            u8::try_from(x * 20).unwrap(),
            u8::try_from(y * 30).unwrap(),
            90,
            200,
        ])
    }));
    let run = |bytes: &[u8], what: &str| {
        catch_unwind(AssertUnwindSafe(|| process(bytes)))
            .unwrap_or_else(|_| panic!("process panicked on {what}"))
    };
    for (name, valid) in [("JPEG", &jpeg), ("PNG", &png)] {
        assert!(run(valid, name).is_ok(), "the undamaged {name} fails");
        for cut in 0..valid.len() {
            let result = run(&valid[..cut], &format!("{name} cut to {cut} bytes"));
            assert!(result.is_err(), "{name} cut to {cut} bytes decoded");
        }
        // A flip inside JPEG scan data still decodes to a (wrong-looking) picture, so flips
        // must not panic, and whatever they produce must be a JPEG.
        for at in 0..valid.len() {
            for mask in [0x01, 0x80, 0xFF] {
                let mut damaged = valid.clone();
                damaged[at] ^= mask;
                if let Ok(photo) = run(&damaged, &format!("{name} byte {at} ^ {mask:#x}")) {
                    assert!(photo.jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
                }
            }
        }
    }
}

#[test]
fn fit_keeps_aspect_and_never_upscales() {
    assert_eq!(fit_within_max_side(4000, 3000), (1600, 1200));
    assert_eq!(fit_within_max_side(3000, 4000), (1200, 1600));
    assert_eq!(fit_within_max_side(1600, 1600), (1600, 1600));
    assert_eq!(fit_within_max_side(100, 50), (100, 50));
    assert_eq!(fit_within_max_side(50_000, 1), (1600, 1));
}

/// A `width`×`height` PNG of 16-bit RGBA, all transparent black: compresses ~1000-fold.
fn rgba16_bomb(width: u32, height: u32) -> Vec<u8> {
    use std::io::Write as _;
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[16, 6, 0, 0, 0]);
    let row = vec![0u8; 1 + width as usize * 8];
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..height {
        z.write_all(&row).unwrap();
    }
    [
        b"\x89PNG\r\n\x1a\n".as_slice(),
        png_chunk(*b"IHDR", &ihdr).as_slice(),
        png_chunk(*b"IDAT", &z.finish().unwrap()).as_slice(),
        png_chunk(*b"IEND", &[]).as_slice(),
    ]
    .concat()
}

#[test]
fn a_bomb_under_the_pixel_limit_is_refused_by_its_decoded_size() {
    // 4096 × 4096 16-bit RGBA: 16.8 megapixels, 134 MB decoded and 67 MB more for the 8-bit
    // RGBA copy; the file is ~130 KB.
    let png = rgba16_bomb(4096, 4096);
    assert!(png.len() < 200_000, "{}", png.len());
    let error = process(&png).unwrap_err();
    let PhotoError::TooMuchMemory {
        width,
        height,
        color,
        bytes,
    } = error
    else {
        panic!("not TooMuchMemory: {error:?}");
    };
    assert_eq!((width, height, color), (4096, 4096, "16-bit RGBA"));
    assert_eq!(bytes, 4096 * 4096 * 12);
    assert_eq!(error.status(), 422);
    let message = error.to_string();
    assert!(
        message.contains("4096×4096 pixels of 16-bit RGBA")
            && message.contains("192 MiB")
            && message.contains("the limit is 128 MiB"),
        "{message}"
    );
}

#[test]
fn decoded_size_counts_bytes_per_pixel_and_copies() {
    let mp = |w: u32, h: u32, c| decode_bytes(w, h, c, 0);
    // A 12-megapixel phone JPEG: 36 MB; the largest JPEG that fits: 44 megapixels.
    assert_eq!(mp(4000, 3000, ColorType::Rgb8), 36_000_000);
    assert!(mp(7680, 5760, ColorType::Rgb8) <= MAX_DECODE_BYTES);
    assert!(mp(8160, 6120, ColorType::Rgb8) > MAX_DECODE_BYTES);
    // Grey is copied into RGB; 8-bit RGBA into RGB; other alpha into RGBA first.
    assert_eq!(mp(1000, 1000, ColorType::L8), 4_000_000);
    assert_eq!(mp(1000, 1000, ColorType::Rgba8), 7_000_000);
    assert_eq!(mp(1000, 1000, ColorType::Rgba16), 12_000_000);
    assert_eq!(mp(1000, 1000, ColorType::La8), 7_000_000);
    // The review's bomb: 7071 × 7071 16-bit RGBA.
    assert!(mp(7071, 7071, ColorType::Rgba16) > 4 * MAX_DECODE_BYTES);
    // A decoder's own buffers count while it decodes.
    assert_eq!(decode_bytes(100, 100, ColorType::Rgb8, 60_000), 90_000);
}

#[test]
fn progressive_jpegs_count_their_coefficients() {
    let baseline = jpeg_of(&gradient(64, 48));
    assert_eq!(jpeg_coefficient_bytes(&baseline, 64, 48), 0);
    // The same frame marked progressive (SOF2): every component's coefficients, 2 bytes each.
    let mut progressive = baseline.clone();
    let sof = progressive
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .unwrap();
    progressive[sof + 1] = 0xC2;
    let frame = jpeg_frame(&progressive).unwrap();
    assert!(frame.progressive);
    let samples: u64 = match frame.sampling.as_slice() {
        // 4:2:0: luma at full size, chroma at a quarter (in 16 × 16 MCUs: 4 × 3 of them).
        [(2, 2), (1, 1), (1, 1)] => 4 * 3 * (4 + 1 + 1) * 64,
        [(1, 1), (1, 1), (1, 1)] => 64 * 48 * 3,
        other => panic!("sampling {other:?}"),
    };
    assert_eq!(jpeg_coefficient_bytes(&progressive, 64, 48), samples * 2);
    // Unreadable headers are counted as three full components.
    assert_eq!(jpeg_coefficient_bytes(b"\xFF\xD8", 10, 10), 600);
}

#[tokio::test]
async fn uploads_beyond_the_workers_are_busy() {
    let pool = DecodePool::new(1);
    assert_eq!(pool.workers(), 1);
    let jpeg = bytes::Bytes::from(jpeg_of(&gradient(40, 30)));
    let held = Arc::clone(&pool.permits).try_acquire_owned().unwrap();
    let busy = pool.process(jpeg.clone()).await.unwrap().unwrap_err();
    assert!(matches!(busy, PhotoError::Busy), "{busy:?}");
    assert_eq!(busy.status(), 503);
    // A refused header needs no worker: it is answered as what it is, even now.
    let refused = pool
        .process(bytes::Bytes::from_static(b"GIF89a"))
        .await
        .unwrap();
    assert!(matches!(refused, Err(PhotoError::UnsupportedType(_))));
    drop(held);
    let photo = pool.process(jpeg).await.unwrap().unwrap();
    assert_eq!((photo.width, photo.height), (40, 30));
    assert_eq!(
        pool.permits.available_permits(),
        1,
        "the worker is free again"
    );
}

#[test]
fn large_photos_are_reduced_then_resampled_to_the_same_size() {
    // Above twice MAX_SIDE the image is averaged down first; the final size is the same.
    let photo = process(&jpeg_of(&gradient(6000, 4000))).unwrap();
    assert_eq!((photo.width, photo.height), (1600, 1067));
    let photo = process(&jpeg_of(&gradient(3300, 100))).unwrap();
    assert_eq!((photo.width, photo.height), (1600, 48));
}
