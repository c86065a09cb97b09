//! Turf cutting for 10,000 and 100,000 doors (issue 13 §8: selection + cutting of 10,000 addresses
//! ≤ 200 ms; 100,000 reported). The town: a grid of streets 80 m apart with terraced houses and,
//! every seventh number, a block of flats of twelve doors under one number. Each case checks its
//! turf count once, so a change in the cut shows up as a failure, not a faster number.
//! Run: `cargo bench -p campaigns --bench turfs`.

#![allow(
    clippy::unwrap_used,
    reason = "a bench fails loudly on a broken fixture"
)]

use std::hint::black_box;

use campaigns::{Door, cut_turfs};
use criterion::{Criterion, criterion_group, criterion_main};

fn town(doors: usize) -> Vec<Door> {
    let mut out = Vec::with_capacity(doors);
    let mut pand = 1u64;
    let (mut street, mut number) = (0usize, 1u32);
    while out.len() < doors {
        let (sx, sy) = ((street % 40) as f64 * 0.0012, (street / 40) as f64 * 0.0007);
        let flats = if number % 7 == 0 { 12 } else { 1 };
        for f in 0..flats {
            let along = f64::from(number) * 0.00002;
            let across = if number % 2 == 1 { 0.0 } else { 0.00015 };
            out.push(Door {
                address: out.len() as u64 + 1,
                street: format!("Laan {street}"),
                place: "Benchdorp".into(),
                number,
                letter: None,
                addition: (flats > 1).then(|| (f + 1).to_string()),
                pand,
                point: domain::lonlat_to_world(5.9 + sx + along, 52.0 + sy + across),
            });
        }
        pand += 1;
        number += 1;
        if number > 120 {
            street += 1;
            number = 1;
        }
    }
    out.truncate(doors);
    // A selection arrives in no particular order.
    out.reverse();
    out
}

fn turfs(c: &mut Criterion) {
    let mut group = c.benchmark_group("campaign_turfs");
    group.sample_size(10);
    for doors in [10_000usize, 100_000] {
        let town = town(doors);
        let expected = cut_turfs(&town, 60).unwrap().len();
        assert!(expected >= doors / 60, "{expected} turfs");
        group.bench_function(format!("cut_{doors}_doors_into_turfs_of_60"), |b| {
            b.iter(|| {
                let t = cut_turfs(black_box(&town), 60).unwrap();
                assert_eq!(t.len(), expected);
                t
            });
        });
    }
    group.finish();
}

criterion_group!(benches, turfs);
criterion_main!(benches);
