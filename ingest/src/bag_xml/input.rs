//! The input of a read: a single XML part, a folder of parts, or a zip (zips nested in it
//! included), listed as the parts holding BAG objects, each with the object type found in it.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use zip::{CompressionMethod, ZipArchive};

use super::archive::{TempFile, Window};
use super::error::{BagXmlError, BagXmlPart};
use super::object::ObjectKind;
use super::sniff::{Content, sniff};

/// Read buffer per part: large enough that syscalls and inflate calls are rare.
const BUFFER_BYTES: usize = 256 * 1024;

/// Zips nested deeper than this are ignored (the national extract nests one level).
const MAX_ZIP_DEPTH: usize = 3;

/// A part holding BAG objects of one type.
#[derive(Debug)]
pub(super) struct Part {
    pub name: BagXmlPart,
    /// The name relative to the input (`0221PND15092020.zip!0221PND15092020-000001.xml`).
    pub label: String,
    pub kind: ObjectKind,
    /// Uncompressed size in bytes.
    pub len: u64,
    location: Location,
}

#[derive(Debug)]
enum Location {
    File(PathBuf),
    Entry { archive: usize, index: usize },
}

/// The listed input, with the zip archives it opened.
pub(super) struct Input {
    archives: Vec<ZipArchive<Window>>,
    temp_files: Vec<TempFile>,
    /// Parts sorted by object type (processing order), then by label.
    pub parts: Vec<Part>,
    /// Gemeente codes named by the parts' headers.
    pub gemeenten: BTreeSet<String>,
    /// Files that were skipped, for the summary.
    pub ignored: Vec<String>,
}

impl Input {
    /// Lists the parts of `path`. A single file that is not a BAG extract part is an error;
    /// inside a folder or zip, files that are not BAG XML are skipped and listed in `ignored`.
    pub(super) fn open(path: &Path) -> Result<Self, BagXmlError> {
        let mut input = Self {
            archives: Vec::new(),
            temp_files: Vec::new(),
            parts: Vec::new(),
            gemeenten: BTreeSet::new(),
            ignored: Vec::new(),
        };
        let at = BagXmlPart::file(path);
        let io = |source| BagXmlError::Io {
            at: at.clone(),
            source,
        };
        if fs::metadata(path).map_err(io)?.is_dir() {
            let mut files: Vec<PathBuf> = fs::read_dir(path)
                .map_err(io)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            for file in files {
                let label = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match extension(&label).as_str() {
                    "xml" => input.add_xml_file(&file, label, false)?,
                    "zip" => input.add_zip(
                        Window::whole(&file).map_err(io)?,
                        &BagXmlPart::file(&file),
                        &label,
                        0,
                    )?,
                    _ => {}
                }
            }
        } else if is_zip(path).map_err(io)? {
            input.add_zip(Window::whole(path).map_err(io)?, &at, "", 0)?;
        } else {
            let label = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            input.add_xml_file(path, label, true)?;
        }
        input
            .parts
            .sort_by(|a, b| (a.kind, &a.label).cmp(&(b.kind, &b.label)));
        Ok(input)
    }

    /// A buffered reader over a part's (uncompressed) bytes.
    pub(super) fn reader(&mut self, part: usize) -> Result<Box<dyn BufRead + '_>, BagXmlError> {
        let Self {
            archives, parts, ..
        } = self;
        let part = &parts[part];
        match part.location {
            Location::File(ref path) => {
                let file = File::open(path).map_err(|source| BagXmlError::Io {
                    at: part.name.clone(),
                    source,
                })?;
                Ok(Box::new(BufReader::with_capacity(BUFFER_BYTES, file)))
            }
            Location::Entry { archive, index } => {
                let entry =
                    archives[archive]
                        .by_index(index)
                        .map_err(|source| BagXmlError::Zip {
                            at: part.name.clone(),
                            source,
                        })?;
                Ok(Box::new(BufReader::with_capacity(BUFFER_BYTES, entry)))
            }
        }
    }

    fn add_xml_file(
        &mut self,
        path: &Path,
        label: String,
        single: bool,
    ) -> Result<(), BagXmlError> {
        let name = BagXmlPart::file(path);
        let file = File::open(path).map_err(|source| BagXmlError::Io {
            at: name.clone(),
            source,
        })?;
        let len = file
            .metadata()
            .map_err(|source| BagXmlError::Io {
                at: name.clone(),
                source,
            })?
            .len();
        let sniffed = sniff(BufReader::new(file), &name)?;
        self.gemeenten.extend(sniffed.gemeente);
        match sniffed.content {
            Content::Objects(kind) => {
                self.parts.push(Part {
                    name,
                    label,
                    kind,
                    len,
                    location: Location::File(path.to_owned()),
                });
            }
            Content::NotBag(reason) if single => {
                return Err(BagXmlError::NotBagXml { at: name, reason });
            }
            other => self.ignore(&label, &other),
        }
        Ok(())
    }

    /// Lists the parts of a zip; `prefix` is the label of the zip itself (empty for the input).
    fn add_zip(
        &mut self,
        window: Window,
        name: &BagXmlPart,
        prefix: &str,
        depth: usize,
    ) -> Result<(), BagXmlError> {
        let origin = window.start();
        let file = name.file.clone();
        let archive = ZipArchive::new(window).map_err(|source| BagXmlError::Zip {
            at: name.clone(),
            source,
        })?;
        let archive_index = self.archives.len();
        let mut entries: Vec<(String, usize)> = (0..archive.len())
            .filter_map(|i| archive.name_for_index(i).map(|n| (n.to_owned(), i)))
            .collect();
        entries.sort();
        self.archives.push(archive);
        let label_of = |entry: &str| {
            if prefix.is_empty() {
                entry.to_owned()
            } else {
                format!("{prefix}!{entry}")
            }
        };
        for (entry, index) in entries {
            let child = name.child(&entry);
            let label = label_of(&entry);
            let zip_error = |source| BagXmlError::Zip {
                at: child.clone(),
                source,
            };
            let io_error = |source| BagXmlError::Io {
                at: child.clone(),
                source,
            };
            match extension(&entry).as_str() {
                "xml" => {
                    let zipped = self.archives[archive_index]
                        .by_index(index)
                        .map_err(zip_error)?;
                    let len = zipped.size();
                    let sniffed = sniff(BufReader::new(zipped), &child)?;
                    self.gemeenten.extend(sniffed.gemeente);
                    match sniffed.content {
                        Content::Objects(kind) => self.parts.push(Part {
                            name: child,
                            label,
                            kind,
                            len,
                            location: Location::Entry {
                                archive: archive_index,
                                index,
                            },
                        }),
                        other => self.ignore(&label, &other),
                    }
                }
                "zip" if depth >= MAX_ZIP_DEPTH => {
                    self.ignored.push(format!("{label}: zip nested too deep"));
                }
                "zip" => {
                    let mut zipped = self.archives[archive_index]
                        .by_index(index)
                        .map_err(zip_error)?;
                    let window = if zipped.compression() == CompressionMethod::Stored {
                        let (start, len) = (origin + zipped.data_start(), zipped.compressed_size());
                        drop(zipped);
                        Window::range(&file, start, len).map_err(io_error)?
                    } else {
                        let (temp, mut out) = TempFile::create().map_err(io_error)?;
                        std::io::copy(&mut zipped, &mut out).map_err(io_error)?;
                        drop((zipped, out));
                        let window = Window::whole(temp.path()).map_err(io_error)?;
                        self.temp_files.push(temp);
                        window
                    };
                    self.add_zip(window, &child, &label, depth + 1)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn ignore(&mut self, label: &str, content: &Content) {
        match content {
            Content::NotBag(reason) => self
                .ignored
                .push(format!("{label}: not a BAG extract XML ({reason})")),
            Content::EmptyPart => self
                .ignored
                .push(format!("{label}: BAG extract part without objects")),
            Content::Auxiliary(_) | Content::Objects(_) => {}
        }
    }
}

/// Whether the input looks like a BAG 2.0 extract: an XML part, or a folder or zip holding one
/// (nested zips are judged by their names, `9999PND08092024.zip`, to stay cheap).
pub(super) fn looks_like(path: &Path) -> bool {
    let is_part = |content: &Content| matches!(content, Content::Objects(_) | Content::EmptyPart);
    let xml_file = |p: &Path| {
        File::open(p)
            .ok()
            .and_then(|f| sniff(BufReader::new(f), &BagXmlPart::file(p)).ok())
            .is_some_and(|s| is_part(&s.content))
    };
    let zip_file = |p: &Path| {
        let Ok(mut archive) =
            Window::whole(p).and_then(|w| ZipArchive::new(w).map_err(std::io::Error::other))
        else {
            return false;
        };
        let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
        names.iter().any(|n| is_part_zip_name(n))
            || names.iter().filter(|n| extension(n) == "xml").any(|n| {
                archive
                    .by_name(n)
                    .ok()
                    .and_then(|f| sniff(BufReader::new(f), &BagXmlPart::file(p)).ok())
                    .is_some_and(|s| is_part(&s.content))
            })
    };
    if path.is_dir() {
        let Ok(entries) = fs::read_dir(path) else {
            return false;
        };
        entries.filter_map(Result::ok).map(|e| e.path()).any(|p| {
            match extension(&p.to_string_lossy()).as_str() {
                "xml" => xml_file(&p),
                "zip" => zip_file(&p),
                _ => false,
            }
        })
    } else if is_zip(path).unwrap_or(false) {
        zip_file(path)
    } else {
        xml_file(path)
    }
}

/// The lower-case extension of a file or entry name.
fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Zip magic: a local file header, or the end record of an empty archive.
fn is_zip(path: &Path) -> std::io::Result<bool> {
    let mut magic = [0; 4];
    let n = File::open(path)?.take(4).read(&mut magic)?;
    Ok(n == 4 && (magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06"))
}

/// `0221PND15092020.zip`: four digits, an object type code, digits.
fn is_part_zip_name(entry: &str) -> bool {
    let name = entry.rsplit('/').next().unwrap_or(entry);
    let Some(stem) = name.strip_suffix(".zip") else {
        return false;
    };
    let (Some(code), Some(digits)) = (stem.get(..4), stem.get(4..7)) else {
        return false;
    };
    code.bytes().all(|b| b.is_ascii_digit())
        && ObjectKind::ALL.iter().any(|k| k.code() == digits)
        && stem[7..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_zip_names() {
        assert!(is_part_zip_name("9999PND08092024.zip"));
        assert!(is_part_zip_name("lvbag/0221VBO15092020.zip"));
        assert!(!is_part_zip_name("9999Inactief08092024.zip"));
        assert!(!is_part_zip_name("GEM-WPL-RELATIE-08092024.zip"));
    }

    #[test]
    fn extensions_ignore_case() {
        assert_eq!(extension("a/B.XML"), "xml");
        assert_eq!(extension("README"), "");
    }
}
