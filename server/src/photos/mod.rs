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

mod header;
mod pool;
#[cfg(test)]
mod tests;
pub mod upload;

use header::is_complete;
pub use header::{Header, inspect};
pub use pool::DecodePool;

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageError, ImageFormat, ImageReader, Limits, Rgb, RgbImage, Rgba};

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
pub(super) const MAX_RGB_MEGAPIXELS: u64 = MAX_DECODE_BYTES / 3 / 1_000_000;

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
pub(super) fn reader(bytes: &[u8], format: ImageFormat) -> ImageReader<Cursor<&[u8]>> {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    reader
}

pub(super) fn undecodable(error: &ImageError) -> PhotoError {
    PhotoError::Undecodable(error.to_string())
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
