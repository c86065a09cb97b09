//! One BAG object version as read from the XML (raw texts), and the typed reading of its fields.
//!
//! The scanner fills a reused [`RawObject`] with the bytes of the fields wijkwerk needs; nothing is
//! parsed while the XML streams by, so that errors can name the object's identificatie even when
//! the field comes before it (BAG writes `identificatie` after `voorkomen` in some types).

use std::str::FromStr;

use domain::{BagId, excerpt_bytes};

use super::error::{BagXmlError, BagXmlPart};
use super::geometry::GeometryBuf;

/// The seven BAG object types of an extract, in the order the reader processes them
/// (address parts first, so that addresses can be joined while they stream; panden last, so that
/// they can carry their verblijfsobjecten's counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum ObjectKind {
    Woonplaats,
    OpenbareRuimte,
    Nummeraanduiding,
    Verblijfsobject,
    Ligplaats,
    Standplaats,
    Pand,
}

impl ObjectKind {
    /// Every type in processing order.
    pub(super) const ALL: [Self; 7] = [
        Self::Woonplaats,
        Self::OpenbareRuimte,
        Self::Nummeraanduiding,
        Self::Verblijfsobject,
        Self::Ligplaats,
        Self::Standplaats,
        Self::Pand,
    ];

    /// The object element's local name (`Objecten:Pand` → `Pand`).
    pub(super) fn element(self) -> &'static str {
        match self {
            Self::Woonplaats => "Woonplaats",
            Self::OpenbareRuimte => "OpenbareRuimte",
            Self::Nummeraanduiding => "Nummeraanduiding",
            Self::Verblijfsobject => "Verblijfsobject",
            Self::Ligplaats => "Ligplaats",
            Self::Standplaats => "Standplaats",
            Self::Pand => "Pand",
        }
    }

    /// The three-letter code of the extract's file names (`PND`, `VBO`, …).
    pub(super) fn code(self) -> &'static str {
        match self {
            Self::Woonplaats => "WPL",
            Self::OpenbareRuimte => "OPR",
            Self::Nummeraanduiding => "NUM",
            Self::Verblijfsobject => "VBO",
            Self::Ligplaats => "LIG",
            Self::Standplaats => "STA",
            Self::Pand => "PND",
        }
    }

    /// The type whose object element has this local name.
    pub(super) fn from_element(local_name: &[u8]) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.element().as_bytes() == local_name)
    }

    /// Whether coordinates must be parsed (woonplaats boundaries are skipped: nothing uses them).
    pub(super) fn wants_geometry(self) -> bool {
        matches!(
            self,
            Self::Verblijfsobject | Self::Ligplaats | Self::Standplaats | Self::Pand
        )
    }
}

/// The fields of one object version, as the bytes BAG wrote (trimmed), reused from object to object.
#[derive(Debug, Default)]
pub(super) struct RawObject {
    /// The object element's type.
    pub kind: Option<ObjectKind>,
    /// Index of the part it was read from.
    pub part: usize,
    /// Line of the object's start tag.
    pub line: u64,
    pub id: Vec<u8>,
    pub voorkomen: Vec<u8>,
    /// `Historie:eindGeldigheid` is present and not empty.
    pub ended: bool,
    /// `tijdstipInactief`, `tijdstipInactiefLV` or `tijdstipNietBagLV` is present and not empty.
    pub inactive: bool,
    pub status: Vec<u8>,
    pub bouwjaar: Vec<u8>,
    pub naam: Vec<u8>,
    pub huisnummer: Vec<u8>,
    pub huisletter: Vec<u8>,
    pub toevoeging: Vec<u8>,
    pub postcode: Vec<u8>,
    /// `heeftAlsHoofdadres/NummeraanduidingRef`.
    pub hoofdadres: Vec<u8>,
    /// `ligtAan/OpenbareRuimteRef`.
    pub openbare_ruimte: Vec<u8>,
    /// `ligtIn/WoonplaatsRef`.
    pub woonplaats: Vec<u8>,
    /// `maaktDeelUitVan/PandRef`, separated by spaces.
    pub panden: Vec<u8>,
    /// `gebruiksdoel`, separated by commas.
    pub gebruiksdoel: Vec<u8>,
    pub oppervlakte: Vec<u8>,
    pub geometry: GeometryBuf,
}

impl RawObject {
    /// Empties every field, keeping the allocations.
    pub(super) fn clear(&mut self) {
        self.kind = None;
        self.line = 0;
        self.ended = false;
        self.inactive = false;
        for field in [
            &mut self.id,
            &mut self.voorkomen,
            &mut self.status,
            &mut self.bouwjaar,
            &mut self.naam,
            &mut self.huisnummer,
            &mut self.huisletter,
            &mut self.toevoeging,
            &mut self.postcode,
            &mut self.hoofdadres,
            &mut self.openbare_ruimte,
            &mut self.woonplaats,
            &mut self.panden,
            &mut self.gebruiksdoel,
            &mut self.oppervlakte,
        ] {
            field.clear();
        }
        self.geometry.clear();
    }

    /// `Pand 0221100000312938`, for messages (the identificatie cut to its start when it is not
    /// one).
    pub(super) fn describe(&self) -> String {
        let kind = self.kind.map_or("object", ObjectKind::element);
        if self.id.is_empty() {
            format!("{kind} (no identificatie)")
        } else {
            format!("{kind} {}", excerpt_bytes(&self.id))
        }
    }
}

/// Typed access to a [`RawObject`]'s fields; every failure names the part, line and object.
pub(super) struct Fields<'a> {
    pub obj: &'a RawObject,
    pub at: &'a BagXmlPart,
}

impl Fields<'_> {
    pub(super) fn invalid(&self, field: &'static str, value: &[u8]) -> BagXmlError {
        BagXmlError::InvalidValue {
            at: self.at.clone(),
            line: self.obj.line,
            object: self.obj.describe(),
            field,
            value: excerpt_bytes(value),
        }
    }

    pub(super) fn missing(&self, field: &'static str) -> BagXmlError {
        BagXmlError::MissingValue {
            at: self.at.clone(),
            line: self.obj.line,
            object: self.obj.describe(),
            field,
        }
    }

    pub(super) fn geometry_error(&self, reason: impl Into<String>) -> BagXmlError {
        BagXmlError::Geometry {
            at: self.at.clone(),
            line: self.obj.line,
            object: self.obj.describe(),
            reason: reason.into(),
        }
    }

    /// A failure to project this object's geometry from RD New.
    pub(super) fn projection_error(&self, reason: impl std::fmt::Display) -> BagXmlError {
        BagXmlError::Projection {
            at: self.at.clone(),
            line: self.obj.line,
            object: self.obj.describe(),
            reason: reason.to_string(),
        }
    }

    /// The field as text; `None` when absent or empty.
    pub(super) fn text<'b>(
        &self,
        field: &'static str,
        value: &'b [u8],
    ) -> Result<Option<&'b str>, BagXmlError> {
        if value.is_empty() {
            return Ok(None);
        }
        std::str::from_utf8(value)
            .map(Some)
            .map_err(|_| self.invalid(field, value))
    }

    /// A required text field.
    pub(super) fn required<'b>(
        &self,
        field: &'static str,
        value: &'b [u8],
    ) -> Result<&'b str, BagXmlError> {
        self.text(field, value)?.ok_or_else(|| self.missing(field))
    }

    /// A required field parsed with `FromStr`.
    pub(super) fn parse<T: FromStr>(
        &self,
        field: &'static str,
        value: &[u8],
    ) -> Result<T, BagXmlError> {
        self.required(field, value)?
            .parse()
            .map_err(|_| self.invalid(field, value))
    }

    /// An optional field parsed with `FromStr`.
    pub(super) fn parse_opt<T: FromStr>(
        &self,
        field: &'static str,
        value: &[u8],
    ) -> Result<Option<T>, BagXmlError> {
        match self.text(field, value)? {
            None => Ok(None),
            Some(t) => t.parse().map(Some).map_err(|_| self.invalid(field, value)),
        }
    }

    /// The object's identificatie.
    pub(super) fn id(&self) -> Result<BagId, BagXmlError> {
        self.parse("identificatie", &self.obj.id)
    }

    /// The voorkomenidentificatie (version number).
    pub(super) fn voorkomen(&self) -> Result<u32, BagXmlError> {
        self.parse("voorkomenidentificatie", &self.obj.voorkomen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> BagXmlPart {
        BagXmlPart::file("x.xml")
    }

    #[test]
    fn kinds_are_found_by_element_name() {
        assert_eq!(ObjectKind::from_element(b"Pand"), Some(ObjectKind::Pand));
        assert_eq!(
            ObjectKind::from_element(b"OpenbareRuimte"),
            Some(ObjectKind::OpenbareRuimte)
        );
        assert_eq!(ObjectKind::from_element(b"PandRef"), None);
        assert_eq!(ObjectKind::Verblijfsobject.code(), "VBO");
    }

    #[test]
    fn field_errors_name_the_object() {
        let mut obj = RawObject {
            kind: Some(ObjectKind::Pand),
            line: 7,
            ..RawObject::default()
        };
        obj.id.extend_from_slice(b"0221100000312938");
        obj.bouwjaar.extend_from_slice(b"19x5");
        let at = at();
        let f = Fields { obj: &obj, at: &at };
        assert_eq!(f.id().unwrap().to_string(), "0221100000312938");
        let err = f
            .parse::<u16>("oorspronkelijkBouwjaar", &obj.bouwjaar)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "x.xml, line 7: Pand 0221100000312938: invalid oorspronkelijkBouwjaar \"19x5\""
        );
        let err = f.voorkomen().unwrap_err().to_string();
        assert!(err.contains("missing voorkomenidentificatie"), "{err}");
    }

    #[test]
    fn clear_keeps_nothing() {
        let mut obj = RawObject::default();
        obj.naam.extend_from_slice(b"Kerkstraat");
        obj.ended = true;
        obj.clear();
        assert!(obj.naam.is_empty() && !obj.ended && obj.kind.is_none());
    }
}
