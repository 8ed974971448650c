/**
 * Properties over mutated Dockerfiles (issue 6; generated ones: generated.test.ts). Bounded
 * counts so CI stays fast: 5,000 mutated by default; `DOCKERFIX_LONG=1` (npm run test:long) runs 20×
 * more. A failure prints fast-check's seed and path, the shrunk minimal input, the broken
 * properties and which transform breaks them alone; replay with DOCKERFIX_SEED=<seed>.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from '@jest/globals';
import fc from 'fast-check';
import { decodeDockerfile } from '../../src/files.js';
import { allTransforms } from '../../transforms/index.js';
import { mutatedArb } from './generate.js';
import { CORPUS_DIR, corpusContext, explain, runs, SEED, violations } from './properties.js';

const MUTATED = runs(5000);
const TIMEOUT = 170_000 * (process.env.DOCKERFIX_LONG === '1' ? 20 : 1);

/** Small corpus files and the per-transform fixture inputs: seeds for the mutation fuzzer. */
function seedTexts(): string[] {
  const texts: string[] = [];
  for (const f of fs.readdirSync(CORPUS_DIR).filter((n) => n.endsWith('.Dockerfile'))) {
    const text = decodeDockerfile(fs.readFileSync(path.join(CORPUS_DIR, f)));
    if (text.length < 3000) texts.push(text);
  }
  const fixtures = path.resolve('__fixtures__');
  for (const group of fs.readdirSync(fixtures)) {
    const dir = path.join(fixtures, group);
    if (group === 'corpus' || !fs.statSync(dir).isDirectory()) continue;
    for (const c of fs.readdirSync(dir)) {
      const input = path.join(dir, c, 'Dockerfile.input');
      if (fs.existsSync(input)) texts.push(fs.readFileSync(input, 'utf8'));
    }
  }
  return texts;
}

/** fast-check runs the predicate; a violation throws with everything needed to reproduce. */
function property(arb: fc.Arbitrary<string>) {
  return fc.property(arb, (input) => {
    const ctx = corpusContext(input.length % 2 ? 'root' : 'subdir');
    const problems = violations(input, allTransforms, ctx);
    if (problems.length) throw new Error(explain(input, problems, ctx));
  });
}

const params = (numRuns: number) => ({ numRuns, seed: SEED, endOnFailure: false });

describe('mutated Dockerfiles', () => {
  test(
    `${MUTATED} mutated Dockerfiles`,
    () => {
      fc.assert(property(mutatedArb(seedTexts())), params(MUTATED));
    },
    TIMEOUT,
  );
});
