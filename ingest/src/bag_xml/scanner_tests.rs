//! Tests of `scanner.rs`.

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

fn too_long(xml: &str) -> (String, u64, String) {
    match scan(xml, true) {
        Err(BagXmlError::TooLong {
            what, limit, start, ..
        }) => (what, limit, start),
        other => panic!("not TooLong: {other:?}"),
    }
}

#[test]
fn fields_longer_than_any_real_one_are_refused_as_they_are_read() {
    let id = "9".repeat(1 << 20);
    let (what, limit, start) = too_long(&format!(
        "<r><Pand><identificatie>{id}</identificatie></Pand></r>"
    ));
    assert_eq!(
        (what.as_str(), limit),
        ("Pand (no identificatie): <identificatie>", MAX_ID_BYTES)
    );
    assert_eq!(start, format!("{}…", "9".repeat(40)));
    // Split by entities into many short events, it is refused all the same.
    let naam = "&amp;".repeat(5_000);
    let (what, limit, _) = too_long(&format!(
        "<r><OpenbareRuimte><naam>{naam}</naam></OpenbareRuimte></r>"
    ));
    assert_eq!(
        (what.as_str(), limit),
        ("OpenbareRuimte (no identificatie): <naam>", MAX_TEXT_BYTES)
    );
    // Any other text or markup has a budget too.
    let (what, limit, _) = too_long(&format!(
        "<r><Pand><documentnummer>{}</documentnummer></Pand></r>",
        "x".repeat(100_000)
    ));
    assert_eq!(
        (what.as_str(), limit),
        (
            "Pand (no identificatie): an XML element or text",
            MAX_EVENT_BYTES
        )
    );
    let (_, limit, _) = too_long(&format!("<r><{} a=\"1\"/></r>", "x".repeat(100_000)));
    assert_eq!(limit, MAX_EVENT_BYTES);
    // Values up to the limits are read.
    let objs = scan(
        &format!(
            "<r><Pand><identificatie>{}</identificatie><status>{}</status></Pand></r>",
            "1".repeat(MAX_ID_BYTES as usize),
            "s".repeat(MAX_TEXT_BYTES as usize)
        ),
        false,
    )
    .unwrap();
    assert_eq!(objs[0].status.len(), MAX_TEXT_BYTES as usize);
}

#[test]
fn long_coordinate_lists_fit() {
    // 100,000 positions (a large woonplaats boundary): 1.7 MB of text in one event.
    let pos = (0..100_000).fold(String::new(), |mut s, i| {
        use std::fmt::Write as _;
        let _ = write!(s, "{i}.5 {i}.25 0 ");
        s
    });
    let xml = format!(
        "<r><Woonplaats><Polygon><exterior><LinearRing><posList srsDimension=\"3\">{pos}</posList></LinearRing></exterior></Polygon></Woonplaats></r>"
    );
    assert!(pos.len() > 1_500_000, "{}", pos.len());
    assert_eq!(scan(&xml, false).unwrap().len(), 1);
}

#[test]
fn foreign_crs_is_recorded() {
    let xml = "<r><Pand><Polygon srsName=\"EPSG:4326\"><exterior><LinearRing><posList>0 0 1 0 1 1 0 0</posList></LinearRing></exterior></Polygon></Pand></r>";
    let o = &scan(xml, true).unwrap()[0];
    assert!(o.geometry.error().unwrap().contains("EPSG:4326"));
}
