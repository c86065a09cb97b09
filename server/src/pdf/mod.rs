//! PDF documents: pages of text lines, wrapped text blocks, lines and polygons, set in the
//! embedded Liberation Sans (`text.rs`, `server/fonts/`) and written by the krilla crate (ADR 0012).
//!
//! A [`Page`] records what is drawn on it; [`Document::push`] writes it into the PDF at once, so a
//! document of a thousand letters holds one page's drawing at a time. Coordinates are points
//! (1/72 inch) from the top-left corner of the page, y downwards (krilla's and SVG's convention);
//! text is placed by its baseline. [`mm`] converts millimetres.
//!
//! ```ignore
//! use server::pdf::{Document, Page, Rgb, Style, mm};
//! let mut doc = Document::new("Looplijst");
//! let mut page = Page::a4();
//! let next = page.text_block(mm(25.0), mm(30.0), mm(160.0), Style::regular(10.0), 13.0, "…");
//! page.polygon(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)], Some(Rgb::BLACK), None);
//! doc.push(&page)?;
//! let bytes = doc.finish()?;
//! ```

mod text;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineJoin};

pub use text::{Face, Shaped, Style};

/// A4 in points: 210 × 297 mm.
pub const A4: (f32, f32) = (mm(210.0), mm(297.0));

/// Millimetres in points.
pub const fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// A colour, 8 bits a channel (device RGB).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Black.
    pub const BLACK: Self = Self(0, 0, 0);

    fn paint(self) -> krilla::paint::Paint {
        rgb::Color::new(self.0, self.1, self.2).into()
    }
}

/// How a line or an outline is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    /// Width in points.
    pub width: f32,
    /// Colour.
    pub color: Rgb,
}

impl Stroke {
    /// Black, `width` pt wide.
    pub const fn black(width: f32) -> Self {
        Self {
            width,
            color: Rgb::BLACK,
        }
    }

    fn krilla(self) -> krilla::paint::Stroke {
        krilla::paint::Stroke {
            paint: self.color.paint(),
            width: self.width,
            line_join: LineJoin::Round,
            ..krilla::paint::Stroke::default()
        }
    }
}

/// Something drawn on a page.
#[derive(Debug)]
enum Item {
    /// One line of shaped text, its baseline starting at `at`.
    Text {
        at: (f32, f32),
        size: f32,
        face: Face,
        shaped: Shaped,
    },
    /// A polyline, or a polygon when `closed`.
    Path {
        points: Vec<(f32, f32)>,
        closed: bool,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    },
}

/// One page: its size and what is drawn on it, in order.
#[derive(Debug)]
pub struct Page {
    size: (f32, f32),
    items: Vec<Item>,
}

impl Page {
    /// An empty A4 page, portrait.
    pub fn a4() -> Self {
        Self::new(A4)
    }

    /// An empty page of `(width, height)` points.
    pub fn new(size: (f32, f32)) -> Self {
        Self {
            size,
            items: Vec::new(),
        }
    }

    /// `text` on one line, its baseline starting at (`x`, `y`), not wrapped. Returns its width.
    pub fn text_line(&mut self, x: f32, y: f32, style: Style, text: &str) -> f32 {
        let shaped = Shaped::new(text, style.face);
        let width = shaped.width(style.size);
        self.push_text(x, y, style, shaped);
        width
    }

    /// `text` wrapped at spaces to `width` points, the first baseline at (`x`, `y`) and each next
    /// one `leading` points lower. Returns the baseline after the last line (`y` for no text).
    pub fn text_block(
        &mut self,
        x: f32,
        y: f32,
        width: f32,
        style: Style,
        leading: f32,
        text: &str,
    ) -> f32 {
        let mut y = y;
        for line in Shaped::new(text, style.face).wrap(style.size, width) {
            self.push_text(x, y, style, line);
            y += leading;
        }
        y
    }

    fn push_text(&mut self, x: f32, y: f32, style: Style, shaped: Shaped) {
        if !shaped.glyphs().is_empty() {
            self.items.push(Item::Text {
                at: (x, y),
                size: style.size,
                face: style.face,
                shaped,
            });
        }
    }

    /// An open line through `points`.
    pub fn polyline(&mut self, points: &[(f32, f32)], stroke: Stroke) {
        self.path(points, false, None, Some(stroke));
    }

    /// A closed polygon through `points` (non-zero winding), filled, outlined or both.
    pub fn polygon(&mut self, points: &[(f32, f32)], fill: Option<Rgb>, stroke: Option<Stroke>) {
        self.path(points, true, fill, stroke);
    }

    /// The outline of the rectangle with top-left corner (`x`, `y`).
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, stroke: Stroke) {
        let (r, b) = (x + width, y + height);
        self.polygon(&[(x, y), (r, y), (r, b), (x, b)], None, Some(stroke));
    }

    fn path(
        &mut self,
        points: &[(f32, f32)],
        closed: bool,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    ) {
        if points.len() >= 2 && (fill.is_some() || stroke.is_some()) {
            self.items.push(Item::Path {
                points: points.to_vec(),
                closed,
                fill,
                stroke,
            });
        }
    }
}

/// A PDF that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("writing the PDF: {0}")]
pub struct Error(String);

/// A PDF under construction.
pub struct Document {
    doc: krilla::Document,
    pages: usize,
}

impl Document {
    /// An empty document with this title (shown by viewers; the language is Dutch).
    pub fn new(title: &str) -> Self {
        let mut doc = krilla::Document::new();
        doc.set_metadata(
            Metadata::new()
                .title(title.to_owned())
                .language("nl".to_owned())
                .creator("wijkwerk".to_owned()),
        );
        Self { doc, pages: 0 }
    }

    /// Writes `page` as the next page.
    pub fn push(&mut self, page: &Page) -> Result<(), Error> {
        let (w, h) = page.size;
        let settings =
            PageSettings::from_wh(w, h).ok_or_else(|| Error(format!("a page of {w} × {h} pt")))?;
        let mut p = self.doc.start_page_with(settings);
        let mut surface = p.surface();
        for item in &page.items {
            match item {
                Item::Text {
                    at,
                    size,
                    face,
                    shaped,
                } => {
                    surface.set_fill(Some(Fill::default()));
                    surface.set_stroke(None);
                    surface.draw_glyphs(
                        Point::from_xy(at.0, at.1),
                        shaped.glyphs(),
                        face.pdf_font(),
                        shaped.text(),
                        *size,
                        false,
                    );
                }
                Item::Path {
                    points,
                    closed,
                    fill,
                    stroke,
                } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(points[0].0, points[0].1);
                    for &(x, y) in &points[1..] {
                        pb.line_to(x, y);
                    }
                    if *closed {
                        pb.close();
                    }
                    // A path of coinciding points has no extent: nothing to draw.
                    let Some(path) = pb.finish() else { continue };
                    surface.set_fill(fill.map(|c| Fill {
                        paint: c.paint(),
                        ..Fill::default()
                    }));
                    surface.set_stroke(stroke.map(Stroke::krilla));
                    surface.draw_path(&path);
                }
            }
        }
        surface.finish();
        p.finish();
        self.pages += 1;
        Ok(())
    }

    /// The bytes of the PDF. A PDF needs a page: push one first.
    pub fn finish(self) -> Result<Vec<u8>, Error> {
        if self.pages == 0 {
            return Err(Error("a document without pages".into()));
        }
        self.doc.finish().map_err(|e| Error(e.to_string()))
    }
}

/// Reading PDFs back with poppler (`pdftotext`, `pdfinfo`, `pdffonts`, `pdftoppm`) in tests.
#[cfg(test)]
pub(crate) mod poppler {
    use std::process::Command;

    /// A PDF written to a temporary file, removed however the test ends.
    pub(crate) struct PdfFile(std::path::PathBuf);

    impl PdfFile {
        pub(crate) fn new(bytes: &[u8]) -> Self {
            let path = std::env::temp_dir().join(format!(
                "wijkwerk-pdf-{}-{}.pdf",
                std::process::id(),
                crate::auth::secret::token()
            ));
            std::fs::write(&path, bytes).expect("writing the PDF to a temp file");
            Self(path)
        }

        pub(crate) fn path(&self) -> &str {
            self.0.to_str().expect("a UTF-8 temp path")
        }

        /// The text, pages ended by form feeds (`pdftotext -layout` keeps lines in reading order).
        pub(crate) fn text(&self) -> String {
            String::from_utf8_lossy(&run("pdftotext", &["-enc", "UTF-8", self.path(), "-"]))
                .into_owned()
        }

        pub(crate) fn info(&self) -> String {
            String::from_utf8_lossy(&run("pdfinfo", &[self.path()])).into_owned()
        }

        /// `pdffonts`' table rows: name, type, encoding, emb, sub, uni, object, generation.
        pub(crate) fn fonts(&self) -> Vec<Vec<String>> {
            let out = String::from_utf8_lossy(&run("pdffonts", &[self.path()])).into_owned();
            out.lines()
                .skip(2)
                .map(|l| l.split_whitespace().map(str::to_owned).collect())
                .collect()
        }

        /// Page 1 rendered at `dpi` as (width, height, RGB bytes).
        pub(crate) fn render(&self, dpi: u32) -> (usize, usize, Vec<u8>) {
            let ppm = run(
                "pdftoppm",
                &["-r", &dpi.to_string(), "-f", "1", "-l", "1", self.path()],
            );
            // P6 <width> <height> <max>\n<data>
            let mut fields = ppm.splitn(5, u8::is_ascii_whitespace);
            let num = |f: Option<&[u8]>| -> usize {
                std::str::from_utf8(f.expect("a PPM header field"))
                    .expect("ASCII")
                    .parse()
                    .expect("a number")
            };
            assert_eq!(fields.next(), Some(&b"P6"[..]));
            let (w, h) = (num(fields.next()), num(fields.next()));
            assert_eq!(num(fields.next()), 255);
            let data = fields.next().expect("pixels").to_vec();
            assert_eq!(data.len(), w * h * 3);
            (w, h, data)
        }
    }

    impl Drop for PdfFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// Runs a poppler tool; poppler reports a broken xref or syntax on stderr, so that must be
    /// empty too.
    fn run(tool: &str, args: &[&str]) -> Vec<u8> {
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
        out.stdout
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::float_cmp, reason = "tests")]
    use super::poppler::PdfFile;
    use super::*;

    #[test]
    fn text_lines_and_blocks_come_back_as_text_with_embedded_subset_fonts() {
        let mut page = Page::a4();
        let w = page.text_line(
            mm(20.0),
            mm(20.0),
            Style::bold(14.0),
            "Ĳsselkade 1, Oosterbeek",
        );
        assert!(w > 100.0 && w < 250.0, "{w}");
        let text = "Rijnkaai 3, Doesburg – De Ruïne: “café” ‘oud’ €5, Poëzielaan.";
        let next = page.text_block(
            mm(20.0),
            mm(40.0),
            mm(40.0),
            Style::regular(10.0),
            13.0,
            text,
        );
        assert!(
            next >= mm(40.0) + 3.0 * 13.0,
            "wrapped onto several lines: {next}"
        );
        assert_eq!(
            page.text_block(0.0, 99.0, 100.0, Style::regular(10.0), 13.0, " "),
            99.0
        );
        let mut doc = Document::new("Proef");
        doc.push(&page).unwrap();
        doc.push(&Page::new((mm(100.0), mm(50.0)))).unwrap();
        let pdf = PdfFile::new(&doc.finish().unwrap());

        let out = pdf.text();
        assert!(out.contains("Ĳsselkade 1, Oosterbeek"), "{out}");
        let joined = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(joined.contains(text), "{joined}");
        let info = pdf.info();
        assert!(info.contains("A4"), "{info}");
        assert!(info.contains("Title:           Proef"), "{info}");
        assert!(
            info.lines()
                .any(|l| l.split_whitespace().eq(["Pages:", "2"])),
            "{info}"
        );
        let fonts = pdf.fonts();
        assert_eq!(fonts.len(), 2, "{fonts:?}");
        for f in &fonts {
            // e.g. ABCDEF+LiberationSans-Bold CID TrueType Identity-H yes yes yes 5 0
            assert!(
                f[0].contains("+LiberationSans"),
                "a subset of our font: {f:?}"
            );
            assert_eq!(
                &f[f.len() - 5..f.len() - 2],
                ["yes", "yes", "yes"],
                "emb sub uni: {f:?}"
            );
        }
    }

    #[test]
    fn polygons_and_lines_are_drawn_where_they_are_put() {
        let mut page = Page::new((100.0, 100.0));
        // A red triangle in the top-left quarter, a blue square outline bottom right.
        page.polygon(
            &[(5.0, 5.0), (45.0, 5.0), (5.0, 45.0)],
            Some(Rgb(255, 0, 0)),
            None,
        );
        page.rect(
            60.0,
            60.0,
            30.0,
            30.0,
            Stroke {
                width: 4.0,
                color: Rgb(0, 0, 255),
            },
        );
        page.polyline(&[(0.0, 50.0), (100.0, 50.0)], Stroke::black(2.0));
        page.polygon(&[(1.0, 1.0)], Some(Rgb::BLACK), None);
        let mut doc = Document::new("Kaart");
        doc.push(&page).unwrap();
        let pdf = PdfFile::new(&doc.finish().unwrap());
        // 72 dpi: one pixel a point.
        let (w, h, px) = pdf.render(72);
        assert_eq!((w, h), (100, 100));
        let at = |x: usize, y: usize| {
            let i = 3 * (y * w + x);
            (px[i], px[i + 1], px[i + 2])
        };
        assert_eq!(at(12, 12), (255, 0, 0), "inside the triangle");
        assert_eq!(at(40, 40), (255, 255, 255), "beside its hypotenuse");
        assert_eq!(at(75, 61), (0, 0, 255), "the square's top edge");
        assert_eq!(at(75, 75), (255, 255, 255), "the square is not filled");
        assert_eq!(at(30, 50), (0, 0, 0), "the line");
        assert_eq!(at(30, 30), (255, 255, 255));
    }

    #[test]
    fn a_document_needs_a_page() {
        assert!(Document::new("Leeg").finish().is_err());
    }
}
