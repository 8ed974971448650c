/** dockerfileFromRoot's fast path answers exactly like path.relative (its definition). */
import { describe, expect, test } from '@jest/globals';
import * as path from 'node:path';
import { defaultContext, dockerfileFromRoot } from '../../src/context.js';

const ROOTS = [
  '/',
  '/repo',
  '/repo/',
  '/repo//x',
  '/repo/./x',
  '/repo/../x',
  '/r.e/..po',
  'repo',
  '/a/.b',
];
const FILES = [
  '/repo/Dockerfile',
  '/repo/svc/api/Dockerfile',
  '/repo',
  '/repo/',
  '/repository/Dockerfile',
  '/repo//Dockerfile',
  '/repo/./Dockerfile',
  '/repo/../Dockerfile',
  '/repo/x/Dockerfile',
  '/r.e/..po/Dockerfile',
  '/a/.b/c.Dockerfile',
  '/Dockerfile',
  'rel/Dockerfile',
  '/repo/a/..b/Dockerfile',
];

describe('dockerfileFromRoot', () => {
  test('same as path.relative for every root and file', () => {
    for (const contextRoot of ROOTS) {
      for (const dockerfilePath of [...FILES, null]) {
        const ctx = defaultContext({ contextRoot, dockerfilePath });
        const relative =
          dockerfilePath === null
            ? null
            : path.relative(contextRoot, dockerfilePath).split(path.sep).join('/');
        expect([contextRoot, dockerfilePath, dockerfileFromRoot(ctx)]).toEqual([
          contextRoot,
          dockerfilePath,
          relative,
        ]);
      }
    }
  });
});
