/**
 * End to end, with a real build engine (buildah): the fix log's scenario. A monorepo like the
 * log's (__fixtures__/e2e/monorepo: the Dockerfile in infrastructure/service-mesh/, the context
 * at the root), base images assembled offline from this machine's Debian Python by
 * scripts/e2e-base-images.sh into a private, temporary buildah storage.
 *
 *   1. the unfixed Dockerfile fails: COPY source not found;
 *   2. with only the path fixes (03, 04) it fails next on the missing module;
 *   3. dockerfix's full output builds (through the CLI, `--verify-build`), and the exec-form
 *      verification RUNs of the final stage really run and pass;
 *   4. the same fixed Dockerfile on a broken app (controller/main.py renamed) fails the build
 *      in one of those verification RUNs.
 *
 * Needs root (or configured rootless buildah) and buildah. Without buildah the test is skipped
 * with a message, except in CI (CI=true), where it fails. Run it alone:
 *   npm run test:e2e
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { processText, type BatchOptions } from '../../src/batch.js';
import { main } from '../../src/cli.js';
import { parseDocument } from '../../src/model/document.js';
import { isJsonForm } from '../../src/model/variables.js';
import { runBuild, runBuildOfText, type Engine } from '../../src/verify-build.js';
import {
  canBuild,
  hasBuildah,
  openBuildSandbox,
  type BuildSandbox,
} from '../helpers/buildah-sandbox.js';
import { allTransforms, selectTransforms } from '../../transforms/index.js';

const FIXTURE = path.resolve('__fixtures__', 'e2e');
const DOCKERFILE = 'infrastructure/service-mesh/Dockerfile.controller';
if (!canBuild) {
  console.warn(
    `e2e skipped: ${hasBuildah ? 'not root' : 'buildah is not installed'} (apt-get install buildah; ` +
      'runs as root). In CI (CI=true) this test never skips.',
  );
}
const maybe = canBuild ? describe : describe.skip;

maybe('e2e: the fix log scenario with a real engine (buildah)', () => {
  let tmp = '';
  let engine: Engine;
  let sandbox: BuildSandbox | null = null;
  const started = Date.now();
  const timings: string[] = [];
  const lap = (what: string, since: number) =>
    timings.push(`${what}: ${((Date.now() - since) / 1000).toFixed(1)}s`);

  /** A fresh copy of the fixture monorepo (a git root, like the log's repository). */
  const repo = (name: string): string => {
    const dir = path.join(tmp, name);
    fs.cpSync(path.join(FIXTURE, 'monorepo'), dir, { recursive: true });
    fs.mkdirSync(path.join(dir, '.git'));
    return dir;
  };

  const buildah = (...args: string[]) =>
    spawnSync('buildah', args, { encoding: 'utf8', env: process.env })
      .stdout.trim()
      .split('\n')
      .filter(Boolean);
  const leftovers = () => ({
    images: buildah('images', '-q').sort(),
    containers: buildah('containers', '-q'),
  });

  const options = (transforms = allTransforms): BatchOptions => ({ mode: 'dry-run', transforms });

  beforeAll(() => {
    expect(hasBuildah).toBe(true); // in CI: buildah must be there (.ci/run installs it)
    const t = Date.now();
    sandbox = openBuildSandbox('dockerfix-e2e-', path.join(FIXTURE, 'wheels'));
    lap('base images', t);
    ({ tmp, engine } = sandbox);
  }, 120_000);

  afterAll(() => {
    sandbox?.close();
    console.log(
      `e2e wall time ${((Date.now() - started) / 1000).toFixed(1)}s (${timings.join(', ')})`,
    );
  });

  test('1. the unfixed Dockerfile fails: COPY source not found', () => {
    const t = Date.now();
    const root = repo('unfixed');
    const before = leftovers();
    const b = runBuild({ dockerfile: path.join(root, DOCKERFILE), contextRoot: root, engine });
    lap('unfixed build', t);
    expect(b.status).toBe('failed');
    expect(b.failure?.kind).toBe('copy-source-not-found');
    expect(b.failure?.step).toBe('COPY requirements.txt ./requirements.txt');
    expect(leftovers()).toEqual(before);
  }, 120_000);

  test('2. with the path fixes only (03, 04): the missing-module error', () => {
    const t = Date.now();
    const root = repo('paths-only');
    const file = path.join(root, DOCKERFILE);
    const r = processText(fs.readFileSync(file, 'utf8'), file, DOCKERFILE, {
      ...options(selectTransforms(['3', '4'])),
    });
    expect(r.changed).toBe(true);
    const b = runBuildOfText(r.output!, file, { contextRoot: root, engine });
    lap('paths-only build', t);
    expect(b.status).toBe('failed');
    expect(b.failure?.kind).toBe('module-not-found');
    expect(b.failure?.lines[0]).toMatch(/^ModuleNotFoundError: No module named /);
  }, 120_000);

  let fixedText = '';

  test('3. the dockerfix output builds (CLI --verify-build), and its verification RUNs run', async () => {
    const t = Date.now();
    const root = repo('fixed');
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['--verify-build', '--quiet', '--no-build-commands', DOCKERFILE], {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      readStdin: async () => Buffer.alloc(0),
      cwd: root,
    });
    lap('dockerfix --verify-build', t);
    const stdout = out.join('');
    fixedText = fs.readFileSync(path.join(root, DOCKERFILE), 'utf8');
    // The report line of the real build comes first: it says what failed if anything did.
    const buildLines = stdout
      .split('\n')
      .filter((l) => l.includes(': build ') || l.startsWith('  '));
    expect(buildLines.join('\n')).toContain(`${DOCKERFILE}: build built (buildah`);
    expect(code).toBe(0);

    // The final stage's exec-form Python checks: each one ran as a build step, and passed.
    const doc = parseDocument(fixedText);
    const final = doc.stages.final!;
    const checks = final.instructions
      .filter((i) => i.getKeyword() === 'RUN' && isJsonForm(i))
      .map((i) => (i.getRawArgumentsContent() ?? '').trim())
      .filter((a) => /^\[\s*"[^"]*python[^"]*",\s*"-c"/.test(a));
    expect(checks.length).toBeGreaterThanOrEqual(1);
    const t2 = Date.now();
    const b = runBuild({ dockerfile: path.join(root, DOCKERFILE), contextRoot: root, engine });
    lap('fixed build (for its log)', t2);
    expect(b.failure?.lines ?? []).toEqual([]);
    expect(b.status).toBe('built');
    const steps = b.output.split('\n').filter((l) => /STEP \d+\/\d+: RUN \[/.test(l));
    for (const check of checks) {
      expect(steps.some((s) => s.endsWith(`RUN ${check}`))).toBe(true);
    }
  }, 180_000);

  test('4. a broken app (module renamed) fails the fixed Dockerfile in its verification RUN', () => {
    expect(fixedText).not.toBe('');
    const t = Date.now();
    const root = repo('broken');
    const pkg = path.join(root, 'infrastructure/service-mesh/controller');
    fs.renameSync(path.join(pkg, 'main.py'), path.join(pkg, 'server.py'));
    const file = path.join(root, DOCKERFILE);
    fs.writeFileSync(file, fixedText);
    const before = leftovers();
    const b = runBuild({ dockerfile: file, contextRoot: root, engine });
    lap('broken-app build', t);
    expect(b.status).toBe('failed');
    // It is the exec-form check in the final stage that stops it, naming the module.
    expect(b.failure?.step).toMatch(/^RUN \[\s*"[^"]*python[^"]*",\s*"-c"/);
    expect(b.output).toMatch(/controller\.main/);
    expect(leftovers()).toEqual(before);
  }, 120_000);
});
