//! Errors of the BAG 2.0 extract reader. Every error names the file (and the zip entry inside it)
//! and, where there is one, the object and the line it starts on.

use std::fmt;
use std::path::PathBuf;

/// Where a part of the input lives: a file, or an entry inside a zip (nested zips joined by `!`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagXmlPart {
    /// The file on disk.
    pub file: PathBuf,
    /// The zip entry inside `file`, e.g. `9999PND08092024.zip!9999PND08092024-000001.xml`.
    pub entry: Option<String>,
}

impl BagXmlPart {
    /// A plain file.
    pub(super) fn file(file: impl Into<PathBuf>) -> Self {
        Self {
            file: file.into(),
            entry: None,
        }
    }

    /// An entry inside this part (which must be a zip).
    pub(super) fn child(&self, entry: &str) -> Self {
        let entry = match &self.entry {
            Some(outer) => format!("{outer}!{entry}"),
            None => entry.to_owned(),
        };
        Self {
            file: self.file.clone(),
            entry: Some(entry),
        }
    }
}

impl fmt::Display for BagXmlPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(entry) = &self.entry {
            write!(f, "!{entry}")?;
        }
        Ok(())
    }
}

/// What went wrong reading a BAG 2.0 extract.
#[derive(Debug, thiserror::Error)]
pub enum BagXmlError {
    /// The file or zip entry could not be read (includes truncated deflate streams and CRC errors).
    #[error("cannot read {at}: {source}")]
    Io {
        /// The part.
        at: BagXmlPart,
        /// The cause.
        source: std::io::Error,
    },
    /// A zip archive is damaged (cut off, corrupt) or uses an unsupported feature.
    #[error("{at}: {}", zip_problem(source))]
    Zip {
        /// The archive.
        at: BagXmlPart,
        /// The cause.
        source: zip::result::ZipError,
    },
    /// The XML is not well-formed. quick-xml's message quotes names from the file; it is cut.
    #[error("{at}, near line {line}: malformed XML: {}", cut(&source.to_string(), 200))]
    Xml {
        /// The part.
        at: BagXmlPart,
        /// Line of the last complete markup read.
        line: u64,
        /// The cause.
        source: quick_xml::Error,
    },
    /// An element or a field's text longer than any real BAG value: refused as soon as it is seen
    /// (without reading it to its end).
    #[error("{at}, line {line}: {what} is longer than {limit} bytes, starting {start:?}")]
    TooLong {
        /// The part.
        at: BagXmlPart,
        /// The line where reading stopped.
        line: u64,
        /// Where and what: the object (`Pand 0221100000312938`, `Pand (no identificatie)` before
        /// its identificatie was read) and the field (`<identificatie>`), or `an XML element or
        /// text` (between objects, or an element the reader does not keep).
        what: String,
        /// The limit in bytes.
        limit: u64,
        /// The first characters ([`domain::excerpt`]).
        start: String,
    },
    /// The XML stops before its elements are closed: a truncated file.
    #[error("{at}, line {line}: the XML ends inside {inside} (truncated file?)")]
    Truncated {
        /// The part.
        at: BagXmlPart,
        /// The last line.
        line: u64,
        /// The open element or object, e.g. `Pand 0221100000312938`.
        inside: String,
    },
    /// The file is XML but not a BAG 2.0 extract (stand) part.
    #[error("{at}: not a BAG 2.0 extract XML: {reason}")]
    NotBagXml {
        /// The part.
        at: BagXmlPart,
        /// What was found instead.
        reason: String,
    },
    /// The input holds no part with BAG objects.
    #[error("{path}: no BAG 2.0 extract parts (PND, VBO, NUM, OPR, WPL, LIG, STA) found")]
    NoObjects {
        /// The input path.
        path: PathBuf,
    },
    /// A part holds objects of another type than its first object.
    #[error("{at}, line {line}: {found} object in a part of {expected} objects")]
    MixedObjects {
        /// The part.
        at: BagXmlPart,
        /// Line of the object.
        line: u64,
        /// Element name of the part's first object.
        expected: &'static str,
        /// Element name found.
        found: &'static str,
    },
    /// A status text that BAG does not define for this object type.
    #[error("{at}, line {line}: {object}: unknown status {status:?}")]
    UnknownStatus {
        /// The part.
        at: BagXmlPart,
        /// Line where the object starts.
        line: u64,
        /// Object type and identificatie, e.g. `Pand 0221100000312938`.
        object: String,
        /// The text as written (its start, [`domain::excerpt`]).
        status: String,
    },
    /// A field whose text does not parse.
    #[error("{at}, line {line}: {object}: invalid {field} {value:?}")]
    InvalidValue {
        /// The part.
        at: BagXmlPart,
        /// Line where the object starts.
        line: u64,
        /// Object type and identificatie.
        object: String,
        /// BAG field name.
        field: &'static str,
        /// The text as written (its start, [`domain::excerpt`]).
        value: String,
    },
    /// A required field is absent.
    #[error("{at}, line {line}: {object}: missing {field}")]
    MissingValue {
        /// The part.
        at: BagXmlPart,
        /// Line where the object starts.
        line: u64,
        /// Object type and identificatie.
        object: String,
        /// BAG field name.
        field: &'static str,
    },
    /// A geometry that cannot be read.
    #[error("{at}, line {line}: {object}: bad geometry: {reason}")]
    Geometry {
        /// The part.
        at: BagXmlPart,
        /// Line where the object starts.
        line: u64,
        /// Object type and identificatie.
        object: String,
        /// What is wrong.
        reason: String,
    },
    /// A current version of an object that was already passed on: the versions of one object are
    /// not written next to each other (Kadaster's extracts group them; the reader relies on it).
    #[error(
        "{at}, line {line}: {object} appears again after other objects: versions are not grouped by identificatie"
    )]
    Ungrouped {
        /// The part.
        at: BagXmlPart,
        /// Line where the object starts.
        line: u64,
        /// Object type and identificatie.
        object: String,
    },
    /// RD New → WGS84 failed for a coordinate.
    #[error("{at}, line {line}: {object}: {reason}")]
    Projection {
        /// The part.
        at: BagXmlPart,
        /// Line where the object starts.
        line: u64,
        /// Object type and identificatie.
        object: String,
        /// The projection error.
        reason: String,
    },
}

/// What is wrong with a zip archive, in words for the person who has it.
fn zip_problem(e: &zip::result::ZipError) -> String {
    match e {
        zip::result::ZipError::UnsupportedArchive(what) => {
            format!("the zip file uses a feature that is not supported ({what})")
        }
        other => format!(
            "the zip file is damaged or truncated ({})",
            cut(&other.to_string(), 200)
        ),
    }
}

/// `text` cut to `max` characters, with `…` when it was longer.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}
