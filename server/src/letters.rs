//! Address-verification letters: one printed letter per address, carrying a code that proves the
//! reader lives there.
//!
//! A wijkondernemer asks for the letters of an area (`POST /api/letters`) and gets them as a PDF to
//! print or as a CSV for a mail merge. A resident who enters the code at `{site_url}/account.html`
//! sees what is known about the address, can contest it and can opt out. This module only renders:
//! it makes no codes, stores nothing and does no access checks (the caller does all three).
//!
//! The PDF is drawn with the [`crate::pdf`] helper (krilla, the embedded Liberation Sans, so
//! every ë, ĳ and € prints as typed and the text can be copied and searched); this module only
//! lays out a letter: A4, one page per letter, the sender, the window address, the code in a
//! frame, the site, the expiry date and the explanation in Dutch and English. The CSV goes
//! through the one CSV writer, [`crate::csv_file`].

use crate::csv_file::{self, CsvFile};
use crate::pdf::{self, A4, Page, Stroke, Style, mm};

/// One letter: the window address, the code and its expiry.
pub struct Letter {
    /// The whole address on one line, printed next to the code so the reader can check that the
    /// code belongs to this address, e.g. `Dorpsstraat 12A-2, 1999 AB Wijkdorp`.
    pub address_label: String,
    /// The street line of the window address, e.g. `Dorpsstraat 12A-2`. The line above it,
    /// *De bewoners van*, is added here; in the CSV this is the `adres` column.
    pub recipient: String,
    /// Postcode and place, the last line of the window address, e.g. `1999 AB Wijkdorp`.
    pub postcode_place: String,
    /// The verification code as the resident types it, e.g. `K7QF-9XMA-2PT4`.
    pub code: String,
    /// Last day the code is valid, ISO 8601 (`2027-02-24`).
    pub expires_on: String,
}

/// What is the same on every letter of a batch.
pub struct LetterTemplate {
    /// Name of the wijkbedrijf that sends the letters (letterhead and signature).
    pub sender: String,
    /// Base URL of this wijkwerk site without a trailing slash, e.g. `http://127.0.0.1:8080`.
    pub site_url: String,
}

/// The letters as one PDF, one A4 page per letter, in the order given.
///
/// Callers never pass an empty slice (an area without addresses is answered before rendering);
/// if one does, the PDF has a single page saying *Geen adressen / No addresses*, because a PDF
/// without pages is not valid.
pub fn to_pdf(letters: &[Letter], t: &LetterTemplate) -> Result<Vec<u8>, pdf::Error> {
    let mut doc = pdf::Document::new("Adresbrieven");
    if letters.is_empty() {
        doc.push(&empty_page().page)?;
    }
    for l in letters {
        doc.push(&letter_page(l, t).page)?;
    }
    doc.finish()
}

/// The letters as CSV for a mail merge: header `adres,postcode_plaats,code,geldig_tot`, one row
/// per letter (UTF-8 with a byte-order mark, CRLF, formulas defused: see [`crate::csv_file`]).
pub fn to_csv(letters: &[Letter]) -> Result<Vec<u8>, csv::Error> {
    let mut csv = CsvFile::new(["adres", "postcode_plaats", "code", "geldig_tot"])?;
    for l in letters {
        csv.record(
            [&l.recipient, &l.postcode_place, &l.code, &l.expires_on].map(|f| csv_file::defuse(f)),
        )?;
    }
    csv.finish()
}

// ---- layout --------------------------------------------------------------------------------

/// Left and right margin; the window address starts here too (window envelope, 25 mm).
const MARGIN_PT: f32 = mm(25.0);

/// A page being laid out top to bottom: `x` is the left edge of the text, `y` the next baseline
/// from the top of the page.
struct Flow {
    page: Page,
    x: f32,
    y: f32,
}

impl Flow {
    /// A page whose first baseline is `from_top` mm below the top edge.
    fn starting_at_mm(from_top: f32) -> Self {
        Self {
            page: Page::a4(),
            x: MARGIN_PT,
            y: mm(from_top),
        }
    }

    fn move_to_mm(&mut self, from_top: f32) {
        self.y = mm(from_top);
    }

    /// Sets `text` wrapped to the right margin, one line per 1.3 × the size. An indent from the
    /// left margin is kept on the right too, so indented text stays inside the frame.
    fn text(&mut self, style: Style, text: &str) {
        let width = A4.0 - 2.0 * self.x;
        self.y = self
            .page
            .text_block(self.x, self.y, width, style, style.size * 1.3, text);
    }

    /// A paragraph: wrapped text and half a line of space after it.
    fn paragraph(&mut self, style: Style, text: &str) {
        self.text(style, text);
        self.y += style.size * 0.6;
    }

    /// A rectangle from the left margin to the right one, between `top` and `bottom`.
    fn frame(&mut self, top: f32, bottom: f32) {
        let width = A4.0 - 2.0 * MARGIN_PT;
        self.page
            .rect(MARGIN_PT, top, width, bottom - top, Stroke::black(0.8));
    }
}

fn letter_page(l: &Letter, t: &LetterTemplate) -> Flow {
    let (regular, bold) = (Style::regular, Style::bold);
    let sender = &t.sender;
    let url = format!("{}/account.html", t.site_url);
    let expires = &l.expires_on;
    let what = format!(
        "{sender} houdt met wijkwerk waarnemingen bij over woningen in deze buurt, bijvoorbeeld \
         of er zonnepanelen op het dak liggen. Zulke waarnemingen kunnen ook over jouw adres gaan."
    );
    let how = format!(
        "Met de code hieronder kun je zien wat er over je adres bekend is, een waarneming \
         betwisten en aangeven dat je niet benaderd wilt worden (niet aanbellen). Ga daarvoor \
         naar {url}, meld je aan met je e-mailadres en vul de code in."
    );
    let share = "Er is één code per adres. Deel de code alleen met wie op dit adres woont: met de \
                 code kan iemand zien wat er over dit adres bekend is.";
    let nothing = "Wil je de code niet gebruiken? Dan hoef je niets te doen. Door deze brief \
                   worden geen gegevens over je opgeslagen.";
    let english = format!(
        "{sender} uses wijkwerk to keep observations about homes in this neighbourhood. With the \
         code above you can see what is known about your address, contest an observation and \
         opt out of door-to-door visits (do-not-knock) at {url}: sign in with your e-mail \
         address and enter the code. The code is valid until {expires}; there is one code per \
         address. If you do not want to use it, do nothing: no data about you is stored because \
         of this letter."
    );

    let mut p = Flow::starting_at_mm(20.0);
    p.text(bold(12.0), sender);
    p.text(regular(9.0), &t.site_url);

    // The window of a Dutch window envelope: 25 mm from the left, from 50 mm below the top.
    p.move_to_mm(54.0);
    p.text(regular(11.0), "De bewoners van");
    p.text(regular(11.0), &l.recipient);
    p.text(regular(11.0), &l.postcode_place);

    p.move_to_mm(100.0);
    p.paragraph(bold(11.0), "Betreft: je adrescode voor wijkwerk");
    p.paragraph(regular(10.0), "Beste bewoner,");
    p.paragraph(regular(10.0), &what);
    p.paragraph(regular(10.0), &how);

    // The code, framed and indented so it stands out.
    let top = p.y - 4.0;
    p.y += 12.0;
    p.x += 12.0;
    p.text(regular(10.0), "Je code / Your code:");
    p.y += 10.0;
    p.text(bold(24.0), &l.code);
    p.text(
        regular(10.0),
        &format!("Geldig tot / Valid until: {expires}"),
    );
    p.text(
        regular(10.0),
        &format!("Adres / Address: {}", l.address_label),
    );
    p.x -= 12.0;
    p.frame(top, p.y - 4.0);
    p.y += 18.0;

    p.paragraph(regular(10.0), share);
    p.paragraph(regular(10.0), nothing);
    p.text(regular(10.0), "Met vriendelijke groet,");
    p.paragraph(regular(10.0), sender);

    p.y += 6.0;
    p.text(bold(9.0), "In English");
    p.text(regular(9.0), &english);
    p
}

fn empty_page() -> Flow {
    let mut p = Flow::starting_at_mm(30.0);
    p.paragraph(Style::bold(14.0), "Geen adressen / No addresses");
    p.text(
        Style::regular(10.0),
        "Er zijn geen brieven gemaakt: het gebied heeft geen adressen. / No letters were made: \
         the area has no addresses.",
    );
    p
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use crate::pdf::poppler::PdfFile;

    fn letter(street: &str, place: &str, code: &str) -> Letter {
        Letter {
            address_label: format!("{street}, {place}"),
            recipient: street.into(),
            postcode_place: place.into(),
            code: code.into(),
            expires_on: "2027-02-24".into(),
        }
    }

    fn three_letters() -> Vec<Letter> {
        vec![
            letter("Poëzielaan 3", "1999 AB Wijkdorp", "K7QF-9XMA-2PT4"),
            letter("Ĳsselkade 1", "6861 AB Oosterbeek", "M3RD-7KWE-4HNP"),
            letter(
                "Rijnkaai 3 – De Ruïne (achter)",
                "6981 CD Doesburg",
                "Z9TB-2QXC-8LVJ",
            ),
        ]
    }

    fn template() -> LetterTemplate {
        LetterTemplate {
            sender: "Wijkbedrijf Ons Dorp (Noord)".into(),
            site_url: "http://127.0.0.1:8080".into(),
        }
    }

    /// The text of each page as `pdftotext` reads it, with runs of white space made one space.
    fn pages(pdf: &PdfFile) -> Vec<String> {
        // pdftotext ends every page with a form feed.
        pdf.text()
            .split_terminator('\u{c}')
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn poppler_reads_one_letter_per_page_with_dutch_names_as_typed() {
        let letters = three_letters();
        let pdf = PdfFile::new(&to_pdf(&letters, &template()).unwrap());
        let info = pdf.info();
        assert!(
            info.lines()
                .any(|l| l.split_whitespace().eq(["Pages:", "3"])),
            "pdfinfo: {info}"
        );
        assert!(info.contains("A4"), "pdfinfo: {info}");
        assert!(info.contains("Title:           Adresbrieven"), "{info}");
        let pages = pages(&pdf);
        assert_eq!(pages.len(), 3, "{pages:?}");
        for (page, l) in pages.iter().zip(&letters) {
            for needle in [
                "Wijkbedrijf Ons Dorp (Noord) http://127.0.0.1:8080 De bewoners van",
                &format!("De bewoners van {} {}", l.recipient, l.postcode_place),
                "Betreft: je adrescode voor wijkwerk",
                &format!("Je code / Your code: {}", l.code),
                "Geldig tot / Valid until: 2027-02-24",
                &format!("Adres / Address: {}", l.address_label),
                "naar http://127.0.0.1:8080/account.html, meld je aan",
                "Er is één code per adres.",
                "Met vriendelijke groet, Wijkbedrijf Ons Dorp (Noord) In English",
                "The code is valid until 2027-02-24;",
            ] {
                assert!(page.contains(needle), "{needle:?} missing from {page}");
            }
        }
        // The Dutch letters come out as they went in: no `IJ`, `?` or dropped accent.
        assert!(pages[0].contains("De bewoners van Poëzielaan 3 1999 AB Wijkdorp"));
        assert!(pages[1].contains("Adres / Address: Ĳsselkade 1, 6861 AB Oosterbeek"));
        assert!(pages[2].contains("Rijnkaai 3 – De Ruïne (achter), 6981 CD Doesburg"));
        assert!(!pages[0].contains(&letters[1].code));
        for page in &pages {
            // The one question mark of the text ("Wil je de code niet gebruiken?"), no glyph
            // the font lacked.
            assert_eq!(page.matches('?').count(), 1, "{page}");
        }
    }

    #[test]
    fn fonts_are_embedded_subsets_with_unicode_maps() {
        let pdf = PdfFile::new(&to_pdf(&three_letters(), &template()).unwrap());
        let fonts = pdf.fonts();
        let mut names: Vec<&str> = fonts
            .iter()
            .map(|f| f[0].split_once('+').map_or(f[0].as_str(), |(_, n)| n))
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names,
            ["LiberationSans", "LiberationSans-Bold"],
            "{fonts:?}"
        );
        for f in &fonts {
            // name type… emb sub uni object generation
            assert_eq!(&f[f.len() - 5..f.len() - 2], ["yes", "yes", "yes"], "{f:?}");
        }
    }

    #[test]
    fn empty_input_gives_one_page_saying_so() {
        let pdf = PdfFile::new(&to_pdf(&[], &template()).unwrap());
        let pages = pages(&pdf);
        assert_eq!(pages.len(), 1);
        assert!(
            pages[0].starts_with("Geen adressen / No addresses Er zijn geen brieven gemaakt"),
            "{pages:?}"
        );
    }

    #[test]
    fn characters_pdf_syntax_uses_print_as_typed() {
        let mut l = letter(r"Hof (oud) \ 1 <a> %x", "1999 AB Wijkdorp", "CODE");
        l.address_label = "x".into();
        let pdf = PdfFile::new(&to_pdf(&[l], &template()).unwrap());
        let page = &pages(&pdf)[0];
        assert!(
            page.contains(r"De bewoners van Hof (oud) \ 1 <a> %x"),
            "{page}"
        );
    }

    #[test]
    fn long_inputs_stay_above_the_bottom_margin() {
        // 20 mm: what office printers leave unprinted is well under that.
        const BOTTOM_MARGIN_PT: f32 = mm(20.0);
        let mut l = letter(
            "Burgemeester van der Vlugt-Stoffelsstraat 1234A-III",
            "1999 AB Sint-Wijkdorp-aan-de-Lange-Vaart",
            "K7QF-9XMA-2PT4-K7QF-9XMA-2PT4",
        );
        l.address_label = l.address_label.repeat(3);
        let t = LetterTemplate {
            sender: "Stichting Wijkbedrijf Ons Mooie Dorp en Omstreken (Noord en Oost)".into(),
            site_url: "https://wijkwerk.gemeente-wijkdorp.example.nl/bewoners/portaal".into(),
        };
        let page = letter_page(&l, &t);
        assert!(
            page.y < A4.1 - BOTTOM_MARGIN_PT,
            "last baseline at {} pt from the top",
            page.y
        );
        // The short letter ends well above that too.
        assert!(letter_page(&three_letters()[0], &template()).y < A4.1 - mm(40.0));
    }

    #[test]
    fn csv_has_bom_header_and_crlf() {
        let csv = String::from_utf8(to_csv(&three_letters()).unwrap()).unwrap();
        let body = csv.strip_prefix('\u{FEFF}').unwrap();
        let rows: Vec<&str> = body.split_terminator("\r\n").collect();
        assert_eq!(rows[0], "adres,postcode_plaats,code,geldig_tot");
        assert_eq!(
            rows[1],
            "Poëzielaan 3,1999 AB Wijkdorp,K7QF-9XMA-2PT4,2027-02-24"
        );
        assert_eq!(
            rows[2],
            "Ĳsselkade 1,6861 AB Oosterbeek,M3RD-7KWE-4HNP,2027-02-24"
        );
        assert_eq!(rows.len(), 4);
        assert!(body.ends_with("\r\n"));
        assert!(!body.replace("\r\n", "").contains('\n'));
        assert_eq!(
            to_csv(&[]).unwrap(),
            "\u{FEFF}adres,postcode_plaats,code,geldig_tot\r\n".as_bytes()
        );
    }

    #[test]
    fn csv_quotes_fields_that_need_it_and_defuses_formulas() {
        let mut l = letter("Hof 1, achter", "=HYPERLINK(\"x\")", "-2");
        l.expires_on = "@SUM(A1)".into();
        let csv = String::from_utf8(to_csv(&[l]).unwrap()).unwrap();
        assert_eq!(
            csv.split("\r\n").nth(1).unwrap(),
            r#""Hof 1, achter","'=HYPERLINK(""x"")",'-2,'@SUM(A1)"#
        );
    }
}
