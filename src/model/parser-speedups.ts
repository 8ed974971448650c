/**
 * Speed-ups of dockerfile-ast's hot paths that leave every result identical. Profiles of
 * `dockerfix --check` over a 2,000-file tree showed the parser, not our transforms, spending
 * most of the time; each patch below removes repeated work, or takes an exact shortcut for a
 * common shape of input, and nothing else. Each is checked against the library's own function
 * in __tests__/model/parser-speedups.test.ts. Applied once, on import of model/document.ts.
 */
import { AstInstruction, requireFromAst } from './ast.js';
import { plainRawArguments, type ScannedInstruction } from './argument-scan.js';
import { lineStartsOf } from './line-breaks.js';

/**
 * dockerfile-ast recomputes an instruction's arguments (a character scan plus a position
 * lookup per argument) on every getArguments / getRawArgumentsContent / getArgumentsRange /
 * getFlags / getHeredocs call, and the parser itself calls it several times per instruction.
 * An instruction never changes after parsing, so remember the scan per instance; callers get
 * a copy of the array (the library's own ModifiableInstruction.getArguments shifts it). The
 * scan itself takes argument-scan.ts' exact shortcuts for the common shapes first.
 */
function memoiseRawArguments(): void {
  const proto = AstInstruction.prototype as unknown as {
    getRawArguments: () => unknown[];
    dockerfixMemoised?: boolean;
  };
  if (proto.dockerfixMemoised) return;
  const library = proto.getRawArguments;
  libraryRawArguments = library;
  const scan = function (this: ScannedInstruction) {
    return plainRawArguments(this) ?? library.call(this);
  };
  // Kept on the instance (a WeakMap's ephemeron entries cost the garbage collector more than
  // the scan saved): the field is ours, named so that it cannot clash with the library's.
  proto.getRawArguments = function (
    this: ScannedInstruction & { dockerfixRawArguments?: unknown[] },
  ) {
    let args = this.dockerfixRawArguments;
    if (args === undefined) {
      args = scan.call(this);
      this.dockerfixRawArguments = args;
    }
    return args.slice();
  };
  proto.dockerfixMemoised = true;
}

/** dockerfile-ast's own argument scan, before memoiseRawArguments wrapped it (for tests). */
export let libraryRawArguments: (() => unknown[]) | null = null;

/**
 * `getKeyword()` upper-cases the keyword on every call, and every transform filters
 * instructions by keyword (hundreds of calls per file). The keyword of an instance never
 * changes, so it is computed once and kept on the instance, like the arguments above.
 */
function cacheKeywords(): void {
  const proto = AstInstruction.prototype as unknown as {
    getKeyword: () => string;
    dockerfixKeywords?: boolean;
  };
  if (proto.dockerfixKeywords) return;
  proto.getKeyword = function (this: { getInstruction(): string; dockerfixKeyword?: string }) {
    let kw = this.dockerfixKeyword;
    if (kw === undefined) {
      kw = this.getInstruction().toUpperCase();
      this.dockerfixKeyword = kw;
    }
    return kw;
  };
  proto.dockerfixKeywords = true;
}

/**
 * `getRawArgumentsContent()` rebuilds its string from the argument ranges on every call, and the
 * variable, COPY and RUN models each ask for it. A string is immutable, so it is kept on the
 * instance after the first call (null, for an instruction without arguments, too).
 */
function cacheRawArgumentsContent(): void {
  const proto = AstInstruction.prototype as unknown as {
    getRawArgumentsContent: () => string | null;
    dockerfixContentCached?: boolean;
  };
  if (proto.dockerfixContentCached) return;
  const build = proto.getRawArgumentsContent;
  proto.getRawArgumentsContent = function (this: { dockerfixRawContent?: string | null }) {
    let content = this.dockerfixRawContent;
    if (content === undefined) {
      content = build.call(this);
      this.dockerfixRawContent = content;
    }
    return content;
  };
  proto.dockerfixContentCached = true;
}

const MAX_UINT = 2147483647;
const isUint = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= MAX_UINT;

interface Pos {
  line: number;
  character: number;
}

/**
 * The parser builds every range with vscode-languageserver-types' `Range.create` /
 * `Position.create`, which validate each number with `Object.prototype.toString.call` (a
 * sixth of the parse in profiles). The positions come from the parser's own `positionAt`, so
 * the fast path below accepts the same valid inputs with a `typeof` test and returns the same
 * objects; anything else goes to the original functions (which throw as before).
 * The patch applies to the copy of the package dockerfile-ast loads (the one ast.ts requires,
 * under a test runner too; a test that imports dockerfile-ast itself through the runner's own
 * module registry gets an unpatched copy, with the same results).
 */
function fastRanges(): void {
  let types: {
    Position: { create: (...a: unknown[]) => unknown; dockerfixFast?: boolean };
    Range: { create: (...a: unknown[]) => unknown };
  };
  try {
    types = requireFromAst('vscode-languageserver-types');
  } catch {
    return;
  }
  if (!types?.Position || !types.Range || types.Position.dockerfixFast) return;
  const position = types.Position.create;
  const range = types.Range.create;
  types.Position.create = function (line: unknown, character: unknown, ...rest: unknown[]) {
    if (rest.length === 0 && isUint(line) && isUint(character)) return { line, character };
    return position.call(this, line, character, ...rest);
  };
  const isPos = (p: unknown): p is Pos =>
    typeof p === 'object' && p !== null && isUint((p as Pos).line) && isUint((p as Pos).character);
  types.Range.create = function (one: unknown, two: unknown, ...rest: unknown[]) {
    if (rest.length === 0 && isPos(one) && isPos(two)) return { start: one, end: two };
    if (rest.length === 2 && isUint(one) && isUint(two) && isUint(rest[0]) && isUint(rest[1])) {
      return { start: { line: one, character: two }, end: { line: rest[0], character: rest[1] } };
    }
    return range.call(this, one, two, ...rest);
  };
  types.Position.dockerfixFast = true;
}

/**
 * vscode-languageserver-textdocument computes a document's line offsets with a character loop
 * (here: lineStartsOf, the same offsets, found with indexOf when the text has no CR), and its
 * `positionAt` binary-searches them on every call, while the parser calls it for both ends of
 * every argument, in text order. The document remembers the line of its last answer and checks
 * that line, then the next, before searching; a line is only taken when its offset is at or
 * before `offset` and the next line's is after it, which is exactly the line the search finds
 * (offsets strictly increase), so answers are the same.
 */
function cursorPositionAt(): void {
  let proto: {
    positionAt: (offset: number) => unknown;
    dockerfixCursor?: boolean;
  };
  try {
    const { TextDocument } = requireFromAst('vscode-languageserver-textdocument');
    proto = Object.getPrototypeOf(TextDocument.create('', '', 0, ''));
  } catch {
    return;
  }
  if (!proto || typeof proto.positionAt !== 'function' || proto.dockerfixCursor) return;
  const search = proto.positionAt;
  // The line offsets themselves, computed on first use: the same array as the library's
  // character loop (CRLF, lone CR, LF), from lineStartsOf (indexOf for a text without CR).
  const offsets = proto as unknown as {
    getLineOffsets: () => number[];
  };
  offsets.getLineOffsets = function (this: { _content: string; _lineOffsets?: number[] }) {
    if (this._lineOffsets === undefined) this._lineOffsets = lineStartsOf(this._content);
    return this._lineOffsets;
  };
  proto.positionAt = function (
    this: {
      _content: string;
      getLineOffsets(): number[];
      ensureBeforeEOL(offset: number, lineOffset: number): number;
      dockerfixLine?: number;
    },
    offset: number,
  ) {
    const lineOffsets = this.getLineOffsets();
    const n = lineOffsets.length;
    const at = Math.max(Math.min(offset, this._content.length), 0);
    let line = this.dockerfixLine ?? 0;
    if (!(line < n && lineOffsets[line] <= at && (line + 1 === n || lineOffsets[line + 1] > at))) {
      line++;
      if (!(
        line < n &&
        lineOffsets[line] <= at &&
        (line + 1 === n || lineOffsets[line + 1] > at)
      )) {
        const found = search.call(this, offset) as { line: number; character: number };
        this.dockerfixLine = found.line;
        return found;
      }
    }
    this.dockerfixLine = line;
    return { line, character: this.ensureBeforeEOL(at, lineOffsets[line]) - lineOffsets[line] };
  };
  proto.dockerfixCursor = true;
}

/** dockerfile-ast's own `Parser.prototype.processArguments`, before the patch below (for tests). */
export let libraryProcessArguments: ((...args: unknown[]) => number) | null = null;

interface ArgumentsParser {
  buffer: string;
  escapeChar: string;
  createInstruction(...args: unknown[]): unknown;
  processHeredocs(instruction: unknown, offset: number): number;
  dockerfixBuffer?: string;
  dockerfixEscape?: string;
  dockerfixHasCr?: boolean;
  dockerfixNextEscape?: number;
}

/**
 * The parser finds where an instruction's arguments end with a character loop from the keyword
 * to the line break, watching for the escape character (line continuations, escaped spaces,
 * comment lines inside a continuation). When the rest of the line has no escape character, the
 * loop can only stop at the line's LF, so that is found with indexOf and the instruction is
 * created there, exactly as the loop does. Files with CR (CRLF, lone CR) and lines with the
 * escape character keep the library's loop. The next escape character is remembered per parse,
 * so files with few of them are not searched to the end once per instruction.
 */
function fastArgumentsEnd(): void {
  let proto: {
    processArguments: (...args: unknown[]) => number;
    dockerfixArgumentsEnd?: boolean;
  };
  try {
    proto = requireFromAst('./parser').Parser.prototype;
  } catch {
    return;
  }
  if (!proto || typeof proto.processArguments !== 'function' || proto.dockerfixArgumentsEnd) {
    return;
  }
  const library = proto.processArguments;
  libraryProcessArguments = library;
  proto.processArguments = function (
    this: ArgumentsParser,
    dockerfile: unknown,
    instruction: unknown,
    instructionEnd: unknown,
    start: unknown,
    offset: number,
  ) {
    const buffer = this.buffer;
    const escape = this.escapeChar;
    if (this.dockerfixBuffer !== buffer || this.dockerfixEscape !== escape) {
      this.dockerfixBuffer = buffer;
      this.dockerfixEscape = escape;
      this.dockerfixHasCr = buffer.indexOf('\r') !== -1;
      this.dockerfixNextEscape = -2; // not searched yet
    }
    if (!this.dockerfixHasCr && typeof escape === 'string' && escape.length === 1) {
      const lineEnd = buffer.indexOf('\n', offset + 1);
      if (lineEnd !== -1) {
        let next = this.dockerfixNextEscape!;
        if (next !== -1 && next < offset + 1) {
          next = buffer.indexOf(escape, offset + 1);
          this.dockerfixNextEscape = next;
        }
        if (next === -1 || next > lineEnd) {
          const created = this.createInstruction(
            dockerfile,
            instruction,
            start,
            instructionEnd,
            lineEnd,
          );
          return this.processHeredocs(created, lineEnd);
        }
      }
    }
    return library.call(this, dockerfile, instruction, instructionEnd, start, offset);
  } as (...args: unknown[]) => number;
  proto.dockerfixArgumentsEnd = true;
}

memoiseRawArguments();
cacheKeywords();
cacheRawArgumentsContent();
fastRanges();
cursorPositionAt();
fastArgumentsEnd();
