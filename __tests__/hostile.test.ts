/**
 * Hostile and broken input through the CLI (issue 6, item 3). In-process through `main(argv, io)`
 * where that is enough; real child processes of the built CLI where the test needs another user
 * (root reads any file), a file-size limit (a write error in the middle of the atomic write) or a
 * signal (SIGINT in the middle of a batch). The bar: every file is either left byte-identical or
 * completely fixed, and the user is told which and why.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { processFile } from '../src/batch.js';
import { main, type CliIO } from '../src/cli.js';
import { InputError, writeAtomic } from '../src/files.js';
import { MAX_STAGE_COMMENT_PRODUCT } from '../src/runner.js';
import type { Transform } from '../src/transform.js';
import { allTransforms } from '../transforms/index.js';

/** A file several transforms fix: builder on $TARGETPLATFORM, constant platform in the final stage. */
const FIXABLE = [
  'ARG VERSION=1.0.0',
  'FROM --platform=$TARGETPLATFORM golang:1.22 AS build',
  'WORKDIR /src',
  'RUN go build -o /out/app .',
  '',
  'FROM --platform=linux/amd64 alpine:3.20',
  'LABEL version=$VERSION',
  'COPY --from=build /out/app /app',
  'ENTRYPOINT ["/app"]',
  '',
].join('\n');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-hostile-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A fresh directory (world-readable, so a child running as another user can enter it). */
function freshDir(): string {
  const dir = path.join(tmp, `case${++n}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  return dir;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(argv: string[], cwd: string, stdin = Buffer.alloc(0)): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    readStdin: async () => stdin,
    cwd,
  };
  const code = await main(argv, io);
  return { code, out, err };
}

/** Files under a directory with their bytes, modes and link-ness (temp files included). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, name);
    const l = fs.lstatSync(p);
    if (l.isDirectory()) continue;
    out[name] = l.isSymbolicLink()
      ? `link->${fs.readlinkSync(p)}`
      : `${(l.mode & 0o777).toString(8)}:${fs.readFileSync(p).toString('base64')}`;
  }
  return out;
}

describe('unreadable input: one clear line, nothing written', () => {
  test('binary file', async () => {
    const dir = freshDir();
    const bytes = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0xff, 0xfe, 0x00, 0x10]);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), bytes);
    const r = await cli(['Dockerfile'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('dockerfix: Dockerfile: binary file');
    expect(fs.readFileSync(path.join(dir, 'Dockerfile')).equals(bytes)).toBe(true);
  });

  test('invalid UTF-8', async () => {
    const dir = freshDir();
    const bytes = Buffer.concat([Buffer.from(FIXABLE), Buffer.from([0xc3, 0x28, 0x0a])]);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), bytes);
    const r = await cli(['Dockerfile'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('dockerfix: Dockerfile: invalid UTF-8');
    expect(fs.readFileSync(path.join(dir, 'Dockerfile')).equals(bytes)).toBe(true);
  });

  test('NUL bytes inside an otherwise fixable file', async () => {
    const dir = freshDir();
    const bytes = Buffer.from(FIXABLE.replace('WORKDIR /src', 'WORKDIR /s\u0000rc'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), bytes);
    const r = await cli(['Dockerfile'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Dockerfile: binary file \(contains NUL bytes\)/);
    expect(fs.readFileSync(path.join(dir, 'Dockerfile')).equals(bytes)).toBe(true);
  });

  test('invalid UTF-8 on stdin: reported, nothing printed as a fix', async () => {
    const r = await cli(['-'], tmp, Buffer.from([0x46, 0x52, 0xff, 0x0a]));
    expect(r.code).toBe(2);
    expect(r.err).toContain('<stdin>: invalid UTF-8');
    expect(r.out).toBe('');
  });

  test('missing path', async () => {
    const dir = freshDir();
    const r = await cli(['no/such/Dockerfile'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('dockerfix: no/such/Dockerfile: no such file or directory');
  });

  test('directory without Dockerfiles', async () => {
    const dir = freshDir();
    fs.mkdirSync(path.join(dir, 'empty/sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'empty/sub/README.md'), '# not a Dockerfile\n');
    const r = await cli(['empty'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('dockerfix: empty: no Dockerfiles found in this directory');
  });

  test('one bad file does not stop the batch', async () => {
    const dir = freshDir();
    fs.mkdirSync(path.join(dir, 'a'));
    fs.mkdirSync(path.join(dir, 'b'));
    fs.writeFileSync(path.join(dir, 'a/Dockerfile'), Buffer.from([0xff, 0xfe, 0x00]));
    fs.writeFileSync(path.join(dir, 'b/Dockerfile'), FIXABLE);
    const r = await cli(['--quiet', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('a/Dockerfile: not UTF-8');
    expect(fs.readFileSync(path.join(dir, 'b/Dockerfile'), 'utf8')).not.toBe(FIXABLE);
  });
});

describe('size and time caps', () => {
  test('a 20 MB file is skipped at once with a "skipped: too large" finding', async () => {
    const dir = freshDir();
    const line = 'RUN echo ' + 'x'.repeat(90) + '\n';
    const big = 'FROM alpine\n' + line.repeat(Math.ceil((20 * 1024 * 1024) / line.length));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), big);
    const started = Date.now();
    const r = await cli(['Dockerfile'], dir);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Dockerfile:1: warning \[dockerfix\] skipped: too large \(20\.0 MB/m);
    expect(fs.statSync(path.join(dir, 'Dockerfile')).size).toBe(Buffer.byteLength(big));
  });

  test('a small file with many stages and comments is skipped, not parsed for minutes', async () => {
    const dir = freshDir();
    let text = '';
    for (let i = 0; i < 2500; i++) text += `# stage ${i}\n# built by ci\nFROM alpine AS s${i}\n`;
    expect(text.length).toBeLessThan(200_000);
    expect(2500 * 5000).toBeGreaterThan(MAX_STAGE_COMMENT_PRODUCT);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
    const started = Date.now();
    const r = await cli(['Dockerfile'], dir);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/warning \[dockerfix\] skipped: too large to parse safely/);
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(text);
  });

  test('--max-size lowers the cap', async () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), FIXABLE);
    const r = await cli(['--max-size', '100', 'Dockerfile'], dir);
    expect(r.out).toContain('skipped: too large');
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(FIXABLE);
  });
});

describe('writing safely', () => {
  test('a read-only file is reported and left alone', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, FIXABLE);
    fs.chmodSync(file, 0o444);
    const r = await cli(['Dockerfile'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('dockerfix: Dockerfile: read-only file; not written');
    expect(fs.readFileSync(file, 'utf8')).toBe(FIXABLE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
    expect(fs.readdirSync(dir)).toEqual(['Dockerfile']);
  });

  test('a symlinked Dockerfile stays a link; its target is fixed', async () => {
    const dir = freshDir();
    fs.mkdirSync(path.join(dir, 'real'));
    fs.writeFileSync(path.join(dir, 'real/Dockerfile.base'), FIXABLE, { mode: 0o640 });
    fs.chmodSync(path.join(dir, 'real/Dockerfile.base'), 0o640);
    fs.symlinkSync('real/Dockerfile.base', path.join(dir, 'Dockerfile'));
    const r = await cli(['Dockerfile'], dir);
    expect(r.err).not.toContain('cannot write');
    const link = fs.lstatSync(path.join(dir, 'Dockerfile'));
    expect(link.isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(dir, 'Dockerfile'))).toBe('real/Dockerfile.base');
    const fixed = fs.readFileSync(path.join(dir, 'real/Dockerfile.base'), 'utf8');
    expect(fixed).not.toBe(FIXABLE);
    expect(fixed).toContain('FROM --platform=$BUILDPLATFORM golang:1.22 AS build');
    expect(fs.statSync(path.join(dir, 'real/Dockerfile.base')).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(path.join(dir, 'real'))).toEqual(['Dockerfile.base']);
  });

  test('a file changed on disk between read and write is not overwritten', () => {
    const dir = freshDir();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, FIXABLE);
    const edited = FIXABLE + '# edited by someone else meanwhile\n';
    // A transform that, while dockerfix is working, stands in for an editor saving the file.
    const meddler: Transform = {
      id: '99-meddler',
      number: 99,
      title: 'edit the file on disk during the run',
      safety: 'safe',
      sources: [],
      detect: () => {
        fs.writeFileSync(file, edited);
        return [];
      },
    };
    const r = processFile(file, { mode: 'fix', transforms: [...allTransforms, meddler], cwd: dir });
    expect(r.written).toBe(false);
    expect(r.error).toBe('changed on disk while dockerfix ran; not overwritten');
    expect(fs.readFileSync(file, 'utf8')).toBe(edited);
    expect(fs.readdirSync(dir)).toEqual(['Dockerfile']);
  });

  test('writeAtomic refuses when the bytes on disk are not the ones read', () => {
    const dir = freshDir();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, 'FROM b\n');
    expect(() => writeAtomic(file, 'FROM c\n', Buffer.from('FROM a\n'), 0o644)).toThrow(InputError);
    expect(fs.readFileSync(file, 'utf8')).toBe('FROM b\n');
    expect(fs.readdirSync(dir)).toEqual(['Dockerfile']);
  });
});

/** The CLI built into a private folder (so a concurrent `npm run build` cannot race with it). */
const BUILD = path.resolve('node_modules/.cache/dockerfix-hostile');
const BIN = path.join(BUILD, 'bin/dockerfix.js');

describe('child processes of the built CLI', () => {
  beforeAll(() => {
    fs.rmSync(BUILD, { recursive: true, force: true });
    // Type errors elsewhere in the tree do not stop tsc from emitting; check the output exists.
    spawnSync('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', path.join(BUILD, 'dist')], {
      encoding: 'utf8',
    });
    fs.mkdirSync(path.dirname(BIN), { recursive: true });
    fs.copyFileSync(path.resolve('bin/dockerfix.js'), BIN);
    expect(fs.existsSync(path.join(BUILD, 'dist/src/cli.js'))).toBe(true);
    // Readable by another user (the unreadable-file test runs the CLI as nobody).
    spawnSync('chmod', ['-R', 'a+rX', BUILD]);
  }, 120_000);

  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const SETPRIV = '/usr/bin/setpriv';

  test('an unreadable file: "permission denied", nothing written', () => {
    const dir = freshDir();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, FIXABLE);
    fs.chmodSync(file, 0o000);
    // Root reads every file: as root, run the CLI without the capabilities that override file
    // permissions (setpriv, util-linux), so it still reaches its own checkout, wherever that is
    // (a 0700 folder included); without setpriv, as nobody (then the checkout must be readable).
    const dropped = ['--bounding-set', '-dac_override,-dac_read_search'];
    const [cmd, args, ids] = !asRoot
      ? [process.execPath, [BIN, 'Dockerfile'], {}]
      : fs.existsSync(SETPRIV)
        ? [SETPRIV, [...dropped, process.execPath, BIN, 'Dockerfile'], {}]
        : [process.execPath, [BIN, 'Dockerfile'], { uid: 65534, gid: 65534 }];
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', ...ids });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('dockerfix: Dockerfile: permission denied');
    fs.chmodSync(file, 0o644);
    expect(fs.readFileSync(file, 'utf8')).toBe(FIXABLE);
  });

  test('a write error in the middle of the atomic write leaves the original intact', () => {
    const dir = freshDir();
    const file = path.join(dir, 'Dockerfile');
    // Large enough that writing the fixed copy crosses a 4 KiB file-size limit (EFBIG), the
    // same failure path as a full disk (ENOSPC) half-way through the temp file.
    const text = FIXABLE + '# padding\n'.repeat(800);
    fs.writeFileSync(file, text);
    const r = spawnSync(
      'sh',
      ['-c', `ulimit -f 8; exec "$0" "$1" Dockerfile`, process.execPath, BIN],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/dockerfix: Dockerfile: cannot write: .*(too large|EFBIG)/);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(fs.readdirSync(dir)).toEqual(['Dockerfile']); // no temp file left behind
  });

  test.each([
    ['in this thread', 60, '1'],
    ['with worker threads', 300, '2'],
  ])(
    'SIGINT mid-batch (%s): every file is old or new, never partial; exit 130',
    async (_how, files, jobs) => {
      // Two identical trees: one fixed completely (the reference), one interrupted.
      const make = (root: string) => {
        for (let i = 0; i < files; i++) {
          const d = path.join(root, 'repo', `svc${String(i).padStart(3, '0')}`);
          fs.mkdirSync(d, { recursive: true });
          fs.writeFileSync(path.join(d, 'Dockerfile'), FIXABLE + '# padding line\n'.repeat(100));
        }
        return path.join(root, 'repo');
      };
      const reference = make(path.join(freshDir(), 'ref'));
      const victim = make(path.join(freshDir(), 'victim'));
      const done = spawnSync(process.execPath, [BIN, '--quiet', '--context', '.', '.'], {
        cwd: reference,
        encoding: 'utf8',
      });
      expect(done.status).not.toBe(130);

      const child = spawn(process.execPath, [BIN, '--jobs', jobs, '--context', '.', '.'], {
        cwd: victim,
      });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.on('data', (d) => {
        stdout += d;
        // Interrupt once a few files have been written.
        if (!sent && (stdout.match(/^\+\+\+ /gm) ?? []).length >= 3) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(sent).toBe(true);
      expect(code).toBe(130);
      expect(stderr).toMatch(
        new RegExp(`interrupted after \\d+ of ${files} files \\(\\d+ written\\)`),
      );

      const original = FIXABLE + '# padding line\n'.repeat(100);
      let fixed = 0;
      let untouched = 0;
      for (const [name, value] of Object.entries(tree(victim))) {
        expect(name).toMatch(/^svc\d{3}\/Dockerfile$/); // no temp files left
        const bytes = Buffer.from(value.split(':')[1], 'base64').toString('utf8');
        const expected = fs.readFileSync(path.join(reference, name), 'utf8');
        if (bytes === original) untouched++;
        else if (bytes === expected) fixed++;
        else throw new Error(`${name} is neither the original nor the fixed file`);
      }
      expect(fixed).toBeGreaterThanOrEqual(3);
      expect(untouched).toBeGreaterThan(0);
      expect(fixed + untouched).toBe(files);
    },
    120_000,
  );
});
