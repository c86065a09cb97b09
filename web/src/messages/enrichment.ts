// Strings of the enrichment layers (3DBAG, energy labels, trees). Merged into the catalogue by
// i18n.ts; the English keys must match the Dutch ones.

export const ENRICHMENT_NL = {
  'legend.trees': 'Bomen (gemeentelijk bomenregister)',
  'legend.tree': 'Boom',
  'tree.popup': 'Boom {number}',
  'tree.popupSpecies': 'Boom {number}: {species}',
  'tree.planted': 'geplant in {year}',
};

export const ENRICHMENT_EN: Record<keyof typeof ENRICHMENT_NL, string> = {
  'legend.trees': 'Trees (municipal tree register)',
  'legend.tree': 'Tree',
  'tree.popup': 'Tree {number}',
  'tree.popupSpecies': 'Tree {number}: {species}',
  'tree.planted': 'planted in {year}',
};
