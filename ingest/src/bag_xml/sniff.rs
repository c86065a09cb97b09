//! What a file holds, decided by its content: the root element and the first object element,
//! with namespaces resolved (file names are only labels).
//!
//! - a BAG extract part: root `bagStand` (namespace `…/lvbag/extract-deelbestand-lvc/…`) whose
//!   first `Objecten:*` object (namespace `www.kadaster.nl/schemas/lvbag/imbag/objecten/…`, no
//!   `http://`) gives the object type of the whole part;
//! - the delivery document (`BAG-Extract-Levering`) and the gemeente–woonplaats relation file
//!   (`BAG-GWR-Deelbestand-LVC`): recognised and not read further;
//! - anything else: not a BAG extract.
//!
//! The gemeente code of a gemeente extract (`selecties-extract:GemeenteIdentificatie`) is
//! picked up on the way: the parts' headers and the delivery document carry it.

use std::io::BufRead;

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use super::error::{BagXmlError, BagXmlPart};
use super::object::ObjectKind;
use super::position::{Counted, MAX_EVENT_BYTES, TooLong};

/// How far to look for the first object before giving up (the header before it is ~3 KB).
const BUDGET_BYTES: u64 = 4 << 20;

/// What a file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Content {
    /// A BAG extract part whose objects are of this type.
    Objects(ObjectKind),
    /// A BAG extract part without objects.
    EmptyPart,
    /// A BAG file that holds no objects (delivery document, gemeente–woonplaats relation).
    Auxiliary(&'static str),
    /// Not a BAG extract; why.
    NotBag(String),
}

/// The verdict on one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sniffed {
    pub content: Content,
    /// `GemeenteIdentificatie` when the file names one.
    pub gemeente: Option<String>,
}

/// Reads the start of a file to tell what it holds.
pub(super) fn sniff(input: impl BufRead, at: &BagXmlPart) -> Result<Sniffed, BagXmlError> {
    let mut reader = NsReader::from_reader(Counted::new(input));
    let mut buf = Vec::with_capacity(8 * 1024);
    let mut root_seen = false;
    let mut in_gemeente = false;
    let mut gemeente: Option<String> = None;
    let done = |content, gemeente| Ok(Sniffed { content, gemeente });
    loop {
        buf.clear();
        if reader.buffer_position() > BUDGET_BYTES {
            return done(
                Content::NotBag("no BAG object in the first 4 MiB".into()),
                gemeente,
            );
        }
        let line = reader.get_ref().line();
        reader.get_mut().allow(MAX_EVENT_BYTES);
        let event = reader
            .read_resolved_event_into(&mut buf)
            .map_err(|e| match e {
                quick_xml::Error::Io(source) => match TooLong::of(&source) {
                    Some(TooLong { limit }) => BagXmlError::TooLong {
                        at: at.clone(),
                        line,
                        what: "the start of the file: an XML element or text".to_owned(),
                        limit,
                        start: String::new(),
                    },
                    None => BagXmlError::Io {
                        at: at.clone(),
                        source: std::io::Error::new(source.kind(), source.to_string()),
                    },
                },
                source => BagXmlError::Xml {
                    at: at.clone(),
                    line,
                    source,
                },
            })?;
        match event {
            (ns, Event::Start(e) | Event::Empty(e)) => {
                let local = e.local_name();
                let local = local.as_ref();
                if !root_seen {
                    root_seen = true;
                    match local {
                        b"bagStand" | b"BAG-Extract-Levering" => {}
                        b"BAG-GWR-Deelbestand-LVC" => {
                            return done(
                                Content::Auxiliary("gemeente–woonplaats relation"),
                                gemeente,
                            );
                        }
                        _ => {
                            let name = domain::excerpt_bytes(e.name().as_ref());
                            let reason = format!(
                                "root element <{name}>, expected a BAG extract part (bagStand)"
                            );
                            return done(Content::NotBag(reason), gemeente);
                        }
                    }
                    continue;
                }
                in_gemeente = local == b"GemeenteIdentificatie";
                if let Some(kind) = ObjectKind::from_element(local) {
                    return match ns {
                        ResolveResult::Bound(ns) if is_objecten_namespace(ns.0) => {
                            done(Content::Objects(kind), gemeente)
                        }
                        other => {
                            let reason = format!(
                                "<{}> is not in the BAG Objecten namespace ({other:?})",
                                kind.element()
                            );
                            done(Content::NotBag(reason), gemeente)
                        }
                    };
                }
            }
            (_, Event::Text(t)) if in_gemeente => {
                gemeente = Some(domain::excerpt_bytes(t.as_ref()).trim().to_owned());
            }
            (_, Event::End(e)) if e.local_name().as_ref() == b"BAG-Extract-Levering" => {
                return done(
                    Content::Auxiliary("delivery document (Leveringsdocument)"),
                    gemeente,
                );
            }
            (_, Event::End(_)) => in_gemeente = false,
            (_, Event::Eof) if !root_seen => {
                return done(Content::NotBag("no XML root element".into()), gemeente);
            }
            (_, Event::Eof) => return done(Content::EmptyPart, gemeente),
            _ => {}
        }
    }
}

/// `www.kadaster.nl/schemas/lvbag/imbag/objecten/v20200601` (any schema version).
fn is_objecten_namespace(ns: &[u8]) -> bool {
    ns.starts_with(b"www.kadaster.nl/schemas/lvbag/imbag/objecten/")
        || ns.starts_with(b"http://www.kadaster.nl/schemas/lvbag/imbag/objecten/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(xml: &str) -> Sniffed {
        sniff(xml.as_bytes(), &BagXmlPart::file("t.xml")).unwrap()
    }

    const HEAD: &str = r#"<sl-bag-extract:bagStand xmlns:Objecten="www.kadaster.nl/schemas/lvbag/imbag/objecten/v20200601"
        xmlns:sl-bag-extract="http://www.kadaster.nl/schemas/lvbag/extract-deelbestand-lvc/v20200601"
        xmlns:s="http://www.kadaster.nl/schemas/lvbag/extract-selecties/v20200601">
        <sl-bag-extract:bagInfo><s:GemeenteIdentificatie> 0221 </s:GemeenteIdentificatie></sl-bag-extract:bagInfo>"#;

    #[test]
    fn first_object_gives_the_type() {
        let s = content(&format!(
            "{HEAD}<sl-bag-extract:bagObject><Objecten:Ligplaats>"
        ));
        assert_eq!(s.content, Content::Objects(ObjectKind::Ligplaats));
        assert_eq!(s.gemeente.as_deref(), Some("0221"));
    }

    #[test]
    fn object_in_another_namespace_is_not_bag() {
        let xml = "<bagStand xmlns:O=\"http://example.com/\"><O:Pand/></bagStand>";
        assert!(
            matches!(content(xml).content, Content::NotBag(r) if r.contains("Objecten namespace"))
        );
    }

    #[test]
    fn other_roots_are_not_bag() {
        assert!(
            matches!(content("<gpx><trk/></gpx>").content, Content::NotBag(r) if r.contains("<gpx>"))
        );
        assert!(matches!(content("").content, Content::NotBag(_)));
    }

    #[test]
    fn empty_part_and_delivery_document() {
        assert_eq!(
            content(&format!("{HEAD}</sl-bag-extract:bagStand>")).content,
            Content::EmptyPart
        );
        let doc = content(
            "<xb:BAG-Extract-Levering xmlns:xb=\"x\"><GemeenteIdentificatie>0221</GemeenteIdentificatie></xb:BAG-Extract-Levering>",
        );
        assert!(matches!(doc.content, Content::Auxiliary(_)));
        assert_eq!(doc.gemeente.as_deref(), Some("0221"));
    }
}
