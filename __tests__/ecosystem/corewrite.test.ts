/**
 * Build-command co-rewrite fixtures: __fixtures__/corewrite/<case>/
 *   repo/          a repository tree (Dockerfiles already fixed, build files as the user has them)
 *   expected/      the build files the co-rewrite must change, byte for byte (others: unchanged)
 *   options.json   { dockerfiles: [paths from repo/], root: context root from repo/ }
 *   findings.json  [{ file, line, severity, fixed, message? (substring) }]
 * Each case runs on a copy: dry-run writes nothing, fix writes exactly the expected files,
 * a second run finds nothing to change.
 */
import { describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { coRewrite, type BuiltDockerfile } from '../../src/corewrite/index.js';
import type { Mode } from '../../src/batch.js';
import { formatSarif } from '../../src/report/sarif.js';
import { applyEdits } from '../../src/edits.js';
import { main, type CliIO } from '../../src/cli.js';

const CASES_DIR = path.resolve('__fixtures__', 'corewrite');

interface CaseOptions {
  dockerfiles: string[];
  root: string;
}

interface ExpectedFinding {
  file: string;
  line: number;
  severity: string;
  fixed: boolean;
  message?: string;
}

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}

function copyRepo(name: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `dockerfix-corewrite-${name}-`));
  fs.cpSync(path.join(CASES_DIR, name, 'repo'), tmp, { recursive: true });
  return tmp;
}

function run(repo: string, options: CaseOptions, mode: Mode) {
  const root = path.resolve(repo, options.root);
  const targets: BuiltDockerfile[] = options.dockerfiles.map((f) => ({
    file: path.join(repo, f),
    root,
    fixedText: () => fs.readFileSync(path.join(repo, f), 'utf8'),
  }));
  return coRewrite(targets, { mode, cwd: repo, roots: [root] });
}

const cases = fs.existsSync(CASES_DIR) ? fs.readdirSync(CASES_DIR).sort() : [];

describe('build-command co-rewrite', () => {
  test('there are cases for every kind of build file', () => {
    expect(cases).toEqual(
      expect.arrayContaining(['makefile', 'shell-script', 'workflow', 'compose', 'bake']),
    );
  });

  for (const name of cases) {
    describe(name, () => {
      const dir = path.join(CASES_DIR, name);
      const options = JSON.parse(
        fs.readFileSync(path.join(dir, 'options.json'), 'utf8'),
      ) as CaseOptions;
      const expectedFindings = JSON.parse(
        fs.readFileSync(path.join(dir, 'findings.json'), 'utf8'),
      ) as ExpectedFinding[];
      const expectedDir = path.join(dir, 'expected');
      const expectedFiles = fs.existsSync(expectedDir) ? listFiles(expectedDir) : [];

      test('dry-run: findings as expected, nothing written', () => {
        const repo = copyRepo(name);
        const before = listFiles(repo).map((f) => fs.readFileSync(path.join(repo, f)));
        const results = run(repo, options, 'dry-run');
        const actual = results.flatMap((r) =>
          r.findings.map((f) => ({
            file: r.path,
            line: f.line,
            severity: f.severity,
            fixed: f.fixed,
          })),
        );
        expect(actual).toEqual(expectedFindings.map(({ message: _m, ...rest }) => rest));
        const messages = results.flatMap((r) => r.findings.map((f) => f.message));
        expectedFindings.forEach((f, i) => {
          if (f.message) expect(messages[i]).toContain(f.message);
        });
        expect(results.every((r) => !r.written)).toBe(true);
        const after = listFiles(repo).map((f) => fs.readFileSync(path.join(repo, f)));
        expect(after).toEqual(before);
        // Every changed file shows a git-style diff.
        for (const r of results.filter((x) => x.changed)) {
          expect(r.diff).toContain(`--- a/${r.path}\n+++ b/${r.path}\n`);
        }
        expect(
          results
            .filter((r) => r.changed)
            .map((r) => r.path)
            .sort(),
        ).toEqual(expectedFiles.map((f) => f.split(path.sep).join('/')).sort());
      });

      test('fix: exactly the expected files change, byte for byte; a second run is clean', () => {
        const repo = copyRepo(name);
        const original = path.join(dir, 'repo');
        run(repo, options, 'fix');
        for (const f of listFiles(repo)) {
          const want = expectedFiles.includes(f)
            ? fs.readFileSync(path.join(expectedDir, f))
            : fs.readFileSync(path.join(original, f));
          expect(JSON.stringify(fs.readFileSync(path.join(repo, f), 'latin1'))).toBe(
            JSON.stringify(want.toString('latin1')),
          );
        }
        const second = run(repo, options, 'check');
        expect(second.filter((r) => r.changed)).toEqual([]);
        expect(second.flatMap((r) => r.findings).filter((f) => f.fixed)).toEqual([]);
      });
    });
  }
});

describe('co-rewrite in SARIF', () => {
  test('results carry the build-command rule and fixes that give the expected file', () => {
    const repo = copyRepo('makefile');
    const options = JSON.parse(
      fs.readFileSync(path.join(CASES_DIR, 'makefile', 'options.json'), 'utf8'),
    ) as CaseOptions;
    const results = run(repo, options, 'dry-run');
    const log = JSON.parse(formatSarif(results, { transforms: [], cwd: repo, version: '0.0.0' }));
    expect(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      'build-command',
    ]);
    const edits = log.runs[0].results.flatMap(
      (r: {
        fixes?: {
          artifactChanges: {
            replacements: {
              deletedRegion: { charOffset: number; charLength: number };
              insertedContent?: { text: string };
            }[];
          }[];
        }[];
      }) =>
        (r.fixes ?? []).flatMap((f) =>
          f.artifactChanges.flatMap((c) =>
            c.replacements.map((x) => ({
              start: x.deletedRegion.charOffset,
              end: x.deletedRegion.charOffset + x.deletedRegion.charLength,
              text: x.insertedContent?.text ?? '',
            })),
          ),
        ),
    );
    const input = fs.readFileSync(path.join(repo, 'Makefile'), 'utf8');
    const expected = fs.readFileSync(
      path.join(CASES_DIR, 'makefile', 'expected', 'Makefile'),
      'utf8',
    );
    expect(applyEdits(input, edits)).toBe(expected);
  });
});

describe('co-rewrite through the CLI', () => {
  function cliIO(cwd: string) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      readStdin: async () => Buffer.from(''),
      cwd,
      env: {},
    };
    return { io, out: () => out.join('') };
  }

  test('--check reports the Makefile and fails; a fix run writes it; --no-build-commands leaves it', async () => {
    const repo = copyRepo('makefile');
    const makefile = path.join(repo, 'Makefile');
    const original = fs.readFileSync(makefile, 'utf8');
    const expected = fs.readFileSync(
      path.join(CASES_DIR, 'makefile', 'expected', 'Makefile'),
      'utf8',
    );
    const args = ['--context', '.', 'infrastructure/service-mesh/Dockerfile.controller'];

    const check = cliIO(repo);
    expect(await main(['--check', ...args], check.io)).toBe(1);
    expect(check.out()).toContain('--- a/Makefile\n+++ b/Makefile\n');
    expect(check.out()).toContain('Makefile:4: error [build-command]');
    expect(fs.readFileSync(makefile, 'utf8')).toBe(original);

    const json = cliIO(repo);
    await main(['--dry-run', '--format', 'json', ...args], json.io);
    const files = JSON.parse(json.out()).files.map((f: { path: string }) => f.path);
    expect(files).toContain('Makefile');

    const skip = cliIO(repo);
    await main(['--no-build-commands', ...args], skip.io);
    expect(fs.readFileSync(makefile, 'utf8')).toBe(original);

    const fix = cliIO(repo);
    await main(args, fix.io);
    expect(fs.readFileSync(makefile, 'utf8')).toBe(expected);
  });
});
