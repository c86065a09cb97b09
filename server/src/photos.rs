//! Photo uploads: the bytes a resident attaches to a report → a clean JPEG we can store and serve.
//!
//! [`process`] is sync and CPU-bound; [`DecodePool`] runs it on blocking threads, a fixed number
//! at a time. No HTTP and no storage here: [`upload`] is the route's side (rate limits, the
//! photo count, statuses), and the route maps [`PhotoError::status`] to the response.
//!
//! Privacy is the point of this module: phone photos carry EXIF with the GPS position of the
//! camera, often the resident's own home. Decoding to pixels and encoding afresh drops every
//! metadata segment (EXIF, XMP, ICC, comments); the output holds only the JFIF header.
//!
//! Memory is bounded before anything is decoded: a PNG of a few hundred KB can decode to hundreds
//! of MB. [`inspect`] reads the header and computes what decoding takes from the dimensions, the
//! colour type and bit depth ([`decode_bytes`]); beyond [`MAX_DECODE_BYTES`] the photo is refused.
//! The rest of the work (downscaling, encoding) takes a fixed amount on top, so each worker of the
//! pool needs at most about [`MAX_DECODE_BYTES`] + 120 MB, and the pool has as many workers as
//! the machine has cores (`--photo-workers`).
//!
//! Steps of [`process`]:
//! 1. refuse uploads over [`MAX_UPLOAD_BYTES`];
//! 2. sniff the magic bytes (the declared `Content-Type` is not trusted): JPEG and PNG only;
//! 3. read the header: refuse more than [`MAX_PIXELS`], and more than [`MAX_DECODE_BYTES`] to
//!    decode (decompression bombs), before decoding anything;
//! 4. check that the file is complete: the JPEG decoder fills a cut-off image with grey, which
//!    would store a broken photo without telling the resident;
//! 5. decode under an allocation limit, flatten alpha onto white (8-bit RGB), reduce by averaging
//!    to twice the final size when larger, resize to fit [`MAX_SIDE`] (Lanczos3);
//! 6. read the EXIF orientation (kamadak-exif) and apply it, as the pixels lose the tag;
//! 7. encode a baseline JPEG at quality 82.

pub mod upload;

use std::io::Cursor;
use std::sync::Arc;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{
    ColorType, DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, Rgb,
    RgbImage, Rgba,
};

/// Largest upload accepted, in bytes; the route answers 413 beyond it.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// Longest side of a processed photo, in pixels; larger photos are scaled down, smaller ones kept.
pub const MAX_SIDE: u32 = 1600;

/// Most pixels (width × height) we decode: 50 megapixels covers today's phone cameras.
pub const MAX_PIXELS: u64 = 50_000_000;

/// Most memory decoding a photo may take, in bytes ([`decode_bytes`]): a JPEG photo of up to
/// 44 megapixels (8-bit RGB, 3 bytes a pixel); a 16-bit RGBA PNG of 50 megapixels (400 MB) is
/// refused.
pub const MAX_DECODE_BYTES: u64 = 128 * 1024 * 1024;

/// Megapixels of an 8-bit RGB photo (a JPEG) within [`MAX_DECODE_BYTES`], for messages.
const MAX_RGB_MEGAPIXELS: u64 = MAX_DECODE_BYTES / 3 / 1_000_000;

/// JPEG quality of the output: small files, no visible blocking in photos of buildings and trees.
const JPEG_QUALITY: u8 = 82;

/// A processed photo: a baseline JPEG without any metadata, at most [`MAX_SIDE`] on its longest
/// side, upright.
#[derive(Clone)]
pub struct Photo {
    /// The encoded JPEG (JFIF); no EXIF, XMP, ICC profile or comment.
    pub jpeg: Vec<u8>,
    /// Width in pixels, after orientation and resizing.
    pub width: u32,
    /// Height in pixels, after orientation and resizing.
    pub height: u32,
}

impl std::fmt::Debug for Photo {
    /// Shows the size of the JPEG rather than its bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Photo")
            .field("jpeg_bytes", &self.jpeg.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

/// Why an upload was refused. The messages are meant for the resident and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// 413: the upload is larger than [`MAX_UPLOAD_BYTES`].
    #[error("the photo is {bytes} bytes; the limit is {max} bytes")]
    TooLarge {
        /// Size of the upload.
        bytes: usize,
        /// The limit, [`MAX_UPLOAD_BYTES`].
        max: usize,
    },
    /// 415: the bytes are not a JPEG or PNG; the message names what they look like instead.
    #[error("{0}")]
    UnsupportedType(String),
    /// 422: the bytes start like a JPEG or PNG but do not decode (truncated or corrupt).
    #[error("the photo could not be read ({0}); it may be damaged or only partly uploaded")]
    Undecodable(String),
    /// 422: the header announces more than [`MAX_PIXELS`] pixels.
    #[error(
        "the photo is {width}×{height} pixels; the limit is {} megapixels",
        MAX_PIXELS / 1_000_000
    )]
    TooManyPixels {
        /// Width from the header.
        width: u32,
        /// Height from the header.
        height: u32,
    },
    /// 422: decoding would take more than [`MAX_DECODE_BYTES`] ([`decode_bytes`]).
    #[error(
        "the photo is {width}×{height} pixels of {color}, which takes {} MiB to decode; the limit \
         is {} MiB. Please send a smaller photo (a JPEG photo of up to {MAX_RGB_MEGAPIXELS} \
         megapixels fits)",
        bytes.div_ceil(1024 * 1024),
        MAX_DECODE_BYTES / (1024 * 1024)
    )]
    TooMuchMemory {
        /// Width from the header.
        width: u32,
        /// Height from the header.
        height: u32,
        /// Colour type and bit depth, e.g. `16-bit RGBA`.
        color: &'static str,
        /// What decoding would take.
        bytes: u64,
    },
    /// 503: every decoder is busy; the upload may be sent again in a moment.
    #[error("photos of other reports are being processed; try again in a moment")]
    Busy,
}

impl PhotoError {
    /// The HTTP status for this error: 413, 415, 422 or 503.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            Self::TooLarge { .. } => 413,
            Self::UnsupportedType(_) => 415,
            Self::Undecodable(_) | Self::TooManyPixels { .. } | Self::TooMuchMemory { .. } => 422,
            Self::Busy => 503,
        }
    }
}

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

/// The decoders run a fixed number at a time: an upload that finds every worker busy is refused
/// at once ([`PhotoError::Busy`], 503 with `Retry-After`) rather than queued, so concurrent
/// uploads never hold more than `workers` decoded images in memory.
#[derive(Debug)]
pub struct DecodePool {
    permits: Arc<tokio::sync::Semaphore>,
    workers: usize,
}

impl DecodePool {
    /// A pool of `workers` decoders (at least one).
    pub fn new(workers: usize) -> Self {
        let workers = workers.max(1);
        Self {
            permits: Arc::new(tokio::sync::Semaphore::new(workers)),
            workers,
        }
    }

    /// Workers: as many photos as are decoded at once.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// [`process`] on a blocking thread, once a worker is free. The header is checked first,
    /// without a worker: a refused photo never takes one.
    ///
    /// # Errors
    ///
    /// Those of [`process`], and [`PhotoError::Busy`] when every worker is busy; the outer error
    /// when a blocking task failed (a panic: a bug).
    pub async fn process(
        &self,
        bytes: bytes::Bytes,
    ) -> Result<Result<Photo, PhotoError>, tokio::task::JoinError> {
        let header = {
            let bytes = bytes.clone();
            tokio::task::spawn_blocking(move || inspect(&bytes)).await?
        };
        if let Err(e) = header {
            return Ok(Err(e));
        }
        let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() else {
            return Ok(Err(PhotoError::Busy));
        };
        tokio::task::spawn_blocking(move || {
            let result = process(&bytes);
            drop(permit);
            result
        })
        .await
    }
}

/// Turns uploaded bytes into a clean photo.
///
/// Decodes, applies the EXIF orientation (1–8), resizes to fit [`MAX_SIDE`] (Lanczos3, aspect
/// kept, never upscaled), flattens alpha onto white and re-encodes as a baseline JPEG at quality
/// 82. The output carries no EXIF, XMP, ICC profile or comment at all.
///
/// # Errors
///
/// [`PhotoError::TooLarge`] over [`MAX_UPLOAD_BYTES`]; [`PhotoError::UnsupportedType`] for
/// anything but JPEG and PNG (HEIC with a hint); [`PhotoError::TooManyPixels`] over
/// [`MAX_PIXELS`], decided from the header alone; [`PhotoError::Undecodable`] for truncated or
/// corrupt files.
///
/// # Panics
///
/// Not on any input. The one `expect` guards the JPEG encoder, which fails only on a side of 0 or
/// above 65535 (ruled out before encoding) and on write errors, which a `Vec` does not have.
pub fn process(bytes: &[u8]) -> Result<Photo, PhotoError> {
    let Header { format, .. } = inspect(bytes)?;
    if !is_complete(format, bytes) {
        return Err(PhotoError::Undecodable("the file ends early".to_owned()));
    }

    // Within the header's checks a limit error means a decoder needed memory beyond the cap for
    // other data (text or ICC chunks, say): refused as undecodable, with the decoder's reason.
    let decoded = reader(bytes, format)
        .decode()
        .map_err(|error| undecodable(&error))?;
    let (width, height) = (decoded.width(), decoded.height());
    // 8-bit RGB is kept as it is; anything else becomes an 8-bit RGB copy (counted in
    // decode_bytes), and the decoded image is dropped here.
    let flat = flatten_onto_white(decoded);
    let (fit_width, fit_height) = fit_within_max_side(width, height);
    // Through DynamicImage rather than the generic imageops functions: the resamplers are then
    // compiled inside `image` (optimised in dev builds too), not instantiated here.
    let mut upright = DynamicImage::ImageRgb8(flat);
    if width > 2 * fit_width || height > 2 * fit_height {
        // Averaging down to twice the final size first keeps Lanczos' working buffer (16 bytes a
        // pixel of width × new height) small: at most 3200 × 1600.
        upright = upright.thumbnail_exact((2 * fit_width).min(width), (2 * fit_height).min(height));
    }
    if (fit_width, fit_height) != (upright.width(), upright.height()) {
        upright = upright.resize_exact(fit_width, fit_height, FilterType::Lanczos3);
    }
    if let Some(orientation) = exif_orientation(bytes) {
        upright.apply_orientation(orientation);
    }
    let upright = upright.into_rgb8();

    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&upright)
        .expect("JPEG encoding of at most MAX_SIDE × MAX_SIDE RGB into a Vec is infallible");
    Ok(Photo {
        jpeg,
        width: upright.width(),
        height: upright.height(),
    })
}

/// A reader for `format` (never guessed again) with our allocation cap.
fn reader(bytes: &[u8], format: ImageFormat) -> ImageReader<Cursor<&[u8]>> {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    reader
}

fn undecodable(error: &ImageError) -> PhotoError {
    PhotoError::Undecodable(error.to_string())
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
fn is_complete(format: ImageFormat, bytes: &[u8]) -> bool {
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
fn jpeg_coefficient_bytes(bytes: &[u8], width: u32, height: u32) -> u64 {
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
struct JpegFrame {
    /// SOF2, SOF6, SOF10 or SOF14.
    progressive: bool,
    /// Horizontal and vertical sampling factor of each component.
    sampling: Vec<(u8, u8)>,
    /// Components of the first scan.
    first_scan_components: usize,
}

/// Walks the marker segments after SOI up to the first SOS; `None` when they do not read.
fn jpeg_frame(bytes: &[u8]) -> Option<JpegFrame> {
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

/// Blends any alpha onto white (JPEG has none; black would show behind transparent PNG areas).
fn flatten_onto_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let Rgba([r, g, b, a]) = *rgba.get_pixel(x, y);
        let (a, white) = (u16::from(a), 255 - u16::from(a));
        // At most (255 · 255 + 127) / 255 = 255: the fallback is never taken.
        let blend =
            |c: u8| u8::try_from((u16::from(c) * a + 255 * white + 127) / 255).unwrap_or(u8::MAX);
        Rgb([blend(r), blend(g), blend(b)])
    })
}

/// The size that fits within [`MAX_SIDE`] with the aspect ratio kept; never larger than given.
fn fit_within_max_side(width: u32, height: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= MAX_SIDE {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled =
            (u64::from(side) * u64::from(MAX_SIDE) + u64::from(longest) / 2) / u64::from(longest);
        u32::try_from(scaled.clamp(1, u64::from(MAX_SIDE))).unwrap_or(MAX_SIDE)
    };
    (scale(width), scale(height))
}

/// The EXIF orientation (JPEG APP1 or PNG eXIf); `None` when absent, unreadable or out of 1–8,
/// in which case the pixels are taken as stored.
fn exif_orientation(bytes: &[u8]) -> Option<Orientation> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let value = field.value.get_uint(0)?;
    Orientation::from_exif(u8::try_from(value).ok()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::path::Path;
    use std::process::Command;

    use image::codecs::png::PngEncoder;
    use image::{ImageEncoder, RgbaImage};

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

    #[test]
    fn statuses_match_the_route_contract() {
        let cases = [
            (PhotoError::TooLarge { bytes: 1, max: 0 }, 413),
            (PhotoError::UnsupportedType(String::new()), 415),
            (PhotoError::Undecodable(String::new()), 422),
            (
                PhotoError::TooManyPixels {
                    width: 1,
                    height: 1,
                },
                422,
            ),
            (
                PhotoError::TooMuchMemory {
                    width: 1,
                    height: 1,
                    color: "8-bit RGB",
                    bytes: 1,
                },
                422,
            ),
            (PhotoError::Busy, 503),
        ];
        for (error, status) in cases {
            assert_eq!(error.status(), status, "{error:?}");
        }
    }
}
