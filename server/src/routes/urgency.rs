//! Urgency indicators for the gemeente (issue 14): where the work is, per gemeente, wijk, buurt,
//! CBS 100 m square and H3 hexagon (resolutions 8–10), k-anonymous, live. The indicators are
//! declared in a file (`urgency/default-indicators.toml`, `--indicators FILE`) and tallied by
//! [`urgency::Engine`], kept current as reports, visits and work statuses change
//! ([`crate::urgency_live`]). A cell is released only with at least k households — and for a
//! count from reports or visits at least k distinct reporters, device sessions together one —
//! behind each count, and none or at least k on either side of a share; counts are rounded; the
//! cells listed are those with at least k addresses in the registers (so which cells are listed
//! follows from the registers, not from the indicator); a total is the sum of released cells.
//! Daily snapshots of the CBS levels give the trend per buurt.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::access::{DataClass, Place, Purpose, Resource};
use serde::Deserialize;
use serde_json::{Value, json};
use urgency::{
    Cell, CellValue, Indicator, IndicatorSet, Level, LevelRelease, MAX_WEIGHT, Weighted,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::csv_file::{CsvFile, defuse};
use crate::error::{ApiError, ApiResult};
use crate::openapi::{self as doc, parameter, schema};
use crate::routes::auth::no_store;
use crate::routes::blocking;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(urgency))
        .routes(routes!(urgency_indicators))
        .routes(routes!(urgency_style))
        .routes(routes!(urgency_series))
        .routes(routes!(urgency_index))
        .routes(routes!(get_urgency_weights, put_urgency_weights))
}

/// The levels kept in the daily snapshot (the trend per buurt; the grids are recomputed live).
pub(crate) const SNAPSHOT_LEVELS: [Level; 3] = [Level::Gemeente, Level::Wijk, Level::Buurt];
/// Days of trend a series gives.
const SERIES_DAYS: i64 = 365;

fn text(t: &work::Text) -> Value {
    json!({ "nl": t.nl, "en": t.en })
}

fn describe(i: &Indicator) -> Value {
    json!({
        "name": i.name,
        "title": text(&i.title),
        "description": text(&i.description),
        "over": i.over.as_str(),
        "measure": i.measure.as_str(),
        "sum_unit": i.sum_unit.as_ref().map(text),
        "value_unit": i.value_unit.as_ref().map(text),
        "baseline": i.baseline.is_some(),
        "source": text(&i.source),
        "freshness": text(&i.freshness),
        "higher_is_more_urgent": i.higher_is_more_urgent,
        "from_reports": i.from_reports,
        "numerator": i.numerator.as_ref().map(rules::Predicate::text),
        "denominator": i.denominator.as_ref().map(rules::Predicate::text),
    })
}

#[utoipa::path(
    get,
    path = "/api/urgency/indicators",
    tag = "urgency",
    operation_id = "urgency_indicators",
    summary = "The urgency indicators and levels, as declared.",
    description = "Everyone. Each indicator with its title and description (nl, en), what it counts (`over`), how it reads (`measure`: share, density per km², mean — with `value_unit` when it has one —, or per_1000_inhabitants: per 1,000 CBS inhabitants of a buurt, wijk or gemeente; `over` = raster: the zonal mean of a GeoTIFF's pixels per cell), its conditions in CQL2, source, freshness and direction; the levels; k and the rounding.",
    responses(
        (status = 200, description = "The indicators.", content((UrgencyIndicators = "application/json"))),
    )
)]
async fn urgency_indicators(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller.require(
        Purpose::Research,
        &Resource::new(DataClass::Aggregates, Place::Everywhere),
    )?;
    let rule = state.people.settings.k_anonymity;
    let body = json!({
        "indicators": state.urgency.set().indicators.iter().map(describe).collect::<Vec<_>>(),
        "levels": Level::ALL.map(Level::as_str),
        "k": rule.k,
        "round_to": rule.round_to,
    });
    Ok(no_store(Json(body).into_response()))
}

/// The choropleth's colours, least to most urgent (as the web app draws them).
pub(crate) const CLASS_COLOURS: [&str; 5] = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
/// A withheld cell.
const WITHHELD_COLOUR: &str = "#bdbdbd";
/// A cell without data (no homes the indicator counts).
const NO_DATA_COLOUR: &str = "#ffffff";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleQuery {
    level: Option<String>,
    indicator: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/urgency/style",
    tag = "urgency",
    operation_id = "urgency_style",
    summary = "A MapLibre style for one urgency indicator at one level, with its legend.",
    description = "Everyone. Source `urgency`: the vector tiles of `/tiles/urgency_<level>.json` (level `h3-9` is `urgency_h3_9`), whose features carry every indicator (value, `_klasse` 0–4, `_onderdrukt`). Layers `background`, `urgency-fill` (coloured by the indicator's quantile class among the level's released cells, withheld cells grey, cells without data white) and `urgency-outline`. `metadata.wijkwerk:legend` gives the class breaks and colours, so a client (QGIS, MapLibre) draws the legend the map shows. Unknown level or indicator: 404 naming the valid ones.",
    params(UrgencyLevel, UrgencyIndicator),
    responses(
        (status = 200, description = "MapLibre style, version 8.", content((UrgencyStyle = "application/json"))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn urgency_style(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    q: Result<Query<StyleQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    caller.require(
        Purpose::Research,
        &Resource::new(DataClass::Aggregates, Place::Everywhere),
    )?;
    let (level, ix) = pick(&state, q.level.as_deref(), q.indicator.as_deref())?;
    let st = state.clone();
    let release = blocking(move || {
        st.urgency
            .release(&st, level)
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await?;
    let ind = &state.urgency.set().indicators[ix];
    let name = ind.name.as_str();
    let layer = tiles::urgency_layer_name(level);
    let breaks = release.breaks.get(ix).cloned().unwrap_or_default();
    let base = crate::routes::base_url(&state, &headers);
    let mut lows: Vec<Option<f64>> = vec![None];
    lows.extend(breaks.iter().copied().map(Some));
    let classes: Vec<Value> = (0..=breaks.len())
        .map(|i| {
            let c = urgency::class_of(
                lows[i].map_or(f64::NEG_INFINITY, |lo| lo + 1e-12),
                &breaks,
                ind.higher_is_more_urgent,
            );
            json!({
                "class": c,
                "colour": CLASS_COLOURS[usize::from(c)],
                "above": lows[i],
                "up_to": breaks.get(i),
            })
        })
        .collect();
    let class_key = format!("{name}_klasse");
    let mut by_class: Vec<Value> = vec![json!("match"), json!(["get", class_key])];
    for (i, c) in CLASS_COLOURS.iter().enumerate() {
        by_class.push(json!(i));
        by_class.push(json!(c));
    }
    by_class.push(json!(NO_DATA_COLOUR));
    let fill = json!([
        "case",
        ["to-boolean", ["get", format!("{name}_onderdrukt")]],
        WITHHELD_COLOUR,
        ["has", class_key],
        by_class,
        NO_DATA_COLOUR
    ]);
    let (min_zoom, _) = tiles::urgency_zooms(level);
    let b = **state.bounds.load();
    let style = json!({
        "version": 8,
        "name": format!("{} ({})", ind.title.nl, level.as_str()),
        "center": [f64::midpoint(b[0], b[2]), f64::midpoint(b[1], b[3])],
        "zoom": f64::from(min_zoom.max(12)),
        "metadata": {
            "wijkwerk:legend": {
                "indicator": name,
                "title": text(&ind.title),
                "level": level.as_str(),
                "measure": ind.measure.as_str(),
                "higher_is_more_urgent": ind.higher_is_more_urgent,
                "method": "quantile",
                "breaks": breaks,
                "classes": classes,
                "withheld": WITHHELD_COLOUR,
                "no_data": NO_DATA_COLOUR,
            }
        },
        "sources": {
            "urgency": {"type": "vector", "url": format!("{base}/tiles/{layer}.json")}
        },
        "layers": [
            {"id": "background", "type": "background", "paint": {"background-color": "#f4f3ef"}},
            {"id": "urgency-fill", "type": "fill", "source": "urgency", "source-layer": layer,
             "paint": {"fill-color": fill, "fill-opacity": 0.75}},
            {"id": "urgency-outline", "type": "line", "source": "urgency", "source-layer": layer,
             "paint": {"line-color": "#6b6b6b", "line-width": 0.6}},
        ],
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        style.to_string(),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UrgencyQuery {
    level: Option<String>,
    indicator: Option<String>,
    format: Option<String>,
}

fn pick(
    state: &AppState,
    level: Option<&str>,
    indicator: Option<&str>,
) -> ApiResult<(Level, usize)> {
    let level_name = level.unwrap_or("buurt");
    let Some(level) = Level::parse(level_name) else {
        return Err(ApiError::NotFound(format!(
            "no level {:?}; the levels are {}",
            level_name.chars().take(40).collect::<String>(),
            Level::names()
        )));
    };
    let set = state.urgency.set();
    let name = indicator.unwrap_or_else(|| set.indicators[0].name.as_str());
    let Some((ix, _)) = set.by_name(name) else {
        return Err(ApiError::NotFound(format!(
            "no indicator {:?}; the indicators are {}",
            name.chars().take(40).collect::<String>(),
            set.names()
        )));
    };
    Ok((level, ix))
}

/// A download: `bytes` as `content_type`, saved as `file`, never stored by caches.
fn attachment(content_type: &'static str, file: &'static str, bytes: Vec<u8>) -> Response {
    no_store(
        (
            [
                (header::CONTENT_TYPE, content_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
    )
}

use urgency::round3;

fn cell_json(model: &domain::Model, c: &CellValue) -> Value {
    let area = match c.cell {
        Cell::Area(code) => model.find_area(code),
        _ => None,
    };
    let name = area.map(|a| a.name().to_owned());
    // CBS context beside the indicator: the wijk- en buurtkaart's own figures (CBS suppresses
    // small areas itself; its negative sentinels are read as unknown at import).
    let context = area.map(|a| {
        json!({
            "inwoners": a.residents(),
            "huishoudens": a.households(),
            "percentage_65_plus": a.share_65_plus(),
            "bevolkingsdichtheid": a.density(),
        })
    });
    json!({
        "context": context,
        "code": c.cell.to_string(),
        "name": name,
        "suppressed": c.suppressed,
        "numerator": c.numerator,
        "denominator": c.denominator,
        "value": c.value.map(round3),
        "sum": c.sum,
        "baseline": c.baseline.map(round3),
    })
}

/// The total of the released cells: their counts summed; a share of the sums; a mean weighted by
/// how many units (or pixels) have a value in each cell; nothing for a count per km² or per
/// inhabitant (the cells' divisors are not given here).
fn totals(cells: &[CellValue], measure: Option<urgency::Measure>) -> Value {
    let released: Vec<&CellValue> = cells.iter().filter(|c| !c.suppressed).collect();
    let n: u32 = released.iter().filter_map(|c| c.numerator).sum();
    let d: u32 = released.iter().filter_map(|c| c.denominator).sum();
    let value = match measure {
        Some(urgency::Measure::Share) => (d > 0).then(|| f64::from(n) / f64::from(d)),
        Some(urgency::Measure::Mean) => {
            let (weighted, w) = released
                .iter()
                .filter_map(|c| Some((c.value?, f64::from(c.numerator?))))
                .fold((0.0, 0.0), |(s, w), (v, n)| (s + v * n, w + n));
            (w > 0.0).then(|| weighted / w)
        }
        _ => None,
    };
    let sums: Vec<f64> = released.iter().filter_map(|c| c.sum).collect();
    // No sum for an indicator without one (and never the -0.0 of an empty float sum).
    let sum = (!sums.is_empty()).then(|| sums.iter().sum::<f64>() + 0.0);
    json!({
        "numerator": n,
        "denominator": d,
        "value": value.map(round3),
        "sum": sum,
        "released": released.len(),
        "suppressed": cells.len() - released.len(),
    })
}

#[utoipa::path(
    get,
    path = "/api/urgency",
    tag = "urgency",
    operation_id = "urgency",
    summary = "One urgency indicator per cell of one level, k-anonymous: JSON, GeoJSON or CSV.",
    description = "Everyone (aggregates only). `level`: gemeente, wijk, buurt (CBS codes), grid100 (CBS squares, `E…N…` of the lower-left corner in hectometres in RD New), h3-8, h3-9 or h3-10 (H3 cells). `indicator`: one of `/api/urgency/indicators`. Every cell with at least k addresses in the registers is listed, released or suppressed (then without numbers): released only with at least k households behind each count — and for counts from reports or visits at least k distinct reporters, device sessions together one — and none or at least k on either side of a share; counts are rounded and the share computed from them; the total is the sum of released cells. Households that opted out of research are left out. `format=geojson` adds each cell's outline; `format=csv` is the table. Unknown level or indicator: 404 naming the valid ones.",
    params(UrgencyLevel, UrgencyIndicator, UrgencyFormat),
    responses(
        (status = 200, description = "The cells and their total.", content((UrgencyCells = "application/json"), (UrgencyGeoJson = "application/geo+json"), (String = "text/csv"), (Vec<u8> = "application/geopackage+sqlite3"))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn urgency(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<UrgencyQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    caller.require(
        Purpose::Research,
        &Resource::new(DataClass::Aggregates, Place::Everywhere),
    )?;
    let (level, ix) = pick(&state, q.level.as_deref(), q.indicator.as_deref())?;
    let format = q.format.unwrap_or_else(|| "json".into());
    if format == "gpkg" || format == "geojson" {
        // Large at the fine levels (every cell's outline): made from the level's release, whose
        // outlines are kept, and kept until the release changes.
        let st = state.clone();
        let rule = state.people.settings.k_anonymity;
        let gpkg = format == "gpkg";
        let bytes = blocking(move || {
            let release = st
                .urgency
                .release(&st, level)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            let what = if gpkg {
                "gpkg".to_owned()
            } else {
                format!("geojson:{ix}")
            };
            st.urgency
                .download(level, &what, &release, || {
                    if gpkg {
                        gpkg_of(&release).map_err(|e| anyhow::anyhow!("{e:?}"))
                    } else {
                        Ok(geojson_of(&st.model.load(), &release, ix, rule).into_bytes())
                    }
                })
                .map_err(|e| ApiError::Internal(e.to_string()))
        })
        .await?;
        return Ok(if gpkg {
            attachment(
                "application/geopackage+sqlite3",
                "urgentie.gpkg",
                bytes.to_vec(),
            )
        } else {
            no_store(([(header::CONTENT_TYPE, "application/geo+json")], bytes).into_response())
        });
    }
    if !["json", "geojson", "csv"].contains(&format.as_str()) {
        return Err(ApiError::BadRequest(format!(
            "format {:?} is not one of json, geojson, csv, gpkg",
            format.chars().take(20).collect::<String>()
        )));
    }
    let st = state.clone();
    let rule = state.people.settings.k_anonymity;
    let measure = state.urgency.set().indicators[ix].measure;
    let name = state.urgency.set().indicators[ix].name.clone();
    let out = blocking(move || {
        st.urgency
            .with(&st, |engine, model| {
                let cells = engine.release(model, ix, level);
                match format.as_str() {
                    "csv" => csv_of(model, &cells).map(Err),
                    _ => Ok(Ok(json!({
                        "level": level.as_str(),
                        "indicator": name,
                        "k": rule.k,
                        "round_to": rule.round_to,
                        "cells": cells.iter().map(|c| cell_json(model, c)).collect::<Vec<_>>(),
                        "total": totals(&cells, Some(measure)),
                    }))),
                }
            })
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .map_err(|e: csv::Error| ApiError::Internal(e.to_string()))
    })
    .await?;
    Ok(match out {
        Ok(body) => no_store(Json(body).into_response()),
        Err(bytes) => attachment("text/csv; charset=utf-8", "urgentie.csv", bytes),
    })
}

/// Every indicator of `level` as one GeoPackage layer `urgentie_<level>` (EPSG:4326
/// multipolygons; per indicator its value, rounded numerator and denominator, and whether it was
/// withheld), for QGIS.
fn gpkg_of(release: &LevelRelease) -> ApiResult<Vec<u8>> {
    use ingest::{ColumnType as T, FieldValue, GeoPackageWriter, GeometryKind, LayerSpec};
    let level = release.level;
    let set = &release.set;
    let mut names: Vec<String> = vec!["code".into(), "naam".into()];
    let mut kinds: Vec<T> = vec![T::Text, T::Text];
    for i in &set.indicators {
        names.extend([
            i.name.clone(),
            format!("{}_teller", i.name),
            format!("{}_noemer", i.name),
            format!("{}_onderdrukt", i.name),
        ]);
        kinds.extend([T::Real, T::Integer, T::Integer, T::Boolean]);
    }
    let columns: Vec<(&str, T)> = names.iter().map(String::as_str).zip(kinds).collect();
    let layer = format!("urgentie_{}", level.as_str().replace('-', "_"));
    let path = std::env::temp_dir().join(format!(
        "wijkwerk-urgency-{}.gpkg",
        crate::auth::secret::token()
    ));
    let result = (|| {
        let mut w = GeoPackageWriter::create(&path)?;
        let l = w.create_layer(&LayerSpec {
            name: &layer,
            geometry: GeometryKind::MultiPolygon,
            srs_id: 4326,
            columns: &columns,
            description: &format!("wijkwerk urgency indicators per {}", level.as_str()),
        })?;
        for row in &release.cells {
            let mut fields: Vec<FieldValue<'_>> = vec![
                FieldValue::Text(&row.shape.code),
                row.shape
                    .name
                    .as_deref()
                    .map_or(FieldValue::Null, FieldValue::Text),
            ];
            for c in &row.values {
                let int = |v: Option<u32>| {
                    v.map_or(FieldValue::Null, |v| FieldValue::Integer(i64::from(v)))
                };
                let c = c.as_ref();
                fields.push(
                    c.and_then(|c| c.value)
                        .map_or(FieldValue::Null, FieldValue::Real),
                );
                fields.push(int(c.and_then(|c| c.numerator)));
                fields.push(int(c.and_then(|c| c.denominator)));
                fields.push(FieldValue::Integer(i64::from(
                    c.is_some_and(|c| c.suppressed),
                )));
            }
            let polygons: Vec<geo::Polygon<f64>> = shape_polygons(&row.shape)
                .into_iter()
                .filter_map(|rings| {
                    let mut it = rings.into_iter().map(|r| {
                        geo::LineString::from(
                            r.into_iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(),
                        )
                    });
                    let outer = it.next()?;
                    Some(geo::Polygon::new(outer, it.collect()))
                })
                .collect();
            let wkb = domain::wkb::write_multi_polygon(&geo::MultiPolygon(polygons));
            w.insert(l, Some(&wkb), &fields)?;
        }
        w.finish()?;
        std::fs::read(&path).map_err(|source| ingest::GpkgError::Io {
            path: path.clone(),
            source,
        })
    })();
    let _ = std::fs::remove_file(&path);
    result.map_err(|e| ApiError::Internal(e.to_string()))
}

/// A cell's outline as GeoJSON polygons (WGS84, 7 decimals): each exterior ring with its holes.
fn shape_polygons(shape: &urgency::CellShape) -> Vec<Vec<Vec<[f64; 2]>>> {
    let round7 = |v: f64| (v * 1e7).round() / 1e7;
    let mut out: Vec<Vec<Vec<[f64; 2]>>> = Vec::new();
    for r in &shape.rings {
        let ring: Vec<[f64; 2]> = r
            .iter()
            .map(|p| {
                let (lon, lat) = domain::world_to_lonlat(*p);
                [round7(lon), round7(lat)]
            })
            .collect();
        match out.last_mut() {
            Some(last) if !domain::Ring(r).is_exterior() => last.push(ring),
            _ => out.push(vec![ring]),
        }
    }
    out
}

/// One indicator of a level release as a GeoJSON FeatureCollection, with each cell's outline.
fn geojson_of(
    model: &domain::Model,
    release: &LevelRelease,
    ix: usize,
    rule: domain::privacy::KAnonymity,
) -> String {
    let rows: Vec<(&urgency::ReleasedCell, &CellValue)> = release
        .cells
        .iter()
        .filter_map(|r| r.values.get(ix)?.as_ref().map(|v| (r, v)))
        .collect();
    let cells: Vec<CellValue> = rows.iter().map(|(_, v)| (*v).clone()).collect();
    json!({
        "type": "FeatureCollection",
        "level": release.level.as_str(),
        "indicator": release.set.indicators.get(ix).map(|i| i.name.as_str()),
        "k": rule.k,
        "round_to": rule.round_to,
        "total": totals(&cells, release.set.indicators.get(ix).map(|i| i.measure)),
        "features": rows.iter().map(|(r, v)| json!({
            "type": "Feature",
            "id": r.shape.code,
            "geometry": {"type": "MultiPolygon", "coordinates": shape_polygons(&r.shape)},
            "properties": cell_json(model, v),
        })).collect::<Vec<_>>(),
    })
    .to_string()
}

fn csv_of(model: &domain::Model, cells: &[CellValue]) -> Result<Vec<u8>, csv::Error> {
    let mut f = CsvFile::new([
        "code",
        "naam",
        "onderdrukt",
        "teller",
        "noemer",
        "waarde",
        "som",
        "vorig_jaar",
    ])?;
    let num = |v: Option<f64>| v.map(|v| round3(v).to_string()).unwrap_or_default();
    for c in cells {
        let name = match c.cell {
            Cell::Area(code) => model.area_name(code).unwrap_or_default().to_owned(),
            _ => String::new(),
        };
        f.record([
            c.cell.to_string(),
            defuse(&name).into_owned(),
            if c.suppressed { "ja" } else { "nee" }.to_owned(),
            c.numerator.map(|v| v.to_string()).unwrap_or_default(),
            c.denominator.map(|v| v.to_string()).unwrap_or_default(),
            num(c.value),
            num(c.sum),
            num(c.baseline),
        ])?;
    }
    f.finish()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesQuery {
    level: Option<String>,
    indicator: Option<String>,
    cell: String,
    format: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/urgency/series",
    tag = "urgency",
    operation_id = "urgency_series",
    summary = "The daily series of one indicator in one cell (gemeente, wijk or buurt), the last 12 months.",
    description = "Everyone (aggregates only). The snapshots kept once a day of what was released that day: suppressed days without numbers. Only the CBS levels are kept. Unknown level, indicator or cell name: 404.",
    params(UrgencyLevel, UrgencyIndicator, UrgencyCell, UrgencySeriesFormat),
    responses(
        (status = 200, description = "The series, oldest first (JSON or CSV).", content((UrgencySeries = "application/json"), (String = "text/csv"))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 404, response = doc::responses::NotFound),
    )
)]
async fn urgency_series(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<SeriesQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    caller.require(
        Purpose::Research,
        &Resource::new(DataClass::Aggregates, Place::Everywhere),
    )?;
    let (level, ix) = pick(&state, q.level.as_deref(), q.indicator.as_deref())?;
    if !SNAPSHOT_LEVELS.contains(&level) {
        return Err(ApiError::NotFound(format!(
            "no series at level {level}; series are kept for gemeente, wijk and buurt"
        )));
    }
    let Some(cell) = Cell::parse(level, &q.cell) else {
        return Err(ApiError::NotFound(format!(
            "{:?} is not a {level} code",
            q.cell.chars().take(40).collect::<String>()
        )));
    };
    let name = state.urgency.set().indicators[ix].name.clone();
    let st = state.clone();
    let rows = blocking(move || {
        let from = day_of(crate::clock::now() - SERIES_DAYS * 86_400);
        Ok(st
            .people
            .store
            .urgency_series(&name, level.as_str(), &cell.to_string(), &from)?)
    })
    .await?;
    if q.format.as_deref() == Some("csv") {
        let mut f = CsvFile::new(["dag", "onderdrukt", "teller", "noemer", "waarde"])
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        for r in &rows {
            f.record([
                r.day.clone(),
                if r.suppressed { "ja" } else { "nee" }.to_owned(),
                r.numerator.map(|v| v.to_string()).unwrap_or_default(),
                r.denominator.map(|v| v.to_string()).unwrap_or_default(),
                r.value.map(|v| round3(v).to_string()).unwrap_or_default(),
            ])
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        }
        let bytes = f.finish().map_err(|e| ApiError::Internal(e.to_string()))?;
        return Ok(attachment(
            "text/csv; charset=utf-8",
            "urgentie-verloop.csv",
            bytes,
        ));
    }
    if let Some(other) = q.format.as_deref().filter(|f| *f != "json") {
        return Err(ApiError::BadRequest(format!(
            "format {:?} is not one of json, csv",
            other.chars().take(20).collect::<String>()
        )));
    }
    let body = json!({
        "level": level.as_str(),
        "cell": q.cell,
        "indicator": state.urgency.set().indicators[ix].name,
        "points": rows.iter().map(|r| json!({
            "day": r.day,
            "suppressed": r.suppressed,
            "numerator": r.numerator,
            "denominator": r.denominator,
            "value": r.value.map(round3),
        })).collect::<Vec<_>>(),
    });
    Ok(no_store(Json(body).into_response()))
}

/// Weights from a JSON object or `name:w,name:w`: every name an indicator, every weight a number
/// from 0 to [`MAX_WEIGHT`], at least one above 0; otherwise 422 naming what is wrong.
fn check_weights(set: &IndicatorSet, given: &[(String, f64)]) -> ApiResult<Vec<f64>> {
    let mut out = vec![0.0; set.indicators.len()];
    let mut wrong = Vec::new();
    for (name, w) in given {
        match set.by_name(name) {
            None => wrong.push(format!(
                "{:?} is not an indicator (the indicators are {})",
                name.chars().take(40).collect::<String>(),
                set.names()
            )),
            Some(_) if !w.is_finite() || *w < 0.0 || *w > MAX_WEIGHT => wrong.push(format!(
                "the weight of {name} is {w}; a weight is a number from 0 to {MAX_WEIGHT}"
            )),
            Some((i, _)) => out[i] = *w,
        }
    }
    if wrong.is_empty() && out.iter().all(|w| *w == 0.0) {
        wrong.push("every weight is 0: give at least one indicator a weight above 0".into());
    }
    if wrong.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::unprocessable(wrong.join("; ")))
    }
}

/// The weights in force for `caller`: the saved ones, else every indicator 1.
fn saved_weights(state: &AppState, caller: &Caller) -> ApiResult<(Vec<f64>, bool)> {
    let set = state.urgency.set();
    let Ok(user) = caller.user() else {
        return Ok((vec![1.0; set.indicators.len()], false));
    };
    let Some(text) = state.people.store.urgency_weights(user.id)? else {
        return Ok((vec![1.0; set.indicators.len()], false));
    };
    let map: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap_or_default();
    // Indicators added since get no weight; indicators gone are left out.
    let given: Vec<(String, f64)> = map
        .into_iter()
        .filter(|(k, _)| set.by_name(k).is_some())
        .filter_map(|(k, v)| Some((k, v.as_f64()?)))
        .collect();
    Ok(match check_weights(set, &given) {
        Ok(w) => (w, true),
        Err(_) => (vec![1.0; set.indicators.len()], false),
    })
}

fn weights_json(set: &IndicatorSet, w: &[f64]) -> Value {
    Value::Object(
        set.indicators
            .iter()
            .zip(w)
            .map(|(i, w)| (i.name.clone(), json!(w)))
            .collect(),
    )
}

#[utoipa::path(
    get,
    path = "/api/urgency/weights",
    tag = "urgency",
    operation_id = "get_urgency_weights",
    summary = "The caller's weights of the combined urgency index.",
    description = "A signed-in account: the weights it saved, else every indicator 1 (`saved` false).",
    responses(
        (status = 200, description = "The weights per indicator.", content((UrgencyWeights = "application/json"))),
        (status = 401, response = doc::responses::SignInRequired),
    )
)]
async fn get_urgency_weights(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller.user()?;
    let st = state.clone();
    let c = caller.clone();
    let (w, saved) = blocking(move || saved_weights(&st, &c)).await?;
    Ok(no_store(
        Json(json!({ "weights": weights_json(state.urgency.set(), &w), "saved": saved }))
            .into_response(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightsBody {
    weights: serde_json::Map<String, Value>,
}

#[utoipa::path(
    put,
    path = "/api/urgency/weights",
    tag = "urgency",
    operation_id = "put_urgency_weights",
    summary = "Saves the caller's weights of the combined urgency index.",
    description = "A signed-in account. `weights`: indicator name → number from 0 to 10; at least one above 0. An unknown indicator or a weight out of range is 422 naming it; nothing is saved then.",
    request_body(content = UrgencyWeightsBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved.", content((UrgencyWeights = "application/json"))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 401, response = doc::responses::SignInRequired),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn put_urgency_weights(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<WeightsBody>, JsonRejection>,
) -> ApiResult<Response> {
    let user = caller.user()?.id;
    let Json(body) = body?;
    let set = state.urgency.set();
    let mut given = Vec::new();
    for (k, v) in &body.weights {
        let Some(w) = v.as_f64() else {
            return Err(ApiError::unprocessable(format!(
                "the weight of {:?} is not a number",
                k.chars().take(40).collect::<String>()
            )));
        };
        given.push((k.clone(), w));
    }
    let w = check_weights(set, &given)?;
    let text = weights_json(set, &w).to_string();
    let st = state.clone();
    blocking(move || {
        Ok(st
            .people
            .store
            .put_urgency_weights(user, &text, crate::clock::now())?)
    })
    .await?;
    Ok(no_store(
        Json(json!({ "weights": weights_json(set, &w), "saved": true })).into_response(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexQuery {
    level: Option<String>,
    weights: Option<String>,
    format: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/urgency/index",
    tag = "urgency",
    operation_id = "urgency_index",
    summary = "The combined urgency index per cell of one level: a weighted mean of each indicator's rank.",
    description = "Everyone (built from released values only). index = Σ wᵢ·rᵢ ÷ Σ wᵢ, where rᵢ is the cell's mid-rank (0–1) among the released values of indicator i at the level, turned round where lower is more urgent. `weights` (`name:w,name:w`, each 0–10) when given; else the caller's saved weights; else every indicator 1. A cell withheld in a weighted indicator is withheld. `format=geojson` adds the outlines. Bad weights: 422 naming them.",
    params(UrgencyLevel, UrgencyWeightsParam, UrgencyIndexFormat),
    responses(
        (status = 200, description = "The index per cell, with the weights and the formula.", content((UrgencyIndex = "application/json"), (UrgencyGeoJson = "application/geo+json"))),
        (status = 400, response = doc::responses::BadRequest),
        (status = 404, response = doc::responses::NotFound),
        (status = 422, response = doc::responses::Unprocessable),
    )
)]
async fn urgency_index(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<IndexQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    caller.require(
        Purpose::Research,
        &Resource::new(DataClass::Aggregates, Place::Everywhere),
    )?;
    let (level, _) = pick(&state, q.level.as_deref(), None)?;
    let geojson = match q.format.as_deref() {
        None | Some("json") => false,
        Some("geojson") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "format {:?} is not one of json, geojson",
                other.chars().take(20).collect::<String>()
            )));
        }
    };
    let set = state.urgency.set().clone();
    let weights = if let Some(text) = q.weights.as_deref() {
        let mut given = Vec::new();
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            let (name, w) = part.split_once(':').ok_or_else(|| {
                ApiError::unprocessable(format!(
                    "{:?} is not name:weight",
                    part.chars().take(40).collect::<String>()
                ))
            })?;
            let w: f64 = w.trim().parse().map_err(|_| {
                ApiError::unprocessable(format!(
                    "the weight of {:?} is not a number",
                    name.chars().take(40).collect::<String>()
                ))
            })?;
            given.push((name.trim().to_owned(), w));
        }
        check_weights(&set, &given)?
    } else {
        let st = state.clone();
        let c = caller.clone();
        blocking(move || saved_weights(&st, &c)).await?.0
    };
    let st = state.clone();
    let w = weights.clone();
    let body = blocking(move || {
        st.urgency
            .with(&st, |engine, model| {
                let released: Vec<Vec<CellValue>> = engine.release_all(model, level);
                let parts: Vec<Weighted<'_>> = set
                    .indicators
                    .iter()
                    .zip(&released)
                    .zip(&w)
                    .map(|((ind, cells), weight)| Weighted {
                        cells,
                        weight: *weight,
                        higher_is_more_urgent: ind.higher_is_more_urgent,
                    })
                    .collect();
                let cells = urgency::combine(&parts);
                let props = |c: &urgency::IndexValue| {
                    let area = match c.cell {
                        Cell::Area(code) => model.area_name(code).map(str::to_owned),
                        _ => None,
                    };
                    json!({
                        "code": c.cell.to_string(),
                        "name": area,
                        "suppressed": c.suppressed,
                        "numerator": Value::Null,
                        "denominator": Value::Null,
                        "value": c.value.map(round3),
                        "sum": Value::Null,
                        "baseline": Value::Null,
                        "ranks": set.indicators.iter().zip(&c.ranks).map(|(i, r)| (i.name.clone(), json!(r.map(round3)))).collect::<serde_json::Map<_, _>>(),
                    })
                };
                let released_n = cells.iter().filter(|c| !c.suppressed).count();
                let head = json!({
                    "level": level.as_str(),
                    "weights": weights_json(&set, &w),
                    "formula": "index = Σ wᵢ·rᵢ ÷ Σ wᵢ; rᵢ = mid-rank (0–1) of the cell among the released values of indicator i, turned round where lower is more urgent",
                    "total": { "released": released_n, "suppressed": cells.len() - released_n },
                });
                if geojson {
                    let mut v = head;
                    v["type"] = json!("FeatureCollection");
                    v["features"] = json!(cells.iter().map(|c| json!({
                        "type": "Feature",
                        "id": c.cell.to_string(),
                        "geometry": {"type": "MultiPolygon", "coordinates": c.cell.outline(model)},
                        "properties": props(c),
                    })).collect::<Vec<_>>());
                    v
                } else {
                    let mut v = head;
                    v["cells"] = json!(cells.iter().map(props).collect::<Vec<_>>());
                    v
                }
            })
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await?;
    Ok(if geojson {
        no_store(
            (
                [(header::CONTENT_TYPE, "application/geo+json")],
                body.to_string(),
            )
                .into_response(),
        )
    } else {
        no_store(Json(body).into_response())
    })
}

/// `YYYY-MM-DD` (UTC) of Unix seconds `t`.
pub(crate) fn day_of(t: i64) -> String {
    let days = t.div_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Keeps today's snapshot of every indicator at the CBS levels, if it was not kept yet.
pub(crate) fn snapshot_if_due(state: &AppState) -> anyhow::Result<bool> {
    let day = day_of(crate::clock::now());
    if state.people.store.urgency_snapshot_exists(&day)? {
        return Ok(false);
    }
    let rows = state.urgency.with(state, |engine, model| {
        let mut rows = Vec::new();
        for (ix, ind) in engine.set().indicators.iter().enumerate() {
            for level in SNAPSHOT_LEVELS {
                for c in engine.release(model, ix, level) {
                    rows.push(store::SnapshotRow {
                        day: day.clone(),
                        level: level.as_str().to_owned(),
                        cell: c.cell.to_string(),
                        indicator: ind.name.clone(),
                        suppressed: c.suppressed,
                        numerator: c.numerator,
                        denominator: c.denominator,
                        value: c.value,
                    });
                }
            }
        }
        rows
    })?;
    state.people.store.put_urgency_snapshot(&day, &rows)?;
    tracing::info!(day, cells = rows.len(), "urgency snapshot kept");
    Ok(true)
}

parameter! {
    /// `?level=` of `urgency`.
    UrgencyLevel = r#"{
  "name": "level",
  "in": "query",
  "required": false,
  "description": "gemeente, wijk, buurt (default), grid100, h3-8, h3-9 or h3-10; another is 404.",
  "schema": {"type": "string"}
}"#
}

parameter! {
    /// `?indicator=` of `urgency`.
    UrgencyIndicator = r#"{
  "name": "indicator",
  "in": "query",
  "required": false,
  "description": "An indicator's name from /api/urgency/indicators (default: the first); another is 404.",
  "schema": {"type": "string"}
}"#
}

parameter! {
    /// `?format=` of `urgency`.
    UrgencyFormat = r#"{
  "name": "format",
  "in": "query",
  "required": false,
  "description": "json (default), geojson (with each cell's outline), csv (this indicator) or gpkg (a GeoPackage layer with every indicator of the level, for QGIS).",
  "schema": {"type": "string", "enum": ["json", "geojson", "csv", "gpkg"]}
}"#
}

parameter! {
    /// `?format=` of `urgency_series`.
    UrgencySeriesFormat = r#"{
  "name": "format",
  "in": "query",
  "required": false,
  "description": "json (default) or csv (the series for a spreadsheet: dag, onderdrukt, teller, noemer, waarde).",
  "schema": {"type": "string", "enum": ["json", "csv"]}
}"#
}

parameter! {
    /// `?cell=` of `urgency_series`.
    UrgencyCell = r#"{
  "name": "cell",
  "in": "query",
  "required": true,
  "description": "The cell's code (a CBS code of the level).",
  "schema": {"type": "string"}
}"#
}

schema! {
    /// The body of `urgency_style` (200).
    UrgencyStyle = r#"{
  "type": "object",
  "required": ["version", "sources", "layers", "metadata"],
  "properties": {
    "version": {"type": "integer", "enum": [8]},
    "name": {"type": "string"},
    "sources": {"type": "object"},
    "layers": {"type": "array", "items": {"type": "object"}},
    "metadata": {"type": "object"}
  }
}"#
}

schema! {
    /// The body of `urgency_indicators` (200).
    UrgencyIndicators = r#"{
  "type": "object",
  "required": ["indicators", "levels", "k", "round_to"],
  "properties": {
    "indicators": {"type": "array", "items": {"type": "object"}},
    "levels": {"type": "array", "items": {"type": "string"}},
    "k": {"type": "integer"},
    "round_to": {"type": "integer"}
  }
}"#
}

schema! {
    /// The body of `urgency` (200, JSON).
    UrgencyCells = r#"{
  "type": "object",
  "required": ["level", "indicator", "k", "round_to", "cells", "total"],
  "properties": {
    "level": {"type": "string"},
    "indicator": {"type": "string"},
    "k": {"type": "integer"},
    "round_to": {"type": "integer"},
    "cells": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["code", "name", "suppressed", "numerator", "denominator", "value", "sum", "baseline", "context"],
        "properties": {
          "context": {
            "type": ["object", "null"],
            "description": "CBS figures of a CBS area, from the wijk- en buurtkaart (each null when CBS withheld or lacks it); null for squares and hexagons.",
            "required": ["inwoners", "huishoudens", "percentage_65_plus", "bevolkingsdichtheid"],
            "properties": {
              "inwoners": {"type": ["integer", "null"], "minimum": 0, "description": "Residents (`aantal_inwoners`)."},
              "huishoudens": {"type": ["integer", "null"], "minimum": 0, "description": "Households (`aantal_huishoudens`)."},
              "percentage_65_plus": {"type": ["integer", "null"], "minimum": 0, "maximum": 100, "description": "Share of residents aged 65 and older, in whole percent (`percentage_personen_65_jaar_en_ouder`)."},
              "bevolkingsdichtheid": {"type": ["integer", "null"], "minimum": 0, "description": "Residents per km² of land (`bevolkingsdichtheid_inwoners_per_km2`)."}
            },
            "additionalProperties": false
          },
          "code": {"type": "string", "description": "A CBS area code, a CBS square `E…N…` or an H3 index."},
          "name": {"type": ["string", "null"]},
          "suppressed": {"type": "boolean"},
          "numerator": {"type": ["integer", "null"], "minimum": 0},
          "denominator": {"type": ["integer", "null"], "minimum": 0},
          "value": {"type": ["number", "null"], "description": "share of the rounded counts, per km², or the mean."},
          "sum": {"type": ["number", "null"]},
          "baseline": {"type": ["number", "null"]}
        },
        "additionalProperties": false
      }
    },
    "total": {
      "type": "object",
      "required": ["numerator", "denominator", "value", "sum", "released", "suppressed"],
      "properties": {
        "numerator": {"type": "integer"},
        "denominator": {"type": "integer"},
        "value": {"type": ["number", "null"], "description": "The share of the summed counts; for a mean, the mean over the released cells weighted by their numerators; null for a count per km² or per inhabitant."},
        "sum": {"type": ["number", "null"]},
        "released": {"type": "integer"},
        "suppressed": {"type": "integer"}
      },
      "additionalProperties": false
    }
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `urgency` (200, GeoJSON).
    UrgencyGeoJson = r#"{
  "type": "object",
  "required": ["type", "features"],
  "properties": {
    "type": {"const": "FeatureCollection"},
    "features": {"type": "array", "items": {"type": "object"}}
  }
}"#
}

schema! {
    /// The body of `urgency_series` (200).
    UrgencySeries = r#"{
  "type": "object",
  "required": ["level", "cell", "indicator", "points"],
  "properties": {
    "level": {"type": "string"},
    "cell": {"type": "string"},
    "indicator": {"type": "string"},
    "points": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["day", "suppressed", "numerator", "denominator", "value"],
        "properties": {
          "day": {"type": "string", "format": "date"},
          "suppressed": {"type": "boolean"},
          "numerator": {"type": ["integer", "null"]},
          "denominator": {"type": ["integer", "null"]},
          "value": {"type": ["number", "null"]}
        },
        "additionalProperties": false
      }
    }
  },
  "additionalProperties": false
}"#
}

parameter! {
    /// `?weights=` of `urgency_index`.
    UrgencyWeightsParam = r#"{
  "name": "weights",
  "in": "query",
  "required": false,
  "description": "name:weight pairs, comma-separated, each weight 0–10 (e.g. solar_gap:2,gas_free:1); default: the caller's saved weights, else every indicator 1.",
  "schema": {"type": "string"}
}"#
}

parameter! {
    /// `?format=` of `urgency_index`.
    UrgencyIndexFormat = r#"{
  "name": "format",
  "in": "query",
  "required": false,
  "description": "json (default) or geojson (with each cell's outline).",
  "schema": {"type": "string", "enum": ["json", "geojson"]}
}"#
}

schema! {
    /// The body of `urgency_index` (200, JSON).
    UrgencyIndex = r#"{
  "type": "object",
  "required": ["level", "weights", "formula", "total", "cells"],
  "properties": {
    "level": {"type": "string"},
    "weights": {"type": "object", "additionalProperties": {"type": "number"}},
    "formula": {"type": "string"},
    "total": {"type": "object"},
    "cells": {"type": "array", "items": {"type": "object"}}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `get_urgency_weights` / `put_urgency_weights` (200).
    UrgencyWeights = r#"{
  "type": "object",
  "required": ["weights", "saved"],
  "properties": {
    "weights": {"type": "object", "additionalProperties": {"type": "number"}},
    "saved": {"type": "boolean"}
  },
  "additionalProperties": false
}"#
}

schema! {
    /// The body of `put_urgency_weights`.
    UrgencyWeightsBody = r#"{
  "type": "object",
  "required": ["weights"],
  "properties": {
    "weights": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 10}}
  },
  "additionalProperties": false
}"#
}
