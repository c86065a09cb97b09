// The account's own facts, where it is signed in, and signing out (here or everywhere).

import { auth, hasRole, type User } from '../api/auth';
import type { SessionInfo } from '../api/account';
import { onLangChange, t, type MessageKey } from '../i18n';
import { SIGN_IN_PAGE } from '../ui/accountLink';
import { byId, h } from '../ui/element';
import { showDateTime } from '../ui/facts';
import { whileBusy } from '../ui/form';
import { roleText, scopeNamer, type ScopeNamer } from '../ui/labels';
import { admin } from '../api/admin';
import { Notice } from '../ui/notice';

/** Where the browser goes after signing out: the sign-in page says so. */
export const SIGNED_OUT_PAGE = `${SIGN_IN_PAGE}?afgemeld`;

/** Signs out (one session or all) and leaves for the sign-in page. */
export async function signOut(everywhere: boolean, notice: Notice): Promise<void> {
  notice.show('info', { key: 'form.busy' });
  try {
    await (everywhere ? auth.logoutAll() : auth.logout());
    window.location.assign(SIGNED_OUT_PAGE);
  } catch (error) {
    notice.error(error);
  }
}

export function mountProfile(user: User, sessions: readonly SessionInfo[]): void {
  const section = byId('profile-section');
  const facts = byId('profile-facts');
  const list = byId('sessions-list');
  const notice = new Notice(byId('profile-notice'));

  // The scopes of staff roles by name (the CBS areas are public; a drawn area stays "een eigen
  // gebied" for anyone but an admin).
  let scopeName: ScopeNamer = () => undefined;
  const render = () => {
    const fact = (key: MessageKey, value: string | Node, id?: string) => [
      h('dt', { i18n: key }),
      h('dd', id ? { attrs: { id } } : {}, value),
    ];
    const roles =
      user.roles.length === 0
        ? t('account.noRoles')
        : h('ul', { className: 'plain-list' }, ...user.roles.map((grant) => h('li', { text: roleText(grant, scopeName) })));
    facts.replaceChildren(
      ...fact('account.email', user.email, 'account-email'),
      ...fact('account.name', user.display_name?.trim() || t('facts.none')),
      ...fact('account.roles', roles),
      ...fact('account.totp', t(user.totp_enabled ? 'account.totpOn' : 'account.totpOff')),
    );
    list.replaceChildren(
      ...sessions.map((s) =>
        h(
          'li',
          { className: 'row' },
          h('span', { text: t('account.session', { created: showDateTime(s.created_at), seen: showDateTime(s.last_seen_at) }) }),
          s.current ? h('span', { className: 'badge', i18n: 'account.sessionCurrent' }) : null,
        ),
      ),
    );
  };
  render();
  onLangChange(render);
  if (user.roles.some((grant) => grant.scope !== 'all')) {
    void admin
      .areas()
      .then((areas) => {
        scopeName = scopeNamer(areas);
        render();
      })
      .catch(() => undefined);
  }

  byId('admin-link').hidden = !hasRole(user, 'admin', 'wijkondernemer');
  byId('logout').addEventListener('click', () => void whileBusy(section, () => signOut(false, notice)));
  byId('logout-all').addEventListener('click', () => void whileBusy(section, () => signOut(true, notice)));
  section.hidden = false;
}
