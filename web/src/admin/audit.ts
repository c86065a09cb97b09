// The audit log (GET /api/admin/audit?limit=&before=), newest first, a page at a time, in words:
// when, who (the account's e-mail address, else the actor in words), what (the action), what about
// (the account's e-mail address, else the target in words) and the details (ui/auditWords.ts).
// Filterable by what was done and by text in who, what about and the details, over the events
// loaded so far ("Oudere gebeurtenissen laden" loads more).

import { admin } from '../api/admin';
import type { JsonObject } from '../api/http';
import { lang, onLangChange, t } from '../i18n';
import { byId, h } from '../ui/element';
import { dataTable, formatValue, scrollRegion } from '../ui/facts';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { codeLabel, fieldLabel, formatCount } from '../ui/words';
import { useAuditNames } from '../ui/auditWords';
import { reports } from '../api/reports';

const PAGE = 50;

/** The `before` of the next page: the oldest event's id, else its time. */
export function auditCursor(events: readonly JsonObject[]): string | undefined {
  const last = events.at(-1);
  if (!last) return undefined;
  for (const key of ['id', 'at', 'created_at', 'time']) {
    const value = last[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}

const text = (value: JsonObject[string] | undefined): string => (typeof value === 'string' ? value : '');

/** One event as the cells of its row: when, who, what, what about, details. */
export function auditRow(e: JsonObject): [string, string, string, string, string] {
  const language = lang();
  const who = text(e['actor_email']) || formatValue(text(e['actor']), language, 'actor');
  const action = text(e['action']);
  const what = codeLabel('action', action, language) ?? formatValue(action, language);
  const about = text(e['target_email']) || (text(e['target']) ? formatValue(text(e['target']), language, 'target') : '');
  const detail = text(e['detail']) ? formatValue(text(e['detail']), language, 'detail') : '';
  return [formatValue(text(e['at']), language, 'at'), who, what, about, detail];
}

/** The events matching the chosen action (all when empty) and the search text (in who, about, details). */
export function filterAudit(events: readonly JsonObject[], action: string, query: string): JsonObject[] {
  const q = query.trim().toLocaleLowerCase();
  return events.filter((e) => {
    if (action && e['action'] !== action) return false;
    if (!q) return true;
    const [, who, , about, detail] = auditRow(e);
    return [who, about, detail].some((cell) => cell.toLocaleLowerCase().includes(q));
  });
}

export function mountAudit(): void {
  const section = byId('audit-section');
  const container = byId('audit-table');
  const more = byId<HTMLButtonElement>('audit-more');
  const filter = byId<HTMLInputElement>('audit-filter');
  const actionSelect = byId<HTMLSelectElement>('audit-action');
  const notice = new Notice(byId('audit-notice'));
  let events: JsonObject[] = [];

  /** The actions among the loaded events, in words, sorted; the chosen one kept. */
  const renderActions = () => {
    const chosen = actionSelect.value;
    const actions = [...new Set(events.map((e) => text(e['action'])).filter(Boolean))];
    const options = actions
      .map((a) => [a, codeLabel('action', a) ?? formatValue(a)] as const)
      .sort(([, a], [, b]) => a.localeCompare(b, lang()));
    actionSelect.replaceChildren(
      h('option', { text: t('admin.auditAllActions'), attrs: { value: '' } }),
      ...options.map(([value, label]) => h('option', { text: label, attrs: { value } })),
    );
    actionSelect.value = actions.includes(chosen) ? chosen : '';
  };

  const render = () => {
    renderActions();
    if (events.length === 0) {
      container.replaceChildren(h('p', { i18n: 'admin.auditEmpty' }));
      return;
    }
    const shown = filterAudit(events, actionSelect.value, filter.value);
    if (shown.length === 0) {
      container.replaceChildren(h('p', { text: t('admin.auditNoMatch', { count: formatCount(events.length) }) }));
      return;
    }
    const headers = ['at', 'actor', 'action', 'target', 'detail'].map((f) => fieldLabel(f));
    container.replaceChildren(scrollRegion(dataTable(headers, shown.map(auditRow)), t('admin.audit')));
  };

  const load = async (older: boolean) => {
    try {
      const page = await admin.audit(PAGE, older ? auditCursor(events) : undefined);
      events = older ? [...events, ...page] : page;
      more.hidden = page.length < PAGE;
      if (older && page.length < PAGE) notice.show('info', { key: 'admin.auditEnd' });
      else notice.clear();
      render();
    } catch (error) {
      notice.error(error);
    }
  };

  // Codes in words: observation types by their titles, areas (CBS and drawn) by their names.
  void Promise.all([reports.types().catch(() => []), admin.areas().catch(() => []), admin.customAreas().catch(() => [])]).then(
    ([types, areas, drawn]) => {
      const areaNames = new Map<string, string>([
        ...areas.map((a) => [a.code, a.name] as [string, string]),
        ...drawn.map((d) => [`polygon:${d.id}`, d.name] as [string, string]),
      ]);
      useAuditNames({
        typeTitle: (name, language) => {
          const type = types.find((ty) => ty.name === name);
          return type ? (language === 'en' ? type.title.en : type.title.nl) : undefined;
        },
        areaName: (code) => areaNames.get(code),
      });
      render();
    },
  );
  byId('audit-refresh').addEventListener('click', () => void whileBusy(section, () => load(false)));
  more.addEventListener('click', () => void whileBusy(section, () => load(true)));
  filter.addEventListener('input', render);
  actionSelect.addEventListener('change', render);
  onLangChange(render);
  section.hidden = false;
  void load(false);
}
