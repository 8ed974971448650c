/**
 * The generated verification RUNs: their JSON parses back to the exact Python code, that code
 * compiles (checked with a local python3 when there is one), statements are recognised and
 * re-rendered stably, and a builder path maps to where a COPY --from puts it.
 */
import { danglingContinuation } from '../../src/model/instructions.js';
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from '../../src/model/document.js';
import { runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import {
  bodyStatements,
  execFormPythonCode,
  renderCheckCode,
  runtimePathOf,
  splitStatements,
} from '../../src/model/python.js';
import { findTransform } from '../../transforms/index.js';

const python = ['python3', 'python'].find((p) => spawnSync(p, ['-c', 'pass']).status === 0);

/** Compile Python snippets without running them (one interpreter for all); the errors. */
function compileErrors(codes: string[]): string[] {
  const script =
    'import json, sys\nfor c in json.load(sys.stdin):\n    try:\n        compile(c, "<check>", "exec")\n' +
    '    except SyntaxError as e:\n        print(repr(c), e)';
  const r = spawnSync(python!, ['-c', script], { input: JSON.stringify(codes), encoding: 'utf8' });
  if (r.status !== 0) return [r.stderr];
  return r.stdout.split('\n').filter(Boolean);
}

function compileError(code: string): string | null {
  return compileErrors([code])[0] ?? null;
}

/** Every exec-form `python -c` code in a Dockerfile text. */
function checkCodes(text: string): string[] {
  const doc = parseDocument(text);
  return doc.instructions
    .map((i) => execFormPythonCode(doc, i))
    .filter((c): c is string => c !== null);
}

describe('statements', () => {
  test('split at ; outside strings and brackets', () => {
    expect(splitStatements('import os; assert f(\'a;b\'), "x;y"; print([1;2])')).toEqual([
      'import os',
      'assert f(\'a;b\'), "x;y"',
      'print([1;2])',
    ]);
  });

  test('standard-library imports are recomputed, package imports kept', () => {
    const body = bodyStatements("import os, grpc, sys; import importlib.util; print('x')");
    expect(body).toEqual(['import grpc', "print('x')"]);
    expect(renderCheckCode(["assert os.path.isdir('/a')", 'sys.path.insert(0, "/b")'])).toBe(
      'import os, sys; assert os.path.isdir(\'/a\'); sys.path.insert(0, "/b")',
    );
  });
});

describe('generated checks', () => {
  const t6 = findTransform('06')!;
  const t11 = findTransform('11')!;

  test("quotes and backslashes in paths survive JSON and Python (WORKDIR /srv/it's)", () => {
    const input = [
      'FROM python:3.11-slim AS b',
      'WORKDIR "/srv/it\'s"',
      'COPY app/ ./app/',
      'RUN echo "X_SOURCE_$(date +%s)" > app/.x-source-marker',
      'FROM gcr.io/distroless/python3-debian12',
      'WORKDIR "/srv/it\'s"',
      'COPY --from=b "/srv/it\'s/app" ./app',
      'CMD ["/usr/bin/python3.11", "-m", "app.main"]',
      '',
    ].join('\n');
    const out = runTransforms(input, [t6, t11], defaultContext()).text;
    const [code] = checkCodes(out);
    expect(code).toContain("os.path.isdir('/srv/it\\'s/app')");
    expect(code).toContain("os.path.isfile('/srv/it\\'s/app/.x-source-marker')");
    if (python) expect(compileError(code)).toBeNull();
  });

  (python ? test : test.skip)('every check in the fixtures of 06, 11, 14 and 16 compiles', () => {
    const codes: string[] = [];
    for (const id of [
      '06-runtime-module-check',
      '11-runtime-marker-check',
      '14-pythonpath-for-user-site',
      '16-runtime-package-check',
    ]) {
      const dir = path.join('__fixtures__', id);
      for (const c of fs.readdirSync(dir)) {
        const out = path.join(dir, c, 'Dockerfile.output');
        if (!fs.existsSync(out)) continue;
        codes.push(...checkCodes(fs.readFileSync(out, 'utf8')));
      }
    }
    expect(codes.length).toBeGreaterThan(10);
    expect(compileErrors(codes)).toEqual([]);
    // The checker itself rejects broken code.
    expect(compileErrors(["import os; assert os.path.isdir('/a), 'x'"])).toHaveLength(1);
  });

  (python ? test : test.skip)(
    'the module check passes on a right tree and fails on a wrong one',
    () => {
      const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'chk-'));
      fs.mkdirSync(path.join(tmp, 'controller'));
      fs.writeFileSync(path.join(tmp, 'controller', '__init__.py'), '');
      fs.writeFileSync(path.join(tmp, 'controller', 'main.py'), '');
      const input = [
        'FROM python:3.11-slim AS b',
        'FROM gcr.io/distroless/python3-debian12',
        `WORKDIR ${tmp}`,
        `COPY --from=b /app/controller ./controller`,
        'CMD ["/usr/bin/python3.11", "-m", "controller.main"]',
        '',
      ].join('\n');
      const [code] = checkCodes(runTransforms(input, [t6], defaultContext()).text);
      const run = () => spawnSync(python!, ['-c', code], { cwd: tmp, encoding: 'utf8' });
      expect(run().status).toBe(0);
      fs.renameSync(
        path.join(tmp, 'controller', 'main.py'),
        path.join(tmp, 'controller', 'app.py'),
      );
      expect(run().status).not.toBe(0);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  );
});

describe('placement', () => {
  test('no check after an instruction whose continuation swallows the next line', () => {
    const t6 = findTransform('06')!;
    const input =
      'FROM python:3.11-slim\nENTRYPOINT ["python3", "-m", "app.main"]\nRUN set -eux \\\n    # comment';
    expect(runTransforms(input, [t6], defaultContext()).text).toBe(input);
    const doc = parseDocument(input);
    expect(danglingContinuation(doc, doc.instructions[2])).toBe(true);
    const heredoc = parseDocument('FROM a\nRUN <<EOF\necho 1\n\nFROM b\n');
    expect(danglingContinuation(heredoc, heredoc.instructions[1])).toBe(true);
    const closed = parseDocument('FROM a\nRUN <<EOF\necho 1\nEOF\nFROM b\n');
    expect(danglingContinuation(closed, closed.instructions[1])).toBe(false);
    const ok = parseDocument('FROM a\nRUN a \\\n  # c\n  b\n');
    expect(danglingContinuation(ok, ok.instructions[1])).toBe(false);
  });
});

describe('runtimePathOf', () => {
  const doc = parseDocument(
    [
      'FROM python:3.11-slim AS builder',
      'WORKDIR /app',
      'FROM gcr.io/distroless/python3-debian12',
      'WORKDIR /srv',
      'COPY --from=builder /root/.local /home/nonroot/.local',
      'COPY --from=builder app/pkg ./pkg',
      'COPY --from=builder /app/one.txt /app/two.txt /data/',
      '',
    ].join('\n'),
  );
  const builder = doc.stages.stages[0];
  test.each([
    [
      '/root/.local/lib/python3.11/site-packages/.m',
      '/home/nonroot/.local/lib/python3.11/site-packages/.m',
    ],
    ['/app/pkg/.x-source-marker', '/srv/pkg/.x-source-marker'],
    ['/app/two.txt', '/data/two.txt'],
    ['/tmp/other', null],
  ])('%s → %s', (from, to) => {
    expect(runtimePathOf(doc, builder, from)?.path ?? null).toBe(to);
  });
});
