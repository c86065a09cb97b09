// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { ObservationType } from '../../src/api/reports';
import { setLang } from '../../src/i18n';
import { targetFor } from '../../src/report/reportForm';
import {
  CANT_TELL,
  collectAnswers,
  fieldSpecs,
  SchemaForm,
  serverProblems,
  validateAnswers,
} from '../../src/report/schemaForm';

// Shaped like GET /api/observation-types answers (server/observation-types/*.json); the server
// sends the properties in alphabetical order.
const SOLAR: ObservationType = {
  name: 'solar_panels',
  version: 1,
  title: { nl: 'Zonnepanelen', en: 'Solar panels' },
  question: { nl: 'Liggen er zonnepanelen op dit dak?', en: 'Are there solar panels on this roof?' },
  targets: ['building'],
  public_space: false,
  own_home_only: false,
  visible_from_street: true,
  status_field: 'panels',
  status_classes: { yes: 'panels_seen', no: 'no_panels', cant_tell: 'unknown' },
  schema: {
    type: 'object',
    required: ['panels'],
    properties: {
      count: { enum: ['1-4', '5-10', '11-20', 'more_than_20', 'cant_tell'], title: 'Ongeveer hoeveel / Roughly how many' },
      note: { type: 'string', maxLength: 500, title: 'Toelichting / Note' },
      panels: { enum: ['yes', 'no', 'cant_tell'], title: 'Panelen op het dak / Panels on the roof' },
      roof_part: { enum: ['cant_tell', 'front', 'back', 'both', 'flat_roof'], title: 'Welk dakdeel / Which part of the roof' },
    },
  },
};

const GAS: ObservationType = {
  ...SOLAR,
  name: 'gas_readiness',
  title: { nl: 'Klaar om van het gas af te gaan', en: 'Ready to go off natural gas' },
  targets: ['address'],
  own_home_only: true,
  visible_from_street: false,
  status_field: 'interest',
  schema: {
    type: 'object',
    required: ['heating', 'cooking', 'interest'],
    properties: {
      cooking: { enum: ['gas', 'induction', 'electric_other', 'cant_tell'], title: 'Koken / Cooking' },
      heating: { enum: ['gas_boiler', 'heat_pump', 'cant_tell'], title: 'Verwarming / Heating' },
      insulation: { type: 'array', uniqueItems: true, maxItems: 2, items: { enum: ['roof', 'walls', 'none'] }, title: 'Isolatie gedaan / Insulation steps done' },
      interest: { enum: ['yes', 'maybe', 'no', 'already_off_gas'], title: 'Interesse / Interest' },
      note: { type: 'string', maxLength: 500 },
      rooms: { type: 'integer', title: 'Kamers / Rooms' },
      shared: { type: 'boolean', title: 'Gedeeld / Shared' },
      tree_id: { type: 'string', maxLength: 64, title: 'Code / Code' },
      weird: { type: 'object' },
    },
  },
};

function mount(type: ObservationType): { form: SchemaForm; root: HTMLElement } {
  const form = new SchemaForm(type);
  const root = document.createElement('form');
  root.append(form.element);
  document.body.replaceChildren(root);
  return { form, root };
}

function check(root: ParentNode, name: string, value: string): void {
  const input = root.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
  if (!input) throw new Error(`no ${name}=${value}`);
  input.checked = true;
}

describe('schema → questions', () => {
  afterEach(() => setLang('nl'));

  it('reads each property as the kind of question it can be', () => {
    const specs = fieldSpecs(GAS.schema, GAS.status_field);
    const kinds = Object.fromEntries(specs.map((s) => [s.name, s.kind]));
    expect(kinds).toEqual({
      cooking: 'choice',
      heating: 'choice',
      interest: 'choice',
      insulation: 'multi',
      rooms: 'number',
      shared: 'boolean',
      tree_id: 'line',
      note: 'text',
    });
    expect(specs.find((s) => s.name === 'weird')).toBeUndefined();
  });

  it('asks required questions first, then the status question, free text last', () => {
    expect(fieldSpecs(SOLAR.schema, SOLAR.status_field).map((s) => s.name)).toEqual(['panels', 'count', 'roof_part', 'note']);
    const gas = fieldSpecs(GAS.schema, GAS.status_field).map((s) => s.name);
    expect(gas.slice(0, 3)).toEqual(['cooking', 'heating', 'interest']);
    expect(gas.slice(-2)).toEqual(['tree_id', 'note']);
  });

  it('renders an enum as a labelled radiogroup with "kan ik niet zien" last', () => {
    const { root } = mount(SOLAR);
    const roof = root.querySelector<HTMLFieldSetElement>('fieldset[data-field="roof_part"]');
    expect(roof?.getAttribute('role')).toBe('radiogroup');
    const values = [...(roof?.querySelectorAll<HTMLInputElement>('input[type="radio"]') ?? [])].map((i) => i.value);
    expect(values.at(-1)).toBe(CANT_TELL);
    expect(values).toHaveLength(5);
    const labels = [...root.querySelectorAll('fieldset[data-field="panels"] label.choice')].map((l) => l.textContent);
    expect(labels).toEqual(['ja', 'nee', 'kan ik niet zien']);
    expect(root.querySelector('fieldset[data-field="panels"] label.choice-cant-tell')?.textContent).toBe('kan ik niet zien');
    // Every option's label is tied to its input.
    for (const label of root.querySelectorAll<HTMLLabelElement>('label.choice')) {
      expect(root.querySelector(`#${label.htmlFor}`)).not.toBeNull();
    }
  });

  it('marks required questions and titles them in the chosen language', () => {
    const { form, root } = mount(SOLAR);
    const legend = () => root.querySelector('fieldset[data-field="panels"] legend')?.textContent;
    expect(legend()).toBe('Panelen op het dak (verplicht)');
    expect(root.querySelector('fieldset[data-field="panels"]')?.getAttribute('aria-required')).toBe('true');
    expect(root.querySelector('fieldset[data-field="count"] legend')?.textContent).toBe('Ongeveer hoeveel');
    expect(root.querySelector('fieldset[data-field="count"] label.choice')?.textContent).toBe('1 tot 4');
    setLang('en');
    form.relabel();
    expect(legend()).toBe('Panels on the roof (required)');
    expect(root.querySelector('fieldset[data-field="panels"] label.choice-cant-tell')?.textContent).toBe('can’t tell');
  });

  it('renders an array of enums as checkboxes and a long string as a textarea with the privacy hint', () => {
    const { root } = mount(GAS);
    const boxes = root.querySelectorAll<HTMLInputElement>('fieldset[data-field="insulation"] input[type="checkbox"]');
    expect([...boxes].map((b) => b.value)).toEqual(['roof', 'walls', 'none']);
    expect(root.querySelector('fieldset[data-field="insulation"] label[for$="-2"]')?.textContent).toBe('nog niets');
    const note = root.querySelector<HTMLTextAreaElement>('textarea[name="note"]');
    expect(note?.maxLength).toBe(500);
    const hint = root.querySelector(`#${note?.getAttribute('aria-describedby')?.split(' ')[0]}`);
    expect(hint?.textContent).toMatch(/geen namen, telefoonnummers/);
    expect(root.querySelector('input[name="tree_id"]')?.getAttribute('type')).toBe('text');
    expect(root.querySelector('label[for="report-note"]')?.textContent).toBe('note');
  });

  it('collects only what was answered', () => {
    const { form, root } = mount(GAS);
    expect(form.answers()).toEqual({});
    check(root, 'heating', 'heat_pump');
    check(root, 'insulation', 'roof');
    check(root, 'insulation', 'walls');
    check(root, 'shared', 'false');
    (root.querySelector('input[name="rooms"]') as HTMLInputElement).value = '4';
    (root.querySelector('textarea[name="note"]') as HTMLTextAreaElement).value = '  tocht bij de ramen  ';
    expect(collectAnswers(form.specs, root)).toEqual({
      heating: 'heat_pump',
      insulation: ['roof', 'walls'],
      shared: false,
      rooms: 4,
      note: 'tocht bij de ramen',
    });
  });

  it('validates required answers, lengths and counts like the schema', () => {
    const specs = fieldSpecs(GAS.schema, GAS.status_field);
    const problems = validateAnswers(specs, { heating: 'gas_boiler', insulation: ['roof', 'walls', 'none'], note: 'x'.repeat(501) });
    expect(problems.map((p) => `${p.field}:${p.message.key}`).sort()).toEqual([
      'cooking:report.fieldRequired',
      'insulation:report.fieldTooMany',
      'interest:report.fieldRequired',
      'note:report.fieldTooLong',
    ]);
    expect(validateAnswers(fieldSpecs(SOLAR.schema), { panels: CANT_TELL })).toEqual([]);
  });

  it('shows problems next to their question and focuses the first', () => {
    const { form, root } = mount(SOLAR);
    form.showProblems(validateAnswers(form.specs, form.answers()));
    const error = root.querySelector<HTMLElement>('fieldset[data-field="panels"] .field-error');
    expect(error?.hidden).toBe(false);
    expect(error?.textContent).toBe('Kies of vul hier iets in.');
    const first = root.querySelector<HTMLInputElement>('input[name="panels"]');
    expect(first?.getAttribute('aria-invalid')).toBe('true');
    expect(first?.getAttribute('aria-describedby')).toBe(error?.id);
    expect(document.activeElement).toBe(first);
    form.showProblems([]);
    expect(error?.hidden).toBe(true);
    expect(first?.hasAttribute('aria-invalid')).toBe(false);
  });

  it("puts the server's 422 errors next to the fields they name", () => {
    const specs = fieldSpecs(SOLAR.schema, SOLAR.status_field);
    const { fields, form } = serverProblems(specs, [
      { field: '/answers/count', message: '3 is not one of "1-4"' },
      { field: '/answers', message: '"panels" is a required property' },
      { field: '/answers', message: 'Additional properties are not allowed' },
      { field: '/target', message: 'a solar_panels report is about ["building"]' },
    ]);
    expect(fields.map((f) => f.field)).toEqual(['count', 'panels']);
    expect(fields[0]?.message).toEqual({ key: 'report.fieldServer', params: { message: '3 is not one of "1-4"' } });
    expect(form).toEqual(['Additional properties are not allowed', 'a solar_panels report is about ["building"]']);
  });
});

describe('the target sent', () => {
  const GREEN: ObservationType = { ...SOLAR, name: 'greenery_distress', targets: ['point', 'tree'], public_space: true };
  const point = { type: 'Point' as const, coordinates: [5.85, 51.95] as const };

  it('is a tree when the answers name one from the register', () => {
    const choice = { type: GREEN, target: { point }, address: null };
    expect(targetFor(choice, { object: 'tree', tree_id: 'B-123' })).toEqual({ tree: 'B-123', point });
    expect(targetFor(choice, { object: 'tree' })).toEqual({ point });
    expect(targetFor({ ...choice, type: { ...GREEN, targets: ['point'] } }, { tree_id: 'B-1' })).toEqual({ point });
  });
});
