//! Capacity and talent: what residents offer to do, and which open work it fits.
//!
//! A resident offers skills from a fixed list ([`Skill`]), hours per week, the parts of the week
//! they can ([`DayPart`]), until when, and the area (a buurt, wijk or gemeente) they want to work
//! in. Each rule names the skills its work asks for (`skills = [...]` in the rule file).
//! [`match_offers`] finds, per offer, the open work of those kinds in the offer's area: counts
//! per kind and the largest items first. It groups the open items once per call (per buurt, wijk
//! and gemeente), so matching many offers costs one pass over the items plus a lookup per offer
//! and kind.

use std::collections::HashMap;

use domain::AreaCode;

use crate::{ItemRef, Target, WorkIndex, WorkStatus};

macro_rules! keyed_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $v,)* }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [Self] = &[$(Self::$v,)*];

            /// Key as stored and in the API.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s,)* }
            }

            /// The value with this key.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|x| x.as_str() == s)
            }

            /// Every key, comma-separated (for error messages).
            pub fn keys() -> String {
                Self::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ")
            }

            fn bit(self) -> u32 {
                1 << (self as u32)
            }
        }
    };
}

keyed_enum! {
    /// Something a resident can do for the wijk.
    Skill {
        /// Knocking on doors, talking to neighbours.
        KnockingDoors = "knocking_doors",
        /// Watering greenery in dry weeks.
        Watering = "watering",
        /// Gardening: planting, weeding, pruning.
        Gardening = "gardening",
        /// Small repairs and odd jobs in and around homes.
        SmallRepairs = "small_repairs",
        /// Explaining energy saving (an energy coach).
        EnergyAdvice = "energy_advice",
        /// Installing solar panels as a professional.
        SolarInstaller = "solar_installer",
        /// Insulation and draught-proofing.
        Insulation = "insulation",
        /// A language other than Dutch, for neighbours who speak it.
        Language = "language",
        /// Cooking for neighbours.
        Cooking = "cooking",
        /// Organising: meetings, planning, paperwork.
        Organising = "organising",
        /// Technology and computers: helping neighbours with apps and forms.
        Digital = "digital",
        /// Driving, lending a hand with transport.
        Transport = "transport",
    }
}

keyed_enum! {
    /// A part of the week.
    DayPart {
        /// Weekday mornings.
        WeekdayMorning = "weekday_morning",
        /// Weekday afternoons.
        WeekdayAfternoon = "weekday_afternoon",
        /// Weekday evenings.
        WeekdayEvening = "weekday_evening",
        /// Saturdays and Sundays.
        Weekend = "weekend",
    }
}

/// A set of [`Skill`]s or [`DayPart`]s as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Bits(u32);

impl Bits {
    /// The skills named, or the first unknown name.
    pub fn skills<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut b = 0;
        for n in names {
            b |= Skill::parse(n).ok_or_else(|| n.to_owned())?.bit();
        }
        Ok(Self(b))
    }

    /// The day parts named, or the first unknown name.
    pub fn day_parts<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut b = 0;
        for n in names {
            b |= DayPart::parse(n).ok_or_else(|| n.to_owned())?.bit();
        }
        Ok(Self(b))
    }

    /// Shares a member with `other`?
    pub fn meets(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    /// No members?
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The skills in the set, in list order.
    pub fn skill_list(self) -> Vec<Skill> {
        Skill::ALL
            .iter()
            .copied()
            .filter(|s| self.0 & s.bit() != 0)
            .collect()
    }

    /// Every member of both.
    #[must_use]
    pub fn or(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// The common members.
    #[must_use]
    pub fn and(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }
}

/// An offer as matching reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// The offer's id (the resident's account).
    pub id: i64,
    /// What they can do.
    pub skills: Bits,
    /// Where they want to work.
    pub area: AreaCode,
}

/// Open work of one kind that fits an offer.
#[derive(Debug, Clone, PartialEq)]
pub struct KindMatch {
    /// The rule's kind.
    pub kind: String,
    /// The offer's skills this kind asks for.
    pub skills: Bits,
    /// Open items of the kind in the offer's area.
    pub items: u32,
    /// The sum of their sizes.
    pub open_size: f64,
    /// The largest of them (at most the `per_kind` asked for), largest first.
    pub largest: Vec<Target>,
}

/// The work that fits one offer.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferMatch {
    /// The offer's id.
    pub offer: i64,
    /// Per kind whose skills the offer has and that has open work in its area.
    pub kinds: Vec<KindMatch>,
}

impl OfferMatch {
    /// Open items that fit, over every kind.
    pub fn items(&self) -> u32 {
        self.kinds.iter().map(|k| k.items).sum()
    }
}

#[derive(Default)]
struct Group {
    items: u32,
    open_size: f64,
    /// (size, target), kept to the largest `per_kind`.
    largest: Vec<(f32, Target)>,
}

impl Group {
    fn add(&mut self, size: f32, target: Target, per_kind: usize) {
        self.items += 1;
        self.open_size += f64::from(size);
        if per_kind == 0 {
            return;
        }
        if self.largest.len() < per_kind {
            self.largest.push((size, target));
        } else if let Some(min) = self
            .largest
            .iter_mut()
            .min_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            && size.total_cmp(&min.0).then(min.1.cmp(&target)) == std::cmp::Ordering::Greater
        {
            *min = (size, target);
        }
    }
}

/// Finds, per offer, the open work its skills fit in its area. `keep` says which items the caller
/// may match (in scope, not opted out); only open items whose rule still holds count. The
/// answer keeps the offers' order and leaves out offers nothing fits.
pub fn match_offers(
    work: &WorkIndex,
    offers: &[Offer],
    per_kind: usize,
    keep: impl Fn(&ItemRef<'_>) -> bool,
) -> Vec<OfferMatch> {
    let rules = &work.rules().rules;
    let wanted: Vec<Bits> = rules.iter().map(|r| r.skills).collect();
    // Only kinds some offer can do, only areas some offer names.
    let any_skill = offers.iter().fold(Bits::default(), |a, o| a.or(o.skills));
    let areas: std::collections::HashSet<AreaCode> = offers.iter().map(|o| o.area).collect();
    let mut groups: HashMap<(AreaCode, u16), Group> = HashMap::new();
    for it in work.iter() {
        if it.status != WorkStatus::Open
            || !it.item.matches
            || !wanted[usize::from(it.item.rule)].meets(any_skill)
        {
            continue;
        }
        let a = it.item.areas;
        let codes = [a.buurt, a.wijk, a.gemeente];
        if !codes.iter().flatten().any(|c| areas.contains(c)) || !keep(&it) {
            continue;
        }
        for c in codes.into_iter().flatten().filter(|c| areas.contains(c)) {
            groups.entry((c, it.item.rule)).or_default().add(
                it.item.size,
                it.item.target,
                per_kind,
            );
        }
    }
    let mut out = Vec::new();
    for o in offers {
        let mut kinds = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let common = wanted[i].and(o.skills);
            if common.is_empty() {
                continue;
            }
            let Some(g) = u16::try_from(i).ok().and_then(|i| groups.get(&(o.area, i))) else {
                continue;
            };
            let mut largest = g.largest.clone();
            largest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            kinds.push(KindMatch {
                kind: rule.kind.clone(),
                skills: common,
                items: g.items,
                open_size: g.open_size,
                largest: largest.into_iter().map(|(_, t)| t).collect(),
            });
        }
        if !kinds.is_empty() {
            out.push(OfferMatch { offer: o.id, kinds });
        }
    }
    out
}
