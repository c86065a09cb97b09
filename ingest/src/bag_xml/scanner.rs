//! The streaming XML loop: events of one part → one [`RawObject`] at a time.
//!
//! Elements are matched by local name (prefixes are whatever the file declares; BAG's `Objecten`
//! namespace has no `http://` prefix), with the path inside the object as context. One event
//! buffer, one text buffer and the object's field buffers are reused: no allocation per element.

use std::io::{self, BufRead};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::error::{BagXmlError, BagXmlPart};
use super::object::{ObjectKind, RawObject};
use super::position::Counted;

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

    fn xml_error(&self, source: quick_xml::Error) -> BagXmlError {
        match source {
            quick_xml::Error::Io(e) => BagXmlError::Io {
                at: self.at.clone(),
                source: io::Error::new(e.kind(), e.to_string()),
            },
            source => BagXmlError::Xml {
                at: self.at.clone(),
                line: self.line(),
                source,
            },
        }
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
            match self
                .reader
                .read_event_into(buf)
                .map_err(|e| self.xml_error(e))?
            {
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
            match self
                .reader
                .read_event_into(buf)
                .map_err(|e| self.xml_error(e))?
            {
                Event::Start(e) => self.start(&e, obj),
                Event::Empty(e) => {
                    self.start(&e, obj);
                    self.end(obj);
                }
                Event::Text(t) if self.keep_text => self.text.extend_from_slice(&t),
                Event::CData(t) if self.keep_text => self.text.extend_from_slice(&t),
                Event::GeneralRef(r) if self.keep_text => self.reference(&r),
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
        let tag = Tag::of(e.local_name().as_ref());
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
                    String::from_utf8_lossy(value)
                )),
                _ => {}
            }
        }
        (dims, count)
    }

    fn reference(&mut self, r: &BytesRef<'_>) {
        if let Ok(Some(c)) = r.resolve_char_ref() {
            self.text
                .extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        } else if let Some(s) = std::str::from_utf8(r)
            .ok()
            .and_then(quick_xml::escape::resolve_predefined_entity)
        {
            self.text.extend_from_slice(s.as_bytes());
        } else {
            // An unknown entity makes the field unreadable: the byte that is not UTF-8 makes the
            // field's parsing report it, with the object's identificatie.
            self.text.extend_from_slice(b"&");
            self.text.extend_from_slice(r);
            self.text.extend_from_slice(b";\xff");
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
mod tests {
    use super::*;

    fn scan(xml: &str, geometry: bool) -> Result<Vec<RawObject>, BagXmlError> {
        let mut s = Scanner::new(xml.as_bytes(), BagXmlPart::file("t.xml"), geometry);
        let mut out = Vec::new();
        loop {
            let mut obj = RawObject::default();
            if !s.next_object(&mut obj)? {
                return Ok(out);
            }
            out.push(obj);
        }
    }

    const OPR: &str = r#"<r xmlns:O="www.kadaster.nl/schemas/lvbag/imbag/objecten/v20200601"><x><O:OpenbareRuimte>
        <O:identificatie domein="NL.IMBAG.Openbareruimte">0221300000311192</O:identificatie>
        <O:naam>Koepoort&amp;straat &#x27;s</O:naam>
        <O:verkorteNaam><O:VerkorteNaamOpenbareRuimte><O:verkorteNaam>K</O:verkorteNaam></O:VerkorteNaamOpenbareRuimte></O:verkorteNaam>
        <O:ligtIn><O-ref:WoonplaatsRef xmlns:O-ref="r">2142</O-ref:WoonplaatsRef></O:ligtIn>
        <O:voorkomen><H:Voorkomen xmlns:H="h"><H:voorkomenidentificatie>2</H:voorkomenidentificatie>
        <H:eindGeldigheid/><H:BeschikbaarLV><H:tijdstipInactiefLV>2020-01-01</H:tijdstipInactiefLV></H:BeschikbaarLV>
        </H:Voorkomen></O:voorkomen></O:OpenbareRuimte></x></r>"#;

    #[test]
    fn fields_entities_and_history_flags() {
        let objs = scan(OPR, false).unwrap();
        assert_eq!(objs.len(), 1);
        let o = &objs[0];
        assert_eq!(o.kind, Some(ObjectKind::OpenbareRuimte));
        assert_eq!(o.id, b"0221300000311192");
        assert_eq!(o.naam, "Koepoort&straat 's".as_bytes());
        assert_eq!(o.woonplaats, b"2142");
        assert_eq!(o.voorkomen, b"2");
        assert!(!o.ended, "an empty eindGeldigheid does not end a version");
        assert!(o.inactive);
        assert_eq!(o.line, 1);
    }

    #[test]
    fn lines_are_counted() {
        let objs = scan(
            "<r>\n<a>\n<Pand><identificatie>1</identificatie></Pand></a></r>",
            false,
        )
        .unwrap();
        assert_eq!(objs[0].line, 3);
    }

    #[test]
    fn truncation_inside_an_object_names_it() {
        let cut = &OPR[..OPR.find("<O:naam>").unwrap()];
        let err = scan(cut, false).unwrap_err().to_string();
        assert!(
            err.contains("OpenbareRuimte 0221300000311192") && err.contains("truncated"),
            "{err}"
        );
    }

    #[test]
    fn truncation_between_objects_is_an_error() {
        let err = scan("<r><a><Pand><identificatie>1</identificatie></Pand>", false).unwrap_err();
        assert!(matches!(err, BagXmlError::Truncated { .. }), "{err}");
    }

    #[test]
    fn mismatched_tags_are_malformed() {
        let err = scan("<r><Pand><status>x</identificatie></Pand></r>", false).unwrap_err();
        assert!(matches!(err, BagXmlError::Xml { .. }), "{err}");
    }

    #[test]
    fn refs_and_usages_are_collected() {
        let xml = "<r><Verblijfsobject><maaktDeelUitVan><PandRef>1</PandRef><PandRef>2</PandRef></maaktDeelUitVan>\
                   <gebruiksdoel>woonfunctie</gebruiksdoel><gebruiksdoel>winkelfunctie</gebruiksdoel>\
                   <heeftAlsNevenadres><NummeraanduidingRef>9</NummeraanduidingRef></heeftAlsNevenadres>\
                   <heeftAlsHoofdadres><NummeraanduidingRef>8</NummeraanduidingRef></heeftAlsHoofdadres>\
                   <geometrie><punt><Point srsName=\"urn:ogc:def:crs:EPSG::28992\" srsDimension=\"3\"><pos>1 2 0</pos></Point></punt></geometrie>\
                   </Verblijfsobject></r>";
        let o = &scan(xml, true).unwrap()[0];
        assert_eq!(o.panden, b"1 2");
        assert_eq!(o.gebruiksdoel, b"woonfunctie,winkelfunctie");
        assert_eq!(o.hoofdadres, b"8");
        assert_eq!(
            o.geometry.representative_point().unwrap(),
            geo::Coord { x: 1.0, y: 2.0 }
        );
    }

    #[test]
    fn foreign_crs_is_recorded() {
        let xml = "<r><Pand><Polygon srsName=\"EPSG:4326\"><exterior><LinearRing><posList>0 0 1 0 1 1 0 0</posList></LinearRing></exterior></Polygon></Pand></r>";
        let o = &scan(xml, true).unwrap()[0];
        assert!(o.geometry.error().unwrap().contains("EPSG:4326"));
    }
}
