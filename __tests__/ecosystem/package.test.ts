/**
 * Ready to publish and to plug in: package.json fields, what `npm pack` would ship, the
 * pre-commit hooks, the composite GitHub Action, and the integrations page.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import YAML from 'yaml';
import { allTransforms } from '../../transforms/index.js';
import { isDockerfileName } from '../../src/files.js';

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));

describe('package.json', () => {
  test('bin, engines, exports, types and files are set for npm publish', () => {
    expect(pkg.bin).toEqual({ dockerfix: 'bin/dockerfix.js' });
    expect(pkg.engines.node).toBe('>=20');
    expect(pkg.type).toBe('module');
    expect(pkg.types).toBe('./dist/src/index.d.ts');
    expect(pkg.exports['.']).toEqual({
      types: './dist/src/index.d.ts',
      default: './dist/src/index.js',
    });
    expect(pkg.private).toBeUndefined();
    expect(fs.existsSync('src/index.ts')).toBe(true);
    expect(fs.readFileSync('bin/dockerfix.js', 'utf8').startsWith('#!/usr/bin/env node')).toBe(
      true,
    );
  });

  test('npm pack ships the CLI, the build and the docs, and no tests or sources', () => {
    const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files: string[] = JSON.parse(json)[0].files.map((f: { path: string }) => f.path);
    expect(files).toContain('package.json');
    expect(files).toContain('bin/dockerfix.js');
    expect(files).toContain('README.md');
    // Every docs page (what `dockerfix explain` prints) ships.
    expect(files).toContain('docs/integrations.md');
    for (const t of allTransforms) {
      const page = `docs/transforms/${t.id}.md`;
      if (fs.existsSync(page)) expect(files).toContain(page);
    }
    for (const f of files) {
      expect(f).not.toMatch(/^(__tests__|__fixtures__|src|transforms|bench|scripts|examples)\//);
      expect(f).not.toMatch(/\.test\.(ts|js)$/);
    }
    // The compiled CLI and types ship when built (npm pack runs `prepare`, which builds).
    if (fs.existsSync('dist/src/cli.js')) {
      expect(files).toContain('dist/src/cli.js');
      expect(files).toContain('dist/src/index.js');
      expect(files).toContain('dist/src/index.d.ts');
      expect(files.some((f) => f.startsWith('dist/transforms/'))).toBe(true);
      expect(files.some((f) => f.startsWith('dist/__tests__/'))).toBe(false);
    }
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const hooks = YAML.parse(fs.readFileSync('.pre-commit-hooks.yaml', 'utf8')) as {
    id: string;
    entry: string;
    language: string;
    files: string;
    exclude: string;
  }[];

  test('a fixing hook and a --check hook, both run the dockerfix bin with node', () => {
    expect(hooks.map((h) => h.id)).toEqual(['dockerfix', 'dockerfix-check']);
    expect(hooks[0].entry).toBe('dockerfix');
    expect(hooks[1].entry).toBe('dockerfix --check');
    for (const h of hooks) expect(h.language).toBe('node');
  });

  test('their file pattern selects the same names the CLI discovers', () => {
    const names = [
      'Dockerfile',
      'svc/Dockerfile',
      'infra/service-mesh/Dockerfile.controller',
      'dockerfile',
      'Dockerfile-dev',
      'api.Dockerfile',
      'web.dockerfile',
      'Containerfile',
      'Containerfile.arm64',
      'README.md',
      'Dockerfile.dockerignore',
      'docker-compose.yml',
      'src/dockerfile.go',
      'Makefile',
    ];
    for (const h of hooks) {
      const files = new RegExp(h.files);
      const exclude = new RegExp(h.exclude);
      for (const n of names) {
        const selected = files.test(n) && !exclude.test(n);
        expect([n, selected]).toEqual([n, isDockerfileName(n.split('/').pop()!)]);
      }
    }
  });
});

describe('action.yml', () => {
  const action = YAML.parse(fs.readFileSync('action.yml', 'utf8'));

  test('a composite action that runs --check --format sarif and uploads the log', () => {
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps as {
      uses?: string;
      run?: string;
      with?: Record<string, string>;
    }[];
    const check = steps.find((s) => s.run?.includes('dockerfix --check'));
    expect(check?.run).toContain('--format sarif');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with?.sarif_file).toBe('${{ inputs.sarif-file }}');
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['paths', 'args', 'version', 'sarif-file', 'fail-on-findings']),
    );
    expect(steps.some((s) => s.uses?.startsWith('actions/setup-node@'))).toBe(true);
  });
});

describe('docs/integrations.md', () => {
  const doc = fs.readFileSync('docs/integrations.md', 'utf8');

  test('has copy-paste snippets for pre-commit, GitHub Actions, GitLab CI and Make', () => {
    for (const h of ['## pre-commit', '## GitHub Actions', '## GitLab CI', '## Makefile']) {
      expect(doc).toContain(h);
    }
    expect(doc).toContain('id: dockerfix');
    expect(doc).toContain('--format sarif');
    expect(doc).toContain('security-events: write');
    expect(doc).toMatch(/codequality|sast/i);
  });

  test('every YAML snippet parses', () => {
    const blocks = [...doc.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const b of blocks) expect(() => YAML.parse(b)).not.toThrow();
  });
});
