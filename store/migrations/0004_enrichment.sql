-- wijkwerk store, schema version 4: enrichment of the registers (issue 12 §1, ADR 14).
-- 3DBAG roof and height attributes per pand (with the LoD2.2 roof parts), the newest EP-Online
-- energy label per verblijfsobject, and trees from municipal tree registers. Every row records its
-- source, like the registers, so that importing a source again replaces it.

-- The source table learns the new kinds (SQLite cannot alter a CHECK constraint: the table is
-- rebuilt; the migration runs with foreign keys off and is checked before it commits) and a count
-- of the enrichment rows a source brought.
CREATE TABLE source_new (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('bag', 'cbs', '3dbag', 'ep-online', 'trees')),
    format      TEXT NOT NULL,
    location    TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    buildings   INTEGER NOT NULL DEFAULT 0,
    addresses   INTEGER NOT NULL DEFAULT 0,
    areas       INTEGER NOT NULL DEFAULT 0,
    enrichment  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO source_new (id, key, kind, format, location, imported_at, buildings, addresses, areas)
    SELECT id, key, kind, format, location, imported_at, buildings, addresses, areas FROM source;
DROP TABLE source;
ALTER TABLE source_new RENAME TO source;

-- 3DBAG per pand. identificatie is the pand's 16-digit id as an integer; the b3_* columns keep
-- 3DBAG's names and units (m², m above NAP). A pand need not be in the building table: 3DBAG
-- covers the country, the BAG import perhaps one gemeente.
CREATE TABLE building_3d (
    identificatie     INTEGER PRIMARY KEY,
    source_id         INTEGER NOT NULL REFERENCES source (id),
    b3_dak_type       TEXT,
    b3_opp_dak_plat   REAL,
    b3_opp_dak_schuin REAL,
    b3_h_maaiveld     REAL,
    b3_h_dak_70p      REAL
);
CREATE INDEX building_3d_source ON building_3d (source_id);

-- The LoD2.2 roof parts of a pand: facing (degrees from north), slope (degrees), area along the
-- slope (m²).
CREATE TABLE roof_part (
    identificatie   INTEGER NOT NULL REFERENCES building_3d (identificatie) ON DELETE CASCADE,
    part            INTEGER NOT NULL,
    b3_azimut       REAL,
    b3_hellingshoek REAL,
    area_m2         REAL NOT NULL,
    PRIMARY KEY (identificatie, part)
) WITHOUT ROWID;

-- The newest EP-Online label of a verblijfsobject (by Pand_registratiedatum, ISO date).
CREATE TABLE energy_label (
    identificatie      INTEGER PRIMARY KEY,
    source_id          INTEGER NOT NULL REFERENCES source (id),
    pand_identificatie INTEGER,
    energieklasse      TEXT NOT NULL,
    registratiedatum   TEXT NOT NULL,
    gebouwklasse       TEXT,
    gebouwtype         TEXT,
    energieindex       REAL
);
CREATE INDEX energy_label_source ON energy_label (source_id);

-- A tree of a municipal register. id is wijkwerk's (source hash and record number, stable across
-- imports of the same file); number is the register's own, which need not be unique.
CREATE TABLE tree (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES source (id),
    number        TEXT NOT NULL,
    species       TEXT,
    planting_year INTEGER,
    lon           REAL NOT NULL,
    lat           REAL NOT NULL
);
CREATE INDEX tree_source ON tree (source_id);
