//! The walk list on paper: a map of the turf (the footprints around it, the turf's buildings
//! shaded, the doors numbered in walking order, the street names), then the doors in walking order
//! with what helps the conversation and boxes to tick, then the questions.

use domain::{Model, WorldPoint};
use store::{CampaignRow, TurfRow};

use super::{Question, WalkDoor};
use crate::clock;
use crate::pdf::{self, A4, Page, Rgb, Stroke, Style, mm};

/// Metres of context around the turf on the map.
const MARGIN_M: f64 = 40.0;

fn units_per_metre() -> f64 {
    domain::WORLD_SIZE as f64 / (40_075_016.686 * 52f64.to_radians().cos())
}

/// Maps world points into a box on the page, keeping the aspect ratio.
struct Frame {
    min: (f64, f64),
    scale: f64,
    origin: (f32, f32),
}

impl Frame {
    fn new(points: &[WorldPoint], origin: (f32, f32), size: (f32, f32)) -> Self {
        let margin = MARGIN_M * units_per_metre();
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in points {
            x0 = x0.min(f64::from(p[0]));
            y0 = y0.min(f64::from(p[1]));
            x1 = x1.max(f64::from(p[0]));
            y1 = y1.max(f64::from(p[1]));
        }
        let (x0, y0, x1, y1) = (x0 - margin, y0 - margin, x1 + margin, y1 + margin);
        let scale = (f64::from(size.0) / (x1 - x0)).min(f64::from(size.1) / (y1 - y0));
        // Centre the drawing in the box.
        let (w, h) = ((x1 - x0) * scale, (y1 - y0) * scale);
        Self {
            min: (x0, y0),
            scale,
            origin: (
                origin.0 + ((f64::from(size.0) - w) / 2.0) as f32,
                origin.1 + ((f64::from(size.1) - h) / 2.0) as f32,
            ),
        }
    }

    fn at(&self, p: WorldPoint) -> (f32, f32) {
        (
            self.origin.0 + ((f64::from(p[0]) - self.min.0) * self.scale) as f32,
            self.origin.1 + ((f64::from(p[1]) - self.min.1) * self.scale) as f32,
        )
    }

    fn world_box(&self, size: (f32, f32)) -> (WorldPoint, WorldPoint) {
        let lo = [self.min.0 as i32, self.min.1 as i32];
        let hi = [
            (self.min.0 + f64::from(size.0) / self.scale) as i32,
            (self.min.1 + f64::from(size.1) / self.scale) as i32,
        ];
        (lo, hi)
    }
}

const OUTCOME_WORDS: [&str; 5] = [
    "niet thuis",
    "geïnteresseerd",
    "niet geïnteresseerd",
    "aangemeld",
    "niet meer aanbellen",
];

pub(super) fn pdf(
    model: &Model,
    row: &CampaignRow,
    turf: &TurfRow,
    doors: &[WalkDoor],
    questions: &[Question],
) -> Result<Vec<u8>, pdf::Error> {
    let mut doc = pdf::Document::new(&format!(
        "Looplijst — {} — wijk {}",
        row.spec.title, turf.number
    ));
    let mut page = Page::a4();
    let left = mm(15.0);
    let width = A4.0 - 2.0 * left;
    let mut y = mm(18.0);
    page.text_line(left, y, Style::bold(15.0), "Looplijst");
    y += 18.0;
    y = page.text_block(left, y, width, Style::bold(11.0), 14.0, &row.spec.title);
    let buurt = turf
        .buurt
        .parse::<domain::AreaCode>()
        .ok()
        .and_then(|c| model.find_area(c))
        .map(|a| a.name().to_owned())
        .unwrap_or_default();
    let facts = format!(
        "Looproute {} — {} — {} deuren — tot en met {} — gemaakt {}",
        turf.number,
        buurt,
        doors.len(),
        row.spec.ends_on,
        &clock::rfc3339(clock::now())[..10]
    );
    y = page.text_block(left, y, width, Style::regular(9.0), 12.0, &facts);
    if !row.spec.topic.is_empty() {
        y = page.text_block(left, y, width, Style::regular(9.0), 12.0, &row.spec.topic);
    }
    y += 6.0;

    // The map.
    let map_size = (width, mm(110.0));
    let points: Vec<WorldPoint> = doors.iter().map(|d| d.point).collect();
    if !points.is_empty() {
        let frame = Frame::new(&points, (left, y), map_size);
        page.rect(left, y, map_size.0, map_size.1, Stroke::black(0.5));
        let (lo, hi) = frame.world_box(map_size);
        let mine: std::collections::HashSet<u32> = doors.iter().filter_map(|d| d.pand).collect();
        // The footprints wholly inside the map (a pand cut by the frame is left out, not bent).
        let inside = |b: &[WorldPoint; 2]| {
            b[0][0] >= lo[0] && b[0][1] >= lo[1] && b[1][0] <= hi[0] && b[1][1] <= hi[1]
        };
        for (b, bbox) in model.buildings_in(lo, hi) {
            if !inside(&bbox) {
                continue;
            }
            let shade = if mine.contains(&b) {
                Rgb(158, 179, 204)
            } else {
                Rgb(224, 224, 224)
            };
            for ring in model.building(b).rings().filter(domain::Ring::is_exterior) {
                let pts: Vec<(f32, f32)> = ring.0.iter().map(|p| frame.at(*p)).collect();
                page.polygon(
                    &pts,
                    Some(shade),
                    Some(Stroke {
                        width: 0.3,
                        color: Rgb(115, 115, 115),
                    }),
                );
            }
        }
        // Doors numbered in walking order: one number per spot (the first door there).
        let mut labelled: Vec<(f32, f32)> = Vec::new();
        for (i, d) in doors.iter().enumerate() {
            let (x, yy) = frame.at(d.point);
            if labelled
                .iter()
                .any(|(lx, ly)| (lx - x).abs() < 7.0 && (ly - yy).abs() < 6.0)
            {
                continue;
            }
            labelled.push((x, yy));
            page.text_line(x + 1.5, yy - 1.5, Style::bold(6.5), &(i + 1).to_string());
        }
        // Street names at the middle of their doors.
        let mut streets: Vec<(&str, f64, f64, f64)> = Vec::new();
        for d in doors {
            match streets.iter_mut().find(|s| s.0 == d.street) {
                Some(s) => {
                    s.1 += f64::from(d.point[0]);
                    s.2 += f64::from(d.point[1]);
                    s.3 += 1.0;
                }
                None => {
                    streets.push((&d.street, f64::from(d.point[0]), f64::from(d.point[1]), 1.0));
                }
            }
        }
        for (name, sx, sy, n) in streets {
            let (x, yy) = frame.at([(sx / n) as i32, (sy / n) as i32]);
            page.text_line(x, yy + 9.0, Style::regular(8.0), name);
        }
        y += map_size.1 + 10.0;
    }

    // The doors, in walking order.
    let cols = [0.0, mm(8.0), mm(78.0), mm(92.0), mm(104.0), mm(120.0)];
    let head = [
        "#",
        "Adres",
        "Bouwjaar",
        "Label",
        "Dak m²",
        "Uitkomst (aankruisen)",
    ];
    let header = |page: &mut Page, y: f32| -> f32 {
        for (x, h) in cols.iter().zip(head) {
            page.text_line(left + x, y, Style::bold(8.5), h);
        }
        page.polyline(
            &[(left, y + 3.0), (left + width, y + 3.0)],
            Stroke::black(0.5),
        );
        y + 13.0
    };
    y = header(&mut page, y);
    for (i, d) in doors.iter().enumerate() {
        if y > A4.1 - mm(18.0) {
            doc.push(&page)?;
            page = Page::a4();
            y = header(&mut page, mm(18.0));
        }
        let visited = match d.visited {
            Some(true) => " (gesproken)",
            Some(false) => " (niet thuis geweest)",
            None => "",
        };
        let cells = [
            (i + 1).to_string(),
            format!("{}{visited}", d.label),
            d.bouwjaar.map_or_else(|| "–".into(), |b| b.to_string()),
            d.energieklasse.clone().unwrap_or_else(|| "–".into()),
            d.roof_m2.map_or_else(|| "–".into(), |m| format!("{m:.0}")),
        ];
        for (x, c) in cols.iter().zip(cells) {
            page.text_line(left + x, y, Style::regular(8.5), &c);
        }
        // Five boxes to tick.
        for k in 0..5 {
            page.rect(
                left + cols[5] + k as f32 * mm(12.0),
                y - 7.0,
                7.0,
                7.0,
                Stroke::black(0.4),
            );
        }
        y += 12.0;
    }
    y += 4.0;
    if y > A4.1 - mm(40.0) {
        doc.push(&page)?;
        page = Page::a4();
        y = mm(18.0);
    }
    let legend = OUTCOME_WORDS
        .iter()
        .enumerate()
        .map(|(k, w)| format!("vakje {}: {w}", k + 1))
        .collect::<Vec<_>>()
        .join(" · ");
    y = page.text_block(left, y, width, Style::regular(8.0), 10.5, &legend);
    if !questions.is_empty() {
        y += 6.0;
        page.text_line(left, y, Style::bold(9.5), "Vragen aan de deur");
        y += 13.0;
        for q in questions {
            if y > A4.1 - mm(18.0) {
                doc.push(&page)?;
                page = Page::a4();
                y = mm(18.0);
            }
            let opts = if q.kind == "yes_no" {
                "ja / nee".to_owned()
            } else if q.option_titles.len() == q.options.len() {
                q.option_titles
                    .iter()
                    .map(|t| t.nl.clone())
                    .collect::<Vec<_>>()
                    .join(" / ")
            } else {
                q.options.join(" / ")
            };
            let line = format!(
                "{}  ({opts}){}",
                q.title.nl,
                if q.sensitive {
                    " — alleen geteld, niet per adres bewaard"
                } else {
                    ""
                }
            );
            y = page.text_block(left, y, width, Style::regular(9.0), 11.5, &line);
        }
    }
    y += 8.0;
    page.text_block(
        left,
        y,
        width,
        Style::regular(7.5),
        10.0,
        "Een uitkomst wordt alleen per adres bewaard als de bewoner daarmee instemt (of zich aanmeldt). \
         Wie niet meer bezocht wil worden, komt in het register en staat op geen enkele lijst meer. \
         Gooi deze lijst na afloop weg of lever hem in.",
    );
    doc.push(&page)?;
    doc.finish()
}
