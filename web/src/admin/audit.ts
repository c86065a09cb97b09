// The audit log (GET /api/admin/audit?limit=&before=), newest first, a page at a time. The
// contract does not list the fields of an event, so the table shows the fields the server sends.

import { admin } from '../api/admin';
import type { JsonObject } from '../api/http';
import { onLangChange, t } from '../i18n';
import { byId, h } from '../ui/element';
import { recordsTable } from '../ui/facts';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';

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

export function mountAudit(): void {
  const section = byId('audit-section');
  const container = byId('audit-table');
  const more = byId<HTMLButtonElement>('audit-more');
  const notice = new Notice(byId('audit-notice'));
  let events: JsonObject[] = [];

  const render = () => {
    container.replaceChildren(
      events.length === 0 ? h('p', { i18n: 'admin.auditEmpty' }) : recordsTable(events, t('admin.audit')),
    );
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

  byId('audit-refresh').addEventListener('click', () => void whileBusy(section, () => load(false)));
  more.addEventListener('click', () => void whileBusy(section, () => load(true)));
  onLangChange(render);
  section.hidden = false;
  void load(false);
}
