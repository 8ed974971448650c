/**
 * The command-line fast path (src/cli-args.ts) must give main() exactly what yargs gives, or
 * step aside (null). Checked on hand-picked and generated command lines.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import yargs from 'yargs';
import { fastParse } from '../src/cli-args.js';
import { buildParser } from '../src/cli.js';

async function viaYargs(argv: string[]): Promise<Record<string, unknown> | null> {
  let failed = false;
  let output = '';
  const parser = buildParser(argv, yargs).fail(() => {
    failed = true;
  });
  const args = (await parser.parse(argv, {}, (_e, _a, out) => {
    output = out;
  })) as Record<string, unknown>;
  return failed || output ? null : args;
}

/** The keys main() reads: yargs' camelCase keys (no aliases' kebab copies, no $0). */
function comparable(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (k === '$0' || k.includes('-')) continue;
    out[k] = k === '_' ? (v as unknown[]).map(String) : v;
  }
  return out;
}

async function agree(argv: string[]): Promise<boolean> {
  const fast = fastParse(argv);
  if (fast === null) return true;
  const slow = await viaYargs(argv);
  expect(slow).not.toBeNull();
  expect(comparable(fast)).toEqual(comparable(slow!));
  return true;
}

describe('fast command-line path', () => {
  test('takes the common command lines', () => {
    expect(fastParse(['--check', '.'])).not.toBeNull();
    expect(fastParse(['--check', '--jobs', '2', 'services/api/Dockerfile'])).not.toBeNull();
    expect(fastParse(['--dry-run', '--only', '7,8', '-'])).not.toBeNull();
    expect(fastParse(['-q', '--format=json', '--no-build-commands', 'a', 'b'])).not.toBeNull();
  });

  test('leaves help, unknown, repeated and odd spellings to yargs', () => {
    for (const argv of [
      ['--help'],
      ['-h'],
      ['--version'],
      ['--bogus', '.'],
      ['--check', '--check', '.'],
      ['--context', 'a', '--context', 'b', '.'],
      ['--check=false', '.'],
      ['--check', 'false', '.'],
      ['--format', 'xml', '.'],
      ['--jobs', 'many', '.'],
      ['--jobs'],
      ['--context', '--check', '.'],
      ['--no-check', '.'],
      ['-qj', '2', '.'],
      ['1e3'],
      ['--', '-x'],
      ['--dryRun', '.'],
    ]) {
      expect(fastParse(argv)).toBeNull();
    }
  });

  test('agrees with yargs on hand-picked command lines', async () => {
    for (const argv of [
      ['.'],
      ['--check', '.'],
      ['--check', '--jobs', '2', '.'],
      ['-j', '3', '--dry-run', 'x/Dockerfile'],
      ['--only', '7', '--only', '8,9', '--skip=10', '-'],
      ['--only', '07-builder-buildplatform', 'Dockerfile'],
      ['--format', 'sarif', '--fail-level', 'warning', '.'],
      [
        '--max-size',
        '1048576',
        '--context',
        'ctx',
        '--config',
        'c.json',
        '--target',
        'runtime',
        '.',
      ],
      ['--safe-only', '--verify-build', '--no-build-commands', '-q', 'a', 'b'],
      ['--context=123', '.'],
      ['--list'],
      [],
    ]) {
      await agree(argv);
    }
  });

  test('agrees with yargs on generated command lines', async () => {
    const token = fc.oneof(
      fc.constantFrom(
        '--check',
        '--dry-run',
        '--list',
        '--quiet',
        '-q',
        '--safe-only',
        '--verify-build',
        '--build-commands',
        '--no-build-commands',
        '--only',
        '--skip',
        '--context',
        '--config',
        '--target',
        '--max-size',
        '--jobs',
        '-j',
        '--format',
        '--fail-level',
        '--format=json',
        '--jobs=2',
        '--only=7',
        '-',
        '.',
        'Dockerfile',
        'svc/Dockerfile',
        '7,8',
        '10',
        '2',
        'json',
        'text',
        'warning',
        'true',
        '0x10',
        '',
      ),
      fc.stringMatching(/^[a-z./_-]{1,8}$/),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 6 }), (argv) => agree(argv)),
      { numRuns: 300 },
    );
  });
});
