// The gemeente's start on the admin page (issue 11 §6): the way to the urgency map, and the
// reports per buurt by name for every observation type, split by answer (panels seen / none /
// can't tell; severity) — k-anonymous counts only, the same the public map and the API release; a
// buurt's split is shown only when no answer in it is withheld (else it would follow from the
// total).

import { http } from '../api/http';
import { formatNumber, lang, onLangChange, t } from '../i18n';
import { byId, h, type Child } from '../ui/element';
import { dataTable, scrollRegion } from '../ui/facts';
import { statusClassLabel } from '../report/labels';

interface Counts {
  readonly state: string;
  readonly records?: number;
  readonly addresses?: number;
}

interface Cell extends Counts {
  readonly buurt: string;
  /** Per answer (status class), when the split gives nothing withheld away; absent on a withheld cell. */
  readonly answers?: Readonly<Record<string, Counts>> | null;
}

interface TypeInfo {
  readonly name: string;
  readonly title: { readonly nl: string; readonly en: string };
  /** Answer value → status class. */
  readonly status_classes: Readonly<Record<string, string>>;
}

/** Shows the gemeente section with its counts per buurt, drawn again when the language changes. */
export async function mountGemeente(): Promise<void> {
  byId('gemeente-section').hidden = false;
  const box = byId('gemeente-counts');
  const [types, areas] = await Promise.all([
    http.json<TypeInfo[]>('GET', '/api/observation-types'),
    http.json<{ code: string; name: string; kind: string }[]>('GET', '/api/areas'),
  ]);
  const names = new Map(areas.map((a) => [a.code, a.name]));
  const answers = await Promise.all(
    types.map((type) => http.json<{ cells: Cell[] }>('GET', `/api/aggregates/observations?type=${encodeURIComponent(type.name)}`)),
  );
  const draw = () => box.replaceChildren(...countsOf(types, answers, names));
  draw();
  onLangChange(draw);
}

/** The tables: per type, its buurten by name with their counts and, where released, per answer. */
function countsOf(types: readonly TypeInfo[], answers: readonly { cells: Cell[] }[], names: ReadonlyMap<string, string>): Node[] {
  const parts: Child[] = [];
  types.forEach((type, i) => {
    const answer = answers[i] ?? { cells: [] };
    const title = lang() === 'nl' ? type.title.nl : type.title.en;
    // The answers given anywhere, in the type's own order.
    const classes = [...new Set(Object.values(type.status_classes))];
    const given = classes.filter((k) => answer.cells.some((c) => c.answers?.[k] !== undefined));
    const rows: Child[][] = answer.cells.map((c) => [
      names.get(c.buurt) ?? t('work.targetUnknown'),
      c.state === 'shown' ? formatNumber(c.records ?? 0) : t('admin.gemeenteWithheld'),
      c.state === 'shown' ? formatNumber(c.addresses ?? 0) : '',
      ...given.map((k) => {
        if (c.state !== 'shown') return '';
        if (!c.answers) return t('admin.gemeenteSplitWithheld');
        const a = c.answers[k];
        return a?.state === 'shown' ? formatNumber(a.records ?? 0) : formatNumber(0);
      }),
    ]);
    const heading = t('admin.gemeenteCounts', { type: title });
    parts.push(h('h3', { text: heading }));
    parts.push(
      rows.length === 0
        ? h('p', { text: t('admin.gemeenteNone') })
        : scrollRegion(
            dataTable([t('admin.gemeenteColBuurt'), t('admin.gemeenteColReports'), t('admin.gemeenteColHomes'), ...given.map((k) => statusClassLabel(k))], rows, true),
            heading,
          ),
    );
    if (answer.cells.some((c) => c.state === 'shown' && !c.answers)) parts.push(h('p', { className: 'hint', text: t('admin.gemeenteSplitHint') }));
  });
  return parts.filter((p): p is Node => p instanceof Node);
}
