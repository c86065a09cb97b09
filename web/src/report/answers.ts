// The answers of a report as the form asked them: each question in the type's words (the schema's
// "Dutch / English" title) with its answer in words (the catalogue's value labels), in the order
// the form asks them. Free text is shown as written. A type the page does not know (a newer
// server) shows its field names and values readable.

import type { JsonObject, JsonValue } from '../api/http';
import type { ObservationType } from '../api/reports';
import { t } from '../i18n';
import { formatCount, listPhrase, readable } from '../ui/words';
import { answerLabel, fieldTitle } from './labels';
import { fieldSpecs, type FieldSpec } from './schemaForm';

export interface AnswerRow {
  readonly field: string;
  readonly question: string;
  readonly answer: string;
}

function answerText(typeName: string, field: string, spec: FieldSpec | undefined, value: JsonValue): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return t(value ? 'value.yes' : 'value.no');
  if (typeof value === 'number') return formatCount(value, undefined, 2);
  if (typeof value === 'string') {
    const free = spec !== undefined && (spec.kind === 'line' || spec.kind === 'text');
    return free ? value : answerLabel(typeName, field, value);
  }
  if (Array.isArray(value)) {
    const items = value.flatMap((v) => {
      const one = answerText(typeName, field, spec, v);
      return one === null ? [] : [one];
    });
    return items.length === 0 ? null : listPhrase(items);
  }
  return null;
}

/** The answered questions of a report of `typeName` (`type` when known), in asking order. */
export function answerRows(type: ObservationType | undefined, typeName: string, answers: JsonObject): AnswerRow[] {
  const specs = type ? fieldSpecs(type.schema, type.status_field) : [];
  const names = [...specs.map((s) => s.name), ...Object.keys(answers).filter((k) => !specs.some((s) => s.name === k))];
  return names.flatMap((field) => {
    const value = answers[field];
    if (value === undefined) return [];
    const spec = specs.find((s) => s.name === field);
    const answer = answerText(typeName, field, spec, value);
    if (answer === null) return [];
    return [{ field, question: spec ? fieldTitle(spec.title, field) : readable(field), answer }];
  });
}
