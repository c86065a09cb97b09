//! What the writer is told: a layer's declared geometry type and columns, and the values of a row.

use rusqlite::ToSql;
use rusqlite::types::{ToSqlOutput, ValueRef};

/// The declared geometry type of a layer (`gpkg_geometry_columns.geometry_type_name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryKind {
    /// Any geometry.
    Geometry,
    /// `POINT`.
    Point,
    /// `LINESTRING`.
    LineString,
    /// `POLYGON`.
    Polygon,
    /// `MULTIPOINT`.
    MultiPoint,
    /// `MULTILINESTRING`.
    MultiLineString,
    /// `MULTIPOLYGON`.
    MultiPolygon,
}

impl GeometryKind {
    /// The name GeoPackage uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Geometry => "GEOMETRY",
            Self::Point => "POINT",
            Self::LineString => "LINESTRING",
            Self::Polygon => "POLYGON",
            Self::MultiPoint => "MULTIPOINT",
            Self::MultiLineString => "MULTILINESTRING",
            Self::MultiPolygon => "MULTIPOLYGON",
        }
    }
}

/// The declared type of an attribute column (GeoPackage 1.3 §1.1.1.1.3 data types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// `BOOLEAN` (0 or 1).
    Boolean,
    /// `INTEGER` (64-bit).
    Integer,
    /// `MEDIUMINT` (32-bit; what CBS declares its counts as).
    MediumInt,
    /// `REAL`.
    Real,
    /// `DOUBLE`.
    Double,
    /// `TEXT`.
    Text,
    /// `DATE` (ISO 8601 text).
    Date,
    /// `DATETIME` (ISO 8601 text).
    DateTime,
}

impl ColumnType {
    /// The name GeoPackage uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Boolean => "BOOLEAN",
            Self::Integer => "INTEGER",
            Self::MediumInt => "MEDIUMINT",
            Self::Real => "REAL",
            Self::Double => "DOUBLE",
            Self::Text => "TEXT",
            Self::Date => "DATE",
            Self::DateTime => "DATETIME",
        }
    }
}

/// A features layer to create: table `name` with `fid INTEGER PRIMARY KEY AUTOINCREMENT`, a `geom`
/// column of `geometry` type, then `columns` in order.
#[derive(Debug, Clone, Copy)]
pub struct LayerSpec<'a> {
    /// Table name (also the `identifier` in `gpkg_contents`).
    pub name: &'a str,
    /// Declared geometry type.
    pub geometry: GeometryKind,
    /// Spatial reference system: -1, 0, 4326 or 28992.
    pub srs_id: i32,
    /// Attribute columns (name, type).
    pub columns: &'a [(&'a str, ColumnType)],
    /// `gpkg_contents.description`.
    pub description: &'a str,
}

/// One attribute value to insert.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldValue<'a> {
    /// SQL NULL.
    Null,
    /// An integer.
    Integer(i64),
    /// A double.
    Real(f64),
    /// A text.
    Text(&'a str),
}

impl From<i64> for FieldValue<'_> {
    fn from(v: i64) -> Self {
        Self::Integer(v)
    }
}

impl From<u32> for FieldValue<'_> {
    fn from(v: u32) -> Self {
        Self::Integer(i64::from(v))
    }
}

impl From<i32> for FieldValue<'_> {
    fn from(v: i32) -> Self {
        Self::Integer(i64::from(v))
    }
}

impl From<f64> for FieldValue<'_> {
    fn from(v: f64) -> Self {
        Self::Real(v)
    }
}

impl<'a> From<&'a str> for FieldValue<'a> {
    fn from(v: &'a str) -> Self {
        Self::Text(v)
    }
}

impl<'a, T: Into<FieldValue<'a>>> From<Option<T>> for FieldValue<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Null, Into::into)
    }
}

impl ToSql for FieldValue<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Self::Null => ValueRef::Null,
            Self::Integer(v) => ValueRef::Integer(v),
            Self::Real(v) => ValueRef::Real(v),
            Self::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}
