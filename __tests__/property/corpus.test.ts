/**
 * Properties over the edge-case corpus (__fixtures__/corpus, ≥150 files): every file through all
 * registered transforms (at the context root and in a subfolder), and through each transform
 * alone, so a failure names its transform. Also: --dry-run and --check never write.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { main, type CliIO } from '../../src/cli.js';
import { decodeDockerfile } from '../../src/files.js';
import { allTransforms } from '../../transforms/index.js';
import { CORPUS_DIR, corpusContext, explain, violations } from './properties.js';

const corpus = fs
  .readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith('.Dockerfile'))
  .sort()
  .map((name) => ({ name, text: decodeDockerfile(fs.readFileSync(path.join(CORPUS_DIR, name))) }));

describe('corpus', () => {
  test('has at least 150 files, generated and hand-written', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    expect(corpus.filter((c) => c.name.startsWith('hand-')).length).toBeGreaterThanOrEqual(10);
  });

  test('covers the edge cases the issue lists', () => {
    const all = corpus.map((c) => c.text);
    const some = (re: RegExp) => all.some((t) => re.test(t));
    expect(some(/^\uFEFF/)).toBe(true);
    expect(some(/\r\n/)).toBe(true);
    expect(some(/\r(?!\n)/)).toBe(true);
    expect(some(/^# escape=`/m)).toBe(true);
    expect(some(/<<-/)).toBe(true);
    expect(some(/<<['"]/)).toBe(true);
    expect(some(/[\u{10000}-\u{10FFFF}]/u)).toBe(true);
    expect(some(/^onbuild /im)).toBe(true);
    expect(some(/--from=0/)).toBe(true);
    expect(some(/--parents/) && some(/--exclude/) && some(/--link/) && some(/--chmod/)).toBe(true);
    expect(all.some((t) => (t.match(/^FROM /gm) ?? []).length >= 50)).toBe(true);
    expect(all.some((t) => t.split(/\r\n|\r|\n/).some((l) => l.length > 10000))).toBe(true);
    expect(all).toContain('');
    expect(some(/^\tRUN x\nFROM a/)).toBe(true);
  });

  for (const where of ['root', 'subdir'] as const) {
    test(`all transforms, Dockerfile at the ${where}`, () => {
      const ctx = corpusContext(where);
      const failures: string[] = [];
      for (const c of corpus) {
        const problems = violations(c.text, allTransforms, ctx);
        if (problems.length) failures.push(`${c.name}:\n${explain(c.text, problems, ctx)}`);
      }
      expect(failures).toEqual([]);
    }, 120_000);
  }

  test('each transform alone', () => {
    const ctx = corpusContext('subdir');
    const failures: string[] = [];
    for (const t of allTransforms) {
      for (const c of corpus) {
        const problems = violations(c.text, [t], ctx);
        if (problems.length) failures.push(`${t.id} on ${c.name}:\n${problems.join('\n')}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('--dry-run and --check never write', () => {
  let dir: string;
  const io = (): CliIO => ({
    stdout: () => {},
    stderr: () => {},
    readStdin: async () => Buffer.alloc(0),
    cwd: dir,
  });
  const snapshot = () =>
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => {
        const st = fs.statSync(path.join(dir, f));
        return [f, fs.readFileSync(path.join(dir, f)).toString('base64'), st.mtimeMs, st.ino];
      });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-nowrite-'));
    for (const c of corpus) fs.copyFileSync(path.join(CORPUS_DIR, c.name), path.join(dir, c.name));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([['--dry-run'], ['--check']])(
    '%s leaves every file as it was',
    async (flag) => {
      const before = snapshot();
      const code = await main([flag, '--quiet', '.'], io());
      expect([0, 1]).toContain(code);
      expect(snapshot()).toEqual(before);
    },
    60_000,
  );

  test('a fix run is complete: --dry-run afterwards proposes nothing', async () => {
    await main(['--quiet', '.'], io());
    let printed = '';
    await main(['--dry-run', '--quiet', '.'], { ...io(), stdout: (s) => (printed += s) });
    expect(printed).not.toMatch(/^@@ /m);
  }, 60_000);
});
