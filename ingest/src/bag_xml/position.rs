//! Where the XML reader is in a part: line (for messages) and bytes (for progress).

use std::io::{self, BufRead, Read};

/// A `BufRead` that counts the lines and bytes the XML reader has consumed.
pub(super) struct Counted<R> {
    inner: R,
    lines: u64,
    bytes: u64,
}

impl<R> Counted<R> {
    pub(super) fn new(inner: R) -> Self {
        Self {
            inner,
            lines: 1,
            bytes: 0,
        }
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
        self.inner.fill_buf()
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
}
