//! Building a [`Model`]: project once, orient rings, pack columns, bulk-load the R-trees.

use std::collections::HashMap;

use geo::{InteriorPoint, MultiPolygon, Polygon};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::{
    Address, Area, AreaRefs, Building, Building3d, EnergyLabel, Tree, WorldPoint, lonlat_to_world,
};

use super::addresses::AddressColumns;
use super::areas::AreaEntry;
use super::buildings::BuildingColumns;
use super::enrichment::{LabelColumns, PackedLabel, PackedRoof, RoofColumns};
use super::trees::TreeColumns;
use super::{Model, Strings, TreeParams};

/// Projects a ring to world units, drops the closing vertex and repeated vertices, and orients it.
/// Returns `None` for a ring that collapses (fewer than three distinct vertices or no area).
fn project_ring(ring: &geo::LineString<f64>, exterior: bool) -> Option<Vec<WorldPoint>> {
    let mut out: Vec<WorldPoint> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        let p = lonlat_to_world(c.x, c.y);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    if out.len() < 3 {
        return None;
    }
    let area = crate::mercator::signed_area2(&out);
    if area == 0 {
        return None;
    }
    if (area > 0) != exterior {
        out.reverse();
    }
    Some(out)
}

fn project_polygon(polygon: &Polygon<f64>, rings: &mut Vec<Vec<WorldPoint>>) {
    if let Some(ext) = project_ring(polygon.exterior(), true) {
        rings.push(ext);
        rings.extend(
            polygon
                .interiors()
                .iter()
                .filter_map(|r| project_ring(r, false)),
        );
    }
}

fn bbox_of<'a>(points: impl Iterator<Item = &'a WorldPoint>) -> Option<[WorldPoint; 2]> {
    let mut it = points.peekable();
    let first = **it.peek()?;
    Some(it.fold([first, first], |[lo, hi], p| {
        [
            [lo[0].min(p[0]), lo[1].min(p[1])],
            [hi[0].max(p[0]), hi[1].max(p[1])],
        ]
    }))
}

/// Collects buildings, addresses and areas, then [`build`](Self::build)s the [`Model`].
/// Buildings that are not drawn (demolished, not realised, wrongly registered) and addresses that do
/// not exist are left out here, so no layer or query can show them.
#[derive(Debug)]
pub struct ModelBuilder {
    buildings: BuildingColumns,
    building_bboxes: Vec<[WorldPoint; 2]>,
    addresses: AddressColumns,
    address_building_ids: Vec<Vec<u64>>,
    areas: Vec<AreaEntry>,
    area_refs: Vec<AreaRefs>,
    area_ref_lookup: HashMap<AreaRefs, u32>,
    strings: Strings,
    roofs: Vec<(u64, PackedRoof)>,
    labels: Vec<(u64, PackedLabel)>,
    trees: TreeColumns,
}

impl Default for ModelBuilder {
    fn default() -> Self {
        let mut b = Self {
            buildings: BuildingColumns::default(),
            building_bboxes: Vec::new(),
            addresses: AddressColumns::default(),
            address_building_ids: Vec::new(),
            areas: Vec::new(),
            area_refs: Vec::new(),
            area_ref_lookup: HashMap::new(),
            strings: Strings::new(),
            roofs: Vec::new(),
            labels: Vec::new(),
            trees: TreeColumns::default(),
        };
        b.area_ref(AreaRefs::default());
        b.buildings.ring_start.push(0);
        b.buildings.vertex_start.push(0);
        b
    }
}

impl ModelBuilder {
    fn area_ref(&mut self, refs: AreaRefs) -> u32 {
        if let Some(&i) = self.area_ref_lookup.get(&refs) {
            return i;
        }
        let i = self.area_refs.len() as u32;
        self.area_refs.push(refs);
        self.area_ref_lookup.insert(refs, i);
        i
    }

    /// Adds a building; returns whether it was kept (drawn and with a usable footprint).
    pub fn add_building(&mut self, b: &Building) -> bool {
        if !b.status.is_drawn() {
            return false;
        }
        let mut rings = Vec::new();
        for polygon in &b.footprint_wgs84 {
            project_polygon(polygon, &mut rings);
        }
        let Some(bbox) = bbox_of(rings.iter().flatten()) else {
            return false;
        };
        let area_ref = self.area_ref(b.areas);
        let c = &mut self.buildings;
        c.ids.push(b.id.get());
        c.bouwjaar.push(b.bouwjaar);
        c.status.push(b.status.code());
        c.usage.push(b.usage.bits());
        c.units.push(u16::try_from(b.units).unwrap_or(u16::MAX));
        c.area_ref.push(area_ref);
        for ring in rings {
            c.vertices.extend_from_slice(&ring);
            c.vertex_start.push(c.vertices.len() as u32);
        }
        c.ring_start.push(c.vertex_start.len() as u32 - 1);
        self.building_bboxes.push(bbox);
        true
    }

    /// Adds an address; returns whether it was kept (it exists).
    pub fn add_address(&mut self, a: &Address) -> bool {
        if !a.status.is_shown() {
            return false;
        }
        let street = self.strings.intern(&a.street);
        let letter = self.strings.intern(a.house_letter.as_deref().unwrap_or(""));
        let addition = self.strings.intern(a.addition.as_deref().unwrap_or(""));
        let postcode = self.strings.intern(a.postcode.as_deref().unwrap_or(""));
        let place = self.strings.intern(&a.place);
        let area_ref = self.area_ref(a.areas);
        let c = &mut self.addresses;
        c.ids.push(a.id.get());
        c.points
            .push(lonlat_to_world(a.location_wgs84.x(), a.location_wgs84.y()));
        c.street.push(street);
        c.number.push(a.house_number);
        c.letter.push(letter);
        c.addition.push(addition);
        c.postcode.push(postcode);
        c.place.push(place);
        c.status.push(a.status.code());
        c.usage.push(a.usage.bits());
        c.floor_area.push(a.floor_area_m2.unwrap_or(0));
        c.area_ref.push(area_ref);
        self.address_building_ids
            .push(a.building_ids.iter().map(|b| b.get()).collect());
        true
    }

    /// Adds 3DBAG's facts about a pand (joined to the building by id at [`build`](Self::build);
    /// a pand that is not among the buildings is left out).
    pub fn add_building_3d(&mut self, b: &Building3d) {
        self.roofs.push((b.id.get(), PackedRoof::new(b)));
    }

    /// Adds an energy label (joined to the address by id at [`build`](Self::build); of two labels
    /// of one address the newer is kept).
    pub fn add_energy_label(&mut self, l: &EnergyLabel) {
        self.labels.push((l.address.get(), PackedLabel::new(l)));
    }

    /// Adds a tree.
    pub fn add_tree(&mut self, t: &Tree) {
        self.trees.push(t, &mut self.strings);
    }

    /// Adds an area.
    pub fn add_area(&mut self, a: &Area) {
        let mut rings = Vec::new();
        for polygon in &a.boundary_wgs84 {
            project_polygon(polygon, &mut rings);
        }
        let Some(bbox) = bbox_of(rings.iter().flatten()) else {
            return;
        };
        let label_point = label_point(&a.boundary_wgs84).unwrap_or([
            i64::midpoint(i64::from(bbox[0][0]), i64::from(bbox[1][0])) as i32,
            i64::midpoint(i64::from(bbox[0][1]), i64::from(bbox[1][1])) as i32,
        ]);
        self.areas.push(AreaEntry {
            code: a.code,
            name: a.name.as_str().into(),
            rings,
            label_point,
            residents: a.residents,
            households: a.households,
            share_65_plus: a.share_65_plus,
            density: a.density,
            bbox,
        });
    }

    /// Sorts, links and indexes everything into an immutable [`Model`].
    pub fn build(mut self) -> Model {
        let buildings = sort_buildings(
            &std::mem::take(&mut self.buildings),
            &mut self.building_bboxes,
        );
        let (mut addresses, building_ids) = sort_addresses(
            &std::mem::take(&mut self.addresses),
            std::mem::take(&mut self.address_building_ids),
        );
        let mut buildings = buildings;
        link(&mut buildings, &mut addresses, &building_ids);

        let building_tree = RTree::<_, TreeParams>::bulk_load_with_params(
            self.building_bboxes
                .iter()
                .enumerate()
                .map(|(i, b)| GeomWithData::new(Rectangle::from_corners(b[0], b[1]), i as u32))
                .collect(),
        );
        let address_tree = RTree::<_, TreeParams>::bulk_load_with_params(
            addresses
                .points
                .iter()
                .enumerate()
                .map(|(i, p)| GeomWithData::new(*p, i as u32))
                .collect(),
        );
        self.areas.sort_by_key(|a| a.code);
        self.areas.dedup_by_key(|a| a.code);
        let area_tree = RTree::<_, TreeParams>::bulk_load_with_params(
            self.areas
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    GeomWithData::new(Rectangle::from_corners(a.bbox[0], a.bbox[1]), i as u32)
                })
                .collect(),
        );
        let (roofs, _) = RoofColumns::attach(&buildings.ids, std::mem::take(&mut self.roofs));
        let (labels, _) = LabelColumns::attach(&addresses.ids, std::mem::take(&mut self.labels));
        let (trees, tree_tree) = std::mem::take(&mut self.trees).build();
        let streets =
            super::streets::derive(&addresses.street, &addresses.place, &addresses.points);
        self.strings.freeze();
        let mut model = Model {
            buildings,
            building_tree,
            addresses,
            address_tree,
            areas: self.areas,
            area_tree,
            area_refs: self.area_refs,
            strings: self.strings,
            roofs,
            labels,
            trees,
            tree_tree,
            streets,
        };
        // The areas each tree stands in: registers carry none, so they come from the CBS
        // boundaries, once, as for a report's point.
        let mut lookup = self.area_ref_lookup;
        let refs: Vec<AreaRefs> = (0..model.trees.len())
            .map(|i| model.areas_at(model.trees.points[i]))
            .collect();
        model.trees.area_ref = refs
            .into_iter()
            .map(|r| {
                *lookup.entry(r).or_insert_with(|| {
                    model.area_refs.push(r);
                    (model.area_refs.len() - 1) as u32
                })
            })
            .collect();
        model
    }
}

fn label_point(boundary: &MultiPolygon<f64>) -> Option<WorldPoint> {
    // Label the largest polygon, at a point guaranteed inside it.
    let largest = boundary.0.iter().max_by(|a, b| {
        use geo::Area as _;
        a.unsigned_area().total_cmp(&b.unsigned_area())
    })?;
    let p = largest.interior_point()?;
    Some(lonlat_to_world(p.x(), p.y()))
}

/// The permutation that sorts `ids`.
pub(super) fn order_of(ids: &[u64]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..ids.len() as u32).collect();
    order.sort_unstable_by_key(|&i| ids[i as usize]);
    // A later duplicate replaces an earlier one: keep the last row of each id.
    let mut keep: Vec<u32> = Vec::with_capacity(order.len());
    for i in order {
        match keep.last_mut() {
            Some(last) if ids[*last as usize] == ids[i as usize] => *last = (*last).max(i),
            _ => keep.push(i),
        }
    }
    keep
}

pub(super) fn permute<T: Copy>(column: &[T], order: &[u32]) -> Vec<T> {
    order.iter().map(|&i| column[i as usize]).collect()
}

fn sort_buildings(c: &BuildingColumns, bboxes: &mut Vec<[WorldPoint; 2]>) -> BuildingColumns {
    let order = order_of(&c.ids);
    let mut out = BuildingColumns {
        ids: permute(&c.ids, &order),
        bouwjaar: permute(&c.bouwjaar, &order),
        status: permute(&c.status, &order),
        usage: permute(&c.usage, &order),
        units: permute(&c.units, &order),
        area_ref: permute(&c.area_ref, &order),
        ring_start: Vec::with_capacity(order.len() + 1),
        vertex_start: Vec::with_capacity(c.vertex_start.len()),
        vertices: Vec::with_capacity(c.vertices.len()),
        address_start: Vec::new(),
        address_links: Vec::new(),
    };
    *bboxes = permute(bboxes, &order);
    out.ring_start.push(0);
    out.vertex_start.push(0);
    for &i in &order {
        let i = i as usize;
        for r in c.ring_start[i]..c.ring_start[i + 1] {
            let r = r as usize;
            out.vertices.extend_from_slice(
                &c.vertices[c.vertex_start[r] as usize..c.vertex_start[r + 1] as usize],
            );
            out.vertex_start.push(out.vertices.len() as u32);
        }
        out.ring_start.push(out.vertex_start.len() as u32 - 1);
    }
    out.vertices.shrink_to_fit();
    out
}

fn sort_addresses(
    c: &AddressColumns,
    building_ids: Vec<Vec<u64>>,
) -> (AddressColumns, Vec<Vec<u64>>) {
    let order = order_of(&c.ids);
    let mut building_ids = building_ids;
    let linked = order
        .iter()
        .map(|&i| std::mem::take(&mut building_ids[i as usize]))
        .collect();
    let out = AddressColumns {
        ids: permute(&c.ids, &order),
        points: permute(&c.points, &order),
        street: permute(&c.street, &order),
        number: permute(&c.number, &order),
        letter: permute(&c.letter, &order),
        addition: permute(&c.addition, &order),
        postcode: permute(&c.postcode, &order),
        place: permute(&c.place, &order),
        status: permute(&c.status, &order),
        usage: permute(&c.usage, &order),
        floor_area: permute(&c.floor_area, &order),
        area_ref: permute(&c.area_ref, &order),
        building_start: Vec::new(),
        building_links: Vec::new(),
    };
    (out, linked)
}

/// Resolves address → building ids to rows and builds the inverse building → addresses lists.
fn link(
    buildings: &mut BuildingColumns,
    addresses: &mut AddressColumns,
    building_ids: &[Vec<u64>],
) {
    let mut per_building: Vec<u32> = vec![0; buildings.len() + 1];
    addresses.building_start = Vec::with_capacity(addresses.len() + 1);
    addresses.building_start.push(0);
    for ids in building_ids {
        for id in ids {
            if let Ok(row) = buildings.ids.binary_search(id) {
                addresses.building_links.push(row as u32);
                per_building[row + 1] += 1;
            }
        }
        addresses
            .building_start
            .push(addresses.building_links.len() as u32);
    }
    for i in 1..per_building.len() {
        per_building[i] += per_building[i - 1];
    }
    let mut fill = per_building.clone();
    let mut links = vec![0u32; addresses.building_links.len()];
    for a in 0..addresses.len() {
        for &b in &addresses.building_links
            [addresses.building_start[a] as usize..addresses.building_start[a + 1] as usize]
        {
            links[fill[b as usize] as usize] = a as u32;
            fill[b as usize] += 1;
        }
    }
    buildings.address_start = per_building;
    buildings.address_links = links;
}

#[cfg(test)]
mod tests {
    use geo::{MultiPolygon, Point, polygon};

    use super::*;
    use crate::{AddressStatus, BuildingStatus, UsageSet};

    fn building(id: u64, x: f64, status: BuildingStatus) -> Building {
        // Counter-clockwise in lon/lat, as RFC 7946 writes exteriors.
        let p = polygon![(x: x, y: 52.0), (x: x + 0.0001, y: 52.0), (x: x + 0.0001, y: 52.0001), (x: x, y: 52.0001), (x: x, y: 52.0)];
        Building {
            id: crate::BagId::new(id).unwrap(),
            footprint_wgs84: MultiPolygon(vec![p]),
            bouwjaar: 1930,
            status,
            usage: UsageSet::EMPTY,
            units: 1,
            areas: AreaRefs::default(),
        }
    }

    #[test]
    fn rings_are_oriented_for_tiles_and_gone_buildings_left_out() {
        let mut b = ModelBuilder::default();
        assert!(b.add_building(&building(2, 5.0, BuildingStatus::InUse)));
        assert!(!b.add_building(&building(3, 5.1, BuildingStatus::Demolished)));
        assert!(b.add_building(&building(1, 5.2, BuildingStatus::PermitGranted)));
        let m = b.build();
        assert_eq!(m.building_count(), 2);
        let first = m.building(0);
        assert_eq!(first.id().get(), 1, "sorted by id");
        let rings: Vec<_> = first.rings().collect();
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0].0.len(), 4, "closing vertex dropped");
        assert!(rings[0].is_exterior());
    }

    #[test]
    fn addresses_link_to_buildings_both_ways() {
        let mut b = ModelBuilder::default();
        b.add_building(&building(10, 5.0, BuildingStatus::InUse));
        b.add_building(&building(11, 5.0001, BuildingStatus::InUse));
        let addr = Address {
            id: crate::BagId::new(99).unwrap(),
            location_wgs84: Point::new(5.0001, 52.00005),
            street: "'s-Gravenweg".into(),
            house_number: 1,
            house_letter: None,
            addition: None,
            postcode: Some("1234AB".into()),
            place: "Wijkdorp".into(),
            status: AddressStatus::InUse,
            usage: UsageSet::EMPTY,
            floor_area_m2: Some(80),
            building_ids: vec![
                crate::BagId::new(10).unwrap(),
                crate::BagId::new(11).unwrap(),
            ],
            areas: AreaRefs::default(),
        };
        assert!(b.add_address(&addr));
        let m = b.build();
        let a = m.address(0);
        assert_eq!(a.building_rows(), &[0, 1]);
        assert_eq!(m.building(1).address_rows(), &[0]);
        assert_eq!(a.label(), "'s-Gravenweg 1, 1234AB Wijkdorp");
        assert_eq!(m.buildings_in([0, 0], [i32::MAX, i32::MAX]).count(), 2);
    }

    #[test]
    fn an_area_keeps_its_cbs_figures_and_missing_ones_stay_missing() {
        let square = |x: f64| {
            MultiPolygon(vec![
                polygon![(x: x, y: 52.0), (x: x + 0.01, y: 52.0), (x: x + 0.01, y: 52.01), (x: x, y: 52.01), (x: x, y: 52.0)],
            ])
        };
        let mut b = ModelBuilder::default();
        b.add_area(&Area {
            code: "BU99990102".parse().unwrap(),
            name: "Zuid".into(),
            boundary_wgs84: square(5.01),
            residents: None,
            households: None,
            share_65_plus: None,
            density: None,
        });
        b.add_area(&Area {
            code: "BU99990101".parse().unwrap(),
            name: "Kern".into(),
            boundary_wgs84: square(5.0),
            residents: Some(2_000),
            households: Some(900),
            share_65_plus: Some(23),
            density: Some(1_349),
        });
        let m = b.build();
        let kern = m.find_area("BU99990101".parse().unwrap()).unwrap();
        assert_eq!(
            (
                kern.residents(),
                kern.households(),
                kern.share_65_plus(),
                kern.density()
            ),
            (Some(2_000), Some(900), Some(23), Some(1_349))
        );
        let zuid = m.find_area("BU99990102".parse().unwrap()).unwrap();
        assert_eq!((zuid.share_65_plus(), zuid.density()), (None, None));
    }
}
