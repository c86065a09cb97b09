// Areas for the pickers: CBS areas (GET /api/areas, everyone) and, for admins, the drawn areas
// (GET /api/admin/custom-areas), listed with the scope that names them.

import { admin, type Area, type CustomArea } from '../api/admin';
import { onLangChange, t } from '../i18n';
import { byId, h } from '../ui/element';
import { Notice } from '../ui/notice';
import { customAreaScope, fillAreaOptions } from './scope';

/** Fills the area suggestions; shows the drawn areas when `isAdmin`. */
export async function mountAreas(isAdmin: boolean): Promise<void> {
  let areas: Area[] = [];
  let custom: CustomArea[] = [];
  try {
    areas = await admin.areas();
  } catch {
    // Suggestions only: typing a code still works.
  }
  if (isAdmin) {
    const section = byId('areas-section');
    const list = byId('custom-areas');
    const notice = new Notice(byId('areas-notice'));
    try {
      custom = await admin.customAreas();
    } catch (error) {
      notice.error(error);
    }
    const render = () => {
      list.replaceChildren(
        ...(custom.length === 0
          ? [h('li', { i18n: 'admin.customAreasEmpty' })]
          : custom.map((c) => h('li', { text: t('admin.customArea', { name: c.name, scope: customAreaScope(c) }) }))),
      );
    };
    render();
    onLangChange(render);
    section.hidden = false;
  }
  fillAreaOptions(byId<HTMLDataListElement>('scope-options'), areas, custom, true);
  fillAreaOptions(byId<HTMLDataListElement>('area-options'), areas, [], false);
}
