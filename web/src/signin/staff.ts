// Staff sign-in: e-mail and password, and the TOTP code once the server asks for it
// (401 TotpRequired). POST /api/auth/password {email, password, totp?}.

import { auth, type Session } from '../api/auth';
import type { MessageKey } from '../i18n';
import { ApiError } from '../api/http';
import { byId } from '../ui/element';
import { looksLikeEmail, setInvalid, sixDigitCode, whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';

export function mountStaffSignIn(onSignedIn: (session: Session) => void, successKey: MessageKey = 'signin.success'): void {
  const form = byId<HTMLFormElement>('staff-form');
  const email = byId<HTMLInputElement>('staff-email');
  const password = byId<HTMLInputElement>('staff-password');
  const totpField = byId('staff-totp-field');
  const totp = byId<HTMLInputElement>('staff-totp');
  const notice = new Notice(byId('staff-notice'));
  totpField.hidden = true;

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const emailOk = looksLikeEmail(email.value);
    const passwordOk = password.value !== '';
    const code = totpField.hidden ? null : sixDigitCode(totp.value);
    const totpOk = totpField.hidden || code !== null;
    setInvalid(email, !emailOk);
    setInvalid(password, !passwordOk);
    setInvalid(totp, !totpOk);
    if (!emailOk) {
      notice.show('error', { key: email.value.trim() === '' ? 'form.required' : 'form.emailFormat' });
      email.focus();
      return;
    }
    if (!passwordOk) {
      notice.show('error', { key: 'form.required' });
      password.focus();
      return;
    }
    if (!totpOk) {
      notice.show('error', { key: 'form.codeFormat' });
      totp.focus();
      return;
    }
    void whileBusy(form, async () => {
      notice.show('info', { key: 'form.busy' });
      try {
        const session = await auth.password({
          email: email.value.trim(),
          password: password.value,
          ...(code ? { totp: code } : {}),
        });
        notice.show('success', { key: successKey });
        onSignedIn(session);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'TotpRequired') {
          totpField.hidden = false;
          totp.value = '';
          totp.required = true;
          notice.error(error, { totpGiven: code !== null });
          totp.focus();
          return;
        }
        notice.error(error);
        if (error instanceof ApiError && error.code === 'InvalidCredentials') {
          password.value = '';
          password.focus();
        }
      }
    });
  });
}
