// The questions of a report, rendered from the type's JSON Schema (GET /api/observation-types):
//
//   enum of strings        → radio buttons (a radiogroup), "kan ik niet zien" last when the enum has it
//   array of enum strings  → checkboxes
//   boolean                → radio buttons ja / nee
//   integer or number      → a number field
//   string, maxLength ≤ 80 → a one-line text field
//   other strings          → a textarea, with the hint not to write names or phone numbers
//
// Client-side validation mirrors the schema's `required`, `maxLength` and `maxItems`; the server
// stays the judge, and its 422 `errors[]` are shown next to the fields they name.

import type { FieldError, JsonObject, JsonValue } from '../api/http';
import type { AnswerSchema, ObservationType } from '../api/reports';
import { t } from '../i18n';
import { h } from '../ui/element';
import type { Message } from '../ui/errorMessage';
import { answerLabel, fieldTitle } from './labels';

export type FieldKind = 'choice' | 'multi' | 'boolean' | 'number' | 'line' | 'text';

/** One question, as read from the schema. */
export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  /** The schema's title ("Dutch / English"). */
  readonly title: string | undefined;
  /** Values to choose from (choice, multi), "cant_tell" last. */
  readonly options: readonly string[];
  readonly maxLength: number | undefined;
  readonly maxItems: number | undefined;
  readonly integer: boolean;
}

/** The value of "can't tell", offered last wherever a schema has it. */
export const CANT_TELL = 'cant_tell';

/** Strings longer than this get a textarea. */
const LINE_MAX = 80;

function stringsOf(values: readonly JsonValue[] | undefined): string[] {
  return (values ?? []).filter((v): v is string => typeof v === 'string');
}

function cantTellLast(values: string[]): string[] {
  return values.includes(CANT_TELL) ? [...values.filter((v) => v !== CANT_TELL), CANT_TELL] : values;
}

function typesOf(schema: AnswerSchema): string[] {
  if (schema.type === undefined) return [];
  return typeof schema.type === 'string' ? [schema.type] : [...schema.type];
}

function kindOf(schema: AnswerSchema): FieldKind | null {
  const types = typesOf(schema);
  if (stringsOf(schema.enum).length > 0) return 'choice';
  if (types.includes('array')) return stringsOf(schema.items?.enum).length > 0 ? 'multi' : null;
  if (types.includes('boolean')) return 'boolean';
  if (types.includes('integer') || types.includes('number')) return 'number';
  if (types.includes('string')) return schema.maxLength !== undefined && schema.maxLength <= LINE_MAX ? 'line' : 'text';
  return null;
}

/**
 * The order questions are asked in: the required ones, then the one that decides the map's
 * status, then the other choices, short texts, and free text last; the schema's order within each.
 * (The server sends the properties in alphabetical order, so the schema's own order is lost.)
 */
function rank(spec: FieldSpec, statusField: string | undefined): number {
  if (spec.required) return 0;
  if (spec.name === statusField) return 1;
  if (spec.kind === 'line') return 3;
  if (spec.kind === 'text') return 4;
  return 2;
}

/** The questions of an answers schema, in asking order (see `rank`); properties the form cannot ask are left out. */
export function fieldSpecs(schema: AnswerSchema, statusField?: string): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  const specs = Object.entries(schema.properties ?? {}).flatMap(([name, property]): FieldSpec[] => {
    const kind = kindOf(property);
    if (kind === null) return [];
    const options =
      kind === 'choice' ? stringsOf(property.enum) : kind === 'multi' ? stringsOf(property.items?.enum) : [];
    return [
      {
        name,
        kind,
        required: required.has(name),
        title: property.title,
        options: cantTellLast(options),
        maxLength: property.maxLength,
        maxItems: property.maxItems,
        integer: typesOf(property).includes('integer'),
      },
    ];
  });
  // Array.prototype.sort is stable: the schema's order stays within a rank.
  return specs.sort((a, b) => rank(a, statusField) - rank(b, statusField));
}

/** A field that needs the user's attention. */
export interface FieldProblem {
  readonly field: string;
  readonly message: Message;
}

/** What the form collects: only answered questions (an unanswered optional question is left out). */
export function collectAnswers(specs: readonly FieldSpec[], root: ParentNode): JsonObject {
  const answers: JsonObject = {};
  for (const spec of specs) {
    const inputs = [...root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(`[name="${spec.name}"]`)];
    switch (spec.kind) {
      case 'choice':
      case 'boolean': {
        const checked = inputs.find((i) => i instanceof HTMLInputElement && i.checked);
        if (checked) answers[spec.name] = spec.kind === 'boolean' ? checked.value === 'true' : checked.value;
        break;
      }
      case 'multi': {
        const values = inputs.filter((i) => i instanceof HTMLInputElement && i.checked).map((i) => i.value);
        if (values.length > 0) answers[spec.name] = values;
        break;
      }
      case 'number': {
        const raw = inputs[0]?.value.trim() ?? '';
        if (raw !== '' && Number.isFinite(Number(raw))) answers[spec.name] = Number(raw);
        break;
      }
      case 'line':
      case 'text': {
        const value = inputs[0]?.value.trim() ?? '';
        if (value !== '') answers[spec.name] = value;
        break;
      }
    }
  }
  return answers;
}

/** The problems the server would also find: missing required answers, too long, too many. */
export function validateAnswers(specs: readonly FieldSpec[], answers: JsonObject): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const spec of specs) {
    const value = answers[spec.name];
    if (value === undefined) {
      if (spec.required) problems.push({ field: spec.name, message: { key: 'report.fieldRequired' } });
      continue;
    }
    if (typeof value === 'string' && spec.maxLength !== undefined && [...value].length > spec.maxLength) {
      problems.push({ field: spec.name, message: { key: 'report.fieldTooLong', params: { max: spec.maxLength } } });
    }
    if (Array.isArray(value) && spec.maxItems !== undefined && value.length > spec.maxItems) {
      problems.push({ field: spec.name, message: { key: 'report.fieldTooMany', params: { max: spec.maxItems } } });
    }
  }
  return problems;
}

/**
 * The server's 422 `errors[]` by question: `/answers/panels` and `/answers/insulation/2` belong to
 * their question; a missing required property is reported at `/answers` and names it in its
 * message. The rest (the target, the type) is returned under `form`.
 */
export function serverProblems(
  specs: readonly FieldSpec[],
  errors: readonly FieldError[],
): { fields: FieldProblem[]; form: string[] } {
  const names = new Set(specs.map((s) => s.name));
  const fields: FieldProblem[] = [];
  const form: string[] = [];
  for (const error of errors) {
    const path = /^\/answers\/([^/]+)/.exec(error.field)?.[1]?.replace(/~1/g, '/').replace(/~0/g, '~');
    const missing = error.field === '/answers' ? /"([^"]+)" is a required property/.exec(error.message)?.[1] : undefined;
    const name = path ?? missing;
    if (name !== undefined && names.has(name)) {
      fields.push({ field: name, message: { key: 'report.fieldServer', params: { message: error.message } } });
    } else {
      form.push(error.message);
    }
  }
  return { fields, form };
}

/** A question element, kept so that its words follow the language and its message can be set. */
interface Question {
  readonly spec: FieldSpec;
  readonly root: HTMLElement;
  readonly error: HTMLElement;
  readonly inputs: readonly (HTMLInputElement | HTMLTextAreaElement)[];
}

/** The rendered questions of one type. */
export class SchemaForm {
  readonly element: HTMLElement;
  readonly specs: readonly FieldSpec[];
  private readonly questions: Question[] = [];
  /** Elements whose text depends on the language, with the function that gives it. */
  private readonly texts: [HTMLElement, () => string][] = [];

  constructor(
    private readonly type: ObservationType,
    private readonly idPrefix = 'report',
  ) {
    this.specs = fieldSpecs(type.schema, type.status_field);
    this.element = h('div', { className: 'questions' });
    for (const spec of this.specs) this.element.append(this.question(spec));
  }

  /** The answers given so far. */
  answers(): JsonObject {
    return collectAnswers(this.specs, this.element);
  }

  /** Puts `answers` (a draft) into the questions; values the questions do not offer are left out. */
  fill(answers: JsonObject): void {
    for (const q of this.questions) {
      const value = answers[q.spec.name];
      if (value === undefined || value === null) continue;
      switch (q.spec.kind) {
        case 'choice':
        case 'boolean':
        case 'multi': {
          const wanted = new Set((Array.isArray(value) ? value : [value]).map(String));
          for (const input of q.inputs) if (input instanceof HTMLInputElement) input.checked = wanted.has(input.value);
          break;
        }
        default: {
          const input = q.inputs[0];
          if (input && (typeof value === 'string' || typeof value === 'number')) input.value = String(value);
        }
      }
    }
  }

  /** Shows `problems` next to their questions (clearing the others); focuses the first. */
  showProblems(problems: readonly FieldProblem[]): void {
    for (const q of this.questions) {
      const problem = problems.find((p) => p.field === q.spec.name);
      q.error.hidden = problem === undefined;
      q.error.textContent = problem ? t(problem.message.key, problem.message.params ? { ...problem.message.params } : {}) : '';
      for (const input of q.inputs) {
        if (problem) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
      }
    }
    const first = this.questions.find((q) => problems.some((p) => p.field === q.spec.name));
    (first?.inputs.find((i) => i instanceof HTMLInputElement && i.checked) ?? first?.inputs[0])?.focus();
  }

  /** Puts the words in the current language again (after a language switch). */
  relabel(): void {
    for (const [el, text] of this.texts) el.textContent = text();
  }

  private text<K extends keyof HTMLElementTagNameMap>(tag: K, text: () => string, className?: string): HTMLElementTagNameMap[K] {
    const el = h(tag, className ? { className, text: text() } : { text: text() });
    this.texts.push([el, text]);
    return el;
  }

  private question(spec: FieldSpec): HTMLElement {
    const id = `${this.idPrefix}-${spec.name}`;
    const errorId = `${id}-error`;
    const error = h('p', { className: 'field-error', attrs: { id: errorId } });
    error.hidden = true;
    const title = () => fieldTitle(spec.title, spec.name);
    const required = spec.required ? this.text('span', () => ` (${t('report.required')})`, 'required-mark') : null;

    if (spec.kind === 'choice' || spec.kind === 'multi' || spec.kind === 'boolean') {
      const values = spec.kind === 'boolean' ? ['true', 'false'] : spec.options;
      const inputs = values.map((value, i) => {
        const input = h('input', {
          attrs: {
            type: spec.kind === 'multi' ? 'checkbox' : 'radio',
            name: spec.name,
            value,
            id: `${id}-${i}`,
            'aria-describedby': errorId,
          },
        });
        const label =
          spec.kind === 'boolean'
            ? () => t(value === 'true' ? 'value.yes' : 'value.no')
            : () => answerLabel(this.type.name, spec.name, value);
        const className = value === CANT_TELL ? 'choice choice-cant-tell' : 'choice';
        return { input, row: h('label', { className, attrs: { for: input.id } }, input, this.text('span', label)) };
      });
      const legend = h('legend', {}, this.text('span', title), required);
      const attrs: Record<string, string> = { 'data-field': spec.name };
      if (spec.kind !== 'multi') {
        attrs['role'] = 'radiogroup';
        if (spec.required) attrs['aria-required'] = 'true';
      }
      const root = h('fieldset', { className: `question question-${spec.kind}`, attrs }, legend, ...inputs.map((i) => i.row), error);
      this.questions.push({ spec, root, error, inputs: inputs.map((i) => i.input) });
      return root;
    }

    let input: HTMLInputElement | HTMLTextAreaElement;
    const describedBy = [errorId];
    let hint: HTMLElement | null = null;
    if (spec.kind === 'text') {
      input = h('textarea', { attrs: { rows: '3' } });
      hint = this.text('p', () => t('report.noteHint'), 'hint');
      hint.id = `${id}-hint`;
      describedBy.unshift(hint.id);
    } else {
      input = h('input', {
        attrs: spec.kind === 'number' ? { type: 'number', inputmode: spec.integer ? 'numeric' : 'decimal' } : { type: 'text' },
      });
      if (spec.kind === 'number' && spec.integer) input.step = '1';
    }
    input.id = id;
    input.name = spec.name;
    if (spec.maxLength !== undefined) input.maxLength = spec.maxLength;
    if (spec.required) input.setAttribute('aria-required', 'true');
    input.setAttribute('aria-describedby', describedBy.join(' '));
    const label = h('label', { attrs: { for: id } }, this.text('span', title), required);
    const root = h('div', { className: `question question-${spec.kind}`, attrs: { 'data-field': spec.name } }, label, input, hint, error);
    this.questions.push({ spec, root, error, inputs: [input] });
    return root;
  }
}
