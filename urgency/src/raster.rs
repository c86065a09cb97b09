//! A raster indicator's grid: one band of a GeoTIFF in RD New, read with the pure-Rust `tiff`
//! decoder (no GDAL needed), and its zonal mean per cell of every level.
//!
//! Only what a GeoTIFF says about itself is read: the pixel size (`ModelPixelScaleTag`), one tie
//! point (`ModelTiepointTag`), the coordinate system (`GeoKeyDirectoryTag`: `ProjectedCSTypeGeoKey`
//! must be 28992, RD New — the system of the Dutch national maps such as the RIVM urban heat
//! island map of the Atlas Natuurlijk Kapitaal) and the no-data value (`GDAL_NODATA`). A rotated
//! or sheared raster (`ModelTransformationTag`), another coordinate system or more than one band is
//! refused with a message naming what was found.

use std::fmt;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use domain::Model;
use domain::lonlat_to_world;
use domain::rd::rd_to_wgs84;
use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;

use crate::level::Level;

/// The coordinate system a raster must be in (RD New).
pub const RD_NEW: u16 = 28992;
/// Most pixels read from one raster (a 70 km square at 10 m).
pub const MAX_PIXELS: u64 = 50_000_000;

/// `ModelTransformationTag` (a rotated or sheared raster; not read).
const MODEL_TRANSFORMATION: u16 = 34264;
/// GeoKeys read.
const GT_MODEL_TYPE: u16 = 1024;
const GT_RASTER_TYPE: u16 = 1025;
const GEOGRAPHIC_TYPE: u16 = 2048;
const PROJECTED_CS_TYPE: u16 = 3072;
/// `GTRasterTypeGeoKey` value: the tie point is a pixel's centre.
const RASTER_PIXEL_IS_POINT: u16 = 2;
/// A GeoKey value meaning "defined by other keys, no EPSG code".
const USER_DEFINED: u16 = 32767;

/// One band of a GeoTIFF in RD New.
#[derive(Clone, PartialEq)]
pub struct Raster {
    /// RD New of the upper-left corner of the upper-left pixel.
    pub origin: (f64, f64),
    /// Pixel width and height in metres (both positive; rows run southwards).
    pub pixel: (f64, f64),
    /// Columns and rows.
    pub size: (u32, u32),
    /// Row by row from the top; NaN where the raster has no data.
    values: Vec<f32>,
}

impl fmt::Debug for Raster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Raster")
            .field("origin", &self.origin)
            .field("pixel", &self.pixel)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// Why a raster is not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RasterError(pub String);

impl Raster {
    /// A raster in RD New from its parts (`values` row by row from the top, NaN for no data).
    ///
    /// # Errors
    /// When the sizes do not agree or a pixel size is not a positive number.
    pub fn new(
        origin: (f64, f64),
        pixel: (f64, f64),
        size: (u32, u32),
        values: Vec<f32>,
    ) -> Result<Self, RasterError> {
        let n = u64::from(size.0) * u64::from(size.1);
        if n != values.len() as u64 {
            return Err(RasterError(format!(
                "{} × {} pixels need {n} values, not {}",
                size.0,
                size.1,
                values.len()
            )));
        }
        if n == 0 || n > MAX_PIXELS {
            return Err(RasterError(format!(
                "{} × {} pixels; from 1 to {MAX_PIXELS} are read",
                size.0, size.1
            )));
        }
        let ok = |v: f64| v.is_finite() && v > 0.0;
        if !ok(pixel.0) || !ok(pixel.1) || !origin.0.is_finite() || !origin.1.is_finite() {
            return Err(RasterError(format!(
                "the pixel size {} × {} or the origin ({}, {}) is not usable",
                pixel.0, pixel.1, origin.0, origin.1
            )));
        }
        Ok(Self {
            origin,
            pixel,
            size,
            values,
        })
    }

    /// Reads the first band of the GeoTIFF at `path`.
    ///
    /// # Errors
    /// When the file cannot be read, is not a GeoTIFF in RD New with one band, or is too large;
    /// the message names the file and what was found.
    pub fn read(path: &Path) -> Result<Self, RasterError> {
        let file = std::fs::File::open(path)
            .map_err(|e| RasterError(format!("{}: {e}", path.display())))?;
        Self::decode(BufReader::new(file))
            .map_err(|RasterError(m)| RasterError(format!("{}: {m}", path.display())))
    }

    /// Reads the first band of a GeoTIFF from `r`.
    ///
    /// # Errors
    /// As [`Raster::read`], without the file's name.
    pub fn decode<R: Read + Seek>(r: R) -> Result<Self, RasterError> {
        let tiff_err = |e: tiff::TiffError| RasterError(format!("not a readable TIFF: {e}"));
        let mut limits = Limits::default();
        limits.decoding_buffer_size = usize::try_from(MAX_PIXELS * 8).unwrap_or(usize::MAX);
        let mut d = Decoder::new(r).map_err(tiff_err)?.with_limits(limits);
        let (w, h) = d.dimensions().map_err(tiff_err)?;
        match d.colortype().map_err(tiff_err)? {
            tiff::ColorType::Gray(_) => {}
            tiff::ColorType::Multiband { num_samples, .. } => {
                return Err(RasterError(format!(
                    "it has {num_samples} bands; a raster indicator reads a single band"
                )));
            }
            other => {
                return Err(RasterError(format!(
                    "its pixels are {other:?}; a raster indicator reads a single band of numbers"
                )));
            }
        }
        if u64::from(w) * u64::from(h) > MAX_PIXELS {
            return Err(RasterError(format!(
                "{w} × {h} pixels; at most {MAX_PIXELS} are read (cut it to the gemeente first)"
            )));
        }
        if d.find_tag(Tag::Unknown(MODEL_TRANSFORMATION))
            .map_err(tiff_err)?
            .is_some()
        {
            return Err(RasterError(
                "it is placed by a transformation matrix (rotated or sheared); a raster indicator reads north-up rasters placed by a tie point and a pixel size".into(),
            ));
        }
        let crs = geo_keys(&mut d)?;
        crs.check()?;
        let scale = d
            .find_tag(Tag::ModelPixelScaleTag)
            .map_err(tiff_err)?
            .ok_or_else(|| RasterError("it has no pixel size (ModelPixelScaleTag)".into()))?
            .into_f64_vec()
            .map_err(tiff_err)?;
        let tie = d
            .find_tag(Tag::ModelTiepointTag)
            .map_err(tiff_err)?
            .ok_or_else(|| RasterError("it has no tie point (ModelTiepointTag)".into()))?
            .into_f64_vec()
            .map_err(tiff_err)?;
        if scale.len() < 2 || tie.len() < 6 {
            return Err(RasterError(
                "its pixel size or tie point is incomplete".into(),
            ));
        }
        let (sx, sy) = (scale[0], scale[1]);
        let mut origin = (tie[3] - tie[0] * sx, tie[4] + tie[1] * sy);
        if crs.raster_type == Some(RASTER_PIXEL_IS_POINT) {
            // The tie point is a pixel's centre: the corner is half a pixel up and left.
            origin = (origin.0 - sx / 2.0, origin.1 + sy / 2.0);
        }
        let nodata: Option<f64> = match d.find_tag(Tag::GdalNodata).map_err(tiff_err)? {
            None => None,
            Some(v) => {
                let s = v.into_string().map_err(tiff_err)?;
                let s = s.trim_matches(|c: char| c == '\0' || c.is_whitespace());
                match s.parse::<f64>() {
                    Ok(x) => Some(x),
                    Err(_) if s.eq_ignore_ascii_case("nan") => None,
                    Err(_) => {
                        return Err(RasterError(format!(
                            "its no-data value {s:?} (GDAL_NODATA) is not a number"
                        )));
                    }
                }
            }
        };
        let values = to_f32(d.read_image().map_err(tiff_err)?, nodata);
        Self::new(origin, (sx, sy), (w, h), values)
    }

    /// The value of the pixel holding RD New point (`x`, `y`), if it has one.
    pub fn value_at(&self, x: f64, y: f64) -> Option<f32> {
        let c = ((x - self.origin.0) / self.pixel.0).floor();
        let r = ((self.origin.1 - y) / self.pixel.1).floor();
        if c < 0.0 || r < 0.0 || c >= f64::from(self.size.0) || r >= f64::from(self.size.1) {
            return None;
        }
        let v = self.values[r as usize * self.size.0 as usize + c as usize];
        (!v.is_nan()).then_some(v)
    }

    /// The zonal mean's parts for every cell of every level: per level, the sum and the number
    /// of the pixels whose centre lies in each cell (`cell_of` gives a cell's number at a level,
    /// `None` for a cell not asked about). Only pixels within `bbox` (RD New: min x, min y, max
    /// x, max y) are visited; pixels without data count nowhere.
    pub fn zonal<const L: usize>(
        &self,
        model: &Model,
        bbox: [f64; 4],
        mut cell_of: impl FnMut(usize, crate::Cell) -> Option<u32>,
        cells: [usize; L],
    ) -> [Vec<(f64, u32)>; L] {
        let mut out: [Vec<(f64, u32)>; L] = std::array::from_fn(|l| vec![(0.0, 0); cells[l]]);
        let (px, py) = self.pixel;
        let col = |x: f64| {
            ((x - self.origin.0) / px)
                .floor()
                .clamp(0.0, f64::from(self.size.0))
        };
        let row = |y: f64| {
            ((self.origin.1 - y) / py)
                .floor()
                .clamp(0.0, f64::from(self.size.1))
        };
        let (c0, c1) = (
            col(bbox[0]) as u32,
            (col(bbox[2]) as u32 + 1).min(self.size.0),
        );
        let (r0, r1) = (
            row(bbox[3]) as u32,
            (row(bbox[1]) as u32 + 1).min(self.size.1),
        );
        for r in r0..r1 {
            let y = self.origin.1 - (f64::from(r) + 0.5) * py;
            for c in c0..c1 {
                let v = self.values[r as usize * self.size.0 as usize + c as usize];
                if v.is_nan() {
                    continue;
                }
                let x = self.origin.0 + (f64::from(c) + 0.5) * px;
                let (lon, lat) = rd_to_wgs84(x, y);
                let areas = model.areas_at(lonlat_to_world(lon, lat));
                for (l, level) in Level::ALL.into_iter().enumerate().take(L) {
                    let Some(cell) = level.cell(areas, lon, lat, (x, y)) else {
                        continue;
                    };
                    if let Some(i) = cell_of(l, cell)
                        && let Some(t) = out[l].get_mut(i as usize)
                    {
                        t.0 += f64::from(v);
                        t.1 += 1;
                    }
                }
            }
        }
        out
    }
}

/// What the GeoKeys say about the coordinate system.
#[derive(Debug, Default)]
struct Crs {
    model_type: Option<u16>,
    raster_type: Option<u16>,
    geographic: Option<u16>,
    projected: Option<u16>,
}

impl Crs {
    fn check(&self) -> Result<(), RasterError> {
        match (self.projected, self.geographic, self.model_type) {
            (Some(RD_NEW), _, _) => Ok(()),
            (Some(USER_DEFINED), _, _) => Err(RasterError(format!(
                "its coordinate system is user-defined (no EPSG code); a raster indicator reads RD New (EPSG:{RD_NEW}): reproject it first, e.g. gdalwarp -t_srs EPSG:{RD_NEW}"
            ))),
            (Some(code), _, _) => Err(RasterError(format!(
                "it is in EPSG:{code}; a raster indicator reads RD New (EPSG:{RD_NEW}): reproject it first, e.g. gdalwarp -t_srs EPSG:{RD_NEW}"
            ))),
            (None, Some(code), _) if code != USER_DEFINED => Err(RasterError(format!(
                "it is in geographic coordinates (EPSG:{code}); a raster indicator reads RD New (EPSG:{RD_NEW}): reproject it first, e.g. gdalwarp -t_srs EPSG:{RD_NEW}"
            ))),
            _ => Err(RasterError(format!(
                "it names no coordinate system (GeoKeyDirectoryTag); a raster indicator reads RD New (EPSG:{RD_NEW})"
            ))),
        }
    }
}

/// The GeoKeys stored in the directory itself (the short ones; the coordinate system codes are).
fn geo_keys<R: Read + Seek>(d: &mut Decoder<R>) -> Result<Crs, RasterError> {
    let Some(v) = d
        .find_tag(Tag::GeoKeyDirectoryTag)
        .map_err(|e| RasterError(format!("its GeoKeyDirectoryTag is unreadable: {e}")))?
    else {
        return Ok(Crs::default());
    };
    let keys = v
        .into_u16_vec()
        .map_err(|e| RasterError(format!("its GeoKeyDirectoryTag is unreadable: {e}")))?;
    let mut crs = Crs::default();
    let n = keys.get(3).copied().unwrap_or(0) as usize;
    for k in 0..n {
        let Some(entry) = keys.get(4 + 4 * k..8 + 4 * k) else {
            break;
        };
        // Location 0: the value is the entry's last field.
        if entry[1] != 0 {
            continue;
        }
        let value = Some(entry[3]);
        match entry[0] {
            GT_MODEL_TYPE => crs.model_type = value,
            GT_RASTER_TYPE => crs.raster_type = value,
            GEOGRAPHIC_TYPE => crs.geographic = value,
            PROJECTED_CS_TYPE => crs.projected = value,
            _ => {}
        }
    }
    Ok(crs)
}

/// Every pixel as an `f32`, NaN where the raster has no data.
fn to_f32(d: DecodingResult, nodata: Option<f64>) -> Vec<f32> {
    fn map<T: Copy>(v: Vec<T>, f: impl Fn(T) -> f64, nodata: Option<f64>) -> Vec<f32> {
        v.into_iter()
            .map(|x| {
                let x = f(x);
                // The no-data value is a sentinel written exactly: compared exactly.
                #[allow(clippy::float_cmp, reason = "an exact sentinel")]
                let missing = nodata.is_some_and(|n| n == x);
                if missing || !x.is_finite() {
                    f32::NAN
                } else {
                    x as f32
                }
            })
            .collect()
    }
    match d {
        DecodingResult::U8(v) => map(v, f64::from, nodata),
        DecodingResult::U16(v) => map(v, f64::from, nodata),
        DecodingResult::U32(v) => map(v, f64::from, nodata),
        DecodingResult::U64(v) => map(v, |x| x as f64, nodata),
        DecodingResult::F16(v) => map(v, |x| f64::from(x.to_f32()), nodata),
        DecodingResult::F32(v) => map(v, f64::from, nodata),
        DecodingResult::F64(v) => map(v, |x| x, nodata),
        DecodingResult::I8(v) => map(v, f64::from, nodata),
        DecodingResult::I16(v) => map(v, f64::from, nodata),
        DecodingResult::I32(v) => map(v, f64::from, nodata),
        DecodingResult::I64(v) => map(v, |x| x as f64, nodata),
    }
}

/// Writes a single-band float GeoTIFF (no compression) whose tie point and pixel size are
/// `raster`'s, labelled as projected coordinate system `epsg` (RD New: [`RD_NEW`]): for the
/// sample generator and the tests.
///
/// # Errors
/// When writing fails.
pub fn write_geotiff<W: std::io::Write + Seek>(
    w: W,
    raster: &Raster,
    nodata: f32,
    epsg: u16,
) -> Result<(), RasterError> {
    use tiff::encoder::{TiffEncoder, colortype::Gray32Float};
    let err = |e: tiff::TiffError| RasterError(format!("writing a GeoTIFF: {e}"));
    let mut enc = TiffEncoder::new(w).map_err(err)?;
    let mut img = enc
        .new_image::<Gray32Float>(raster.size.0, raster.size.1)
        .map_err(err)?;
    let dir = img.encoder();
    dir.write_tag(
        Tag::ModelPixelScaleTag,
        &[raster.pixel.0, raster.pixel.1, 0.0][..],
    )
    .map_err(err)?;
    dir.write_tag(
        Tag::ModelTiepointTag,
        &[0.0, 0.0, 0.0, raster.origin.0, raster.origin.1, 0.0][..],
    )
    .map_err(err)?;
    // Version 1.1.0, three keys: projected, pixel is area, the coordinate system.
    dir.write_tag(
        Tag::GeoKeyDirectoryTag,
        &[
            1u16,
            1,
            0,
            3,
            GT_MODEL_TYPE,
            0,
            1,
            1,
            GT_RASTER_TYPE,
            0,
            1,
            1,
            PROJECTED_CS_TYPE,
            0,
            1,
            epsg,
        ][..],
    )
    .map_err(err)?;
    dir.write_tag(Tag::GdalNodata, format!("{nodata}").as_str())
        .map_err(err)?;
    let data: Vec<f32> = raster
        .values
        .iter()
        .map(|v| if v.is_nan() { nodata } else { *v })
        .collect();
    img.write_data(&data).map_err(err)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    fn sample() -> Raster {
        // 3 × 2 pixels of 25 m from (150000, 450050) down; one without data.
        Raster::new(
            (150_000.0, 450_050.0),
            (25.0, 25.0),
            (3, 2),
            vec![1.0, 2.0, f32::NAN, 4.0, 5.5, 6.0],
        )
        .unwrap()
    }

    #[test]
    fn a_written_geotiff_reads_back_with_its_place_and_no_data() {
        let r = sample();
        let mut buf = std::io::Cursor::new(Vec::new());
        write_geotiff(&mut buf, &r, -9999.0, RD_NEW).unwrap();
        buf.set_position(0);
        let back = Raster::decode(buf).unwrap();
        assert_eq!(back.origin, r.origin);
        assert_eq!((back.pixel, back.size), (r.pixel, r.size));
        assert_eq!(back.value_at(150_001.0, 450_049.0), Some(1.0));
        assert_eq!(back.value_at(150_060.0, 450_049.0), None, "no data");
        assert_eq!(back.value_at(150_030.0, 450_010.0), Some(5.5));
        assert_eq!(back.value_at(149_999.0, 450_040.0), None, "west of it");
        assert_eq!(
            back.value_at(150_010.0, 450_000.0 - 0.1),
            None,
            "south of it"
        );
    }

    /// A tie point at a pixel's centre (`RasterPixelIsPoint`, as some producers write) places
    /// the raster half a pixel up and left of where the same numbers would as an area.
    #[test]
    fn a_tie_point_at_a_pixel_centre_is_half_a_pixel_in() {
        use tiff::encoder::{TiffEncoder, colortype::Gray32Float};
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut enc = TiffEncoder::new(&mut buf).unwrap();
        let mut img = enc.new_image::<Gray32Float>(2, 2).unwrap();
        let dir = img.encoder();
        dir.write_tag(Tag::ModelPixelScaleTag, &[10.0, 10.0, 0.0][..])
            .unwrap();
        dir.write_tag(
            Tag::ModelTiepointTag,
            &[0.0, 0.0, 0.0, 1005.0, 2095.0, 0.0][..],
        )
        .unwrap();
        let keys: [u16; 16] = [
            1,
            1,
            0,
            3,
            GT_MODEL_TYPE,
            0,
            1,
            1,
            GT_RASTER_TYPE,
            0,
            1,
            RASTER_PIXEL_IS_POINT,
            PROJECTED_CS_TYPE,
            0,
            1,
            RD_NEW,
        ];
        dir.write_tag(Tag::GeoKeyDirectoryTag, &keys[..]).unwrap();
        img.write_data(&[1.0f32, 2.0, 3.0, 4.0]).unwrap();
        buf.set_position(0);
        let r = Raster::decode(buf).unwrap();
        assert_eq!(r.origin, (1000.0, 2100.0));
        assert_eq!(r.value_at(1001.0, 2099.0), Some(1.0));
        assert_eq!(r.value_at(1019.0, 2081.0), Some(4.0));
    }

    #[test]
    fn what_is_not_a_geotiff_in_rd_new_is_named() {
        let err = Raster::decode(std::io::Cursor::new(b"GIF89a....".to_vec())).unwrap_err();
        assert!(err.0.starts_with("not a readable TIFF"), "{err}");
        let mut buf = std::io::Cursor::new(Vec::new());
        write_geotiff(&mut buf, &sample(), -9999.0, 32631).unwrap();
        buf.set_position(0);
        let err = Raster::decode(buf).unwrap_err();
        assert!(
            err.0.contains("EPSG:32631") && err.0.contains("EPSG:28992"),
            "{err}"
        );
        let err = Raster::new((0.0, 0.0), (0.0, 10.0), (1, 1), vec![1.0]).unwrap_err();
        assert!(err.0.contains("pixel size"), "{err}");
        let err = Raster::new((0.0, 0.0), (1.0, 1.0), (2, 2), vec![1.0]).unwrap_err();
        assert!(err.0.contains("need 4 values"), "{err}");
    }
}
