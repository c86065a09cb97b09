// Strings of the enrichment layers (3DBAG, energy labels, trees). Merged into the catalogue by
// i18n.ts; the English keys must match the Dutch ones.

export const ENRICHMENT_NL = {
  'legend.trees': 'Bomen (gemeentelijk bomenregister)',
  'legend.tree': 'Boom',
  'tree.popup': 'Boom {number}',
  'tree.popupSpecies': 'Boom {number}: {species}',
  'tree.planted': 'geplant in {year}',
  'panel.dak': 'dak (3DBAG)',
  'panel.dakValue': '{type}; {flat} m² plat, {sloped} m² schuin',
  'panel.dakZon': 'dak geschikt voor zonnepanelen',
  'panel.energielabels': 'energielabels (EP-Online)',
  'roofType.slanted': 'schuin dak',
  'roofType.multipleHorizontal': 'meerdere platte daken',
  'roofType.singleHorizontal': 'plat dak',
  'roofType.horizontal': 'plat dak',
  'roofType.unknown': 'dakvorm onbekend',
};

export const ENRICHMENT_EN: Record<keyof typeof ENRICHMENT_NL, string> = {
  'legend.trees': 'Trees (municipal tree register)',
  'legend.tree': 'Tree',
  'tree.popup': 'Tree {number}',
  'tree.popupSpecies': 'Tree {number}: {species}',
  'tree.planted': 'planted in {year}',
  'panel.dak': 'roof (3DBAG)',
  'panel.dakValue': '{type}; {flat} m² flat, {sloped} m² sloped',
  'panel.dakZon': 'roof suitable for solar panels',
  'panel.energielabels': 'energy labels (EP-Online)',
  'roofType.slanted': 'sloped roof',
  'roofType.multipleHorizontal': 'several flat roofs',
  'roofType.singleHorizontal': 'flat roof',
  'roofType.horizontal': 'flat roof',
  'roofType.unknown': 'roof shape unknown',
};
