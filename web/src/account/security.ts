// Staff accounts: two-step verification (TOTP) and the password.
//   POST /api/account/totp {password?, code?} → {secret, otpauth_uri}, pending until
//   POST /api/account/totp/confirm {code} → 204. Not with the session alone: the first
//   enrolment needs the password; replacing an enabled app, the password or its current code.
//   POST /api/account/password {current, new} → 204.

import { account, type TotpProof } from '../api/account';
import { ApiError } from '../api/http';
import type { User } from '../api/auth';
import { byId, setI18n } from '../ui/element';
import { setInvalid, sixDigitCode, whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';

export function mountSecurity(user: User): void {
  const section = byId('security-section');
  const status = byId('totp-status');
  const startForm = byId<HTMLFormElement>('totp-start-form');
  const start = byId<HTMLButtonElement>('totp-start');
  const hint = byId('totp-proof-hint');
  const password = byId<HTMLInputElement>('totp-password');
  const currentField = byId('totp-current-field');
  const current = byId<HTMLInputElement>('totp-current');
  const enrol = byId('totp-enrol');
  const form = byId<HTMLFormElement>('totp-form');
  const code = byId<HTMLInputElement>('totp-code');
  const notice = new Notice(byId('totp-notice'));
  let enabled = user.totp_enabled;
  // For password managers: which account the password belongs to.
  byId<HTMLInputElement>('totp-username').value = user.email;

  const showEnabled = (on: boolean) => {
    enabled = on;
    setI18n(status, on ? 'totp.enabled' : 'totp.disabled');
    setI18n(start, on ? 'totp.replace' : 'totp.start');
    setI18n(hint, on ? 'totp.proofReplace' : 'totp.proofStart');
    currentField.hidden = !on;
    if (on) enrol.hidden = true;
  };

  /** The password or the current code, checked as typed; null (and said why) when missing. */
  const proof = (): TotpProof | null => {
    const typedCode = current.value.trim();
    const currentCode = enabled && typedCode !== '' ? sixDigitCode(typedCode) : undefined;
    setInvalid(password, false);
    setInvalid(current, currentCode === null);
    if (currentCode === null) {
      notice.show('error', { key: 'form.codeFormat' });
      current.focus();
      return null;
    }
    if (password.value === '' && currentCode === undefined) {
      setInvalid(password, true);
      notice.show('error', { key: enabled ? 'totp.proofRequired' : 'totp.passwordRequired' });
      password.focus();
      return null;
    }
    return password.value !== '' ? { password: password.value } : { code: currentCode };
  };

  startForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const given = proof();
    if (given === null) return;
    void whileBusy(startForm, async () => {
      notice.show('info', { key: 'form.busy' });
      try {
        const pending = await account.startTotp(given);
        password.value = '';
        current.value = '';
        byId('totp-secret').textContent = pending.secret;
        byId('totp-uri').textContent = pending.otpauth_uri;
        enrol.hidden = false;
        notice.clear();
        code.value = '';
        code.focus();
      } catch (error) {
        if (error instanceof ApiError && error.code === 'InvalidCredentials') {
          notice.show('error', { key: 'totp.wrongProof' });
          password.value = '';
          current.value = '';
          setInvalid(given.password === undefined ? current : password, true);
          (given.password === undefined ? current : password).focus();
        } else {
          notice.error(error);
        }
      }
    });
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = sixDigitCode(code.value);
    setInvalid(code, value === null);
    if (value === null) {
      notice.show('error', { key: 'form.codeFormat' });
      code.focus();
      return;
    }
    void whileBusy(form, async () => {
      try {
        await account.confirmTotp(value);
        showEnabled(true);
        byId('totp-secret').textContent = '';
        byId('totp-uri').textContent = '';
        notice.show('success', { key: 'totp.done' });
        status.focus();
      } catch (error) {
        // The server refuses a wrong code as unprocessable (400/422): say so in the user's words.
        if (error instanceof ApiError && (error.status === 400 || error.status === 422)) {
          setInvalid(code, true);
          notice.show('error', { key: 'error.totpWrong' });
        } else {
          notice.error(error);
        }
        code.focus();
      }
    });
  });

  status.tabIndex = -1;
  showEnabled(user.totp_enabled);
  mountPassword(user);
  section.hidden = false;
}

function mountPassword(user: User): void {
  const form = byId<HTMLFormElement>('password-form');
  const current = byId<HTMLInputElement>('password-current');
  const next = byId<HTMLInputElement>('password-new');
  const notice = new Notice(byId('password-notice'));
  // For password managers: which account the new password belongs to.
  byId<HTMLInputElement>('password-username').value = user.email;

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setInvalid(current, current.value === '');
    setInvalid(next, next.value === '');
    const empty = [current, next].find((input) => input.value === '');
    if (empty) {
      notice.show('error', { key: 'form.required' });
      empty.focus();
      return;
    }
    void whileBusy(form, async () => {
      notice.show('info', { key: 'form.busy' });
      try {
        await account.changePassword(current.value, next.value);
        current.value = '';
        next.value = '';
        notice.show('success', { key: 'password.done' });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'InvalidCredentials') {
          notice.show('error', { key: 'password.wrongCurrent' });
          setInvalid(current, true);
          current.focus();
        } else {
          notice.error(error);
        }
      }
    });
  });
}
