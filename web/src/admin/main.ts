// Entry point of the admin page (beheer.html). Admins get users, roles, drawn areas, the audit
// log, retention and the map to draw an area on; admins and wijkondernemers the reports to
// download (in their scope); the gemeente its start (the urgency map, reports per buurt); wijkondernemers
// (and admins) the letters form; communitybuilders,
// wijkondernemers and admins the moderation queue of their areas; anyone else "geen toegang".
// The server checks every request again (403); the page only decides what to show.

import '../style.css';
import '../pages.css';
import { hasRole } from '../api/auth';
import { onLangChange } from '../i18n';
import { byId, h } from '../ui/element';
import { isForbidden } from '../ui/errorMessage';
import { Notice } from '../ui/notice';
import { pageSession, startPage } from '../ui/page';
import { here, signInUrl } from '../ui/returnTo';
import { loadAreas, mountAreas } from './areas';
import { mountExports } from './exports';
import { mountGemeente } from './gemeente';
import { mountAudit } from './audit';
import { mountLetters } from './letters';
import { ModerationQueue } from './moderation';
import { mountRetention } from './retention';
import { mountAddUser, UsersTable } from './users';

async function start(): Promise<void> {
  startPage('admin.pageTitle');
  const main = byId('main');
  const notice = new Notice(byId('admin-notice'));
  const noAccess = () => {
    for (const section of main.querySelectorAll<HTMLElement>('section')) section.hidden = true;
    notice.show('error', { key: 'admin.noAccess' });
  };
  try {
    const session = await pageSession();
    const user = session?.signed_in ? session.user : null;
    if (!user) {
      notice.show('info', { key: 'admin.notSignedIn' }, h('a', { i18n: 'nav.signIn', attrs: { href: signInUrl(here()) } }));
      return;
    }
    const isAdmin = hasRole(user, 'admin');
    const isWijkondernemer = hasRole(user, 'wijkondernemer');
    // The gemeente (and anyone who may see aggregates) gets its start here: the urgency map and
    // the reports per buurt.
    if (hasRole(user, 'gemeente') || isAdmin) {
      void mountGemeente().catch((error: unknown) => notice.error(error));
      onLangChange(() => void mountGemeente().catch((error: unknown) => notice.error(error)));
    }
    if (!isAdmin && !isWijkondernemer && !hasRole(user, 'communitybuilder')) {
      if (!hasRole(user, 'gemeente')) noAccess();
      return;
    }
    if (isAdmin) {
      const users = new UsersTable();
      try {
        await users.load();
      } catch (error) {
        if (isForbidden(error)) {
          noAccess();
          return;
        }
        users.failed(error);
      }
      byId('users-section').hidden = false;
      mountAddUser(users);
      byId('add-user-section').hidden = false;
    }
    new ModerationQueue().mount();
    if (isAdmin || isWijkondernemer) mountLetters();
    const areas = await loadAreas();
    void mountExports(user.roles, areas).catch((error: unknown) => notice.error(error));
    void mountAreas(isAdmin, areas).catch((error: unknown) => notice.error(error));
    if (isAdmin) {
      mountAudit();
      mountRetention();
    }
  } finally {
    main.removeAttribute('aria-busy');
  }
}

void start();
