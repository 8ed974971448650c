/** Requirements files → requirements → import names; PEP 508 markers; the runtime's requirements. */
import { describe, expect, test } from '@jest/globals';
import * as path from 'node:path';
import { parseDocument } from '../../src/model/document.js';
import { defaultContext, type ContextFs } from '../../src/context.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import {
  evaluateMarker,
  importNameOf,
  normalizeDistName,
  parseRequirementLine,
  parseRequirementsFile,
  requirementsImports,
  type Requirement,
} from '../../src/model/python.js';

/** An in-memory read-only context tree. */
function memoryFs(files: Record<string, string>, root = '/ctx'): ContextFs {
  const abs = new Map(Object.entries(files).map(([k, v]) => [path.join(root, k), v]));
  const dirs = new Set<string>();
  for (const f of abs.keys())
    for (let d = path.dirname(f); d !== '/'; d = path.dirname(d)) dirs.add(d);
  return {
    exists: (p) => abs.has(p) || dirs.has(p),
    isFile: (p) => abs.has(p),
    isDirectory: (p) => dirs.has(p),
    readText: (p) => abs.get(p) ?? null,
    list: (p) =>
      dirs.has(p)
        ? [...abs.keys(), ...dirs].filter((f) => path.dirname(f) === p).map((f) => path.basename(f))
        : null,
  };
}

function ctxWith(files: Record<string, string>, dockerfile = 'Dockerfile', importNames = {}) {
  return defaultContext({
    contextRoot: '/ctx',
    dockerfilePath: path.join('/ctx', dockerfile),
    fs: memoryFs(files),
    config: { ...DEFAULT_CONFIG, importNames },
  });
}

const names = (rs: Requirement[]) => rs.map((r) => r.name);

describe('parseRequirementsFile', () => {
  test('comments, continuations, hashes, extras, options, -r includes relative to the file', () => {
    const ctx = ctxWith({
      'svc/requirements.txt': [
        '# top comment',
        '-r base/common.txt',
        '--index-url https://example.org/simple',
        'grpcio==1.60.0 \\',
        '    --hash=sha256:aaaa \\',
        '    --hash=sha256:bbbb',
        'aiohttp[speedups, dev] >= 3.9  # inline comment',
        '-c constraints.txt',
        '',
      ].join('\n'),
      'svc/base/common.txt': 'pydantic>=2\r\n-r ../more.txt\r\n',
      'svc/more.txt': 'PyYAML\n-r base/common.txt\n',
    });
    const parsed = parseRequirementsFile(ctx, 'svc/requirements.txt', '3.11');
    expect(names(parsed.requirements)).toEqual(['pydantic', 'PyYAML', 'grpcio', 'aiohttp']);
    expect(parsed.requirements[3].extras).toEqual(['speedups', 'dev']);
    expect(parsed.requirements[2]).toMatchObject({ file: 'svc/requirements.txt', line: 4 });
    expect(parsed.files).toEqual(['svc/requirements.txt', 'svc/base/common.txt', 'svc/more.txt']);
    expect(parsed.problems).toEqual([]);
  });

  test('a missing include is a problem, not a crash', () => {
    const ctx = ctxWith({ 'r.txt': '-r nope.txt\nflask\n' });
    const parsed = parseRequirementsFile(ctx, 'r.txt', null);
    expect(names(parsed.requirements)).toEqual(['flask']);
    expect(parsed.problems[0].message).toContain('nope.txt');
  });
});

describe('parseRequirementLine', () => {
  test.each([
    ['git+https://github.com/org/repo.git@v1#egg=shop-utils', 'shop-utils'],
    ['-e git+ssh://git@github.com/org/x.git#egg=x_lib&subdirectory=py', null],
    ['https://files.example.org/pkgs/fastapi-0.110.0-py3-none-any.whl', 'fastapi'],
    ['https://files.example.org/pkgs/requests-2.31.0.tar.gz', 'requests'],
    ['mypkg @ https://example.org/mypkg-1.0.zip ; python_version >= "3.8"', 'mypkg'],
    ['numpy>=1.26,<2; platform_machine != "armv7l"', 'numpy'],
    ['zope.interface==6.1', 'zope.interface'],
  ])('%s', (line, name) => {
    const r = parseRequirementLine(line.replace(/^-e /, ''), 'r.txt', 1, '3.11');
    if (name === null) {
      expect(r).toMatchObject({ name: 'x_lib' });
    } else {
      expect(r).toMatchObject({ name });
    }
  });

  test('markers are kept and evaluated for the runtime', () => {
    const r = parseRequirementLine('pywin32==306; sys_platform == "win32"', 'r.txt', 1, '3.11');
    expect(r).toMatchObject({ name: 'pywin32', marker: 'sys_platform == "win32"', applies: false });
    const u = parseRequirementLine('numpy; platform_machine == "x86_64"', 'r.txt', 1, '3.11');
    expect(u).toMatchObject({ applies: null });
  });

  test('local paths are skipped, not problems', () => {
    expect(parseRequirementLine('.', 'r.txt', 1, null)).toBeNull();
    expect(parseRequirementLine('./libs/common', 'r.txt', 1, null)).toBeNull();
    expect(
      parseRequirementLine('file:///wheels/x-1.0-py3-none-any.whl', 'r.txt', 1, null),
    ).toMatchObject({
      name: 'x',
    });
  });

  test('a URL without a name is a problem', () => {
    const r = parseRequirementLine('https://example.org/download/latest', 'r.txt', 3, null);
    expect(r).toMatchObject({ line: 3, message: expect.stringContaining('#egg=') });
  });
});

describe('evaluateMarker', () => {
  test.each([
    ['python_version < "3.11"', '3.11', false],
    ['python_version < "3.11"', '3.9', true],
    ['python_version >= "3.8" and sys_platform == "linux"', '3.11', true],
    ['sys_platform == "win32" or python_version == "3.12"', '3.12', true],
    ['(os_name == "nt" or platform_system == "Windows") and python_version > "3"', '3.11', false],
    ["python_version == '3.11.*'", '3.11', true],
    ['python_version < "3.11"', null, null],
    ['platform_machine == "aarch64"', '3.11', null],
    ['platform_machine == "aarch64" and sys_platform == "win32"', '3.11', false],
    ['"linux" in sys_platform', '3.11', true],
  ])('%s (python %s) → %s', (marker, version, expected) => {
    expect(evaluateMarker(marker, version)).toBe(expected);
  });
});

describe('importNameOf', () => {
  test.each([
    ['grpcio', 'grpc'],
    ['python-consul', 'consul'],
    ['python_consul', 'consul'],
    ['PyYAML', 'yaml'],
    ['protobuf', 'google.protobuf'],
    ['Pillow', 'PIL'],
    ['beautifulsoup4', 'bs4'],
    ['scikit-learn', 'sklearn'],
    ['opencv-python-headless', 'cv2'],
    ['python-dateutil', 'dateutil'],
    ['psycopg2-binary', 'psycopg2'],
    ['python-dotenv', 'dotenv'],
    ['PyJWT', 'jwt'],
    ['google-cloud-storage', 'google.cloud.storage'],
    ['azure-storage-blob', 'azure.storage.blob'],
    ['opentelemetry-exporter-otlp', 'opentelemetry.exporter.otlp'],
    ['zope.interface', 'zope.interface'],
    ['python-socketio', 'socketio'],
    ['Flask', 'flask'],
    ['SQLAlchemy', 'sqlalchemy'],
    ['prometheus-client', 'prometheus_client'],
  ])('%s → %s', (dist, module) => {
    expect(importNameOf(dist).module).toBe(module);
  });

  test('nothing to import for stubs and build tools', () => {
    expect(importNameOf('types-requests').module).toBeNull();
    expect(importNameOf('setuptools').module).toBeNull();
  });

  test('config importNames wins; "" means skip', () => {
    const config = { ...DEFAULT_CONFIG, importNames: { 'my-dist': 'mine', Flask: '' } };
    expect(importNameOf('My_Dist', config)).toEqual({ module: 'mine', source: 'config' });
    expect(importNameOf('flask', config).module).toBeNull();
  });

  test('PEP 503 normalisation', () => {
    expect(normalizeDistName('Python__Consul.2')).toBe('python-consul-2');
  });
});

describe('requirementsImports', () => {
  const dockerfile = [
    'FROM python:3.11-slim AS builder',
    'WORKDIR /app',
    'COPY services/api/requirements.txt ./req/requirements.txt',
    'RUN pip install --user -r req/requirements.txt grpcio-tools==1.60 ./local-pkg',
    'FROM gcr.io/distroless/python3-debian12',
    'COPY --from=builder /root/.local /home/nonroot/.local',
    '',
  ].join('\n');

  test('follows the COPY that put the file in the image, adds command-line packages', () => {
    const ctx = ctxWith(
      {
        'services/api/requirements.txt':
          'grpcio\npython-consul\ntomli; python_version < "3.11"\nuvloop; platform_machine == "x86_64"\nmy-internal\n',
      },
      'services/api/Dockerfile',
      { 'my-internal': 'internal_sdk' },
    );
    const { imports, parsed } = requirementsImports(parseDocument(dockerfile), ctx, '3.11');
    expect(imports.map((i) => i.module)).toEqual(['grpc', 'consul', 'internal_sdk', 'grpc_tools']);
    expect(parsed.files).toEqual(['services/api/requirements.txt']);
  });

  test('falls back to the Dockerfile folder, then the context root', () => {
    const ctx = ctxWith({ 'deploy/requirements.txt': 'redis\n' }, 'deploy/Dockerfile');
    const doc = parseDocument('FROM python:3.12\nRUN pip install -r /opt/requirements.txt\n');
    expect(requirementsImports(doc, ctx, '3.12').imports.map((i) => i.module)).toEqual(['redis']);
  });

  test('a requirements file missing from the context is reported', () => {
    const ctx = ctxWith({}, 'Dockerfile');
    const doc = parseDocument('FROM python:3.12\nRUN pip install -r requirements.txt\n');
    const { imports, parsed } = requirementsImports(doc, ctx, '3.12');
    expect(imports).toEqual([]);
    expect(parsed.problems[0].message).toContain('not found');
  });
});
