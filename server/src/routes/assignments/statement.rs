//! The statement of an assignment: units planned, delivered, accepted and rejected, and the fee
//! earned, per buurt and in total — as JSON, as CSV for a spreadsheet, and as a PDF werkbon the
//! partner can pay on. It names no address: units per buurt.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::{AreaCode, Model};
use serde_json::json;
use store::{AssignmentRow, DeliveryRow, PlannedItem};

use crate::clock;
use crate::csv_file::{CsvFile, defuse};
use crate::error::{ApiError, ApiResult};
use crate::pdf::{self, A4, Page, Stroke, Style, mm};
use crate::routes::auth::no_store;

/// One buurt's line.
#[derive(Debug, Default, Clone)]
pub(crate) struct Line {
    pub(crate) buurt: String,
    pub(crate) name: String,
    pub(crate) planned: usize,
    pub(crate) delivered: usize,
    pub(crate) accepted: usize,
    pub(crate) rejected: usize,
}

/// A statement, computed.
#[derive(Debug)]
pub(crate) struct Statement {
    row: AssignmentRow,
    lines: Vec<Line>,
    made_at: i64,
}

impl Statement {
    pub(crate) fn new(
        model: &Model,
        row: AssignmentRow,
        items: &[PlannedItem],
        deliveries: &[DeliveryRow],
    ) -> Self {
        let mut by: BTreeMap<String, Line> = BTreeMap::new();
        fn line<'a>(by: &'a mut BTreeMap<String, Line>, model: &Model, code: &str) -> &'a mut Line {
            by.entry(code.to_owned()).or_insert_with(|| Line {
                buurt: code.to_owned(),
                name: code
                    .parse::<AreaCode>()
                    .ok()
                    .and_then(|c| model.find_area(c))
                    .map_or_else(|| "buurt onbekend".to_owned(), |a| a.name().to_owned()),
                ..Line::default()
            })
        }
        for it in items {
            line(&mut by, model, &it.buurt).planned += 1;
        }
        for d in deliveries {
            let l = line(&mut by, model, &d.item.buurt);
            l.delivered += 1;
            match d.status.as_str() {
                "accepted" => l.accepted += 1,
                "rejected" => l.rejected += 1,
                _ => {}
            }
        }
        let mut lines: Vec<Line> = by.into_values().collect();
        lines.sort_by(|a, b| a.name.cmp(&b.name).then(a.buurt.cmp(&b.buurt)));
        Self {
            row,
            lines,
            made_at: clock::now(),
        }
    }

    fn total(&self) -> Line {
        let mut t = Line::default();
        for l in &self.lines {
            t.planned += l.planned;
            t.delivered += l.delivered;
            t.accepted += l.accepted;
            t.rejected += l.rejected;
        }
        t
    }

    /// Accepted units × fee, capped by the budget, in cents.
    fn earned_cents(&self, accepted: usize) -> i64 {
        let raw = accepted as i64 * self.row.terms.fee_cents;
        self.row.terms.budget_cents.map_or(raw, |b| raw.min(b))
    }
}

/// Euro as the Dutch write it: `€ 1.234,50`.
pub(crate) fn euro(cents: i64) -> String {
    let neg = cents < 0;
    let c = cents.unsigned_abs();
    let whole = (c / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{}€ {grouped},{:02}", if neg { "-" } else { "" }, c % 100)
}

pub(crate) fn respond(s: &Statement, format: &str) -> ApiResult<Response> {
    let t = s.total();
    let slug = format!("opdracht-{}-overzicht", s.row.id);
    let (bytes, ctype) = match format {
        "csv" => (
            to_csv(s).map_err(|e| ApiError::Internal(format!("statement: {e}")))?,
            "text/csv; charset=utf-8",
        ),
        "pdf" => (
            to_pdf(s).map_err(|e| ApiError::Internal(format!("statement: {e}")))?,
            "application/pdf",
        ),
        _ => {
            let body = json!({
                "assignment": s.row.id,
                "title": s.row.terms.title,
                "organisation": s.row.organisation,
                "fee_per_unit": s.row.terms.fee_cents as f64 / 100.0,
                "budget": s.row.terms.budget_cents.map(|c| c as f64 / 100.0),
                "units": s.row.terms.units,
                "made_at": clock::rfc3339(s.made_at),
                "per_buurt": s.lines.iter().map(|l| json!({
                    "buurt": l.buurt, "name": l.name, "planned": l.planned, "delivered": l.delivered,
                    "accepted": l.accepted, "rejected": l.rejected,
                    "earned": s.earned_cents(l.accepted) as f64 / 100.0,
                })).collect::<Vec<_>>(),
                "total": {
                    "planned": t.planned, "delivered": t.delivered, "accepted": t.accepted,
                    "rejected": t.rejected, "earned": s.earned_cents(t.accepted) as f64 / 100.0,
                },
            });
            return Ok(no_store(axum::Json(body).into_response()));
        }
    };
    let mut r = no_store(bytes.into_response());
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    let ext = if format == "csv" { "csv" } else { "pdf" };
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{slug}.{ext}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

fn to_csv(s: &Statement) -> Result<Vec<u8>, csv::Error> {
    let mut f = CsvFile::new([
        "buurtcode",
        "buurt",
        "gepland",
        "geleverd",
        "geaccepteerd",
        "afgewezen",
        "verdiend_eur",
    ])?;
    let amount = |cents: i64| format!("{:.2}", cents as f64 / 100.0);
    for l in &s.lines {
        f.record([
            l.buurt.clone(),
            defuse(&l.name).into_owned(),
            l.planned.to_string(),
            l.delivered.to_string(),
            l.accepted.to_string(),
            l.rejected.to_string(),
            amount(s.earned_cents(l.accepted)),
        ])?;
    }
    let t = s.total();
    f.record([
        String::new(),
        "totaal".to_owned(),
        t.planned.to_string(),
        t.delivered.to_string(),
        t.accepted.to_string(),
        t.rejected.to_string(),
        amount(s.earned_cents(t.accepted)),
    ])?;
    f.finish()
}

fn to_pdf(s: &Statement) -> Result<Vec<u8>, pdf::Error> {
    let terms = &s.row.terms;
    let mut doc = pdf::Document::new(&format!("Werkbon — {}", terms.title));
    let mut page = Page::a4();
    let left = mm(20.0);
    let width = A4.0 - 2.0 * left;
    let mut y = mm(25.0);
    page.text_line(left, y, Style::bold(16.0), "Werkbon");
    y += 22.0;
    y = page.text_block(left, y, width, Style::bold(12.0), 15.0, &terms.title);
    y += 6.0;
    for (label, value) in [
        ("Opdrachtgever", s.row.organisation.clone()),
        ("Opdracht", format!("nr. {}", s.row.id)),
        ("Geleverd is", terms.delivered_when.clone()),
        ("Eenheden gevraagd", terms.units.to_string()),
        ("Vergoeding per eenheid", euro(terms.fee_cents)),
        (
            "Budget",
            terms
                .budget_cents
                .map_or_else(|| "eenheden × vergoeding".to_owned(), euro),
        ),
        ("Deadline", terms.deadline.clone()),
        ("Opgemaakt", clock::rfc3339(s.made_at)[..10].to_owned()),
    ] {
        page.text_line(left, y, Style::bold(9.5), label);
        y = page.text_block(
            left + mm(50.0),
            y,
            width - mm(50.0),
            Style::regular(9.5),
            12.0,
            &value,
        );
    }
    y += 10.0;
    let cols = [0.0, mm(62.0), mm(84.0), mm(106.0), mm(132.0), mm(152.0)];
    let head = [
        "Buurt",
        "Gepland",
        "Geleverd",
        "Geaccepteerd",
        "Afgewezen",
        "Bedrag",
    ];
    for (x, h) in cols.iter().zip(head) {
        page.text_line(left + x, y, Style::bold(9.0), h);
    }
    y += 4.0;
    page.polyline(&[(left, y), (left + width, y)], Stroke::black(0.6));
    y += 12.0;
    let t = s.total();
    let mut rows: Vec<(String, &Line, bool)> =
        s.lines.iter().map(|l| (l.name.clone(), l, false)).collect();
    rows.push(("Totaal".to_owned(), &t, true));
    for (name, l, total) in rows {
        if y > A4.1 - mm(25.0) {
            doc.push(&page)?;
            page = Page::a4();
            y = mm(25.0);
        }
        let style = if total {
            Style::bold(9.0)
        } else {
            Style::regular(9.0)
        };
        if total {
            page.polyline(
                &[(left, y - 9.0), (left + width, y - 9.0)],
                Stroke::black(0.4),
            );
        }
        let cells = [
            name,
            l.planned.to_string(),
            l.delivered.to_string(),
            l.accepted.to_string(),
            l.rejected.to_string(),
            euro(s.earned_cents(l.accepted)),
        ];
        for (x, c) in cols.iter().zip(cells) {
            page.text_line(left + x, y, style, &c);
        }
        y += 13.0;
    }
    y += 10.0;
    page.text_block(
        left,
        y,
        width,
        Style::regular(8.5),
        11.0,
        "Alleen geaccepteerde eenheden worden in rekening gebracht. Dit overzicht noemt geen adressen of bewoners: eenheden per buurt.",
    );
    doc.push(&page)?;
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::euro;

    #[test]
    fn euro_is_written_the_dutch_way() {
        assert_eq!(euro(0), "€ 0,00");
        assert_eq!(euro(123_450), "€ 1.234,50");
        assert_eq!(euro(100_000_000), "€ 1.000.000,00");
        assert_eq!(euro(-5), "-€ 0,05");
    }
}
