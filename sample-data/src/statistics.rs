//! CBS statistics of the sample's areas: counts estimated per buurt from what was built
//! (dwellings, their kind and age) with seeded noise, added up for wijken and the gemeente, and
//! turned into the CBS columns with CBS's sentinels: `-99995` where a figure is *geheim*
//! (suppressed: fewer than 50 residents, and the household percentages of some buurten) and
//! `-99997` where it is *niet beschikbaar* (no residents at all, and the owner/tenant percentages
//! of some buurten).

use ingest::{ColumnType, FieldValue};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::build::Tally;
use crate::layout::Era;

/// Suppressed (*geheim*).
pub(crate) const SECRET: i64 = -99_995;
/// Not available (*niet beschikbaar*).
pub(crate) const NOT_AVAILABLE: i64 = -99_997;

const M: ColumnType = ColumnType::MediumInt;

/// The statistics columns every layer has, in file order.
pub(crate) const STAT_COLUMNS: [(&str, ColumnType); 26] = [
    ("omgevingsadressendichtheid", M),
    ("stedelijkheid_adressen_per_km2", M),
    ("bevolkingsdichtheid_inwoners_per_km2", M),
    ("aantal_inwoners", M),
    ("mannen", M),
    ("vrouwen", M),
    ("percentage_personen_0_tot_15_jaar", M),
    ("percentage_personen_15_tot_25_jaar", M),
    ("percentage_personen_25_tot_45_jaar", M),
    ("percentage_personen_45_tot_65_jaar", M),
    ("percentage_personen_65_jaar_en_ouder", M),
    ("aantal_huishoudens", M),
    ("percentage_eenpersoonshuishoudens", M),
    ("percentage_huishoudens_zonder_kinderen", M),
    ("percentage_huishoudens_met_kinderen", M),
    ("gemiddelde_huishoudsgrootte", ColumnType::Real),
    ("woningvoorraad", M),
    ("percentage_eengezinswoning", M),
    ("percentage_meergezinswoning", M),
    ("percentage_koopwoningen", M),
    ("percentage_huurwoningen", M),
    ("percentage_bouwjaarklasse_tot_2000", M),
    ("percentage_bouwjaarklasse_vanaf_2000", M),
    ("oppervlakte_totaal_in_ha", M),
    ("oppervlakte_land_in_ha", M),
    ("oppervlakte_water_in_ha", M),
];

/// Counts of an area that add up from buurten to wijken to the gemeente.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct AreaCounts {
    pub(crate) residents: u64,
    men: u64,
    /// Residents aged 0–15, 15–25, 25–45, 45–65, 65+.
    ages: [u64; 5],
    pub(crate) households: u64,
    single_person: u64,
    with_children: u64,
    dwellings: u64,
    single_family: u64,
    owner_occupied: u64,
    before_2000: u64,
    since_2000: u64,
    pub(crate) addresses: u64,
    area_m2: f64,
    /// Household figures suppressed (buurten only).
    secret_households: bool,
    /// Ownership unknown (buurten only).
    ownership_unknown: bool,
}

impl AreaCounts {
    pub(crate) fn add(&mut self, o: &Self) {
        self.residents += o.residents;
        self.men += o.men;
        for (a, b) in self.ages.iter_mut().zip(o.ages) {
            *a += b;
        }
        self.households += o.households;
        self.single_person += o.single_person;
        self.with_children += o.with_children;
        self.dwellings += o.dwellings;
        self.single_family += o.single_family;
        self.owner_occupied += o.owner_occupied;
        self.before_2000 += o.before_2000;
        self.since_2000 += o.since_2000;
        self.addresses += o.addresses;
        self.area_m2 += o.area_m2;
    }
}

/// Age profile (percent per age band) and share of households with children, by era.
fn profile(era: Era) -> ([f64; 5], f64, f64) {
    match era {
        Era::Prewar => ([13.0, 14.0, 32.0, 24.0, 17.0], 2.0, 0.24),
        Era::Postwar => ([12.0, 11.0, 27.0, 25.0, 25.0], 2.0, 0.22),
        Era::Seventies => ([14.0, 11.0, 22.0, 31.0, 22.0], 2.3, 0.3),
        Era::Nineties => ([20.0, 13.0, 25.0, 30.0, 12.0], 2.6, 0.4),
        Era::Recent => ([24.0, 9.0, 38.0, 21.0, 8.0], 2.7, 0.46),
    }
}

/// The counts of one buurt, estimated from what was built in it.
pub(crate) fn buurt_counts(t: &Tally, era: Era, area_m2: f64, rng: &mut ChaCha8Rng) -> AreaCounts {
    let (ages, family_size, children_share) = profile(era);
    let multi = t.dwellings - t.single_family;
    let households = (t.dwellings as f64 * rng.random_range(0.94..0.99)).round() as u64;
    let occupied = households as f64 / (t.dwellings.max(1)) as f64;
    let residents = ((t.single_family as f64 * family_size + multi as f64 * 1.6)
        * occupied
        * rng.random_range(0.95..1.05))
    .round() as u64;
    let weights: Vec<f64> = ages
        .iter()
        .map(|a| a * rng.random_range(0.85..1.15))
        .collect();
    let multi_share = multi as f64 / t.dwellings.max(1) as f64;
    let single_person =
        (households as f64 * (0.2 + 0.45 * multi_share) * rng.random_range(0.9..1.1)).round()
            as u64;
    let with_children = ((households - single_person.min(households)) as f64
        * children_share
        * 1.6
        * rng.random_range(0.9..1.1))
    .round() as u64;
    let owner_occupied = (t.single_family as f64 * rng.random_range(0.7..0.85)
        + multi as f64 * rng.random_range(0.15..0.35))
    .round() as u64;
    AreaCounts {
        residents,
        men: (residents as f64 * rng.random_range(0.485..0.51)).round() as u64,
        ages: largest_remainder(residents, &weights),
        households,
        single_person: single_person.min(households),
        with_children: with_children.min(households - single_person.min(households)),
        dwellings: t.dwellings,
        single_family: t.single_family,
        owner_occupied: owner_occupied.min(t.dwellings),
        before_2000: t.before_2000,
        since_2000: t.since_2000,
        addresses: t.addresses,
        area_m2,
        secret_households: false,
        ownership_unknown: false,
    }
}

/// Splits `total` by `weights` into whole numbers that add up to `total`.
fn largest_remainder(total: u64, weights: &[f64]) -> [u64; 5] {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| total as f64 * w / sum.max(f64::EPSILON))
        .collect();
    let mut out = [0u64; 5];
    for (o, e) in out.iter_mut().zip(&exact) {
        *o = e.floor() as u64;
    }
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let missing = total.saturating_sub(out.iter().sum());
    for &i in order.iter().take(missing as usize) {
        out[i] += 1;
    }
    out
}

/// Marks a few buurten whose household figures are suppressed and whose ownership is unknown
/// (at least one of each whenever there are residents), as the CBS files have.
pub(crate) fn mark_sentinels(buurten: &mut [AreaCounts], rng: &mut ChaCha8Rng) {
    for b in buurten.iter_mut() {
        b.secret_households = rng.random_bool(0.08);
        b.ownership_unknown = rng.random_bool(0.1);
    }
    let inhabited: Vec<usize> = (0..buurten.len())
        .filter(|&i| buurten[i].residents >= 50)
        .collect();
    if !inhabited.is_empty() {
        if !buurten
            .iter()
            .any(|b| b.secret_households && b.residents >= 50)
        {
            buurten[inhabited[rng.random_range(0..inhabited.len())]].secret_households = true;
        }
        if !buurten
            .iter()
            .any(|b| b.ownership_unknown && b.dwellings > 0)
        {
            buurten[inhabited[rng.random_range(0..inhabited.len())]].ownership_unknown = true;
        }
    }
}

fn percent(part: u64, whole: u64) -> i64 {
    (100.0 * part as f64 / whole as f64).round() as i64
}

/// The values of [`STAT_COLUMNS`] for an area.
pub(crate) fn stats(c: &AreaCounts) -> [FieldValue<'static>; 26] {
    let km2 = c.area_m2 / 1e6;
    let address_density = (c.addresses as f64 / km2).round() as i64;
    let urbanity = match address_density {
        d if d >= 2500 => 1,
        d if d >= 1500 => 2,
        d if d >= 1000 => 3,
        d if d >= 500 => 4,
        _ => 5,
    };
    // No residents: nothing to take a share of. Fewer than 50: shares are suppressed.
    let people = |part: u64, whole: u64| match c.residents {
        0 => NOT_AVAILABLE,
        r if r < 50 => SECRET,
        _ if whole == 0 => NOT_AVAILABLE,
        _ => percent(part, whole),
    };
    let household = |part: u64| {
        if c.secret_households {
            SECRET
        } else {
            people(part, c.households)
        }
    };
    let dwelling = |part: u64| {
        if c.dwellings == 0 {
            NOT_AVAILABLE
        } else {
            percent(part, c.dwellings)
        }
    };
    let ownership = |part: u64| {
        if c.ownership_unknown {
            NOT_AVAILABLE
        } else {
            dwelling(part)
        }
    };
    let dated = c.before_2000 + c.since_2000;
    let by_age = |part: u64| {
        if dated == 0 {
            NOT_AVAILABLE
        } else {
            percent(part, dated)
        }
    };
    let household_size = match people(0, c.households) {
        _ if c.secret_households => SECRET as f64,
        sentinel if sentinel < 0 => sentinel as f64,
        _ => (10.0 * c.residents as f64 / c.households as f64).round() / 10.0,
    };
    let hectares = (c.area_m2 / 10_000.0).round() as i64;
    let i = |v: u64| FieldValue::Integer(v as i64);
    let p = FieldValue::Integer;
    [
        p(address_density),
        p(urbanity),
        p((c.residents as f64 / km2).round() as i64),
        i(c.residents),
        i(c.men),
        i(c.residents - c.men.min(c.residents)),
        p(people(c.ages[0], c.residents)),
        p(people(c.ages[1], c.residents)),
        p(people(c.ages[2], c.residents)),
        p(people(c.ages[3], c.residents)),
        p(people(c.ages[4], c.residents)),
        i(c.households),
        p(household(c.single_person)),
        p(household(c.households - c.single_person - c.with_children)),
        p(household(c.with_children)),
        FieldValue::Real(household_size),
        i(c.dwellings),
        p(dwelling(c.single_family)),
        p(dwelling(c.dwellings - c.single_family)),
        p(ownership(c.owner_occupied)),
        p(ownership(c.dwellings - c.owner_occupied)),
        p(by_age(c.before_2000)),
        p(by_age(c.since_2000)),
        p(hectares),
        p(hectares),
        p(0),
    ]
}
