// The CBS figures beside an area's indicator on the urgency page: inhabitants, households, the
// share aged 65 and over and the population density, as the wijk- en buurtkaart gives them.

import { t, type Lang, lang } from '../i18n';
import { formatCount, formatPercent } from '../ui/words';

/** The CBS figures of a CBS area (`context` of a cell); null where CBS withheld or lacks one. */
export interface CbsContext {
  readonly inwoners: number | null;
  readonly huishoudens: number | null;
  /** Whole percent, 0–100. */
  readonly percentage_65_plus: number | null;
  /** Inhabitants per km² of land. */
  readonly bevolkingsdichtheid: number | null;
}

/** The figures as sentences, each missing one said to be unknown. */
export function contextText(c: CbsContext, language: Lang = lang()): string {
  const unknown = t('urgency.contextUnknown', {}, language);
  const known = (v: number | null, text: (v: number) => string) => (v === null ? unknown : text(v));
  const count = (v: number) => formatCount(v, language);
  return [
    t('urgency.context', { inwoners: known(c.inwoners, count), huishoudens: known(c.huishoudens, count) }, language),
    t('urgency.contextOlder', { share: known(c.percentage_65_plus, (v) => formatPercent(v, language)) }, language),
    t(
      'urgency.contextDensity',
      { density: known(c.bevolkingsdichtheid, (v) => t('urgency.inhabitantsPerKm2', { value: count(v) }, language)) },
      language,
    ),
  ].join(' ');
}
