//! What a photo's header says, read before any pixel is decoded: format (by magic bytes), size,
//! colour type, and what decoding it would take; and whether the file is complete.

use image::{ColorType, ImageDecoder as _, ImageFormat};

use super::{MAX_DECODE_BYTES, MAX_PIXELS, MAX_UPLOAD_BYTES, PhotoError, reader, undecodable};

/// What a photo's header says, read before any pixel is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// JPEG or PNG, by the magic bytes.
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The colour type and bit depth the decoder produces.
    pub color: ColorType,
    /// What decoding takes, in bytes ([`decode_bytes`]).
    pub decode_bytes: u64,
}

/// Reads the header of an upload and decides, before decoding, whether it may be decoded.
///
/// # Errors
///
/// [`PhotoError::TooLarge`], [`PhotoError::UnsupportedType`], [`PhotoError::TooManyPixels`],
/// [`PhotoError::TooMuchMemory`], or [`PhotoError::Undecodable`] when the header does not read
/// or announces an empty image.
pub fn inspect(bytes: &[u8]) -> Result<Header, PhotoError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoError::TooLarge {
            bytes: bytes.len(),
            max: MAX_UPLOAD_BYTES,
        });
    }
    let format = sniff(bytes)?;
    let decoder = reader(bytes, format)
        .into_decoder()
        .map_err(|error| undecodable(&error))?;
    let (width, height) = decoder.dimensions();
    let color = decoder.color_type();
    drop(decoder);
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels { width, height });
    }
    if width == 0 || height == 0 {
        return Err(PhotoError::Undecodable("the image is empty".to_owned()));
    }
    let coefficients = match format {
        ImageFormat::Jpeg => jpeg_coefficient_bytes(bytes, width, height),
        _ => 0,
    };
    let decode_bytes = decode_bytes(width, height, color, coefficients);
    if decode_bytes > MAX_DECODE_BYTES {
        return Err(PhotoError::TooMuchMemory {
            width,
            height,
            color: color_name(color),
            bytes: decode_bytes,
        });
    }
    Ok(Header {
        format,
        width,
        height,
        color,
        decode_bytes,
    })
}

/// The memory decoding an image takes at its peak, in bytes: its pixels at the decoder's colour
/// type and bit depth (a 16-bit RGBA pixel is 8 bytes) plus `extra` the decoder holds while
/// decoding (a progressive JPEG's coefficients); or, if more, the decoded image with the 8-bit
/// copies [`process`] makes of it before scaling (none for 8-bit RGB; 8-bit RGB, 3 bytes a pixel,
/// for the others; with alpha other than 8-bit RGBA, an 8-bit RGBA copy first).
#[must_use]
pub fn decode_bytes(width: u32, height: u32, color: ColorType, extra: u64) -> u64 {
    let pixels = u64::from(width) * u64::from(height);
    let decoded = pixels * u64::from(color.bytes_per_pixel());
    let converted = match color {
        ColorType::Rgb8 => decoded,
        ColorType::Rgba8 => decoded + 3 * pixels,
        c if c.has_alpha() => (decoded + 4 * pixels).max(7 * pixels),
        _ => decoded + 3 * pixels,
    };
    (decoded + extra).max(converted)
}

/// "16-bit RGBA" and the like, for messages.
fn color_name(color: ColorType) -> &'static str {
    match color {
        ColorType::L8 => "8-bit grey",
        ColorType::La8 => "8-bit grey with alpha",
        ColorType::Rgb8 => "8-bit RGB",
        ColorType::Rgba8 => "8-bit RGBA",
        ColorType::L16 => "16-bit grey",
        ColorType::La16 => "16-bit grey with alpha",
        ColorType::Rgb16 => "16-bit RGB",
        ColorType::Rgba16 => "16-bit RGBA",
        ColorType::Rgb32F => "32-bit float RGB",
        ColorType::Rgba32F => "32-bit float RGBA",
        _ => "an unusual colour type",
    }
}

/// JPEG or PNG by magic bytes; anything else gets a message naming what it looks like.
fn sniff(bytes: &[u8]) -> Result<ImageFormat, PhotoError> {
    const ACCEPTED: &str = "only JPEG and PNG photos are accepted";
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageFormat::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageFormat::Png);
    }
    // ISO base media files (HEIF, AVIF, MP4, QuickTime) have a `ftyp` box first: size, "ftyp",
    // major brand.
    let brand = bytes.get(4..12).and_then(|b| b.strip_prefix(b"ftyp"));
    let found = match brand {
        Some(
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"hevm" | b"hevs" | b"mif1"
            | b"msf1",
        ) => {
            return Err(PhotoError::UnsupportedType(format!(
                "{ACCEPTED}, and this is a HEIC photo. Phones convert photos to JPEG when you \
                 share them (use the share button rather than sending the original file); on an \
                 iPhone you can also set Settings > Camera > Formats to \"Most Compatible\""
            )));
        }
        Some(b"avif" | b"avis") => "an AVIF image",
        Some(_) => "a video",
        None if bytes.is_empty() => "an empty file",
        None if bytes.starts_with(b"GIF8") => "a GIF image",
        None if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") => "a WebP image",
        None if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") => "a TIFF image",
        None if bytes.starts_with(b"%PDF") => "a PDF document",
        None => "not an image we recognise",
    };
    Err(PhotoError::UnsupportedType(format!(
        "{ACCEPTED}, and this is {found}; please send the photo as JPEG"
    )))
}

/// Whether the file reaches its end marker: EOI for JPEG, a whole IEND chunk for PNG.
/// Bytes after the end (phones append motion-photo videos after EOI) are ignored.
pub(super) fn is_complete(format: ImageFormat, bytes: &[u8]) -> bool {
    match format {
        ImageFormat::Jpeg => jpeg_reaches_eoi(bytes),
        ImageFormat::Png => png_reaches_iend(bytes),
        _ => false,
    }
}

/// Walks the marker segments after SOI, skipping entropy-coded data after each SOS, until EOI.
fn jpeg_reaches_eoi(bytes: &[u8]) -> bool {
    let mut at = 2;
    loop {
        if bytes.get(at) != Some(&0xFF) {
            return false;
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1; // fill bytes before the marker code
        }
        let Some(&code) = bytes.get(at) else {
            return false;
        };
        at += 1;
        match code {
            0xD9 => return true,     // EOI
            0x01 | 0xD0..=0xD7 => {} // TEM, RSTn: no length
            _ => {
                let Some(length) = bytes.get(at..at + 2) else {
                    return false;
                };
                let length = usize::from(u16::from_be_bytes([length[0], length[1]]));
                if length < 2 {
                    return false;
                }
                at += length;
                if code == 0xDA {
                    // SOS: scan data runs to the next marker that is not a stuffed 0xFF00 or RSTn.
                    let Some(next) = next_marker_after_scan(bytes, at) else {
                        return false;
                    };
                    at = next;
                }
            }
        }
    }
}

fn next_marker_after_scan(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        at += bytes.get(at..)?.iter().position(|&b| b == 0xFF)?;
        match bytes.get(at + 1).copied()? {
            0x00 | 0xD0..=0xD7 => at += 2,
            0xFF => at += 1,
            _ => return Some(at),
        }
    }
}

/// Memory a JPEG decoder holds besides the pixels: the DCT coefficients of the whole image (2
/// bytes each, per component at its sampling) when the image is progressive or its first scan
/// lacks components, as such images are decoded in several passes. 0 for a baseline image decoded
/// in one pass; when the frame header cannot be read, 6 bytes a pixel (three full components).
pub(super) fn jpeg_coefficient_bytes(bytes: &[u8], width: u32, height: u32) -> u64 {
    let conservative = u64::from(width) * u64::from(height) * 6;
    let Some(frame) = jpeg_frame(bytes) else {
        return conservative;
    };
    if !frame.progressive && frame.first_scan_components >= frame.sampling.len() {
        return 0;
    }
    let h_max = frame.sampling.iter().map(|s| s.0).max().unwrap_or(1);
    let v_max = frame.sampling.iter().map(|s| s.1).max().unwrap_or(1);
    if h_max == 0 || v_max == 0 {
        return conservative;
    }
    let mcus_x = u64::from(width).div_ceil(8 * u64::from(h_max));
    let mcus_y = u64::from(height).div_ceil(8 * u64::from(v_max));
    frame
        .sampling
        .iter()
        .map(|&(h, v)| mcus_x * mcus_y * u64::from(h) * u64::from(v) * 64 * 2)
        .sum()
}

/// What the frame header and the first scan header of a JPEG say.
pub(super) struct JpegFrame {
    /// SOF2, SOF6, SOF10 or SOF14.
    pub(super) progressive: bool,
    /// Horizontal and vertical sampling factor of each component.
    pub(super) sampling: Vec<(u8, u8)>,
    /// Components of the first scan.
    pub(super) first_scan_components: usize,
}

/// Walks the marker segments after SOI up to the first SOS; `None` when they do not read.
pub(super) fn jpeg_frame(bytes: &[u8]) -> Option<JpegFrame> {
    let mut at = 2;
    let mut frame: Option<(bool, Vec<(u8, u8)>)> = None;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let code = *bytes.get(at)?;
        at += 1;
        if matches!(code, 0x01 | 0xD0..=0xD7) {
            continue;
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        let segment = bytes.get(at + 2..at + length)?;
        match code {
            // SOFn (not DHT, JPG, DAC): precision, height, width, components, then per
            // component id, sampling (H << 4 | V), table.
            0xC0..=0xCF if !matches!(code, 0xC4 | 0xC8 | 0xCC) => {
                let n = usize::from(*segment.get(5)?);
                let sampling = (0..n)
                    .map(|i| segment.get(6 + 3 * i + 1).map(|s| (s >> 4, s & 0x0F)))
                    .collect::<Option<Vec<_>>>()?;
                frame = Some((matches!(code, 0xC2 | 0xC6 | 0xCA | 0xCE), sampling));
            }
            0xDA => {
                let (progressive, sampling) = frame?;
                return Some(JpegFrame {
                    progressive,
                    sampling,
                    first_scan_components: usize::from(*segment.first()?),
                });
            }
            0xD9 => return None,
            _ => {}
        }
        at += length;
    }
}

/// Walks the chunks after the signature by their lengths until a whole IEND chunk.
fn png_reaches_iend(bytes: &[u8]) -> bool {
    let mut at: usize = 8;
    while let Some(header) = bytes.get(at..at + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        // length, type, data, CRC
        let end = at
            .saturating_add(12)
            .saturating_add(usize::try_from(length).unwrap_or(usize::MAX));
        if &header[4..] == b"IEND" {
            return end <= bytes.len();
        }
        at = end;
    }
    false
}
