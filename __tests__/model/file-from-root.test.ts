/** 12's fileFromRoot answers exactly like dockerfileFromRoot (path.relative), faster. */
import { describe, expect, test } from '@jest/globals';
import { defaultContext, dockerfileFromRoot } from '../../src/context.js';
import { fileFromRoot } from '../../transforms/12-build-command.js';

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

describe('fileFromRoot', () => {
  test('same as dockerfileFromRoot for every root and file', () => {
    for (const contextRoot of ROOTS) {
      for (const dockerfilePath of [...FILES, null]) {
        const ctx = defaultContext({ contextRoot, dockerfilePath });
        expect([contextRoot, dockerfilePath, fileFromRoot(ctx)]).toEqual([
          contextRoot,
          dockerfilePath,
          dockerfileFromRoot(ctx),
        ]);
      }
    }
  });
});
