//! The generation run: plan the area, build and write it buurt by buurt (so memory stays that of
//! one buurt), then write the CBS layers from what was built.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::address::{Streets, postcode};
use crate::bag_light::BagLightWriter;
use crate::build::{Builder, BuurtOutput};
use crate::enrichment::EnrichmentWriter;
use crate::layout::{BuurtPlan, Layout};
use crate::names::StreetNames;
use crate::options::LAST_CHANGE;
use crate::statistics;
use crate::street::sections;
use crate::{
    BAG_LIGHT_FILE, Error, GEMEENTECODE, SampleOptions, SampleSummary, WIJKENBUURTEN_FILE, cbs,
    groups, placement,
};

/// A random stream of the run: the same seed and stream always give the same numbers, whatever
/// else was drawn before.
fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Seed streams: 0 plans the area, 1 + i builds buurt i, these two derive statistics, the last
/// enriches buurt i (3DBAG, labels, trees).
const STATS_STREAM: u64 = 1 << 40;
const SENTINEL_STREAM: u64 = 1 << 41;
const ENRICH_STREAM: u64 = 1 << 42;

/// Generates a fictional gemeente into `opts.out_dir`: `bag-light.gpkg` and `wijkenbuurten.gpkg`,
/// and its enrichment (3DBAG, EP-Online, trees; see [`EnrichmentFiles`](crate::EnrichmentFiles)).
/// `progress` is called after each buurt with the number of buildings written so far.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let summary = sample_data::generate(&sample_data::SampleOptions::new(500, 1, dir.path()), &mut |_| {}).unwrap();
/// assert_eq!(summary.panden, 500);
/// assert!(summary.verblijfsobjecten > 500);
/// ```
pub fn generate(
    opts: &SampleOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<SampleSummary, Error> {
    let extent = opts.resolved_extent_m();
    opts.validate(extent)?;
    std::fs::create_dir_all(&opts.out_dir).map_err(|source| Error::Io {
        path: opts.out_dir.clone(),
        source,
    })?;

    let mut rng = stream(opts.seed, 0);
    let layout = Layout::new(opts.buildings, opts.origin_rd, extent, &mut rng);
    let mut names = StreetNames::new(&mut rng);
    let bag_light = opts.out_dir.join(BAG_LIGHT_FILE);
    let mut bag = BagLightWriter::create(&bag_light, LAST_CHANGE)?;
    let mut enrich = EnrichmentWriter::create(&opts.out_dir, opts.origin_rd, LAST_CHANGE)?;
    let mut streets = Streets::default();
    let mut wijk_streets = BTreeMap::new();
    let mut counts = Vec::with_capacity(layout.buurten.len());
    for plan in &layout.buurten {
        if plan.bb == 0 {
            wijk_streets.clear();
        }
        let cell = layout.cell(plan.col, plan.row);
        let theme = layout.wijken[plan.wijk].theme;
        let mut rng = stream(opts.seed, 1 + plan.index as u64);
        let built = build_buurt(
            plan,
            cell,
            theme,
            &mut names,
            &mut streets,
            &mut wijk_streets,
            &mut rng,
        )?;
        let area_m2 = (cell[2] - cell[0]) * (cell[3] - cell[1]);
        let mut rng = stream(opts.seed, STATS_STREAM + plan.index as u64);
        counts.push(statistics::buurt_counts(
            &built.tally,
            plan.era,
            area_m2,
            &mut rng,
        ));
        enrich.write(
            &built,
            cell,
            &mut stream(opts.seed, ENRICH_STREAM + plan.index as u64),
        )?;
        bag.write(built, &streets)?;
        progress(bag.counts().0);
    }
    let (panden, verblijfsobjecten) = bag.counts();
    bag.finish()?;
    let enrichment = enrich.finish()?;

    statistics::mark_sentinels(&mut counts, &mut stream(opts.seed, SENTINEL_STREAM));
    let wijkenbuurten = opts.out_dir.join(WIJKENBUURTEN_FILE);
    cbs::write(&wijkenbuurten, &layout, &counts, LAST_CHANGE)?;
    let (x, y) = opts.origin_rd;
    Ok(SampleSummary {
        bag_light,
        wijkenbuurten,
        panden,
        verblijfsobjecten,
        buurten: layout.buurten.len() as u64,
        wijken: layout.wijken.len() as u64,
        gemeenten: 1,
        bounds_rd: [x, y, x + extent, y + extent],
        enrichment,
    })
}

/// Builds one buurt: plan its groups, place them along its streets, and build them.
fn build_buurt(
    plan: &BuurtPlan,
    cell: [f64; 4],
    theme: usize,
    names: &mut StreetNames,
    streets: &mut Streets,
    wijk_streets: &mut BTreeMap<(u32, usize), u32>,
    rng: &mut ChaCha8Rng,
) -> Result<BuurtOutput, Error> {
    let (sections, street_count) = sections(cell);
    let too_dense = || Error::TooDense {
        buurt: format!(
            "{} (BU{GEMEENTECODE}, grid cell {},{})",
            plan.name, plan.col, plan.row
        ),
        buildings: plan.quota,
        cell_m: cell[2] - cell[0],
    };
    if plan.quota > 0 && sections.is_empty() {
        return Err(too_dense());
    }
    let max_frontage = sections.first().map_or(0.0, |s| s.length);
    // Should the buurt's mix not fit, it is planned again with fewer space-hungry groups.
    let (groups, placed) = (0..3)
        .find_map(|squeeze| {
            let groups = groups::plan(plan, max_frontage, squeeze, rng);
            placement::place(&groups, &sections).map(|placed| (groups, placed))
        })
        .ok_or_else(too_dense)?;
    // Build section by section, west to east: house numbers then run along the street.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| {
        placed[a]
            .section
            .cmp(&placed[b].section)
            .then(placed[a].u.total_cmp(&placed[b].u))
    });
    // A street runs on through the buurten of one row of a wijk, and keeps its name and numbering.
    let street_ids: Vec<u32> = (0..street_count)
        .map(|k| {
            *wijk_streets
                .entry((plan.wijk_row, k))
                .or_insert_with(|| streets.add(names.next(theme)))
        })
        .collect();
    let mut builder = Builder::new(rng, streets, plan.era);
    let mut current = None;
    let mut sections_started = 0;
    for (group, at) in order.iter().map(|&i| (&groups[i], &placed[i])) {
        if current != Some(at.section) {
            let s = &sections[at.section];
            builder.section(
                s.frame,
                street_ids[s.street],
                s.side,
                postcode(plan.pc4, sections_started),
            );
            sections_started += 1;
            current = Some(at.section);
        }
        builder.group(group, at.u);
    }
    Ok(builder.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MAX_BUILDINGS;
    use domain::AreaCode;
    use geo::{Area, BoundingRect, Contains, MultiPolygon, Point, Polygon, Validation};
    use ingest::GeoPackage;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    fn run(buildings: u64, seed: u64, dir: &Path) -> SampleSummary {
        let mut last = 0;
        let summary = generate(&SampleOptions::new(buildings, seed, dir), &mut |n| {
            assert!(n >= last);
            last = n;
        })
        .unwrap();
        assert_eq!(last, buildings);
        summary
    }

    struct PandRow {
        id: String,
        footprint: MultiPolygon,
        status: String,
        bouwjaar: i64,
        gebruiksdoel: Option<String>,
        units: i64,
    }

    struct VboRow {
        location: Point,
        panden: String,
        postcode: String,
        street: String,
        status: String,
        gebruiksdoel: String,
        huisletter: Option<String>,
        toevoeging: Option<String>,
    }

    fn panden(path: &Path) -> Vec<PandRow> {
        let g = GeoPackage::open(path).unwrap();
        let mut out = Vec::new();
        let cols = [
            "identificatie",
            "status",
            "bouwjaar",
            "gebruiksdoel",
            "aantal_verblijfsobjecten",
        ];
        g.for_each_feature("pand", &cols, &mut |f| {
            out.push(PandRow {
                id: f.text(0)?.unwrap(),
                footprint: domain::wkb::read_multi_polygon(f.wkb()?.unwrap()).unwrap(),
                status: f.text(1)?.unwrap(),
                bouwjaar: f.int(2)?.unwrap(),
                gebruiksdoel: f.text(3)?,
                units: f.int(4)?.unwrap(),
            });
            Ok(())
        })
        .unwrap();
        out
    }

    fn verblijfsobjecten(path: &Path) -> Vec<VboRow> {
        let g = GeoPackage::open(path).unwrap();
        let mut out = Vec::new();
        let cols = [
            "pand_identificatie",
            "postcode",
            "openbare_ruimte_naam",
            "status",
            "gebruiksdoel",
            "huisletter",
            "toevoeging",
        ];
        g.for_each_feature("verblijfsobject", &cols, &mut |f| {
            out.push(VboRow {
                location: domain::wkb::read_point(f.wkb()?.unwrap()).unwrap(),
                panden: f.text(0)?.unwrap(),
                postcode: f.text(1)?.unwrap(),
                street: f.text(2)?.unwrap(),
                status: f.text(3)?.unwrap(),
                gebruiksdoel: f.text(4)?.unwrap(),
                huisletter: f.text(5)?,
                toevoeging: f.text(6)?,
            });
            Ok(())
        })
        .unwrap();
        out
    }

    /// (code, polygon) of every feature of a CBS layer.
    fn areas(path: &Path, layer: &str, code: &str) -> Vec<(String, MultiPolygon)> {
        let g = GeoPackage::open(path).unwrap();
        let mut out = Vec::new();
        g.for_each_feature(layer, &[code], &mut |f| {
            out.push((
                f.text(0)?.unwrap(),
                domain::wkb::read_multi_polygon(f.wkb()?.unwrap()).unwrap(),
            ));
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn same_seed_gives_identical_files_and_another_seed_does_not() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        run(800, 5, a.path());
        run(800, 5, b.path());
        run(800, 6, c.path());
        for file in [BAG_LIGHT_FILE, WIJKENBUURTEN_FILE] {
            let read = |d: &tempfile::TempDir| std::fs::read(d.path().join(file)).unwrap();
            assert!(
                read(&a) == read(&b),
                "{file} differs between two runs with the same seed"
            );
            assert!(
                read(&a) != read(&c),
                "{file} is the same for different seeds"
            );
        }
    }

    #[test]
    fn counts_match_the_summary_and_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let s = run(1_500, 2, dir.path());
        assert_eq!(s.panden, 1_500);
        let bag = GeoPackage::open(&s.bag_light).unwrap();
        assert_eq!(bag.count("pand").unwrap(), s.panden);
        assert_eq!(bag.count("verblijfsobject").unwrap(), s.verblijfsobjecten);
        let cbs = GeoPackage::open(&s.wijkenbuurten).unwrap();
        assert_eq!(cbs.count("buurten").unwrap(), s.buurten);
        assert_eq!(cbs.count("wijken").unwrap(), s.wijken);
        assert_eq!(cbs.count("gemeenten").unwrap(), 1);
        // Every verblijfsobject is counted in each pand it lies in.
        let mut per_pand: BTreeMap<String, i64> = BTreeMap::new();
        for v in verblijfsobjecten(&s.bag_light) {
            for id in v.panden.split(',') {
                *per_pand.entry(id.to_owned()).or_default() += 1;
            }
        }
        for p in panden(&s.bag_light) {
            assert_eq!(
                per_pand.get(&p.id).copied().unwrap_or(0),
                p.units,
                "pand {}",
                p.id
            );
            assert_eq!(p.gebruiksdoel.is_none(), p.units == 0);
        }
    }

    #[test]
    fn area_codes_nest_and_areas_are_unions_of_buurten() {
        let dir = tempfile::tempdir().unwrap();
        let s = run(3_000, 1, dir.path());
        let buurten = areas(&s.wijkenbuurten, "buurten", "buurtcode");
        let wijken = areas(&s.wijkenbuurten, "wijken", "wijkcode");
        let gemeenten = areas(&s.wijkenbuurten, "gemeenten", "gemeentecode");
        assert_eq!(gemeenten.len(), 1);
        assert_eq!(gemeenten[0].0, format!("GM{GEMEENTECODE}"));
        let g = CbsRows::read(&s.wijkenbuurten);
        let wijk_codes: BTreeSet<&String> = wijken.iter().map(|w| &w.0).collect();
        for (code, polygon) in &buurten {
            let parsed: AreaCode = code.parse().unwrap();
            let wijk = parsed.wijk().unwrap().to_string();
            assert!(wijk_codes.contains(&wijk), "{code}: no wijk {wijk}");
            assert_eq!(g.buurt_wijk[code], wijk);
            assert_eq!(parsed.gemeente().to_string(), gemeenten[0].0);
            let (_, wijk_polygon) = wijken.iter().find(|w| w.0 == wijk).unwrap();
            assert!(
                wijk_polygon.contains(polygon),
                "{code} is not inside {wijk}"
            );
        }
        for (code, polygon) in &wijken {
            let inside: f64 = buurten
                .iter()
                .filter(|b| b.0[2..8] == code[2..8])
                .map(|b| b.1.unsigned_area())
                .sum();
            assert!((inside - polygon.unsigned_area()).abs() < 1e-3, "{code}");
        }
        let all: f64 = buurten.iter().map(|b| b.1.unsigned_area()).sum();
        assert!((all - gemeenten[0].1.unsigned_area()).abs() < 1e-2);
        assert!(
            buurten
                .iter()
                .chain(&wijken)
                .chain(&gemeenten)
                .all(|a| a.1.is_valid())
        );
    }

    /// The buurt → wijk column of the buurten layer.
    struct CbsRows {
        buurt_wijk: BTreeMap<String, String>,
    }

    impl CbsRows {
        fn read(path: &Path) -> Self {
            let g = GeoPackage::open(path).unwrap();
            let mut buurt_wijk = BTreeMap::new();
            g.for_each_feature("buurten", &["buurtcode", "wijkcode"], &mut |f| {
                buurt_wijk.insert(f.text(0)?.unwrap(), f.text(1)?.unwrap());
                Ok(())
            })
            .unwrap();
            Self { buurt_wijk }
        }
    }

    #[test]
    fn every_building_lies_in_exactly_one_buurt_and_no_two_overlap() {
        let dir = tempfile::tempdir().unwrap();
        let s = run(3_000, 1, dir.path());
        let buurten = areas(&s.wijkenbuurten, "buurten", "buurtcode");
        let panden = panden(&s.bag_light);
        let mut boxes = Vec::with_capacity(panden.len());
        for p in &panden {
            assert!(
                p.footprint.is_valid(),
                "pand {} is not a valid polygon",
                p.id
            );
            let ring = &p.footprint.0[0].exterior().0;
            assert_eq!(ring.first(), ring.last());
            assert!(
                Polygon::new(p.footprint.0[0].exterior().clone(), vec![]).signed_area() > 0.0,
                "{} is clockwise",
                p.id
            );
            let holding = buurten
                .iter()
                .filter(|b| b.1.contains(&p.footprint))
                .count();
            assert_eq!(holding, 1, "pand {} lies in {holding} buurten", p.id);
            boxes.push(p.footprint.bounding_rect().unwrap());
        }
        // Footprints are orthogonal and axis-aligned: interiors of their bounding boxes never overlap.
        boxes.sort_by(|a, b| a.min().x.total_cmp(&b.min().x));
        for (i, a) in boxes.iter().enumerate() {
            for b in boxes[i + 1..].iter().take_while(|b| b.min().x < a.max().x) {
                let dx = a.max().x.min(b.max().x) - a.min().x.max(b.min().x);
                let dy = a.max().y.min(b.max().y) - a.min().y.max(b.min().y);
                assert!(dx <= 1e-6 || dy <= 1e-6, "{a:?} overlaps {b:?}");
            }
        }
        // Every address point lies in (the first of) its panden.
        let by_id: BTreeMap<&str, &PandRow> = panden.iter().map(|p| (p.id.as_str(), p)).collect();
        for v in verblijfsobjecten(&s.bag_light) {
            let first = v.panden.split(',').next().unwrap();
            assert!(by_id[first].footprint.contains(&v.location), "{first}");
        }
    }

    #[test]
    fn the_demo_has_the_variety_the_map_needs() {
        let dir = tempfile::tempdir().unwrap();
        let s = run(3_000, 1, dir.path());
        let panden = panden(&s.bag_light);
        let vbos = verblijfsobjecten(&s.bag_light);
        let statuses: BTreeSet<&str> = panden.iter().map(|p| p.status.as_str()).collect();
        for wanted in [
            "Pand in gebruik",
            "Pand gesloopt",
            "Bouwvergunning verleend",
            "Bouw gestart",
        ] {
            assert!(statuses.contains(wanted), "no {wanted}");
        }
        assert!(
            statuses
                .iter()
                .all(|s| s.parse::<domain::BuildingStatus>().is_ok())
        );
        assert!(panden.iter().any(|p| p.bouwjaar == 9999));
        assert!(
            panden
                .iter()
                .all(|p| p.bouwjaar == 9999 || (1900..=2024).contains(&p.bouwjaar))
        );
        assert!(
            panden
                .iter()
                .all(|p| p.id.len() == 16 && p.id.starts_with("199910000"))
        );
        let uses: BTreeSet<&str> = vbos.iter().map(|v| v.gebruiksdoel.as_str()).collect();
        for wanted in ["woonfunctie", "winkelfunctie", "onderwijsfunctie"] {
            assert!(uses.contains(wanted), "no {wanted}");
        }
        assert!(
            panden
                .iter()
                .any(|p| p.gebruiksdoel.as_deref() == Some("woonfunctie,winkelfunctie"))
        );
        assert!(panden.iter().any(|p| p.units >= 20), "no flats");
        assert!(
            vbos.iter().any(|v| v.panden.contains(',')),
            "no verblijfsobject in two panden"
        );
        assert!(vbos.iter().any(|v| v.huisletter.is_some()));
        assert!(vbos.iter().any(|v| v.toevoeging.as_deref() == Some("hs")));
        assert!(
            vbos.iter()
                .any(|v| v.street.contains('\'') || v.street.contains('ö'))
        );
        assert!(
            vbos.iter()
                .all(|v| v.status.parse::<domain::AddressStatus>().is_ok())
        );
        let postcode = |p: &str| {
            p.len() == 6
                && p[..4].bytes().all(|b| b.is_ascii_digit())
                && p[4..].bytes().all(|b| b.is_ascii_uppercase())
        };
        assert!(vbos.iter().all(|v| postcode(&v.postcode)));
        // A postcode belongs to one side of one street.
        let mut streets_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for v in &vbos {
            streets_of.entry(&v.postcode).or_default().insert(&v.street);
        }
        assert!(streets_of.values().all(|s| s.len() == 1));
    }

    #[test]
    fn cbs_layers_carry_suppression_sentinels() {
        let dir = tempfile::tempdir().unwrap();
        let s = run(3_000, 1, dir.path());
        let g = GeoPackage::open(&s.wijkenbuurten).unwrap();
        let mut values = Vec::new();
        let cols = [
            "percentage_huishoudens_met_kinderen",
            "percentage_koopwoningen",
            "aantal_inwoners",
        ];
        g.for_each_feature("buurten", &cols, &mut |f| {
            values.push((f.int(0)?.unwrap(), f.int(1)?.unwrap(), f.int(2)?.unwrap()));
            Ok(())
        })
        .unwrap();
        assert!(values.iter().any(|v| v.0 == statistics::SECRET));
        assert!(values.iter().any(|v| v.1 == statistics::NOT_AVAILABLE));
        assert!(values.iter().all(|v| v.2 >= 0));
    }

    #[test]
    fn options_out_of_range_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut opts = SampleOptions::new(10, 1, dir.path());
        opts.extent_m = Some(-1.0);
        assert!(matches!(
            generate(&opts, &mut |_| {}),
            Err(Error::InvalidOptions(_))
        ));
        opts.extent_m = None;
        opts.origin_rd = (500_000.0, 0.0);
        assert!(matches!(
            generate(&opts, &mut |_| {}),
            Err(Error::InvalidOptions(_))
        ));
        let mut dense = SampleOptions::new(5_000, 1, dir.path());
        dense.extent_m = Some(300.0);
        assert!(matches!(
            generate(&dense, &mut |_| {}),
            Err(Error::TooDense { .. })
        ));
        assert!(matches!(
            generate(
                &SampleOptions::new(MAX_BUILDINGS + 1, 1, dir.path()),
                &mut |_| {}
            ),
            Err(Error::InvalidOptions(_))
        ));
    }

    #[test]
    fn tiny_and_empty_samples_work() {
        for n in [0, 1, 7] {
            let dir = tempfile::tempdir().unwrap();
            let s = run(n, 3, dir.path());
            assert_eq!(s.panden, n);
            assert_eq!(
                GeoPackage::open(&s.bag_light)
                    .unwrap()
                    .count("pand")
                    .unwrap(),
                n
            );
        }
    }
}
