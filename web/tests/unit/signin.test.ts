import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/http';
import { justSignedOut, parseFragmentToken, withoutFragment } from '../../src/signin/fragment';
import { newPasswordProblem } from '../../src/signin/passwordLink';
import { errorMessage, tooMany } from '../../src/ui/errorMessage';
import { looksLikeEmail, sixDigitCode } from '../../src/ui/form';
import { MESSAGES } from '../../src/i18n';

describe('parseFragmentToken', () => {
  it('reads the token of a mailed link', () => {
    expect(parseFragmentToken('#token=abcDEF123_-')).toBe('abcDEF123_-');
    expect(parseFragmentToken('token=abc')).toBe('abc');
    expect(parseFragmentToken('#token=abc&lang=en')).toBe('abc');
    expect(parseFragmentToken('#lang=en&token=abc')).toBe('abc');
    expect(parseFragmentToken('#token=a%2Bb%3D')).toBe('a+b=');
  });

  it('ignores fragments without a usable token', () => {
    expect(parseFragmentToken('')).toBeNull();
    expect(parseFragmentToken('#')).toBeNull();
    expect(parseFragmentToken('#main')).toBeNull();
    expect(parseFragmentToken('#token=')).toBeNull();
    expect(parseFragmentToken('#token=%20%20')).toBeNull();
    expect(parseFragmentToken('#token=a%20b')).toBeNull();
    expect(parseFragmentToken('#token=<script>')).toBeNull();
    expect(parseFragmentToken(`#token=${'x'.repeat(600)}`)).toBeNull();
  });

  it('strips the fragment but keeps path and query', () => {
    expect(withoutFragment({ pathname: '/aanmelden.html', search: '' })).toBe('/aanmelden.html');
    expect(withoutFragment({ pathname: '/aanmelden', search: '?x=1' })).toBe('/aanmelden?x=1');
  });

  it('knows the signed-out marker', () => {
    expect(justSignedOut('?afgemeld')).toBe(true);
    expect(justSignedOut('?afgemeld=1')).toBe(true);
    expect(justSignedOut('')).toBe(false);
  });
});

describe('errorMessage', () => {
  const api = (status: number, code: string, retry: number | null = null) =>
    new ApiError(status, code, `server says ${code}`, '/api/x', retry);

  it('maps the sign-in codes to their own sentences', () => {
    expect(errorMessage(api(400, 'InvalidToken'))).toEqual({ key: 'error.invalidToken' });
    expect(errorMessage(api(401, 'InvalidCredentials'))).toEqual({ key: 'error.invalidCredentials' });
    expect(errorMessage(api(401, 'TotpRequired'))).toEqual({ key: 'error.totpRequired' });
    expect(errorMessage(api(401, 'TotpRequired'), { totpGiven: true })).toEqual({ key: 'error.totpWrong' });
    expect(errorMessage(api(400, 'InvalidCode'))).toEqual({ key: 'error.invalidCode' });
    expect(errorMessage(api(403, 'CsrfRejected'))).toEqual({ key: 'error.csrf' });
  });

  it('says how long to wait after 429', () => {
    expect(errorMessage(api(429, 'TooManyRequests', 30))).toEqual({ key: 'error.tooManySeconds', params: { seconds: 30 } });
    expect(errorMessage(api(429, 'TooManyRequests', null))).toEqual({ key: 'error.tooMany' });
    expect(tooMany(1)).toEqual({ key: 'error.tooManySeconds', params: { seconds: 2 } });
    expect(tooMany(90)).toEqual({ key: 'error.tooManyMinutes', params: { minutes: 2 } });
    expect(tooMany(3600)).toEqual({ key: 'error.tooManyMinutes', params: { minutes: 60 } });
  });

  it('falls back on the status, with the server description where it helps', () => {
    expect(errorMessage(api(401, 'Unauthenticated'))).toEqual({ key: 'error.notSignedIn' });
    expect(errorMessage(api(403, 'Forbidden'))).toEqual({ key: 'error.forbidden' });
    expect(errorMessage(api(404, 'NotFound'))).toEqual({ key: 'error.notFound' });
    expect(errorMessage(api(409, 'Conflict'))).toEqual({ key: 'error.conflict', params: { description: 'server says Conflict' } });
    expect(errorMessage(api(422, 'Unprocessable'))).toEqual({ key: 'error.invalid', params: { description: 'server says Unprocessable' } });
    expect(errorMessage(api(500, 'InternalError'))).toEqual({ key: 'error.server' });
    expect(errorMessage(api(418, 'Teapot'))).toEqual({ key: 'error.other', params: { description: 'server says Teapot' } });
    expect(errorMessage(new TypeError('Failed to fetch'))).toEqual({ key: 'error.network' });
  });

  it('tells a used or expired link in plain Dutch and English', () => {
    expect(MESSAGES.nl['error.invalidToken']).toContain('verlopen of al gebruikt');
    expect(MESSAGES.en['error.invalidToken']).toContain('expired or was already used');
  });
});

describe('form values', () => {
  it('accepts six digits with spaces or a dash', () => {
    expect(sixDigitCode('123456')).toBe('123456');
    expect(sixDigitCode(' 123 456 ')).toBe('123456');
    expect(sixDigitCode('123-456')).toBe('123456');
    expect(sixDigitCode('12345')).toBeNull();
    expect(sixDigitCode('12345a')).toBeNull();
    expect(sixDigitCode('1234567')).toBeNull();
  });

  it('catches obvious e-mail typos', () => {
    expect(looksLikeEmail('ans@example.nl')).toBe(true);
    expect(looksLikeEmail('  ans@example.nl ')).toBe(true);
    expect(looksLikeEmail('ans@example')).toBe(false);
    expect(looksLikeEmail('ans example.nl')).toBe(false);
    expect(looksLikeEmail('')).toBe(false);
  });
});

describe('password links', () => {
  it('reads the token of a password link, and never takes it for a sign-in token', () => {
    expect(parseFragmentToken('#wachtwoord=abc_DEF-1', 'wachtwoord')).toBe('abc_DEF-1');
    expect(parseFragmentToken('#wachtwoord=abc_DEF-1')).toBeNull();
    expect(parseFragmentToken('#token=abc', 'wachtwoord')).toBeNull();
    expect(parseFragmentToken('#wachtwoord=<script>', 'wachtwoord')).toBeNull();
  });

  it('says what is wrong with a new password before anything is sent', () => {
    expect(newPasswordProblem('', '')).toBe('form.required');
    expect(newPasswordProblem('elf tekens.', 'elf tekens.')).toBe('signin.passwordTooShort');
    // Characters, not UTF-16 units: twelve emoji are twelve characters.
    expect(newPasswordProblem('🌳'.repeat(12), '🌳'.repeat(12))).toBeNull();
    expect(newPasswordProblem('twaalf tekens', 'twaalf tekenz')).toBe('signin.passwordsDiffer');
    expect(newPasswordProblem('twaalf tekens', 'twaalf tekens')).toBeNull();
  });
});
