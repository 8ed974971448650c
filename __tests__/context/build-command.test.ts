/** The build-command block model (12/13) and the context-path helpers (3/4). */
import { describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from '../../src/model/document.js';
import {
  findBuildCommandBlock,
  parseBuildCommand,
  rawWords,
  renderBlock,
  isVcsArgName,
} from '../../src/model/build-command.js';
import { cleanSource, matchPaths, rebaseValue } from '../../src/model/context-sources.js';
import { defaultContext, nodeFs } from '../../src/context.js';
import { runTransforms } from '../../src/runner.js';
import buildCommand from '../../transforms/12-build-command.js';
import vcsRef from '../../transforms/13-vcs-ref-without-git.js';

describe('build command parsing', () => {
  test('words keep quotes and $( … ) with nested quotes', () => {
    expect(rawWords(`a --build-arg D="$(date -u +"%Y %m")" 'x y' $(git rev-parse HEAD) .`)).toEqual(
      ['a', '--build-arg', 'D="$(date -u +"%Y %m")"', "'x y'", '$(git rev-parse HEAD)', '.'],
    );
  });

  test('flags, = forms, short forms, unknown flags and the context', () => {
    const cmd = parseBuildCommand(
      'docker buildx build -f a/Dockerfile --platform=linux/amd64 -t x/y:1 --build-arg A=1 --build-arg B --provenance=false --secret id=npm,src=.npmrc --push ctx',
    );
    expect(cmd).toEqual({
      program: ['docker', 'buildx', 'build'],
      platform: 'linux/amd64',
      file: 'a/Dockerfile',
      tag: 'x/y:1',
      push: true,
      buildArgs: [
        { name: 'A', raw: 'A=1' },
        { name: 'B', raw: 'B' },
      ],
      other: [['--provenance=false'], ['--secret', 'id=npm,src=.npmrc']],
      context: 'ctx',
      balanced: true,
    });
    expect(parseBuildCommand('docker build --build-arg A="x .').balanced).toBe(false);
    expect(parseBuildCommand('docker build --build-arg A="$(git rev-parse HEAD)" .').balanced).toBe(
      true,
    );
    expect(renderBlock({ ...cmd, context: '.' })).toEqual([
      '# Build command (dockerfix), run from the build context root:',
      '#   docker buildx build \\',
      '#     --platform linux/amd64 \\',
      '#     --file a/Dockerfile \\',
      '#     --build-arg A=1 \\',
      '#     --build-arg B \\',
      '#     --provenance=false \\',
      '#     --secret id=npm,src=.npmrc \\',
      '#     --tag x/y:1 \\',
      '#     --push \\',
      '#     .',
    ]);
  });

  test('a block is found outside instructions only', () => {
    const inRun = parseDocument('FROM a\nRUN echo 1 \\\n# docker build -t x .\n  && echo 2\n');
    expect(findBuildCommandBlock(inRun)).toBeNull();
    const doc = parseDocument(
      '# syntax=docker/dockerfile:1\n# $ docker build \\\n#   -t x .\nFROM a\n',
    );
    expect(findBuildCommandBlock(doc)).toMatchObject({
      firstLine: 1,
      lastLine: 2,
      hasHeader: false,
    });
  });

  test('VCS arg names', () => {
    for (const n of [
      'VCS_REF',
      'GIT_COMMIT',
      'git_sha',
      'SOURCE_COMMIT',
      'REVISION',
      'COMMIT_SHA',
      'APP_GIT_SHA',
    ])
      expect(isVcsArgName(n)).toBe(true);
    for (const n of ['VERSION', 'BUILD_DATE', 'SHA256', 'COMMITTER', 'PYTHON_VERSION'])
      expect(isVcsArgName(n)).toBe(false);
  });
});

describe('12 + 13 together', () => {
  const ctx = defaultContext({
    contextRoot: '/repo',
    dockerfilePath: '/repo/svc/Dockerfile',
  });
  const cases = [
    '\uFEFF# syntax=docker/dockerfile:1\nARG GIT_SHA\nFROM alpine',
    '# check=skip=all\r\n\r\nARG VCS_REF\r\nARG BUILD_DATE\r\nFROM --platform=linux/arm64 alpine\r\n',
    'from alpine\n# docker build --build-arg REV=$(git rev-parse HEAD) -t a/b .\nrun true\n',
    '# escape=`\nFROM alpine\nARG COMMIT\nLABEL c=$COMMIT',
  ];
  for (const input of cases) {
    test(`idempotent, directives first: ${JSON.stringify(input.slice(0, 30))}`, () => {
      const first = runTransforms(input, [buildCommand, vcsRef], ctx);
      const second = runTransforms(first.text, [buildCommand, vcsRef], ctx);
      expect(second.text).toBe(first.text);
      expect(second.findings.filter((f) => f.fixed)).toEqual([]);
      expect(first.text.match(/Build command \(dockerfix\)/g)).toHaveLength(1);
      expect(first.text).not.toMatch(/git rev-parse/);
      const directives = parseDocument(input).ast.getDirectives().length;
      expect(parseDocument(first.text).ast.getDirectives().length).toBe(directives);
      if (input.startsWith('\uFEFF')) expect(first.text.startsWith('\uFEFF# syntax=')).toBe(true);
    });
  }
});

describe('context paths', () => {
  test('rebaseValue keeps trailing slashes and leading /, drops ./, pivots --parents', () => {
    expect(rebaseValue('controller/', 'infra/mesh', false)).toBe('infra/mesh/controller/');
    expect(rebaseValue('./requirements.txt', 'infra/mesh', false)).toBe(
      'infra/mesh/requirements.txt',
    );
    expect(rebaseValue('/conf', 'a', false)).toBe('/a/conf');
    expect(rebaseValue('src/*.py', 'a', true)).toBe('a/./src/*.py');
    expect(rebaseValue('lib/./pkg/', 'a', true)).toBe('a/lib/./pkg/');
    expect(cleanSource('./a/./b/')).toBe('a/b');
    expect(cleanSource('../x')).toBe('x');
  });

  test('matchPaths: * stays in a folder, ** spans folders, plain paths', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-glob-'));
    for (const f of ['a/x.py', 'a/b/y.py', 'a/b/c/z.py', '.hidden.py']) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), '');
    }
    const paths = (p: string) => matchPaths(nodeFs, root, p).map((m) => m.path);
    expect(paths('a/*.py')).toEqual(['a/x.py']);
    expect(paths('a/**/*.py')).toEqual(['a/x.py', 'a/b/y.py', 'a/b/c/z.py']);
    expect(paths('*.py')).toEqual(['.hidden.py']);
    expect(paths('a/b')).toEqual(['a/b']);
    expect(matchPaths(nodeFs, root, 'a/b')[0].isDirectory).toBe(true);
    expect(paths('nope/*')).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
