/**
 * dockerfile-ast's getHeredocs() throws on some malformed heredoc openers (`RUN <<'EOF''`).
 * Such a text is not parsed: the runner reports it once and leaves the file unchanged. A
 * random-seed property run found every transform that reads heredocs failing on it separately.
 */
import { describe, expect, test } from '@jest/globals';
import { parseDocument } from '../../src/model/document.js';
import { runTransforms, RUNNER_ID } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { allTransforms } from '../../transforms/index.js';
import { violations, corpusContext } from '../property/properties.js';

const INPUT =
  "ARG VERSION=1.0.0\nFROM python:3.11-slim AS builder\nRUN <<'EOF''\necho $VERSION\nEOF\n";

describe('a heredoc dockerfile-ast cannot read', () => {
  test('parseDocument says which instruction', () => {
    expect(() => parseDocument(INPUT)).toThrow('cannot read the heredoc of the RUN at line 3');
  });

  test('the runner leaves the file unchanged with one finding', () => {
    const r = runTransforms(INPUT, allTransforms, defaultContext());
    expect(r.text).toBe(INPUT);
    expect(r.findings).toEqual([
      expect.objectContaining({ transform: RUNNER_ID, severity: 'error' }),
    ]);
    expect(r.findings[0].message).toContain('could not parse');
    expect(violations(INPUT, allTransforms, corpusContext('root'))).toEqual([]);
  });

  test('well-formed heredocs still parse', () => {
    const doc = parseDocument("FROM alpine\nRUN <<'EOF'\necho hi\nEOF\n");
    expect(doc.instructions.map((i) => i.getKeyword())).toEqual(['FROM', 'RUN']);
  });
});
