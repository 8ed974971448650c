/** runCommand: continuations joined for either escape character, flags dropped, same on a second call. */
import { describe, expect, test } from '@jest/globals';
import { parseDocument } from '../../src/model/document.js';
import { runCommand } from '../../src/model/instructions.js';

describe('runCommand', () => {
  test('backslash continuations (LF and CRLF), flags dropped, asked twice', () => {
    const doc = parseDocument(
      'FROM a\nRUN --mount=type=cache,target=/c pip install \\\n  x \\  \r\n  y\n',
    );
    const run = doc.instructions[1];
    expect(runCommand(doc, run)).toBe('pip install    x    y');
    expect(runCommand(doc, run)).toBe('pip install    x    y');
  });

  test('backtick escape: a backslash is not a continuation', () => {
    const doc = parseDocument('# escape=`\nFROM a\nRUN echo a\\b `\n  c\n');
    const run = doc.instructions[1];
    expect(runCommand(doc, run)).toBe('echo a\\b    c');
    expect(runCommand(doc, run)).toBe('echo a\\b    c');
  });
});
