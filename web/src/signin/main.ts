// Entry point of the sign-in page (aanmelden.html): resident e-mail sign-in (code, or the link
// with `#token=…`), staff password sign-in with TOTP, choosing a password with a mailed link
// (`#wachtwoord=…`), and anonymous device reporting. Signed in,
// the browser goes back to where the person was (`?terug=`, ui/returnTo.ts): the building and the
// report they were writing, the account page, /beheer; without one, to the account page.

import '../style.css';
import '../pages.css';
import { auth, isDeviceSession, userName, type Session } from '../api/auth';
import { ApiError } from '../api/http';
import { ACCOUNT_PAGE } from '../ui/accountLink';
import { byId, h } from '../ui/element';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { pageSession, startPage } from '../ui/page';
import { forgetReturn, returnFromQuery } from '../ui/returnTo';
import { mountTabs } from '../ui/tabs';
import { justSignedOut, parseFragmentToken, withoutFragment } from './fragment';
import { showPasswordLinkForm } from './passwordLink';
import { mountResidentSignIn } from './resident';
import { mountStaffSignIn } from './staff';

function start(): void {
  startPage('signin.pageTitle');
  const back = returnFromQuery(window.location.search);
  /** Signed in: back to where the person was, else to the account. */
  const toAccount = (_session: Session): void => {
    forgetReturn();
    window.location.assign(back ?? ACCOUNT_PAGE);
  };
  const successKey = back ? 'signin.successBack' : 'signin.success';
  const onward = () => h('a', { i18n: back ? 'signin.continue' : 'signin.toMap', attrs: { href: back ?? '/' } });
  const notice = new Notice(byId('signin-notice'));
  const tabs = mountTabs(byId('signin-tabs'));
  const resident = mountResidentSignIn(toAccount, successKey);
  mountStaffSignIn(toAccount, successKey);

  /** Signs in with the token of a mailed link, if the address has one. */
  const useLinkToken = async (): Promise<boolean> => {
    const token = parseFragmentToken(window.location.hash);
    const passwordToken = parseFragmentToken(window.location.hash, 'wachtwoord');
    if (window.location.hash !== '') history.replaceState(history.state, '', withoutFragment(window.location));
    if (passwordToken !== null) {
      // A password link: choose the password first, then sign in as staff with it.
      showPasswordLinkForm(passwordToken, () => {
        tabs.select('tab-staff');
        notice.show('success', { key: 'signin.passwordChosen' });
        byId('staff-email').focus();
      });
      return true;
    }
    if (token === null) return false;
    tabs.select('tab-resident');
    notice.show('info', { key: 'signin.checkingLink' });
    try {
      const session = await auth.verifyEmail({ token });
      notice.show('success', { key: successKey });
      toAccount(session);
    } catch (error) {
      notice.error(error);
      resident.restart();
      byId('email-input').focus();
    }
    return true;
  };
  // Following a second link while on this page changes only the fragment: no new page load.
  window.addEventListener('hashchange', () => void useLinkToken());

  const device = byId<HTMLButtonElement>('device-button');
  const deviceNotice = new Notice(byId('device-notice'));
  device.addEventListener('click', () =>
    void whileBusy(byId('device-section'), async () => {
      deviceNotice.show('info', { key: 'form.busy' });
      try {
        await auth.device();
        deviceNotice.show('success', { key: 'signin.deviceDone' }, onward());
        void pageSession();
      } catch (error) {
        // 409: this browser already has a session (an account's, or a device's).
        if (error instanceof ApiError && error.status === 409) deviceNotice.show('info', { key: 'signin.deviceAlready' });
        else deviceNotice.error(error);
      }
    }),
  );

  void (async () => {
    const fromLink = await useLinkToken();
    const session = await pageSession();
    if (fromLink) return;
    if (justSignedOut(window.location.search)) {
      notice.show('success', { key: 'signin.signedOut' });
      history.replaceState(history.state, '', window.location.pathname);
    } else if (isDeviceSession(session)) {
      deviceNotice.show('info', { key: 'signin.deviceDone' }, onward());
    } else if (session?.user) {
      notice.show(
        'info',
        { key: 'signin.alreadyIn', params: { name: userName(session.user) } },
        back ? onward() : h('a', { i18n: 'signin.toAccount', attrs: { href: ACCOUNT_PAGE } }),
      );
    }
  })();
}

start();
