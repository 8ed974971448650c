/**
 * parser-speedups gives the library's answers: the positionAt cursor those of the binary search
 * (random texts with every kind of line break, offsets in order, out of order, out of range),
 * the plain argument scan those of dockerfile-ast's own scan (every instruction of the corpus
 * and the fixtures, and generated instructions with every character the scan treats apart).
 */
import { describe, expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { libraryProcessArguments, libraryRawArguments } from '../../src/model/parser-speedups.js';
import { plainRawArguments } from '../../src/model/argument-scan.js';
import { dockerfilesUnder, FIXTURES, rng } from '../helpers/dockerfile-texts.js';

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
  const starts = definedLineOffsets(text);
  const at = Math.max(Math.min(offset, text.length), 0);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= at) line++;
  return { line, character: doc.ensureBeforeEOL(at, starts[line]) - starts[line] };
}

/** The library's line offsets, by definition: 0, then after every CRLF, lone CR and LF. */
function definedLineOffsets(text: string): number[] {
  return [0, ...[...text.matchAll(/\r\n|\r|\n/g)].map((m) => m.index + m[0].length)];
}

describe('positionAt with a line cursor', () => {
  test('is installed on the documents dockerfile-ast creates', () => {
    const proto = Object.getPrototypeOf(TextDocument.create('', '', 0, '')) as {
      dockerfixCursor?: boolean;
    };
    expect(proto.dockerfixCursor).toBe(true);
  });

  test("line offsets are the library's: 0, then after every CRLF, lone CR and LF", () => {
    const next = rng(17);
    const pieces = ['a', 'bc', '\n', '\r\n', '\r', '\r\r\n', '\n\r', ' '];
    for (let t = 0; t < 2000; t++) {
      let text = '';
      const len = Math.floor(next() * 30);
      for (let i = 0; i < len; i++) text += pieces[Math.floor(next() * pieces.length)];
      expect([text, TextDocument.create('', '', 0, text).getLineOffsets()]).toEqual([
        text,
        definedLineOffsets(text),
      ]);
    }
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

/** Generated instructions: the characters the library's scan treats apart, in every mix. */
function generatedTexts(count: number): string[] {
  const next = rng(11);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const pieces = [
    ' ',
    '\t',
    'a',
    'b1',
    '$X',
    '${Y:-z}',
    '"q r"',
    "'s'",
    '#',
    '\\',
    '`',
    '\n',
    '\r\n',
    '\r',
    '\f',
    '[',
    ']',
    ',',
    '<<EOF',
    '--from=x',
    '=',
    '\u00a0',
  ];
  const heads = ['', '# escape=`\n', '# escape=\\\n'];
  const keywords = ['RUN', 'copy', 'ENV', 'ARG', 'LABEL', 'CMD', 'USER', 'WORKDIR', 'EXPOSE'];
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let body = pick(keywords);
    const n = Math.floor(next() * 12);
    for (let i = 0; i < n; i++) body += pick(pieces);
    out.push(`${pick(heads)}FROM a\n${body}${pick(['', '\n', '\r\n', '\nRUN b\n'])}`);
  }
  return out;
}

/** Generated multi-line instructions: continuations, indentation, words glued across lines. */
function continuationTexts(count: number): string[] {
  const next = rng(23);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const pieces = [' ', '\t', 'a', 'b1', '$X', '"q r"', '&&', '\n', '  ', 'c=d', '${Y}', '\\'];
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const escape = pick(['\\', '`']);
    let body = pick(['RUN', 'run', 'ENV', 'COPY', 'LABEL']);
    const n = 1 + Math.floor(next() * 14);
    for (let i = 0; i < n; i++) {
      const r = next();
      body += r < 0.25 ? `${escape}\n` : r < 0.35 ? ` ${escape}\n` : pick(pieces);
    }
    const head = escape === '`' ? '# escape=`\nFROM a\n' : 'FROM a\n';
    out.push(`${head}${body}${pick(['', '\n', '\nRUN b\n', ` ${escape}\n`])}`);
  }
  return out;
}

describe('plainRawArguments', () => {
  const texts = [
    ...dockerfilesUnder(FIXTURES).map((f) => fs.readFileSync(f, 'utf8')),
    ...generatedTexts(3000),
    ...continuationTexts(3000),
  ];

  test('the library scan it replaces was captured', () => {
    expect(typeof libraryRawArguments).toBe('function');
  });

  test('scans like dockerfile-ast whenever it answers, and answers for most instructions', () => {
    let answered = 0;
    let continued = 0;
    let declined = 0;
    for (const text of texts) {
      for (const instr of DockerfileParser.parse(text).getInstructions()) {
        const plain = plainRawArguments(
          instr as unknown as Parameters<typeof plainRawArguments>[0],
        );
        if (plain === null) {
          declined++;
          continue;
        }
        answered++;
        if (/[\\`]\n/.test(instr.getTextContent())) continued++;
        const library = libraryRawArguments!.call(instr as Instruction) as typeof plain;
        expect(plain.map((a) => [a.getValue(), a.getRange()])).toEqual(
          library.map((a) => [a.getValue(), a.getRange()]),
        );
      }
    }
    expect(answered).toBeGreaterThan(5000);
    expect(continued).toBeGreaterThan(1000);
    expect(declined).toBeGreaterThan(200);
  });
});

describe('processArguments: the end of an instruction found with indexOf', () => {
  // The copy of dockerfile-ast that parser-speedups patches (Node's own module cache).
  const ast = fromAst('./main') as typeof import('dockerfile-ast');
  const parserProto = (fromAst('./parser') as { Parser: { prototype: Record<string, unknown> } })
    .Parser.prototype;

  /** What a parse produced: every instruction, argument, comment and directive, with ranges. */
  const snapshot = (text: string) => {
    const doc = ast.DockerfileParser.parse(text);
    return {
      instructions: doc
        .getInstructions()
        .map((i) => [
          i.getInstruction(),
          i.getRange(),
          i.getInstructionRange(),
          i.getArguments().map((a) => [a.getValue(), a.getRange()]),
        ]),
      comments: doc.getComments().map((c) => [c.getRange(), c.getContent()]),
      directives: doc.getDirectives().map((d) => [d.getName(), d.getValue(), d.getRange()]),
    };
  };
  const withLibrary = <T>(f: () => T): T => {
    const patched = parserProto.processArguments;
    parserProto.processArguments = libraryProcessArguments;
    try {
      return f();
    } finally {
      parserProto.processArguments = patched;
    }
  };

  test('is installed on the parser dockerfile-ast uses', () => {
    expect(parserProto.dockerfixArgumentsEnd).toBe(true);
    expect(typeof libraryProcessArguments).toBe('function');
  });

  test('parses like the library loop: fixtures, corpus and generated files', () => {
    const texts = [
      ...dockerfilesUnder(FIXTURES).map((f) => fs.readFileSync(f, 'utf8')),
      ...generatedTexts(3000),
    ];
    for (const text of texts) {
      expect([text, snapshot(text)]).toEqual([text, withLibrary(() => snapshot(text))]);
    }
  });
});
