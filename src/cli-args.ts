/**
 * A fast path for the command line: importing yargs costs about as much as starting Node
 * (≈60 ms), which a one-file `dockerfix --check Dockerfile` should not pay. This parser accepts
 * only the plain, unambiguous spellings of the known options and returns exactly what yargs
 * would (camelCase keys, defaults, numbers); for anything else — help, unknown or repeated
 * options, `--no-x` other than `--no-build-commands`, values that look like flags or numbers —
 * it returns null and the caller uses yargs, so errors and help text stay yargs' own.
 * __tests__/cli-args.test.ts checks it against yargs on generated command lines.
 */

type Kind = 'boolean' | 'string' | 'array' | 'number' | { choices: readonly string[] };

/** Long options main() understands, by kind. Must match buildParser in cli.ts. */
const OPTIONS: Record<string, Kind> = {
  check: 'boolean',
  'dry-run': 'boolean',
  list: 'boolean',
  quiet: 'boolean',
  'safe-only': 'boolean',
  'verify-build': 'boolean',
  'build-commands': 'boolean',
  only: 'array',
  skip: 'array',
  context: 'string',
  config: 'string',
  target: 'string',
  'max-size': 'number',
  jobs: 'number',
  format: { choices: ['text', 'json', 'sarif'] },
  'fail-level': { choices: ['error', 'warning', 'info', 'none'] },
};

const SHORT: Record<string, string> = { '-q': 'quiet', '-j': 'jobs' };

/** yargs' defaults for the options above. */
const DEFAULTS: Record<string, unknown> = { format: 'text', 'build-commands': true };

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** A token yargs would read as a number or a boolean rather than a string. */
function looksTyped(token: string): boolean {
  if (token === 'true' || token === 'false') return true;
  return token.trim() !== '' && /^[-+]?[0-9.]/.test(token.trim()) && !Number.isNaN(Number(token));
}

export type FastArgs = Record<string, unknown> & { _: string[] };

/** The parsed arguments, or null when yargs must decide. */
export function fastParse(argv: string[]): FastArgs | null {
  const values = new Map<string, unknown>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '-' || !token.startsWith('-')) {
      if (looksTyped(token) || token === '') return null;
      positional.push(token);
      continue;
    }
    let name: string;
    let inline: string | null = null;
    if (SHORT[token]) {
      name = SHORT[token];
    } else if (token.startsWith('--') && token.length > 2) {
      const eq = token.indexOf('=');
      name = eq < 0 ? token.slice(2) : token.slice(2, eq);
      if (eq >= 0) inline = token.slice(eq + 1);
    } else {
      return null;
    }
    if (name === 'no-build-commands' && inline === null) {
      if (values.has('build-commands')) return null;
      values.set('build-commands', false);
      continue;
    }
    const kind = OPTIONS[name];
    if (!kind) return null;
    if (kind === 'boolean') {
      if (inline !== null || values.has(name)) return null;
      // yargs would take a following true/false as the flag's value.
      if (argv[i + 1] === 'true' || argv[i + 1] === 'false') return null;
      values.set(name, true);
      continue;
    }
    let value = inline;
    if (value === null) {
      value = argv[i + 1] ?? null;
      if (value === null || value.startsWith('-')) return null;
      i++;
    }
    if (value === '' || value.startsWith('-') || /^\s|\s$/.test(value)) return null;
    if (kind === 'array') {
      const list = (values.get(name) as string[] | undefined) ?? [];
      list.push(value);
      values.set(name, list);
      continue;
    }
    if (values.has(name)) return null;
    if (kind === 'number') {
      if (!/^[0-9]{1,9}$/.test(value)) return null;
      values.set(name, Number(value));
    } else if (kind === 'string') {
      values.set(name, value);
    } else {
      if (!kind.choices.includes(value)) return null;
      values.set(name, value);
    }
  }
  const args: FastArgs = { _: positional };
  for (const [name, value] of Object.entries(DEFAULTS)) {
    if (!values.has(name)) values.set(name, value);
  }
  for (const [name, value] of values) {
    args[name] = value;
    args[camel(name)] = value;
  }
  if (values.has('quiet')) args.q = values.get('quiet');
  if (values.has('jobs')) args.j = values.get('jobs');
  return args;
}
