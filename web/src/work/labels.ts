// How the work page names things: a work kind by its title, a status in words, a target by its
// address (never an id).

import { formatNumber, lang, t, type MessageKey } from '../i18n';

export const STATUSES = ['open', 'planned', 'in_progress', 'done', 'not_wanted', 'not_applicable'] as const;
export type WorkStatus = (typeof STATUSES)[number];

export interface Text {
  readonly nl: string;
  readonly en: string;
}

export interface WorkKind {
  readonly kind: string;
  readonly title: Text;
  readonly unit: Text;
}

export interface About {
  readonly kind: 'pand' | 'verblijfsobject' | 'public_space' | 'tree';
  readonly address?: string | null;
  readonly near?: string | null;
  /** A register tree's own number and species (kind `tree`). */
  readonly tree?: string | null;
  readonly species?: string | null;
  readonly addresses: number;
}

export function isStatus(s: string): s is WorkStatus {
  return (STATUSES as readonly string[]).includes(s);
}

export function statusLabel(status: string): string {
  return isStatus(status) ? t(`work.st.${status}` as MessageKey) : t('work.targetUnknown');
}

export function text(x: Text): string {
  return lang() === 'en' ? x.en : x.nl;
}

/** The kind's title, from the rules; a kind the page does not know is named by nothing technical. */
export function kindTitle(kinds: readonly WorkKind[], kind: string): string {
  const k = kinds.find((x) => x.kind === kind);
  return k ? text(k.title) : t('work.targetUnknown');
}

export function kindUnit(kinds: readonly WorkKind[], kind: string): string {
  const k = kinds.find((x) => x.kind === kind);
  return k ? text(k.unit) : '';
}

/** Where the work is, as people say it: the address, the public space near one, or a tree. */
export function targetLabel(about: About): string {
  if (about.kind === 'tree') {
    const tree = about.species
      ? t('work.targetTreeSpecies', { number: about.tree ?? '', species: about.species })
      : t('work.targetTree', { number: about.tree ?? '' });
    return about.near ? t('work.targetTreeNear', { tree, near: about.near }) : tree;
  }
  if (about.kind === 'public_space') {
    return about.near ? t('work.targetNear', { near: about.near }) : t('work.targetSpot');
  }
  if (!about.address) return t('work.targetUnknown');
  if (about.kind === 'pand' && about.addresses > 1) {
    return t('work.targetMore', { address: about.address, count: about.addresses - 1 });
  }
  return about.address;
}

export function sizeLabel(size: number, unit: string): string {
  return t('work.size', { size: formatNumber(Math.round(size * 10) / 10), unit });
}
