/**
 * The command line, in-process: `main(argv, io)` on temporary directories. Exit codes, what is
 * written (and what is not), stdin, transform selection, output formats, bad input, batches.
 */
import { afterAll, beforeEach, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type CliIO } from '../src/cli.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-cli-'));
  roots.push(dir);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], stdin = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (s: string) => {
      stdout += s;
    },
    stderr: (s: string) => {
      stderr += s;
    },
    readStdin: async () => Buffer.from(stdin, 'utf8'),
    cwd: dir,
    // No colours whatever the environment says (reporters read NO_COLOR / FORCE_COLOR here).
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
  } as CliIO;
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

function write(rel: string, text: string | Buffer): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const read = (rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

/** Bytes and modification time: what "writes nothing" must keep. */
function snapshot(rel: string) {
  const file = path.join(dir, rel);
  return { bytes: fs.readFileSync(file).toString('hex'), mtime: fs.statSync(file).mtimeMs };
}

/** Needs transforms 7 (builder platform), 8 (final platform) and 9 (ARG scope, three stages' worth). */
const BROKEN = [
  'ARG VERSION=1.0.0',
  'FROM --platform=$TARGETPLATFORM golang:1.22 AS build',
  'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
  'FROM --platform=linux/arm64 alpine:3.20',
  'COPY --from=build /out/app /app',
  'LABEL version=$VERSION',
  '',
].join('\n');

const FIXED = [
  'ARG VERSION=1.0.0',
  'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
  'ARG TARGETOS',
  'ARG TARGETARCH',
  'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
  'FROM --platform=$TARGETPLATFORM alpine:3.20',
  'ARG VERSION=1.0.0',
  'COPY --from=build /out/app /app',
  'LABEL version=$VERSION',
  '',
].join('\n');

const CLEAN = 'FROM alpine:3.20\nRUN apk add --no-cache curl\nCMD ["curl", "--version"]\n';

/** Our four transforms only, so that the expectations are not tied to the others. */
const ONLY = ['--only', '7,8,9,10'];

describe('fix mode', () => {
  test('writes the fix, prints a git-style diff, exit 0; a second run is a no-op', async () => {
    write('Dockerfile', BROKEN);
    const first = await run([...ONLY, 'Dockerfile']);
    expect(first.code).toBe(0);
    expect(read('Dockerfile')).toBe(FIXED);
    expect(first.stdout).toContain('--- a/Dockerfile\n+++ b/Dockerfile\n');
    expect(first.stdout).toContain('\n-FROM --platform=linux/arm64 alpine:3.20\n');
    expect(first.stdout).toContain('\n+FROM --platform=$TARGETPLATFORM alpine:3.20\n');
    expect(first.stdout).toMatch(/Dockerfile:2: warning \[07-builder-buildplatform\]/);

    const before = snapshot('Dockerfile');
    const second = await run([...ONLY, 'Dockerfile']);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('+++ b/Dockerfile');
    expect(snapshot('Dockerfile')).toEqual(before);
  });

  test('a clean Dockerfile gets no diff and is not written', async () => {
    write('Dockerfile', CLEAN);
    const before = snapshot('Dockerfile');
    const r = await run([...ONLY, 'Dockerfile']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(snapshot('Dockerfile')).toEqual(before);
  });

  test('CRLF file: line endings kept, inserted lines use CRLF', async () => {
    write('Dockerfile', BROKEN.replace(/\n/g, '\r\n'));
    expect((await run([...ONLY, 'Dockerfile'])).code).toBe(0);
    expect(read('Dockerfile')).toBe(FIXED.replace(/\n/g, '\r\n'));
  });

  test('atomic write keeps the file mode and leaves no temporary file', async () => {
    const file = write('Dockerfile', BROKEN);
    fs.chmodSync(file, 0o640);
    expect((await run([...ONLY, 'Dockerfile'])).code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dir)).toEqual(['Dockerfile']);
  });

  test('a symlink stays a link; its target gets the fix', async () => {
    write('real/Dockerfile.app', BROKEN);
    fs.symlinkSync(path.join('real', 'Dockerfile.app'), path.join(dir, 'Dockerfile'));
    expect((await run([...ONLY, 'Dockerfile'])).code).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'Dockerfile')).isSymbolicLink()).toBe(true);
    expect(read('real/Dockerfile.app')).toBe(FIXED);
  });
});

describe('--dry-run and --check write nothing', () => {
  test('--dry-run prints the diff, keeps bytes and mtime, exit 0', async () => {
    write('Dockerfile', BROKEN);
    const before = snapshot('Dockerfile');
    const r = await run([...ONLY, '--dry-run', 'Dockerfile']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+++ b/Dockerfile');
    expect(r.stdout).toContain('+ARG VERSION=1.0.0');
    expect(snapshot('Dockerfile')).toEqual(before);
  });

  test('--check exits 1 before a fix, writes nothing, and exits 0 after the fix', async () => {
    write('Dockerfile', BROKEN);
    const before = snapshot('Dockerfile');
    const check = await run([...ONLY, '--check', 'Dockerfile']);
    expect(check.code).toBe(1);
    expect(snapshot('Dockerfile')).toEqual(before);
    expect((await run([...ONLY, 'Dockerfile'])).code).toBe(0);
    expect((await run([...ONLY, '--check', 'Dockerfile'])).code).toBe(0);
  });

  test('--check on a clean file exits 0', async () => {
    write('Dockerfile', CLEAN);
    expect((await run([...ONLY, '--check', 'Dockerfile'])).code).toBe(0);
  });

  test('--dry-run with --check is a usage error', async () => {
    write('Dockerfile', BROKEN);
    const r = await run(['--dry-run', '--check', 'Dockerfile']);
    expect(r.code).toBe(2);
    expect(read('Dockerfile')).toBe(BROKEN);
  });
});

describe('stdin', () => {
  test('- reads stdin and writes exactly the fixed text to stdout; findings go to stderr', async () => {
    const r = await run([...ONLY, '-'], BROKEN);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(FIXED);
    expect(r.stderr).toContain('[08-runtime-targetplatform]');
  });

  test('round trip: the fixed text through stdin again is unchanged', async () => {
    const r = await run([...ONLY, '-'], FIXED);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(FIXED);
  });

  test('--check on stdin: 1 when it would change, 0 when clean', async () => {
    expect((await run([...ONLY, '--check', '-'], BROKEN)).code).toBe(1);
    expect((await run([...ONLY, '--check', '-'], FIXED)).code).toBe(0);
  });

  test('invalid UTF-8 on stdin: exit 2, one line naming <stdin>', async () => {
    let stderr = '';
    const io = {
      stdout: () => undefined,
      stderr: (s: string) => {
        stderr += s;
      },
      readStdin: async () => Buffer.from([0x46, 0x52, 0xff, 0x0a]),
      cwd: dir,
      env: {},
    } as CliIO;
    expect(await main(['-'], io)).toBe(2);
    expect(stderr).toMatch(/^dockerfix: <stdin>: invalid UTF-8\n$/);
  });

  test('- cannot be combined with other paths', async () => {
    expect((await run(['-', 'Dockerfile'], BROKEN)).code).toBe(2);
  });
});

describe('transform selection', () => {
  test.each([['8'], ['08'], ['08-runtime-targetplatform'], ['runtime-targetplatform']])(
    '--only %s runs transform 8 alone',
    async (key) => {
      const r = await run(['--only', key, '-'], BROKEN);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(BROKEN.replace('--platform=linux/arm64', '--platform=$TARGETPLATFORM'));
    },
  );

  test('--skip by number and by id, repeated or comma-separated', async () => {
    const r = await run(
      [...ONLY, '--skip', '9', '--skip', '07-builder-buildplatform', '-'],
      BROKEN,
    );
    expect(r.stdout).toBe(BROKEN.replace('--platform=linux/arm64', '--platform=$TARGETPLATFORM'));
    const r2 = await run([...ONLY, '--skip', '7,stage-arg-scope', '-'], BROKEN);
    expect(r2.stdout).toBe(r.stdout);
  });

  test('an unknown transform is a usage error naming it', async () => {
    write('Dockerfile', BROKEN);
    for (const argv of [
      ['--only', '99', 'Dockerfile'],
      ['--skip', 'no-such-transform', 'Dockerfile'],
    ]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`unknown transform "${argv[1]}"`);
    }
    expect(read('Dockerfile')).toBe(BROKEN);
  });

  test('--list prints every transform with number, id and safety', async () => {
    const r = await run(['--list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^07 {2}07-builder-buildplatform +safe /m);
    expect(r.stdout).toMatch(/^08 {2}08-runtime-targetplatform +safe /m);
    expect(r.stdout).toMatch(/^09 {2}09-stage-arg-scope +safe /m);
    expect(r.stdout).toMatch(/^10 {2}10-undefined-var-default +unsafe /m);
  });

  test('--help prints usage and exits 0; an unknown flag exits 2', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('dockerfix');
    expect(help.stdout).toContain('--dry-run');
    expect(help.stdout).toContain('--check');
    const bad = await run(['--bogus-flag', 'Dockerfile']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bogus-flag/);
  });

  test('no paths is a usage error', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no paths given');
  });
});

describe('--format json', () => {
  test('one document with files, findings and a summary', async () => {
    write('Dockerfile', BROKEN);
    const r = await run([...ONLY, '--dry-run', '--format', 'json', 'Dockerfile']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      files: {
        path: string;
        changed: boolean;
        findings: Record<string, unknown>[];
      }[];
      summary: Record<string, unknown>;
    };
    expect(doc.files).toHaveLength(1);
    const [file] = doc.files;
    expect(file.path).toBe('Dockerfile');
    expect(file.changed).toBe(true);
    expect(file.findings.map((f) => [f.transform, f.severity, f.line, f.fixed])).toEqual([
      ['07-builder-buildplatform', 'warning', 2, true],
      ['08-runtime-targetplatform', 'warning', 6, true],
      ['09-stage-arg-scope', 'warning', 3, true],
      ['09-stage-arg-scope', 'warning', 7, true],
    ]);
    for (const f of file.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(['transform', 'severity', 'line', 'message', 'fixed']),
      );
      expect(typeof f.message).toBe('string');
    }
    expect(doc.summary).toMatchObject({ files: 1, changed: 1, errors: 0 });
    expect(read('Dockerfile')).toBe(BROKEN);
  });
});

describe('bad input', () => {
  test('a missing path: one line naming it, exit 2, the rest of the batch still fixed', async () => {
    write('good/Dockerfile', BROKEN);
    const r = await run([...ONLY, 'missing/Dockerfile', 'good/Dockerfile']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dockerfix: missing\/Dockerfile: no such file or directory$/m);
    expect(r.stderr.split('\n').filter((l) => l.includes('missing/Dockerfile'))).toHaveLength(1);
    expect(read('good/Dockerfile')).toBe(FIXED);
  });

  test('a binary file and an invalid UTF-8 file are named, left untouched; exit 2', async () => {
    write('bin/Dockerfile', Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0x01, 0x02]));
    write('latin1/Dockerfile', Buffer.from('FROM alpine\nLABEL author=Jos\xe9\n', 'latin1'));
    write('good/Dockerfile', BROKEN);
    const binBefore = snapshot('bin/Dockerfile');
    const latinBefore = snapshot('latin1/Dockerfile');
    const r = await run([...ONLY, 'bin/Dockerfile', 'latin1/Dockerfile', 'good/Dockerfile']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dockerfix: bin\/Dockerfile: binary file/m);
    expect(r.stderr).toMatch(/^dockerfix: latin1\/Dockerfile: invalid UTF-8$/m);
    expect(snapshot('bin/Dockerfile')).toEqual(binBefore);
    expect(snapshot('latin1/Dockerfile')).toEqual(latinBefore);
    expect(read('good/Dockerfile')).toBe(FIXED);
  });

  test('a directory without Dockerfiles: one line naming it, exit 2', async () => {
    write('empty/README.md', '# nothing here\n');
    write('good/Dockerfile', BROKEN);
    const r = await run([...ONLY, 'empty', 'good']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dockerfix: empty: no Dockerfiles found/m);
    expect(read('good/Dockerfile')).toBe(FIXED);
  });
});

describe('directory batch', () => {
  test('finds every Dockerfile name form, honours .gitignore, skips node_modules and .git', async () => {
    const names = [
      'Dockerfile',
      'services/api/Dockerfile.prod',
      'services/web/web.Dockerfile',
      'tools/ci.dockerfile',
      'legacy/Containerfile',
    ];
    for (const n of names) write(n, BROKEN);
    write('.gitignore', 'build/\n*.generated.Dockerfile\n');
    write('build/Dockerfile', BROKEN);
    write('services/x.generated.Dockerfile', BROKEN);
    write('node_modules/pkg/Dockerfile', BROKEN);
    write('.git/Dockerfile', BROKEN);
    write('services/api/.dockerignore', 'node_modules\n');
    write('services/api/Dockerfile.prod.dockerignore', 'node_modules\n');

    const r = await run([...ONLY, '--format', 'json', '.']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { files: { path: string; changed: boolean }[] };
    expect(doc.files.map((f) => f.path).sort()).toEqual([...names].sort());
    expect(doc.files.every((f) => f.changed)).toBe(true);
    for (const n of names) expect(read(n)).toBe(FIXED);
    for (const n of [
      'build/Dockerfile',
      'services/x.generated.Dockerfile',
      'node_modules/pkg/Dockerfile',
      '.git/Dockerfile',
    ])
      expect(read(n)).toBe(BROKEN);
    expect(read('services/api/Dockerfile.prod.dockerignore')).toBe('node_modules\n');

    const again = await run([...ONLY, '--check', '.']);
    expect(again.code).toBe(0);
  });

  test('a monorepo batch with mixed styles: each file keeps its own style', async () => {
    write('go/Dockerfile', BROKEN.replace(/\n/g, '\r\n'));
    const lower = BROKEN.replace(/^(ARG|FROM|RUN|COPY|LABEL)/gm, (k) => k.toLowerCase());
    write('py/Dockerfile', lower);
    expect((await run([...ONLY, '--check', '.'])).code).toBe(1);
    expect((await run([...ONLY, '.'])).code).toBe(0);
    expect(read('go/Dockerfile')).toBe(FIXED.replace(/\n/g, '\r\n'));
    expect(read('py/Dockerfile')).toBe(
      FIXED.replace(/^(ARG|FROM|RUN|COPY|LABEL)/gm, (k) => k.toLowerCase()),
    );
    expect((await run([...ONLY, '--check', '.'])).code).toBe(0);
  });
});
