/**
 * The batch cache's shortcuts (folder walks memoised per folder, compose files probed once per
 * folder, unreadable paths answered from the stat, matchPaths remembered for a stable view) must
 * give the answers of the uncached code, file by file.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contextFor, createBatchCache, type BatchOptions } from '../../src/batch.js';
import { nodeFs } from '../../src/context.js';
import {
  composeServiceFor,
  directProbe,
  findComposeContext,
} from '../../src/model/build-context.js';
import { matchPaths } from '../../src/model/context-sources.js';

let tmp: string;
function write(rel: string, text = ''): string {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-batch-cache-')));
  fs.mkdirSync(path.join(tmp, 'repo', '.git'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'other', '.git'), { recursive: true });
  // repo: a compose file at the root building svc/api, an invalid one below, a folder named
  // like a compose file, a config file in one subtree.
  write(
    'repo/compose.yaml',
    'services:\n  api:\n    build:\n      context: .\n      dockerfile: svc/api/Dockerfile\n',
  );
  write('repo/svc/docker-compose.yml', 'services: [not valid');
  fs.mkdirSync(path.join(tmp, 'repo', 'svc', 'web', 'compose.yml'), { recursive: true });
  write('repo/svc/api/Dockerfile', 'FROM alpine\n');
  write('repo/svc/web/Dockerfile', 'FROM alpine\n');
  write('repo/svc/web/deep/er/Dockerfile', 'FROM alpine\n');
  write('repo/cfg/dockerfix.config.json', '{"context": "."}\n');
  write('repo/cfg/one/Dockerfile', 'FROM alpine\n');
  // other: a compose file in the Dockerfile's own folder (build: string form).
  write('other/app/compose.yml', 'services:\n  app:\n    build: .\n');
  write('other/app/Dockerfile', 'FROM alpine\n');
  write('other/lib/Dockerfile', 'FROM alpine\n');
  write('repo/svc/api/src/a.py');
  write('repo/svc/api/src/b.py');
  write('repo/svc/api/requirements.txt');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const dockerfiles = () => [
  'repo/svc/api/Dockerfile',
  'repo/svc/web/Dockerfile',
  'repo/svc/web/deep/er/Dockerfile',
  'repo/cfg/one/Dockerfile',
  'other/app/Dockerfile',
  'other/lib/Dockerfile',
];

describe('contextFor with a batch cache', () => {
  test('resolves every Dockerfile as the uncached code does, in any order', () => {
    const options = (cache?: ReturnType<typeof createBatchCache>): BatchOptions => ({
      mode: 'check',
      transforms: [],
      cwd: tmp,
      ...(cache ? { cache } : {}),
    });
    const plain = (ctx: ReturnType<typeof contextFor>) => {
      const { fs: _fs, ...rest } = ctx;
      return rest;
    };
    for (const order of [dockerfiles(), [...dockerfiles()].reverse()]) {
      const cache = createBatchCache();
      for (const rel of order) {
        const file = path.join(tmp, rel);
        expect(plain(contextFor(file, options(cache)))).toEqual(plain(contextFor(file, options())));
      }
    }
    const api = contextFor(path.join(tmp, 'repo/svc/api/Dockerfile'), options(createBatchCache()));
    expect([api.contextSource, api.contextRoot]).toEqual(['compose', path.join(tmp, 'repo')]);
    const app = contextFor(path.join(tmp, 'other/app/Dockerfile'), options(createBatchCache()));
    expect([app.contextSource, app.contextRoot]).toEqual(['compose', path.join(tmp, 'other/app')]);
    const one = contextFor(path.join(tmp, 'repo/cfg/one/Dockerfile'), options(createBatchCache()));
    expect(one.contextSource).toBe('config');
  });

  test('a tiny cache (cleared all the time) still answers the same', () => {
    const cache = createBatchCache(2);
    for (const rel of dockerfiles()) {
      const file = path.join(tmp, rel);
      expect(findComposeContext(file, cache.probe)).toEqual(findComposeContext(file, directProbe));
      expect(cache.probe.gitRoot(path.dirname(file))).toEqual(
        directProbe.gitRoot(path.dirname(file)),
      );
      expect(cache.configFile(path.dirname(file))).toEqual(
        contextFor(file, { mode: 'check', transforms: [], cwd: tmp }).config.file,
      );
    }
  });

  test('readText: null for a missing path and a folder, the text for a file', () => {
    const cache = createBatchCache();
    for (const p of ['repo/nope.yaml', 'repo/svc/web/compose.yml', 'repo/compose.yaml']) {
      const abs = path.join(tmp, p);
      expect(cache.probe.readText(abs)).toBe(nodeFs.readText(abs));
      expect(cache.fs.readText(abs)).toBe(nodeFs.readText(abs));
    }
  });

  test('composeServiceFor answers the same when asked again for the same text', () => {
    const text = fs.readFileSync(path.join(tmp, 'repo/compose.yaml'), 'utf8');
    const compose = path.join(tmp, 'repo/compose.yaml');
    const df = path.join(tmp, 'repo/svc/api/Dockerfile');
    const first = composeServiceFor(text, compose, df);
    expect(first).not.toBeNull();
    expect(composeServiceFor(text, compose, df)).toEqual(first);
    expect(composeServiceFor('services: [bad', compose, df)).toBeNull();
    expect(composeServiceFor('services: [bad', compose, df)).toBeNull();
  });
});

describe('matchPaths on a stable view', () => {
  test('same matches as on the plain file system, and callers get their own array', () => {
    const cache = createBatchCache();
    const base = path.join(tmp, 'repo');
    for (const pattern of ['svc/api/src', 'svc/api/src/*.py', '**/requirements.txt', 'nope', '.']) {
      const direct = matchPaths(nodeFs, base, pattern);
      const first = matchPaths(cache.fs, base, pattern);
      expect(first).toEqual(direct);
      first.push({ path: 'x', isDirectory: false });
      expect(matchPaths(cache.fs, base, pattern)).toEqual(direct);
    }
  });
});
