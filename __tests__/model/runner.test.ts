/** The runner: transforms in order, each on the previous output; finding lines in the final text. */
import { describe, expect, test } from '@jest/globals';
import { complexityReason, MAX_STAGE_COMMENT_PRODUCT, runTransforms } from '../../src/runner.js';
import { defaultContext } from '../../src/context.js';
import { insertAt, replaceRange } from '../../src/edits.js';
import type { Finding, Transform } from '../../src/transform.js';
import type { DockerDoc } from '../../src/model/document.js';

let n = 0;
function fake(detect: (doc: DockerDoc) => Finding[]): Transform {
  n++;
  return {
    id: `9${n}-fake-${n}`,
    number: 90 + n,
    title: 'a fake transform for the runner test',
    safety: 'safe',
    sources: [],
    detect,
  };
}

const ctx = defaultContext();
const at = (doc: DockerDoc, needle: string) => {
  const i = doc.text.indexOf(needle);
  if (i < 0) throw new Error(`"${needle}" not in text`);
  return i;
};

describe('runner', () => {
  const text = 'FROM a\nRUN b\nCMD c\n';

  test('an unfixed finding of an earlier transform follows the lines later transforms insert', () => {
    const reportRun = fake((doc) => [
      { severity: 'info', offset: at(doc, 'RUN'), message: 'run is here' },
    ]);
    const insertTwoLines = fake((doc) => [
      {
        severity: 'warning',
        offset: 0,
        message: 'added',
        edits: [insertAt(at(doc, 'RUN'), 'ARG X\nARG Y\n')],
      },
    ]);
    const r = runTransforms(text, [reportRun, insertTwoLines], ctx);
    expect(r.text).toBe('FROM a\nARG X\nARG Y\nRUN b\nCMD c\n');
    expect(r.findings.map((f) => [f.message, f.line, f.fixed])).toEqual([
      ['run is here', 4, false],
      ['added', 2, true],
    ]);
  });

  test('a fixed insertion that starts with a line break points at the new line', () => {
    const t = fake((doc) => [
      {
        severity: 'warning',
        offset: at(doc, 'FROM'),
        message: 'arg after FROM',
        edits: [insertAt(at(doc, '\nRUN'), '\nARG X')],
      },
    ]);
    const r = runTransforms(text, [t], ctx);
    expect(r.text).toBe('FROM a\nARG X\nRUN b\nCMD c\n');
    expect(r.findings[0]).toMatchObject({ line: 2, fixed: true });
  });

  test('each transform sees the text the previous one produced', () => {
    const first = fake((doc) => [
      {
        severity: 'info',
        offset: 0,
        message: '1',
        edits: [replaceRange(at(doc, 'a'), at(doc, 'a') + 1, 'alpine')],
      },
    ]);
    const seen: string[] = [];
    const second = fake((doc) => {
      seen.push(doc.text);
      return [];
    });
    runTransforms(text, [first, second], ctx);
    expect(seen).toEqual(['FROM alpine\nRUN b\nCMD c\n']);
  });

  test('overlapping edits within one transform: the first wins, the second is reported unfixed', () => {
    const t = fake((doc) => [
      {
        severity: 'warning',
        offset: 0,
        message: 'one',
        edits: [replaceRange(at(doc, 'b'), at(doc, 'b') + 1, 'B1')],
      },
      {
        severity: 'warning',
        offset: 0,
        message: 'two',
        edits: [replaceRange(at(doc, 'b'), at(doc, 'b') + 1, 'B2')],
      },
    ]);
    const r = runTransforms(text, [t], ctx);
    expect(r.text).toBe('FROM a\nRUN B1\nCMD c\n');
    expect(r.findings.map((f) => f.fixed)).toEqual([true, false]);
  });

  test('CRLF: lines are counted the same way, offsets after an edit on an earlier line map', () => {
    const crlf = 'FROM a\r\nRUN b\r\nCMD c\r\n';
    const report = fake((doc) => [{ severity: 'info', offset: at(doc, 'CMD'), message: 'cmd' }]);
    const grow = fake((doc) => [
      {
        severity: 'info',
        offset: 0,
        message: 'grow',
        edits: [insertAt(at(doc, 'RUN'), 'ENV A=1\r\n')],
      },
    ]);
    const r = runTransforms(crlf, [report, grow], ctx);
    expect(r.text).toBe('FROM a\r\nENV A=1\r\nRUN b\r\nCMD c\r\n');
    expect(r.findings.map((f) => f.line)).toEqual([4, 2]);
    expect(r.changed).toBe(true);
  });

  test('no findings: the text is returned unchanged', () => {
    const r = runTransforms(text, [fake(() => [])], ctx);
    expect(r.text).toBe(text);
    expect(r.changed).toBe(false);
    expect(r.findings).toEqual([]);
  });
});

describe('complexityReason: the line-start bound', () => {
  /** The definition: count FROM and comment lines, compare their product with the limit. */
  const tooComplex = (text: string) => {
    let stages = 0;
    let comments = 0;
    for (const m of text.matchAll(/^[ \t\uFEFF]*(#|from[ \t])/gim)) {
      if (m[1] === '#') comments++;
      else stages++;
    }
    return stages * comments > MAX_STAGE_COMMENT_PRODUCT;
  };

  test.each([
    ['just above the limit, LF', '# c\n'.repeat(1415) + 'FROM a\n'.repeat(1414)],
    ['just below the limit, LF', '# c\n'.repeat(1414) + 'FROM a\n'.repeat(1414)],
    ['just above, lines split by CR only', '# c\r'.repeat(1415) + 'FROM a\r'.repeat(1414)],
    [
      'just above, U+2028 and U+2029 as line starts',
      '# c\u2028'.repeat(1415) + 'from a\u2029'.repeat(1414),
    ],
    ['many lines, few stages', 'RUN x\n'.repeat(5000) + '# c\n'.repeat(5000) + 'FROM a\n'],
    ['CRLF, just above', '# c\r\n'.repeat(1415) + 'FROM a\r\n'.repeat(1414)],
  ])('%s', (_name, text) => {
    expect(complexityReason(text) !== null).toBe(tooComplex(text));
  });
});
