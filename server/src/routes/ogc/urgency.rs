//! The urgency indicators as OGC API Features collections (issue 14 §5): `urgency-buurt`,
//! `urgency-wijk`, `urgency-grid100` and `urgency-h3-9`, one feature per listed cell with its
//! outline and, flat for GIS, every indicator's released value, numerator, denominator and
//! whether it was withheld. Aggregates only, the same release as `/api/urgency`; `filter=` (CQL2)
//! over those properties.

use rules::{FieldId, Row, Schema};
use serde_json::{Map, Value, json};
use urgency::{Cell, CellValue, IndicatorSet, Level};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The levels served as collections.
pub(super) const LEVELS: [Level; 4] = [Level::Buurt, Level::Wijk, Level::Grid100, Level::H3r9];

/// The queryables: `code`, `naam`, and per indicator `<name>`, `<name>_teller`, `<name>_noemer`
/// and `<name>_onderdrukt`, in this order (a feature's row follows it).
pub(super) fn schema(set: &IndicatorSet) -> Schema {
    let mut s = Schema::new();
    s.text(
        "code",
        "the cell's code: CBS code, CBS square E…N… or H3 index",
    );
    s.text(
        "naam",
        "the CBS name of a buurt or wijk (missing for squares and hexagons)",
    );
    for i in &set.indicators {
        s.number(
            &i.name,
            &format!("{}: the value (share 0–1, per km² or mean)", i.title.nl),
        );
        s.number(&format!("{}_teller", i.name), "the rounded numerator");
        s.number(&format!("{}_noemer", i.name), "the rounded denominator");
        s.boolean(
            &format!("{}_onderdrukt", i.name),
            "withheld: too few households or reporters",
        );
    }
    s
}

/// One indicator in one cell: value, rounded numerator and denominator, withheld.
type Released = (Option<f64>, Option<u32>, Option<u32>, bool);

struct CellRow {
    code: String,
    name: Option<String>,
    /// Per indicator: value, numerator, denominator, suppressed.
    values: Vec<Released>,
}

impl Row for CellRow {
    fn number(&self, f: FieldId) -> Option<f64> {
        let i = usize::from(f.0).checked_sub(2)?;
        let v = self.values.get(i / 4)?;
        match i % 4 {
            0 => v.0,
            1 => v.1.map(f64::from),
            2 => v.2.map(f64::from),
            _ => None,
        }
    }

    fn text(&self, f: FieldId) -> Option<&str> {
        match f.0 {
            0 => Some(&self.code),
            1 => self.name.as_deref(),
            _ => None,
        }
    }

    fn boolean(&self, f: FieldId) -> Option<bool> {
        let i = usize::from(f.0).checked_sub(2)?;
        (i % 4 == 3).then(|| self.values.get(i / 4).is_some_and(|v| v.3))
    }
}

fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn feature(set: &IndicatorSet, model: &domain::Model, cell: Cell, row: &CellRow) -> Value {
    let mut props = Map::new();
    props.insert("code".into(), json!(row.code));
    props.insert("naam".into(), json!(row.name));
    for (i, v) in set.indicators.iter().zip(&row.values) {
        props.insert(i.name.clone(), json!(v.0.map(round)));
        props.insert(format!("{}_teller", i.name), json!(v.1));
        props.insert(format!("{}_noemer", i.name), json!(v.2));
        props.insert(format!("{}_onderdrukt", i.name), json!(v.3));
    }
    json!({
        "type": "Feature",
        "id": row.code,
        "geometry": { "type": "MultiPolygon", "coordinates": cell.outline(model) },
        "properties": props,
    })
}

/// Every listed cell of `level` with its row, in code order.
fn rows(state: &AppState, level: Level) -> ApiResult<Vec<(Cell, CellRow)>> {
    let set = state.urgency.set().clone();
    state
        .urgency
        .with(state, |engine, model| {
            let released: Vec<Vec<CellValue>> = engine.release_all(model, level);
            let mut by_cell: std::collections::BTreeMap<Cell, CellRow> =
                std::collections::BTreeMap::new();
            for (i, cells) in released.iter().enumerate() {
                for c in cells {
                    let row = by_cell.entry(c.cell).or_insert_with(|| CellRow {
                        code: c.cell.to_string(),
                        name: match c.cell {
                            Cell::Area(code) => model.area_name(code).map(str::to_owned),
                            _ => None,
                        },
                        values: vec![(None, None, None, false); set.indicators.len()],
                    });
                    row.values[i] = (c.value, c.numerator, c.denominator, c.suppressed);
                }
            }
            by_cell.into_iter().collect()
        })
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// One page of features inside `bbox` (WGS84) that `filter` lets through, and how many matched.
pub(super) fn page(
    state: &AppState,
    level: Level,
    bbox: Option<[f64; 4]>,
    filter: Option<&rules::Predicate>,
    offset: usize,
    limit: usize,
) -> ApiResult<(Vec<Value>, usize)> {
    let model = state.model.load();
    let set = state.urgency.set().clone();
    let all = rows(state, level)?;
    let mut hits: Vec<(Cell, CellRow)> = all
        .into_iter()
        .filter(|(cell, _)| match bbox {
            None => true,
            Some(b) => cell
                .outline(&model)
                .iter()
                .flatten()
                .flatten()
                .any(|p| p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]),
        })
        .filter(|(_, row)| filter.is_none_or(|p| p.matches(row)))
        .collect();
    let matched = hits.len();
    let features = hits
        .drain(..)
        .skip(offset)
        .take(limit)
        .map(|(cell, row)| feature(&set, &model, cell, &row))
        .collect();
    Ok((features, matched))
}

/// One feature by its code.
pub(super) fn one(state: &AppState, level: Level, code: &str) -> ApiResult<Option<Value>> {
    let Some(wanted) = Cell::parse(level, code) else {
        return Ok(None);
    };
    let model = state.model.load();
    let set = state.urgency.set().clone();
    Ok(rows(state, level)?
        .into_iter()
        .find(|(cell, _)| *cell == wanted)
        .map(|(cell, row)| feature(&set, &model, cell, &row)))
}
