import { ResponseError } from '@backstage/errors';
import { scheduleFieldSchema } from '@internal/plugin-workflows-common';
import { errorMessage } from '../shared/errors';
import type { FieldProblems, FormField } from './scheduleForm';

const FIELDS = [...scheduleFieldSchema.options, 'scheduleId'];

/**
 * Where one field's problem starts in a 400's message, which reads
 * "Invalid body: definition.cron: ...; headers.X-Key: ...". Messages may hold
 * "; " themselves, so a problem only starts at a known field name.
 */
const FIELD_START = new RegExp(
  `(?:^|; )(?:definition\\.)?(${FIELDS.join('|')})((?:\\.[^:;]+)?): `,
  'g',
);

/**
 * The problems of a refused preview or save, by the field they name; what
 * names no field (a 403, a 502, a body-level problem) is `other`.
 */
export function serverProblemsOf(error: Error): {
  fields: FieldProblems;
  other?: string;
} {
  const message = errorMessage(error);
  if (!ResponseError.is(error) || error.statusCode !== 400) {
    return { fields: {}, other: message };
  }
  const text = message.replace(/^Invalid (?:body|query): /, '');
  const starts = [...text.matchAll(FIELD_START)];
  if (starts.length === 0) return { fields: {}, other: message };
  const fields: FieldProblems = {};
  starts.forEach((start, i) => {
    const field = start[1] as FormField;
    const end = starts[i + 1]?.index ?? text.length;
    const problem = text.slice(start.index! + start[0].length, end);
    // A header's name is part of the path: keep it in the sentence.
    const sub = start[2] ? `${start[2].slice(1)}: ` : '';
    fields[field] = fields[field] ?? `${sub}${problem}`;
  });
  const before = text.slice(0, starts[0].index).trim();
  return before ? { fields, other: before } : { fields };
}
