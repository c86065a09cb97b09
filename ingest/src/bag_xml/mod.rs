//! Kadaster's BAG 2.0 extract XML (LV BAG "extract", IMBAG 2.x) → [`Building`]s and
//! [`Address`]es, streamed.
//!
//! Input: one XML part, a folder of parts, or a zip of parts (zips nested in it, as in the
//! national `lvbag-extract-nl.zip`, included). Each file's object type is read from its content
//! ([`sniff`]); files that are not BAG XML are skipped inside a folder or zip and an error when
//! given alone.
//!
//! Steps:
//! 1. list the parts and their object types ([`input`], [`archive`] for nested zips);
//! 2. read woonplaatsen, openbare ruimten and nummeraanduidingen into memory, current versions
//!    only ([`address_parts`]);
//! 3. stream verblijfsobjecten, ligplaatsen and standplaatsen, reduce each to its current version
//!    ([`history`]), join it to its hoofdadres and hand the [`Address`] to the sink, tallying
//!    verblijfsobjecten per pand on the way ([`address`]);
//! 4. stream panden, reduce to current versions and hand each [`Building`] to the sink with its
//!    tally ([`building`]).
//!
//! Each part is streamed through [`scanner`] with reused buffers: no XML file or zip entry is
//! held in memory. What stays in memory: the address parts (compact records; an estimated
//! 0.5–0.8 GB for the national extract's ~10 M nummeraanduidingen), the tally per pand, and per streamed type the ids of its current objects (8 bytes
//! each, to refuse an object whose versions are not grouped). Which version counts as current
//! is documented in [`history`]; what happens when an address join fails, in [`address`].
//! Progress is reported per object type in uncompressed bytes.

mod address;
mod address_parts;
mod archive;
mod building;
mod error;
mod geometry;
mod history;
mod input;
mod object;
mod position;
mod scanner;
mod sniff;

use std::collections::BTreeMap;
use std::path::Path;

use domain::{Address, Building};

pub use error::{BagXmlError, BagXmlPart};

use address::AddressBuilder;
use address_parts::AddressParts;
use history::{CurrentStream, is_current};
use input::Input;
use object::{Fields, ObjectKind, RawObject};
use scanner::Scanner;

use crate::{Progress, RdToWgs84, Result};

/// Receives what the reader produces. Buildings come after all addresses.
pub trait BagSink {
    /// One current pand.
    fn building(&mut self, building: Building) -> Result<()>;
    /// One current verblijfsobject, ligplaats or standplaats with its joined address.
    fn address(&mut self, address: Address) -> Result<()>;
}

/// What a read found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BagXmlSummary {
    /// Pand versions read (every voorkomen).
    pub pand_versions: u64,
    /// Distinct panden read, whatever their versions.
    pub pand_objects: u64,
    /// Panden with a current version: the buildings handed to the sink.
    pub panden: u64,
    /// Current panden per status, keyed by the status as BAG writes it.
    pub pand_status_counts: BTreeMap<String, u64>,
    /// Addresses handed to the sink.
    pub addresses: u64,
    /// Current verblijfsobjecten, ligplaatsen and standplaatsen whose address could not be joined.
    pub skipped_addresses: u64,
    /// Versions read per object type code (`PND`, `VBO`, `NUM`, `OPR`, `WPL`, `LIG`, `STA`).
    pub versions: BTreeMap<String, u64>,
    /// Objects with a current version per object type code.
    pub current: BTreeMap<String, u64>,
    /// The parts read, relative to the input path, in reading order.
    pub files: Vec<String>,
    /// The gemeente code (`0221`) when the input is the extract of one gemeente.
    pub gemeente: Option<String>,
    /// What the importer should pass on: skipped addresses per reason, files skipped.
    pub warnings: Vec<String>,
}

/// Reads a BAG 2.0 extract (XML file, folder or zip) and hands its current objects to `sink`.
pub fn read_bag_xml(
    path: &Path,
    rd: &RdToWgs84,
    progress: &dyn Progress,
    sink: &mut dyn BagSink,
) -> Result<BagXmlSummary> {
    let mut input = Input::open(path)?;
    if input.parts.is_empty() {
        return Err(BagXmlError::NoObjects {
            path: path.to_owned(),
        }
        .into());
    }
    let mut summary = BagXmlSummary {
        files: input.parts.iter().map(|p| p.label.clone()).collect(),
        gemeente: (input.gemeenten.len() == 1)
            .then(|| input.gemeenten.iter().next().cloned())
            .flatten(),
        ..BagXmlSummary::default()
    };
    let names: Vec<BagXmlPart> = input.parts.iter().map(|p| p.name.clone()).collect();

    let mut parts = AddressParts::default();
    for kind in [
        ObjectKind::Woonplaats,
        ObjectKind::OpenbareRuimte,
        ObjectKind::Nummeraanduiding,
    ] {
        let mut versions = 0;
        for_each_version(&mut input, kind, progress, &mut |obj, at| {
            versions += 1;
            if !is_current(obj) {
                return Ok(());
            }
            let f = Fields { obj, at };
            match kind {
                ObjectKind::Woonplaats => parts.add_woonplaats(&f),
                ObjectKind::OpenbareRuimte => parts.add_openbare_ruimte(&f),
                _ => parts.add_nummeraanduiding(&f),
            }
            .map_err(Into::into)
        })?;
        count(&mut summary.versions, kind, versions);
    }
    let (places, streets, numbers) = parts.counts();
    count(&mut summary.current, ObjectKind::Woonplaats, places as u64);
    count(
        &mut summary.current,
        ObjectKind::OpenbareRuimte,
        streets as u64,
    );
    count(
        &mut summary.current,
        ObjectKind::Nummeraanduiding,
        numbers as u64,
    );

    let mut addresses = AddressBuilder::new(&parts, rd);
    for kind in [
        ObjectKind::Verblijfsobject,
        ObjectKind::Ligplaats,
        ObjectKind::Standplaats,
    ] {
        let mut emit = |obj: &RawObject| {
            addresses.add(
                &Fields {
                    obj,
                    at: &names[obj.part],
                },
                sink,
            )
        };
        let stream = stream_current(&mut input, kind, progress, &mut emit)?;
        count(&mut summary.versions, kind, stream.versions);
        count(&mut summary.current, kind, stream.current);
    }
    summary.addresses = addresses.emitted;
    summary.skipped_addresses = addresses.skipped();
    summary.warnings.extend(addresses.warnings());
    let units = addresses.units;

    let status_counts = &mut summary.pand_status_counts;
    let mut emit = |obj: &RawObject| {
        let b = building::building(
            &Fields {
                obj,
                at: &names[obj.part],
            },
            &units,
            rd,
        )?;
        *status_counts
            .entry(b.status.as_str().to_owned())
            .or_default() += 1;
        sink.building(b)
    };
    let stream = stream_current(&mut input, ObjectKind::Pand, progress, &mut emit)?;
    count(&mut summary.versions, ObjectKind::Pand, stream.versions);
    count(&mut summary.current, ObjectKind::Pand, stream.current);
    summary.pand_versions = stream.versions;
    summary.pand_objects = stream.objects;
    summary.panden = stream.current;
    summary
        .warnings
        .extend(input.ignored.iter().map(|i| format!("skipped {i}")));
    Ok(summary)
}

/// Whether `path` looks like a BAG 2.0 extract: an extract XML part, or a folder or zip holding
/// one. Reads only the start of the files; never fails (unreadable → `false`).
pub fn looks_like_bag_xml(path: &Path) -> bool {
    input::looks_like(path)
}

fn count(map: &mut BTreeMap<String, u64>, kind: ObjectKind, n: u64) {
    if n > 0 {
        map.insert(kind.code().to_owned(), n);
    }
}

/// Streams the parts of one type through [`CurrentStream`], emitting current versions.
fn stream_current(
    input: &mut Input,
    kind: ObjectKind,
    progress: &dyn Progress,
    emit: &mut dyn FnMut(&RawObject) -> Result<()>,
) -> Result<CurrentStream> {
    let mut stream = CurrentStream::default();
    for_each_version(input, kind, progress, &mut |obj, at| {
        let f = Fields { obj, at };
        let (id, voorkomen) = (f.id()?, f.voorkomen()?);
        stream.offer(obj, at, id, voorkomen, emit)
    })?;
    stream.finish(emit)?;
    Ok(stream)
}

/// Calls `f` for every object version in the parts of one type, in part order.
fn for_each_version(
    input: &mut Input,
    kind: ObjectKind,
    progress: &dyn Progress,
    f: &mut dyn FnMut(&mut RawObject, &BagXmlPart) -> Result<()>,
) -> Result<()> {
    let indices: Vec<usize> = (0..input.parts.len())
        .filter(|&i| input.parts[i].kind == kind)
        .collect();
    if indices.is_empty() {
        return Ok(());
    }
    let total = indices.iter().map(|&i| input.parts[i].len).sum();
    progress.phase(
        &format!("BAG {} ({})", kind.element(), kind.code()),
        Some(total),
    );
    let mut obj = RawObject::default();
    for i in indices {
        let name = input.parts[i].name.clone();
        let mut scanner = Scanner::new(input.reader(i)?, name.clone(), kind.wants_geometry());
        let mut reported = 0;
        let read = (|| -> Result<()> {
            while scanner.next_object(&mut obj)? {
                if obj.kind != Some(kind) {
                    return Err(BagXmlError::MixedObjects {
                        at: name.clone(),
                        line: obj.line,
                        expected: kind.element(),
                        found: obj.kind.map_or("?", ObjectKind::element),
                    }
                    .into());
                }
                obj.part = i;
                f(&mut obj, &name)?;
                if scanner.bytes() - reported >= 1 << 20 {
                    progress.advance(scanner.bytes() - reported);
                    reported = scanner.bytes();
                }
            }
            Ok(())
        })();
        // Also when the part failed: the progress shows how far it was read.
        progress.advance(scanner.bytes() - reported);
        read?;
    }
    Ok(())
}
