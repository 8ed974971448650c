/**
 * Meta-tests over the registry: every transform module is registered once, in order, documented
 * with the agreed headings, has at least five fixture cases, and its docs example really
 * produces the documented result.
 */
import { describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allTransforms } from '../transforms/index.js';
import { runTransforms } from '../src/runner.js';
import { defaultContext } from '../src/context.js';
import { readCase } from './helpers/fixtures.js';
import { fixtureContext } from './helpers/fixtures.js';

const DOC_HEADINGS = ['## What it does', '## Why', '## Example', '## Fix safety', '## Options'];

describe('registry', () => {
  test('ids are NN-slug, numbers unique and in order', () => {
    const numbers = allTransforms.map((t) => t.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const t of allTransforms) {
      expect(t.id).toMatch(/^\d\d-[a-z0-9-]+$/);
      expect(Number(t.id.slice(0, 2))).toBe(t.number);
      expect(['safe', 'unsafe']).toContain(t.safety);
      expect(t.title.length).toBeGreaterThan(10);
    }
  });

  test('every module in transforms/ is registered', () => {
    const modules = fs
      .readdirSync('transforms')
      .filter((f) => /^\d\d-.*\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(modules.sort()).toEqual(allTransforms.map((t) => t.id).sort());
  });

  for (const t of allTransforms) {
    describe(t.id, () => {
      const docFile = path.join('docs', 'transforms', `${t.id}.md`);

      test('has a docs page with the agreed headings and its title', () => {
        expect(fs.existsSync(docFile)).toBe(true);
        const doc = fs.readFileSync(docFile, 'utf8');
        expect(doc.split('\n')[0]).toBe(`# ${t.id}: ${t.title}`);
        for (const h of DOC_HEADINGS) expect(doc).toContain(h);
        expect(doc).toContain(`Safety: **${t.safety}**`);
      });

      test('docs example: the ❌ block becomes the ✅ block', () => {
        const doc = fs.readFileSync(docFile, 'utf8');
        const example = doc.split('## Example')[1].split(/\n## /)[0];
        const blocks = [...example.matchAll(/```dockerfile\n([\s\S]*?)```/g)].map((m) => m[1]);
        expect(blocks.length).toBeGreaterThanOrEqual(2);
        const [before, after] = blocks;
        // A page may name a fixture case whose context/ and options the example needs:
        // <!-- example-fixture: <case> -->
        const named = /<!-- example-fixture: (\S+) -->/.exec(doc)?.[1];
        const ctx = named ? fixtureContext(readCase(t.id, named)) : defaultContext();
        const result = runTransforms(before, [t], ctx);
        expect(result.text).toBe(after);
      });

      test('has at least five fixture cases', () => {
        const dir = path.join('__fixtures__', t.id);
        const cases = fs.existsSync(dir)
          ? fs.readdirSync(dir).filter((c) => fs.existsSync(path.join(dir, c, 'Dockerfile.input')))
          : [];
        expect(cases.length).toBeGreaterThanOrEqual(5);
      });
    });
  }
});
