//! Where the XML reader is in a part: line (for messages) and bytes (for progress); and how far
//! it may read for one XML event.
//!
//! quick-xml buffers a whole event (a start tag, a text) before returning it, however long it is:
//! a 100 KB zip can inflate to an element of 100 MB. The reader's budget stops that at the source:
//! the scanner allows each event a number of bytes fitting what it expects there, and reading
//! beyond fails with [`TooLong`] after at most that many bytes were buffered.

use std::fmt;
use std::io::{self, BufRead, Read};

/// Bytes one event may take unless the scanner allows another amount: far more than any markup or
/// short text of a BAG extract (the root element with its namespaces is ~1.3 KB).
pub(super) const MAX_EVENT_BYTES: u64 = 64 * 1024;

/// A `BufRead` that counts the lines and bytes the XML reader has consumed, and stops it reading
/// more than its budget for one event.
pub(super) struct Counted<R> {
    inner: R,
    lines: u64,
    bytes: u64,
    /// Bytes the current event may still consume.
    budget: u64,
    /// What the current event was allowed.
    limit: u64,
}

/// The reason a read fails when an event outgrows its budget (inside an [`io::Error`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TooLong {
    /// The budget that was exceeded, in bytes.
    pub limit: u64,
}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an XML element or text longer than {} bytes", self.limit)
    }
}

impl std::error::Error for TooLong {}

impl TooLong {
    /// The budget exceeded, when `error` is a [`TooLong`] failure (as quick-xml passes it on).
    pub(super) fn of(error: &io::Error) -> Option<Self> {
        error.get_ref()?.downcast_ref::<Self>().copied()
    }
}

impl<R> Counted<R> {
    pub(super) fn new(inner: R) -> Self {
        Self {
            inner,
            lines: 1,
            bytes: 0,
            budget: MAX_EVENT_BYTES,
            limit: MAX_EVENT_BYTES,
        }
    }

    /// Allows the next event `limit` bytes (call before each event is read).
    pub(super) fn allow(&mut self, limit: u64) {
        self.limit = limit;
        self.budget = limit;
    }

    /// The line of the consumed position (1-based).
    pub(super) fn line(&self) -> u64 {
        self.lines
    }

    /// Bytes consumed.
    pub(super) fn consumed(&self) -> u64 {
        self.bytes
    }
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let (budget, limit) = (self.budget, self.limit);
        let buf = self.inner.fill_buf()?;
        if buf.is_empty() {
            return Ok(buf);
        }
        if budget == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                TooLong { limit },
            ));
        }
        let n = usize::try_from(budget).unwrap_or(usize::MAX).min(buf.len());
        Ok(&buf[..n])
    }

    #[expect(
        clippy::naive_bytecount,
        reason = "the compiler vectorises this loop; no extra crate"
    )]
    fn consume(&mut self, amt: usize) {
        // `consume` follows a `fill_buf` that returned at least `amt` bytes, so this `fill_buf`
        // returns the same buffer without reading.
        if amt == 0 {
            return;
        }
        if let Ok(buf) = self.inner.fill_buf() {
            self.lines += buf[..amt.min(buf.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
        }
        self.bytes += amt as u64;
        self.budget = self.budget.saturating_sub(amt as u64);
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_consumed_lines_and_bytes_only() {
        let mut c = Counted::new(&b"a\nb\nc"[..]);
        assert_eq!(c.fill_buf().unwrap().len(), 5);
        c.consume(2);
        assert_eq!((c.line(), c.consumed()), (2, 2));
        let mut rest = String::new();
        c.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "b\nc");
        assert_eq!((c.line(), c.consumed()), (3, 5));
    }

    #[test]
    fn an_event_reads_at_most_its_budget() {
        let mut c = Counted::new(&b"0123456789"[..]);
        c.allow(4);
        let mut out = Vec::new();
        let err = c.read_to_end(&mut out).unwrap_err();
        assert_eq!(out, b"0123");
        assert_eq!(TooLong::of(&err), Some(TooLong { limit: 4 }));
        c.allow(100);
        out.clear();
        c.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"456789");
        assert_eq!(c.consumed(), 10);
    }
}
