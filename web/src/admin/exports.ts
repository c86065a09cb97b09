// Downloading reports (GET /api/exports/observations.{csv,geojson,gpkg}?area=&type=&contact=): an
// area picked by name from the CBS areas inside the caller's export scope, the observation type by
// its title, the format, and whether contact details of reporters who consented go along. For the
// roles the policy lets export reports (the admin, a wijkondernemer in its scope); the server
// checks again and audits every export.

import type { Area } from '../api/admin';
import type { RoleGrant } from '../api/auth';
import { http } from '../api/http';
import type { ObservationType } from '../api/reports';
import { lang, onLangChange, t, type MessageKey } from '../i18n';
import { byId, h } from '../ui/element';
import { setInvalid, whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { areaChoices, EXPORT_ACCEPT, exportPath, type AreaChoice, type ExportFormat } from './exportChoices';
import { saveBlob } from './letters';

/** The roles whose grants may export reports (domain/src/access/policy.rs, `Purpose::Export`). */
export const EXPORT_ROLES = ['admin', 'wijkondernemer'] as const;

const GROUPS: readonly (readonly [AreaChoice['kind'], MessageKey])[] = [
  ['gemeente', 'admin.exportGemeenten'],
  ['wijk', 'admin.exportWijken'],
  ['buurt', 'admin.exportBuurten'],
];

function choiceLabel(c: AreaChoice): string {
  return c.parent ? t('admin.exportAreaIn', { name: c.name, parent: c.parent }) : c.name;
}

/** Shows the exports section for `grants` (the caller's roles) with `areas` to pick from. */
export async function mountExports(grants: readonly RoleGrant[], areas: readonly Area[]): Promise<void> {
  const scopes = grants.filter((g) => (EXPORT_ROLES as readonly string[]).includes(g.role)).map((g) => g.scope);
  if (scopes.length === 0) return;
  const section = byId('exports-section');
  const form = byId<HTMLFormElement>('exports-form');
  const area = byId<HTMLSelectElement>('export-area');
  const type = byId<HTMLSelectElement>('export-type');
  const contact = byId<HTMLInputElement>('export-contact');
  const notice = new Notice(byId('exports-notice'));
  const choices = areaChoices(areas, scopes);
  let types: ObservationType[] = [];
  try {
    types = await http.json<ObservationType[]>('GET', '/api/observation-types');
  } catch (error) {
    notice.error(error);
  }
  const typeTitle = (name: string) => {
    const found = types.find((x) => x.name === name);
    return found ? found.title[lang()] : '';
  };

  const fill = () => {
    const chosenArea = area.value;
    const chosenType = type.value;
    area.replaceChildren(
      h('option', { attrs: { value: '' }, text: t('admin.exportPickArea') }),
      ...GROUPS.map(([kind, label]): HTMLOptGroupElement[] => {
        const options = choices.filter((c) => c.kind === kind).map((c) => h('option', { attrs: { value: c.code }, text: choiceLabel(c) }));
        return options.length > 0 ? [h('optgroup', { attrs: { label: t(label) } }, ...options)] : [];
      }).flat(),
    );
    area.value = chosenArea;
    type.replaceChildren(
      h('option', { attrs: { value: '' }, text: t('admin.exportPickType') }),
      ...[...types]
        .sort((a, b) => a.title[lang()].localeCompare(b.title[lang()], lang()))
        .map((x) => h('option', { attrs: { value: x.name }, text: x.title[lang()] })),
    );
    type.value = chosenType;
  };
  // The last download's message, said again in the new language.
  let done: { type: string; area: string; format: ExportFormat } | null = null;
  const sayDone = () => {
    if (!done) return;
    const c = choices.find((x) => x.code === done?.area);
    notice.show('success', {
      key: 'admin.exportDone',
      params: { type: typeTitle(done.type), area: c ? choiceLabel(c) : '', format: t(`admin.exportFormat.${done.format}`) },
    });
  };
  fill();
  onLangChange(() => {
    fill();
    sayDone();
  });
  if (choices.length === 0) notice.show('info', { key: 'admin.exportNoAreas' });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const checks: [HTMLSelectElement, MessageKey][] = [
      [area, 'admin.exportAreaRequired'],
      [type, 'admin.exportTypeRequired'],
    ];
    for (const [select] of checks) setInvalid(select, select.value === '');
    const missing = checks.find(([select]) => select.value === '');
    if (missing) {
      done = null;
      notice.show('error', { key: missing[1] });
      missing[0].focus();
      return;
    }
    const format = (form.querySelector<HTMLInputElement>('input[name="export-format"]:checked')?.value ?? 'csv') as ExportFormat;
    const chosen = { area: area.value, type: type.value, format, contact: contact.checked };
    void whileBusy(form, async () => {
      notice.show('info', { key: 'form.busy' });
      try {
        const file = await http.download('GET', exportPath(chosen), undefined, EXPORT_ACCEPT[format]);
        saveBlob(file.blob, file.filename ?? `meldingen-${chosen.type}-${chosen.area}.${format}`);
        done = { type: chosen.type, area: chosen.area, format };
        sayDone();
      } catch (error) {
        done = null;
        notice.error(error);
      }
    });
  });
  section.hidden = false;
}
