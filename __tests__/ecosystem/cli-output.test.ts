/**
 * Output for people: `explain`, `--list`, colour only on a terminal (NO_COLOR / FORCE_COLOR),
 * a progress line for big batches on a terminal's stderr, the final summary; `--safe-only`.
 */
import { describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type CliIO } from '../../src/cli.js';
import { allTransforms } from '../../transforms/index.js';
import { colorEnabled } from '../../src/report/color.js';
import { explain, formatList } from '../../src/explain.js';

const ESC = '\x1b[';

function io(cwd: string, extra: Partial<CliIO> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    readStdin: async () => Buffer.from(''),
    cwd,
    env: {},
    ...extra,
  };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

/** A repository with one Dockerfile whose final stage has a constant platform (transform 8). */
function repo(count = 1): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-cli-'));
  fs.mkdirSync(path.join(dir, '.git'));
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, `svc${i}`);
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'Dockerfile'), 'FROM --platform=linux/arm64 alpine:3.20\n');
  }
  return dir;
}

describe('explain', () => {
  test('by number and by id: prints the docs page', async () => {
    const t = allTransforms.find((x) => x.id === '07-builder-buildplatform')!;
    const page = fs.readFileSync(path.join('docs', 'transforms', `${t.id}.md`), 'utf8');
    for (const key of ['7', '07', t.id, 'builder-buildplatform']) {
      const { cli, out } = io(process.cwd());
      expect(await main(['explain', key], cli)).toBe(0);
      expect(out()).toBe(page);
    }
  });

  test('every registered transform can be explained and starts with its title line', () => {
    for (const t of allTransforms) {
      const r = explain(String(t.number), allTransforms);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.text.split('\n')[0]).toBe(`# ${t.id}: ${t.title}`);
    }
  });

  test('unknown key or missing argument: usage error', async () => {
    const a = io(process.cwd());
    expect(await main(['explain', '99'], a.cli)).toBe(2);
    expect(a.err()).toContain('unknown transform "99"');
    const b = io(process.cwd());
    expect(await main(['explain'], b.cli)).toBe(2);
    expect(b.err()).toContain('usage: dockerfix explain');
  });
});

describe('--list', () => {
  test('number, id, safety and title of every transform, from the registry', async () => {
    const { cli, out } = io(process.cwd());
    expect(await main(['--list'], cli)).toBe(0);
    const lines = out().trimEnd().split('\n');
    expect(lines).toHaveLength(allTransforms.length);
    allTransforms.forEach((t, i) => {
      expect(lines[i]).toMatch(
        new RegExp(`^${String(t.number).padStart(2, '0')}\\s+${t.id}\\s+${t.safety}\\s+`),
      );
      expect(lines[i].endsWith(t.title)).toBe(true);
    });
    expect(formatList(allTransforms).split('\n')).toHaveLength(allTransforms.length + 1);
  });
});

describe('colour', () => {
  test('only on a terminal; NO_COLOR wins; FORCE_COLOR forces', () => {
    expect(colorEnabled(true, {})).toBe(true);
    expect(colorEnabled(false, {})).toBe(false);
    expect(colorEnabled(undefined, {})).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(false, { FORCE_COLOR: '' })).toBe(true);
    expect(colorEnabled(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colorEnabled(true, { TERM: 'dumb' })).toBe(false);
  });

  test('the diff and findings are coloured on a TTY and plain in a pipe', async () => {
    const dir = repo();
    const tty = io(dir, { stdoutIsTTY: true });
    await main(['--dry-run', '--no-build-commands', '.'], tty.cli);
    expect(tty.out()).toContain(`${ESC}32m+FROM --platform=$TARGETPLATFORM`);
    expect(tty.out()).toContain(`${ESC}31m-FROM --platform=linux/arm64`);
    const pipe = io(dir, { stdoutIsTTY: false });
    await main(['--dry-run', '--no-build-commands', '.'], pipe.cli);
    expect(pipe.out()).not.toContain(ESC);
    expect(pipe.out()).toContain('+FROM --platform=$TARGETPLATFORM');
    const noColor = io(dir, { stdoutIsTTY: true, env: { NO_COLOR: '1' } });
    await main(['--dry-run', '--no-build-commands', '.'], noColor.cli);
    expect(noColor.out()).toBe(pipe.out());
  });
});

describe('progress and summary', () => {
  test('more than 50 files on a terminal: a progress line on stderr; none in a pipe', async () => {
    const dir = repo(51);
    const tty = io(dir, { stderrIsTTY: true });
    await main(['--check', '--no-build-commands', '.'], tty.cli);
    expect(tty.err()).toContain('[51/51] svc9/Dockerfile');
    expect(tty.err()).toContain('\r\x1b[K');
    const pipe = io(dir, { stderrIsTTY: false });
    await main(['--check', '--no-build-commands', '.'], pipe.cli);
    expect(pipe.err()).not.toContain('[1/51]');
    // The summary: files, changed, unchanged, errors, findings by severity, time.
    expect(pipe.err()).toMatch(
      /51 files checked, 51 would fix, 0 unchanged, 0 errors reading; findings: \d+ error, \d+ warning, \d+ info.* \(\d+\.\d\ds\)\n$/,
    );
  });

  test('50 files or fewer: no progress line even on a terminal', async () => {
    const dir = repo(3);
    const tty = io(dir, { stderrIsTTY: true });
    await main(['--check', '--no-build-commands', '.'], tty.cli);
    expect(tty.err()).not.toContain('[1/3]');
  });
});

describe('--safe-only (CLI)', () => {
  test('every transform declares its safety; --safe-only leaves the unsafe fixes', async () => {
    for (const t of allTransforms) expect(['safe', 'unsafe']).toContain(t.safety);
    const dir = repo();
    const a = io(dir);
    await main(['--dry-run', '--safe-only', '--format', 'json', '--no-build-commands', '.'], a.cli);
    const json = JSON.parse(a.out());
    const unsafe = new Set(allTransforms.filter((t) => t.safety === 'unsafe').map((t) => t.id));
    for (const f of json.files[0].findings) {
      if (unsafe.has(f.transform)) expect(f.fixed).toBe(false);
    }
  });
});
