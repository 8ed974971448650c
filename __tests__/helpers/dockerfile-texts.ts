/** Dockerfile texts for differential tests: the fixture and corpus files, and a seeded generator. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The fixtures folder (fixture inputs and outputs, the corpus, scenarios). */
export const FIXTURES = path.join(
  path.dirname(new URL(import.meta.url).pathname),
  '..',
  '..',
  '__fixtures__',
);

/** Every Dockerfile / Containerfile below `root` (not .dockerignore files). */
export function dockerfilesUnder(root: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    const p = path.join(root, e.name);
    if (e.isDirectory()) out.push(...dockerfilesUnder(p));
    else if (/Dockerfile|Containerfile/i.test(e.name) && !e.name.endsWith('.dockerignore')) {
      out.push(p);
    }
  }
  return out;
}

/** A small deterministic generator in [0, 1) (no Math.random: failures must reproduce). */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}
