//! Errors of the tile engine.

/// What is wrong with a tile request.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// A path segment is not a number.
    #[error("tile coordinate {part} must be a non-negative integer, got {value:?}")]
    MalformedCoord {
        /// `z`, `x` or `y`.
        part: &'static str,
        /// What was given (truncated).
        value: String,
    },
    /// Zoom beyond what is served.
    #[error("zoom {z} is out of range: 0..={max}")]
    ZoomOutOfRange {
        /// Zoom asked for.
        z: u8,
        /// Deepest zoom.
        max: u8,
    },
    /// Column or row beyond `2^z - 1`.
    #[error("tile {z}/{x}/{y} does not exist: x and y must be below 2^{z}")]
    TileOutOfRange {
        /// Zoom.
        z: u8,
        /// Column.
        x: u32,
        /// Row.
        y: u32,
    },
    /// No such layer.
    #[error("unknown tile layer {0:?}")]
    UnknownLayer(String),
}

/// Result with the tiles [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
