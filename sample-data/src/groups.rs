//! What a buurt is built of: groups of buildings that stand together along a street (a terraced
//! row, a semi-detached pair, a block of flats, a row of shops, a school), with their sizes,
//! construction year and status. Groups come in runs of the same kind, so streets look coherent.

use std::ops::RangeInclusive;

use domain::{BuildingStatus, Usage};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::layout::{BuurtPlan, Era};

/// The newest construction year; planned and unfinished buildings carry it too.
pub(crate) const LATEST_YEAR: u16 = 2024;

/// A kind of building group with its dimensions (metres; `width` along the street, `depth` into the lot).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A row of `units` narrow houses sharing walls (*rijtjeshuizen*), some with a rear extension.
    Terraced {
        units: u32,
        width: f64,
        depth: f64,
        extensions: bool,
    },
    /// Two houses sharing one wall (*twee-onder-een-kap*).
    Semi { width: f64, depth: f64 },
    /// A detached house, possibly L-shaped, possibly with a detached garage (a pand without address).
    Detached {
        width: f64,
        depth: f64,
        l_shape: bool,
        garage: bool,
    },
    /// A block of flats. *Portiek* flats number per stairwell with floor additions (`12-hs`,
    /// `12-1`); *galerij* flats number every unit. A split block is registered as two panden, and
    /// the units across the joint lie in both.
    Flat {
        per_floor: u32,
        unit_width: f64,
        depth: f64,
        floors: u32,
        portiek: bool,
        split: bool,
    },
    /// A row of shops with flats above (`12`, `12A`, `12B`); a shop may take two panden.
    Shops {
        units: u32,
        width: f64,
        depth: f64,
        flats_above: u32,
    },
    /// A school.
    School {
        length: f64,
        depth: f64,
        l_shape: bool,
    },
    /// A single non-residential building: community centre, practice, office, gym, workshop, hotel.
    Community {
        width: f64,
        depth: f64,
        usage: Usage,
    },
}

impl Kind {
    /// Panden the group registers.
    pub(crate) fn panden(&self) -> u64 {
        match self {
            Self::Terraced { units, .. } | Self::Shops { units, .. } => u64::from(*units),
            Self::Semi { .. } => 2,
            Self::Detached { garage, .. } => 1 + u64::from(*garage),
            Self::Flat { split, .. } => 1 + u64::from(*split),
            Self::School { .. } | Self::Community { .. } => 1,
        }
    }

    /// Length along the street.
    pub(crate) fn frontage(&self) -> f64 {
        match self {
            Self::Terraced { units, width, .. } | Self::Shops { units, width, .. } => {
                f64::from(*units) * width
            }
            Self::Semi { width, .. } => 2.0 * width,
            Self::Detached { width, garage, .. } => {
                width
                    + if *garage {
                        GARAGE_OFFSET + GARAGE_WIDTH
                    } else {
                        0.0
                    }
            }
            Self::Flat {
                per_floor,
                unit_width,
                ..
            } => f64::from(*per_floor) * unit_width,
            Self::School { length, .. } => *length,
            Self::Community { width, .. } => *width,
        }
    }

    /// Open space to leave after the group (paths, driveways, side gardens).
    pub(crate) fn gap(&self) -> f64 {
        match self {
            Self::Terraced { .. } | Self::Shops { .. } => 4.0,
            Self::Semi { .. } => 5.0,
            Self::Detached { .. } => 6.0,
            Self::Community { .. } => 8.0,
            Self::Flat { .. } | Self::School { .. } => 12.0,
        }
    }
}

/// Distance between a detached house and its garage.
pub(crate) const GARAGE_OFFSET: f64 = 1.0;
/// Width of a detached garage.
pub(crate) const GARAGE_WIDTH: f64 = 3.5;

/// A group with its construction year and status.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    pub(crate) kind: Kind,
    pub(crate) bouwjaar: u16,
    pub(crate) status: BuildingStatus,
}

#[derive(Debug, Clone, Copy)]
enum Choice {
    Terraced,
    Semi,
    Detached,
    Flat,
    Community,
}

/// Relative frequency of each group kind per era; `squeeze` 1 and 2 favour the kinds that take the
/// least street length per pand, for buurten that do not fit otherwise.
fn mix(era: Era, squeeze: u32) -> [(Choice, u32); 5] {
    let mut w = match era {
        Era::Prewar => [62, 8, 10, 12, 8],
        Era::Postwar => [52, 8, 4, 30, 6],
        Era::Seventies => [58, 20, 10, 8, 4],
        Era::Nineties => [44, 26, 20, 7, 3],
        Era::Recent => [36, 26, 24, 11, 3],
    };
    match squeeze {
        0 => {}
        1 => w = [w[0] * 2, w[1], w[2] / 2, w[3] / 3, w[4] / 3],
        _ => w = [1, 0, 0, 0, 0],
    }
    [
        (Choice::Terraced, w[0]),
        (Choice::Semi, w[1]),
        (Choice::Detached, w[2]),
        (Choice::Flat, w[3]),
        (Choice::Community, w[4]),
    ]
}

fn metres(rng: &mut ChaCha8Rng, range: RangeInclusive<f64>) -> f64 {
    (rng.random_range(range) * 10.0).round() / 10.0
}

/// Groups that add up to exactly `buurt.quota` panden, none longer than `max_frontage`; see [`mix`]
/// for `squeeze`.
pub(crate) fn plan(
    buurt: &BuurtPlan,
    max_frontage: f64,
    squeeze: u32,
    rng: &mut ChaCha8Rng,
) -> Vec<Group> {
    let mut left = buurt.quota;
    let mut specials = Vec::new();
    if buurt.school && left > 0 {
        let length = metres(rng, 45.0..=70.0).min(max_frontage);
        let kind = Kind::School {
            length,
            depth: metres(rng, 14.0..=19.0),
            l_shape: rng.random_bool(0.5),
        };
        let (bouwjaar, status) = year_and_status(buurt, rng);
        specials.push(Group {
            kind,
            bouwjaar,
            status,
        });
        left -= 1;
    }
    for _ in 0..buurt.shop_rows {
        if left < 3 {
            break;
        }
        let width = metres(rng, 6.0..=9.0);
        let units = (rng.random_range(3..=8).min(left) as u32).min(fit(max_frontage, width));
        let kind = Kind::Shops {
            units,
            width,
            depth: metres(rng, 12.0..=17.5),
            flats_above: rng.random_range(1..=2),
        };
        left -= kind.panden();
        let (bouwjaar, status) = year_and_status(buurt, rng);
        specials.push(Group {
            kind,
            bouwjaar,
            status,
        });
    }

    let mut groups = Vec::new();
    let weights = mix(buurt.era, squeeze);
    let total: u32 = weights.iter().map(|w| w.1).sum();
    while left > 0 {
        let choice = pick(&weights, total, rng);
        let run = match choice {
            Choice::Flat => rng.random_range(1..=3),
            Choice::Community => 1,
            _ => rng.random_range(2..=6),
        };
        let (bouwjaar, status) = year_and_status(buurt, rng);
        for _ in 0..run {
            if left == 0 {
                break;
            }
            let kind = make(choice, left, max_frontage, buurt.era, rng);
            left -= kind.panden();
            groups.push(Group {
                kind,
                bouwjaar,
                status,
            });
        }
    }
    for s in specials {
        let at = rng.random_range(0..=groups.len());
        groups.insert(at, s);
    }
    groups
}

/// How many units of `width` fit in `max_frontage` (at least one).
fn fit(max_frontage: f64, width: f64) -> u32 {
    ((max_frontage / width).floor() as u32).max(1)
}

fn pick(weights: &[(Choice, u32)], total: u32, rng: &mut ChaCha8Rng) -> Choice {
    let mut r = rng.random_range(0..total);
    for &(choice, w) in weights {
        if r < w {
            return choice;
        }
        r -= w;
    }
    Choice::Terraced
}

/// A construction year and status for a run of groups in `buurt`.
fn year_and_status(buurt: &BuurtPlan, rng: &mut ChaCha8Rng) -> (u16, BuildingStatus) {
    let years = buurt.era.years();
    let mut bouwjaar = (i32::from(buurt.base_year) + rng.random_range(-4..=4))
        .clamp(i32::from(*years.start()), i32::from(*years.end())) as u16;
    // Now and then a later building fills a gap.
    if *years.end() < LATEST_YEAR && rng.random_bool(0.05) {
        bouwjaar = rng.random_range(*years.end() + 1..=LATEST_YEAR);
    }
    let r: f64 = rng.random();
    let status = match buurt.era {
        Era::Recent if r < 0.08 => BuildingStatus::PermitGranted,
        Era::Recent if r < 0.14 => BuildingStatus::ConstructionStarted,
        Era::Recent => BuildingStatus::InUse,
        _ if r < 0.012 => BuildingStatus::Demolished,
        _ if r < 0.018 => BuildingStatus::DemolitionPermitGranted,
        _ => BuildingStatus::InUse,
    };
    if matches!(
        status,
        BuildingStatus::PermitGranted | BuildingStatus::ConstructionStarted
    ) {
        bouwjaar = LATEST_YEAR;
    }
    (bouwjaar, status)
}

/// One group of `choice` registering at most `left` panden.
fn make(choice: Choice, left: u64, max_frontage: f64, era: Era, rng: &mut ChaCha8Rng) -> Kind {
    let single = || Kind::Terraced {
        units: 1,
        width: 6.0,
        depth: 10.0,
        extensions: false,
    };
    match choice {
        Choice::Terraced => {
            let width = metres(rng, 5.0..=6.0);
            let units = (rng.random_range(4..=10).min(left) as u32).min(fit(max_frontage, width));
            Kind::Terraced {
                units,
                width,
                depth: metres(rng, 9.0..=11.0),
                extensions: rng.random_bool(0.35),
            }
        }
        Choice::Semi if left >= 2 => {
            let width = metres(rng, 7.0..=9.0).min(max_frontage / 2.0);
            Kind::Semi {
                width,
                depth: metres(rng, 9.0..=12.0),
            }
        }
        Choice::Detached => {
            let garage = left >= 2 && rng.random_bool(0.25);
            let room = max_frontage
                - if garage {
                    GARAGE_OFFSET + GARAGE_WIDTH
                } else {
                    0.0
                };
            Kind::Detached {
                width: metres(rng, 9.0..=13.0).min(room),
                depth: metres(rng, 9.0..=14.0),
                l_shape: rng.random_bool(0.4),
                garage,
            }
        }
        Choice::Flat => {
            let portiek = rng.random_bool(if era == Era::Postwar { 0.7 } else { 0.3 });
            let unit_width = metres(rng, 7.0..=8.5);
            let (mut per_floor, floors) = if portiek {
                (2 * rng.random_range(2..=4), rng.random_range(3..=4))
            } else {
                (rng.random_range(5..=9), rng.random_range(3..=6))
            };
            while per_floor > 1 && f64::from(per_floor) * unit_width > max_frontage {
                per_floor -= if portiek && per_floor > 2 { 2 } else { 1 };
            }
            // Galerij blocks with an odd number of units per floor may be split through the middle unit.
            let split = !portiek
                && left >= 2
                && per_floor % 2 == 1
                && per_floor >= 5
                && rng.random_bool(0.5);
            Kind::Flat {
                per_floor,
                unit_width,
                depth: metres(rng, 10.0..=14.0),
                floors,
                portiek,
                split,
            }
        }
        Choice::Community => {
            let usage = match rng.random_range(0..6) {
                0 => Usage::Bijeenkomstfunctie,
                1 => Usage::Gezondheidszorgfunctie,
                2 => Usage::Kantoorfunctie,
                3 => Usage::Sportfunctie,
                4 => Usage::Industriefunctie,
                _ => Usage::Logiesfunctie,
            };
            Kind::Community {
                width: metres(rng, 12.0..=25.0).min(max_frontage),
                depth: metres(rng, 10.0..=16.0),
                usage,
            }
        }
        Choice::Semi => single(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn buurt(era: Era, quota: u64) -> BuurtPlan {
        BuurtPlan {
            index: 0,
            col: 0,
            row: 0,
            wijk: 0,
            bb: 0,
            wijk_row: 0,
            name: "Centrum".to_owned(),
            era,
            base_year: 1930,
            quota,
            school: true,
            shop_rows: 2,
            pc4: 1000,
        }
    }

    #[test]
    fn groups_add_up_to_the_quota() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for quota in [0, 1, 2, 3, 7, 300, 1_000] {
            for era in [
                Era::Prewar,
                Era::Postwar,
                Era::Seventies,
                Era::Nineties,
                Era::Recent,
            ] {
                let mut b = buurt(era, quota);
                b.base_year = *era.years().start() + 5;
                let groups = plan(&b, 110.0, 0, &mut rng);
                assert_eq!(groups.iter().map(|g| g.kind.panden()).sum::<u64>(), quota);
                assert!(
                    groups
                        .iter()
                        .all(|g| g.kind.frontage() <= 110.0 && g.kind.panden() > 0)
                );
                assert!(
                    groups
                        .iter()
                        .all(|g| (1900..=LATEST_YEAR).contains(&g.bouwjaar))
                );
            }
        }
    }

    #[test]
    fn centre_gets_a_school_and_shops() {
        let groups = plan(
            &buurt(Era::Prewar, 300),
            110.0,
            0,
            &mut ChaCha8Rng::seed_from_u64(1),
        );
        assert!(groups.iter().any(|g| matches!(g.kind, Kind::School { .. })));
        assert_eq!(
            groups
                .iter()
                .filter(|g| matches!(g.kind, Kind::Shops { .. }))
                .count(),
            2
        );
    }
}
