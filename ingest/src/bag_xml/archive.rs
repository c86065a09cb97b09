//! Zip archives inside zip archives, read without loading them into memory.
//!
//! The national extract `lvbag-extract-nl.zip` holds one zip per object type (`9999PND….zip`),
//! each holding numbered XML parts. A zip needs random access to its central directory, so a
//! nested zip is opened
//! - in place when it is *stored* (uncompressed): a [`Window`] onto its byte range in the file;
//! - otherwise by inflating it once, streaming, into a [`TempFile`] that is removed when the read
//!   ends (for the national PND zip that is a few GB of temporary disk, never memory).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A byte range of a file, read as if it were the whole file.
#[derive(Debug)]
pub(super) struct Window {
    file: File,
    start: u64,
    len: u64,
    pos: u64,
}

impl Window {
    /// The whole file.
    pub(super) fn whole(path: &Path) -> io::Result<Self> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(Self {
            file,
            start: 0,
            len,
            pos: 0,
        })
    }

    /// `len` bytes of `path` from `start`.
    pub(super) fn range(path: &Path, start: u64, len: u64) -> io::Result<Self> {
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(start))?;
        Ok(Self {
            file,
            start,
            len,
            pos: 0,
        })
    }

    /// Where the window starts in the file.
    pub(super) fn start(&self) -> u64 {
        self.start
    }
}

impl Read for Window {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let n = (buf.len() as u64).min(left) as usize;
        if n == 0 {
            return Ok(0);
        }
        let n = self.file.read(&mut buf[..n])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Window {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        let target = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        self.file.seek(SeekFrom::Start(self.start + target))?;
        self.pos = target;
        Ok(target)
    }
}

/// A file in the system's temporary directory, deleted on drop.
#[derive(Debug)]
pub(super) struct TempFile {
    path: PathBuf,
}

impl TempFile {
    /// Creates an empty file with a fresh name.
    pub(super) fn create() -> io::Result<(Self, File)> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir();
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!("wijkwerk-bag-{}-{n}.zip", std::process::id()));
            match OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => return Ok((Self { path }, file)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        // Best effort: a leftover file in the temp dir is not worth failing an import for.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn window_reads_and_seeks_within_its_range() {
        let (tmp, mut f) = TempFile::create().unwrap();
        f.write_all(b"0123456789").unwrap();
        drop(f);
        let mut w = Window::range(tmp.path(), 2, 5).unwrap();
        let mut s = String::new();
        w.read_to_string(&mut s).unwrap();
        assert_eq!(s, "23456");
        w.seek(SeekFrom::End(-2)).unwrap();
        s.clear();
        w.read_to_string(&mut s).unwrap();
        assert_eq!(s, "56");
        assert!(w.seek(SeekFrom::Current(-10)).is_err());
        let path = tmp.path().to_owned();
        drop(tmp);
        assert!(!path.exists());
    }
}
