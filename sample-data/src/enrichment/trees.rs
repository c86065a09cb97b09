//! The sample's tree register: a shapefile of points (`bomen.shp` with `.shx`, `.dbf`, `.prj` and
//! `.cpg`) in RD New, with the columns many Dutch gemeenten use: `BOOMNUMMER`, `BOOMSOORT`
//! (scientific name), `PLANTJAAR`. Street trees stand in the verges, 3 m off the lots, every
//! 12–20 m; a street side has one species, planted a few years after its houses were built.

use std::path::{Path, PathBuf};

use shapefile::dbase::{self, FieldValue, Record, TableWriterBuilder};
use shapefile::{Point, Writer};

use crate::Error;

/// Street-tree species (scientific names, as registers write them).
const SPECIES: [&str; 15] = [
    "Tilia europaea",
    "Quercus robur",
    "Acer pseudoplatanus",
    "Platanus x hispanica",
    "Fraxinus excelsior",
    "Betula pendula",
    "Carpinus betulus",
    "Aesculus hippocastanum",
    "Ulmus 'Columella'",
    "Prunus avium",
    "Alnus glutinosa",
    "Gleditsia triacanthos",
    "Pyrus calleryana 'Chanticleer'",
    "Sorbus aucuparia",
    "Fagus sylvatica",
];

/// RD New as ESRI's `.prj` writes it.
const PRJ: &str = "PROJCS[\"RD_New\",GEOGCS[\"GCS_Amersfoort\",DATUM[\"D_Amersfoort\",SPHEROID[\"Bessel_1841\",6377397.155,299.1528128]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Double_Stereographic\"],PARAMETER[\"False_Easting\",155000.0],PARAMETER[\"False_Northing\",463000.0],PARAMETER[\"Central_Meridian\",5.38763888888889],PARAMETER[\"Scale_Factor\",0.9999079],PARAMETER[\"Latitude_Of_Origin\",52.15616055555555],UNIT[\"Meter\",1.0]]";

pub(crate) struct TreeWriter {
    writer: Writer<std::io::BufWriter<std::fs::File>>,
    path: PathBuf,
    written: u64,
}

fn shp_error(path: &Path) -> impl Fn(shapefile::Error) -> Error + '_ {
    move |e| Error::Io {
        path: path.to_owned(),
        source: std::io::Error::other(e.to_string()),
    }
}

fn field(name: &str) -> dbase::FieldName {
    dbase::FieldName::try_from(name).unwrap_or_else(|_| unreachable!("field names are short ASCII"))
}

impl TreeWriter {
    pub(crate) fn create(dir: &Path) -> Result<Self, Error> {
        let path = dir.join(super::TREES_FILE);
        let table = TableWriterBuilder::new()
            .add_numeric_field(field("BOOMNUMMER"), 10, 0)
            .add_character_field(field("BOOMSOORT"), 60)
            .add_numeric_field(field("PLANTJAAR"), 4, 0);
        let writer = Writer::from_path(&path, table).map_err(shp_error(&path))?;
        for (ext, text) in [("prj", PRJ), ("cpg", "UTF-8")] {
            let side = path.with_extension(ext);
            std::fs::write(&side, text).map_err(|source| Error::Io {
                path: side.clone(),
                source,
            })?;
        }
        Ok(Self {
            writer,
            path,
            written: 0,
        })
    }

    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    /// The species of a street side, by its number.
    pub(crate) fn species(n: usize) -> &'static str {
        SPECIES[n % SPECIES.len()]
    }

    /// Writes a tree at RD (`x`, `y`).
    pub(crate) fn tree(
        &mut self,
        x: f64,
        y: f64,
        species: &str,
        planted: u16,
    ) -> Result<(), Error> {
        self.written += 1;
        let mut record = Record::default();
        record.insert(
            "BOOMNUMMER".into(),
            FieldValue::Numeric(Some(self.written as f64)),
        );
        record.insert(
            "BOOMSOORT".into(),
            FieldValue::Character(Some(species.into())),
        );
        record.insert(
            "PLANTJAAR".into(),
            FieldValue::Numeric(Some(f64::from(planted))),
        );
        self.writer
            .write_shape_and_record(&Point::new(x, y), &record)
            .map_err(shp_error(&self.path))
    }

    pub(crate) fn finish(self) -> PathBuf {
        // The writer completes the headers of .shp, .shx and .dbf when dropped.
        drop(self.writer);
        self.path
    }
}
