/**
 * dockerfile-ast's argument scan (`Instruction.getRawArguments`) for the two shapes most
 * instructions have, cutting each value from the text instead of building it one character at a
 * time. parser-speedups.ts takes it before the library's scan; the test compares the two.
 */
import type { Argument } from 'dockerfile-ast';
import { AstArgument } from './ast.js';

/** What the scan reads of an instruction (the library's fields and methods). */
export interface ScannedInstruction {
  readonly escapeChar: string;
  readonly document: {
    offsetAt(p: { line: number; character: number }): number;
    positionAt(offset: number): { line: number; character: number };
  };
  getInstructionRange(): {
    start: { line: number; character: number };
    end: { line: number; character: number };
  };
  getTextContent(): string;
}

/**
 * The library's argument scan, for the two shapes most instructions have; null for any other
 * (then the library scans). Each branch below follows the library's character-by-character state
 * machine for its shape exactly; __tests__/model/parser-speedups.test.ts compares them.
 *
 * - No escape character: no line continuation, escaped character or comment line can occur,
 *   and arguments are the runs of characters other than space, tab, CR and LF (FROM, COPY, ENV,
 *   one-line RUN…).
 * - Line continuations only: no CR and no `#` in the text, and every escape character is
 *   followed by LF (a multi-line RUN). See continuedArguments.
 *
 * Values are cut from the text instead of being built one character at a time.
 */
export function plainRawArguments(instr: ScannedInstruction): Argument[] | null {
  const escape = instr.escapeChar;
  if (typeof escape !== 'string' || escape.length !== 1) return null;
  const doc = instr.document;
  const range = instr.getInstructionRange();
  const keywordEnd = doc.offsetAt(range.end);
  const start = doc.offsetAt(range.start);
  const text = instr.getTextContent().substring(keywordEnd - start);
  if (text.indexOf(escape) !== -1) {
    return onlyContinuations(text, escape)
      ? continuedArguments(text, escape, doc, keywordEnd)
      : null;
  }
  const offset = keywordEnd;
  const args: Argument[] = [];
  let found = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c === 32 || c === 9 || c === 13 || c === 10) {
      if (found !== -1) {
        const from = doc.positionAt(offset + found);
        const to = doc.positionAt(offset + i);
        args.push(new AstArgument(text.substring(found, i), { start: from, end: to }));
        found = -1;
      }
    } else if (found === -1) {
      found = i;
    }
  }
  return args;
}

/** No CR, no `#`, and every escape character directly followed by LF. */
function onlyContinuations(text: string, escape: string): boolean {
  if (text.indexOf('\r') !== -1 || text.indexOf('#') !== -1) return false;
  for (let i = text.indexOf(escape); i !== -1; i = text.indexOf(escape, i + 2)) {
    if (text.charCodeAt(i + 1) !== 10) return false;
  }
  return true;
}

/**
 * The library's scan for text whose escape characters all start a line continuation (no CR,
 * no `#`): an escape character and its LF are dropped; whitespace after a continuation is
 * skipped; an argument that ran up to the continuation ends there (at the escape character) when
 * whitespace came after it, else it goes on with the next line's characters; elsewhere
 * arguments end at whitespace.
 */
function continuedArguments(
  text: string,
  escape: string,
  doc: ScannedInstruction['document'],
  offset: number,
): Argument[] {
  const escapeCode = escape.charCodeAt(0);
  const args: Argument[] = [];
  let found = -1; // where the current argument starts
  let run = -1; // where the current run of its characters starts
  let value = ''; // its characters before `run`
  let escapeMarker = -1; // the continuation the current argument ran up to
  let escaping = false; // after a continuation, before the next argument character
  let spaced = false; // whitespace seen on the line after that continuation
  const push = (end: number) => {
    const range = { start: doc.positionAt(offset + found), end: doc.positionAt(offset + end) };
    args.push(new AstArgument(value, range));
    value = '';
    found = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10) {
      if (escaping) {
        spaced = c !== 10;
      } else if (found !== -1) {
        if (run !== -1) value += text.substring(run, i);
        run = -1;
        push(escapeMarker === -1 ? i : escapeMarker);
        escapeMarker = -1;
      }
    } else if (c === escapeCode) {
      if (found !== -1 && escapeMarker === -1) escapeMarker = i;
      if (run !== -1) value += text.substring(run, i);
      run = -1;
      escaping = true;
      i++; // its LF
    } else {
      if (spaced && escapeMarker !== -1) push(escapeMarker);
      spaced = false;
      escaping = false;
      escapeMarker = -1;
      if (found === -1) found = i;
      if (run === -1) run = i;
    }
  }
  if (found !== -1) {
    if (run !== -1) value += text.substring(run);
    push(escapeMarker === -1 ? text.length : escapeMarker);
  }
  return args;
}
