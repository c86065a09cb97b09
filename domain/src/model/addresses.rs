//! Address columns and the row view over them.

use crate::{AddressId, AddressStatus, AreaRefs, BagId, UsageSet, WorldPoint};

use super::{Model, Strings};

/// Addresses in columns, sorted by id. Repeating texts are interned in the model's strings.
#[derive(Debug, Default)]
pub(crate) struct AddressColumns {
    pub(crate) ids: Vec<u64>,
    pub(crate) points: Vec<WorldPoint>,
    pub(crate) street: Vec<u32>,
    pub(crate) number: Vec<u32>,
    pub(crate) letter: Vec<u32>,
    pub(crate) addition: Vec<u32>,
    pub(crate) postcode: Vec<u32>,
    pub(crate) place: Vec<u32>,
    pub(crate) status: Vec<u8>,
    pub(crate) usage: Vec<u16>,
    /// Floor area in m², 0 when unknown.
    pub(crate) floor_area: Vec<u32>,
    pub(crate) area_ref: Vec<u32>,
    /// Buildings of address `i` are `building_links[building_start[i]..building_start[i + 1]]`.
    pub(crate) building_start: Vec<u32>,
    pub(crate) building_links: Vec<u32>,
}

impl AddressColumns {
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.ids.capacity() * 8
            + self.points.capacity() * 8
            + (self.street.capacity()
                + self.number.capacity()
                + self.letter.capacity()
                + self.addition.capacity()
                + self.postcode.capacity()
                + self.place.capacity()
                + self.floor_area.capacity()
                + self.area_ref.capacity()
                + self.building_start.capacity()
                + self.building_links.capacity())
                * 4
            + self.status.capacity()
            + self.usage.capacity() * 2
    }
}

/// A view of one address of a [`Model`].
#[derive(Debug, Clone, Copy)]
pub struct AddressRow<'a> {
    pub(crate) model: &'a Model,
    pub(crate) index: u32,
}

impl<'a> AddressRow<'a> {
    fn cols(&self) -> &'a AddressColumns {
        &self.model.addresses
    }

    fn text(&self, column: &[u32]) -> &'a str {
        self.model.strings.get(column[self.index as usize])
    }

    fn optional(&self, column: &[u32]) -> Option<&'a str> {
        let i = column[self.index as usize];
        (i != Strings::EMPTY).then(|| self.model.strings.get(i))
    }

    /// Row number in the model.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// BAG identificatie of the verblijfsobject.
    pub fn id(&self) -> AddressId {
        BagId::new(self.cols().ids[self.index as usize])
            .unwrap_or_else(|| unreachable!("ids are validated at build"))
    }

    /// Location in world units.
    pub fn point(&self) -> WorldPoint {
        self.cols().points[self.index as usize]
    }

    /// Street name, byte for byte.
    pub fn street(&self) -> &'a str {
        self.text(&self.cols().street)
    }

    /// House number.
    pub fn house_number(&self) -> u32 {
        self.cols().number[self.index as usize]
    }

    /// House letter.
    pub fn house_letter(&self) -> Option<&'a str> {
        self.optional(&self.cols().letter)
    }

    /// House number addition.
    pub fn addition(&self) -> Option<&'a str> {
        self.optional(&self.cols().addition)
    }

    /// Postcode.
    pub fn postcode(&self) -> Option<&'a str> {
        self.optional(&self.cols().postcode)
    }

    /// Woonplaats.
    pub fn place(&self) -> &'a str {
        self.text(&self.cols().place)
    }

    /// BAG status.
    pub fn status(&self) -> AddressStatus {
        AddressStatus::from_code(self.cols().status[self.index as usize])
            .unwrap_or(AddressStatus::InUse)
    }

    /// Gebruiksdoelen.
    pub fn usage(&self) -> UsageSet {
        UsageSet::from_bits(self.cols().usage[self.index as usize])
    }

    /// Floor area in m².
    pub fn floor_area_m2(&self) -> Option<u32> {
        let v = self.cols().floor_area[self.index as usize];
        (v != 0).then_some(v)
    }

    /// The areas it lies in.
    pub fn areas(&self) -> AreaRefs {
        self.model.area_refs[self.cols().area_ref[self.index as usize] as usize]
    }

    /// Row numbers of the buildings it lies in.
    pub fn building_rows(&self) -> &'a [u32] {
        let c = self.cols();
        let i = self.index as usize;
        &c.building_links[c.building_start[i] as usize..c.building_start[i + 1] as usize]
    }

    /// `Street 12A-2` (without postcode and place).
    pub fn street_line(&self) -> String {
        let mut s = format!("{} {}", self.street(), self.house_number());
        if let Some(l) = self.house_letter() {
            s.push_str(l);
        }
        if let Some(a) = self.addition() {
            s.push('-');
            s.push_str(a);
        }
        s
    }

    /// `Street 12A-2, 1234AB Place`.
    pub fn label(&self) -> String {
        let mut s = self.street_line();
        s.push_str(", ");
        if let Some(p) = self.postcode() {
            s.push_str(p);
            s.push(' ');
        }
        s.push_str(self.place());
        s
    }
}

impl Model {
    /// The address with BAG id `id`, if it is in the model.
    pub fn find_address(&self, id: AddressId) -> Option<AddressRow<'_>> {
        self.addresses
            .ids
            .binary_search(&id.get())
            .ok()
            .map(|i| AddressRow {
                model: self,
                index: i as u32,
            })
    }
}
