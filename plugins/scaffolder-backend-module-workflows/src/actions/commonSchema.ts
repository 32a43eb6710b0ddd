import { InputError } from '@backstage/errors';

/**
 * Checks a value with one of the common schemas. The scaffolder validates
 * inputs with the JSON schema made from the action's zod schema, which
 * drops refinements: the handler checks what the JSON schema cannot say.
 */
export function checkInput<T>(
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { message: string }[] } };
  },
  value: unknown,
  field: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(`${field}: ${result.error.issues[0].message}`);
  }
  return result.data;
}
