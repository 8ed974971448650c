/** 20's "has no arguments" check agrees with dockerfile-ast's getArguments() on edge cases. */
import { describe, expect, test } from '@jest/globals';
import { parseDocument } from '../../src/model/document.js';
import { syntaxProblems } from '../../transforms/20-final-verification.js';

const SAMPLES = [
  'FROM a\nENV\nARG\nWORKDIR\nUSER\nLABEL\nEXPOSE\n',
  'FROM a\nENV \\\n\nUSER \\\n  bob\nWORKDIR \\\n',
  'FROM a\nWORKDIR   # not a comment\nUSER \\\n# a comment line\n  bob\n',
  'FROM a\nARG \\\n# only a comment\n\nENV \\ \nRUN x\n',
  '# escape=`\nFROM a\nENV `\n  A=1\nUSER `\nWORKDIR \\x\n',
  '# escape=`\nFROM a\nARG `\n# c\n\nUSER\t\t`x\n',
  'FROM a\nCOPY --from=x\nADD --chown=1\nRUN --mount=type=cache\nHEALTHCHECK --interval=5s\n',
  'FROM a\r\nENV\r\nUSER \\\r\n  bob\r\nARG \\\r\n\r\nWORKDIR \\\\\r\n',
  'FROM a\nUSER \\\\\nENV \\$X=1\nARG `x\nLABEL\t\\\n\t\n',
];

describe('syntaxProblems: no arguments', () => {
  test.each(SAMPLES)('%j', (text) => {
    const doc = parseDocument(text);
    const expected = doc.instructions
      .filter((i) => i.getArguments().length === 0)
      .map((i) => doc.offsetAt(i.getRange().start));
    const got = syntaxProblems(parseDocument(text))
      .filter((p) => p.detail.endsWith('has no arguments'))
      .map((p) => p.offset);
    expect(got).toEqual(expected);
  });
});
