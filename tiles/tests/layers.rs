//! Layer tests: synthetic domain objects in, decoded tile features out.

#![allow(clippy::unwrap_used, reason = "test fixtures fail loudly")]

mod support;

use domain::{Area, AreaRefs, BagId, Building, BuildingStatus, ModelBuilder};
use geo::{MultiPolygon, polygon};
use support::{Val, decode};
use tiles::{TileCoord, TileSet};

/// A 20 m × 10 m building at (lon, lat) in Doesburg-ish coordinates.
fn building(id: u64, lon: f64, lat: f64, status: BuildingStatus, bouwjaar: u16) -> Building {
    let (dx, dy) = (0.0003, 0.00009);
    Building {
        id: BagId::new(id).unwrap(),
        footprint_wgs84: MultiPolygon(vec![polygon![
            (x: lon, y: lat), (x: lon + dx, y: lat), (x: lon + dx, y: lat + dy), (x: lon, y: lat + dy), (x: lon, y: lat)
        ]]),
        bouwjaar,
        status,
        usage: "woonfunctie".parse().unwrap(),
        units: 2,
        areas: AreaRefs::from_code("BU02210101".parse().unwrap()),
    }
}

fn tile_at(z: u8, lon: f64, lat: f64) -> TileCoord {
    TileCoord::covering(z, [lon, lat, lon, lat]).next().unwrap()
}

const LON: f64 = 6.1375;
const LAT: f64 = 52.0131;

#[test]
fn one_building_becomes_one_feature_with_its_bag_facts() {
    let mut b = ModelBuilder::default();
    b.add_building(&building(
        221_100_000_012_345,
        LON,
        LAT,
        BuildingStatus::InUse,
        1931,
    ));
    let model = b.build();
    let tile = tile_at(16, LON + 0.00015, LAT + 0.00004);
    let bytes = TileSet::default()
        .render(&tiles::Sources::registers(&model), "buildings", tile)
        .unwrap();
    let layers = decode(&bytes);
    assert_eq!(layers.len(), 1);
    let l = &layers[0];
    assert_eq!(
        (l.name.as_str(), l.version, l.extent),
        ("buildings", 2, 4096)
    );
    assert_eq!(l.features.len(), 1);
    let f = &l.features[0];
    assert_eq!(f.id, Some(221_100_000_012_345));
    assert_eq!(f.kind, 3);
    assert_eq!(
        f.props["identificatie"],
        Val::Str("0221100000012345".into())
    );
    assert_eq!(f.props["bouwjaar"], Val::Num(1931.0));
    assert_eq!(f.props["status"], Val::Str("Pand in gebruik".into()));
    assert_eq!(f.props["gebruiksdoel"], Val::Str("woonfunctie".into()));
    assert_eq!(f.props["aantal_verblijfsobjecten"], Val::Num(2.0));
    assert_eq!(f.props["buurtcode"], Val::Str("BU02210101".into()));
    let parts = f.parts();
    assert_eq!(parts.len(), 1, "one exterior ring");
    assert_eq!(parts[0].len(), 4, "a rectangle, not closed explicitly");
    // Exterior rings have a positive area in tile coordinates (MVT 2.1 §4.3.4.4).
    assert!(tiles::simplify::ring_area2(&parts[0]) > 0);
    // 0.0003° of longitude is 0.0003 / (360 / 2^16) × 4096 ≈ 224 tile units at z16.
    let xs: Vec<i32> = parts[0].iter().map(|p| p[0]).collect();
    let width = xs.iter().max().unwrap() - xs.iter().min().unwrap();
    assert!((220..=228).contains(&width), "width {width}");
}

#[test]
fn demolished_buildings_are_never_drawn() {
    let mut b = ModelBuilder::default();
    b.add_building(&building(1, LON, LAT, BuildingStatus::Demolished, 1931));
    b.add_building(&building(2, LON, LAT, BuildingStatus::NotRealised, 1931));
    b.add_building(&building(
        3,
        LON,
        LAT,
        BuildingStatus::WronglyRegistered,
        1931,
    ));
    let model = b.build();
    for z in [10, 13, 14, 16] {
        let bytes = TileSet::default()
            .render(
                &tiles::Sources::registers(&model),
                "all",
                tile_at(z, LON, LAT),
            )
            .unwrap();
        assert!(bytes.is_empty(), "z{z}");
    }
}

#[test]
fn low_zooms_merge_buildings_into_blocks() {
    let mut b = ModelBuilder::default();
    for i in 0..200u64 {
        let (col, row) = ((i % 20) as f64, (i / 20) as f64);
        b.add_building(&building(
            1000 + i,
            LON + col * 0.0004,
            LAT + row * 0.00015,
            BuildingStatus::InUse,
            1960,
        ));
    }
    let model = b.build();
    let bytes = TileSet::default()
        .render(
            &tiles::Sources::registers(&model),
            "buildings",
            tile_at(12, LON, LAT),
        )
        .unwrap();
    let layers = decode(&bytes);
    let blocks = &layers[0].features;
    assert!(
        !blocks.is_empty() && blocks.len() < 200,
        "{} blocks",
        blocks.len()
    );
    let total: f64 = blocks
        .iter()
        .map(|f| {
            if let Val::Num(n) = f.props["count"] {
                n
            } else {
                0.0
            }
        })
        .sum();
    assert!(total >= 200.0);
    assert!(
        blocks
            .iter()
            .all(|f| f.props["kind"] == Val::Str("block".into())
                && f.props["bouwjaar"] == Val::Num(1960.0))
    );
}

#[test]
fn a_building_across_a_tile_edge_is_clipped_to_the_buffer() {
    let tile = TileCoord::new(18, 0, 0).unwrap();
    // Find the real tile at z18 and put a long building across its east edge.
    let t = tile_at(18, LON, LAT);
    let [_, s, e, n] = t.bounds_lonlat();
    let _ = tile;
    let mut bld = building(
        7,
        e - 0.001,
        f64::midpoint(s, n),
        BuildingStatus::InUse,
        2000,
    );
    bld.footprint_wgs84 = MultiPolygon(vec![polygon![
        (x: e - 0.001, y: f64::midpoint(s, n)), (x: e + 0.001, y: f64::midpoint(s, n)), (x: e + 0.001, y: n - 0.00001), (x: e - 0.001, y: n - 0.00001), (x: e - 0.001, y: f64::midpoint(s, n))
    ]]);
    let mut b = ModelBuilder::default();
    b.add_building(&bld);
    let model = b.build();
    let layers = decode(
        &TileSet::default()
            .render(&tiles::Sources::registers(&model), "buildings", t)
            .unwrap(),
    );
    let ring = &layers[0].features[0].parts()[0];
    assert!(
        ring.iter().all(|p| p[0] <= 4096 + 64 && p[0] >= -64),
        "{ring:?}"
    );
    assert!(ring.iter().any(|p| p[0] == 4096 + 64));
}

#[test]
fn areas_have_polygons_and_one_label_point() {
    let mut b = ModelBuilder::default();
    let (w, s, e, n) = (LON - 0.01, LAT - 0.01, LON + 0.01, LAT + 0.01);
    b.add_area(&Area {
        code: "BU02210101".parse().unwrap(),
        name: "Binnenstad 's-Hertogenbosch".into(),
        boundary_wgs84: MultiPolygon(vec![
            polygon![(x: w, y: s), (x: e, y: s), (x: e, y: n), (x: w, y: n), (x: w, y: s)],
        ]),
        residents: Some(1000),
        households: None,
        share_65_plus: None,
        density: None,
    });
    let model = b.build();
    let z = 13;
    let mut polygons = 0;
    let mut labels = 0;
    for t in TileCoord::covering(z, [w, s, e, n]) {
        for l in decode(
            &TileSet::default()
                .render(&tiles::Sources::registers(&model), "areas", t)
                .unwrap(),
        ) {
            for f in &l.features {
                assert_eq!(
                    f.props["naam"],
                    Val::Str("Binnenstad 's-Hertogenbosch".into())
                );
                assert_eq!(f.props["kind"], Val::Str("buurt".into()));
                match f.kind {
                    3 => polygons += 1,
                    1 => labels += 1,
                    k => panic!("geometry type {k}"),
                }
            }
        }
    }
    assert!(polygons >= 1);
    assert_eq!(labels, 1, "a label point in exactly one tile");
}

#[test]
fn unknown_layer_is_an_error() {
    let model = ModelBuilder::default().build();
    assert!(
        TileSet::default()
            .render(
                &tiles::Sources::registers(&model),
                "lampposts",
                TileCoord::new(0, 0, 0).unwrap()
            )
            .is_err()
    );
}

/// A street's name is written along its addresses: one line per stretch, cut at the tile's
/// buffer, with the name and woonplaats; nothing below z15.
#[test]
fn a_street_name_runs_along_its_addresses() {
    let mut b = ModelBuilder::default();
    for i in 0..8_u32 {
        let lon = LON + f64::from(i) * 0.0002;
        let lat = LAT + if i % 2 == 0 { 0.00004 } else { -0.00004 };
        b.add_address(&domain::Address {
            id: BagId::new(221_200_000_000_100 + u64::from(i)).unwrap(),
            location_wgs84: geo::Point::new(lon, lat),
            street: "Zeilmakershof".into(),
            house_number: i + 1,
            house_letter: None,
            addition: None,
            postcode: Some("6981AB".into()),
            place: "Doesburg".into(),
            status: domain::AddressStatus::InUse,
            usage: "woonfunctie".parse().unwrap(),
            floor_area_m2: None,
            building_ids: vec![],
            areas: AreaRefs::default(),
        });
    }
    let model = b.build();
    assert_eq!(model.street_line_count(), 1);
    let mid = (LON + 0.0007, LAT);
    let set = TileSet::default();
    let bytes = set
        .render(
            &tiles::Sources::registers(&model),
            "street_names",
            tile_at(16, mid.0, mid.1),
        )
        .unwrap();
    let layers = decode(&bytes);
    assert_eq!(layers.len(), 1);
    assert_eq!(layers[0].name, "street_names");
    let f = &layers[0].features[0];
    assert_eq!(f.kind, 2, "a line");
    assert_eq!(f.props["name"], Val::Str("Zeilmakershof".into()));
    assert_eq!(f.props["woonplaats"], Val::Str("Doesburg".into()));
    assert_eq!(f.props["addresses"], Val::Num(8.0));
    let line = &f.parts()[0];
    assert_eq!(line.len(), 2);
    // Along the parallel (within 3°: the sides zigzag), and inside the buffered tile.
    assert!(
        (line[0][1] - line[1][1]).abs() * 20 < (line[0][0] - line[1][0]).abs(),
        "{line:?}"
    );
    for p in line {
        assert!(
            (-64..=4160).contains(&p[0]) && (-64..=4160).contains(&p[1]),
            "{line:?}"
        );
    }
    let low = set
        .render(
            &tiles::Sources::registers(&model),
            "street_names",
            tile_at(14, mid.0, mid.1),
        )
        .unwrap();
    assert!(low.is_empty(), "no street names below z15");
}
