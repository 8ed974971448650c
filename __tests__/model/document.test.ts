/** The parsed document: offsets that agree with the exact text, and the file's style. */
import { describe, expect, test } from '@jest/globals';
import { parseDocument } from '../../src/model/document.js';
import { lineStartsOf } from '../../src/model/line-breaks.js';

/** Offsets of each instruction as the source text it covers. */
function spans(text: string): string[] {
  const doc = parseDocument(text);
  return doc.instructions.map((i) => {
    const { start, end } = doc.span(i);
    return doc.slice(start, end);
  });
}

describe('offsets', () => {
  test('LF: spans are the instructions without their line break', () => {
    expect(spans('FROM alpine\nRUN echo hi\n')).toEqual(['FROM alpine', 'RUN echo hi']);
  });

  test('CRLF: line starts count both characters, spans exclude \\r', () => {
    const text = 'FROM alpine\r\nRUN echo hi\r\n';
    const doc = parseDocument(text);
    expect(doc.lineStarts).toEqual([0, 13, 26]);
    expect(spans(text)).toEqual(['FROM alpine', 'RUN echo hi']);
    expect(doc.lineEnd(0)).toBe(11);
    expect(doc.lineText(1)).toBe('RUN echo hi');
  });

  test('lone CR is a line break', () => {
    const text = 'FROM alpine\rRUN x\r';
    const doc = parseDocument(text);
    expect(doc.lineStarts).toEqual([0, 12, 18]);
    expect(spans(text)).toEqual(['FROM alpine', 'RUN x']);
    expect(doc.style.eol).toBe('\r');
  });

  test('BOM: kept in the text, offsets shifted by one, nothing inserted before it', () => {
    const text = '\uFEFFFROM alpine\nRUN echo hi\n';
    const doc = parseDocument(text);
    expect(doc.style.bom).toBe(true);
    expect(doc.span(doc.instructions[0]).start).toBe(1);
    expect(spans(text)).toEqual(['FROM alpine', 'RUN echo hi']);
    expect(doc.directivesEnd).toBe(1);
  });

  test('BOM before a directive: the directive is still recognised', () => {
    const doc = parseDocument('\uFEFF# escape=`\nFROM a\nRUN x `\n  y\n');
    expect(doc.style.escape).toBe('`');
    expect(doc.directivesEnd).toBe('\uFEFF# escape=`\n'.length);
  });

  test('emoji and other astral characters count as two UTF-16 units, like JS indices', () => {
    const text = 'FROM a\nLABEL e="😀𝒳" v=$X\nRUN echo ok\n';
    const doc = parseDocument(text);
    expect(spans(text)).toEqual(['FROM a', 'LABEL e="😀𝒳" v=$X', 'RUN echo ok']);
    const use = doc.variables.uses.find((u) => u.name === 'X')!;
    expect(text.slice(use.start, use.end)).toBe('$X');
  });

  test('multi-line instruction span covers its continuation lines', () => {
    const text = 'FROM a\r\nRUN x \\\r\n    y\r\nCMD z\r\n';
    expect(spans(text)).toEqual(['FROM a', 'RUN x \\\r\n    y', 'CMD z']);
  });

  test('lineOf maps offsets back to 0-based lines, including the last line without a break', () => {
    const text = 'FROM a\r\nRUN b\nCMD c';
    const doc = parseDocument(text);
    expect(doc.lineOf(0)).toBe(0);
    expect(doc.lineOf(text.indexOf('RUN'))).toBe(1);
    expect(doc.lineOf(text.indexOf('CMD'))).toBe(2);
    expect(doc.lineOf(text.length)).toBe(2);
  });

  test('offsetAt clamps a position past the line end to the line end', () => {
    const doc = parseDocument('FROM a\r\nRUN b\r\n');
    expect(doc.offsetAt({ line: 0, character: 99 })).toBe(6);
    expect(doc.offsetAt({ line: 9, character: 0 })).toBe(doc.text.length);
  });
});

describe('style', () => {
  test('keyword case follows the majority of instructions', () => {
    expect(parseDocument('from a\nrun x\nCMD y\n').style.keywordCase).toBe('lower');
    expect(parseDocument('FROM a\nRUN x\ncmd y\n').style.keywordCase).toBe('upper');
    expect(parseDocument('from a\nrun x\n').keyword('ARG')).toBe('arg');
    expect(parseDocument('FROM a\n').keyword('arg')).toBe('ARG');
  });

  test('dominant line ending; LF when there is none', () => {
    expect(parseDocument('FROM a\r\nRUN b\r\nCMD c\n').style.eol).toBe('\r\n');
    expect(parseDocument('FROM a').style.eol).toBe('\n');
  });

  test('escape directive', () => {
    expect(parseDocument('# escape=`\nFROM a\n').style.escape).toBe('`');
    expect(parseDocument('FROM a\n').style.escape).toBe('\\');
    // A directive after an instruction is only a comment.
    expect(parseDocument('FROM a\n# escape=`\n').style.escape).toBe('\\');
  });

  test('continuation indent as the file writes it, else four spaces', () => {
    expect(parseDocument('FROM a\nRUN x \\\n\t  y\n').style.continuationIndent).toBe('\t  ');
    expect(parseDocument('FROM a\nRUN x \\\n  y\n').style.continuationIndent).toBe('  ');
    expect(parseDocument('FROM a\nRUN x\n').style.continuationIndent).toBe('    ');
  });

  test('directivesEnd is the start of the first line after the directives', () => {
    const text = '# syntax=docker/dockerfile:1\r\n# escape=`\r\nFROM a\r\n';
    const doc = parseDocument(text);
    expect(doc.directivesEnd).toBe(text.indexOf('FROM'));
    expect(parseDocument('# a comment\nFROM a\n').directivesEnd).toBe(0);
  });

  test('indentOf gives the leading whitespace of an instruction', () => {
    const doc = parseDocument('FROM a\n  \tRUN x\n');
    expect(doc.indentOf(doc.instructions[1])).toBe('  \t');
  });
});

describe('line breaks: one pass for line starts and the dominant ending', () => {
  /** The definitions: a regular expression over the breaks, CRLF before a lone CR. */
  const definedStarts = (text: string) => [
    0,
    ...[...text.matchAll(/\r\n|\r|\n/g)].map((m) => m.index + m[0].length),
  ];
  const definedEol = (text: string) => {
    const counts: Record<string, number> = { '\n': 0, '\r\n': 0, '\r': 0 };
    for (const m of text.matchAll(/\r\n|\r|\n/g)) counts[m[0]]++;
    let eol = '\n';
    if (counts['\r\n'] > counts[eol]) eol = '\r\n';
    if (counts['\r'] > counts[eol]) eol = '\r';
    return eol;
  };

  test('match the definitions on generated texts with every kind of break', () => {
    let seed = 3;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const pieces = ['FROM a', 'RUN b', ' ', '\n', '\r\n', '\r', '\r\r\n', '\n\r', '#c'];
    for (let t = 0; t < 2000; t++) {
      let text = '';
      const len = Math.floor(next() * 16);
      for (let i = 0; i < len; i++) text += pieces[Math.floor(next() * pieces.length)];
      expect([text, lineStartsOf(text)]).toEqual([text, definedStarts(text)]);
      expect([text, parseDocument(text).style.eol]).toEqual([text, definedEol(text)]);
      expect(parseDocument(text).lineStarts).toEqual(definedStarts(text));
    }
  });
});
