//! EP-Online for the sample: a zip holding one `;`-separated CSV with RVO's preamble lines and
//! its 37 `Pand_*` columns, written as the buurten are generated (streamed into the zip).
//!
//! About two in three dwellings and other units in use have a label; one in seven of those also
//! has an older one (in random order in the file, so that the importer must pick the newest).
//! Classes follow the building's age; labels registered before 2021 (the old method) carry an
//! energy index, newer ones do not. Each buurt adds a row for a verblijfsobject that does not exist
//! and one for a whole utility building (a pand id without a verblijfsobject), as the real file
//! has them.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use domain::{EnergyClass, LabelDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use zip::write::SimpleFileOptions;

use crate::Error;

/// The columns of EP-Online's open CSV (v2, 2023), in its order.
const COLUMNS: [&str; 37] = [
    "Pand_opnamedatum",
    "Pand_opnametype",
    "Pand_status",
    "Pand_berekeningstype",
    "Pand_energieindex",
    "Pand_energieklasse",
    "Pand_energielabel_is_prive",
    "Pand_is_op_basis_van_referentie_gebouw",
    "Pand_gebouwklasse",
    "Meting_geldig_tot",
    "Pand_registratiedatum",
    "Pand_postcode",
    "Pand_huisnummer",
    "Pand_huisnummer_toev",
    "Pand_detailaanduiding",
    "Pand_bagverblijfsobjectid",
    "Pand_bagligplaatsid",
    "Pand_bagstandplaatsid",
    "Pand_bagpandid",
    "Pand_gebouwtype",
    "Pand_gebouwsubtype",
    "Pand_projectnaam",
    "Pand_projectobject",
    "Pand_SBIcode",
    "Pand_gebruiksoppervlakte_thermische_zone",
    "Pand_energiebehoefte",
    "Pand_eis_energiebehoefte",
    "Pand_primaire_fossiele_energie",
    "Pand_eis_primaire_fossiele_energie",
    "Pand_primaire_fossiele_energie_EMG_forfaitair",
    "Pand_aandeel_hernieuwbare_energie",
    "Pand_eis_aandeel_hernieuwbare_energie",
    "Pand_aandeel_hernieuwbare_energie_EMG_forfaitair",
    "Pand_temperatuuroverschrijding",
    "Pand_eis_temperatuuroverschrijding",
    "Pand_warmtebehoefte",
    "Pand_energieindex_met_EMG_forfaitair",
];

/// The CSV's name inside the zip.
pub(crate) const CSV_ENTRY: &str = "v20240101_v2_csv.csv";

/// One unit to label.
pub(crate) struct Unit<'a> {
    pub(crate) id: &'a str,
    pub(crate) pand: &'a str,
    pub(crate) postcode: &'a str,
    pub(crate) huisnummer: u32,
    pub(crate) dwelling: bool,
    /// Units in its pand (1 for a house).
    pub(crate) units_in_pand: u32,
    pub(crate) bouwjaar: u16,
}

pub(crate) struct LabelWriter {
    zip: zip::ZipWriter<BufWriter<File>>,
    path: PathBuf,
    rows: u64,
    line: String,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

fn zip_error(path: &Path) -> impl Fn(zip::result::ZipError) -> Error + '_ {
    move |e| Error::Io {
        path: path.to_owned(),
        source: std::io::Error::other(e),
    }
}

impl LabelWriter {
    pub(crate) fn create(dir: &Path) -> Result<Self, Error> {
        let path = dir.join(super::EP_ONLINE_FILE);
        let file = File::create(&path).map_err(io(&path))?;
        let mut zip = zip::ZipWriter::new(BufWriter::new(file));
        // A fixed time: the same options give the same bytes.
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        zip.start_file(CSV_ENTRY, options)
            .map_err(zip_error(&path))?;
        let head = format!(
            "PublicatieDatum;01-01-2024\nLaatstVerwerkteMutatievolgnummer;18412057\n{}\n",
            COLUMNS.join(";")
        );
        zip.write_all(head.as_bytes()).map_err(io(&path))?;
        Ok(Self {
            zip,
            path,
            rows: 0,
            line: String::new(),
        })
    }

    /// Data rows written.
    pub(crate) fn rows(&self) -> u64 {
        self.rows
    }

    /// Writes the labels of one unit (none, one or two).
    pub(crate) fn unit(&mut self, u: &Unit<'_>, rng: &mut ChaCha8Rng) -> Result<(), Error> {
        if !rng.random_bool(0.65) {
            return Ok(());
        }
        let newest = (class_for(u.bouwjaar, rng), date(rng, 2015, 2024));
        let older = rng.random_bool(1.0 / 7.0).then(|| {
            let worse = EnergyClass::from_code((newest.0.code() + rng.random_range(1..=2)).min(12));
            (worse.unwrap_or(EnergyClass::G), date(rng, 2008, 2014))
        });
        let rows: Vec<(EnergyClass, LabelDate)> = match older {
            Some(o) if rng.random_bool(0.5) => vec![o, newest],
            Some(o) => vec![newest, o],
            None => vec![newest],
        };
        for (class, registered) in rows {
            self.row(Some(u), u.pand, class, registered, rng)?;
        }
        Ok(())
    }

    /// The two odd rows of a buurt: an unknown verblijfsobject, and a utility pand without one.
    pub(crate) fn odd_rows(
        &mut self,
        unknown_vbo: &str,
        pand: &str,
        rng: &mut ChaCha8Rng,
    ) -> Result<(), Error> {
        let unknown = Unit {
            id: unknown_vbo,
            pand,
            postcode: "",
            huisnummer: 1,
            dwelling: true,
            units_in_pand: 1,
            bouwjaar: 1990,
        };
        self.row(
            Some(&unknown),
            pand,
            EnergyClass::C,
            date(rng, 2015, 2024),
            rng,
        )?;
        self.row(None, pand, EnergyClass::B, date(rng, 2015, 2024), rng)
    }

    fn row(
        &mut self,
        u: Option<&Unit<'_>>,
        pand: &str,
        class: EnergyClass,
        registered: LabelDate,
        rng: &mut ChaCha8Rng,
    ) -> Result<(), Error> {
        let (y, m, d) = registered.ymd();
        let ymd = format!("{y:04}{m:02}{d:02}");
        let old_method = y < 2021;
        let mut f: [String; 37] = std::array::from_fn(|_| String::new());
        f[0].clone_from(&ymd);
        f[1] = "Basisopname".into();
        f[2] = "Bestaand".into();
        f[3] = if old_method {
            "EP-W"
        } else {
            "NTA 8800:2023 (detailopname)"
        }
        .into();
        if old_method {
            let index = 0.5 + f64::from(class.code()) * 0.22 + rng.random_range(0.0..0.2);
            f[4] = format!("{index:.2}").replace('.', ",");
        }
        f[5] = class.as_str().into();
        f[6] = "false".into();
        f[7] = "false".into();
        let dwelling = u.is_some_and(|u| u.dwelling);
        f[8] = if dwelling { "W" } else { "U" }.into();
        f[9] = format!("{:04}{m:02}{d:02}", y + 10);
        f[10] = ymd;
        if let Some(u) = u {
            f[11] = u.postcode.into();
            f[12] = u.huisnummer.to_string();
            f[15] = u.id.into();
            if dwelling {
                f[19] = match u.units_in_pand {
                    1 => [
                        "Rijwoning tussen",
                        "Rijwoning hoek",
                        "2 onder 1 kap",
                        "Vrijstaande woning",
                    ][rng.random_range(0..4)],
                    _ => "Appartement",
                }
                .into();
            }
        }
        f[18] = pand.into();
        self.line.clear();
        self.line.push_str(&f.join(";"));
        self.line.push('\n');
        self.zip
            .write_all(self.line.as_bytes())
            .map_err(io(&self.path))?;
        self.rows += 1;
        Ok(())
    }

    pub(crate) fn finish(self) -> Result<PathBuf, Error> {
        let path = self.path;
        let mut inner = self.zip.finish().map_err(zip_error(&path))?;
        inner.flush().map_err(io(&path))?;
        Ok(path)
    }
}

/// A class by the building's age: older buildings are worse on average.
fn class_for(bouwjaar: u16, rng: &mut ChaCha8Rng) -> EnergyClass {
    let centre: i32 = match bouwjaar {
        0..=1945 => 10,
        1975..=1991 => 8,
        1992..=2005 => 7,
        2006..=2014 => 6,
        2015..=9998 => 3,
        // 1946–1974 and the unknown year.
        _ => 9,
    };
    let code = (centre + rng.random_range(-2..=2)).clamp(1, 12) as u8;
    EnergyClass::from_code(code).unwrap_or(EnergyClass::C)
}

/// A day in the years `from..=to`.
fn date(rng: &mut ChaCha8Rng, from: u16, to: u16) -> LabelDate {
    let first = LabelDate::new(from, 1, 1).map_or(0, LabelDate::days_since_1990);
    let last = LabelDate::new(to, 12, 31).map_or(first, LabelDate::days_since_1990);
    LabelDate::from_days_since_1990(rng.random_range(first..=last))
        .or(LabelDate::new(from, 1, 1))
        .unwrap_or_else(|| unreachable!("1990–2099 are dates"))
}
