/**
 * The verification RUNs of 06, 11, 14 and 16 in a real build (buildah), on a Dockerfile unlike
 * the log's: CRLF, lowercase keywords, `pip install --target` with a requirements file holding
 * markers and a distribution whose import name differs (PyYAML → yaml, python-dotenv → dotenv,
 * protobuf → google.protobuf), PYTHONPATH in the runtime, a non-root USER, a builder check that
 * imports distribution names. Base images are the offline stand-ins of
 * scripts/e2e-base-images.sh, in a private temporary storage.
 *
 *   1. the dockerfix output builds, and each exec-form check in the final stage runs and passes;
 *   2. the same output on a broken app (main.py renamed) fails in the module check;
 *   3. packages copied where the runtime does not look (PYTHONPATH wrong) fail in the package
 *      check — the check imports exactly as the app would, it does not patch sys.path.
 *
 * Needs root and buildah; skipped otherwise (never in CI).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { parseDocument } from '../../src/model/document.js';
import { execFormPythonCode } from '../../src/model/python.js';
import { runBuild, type Engine } from '../../src/verify-build.js';
import { canBuild, openBuildSandbox, type BuildSandbox } from '../helpers/buildah-sandbox.js';
import { allTransforms } from '../../transforms/index.js';

const FIXTURE = path.resolve('__fixtures__', 'python-e2e');
const DOCKERFILE = 'services/api/Dockerfile';
const maybe = canBuild ? describe : describe.skip;

maybe('real build: distroless Python checks pass on a right app, fail on a wrong one', () => {
  let tmp = '';
  let engine: Engine;
  let sandbox: BuildSandbox | null = null;

  const repo = (name: string, dockerfile?: (text: string) => string): string => {
    const dir = path.join(tmp, name);
    fs.cpSync(path.join(FIXTURE, 'repo'), dir, { recursive: true });
    fs.mkdirSync(path.join(dir, '.git'));
    const file = path.join(dir, DOCKERFILE);
    const text = fs.readFileSync(file, 'utf8');
    const ctx = defaultContext({ dockerfilePath: file, contextRoot: dir, contextSource: 'git' });
    const fixed = runTransforms(dockerfile ? dockerfile(text) : text, allTransforms, ctx).text;
    fs.writeFileSync(file, fixed);
    return dir;
  };
  const build = (dir: string) =>
    runBuild({ dockerfile: path.join(dir, DOCKERFILE), contextRoot: dir, engine });
  const checks = (dir: string) => {
    const doc = parseDocument(fs.readFileSync(path.join(dir, DOCKERFILE), 'utf8'));
    return doc.stages.final!.instructions.filter((i) => execFormPythonCode(doc, i) !== null);
  };

  beforeAll(() => {
    sandbox = openBuildSandbox('dockerfix-py-e2e-', path.join(FIXTURE, 'wheels'));
    ({ tmp, engine } = sandbox);
  }, 120_000);

  afterAll(() => {
    sandbox?.close();
  });

  test('1. the fixed Dockerfile builds and every final-stage check runs and passes', () => {
    const dir = repo('right');
    const found = checks(dir);
    expect(found.length).toBe(2); // 16's package check, 06's module check (with 11's markers)
    const b = build(dir);
    expect(b.failure?.lines ?? []).toEqual([]);
    expect(b.status).toBe('built');
    expect(b.output).toContain('runtime check passed: yaml, dotenv, google.protobuf');
    expect(b.output).toContain('runtime check passed: api.main');
    // 14's builder check ran with the corrected import names.
    expect(b.output).toMatch(/PYTHONPATH=\/deps:\$PYTHONPATH python -c "import yaml, dotenv"/);
  }, 180_000);

  test('2. a broken app fails the build in the module check', () => {
    const dir = repo('broken-app');
    const pkg = path.join(dir, 'services/api/api');
    fs.renameSync(path.join(pkg, 'main.py'), path.join(pkg, 'server.py'));
    const b = build(dir);
    expect(b.status).toBe('failed');
    expect(b.output).toContain('AssertionError: api.main not found');
  }, 180_000);

  test('3. packages the runtime cannot see fail the build in the package check', () => {
    const dir = repo('wrong-pythonpath', (t) =>
      t.replace('env PYTHONPATH=/app/deps', 'env PYTHONPATH=/app/lib'),
    );
    const b = build(dir);
    expect(b.status).toBe('failed');
    expect(b.output).toContain("ModuleNotFoundError: No module named 'yaml'");
  }, 180_000);
});
