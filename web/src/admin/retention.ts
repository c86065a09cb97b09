// Retention rules and their last runs (GET /api/admin/retention) and "Nu uitvoeren"
// (POST /api/admin/retention/run, answering with counts only). Shown as the server sends them:
// lists of objects as tables, other fields as facts.

import { admin } from '../api/admin';
import type { JsonObject, JsonValue } from '../api/http';
import { onLangChange, t } from '../i18n';
import { byId, h } from '../ui/element';
import { factsList, fieldLabel, formatValue, recordsTable } from '../ui/facts';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isObjectList(value: JsonValue | undefined): value is JsonObject[] {
  return Array.isArray(value) && value.length > 0 && value.every(isObject);
}

/** Any JSON answer as readable blocks. */
export function renderJson(value: JsonValue, label: string): Node[] {
  if (isObjectList(value)) return [recordsTable(value, label)];
  if (Array.isArray(value)) return [h('p', { text: formatValue(value) })];
  if (!isObject(value)) return [h('p', { text: formatValue(value) })];
  const nodes: Node[] = [];
  const plain: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    if (isObjectList(inner)) nodes.push(h('h3', { text: fieldLabel(key) }), recordsTable(inner, fieldLabel(key)));
    else plain[key] = inner;
  }
  if (Object.keys(plain).length > 0) nodes.unshift(factsList(plain));
  return nodes;
}

export function mountRetention(): void {
  const section = byId('retention-section');
  const body = byId('retention-body');
  const result = byId('retention-result');
  const notice = new Notice(byId('retention-notice'));
  let rules: JsonValue | null = null;
  let removed: JsonValue | null = null;

  const render = () => {
    const empty = rules === null || (Array.isArray(rules) && rules.length === 0);
    body.replaceChildren(...(empty ? [h('p', { i18n: 'admin.retentionEmpty' })] : renderJson(rules ?? null, t('admin.retention'))));
    result.replaceChildren(...(removed === null ? [] : [h('p', { i18n: 'admin.retentionDone' }), ...renderJson(removed, t('admin.retentionDone'))]));
  };

  const load = async () => {
    try {
      rules = await admin.retention();
      render();
    } catch (error) {
      notice.error(error);
    }
  };

  byId('retention-run').addEventListener('click', () =>
    void whileBusy(section, async () => {
      notice.show('info', { key: 'form.busy' });
      try {
        removed = await admin.runRetention();
        notice.clear();
        await load();
        result.setAttribute('tabindex', '-1');
        result.focus();
      } catch (error) {
        notice.error(error);
      }
    }),
  );
  onLangChange(render);
  section.hidden = false;
  void load();
}
