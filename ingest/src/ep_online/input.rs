//! Where an EP-Online file's bytes come from: the CSV itself, or the one CSV inside RVO's zip,
//! inflated on a thread of its own so that parsing keeps the calling thread busy.

use std::fs::File;
use std::io::{BufRead, BufReader, ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use crate::{Error, Result};

/// Bytes per chunk handed from the inflating thread.
const CHUNK: usize = 1 << 20;
/// Chunks in flight.
const IN_FLIGHT: usize = 4;

/// The name of the first CSV entry of the zip at `path` whose text starts like EP-Online's.
pub(crate) fn csv_entry(path: &Path) -> Option<String> {
    let mut zip = zip::ZipArchive::new(File::open(path).ok()?).ok()?;
    let names: Vec<String> = zip
        .file_names()
        .filter(|n| n.to_ascii_lowercase().ends_with(".csv"))
        .map(str::to_owned)
        .collect();
    names.into_iter().find(|name| {
        let mut head = Vec::with_capacity(256);
        zip.by_name(name)
            .ok()
            .and_then(|e| e.take(256).read_to_end(&mut head).ok())
            .is_some_and(|_| super::looks_like(&head))
    })
}

/// A reader of the CSV's bytes, with the entry's name when it is inside a zip, and its size when
/// known.
pub(crate) struct Input {
    /// `, entry NAME` or empty (for messages).
    pub(crate) entry: String,
    /// Uncompressed size in bytes.
    pub(crate) size: Option<u64>,
    pub(crate) reader: Box<dyn BufRead + Send>,
    worker: Option<JoinHandle<()>>,
}

impl Drop for Input {
    fn drop(&mut self) {
        // Hang up first (the reader owns the receiving end), so that a thread blocked on a full
        // channel ends.
        self.reader = Box::new(std::io::empty());
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Opens the CSV at `path`, or the EP-Online CSV entry of the zip at `path`.
pub(crate) fn open(path: &Path) -> Result<Input> {
    let file = File::open(path).map_err(io_error(path))?;
    let mut head = [0u8; 4];
    let n = (&file).take(4).read(&mut head).map_err(io_error(path))?;
    if n == 4 && head == *b"PK\x03\x04" {
        return open_zip(path);
    }
    let size = file.metadata().ok().map(|m| m.len());
    let file = File::open(path).map_err(io_error(path))?;
    Ok(Input {
        entry: String::new(),
        size,
        reader: Box::new(BufReader::with_capacity(CHUNK, file)),
        worker: None,
    })
}

fn open_zip(path: &Path) -> Result<Input> {
    let damaged = |e: zip::result::ZipError| Error::DamagedZip {
        path: path.to_owned(),
        reason: domain::excerpt(&e.to_string()),
    };
    let file = File::open(path).map_err(io_error(path))?;
    let mut zip = zip::ZipArchive::new(file).map_err(damaged)?;
    let name = csv_entry(path).ok_or_else(|| Error::UnknownFormat {
        path: path.to_owned(),
        expected: "an EP-Online zip".into(),
        found: "a zip without a CSV whose first line starts with PublicatieDatum or Pand_".into(),
    })?;
    let size = zip.by_name(&name).map_err(damaged)?.size();
    let (tx, rx) = sync_channel::<std::io::Result<Vec<u8>>>(IN_FLIGHT);
    let owned: PathBuf = path.to_owned();
    let entry = name.clone();
    let worker = std::thread::Builder::new()
        .name("ep-online-inflate".into())
        .spawn(move || inflate(&mut zip, &entry, &tx, &owned))
        .map_err(io_error(path))?;
    Ok(Input {
        entry: format!(", entry {name}"),
        size: Some(size),
        reader: Box::new(ChunkReader {
            rx,
            chunk: Vec::new(),
            at: 0,
        }),
        worker: Some(worker),
    })
}

/// Inflates entry `name` into chunks until the end, an error (sent on) or a hang-up.
fn inflate(
    zip: &mut zip::ZipArchive<File>,
    name: &str,
    out: &SyncSender<std::io::Result<Vec<u8>>>,
    path: &Path,
) {
    let mut entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(e) => {
            let _ = out.send(Err(std::io::Error::other(format!(
                "{}: {e}",
                path.display()
            ))));
            return;
        }
    };
    loop {
        let mut chunk = vec![0u8; CHUNK];
        let mut filled = 0;
        while filled < CHUNK {
            match entry.read(&mut chunk[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = out.send(Err(e));
                    return;
                }
            }
        }
        chunk.truncate(filled);
        let last = filled < CHUNK;
        if (filled > 0 && out.send(Ok(chunk)).is_err()) || last {
            return;
        }
    }
}

/// The receiving end as a [`BufRead`].
struct ChunkReader {
    rx: Receiver<std::io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for ChunkReader {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.at >= self.chunk.len() {
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                // The inflating thread ended after the last chunk.
                Err(_) => return Ok(&[]),
            }
        }
        Ok(&self.chunk[self.at..])
    }

    fn consume(&mut self, amt: usize) {
        self.at = (self.at + amt).min(self.chunk.len());
    }
}
