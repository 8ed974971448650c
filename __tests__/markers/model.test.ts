import { describe, expect, test } from '@jest/globals';
import { parseDocument } from '../../src/model/document.js';
import { defaultContext } from '../../src/context.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import {
  derivedPrefixParts,
  dockerfileSuffix,
  isMarkerPath,
  markerKind,
  markerNames,
  markerWrites,
  runtimeOwner,
  shellSegments,
} from '../../src/model/markers.js';
import { isBuildStep } from '../../transforms/17-copy-before-markers.js';

const ctxFor = (root: string, file: string | null, markerPrefix?: string) =>
  defaultContext({
    contextRoot: root,
    dockerfilePath: file,
    config: { ...DEFAULT_CONFIG, ...(markerPrefix ? { markerPrefix } : {}) },
  });

describe('marker names', () => {
  test('suffixes', () => {
    expect(dockerfileSuffix('Dockerfile.controller')).toBe('controller');
    expect(dockerfileSuffix('api.Dockerfile')).toBe('api');
    expect(dockerfileSuffix('Dockerfile')).toBe('');
    expect(dockerfileSuffix('Containerfile.worker')).toBe('worker');
  });

  test("the log's prefix and file names", () => {
    const n = markerNames(
      null,
      ctxFor('/src/lucid', '/src/lucid/infrastructure/service-mesh/Dockerfile.controller'),
    );
    expect(n.prefix).toBe('LUCID_SERVICE_MESH_CONTROLLER');
    expect(n.sourceMarker).toBe('.lucid-source-marker');
    expect(n.packageMarker).toBe('.lucid-marker');
    expect(n.dirMarker('sidecar')).toBe('.lucid-sidecar-marker');
    expect(n.content('source')).toBe('LUCID_SERVICE_MESH_CONTROLLER_SOURCE_$(date +%s)');
  });

  test('empty and repeated parts are left out', () => {
    expect(derivedPrefixParts('/w/shop', '/w/shop/Dockerfile')).toEqual(['SHOP']);
    expect(derivedPrefixParts('/w/shop', '/w/shop/api/api.Dockerfile')).toEqual(['SHOP', 'API']);
    expect(derivedPrefixParts('/w/my-Repo', '/w/my-Repo/svc/Dockerfile.worker')).toEqual([
      'MY_REPO',
      'SVC',
      'WORKER',
    ]);
    expect(markerNames(null, ctxFor('/w/shop', null)).prefix).toBe('SHOP');
  });

  test('configured prefix; repo from the folder, the prefix, or existing markers', () => {
    expect(markerNames(null, ctxFor('/w/lucid', '/w/lucid/Dockerfile', 'LUCID_X')).repo).toBe(
      'lucid',
    );
    expect(markerNames(null, ctxFor('/w/context', '/w/context/Dockerfile', 'acme_api')).repo).toBe(
      'acme',
    );
    const doc = parseDocument('FROM a\nRUN echo "x" > /app/pkg/.shop-source-marker\n');
    const n = markerNames(doc, ctxFor('/w/other', '/w/other/Dockerfile', 'ACME'));
    expect(n.repo).toBe('shop');
    expect(n.prefix).toBe('ACME');
  });
});

describe('marker writes', () => {
  test('segments keep offsets across continuations and quotes', () => {
    const text =
      'FROM a\nRUN touch /a/.x-marker && \\\n    echo "a && b" > /b/.y-marker; : > /c/.marker\n';
    const doc = parseDocument(text);
    const segs = shellSegments(doc, doc.instructions[1]);
    expect(segs.map((s) => text.slice(s.start, s.end))).toEqual([
      'touch /a/.x-marker',
      'echo "a && b" > /b/.y-marker',
      ': > /c/.marker',
    ]);
    expect(markerWrites(doc, doc.instructions[1]).map((w) => [w.path, w.kind])).toEqual([
      ['/a/.x-marker', 'empty'],
      ['/b/.y-marker', 'content'],
      ['/c/.marker', 'empty'],
    ]);
  });

  test('empty writers', () => {
    const text =
      'FROM a\nRUN > /a/.m-marker && echo -n > /b/.marker && echo -n "" > /c/.marker && echo > /d/.marker && printf "" > /e/.marker && echo hi > /f/notes\n';
    const doc = parseDocument(text);
    expect(markerWrites(doc, doc.instructions[1]).map((w) => [w.path, w.kind])).toEqual([
      ['/a/.m-marker', 'empty'],
      ['/b/.marker', 'empty'],
      ['/c/.marker', 'empty'],
      ['/d/.marker', 'content'],
      ['/e/.marker', 'empty'],
    ]);
  });

  test('backtick escape and JSON form', () => {
    const text =
      '# escape=`\nFROM a\nRUN touch /w/.marker && `\n  touch /x/.y-marker\nRUN ["touch", "/z/.marker"]\n';
    const doc = parseDocument(text);
    expect(markerWrites(doc, doc.instructions[1]).map((w) => w.path)).toEqual([
      '/w/.marker',
      '/x/.y-marker',
    ]);
    expect(markerWrites(doc, doc.instructions[2])).toEqual([]);
  });

  test('kinds', () => {
    const n = markerNames(null, ctxFor('/w/lucid', '/w/lucid/svc/Dockerfile'));
    expect(markerKind(n, '/app/controller/.lucid-source-marker')).toBe('SOURCE');
    expect(markerKind(n, '/app/sidecar/.lucid-sidecar-marker')).toBe('SIDECAR');
    expect(markerKind(n, '/root/.local/lib/python3.11/site-packages/.lucid-marker')).toBe(
      'PACKAGES_INSTALLED',
    );
    expect(markerKind(n, '/root/.local/bin/.lucid-marker')).toBe('BINARIES_INSTALLED');
    expect(markerKind(n, '/app/api/.marker')).toBe('API');
    expect(markerKind(n, '/app/.build-marker')).toBe('BUILD');
  });
});

describe('runtime owner', () => {
  const owner = (text: string, runtimeUser?: string) =>
    runtimeOwner(
      parseDocument(text),
      defaultContext({ config: { ...DEFAULT_CONFIG, ...(runtimeUser ? { runtimeUser } : {}) } }),
    );

  test('USER, :nonroot images, config, root', () => {
    expect(owner('FROM gcr.io/distroless/python3-debian12\nUSER nonroot\n')).toMatchObject({
      chown: '65532:65532',
      home: '/home/nonroot',
      source: 'user',
    });
    expect(owner('FROM gcr.io/distroless/python3-debian12:nonroot\n')).toMatchObject({
      chown: '65532:65532',
      source: 'image',
    });
    expect(owner('FROM python:3.12-slim\nUSER 1000\n')).toMatchObject({ chown: '1000:1000' });
    expect(owner('FROM python:3.12-slim\nUSER app:staff\n')).toMatchObject({ chown: 'app:staff' });
    expect(owner('FROM python:3.12-slim\n', '10001:10002')).toMatchObject({
      chown: '10001:10002',
      source: 'config',
    });
    expect(owner('FROM python:3.12-slim\n')).toBeNull();
    expect(owner('FROM gcr.io/distroless/python3-debian12\nUSER 0:0\n')).toBeNull();
    expect(owner('FROM python:3.12-slim\nUSER root\n', '1000')).toBeNull();
  });
});

describe('build steps (17)', () => {
  const steps = (run: string) => {
    const doc = parseDocument(`FROM python:3.11\n${run}\n`);
    return isBuildStep(doc, doc.instructions[1]);
  };
  test('recognised and not', () => {
    expect(steps('RUN python -m compileall -q /app')).toBe(true);
    expect(steps('RUN pip install --no-cache-dir .')).toBe(true);
    expect(steps('RUN python3 -m pip install -e .[dev]')).toBe(true);
    expect(steps('RUN python setup.py bdist_wheel')).toBe(true);
    expect(steps('RUN python -m build --wheel')).toBe(true);
    expect(steps('RUN pip install -r requirements.txt')).toBe(false);
    expect(steps('RUN echo . && ls .')).toBe(false);
  });
});

describe('marker paths', () => {
  test('marker files and look-alikes', () => {
    for (const p of [
      '/a/.lucid-source-marker',
      '.marker',
      '/x/build.marker',
      'marker',
      '/x/build-marker',
      '/x/marker.txt',
    ])
      expect([p, isMarkerPath(p)]).toEqual([p, true]);
    for (const p of [
      '/app/marker.py',
      '/app/bookmarker',
      '/app/markers/',
      '/app/marker/x.py',
      '/x/.markerrc',
    ])
      expect([p, isMarkerPath(p)]).toEqual([p, false]);
  });
});
