//! Progress reporting for long imports, without tying the library to a terminal.

/// Receives progress of a long import. The CLI shows it as a progress bar.
pub trait Progress: Sync {
    /// A new phase starts, e.g. "panden"; `len` is the expected number of steps when known.
    fn phase(&self, name: &str, len: Option<u64>);
    /// `n` more steps of the current phase are done.
    fn advance(&self, n: u64);
}

/// Progress that goes nowhere (tests, scripts).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn phase(&self, _name: &str, _len: Option<u64>) {}
    fn advance(&self, _n: u64) {}
}
