/**
 * Colour for people, never for pipes: on only when the stream is a terminal, unless NO_COLOR
 * (no-color.org: set and not empty) turns it off or FORCE_COLOR turns it on (`0`/`false` off).
 * picocolors does the escapes; a disabled palette returns strings unchanged.
 */
import { createRequire } from 'node:module';
import type Picocolors from 'picocolors';
import type { Severity } from '../transform.js';

// Required, not imported: picocolors is CommonJS, and an ES import of a CommonJS package is what
// makes Node load its export lexer at start-up (the last one a plain run had; see model/ast.ts).
const pc = createRequire(import.meta.url)('picocolors') as typeof Picocolors;

export type Colors = ReturnType<typeof pc.createColors>;

export type Env = Record<string, string | undefined>;

export function colorEnabled(isTTY: boolean | undefined, env: Env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(isTTY) && env.TERM !== 'dumb';
}

export function palette(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

/** A disabled palette, for callers that have no terminal. */
export const plain: Colors = pc.createColors(false);

/** A unified diff with git's colours: bold headers, cyan hunk lines, red removals, green additions. */
export function colorDiff(diff: string, c: Colors): string {
  if (!c.isColorSupported) return diff;
  let inHunk = false;
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('@@')) {
        inHunk = true;
        return c.cyan(line);
      }
      if (!inHunk || line.startsWith('diff ')) {
        inHunk = false;
        return line === '' ? line : c.bold(line);
      }
      if (line.startsWith('+')) return c.green(line);
      if (line.startsWith('-')) return c.red(line);
      if (line.startsWith('\\')) return c.dim(line);
      return line;
    })
    .join('\n');
}

export function colorSeverity(severity: Severity, c: Colors): string {
  if (severity === 'error') return c.bold(c.red(severity));
  if (severity === 'warning') return c.yellow(severity);
  return c.blue(severity);
}
