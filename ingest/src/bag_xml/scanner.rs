//! The streaming XML loop: events of one part → one [`RawObject`] at a time.
//!
//! Elements are matched by local name (prefixes are whatever the file declares; BAG's `Objecten`
//! namespace has no `http://` prefix), with the path inside the object as context. One event
//! buffer, one text buffer and the object's field buffers are reused: no allocation per element.
//!
//! Every event is read under a byte budget fitting what is expected there ([`Counted::allow`]),
//! and a field's text under a length limit ([`MAX_ID_BYTES`], [`MAX_TEXT_BYTES`],
//! [`MAX_COORDINATE_BYTES`]): a field longer than any real one is refused as soon as it is seen,
//! before more than its limit is held in memory.

use std::io::{self, BufRead};

use domain::excerpt_bytes;
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::error::{BagXmlError, BagXmlPart};
use super::object::{ObjectKind, RawObject};
use super::position::{Counted, MAX_EVENT_BYTES, TooLong};

/// Longest identificatie, reference, number, code or date kept (BAG's are at most 16 characters;
/// a date-time 29).
pub(super) const MAX_ID_BYTES: u64 = 64;
/// Longest text field kept: a name, a status, the usages (BAG's longest, a street name, is 80
/// characters).
pub(super) const MAX_TEXT_BYTES: u64 = 4 * 1024;
/// Longest coordinate list (`posList`): a pand outline is at most a few KB, the boundary of a
/// large woonplaats a few MB.
pub(super) const MAX_COORDINATE_BYTES: u64 = 16 * 1024 * 1024;
/// Room in one event beyond a field's text, for the markup that may share its budget.
const MARKUP_SLACK: u64 = 1024;

/// The elements inside an object that matter; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Identificatie,
    Voorkomenidentificatie,
    EindGeldigheid,
    Inactief,
    Status,
    OorspronkelijkBouwjaar,
    Naam,
    Huisnummer,
    Huisletter,
    Huisnummertoevoeging,
    Postcode,
    HeeftAlsHoofdadres,
    LigtAan,
    LigtIn,
    MaaktDeelUitVan,
    NummeraanduidingRef,
    OpenbareRuimteRef,
    WoonplaatsRef,
    PandRef,
    Gebruiksdoel,
    Oppervlakte,
    Polygon,
    Exterior,
    Interior,
    PosList,
    Point,
    Pos,
    Other,
}

impl Tag {
    fn of(local_name: &[u8]) -> Self {
        match local_name {
            b"identificatie" => Self::Identificatie,
            b"voorkomenidentificatie" => Self::Voorkomenidentificatie,
            b"eindGeldigheid" => Self::EindGeldigheid,
            b"tijdstipInactief" | b"tijdstipInactiefLV" | b"tijdstipNietBagLV" => Self::Inactief,
            b"status" => Self::Status,
            b"oorspronkelijkBouwjaar" => Self::OorspronkelijkBouwjaar,
            b"naam" => Self::Naam,
            b"huisnummer" => Self::Huisnummer,
            b"huisletter" => Self::Huisletter,
            b"huisnummertoevoeging" => Self::Huisnummertoevoeging,
            b"postcode" => Self::Postcode,
            b"heeftAlsHoofdadres" => Self::HeeftAlsHoofdadres,
            b"ligtAan" => Self::LigtAan,
            b"ligtIn" => Self::LigtIn,
            b"maaktDeelUitVan" => Self::MaaktDeelUitVan,
            b"NummeraanduidingRef" => Self::NummeraanduidingRef,
            b"OpenbareRuimteRef" => Self::OpenbareRuimteRef,
            b"WoonplaatsRef" => Self::WoonplaatsRef,
            b"PandRef" => Self::PandRef,
            b"gebruiksdoel" => Self::Gebruiksdoel,
            b"oppervlakte" => Self::Oppervlakte,
            b"Polygon" => Self::Polygon,
            b"exterior" => Self::Exterior,
            b"interior" => Self::Interior,
            b"posList" => Self::PosList,
            b"Point" => Self::Point,
            b"pos" => Self::Pos,
            _ => Self::Other,
        }
    }

    /// Whether the element's text is kept (coordinates only when the type needs geometry).
    fn keeps_text(self, geometry: bool) -> bool {
        match self {
            Self::PosList | Self::Pos => geometry,
            Self::HeeftAlsHoofdadres
            | Self::LigtAan
            | Self::LigtIn
            | Self::MaaktDeelUitVan
            | Self::Polygon
            | Self::Exterior
            | Self::Interior
            | Self::Point
            | Self::Other => false,
            _ => true,
        }
    }

    /// Longest text this element may hold.
    fn max_text(self) -> u64 {
        match self {
            Self::PosList => MAX_COORDINATE_BYTES,
            Self::Naam | Self::Status | Self::Gebruiksdoel | Self::Pos => MAX_TEXT_BYTES,
            _ => MAX_ID_BYTES,
        }
    }
}

/// Reads the objects of one part, one at a time.
pub(super) struct Scanner<R> {
    reader: Reader<Counted<R>>,
    at: BagXmlPart,
    buf: Vec<u8>,
    text: Vec<u8>,
    /// Elements open inside the current object (the object element itself excluded).
    path: Vec<Tag>,
    /// Elements open outside objects (header, `sl:stand`, `bagObject`).
    depth: usize,
    keep_text: bool,
    /// `srsDimension` and `count` of the open `posList`.
    pos_list_attrs: (Option<usize>, Option<usize>),
    geometry: bool,
    /// Local name of the element that started last, for messages.
    name: Vec<u8>,
}

impl<R: BufRead> Scanner<R> {
    /// A scanner over one part; `geometry` turns coordinate parsing on.
    pub(super) fn new(inner: R, at: BagXmlPart, geometry: bool) -> Self {
        let reader = Reader::from_reader(Counted::new(inner));
        Self {
            reader,
            at,
            buf: Vec::with_capacity(64 * 1024),
            text: Vec::with_capacity(4 * 1024),
            path: Vec::with_capacity(16),
            depth: 0,
            keep_text: false,
            pos_list_attrs: (None, None),
            geometry,
            name: Vec::with_capacity(64),
        }
    }

    /// Line of the reader's position.
    pub(super) fn line(&self) -> u64 {
        self.reader.get_ref().line()
    }

    /// Bytes read so far (uncompressed).
    pub(super) fn bytes(&self) -> u64 {
        self.reader.get_ref().consumed()
    }

    /// The error of a failed read; `inside` is the object being read (`None` between objects),
    /// `partial` what the event had buffered when it failed.
    fn read_error(
        &self,
        source: quick_xml::Error,
        inside: Option<&RawObject>,
        partial: &[u8],
    ) -> BagXmlError {
        match source {
            quick_xml::Error::Io(e) => match TooLong::of(&e) {
                Some(TooLong { limit }) => self.too_long(inside, limit, partial),
                None => BagXmlError::Io {
                    at: self.at.clone(),
                    source: io::Error::new(e.kind(), e.to_string()),
                },
            },
            source => BagXmlError::Xml {
                at: self.at.clone(),
                line: self.line(),
                source,
            },
        }
    }

    /// An event over its budget of `limit` bytes: a field's text when one is open, else any
    /// element or text.
    fn too_long(&self, inside: Option<&RawObject>, limit: u64, start: &[u8]) -> BagXmlError {
        let field = inside
            .and(self.path.last())
            .filter(|tag| self.keep_text || matches!(tag, Tag::PosList | Tag::Pos));
        let object = inside.map_or_else(|| "between objects".to_owned(), RawObject::describe);
        let (what, limit) = match field {
            Some(tag) => (
                format!("{object}: <{}>", excerpt_bytes(&self.name)),
                tag.max_text(),
            ),
            None => (format!("{object}: an XML element or text"), limit),
        };
        BagXmlError::TooLong {
            at: self.at.clone(),
            line: self.line(),
            what,
            limit,
            start: excerpt_bytes(start),
        }
    }

    /// The bytes the next event may take.
    fn event_budget(&self) -> u64 {
        match self.path.last() {
            Some(&tag @ (Tag::PosList | Tag::Pos)) => tag.max_text() + MARKUP_SLACK,
            Some(&tag) if self.keep_text => tag.max_text() + MARKUP_SLACK,
            _ => MAX_EVENT_BYTES,
        }
    }

    /// Adds `chunk` to the open field's text, unless that makes it longer than the field may be.
    fn keep(&mut self, chunk: &[u8], obj: &RawObject) -> Result<(), BagXmlError> {
        let max = self.path.last().map_or(MAX_ID_BYTES, |t| t.max_text());
        if (self.text.len() + chunk.len()) as u64 > max {
            let start = if self.text.is_empty() {
                chunk
            } else {
                &self.text
            };
            return Err(self.too_long(Some(obj), max, start));
        }
        self.text.extend_from_slice(chunk);
        Ok(())
    }

    /// Reads the next object into `obj` (cleared first); `false` at the end of the part.
    pub(super) fn next_object(&mut self, obj: &mut RawObject) -> Result<bool, BagXmlError> {
        let mut buf = std::mem::take(&mut self.buf);
        let found = self.next_object_with(obj, &mut buf);
        self.buf = buf;
        found
    }

    fn next_object_with(
        &mut self,
        obj: &mut RawObject,
        buf: &mut Vec<u8>,
    ) -> Result<bool, BagXmlError> {
        loop {
            buf.clear();
            self.reader.get_mut().allow(MAX_EVENT_BYTES);
            let event = match self.reader.read_event_into(buf) {
                Ok(event) => event,
                Err(e) => return Err(self.read_error(e, None, buf)),
            };
            match event {
                Event::Start(e) => {
                    if let Some(kind) = ObjectKind::from_element(e.local_name().as_ref()) {
                        obj.clear();
                        obj.kind = Some(kind);
                        obj.line = self.line();
                        self.read_object(obj, buf)?;
                        return Ok(true);
                    }
                    self.depth += 1;
                }
                Event::End(_) => self.depth = self.depth.saturating_sub(1),
                Event::Eof if self.depth > 0 => {
                    return Err(BagXmlError::Truncated {
                        at: self.at.clone(),
                        line: self.line(),
                        inside: format!("{} open elements", self.depth),
                    });
                }
                Event::Eof => return Ok(false),
                _ => {}
            }
        }
    }

    /// Reads the body of an object whose start tag was just read, up to its end tag.
    fn read_object(&mut self, obj: &mut RawObject, buf: &mut Vec<u8>) -> Result<(), BagXmlError> {
        self.path.clear();
        loop {
            buf.clear();
            let budget = self.event_budget();
            self.reader.get_mut().allow(budget);
            let event = match self.reader.read_event_into(buf) {
                Ok(event) => event,
                Err(e) => return Err(self.read_error(e, Some(obj), buf)),
            };
            match event {
                Event::Start(e) => self.start(&e, obj),
                Event::Empty(e) => {
                    self.start(&e, obj);
                    self.end(obj);
                }
                Event::Text(t) if self.keep_text => self.keep(&t, obj)?,
                Event::CData(t) if self.keep_text => self.keep(&t, obj)?,
                Event::GeneralRef(r) if self.keep_text => self.reference(&r, obj)?,
                Event::End(_) if self.path.is_empty() => return Ok(()),
                Event::End(_) => self.end(obj),
                Event::Eof => {
                    return Err(BagXmlError::Truncated {
                        at: self.at.clone(),
                        line: self.line(),
                        inside: obj.describe(),
                    });
                }
                _ => {}
            }
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, obj: &mut RawObject) {
        let local = e.local_name();
        let tag = Tag::of(local.as_ref());
        self.name.clear();
        self.name.extend_from_slice(local.as_ref());
        self.path.push(tag);
        self.text.clear();
        self.keep_text = tag.keeps_text(self.geometry);
        if !self.geometry {
            return;
        }
        match tag {
            Tag::Polygon => {
                let dims = Self::gml_attributes(e, obj).0;
                obj.geometry.begin_polygon(dims);
            }
            Tag::Point => {
                let dims = Self::gml_attributes(e, obj).0;
                obj.geometry.begin_point(dims);
            }
            Tag::Exterior => obj.geometry.begin_ring(false),
            Tag::Interior => obj.geometry.begin_ring(true),
            Tag::PosList => self.pos_list_attrs = Self::gml_attributes(e, obj),
            _ => {}
        }
    }

    /// `srsDimension` and `count`; a `srsName` other than RD New is recorded as an error.
    fn gml_attributes(e: &BytesStart<'_>, obj: &mut RawObject) -> (Option<usize>, Option<usize>) {
        let (mut dims, mut count) = (None, None);
        for attr in e.attributes().flatten() {
            let value = &attr.value;
            let number = || {
                std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.trim().parse().ok())
            };
            match attr.key.local_name().as_ref() {
                b"srsDimension" => dims = number(),
                b"count" => count = number(),
                b"srsName" if !value.ends_with(b"28992") => obj.geometry.fail(format!(
                    "srsName {:?} is not RD New (EPSG:28992)",
                    excerpt_bytes(value)
                )),
                _ => {}
            }
        }
        (dims, count)
    }

    fn reference(&mut self, r: &BytesRef<'_>, obj: &RawObject) -> Result<(), BagXmlError> {
        if let Ok(Some(c)) = r.resolve_char_ref() {
            self.keep(c.encode_utf8(&mut [0; 4]).as_bytes(), obj)
        } else if let Some(s) = std::str::from_utf8(r)
            .ok()
            .and_then(quick_xml::escape::resolve_predefined_entity)
        {
            self.keep(s.as_bytes(), obj)
        } else {
            // An unknown entity makes the field unreadable: the byte that is not UTF-8 makes the
            // field's parsing report it, with the object's identificatie.
            let name: &[u8] = r;
            self.keep(&[b"&".as_slice(), name, b";\xff".as_slice()].concat(), obj)
        }
    }

    /// The element on top of `path` ends: store its text where it belongs.
    fn end(&mut self, obj: &mut RawObject) {
        let Some(&tag) = self.path.last() else { return };
        let depth = self.path.len();
        let parent = depth.checked_sub(2).map(|i| self.path[i]);
        let text = self.text.trim_ascii();
        let top = depth == 1;
        let field = match (tag, parent) {
            (Tag::Identificatie, _) if top => Some(&mut obj.id),
            (Tag::Voorkomenidentificatie, _) => Some(&mut obj.voorkomen),
            (Tag::EindGeldigheid, _) => {
                obj.ended |= !text.is_empty();
                None
            }
            (Tag::Inactief, _) => {
                obj.inactive |= !text.is_empty();
                None
            }
            (Tag::Status, _) if top => Some(&mut obj.status),
            (Tag::OorspronkelijkBouwjaar, _) if top => Some(&mut obj.bouwjaar),
            (Tag::Naam, _) if top => Some(&mut obj.naam),
            (Tag::Huisnummer, _) if top => Some(&mut obj.huisnummer),
            (Tag::Huisletter, _) if top => Some(&mut obj.huisletter),
            (Tag::Huisnummertoevoeging, _) if top => Some(&mut obj.toevoeging),
            (Tag::Postcode, _) if top => Some(&mut obj.postcode),
            (Tag::Oppervlakte, _) if top => Some(&mut obj.oppervlakte),
            (Tag::NummeraanduidingRef, Some(Tag::HeeftAlsHoofdadres)) => Some(&mut obj.hoofdadres),
            (Tag::OpenbareRuimteRef, Some(Tag::LigtAan)) => Some(&mut obj.openbare_ruimte),
            (Tag::WoonplaatsRef, Some(Tag::LigtIn)) => Some(&mut obj.woonplaats),
            (Tag::PandRef, Some(Tag::MaaktDeelUitVan)) => {
                append(&mut obj.panden, b' ', text);
                None
            }
            (Tag::Gebruiksdoel, _) if top => {
                append(&mut obj.gebruiksdoel, b',', text);
                None
            }
            (Tag::PosList, _) if self.geometry => {
                let (dims, count) = self.pos_list_attrs;
                obj.geometry.pos_list(text, dims, count);
                None
            }
            (Tag::Pos, Some(Tag::Point)) if self.geometry => {
                obj.geometry.pos(text);
                None
            }
            _ => None,
        };
        if let Some(field) = field {
            field.clear();
            field.extend_from_slice(text);
        }
        self.path.pop();
        self.text.clear();
        self.keep_text = false;
    }
}

fn append(list: &mut Vec<u8>, separator: u8, item: &[u8]) {
    if !list.is_empty() {
        list.push(separator);
    }
    list.extend_from_slice(item);
}

#[cfg(test)]
#[path = "scanner_tests.rs"]
mod tests;
