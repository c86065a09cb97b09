//! The sample's heat map: a single-band GeoTIFF in RD New (`hitte-eiland.tif`, 25 m pixels, °C)
//! shaped like the urban heat island map of the Atlas Natuurlijk Kapitaal (RIVM): how much warmer
//! than the countryside around it a place is on a summer night. Here it grows with how much of
//! the ground within 150 m is roof and falls with the street trees there, between 0 and 3 °C.
//! Beside it `indicators.toml`: the shipped urgency indicators and one over this raster, which
//! `wijkwerk demo` loads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::Error;

/// File name of the heat map.
pub const HEAT_FILE: &str = "hitte-eiland.tif";
/// File name of the demo's indicator file.
pub const INDICATORS_FILE: &str = "indicators.toml";

/// Pixel size in metres.
const PIXEL: f64 = 25.0;
/// How far around a pixel roofs and trees count.
const REACH: f64 = 150.0;
/// Margin of countryside around the wijk.
const MARGIN: f64 = 300.0;

/// The indicator over the heat map, added to the shipped ones.
const HEAT_INDICATOR: &str = r#"
[[indicator]]
name = "heat_island"
title = { nl = "Hitte-eiland", en = "Urban heat island" }
description = { nl = "Hoeveel warmer het er op een zomernacht is dan op het platteland eromheen (stedelijk hitte-eilandeffect), gemiddeld over het gebied", en = "How much warmer it is on a summer night than in the countryside around it (urban heat island effect), averaged over the area" }
over = "raster"
measure = "mean"
raster = "hitte-eiland.tif"
value_unit = { nl = "°C", en = "°C" }
source = { nl = "Voorbeeldkaart van de demo, gemaakt zoals de hitte-eilandkaart van de Atlas Natuurlijk Kapitaal (RIVM)", en = "The demo's sample map, made like the urban heat island map of the Atlas Natuurlijk Kapitaal (RIVM)" }
freshness = { nl = "bij het starten", en = "at start" }
higher_is_more_urgent = true
"#;

/// Roof area and trees per 25 m bin, then the map.
#[derive(Default)]
pub(crate) struct HeatWriter {
    /// Per bin (column, row of RD / 25 m): m² of roof, trees.
    bins: HashMap<(i32, i32), (f64, u32)>,
}

fn bin(x: f64, y: f64) -> (i32, i32) {
    ((x / PIXEL).floor() as i32, (y / PIXEL).floor() as i32)
}

impl HeatWriter {
    /// A roof of `m2` square metres around RD point (`x`, `y`).
    pub(crate) fn roof(&mut self, x: f64, y: f64, m2: f64) {
        self.bins.entry(bin(x, y)).or_default().0 += m2;
    }

    /// A tree at RD point (`x`, `y`).
    pub(crate) fn tree(&mut self, x: f64, y: f64) {
        self.bins.entry(bin(x, y)).or_default().1 += 1;
    }

    /// Writes `hitte-eiland.tif` and `indicators.toml` into `dir`; `None` when nothing was built.
    pub(crate) fn finish(self, dir: &Path) -> Result<Option<(PathBuf, PathBuf)>, Error> {
        let Some(((c0, r0), (c1, r1))) = self.bins.keys().fold(None, |acc, &(c, r)| {
            Some(match acc {
                None => ((c, r), (c, r)),
                Some(((a, b), (d, e))) => ((c.min(a), r.min(b)), (c.max(d), r.max(e))),
            })
        }) else {
            return Ok(None);
        };
        let m = (MARGIN / PIXEL) as i32;
        let (c0, r0, c1, r1) = (c0 - m, r0 - m, c1 + m, r1 + m);
        let (w, h) = ((c1 - c0 + 1) as u32, (r1 - r0 + 1) as u32);
        let reach = (REACH / PIXEL).ceil() as i32;
        let disk = std::f64::consts::PI * REACH * REACH;
        let mut values = Vec::with_capacity(w as usize * h as usize);
        // Rows from the top (north) down.
        for r in (r0..=r1).rev() {
            for c in c0..=c1 {
                let (mut roof, mut trees) = (0.0, 0u32);
                for dr in -reach..=reach {
                    for dc in -reach..=reach {
                        let d = f64::from(dr * dr + dc * dc).sqrt() * PIXEL;
                        if d > REACH {
                            continue;
                        }
                        if let Some((m2, t)) = self.bins.get(&(c + dc, r + dr)) {
                            roof += m2;
                            trees += t;
                        }
                    }
                }
                let built = (roof / disk).min(1.0);
                let v = (0.3 + 12.0 * built - 0.005 * f64::from(trees)).clamp(0.0, 3.0);
                values.push(((v * 10.0).round() / 10.0) as f32);
            }
        }
        let origin = (f64::from(c0) * PIXEL, f64::from(r1 + 1) * PIXEL);
        let raster = urgency::Raster::new(origin, (PIXEL, PIXEL), (w, h), values).map_err(|e| {
            Error::Io {
                path: dir.join(HEAT_FILE),
                source: std::io::Error::other(e.to_string()),
            }
        })?;
        let path = dir.join(HEAT_FILE);
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source: std::io::Error| Error::Io { path, source }
        };
        let file = std::fs::File::create(&path).map_err(io(&path))?;
        urgency::write_geotiff(
            std::io::BufWriter::new(file),
            &raster,
            -9999.0,
            urgency::RD_NEW,
        )
        .map_err(|e| Error::Io {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let indicators = dir.join(INDICATORS_FILE);
        let text = format!(
            "# The demo's urgency indicators: the shipped ones and one over the sample's heat map.\n{}{HEAT_INDICATOR}",
            urgency::DEFAULT_INDICATORS
        );
        std::fs::write(&indicators, text).map_err(io(&indicators))?;
        Ok(Some((path, indicators)))
    }
}
