/**
 * parser-speedups' positionAt cursor gives the answers of the library's binary search: random
 * texts with every kind of line break, offsets in order, out of order and out of range.
 */
import { describe, expect, test } from '@jest/globals';
import { createRequire } from 'node:module';
import '../../src/model/parser-speedups.js';

interface Doc {
  positionAt(offset: number): { line: number; character: number };
  getLineOffsets(): number[];
  ensureBeforeEOL(offset: number, lineOffset: number): number;
}
const fromAst = createRequire(createRequire(import.meta.url).resolve('dockerfile-ast'));
const { TextDocument } = fromAst('vscode-languageserver-textdocument') as {
  TextDocument: { create(uri: string, lang: string, version: number, text: string): Doc };
};

/** The library's answer, computed here: the last line starting at or before the offset. */
function searched(text: string, offset: number) {
  const doc = TextDocument.create('', '', 0, text);
  const starts = doc.getLineOffsets();
  const at = Math.max(Math.min(offset, text.length), 0);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= at) line++;
  return { line, character: doc.ensureBeforeEOL(at, starts[line]) - starts[line] };
}

/** A small deterministic generator (no Math.random: failures must reproduce). */
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}

describe('positionAt with a line cursor', () => {
  test('is installed on the documents dockerfile-ast creates', () => {
    const proto = Object.getPrototypeOf(TextDocument.create('', '', 0, '')) as {
      dockerfixCursor?: boolean;
    };
    expect(proto.dockerfixCursor).toBe(true);
  });

  test('answers like the binary search on random texts and offsets', () => {
    const next = rng(7);
    const pieces = ['a', 'bc', '\n', '\r\n', '\r', ' ', 'RUN x \\\n', '\n\n'];
    let checked = 0;
    for (let t = 0; t < 400; t++) {
      let text = '';
      const len = Math.floor(next() * 40);
      for (let i = 0; i < len; i++) text += pieces[Math.floor(next() * pieces.length)];
      const doc = TextDocument.create('', '', 0, text);
      // In order (the parser's pattern), then random, including out-of-range offsets.
      const offsets = [...Array(text.length + 3).keys()].map((k) => k - 1);
      for (let k = 0; k < 30; k++) offsets.push(Math.floor(next() * (text.length + 8)) - 4);
      const got = offsets.map((offset) => doc.positionAt(offset));
      expect(got).toEqual(offsets.map((offset) => searched(text, offset)));
      checked += offsets.length;
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});
