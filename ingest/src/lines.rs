//! Lines of a text stream (EP-Online's CSV, CityJSONSeq) under a length limit: a line longer than
//! the limit is refused as soon as the limit is passed, before more of it is held in memory.

use std::io::{BufRead, ErrorKind};

/// Why the next line could not be read.
#[derive(Debug)]
pub(crate) enum LineError {
    /// Reading failed (a damaged zip entry, a disk error).
    Io(std::io::Error),
    /// Line `line` is longer than `limit` bytes.
    TooLong {
        /// The line (1-based).
        line: u64,
        /// The limit.
        limit: usize,
    },
}

/// A line: its number (1-based), the bytes consumed up to its end, and its bytes (without the
/// line end).
pub(crate) type Line<'a> = (u64, u64, &'a [u8]);

/// Reads lines of at most `limit` bytes (without the `\n` or `\r\n`).
pub(crate) struct Lines<R> {
    inner: R,
    line: Vec<u8>,
    number: u64,
    limit: usize,
    bytes: u64,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(inner: R, limit: usize) -> Self {
        Self {
            inner,
            line: Vec::with_capacity(1024),
            number: 0,
            limit,
            bytes: 0,
        }
    }

    /// The number of the line last returned (1-based; 0 before the first).
    pub(crate) fn number(&self) -> u64 {
        self.number
    }

    /// Bytes consumed so far.
    pub(crate) fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The next line with its number (1-based) and the bytes consumed up to its end, or `None`
    /// at the end.
    pub(crate) fn next_line(&mut self) -> Result<Option<Line<'_>>, LineError> {
        self.line.clear();
        let mut any = false;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(LineError::Io(e)),
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let (take, done) = match memchr::memchr(b'\n', available) {
                Some(i) => (i, true),
                None => (available.len(), false),
            };
            if self.line.len() + take > self.limit {
                return Err(LineError::TooLong {
                    line: self.number + 1,
                    limit: self.limit,
                });
            }
            self.line.extend_from_slice(&available[..take]);
            let consumed = take + usize::from(done);
            self.inner.consume(consumed);
            self.bytes += consumed as u64;
            if done {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.number += 1;
        if self.line.last() == Some(&b'\r') {
            self.line.pop();
        }
        Ok(Some((self.number, self.bytes, &self.line)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_newlines_and_long_ones_are_refused_at_the_limit() {
        let text = b"a;b\r\nccc\n\nlast";
        let mut lines = Lines::new(std::io::BufReader::with_capacity(2, &text[..]), 8);
        let mut got = Vec::new();
        while let Some((n, _, l)) = lines.next_line().unwrap() {
            got.push(String::from_utf8(l.to_vec()).unwrap());
            assert_eq!(n, got.len() as u64);
        }
        assert_eq!(got, ["a;b", "ccc", "", "last"]);
        assert_eq!(lines.number(), 4);
        assert_eq!(lines.bytes(), text.len() as u64);

        // A 1 GB "line" is refused after the limit, not read into memory.
        let endless = std::io::repeat(b'x');
        let mut lines = Lines::new(std::io::BufReader::new(endless), 1 << 16);
        match lines.next_line() {
            Err(LineError::TooLong { line: 1, limit }) => assert_eq!(limit, 1 << 16),
            other => panic!("{:?}", other.map(|l| l.map(|(n, _, _)| n))),
        }
    }
}
