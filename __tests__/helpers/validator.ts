/**
 * dockerfile-utils' validator as the tests use it: the error-level diagnostics of a text as
 * `code: message`, sorted; null when the validator itself crashes (it hits a RangeError on an
 * indented instruction before FROM).
 */
import { validate } from 'dockerfile-utils';

export function validatorErrors(text: string): string[] | null {
  try {
    return validate(text)
      .filter((d) => d.severity === 1)
      .map((d) => `${d.code}: ${d.message}`)
      .sort();
  } catch {
    return null;
  }
}
