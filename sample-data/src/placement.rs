//! Where each group goes: groups are laid along the sections in order (so runs of one kind line
//! one street), each section filled to about the buurt's overall density, then the free space of a
//! section is spread evenly between its groups.

use crate::groups::Group;
use crate::street::Section;

/// A group's place: the section and the `u` where it starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Placed {
    pub(crate) section: usize,
    pub(crate) u: f64,
}

/// Places `groups` in `sections`; `None` when they do not fit. The result is in group order;
/// within a section, later groups stand further east.
pub(crate) fn place(groups: &[Group], sections: &[Section]) -> Option<Vec<Placed>> {
    if groups.is_empty() {
        return Some(Vec::new());
    }
    // The smallest share of each section's length that, filling sections in order, still takes
    // every group: the groups then spread over the whole buurt. When filling in order fails
    // outright, each group goes to the first section with room left.
    let sections_of = match fill(groups, sections, 1.0) {
        None => first_fit(groups, sections)?,
        Some(full) => {
            let (mut lo, mut hi, mut best) = (0.0, 1.0, full);
            for _ in 0..20 {
                let mid = f64::midpoint(lo, hi);
                match fill(groups, sections, mid) {
                    Some(found) => (hi, best) = (mid, found),
                    None => lo = mid,
                }
            }
            best
        }
    };
    Some(spread(groups, sections, &sections_of))
}

/// The section of each group when each section is filled in turn to `budget` of its length.
fn fill(groups: &[Group], sections: &[Section], budget: f64) -> Option<Vec<usize>> {
    let mut out = Vec::with_capacity(groups.len());
    let (mut s, mut used) = (0, 0.0);
    for g in groups {
        let (front, gap) = (g.kind.frontage(), g.kind.gap());
        loop {
            let length = sections.get(s)?.length;
            let fits = used + front <= length;
            if fits && (used == 0.0 || used + front + gap <= budget * length) {
                out.push(s);
                used += front + gap;
                break;
            }
            if used == 0.0 {
                // Too long for an empty section: it fits nowhere.
                return None;
            }
            s += 1;
            used = 0.0;
        }
    }
    Some(out)
}

/// The section of each group when each goes to the first section with room for it.
fn first_fit(groups: &[Group], sections: &[Section]) -> Option<Vec<usize>> {
    let mut used = vec![0.0; sections.len()];
    groups
        .iter()
        .map(|g| {
            let s =
                (0..sections.len()).find(|&s| used[s] + g.kind.frontage() <= sections[s].length)?;
            used[s] += g.kind.frontage() + g.kind.gap();
            Some(s)
        })
        .collect()
}

/// Start positions with each section's free space shared out between and around its groups.
fn spread(groups: &[Group], sections: &[Section], sections_of: &[usize]) -> Vec<Placed> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); sections.len()];
    for (g, &s) in sections_of.iter().enumerate() {
        members[s].push(g);
    }
    let mut out = vec![Placed { section: 0, u: 0.0 }; groups.len()];
    for (s, list) in members.iter().enumerate() {
        let content: f64 = list
            .iter()
            .map(|&g| groups[g].kind.frontage() + groups[g].kind.gap())
            .sum::<f64>()
            - list.last().map_or(0.0, |&g| groups[g].kind.gap());
        let extra = (sections[s].length - content).max(0.0) / (list.len() + 1) as f64;
        let mut u = extra;
        for &g in list {
            out[g] = Placed { section: s, u };
            u += groups[g].kind.frontage() + groups[g].kind.gap() + extra;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::Kind;
    use crate::street::sections;
    use domain::BuildingStatus;

    fn row(units: u32) -> Group {
        Group {
            kind: Kind::Terraced {
                units,
                width: 5.5,
                depth: 10.0,
                extensions: false,
            },
            bouwjaar: 1930,
            status: BuildingStatus::InUse,
        }
    }

    #[test]
    fn groups_never_overlap_or_leave_their_section() {
        let (secs, _) = sections([0.0, 0.0, 384.6, 384.6]);
        let groups: Vec<Group> = (0..60).map(|i| row(4 + i % 7)).collect();
        let placed = place(&groups, &secs).unwrap();
        assert_no_overlap(&groups, &secs, &placed);
        // Spread over the buurt, not crammed into its first streets.
        assert!(placed.last().unwrap().section + 4 >= secs.len());
    }

    fn assert_no_overlap(groups: &[Group], secs: &[Section], placed: &[Placed]) {
        for (p, g) in placed.iter().zip(groups) {
            assert!(p.u >= 0.0 && p.u + g.kind.frontage() <= secs[p.section].length + 1e-9);
        }
        for (i, (p, g)) in placed.iter().zip(groups).enumerate() {
            for (q, h) in placed[i + 1..].iter().zip(&groups[i + 1..]) {
                let apart = p.section != q.section
                    || q.u >= p.u + g.kind.frontage()
                    || p.u >= q.u + h.kind.frontage();
                assert!(apart, "{p:?} {q:?}");
            }
        }
    }

    #[test]
    fn packing_takes_over_when_filling_in_order_fails() {
        // Two sections of 100 m: two long rows each take one, the short rows fit in their tails.
        let (secs, _) = sections([0.0, 0.0, 108.0, 100.0]);
        assert_eq!(secs.len(), 2);
        let groups = [row(13), row(13), row(4), row(4)];
        assert_eq!(fill(&groups, &secs, 1.0), None);
        let placed = place(&groups, &secs).unwrap();
        assert_no_overlap(&groups, &secs, &placed);
    }

    #[test]
    fn too_many_groups_do_not_fit() {
        let (secs, _) = sections([0.0, 0.0, 100.0, 100.0]);
        let groups: Vec<Group> = (0..100).map(|_| row(10)).collect();
        assert_eq!(place(&groups, &secs), None);
    }
}
