// Resident sign-in without a password: e-mail → code (or the link) → session.
//   1. POST /api/auth/email {email}: always 202, whether or not the address is known;
//   2. POST /api/auth/email/verify {email, code} with the 6 digits from the e-mail.

import { auth, type Session } from '../api/auth';
import type { MessageKey } from '../i18n';
import { byId } from '../ui/element';
import { looksLikeEmail, setInvalid, sixDigitCode, whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';

export interface ResidentSignIn {
  /** Back to the first step with a message (after a link failed, say). */
  restart(): void;
}

export function mountResidentSignIn(onSignedIn: (session: Session) => void, successKey: MessageKey = 'signin.success'): ResidentSignIn {
  const emailForm = byId<HTMLFormElement>('email-form');
  const emailInput = byId<HTMLInputElement>('email-input');
  const codeForm = byId<HTMLFormElement>('code-form');
  const codeInput = byId<HTMLInputElement>('code-input');
  const notice = new Notice(byId('resident-notice'));
  let email = '';

  const showStep = (step: 'email' | 'code') => {
    emailForm.hidden = step !== 'email';
    codeForm.hidden = step !== 'code';
  };

  const send = async (again: boolean) => {
    notice.show('info', { key: 'form.busy' });
    try {
      await auth.requestEmail(email);
      showStep('code');
      notice.show('success', again ? { key: 'signin.resent' } : { key: 'signin.sent', params: { email } });
      codeInput.value = '';
      codeInput.focus();
    } catch (error) {
      notice.error(error);
    }
  };

  emailForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = emailInput.value.trim();
    const valid = looksLikeEmail(value);
    setInvalid(emailInput, !valid);
    if (!valid) {
      notice.show('error', { key: value === '' ? 'form.required' : 'form.emailFormat' });
      emailInput.focus();
      return;
    }
    email = value;
    void whileBusy(emailForm, () => send(false));
  });

  codeForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const code = sixDigitCode(codeInput.value);
    setInvalid(codeInput, code === null);
    if (code === null) {
      notice.show('error', { key: 'form.codeFormat' });
      codeInput.focus();
      return;
    }
    void whileBusy(codeForm, async () => {
      notice.show('info', { key: 'form.busy' });
      try {
        const session = await auth.verifyEmail({ email, code });
        notice.show('success', { key: successKey });
        onSignedIn(session);
      } catch (error) {
        notice.error(error);
        codeInput.focus();
      }
    });
  });

  byId<HTMLButtonElement>('code-resend').addEventListener('click', () => void whileBusy(codeForm, () => send(true)));
  byId<HTMLButtonElement>('code-back').addEventListener('click', () => {
    notice.clear();
    showStep('email');
    emailInput.focus();
  });

  showStep('email');
  return {
    restart: () => {
      notice.clear();
      showStep('email');
    },
  };
}
