// The message catalogue as one whole (issue 11, "words, not keys"): every key in Dutch and English,
// no value that is its key or a code, plurals in pairs, and a word for every code the server
// sends that a person may read — the BAG statuses and gebruiksdoelen of server/openapi.json, the
// answers, titles and status classes of the shipped observation types, the audit actions the
// server writes and its retention rules — read from the server's own sources, so that a code added
// there without words here fails.

import { describe, expect, it } from 'vitest';
import openapiText from '../../../server/openapi.json?raw';
import peopleRs from '../../../store/src/people.rs?raw';
import { isMessageKey, LANGS, MESSAGES, type MessageKey } from '../../src/i18n';

const KEYS = Object.keys(MESSAGES.nl) as MessageKey[];
/** The server's own sources, read as text (Vite's raw imports). */
const SERVER_RS: Record<string, string> = import.meta.glob('../../../server/src/**/*.rs', { query: '?raw', import: 'default', eager: true });
const TYPE_FILES: Record<string, string> = import.meta.glob('../../../server/observation-types/*.json', { query: '?raw', import: 'default', eager: true });

interface TypeJson {
  readonly name: string;
  readonly title: { nl: string; en: string };
  readonly question: { nl: string; en: string };
  readonly status_classes: Record<string, string>;
  readonly schema: { properties: Record<string, { title?: string; enum?: string[]; items?: { enum?: string[] } }> };
}
const TYPES: TypeJson[] = Object.values(TYPE_FILES).map((text) => JSON.parse(text) as TypeJson);

describe('the message catalogue', () => {
  it('has every key in Dutch and in English, none empty', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual([...KEYS].sort());
    for (const lang of LANGS) for (const key of KEYS) expect(MESSAGES[lang][key].trim(), `${lang} ${key}`).not.toBe('');
  });

  it('has no value that is its key, a key, or a code', () => {
    const keys = new Set<string>(KEYS);
    for (const lang of LANGS) {
      for (const key of KEYS) {
        const value = MESSAGES[lang][key];
        const words = value.replace(/\{\w+\}/g, '');
        expect(value, `${lang} ${key}`).not.toBe(key);
        expect(keys.has(value.trim()), `${lang} ${key} is the key ${value}`).toBe(false);
        expect(words, `${lang} ${key}`).not.toMatch(/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/);
      }
    }
  });

  it('has plurals in pairs, with the count in the other form', () => {
    const others = KEYS.filter((k) => k.endsWith('.other') && k.split('.').length >= 3);
    expect(others.length).toBeGreaterThan(10);
    for (const other of others) {
      const one = `${other.slice(0, -'.other'.length)}.one`;
      expect(isMessageKey(one), `${other} without ${one}`).toBe(true);
      for (const lang of LANGS) expect(MESSAGES[lang][other], `${lang} ${other}`).toMatch(/\{count\}|\{first\}/);
    }
  });

  it('says one thing to a person: "je", never "u" or "uw"', () => {
    for (const key of KEYS) expect(MESSAGES.nl[key], key).not.toMatch(/\b(u|uw|Uw|U)\b/);
  });
});

describe('a word for every code the server sends', () => {
  const openapi = JSON.parse(openapiText) as { components: { schemas: Record<string, { enum?: string[] }> } };

  it('every BAG pand and verblijfsobject status', () => {
    for (const [schema, prefix] of [['BuildingStatus', 'bag.pand'], ['AddressStatus', 'bag.vbo']] as const) {
      const values = openapi.components.schemas[schema]?.enum ?? [];
      expect(values.length).toBeGreaterThan(5);
      for (const value of values) expect(isMessageKey(`${prefix}.${value}`), `${schema} ${value}`).toBe(true);
    }
  });

  it('every BAG gebruiksdoel', () => {
    const uses = ['woonfunctie', 'winkelfunctie', 'kantoorfunctie', 'bijeenkomstfunctie', 'celfunctie', 'gezondheidszorgfunctie', 'industriefunctie', 'logiesfunctie', 'onderwijsfunctie', 'sportfunctie', 'overige gebruiksfunctie'];
    for (const use of uses) expect(isMessageKey(`use.${use}`), use).toBe(true);
  });

  it('every answer, question title and status class of the shipped observation types', () => {
    expect(TYPES.map((t) => t.name).sort()).toEqual(['gas_readiness', 'greenery_distress', 'roof_suitability', 'solar_panels']);
    for (const type of TYPES) {
      expect(type.title.nl && type.title.en && type.question.nl && type.question.en, type.name).toBeTruthy();
      expect(type.question.nl, `${type.name} says "je"`).not.toMatch(/\b(u|uw|Uw|U)\b/);
      for (const [field, property] of Object.entries(type.schema.properties)) {
        expect(property.title?.split(' / ').length, `${type.name}.${field} has a Dutch and an English title`).toBe(2);
        for (const value of [...(property.enum ?? []), ...(property.items?.enum ?? [])]) {
          const known = isMessageKey(`value.${type.name}.${field}.${value}`) || isMessageKey(`value.${value}`);
          expect(known, `${type.name}.${field} = ${value}`).toBe(true);
        }
      }
      for (const statusClass of Object.values(type.status_classes)) expect(isMessageKey(`statusClass.${statusClass}`), statusClass).toBe(true);
    }
  });

  it('every audit action the server writes', () => {
    const actions = new Set<string>();
    expect(Object.keys(SERVER_RS).length).toBeGreaterThan(20);
    for (const text of Object.values(SERVER_RS)) {
      // `.audit(` and the next lines: the first string literal in snake_case is the action.
      for (const m of text.matchAll(/\.audit\(\s*([^;]*?)\)\s*(?:\.await|;)/gs)) {
        for (const literal of m[1]?.matchAll(/"([a-z]+(?:_[a-z]+)+|[a-z]{4,})"/g) ?? []) {
          actions.add(literal[1] ?? '');
          if (!/if\b/.test(m[1] ?? '')) break;
        }
      }
    }
    expect(actions.size).toBeGreaterThan(15);
    for (const action of actions) expect(isMessageKey(`audit.action.${action}`), action).toBe(true);
  });

  it('every retention rule', () => {
    const entries = peopleRs.match(/fn entries[\s\S]*?\n {4}\}/)?.[0] ?? '';
    const kinds = [...entries.matchAll(/\("([a-z_]+)", self\./g)].map((m) => m[1]);
    expect(kinds.length).toBe(11);
    for (const kind of kinds) expect(isMessageKey(`retention.kind.${kind}`), kind).toBe(true);
  });
});
