// Form behaviour shared by the account pages: one request at a time per form (without disabling
// the buttons, which would throw the keyboard focus out of the form) and field validity that
// screen readers hear.

/** Runs `action` unless the form is already busy; marks it busy meanwhile. */
export async function whileBusy(form: HTMLFormElement | HTMLElement, action: () => Promise<void>): Promise<void> {
  if (form.getAttribute('aria-busy') === 'true') return;
  form.setAttribute('aria-busy', 'true');
  const buttons = [...form.querySelectorAll('button')];
  for (const button of buttons) button.setAttribute('aria-disabled', 'true');
  try {
    await action();
  } finally {
    form.removeAttribute('aria-busy');
    for (const button of buttons) button.removeAttribute('aria-disabled');
  }
}

/** Marks a field valid or not; the first invalid field of a submit gets the focus. */
export function setInvalid(input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, invalid: boolean): void {
  if (invalid) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** A 6-digit code as typed (spaces and dashes allowed), or null. */
export function sixDigitCode(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** Whether `value` looks like an e-mail address (the server decides; this catches typos). */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}
