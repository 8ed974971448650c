/**
 * findBuildFiles: the order of the build files it finds is part of the output (co-rewrite
 * results are printed in it). It must stay the order of the plain walk it replaced: depth
 * first, every folder's entries sorted by the default collator, stopping at the `limit`-th
 * entry counted over all entries (build files or not).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildFileKind, findBuildFiles } from '../../src/corewrite/index.js';

/** The walk as it was written before: sort every entry, count every entry. */
function plainWalk(root: string, limit = 20000): string[] {
  const byName = new Intl.Collator().compare;
  const skipped = new Set(['node_modules', '.git', 'dist', 'vendor', '.venv', '__pycache__']);
  const out: string[] = [];
  let seen = 0;
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => byName(a.name, b.name))) {
      if (++seen > limit) return;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!skipped.has(e.name)) walk(full);
      } else if (e.isFile()) {
        if (buildFileKind(path.relative(root, full).split(path.sep).join('/'))) out.push(full);
      }
    }
  };
  walk(root);
  return out;
}

let root: string;
let entries = 0;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-find-'));
  const files = [
    'Makefile',
    'makefile.d/build.sh',
    'build.SH',
    'Build.sh',
    'a.sh',
    'B.sh',
    '_x.sh',
    '10-run.sh',
    '9-run.sh',
    'éclair.sh',
    // Names the collator finds equal (NFC and NFD é; a zero-width space): listing order decides.
    '\u00e9t\u00e9.sh',
    'e\u0301te\u0301.sh',
    'x\u200b.sh',
    'x.sh',
    '\u00e9/Makefile',
    'e\u0301/Makefile',
    'Zeta/compose.yaml',
    'zeta/docker-compose.yml',
    'alpha/Beta/GNUmakefile',
    'alpha/beta/rules.mk',
    'alpha/beta-gamma/docker-bake.hcl',
    'alpha/beta.gamma/x.yml',
    'alpha/Beta.sh',
    '.github/workflows/CI.yml',
    '.github/workflows/deploy.yaml',
    '.github/other.yml',
    'node_modules/pkg/build.sh',
    '.git/hooks/pre-commit.sh',
    'services/api/Dockerfile',
    'services/api/compose.override.yml',
    'services/API/run.bash',
    'services/api-v2/Makefile',
    'services/api_v2/notes.txt',
    'docs/readme.md',
  ];
  for (const f of files) {
    fs.mkdirSync(path.join(root, path.dirname(f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), 'docker build .\n');
  }
  fs.mkdirSync(path.join(root, 'empty', 'deeper'), { recursive: true });
  fs.symlinkSync(path.join(root, 'alpha'), path.join(root, 'alpha-link'));
  fs.symlinkSync(path.join(root, 'a.sh'), path.join(root, 'link.sh'));
  const count = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => {
      const skip = ['node_modules', '.git'].includes(e.name);
      return n + 1 + (e.isDirectory() && !skip ? count(path.join(dir, e.name)) : 0);
    }, 0);
  entries = count(root);
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('findBuildFiles', () => {
  test('same files in the same order as the plain walk (mixed case, nested, skipped folders)', () => {
    const found = findBuildFiles(root);
    expect(found).toEqual(plainWalk(root));
    expect(found.length).toBeGreaterThan(15);
    expect(found.some((f) => f.includes('node_modules') || f.includes('.git' + path.sep))).toBe(
      false,
    );
  });

  test('the same stopping point for every limit, below and above the number of entries', () => {
    for (let limit = 0; limit <= entries + 2; limit++) {
      expect([limit, findBuildFiles(root, limit)]).toEqual([limit, plainWalk(root, limit)]);
    }
  });

  test('a root spelled with a trailing separator or dots gives the same paths', () => {
    const spelled = root + path.sep + '.' + path.sep;
    expect(findBuildFiles(spelled)).toEqual(plainWalk(spelled));
    expect(findBuildFiles(spelled)).toEqual(findBuildFiles(root));
  });

  test('random trees: same order as the plain walk', () => {
    // Names from few letters in both cases, digits, punctuation and accents, so that many
    // compare equal up to case or accent, or are equal for the collator.
    const parts = ['a', 'A', 'b', 'B', 'é', 'e\u0301', '1', '10', '2', '-', '_', '.', ' ', 'z'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const name = () =>
      Array.from({ length: 1 + random(3) }, () => parts[random(parts.length)]).join('');
    for (let tree = 0; tree < 25; tree++) {
      const base = fs.mkdtempSync(path.join(root, 'random-'));
      for (let k = 0; k < 40; k++) {
        const dirs = Array.from({ length: random(3) }, name);
        const file = name() + ['.sh', '.yml', '.mk', '.txt', ''][random(5)];
        const dir = path.join(base, ...dirs);
        try {
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(path.join(dir, file), '');
        } catch {
          // a name taken by a file or a folder already: skip it
        }
      }
      const found = findBuildFiles(base);
      expect(found).toEqual(plainWalk(base));
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('a missing root finds nothing', () => {
    expect(findBuildFiles(path.join(root, 'missing'))).toEqual([]);
  });
});
