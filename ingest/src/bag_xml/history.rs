//! BAG history (*voorkomens*) reduced to the current version of each object.
//!
//! Every version carries one `Objecten:voorkomen/Historie:Voorkomen`. A version **counts as
//! current** when:
//! - it has no (non-empty) `Historie:eindGeldigheid` — its validity has not ended, and
//! - it is not inactive: no `Historie:tijdstipInactief`, and no `BeschikbaarLV/tijdstipInactiefLV`
//!   or `BeschikbaarLV/tijdstipNietBagLV` (corrected-away versions and objects withdrawn from
//!   the BAG, which Kadaster delivers with those marks).
//!
//! When several versions of one object qualify, the highest `voorkomenidentificatie` wins. An
//! object with no qualifying version (e.g. every version ended) is not current and yields nothing.
//! `eindRegistratie` is not looked at: in the extracts it always comes together with
//! `eindGeldigheid`, and a version whose registration ended without its validity ending would
//! still be the object's latest statement.

use std::collections::HashSet;

use domain::BagId;

use super::error::{BagXmlError, BagXmlPart};
use super::object::RawObject;

/// Whether a version qualifies as current (see the module doc).
pub(super) fn is_current(obj: &RawObject) -> bool {
    !obj.ended && !obj.inactive
}

/// Reduces a stream of versions, grouped by identificatie, to the current version per object
/// while holding only one object's data in memory.
///
/// Kadaster writes the versions of an object next to each other (objects sorted by
/// identificatie, continuing across the numbered parts of a type: an object's versions can
/// straddle two parts). The stream relies on the grouping, not on the sorting (hand-made subsets
/// are grouped but unsorted), and reports an [`Ungrouped`](BagXmlError::Ungrouped) error rather
/// than emit an object twice. To know which objects were passed on it keeps their ids: 8 bytes
/// per object while the ids arrive sorted, a hash set for those that do not.
#[derive(Debug, Default)]
pub(super) struct CurrentStream {
    /// The best current version of the object being read, swapped in from the scanner's buffer.
    slot: RawObject,
    /// Identificatie and voorkomen of `slot`, when it holds one.
    pending: Option<(BagId, u32)>,
    /// Identificaties that had a current version (emitted or pending).
    seen: SeenIds,
    /// Identificatie of the last version read (any version), for counting objects.
    last_seen: Option<BagId>,
    /// Versions read.
    pub versions: u64,
    /// Distinct objects read (runs of one identificatie).
    pub objects: u64,
    /// Objects with a current version, emitted.
    pub current: u64,
}

impl CurrentStream {
    /// Offers one version; when it starts a new object, the previous object's current version is
    /// passed to `emit` first. `scratch` may be swapped with the stream's buffer.
    pub(super) fn offer(
        &mut self,
        scratch: &mut RawObject,
        at: &BagXmlPart,
        id: BagId,
        voorkomen: u32,
        emit: &mut dyn FnMut(&RawObject) -> crate::Result<()>,
    ) -> crate::Result<()> {
        self.versions += 1;
        if self.last_seen != Some(id) {
            self.objects += 1;
            self.last_seen = Some(id);
        }
        if !is_current(scratch) {
            return Ok(());
        }
        match self.pending {
            Some((pending, best)) if pending == id => {
                if voorkomen > best {
                    self.take(scratch, id, voorkomen);
                }
                return Ok(());
            }
            _ if !self.seen.insert(id) => {
                return Err(BagXmlError::Ungrouped {
                    at: at.clone(),
                    line: scratch.line,
                    object: scratch.describe(),
                }
                .into());
            }
            Some(_) => {
                self.current += 1;
                emit(&self.slot)?;
            }
            None => {}
        }
        self.take(scratch, id, voorkomen);
        Ok(())
    }

    /// Emits the last pending object; call once after the last part of the type.
    pub(super) fn finish(
        &mut self,
        emit: &mut dyn FnMut(&RawObject) -> crate::Result<()>,
    ) -> crate::Result<()> {
        if self.pending.take().is_some() {
            self.current += 1;
            emit(&self.slot)?;
        }
        Ok(())
    }

    fn take(&mut self, scratch: &mut RawObject, id: BagId, voorkomen: u32) {
        std::mem::swap(&mut self.slot, scratch);
        self.pending = Some((id, voorkomen));
    }
}

/// A set of ids that is a plain sorted vector while the ids arrive in increasing order.
#[derive(Debug, Default)]
struct SeenIds {
    ascending: Vec<BagId>,
    others: HashSet<BagId>,
}

impl SeenIds {
    /// Adds an id; `false` when it was there already.
    fn insert(&mut self, id: BagId) -> bool {
        match self.ascending.last() {
            Some(&last) if id <= last => {
                self.ascending.binary_search(&id).is_err() && self.others.insert(id)
            }
            _ => {
                self.ascending.push(id);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: u64, voorkomen: u32, ended: bool) -> (RawObject, BagId, u32) {
        let mut obj = RawObject {
            ended,
            ..RawObject::default()
        };
        obj.id.extend_from_slice(format!("{id:016}").as_bytes());
        obj.voorkomen
            .extend_from_slice(voorkomen.to_string().as_bytes());
        (obj, BagId::new(id).unwrap(), voorkomen)
    }

    fn run(versions: &[(u64, u32, bool)]) -> crate::Result<(Vec<String>, CurrentStream)> {
        let at = BagXmlPart::file("t.xml");
        let mut stream = CurrentStream::default();
        let mut out = Vec::new();
        let mut emit = |o: &RawObject| {
            out.push(format!(
                "{}#{}",
                String::from_utf8_lossy(&o.id),
                String::from_utf8_lossy(&o.voorkomen)
            ));
            Ok(())
        };
        for &(id, v, ended) in versions {
            let (mut obj, id, v) = version(id, v, ended);
            stream.offer(&mut obj, &at, id, v, &mut emit)?;
        }
        stream.finish(&mut emit)?;
        Ok((out, stream))
    }

    #[test]
    fn the_open_version_wins_and_ended_objects_vanish() {
        let (out, s) = run(&[
            (1, 1, true),
            (1, 2, false),
            (2, 1, true),
            (3, 1, false),
            (3, 2, true),
        ])
        .unwrap();
        assert_eq!(out, ["0000000000000001#2", "0000000000000003#1"]);
        assert_eq!((s.versions, s.objects, s.current), (5, 3, 2));
    }

    #[test]
    fn highest_voorkomen_wins_among_open_versions() {
        let (out, _) = run(&[(5, 3, false), (5, 1, false), (5, 2, false)]).unwrap();
        assert_eq!(out, ["0000000000000005#3"]);
    }

    #[test]
    fn inactive_versions_do_not_count() {
        let at = BagXmlPart::file("t.xml");
        let mut stream = CurrentStream::default();
        let (mut obj, id, v) = version(9, 4, false);
        obj.inactive = true;
        stream
            .offer(&mut obj, &at, id, v, &mut |_| unreachable!())
            .unwrap();
        stream.finish(&mut |_| unreachable!()).unwrap();
        assert_eq!((stream.versions, stream.current), (1, 0));
    }

    #[test]
    fn grouped_but_unsorted_objects_are_fine() {
        let (out, _) = run(&[(7, 1, false), (6, 1, true), (6, 2, false), (8, 1, false)]).unwrap();
        assert_eq!(
            out,
            [
                "0000000000000007#1",
                "0000000000000006#2",
                "0000000000000008#1"
            ]
        );
    }

    #[test]
    fn an_object_seen_again_later_is_an_error() {
        let err = run(&[(6, 1, false), (7, 1, false), (6, 2, false)])
            .unwrap_err()
            .to_string();
        assert!(err.contains("not grouped"), "{err}");
        let err = run(&[(9, 1, false), (3, 1, false), (5, 1, false), (3, 2, false)])
            .unwrap_err()
            .to_string();
        assert!(err.contains("not grouped"), "{err}");
    }

    #[test]
    fn seen_ids_answer_membership_in_any_order() {
        let mut seen = SeenIds::default();
        for id in [5, 9, 3, 12, 7] {
            assert!(seen.insert(BagId::new(id).unwrap()), "{id}");
        }
        for id in [5, 9, 3, 12, 7] {
            assert!(!seen.insert(BagId::new(id).unwrap()), "{id}");
        }
        assert_eq!(seen.ascending.len(), 3);
    }
}
