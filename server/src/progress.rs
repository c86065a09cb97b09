//! Import progress as a terminal progress bar (hidden when stderr is not a terminal).

use indicatif::{ProgressBar, ProgressStyle};

/// An `ingest::Progress` drawn with indicatif.
#[derive(Debug)]
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar for one file.
    pub fn new(label: &str) -> Self {
        let bar = ProgressBar::new(0);
        bar.set_prefix(label.to_owned());
        Self { bar }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl ingest::Progress for Bar {
    fn phase(&self, name: &str, len: Option<u64>) {
        let style = match len {
            Some(n) => {
                self.bar.set_length(n);
                ProgressStyle::with_template(
                    "{prefix} {msg:>16} [{bar:30}] {human_pos}/{human_len} ({per_sec}, {eta})",
                )
            }
            None => {
                ProgressStyle::with_template("{prefix} {msg:>16} {spinner} {human_pos} ({per_sec})")
            }
        };
        if let Ok(style) = style {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_position(0);
        self.bar.set_message(name.to_owned());
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
}
