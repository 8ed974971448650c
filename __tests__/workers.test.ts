/**
 * Batch plumbing: how many workers a batch gets, results in input order, stopping between
 * files, and the per-batch look-up cache. (The worker threads themselves need the compiled
 * build: from TypeScript sources processInOrder runs in the calling thread. The bench checks
 * that --jobs 1 and --jobs N agree on the compiled CLI.)
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createBatchCache, type BatchOptions, type FileResult } from '../src/batch.js';
import { exitCode } from '../src/cli.js';
import { formatSummary } from '../src/report/text.js';
import type { ReportedFinding } from '../src/runner.js';
import { processInOrder, summaryOnly, workerCount } from '../src/workers.js';
import { allTransforms } from '../transforms/index.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-workers-'));
  fs.mkdirSync(path.join(dir, '.git'));
  for (const name of ['a', 'b', 'c']) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(
      path.join(dir, name, 'Dockerfile'),
      `FROM alpine:3.19\nLABEL service="${name}"\n`,
    );
  }
  fs.writeFileSync(path.join(dir, 'b', 'Dockerfile'), Buffer.from([0x46, 0x00, 0x52]));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const options = (): BatchOptions => ({ mode: 'check', transforms: allTransforms, cwd: dir });
const files = () => ['c', 'a', 'b'].map((n) => path.join(dir, n, 'Dockerfile'));

describe('workerCount', () => {
  test('one worker per core, but only when each gets enough files', () => {
    expect(workerCount(10, 4)).toBe(1);
    expect(workerCount(400, 4)).toBe(4);
    expect(workerCount(100, 8)).toBe(2);
    expect(workerCount(10_000, 1)).toBe(1);
    expect(workerCount(10_000, Number.NaN)).toBe(1);
    expect(workerCount(10_000, 2.5)).toBe(2);
  });
});

describe('processInOrder', () => {
  test('yields one result per file, in input order, errors in place', async () => {
    const out = [];
    for await (const r of processInOrder(files(), options(), { jobs: 4 })) out.push(r);
    expect(out.map((r) => r.path)).toEqual(['c/Dockerfile', 'a/Dockerfile', 'b/Dockerfile']);
    expect(out[2].error).toMatch(/binary/);
    expect(out[0].error).toBeUndefined();
  });

  test('starts no new file once stop() says so', async () => {
    const out = [];
    let stop = false;
    for await (const r of processInOrder(files(), options(), { jobs: 1, stop: () => stop })) {
      out.push(r);
      stop = true;
    }
    expect(out).toHaveLength(1);
  });
});

describe('createBatchCache', () => {
  test('answers like the disk, once per path, and hands out copies of lists', () => {
    const cache = createBatchCache();
    expect(cache.fs.isDirectory(path.join(dir, 'a'))).toBe(true);
    expect(cache.fs.isFile(path.join(dir, 'a', 'Dockerfile'))).toBe(true);
    expect(cache.fs.exists(path.join(dir, 'nope'))).toBe(false);
    const list = cache.fs.list(dir)!;
    list.sort().reverse();
    expect(cache.fs.list(dir)).toEqual(fs.readdirSync(dir));
    expect(cache.probe.gitRoot(path.join(dir, 'a'))).toBe(dir);
    // Remembered for the batch: a file created after it was probed is not seen by this cache.
    expect(cache.fs.exists(path.join(dir, 'late'))).toBe(false);
    fs.writeFileSync(path.join(dir, 'late'), 'x');
    expect(cache.fs.exists(path.join(dir, 'late'))).toBe(false);
    expect(createBatchCache().fs.exists(path.join(dir, 'late'))).toBe(true);
  });

  test('is bounded: past the limit it forgets and asks the disk again', () => {
    const cache = createBatchCache(2);
    const late = path.join(dir, 'later');
    expect(cache.fs.exists(late)).toBe(false);
    fs.writeFileSync(late, 'x');
    cache.fs.exists(path.join(dir, 'a'));
    cache.fs.exists(path.join(dir, 'b')); // third entry: the map is cleared first
    expect(cache.fs.exists(late)).toBe(true);
  });
});

describe('summaryOnly', () => {
  const finding = (over: Partial<ReportedFinding>): ReportedFinding => ({
    transform: '10-undefined-var-default',
    severity: 'warning',
    line: 3,
    message: 'something',
    fixed: false,
    ...over,
  });
  const result = (over: Partial<FileResult>): FileResult => ({
    path: 'svc/Dockerfile',
    changed: false,
    written: false,
    findings: [],
    diff: '',
    ...over,
  });
  const results: FileResult[] = [
    result({
      changed: true,
      diff: '--- a\n+++ b\n',
      findings: [finding({ fixed: true }), finding({ severity: 'info', line: 9 })],
      context: { root: '/repo', source: 'git', detail: '/repo/.git', shown: '.' },
    }),
    result({
      path: 'other/Dockerfile',
      findings: [finding({ transform: 'x', fixed: true }), finding({ severity: 'info' })],
      suppressed: [finding({ suppressed: true })],
      context: { root: '/repo', source: 'git' },
    }),
    result({ findings: [finding({ severity: 'error', fixAvailable: true })] }),
    result({ error: 'not UTF-8' }),
  ];
  const kept = results.map(summaryOnly);

  test('the summary line and the exit code are those of the full results', () => {
    expect(formatSummary(kept, 'check', 0)).toBe(formatSummary(results, 'check', 0));
    for (const mode of ['fix', 'dry-run', 'check'] as const) {
      for (const level of ['error', 'warning', 'info', 'none'] as const) {
        expect(exitCode(kept, mode, false, level)).toBe(exitCode(results, mode, false, level));
        expect(exitCode(kept.slice(0, 3), mode, false, level)).toBe(
          exitCode(results.slice(0, 3), mode, false, level),
        );
      }
    }
  });

  test('keeps what the end-of-run steps read, drops texts and display strings', () => {
    expect(kept[0]).toEqual({
      path: 'svc/Dockerfile',
      changed: true,
      written: false,
      findings: expect.any(Array),
      diff: '',
      context: { root: '/repo', source: 'git' },
    });
    expect(kept[3].error).toBe('not UTF-8');
    expect(kept[1].suppressed).toHaveLength(1);
    expect(kept[0].findings.every((f) => f.message === '' && f.line === 0)).toBe(true);
  });

  test('files whose findings have the same shape share one frozen list', () => {
    expect(kept[1].findings).toBe(kept[0].findings);
    expect(Object.isFrozen(kept[0].findings)).toBe(true);
    expect(kept[2].findings).not.toBe(kept[0].findings);
    expect(kept[2].findings[0].fixAvailable).toBe(true);
  });
});
