//! The parts of an address that live in their own BAG objects: *woonplaatsen* (WPL),
//! *openbare ruimten* (OPR, the street names) and *nummeraanduidingen* (NUM, house numbers and
//! postcodes), kept in memory (current versions only) so that addresses can be joined as the
//! verblijfsobjecten stream by.
//!
//! The national extract has ~10 M nummeraanduidingen, so a nummeraanduiding is kept in a compact,
//! allocation-free record (~48 bytes): BAG restricts huisletter to one letter, the toevoeging to
//! four letters or digits and the postcode to `1234AB`; a text outside those patterns is an error.

use std::collections::HashMap;

use domain::BagId;

use super::error::BagXmlError;
use super::object::Fields;

/// A current nummeraanduiding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Number {
    pub huisnummer: u32,
    pub huisletter: Option<u8>,
    toevoeging: ([u8; 4], u8),
    postcode: Option<[u8; 6]>,
    /// `ligtAan`: the street.
    pub openbare_ruimte: BagId,
    /// `ligtIn`, written only where the number lies in another woonplaats than its street.
    pub woonplaats: Option<u16>,
}

impl Number {
    /// The huisnummertoevoeging, as written.
    pub(super) fn toevoeging(&self) -> Option<&str> {
        let (bytes, len) = &self.toevoeging;
        (*len > 0).then(|| std::str::from_utf8(&bytes[..*len as usize]).unwrap_or_default())
    }

    /// The postcode, as written (`6981ED`).
    pub(super) fn postcode(&self) -> Option<&str> {
        self.postcode
            .as_ref()
            .map(|p| std::str::from_utf8(p).unwrap_or_default())
    }
}

/// A current openbare ruimte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Street {
    pub naam: String,
    pub woonplaats: u16,
}

/// Why an address could not be joined (counted, with the first example, in the summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum JoinMiss {
    NoHoofdadres,
    Nummeraanduiding,
    OpenbareRuimte,
    Woonplaats,
}

impl JoinMiss {
    pub(super) fn describe(self) -> &'static str {
        match self {
            Self::NoHoofdadres => "has no hoofdadres",
            Self::Nummeraanduiding => {
                "hoofdadres nummeraanduiding not found among current NUM objects"
            }
            Self::OpenbareRuimte => {
                "openbare ruimte of its nummeraanduiding not found among current OPR objects"
            }
            Self::Woonplaats => "woonplaats of its address not found among current WPL objects",
        }
    }
}

/// A joined address: the number, its street name and its woonplaats name.
pub(super) struct Joined<'a> {
    pub number: &'a Number,
    pub street: &'a str,
    pub place: &'a str,
}

/// Current woonplaatsen, openbare ruimten and nummeraanduidingen, keyed by identificatie; each
/// entry keeps the voorkomen it came from so that a later, higher version replaces it.
#[derive(Debug, Default)]
pub(super) struct AddressParts {
    places: HashMap<u16, (u32, String)>,
    streets: HashMap<BagId, (u32, Street)>,
    numbers: HashMap<BagId, (u32, Number)>,
}

impl AddressParts {
    /// Number of current objects held: (woonplaatsen, openbare ruimten, nummeraanduidingen).
    pub(super) fn counts(&self) -> (usize, usize, usize) {
        (self.places.len(), self.streets.len(), self.numbers.len())
    }

    /// Adds a current woonplaats version.
    pub(super) fn add_woonplaats(&mut self, f: &Fields<'_>) -> Result<(), BagXmlError> {
        let id = woonplaats_code(f, "identificatie", &f.obj.id)?
            .ok_or_else(|| f.missing("identificatie"))?;
        let voorkomen = f.voorkomen()?;
        let naam = f.required("naam", &f.obj.naam)?;
        keep_highest(&mut self.places, id, voorkomen, || naam.to_owned());
        Ok(())
    }

    /// Adds a current openbare ruimte version.
    pub(super) fn add_openbare_ruimte(&mut self, f: &Fields<'_>) -> Result<(), BagXmlError> {
        let id = f.id()?;
        let voorkomen = f.voorkomen()?;
        let naam = f.required("naam", &f.obj.naam)?;
        let woonplaats =
            woonplaats_code(f, "ligtIn", &f.obj.woonplaats)?.ok_or_else(|| f.missing("ligtIn"))?;
        keep_highest(&mut self.streets, id, voorkomen, || Street {
            naam: naam.to_owned(),
            woonplaats,
        });
        Ok(())
    }

    /// Adds a current nummeraanduiding version.
    pub(super) fn add_nummeraanduiding(&mut self, f: &Fields<'_>) -> Result<(), BagXmlError> {
        let obj = f.obj;
        let id = f.id()?;
        let voorkomen = f.voorkomen()?;
        let number = Number {
            huisnummer: f.parse("huisnummer", &obj.huisnummer)?,
            huisletter: match obj.huisletter.as_slice() {
                [] => None,
                [c] if c.is_ascii_alphabetic() => Some(*c),
                other => return Err(f.invalid("huisletter", other)),
            },
            toevoeging: match obj.toevoeging.as_slice() {
                t if t.len() <= 4 && t.iter().all(u8::is_ascii_alphanumeric) => {
                    let mut bytes = [0; 4];
                    bytes[..t.len()].copy_from_slice(t);
                    (bytes, t.len() as u8)
                }
                other => return Err(f.invalid("huisnummertoevoeging", other)),
            },
            postcode: match obj.postcode.as_slice() {
                [] => None,
                p if is_postcode(p) => p.try_into().ok(),
                other => return Err(f.invalid("postcode", other)),
            },
            openbare_ruimte: f.parse("ligtAan", &obj.openbare_ruimte)?,
            woonplaats: woonplaats_code(f, "ligtIn", &obj.woonplaats)?,
        };
        keep_highest(&mut self.numbers, id, voorkomen, || number);
        Ok(())
    }

    /// Joins a hoofdadres: nummeraanduiding → openbare ruimte → woonplaats (the nummeraanduiding's
    /// own `ligtIn` first, else the street's).
    pub(super) fn join(&self, hoofdadres: Option<BagId>) -> Result<Joined<'_>, JoinMiss> {
        let id = hoofdadres.ok_or(JoinMiss::NoHoofdadres)?;
        let (_, number) = self.numbers.get(&id).ok_or(JoinMiss::Nummeraanduiding)?;
        let (_, street) = self
            .streets
            .get(&number.openbare_ruimte)
            .ok_or(JoinMiss::OpenbareRuimte)?;
        let place = number.woonplaats.unwrap_or(street.woonplaats);
        let (_, place) = self.places.get(&place).ok_or(JoinMiss::Woonplaats)?;
        Ok(Joined {
            number,
            street: &street.naam,
            place,
        })
    }
}

fn keep_highest<K: std::hash::Hash + Eq, V>(
    map: &mut HashMap<K, (u32, V)>,
    key: K,
    voorkomen: u32,
    value: impl FnOnce() -> V,
) {
    match map.get_mut(&key) {
        Some(entry) if entry.0 >= voorkomen => {}
        Some(entry) => *entry = (voorkomen, value()),
        None => {
            map.insert(key, (voorkomen, value()));
        }
    }
}

/// A woonplaats identificatie: four digits (`2142`), written as such in `WoonplaatsRef` too.
fn woonplaats_code(
    f: &Fields<'_>,
    field: &'static str,
    text: &[u8],
) -> Result<Option<u16>, BagXmlError> {
    if text.is_empty() {
        return Ok(None);
    }
    if text.len() != 4 || !text.iter().all(u8::is_ascii_digit) {
        return Err(f.invalid(field, text));
    }
    f.parse(field, text).map(Some)
}

/// BAG's postcode pattern: `[1-9][0-9]{3}[A-Z]{2}`.
fn is_postcode(p: &[u8]) -> bool {
    matches!(p, [d, rest @ ..] if (b'1'..=b'9').contains(d) && rest.len() == 5
        && rest[..3].iter().all(u8::is_ascii_digit) && rest[3..].iter().all(u8::is_ascii_uppercase))
}

#[cfg(test)]
mod tests {
    use super::super::error::BagXmlPart;
    use super::super::object::{ObjectKind, RawObject};
    use super::*;

    fn num(
        id: &str,
        voorkomen: &str,
        huisnummer: &str,
        letter: &str,
        toevoeging: &str,
        postcode: &str,
    ) -> RawObject {
        let mut o = RawObject {
            kind: Some(ObjectKind::Nummeraanduiding),
            ..RawObject::default()
        };
        o.id.extend_from_slice(id.as_bytes());
        o.voorkomen.extend_from_slice(voorkomen.as_bytes());
        o.huisnummer.extend_from_slice(huisnummer.as_bytes());
        o.huisletter.extend_from_slice(letter.as_bytes());
        o.toevoeging.extend_from_slice(toevoeging.as_bytes());
        o.postcode.extend_from_slice(postcode.as_bytes());
        o.openbare_ruimte.extend_from_slice(b"0221300000311192");
        o
    }

    #[test]
    fn postcode_pattern() {
        assert!(is_postcode(b"6981ED"));
        assert!(!is_postcode(b"0981ED"));
        assert!(!is_postcode(b"6981 ED"));
        assert!(!is_postcode(b"6981ed"));
    }

    #[test]
    fn numbers_join_to_street_and_place_and_keep_the_highest_version() {
        let at = BagXmlPart::file("t.xml");
        let mut parts = AddressParts::default();
        let mut wpl = RawObject {
            kind: Some(ObjectKind::Woonplaats),
            ..RawObject::default()
        };
        wpl.id.extend_from_slice(b"2142");
        wpl.voorkomen.extend_from_slice(b"1");
        wpl.naam.extend_from_slice(b"Doesburg");
        parts
            .add_woonplaats(&Fields { obj: &wpl, at: &at })
            .unwrap();
        let mut opr = RawObject {
            kind: Some(ObjectKind::OpenbareRuimte),
            ..RawObject::default()
        };
        opr.id.extend_from_slice(b"0221300000311192");
        opr.voorkomen.extend_from_slice(b"1");
        opr.naam.extend_from_slice(b"'s-Gravenstraat");
        opr.woonplaats.extend_from_slice(b"2142");
        parts
            .add_openbare_ruimte(&Fields { obj: &opr, at: &at })
            .unwrap();
        let v2 = num("0221200000330227", "2", "12", "A", "bis", "6981ED");
        let v1 = num("0221200000330227", "1", "11", "", "", "");
        parts
            .add_nummeraanduiding(&Fields { obj: &v2, at: &at })
            .unwrap();
        parts
            .add_nummeraanduiding(&Fields { obj: &v1, at: &at })
            .unwrap();
        let j = parts
            .join(Some("0221200000330227".parse().unwrap()))
            .unwrap();
        assert_eq!(j.number.huisnummer, 12);
        assert_eq!(j.number.huisletter, Some(b'A'));
        assert_eq!(j.number.toevoeging(), Some("bis"));
        assert_eq!(j.number.postcode(), Some("6981ED"));
        assert_eq!((j.street, j.place), ("'s-Gravenstraat", "Doesburg"));
        assert_eq!(
            parts.join(Some("0221200000330228".parse().unwrap())).err(),
            Some(JoinMiss::Nummeraanduiding)
        );
        assert_eq!(parts.join(None).err(), Some(JoinMiss::NoHoofdadres));
    }

    #[test]
    fn bad_toevoeging_is_an_error() {
        let at = BagXmlPart::file("t.xml");
        let o = num("0221200000330227", "1", "12", "", "bis-2", "");
        let err = AddressParts::default()
            .add_nummeraanduiding(&Fields { obj: &o, at: &at })
            .unwrap_err();
        assert!(err.to_string().contains("huisnummertoevoeging"), "{err}");
    }
}
