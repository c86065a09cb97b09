//! The GeoPackage 1.3 core tables a features-only file needs, and the spatial reference systems the
//! writer defines. The table definitions are those the standard prescribes (OGC 12-128r18, Annex C).

/// `application_id` of a GeoPackage: the ASCII bytes `GPKG`.
pub(crate) const APPLICATION_ID: i32 = 0x4750_4B47;
/// `user_version` of GeoPackage 1.3.0.
pub(crate) const USER_VERSION: i32 = 10_300;

pub(crate) const CORE_TABLES: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
";

/// One row of `gpkg_spatial_ref_sys`.
pub(crate) struct SrsRow {
    pub(crate) srs_id: i32,
    pub(crate) name: &'static str,
    pub(crate) organization: &'static str,
    pub(crate) code: i32,
    pub(crate) definition: &'static str,
    pub(crate) description: &'static str,
}

/// The three rows every GeoPackage must have, plus RD New (EPSG:28992), the CRS of all Dutch
/// register data. The RD New datum shift is the one of `ingest::RD_NEW`.
pub(crate) const SPATIAL_REF_SYS: &[SrsRow] = &[
    SrsRow {
        srs_id: -1,
        name: "Undefined cartesian SRS",
        organization: "NONE",
        code: -1,
        definition: "undefined",
        description: "undefined cartesian coordinate reference system",
    },
    SrsRow {
        srs_id: 0,
        name: "Undefined geographic SRS",
        organization: "NONE",
        code: 0,
        definition: "undefined",
        description: "undefined geographic coordinate reference system",
    },
    SrsRow {
        srs_id: 4326,
        name: "WGS 84 geodetic",
        organization: "EPSG",
        code: 4326,
        definition: concat!(
            r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],"#,
            r#"AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],"#,
            r#"UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],"#,
            r#"AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#,
        ),
        description: "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
    },
    SrsRow {
        srs_id: 28992,
        name: "Amersfoort / RD New",
        organization: "EPSG",
        code: 28992,
        definition: concat!(
            r#"PROJCS["Amersfoort / RD New",GEOGCS["Amersfoort",DATUM["Amersfoort","#,
            r#"SPHEROID["Bessel 1841",6377397.155,299.1528128,AUTHORITY["EPSG","7004"]],"#,
            r#"TOWGS84[565.7381,50.4018,465.2904,-0.395026,0.330772,-1.876073,4.07244],AUTHORITY["EPSG","6289"]],"#,
            r#"PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],"#,
            r#"AUTHORITY["EPSG","4289"]],PROJECTION["Oblique_Stereographic"],"#,
            r#"PARAMETER["latitude_of_origin",52.1561605555556],PARAMETER["central_meridian",5.38763888888889],"#,
            r#"PARAMETER["scale_factor",0.9999079],PARAMETER["false_easting",155000],PARAMETER["false_northing",463000],"#,
            r#"UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],"#,
            r#"AUTHORITY["EPSG","28992"]]"#,
        ),
        description: "Rijksdriehoeksstelsel (RD New), the national grid of the Netherlands",
    },
];

/// The R-tree extension as `gpkg_extensions` names it.
pub(crate) const RTREE_EXTENSION: &str = "gpkg_rtree_index";
pub(crate) const RTREE_DEFINITION: &str = "http://www.geopackage.org/spec120/#extension_rtree";
