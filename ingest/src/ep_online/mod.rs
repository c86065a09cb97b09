//! EP-Online's open energy-label file (RVO, monthly): one `;`-separated CSV, usually in a zip, that
//! may start with preamble lines (`PublicatieDatum;…`, `LaatstVerwerkteMutatievolgnummer;…`)
//! before its header of `Pand_*` columns.
//!
//! The national file is ~1.5 GB: it is streamed (inflated on one thread, parsed on the calling
//! one), each row copied out only as far as the last column wanted. A verblijfsobject may have
//! several labels: the newest by `Pand_registratiedatum` is kept (of two on the same day, the later
//! row). Rows naming a verblijfsobject the store does not hold are counted and reported, not kept
//! (import the BAG first); rows without a verblijfsobject (labels of a ligplaats, standplaats or a
//! whole pand) or without a class are counted too. A malformed row — too few fields, an id that is
//! not 16 digits, an unknown class, a date that is not one — refuses the import with file, entry
//! and line.

mod input;
mod row;

use std::path::Path;

use domain::{BagId, EnergyClass, EnergyLabel, LabelDate};
use store::ImportTx;

use crate::lines::{LineError, Lines};
use crate::{Error, ImportReport, Progress, Result};

pub(crate) use input::csv_entry;
use row::{Columns, Fields};

/// The longest line accepted (real rows are ~300 bytes).
const MAX_LINE: usize = 64 * 1024;
/// Lines looked at for the header.
const MAX_PREAMBLE: u64 = 8;
/// Bytes between progress updates.
const PROGRESS_STEP: u64 = 4 << 20;

/// Whether `head` (the first bytes of a text) starts like an EP-Online CSV.
pub(crate) fn looks_like(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let head = head.strip_prefix(b"\"").unwrap_or(head);
    let starts = |p: &[u8]| head.len() >= p.len() && head[..p.len()].eq_ignore_ascii_case(p);
    starts(b"PublicatieDatum") || starts(b"Pand_")
}

/// The label kept so far for one known verblijfsobject (0 in `date` for none).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    date: u32,
    class: u8,
    building_class: u8,
    building_type: u16,
    index: f32,
    building: u64,
}

/// Imports the EP-Online file at `path` into `tx`.
pub(crate) fn import(
    path: &Path,
    tx: &mut dyn ImportTx,
    report: &mut ImportReport,
    progress: &dyn Progress,
) -> Result<()> {
    let known = tx.address_ids()?;
    let mut input = input::open(path)?;
    progress.phase("energielabels", input.size);
    let entry = input.entry.clone();
    let line_error = |line: u64, reason: String| Error::InvalidLine {
        path: path.to_owned(),
        entry: entry.clone(),
        line,
        reason,
    };
    let read_error = |e: LineError| match e {
        LineError::Io(source) => Error::Io {
            path: path.to_owned(),
            source,
        },
        LineError::TooLong { line, limit } => line_error(
            line,
            format!("the line is longer than {limit} bytes; EP-Online's rows are a few hundred"),
        ),
    };
    let mut lines = Lines::new(&mut input.reader, MAX_LINE);

    // The header: the first line of `Pand_*` columns, after at most a few preamble lines.
    let columns = loop {
        let Some((number, _, line)) = lines.next_line().map_err(read_error)? else {
            return Err(line_error(
                lines.number(),
                "no header line of Pand_… columns".into(),
            ));
        };
        if row::is_header(line) {
            break Columns::new(line).map_err(|missing| Error::MissingColumns {
                path: path.to_owned(),
                missing: format!("{missing}{entry}"),
                found: row::header_names(line),
            })?;
        }
        if number >= MAX_PREAMBLE {
            return Err(line_error(
                number,
                "no header line of Pand_… columns in the first lines".into(),
            ));
        }
    };

    let mut slots = vec![Slot::default(); known.len()];
    let mut types: Vec<String> = vec![String::new()];
    let mut type_codes: std::collections::HashMap<Vec<u8>, u16> = std::collections::HashMap::new();
    let mut fields = Fields::default();
    let mut first_unknown: Option<u64> = None;
    let mut reported = 0u64;
    while let Some((number, bytes, line)) = lines.next_line().map_err(read_error)? {
        if line.is_empty() {
            continue;
        }
        if bytes - reported >= PROGRESS_STEP {
            progress.advance(bytes - reported);
            reported = bytes;
        }
        report.label_rows += 1;
        let r = fields
            .split(line, &columns)
            .map_err(|reason| line_error(number, reason))?;
        let vbo = r.vbo.trim_ascii();
        let class = r.class.trim_ascii();
        if vbo.is_empty() || class.is_empty() {
            report.labels_without_address += 1;
            continue;
        }
        let id = bag_id(vbo).ok_or_else(|| {
            line_error(
                number,
                format!(
                    "Pand_bagverblijfsobjectid {:?} is not a BAG id (16 digits)",
                    domain::excerpt_bytes(vbo)
                ),
            )
        })?;
        let class = EnergyClass::from_bytes(class).ok_or_else(|| {
            line_error(
                number,
                format!(
                    "Pand_energieklasse {:?} is none of A+++++ … G",
                    domain::excerpt_bytes(class)
                ),
            )
        })?;
        let date = LabelDate::parse(r.date).ok_or_else(|| {
            line_error(
                number,
                format!(
                    "Pand_registratiedatum {:?} is not a date",
                    domain::excerpt_bytes(r.date)
                ),
            )
        })?;
        let Ok(i) = known.binary_search(&id) else {
            report.labels_unknown_address += 1;
            first_unknown.get_or_insert(id);
            continue;
        };
        let date_key = date_key(date);
        let slot = &mut slots[i];
        if slot.date != 0 {
            report.labels_superseded += 1;
            if slot.date > date_key {
                continue;
            }
        }
        let building = match r.building.map(<[u8]>::trim_ascii) {
            None | Some(b"") => 0,
            Some(b) => bag_id(b).ok_or_else(|| {
                line_error(
                    number,
                    format!(
                        "Pand_bagpandid {:?} is not a BAG id (16 digits)",
                        domain::excerpt_bytes(b)
                    ),
                )
            })?,
        };
        let index = match r.index.map(<[u8]>::trim_ascii) {
            None | Some(b"") => f32::NAN,
            Some(t) => parse_decimal(t).ok_or_else(|| {
                line_error(
                    number,
                    format!(
                        "energy index {:?} is not a number",
                        domain::excerpt_bytes(t)
                    ),
                )
            })?,
        };
        let building_type = match r.building_type.map(<[u8]>::trim_ascii) {
            None | Some(b"") => 0,
            Some(t) => {
                if let Some(&c) = type_codes.get(t) {
                    c
                } else {
                    let c = u16::try_from(types.len()).map_err(|_| {
                        line_error(number, "more than 65,535 different Pand_gebouwtype".into())
                    })?;
                    types.push(String::from_utf8_lossy(t).into_owned());
                    type_codes.insert(t.to_vec(), c);
                    c
                }
            }
        };
        *slot = Slot {
            date: date_key,
            class: class.code(),
            building_class: r
                .building_class
                .and_then(|c| c.trim_ascii().first().copied())
                .unwrap_or(0),
            building_type,
            index,
            building,
        };
    }
    progress.advance(lines.bytes() - reported);
    drop(input);

    if let Some(first) = first_unknown {
        report.skip(format!(
            "{}: {} rows name a verblijfsobject that is not in the store (the first {}); \
             they are left out: import the BAG first",
            path.display(),
            report.labels_unknown_address,
            BagId::new(first).map_or_else(|| first.to_string(), |b| b.to_string())
        ));
    }
    let kept = slots.iter().filter(|s| s.date != 0).count() as u64;
    progress.phase("energielabels opslaan", Some(kept));
    for (&id, slot) in known.iter().zip(&slots) {
        if slot.date == 0 {
            continue;
        }
        tx.put_energy_label(&label(id, slot, &types))?;
        report.energy_labels += 1;
        if report.energy_labels.is_multiple_of(10_000) {
            progress.advance(10_000);
        }
    }
    progress.advance(report.energy_labels % 10_000);
    Ok(())
}

/// A 16-digit id as a number.
fn bag_id(text: &[u8]) -> Option<u64> {
    (text.len() == 16 && text.iter().all(u8::is_ascii_digit))
        .then(|| text.iter().fold(0u64, |n, &b| n * 10 + u64::from(b - b'0')))
}

/// A decimal with a comma or a point.
fn parse_decimal(text: &[u8]) -> Option<f32> {
    if text.len() > 32 {
        return None;
    }
    let s: String = text
        .iter()
        .map(|&b| if b == b',' { '.' } else { char::from(b) })
        .collect();
    s.parse::<f32>().ok().filter(|v| v.is_finite())
}

fn date_key(d: LabelDate) -> u32 {
    let (y, m, day) = d.ymd();
    u32::from(y) * 10_000 + u32::from(m) * 100 + u32::from(day)
}

fn label(id: u64, s: &Slot, types: &[String]) -> EnergyLabel {
    let date = LabelDate::new(
        (s.date / 10_000) as u16,
        (s.date / 100 % 100) as u8,
        (s.date % 100) as u8,
    );
    EnergyLabel {
        address: BagId::new(id).unwrap_or_else(|| unreachable!("ids come from the store")),
        building: BagId::new(s.building).filter(|b| b.get() != 0),
        class: EnergyClass::from_code(s.class).unwrap_or(EnergyClass::G),
        registered: date.unwrap_or_else(|| unreachable!("dates were checked when read")),
        building_class: (s.building_class != 0).then(|| char::from(s.building_class)),
        building_type: (s.building_type != 0).then(|| types[usize::from(s.building_type)].clone()),
        energy_index: (!s.index.is_nan()).then(|| (f64::from(s.index) * 100.0).round() / 100.0),
    }
}
