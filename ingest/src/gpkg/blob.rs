//! The GeoPackage geometry blob (GeoPackage 1.3, §2.1.3): a small header in front of standard WKB.
//!
//! ```text
//! "GP" | version 0 | flags | srs_id (int32) | envelope (0, 4, 6 or 8 doubles) | WKB
//! flags: bit 0 byte order of srs_id and envelope (1 = little-endian)
//!        bits 1-3 envelope contents: 0 none, 1 [minx maxx miny maxy], 2 +z, 3 +m, 4 +z +m
//!        bit 4 empty geometry, bit 5 extended (non-standard) geometry type
//! ```
//!
//! The WKB itself is read and written by [`domain::wkb`]; this module only strips and adds the header.

/// Why a GeoPackage geometry blob could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlobError {
    /// The blob does not start with `GP`.
    #[error("no \"GP\" magic at the start")]
    BadMagic,
    /// A header version other than 0 (the only one GeoPackage 1.x defines).
    #[error("unsupported header version {0}")]
    UnsupportedVersion(u8),
    /// Envelope contents indicator 5–7 (invalid in GeoPackage 1.x).
    #[error("invalid envelope contents indicator {0}")]
    BadEnvelopeIndicator(u8),
    /// An extended (non-standard) geometry type, which is not WKB.
    #[error("extended GeoPackage geometry type (not standard WKB)")]
    Extended,
    /// The blob ends inside its header or envelope.
    #[error("blob of {len} bytes is shorter than its {needed}-byte header")]
    Truncated {
        /// Length of the blob.
        len: usize,
        /// Length of the header and envelope.
        needed: usize,
    },
}

/// A bounding box as stored in a blob header; z and m ranges when the blob carries them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Envelope {
    /// Smallest x.
    pub min_x: f64,
    /// Largest x.
    pub max_x: f64,
    /// Smallest y.
    pub min_y: f64,
    /// Largest y.
    pub max_y: f64,
    /// (min, max) z, envelope indicators 2 and 4.
    pub z: Option<(f64, f64)>,
    /// (min, max) m, envelope indicators 3 and 4.
    pub m: Option<(f64, f64)>,
}

/// The decoded header of a GeoPackage geometry blob.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlobHeader {
    /// The spatial reference system id (`gpkg_spatial_ref_sys.srs_id`).
    pub srs_id: i32,
    /// The envelope, when the writer stored one.
    pub envelope: Option<Envelope>,
    /// The empty-geometry flag.
    pub empty: bool,
    /// Where the WKB starts in the blob.
    pub wkb_offset: usize,
}

const MAGIC: [u8; 2] = *b"GP";
const FLAG_LITTLE_ENDIAN: u8 = 0b0000_0001;
const FLAG_EMPTY: u8 = 0b0001_0000;
const FLAG_EXTENDED: u8 = 0b0010_0000;

/// Reads the header of a GeoPackage geometry blob.
pub fn decode_header(blob: &[u8]) -> Result<BlobHeader, BlobError> {
    if blob.len() < 8 {
        if blob.len() >= 2 && blob[..2] != MAGIC {
            return Err(BlobError::BadMagic);
        }
        return Err(BlobError::Truncated {
            len: blob.len(),
            needed: 8,
        });
    }
    if blob[..2] != MAGIC {
        return Err(BlobError::BadMagic);
    }
    if blob[2] != 0 {
        return Err(BlobError::UnsupportedVersion(blob[2]));
    }
    let flags = blob[3];
    if flags & FLAG_EXTENDED != 0 {
        return Err(BlobError::Extended);
    }
    let little = flags & FLAG_LITTLE_ENDIAN != 0;
    let indicator = (flags >> 1) & 0b111;
    let doubles = match indicator {
        0 => 0,
        1 => 4,
        2 | 3 => 6,
        4 => 8,
        other => return Err(BlobError::BadEnvelopeIndicator(other)),
    };
    let wkb_offset = 8 + doubles * 8;
    if blob.len() < wkb_offset {
        return Err(BlobError::Truncated {
            len: blob.len(),
            needed: wkb_offset,
        });
    }
    let word = |at: usize| -> [u8; 8] {
        let mut b = [0u8; 8];
        b.copy_from_slice(&blob[at..at + 8]);
        b
    };
    let f = |i: usize| -> f64 {
        let b = word(8 + i * 8);
        if little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        }
    };
    let srs = [blob[4], blob[5], blob[6], blob[7]];
    let srs_id = if little {
        i32::from_le_bytes(srs)
    } else {
        i32::from_be_bytes(srs)
    };
    let envelope = (indicator != 0).then(|| Envelope {
        min_x: f(0),
        max_x: f(1),
        min_y: f(2),
        max_y: f(3),
        z: matches!(indicator, 2 | 4).then(|| (f(4), f(5))),
        m: match indicator {
            3 => Some((f(4), f(5))),
            4 => Some((f(6), f(7))),
            _ => None,
        },
    });
    Ok(BlobHeader {
        srs_id,
        envelope,
        empty: flags & FLAG_EMPTY != 0,
        wkb_offset,
    })
}

/// Splits a GeoPackage geometry blob into its srs_id and its WKB.
///
/// ```
/// let wkb = domain::wkb::write_point(&geo::Point::new(155_000.0, 463_000.0));
/// let blob = ingest::encode_blob(28992, &wkb, None);
/// let (srs_id, body) = ingest::decode_blob(&blob).unwrap();
/// assert_eq!((srs_id, body), (28992, &wkb[..]));
/// ```
pub fn decode_blob(blob: &[u8]) -> Result<(i32, &[u8]), super::GpkgError> {
    let h = decode_header(blob)?;
    Ok((h.srs_id, &blob[h.wkb_offset..]))
}

/// Wraps WKB in a GeoPackage geometry header (little-endian, version 0).
///
/// `envelope` is `[min_x, min_y, max_x, max_y]` (the bbox order of GeoJSON and OGC API); it is stored
/// in the header's own order (min_x, max_x, min_y, max_y). GeoPackage writers usually omit it for
/// points. An empty geometry (no coordinates, or a point of NaNs) gets the empty flag and no envelope.
pub fn encode_blob(srs_id: i32, wkb: &[u8], envelope: Option<[f64; 4]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + 32 + wkb.len());
    encode_blob_into(&mut out, srs_id, wkb, envelope);
    out
}

/// [`encode_blob`] into a reused buffer (cleared first).
pub(crate) fn encode_blob_into(
    out: &mut Vec<u8>,
    srs_id: i32,
    wkb: &[u8],
    envelope: Option<[f64; 4]>,
) {
    out.clear();
    let empty = wkb_is_empty(wkb);
    let envelope = envelope.filter(|_| !empty);
    let mut flags = FLAG_LITTLE_ENDIAN;
    if envelope.is_some() {
        flags |= 1 << 1;
    }
    if empty {
        flags |= FLAG_EMPTY;
    }
    out.extend_from_slice(&MAGIC);
    out.push(0);
    out.push(flags);
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let Some([min_x, min_y, max_x, max_y]) = envelope {
        for v in [min_x, max_x, min_y, max_y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out.extend_from_slice(wkb);
}

/// Whether WKB holds an empty geometry: a collection or ring list of count 0, or a point whose
/// coordinates are NaN (how WKB spells `POINT EMPTY`). Unreadable WKB counts as not empty; the
/// reader reports it when it parses the geometry.
pub(crate) fn wkb_is_empty(wkb: &[u8]) -> bool {
    let Ok(code) = domain::wkb::geometry_type(wkb) else {
        return false;
    };
    let little = wkb[0] == 1;
    let raw =
        |at: usize| -> Option<[u8; 8]> { wkb.get(at..at + 8).and_then(|s| s.try_into().ok()) };
    // Skip the EWKB SRID when present.
    let type_word = [wkb[1], wkb[2], wkb[3], wkb[4]];
    let type_raw = if little {
        u32::from_le_bytes(type_word)
    } else {
        u32::from_be_bytes(type_word)
    };
    let body = if type_raw & 0x2000_0000 != 0 { 9 } else { 5 };
    if code == 1 {
        let coord = |at| {
            raw(at).map(|b| {
                if little {
                    f64::from_le_bytes(b)
                } else {
                    f64::from_be_bytes(b)
                }
            })
        };
        return matches!((coord(body), coord(body + 8)), (Some(x), Some(y)) if x.is_nan() && y.is_nan());
    }
    match wkb
        .get(body..body + 4)
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
    {
        Some(word) if little => u32::from_le_bytes(word) == 0,
        Some(word) => u32::from_be_bytes(word) == 0,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{MultiPolygon, Point, polygon};

    fn square() -> Vec<u8> {
        let p = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 3.0), (x: 0.0, y: 3.0), (x: 0.0, y: 0.0)];
        domain::wkb::write_multi_polygon(&MultiPolygon(vec![p]))
    }

    #[test]
    fn blob_with_envelope_round_trips() {
        let wkb = square();
        let blob = encode_blob(28992, &wkb, Some([0.0, 0.0, 2.0, 3.0]));
        let h = decode_header(&blob).unwrap();
        assert_eq!(h.srs_id, 28992);
        assert!(!h.empty);
        assert_eq!(h.wkb_offset, 40);
        let e = h.envelope.unwrap();
        assert_eq!((e.min_x, e.max_x, e.min_y, e.max_y), (0.0, 2.0, 0.0, 3.0));
        assert_eq!(decode_blob(&blob).unwrap(), (28992, &wkb[..]));
    }

    #[test]
    fn blob_without_envelope_round_trips() {
        let wkb = domain::wkb::write_point(&Point::new(155_000.0, 463_000.0));
        let blob = encode_blob(4326, &wkb, None);
        assert_eq!(blob.len(), 8 + wkb.len());
        let h = decode_header(&blob).unwrap();
        assert_eq!((h.srs_id, h.envelope, h.empty), (4326, None, false));
        assert_eq!(decode_blob(&blob).unwrap().1, &wkb[..]);
    }

    #[test]
    fn empty_geometries_are_flagged_and_lose_their_envelope() {
        let empty_point = domain::wkb::write_point(&Point::new(f64::NAN, f64::NAN));
        let h = decode_header(&encode_blob(
            28992,
            &empty_point,
            Some([1.0, 1.0, 1.0, 1.0]),
        ))
        .unwrap();
        assert!(h.empty);
        assert_eq!(h.envelope, None);
        let empty_multi = domain::wkb::write_multi_polygon(&MultiPolygon(vec![]));
        assert!(
            decode_header(&encode_blob(28992, &empty_multi, None))
                .unwrap()
                .empty
        );
        assert!(
            !decode_header(&encode_blob(28992, &square(), None))
                .unwrap()
                .empty
        );
    }

    /// A big-endian header with an XYZM envelope (indicator 4), as another writer might produce.
    #[test]
    fn reads_big_endian_header_with_zm_envelope() {
        let wkb = square();
        let mut blob = vec![b'G', b'P', 0, 4 << 1];
        blob.extend_from_slice(&28992i32.to_be_bytes());
        for v in [1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0] {
            blob.extend_from_slice(&v.to_be_bytes());
        }
        blob.extend_from_slice(&wkb);
        let h = decode_header(&blob).unwrap();
        assert_eq!(h.srs_id, 28992);
        assert_eq!(h.wkb_offset, 72);
        let e = h.envelope.unwrap();
        assert_eq!((e.min_x, e.max_x, e.min_y, e.max_y), (1.0, 2.0, 3.0, 4.0));
        assert_eq!((e.z, e.m), (Some((5.0, 6.0)), Some((7.0, 8.0))));
        assert_eq!(decode_blob(&blob).unwrap().1, &wkb[..]);
    }

    #[test]
    fn envelope_indicators_2_and_3_are_six_doubles() {
        for (indicator, z, m) in [(2u8, true, false), (3, false, true)] {
            let mut blob = vec![b'G', b'P', 0, (indicator << 1) | 1];
            blob.extend_from_slice(&7i32.to_le_bytes());
            for v in 0..6 {
                blob.extend_from_slice(&f64::from(v).to_le_bytes());
            }
            blob.extend_from_slice(&square());
            let h = decode_header(&blob).unwrap();
            assert_eq!(h.wkb_offset, 56);
            let e = h.envelope.unwrap();
            assert_eq!((e.z.is_some(), e.m.is_some()), (z, m));
        }
    }

    #[test]
    fn malformed_headers_are_errors() {
        assert_eq!(decode_header(b"XP\0\x01\0\0\0\0"), Err(BlobError::BadMagic));
        assert_eq!(
            decode_header(b"GP"),
            Err(BlobError::Truncated { len: 2, needed: 8 })
        );
        assert_eq!(
            decode_header(b"GP\x01\x01\0\0\0\0"),
            Err(BlobError::UnsupportedVersion(1))
        );
        assert_eq!(
            decode_header(&[b'G', b'P', 0, 5 << 1, 0, 0, 0, 0]),
            Err(BlobError::BadEnvelopeIndicator(5))
        );
        assert_eq!(
            decode_header(&[b'G', b'P', 0, 0b10_0001, 0, 0, 0, 0]),
            Err(BlobError::Extended)
        );
        // Envelope announced but cut off.
        assert_eq!(
            decode_header(&[b'G', b'P', 0, 0b11, 0, 0, 0, 0, 1, 2]),
            Err(BlobError::Truncated {
                len: 10,
                needed: 40
            })
        );
        assert!(matches!(
            decode_blob(b"not a blob"),
            Err(super::super::GpkgError::Blob(BlobError::BadMagic))
        ));
    }
}
