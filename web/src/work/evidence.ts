// Why a work item exists, in words: the facts its rule read (field names and values as the rules
// name them become the catalogue's words) and its status history. Nothing here shows a field
// name, an enum value or a code as sent.

import { formatNumber, isMessageKey, t, type MessageKey } from '../i18n';
import { statusClassLabel } from '../report/labels';
import { formatDateTime } from '../ui/facts';
import { buildingStatusLabel, readable } from '../ui/words';
import { statusLabel } from './labels';

/** A fact as the API sends it: `[field, value]`, the value null when missing. */
export type Fact = readonly [string, string | number | boolean | null];

export interface HistoryEntry {
  readonly status: string;
  readonly at: string;
  readonly by_you: boolean;
}

const ASPECTS = ['status_class', 'reports', 'confirmations', 'age_days', 'nearby_30d', 'reports_30d'] as const;

/** Fields that hold a year: written without a thousands separator. */
const YEARS = ['bouwjaar', 'plantjaar'];

/** Names of things the words depend on: observation types and areas. */
export interface Namer {
  readonly typeTitle: (type: string) => string;
  readonly areaName: (code: string) => string | undefined;
}

/** The words for a field of a rule. */
export function factLabel(field: string, namer: Namer): string {
  const dot = field.lastIndexOf('.');
  if (dot > 0) {
    const aspect = field.slice(dot + 1);
    if ((ASPECTS as readonly string[]).includes(aspect)) {
      return t(`work.aspect.${aspect}` as MessageKey, { type: namer.typeTitle(field.slice(0, dot)) });
    }
  }
  const key = `work.field.${field}`;
  if (isMessageKey(key)) return t(key);
  const use = `use.${field}`;
  return t('work.field.use', { use: isMessageKey(use) ? t(use) : readable(field) });
}

/** The words for a fact's value. */
export function factValue(field: string, value: Fact[1], namer: Namer): string {
  if (value === null) return t('work.missing');
  if (typeof value === 'boolean') return t(value ? 'facts.yes' : 'facts.no');
  if (typeof value === 'number') {
    return YEARS.includes(field) ? String(Math.round(value)) : formatNumber(Math.round(value * 10) / 10);
  }
  if (field.endsWith('.status_class')) return value === 'none' ? t('work.noReport') : statusClassLabel(value);
  if (field === 'pand_status') return buildingStatusLabel(value);
  if (field === 'b3_dak_type') {
    const key = `roofType.${value.replace(/ (\w)/g, (_, c: string) => c.toUpperCase())}`;
    return isMessageKey(key) ? t(key) : t('roofType.unknown');
  }
  if (field === 'buurtcode' || field === 'wijkcode' || field === 'gemeentecode') return namer.areaName(value) ?? t('work.missing');
  return value;
}

/** One line per status change, oldest first. */
export function historyLine(entry: HistoryEntry): string {
  const date = formatDateTime(entry.at) ?? entry.at;
  return t(entry.by_you ? 'work.historyByYou' : 'work.historyEntry', { date, status: statusLabel(entry.status) });
}
