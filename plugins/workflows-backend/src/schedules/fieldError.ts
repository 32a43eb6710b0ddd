import { InputError } from '@backstage/errors';

/** A 400 naming the offending body field, worded like the router's schema errors. */
export function fieldError(field: string, message: string): InputError {
  return new InputError(`Invalid body: ${field}: ${message}`);
}
