// The privacy note of a report form, from the audience the server sends (report/privacy.ts).
import { describe, expect, it } from 'vitest';
import type { Audience } from '../../src/api/reports';
import { privacySentences } from '../../src/report/privacy';

const homes = { volunteer: 'allow', communitybuilder: 'allow', wijkondernemer: 'allow', gemeente: 'aggregate', admin: 'allow' } as const;
const BUILDING: Audience = { public: 'aggregate', roles: homes, residents: ['building'] };
const ADDRESS: Audience = { public: 'aggregate', roles: homes, residents: ['address'] };
const PUBLIC: Audience = { public: 'allow', roles: { volunteer: 'allow', gemeente: 'allow', admin: 'allow' }, residents: [] };

describe('who sees a report', () => {
  it('about a building: the reporter, its verified residents, staff in their area; the gemeente counts', () => {
    expect(privacySentences({ audience: BUILDING }, 'nl')).toEqual([
      'Deze melding is te zien voor jou, de bewoners van dit pand die hun adres met de briefcode hebben bevestigd, vrijwilligers, communitybuilders en wijkondernemers in hun eigen gebied en beheerders.',
      'De gemeente en alle anderen zien alleen aantallen van meerdere adressen samen (zoals per buurt), nooit per adres.',
    ]);
    const en = privacySentences({ audience: BUILDING }, 'en')?.join(' ') ?? '';
    expect(en).toContain('This report can be seen by you, the residents of this building');
    expect(en).toContain('volunteers, community builders and wijkondernemers in their own area and administrators');
    expect(en).toContain('The municipality and everyone else see only counts');
  });

  it('about one home: that address only, never "shared with the neighbourhood"', () => {
    const nl = privacySentences({ audience: ADDRESS }, 'nl')?.join(' ') ?? '';
    expect(nl).toContain('wie op dit adres woont');
    expect(nl).not.toContain('dit pand');
    expect(nl).not.toMatch(/gedeeld met de buurt/);
  });

  it('public space: everyone, on the map', () => {
    expect(privacySentences({ audience: PUBLIC }, 'nl')).toEqual(['Iedereen ziet deze melding op de kaart, zonder je naam of e-mailadres.']);
    expect(privacySentences({ audience: PUBLIC }, 'en')?.[0]).toContain('Everyone sees this report on the map');
  });

  it('follows the policy, not a list in the web: a role that may not read is not named', () => {
    const fewer: Audience = { ...BUILDING, roles: { ...homes, volunteer: 'aggregate' } };
    const nl = privacySentences({ audience: fewer }, 'nl')?.join(' ') ?? '';
    expect(nl).toContain('communitybuilders en wijkondernemers in hun eigen gebied');
    expect(nl).toContain('Vrijwilligers, de gemeente en alle anderen zien alleen aantallen');
    const nobody: Audience = { public: 'deny', roles: {}, residents: [] };
    expect(privacySentences({ audience: nobody }, 'nl')).toEqual(['Deze melding is te zien voor jou.', 'Niemand anders ziet deze melding.']);
  });

  it('says nothing rather than guess when the server does not say', () => {
    expect(privacySentences({}, 'nl')).toBeNull();
  });
});
