/**
 * The parsed Dockerfile every transform reads: the exact text, the dockerfile-ast tree,
 * offsets for parser positions, the file's style, and lazily computed shared facts
 * (stages, variables). Computed once per parse; never mutated.
 */
import { scanLineBreaks, type LineBreaks } from './line-breaks.js';
import { DockerfileParser } from './ast.js';
import './parser-speedups.js';
import type { Dockerfile, Instruction } from 'dockerfile-ast';
import { analyseStages, type StageModel } from './stages.js';
import { analyseVariables, type VariableModel } from './variables.js';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Eol = '\n' | '\r\n' | '\r';

/** How the file is written, so inserted text can match it. */
export interface DocStyle {
  /** Keyword case used by most instructions. */
  keywordCase: 'upper' | 'lower';
  /** Dominant line ending (LF when the file has none). */
  eol: Eol;
  /** Escape character from a `# escape=` directive, else backslash. */
  escape: '\\' | '`';
  /** Leading whitespace of continuation lines, as the file writes them. */
  continuationIndent: string;
  /** Whether the text starts with a byte-order mark. */
  bom: boolean;
}

export interface DocOptions {
  /** Name or index of the stage to treat as final (like `--target`). */
  target?: string;
}

export class DockerDoc {
  readonly text: string;
  readonly ast: Dockerfile;
  /** Offset of the first character of each line (line breaks as dockerfile-ast counts them). */
  readonly lineStarts: number[];
  readonly style: DocStyle;
  /** Every instruction, in order (ONBUILD triggers are inside their ONBUILD). */
  readonly instructions: Instruction[];
  private stageModel?: StageModel;
  private variableModel?: VariableModel;

  readonly options: DocOptions;

  constructor(text: string, options: DocOptions = {}) {
    this.text = text;
    this.options = options;
    this.ast = DockerfileParser.parse(text);
    const breaks = scanLineBreaks(text);
    this.lineStarts = breaks.starts;
    this.instructions = this.ast.getInstructions();
    if (text.includes('<<')) checkHeredocs(this.instructions);
    this.style = detectStyle(this, breaks);
  }

  get stages(): StageModel {
    this.stageModel ??= analyseStages(this, this.options.target);
    return this.stageModel;
  }

  get variables(): VariableModel {
    this.variableModel ??= analyseVariables(this);
    return this.variableModel;
  }

  /** Offset in `text` of a parser position (UTF-16 units, same as JS indices). */
  offsetAt(pos: Position): number {
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line];
    return Math.min(start + pos.character, this.lineEnd(pos.line));
  }

  /** 0-based line number of an offset. */
  lineOf(offset: number): number {
    return lineIndexAt(this.lineStarts, offset);
  }

  /** Offset just before the line break of a line. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStarts[line] && this.text[end - 1] === '\n') end--;
    if (end > this.lineStarts[line] && this.text[end - 1] === '\r') end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  /** Start and end offsets of an instruction (end excludes its final line break). */
  span(instr: Instruction): { start: number; end: number } {
    const r = instr.getRange();
    return { start: this.offsetAt(r.start), end: this.offsetAt(r.end) };
  }

  spanOf(range: Range): { start: number; end: number } {
    return { start: this.offsetAt(range.start), end: this.offsetAt(range.end) };
  }

  /** Leading whitespace of the line an instruction starts on. */
  indentOf(instr: Instruction): string {
    const line = instr.getRange().start.line;
    return /^[ \t]*/.exec(this.lineText(line))![0];
  }

  /** A keyword written in the file's keyword case. */
  keyword(word: string): string {
    return this.style.keywordCase === 'lower' ? word.toLowerCase() : word.toUpperCase();
  }

  /** Offset just after the parser directives block (start of the first non-directive line). */
  get directivesEnd(): number {
    const directives = this.ast.getDirectives();
    if (directives.length === 0) return this.style.bom ? 1 : 0;
    const last = directives[directives.length - 1].getRange().end.line;
    return last + 1 < this.lineStarts.length ? this.lineStarts[last + 1] : this.text.length;
  }

  /** The text of a range of the source. */
  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }
}

/**
 * dockerfile-ast's `getHeredocs()` throws a TypeError on some malformed heredoc openers
 * (`RUN <<'EOF''`). Every model asks for heredocs, so such a text is not parsed at all: the
 * runner reports it and leaves the file unchanged, instead of each transform failing on it.
 */
function checkHeredocs(instructions: Instruction[]): void {
  for (const instr of instructions) {
    const withHeredocs = instr as unknown as { getHeredocs?: () => unknown[] };
    if (typeof withHeredocs.getHeredocs !== 'function') continue;
    try {
      withHeredocs.getHeredocs();
    } catch {
      throw new Error(
        `dockerfile-ast cannot read the heredoc of the ${instr.getKeyword()} at line ` +
          `${instr.getRange().start.line + 1}`,
      );
    }
  }
}

export function parseDocument(text: string, options: DocOptions = {}): DockerDoc {
  return new DockerDoc(text, options);
}

/** 0-based line holding `offset`, given a text's line starts. */
export function lineIndexAt(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function detectStyle(doc: DockerDoc, { counts }: LineBreaks): DocStyle {
  let upper = 0;
  let lower = 0;
  for (const instr of doc.instructions) {
    const kw = instr.getInstruction();
    if (kw === kw.toUpperCase()) upper++;
    else if (kw === kw.toLowerCase()) lower++;
  }
  let eol: Eol = '\n';
  if (counts['\r\n'] > counts[eol]) eol = '\r\n';
  if (counts['\r'] > counts[eol]) eol = '\r';
  const escape = doc.ast.getEscapeCharacter() === '`' ? '`' : '\\';
  return {
    keywordCase: lower > upper ? 'lower' : 'upper',
    eol,
    escape,
    continuationIndent: detectContinuationIndent(doc),
    bom: doc.text.charCodeAt(0) === 0xfeff,
  };
}

function detectContinuationIndent(doc: DockerDoc): string {
  for (const instr of doc.instructions) {
    const r = instr.getRange();
    if (r.end.line <= r.start.line) continue;
    for (let line = r.start.line + 1; line <= r.end.line; line++) {
      const text = doc.lineText(line);
      if (text.trim() === '' || /^\s*#/.test(text)) continue;
      const indent = /^[ \t]*/.exec(text)![0];
      if (indent.length > 0) return indent;
    }
  }
  return '    ';
}
