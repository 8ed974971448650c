/**
 * The runner's safety net (src/runner.ts): a transform that throws, or whose output would damage
 * the file, is not applied; the others still run; an error finding says why.
 */
import { describe, expect, test } from '@jest/globals';
import { defaultContext } from '../../src/context.js';
import type { DockerDoc } from '../../src/model/document.js';
import {
  complexityReason,
  MAX_STAGE_COMMENT_PRODUCT,
  NOT_APPLIED,
  runTransforms,
} from '../../src/runner.js';
import type { Finding, Transform } from '../../src/transform.js';

const ctx = defaultContext();

function transform(id: string, detect: (doc: DockerDoc) => Finding[]): Transform {
  return { id, number: 50, title: id, safety: 'safe', sources: [], detect };
}

/** Replaces the whole text with `f(text)`, as one fixed finding. */
const rewrite = (id: string, f: (text: string) => string) =>
  transform(id, (doc) => [
    {
      severity: 'warning',
      message: 'rewrite',
      offset: 0,
      edits: [{ start: 0, end: doc.text.length, text: f(doc.text) }],
    },
  ]);

/** A well-behaved transform: appends a LABEL line in the file's own line ending. */
const appendLabel = transform('51-good', (doc) =>
  /LABEL ok/.test(doc.text)
    ? []
    : [
        {
          severity: 'info',
          message: 'label',
          offset: doc.text.length,
          edits: [
            { start: doc.text.length, end: doc.text.length, text: `LABEL ok=1${doc.style.eol}` },
          ],
        },
      ],
);

describe('safety net', () => {
  test('a transform that throws is skipped with an error finding; the others still run', () => {
    const input = 'FROM alpine\nRUN true\n';
    const boom = transform('50-boom', () => {
      throw new Error('kaboom');
    });
    const r = runTransforms(input, [boom, appendLabel], ctx);
    expect(r.text).toBe('FROM alpine\nRUN true\nLABEL ok=1\n');
    const f = r.findings.find((x) => x.transform === '50-boom')!;
    expect(f.severity).toBe('error');
    expect(f.fixed).toBe(false);
    expect(f.message).toBe(`${NOT_APPLIED}: kaboom; fixes of 50-boom were not applied`);
  });

  test("dockerfile-ast's stack overflow is named as such", () => {
    const overflow = transform('50-deep', () => {
      const recurse = (n: number): number => recurse(n + 1) + 1;
      recurse(0);
      return [];
    });
    const r = runTransforms('\tRUN x\nFROM a\n', [overflow], ctx);
    expect(r.text).toBe('\tRUN x\nFROM a\n');
    expect(r.findings[0].message).toContain('parser recursion limit');
  });

  test.each([
    [
      'adds CRLF to an LF file',
      'FROM a\nRUN b\n',
      (t: string) => t.replace('RUN', 'RUN x\r\nRUN'),
      /line endings/,
    ],
    ['drops the BOM', '\uFEFFFROM a\n', (t: string) => t.slice(1), /byte-order mark/],
    ['adds a BOM', 'FROM a\n', (t: string) => '\uFEFF' + t, /byte-order mark/],
    [
      'inserts above a directive',
      '# escape=`\nFROM a\n',
      (t: string) => '# note\n' + t,
      /directives/,
    ],
    [
      'changes the escape character',
      '# escape=`\nFROM a\n',
      (t: string) => t.replace('`', '\\'),
      /directives/,
    ],
    [
      'removes a stage',
      'FROM a AS b\nFROM c\n',
      (t: string) => t.replace('FROM c\n', ''),
      /stages/,
    ],
    [
      'splits a surrogate pair',
      'FROM a\nLABEL x=🐳\n',
      (t: string) => t.replace('\udc33', ''),
      /split a character/,
    ],
    [
      'leaves a heredoc unterminated',
      'FROM a\nRUN <<EOF\ntrue\nEOF\n',
      (t: string) => t.replace(/EOF\n$/, 'EOX\n'),
      /heredoc/,
    ],
  ])('rejects output that %s', (_what, input, f, why) => {
    const r = runTransforms(input, [rewrite('50-bad', f)], ctx);
    expect(r.text).toBe(input);
    expect(r.changed).toBe(false);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].severity).toBe('error');
    expect(r.findings[0].message).toMatch(why);
  });

  test('a good transform on a CRLF file passes the checks', () => {
    const r = runTransforms('FROM a\r\nRUN b\r\n', [appendLabel], ctx);
    expect(r.text).toBe('FROM a\r\nRUN b\r\nLABEL ok=1\r\n');
    expect(r.findings.map((f) => f.severity)).toEqual(['info']);
  });
});

describe('complexity cap', () => {
  test('ordinary files pass; stages × comments above the limit is skipped before parsing', () => {
    expect(complexityReason('# c\nFROM a\nRUN b\n')).toBeNull();
    const stages = 1500;
    const bomb = '# c\n# d\nFROM a\n'.repeat(stages);
    expect(stages * stages * 2).toBeGreaterThan(MAX_STAGE_COMMENT_PRODUCT);
    expect(complexityReason(bomb)).toMatch(
      /^skipped: too large to parse safely \(1500 FROM lines × 3000/,
    );
    const r = runTransforms(bomb, [appendLabel], ctx);
    expect(r.text).toBe(bomb);
    expect(r.findings).toEqual([
      expect.objectContaining({
        transform: 'dockerfix',
        severity: 'warning',
        line: 1,
        fixed: false,
      }),
    ]);
  });

  test('lowercase and indented FROM lines count too', () => {
    const bomb = '#\n#\n  from a\n'.repeat(1500);
    expect(complexityReason(bomb)).not.toBeNull();
  });
});
