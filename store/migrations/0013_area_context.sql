-- CBS context of an area beside residents and households (issue 14): the share of residents aged
-- 65 and older (whole percent, 0–100) and residents per km² of land, from the wijk- en
-- buurtkaart's `percentage_personen_65_jaar_en_ouder` and `bevolkingsdichtheid_inwoners_per_km2`.
-- NULL when CBS withheld or lacks the figure, and for areas imported before this column existed
-- (import the CBS file again to fill them).
ALTER TABLE area ADD COLUMN share_65_plus INTEGER CHECK (share_65_plus BETWEEN 0 AND 100);
ALTER TABLE area ADD COLUMN density INTEGER CHECK (density >= 0);
