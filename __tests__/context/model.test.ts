/** Build-context model: COPY/ADD source parsing, .dockerignore, compose-based context roots. */
import { afterAll, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from '../../src/model/document.js';
import { copyInstructions } from '../../src/model/copy-sources.js';
import { dockerignoreFor } from '../../src/model/dockerignore.js';
import { composeServiceFor, resolveContextRoot } from '../../src/model/build-context.js';
import { defaultContext } from '../../src/context.js';
import { DEFAULT_CONFIG } from '../../src/config.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-ctx-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text = '') {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('copyInstructions', () => {
  test('shell form: flags, several sources, continuation, offsets', () => {
    const text = 'FROM a AS b\ncopy --chown=1:2 --parents x/*.py \\\n  y/ /dst/\n';
    const doc = parseDocument(text);
    const [c] = copyInstructions(doc);
    expect(c.keyword).toBe('COPY');
    expect(c.from).toBeNull();
    expect(c.parents).toBe(true);
    expect(c.sources.map((s) => [s.value, text.slice(s.start, s.end), s.glob])).toEqual([
      ['x/*.py', 'x/*.py', true],
      ['y/', 'y/', false],
    ]);
    expect(c.dest?.value).toBe('/dst/');
  });

  test('JSON form keeps spaces and gives quoted offsets; --from with other flags', () => {
    const text =
      'FROM a\nCOPY --link --from=b ["my dir/", "f.txt", "/x/"]\nADD https://e.com/a.tgz /a/\n';
    const [c, a] = copyInstructions(parseDocument(text));
    expect(c.json).toBe(true);
    expect(c.from).toBe('b');
    expect(c.sources.map((s) => text.slice(s.start, s.end))).toEqual(['"my dir/"', '"f.txt"']);
    expect(c.sources[0].value).toBe('my dir/');
    expect(a.sources[0].remote).toBe(true);
  });

  test('JSON form across a continuation line', () => {
    const text = 'FROM a\nCOPY ["a", \\\n     "b", "/x/"]\n';
    const [c] = copyInstructions(parseDocument(text));
    expect(c.json).toBe(true);
    expect(c.sources.map((s) => s.value)).toEqual(['a', 'b']);
  });

  test('heredoc sources are marked and their bodies are not arguments', () => {
    const text = 'FROM a\nCOPY <<EOF /etc/x.conf\nsome body words\nEOF\n';
    const [c] = copyInstructions(parseDocument(text));
    expect(c.heredoc).toBe(true);
    expect(c.sources.map((s) => s.value)).toEqual(['<<EOF']);
    expect(c.dest?.value).toBe('/etc/x.conf');
  });
});

describe('dockerignoreFor', () => {
  test('root .dockerignore: anchored patterns, **, exceptions, comments', () => {
    const root = path.join(tmp, 'ign1');
    write('ign1/.dockerignore', '# comment\r\nbuild\r\n**/*.pyc\r\n!build/keep.txt\r\n');
    const ig = dockerignoreFor(
      defaultContext({ contextRoot: root, dockerfilePath: path.join(root, 'Dockerfile') }),
    );
    expect(ig.ignores('build')).toBe(true);
    expect(ig.ignores('build/x')).toBe(true);
    expect(ig.ignores('build/keep.txt')).toBe(false);
    expect(ig.ignores('src/build')).toBe(false);
    expect(ig.ignores('a/b/c.pyc')).toBe(true);
    expect(ig.ignores('./build/')).toBe(true);
  });

  test('<Dockerfile>.dockerignore next to the Dockerfile takes precedence', () => {
    const root = path.join(tmp, 'ign2');
    write('ign2/.dockerignore', 'svc\n');
    const df = write('ign2/svc/Dockerfile.api', 'FROM a\n');
    write('ign2/svc/Dockerfile.api.dockerignore', 'docs\n');
    const ig = dockerignoreFor(defaultContext({ contextRoot: root, dockerfilePath: df }));
    expect(ig.file).toBe(`${df}.dockerignore`);
    expect(ig.ignores('svc/app.py')).toBe(false);
    expect(ig.ignores('docs/x.md')).toBe(true);
  });

  test('no ignore file: nothing ignored', () => {
    const ig = dockerignoreFor(defaultContext({ contextRoot: path.join(tmp, 'none') }));
    expect(ig.file).toBeNull();
    expect(ig.ignores('anything')).toBe(false);
  });
});

describe('compose-based context', () => {
  test('build.context + build.dockerfile resolved from the compose file', () => {
    const compose = path.join(tmp, 'repo', 'deploy', 'compose.yaml');
    const df = path.join(tmp, 'repo', 'svc', 'api', 'Dockerfile.api');
    const text =
      'services:\n  web:\n    image: nginx\n  api:\n    build:\n      context: ..\n      dockerfile: svc/api/Dockerfile.api\n';
    expect(composeServiceFor(text, compose, df)).toEqual({
      file: compose,
      service: 'api',
      context: path.join(tmp, 'repo'),
    });
    // The short form: build: <dir> with the default Dockerfile name.
    expect(composeServiceFor('services:\n  x:\n    build: ./svc/api\n', compose, df)).toBeNull();
    expect(
      composeServiceFor(
        'services:\n  x:\n    build: ../svc\n',
        compose,
        path.join(tmp, 'repo', 'svc', 'Dockerfile'),
      )?.context,
    ).toBe(path.join(tmp, 'repo', 'svc'));
    expect(composeServiceFor('not: [valid', compose, df)).toBeNull();
  });

  test('resolution order: flag, config, compose (up the tree), git, cwd', () => {
    const repo = path.join(tmp, 'mono');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    const df = write('mono/infra/mesh/Dockerfile.ctl', 'FROM a\n');
    write(
      'mono/docker-compose.yml',
      'services:\n  ctl:\n    build:\n      context: infra\n      dockerfile: mesh/Dockerfile.ctl\n',
    );
    const cfg = { ...DEFAULT_CONFIG };
    expect(resolveContextRoot(df, 'x', cfg, repo)).toMatchObject({
      root: path.join(repo, 'x'),
      source: 'flag',
    });
    expect(resolveContextRoot(df, undefined, { ...cfg, context: '/ctx' }, repo)).toMatchObject({
      root: '/ctx',
      source: 'config',
    });
    expect(resolveContextRoot(df, undefined, cfg, repo)).toMatchObject({
      root: path.join(repo, 'infra'),
      source: 'compose',
    });
    const other = write('mono/other/Dockerfile', 'FROM a\n');
    expect(resolveContextRoot(other, undefined, cfg, '/')).toMatchObject({
      root: repo,
      source: 'git',
    });
    const lone = write('lone/Dockerfile', 'FROM a\n');
    const outside = path.join(tmp, 'lone');
    const r = resolveContextRoot(lone, undefined, cfg, outside);
    // tmp may itself sit inside a git checkout; otherwise the working directory is used.
    expect(['git', 'cwd']).toContain(r.source);
  });
});
