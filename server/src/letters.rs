//! Address-verification letters: one printed letter per address, carrying a code that proves the
//! reader lives there.
//!
//! A wijkondernemer asks for the letters of an area (`POST /api/letters`) and gets them as a PDF to
//! print or as a CSV for a mail merge. A resident who enters the code at `{site_url}/account.html`
//! sees what is known about the address, can contest it and can opt out. This module only renders:
//! it makes no codes, stores nothing and does no access checks (the caller does all three).
//!
//! The PDF is written by hand (no crate): PDF 1.4, A4, one page per letter, uncompressed content
//! streams, the standard Type1 fonts Helvetica and Helvetica-Bold with `/WinAnsiEncoding`, so
//! nothing is embedded and every viewer has the fonts. Steps:
//!
//! 1. text → Windows-1252 bytes (`to_cp1252`; what cp1252 lacks becomes `?`);
//! 2. lay out each page: greedy line wrapping with the fonts' Adobe metrics, top to bottom;
//! 3. write the objects, remembering each byte offset, then the xref table, trailer and `%%EOF`.

use std::borrow::Cow;

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
#[must_use]
pub fn to_pdf(letters: &[Letter], t: &LetterTemplate) -> Vec<u8> {
    let pages: Vec<Vec<u8>> = if letters.is_empty() {
        vec![empty_page().ops]
    } else {
        letters.iter().map(|l| letter_page(l, t).ops).collect()
    };
    write_pdf(&pages)
}

/// The letters as CSV for a mail merge: header `adres,postcode_plaats,code,geldig_tot`, one row
/// per letter.
///
/// RFC 4180: CRLF line ends; a field with `,`, `"`, CR or LF is quoted and its quotes doubled.
/// UTF-8 with a byte-order mark: without it Excel, the program most wijkbedrijven open CSV with,
/// reads the file as the Windows code page and garbles every ë and é. A field that starts with
/// `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so a spreadsheet shows it as text instead of
/// evaluating it as a formula (CSV injection).
#[must_use]
pub fn to_csv(letters: &[Letter]) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}adres,postcode_plaats,code,geldig_tot\r\n");
    for l in letters {
        let fields =
            [&l.recipient, &l.postcode_place, &l.code, &l.expires_on].map(|f| csv_field(f));
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn csv_field(value: &str) -> String {
    let value: Cow<'_, str> = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    };
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.into_owned()
    }
}

// ---- text encoding -------------------------------------------------------------------------

/// Windows-1252 bytes 0x80..=0x9F as characters (`\0` where cp1252 has none); the rest of
/// 0xA0..=0xFF is Latin-1.
const CP1252_80_9F: [char; 32] = [
    '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0', '‘',
    '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
];

/// Text → `WinAnsi` (Windows-1252) bytes for a Type1 font with `/WinAnsiEncoding`.
///
/// Characters outside cp1252 become `?`, with one exception: the Dutch ligatures ĳ and Ĳ
/// (U+0133, U+0132) become `ij` and `IJ`, which is how every Dutch address is read anyway.
/// Control characters (a stray tab or newline in an address) become a space. Input is expected
/// in NFC, as the registers deliver it: a decomposed `e` + U+0308 prints as `e?`.
fn to_cp1252(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{0}'..='\u{1f}' | '\u{7f}' => out.push(b' '),
            ' '..='~' | '\u{a0}'..='\u{ff}' => out.push(u8::try_from(c).unwrap_or(b'?')),
            'ĳ' => out.extend_from_slice(b"ij"),
            'Ĳ' => out.extend_from_slice(b"IJ"),
            _ => {
                let i = CP1252_80_9F.iter().position(|&x| x == c);
                out.push(i.and_then(|i| u8::try_from(0x80 + i).ok()).unwrap_or(b'?'));
            }
        }
    }
    out
}

/// A PDF literal string `( … )` of `WinAnsi` bytes. Only `(`, `)` and `\` need escaping: control
/// bytes, which the PDF reader would reinterpret, never leave [`to_cp1252`].
fn pdf_string(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.push(b'(');
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

// ---- layout --------------------------------------------------------------------------------

const PAGE_WIDTH_PT: f32 = 595.0;
const PAGE_HEIGHT_PT: f32 = 842.0;
const PT_PER_MM: f32 = 72.0 / 25.4;
/// Left and right margin; the window address starts here too (window envelope, 25 mm).
const MARGIN_PT: f32 = 25.0 * PT_PER_MM;

/// Widths of `WinAnsi` 32..=126 in 1/1000 em, from Adobe's Core 14 AFM files.
const HELVETICA_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const HELVETICA_BOLD_WIDTHS: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];
/// Width assumed for bytes above 126: at least that of every accented letter but Æ and æ (and of
/// €), so wrapping errs towards short lines. Wider glyphs (—, …, Œ) are rare in addresses.
const WIDE_GLYPH: u16 = 722;

#[derive(Clone, Copy)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    /// Resource name in the page tree's `/Font` dictionary.
    fn resource(self) -> &'static str {
        match self {
            Self::Regular => "F1",
            Self::Bold => "F2",
        }
    }

    fn width_pt(self, bytes: &[u8], size: f32) -> f32 {
        let table = match self {
            Self::Regular => &HELVETICA_WIDTHS,
            Self::Bold => &HELVETICA_BOLD_WIDTHS,
        };
        let units: f32 = bytes
            .iter()
            .map(|&b| {
                let i = usize::from(b.wrapping_sub(32));
                f32::from(table.get(i).copied().unwrap_or(WIDE_GLYPH))
            })
            .sum();
        units / 1000.0 * size
    }
}

/// Greedy word wrap of `WinAnsi` bytes at spaces; a word wider than the line is cut.
fn wrap(text: &[u8], font: Font, size: f32, max_pt: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for mut word in text.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() {
            let mut longer = line.clone();
            longer.push(b' ');
            longer.extend_from_slice(word);
            if font.width_pt(&longer, size) <= max_pt {
                line = longer;
                continue;
            }
            lines.push(std::mem::take(&mut line));
        }
        while font.width_pt(word, size) > max_pt {
            let fits = (1..word.len())
                .take_while(|&n| font.width_pt(&word[..n], size) <= max_pt)
                .last()
                .unwrap_or(1);
            lines.push(word[..fits].to_vec());
            word = &word[fits..];
        }
        line.extend_from_slice(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A page's content stream under construction. `y` is the next baseline, from the bottom.
struct Page {
    ops: Vec<u8>,
    x: f32,
    y: f32,
}

impl Page {
    /// A page whose first baseline is `mm` below the top edge.
    fn starting_at_mm(mm: f32) -> Self {
        Self {
            ops: Vec::new(),
            x: MARGIN_PT,
            y: PAGE_HEIGHT_PT - mm * PT_PER_MM,
        }
    }

    fn move_to_mm(&mut self, mm_from_top: f32) {
        self.y = PAGE_HEIGHT_PT - mm_from_top * PT_PER_MM;
    }

    /// Sets `text` wrapped to the right margin, one line per 1.3 × `size`. An indent from the
    /// left margin is kept on the right too, so indented text stays inside the frame.
    fn text(&mut self, font: Font, size: f32, text: &str) {
        let max_pt = PAGE_WIDTH_PT - 2.0 * self.x;
        for line in wrap(&to_cp1252(text), font, size, max_pt) {
            let head = format!(
                "BT /{} {size} Tf {:.2} {:.2} Td ",
                font.resource(),
                self.x,
                self.y
            );
            self.ops.extend_from_slice(head.as_bytes());
            self.ops.extend_from_slice(&pdf_string(&line));
            self.ops.extend_from_slice(b" Tj ET\n");
            self.y -= size * 1.3;
        }
    }

    /// A paragraph: wrapped text and half a line of space after it.
    fn paragraph(&mut self, font: Font, size: f32, text: &str) {
        self.text(font, size, text);
        self.y -= size * 0.6;
    }

    /// A stroked rectangle from the left margin to the right one, between two baselines.
    fn frame(&mut self, top: f32, bottom: f32) {
        let width = PAGE_WIDTH_PT - 2.0 * MARGIN_PT;
        let r = format!(
            "0.8 w {MARGIN_PT:.2} {bottom:.2} {width:.2} {:.2} re S\n",
            top - bottom
        );
        self.ops.extend_from_slice(r.as_bytes());
    }
}

fn letter_page(l: &Letter, t: &LetterTemplate) -> Page {
    use Font::{Bold, Regular};
    let sender = &t.sender;
    let url = format!("{}/account.html", t.site_url);
    let expires = &l.expires_on;
    let what = format!(
        "{sender} houdt met wijkwerk waarnemingen bij over woningen in deze buurt, bijvoorbeeld \
         of er zonnepanelen op het dak liggen. Zulke waarnemingen kunnen ook over uw adres gaan."
    );
    let how = format!(
        "Met de code hieronder kunt u zien wat er over uw adres bekend is, een waarneming \
         betwisten en aangeven dat u niet benaderd wilt worden (niet aanbellen). Ga daarvoor \
         naar {url}, meld u aan met uw e-mailadres en vul de code in."
    );
    let share = "Er is één code per adres. Deel de code alleen met wie op dit adres woont: met de \
                 code kan iemand zien wat er over dit adres bekend is.";
    let nothing = "Wilt u de code niet gebruiken? Dan hoeft u niets te doen. Door deze brief \
                   worden geen gegevens over u opgeslagen.";
    let english = format!(
        "{sender} uses wijkwerk to keep observations about homes in this neighbourhood. With the \
         code above you can see what is known about your address, contest an observation and \
         opt out of door-to-door visits (do-not-knock) at {url}: sign in with your e-mail \
         address and enter the code. The code is valid until {expires}; there is one code per \
         address. If you do not want to use it, do nothing: no data about you is stored because \
         of this letter."
    );

    let mut p = Page::starting_at_mm(20.0);
    p.text(Bold, 12.0, sender);
    p.text(Regular, 9.0, &t.site_url);

    // The window of a Dutch window envelope: 25 mm from the left, from 50 mm below the top.
    p.move_to_mm(54.0);
    p.text(Regular, 11.0, "De bewoners van");
    p.text(Regular, 11.0, &l.recipient);
    p.text(Regular, 11.0, &l.postcode_place);

    p.move_to_mm(100.0);
    p.paragraph(Bold, 11.0, "Betreft: uw adrescode voor wijkwerk");
    p.paragraph(Regular, 10.0, "Beste bewoners,");
    p.paragraph(Regular, 10.0, &what);
    p.paragraph(Regular, 10.0, &how);

    // The code, framed and indented so it stands out.
    let top = p.y + 4.0;
    p.y -= 12.0;
    p.x += 12.0;
    p.text(Regular, 10.0, "Uw code / Your code:");
    p.y -= 10.0;
    p.text(Bold, 24.0, &l.code);
    p.text(
        Regular,
        10.0,
        &format!("Geldig tot / Valid until: {expires}"),
    );
    p.text(
        Regular,
        10.0,
        &format!("Adres / Address: {}", l.address_label),
    );
    p.x -= 12.0;
    p.frame(top, p.y + 4.0);
    p.y -= 18.0;

    p.paragraph(Regular, 10.0, share);
    p.paragraph(Regular, 10.0, nothing);
    p.text(Regular, 10.0, "Met vriendelijke groet,");
    p.paragraph(Regular, 10.0, sender);

    p.y -= 6.0;
    p.text(Bold, 9.0, "In English");
    p.text(Regular, 9.0, &english);
    p
}

fn empty_page() -> Page {
    let mut p = Page::starting_at_mm(30.0);
    p.paragraph(Font::Bold, 14.0, "Geen adressen / No addresses");
    p.text(
        Font::Regular,
        10.0,
        "Er zijn geen brieven gemaakt: het gebied heeft geen adressen. / No letters were made: \
         the area has no addresses.",
    );
    p
}

// ---- file structure ------------------------------------------------------------------------

/// Appends numbered objects and remembers where each starts, for the xref table.
struct PdfWriter {
    out: Vec<u8>,
    offsets: Vec<usize>,
}

impl PdfWriter {
    fn new() -> Self {
        // The comment of four high bytes tells transfer tools the file is binary.
        Self {
            out: b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec(),
            offsets: Vec::new(),
        }
    }

    /// Writes object `id`. Ids must come 1, 2, 3, … in order, because the xref table lists
    /// offsets by id and this writer keeps them in a plain vector.
    fn object(&mut self, id: usize, body: &[u8]) {
        debug_assert_eq!(id, self.offsets.len() + 1, "objects out of order");
        self.offsets.push(self.out.len());
        self.out
            .extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    fn finish(mut self, root: usize, info: usize) -> Vec<u8> {
        let xref_at = self.out.len();
        let size = self.offsets.len() + 1;
        let head = format!("xref\n0 {size}\n0000000000 65535 f \n");
        self.out.extend_from_slice(head.as_bytes());
        for offset in &self.offsets {
            // Exactly 20 bytes: 10-digit offset, generation, `n`, space, LF.
            self.out
                .extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        let trailer = format!(
            "trailer\n<< /Size {size} /Root {root} 0 R /Info {info} 0 R >>\n\
             startxref\n{xref_at}\n%%EOF\n"
        );
        self.out.extend_from_slice(trailer.as_bytes());
        self.out
    }
}

/// Objects: 1 catalog, 2 page tree (with the shared fonts and A4 media box, inherited by every
/// page), 3 and 4 the fonts, 5 the document info, then per page its page object and content.
fn write_pdf(contents: &[Vec<u8>]) -> Vec<u8> {
    let page_id = |k: usize| 6 + 2 * k;
    let mut pdf = PdfWriter::new();
    pdf.object(1, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..contents.len())
        .map(|k| format!("{} 0 R", page_id(k)))
        .collect();
    let tree = format!(
        "<< /Type /Pages /Kids [{}] /Count {} /MediaBox [0 0 {PAGE_WIDTH_PT} {PAGE_HEIGHT_PT}] \
         /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>",
        kids.join(" "),
        contents.len()
    );
    pdf.object(2, tree.as_bytes());
    for (id, name) in [(3, "Helvetica"), (4, "Helvetica-Bold")] {
        let font = format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>"
        );
        pdf.object(id, font.as_bytes());
    }
    pdf.object(5, b"<< /Title (Adresbrieven) /Producer (wijkwerk) >>");
    for (k, content) in contents.iter().enumerate() {
        let page = format!(
            "<< /Type /Page /Parent 2 0 R /Contents {} 0 R >>",
            page_id(k) + 1
        );
        pdf.object(page_id(k), page.as_bytes());
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(content);
        stream.extend_from_slice(b"\nendstream");
        pdf.object(page_id(k) + 1, &stream);
    }
    pdf.finish(1, 5)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use std::process::Command;

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
            letter("Dorpsstraat 12A-2", "1999 AC Wijkdorp", "M3RD-7KWE-4HNP"),
            letter(
                "Ĳsselkade 7 (achter)",
                "1999 AD Café-Oord",
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

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    fn count(haystack: &[u8], needle: &[u8]) -> usize {
        haystack
            .windows(needle.len())
            .filter(|w| *w == needle)
            .count()
    }

    #[test]
    fn xref_offsets_point_at_their_objects_and_stream_lengths_match() {
        let pdf = to_pdf(&three_letters(), &template());
        assert!(pdf.starts_with(b"%PDF-1.4\n"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let startxref = find(&pdf, b"startxref\n").unwrap();
        let tail = std::str::from_utf8(&pdf[startxref..]).unwrap();
        let xref_at: usize = tail.lines().nth(1).unwrap().parse().unwrap();
        let table = std::str::from_utf8(&pdf[xref_at..]).unwrap();
        let mut lines = table.split_inclusive('\n');
        assert_eq!(lines.next(), Some("xref\n"));
        let size: usize = lines
            .next()
            .unwrap()
            .trim()
            .strip_prefix("0 ")
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(size, 6 + 2 * 3);
        assert_eq!(lines.next(), Some("0000000000 65535 f \n"));
        for id in 1..size {
            let entry = lines.next().unwrap();
            assert_eq!(entry.len(), 20, "entry {id}: {entry:?}");
            assert!(entry.ends_with(" 00000 n \n"));
            let offset: usize = entry[..10].parse().unwrap();
            assert!(
                pdf[offset..].starts_with(format!("{id} 0 obj\n").as_bytes()),
                "xref entry {id} points at {offset}"
            );
        }
        assert!(lines.next().unwrap().starts_with("trailer"));
        assert!(table.contains(&format!("/Size {size} /Root 1 0 R")));

        let mut streams = 0;
        let mut at = 0;
        while let Some(i) = find(&pdf[at..], b"/Length ") {
            let start = at + i + b"/Length ".len();
            let digits = pdf[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let len: usize = std::str::from_utf8(&pdf[start..start + digits])
                .unwrap()
                .parse()
                .unwrap();
            let data = start + digits + b" >>\nstream\n".len();
            assert!(pdf[data + len..].starts_with(b"\nendstream"));
            streams += 1;
            at = data + len;
        }
        assert_eq!(streams, 3);
    }

    #[test]
    fn one_page_per_letter() {
        let pdf = to_pdf(&three_letters(), &template());
        assert_eq!(count(&pdf, b"/Type /Page "), 3);
        assert!(find(&pdf, b"/Count 3 ").is_some());
        assert!(
            find(
                &pdf,
                b"/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding"
            )
            .is_some()
        );
    }

    #[test]
    fn empty_input_gives_one_page_saying_so() {
        let pdf = to_pdf(&[], &template());
        assert_eq!(count(&pdf, b"/Type /Page "), 1);
        assert!(find(&pdf, b"/Count 1 ").is_some());
        assert!(find(&pdf, b"(Geen adressen / No addresses)").is_some());
    }

    #[test]
    fn strings_escape_parentheses_and_backslashes() {
        assert_eq!(pdf_string(br"a(b)c\d"), br"(a\(b\)c\\d)".to_vec());
        let mut l = letter(r"Hof (oud) \ 1", "1999 AB Wijkdorp", "CODE");
        l.address_label = "x".into();
        let pdf = to_pdf(&[l], &template());
        assert!(find(&pdf, br"(Hof \(oud\) \\ 1)").is_some());
        assert!(find(&pdf, br"(Wijkbedrijf Ons Dorp \(Noord\))").is_some());
    }

    #[test]
    fn text_maps_to_cp1252() {
        assert_eq!(
            to_cp1252("Poëzie café €5"),
            b"Po\xEBzie caf\xE9 \x805".to_vec()
        );
        assert_eq!(to_cp1252("“ü” – Œ"), b"\x93\xFC\x94 \x96 \x8C".to_vec());
        assert_eq!(to_cp1252("Ĳsselkade, Wĳk"), b"IJsselkade, Wijk".to_vec());
        assert_eq!(to_cp1252("漢🙂ł"), b"???".to_vec());
        assert_eq!(to_cp1252("a\tb\nc\u{85}"), b"a b c?".to_vec());
        let pdf = to_pdf(
            &[letter("Poëzielaan 3", "1999 AB Wijkdorp", "C")],
            &template(),
        );
        assert!(find(&pdf, b"(Po\xEBzielaan 3)").is_some());
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_overlong_words() {
        let lines = wrap(b"aaa bbb ccc", Font::Regular, 10.0, 40.0);
        assert_eq!(lines, vec![b"aaa bbb".to_vec(), b"ccc".to_vec()]);
        let long = wrap(&[b'W'; 30], Font::Regular, 10.0, 50.0);
        assert!(long.len() > 1);
        assert!(long.iter().all(|l| Font::Regular.width_pt(l, 10.0) <= 50.0));
        assert_eq!(long.concat(), vec![b'W'; 30]);
    }

    #[test]
    fn long_inputs_stay_above_the_bottom_margin() {
        // 20 mm: what office printers leave unprinted is well under that.
        const BOTTOM_MARGIN_PT: f32 = 20.0 * PT_PER_MM;
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
        assert!(page.y > BOTTOM_MARGIN_PT, "last baseline at {} pt", page.y);
    }

    #[test]
    fn csv_has_bom_header_and_crlf() {
        let csv = String::from_utf8(to_csv(&three_letters())).unwrap();
        let body = csv.strip_prefix('\u{FEFF}').unwrap();
        let rows: Vec<&str> = body.split_terminator("\r\n").collect();
        assert_eq!(rows[0], "adres,postcode_plaats,code,geldig_tot");
        assert_eq!(
            rows[1],
            "Poëzielaan 3,1999 AB Wijkdorp,K7QF-9XMA-2PT4,2027-02-24"
        );
        assert_eq!(rows.len(), 4);
        assert!(body.ends_with("\r\n"));
        assert!(!body.replace("\r\n", "").contains('\n'));
        assert_eq!(
            to_csv(&[]),
            "\u{FEFF}adres,postcode_plaats,code,geldig_tot\r\n".as_bytes()
        );
    }

    #[test]
    fn csv_quotes_fields_that_need_it() {
        assert_eq!(csv_field("Hof 1, achter"), "\"Hof 1, achter\"");
        assert_eq!(csv_field(r#"De "Oude" Hof"#), r#""De ""Oude"" Hof""#);
        assert_eq!(csv_field("a\nb"), "\"a\nb\"");
        assert_eq!(csv_field("Dorpsstraat 12A-2"), "Dorpsstraat 12A-2");
    }

    #[test]
    fn csv_guards_against_formula_injection() {
        for bad in ["=1+1", "+31", "-2", "@SUM(A1)", "\tx"] {
            assert_eq!(csv_field(bad), format!("'{bad}"));
        }
        assert_eq!(
            csv_field("=HYPERLINK(\"x\",\"y\")"),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_field("\rx"), "\"'\rx\"");
    }

    /// A file removed however the test ends, a failed assertion included.
    struct TempFile(std::path::PathBuf);

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// Runs a poppler tool; poppler reports a broken xref or syntax on stderr, so that must be
    /// empty too.
    fn poppler(tool: &str, args: &[&str]) -> String {
        let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
            panic!(
                "cannot run `{tool}` ({e}): this test needs poppler-utils \
                 (Debian: apt-get install -y poppler-utils); it is not skipped"
            )
        });
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{tool} failed: {stderr}");
        assert!(
            stderr.is_empty(),
            "{tool} complained about the PDF: {stderr}"
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn poppler_reads_three_letters() {
        let letters = three_letters();
        let file = TempFile(
            std::env::temp_dir().join(format!("wijkwerk-letters-{}.pdf", std::process::id())),
        );
        std::fs::write(&file.0, to_pdf(&letters, &template())).unwrap();
        let path = file.0.to_str().unwrap();
        let text = poppler("pdftotext", &["-enc", "UTF-8", path, "-"]);
        let info = poppler("pdfinfo", &[path]);

        assert!(
            info.lines()
                .any(|l| l.split_whitespace().eq(["Pages:", "3"])),
            "pdfinfo: {info}"
        );
        assert!(info.contains("A4"), "pdfinfo: {info}");
        // pdftotext ends every page with a form feed.
        let pages: Vec<&str> = text.split_terminator('\u{c}').collect();
        assert_eq!(pages.len(), 3, "{text}");
        let streets = ["Poëzielaan 3", "Dorpsstraat 12A-2", "IJsselkade 7 (achter)"];
        for ((page, l), street) in pages.iter().zip(&letters).zip(streets) {
            assert!(page.contains(&l.code), "{} missing from {page}", l.code);
            assert!(page.contains(street), "{street} missing from {page}");
            assert!(page.contains(&l.postcode_place), "{page}");
            assert!(page.contains("De bewoners van"), "{page}");
            assert!(
                page.contains("http://127.0.0.1:8080/account.html"),
                "{page}"
            );
            assert!(page.contains("Wijkbedrijf Ons Dorp (Noord)"), "{page}");
        }
        assert!(!pages[0].contains(&letters[1].code));
    }
}
