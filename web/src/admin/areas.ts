// Areas for the pickers: CBS areas (GET /api/areas, everyone) and, for admins, the drawn areas
// (GET /api/admin/custom-areas), listed with the scope that names them, and the map to draw a new
// one on (drawMap.ts): a saved area is listed and offered in the pickers at once.

import { admin, type Area, type CustomArea } from '../api/admin';
import { onLangChange, t } from '../i18n';
import { byId, h } from '../ui/element';
import { Notice } from '../ui/notice';
import { mountDrawArea } from './drawMap';
import { customAreaScope, fillAreaOptions } from './scope';

/** The CBS areas, or none when they cannot be had (suggestions only: typing a code still works). */
export async function loadAreas(): Promise<Area[]> {
  try {
    return await admin.areas();
  } catch {
    return [];
  }
}

/** Fills the area suggestions with `areas`; shows the drawn areas and the drawing map when `isAdmin`. */
export async function mountAreas(isAdmin: boolean, areas: readonly Area[]): Promise<void> {
  let custom: CustomArea[] = [];
  const fill = () => {
    fillAreaOptions(byId<HTMLDataListElement>('scope-options'), areas, custom, true);
    fillAreaOptions(byId<HTMLDataListElement>('area-options'), areas, [], false);
  };
  onLangChange(fill);
  if (!isAdmin) {
    fill();
    return;
  }
  const section = byId('areas-section');
  const list = byId('custom-areas');
  const notice = new Notice(byId('areas-notice'));
  const render = () => {
    list.replaceChildren(
      ...(custom.length === 0
        ? [h('li', { i18n: 'admin.customAreasEmpty' })]
        : custom.map((c) => h('li', { text: t('admin.customArea', { name: c.name, scope: customAreaScope(c) }) }))),
    );
  };
  let showOnMap: ((areas: readonly CustomArea[]) => void) | null = null;
  const load = async () => {
    try {
      custom = await admin.customAreas();
      notice.clear();
    } catch (error) {
      notice.error(error);
    }
    render();
    fill();
    showOnMap?.(custom);
  };
  await load();
  onLangChange(render);
  section.hidden = false;
  try {
    showOnMap = await mountDrawArea(() => custom, load);
  } catch (error) {
    notice.error(error);
  }
}
