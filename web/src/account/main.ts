// Entry point of the account page (account.html): who is signed in, sessions and signing out,
// consents, two-step verification and password for staff, "mijn adres", the offer of time and
// talent and "mijn werk".

import '../style.css';
import '../pages.css';
import { account, type Account } from '../api/account';
import { isDeviceSession, isStaff } from '../api/auth';
import { byId, h } from '../ui/element';
import { isUnauthenticated } from '../ui/errorMessage';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { pageSession, startPage } from '../ui/page';
import { here, signInUrl } from '../ui/returnTo';
import { mountConsents } from './consents';
import { mountMyAddress } from './myAddress';
import { mountMyWork } from './myWork';
import { mountOffer } from './offer';
import { mountProfile, signOut } from './profile';
import { mountSecurity } from './security';

async function start(): Promise<void> {
  startPage('account.pageTitle');
  const main = byId('main');
  const notice = new Notice(byId('account-notice'));
  const notSignedIn = () =>
    notice.show('info', { key: 'account.notSignedIn' }, h('a', { i18n: 'account.signInLink', attrs: { href: signInUrl(here()) } }));

  try {
    const session = await pageSession();
    if (isDeviceSession(session)) {
      // A device reporter: nothing to manage but the session itself.
      const section = byId('device-section');
      const deviceNotice = new Notice(byId('device-notice'));
      byId('device-logout').addEventListener('click', () => void whileBusy(section, () => signOut(false, deviceNotice)));
      section.hidden = false;
      return;
    }
    if (!session?.user) {
      notSignedIn();
      return;
    }
    let data: Account;
    try {
      data = await account.account();
    } catch (error) {
      if (isUnauthenticated(error)) notSignedIn();
      else notice.error(error);
      return;
    }
    mountProfile(data.user, data.sessions);
    mountMyAddress();
    mountOffer();
    mountMyWork();
    mountConsents(data.consents);
    if (isStaff(data.user)) mountSecurity(data.user);
  } finally {
    main.removeAttribute('aria-busy');
  }
}

void start();
