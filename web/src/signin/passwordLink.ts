// Choosing a password with the link an admin had mailed (`/aanmelden.html#wachtwoord=…`,
// POST /api/auth/password-link). The link works once; setting the password does not sign in, so
// the person then signs in as staff with the new password (and the authenticator code, if any).

import { auth } from '../api/auth';
import { ApiError } from '../api/http';
import { byId } from '../ui/element';
import { setInvalid, whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';

/** Shortest password the server takes (auth/password.rs). */
export const MIN_PASSWORD_LENGTH = 12;

/** What is wrong with a new password and its repetition, as a message key; null when fine. */
export function newPasswordProblem(
  first: string,
  second: string,
): 'form.required' | 'signin.passwordTooShort' | 'signin.passwordsDiffer' | null {
  if (first === '') return 'form.required';
  if ([...first].length < MIN_PASSWORD_LENGTH) return 'signin.passwordTooShort';
  if (first !== second) return 'signin.passwordsDiffer';
  return null;
}

/**
 * Shows the form for `token` and, once the password is set, calls `onSet` (which leads the person
 * to the staff sign-in).
 */
export function showPasswordLinkForm(token: string, onSet: () => void): void {
  const section = byId('password-link-section');
  const form = byId<HTMLFormElement>('password-link-form');
  const first = byId<HTMLInputElement>('new-password-1');
  const second = byId<HTMLInputElement>('new-password-2');
  const notice = new Notice(byId('password-link-notice'));
  section.hidden = false;
  first.focus();
  form.onsubmit = (e) => {
    e.preventDefault();
    const problem = newPasswordProblem(first.value, second.value);
    setInvalid(first, problem === 'form.required' || problem === 'signin.passwordTooShort');
    setInvalid(second, problem === 'signin.passwordsDiffer');
    if (problem) {
      notice.show('error', { key: problem, params: { min: MIN_PASSWORD_LENGTH } });
      (problem === 'signin.passwordsDiffer' ? second : first).focus();
      return;
    }
    void whileBusy(form, async () => {
      notice.show('info', { key: 'form.busy' });
      try {
        await auth.setPasswordWithLink(token, first.value);
        first.value = '';
        second.value = '';
        section.hidden = true;
        onSet();
      } catch (error) {
        if (error instanceof ApiError && error.code === 'InvalidToken') notice.show('error', { key: 'signin.passwordLinkInvalid' });
        else notice.error(error);
      }
    });
  };
}
