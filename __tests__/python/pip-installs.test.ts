/** The Python model: interpreters per image, pip install flavours, users and homes, exec-form RUNs. */
import { describe, expect, test } from '@jest/globals';
import { parseDocument } from '../../src/model/document.js';
import {
  execFormArgv,
  execFormPythonCode,
  execFormRun,
  pathListEntries,
  pipInstallsOf,
  pyString,
  pythonOf,
  pythonOfImage,
  userAt,
} from '../../src/model/python.js';
import { DEFAULT_CONFIG } from '../../src/config.js';

describe('pythonOfImage', () => {
  test.each([
    ['gcr.io/distroless/python3-debian12', '/usr/bin/python3.11', '3.11'],
    ['gcr.io/distroless/python3-debian12:nonroot', '/usr/bin/python3.11', '3.11'],
    ['gcr.io/distroless/python3-debian11:latest@sha256:abc', '/usr/bin/python3.9', '3.9'],
    ['python:3.12-slim', '/usr/local/bin/python3', '3.12'],
    ['docker.io/library/python:3.11.9-slim-bookworm', '/usr/local/bin/python3', '3.11'],
    ['python:3', '/usr/local/bin/python3', null],
    ['PYTHON:3.10-alpine', '/usr/local/bin/python3', '3.10'],
    ['cgr.dev/chainguard/python:latest', '/usr/bin/python', null],
  ])('%s → %s %s', (image, interpreter, version) => {
    expect(pythonOfImage(image)).toMatchObject({ interpreter, version });
  });

  test.each([
    'golang:1.22',
    'node:20-slim',
    'gcr.io/distroless/static-debian12',
    'scratch',
    'pythonista:1',
  ])('%s is not Python', (image) => {
    expect(pythonOfImage(image)).toBeNull();
  });

  test('config override wins', () => {
    const config = {
      ...DEFAULT_CONFIG,
      pythonInterpreters: { 'registry.local/py*': '/opt/py/bin/python3.10' },
    };
    expect(pythonOfImage('registry.local/py-base:1', config)).toEqual({
      interpreter: '/opt/py/bin/python3.10',
      version: '3.10',
      source: 'config',
    });
  });

  test('a stage built FROM another stage, and an image tag from an ARG', () => {
    const doc = parseDocument(
      'ARG PY=3.12\nFROM python:${PY}-slim AS base\nFROM base AS builder\nRUN true\n',
    );
    expect(pythonOf(doc.stages.stages[1], doc)).toMatchObject({ version: '3.12' });
  });
});

describe('pipInstallsOf', () => {
  const installs = (text: string, stageIndex = 0) => {
    const doc = parseDocument(text);
    return pipInstallsOf(doc, doc.stages.stages[stageIndex]);
  };

  test('--user as root: /root/.local', () => {
    const [i] = installs(
      'FROM python:3.11-slim AS builder\nWORKDIR /app\nRUN pip install --no-cache-dir --user -r requirements.txt\n',
    );
    expect(i).toMatchObject({
      flavour: 'user',
      user: 'root',
      sitePackages: '/root/.local/lib/python3.11/site-packages',
      scripts: '/root/.local/bin',
      requirementFiles: ['/app/requirements.txt'],
    });
  });

  test('--user as another user, lowercase keywords, continuation, CRLF', () => {
    const [i] = installs(
      'from python:3.12-slim\r\nuser app\r\nrun python3 -m pip install \\\r\n    --user grpcio==1.60.0 PyYAML\r\n',
    );
    expect(i).toMatchObject({
      flavour: 'user',
      user: 'app',
      sitePackages: '/home/app/.local/lib/python3.12/site-packages',
      scripts: '/home/app/.local/bin',
      packages: ['grpcio==1.60.0', 'PyYAML'],
    });
  });

  test('PYTHONUSERBASE and PIP_USER from ENV', () => {
    const [i] = installs(
      'FROM python:3.11\nENV PIP_USER=1 PYTHONUSERBASE=/opt/deps\nRUN pip install flask\n',
    );
    expect(i).toMatchObject({
      flavour: 'user',
      sitePackages: '/opt/deps/lib/python3.11/site-packages',
      scripts: '/opt/deps/bin',
    });
  });

  test('--target and --prefix (relative to WORKDIR)', () => {
    const [t, p] = installs(
      'FROM python:3.10\nWORKDIR /build\nRUN pip install --target=deps -r req.txt && pip install --prefix /install flask\n',
    );
    expect(t).toMatchObject({
      flavour: 'target',
      sitePackages: '/build/deps',
      scripts: '/build/deps/bin',
    });
    expect(p).toMatchObject({
      flavour: 'prefix',
      sitePackages: '/install/lib/python3.10/site-packages',
      scripts: '/install/bin',
    });
  });

  test('virtualenv through PATH and through its own pip', () => {
    const [a, b] = installs(
      'FROM python:3.12-slim\nRUN python -m venv /opt/venv\nENV PATH="/opt/venv/bin:$PATH"\nRUN pip install requests\nRUN /opt/venv/bin/pip install flask\n',
    );
    expect(a).toMatchObject({
      flavour: 'venv',
      sitePackages: '/opt/venv/lib/python3.12/site-packages',
    });
    expect(b).toMatchObject({ flavour: 'venv', scripts: '/opt/venv/bin' });
  });

  test('system install in the official image', () => {
    const [i] = installs('FROM python:3.11-slim\nRUN pip install --no-cache-dir uvicorn\n');
    expect(i).toMatchObject({
      flavour: 'system',
      sitePackages: '/usr/local/lib/python3.11/site-packages',
    });
  });

  test('python3.12 -m pip pins the version', () => {
    const [i] = installs(
      'FROM debian:12\nRUN apt-get install -y python3.12 && python3.12 -m pip install --user x\n',
    );
    expect(i.sitePackages).toBe('/root/.local/lib/python3.12/site-packages');
  });

  test('not pip: pipx, pip download, echo pip install', () => {
    expect(
      installs(
        'FROM python:3.11\nRUN pipx install black && pip download x && echo "pip install y"\n',
      ),
    ).toEqual([]);
  });
});

describe('users', () => {
  test('USER, distroless :nonroot default, inheritance through FROM <stage>', () => {
    const doc = parseDocument(
      'FROM gcr.io/distroless/python3-debian12:nonroot AS a\nRUN ["x"]\nFROM a\nUSER 1000:1000\n',
    );
    const [a, b] = doc.stages.stages;
    expect(userAt(doc, a)).toBe('nonroot');
    expect(userAt(doc, b, b.instructions[1])).toBe('nonroot');
    expect(userAt(doc, b)).toBe('1000:1000');
  });
});

describe('execFormRun', () => {
  test('JSON escaping of quotes and backslashes round-trips', () => {
    const code = `import os; assert os.path.isdir(${pyString("/app/it's")}), "missing \\\\ dir"; print('ok')`;
    const doc = parseDocument('from gcr.io/distroless/python3-debian12\n');
    const run = execFormRun(doc, '/usr/bin/python3.11', code);
    expect(run.startsWith('run ["/usr/bin/python3.11", "-c", "')).toBe(true);
    const parsed = parseDocument(`FROM x\n${run}\n`);
    const instr = parsed.instructions[1];
    expect(execFormArgv(parsed, instr)).toEqual(['/usr/bin/python3.11', '-c', code]);
    expect(execFormPythonCode(parsed, instr)).toBe(code);
  });

  test('pyString escapes for Python', () => {
    expect(pyString("a'b\\c")).toBe("'a\\'b\\\\c'");
  });
});

describe('pathListEntries', () => {
  test('splits at : outside ${X:-d}, drops entries with variables, resolves relative ones', () => {
    expect(pathListEntries('/a:${VERSION:-x:y}:lib/:$PYTHONPATH:/b/', '/srv')).toEqual([
      '/a',
      '/srv/lib',
      '/b',
    ]);
  });
});
