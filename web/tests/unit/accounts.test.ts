import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../../src/i18n';
import { buildingsOf, currentConsents, type ConsentEntry } from '../../src/api/account';
import { listIn } from '../../src/api/admin';
import { hasRole, isDeviceSession, isStaff, userName, type User } from '../../src/api/auth';
import { normaliseLetterCode } from '../../src/account/myAddress';
import { auditCursor, auditRow, filterAudit } from '../../src/admin/audit';
import { lettersFilename } from '../../src/admin/letters';
import { isLetterArea, isScope, normaliseScope } from '../../src/admin/scope';
import type { JsonObject } from '../../src/api/http';
import { columnsOf } from '../../src/ui/facts';
import { tabKey } from '../../src/ui/tabs';

describe('currentConsents', () => {
  it('takes the latest decision per purpose and ignores undecided entries', () => {
    const entries: ConsentEntry[] = [
      { purpose: 'contact', given: true, at: '2026-01-01T10:00:00Z' },
      { purpose: 'contact', given: false, at: '2026-02-01T10:00:00Z' },
      { purpose: 'research', given: true, at: '2026-03-01T10:00:00Z' },
      { purpose: 'canvassing', given: false, at: null },
    ];
    const current = currentConsents(entries);
    expect(current.contact?.given).toBe(false);
    expect(current.research?.given).toBe(true);
    expect(current.canvassing).toBeNull();
  });

  it('lets the later entry win on the same second, and ignores unknown purposes', () => {
    const at = '2026-01-01T10:00:00Z';
    const current = currentConsents([
      { purpose: 'contact', given: true, at },
      { purpose: 'contact', given: false, at },
      { purpose: 'map' as 'contact', given: true, at },
    ]);
    expect(current.contact?.given).toBe(false);
    expect(Object.keys(current).sort()).toEqual(['canvassing', 'contact', 'research', 'talent']);
  });
});

describe('users and sessions', () => {
  const user = (roles: User['roles']): User => ({ id: 1, email: 'a@b.nl', display_name: '', roles, totp_enabled: false });

  it('tells staff from residents', () => {
    expect(isStaff(user([{ role: 'resident', scope: 'all' }]))).toBe(false);
    expect(isStaff(user([{ role: 'resident', scope: 'all' }, { role: 'wijkondernemer', scope: 'WK199901' }]))).toBe(true);
    expect(hasRole(user([{ role: 'admin', scope: 'all' }]), 'admin', 'wijkondernemer')).toBe(true);
    expect(hasRole(null, 'admin')).toBe(false);
  });

  it('names a user by display name, else e-mail', () => {
    expect(userName(user([]))).toBe('a@b.nl');
    expect(userName({ ...user([]), display_name: 'Ans' })).toBe('Ans');
  });

  it('recognises a device reporter whichever way the server writes it', () => {
    expect(isDeviceSession({ signed_in: false, csrf: 'x', user: null, device: true })).toBe(true);
    expect(isDeviceSession({ signed_in: true, csrf: 'x', user: null, device: { id: 'd1' } })).toBe(true);
    expect(isDeviceSession({ signed_in: false, csrf: null, user: null, device: false })).toBe(false);
    expect(isDeviceSession(null)).toBe(false);
  });
});

describe('answers with loosely specified shapes', () => {
  it('finds the list in a bare array or a wrapping object', () => {
    expect(listIn([{ a: 1 }], 'events')).toEqual([{ a: 1 }]);
    expect(listIn({ events: [{ a: 1 }], next: null }, 'events')).toEqual([{ a: 1 }]);
    expect(listIn({ other: 1 }, 'events')).toEqual([]);
    expect(listIn(null, 'events')).toEqual([]);
  });

  it('takes the buildings of an address as one or as a list', () => {
    const base = { address: {}, observations: [], opt_outs: [], contests: [] };
    expect(buildingsOf({ ...base, building: { id: 'b' } })).toEqual([{ id: 'b' }]);
    expect(buildingsOf({ ...base, buildings: [{ id: 'b' }, { id: 'c' }] })).toHaveLength(2);
    expect(buildingsOf({ ...base, building: null })).toEqual([]);
  });

  it('pages the audit log back from the oldest event id', () => {
    expect(auditCursor([{ id: 9 }, { id: 7, at: '2026-01-01T00:00:00Z' }])).toBe('7');
    expect(auditCursor([{ at: '2026-01-01T00:00:00Z' }])).toBe('2026-01-01T00:00:00Z');
    expect(auditCursor([])).toBeUndefined();
  });
});

describe('scopes and codes', () => {
  it('accepts the scope forms of the contract', () => {
    for (const s of ['all', 'GM1999', 'WK199901', 'BU19990102', 'polygon:12']) expect(isScope(s), s).toBe(true);
    for (const s of ['', 'ALL', 'GM199', 'WK1999', 'BU1999010', 'polygon:', 'polygon:1 2', 'polygon:a', 'Amsterdam']) {
      expect(isScope(s), s).toBe(false);
    }
  });

  it('tidies what was typed', () => {
    expect(normaliseScope(' wk199901 ')).toBe('WK199901');
    expect(normaliseScope('all')).toBe('all');
    expect(normaliseScope('polygon:3')).toBe('polygon:3');
    expect(normaliseLetterCode('ab3d-ef 7h')).toBe('AB3DEF7H');
  });

  it('makes letters for CBS areas only', () => {
    expect(isLetterArea('BU19990102')).toBe(true);
    expect(isLetterArea('GM1999')).toBe(true);
    expect(isLetterArea('polygon:4')).toBe(false);
    expect(isLetterArea('all')).toBe(false);
    expect(lettersFilename('BU19990102', 'pdf')).toBe('brieven-BU19990102.pdf');
    expect(lettersFilename('polygon:4', 'csv')).toBe('brieven-polygon-4.csv');
  });
});

describe('tabKey', () => {
  it('moves with arrows (wrapping), Home and End; ignores other keys', () => {
    expect(tabKey('ArrowRight', 0, 2)).toBe(1);
    expect(tabKey('ArrowRight', 1, 2)).toBe(0);
    expect(tabKey('ArrowLeft', 0, 2)).toBe(1);
    expect(tabKey('Home', 1, 2)).toBe(0);
    expect(tabKey('End', 0, 3)).toBe(2);
    expect(tabKey('Enter', 0, 2)).toBeNull();
    expect(tabKey('ArrowRight', 0, 0)).toBeNull();
  });
});

describe('columnsOf', () => {
  it('puts id, time and actor first, then the rest as they come', () => {
    const rows: JsonObject[] = [
      { action: 'sign_in', actor: 'user:1', at: '2026-01-01T00:00:00Z', detail: 'email', id: 2, target: 'user:1' },
      { extra: true, id: 1 },
    ];
    expect(columnsOf(rows)).toEqual(['id', 'at', 'actor', 'action', 'target', 'detail', 'extra']);
  });
});

describe('the audit log in words', () => {
  const events = [
    { id: 3, at: '2026-03-01T10:00:00Z', actor: 'user:2', actor_email: 'wo@wijk.test', action: 'moderation', target: 'observation:9', target_email: null, detail: 'hide' },
    { id: 2, at: '2026-03-01T09:00:00Z', actor: 'user:1', actor_email: 'beheer@wijk.test', action: 'role_change', target: 'user:2', target_email: 'wo@wijk.test', detail: 'volunteer@WK199901' },
    { id: 1, at: '2026-03-01T08:00:00Z', actor: 'cli', actor_email: null, action: 'user_created', target: 'user:7', target_email: null, detail: '' },
  ];

  it('says who by e-mail and what in words', () => {
    const [, who, what, about, detail] = auditRow(events[0] ?? {});
    expect([who, what, about, detail]).toEqual(['wo@wijk.test', 'melding gemodereerd', 'melding 9', 'verborgen']);
    expect(auditRow(events[1] ?? {}).slice(1)).toEqual(['beheer@wijk.test', 'rollen gewijzigd', 'wo@wijk.test', 'vrijwilliger in WK199901']);
    expect(auditRow(events[2] ?? {}).slice(1, 4)).toEqual(['de opdrachtregel op de server', 'gebruiker toegevoegd', 'gebruiker 7']);
  });

  it('filters by action and by text in who, what about and the details', () => {
    expect(filterAudit(events, 'moderation', '').map((e) => e.id)).toEqual([3]);
    expect(filterAudit(events, '', 'WO@wijk').map((e) => e.id)).toEqual([3, 2]);
    expect(filterAudit(events, 'role_change', 'vrijwilliger').map((e) => e.id)).toEqual([2]);
    expect(filterAudit(events, '', 'nobody')).toEqual([]);
  });
});

describe('roles name their area, never its code', () => {
  afterEach(() => setLang('nl'));

  it('names a CBS area and a drawn area by name, and says "everywhere" for all', async () => {
    const { roleText, scopeNamer } = await import('../../src/ui/labels');
    const names = scopeNamer([{ code: 'WK199901', name: 'Centrum' }], [{ id: 3, name: 'Rond het plein' }]);
    expect(roleText({ role: 'wijkondernemer', scope: 'WK199901' }, names)).toBe('wijkondernemer in Centrum');
    expect(roleText({ role: 'volunteer', scope: 'polygon:3' }, names)).toBe('vrijwilliger in Rond het plein');
    expect(roleText({ role: 'volunteer', scope: 'polygon:4' }, names)).toBe('vrijwilliger in een eigen gebied');
    expect(roleText({ role: 'admin', scope: 'all' }, names)).toBe('beheerder overal');
    setLang('en');
    expect(roleText({ role: 'volunteer', scope: 'polygon:9' })).toBe('volunteer in a drawn area');
  });
});
