//! Text for PDFs: the embedded font, shaping and line breaking.
//!
//! The font is Liberation Sans, regular and bold, compiled into the binary (`server/fonts/`,
//! licence and source there). Text is shaped once with rustybuzz (kerning, the font's own
//! glyphs for ë, ĳ, €, “ ”): the widths that break the lines are the advances that are drawn, and
//! each glyph keeps the bytes of the text it came from, so that krilla can write a `ToUnicode` map
//! and readers copy and search the real text.

use std::ops::Range;
use std::sync::LazyLock;

use krilla::text::{GlyphId, KrillaGlyph};

const REGULAR_TTF: &[u8] = include_bytes!("../../fonts/LiberationSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../fonts/LiberationSans-Bold.ttf");

/// A face of the embedded font.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    /// Liberation Sans Regular.
    Regular,
    /// Liberation Sans Bold.
    Bold,
}

/// A face at a size in points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// The face.
    pub face: Face,
    /// Size in points (the em).
    pub size: f32,
}

impl Style {
    /// Regular at `size` pt.
    pub const fn regular(size: f32) -> Self {
        Self {
            face: Face::Regular,
            size,
        }
    }

    /// Bold at `size` pt.
    pub const fn bold(size: f32) -> Self {
        Self {
            face: Face::Bold,
            size,
        }
    }
}

/// A face parsed twice: for shaping, and for krilla to subset and embed.
struct Loaded {
    shaper: rustybuzz::Face<'static>,
    pdf: krilla::text::Font,
}

static FACES: LazyLock<[Loaded; 2]> = LazyLock::new(|| [load(REGULAR_TTF), load(BOLD_TTF)]);

fn load(ttf: &'static [u8]) -> Loaded {
    Loaded {
        shaper: rustybuzz::Face::from_slice(ttf, 0).expect("the embedded font parses"),
        pdf: krilla::text::Font::new(ttf.into(), 0).expect("the embedded font parses"),
    }
}

impl Face {
    fn loaded(self) -> &'static Loaded {
        match self {
            Self::Regular => &FACES[0],
            Self::Bold => &FACES[1],
        }
    }

    /// The font as krilla embeds it.
    pub(super) fn pdf_font(self) -> krilla::text::Font {
        self.loaded().pdf.clone()
    }
}

/// Text shaped in one face, on one line: glyph ids with advances (in em) and the text they
/// came from. Left to right only: the letters and walk lists print Dutch addresses.
#[derive(Clone, Debug)]
pub struct Shaped {
    text: String,
    glyphs: Vec<KrillaGlyph>,
}

impl Shaped {
    /// Shapes `text` in `face`. Control characters (a stray tab or newline in an address) become
    /// spaces, invisible format characters (soft hyphen, zero-width space) are dropped, and
    /// characters the font has no glyph for become `?`.
    pub fn new(text: &str, face: Face) -> Self {
        let shaper = &face.loaded().shaper;
        let text: String = text
            .chars()
            .filter_map(|c| match c {
                c if c.is_control() => Some(' '),
                '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' => None,
                c if shaper.glyph_index(c).is_some() => Some(c),
                _ => Some('?'),
            })
            .collect();
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(&text);
        buffer.guess_segment_properties();
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        let out = rustybuzz::shape(shaper, &[], buffer);
        let em = f32::from(shaper.units_per_em() as u16);
        let (infos, positions) = (out.glyph_infos(), out.glyph_positions());
        let glyphs = infos
            .iter()
            .zip(positions)
            .enumerate()
            .map(|(i, (info, pos))| {
                // Left to right, clusters only grow: a glyph's text runs to the next cluster.
                let start = info.cluster as usize;
                let end = infos[i + 1..]
                    .iter()
                    .map(|g| g.cluster as usize)
                    .find(|&c| c != start)
                    .unwrap_or(text.len());
                KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    pos.x_advance as f32 / em,
                    pos.x_offset as f32 / em,
                    pos.y_offset as f32 / em,
                    pos.y_advance as f32 / em,
                    start..end,
                    None,
                )
            })
            .collect();
        Self { text, glyphs }
    }

    /// The text as it is printed (after the replacements of [`Shaped::new`]).
    pub fn text(&self) -> &str {
        &self.text
    }

    pub(super) fn glyphs(&self) -> &[KrillaGlyph] {
        &self.glyphs
    }

    /// Width in points at `size`.
    pub fn width(&self, size: f32) -> f32 {
        self.advance(0..self.glyphs.len()) * size
    }

    /// Width in em of the glyphs `range`.
    fn advance(&self, range: Range<usize>) -> f32 {
        self.glyphs[range].iter().map(|g| g.x_advance).sum()
    }

    fn is_space(&self, glyph: usize) -> bool {
        self.text[self.glyphs[glyph].text_range.clone()]
            .chars()
            .all(|c| c == ' ')
    }

    /// Glyphs `range` as a line of their own (their text, ranges moved to it).
    fn line(&self, range: Range<usize>) -> Self {
        let glyphs = &self.glyphs[range];
        let (Some(first), Some(last)) = (glyphs.first(), glyphs.last()) else {
            return Self {
                text: String::new(),
                glyphs: Vec::new(),
            };
        };
        let bytes = first.text_range.start..last.text_range.end;
        let glyphs = glyphs
            .iter()
            .map(|g| {
                let mut g = g.clone();
                g.text_range = g.text_range.start - bytes.start..g.text_range.end - bytes.start;
                g
            })
            .collect();
        Self {
            text: self.text[bytes].to_owned(),
            glyphs,
        }
    }

    /// Greedy line breaking at spaces into lines at most `max_width` pt wide at `size`. A word
    /// wider than a line is cut between clusters. Spaces at a break are dropped; no text gives no
    /// lines.
    pub fn wrap(&self, size: f32, max_width: f32) -> Vec<Self> {
        let max = max_width / size;
        let n = self.glyphs.len();
        let mut lines: Vec<Range<usize>> = Vec::new();
        // The open line (glyphs) and its width in em.
        let mut open: Option<(Range<usize>, f32)> = None;
        let mut i = 0;
        while i < n {
            let gap_start = i;
            while i < n && self.is_space(i) {
                i += 1;
            }
            let start = i;
            while i < n && !self.is_space(i) {
                i += 1;
            }
            if start == i {
                break;
            }
            let (gap, word) = (self.advance(gap_start..start), self.advance(start..i));
            if let Some((range, width)) = &mut open {
                if *width + gap + word <= max {
                    range.end = i;
                    *width += gap + word;
                    continue;
                }
                lines.push(range.clone());
            }
            let mut from = start;
            while from + 1 < i && self.advance(from..i) > max {
                let cut = (from + 1..i)
                    .filter(|&k| {
                        self.glyphs[k].text_range.start != self.glyphs[k - 1].text_range.start
                    })
                    .take_while(|&k| self.advance(from..k) <= max)
                    .last()
                    .unwrap_or(from + 1);
                lines.push(from..cut);
                from = cut;
            }
            open = Some((from..i, self.advance(from..i)));
        }
        lines.extend(open.map(|(range, _)| range));
        lines.into_iter().map(|r| self.line(r)).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::float_cmp, reason = "exact sums of font units")]
    use super::*;

    fn texts(lines: &[Shaped]) -> Vec<&str> {
        lines.iter().map(Shaped::text).collect()
    }

    #[test]
    fn widths_are_helvetica_compatible() {
        // Liberation Sans keeps Helvetica's advances: H 722, o 556, f 278, 1 556 (of 1000).
        let width = |text: &str, face| Shaped::new(text, face).width(10.0);
        let w = width("Hof 1", Face::Regular);
        assert!((w - 23.90).abs() < 0.05, "{w}");
        assert!(width("Hof 1", Face::Bold) > w);
        assert_eq!(width("", Face::Regular), 0.0);
    }

    #[test]
    fn dutch_letters_have_glyphs_and_the_rest_becomes_a_question_mark() {
        let s = Shaped::new("Ĳsselkade ë é ï ĳ € ‘’ “” – Ruïne", Face::Regular);
        assert_eq!(s.text(), "Ĳsselkade ë é ï ĳ € ‘’ “” – Ruïne");
        assert!(
            s.glyphs().iter().all(|g| g.glyph_id.to_u32() != 0),
            ".notdef in {s:?}"
        );
        let s = Shaped::new("a\tb\nc\u{ad}d 漢🙂", Face::Bold);
        assert_eq!(s.text(), "a b cd ??");
    }

    #[test]
    fn glyphs_keep_the_text_they_came_from() {
        let s = Shaped::new("Poëzie ĳs", Face::Regular);
        let back: String = s
            .glyphs()
            .iter()
            .map(|g| &s.text()[g.text_range.clone()])
            .collect();
        assert_eq!(back, "Poëzie ĳs");
    }

    #[test]
    fn wrap_breaks_at_spaces() {
        let s = Shaped::new("aaa bbb  ccc", Face::Regular);
        let lines = s.wrap(10.0, 40.0);
        assert_eq!(texts(&lines), ["aaa bbb", "ccc"]);
        assert!(lines.iter().all(|l| l.width(10.0) <= 40.0));
        assert_eq!(texts(&s.wrap(10.0, 1000.0)), ["aaa bbb  ccc"]);
        assert!(
            Shaped::new("   ", Face::Regular)
                .wrap(10.0, 40.0)
                .is_empty()
        );
        assert!(Shaped::new("", Face::Regular).wrap(10.0, 40.0).is_empty());
    }

    #[test]
    fn wrap_cuts_a_word_wider_than_the_line() {
        let long = "W".repeat(30);
        let s = Shaped::new(&format!("x {long} y"), Face::Regular);
        let lines = s.wrap(10.0, 50.0);
        assert!(lines.len() > 3, "{:?}", texts(&lines));
        assert!(lines.iter().all(|l| l.width(10.0) <= 50.0));
        assert_eq!(texts(&lines).concat(), format!("x{long}y"));
        // A lone glyph wider than the line still makes progress.
        assert_eq!(
            texts(&Shaped::new("WW", Face::Bold).wrap(10.0, 1.0)),
            ["W", "W"]
        );
    }

    #[test]
    fn line_ranges_point_into_the_line() {
        let s = Shaped::new("Rijnkaai 3, Doesburg – De Ruïne", Face::Regular);
        for line in s.wrap(10.0, 60.0) {
            let back: String = line
                .glyphs()
                .iter()
                .map(|g| &line.text()[g.text_range.clone()])
                .collect();
            assert_eq!(back, line.text());
        }
    }
}
