-- wijkwerk store, schema version 1: the registers (BAG, CBS) and where each row came from.
-- Geometry is WKB in WGS84 lon/lat (EPSG:4326 axis order lon, lat as RFC 7946).

CREATE TABLE source (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('bag', 'cbs')),
    format      TEXT NOT NULL,
    location    TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    buildings   INTEGER NOT NULL DEFAULT 0,
    addresses   INTEGER NOT NULL DEFAULT 0,
    areas       INTEGER NOT NULL DEFAULT 0
);

-- BAG pand. identificatie is the 16-digit id as an integer (printed with leading zeros).
CREATE TABLE building (
    identificatie INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES source (id),
    bouwjaar      INTEGER NOT NULL,
    status        TEXT NOT NULL,
    gebruiksdoel  TEXT NOT NULL,
    units         INTEGER NOT NULL,
    buurtcode     TEXT,
    wijkcode      TEXT,
    gemeentecode  TEXT,
    footprint     BLOB NOT NULL
);
CREATE INDEX building_source ON building (source_id);

-- BAG verblijfsobject (or ligplaats/standplaats) joined with its hoofdadres.
CREATE TABLE address (
    identificatie  INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL REFERENCES source (id),
    lon            REAL NOT NULL,
    lat            REAL NOT NULL,
    street         TEXT NOT NULL,
    house_number   INTEGER NOT NULL,
    house_letter   TEXT,
    addition       TEXT,
    postcode       TEXT,
    place          TEXT NOT NULL,
    status         TEXT NOT NULL,
    gebruiksdoel   TEXT NOT NULL,
    floor_area_m2  INTEGER,
    building_ids   TEXT NOT NULL,  -- comma-separated 16-digit pand ids
    buurtcode      TEXT,
    wijkcode       TEXT,
    gemeentecode   TEXT
);
CREATE INDEX address_source ON address (source_id);

-- CBS gemeente, wijk or buurt.
CREATE TABLE area (
    code        TEXT PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES source (id),
    kind        TEXT NOT NULL CHECK (kind IN ('gemeente', 'wijk', 'buurt')),
    name        TEXT NOT NULL,
    residents   INTEGER,
    households  INTEGER,
    boundary    BLOB NOT NULL
);
CREATE INDEX area_source ON area (source_id);
